"""Follow-ups of issue 13: a dry run plans like a real pass (what an earlier stream would
link, a later one sees), and the polling loop logs a failed pass as one line, keeping
tracebacks for bugs and for DEBUG."""

from __future__ import annotations

import logging
import sqlite3
import time
from pathlib import Path

import pytest

import bridge
from bridge.erp.registry import erp_names
from sdkcore.clock import FakeClock
from sdkcore.testing import Fault

from .conftest import ANY_ERP, World, make_world


def _failures(report: bridge.SyncReport) -> set[str]:
    return {error["ref"] for stream in report.streams.values() for error in stream.errors}


def _dump(world: World) -> list[str]:
    with sqlite3.connect(world.store.path) as db:
        return list(db.iterdump())


# -- 1. a dry run plans like a real pass ----------------------------------------------------


@pytest.mark.parametrize("erp", erp_names())
def test_a_dry_run_fails_only_what_a_real_pass_fails(erp: str, tmp_path: Path) -> None:
    world = make_world(erp, tmp_path)
    before = _dump(world)
    dry = bridge.sync(
        world.config(), world.store, dry_run=True, auvo=world.auvo.client(), erp=world.erp_client
    )
    assert _dump(world) == before  # the links it planned stayed in memory
    # The demo's quotation sells an Auvo product the catalog stream links: planned, so seen.
    assert _failures(dry) == {"task:505"}, [s.errors for s in dry.streams.values()]
    planned = {(p["ref"], p["action"]) for p in dry.streams["quotations"].planned}
    assert planned, dry.streams["quotations"]

    real = bridge.sync(world.config(), world.store, auvo=world.auvo.client(), erp=world.erp_client)
    assert _failures(real) == _failures(dry)
    assert {ref for ref, _ in planned} <= set(world.sales())


# -- 2. the loop: one line for a failed pass, a traceback only for a bug, at DEBUG ----------


def _poll_once(world: World, clock: FakeClock) -> None:
    auvo = world.auvo.client(clock=clock)
    bridge.poll(
        world.config(), world.store, auvo=auvo, erp=world.erp_client, clock=clock, max_passes=1
    )


def _tracebacks(caplog: pytest.LogCaptureFixture, level: int) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= level and r.exc_info is not None]


def test_a_pass_whose_lists_answer_503_logs_no_traceback(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    world.auvo.fail_next(Fault(status=503, method="GET"), 10_000)
    world.fake_erp.fail_next(Fault(status=503, method="GET"), 10_000)
    with caplog.at_level(logging.INFO):
        _poll_once(world, clock)
    assert _tracebacks(caplog, logging.INFO) == []
    assert "Traceback" not in caplog.text


def test_a_pass_the_store_fails_is_one_warning_line(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)

    def locked(*args: object, **kwargs: object) -> bool:
        raise sqlite3.OperationalError("database is locked")

    world.store.acquire_lock = locked
    with caplog.at_level(logging.INFO):
        _poll_once(world, clock)
    assert _tracebacks(caplog, logging.INFO) == []
    failed = [r for r in caplog.records if "pass failed" in r.getMessage()]
    assert [r.levelno for r in failed] == [logging.WARNING]
    assert "OperationalError: database is locked" in failed[0].getMessage()


def test_a_bug_that_fails_a_pass_shows_its_traceback_only_at_debug(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)

    def broken(*args: object, **kwargs: object) -> bool:
        raise AttributeError("'NoneType' object has no attribute 'id'")

    world.store.acquire_lock = broken
    with caplog.at_level(logging.INFO):
        _poll_once(world, clock)
    assert _tracebacks(caplog, logging.INFO) == []
    failed = [r for r in caplog.records if "pass failed" in r.getMessage()]
    assert [r.levelno for r in failed] == [logging.ERROR]
    assert "AttributeError" in failed[0].getMessage()
    caplog.clear()
    with caplog.at_level(logging.DEBUG):
        _poll_once(world, clock)
    assert len(_tracebacks(caplog, logging.DEBUG)) == 1
