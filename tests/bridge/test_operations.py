"""Operations: nothing stuck. The tenant lock is a short lease renewed while its run lives,
signals stop a ``sync`` cleanly, ``status``/``unlock`` show and clear the lock, and refused
credentials stop a pass with one error (and make ``run`` back off)."""

from __future__ import annotations

import itertools
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import bridge
import bridge.clients
import bridge.lease
from auvo import Auvo
from bridge import ConfigError, CredentialsRejected, SQLiteStore, SyncReport, TenantBusy
from bridge.cli import main
from bridge.config import BridgeConfig
from bridge.erp.registry import erp_names
from bridge.loop import credentials_backoff
from bridge.store import Store
from bridge.store.schema import MIGRATIONS
from sdkcore.clock import FakeClock

from .conftest import ANY_ERP, StoreFactory, World, erp_table, make_world

DRIVER = Path(__file__).with_name("operations_driver.py")
ROOT = Path(__file__).resolve().parents[2]
WAIT = 60.0  # the longest any event below may take to happen on a loaded machine


def wait_for(condition: Callable[[], object], what: str) -> None:
    """Block until ``condition()`` holds (an event, not a timing: fails only if it never
    happens within ``WAIT``)."""
    deadline = time.monotonic() + WAIT
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"never happened: {what}")
        time.sleep(0.01)


def run_once(world: World, **changes: Any) -> SyncReport:
    return bridge.sync(
        world.config(**changes), world.store, auvo=world.auvo.client(), erp=world.erp_client
    )


# -- the lock row and its lease -------------------------------------------------------------


def test_the_lock_row_names_its_holder(any_store: Store) -> None:
    before = datetime.now(UTC)
    assert any_store.acquire_lock("t", "run-1", 30)
    after = datetime.now(UTC)
    holder = any_store.lock_holder("t")
    assert holder is not None
    assert (holder.owner, holder.host, holder.pid) == ("run-1", socket.gethostname(), os.getpid())
    assert before - timedelta(seconds=1) <= holder.acquired_at <= after + timedelta(seconds=1)
    assert (holder.expires_at - holder.acquired_at).total_seconds() == pytest.approx(30)
    assert any_store.lock_holder("nobody") is None
    any_store.release_lock("t", "run-1")
    assert any_store.lock_holder("t") is None


def test_only_the_owner_renews_its_lease(any_store: Store) -> None:
    assert any_store.acquire_lock("t", "run-1", 1)
    first = any_store.lock_holder("t")
    assert first is not None
    assert any_store.renew_lock("t", "run-1", 3600)
    renewed = any_store.lock_holder("t")
    assert renewed is not None
    assert renewed.expires_at > first.expires_at
    assert renewed.acquired_at == first.acquired_at
    assert not any_store.renew_lock("t", "run-2", 3600)
    any_store.release_lock("t", "run-1")
    assert not any_store.renew_lock("t", "run-1", 3600)  # unlocked: lost, not re-taken
    assert any_store.lock_holder("t") is None


def test_a_store_from_before_the_lease_columns_migrates(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "old.sqlite3"
    old = sqlite3.connect(path, isolation_level=None)
    for statement in MIGRATIONS[0]:
        old.execute(statement)
    old.execute("CREATE TABLE schema_version (version INTEGER NOT NULL)")
    old.execute("INSERT INTO schema_version (version) VALUES (1)")
    old.execute("INSERT INTO locks (tenant, owner, expires_at) VALUES ('t', 'old-run', 1.0)")
    old.close()
    store = SQLiteStore(path)
    assert store.version == len(MIGRATIONS)
    holder = store.lock_holder("t")
    assert holder is not None
    assert (holder.owner, holder.host, holder.pid) == ("old-run", "", 0)
    assert store.acquire_lock("t", "new-run", 30)  # the old row had expired


def test_a_pass_holds_a_short_lease_not_an_hour(tmp_path: Path) -> None:
    world = make_world(ANY_ERP, tmp_path)
    watcher = SQLiteStore(world.store.path)
    seen: list[Any] = []

    def progress(stream: object) -> None:
        if not seen:
            seen.append(watcher.lock_holder("demo"))

    report = bridge.sync(
        world.config(poll_interval=timedelta(hours=1)),
        world.store,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        progress=progress,
    )
    assert report.status == "partial"  # task:505, seeded to fail, is dead-lettered
    (holder,) = seen
    assert holder is not None
    assert holder.owner == report.run_id
    lease = bridge.lease.DEFAULT_LOCK_LEASE
    assert lease <= timedelta(minutes=1)
    assert holder.expires_at <= datetime.now(UTC) + lease
    assert watcher.lock_holder("demo") is None


def test_the_lease_is_renewed_while_the_run_lives(
    tmp_path: Path, store_factory: StoreFactory
) -> None:
    """On SQLite and PostgreSQL: the heartbeat thread shares the run's store."""
    world = make_world(ANY_ERP, tmp_path, store=store_factory())
    watcher = store_factory()
    calls = [0]

    def progress(stream: object) -> None:
        calls[0] += 1
        if calls[0] != 1:
            return
        first = watcher.lock_holder("demo")
        assert first is not None

        def renewed() -> bool:
            now = watcher.lock_holder("demo")
            return now is not None and now.expires_at > first.expires_at

        wait_for(renewed, "the heartbeat renewing the lease")

    report = bridge.sync(
        world.config(lock_lease=timedelta(seconds=1)),
        world.store,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        progress=progress,
    )
    assert report.status == "partial"  # task:505, seeded to fail, is dead-lettered
    assert watcher.lock_holder("demo") is None


def test_a_run_whose_lock_was_taken_stops_after_the_record_in_flight(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    world = make_world(ANY_ERP, tmp_path)
    other = SQLiteStore(world.store.path)
    calls = [0]

    def progress(stream: object) -> None:
        calls[0] += 1
        if calls[0] != 1:
            return
        holder = other.lock_holder("demo")
        assert holder is not None
        other.release_lock("demo", holder.owner)  # what `unlock --force` does
        wait_for(lambda: "lost the lock" in caplog.text, "the heartbeat noticing")

    with caplog.at_level(logging.WARNING):
        report = bridge.sync(
            world.config(lock_lease=timedelta(seconds=1)),
            world.store,
            auvo=world.auvo.client(),
            erp=world.erp_client,
            progress=progress,
        )
    assert report.status == "lock_lost"
    assert report.changed == 0  # the first record was asked to stop before it started
    assert json.loads(world.store.last_run("demo") or "{}")["status"] == "lock_lost"


def test_busy_names_the_run_holding_the_lock(tmp_path: Path) -> None:
    world = make_world(ANY_ERP, tmp_path)
    other = SQLiteStore(world.store.path)
    assert other.acquire_lock("demo", "run-elsewhere", 30)
    with pytest.raises(TenantBusy) as raised:
        run_once(world)
    text = str(raised.value)
    assert "run-elsewhere" in text
    assert f"pid {os.getpid()}" in text
    assert socket.gethostname() in text


def test_the_lease_is_a_setting(tmp_path: Path) -> None:
    base = erp_table()
    assert BridgeConfig.from_toml(base).lock_lease == bridge.lease.DEFAULT_LOCK_LEASE
    config = BridgeConfig.from_toml(base + '[schedule]\nlock_lease = "5s"\n')
    assert config.lock_lease == timedelta(seconds=5)
    with pytest.raises(ConfigError, match=r"schedule\.lock_lease"):
        BridgeConfig.from_toml(base + '[schedule]\nlock_lease = "10ms"\n')


# -- status and unlock ----------------------------------------------------------------------


def write_settings(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "bridge.toml"
    lines = [
        'tenant = "demo"',
        erp_table(folder=tmp_path),
        "[customers]",
        'direction = "both"',
        "[quotations]",
        "enabled = true",
        *extra,
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def cli(tmp_path: Path, *args: str) -> list[str]:
    return [*args, "--config", str(tmp_path / "bridge.toml"), "--store", str(tmp_path / "s.db")]


def test_status_shows_who_holds_the_lock_and_since_when(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(tmp_path)
    store = SQLiteStore(tmp_path / "s.db")
    assert main(cli(tmp_path, "status", "--json")) == 0
    assert json.loads(capsys.readouterr().out)["lock"] is None
    assert store.acquire_lock("demo", "run-7", 30)
    assert main(cli(tmp_path, "status", "--json")) == 0
    lock = json.loads(capsys.readouterr().out)["lock"]
    assert lock["owner"] == "run-7"
    assert lock["pid"] == os.getpid()
    assert lock["host"] == socket.gethostname()
    assert datetime.fromisoformat(lock["acquired_at"]) <= datetime.fromisoformat(lock["expires_at"])
    assert lock["live"] is True
    assert main(cli(tmp_path, "status")) == 0
    text = capsys.readouterr().out
    assert f"lock: held by run run-7 (pid {os.getpid()} on {socket.gethostname()}) since" in text


def test_unlock_refuses_a_live_holder_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(tmp_path)
    store = SQLiteStore(tmp_path / "s.db")
    assert main(cli(tmp_path, "unlock")) == 0
    assert "not locked" in capsys.readouterr().out
    assert store.acquire_lock("demo", "run-7", 30)  # held by this very (live) process
    assert main(cli(tmp_path, "unlock")) == 1
    err = capsys.readouterr().err
    assert "run-7" in err
    assert "--force" in err
    assert store.lock_holder("demo") is not None
    assert main(cli(tmp_path, "unlock", "--force")) == 0
    assert "run-7" in capsys.readouterr().out
    assert store.lock_holder("demo") is None


def test_unlock_frees_the_lock_of_a_process_that_died(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_settings(tmp_path)
    code = (
        "import sys; from bridge import SQLiteStore;"
        "assert SQLiteStore(sys.argv[1]).acquire_lock('demo', 'run-gone', 3600)"
    )
    subprocess.run([sys.executable, "-c", code, str(tmp_path / "s.db")], check=True, cwd=ROOT)
    store = SQLiteStore(tmp_path / "s.db")
    holder = store.lock_holder("demo")
    assert holder is not None
    assert holder.owner == "run-gone"
    assert main(cli(tmp_path, "unlock")) == 0  # same host, its process is gone: no --force
    assert "run-gone" in capsys.readouterr().out
    assert store.lock_holder("demo") is None


# -- signals, in a real process -------------------------------------------------------------


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[str]]]:
    started: list[subprocess.Popen[str]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


def start_sync(
    tmp_path: Path,
    processes: list[subprocess.Popen[str]],
    mode: str,
    *extra: str,
    command: str = "sync",
) -> tuple[subprocess.Popen[str], Path]:
    """``python -m bridge <command> --json`` in a driver process, once its pass is mid-way."""
    write_settings(tmp_path, *extra)
    ready = tmp_path / "ready"
    driver = [sys.executable, str(DRIVER), str(ready), mode, ANY_ERP, "--"]
    process = subprocess.Popen(
        [*driver, *cli(tmp_path, command, "--json")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(process)
    wait_for(lambda: ready.exists() or process.poll() is not None, "the pass starting")
    assert process.poll() is None, process.communicate()
    return process, ready


@pytest.mark.parametrize(("signum", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_a_signal_stops_sync_after_the_record_in_flight(
    tmp_path: Path, processes: list[subprocess.Popen[str]], signum: int, code: int
) -> None:
    process, _ = start_sync(tmp_path, processes, "finish")
    store = SQLiteStore(tmp_path / "s.db")
    assert store.lock_holder("demo") is not None
    process.send_signal(signum)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == code, err
    printed = json.loads(out)
    assert printed["status"] == "stopped"
    assert "Traceback" not in err
    assert "stopping after the record in flight" in err
    assert store.lock_holder("demo") is None
    saved = json.loads(store.last_run("demo") or "{}")
    assert (saved["run_id"], saved["status"]) == (printed["run_id"], "stopped")


def test_sigterm_stops_run_after_the_record_in_flight(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    process, _ = start_sync(tmp_path, processes, "finish", command="run")
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 0, err  # stopping is how a service ends
    assert json.loads(out)["status"] == "stopped"
    assert "Traceback" not in err
    store = SQLiteStore(tmp_path / "s.db")
    assert store.lock_holder("demo") is None


def test_a_second_signal_stops_sync_at_once(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    process, _ = start_sync(tmp_path, processes, "stall")
    process.send_signal(signal.SIGTERM)
    assert process.stderr is not None
    # Two signals sent before the first is handled would arrive as one: wait for its log line.
    for line in process.stderr:
        if "stopping after the record in flight" in line:
            break
    else:
        pytest.fail(f"the first signal was not handled (exit {process.wait()})")
    store = SQLiteStore(tmp_path / "s.db")
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=WAIT)
    assert process.returncode == 143, err
    assert "Traceback" not in err
    assert "stopped at once" in err
    assert store.lock_holder("demo") is None  # the lock is still released on the way out


def test_a_killed_sync_blocks_its_tenant_only_for_the_lease(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    process, _ = start_sync(tmp_path, processes, "stall", "[schedule]", 'lock_lease = "1s"')
    store = SQLiteStore(tmp_path / "s.db")
    holder = store.lock_holder("demo")
    assert holder is not None
    assert holder.pid == process.pid
    process.kill()
    process.wait()
    world = make_world(ANY_ERP, tmp_path, store=store)
    # Waiting up to WAIT seconds for the lock is the check: an hour-long TTL would fail it.
    report = run_once(world, lock_wait=timedelta(seconds=WAIT))
    assert report.status == "partial"  # task:505, seeded to fail, is dead-lettered
    assert report.streams["tasks"].created == 3


# -- refused credentials --------------------------------------------------------------------


def bad_auvo(world: World) -> Auvo:
    return Auvo("wrong-key", "wrong-token", transport=world.auvo.transport, rate_limiter=False)


def only_error(store: Store) -> dict[str, Any]:
    saved = json.loads(store.last_run("demo") or "{}")
    assert saved["status"] == "credentials_rejected"
    assert all(not stream["errors"] for stream in saved["streams"].values())
    return saved


@pytest.mark.parametrize("erp", erp_names())
def test_wrong_auvo_credentials_stop_the_pass_with_one_error(erp: str, tmp_path: Path) -> None:
    world = make_world(erp, tmp_path)
    with pytest.raises(CredentialsRejected) as raised:
        bridge.sync(world.config(), world.store, auvo=bad_auvo(world), erp=world.erp_client)
    error = raised.value
    assert error.system == "auvo"
    assert "Auvo" in str(error)
    assert "auvo.api_key" in str(error)
    assert "wrong-key" not in str(error)
    assert "wrong-token" not in str(error)
    assert error.report is not None
    assert error.report.status == "credentials_rejected"
    saved = only_error(world.store)
    assert saved["error"] == str(error)
    assert world.store.dead_letters("demo") == []
    assert world.store.lock_holder("demo") is None


def test_run_backs_off_while_credentials_are_refused(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    auvo = world.auvo.client(clock=clock)
    real_key = world.auvo.api_key
    world.auvo.api_key = "rotated-by-someone"  # the bridge's key no longer works
    attempts: list[float] = []
    real_acquire = world.store.acquire_lock

    def acquire(*args: Any) -> bool:
        attempts.append(clock.monotonic())
        if len(attempts) == 6:
            world.auvo.api_key = real_key  # fixed: the sixth pass works
        return bool(real_acquire(*args))

    world.store.acquire_lock = acquire
    reports: list[SyncReport] = []
    config = world.config(poll_interval=timedelta(minutes=10))
    with caplog.at_level(logging.WARNING, logger="bridge"):
        passes = bridge.poll(
            config,
            world.store,
            auvo=auvo,
            erp=world.erp_client,
            clock=clock,
            on_report=reports.append,
            max_passes=8,
        )
    assert passes == 8
    gaps = [round(b - a) for a, b in itertools.pairwise(attempts)]
    assert gaps[:5] == [600, 1200, 2400, 3600, 3600]  # doubling from the interval, to an hour
    assert gaps[5:] == [600, 600]  # a pass that works resets it
    refusals = [r for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 5
    assert all(r.levelno == logging.WARNING and not r.exc_info for r in refusals)
    assert len(reports) == 3


def test_the_backoff_doubles_up_to_an_hour_or_the_interval() -> None:
    assert [credentials_backoff(60, n) for n in range(1, 9)] == [
        60,
        120,
        240,
        480,
        960,
        1920,
        3600,
        3600,
    ]
    assert credentials_backoff(7200, 3) == 7200  # never shorter than the schedule
    assert credentials_backoff(600, 10_000) == 3600  # no overflow after a long outage


def test_the_backoff_ignores_nudges(tmp_path: Path) -> None:
    clock = FakeClock(start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    auvo = world.auvo.client(clock=clock)
    world.auvo.api_key = "rotated-by-someone"
    attempts: list[float] = []
    real_acquire = world.store.acquire_lock
    wake = threading.Event()

    def acquire(*args: Any) -> bool:
        attempts.append(clock.monotonic())
        wake.set()  # a webhook arrives during every pass
        return bool(real_acquire(*args))

    world.store.acquire_lock = acquire
    bridge.poll(
        world.config(poll_interval=timedelta(minutes=10)),
        world.store,
        auvo=auvo,
        erp=world.erp_client,
        clock=clock,
        wake=wake,
        max_passes=3,
    )
    gaps = [round(b - a) for a, b in itertools.pairwise(attempts)]
    assert gaps == [600, 1200]
