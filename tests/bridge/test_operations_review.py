"""Operations, checked as an operator would: a stop signal while the pass waits for the
tenant's lock, a token file that is not a token file (the ERP's own tests: tests/bridge/erp), and
the fix `run` names."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import bridge
import bridge.clients
from bridge import SQLiteStore
from bridge.cli import main
from sdkcore.auth import FileTokenStore

from .conftest import ANY_ERP, make_world
from .test_operations import DRIVER, ROOT, WAIT, cli, processes, wait_for, write_settings

__all__ = ["processes"]  # the fixture, shared with test_operations

# -- a stop asked for while the pass waits for the lock --------------------------------------


def test_a_stop_while_waiting_for_the_lock_ends_the_wait(tmp_path: Path) -> None:
    """``schedule.lock_wait`` may be minutes: a SIGTERM must not wait them out (Kubernetes
    kills the pod after its grace period). Nothing started, so nothing is released."""
    world = make_world(ANY_ERP, tmp_path)
    other = SQLiteStore(world.store.path)
    assert other.acquire_lock("demo", "run-elsewhere", 600)
    report = bridge.sync(
        world.config(lock_wait=timedelta(seconds=20)),
        world.store,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        stop=lambda: True,
    )
    assert report.status == "stopped"
    assert report.changed == 0
    holder = other.lock_holder("demo")
    assert holder is not None
    assert holder.owner == "run-elsewhere"  # not taken, not released
    assert json.loads(world.store.last_run("demo") or "{}")["status"] == "stopped"
    assert world.auvo.requests == []  # not even the preflight's reads


def signal_handled(pid: int, signum: int) -> bool:
    """Whether process ``pid`` has a handler installed for ``signum`` (Linux's SigCgt)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) >> (signum - 1) & 1)
    return False


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads /proc (Linux)")
def test_sigterm_while_sync_waits_for_the_lock_stops_it(
    tmp_path: Path, processes: list[subprocess.Popen[str]]
) -> None:
    write_settings(tmp_path, "[schedule]", 'lock_wait = "20s"')
    store = SQLiteStore(tmp_path / "s.db")
    assert store.acquire_lock("demo", "run-elsewhere", 600)
    driver = [sys.executable, str(DRIVER), str(tmp_path / "ready"), "finish", ANY_ERP, "--"]
    process = subprocess.Popen(
        [*driver, *cli(tmp_path, "sync", "--json")],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    processes.append(process)
    wait_for(
        lambda: process.poll() is not None or signal_handled(process.pid, signal.SIGTERM),
        "the CLI installing its SIGTERM handler",
    )
    process.send_signal(signal.SIGTERM)
    out, err = process.communicate(timeout=WAIT)
    assert process.returncode == 143, err
    assert json.loads(out)["status"] == "stopped"
    assert "Traceback" not in err
    holder = store.lock_holder("demo")
    assert holder is not None
    assert holder.owner == "run-elsewhere"


# -- a token file that cannot be read -----------------------------------------------------


def test_an_unreadable_token_file_is_still_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match=r"tokens\.json"):
        FileTokenStore(path).load()


# -- what the lead found after the review ----------------------------------------------------


def test_busy_says_when_the_lease_runs_out_and_how_to_free_it(tmp_path: Path) -> None:
    # After a kill -9 the holder's pid is gone: the message must not leave the operator
    # guessing for how long, nor what to do.
    world = make_world(ANY_ERP, tmp_path)
    other = SQLiteStore(world.store.path)
    assert other.acquire_lock("demo", "run-elsewhere", 30)
    holder = other.lock_holder("demo")
    assert holder is not None
    with pytest.raises(bridge.TenantBusy) as raised:
        bridge.sync(world.config(), world.store, auvo=world.auvo.client(), erp=world.erp_client)
    text = str(raised.value)
    assert holder.expires_at.isoformat(timespec="seconds") in text
    assert "python -m bridge unlock" in text


def _report(status: str) -> bridge.SyncReport:
    from datetime import UTC, datetime

    report = bridge.SyncReport("demo", ANY_ERP, "run-1", datetime.now(UTC))
    report.status = status
    return report


@pytest.mark.parametrize(("status", "code"), [("ok", 0), ("lock_lost", 1)])
def test_sync_cut_short_by_a_lost_lock_exits_non_zero(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: str, code: int
) -> None:
    # A Kubernetes Job must not count a pass that another process cut short as done.
    write_settings(tmp_path)
    monkeypatch.setattr("bridge.engine.sync", lambda *args, **kwargs: _report(status))
    assert main(cli(tmp_path, "sync")) == code


def test_the_stop_signals_stay_installed_while_the_report_prints(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A signal that lands after the pass, while its report prints, is handled as the first
    # one was, not by Python's default (a traceback for SIGINT, no message for SIGTERM).
    write_settings(tmp_path)
    monkeypatch.setattr("bridge.engine.sync", lambda *args, **kwargs: _report("ok"))
    seen: list[Any] = []
    monkeypatch.setattr(
        "bridge.cli._print",
        lambda *args: seen.extend(signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)),
    )
    before = signal.getsignal(signal.SIGTERM)
    assert main(cli(tmp_path, "sync")) == 0
    assert len(seen) == 2
    assert all(
        getattr(handler, "__self__", None).__class__.__name__ == "_StopSignals" for handler in seen
    )
    assert signal.getsignal(signal.SIGTERM) == before  # put back once the command ends
