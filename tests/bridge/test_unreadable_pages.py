"""An Auvo list answered 200 with an empty body is not "no records, last page".

The pass that gets it reports the stream failed (the pass is partial) and keeps its
bookmark, so the next pass reads the same window again: the task finished meanwhile is
billed and the customer's change reaches the ERP, instead of waiting for the daily wide
pass (the task) or never (the customer).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

import bridge
from bridge.engine import run
from bridge.erp.registry import erp_names
from sdkcore.clock import FakeClock
from sdkcore.dates import format_local
from sdkcore.testing import Fault

from .conftest import World, make_world
from .erp.drivers import driver

NEW_TASK = 951
NEW_NAME = "Padaria Pão Quente ME"


def _erp_name(world: World, erp_id: str) -> str:
    return driver(world.erp).customer_name(world, erp_id)


def _billed(world: World, task: int) -> bool:
    return any(ref.startswith(f"task:{task}") for ref in world.sales())


@pytest.mark.parametrize("erp", erp_names())
def test_an_empty_list_answer_fails_its_stream_and_keeps_its_bookmark(
    tmp_path: Path, erp: str
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, clock=clock)
    auvo = world.auvo.client(clock=clock)
    config = world.config()

    def now() -> datetime:
        return datetime.fromtimestamp(clock.time(), UTC)

    def one_pass() -> bridge.SyncReport:
        clock.advance(600)
        return run(config, world.store, auvo=auvo, erp=world.erp_client, now=now)

    one_pass()
    bookmarks = {s: world.store.get_bookmark("demo", s) for s in ("tasks", "customers")}
    assert all(bookmarks.values())
    link = world.store.get_link("demo", "customer", "1")
    assert link is not None

    # Meanwhile in Auvo: a task is finished and a customer is renamed.
    clock.advance(120)
    finished = dict(world.auvo.data["tasks"]["500"], taskID=NEW_TASK)
    finished["taskDate"] = format_local(now(), sep="T")
    finished["dateLastUpdate"] = format_local(now(), sep="T")
    world.auvo.add("tasks", finished)
    auvo.customers.patch(1, {"name": NEW_NAME})

    # This pass, Auvo answers both lists 200 with nothing in the body.
    world.auvo.fail_next(Fault(200, method="GET", path_prefix="/v2/tasks"))
    world.auvo.fail_next(Fault(200, method="GET", path_prefix="/v2/customers"))
    broken = one_pass()
    assert not world.auvo._faults  # both empty answers were given
    assert broken.status == "partial"
    for stream in ("tasks", "customers"):
        report = broken.streams[stream]
        assert [e["ref"] for e in report.errors if e["ref"].startswith("stream:")] == [
            f"stream:{stream}"
        ]
        assert "ResponseParseError" in str(report.errors)
        # Not moved past what was never read: the next pass reads this window again.
        assert report.bookmark_after == report.bookmark_before == bookmarks[stream]
        assert world.store.get_bookmark("demo", stream) == bookmarks[stream]
    assert not _billed(world, NEW_TASK)
    assert _erp_name(world, link.erp_id) != NEW_NAME

    # The next normal pass reads the same window again: both changes arrive.
    healed = one_pass()
    assert healed.status == "partial"  # task:505, seeded to fail, is dead-lettered
    assert healed.streams["tasks"].created == 1
    assert _billed(world, NEW_TASK)
    assert healed.streams["customers"].updated == 1
    assert _erp_name(world, link.erp_id) == NEW_NAME
