"""Auvo's ``AutomationIO`` (``bridge.auvo_automations``) on ``auvo.testing``'s fake: what
``changed`` reads through Auvo's own filters, ``read``, creates found again by the reference
(after a lost answer too), updates, statuses, lookups, payloads refused before any request,
and every call counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from auvo import Customer, Quotation, Task
from auvo.testing import FakeAuvo
from bridge.automation_surface import LookupFailed
from bridge.automations import Action
from bridge.auvo_automations import (
    QUOTATION_HORIZON,
    TASK_DATES_AHEAD,
    TASK_DATES_BACK,
    AuvoAutomations,
)
from bridge.auvo_side import AUTOMATIONS, AuvoSide
from sdkcore import APIError, RequestValidationError
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO

from ..test_faults import lose_response

START = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
CREATE_CUSTOMER = Action("auvo", "create_customer")
UPDATE_CUSTOMER = Action("auvo", "update_customer")
CREATE_TASK = Action("auvo", "create_task")
DEACTIVATE = Action("auvo", "set_status", record="customer", status="inactive")
REFERENCE = "auto:visit:42@0123456789abcdef"


def _local(moment: datetime) -> str:
    """A moment as Auvo writes it: naive Brasília time."""
    return moment.astimezone(SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")


class Setup:
    def __init__(self) -> None:
        self.clock = FakeClock(start=START.timestamp())
        self.fake = FakeAuvo(clock=self.clock, seeded=False)
        self.side = AuvoSide(self.fake.client(clock=self.clock))
        io = AUTOMATIONS.io
        assert io is not None
        built = io(self.side)
        assert isinstance(built, AuvoAutomations)
        self.io = built

    @property
    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), UTC)

    @property
    def calls(self) -> int:
        return self.side.calls["auvo"]

    def requests(self, method: str | None = None) -> int:
        """Requests that reached the fake, the login aside."""
        return sum(
            1
            for r in self.fake.requests
            if "/login" not in r.path.lower() and method in (None, r.method)
        )

    def customer(self, name: str, **fields: Any) -> dict[str, Any]:
        record = self.fake.add(
            "customers",
            {
                "description": name,
                "creationDate": _local(self.now),
                "dateLastUpdate": _local(self.now),
                **fields,
            },
        )
        return record

    def task(self, dated: datetime, **fields: Any) -> dict[str, Any]:
        return self.fake.add(
            "tasks",
            {
                "taskDate": _local(dated),
                "creationDate": _local(self.now),
                "dateLastUpdate": _local(self.now),
                "customerId": 7,
                "finished": False,
                **fields,
            },
        )


@pytest.fixture
def auvo() -> Setup:
    return Setup()


def _ids(observed: Iterator[Any]) -> list[str]:
    return [o.id for o in observed]


# -- the declaration ----------------------------------------------------------------------


def test_auvo_declares_where_each_record_names_its_customer() -> None:
    assert AUTOMATIONS.customers == {
        "customer": "id",
        "task": "customerId",
        "quotation": "customerId",
    }
    for record, path in AUTOMATIONS.customers.items():
        model = AUTOMATIONS.records[record]
        assert path in model(**{path: 5}).model_dump(by_alias=True)  # a wire name of it


# -- changed and read ---------------------------------------------------------------------


def test_changed_customers_are_those_auvo_says_changed_since(auvo: Setup) -> None:
    old = auvo.customer("Old")
    auvo.clock.advance(3600)
    since = auvo.now
    auvo.clock.advance(60)
    new = auvo.customer("New")

    seen = list(auvo.io.changed("customer", since))
    assert [o.id for o in seen] == [str(new["id"])]
    assert isinstance(seen[0].record, Customer)
    assert seen[0].created_at == auvo.now  # aware: Auvo's naive time read in Brasília
    assert seen[0].created_at is not None
    assert seen[0].created_at.tzinfo is not None

    auvo.clock.advance(60)
    auvo.side.client.customers.patch(old["id"], {"note": "edited"})
    assert sorted(_ids(auvo.io.changed("customer", since))) == sorted(
        [str(old["id"]), str(new["id"])]
    )
    assert len(_ids(auvo.io.changed("customer", None))) == 2  # None: every customer


def test_changed_tasks_use_the_change_filter_within_a_wide_window_of_dates(auvo: Setup) -> None:
    auvo.task(auvo.now)  # changed before since
    auvo.clock.advance(600)
    since = auvo.now
    auvo.clock.advance(600)
    today = auvo.task(auvo.now)
    late = auvo.task(since - TASK_DATES_BACK + timedelta(days=2))  # an overdue visit, finished
    booked = auvo.task(auvo.now + TASK_DATES_AHEAD - timedelta(days=2))  # booked ahead
    auvo.task(auvo.now + TASK_DATES_AHEAD + timedelta(days=2))  # beyond the window: unseen

    auvo.side.calls.clear()
    seen = list(auvo.io.changed("task", since))
    assert sorted(o.id for o in seen) == sorted(str(t["taskID"]) for t in (today, late, booked))
    assert all(isinstance(o.record, Task) for o in seen)
    assert seen[0].created_at is not None
    # 180 days back and 365 ahead in 91-day pieces, one call each (78 in 7-day pieces).
    assert auvo.calls == 6
    assert len(_ids(auvo.io.changed("task", None))) == 4  # None: every task in the window


def test_changed_quotations_are_those_requested_within_the_horizon(auvo: Setup) -> None:
    since = auvo.now
    stage = {"id": 1, "description": "Aprovado"}
    recent = auvo.fake.add(
        "quotations",
        {
            "customerId": 3,
            "requestDate": _local(since - QUOTATION_HORIZON + timedelta(days=1)),
            "registerDate": _local(since - timedelta(days=80)),
            "currentStage": stage,
        },
    )
    auvo.fake.add(
        "quotations",
        {"customerId": 3, "requestDate": _local(since - QUOTATION_HORIZON - timedelta(days=1))},
    )

    seen = list(auvo.io.changed("quotation", since))
    assert [o.id for o in seen] == [str(recent["publicId"])]
    assert isinstance(seen[0].record, Quotation)
    assert seen[0].created_at == since - timedelta(days=80)
    assert len(_ids(auvo.io.changed("quotation", None))) == 2


def test_read_gives_one_record_or_none_when_auvo_has_none(auvo: Setup) -> None:
    customer = auvo.customer("Ana")
    task = auvo.task(auvo.now)
    quotation = auvo.fake.add("quotations", {"customerId": 3})

    auvo.side.calls.clear()
    found = auvo.io.read("customer", str(customer["id"]))
    assert found is not None
    assert found.id == str(customer["id"])
    assert found.record.model_dump(by_alias=True)["description"] == "Ana"
    task_found = auvo.io.read("task", str(task["taskID"]))
    assert task_found is not None
    assert isinstance(task_found.record, Task)
    quotation_found = auvo.io.read("quotation", str(quotation["publicId"]))
    assert quotation_found is not None
    assert quotation_found.id == str(quotation["publicId"])
    assert auvo.calls == 3

    assert auvo.io.read("customer", "999999") is None
    assert auvo.io.read("task", "999999") is None
    with pytest.raises(ValueError, match="no automation record 'ticket'"):
        auvo.io.read("ticket", "1")


# -- creates, found again by the reference ------------------------------------------------


def test_a_created_customer_is_found_by_its_reference(auvo: Setup) -> None:
    auvo.customer("Someone else", externalId="auto:visit:41@0123456789abcdef")
    assert auvo.io.find(CREATE_CUSTOMER, REFERENCE, None) is None

    payload = {"description": "Ana Lima", "cpfCnpj": "52998224725", "email": ["ana@x.com"]}
    auvo.side.calls.clear()
    created = auvo.io.act(CREATE_CUSTOMER, payload, REFERENCE, None)
    assert auvo.calls == 1
    stored = auvo.fake.data["customers"][created]
    assert stored["externalId"] == REFERENCE
    assert stored["description"] == "Ana Lima"

    assert auvo.io.find(CREATE_CUSTOMER, REFERENCE, None) == created
    assert auvo.calls == 2  # one page of the externalId filter
    assert auvo.io.reserve(CREATE_CUSTOMER, {"1"}) is None


def test_a_created_task_is_found_by_its_reference(auvo: Setup) -> None:
    dated = auvo.now + timedelta(days=200)
    payload = {
        "idUserFrom": 1,
        "customerId": 7,
        "taskType": 3,
        "taskDate": dated,
        "orientation": "Instalação",
        "priority": 2,
    }
    assert auvo.io.find(CREATE_TASK, REFERENCE, None) is None
    created = auvo.io.act(CREATE_TASK, payload, REFERENCE, None)
    stored = auvo.fake.data["tasks"][created]
    assert stored["externalId"] == REFERENCE
    assert stored["customerId"] == 7
    assert stored["taskDate"] == _local(dated)

    auvo.side.calls.clear()
    assert auvo.io.find(CREATE_TASK, REFERENCE, None) == created
    assert auvo.calls < 6  # the search stops at the piece of dates that holds it
    auvo.side.calls.clear()
    assert auvo.io.find(CREATE_TASK, "auto:visit:43@0123456789abcdef", None) is None
    assert auvo.calls == 6  # the externalId filter over the whole window, in 91-day pieces


@pytest.mark.parametrize(
    ("action", "path", "payload"),
    [
        (CREATE_CUSTOMER, "/v2/customers", {"description": "Ana Lima"}),
        (CREATE_TASK, "/v2/tasks", {"idUserFrom": 1, "taskDate": START + timedelta(days=3)}),
    ],
)
def test_a_create_whose_answer_was_lost_is_found(
    auvo: Setup, action: Action, path: str, payload: dict[str, Any]
) -> None:
    lost = lose_response(auvo.fake, "POST", path, httpx.ReadTimeout("lost"))
    with pytest.raises(APIError):
        auvo.io.act(action, payload, REFERENCE, None)
    assert lost == [path + "/"]
    collection = "customers" if action is CREATE_CUSTOMER else "tasks"
    [landed] = auvo.fake.data[collection]  # the create landed once: a POST is never resent
    assert auvo.io.find(action, REFERENCE, None) == landed


def test_a_reference_auvo_could_not_search_for_is_never_written(auvo: Setup) -> None:
    reference = "auto:visit, north:42@0123456789abcdef"
    with pytest.raises(RequestValidationError, match="comma"):
        auvo.io.find(CREATE_CUSTOMER, reference, None)
    with pytest.raises(RequestValidationError, match="comma"):
        auvo.io.act(CREATE_TASK, {"idUserFrom": 1}, reference, None)
    assert auvo.requests() == 0


# -- updates and statuses -----------------------------------------------------------------


def test_update_customer_writes_the_mapped_fields_of_the_customer_in_id(auvo: Setup) -> None:
    customer = auvo.customer("Ana", note="before", cpfCnpj="52998224725")
    ident = str(customer["id"])
    payload = {"id": customer["id"], "description": "Ana Lima", "note": "after"}

    assert auvo.io.find(UPDATE_CUSTOMER, REFERENCE, None) is None
    assert auvo.io.act(UPDATE_CUSTOMER, payload, REFERENCE, None) == ident
    stored = auvo.fake.data["customers"][ident]
    assert (stored["description"], stored["note"], stored["cpfCnpj"]) == (
        "Ana Lima",
        "after",
        "52998224725",  # not in the map: left as it was
    )
    assert "externalId" not in stored  # an update carries no reference


def test_set_status_sets_a_customers_active_flag(auvo: Setup) -> None:
    customer = auvo.customer("Ana", active=True)
    ident = str(customer["id"])

    assert auvo.io.find(DEACTIVATE, REFERENCE, None) is None
    assert auvo.io.act(DEACTIVATE, {"id": ident}, REFERENCE, None) == ident
    assert auvo.fake.data["customers"][ident]["active"] is False
    activate = Action("auvo", "set_status", record="customer", status=True)
    auvo.io.act(activate, {"id": ident}, REFERENCE, None)
    assert auvo.fake.data["customers"][ident]["active"] is True


@pytest.mark.parametrize(
    ("action", "payload", "field", "reason"),
    [
        (
            Action("auvo", "set_status", record="task", status="finished"),
            {"taskID": 5},
            "action.record",
            "sets no task's status.*customer \\(active or inactive\\)",
        ),
        (
            Action("auvo", "set_status", record="quotation", status="approved"),
            {"publicId": 5},
            "action.record",
            "read-only",
        ),
        (
            Action("auvo", "set_status", record="customer", status="closed"),
            {"id": 5},
            "action.status",
            "active or inactive .*not 'closed'",
        ),
        (DEACTIVATE, {"id": 5, "note": "x"}, "note", "status only"),
        (DEACTIVATE, {}, "id", "by its id"),
    ],
)
def test_set_status_refuses_what_auvo_cannot_set(
    auvo: Setup, action: Action, payload: dict[str, Any], field: str, reason: str
) -> None:
    with pytest.raises(RequestValidationError, match=reason) as refused:
        auvo.io.act(action, payload, REFERENCE, None)
    assert refused.value.field == field
    assert auvo.requests() == 0


# -- payloads refused before any request --------------------------------------------------


@pytest.mark.parametrize(
    ("action", "payload", "field"),
    [
        (CREATE_TASK, {"idUserFrom": 1, "colour": "blue"}, "colour"),  # no such field
        (CREATE_TASK, {"idUserFrom": 1, "taskDate": "next week"}, "taskDate"),
        (CREATE_TASK, {"customerId": 7}, "idUserFrom"),  # required on create
        (CREATE_TASK, {"idUserFrom": 1, "taskID": 9}, "taskID"),  # Auvo gives ids
        (CREATE_TASK, {"idUserFrom": 1, "externalId": "mine"}, "externalId"),  # the reference's
        (CREATE_CUSTOMER, {"cpfCnpj": "52998224725"}, "description"),  # the name
        (CREATE_CUSTOMER, {"description": "Ana", "cpfCnpj": "123"}, "cpfCnpj"),
        (CREATE_CUSTOMER, {"description": "Ana", "creationDate": "2025-01-01"}, "creationDate"),
        (UPDATE_CUSTOMER, {"description": "Ana"}, "id"),  # which customer?
        (UPDATE_CUSTOMER, {"id": "x12", "description": "Ana"}, "id"),
        (UPDATE_CUSTOMER, {"id": 5}, "payload"),  # nothing to change
    ],
)
def test_a_bad_payload_is_refused_before_any_request(
    auvo: Setup, action: Action, payload: dict[str, Any], field: str
) -> None:
    with pytest.raises(RequestValidationError) as refused:
        auvo.io.act(action, payload, REFERENCE, None)
    assert refused.value.field.split(".")[0] == field  # pydantic may add where in the type
    assert auvo.requests() == 0
    assert auvo.calls == 0


# -- lookups ------------------------------------------------------------------------------


def test_a_product_is_looked_up_by_external_id_then_by_code(auvo: Setup) -> None:
    sku = auvo.fake.add(
        "products",
        {"productId": "guid-1", "externalId": "SKU-1", "name": "Filtro", "unitaryValue": 12.5},
    )
    numbered = auvo.fake.add("products", {"productId": "guid-2", "name": "Bomba"})

    assert auvo.io.lookup("product", "SKU-1", "productId") == "guid-1"
    assert auvo.io.lookup("product", "SKU-1", "unitaryValue") == Decimal("12.5")
    assert auvo.io.lookup("product", sku["id"], "id") == sku["id"]  # a code: its URL number
    assert auvo.io.lookup("product", str(numbered["id"]), "name") == "Bomba"

    auvo.side.calls.clear()
    auvo.io.lookup("product", "SKU-1", "name")  # kept for the pass
    assert auvo.calls == 0


def test_a_product_lookup_fails_with_the_reason(auvo: Setup) -> None:
    auvo.fake.add("products", {"productId": "a", "externalId": "TWICE", "name": "A"})
    auvo.fake.add("products", {"productId": "b", "externalId": "TWICE", "name": "B"})
    auvo.fake.add("products", {"productId": "c", "externalId": "BARE"})

    with pytest.raises(LookupFailed, match=r"no Auvo product .*'SKU-9'"):
        auvo.io.lookup("product", "SKU-9", "id")
    with pytest.raises(LookupFailed, match=r"no Auvo product .*'424242'"):
        auvo.io.lookup("product", 424242, "id")  # not a code either
    with pytest.raises(LookupFailed, match="2 Auvo products have the external id 'TWICE'"):
        auvo.io.lookup("product", "TWICE", "id")
    with pytest.raises(LookupFailed, match="has no name"):
        auvo.io.lookup("product", "BARE", "name")
    with pytest.raises(LookupFailed, match="no Auvo product"):
        auvo.io.lookup("product", None, "id")


def test_a_service_is_looked_up_by_id_then_by_title(auvo: Setup) -> None:
    install = auvo.fake.add("services", {"title": "Instalação", "price": 150.0})
    auvo.fake.add("services", {"title": "Visita"})
    auvo.fake.add("services", {"title": "visita "})

    assert auvo.io.lookup("service", install["id"], "title") == "Instalação"
    assert auvo.io.lookup("service", "INSTALAÇÃO", "id") == install["id"]
    assert auvo.io.lookup("service", "instalação", "price") == Decimal("150")
    assert auvo.calls == 1  # every service read once, then kept for the pass

    with pytest.raises(LookupFailed, match="2 Auvo services are titled 'Visita'"):
        auvo.io.lookup("service", "Visita", "id")
    with pytest.raises(LookupFailed, match=r"no Auvo service .*'Manutenção'"):
        auvo.io.lookup("service", "Manutenção", "id")
    with pytest.raises(ValueError, match="a product or a service, not 'customer'"):
        auvo.io.lookup("customer", "1", "id")
