"""Hypothesis, on both ERPs: for random task data, a second sync writes nothing and leaves
the ERP as the first left it (running twice equals running once); for random edits of
customers on both sides interleaved with passes, ``both`` converges to the later change."""

from __future__ import annotations

import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import bridge
from auvo.testing import FakeAuvo
from bridge import SQLiteStore
from bridge.demo import COMPRESSOR, FILTER, LABOUR, TRAVEL
from bridge.erp.registry import erp_names
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeAPI

from .conftest import World, make_world
from .erp.drivers import driver

WRITES = ("POST", "PUT", "PATCH", "DELETE")
ITEMS = (
    ("product", FILTER, "Filtro de ar"),
    ("product", COMPRESSOR, "Compressor"),  # not sold by the ERP: a dead letter
    ("service", LABOUR, "Mão de obra"),
    ("service", TRAVEL, "Deslocamento"),  # not every ERP's demo sells it
)
money = st.decimals(min_value=0, max_value=5000, places=2)
quantity = st.decimals(min_value=Decimal("0.5"), max_value=20, places=1)
line = st.tuples(st.sampled_from(ITEMS), quantity, money)
task = st.fixed_dictionaries(
    {
        "customer": st.integers(min_value=1, max_value=3),
        "status": st.sampled_from([(5, "manual"), (5, "auto"), (1, None), (4, None)]),
        "days_ago": st.integers(min_value=0, max_value=6),
        "lines": st.lists(line, max_size=3),
        "costs": st.lists(money, max_size=2),
    }
)


def _local(moment: datetime) -> str:
    return moment.astimezone(SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")


def _add_tasks(fake: FakeAuvo, tasks: list[dict[str, Any]]) -> None:
    now = datetime.now(UTC)
    for n, spec in enumerate(tasks):
        status, finished_by = spec["status"]
        when = now - timedelta(days=spec["days_ago"], hours=1 + n)
        products, services = [], []
        for (kind, guid, name), qty, price in spec["lines"]:
            entry = {"name": name, "quantity": str(qty), "unitaryValue": str(price)}
            entry["totalValue"] = f"{qty * price:.2f}"
            if kind == "product":
                products.append({"productId": guid, **entry})
            else:
                services.append({"id": guid, **entry})
        fake.add(
            "tasks",
            {
                "taskID": 700 + n,
                "idUserFrom": 1,
                "idUserTo": 2,
                "customerId": spec["customer"],
                "taskType": 1 + n % 3,
                "taskDate": _local(when),
                "creationDate": _local(when - timedelta(hours=1)),
                "dateLastUpdate": _local(when),
                "finished": finished_by is not None,
                "taskStatus": status,
                "products": products,
                "services": services,
                "additionalCosts": [
                    {"additionalCostId": str(i), "name": "Custo", "unitaryValue": str(v)}
                    for i, v in enumerate(spec["costs"])
                ],
                "_finishedBy": finished_by,
            },
        )


def _writes(fake: FakeAPI) -> int:
    return sum(r.method in WRITES for r in fake.requests)


def _erp_state(world: World) -> Any:
    return driver(world.erp).records(world, as_json=False)


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize("status", ["all", "finished_manually"])
@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tasks=st.lists(task, min_size=1, max_size=4))
def test_sync_twice_equals_sync_once(erp: str, status: str, tasks: list[dict[str, Any]]) -> None:
    world = make_world(erp, None, store=SQLiteStore(":memory:"))
    world.auvo.data["tasks"].clear()
    _add_tasks(world.auvo, tasks)
    config = world.config(tasks_status=status, quotations_enabled=False)

    def sync() -> bridge.SyncReport:
        return bridge.sync(config, world.store, auvo=world.auvo.client(), erp=world.erp_client)

    first = sync()
    assert first.status == ("partial" if first.failed else "ok")  # the compressor fails
    once = _erp_state(world)
    auvo_writes, erp_writes = _writes(world.auvo), _writes(world.fake_erp)
    second = sync()
    assert second.changed == 0, second.to_dict()
    assert (_writes(world.auvo), _writes(world.fake_erp)) == (auvo_writes, erp_writes)
    assert _erp_state(world) == once
    sales = world.sales()
    assert all(count == 1 for count in sales.values()), sales
    billed = Counter(ref.split(":")[1] for ref in sales)
    assert billed.keys() <= {str(700 + n) for n in range(len(tasks))}
    assert first.streams["tasks"].created == len(billed)


def _erp_port(world: World) -> Any:
    from bridge.adapters import CallCounter

    config = world.config()
    return config.erp_kind.adapter(world.erp_client, CallCounter())


def _names(world: World, wanted: set[str]) -> dict[str, tuple[str, str]]:
    """(Auvo name, ERP name) of the linked customers wanted (by Auvo id)."""
    erp = {c.id: c.data.name for c in _erp_port(world).customers()}
    auvo = {str(k): str(v.get("description")) for k, v in world.auvo.data["customers"].items()}
    links = world.store.links("demo", "customer")
    return {
        link.auvo_id: (auvo[link.auvo_id], erp[link.erp_id])
        for link in links
        if link.auvo_id in wanted
    }


edit = st.tuples(
    st.sampled_from(["auvo", "erp", "sync"]),
    st.integers(min_value=0, max_value=2),
    st.sampled_from(["Alfa Ltda", "Beta ME", "Gama SA"]),
)


@pytest.mark.parametrize("erp", erp_names())
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(edits=st.lists(edit, max_size=8))
def test_both_directions_converge_to_the_later_change(
    erp: str, edits: list[tuple[str, int, str]]
) -> None:
    """Random edits on either side, a minute apart, interleaved with passes. A model of the
    rule says what each pass must leave: a side changed when it holds something other than
    what was last synced; when both changed, the later edit wins. After the last pass every
    linked pair holds the model's name, and one more pass writes nothing."""
    from bridge.domain import CustomerData

    clock = FakeClock(start=time.time())
    world = make_world(erp, None, store=SQLiteStore(":memory:"), clock=clock)
    auvo = world.auvo.client(clock=clock)
    config = world.config(tasks_enabled=False, quotations_enabled=False)

    def sync() -> bridge.SyncReport:
        clock.advance(60)
        return bridge.sync(config, world.store, auvo=auvo, erp=world.erp_client)

    sync()
    links = list(world.store.links("demo", "customer"))
    # The model, per Auvo id: what each side held when last synced (a link may join two
    # different names: it was made by CPF/CNPJ), and each side's (name, edited at).
    synced = {
        key: dict(zip(("auvo", "erp"), pair, strict=True))
        for key, pair in _names(world, {link.auvo_id for link in links}).items()
    }
    sides = {
        key: {side: (name, 0.0) for side, name in held.items()} for key, held in synced.items()
    }

    def settle() -> None:
        for key, held in sides.items():
            changed = [side for side in held if held[side][0] != synced[key][side]]
            if changed:
                winner = max(changed, key=lambda side: held[side][1])
                name = held[winner][0]
                synced[key] = {"auvo": name, "erp": name}
                for side in held:
                    held[side] = (name, held[side][1])

    for side, index, name in edits:
        if side == "sync":
            sync()
            settle()
            continue
        clock.advance(60)
        link = links[index % len(links)]
        sides[link.auvo_id][side] = (name, clock.time())
        if side == "auvo":
            auvo.customers.patch(int(link.auvo_id), {"name": name})
        else:
            port = _erp_port(world)
            current = next(c for c in port.customers() if c.id == link.erp_id)
            fields = {f: getattr(current.data, f) for f in ("document", "email", "phone")}
            port.update_customer(link.erp_id, CustomerData(name=name, **fields))
    sync()
    settle()
    auvo_writes, erp_writes = _writes(world.auvo), _writes(world.fake_erp)
    again = sync()
    assert again.changed == 0, again.to_dict()
    assert (_writes(world.auvo), _writes(world.fake_erp)) == (auvo_writes, erp_writes)
    held = _names(world, set(synced))
    assert held == {key: (pair["auvo"], pair["erp"]) for key, pair in synced.items()}, edits
