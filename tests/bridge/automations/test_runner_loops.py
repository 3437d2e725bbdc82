"""Automations and the bridge's own writes: an action's record is no change to act on (no
loops), while a person's later edit still is."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from bridge.automations import Action, Automation, Trigger
from bridge.engine import run
from bridge.report import SyncReport
from sdkcore.clock import FakeClock

from ..conftest import ANY_ERP, make_world
from .test_runner import counts

NAME = "note every changed customer"


def test_an_action_that_updates_its_own_trigger_record_acts_once_per_edit(
    tmp_path: Path,
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    note = Automation(
        NAME,
        trigger=Trigger("auvo", "customer", on="changed"),
        field_map={"id": "{id}", "note": "checked by the bridge"},
        action=Action("auvo", "update_customer"),
    )
    config = world.config(
        automations=(note,),
        customers_direction="erp_to_auvo",
        tasks_enabled=False,
        catalog_enabled=False,
        quotations_enabled=False,
    )

    def one_pass() -> SyncReport:
        clock.advance(600)
        moment = datetime.fromtimestamp(clock.time(), UTC)
        return run(
            config, world.store, auvo=world.auvo.client(), erp=world.erp_client, now=lambda: moment
        )

    one_pass()  # the origin
    clock.advance(5)
    customer = world.auvo.client().customers.create({"description": "Loja X"}).id
    acted = [counts(one_pass(), NAME)["acted"] for _ in range(4)]
    # The customer's creation acted; the note the bridge wrote is no change to act on.
    assert acted == [1, 0, 0, 0]
    clock.advance(5)
    world.auvo.client().customers.patch(customer, {"description": "Loja X Ltda"})
    assert [counts(one_pass(), NAME)["acted"] for _ in range(2)] == [1, 0]  # a person's edit
