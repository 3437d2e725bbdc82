"""``python -m bridge`` (or ``ponte-bridge``): sync, run, status, unlock, report,
retry-failed, authorize, demo.

Exit status: 0 done; 1 records failed or the lock was lost (``sync``), or ``unlock``
refused; 2 a setting to fix, credentials refused, or the tenant busy; 128 + the signal's
number (130 for SIGINT, 143 for SIGTERM) when a signal stopped ``sync`` or ``retry-failed``
before the pass was done, or a second signal stopped ``run`` at once. ``run`` exits 0 when
a first signal stops it: stopping is how a service ends.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from types import FrameType, TracebackType
from typing import Any

from sdkcore.redact import register_secret

from .config import BridgeConfig, ConfigError, load_config
from .credentials import CredentialsRejected
from .engine import run as run_pass
from .erp.registry import DEFAULT_ERP, erp_names
from .loop import ProgressLine, poll
from .report import SyncReport
from .store import LockHolder, SQLiteStore, Store, TenantBusy
from .webhook_listener import DEFAULT_PATH, WebhookListener

__all__ = ["main"]

log = logging.getLogger("bridge")


def _store(args: argparse.Namespace) -> Store:
    if args.store.startswith(("postgres://", "postgresql://")):
        from .store.postgres import PostgresStore

        return PostgresStore(args.store)
    return SQLiteStore(args.store)


def _demo(args: argparse.Namespace) -> int:
    from auvo.testing import FakeAuvo

    from .demo import demo_config, seed_auvo, seed_erp

    fake_auvo = FakeAuvo()
    seed_auvo(fake_auvo)
    config = demo_config(args.erp)
    erp = config.erp_kind.fake.make(None, False).client(rate_limiter=False)
    seed_erp(args.erp, erp)
    store = SQLiteStore(args.store if args.store != "bridge.sqlite3" else ":memory:")
    reports = []
    for _ in range(2):
        reports.append(run_pass(config, store, auvo=fake_auvo.client(), erp=erp))
    if args.json:
        print(json.dumps([r.to_dict() for r in reports], indent=2, ensure_ascii=False))
    else:
        print(reports[0].table())
        print()
        print(reports[1].table())
        print()
        changed = reports[1].changed
        print("second pass: nothing changed" if not changed else f"second pass: {changed} changes")
    return 0


def _print(report: SyncReport, as_json: bool) -> None:
    print(report.to_json() if as_json else report.table())


class _StoppedNow(KeyboardInterrupt):
    """A second stop signal: unwind at once (``finally`` blocks still release the lock)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.exit_code = 128 + signum


class _StopSignals:
    """SIGINT (Ctrl-C) and SIGTERM (``docker stop``, systemd, Kubernetes) as an operator
    means them, for ``sync`` and ``run`` alike: the first sets ``event``, so the pass
    finishes the record in flight, releases the lock and saves its report; a second stops
    at once (``_StoppedNow``). The previous handlers come back on leaving."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum: int | None = None
        self._previous: dict[int, Any] = {}

    def __enter__(self) -> _StopSignals:
        if threading.current_thread() is threading.main_thread():  # only it may set them
            for signum in self.SIGNALS:
                self._previous[signum] = signal.signal(signum, self._handle)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.event.is_set():
            raise _StoppedNow(signum)
        # Set before logging: a second signal may land while this handler still runs.
        self.event.set()
        self.signum = signum
        name = signal.Signals(signum).name
        log.warning("%s: stopping after the record in flight (send it again to stop now)", name)

    @property
    def exit_code(self) -> int | None:
        """128 + the signal's number once one asked to stop, as shells report it."""
        return None if self.signum is None else 128 + self.signum


def _sync(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    """One pass; a stop signal ends it after the record in flight, with the partial report
    printed and saved, and exit status 128 + the signal's number."""
    from .engine import sync

    progress = ProgressLine()
    signals: _StopSignals = args.stop_signals
    try:
        report = sync(
            config, store, dry_run=args.dry_run, progress=progress, stop=signals.event.is_set
        )
    finally:
        progress.finish()
    _print(report, args.json)
    if signals.exit_code is not None:
        return signals.exit_code
    # A pass cut short by a lost lock did not do its work: a Job must not count it done.
    return 1 if report.failed or report.status == "lock_lost" else 0


def _run(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    """Poll every ``poll_interval`` until SIGINT or SIGTERM; the record in flight is
    finished first."""
    signals: _StopSignals = args.stop_signals
    return _poll(args, config, store, signals.event)


def _poll(
    args: argparse.Namespace, config: BridgeConfig, store: Store, stopping: threading.Event
) -> int:
    progress = ProgressLine()

    def show(report: SyncReport) -> None:
        progress.finish()
        _print(report, args.json)

    wake = threading.Event()
    listener = _listener(args, wake)
    try:
        poll(
            config,
            store,
            stop=stopping,
            wake=wake,
            on_report=show,
            progress=progress,
            settings=args.config,
        )
    finally:
        if listener is not None:
            listener.stop()
    return 0


def _listener(args: argparse.Namespace, wake: threading.Event) -> WebhookListener | None:
    if not args.webhook:
        return None
    host, port = _webhook_address(args.webhook)
    secret = _webhook_secret(getattr(args, "webhook_secret_env", None))
    register_secret(secret)  # masked in every log record, whichever logger writes it
    try:
        listener = WebhookListener(wake, host, port, args.webhook_path, secret=secret)
    except OSError as exc:  # the port taken, an address not this host's, a name unknown
        reason = exc.strerror or str(exc)
        raise ConfigError("--webhook", f"cannot listen on {args.webhook}: {reason}") from None
    except ValueError as exc:  # the secret's characters; the message never holds the value
        raise ConfigError("--webhook-secret-env", str(exc)) from None
    listener.start()
    # The URL holds the secret (or a path that is one): logged masked, never in clear.
    log.warning("listening for Auvo webhooks at %s", listener.redacted_url)
    if secret is None and listener.path == DEFAULT_PATH:
        log.warning(
            "the webhook listener has no secret: anyone who reaches it can start passes "
            "(give one with --webhook-secret-env)"
        )
    return listener


def _webhook_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPv6]:PORT`` or ``:PORT`` (loopback) as a host and a port."""
    if text.startswith("["):
        host, bracket, port = text[1:].partition("]:")
        ok = bool(bracket) and ":" in host
    else:
        host, _, port = text.rpartition(":")
        ok = ":" not in host  # a bare IPv6 address: which colon starts the port?
    if not ok or not port.isdigit() or int(port) > 65535:
        raise ConfigError(
            "--webhook",
            f"must be HOST:PORT, [IPv6]:PORT or :PORT (e.g. 127.0.0.1:8765 or [::1]:8765), "
            f"got {text!r}",
        )
    return host or "127.0.0.1", int(port)


def _webhook_secret(variable: str | None) -> str | None:
    """The secret from the environment variable named, so it is never on a command line."""
    if variable is None:
        return None
    secret = os.environ.get(variable)
    if not secret:
        raise ConfigError("--webhook-secret-env", f"environment variable {variable} is not set")
    return secret


def _status(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    last = store.last_run(config.tenant)
    letters = store.dead_letters(config.tenant)
    holder = store.lock_holder(config.tenant)
    now = datetime.now(UTC)
    status: dict[str, Any] = {
        "tenant": config.tenant,
        "erp": config.erp,
        "bookmarks": {
            s: _iso(store.get_bookmark(config.tenant, s)) for s in ("customers", "tasks")
        },
        "dead_letters": len(letters),
        "last_run": json.loads(last)["run_id"] if last else None,
        "lock": _lock_json(holder, now),
    }
    if args.json:
        print(json.dumps(status, indent=2))
    else:
        for key, value in status.items():
            print(f"{key}: {_lock_text(holder, now) if key == 'lock' else value}")
    return 0


def _lock_json(holder: LockHolder | None, now: datetime) -> dict[str, Any] | None:
    if holder is None:
        return None
    return {
        "owner": holder.owner,
        "host": holder.host,
        "pid": holder.pid,
        "acquired_at": holder.acquired_at.isoformat(),
        "expires_at": holder.expires_at.isoformat(),
        "live": holder.live(now),
    }


def _lock_text(holder: LockHolder | None, now: datetime) -> str:
    if holder is None:
        return "free"
    until = holder.expires_at.isoformat(timespec="seconds")
    if holder.live(now):
        return f"held by {holder}; lease renewed until {until}"
    return f"held by {holder}; lease ran out at {until} (the next run takes it over)"


def _unlock(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    """Release the tenant's lock when its lease ran out or its process is gone (on this
    host); one whose holder may still be alive only with ``--force`` (that run then stops
    after its record in flight, when its heartbeat finds the lock gone)."""
    tenant = config.tenant
    holder = store.lock_holder(tenant)
    if holder is None:
        print(f"tenant {tenant!r} is not locked")
        return 0
    if holder.live(datetime.now(UTC)) and not args.force and not _process_gone(holder):
        until = holder.expires_at.isoformat(timespec="seconds")
        print(
            f"error: tenant {tenant!r} is locked by {holder}, whose lease is renewed until "
            f"{until}: that run looks alive. Stop it (SIGTERM) or let it finish; "
            "--force unlocks anyway and it stops after its record in flight",
            file=sys.stderr,
        )
        return 1
    store.release_lock(tenant, holder.owner)
    print(f"unlocked tenant {tenant!r} (held by {holder})")
    return 0


def _process_gone(holder: LockHolder) -> bool:
    """Whether the holder's process is known to have ended: knowable on its own host only."""
    if holder.host != socket.gethostname() or holder.pid <= 0:
        return False
    try:
        os.kill(holder.pid, 0)  # signal 0: only asks whether the process exists
    except ProcessLookupError:
        return True
    except PermissionError:  # it exists, under another user
        return False
    return False


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _report(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    last = store.last_run(config.tenant)
    if last is None:
        print("no run recorded yet", file=sys.stderr)
        return 1
    print(last if args.json else json.dumps(json.loads(last), indent=2, ensure_ascii=False))
    return 0


def _retry(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    """Dead letters are retried on every pass; this runs a pass now and lists what is left."""
    code = _sync(args, config, store)
    for letter in store.dead_letters(config.tenant):
        print(f"{letter.stream} {letter.ref}: {letter.reason} ({letter.attempts} attempts)")
    return code


def _authorize(args: argparse.Namespace, config: BridgeConfig) -> int:
    """The ERP's OAuth dance: callback server on 127.0.0.1, state checked, tokens saved."""
    from .authorize import AuthorizationFailed, authorize

    try:
        authorize(config, browser=None if args.no_browser else _open, timeout=args.timeout)
    except AuthorizationFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0


def _open(url: str) -> object:
    import webbrowser

    return webbrowser.open(url)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bridge", description=__doc__)
    parser.add_argument("-v", "--verbose", action="store_true", help="log each record")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, text in (
        ("sync", "one pass"),
        ("run", "poll every poll_interval until Ctrl-C"),
        ("status", "bookmarks, dead letters, the last run and who holds the lock"),
        ("unlock", "release the tenant's lock left by a run that is gone"),
        ("report", "the last run's report"),
        ("retry-failed", "a pass now, then the dead letters left"),
        ("authorize", "an ERP that uses OAuth: authorize the app in a browser, save its tokens"),
        ("demo", "fake Auvo and a fake ERP: sync twice and print both reports"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--store", default="bridge.sqlite3", help="SQLite path or postgres:// DSN")
        cmd.add_argument("--json", action="store_true", help="print JSON")
        if name == "demo":
            cmd.add_argument("--erp", choices=erp_names(), default=DEFAULT_ERP)
        else:
            cmd.add_argument("--config", default="bridge.toml", help="the TOML settings file")
        if name == "authorize":
            cmd.add_argument(
                "--no-browser", action="store_true", help="print the URL, open no browser"
            )
            cmd.add_argument("--timeout", type=float, default=300.0, help="seconds to wait")
        if name == "run":
            cmd.add_argument(
                "--webhook",
                metavar="HOST:PORT",
                help="listen there ([::1]:PORT for IPv6) for Auvo webhooks; a burst of them "
                "starts one pass, seconds after it ends",
            )
            cmd.add_argument(
                "--webhook-path",
                default=DEFAULT_PATH,
                help="the path Auvo posts to (with a secret, Auvo posts to PATH/<secret>)",
            )
            cmd.add_argument(
                "--webhook-secret-env",
                metavar="NAME",
                help="the environment variable holding the webhook secret: a delivery must "
                "carry it in its path or in an X-Webhook-Secret or Bearer header",
            )
        if name in ("sync", "retry-failed"):
            cmd.add_argument(
                "--dry-run", action="store_true", help="read everything, write nothing"
            )
        if name == "unlock":
            cmd.add_argument(
                "--force",
                action="store_true",
                help="release it even if its run may be alive (that run then stops)",
            )
    return parser


COMMANDS = {
    "sync": _sync,
    "run": _run,
    "status": _status,
    "unlock": _unlock,
    "report": _report,
    "retry-failed": _retry,
}


PASSES = ("sync", "run", "retry-failed")
"""The commands that run passes: a stop signal finishes the record in flight."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if args.command not in PASSES:
        return _command(args)
    # Installed for the whole command, so a signal after the pass (while the report prints)
    # is handled the same way instead of by Python's default.
    with _StopSignals() as args.stop_signals:
        return _command(args)


def _command(args: argparse.Namespace) -> int:
    try:
        if args.command == "demo":
            return _demo(args)
        config = load_config(args.config)
        if args.command == "authorize":  # needs no store
            return _authorize(args, config)
        return COMMANDS[args.command](args, config, _store(args))
    except (ConfigError, TenantBusy) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except CredentialsRejected as exc:
        print(f"error: {exc.explain(args.config)}", file=sys.stderr)
        return 2
    except _StoppedNow as exc:
        print(
            "error: stopped at once by a second signal; the next run finishes the record "
            "that was in flight",
            file=sys.stderr,
        )
        return exc.exit_code
