from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import bridge
from bridge import ConfigError, SQLiteStore, TenantBusy
from bridge.context import STEPS
from bridge.engine import run
from bridge.erp.registry import erp_kind, erp_names
from sdkcore.clock import FakeClock

from .conftest import World, erp_table, make_world
from .erp.drivers import driver


def sync(world: World, **changes: Any) -> bridge.SyncReport:
    return bridge.sync(
        world.config(**changes), world.store, auvo=world.auvo.client(), erp=world.erp_client
    )


def test_first_sync_bills_tasks_and_second_changes_nothing(world: World) -> None:
    first = sync(world)
    tasks = first.streams["tasks"]
    assert tasks.created == 3
    assert tasks.skip_reasons["no values (products, services or additional costs)"] == 1
    assert tasks.failed == 1  # the compressor the ERP does not sell
    assert first.streams["quotations"].created == 1
    assert first.api_calls["auvo"] > 0
    assert first.api_calls[world.erp] > 0
    second = sync(world)
    assert second.changed == 0
    assert all(count == 1 for count in world.sales().values())
    assert json.loads(second.to_json())["streams"]["tasks"]["created"] == 0


def test_crash_after_every_step_gives_exactly_one_sale(tmp_path: Path) -> None:
    class Crash(BaseException):
        pass

    for erp in erp_names():
        for step in STEPS:
            world = make_world(erp, tmp_path, f"{erp}-{step}.sqlite3")
            crashed: list[str] = []

            def hook(at: str, ref: str, step: str = step, crashed: list[str] = crashed) -> None:
                if at == step and ref.startswith("task:") and not crashed:
                    crashed.append(ref)
                    raise Crash(ref)

            with pytest.raises(Crash):
                run(
                    world.config(),
                    world.store,
                    auvo=world.auvo.client(),
                    erp=world.erp_client,
                    hook=hook,
                )
            sync(world)
            sync(world)
            sales = world.sales()
            assert crashed[0] in sales, (erp, step)
            assert all(count == 1 for count in sales.values()), (erp, step, sales)
            billed = {ref.split(":")[1] for ref in sales if ref.startswith("task:")}
            assert billed == {"500", "501", "506"}, (erp, step)
            for task in ("500", "501", "506"):
                customer = world.auvo.data["tasks"][task]["customerId"]
                assert world.store.get_link("demo", "customer", str(customer)) is not None


def test_dead_letter_is_retried_and_cleared(world: World) -> None:
    sync(world)
    letters = world.store.dead_letters("demo", "tasks")
    assert [d.ref for d in letters] == ["task:505"]
    world.auvo.data["tasks"]["505"]["products"] = []
    world.auvo.data["tasks"]["505"]["services"] = [
        {
            "id": "11111111-1111-1111-1111-111111111111",
            "name": "Mão de obra",
            "quantity": 1,
            "unitaryValue": 150,
        }
    ]
    report = sync(world)
    assert report.streams["tasks"].created == 1
    assert world.store.dead_letters("demo", "tasks") == []


def test_dry_run_writes_nothing(world: World) -> None:
    report = bridge.sync(
        world.config(), world.store, dry_run=True, auvo=world.auvo.client(), erp=world.erp_client
    )
    assert report.dry_run
    assert report.streams["tasks"].created == 3
    assert not world.sales()
    assert world.store.last_run("demo") is None


def test_filters(world: World) -> None:
    report = sync(world, tasks_task_types=["Instalação"], quotations_enabled=False)
    assert report.streams["tasks"].skip_reasons["task type not selected"] >= 1
    with pytest.raises(ConfigError, match="'Manutenção preventiva'"):
        sync(world, tasks_task_types=["Nope"])
    with pytest.raises(ConfigError, match="'Contratos'"):
        sync(world, tasks_customer_group="Nope")
    report = sync(world, tasks_customer_group="Avulsos", quotations_enabled=False)
    assert report.streams["tasks"].created == 0  # customer 3's tasks have no ERP items


def test_tasks_disabled_quotation_still_billed_once(world: World) -> None:
    report = sync(world, tasks_enabled=False)
    assert "tasks" not in report.streams
    assert report.streams["quotations"].created == 1
    sync(world)
    assert world.sales()["quotation:1"] == 1 or world.sales()["quotation:1:products"] == 1


def test_second_run_for_a_busy_tenant_skips(world: World) -> None:
    other = SQLiteStore(world.store.path)
    assert other.acquire_lock("demo", "someone-else", 60)
    with pytest.raises(TenantBusy):
        sync(world)
    other.release_lock("demo", "someone-else")
    assert sync(world).streams["tasks"].created == 3


def test_customers_erp_to_auvo(world: World) -> None:
    report = sync(world, customers_direction="erp_to_auvo", tasks_enabled=False)
    assert report.streams["customers"].created + report.streams["customers"].linked >= 2
    names = {c["description"] for c in world.auvo.data["customers"].values()}
    assert driver(world.erp).demo_only_customer in names
    again = sync(world, customers_direction="erp_to_auvo", tasks_enabled=False)
    assert again.changed == 0


def test_both_directions_later_change_wins(world: World) -> None:
    sync(world, tasks_enabled=False)
    link = world.store.get_link("demo", "customer", "1")
    assert link is not None
    # Auvo changes customer 1: the ERP gets it, and nothing echoes back.
    client = world.auvo.client()
    client.customers.patch(1, {"name": "Padaria Pão Quente ME"})
    report = sync(world, tasks_enabled=False)
    assert report.streams["customers"].updated == 1
    again = sync(world, tasks_enabled=False)
    assert again.changed == 0


@pytest.mark.parametrize("erp_changed_last", [True, False], ids=["erp-later", "auvo-later"])
@pytest.mark.parametrize("erp", erp_names())
def test_both_sides_changed_the_later_change_wins(
    tmp_path: Path, erp: str, erp_changed_last: bool
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, clock=clock)
    auvo = world.auvo.client(clock=clock)
    config = world.config(tasks_enabled=False, quotations_enabled=False)

    def once() -> bridge.SyncReport:
        return bridge.sync(config, world.store, auvo=auvo, erp=world.erp_client)

    once()
    link = world.store.get_link("demo", "customer", "1")
    assert link is not None
    changes = [
        lambda: auvo.customers.patch(1, {"name": "Padaria (Auvo)"}),
        lambda: driver(world.erp).rename_customer(world, link.erp_id, "Padaria (ERP)"),
    ]
    if not erp_changed_last:
        changes.reverse()
    for change in changes:
        clock.advance(120)
        change()
    clock.advance(120)
    report = once()
    conflicts = report.streams["customers"].conflicts
    winner = erp if erp_changed_last else "auvo"
    assert [(c["ref"], c["kept"]) for c in conflicts] == [("customer:1", winner)]
    assert f"conflict customer:1: {winner} kept" in report.table()
    expected = "Padaria (ERP)" if erp_changed_last else "Padaria (Auvo)"
    assert driver(world.erp).customer_name(world, link.erp_id) == expected
    assert world.auvo.data["customers"]["1"]["description"] == expected
    clock.advance(120)
    assert once().changed == 0  # the winner's write is not echoed back


def test_a_new_store_links_the_sales_already_made(world: World, tmp_path: Path) -> None:
    """The ERP is searched before every create: a lost (or new) store duplicates nothing,
    on an ERP whose sale list carries the bridge's reference (``ErpKind.sales_searchable``;
    the others find a sale again through the key the store recorded, ``test_reservations``)."""
    if not erp_kind(world.erp).sales_searchable:
        pytest.skip("its sales are found again through the store's reservations only")
    first = sync(world)
    made = world.sales()
    world.store = SQLiteStore(tmp_path / "new.sqlite3")
    again = sync(world)
    assert world.sales() == made
    assert again.streams["tasks"].created == 0
    assert again.streams["tasks"].linked == first.streams["tasks"].created
    assert again.streams["quotations"].linked == first.streams["quotations"].created


def _overdue_scenario(
    tmp_path: Path, erp: str, **settings: Any
) -> tuple[Callable[[float], bridge.SyncReport], Any]:
    """A world synced once, then an overdue visit (dated 40 days ago) finished just now.
    Returns a pass after ``n`` seconds, and the world."""
    from datetime import UTC, datetime, timedelta

    from sdkcore.dates import format_local

    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, clock=clock)
    auvo = world.auvo.client(clock=clock)
    config = world.config(**settings)

    def now() -> datetime:
        return datetime.fromtimestamp(clock.time(), UTC)

    def one_pass(after: float = 600) -> bridge.SyncReport:
        clock.advance(after)
        return run(config, world.store, auvo=auvo, erp=world.erp_client, now=now)

    one_pass()
    overdue = dict(world.auvo.data["tasks"]["500"], taskID=950)
    overdue["taskDate"] = format_local(now() - timedelta(days=40), sep="T")
    overdue["dateLastUpdate"] = format_local(now(), sep="T")
    world.auvo.add("tasks", overdue)
    return one_pass, world


@pytest.mark.parametrize("erp", erp_names())
def test_a_task_dated_outside_the_window_is_billed_by_the_daily_wide_pass(
    tmp_path: Path, erp: str
) -> None:
    """The usual pass does not read 40 days back; the wide pass, once a day, bills it."""
    one_pass, world = _overdue_scenario(tmp_path, erp)
    assert one_pass().streams["tasks"].created == 0  # outside the usual window
    assert one_pass(24 * 3600).streams["tasks"].created == 1
    assert {r for r in world.sales() if r.startswith("task:950")}
    assert one_pass().changed == 0


@pytest.mark.parametrize("erp", erp_names())
def test_the_wide_pass_follows_its_settings(tmp_path: Path, erp: str) -> None:
    from datetime import timedelta

    for name in ("hourly", "short"):
        (tmp_path / name).mkdir()
    hourly, _ = _overdue_scenario(tmp_path / "hourly", erp, tasks_wide_every=timedelta(hours=1))
    assert hourly().streams["tasks"].created == 0
    assert hourly(3600).streams["tasks"].created == 1  # an hour, not a day
    short, world = _overdue_scenario(tmp_path / "short", erp, tasks_wide_back="30d")
    assert short(24 * 3600).streams["tasks"].created == 0  # 40 days is beyond its reach
    assert not {r for r in world.sales() if r.startswith("task:950")}


def test_wide_pass_settings_are_read_from_toml() -> None:
    from datetime import timedelta

    text = f"""
{erp_table()}
[tasks]
wide_every = "6h"
wide_back = "365d"
wide_ahead = "7d"
"""
    config = bridge.BridgeConfig.from_toml(text)
    assert config.tasks_wide_every == timedelta(hours=6)
    assert config.tasks_wide_back == timedelta(days=365)
    assert config.tasks_wide_ahead == timedelta(days=7)
    with pytest.raises(ConfigError, match=r"tasks\.wide_back"):
        bridge.BridgeConfig.from_toml(text.replace('"365d"', '"a year"'))
