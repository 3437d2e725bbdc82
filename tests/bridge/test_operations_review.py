"""Operations, checked as an operator would: a stop signal while the pass waits for the
tenant's lock, a Bling token file that is not a token file, and the fix `run` names."""

from __future__ import annotations

import json
import logging
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

import bridge
import bridge.clients
from bridge import CredentialsRejected, SQLiteStore
from bridge.cli import main
from sdkcore.auth import FileTokenStore
from sdkcore.clock import FakeClock

from .conftest import make_world
from .test_operations import DRIVER, ROOT, WAIT, cli, processes, wait_for, write_settings

__all__ = ["processes"]  # the fixture, shared with test_operations

# -- a stop asked for while the pass waits for the lock --------------------------------------


def test_a_stop_while_waiting_for_the_lock_ends_the_wait(tmp_path: Path) -> None:
    """``schedule.lock_wait`` may be minutes: a SIGTERM must not wait them out (Kubernetes
    kills the pod after its grace period). Nothing started, so nothing is released."""
    world = make_world("bling", tmp_path)
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
    driver = [sys.executable, str(DRIVER), str(tmp_path / "ready"), "finish", "bling", "--"]
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


# -- a Bling token file that cannot be read --------------------------------------------------


@pytest.mark.parametrize(
    "content",
    ['{"access_tok', "[1, 2]", '{"refresh_token": "r"}', "null"],
    ids=["truncated", "a list", "no access token", "null"],
)
def test_an_unreadable_bling_token_file_stops_the_pass_naming_authorize(
    tmp_path: Path, content: str
) -> None:
    """Not one error per record and stream: the file is the credential, and `authorize`
    writes a good one."""
    world = make_world("bling", tmp_path)
    path = tmp_path / "tokens.json"
    path.write_text(content, encoding="utf-8")
    erp = world.fake_erp.client(oauth=world.fake_erp.oauth(), token_store=FileTokenStore(path))
    with pytest.raises(CredentialsRejected) as raised:
        bridge.sync(world.config(), world.store, auvo=world.auvo.client(), erp=erp)
    assert raised.value.system == "bling"
    assert "python -m bridge authorize" in str(raised.value)
    assert "tokens.json" in str(raised.value)
    saved = json.loads(world.store.last_run("demo") or "{}")
    assert saved["status"] == "credentials_rejected"
    assert all(not stream["errors"] for stream in saved["streams"].values())
    assert world.store.dead_letters("demo") == []


def test_an_unreadable_token_file_is_still_a_value_error(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(ValueError, match=r"tokens\.json"):
        FileTokenStore(path).load()


def test_the_cli_prints_one_line_for_a_corrupt_token_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world("bling", tmp_path)
    settings = write_settings(tmp_path)
    path = tmp_path / "tokens.json"
    path.write_text('{"access_tok', encoding="utf-8")
    corrupt = world.fake_erp.client(oauth=world.fake_erp.oauth(), token_store=FileTokenStore(path))
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client())
    monkeypatch.setattr(bridge.clients, "erp_client", lambda config: corrupt)
    assert main(cli(tmp_path, "sync")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert f"python -m bridge authorize --config {settings}" in lines[0]


# -- the fix `run` names ---------------------------------------------------------------------


def test_run_names_the_settings_file_in_the_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run` logs the command to type, as `sync` prints it: `--config <the file>`, not
    `--config your settings file`."""
    clock = FakeClock(start=time.time())
    world = make_world("bling", tmp_path, clock=clock)
    settings = write_settings(tmp_path)
    no_tokens = world.fake_erp.client(
        oauth=world.fake_erp.oauth(), token_store=FileTokenStore(tmp_path / "none.json")
    )
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client())
    monkeypatch.setattr(bridge.clients, "erp_client", lambda config: no_tokens)
    real_poll = bridge.cli.poll

    def one_pass(*args: Any, **kwargs: Any) -> int:
        return real_poll(*args, **kwargs, clock=clock, max_passes=1)

    monkeypatch.setattr(bridge.cli, "poll", one_pass)
    with caplog.at_level(logging.WARNING, logger="bridge"):
        assert main(cli(tmp_path, "run")) == 0
    (refused,) = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert f"python -m bridge authorize --config {settings}`" in refused


# -- what the lead found after the review ----------------------------------------------------


def test_busy_says_when_the_lease_runs_out_and_how_to_free_it(tmp_path: Path) -> None:
    # After a kill -9 the holder's pid is gone: the message must not leave the operator
    # guessing for how long, nor what to do.
    world = make_world("bling", tmp_path)
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

    report = bridge.SyncReport("demo", "bling", "run-1", datetime.now(UTC))
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
