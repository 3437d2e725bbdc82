"""The polling loop (``bridge.poll``) on simulated time, and the progress line."""

from __future__ import annotations

import io
import itertools
import threading
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import bridge
from bridge import ProgressLine, StreamReport, SyncReport
from sdkcore.clock import FakeClock

from .conftest import ANY_ERP, World, make_world


def poll_on(world: World, config: Any, clock: FakeClock | None = None, **options: Any) -> int:
    """``bridge.poll`` over the world's fakes (on ``clock`` when given)."""
    timing: dict[str, Any] = {} if clock is None else {"clock": clock}
    auvo = world.auvo.client(**timing)
    return bridge.poll(config, world.store, auvo=auvo, erp=world.erp_client, **timing, **options)


def test_stop_finishes_the_pass_and_returns(tmp_path: Path) -> None:
    world = make_world(ANY_ERP, tmp_path)
    stop = threading.Event()
    reports: list[SyncReport] = []

    def on_report(report: SyncReport) -> None:
        reports.append(report)
        stop.set()  # as Ctrl-C does

    passes = poll_on(world, world.config(), stop=stop, on_report=on_report)
    assert passes == 1
    assert reports[0].streams["tasks"].created == 3


def test_a_busy_tenant_skips_the_pass(tmp_path: Path) -> None:
    clock = FakeClock()
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    assert world.store.acquire_lock("demo", "someone-else", 3600)
    reports: list[SyncReport] = []
    config = world.config(lock_wait=timedelta(0))
    passes = poll_on(world, config, clock, on_report=reports.append, max_passes=2)
    assert passes == 2
    assert reports == []


def test_progress_on_a_terminal_rewrites_one_line() -> None:
    out = io.StringIO()
    now = [0.0]
    line = ProgressLine(out, tty=True, monotonic=lambda: now[0])
    stream = StreamReport("tasks")
    for _ in range(10):
        now[0] += 0.125
        stream.created += 1
        line(stream)
    text = out.getvalue()
    assert text.count("\r\x1b[2K") == 5  # redrawn at most every 0.2 s
    assert "\n" not in text
    assert text.endswith("tasks: 10 records (created 10, updated 0, linked 0, skipped 0, failed 0)")
    line.finish()
    assert out.getvalue().endswith("\r\x1b[2K")


def test_progress_in_a_log_writes_plain_lines() -> None:
    out = io.StringIO()
    now = [0.0]
    line = ProgressLine(out, tty=False, log_every=30, monotonic=lambda: now[0])
    stream = StreamReport("customers")
    for _ in range(100):
        now[0] += 1
        stream.skip("unchanged since the last sync")
        line(stream)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3
    assert all("\r" not in text and "\x1b" not in text for text in lines)
    assert lines[-1].endswith(
        "customers: 90 records (created 0, updated 0, linked 0, skipped 90, failed 0)"
    )
    line.finish()
    assert len(out.getvalue().splitlines()) == 3


def test_sync_reports_progress_per_record(tmp_path: Path) -> None:
    world = make_world(ANY_ERP, tmp_path)
    seen: list[tuple[str, int]] = []

    def progress(stream: StreamReport) -> None:
        seen.append((stream.name, stream.changed + stream.skipped + stream.failed))

    report = bridge.sync(
        world.config(),
        world.store,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        progress=progress,
    )
    names = {name for name, _ in seen}
    assert names == set(report.streams)
    tasks = [done for name, done in seen if name == "tasks"]
    assert tasks == sorted(tasks)
    assert len(tasks) >= 6


def test_a_failed_pass_is_logged_and_the_next_one_runs(tmp_path: Path) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    store = world.store
    real_acquire = store.acquire_lock
    failures = [RuntimeError("database is locked")]

    def flaky_acquire(*args: object, **kwargs: object) -> bool:
        if failures:
            raise failures.pop()
        return bool(real_acquire(*args, **kwargs))  # type: ignore[arg-type]

    store.acquire_lock = flaky_acquire  # type: ignore[method-assign]
    reports: list[SyncReport] = []
    passes = poll_on(world, world.config(), clock, on_report=reports.append, max_passes=2)
    assert passes == 2
    assert len(reports) == 1
    assert reports[0].streams["tasks"].created == 3


def test_a_config_error_stops_the_loop(tmp_path: Path) -> None:
    world = make_world(ANY_ERP, tmp_path)
    with pytest.raises(bridge.ConfigError, match="financial_account"):
        poll_on(world, world.config(financial_account="Cofre"), max_passes=3)


def test_a_nudge_starts_the_next_pass_at_once(tmp_path: Path) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    config = world.config(poll_interval=timedelta(minutes=10))
    wake = threading.Event()
    starts: list[float] = []

    def on_report(report: SyncReport) -> None:
        starts.append(clock.monotonic())
        if len(starts) == 1:
            wake.set()  # a webhook said a task finished: no need to wait ten minutes

    assert poll_on(world, config, clock, wake=wake, on_report=on_report, max_passes=3) == 3
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert gaps[0] < 60  # the nudged pass ran at once (only the pass itself took time)
    assert gaps[1] >= 540  # then the schedule again: the nudge was used up
    assert not wake.is_set()


def test_a_nudge_wakes_a_wait_on_the_system_clock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # real time here: a short settle and gap instead of the seconds a burst is given
    monkeypatch.setattr(bridge.loop, "NUDGE_SETTLE_SECONDS", 0.1)
    monkeypatch.setattr(bridge.loop, "NUDGE_MIN_GAP_SECONDS", 0.0)
    world = make_world(ANY_ERP, tmp_path)
    config = world.config(poll_interval=timedelta(hours=1))
    wake, stop = threading.Event(), threading.Event()
    passes: list[float] = []

    def on_report(report: SyncReport) -> None:
        passes.append(time.monotonic())
        if len(passes) == 2:
            stop.set()

    threading.Timer(0.3, wake.set).start()
    began = time.monotonic()
    poll_on(world, config, wake=wake, stop=stop, on_report=on_report)
    assert len(passes) == 2
    assert time.monotonic() - began < 30  # not the hour the interval asks for
