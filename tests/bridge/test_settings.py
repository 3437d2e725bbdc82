"""A scenario per setting of ``BridgeConfig``, on the package fakes, for both ERPs.

The tasks are those of ``bridge.demo.seed_auvo`` (ids 500-507, dated in the week before now):

====  ==========================  ====================================  ========
task  status                      values                                customer
====  ==========================  ====================================  ========
500   finished by hand            product, service, additional cost     1
501   finished automatically      product                               2
502   opened (not finished)       service, additional cost              3
503   checked out (not finished)  none                                  1
504   paused (not finished)       product, service, additional cost     2
505   finished by hand            a product no ERP sells (dead letter)  3
506   finished by hand            service, additional cost              1
507   finished automatically      none                                  2
====  ==========================  ====================================  ========
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import bridge
from bridge import ConfigError, SQLiteStore

from .conftest import World
from .erp.drivers import driver

NO_VALUES = "no values (products, services or additional costs)"


def sync(world: World, **changes: Any) -> bridge.SyncReport:
    return bridge.sync(
        world.config(**changes), world.store, auvo=world.auvo.client(), erp=world.erp_client
    )


def billed(world: World) -> set[int]:
    """Ids of the tasks that have a sale."""
    return {int(ref.split(":")[1]) for ref in world.sales() if ref.startswith("task:")}


def task_date(world: World, task: int) -> date:
    return datetime.fromisoformat(world.auvo.data["tasks"][str(task)]["taskDate"]).date()


@pytest.mark.parametrize(
    ("status", "expected", "without_values", "failed"),
    [
        ("all", {500, 501, 502, 504, 506}, 2, 1),
        ("not_finished", {502, 504}, 1, 0),
        ("finished_automatically", {501}, 1, 0),
        ("finished_manually", {500, 506}, 0, 1),
        ("finished_automatically_or_manually", {500, 501, 506}, 1, 1),
    ],
)
def test_tasks_status(
    world: World, status: str, expected: set[int], without_values: int, failed: int
) -> None:
    report = sync(world, tasks_status=status, quotations_enabled=False)
    tasks = report.streams["tasks"]
    assert billed(world) == expected
    assert tasks.created == len(expected)
    assert tasks.skip_reasons[NO_VALUES] == without_values
    assert tasks.failed == failed
    assert sync(world, tasks_status=status, quotations_enabled=False).changed == 0


def test_tasks_disabled(world: World) -> None:
    report = sync(world, tasks_enabled=False, quotations_enabled=False)
    assert "tasks" not in report.streams
    assert billed(world) == set()


def _task_type_names(world: World) -> dict[int, str]:
    return {t.id: t.description for t in world.auvo.client().task_types.list() if t.id}


def test_task_types(world: World) -> None:
    names = _task_type_names(world)
    report = sync(world, tasks_task_types=[names[1]], quotations_enabled=False)
    assert billed(world) == {500, 506}  # the billable tasks of type 1
    # 501, 505 and 507 are found (finished) but of other types
    assert report.streams["tasks"].skip_reasons["task type not selected"] == 3
    with pytest.raises(ConfigError, match=r"tasks\.task_types") as raised:
        sync(world, tasks_task_types=["Nope"])
    assert repr(names[1]) in str(raised.value)  # the error lists the types Auvo has


CUSTOMER = {500: 1, 501: 2, 502: 3, 503: 1, 504: 2, 505: 3, 506: 1, 507: 2}
BILLABLE = {500, 501, 502, 504, 506}  # with tasks.status = "all"


def test_customer_group(world: World) -> None:
    groups = {g.description: g.id for g in world.auvo.client().customer_groups.list()}
    members = {
        name: {
            int(c["id"])
            for c in world.auvo.data["customers"].values()
            if ident in (c.get("groupsId") or [])
        }
        for name, ident in groups.items()
    }
    for name, ids in sorted(members.items()):
        if not ids or ids >= {1, 2, 3}:
            continue  # a group that selects nothing, or everyone, tells nothing
        world.store = type(world.store)(":memory:")  # a first sync for each group
        report = sync(
            world, tasks_customer_group=name, tasks_status="all", quotations_enabled=False
        )
        expected = {t for t in BILLABLE if CUSTOMER[t] in ids}
        made = {t for t in billed(world) if CUSTOMER[t] in ids}
        assert made == expected, name
        assert report.streams["tasks"].created == len(expected), name
    with pytest.raises(ConfigError, match=r"tasks\.customer_group"):
        sync(world, tasks_customer_group="Nope")


def test_initial_lookback(world: World, tmp_path: Path) -> None:
    # 500 and 506 are one day (plus some hours) old, 501 two days and an hour.
    sync(world, initial_lookback=timedelta(days=2), quotations_enabled=False)
    assert billed(world) == {500, 506}
    # It bounds the first sync only: later passes read what changed since the bookmark.
    sync(world, initial_lookback=timedelta(days=30), quotations_enabled=False)
    assert billed(world) == {500, 506}
    world.store = SQLiteStore(tmp_path / "first-again.sqlite3")
    sync(world, initial_lookback=timedelta(days=30), quotations_enabled=False)
    assert billed(world) == {500, 501, 506}


def _quotation_stages(world: World) -> dict[int, str]:
    return {
        q.id: q.current_stage.description
        for q in world.auvo.client().quotations.list()
        if q.id and q.current_stage and q.current_stage.description
    }


def test_quotations_status(world: World) -> None:
    stages = _quotation_stages(world)
    assert len(set(stages.values())) > 1, "the fake seeds quotations at more than one stage"
    stage = world.config().quotations_status
    at_stage = {q for q, s in stages.items() if s == stage}
    report = sync(world, tasks_enabled=False)
    quotations = report.streams["quotations"]
    assert quotations.created + quotations.failed + quotations.skipped == len(at_stage)
    assert quotations.created >= 1
    refs = {ref for ref in world.sales() if ref.startswith("quotation:")}
    assert {int(ref.split(":")[1]) for ref in refs} <= at_stage
    other = next(s for s in stages.values() if s != stage)
    report = sync(world, tasks_enabled=False, quotations_status=other)
    assert report.streams["quotations"].created >= 1
    refs = {int(r.split(":")[1]) for r in world.sales() if r.startswith("quotation:")}
    assert refs - at_stage <= {q for q, s in stages.items() if s == other}


def test_quotations_disabled(world: World) -> None:
    report = sync(world, quotations_enabled=False)
    assert "quotations" not in report.streams
    assert not any(ref.startswith("quotation:") for ref in world.sales())


def _installments(world: World, task: int) -> list[tuple[date, Decimal]]:
    return driver(world.erp).installments(world, task)


def _total(world: World, task: int) -> Decimal:
    return driver(world.erp).task_total(world, task)


def test_payment_terms_default_one_installment_on_the_task_date(world: World) -> None:
    sync(world, quotations_enabled=False)
    for task in (500, 501, 506):
        payments = _installments(world, task)
        # One sale per sale the ERP makes of it (products and services apart, on some).
        sales = sum(
            n for ref, n in driver(world.erp).demo_sales.items() if ref.startswith(f"task:{task}")
        )
        assert [day for day, _ in payments] == [task_date(world, task)] * sales
        assert sum(value for _, value in payments) == _total(world, task)


def test_payment_terms_in_installments(world: World) -> None:
    sync(world, payment_terms="30 60 90", quotations_enabled=False)
    for task in (500, 501, 506):
        payments = _installments(world, task)
        day = task_date(world, task)
        offsets = sorted({(d - day).days for d, _ in payments})
        assert offsets == [30, 60, 90]
        assert sum(value for _, value in payments) == _total(world, task)  # to the cent
        assert all(value == value.quantize(Decimal("0.01")) for _, value in payments)


def test_financial_account(world: World) -> None:
    # Not the account a sale gets without the setting.
    accounts = driver(world.erp).accounts(world)
    name = driver(world.erp).other_account(world)
    sync(world, financial_account=name, quotations_enabled=False)
    used = driver(world.erp).sale_accounts(world)
    assert {str(u) for u in used} == {accounts[name]}
    with pytest.raises(ConfigError, match=r"erp\.financial_account") as raised:
        sync(world, financial_account="Cofre")
    assert repr(name) in str(raised.value)  # the error lists the names the ERP has


def _erp_only_customer(world: World) -> str:
    return driver(world.erp).demo_only_customer


def test_customers_auvo_to_erp(world: World) -> None:
    before = set(world.auvo_customers())
    report = sync(
        world, customers_direction="auvo_to_erp", tasks_enabled=False, quotations_enabled=False
    )
    names = {c["description"] for c in world.auvo.data["customers"].values()}
    assert _erp_only_customer(world) not in names  # nothing moved into Auvo
    assert set(world.auvo_customers()) == before
    customers = report.streams["customers"]
    assert customers.created + customers.linked == len(before)
    assert all(world.store.get_link("demo", "customer", str(c)) for c in (1, 2, 3))
    assert sum(world.erp_customers().values()) == len(world.erp_customers())  # no duplicates


def test_customers_erp_to_auvo(world: World) -> None:
    erp_before = world.erp_customers()
    report = sync(
        world, customers_direction="erp_to_auvo", tasks_enabled=False, quotations_enabled=False
    )
    assert world.erp_customers() == erp_before  # nothing moved into the ERP
    names = {c["description"] for c in world.auvo.data["customers"].values()}
    assert _erp_only_customer(world) in names
    assert report.streams["customers"].created >= 1
    assert all(count == 1 for count in world.auvo_customers().values())


def test_customers_both(world: World) -> None:
    sync(world, customers_direction="both", tasks_enabled=False, quotations_enabled=False)
    names = {c["description"] for c in world.auvo.data["customers"].values()}
    assert _erp_only_customer(world) in names
    assert all(world.store.get_link("demo", "customer", str(c)) for c in (1, 2, 3))
    assert all(count == 1 for count in world.auvo_customers().values())
    assert all(count == 1 for count in world.erp_customers().values())
