"""``FakeAuvo`` honours the ``paramFilter`` keys the blueprint documents, list by list,
through the real client; the expected records are those of ``seed=0`` (see its module)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import auvo
from auvo import Auvo, TaskStatusFilter
from auvo.testing import FakeAuvo
from auvo.testing._filters import FILTERS, UNMODELLED
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO

LIST_ACTION = re.compile(r"^#{2,3} .*\[(?:GET\s*)?(/[A-Za-z/]+?)/?\?paramFilter=")
PARAM = re.compile(r"^\s{8}\+ (\w+) \(")


@pytest.fixture
def fake() -> FakeAuvo:
    return FakeAuvo(clock=FakeClock())


@pytest.fixture
def client(fake: FakeAuvo) -> Auvo:
    return fake.client()


@pytest.fixture
def today(fake: FakeAuvo) -> date:
    return datetime.fromtimestamp(fake.clock.time(), SAO_PAULO).date()


def ids(records: Iterable[Any]) -> list[Any]:
    return [r.id for r in records]


def at(day: date, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SAO_PAULO)


def test_quotations_by_stage_date_user_customer_and_product(client: Auvo, today: date) -> None:
    q = client.quotations
    assert ids(q.list()) == [1, 2, 3]
    assert ids(q.list(stage="Aprovado")) == [1]
    assert ids(q.list(stage="em análise")) == [2]  # the fake ignores case, as Auvo's keys do
    assert ids(q.list(stage="Recusado")) == [3]
    assert ids(q.list(stage="Cancelado")) == []
    assert ids(q.list(requested_from=today - timedelta(days=3))) == [2, 3]
    assert ids(q.list(requested_to=today - timedelta(days=3))) == [1]
    day_before = at(today - timedelta(days=1))
    assert ids(q.list(requested_from=today - timedelta(days=2), requested_to=day_before)) == [2]
    assert ids(q.list(requested_from=at(today - timedelta(days=2), 10, 1))) == [3]
    assert ids(q.list(user_ids=[2])) == [3]
    assert ids(q.list(customer_ids=[1, 2])) == [1, 2]
    assert ids(q.list(product_ids=[1])) == [1, 2]
    assert ids(q.list(product_ids=[2, 3])) == [3]
    assert ids(q.list(filters={"publicId": 3})) == [3]
    assert ids(q.list(stage="Aprovado", requested_from=today - timedelta(days=3))) == []


def test_an_unreadable_date_is_refused(client: Auvo) -> None:
    with pytest.raises(auvo.BadRequestError):
        list(client.quotations.list(filters={"requestStartDate": "yesterday"}))


def test_tasks_by_every_documented_key(client: Auvo, today: date) -> None:
    week = {"start": today - timedelta(days=7), "end": today}

    def found(**kwargs: Any) -> list[Any]:
        return ids(client.tasks.list(**week, **kwargs))

    assert found() == [100, 101, 102, 103, 104, 105, 106]
    assert found(status=TaskStatusFilter.NOT_FINISHED) == [100, 101, 102, 103, 106]
    assert found(status=TaskStatusFilter.FINISHED_AUTOMATICALLY) == [104]
    assert found(status=TaskStatusFilter.FINISHED_MANUALLY) == [105]
    assert found(status=TaskStatusFilter.FINISHED) == [104, 105]
    assert found(status=5) == [103]  # with a pendency
    assert found(status=6) == [102, 103, 104, 105, 106]  # started or ended
    assert found(customer_group_id=2) == [102, 105]
    assert found(customer_id=1) == [100, 103, 106]
    assert found(keyword_ids=[1]) == [103]
    assert found(team_id=1) == [100, 101, 102, 103, 104, 105, 106]
    assert found(team_id=99) == []
    assert found(user_to_id=1) == []
    assert found(task_type_id=2) == []
    assert found(external_ids=["T-100", "T-104"]) == [100, 104]
    assert found(filters={"taskID": "101,102"}) == [101, 102]
    assert found(filters={"priority": 3}) == [102, 105]
    assert found(filters={"orientation": "equipamento"}) == found()
    assert found(modified_since=at(today - timedelta(days=1))) == [105, 106]
    recent = client.tasks.list(start=today - timedelta(days=3), end=today)
    assert ids(recent) == [103, 104, 105, 106]


def test_customers_users_and_reference_lists(client: Auvo, today: date) -> None:
    c = client.customers
    assert ids(c.list(group_id=2)) == [3]
    assert ids(c.list(name="clínica")) == [2]
    assert ids(c.list(segment_id=1)) == [1, 2, 3]
    assert ids(c.list(active=False)) == []
    assert ids(c.list(external_ids="C1,C3")) == [1, 3]
    assert ids(c.list(modified_since=at(today - timedelta(days=2)))) == [2, 3]
    assert ids(c.list(created_since=at(today - timedelta(days=181)))) == [1, 2, 3]
    assert ids(c.list(created_since=at(today - timedelta(days=179)))) == []
    assert ids(c.list(filters={"id": 2})) == [2]
    u = client.users
    assert [x.id for x in u.list(user_type=3)] == [1]
    assert [x.id for x in u.list(external_ids=["U2"])] == [2]
    assert [x.id for x in u.list(filters={"smartPhoneNumber": "(62) 99999-0002"})] == [2]
    assert [x.id for x in u.list(filters={"userId": 1})] == [1]
    assert ids(client.customer_groups.list(description="avulsos")) == [2]
    assert ids(client.task_types.list(filters={"description": "instala"})) == [2]
    assert ids(client.keywords.list(filters={"id": 2})) == [2]
    assert ids(client.teams.list(filters={"description": "campo"})) == [1]
    assert ids(client.questionnaires.list(filters={"taskIDs": [104]})) == [1]
    assert ids(client.questionnaires.list(filters={"taskIDs": [100]})) == []
    assert ids(client.product_categories.list(filters={"externalId": "PC1"})) == [1]


def test_catalog_lists(client: Auvo) -> None:
    p = client.products
    assert ids(p.list(below_minimum_stock=True)) == [3]
    assert ids(p.list(below_minimum_stock=False)) == [1, 2]
    assert ids(p.list(name="gás")) == [2]
    assert ids(p.list(filters={"id": 2})) == [2]
    assert ids(p.list(category_id=1, active=True)) == [1, 2, 3]
    assert ids(p.list(active=False)) == []
    s = client.services
    assert [x.title for x in s.list(title="mão")] == ["Mão de obra"]
    assert [x.title for x in s.list(filters={"price": "35.50"})] == ["Deslocamento"]
    e = client.equipments
    assert ids(e.list(active=False)) == [2]
    assert ids(e.list(filters={"parentEquipmentId": 1})) == [2]
    assert ids(e.list(identifier="SPL-0001")) == [1]
    assert ids(e.list(customer_id=2)) == [2]
    assert ids(e.list(filters={"associatedUserId": 2})) == [2]


def test_expenses_positions_surveys_tickets_and_projects(client: Auvo, today: date) -> None:
    week = {"start": today - timedelta(days=7), "end": today}
    assert ids(client.expenses.list(**week)) == [1, 2]
    assert ids(client.expenses.list(**week, user_to_id=1)) == [2]
    assert ids(client.expenses.list(**week, type_id=1)) == [1]
    assert ids(client.expenses.list(start=today - timedelta(days=3), end=today)) == [1]
    assert ids(client.expenses.list(**week, filters={"description": "almo"})) == [2]

    def users(**kwargs: Any) -> list[Any]:
        return [g.user_id for g in client.gps.list(**kwargs)]

    assert users(day=today) == [2]
    assert users(day=today, last_known_only=True) == [2, 1]
    assert users(day=today - timedelta(days=1)) == [1]
    assert users(day=today - timedelta(days=1), user_id=2) == []
    surveys = client.satisfaction_surveys
    assert ids(surveys.list(task_ids=[104])) == [1]
    assert ids(surveys.list(task_ids=[104, 105], email="cliente3@example.com")) == [2]
    t = client.tickets
    assert ids(t.list(start=today - timedelta(days=4))) == [1]
    assert ids(t.list(end=today - timedelta(days=4))) == [2]
    assert ids(t.list(ids=[2])) == [2]
    assert ids(t.list(filters={"Status": 5})) == [2]
    assert ids(t.list(filters={"Status": "Abertura"})) == [1]
    assert ids(t.list(filters={"ResponsableUsersIds": "2"})) == [1]
    assert ids(t.list(filters={"CustomerGroupId": 2})) == [2]
    assert ids(t.list(filters={"TeamId": "1", "SearchTasks": True})) == [1, 2]
    projects = client.service_orders

    def codes(**filters: Any) -> list[Any]:
        return [o.project_code for o in projects.list(filters=filters)]

    assert codes(CpfCnpj="12.345.679/0001-30") == [1]
    assert codes(CpfCnpj="98765432000198") == []
    assert codes(ProjectCodes="1,5", KeywordCode=1, EquipmentCode=1) == [1]
    assert codes(KeywordCode=2) == []
    assert codes(ClientGroupCode=2) == []


def test_webhooks_by_entity_action_and_state(client: Auvo) -> None:
    w = client.webhooks
    task = w.create("Task", "Inclusao", "https://example.com/a")
    customer = w.create("Customer", "Alteracao", "https://example.com/b", active=False)
    assert [h.id for h in w.list(entity="tarefa")] == [task.id]
    assert [h.id for h in w.list(entity="7")] == [customer.id]
    assert [h.id for h in w.list(action="2")] == [customer.id]
    assert [h.id for h in w.list(active=False)] == [customer.id]
    assert [h.id for h in w.list(active=True)] == [task.id]


def test_required_filters_are_enforced(fake: FakeAuvo) -> None:
    client = fake.client(max_retries=0)
    for path, message in (
        ("/expenses/", "startDate and endDate are required"),
        ("/gps/", "date is required"),
        ("/satisfactionSurveys/", "taskID is required"),
    ):
        with pytest.raises(auvo.BadRequestError, match=message):
            client.request("GET", path, params={"paramFilter": "{}"})


def documented_filters(text: str) -> dict[str, set[str]]:
    """The blueprint's paramFilter keys per list path (lower-cased collection name)."""
    found: dict[str, set[str]] = {}
    lines = text.splitlines()
    for n, line in enumerate(lines):
        match = LIST_ACTION.match(line)
        if not match:
            continue
        name = match.group(1).strip("/").split("/")[-1].lower()
        keys = found.setdefault(name, set())
        inside = False
        for follow in lines[n + 1 : n + 40]:
            if follow.strip().startswith("+ paramFilter"):
                inside = True
                continue
            param = PARAM.match(follow)
            if inside and param:
                keys.add(param.group(1).lower())
            elif inside and follow.strip().startswith("+ "):
                break
    return found


def test_every_documented_filter_is_honoured_or_named(specs_dir: Path) -> None:
    path = specs_dir / "auvo-v2" / "auvoapiv2.apib"
    if not path.is_file():
        pytest.skip(f"Auvo's blueprint not found at {path}")
    documented = documented_filters(path.read_text(encoding="utf-8"))
    assert len(documented) >= 20, sorted(documented)
    for name, keys in documented.items():
        honoured = set(FILTERS[name]) | {k.lower() for k in UNMODELLED.get(name, ())}
        assert keys <= honoured, (name, sorted(keys - honoured))
