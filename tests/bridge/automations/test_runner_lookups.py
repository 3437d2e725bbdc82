"""A ``customer`` lookup across systems: the customer the bridge linked, or linked and
created first through the customers stream's own write (on the fakes of Auvo and of each ERP
that offers automations). Both systems' automation I/O are ``Double``s (see
``test_runner``): the lookup, not the action, is under test here."""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path

import attrs
import pytest
from pydantic import BaseModel

from bridge.automations import Action, Automation, Trigger, catalogue, surface
from bridge.erp.registry import ERP_MODULES, erp_kind, erp_names

from ..erp.drivers import driver
from .test_runner import NAME, T0, Double, Passes, counts, install_double, passes_for

OFFERING = [name for name in erp_names() if erp_kind(name).automations.offered]


def install_erp_double(monkeypatch: pytest.MonkeyPatch, erp: str) -> Double:
    """A ``Double`` as the ERP ``erp``'s automation I/O (built over the pass's ERP port)."""
    module = importlib.import_module(ERP_MODULES[erp])
    kind = module.KIND
    fake = Double(kind.automations.records)

    def io(port: object) -> Double:
        fake.ports.append(port)
        return fake

    automations = attrs.evolve(kind.automations, io=io)
    monkeypatch.setattr(module, "KIND", attrs.evolve(kind, automations=automations))
    return fake


def _text_field(model: type[BaseModel]) -> str:
    """A top-level text field of ``model`` (its first in the catalogue), not the id."""
    return next(
        f.path
        for f in catalogue(model)
        if f.type == "text" and "." not in f.path and f.path != "id"
    )


@pytest.mark.parametrize("erp", OFFERING)
def test_an_auvo_customer_is_linked_or_created_in_the_erp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, erp: str
) -> None:
    auvo_io, erp_io = install_double(monkeypatch), install_erp_double(monkeypatch, erp)
    writes = surface(erp, "action.system").actions["create_customer"]
    assert writes is not None
    field = _text_field(writes.model)
    automation = Automation(
        NAME,
        trigger=Trigger("auvo", "task", lookback=timedelta(hours=1)),
        field_map={field: {"lookup": "customer", "by": "customerId"}},
        action=Action(erp, "create_customer"),
    )
    passes = passes_for(tmp_path, automation, erp=erp)
    passes.config = attrs.evolve(passes.config, customers_direction="erp_to_auvo")
    world = passes.world
    # Only in Auvo, and the customers stream runs the other way: the lookup creates it.
    world.auvo.add("customers", {"id": 50, "description": "Seu Joaquim"})
    auvo_io.put(1, changed_at=T0 - timedelta(minutes=10), customerId=50)
    report = passes()
    assert counts(report)["acted"] == 1, report.table()
    link = world.store.get_link(passes.tenant, "customer", "50")
    assert link is not None
    assert [made.payload for made in erp_io.made.values()] == [{field: link.erp_id}]
    names = [name for _, name, _ in driver(erp).customers(world)]
    assert names.count("Seu Joaquim") == 1
    assert erp_io.ports == [erp_io.ports[0]]
    assert auvo_io.ports


@pytest.mark.parametrize("erp", OFFERING)
def test_an_erp_customer_is_linked_or_created_in_auvo(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, erp: str
) -> None:
    auvo_io, erp_io = install_double(monkeypatch), install_erp_double(monkeypatch, erp)
    customers = surface(erp, "trigger.system").actions["create_customer"]
    assert customers is not None
    automation = Automation(
        NAME,
        trigger=Trigger(erp, customers.record, lookback=timedelta(hours=1)),
        field_map={"customerId": {"lookup": "customer", "by": "id"}, "taskType": 7},
        action=Action("auvo", "create_task"),
    )
    passes: Passes = passes_for(tmp_path, automation, erp=erp)
    world = passes.world
    driver(erp).add_customer(world, "Dona Rosa")  # only in the ERP
    erp_id = next(str(i) for i, name, _ in driver(erp).customers(world) if name == "Dona Rosa")
    erp_io.put(erp_id, changed_at=T0 - timedelta(minutes=10), kind=customers.record)
    first = passes()
    assert counts(first)["acted"] == 1, first.table()
    link = world.store.find_link_by_erp(passes.tenant, "customer", erp_id)
    assert link is not None
    made = [m.payload for m in auvo_io.made.values()]
    assert made == [{"customerId": int(link.auvo_id), "taskType": 7}]
    rosas = [c for c in world.auvo.data["customers"].values() if c["description"] == "Dona Rosa"]
    assert len(rosas) == 1
    assert rosas[0]["externalId"] == f"{erp}:{erp_id}"
    # Linked now: the next version of the record finds the link, and creates nothing more.
    edited = {_text_field(surface(erp, "trigger.system").records[customers.record]): "edited"}
    erp_io.put(erp_id, changed_at=T0 + timedelta(minutes=8), kind=customers.record, **edited)
    second = passes()
    assert counts(second)["acted"] == 1
    rosas = [c for c in world.auvo.data["customers"].values() if c["description"] == "Dona Rosa"]
    assert len(rosas) == 1
    assert [m.payload["customerId"] for m in auvo_io.made.values()] == [int(link.auvo_id)] * 2
