"""``FakeAuvo``'s seed: the same data for one ``seed``, other data for another, and every
task, quotation and expense dated within the week before the fake's clock."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from auvo import TaskStatus, TaskStatusFilter
from auvo.testing import FakeAuvo
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO

# 2023-11-14 19:13 and 2024-03-04 06:05 in Brasília: late in the day and early in the morning
CLOCKS = (1_700_000_000.0, 1_709_543_100.0)
DATED = {
    "tasks": ("creationDate", "taskDate", "checkInDate", "checkOutDate", "dateLastUpdate"),
    "quotations": ("registerDate", "requestDate"),
    "expenses": ("date",),
    "tickets": ("creationDate",),
    "gps": ("positionDate",),
}


def now_of(fake: FakeAuvo) -> datetime:
    return datetime.fromtimestamp(fake.clock.time(), SAO_PAULO)


def local(text: str) -> datetime:
    value = datetime.fromisoformat(text)
    assert value.tzinfo is None, "Auvo sends naive Brasília time"
    return value.replace(tzinfo=SAO_PAULO)


def cpf_cnpj_valid(digits: str) -> bool:
    def check(body: str, weights: list[int]) -> int:
        rest = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
        return 0 if rest < 2 else 11 - rest

    if len(digits) == 11:
        first = check(digits[:9], list(range(10, 1, -1)))
        return digits[9:] == f"{first}{check(digits[:10], list(range(11, 1, -1)))}"
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = check(digits[:12], weights)
    return digits[12:] == f"{first}{check(digits[:13], [6, *weights])}"


def test_the_same_seed_gives_the_same_data() -> None:
    assert FakeAuvo(clock=FakeClock()).data == FakeAuvo(clock=FakeClock()).data
    assert FakeAuvo(clock=FakeClock(), seed=7).data == FakeAuvo(clock=FakeClock(), seed=7).data


def test_another_seed_gives_other_data() -> None:
    zero, one, two = (FakeAuvo(clock=FakeClock(), seed=s) for s in (0, 1, 2))
    for other in (one, two):
        assert other.data != zero.data
        for collection in ("tasks", "customers", "products", "quotations", "users"):
            assert set(other.data[collection]) != set(zero.data[collection]), collection
    assert one.data != two.data

    def names(fake: FakeAuvo, collection: str, key: str) -> list[Any]:
        return [r[key] for r in fake.data[collection].values()]

    assert names(zero, "customers", "description") == [
        "Padaria Pão Quente",
        "Clínica Boa Saúde",
        "Maria da Silva",
    ]
    for other in (one, two):
        assert names(other, "products", "unitaryValue") != names(zero, "products", "unitaryValue")
        assert names(other, "tasks", "expense") != names(zero, "tasks", "expense")
    mixes = {tuple(names(fake, "customers", "description")) for fake in (zero, one, two)}
    assert len(mixes) > 1


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_every_seed_is_valid_data(seed: int) -> None:
    fake = FakeAuvo(clock=FakeClock(), seed=seed)
    client = fake.client()
    customers = list(client.customers.list())
    assert len(customers) == 3
    if seed:  # seed 0 keeps the documents the bridge demo links by
        assert all(cpf_cnpj_valid(c.cpf_cnpj or "") for c in customers)
    customer_ids = {c.id for c in customers}
    now = now_of(fake)
    tasks = list(client.tasks.list(start=now - timedelta(days=7), end=now))
    assert {t.customer_id for t in tasks} <= customer_ids
    products = list(client.products.list())
    assert len(products) == 3
    assert all(p.unitary_value and p.unitary_value > 0 for p in products)
    assert len({p.product_id for p in products}) == 3
    quotations = list(client.quotations.list())
    assert {q.customer_id for q in quotations} <= customer_ids
    assert {p.product_id for q in quotations for p in q.products or []} <= {p.id for p in products}
    team = next(iter(client.teams.list()))
    assert [u.name for u in client.teams.users(team.id or 0)] == [
        u["name"] for u in fake.data["users"].values() if u["userType"]["userTypeId"] == 1
    ]


@pytest.mark.parametrize("start", CLOCKS)
@pytest.mark.parametrize("seed", [0, 1, 5])
def test_seeded_dates_fall_within_the_week_before_the_clock(start: float, seed: int) -> None:
    fake = FakeAuvo(clock=FakeClock(start), seed=seed)
    now = now_of(fake)
    for collection, fields in DATED.items():
        records = list(fake.data[collection].values())
        assert records, collection
        for record in records:
            for field in fields:
                if record.get(field):
                    moment = local(record[field])
                    assert now - timedelta(days=7) <= moment <= now, (collection, field, moment)


@pytest.mark.parametrize("start", CLOCKS)
@pytest.mark.parametrize("seed", [0, 1])
def test_a_first_sync_finds_every_seeded_task(start: float, seed: int) -> None:
    fake = FakeAuvo(clock=FakeClock(start), seed=seed)
    client = fake.client()
    now = now_of(fake)
    week = {"start": now - timedelta(days=7), "end": now}
    tasks = list(client.tasks.list(**week))
    assert len(tasks) == 7
    assert {t.task_status for t in tasks} == set(TaskStatus)
    automatic = list(client.tasks.list(**week, status=TaskStatusFilter.FINISHED_AUTOMATICALLY))
    manual = list(client.tasks.list(**week, status=TaskStatusFilter.FINISHED_MANUALLY))
    assert len(automatic) == len(manual) == 1
    assert automatic[0].task_status == manual[0].task_status == TaskStatus.FINISHED
    stages = {q.current_stage.description for q in client.quotations.list() if q.current_stage}
    assert len(stages) > 1
    assert len(list(client.expenses.list(**week))) == 2


def test_seed_zero_keeps_the_reference_ids(clock: FakeClock) -> None:
    data = FakeAuvo(clock=clock).data
    assert sorted(int(k) for k in data["tasks"]) == list(range(100, 107))
    assert sorted(int(k) for k in data["customers"]) == [1, 2, 3]
    assert data["products"]["1"]["productId"] == "00000000-0000-0000-0000-000000000001"
    assert data["quotations"]["1"]["CurrentStage"]["description"] == "Aprovado"
    assert data["quotations"]["1"]["taskID"] == 104


def test_seeded_false_is_empty_and_seeded_tasks_false_keeps_the_rest(clock: FakeClock) -> None:
    empty = FakeAuvo(clock=clock, seeded=False)
    assert all(not records for records in empty.data.values())
    assert list(empty.client().customers.list()) == []
    no_tasks = FakeAuvo(clock=clock, seeded_tasks=False)
    full = FakeAuvo(clock=clock)
    assert no_tasks.data["tasks"] == {}
    assert no_tasks.data["satisfactionsurveys"] == {}
    for collection in ("customers", "products", "services", "users", "expenses"):
        assert no_tasks.data[collection] == full.data[collection]
    assert "taskID" not in no_tasks.data["quotations"]["1"]
