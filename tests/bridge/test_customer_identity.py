"""A customer exists exactly once on each side, and is never joined to another.

A customer with neither CPF/CNPJ nor e-mail has nothing the other side can find it by, so the
bridge gives it a reference it controls: the ERP record of an Auvo customer carries
``auvo-customer:<id>`` (in a field the ERP's customer search filters on: each adapter's
module says which), and the Auvo record of an ERP customer
carries ``externalId`` ``<erp>:<id>``. A create whose answer is lost, or a run that crashes
between the create and the link, is found again by it: in every direction the passes settle
with one record on each side.

A search that finds more than one candidate, or a record already linked to another, links
nothing: the customer is reported as needing a person, and no sale is billed to the other.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from bridge.engine import run
from bridge.erp.registry import erp_names
from bridge.report import SyncReport
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse

from .conftest import World, make_world
from .erp.drivers import driver

AUVO_ONLY = "Seu Joaquim"  # an Auvo customer with neither CPF/CNPJ nor e-mail
ERP_ONLY = "Dona Rosa"  # an ERP customer with neither
DIRECTIONS = ("auvo_to_erp", "erp_to_auvo", "both")


class Crash(BaseException):
    """The process dies: nothing after it runs, not even the stream's error handling."""


def _local(moment: datetime) -> str:
    return moment.astimezone(SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")


def _world(erp: str, tmp_path: Path, name: str = "bridge.sqlite3") -> tuple[World, FakeClock]:
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, name, clock=clock)
    now = datetime.fromtimestamp(clock.time(), UTC)
    world.auvo.add(
        "customers",
        {"id": 50, "description": AUVO_ONLY, "creationDate": _local(now - timedelta(days=2))}
        | {"dateLastUpdate": _local(now - timedelta(days=2))},
    )
    driver(erp).add_customer(world, ERP_ONLY)
    return world, clock


def _pass(
    world: World, clock: FakeClock, direction: str, hook: Callable[[str, str], None] | None = None
) -> SyncReport:
    try:
        return run(
            world.config(customers_direction=direction),
            world.store,
            auvo=world.auvo.client(clock=clock),
            erp=world.erp_client,
            hook=hook,
            now=lambda: datetime.fromtimestamp(clock.time(), UTC),
        )
    finally:
        clock.advance(600)


def _erp_names(world: World) -> Counter[str]:
    return Counter(name for _, name, _ in driver(world.erp).customers(world))


def _auvo_names(world: World) -> Counter[str]:
    return Counter(str(c.get("description")) for c in world.auvo.data["customers"].values())


def lose_create(fake: FakeAPI, prefix: str, name: str) -> list[str]:
    """The create of the customer called ``name`` reaches the fake and is made, then its
    answer is lost: the client sees a timeout."""
    original = fake.handle
    lost: list[str] = []

    def handle(request: FakeRequest) -> FakeResponse:
        response = original(request)
        if not lost and request.method == "POST" and request.path.startswith(prefix):
            body = request.json() or {}
            if name in (body.get("name"), body.get("nome"), body.get("description")):
                lost.append(name)
                raise httpx.ReadTimeout("lost")
        return response

    fake.handle = handle  # type: ignore[method-assign]
    return lost


def _settles(world: World, clock: FakeClock, direction: str) -> None:
    """Passes until nothing changes; then each customer is on each side it should be, once."""
    for _ in range(4):
        last = _pass(world, clock, direction)
    assert last.changed == 0, last.to_dict()
    errors = [e["ref"] for s in last.streams.values() for e in s.errors]
    assert set(errors) <= {"task:505"}, errors  # the compressor no ERP sells, at its turn
    if direction in ("auvo_to_erp", "both"):
        assert _erp_names(world)[AUVO_ONLY] == 1, _erp_names(world)
    if direction in ("erp_to_auvo", "both"):
        assert _auvo_names(world)[ERP_ONLY] == 1, _auvo_names(world)
    assert _auvo_names(world)[AUVO_ONLY] == 1, _auvo_names(world)
    assert _erp_names(world)[ERP_ONLY] == 1, _erp_names(world)
    assert [d.ref for d in world.store.dead_letters("demo")] == ["task:505"]


CASES = [
    (direction, side)
    for direction in DIRECTIONS
    for side in ("to_erp", "to_auvo")
    if direction == "both" or direction.endswith(side)
]


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize(("direction", "side"), CASES)
def test_a_lost_create_answer_finds_the_customer_again(
    erp: str, direction: str, side: str, tmp_path: Path
) -> None:
    world, clock = _world(erp, tmp_path)
    if side == "to_erp":
        lost = lose_create(world.fake_erp, driver(erp).paths["customers"], AUVO_ONLY)
    else:
        lost = lose_create(world.auvo, "/v2/customers", ERP_ONLY)
    first = _pass(world, clock, direction)
    assert lost, "the create's answer was never lost"
    assert first.streams["customers"].failed == 1
    _settles(world, clock, direction)


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize(("direction", "side"), CASES)
def test_a_crash_between_create_and_link_finds_the_customer_again(
    erp: str, direction: str, side: str, tmp_path: Path
) -> None:
    world, clock = _world(erp, tmp_path)
    wanted = "customer:50" if side == "to_erp" else "erp-customer:"
    crashed: list[str] = []

    def hook(step: str, ref: str) -> None:
        if step == "create" and ref.startswith(wanted) and not crashed:
            if side == "to_auvo" and ERP_ONLY not in _auvo_names(world):
                return  # another ERP customer's create: not the one without identity
            crashed.append(ref)
            raise Crash(ref)

    with pytest.raises(Crash):
        _pass(world, clock, direction, hook)
    assert crashed
    _settles(world, clock, direction)


# -- ambiguity ------------------------------------------------------------------------------


def _task(world: World, clock: FakeClock, task_id: int, customer: int) -> None:
    from bridge.demo import FILTER

    when = datetime.fromtimestamp(clock.time(), UTC) - timedelta(days=1)
    world.auvo.add(
        "tasks",
        {
            "taskID": task_id,
            "idUserFrom": 1,
            "idUserTo": 2,
            "customerId": customer,
            "taskType": 1,
            "taskDate": _local(when),
            "creationDate": _local(when),
            "dateLastUpdate": _local(when),
            "finished": True,
            "taskStatus": 5,
            "products": [
                {
                    "productId": FILTER,
                    "name": "Filtro de ar",
                    "quantity": "1",
                    "unitaryValue": "45.90",
                    "totalValue": "45.90",
                }
            ],
            "services": [],
            "additionalCosts": [],
            "_finishedBy": "manual",
        },
    )


def _auvo_customer(world: World, ident: int, name: str, email: str, document: str = "") -> None:
    record: dict[str, Any] = {"id": ident, "description": name, "email": [email]}
    if document:
        record["cpfCnpj"] = document
    world.auvo.add("customers", record)


def _sale_customers(world: World) -> dict[str, str]:
    """The ERP customer's name on each sale, by the sale's reference."""
    return driver(world.erp).sale_customers(world)


def _errors(report: SyncReport, stream: str) -> dict[str, str]:
    return {e["ref"]: e["error"] for e in report.streams[stream].errors}


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize("direction", ["auvo_to_erp", "both"])
def test_two_auvo_customers_sharing_an_email_are_not_joined(
    erp: str, direction: str, tmp_path: Path
) -> None:
    world, clock = _world(erp, tmp_path)
    _auvo_customer(world, 60, "Ana Lima", "familia.lima@example.com")
    _auvo_customer(world, 61, "Bruno Lima", "familia.lima@example.com")
    _task(world, clock, 900, 60)
    _task(world, clock, 901, 61)
    for _ in range(3):
        report = _pass(world, clock, direction)
        customers, tasks = _errors(report, "customers"), _errors(report, "tasks")
        if "customer:61" in customers:  # reported whenever it is tried: never silently
            assert "AmbiguousMatch" in customers["customer:61"]
            assert "Auvo customer 60" in customers["customer:61"]
        if "task:901" in tasks:
            assert "AmbiguousMatch" in tasks["task:901"]
    sales = _sale_customers(world)
    assert not any(ref.startswith("task:901") for ref in sales), sales  # not billed to Ana
    assert {n for ref, n in sales.items() if ref.startswith("task:900")} == {"Ana Lima"}
    assert _erp_names(world)["Ana Lima"] == 1
    assert _erp_names(world)["Bruno Lima"] == 0  # left for a person, not guessed
    ana = world.store.get_link("demo", "customer", "60")
    assert ana is not None
    assert world.store.get_link("demo", "customer", "61") is None
    letters = {d.ref: d.reason for d in world.store.dead_letters("demo")}
    assert "AmbiguousMatch" in letters["customer:61"]
    assert "AmbiguousMatch" in letters["task:901"]


@pytest.mark.parametrize("erp", erp_names())
def test_two_erp_customers_sharing_an_email_are_not_guessed_between(
    erp: str, tmp_path: Path
) -> None:
    world, clock = _world(erp, tmp_path)
    for name in ("Carla Souza", "Carlos Souza"):
        driver(erp).add_customer(world, name, "souza@example.com")
    _auvo_customer(world, 70, "C. Souza", "souza@example.com")
    _task(world, clock, 902, 70)
    report = _pass(world, clock, "auvo_to_erp")
    reason = _errors(report, "customers")["customer:70"]
    assert "AmbiguousMatch" in reason
    assert f"2 {erp} customers" in reason
    assert "AmbiguousMatch" in _errors(report, "tasks")["task:902"]
    assert world.store.get_link("demo", "customer", "70") is None
    assert not any(ref.startswith("task:902") for ref in _sale_customers(world))
    assert _erp_names(world)["C. Souza"] == 0


@pytest.mark.parametrize("erp", erp_names())
def test_an_email_shared_by_customers_with_different_documents_is_no_match(
    erp: str, tmp_path: Path
) -> None:
    """An accountant's e-mail on two companies: different CNPJs are different customers."""
    world, clock = _world(erp, tmp_path)
    _auvo_customer(world, 80, "Padaria Irmãos", "contador@example.com", "11444777000161")
    _auvo_customer(world, 81, "Mercado Irmãos", "contador@example.com", "22333444000181")
    _task(world, clock, 903, 80)
    _task(world, clock, 904, 81)
    for _ in range(2):
        report = _pass(world, clock, "auvo_to_erp")
    assert report.changed == 0
    sales = _sale_customers(world)
    assert {n for ref, n in sales.items() if ref.startswith("task:903")} == {"Padaria Irmãos"}
    assert {n for ref, n in sales.items() if ref.startswith("task:904")} == {"Mercado Irmãos"}


@pytest.mark.parametrize("erp", erp_names())
def test_the_reference_is_in_a_field_the_erp_searches(erp: str, tmp_path: Path) -> None:
    """Only the customer with neither CPF/CNPJ nor e-mail carries it, and the ERP's own
    customer search finds it (as a person searching the ERP would)."""
    world, clock = _world(erp, tmp_path)
    _pass(world, clock, "auvo_to_erp")
    found, marked = driver(erp).search_reference(world, "auvo-customer:50")
    assert found == [AUVO_ONLY]
    assert marked == [AUVO_ONLY]
