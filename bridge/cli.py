"""The bridge's command line: ``python -m bridge`` or ``ponte-bridge`` (``main``)."""

from __future__ import annotations

import argparse
import json
import logging
import os
import signal
import socket
import sqlite3
import sys
import threading
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from types import FrameType, TracebackType
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from sdkcore import __version__
from sdkcore.logs import LogLevelError, level_from_environment
from sdkcore.redact import redact_text, register_secret

from .config import BridgeConfig, ConfigError, load_config
from .credentials import CredentialsRejected
from .engine import run as run_pass
from .erp.registry import DEFAULT_ERP, erp_names
from .loop import ProgressLine, poll, store_errors
from .report import SyncReport
from .store import DeadLetter, LockHolder, SQLiteStore, Store, TenantBusy
from .webhook_listener import DEFAULT_PATH, WebhookListener

__all__ = ["main"]

log = logging.getLogger("bridge")


DESCRIPTION = """\
Auvo and an ERP kept in step: one pass (sync), a service (run), and what the store
remembers (status, report). Exit status: 0 nothing failed; 1 some records or streams
failed (partial), nothing could be synced (failed), the lock was lost, or unlock/init
refused; 2 a setting to fix, credentials refused, the store unreachable, or the tenant
busy; 130 or 143 (128 + the signal) when Ctrl-C or SIGTERM stopped a pass before it was
done. run exits 0 when a first signal stops it: stopping is how a service ends."""

EXIT_STATUS = {
    "ok": 0,
    "partial": 1,
    "failed": 1,
    "lock_lost": 1,  # cut short by another run: a Kubernetes Job must not count it done
    "stopped": 1,  # by a signal, 128 + its number instead (see _sync)
    "credentials_rejected": 2,
}
"""The exit status of a pass (``sync``, ``retry-failed``) by its report's status (one of
``bridge.report.STATUSES``)."""

READ_ONLY = ("status", "report", "unlock")
"""The commands that only read a store: one that does not exist is refused, not made."""


class StoreUnavailable(Exception):
    """The store named by ``--store`` cannot be opened (a database down or refusing us)."""


def _store(args: argparse.Namespace) -> Store:
    location: str = args.store
    if location.startswith(("postgres://", "postgresql://")):
        return _postgres(location)
    if args.command in READ_ONLY and location != ":memory:" and not Path(location).exists():
        raise ConfigError(
            "--store",
            f"there is no store at {location} (a sync makes one): check the path, or the "
            "directory this runs in",
        )
    try:
        return SQLiteStore(location)
    except sqlite3.Error as exc:
        raise StoreUnavailable(f"cannot open the store at {location}: {exc}") from None


def _postgres(dsn: str) -> Store:
    parts = urlsplit(dsn)
    register_secret(parts.password)  # masked in any message that quotes it
    from .store.postgres import PostgresStore

    try:
        return PostgresStore(dsn)
    except ImportError as exc:  # psycopg, the optional extra, is imported as it opens
        raise ConfigError("--store", str(exc)) from None
    except store_errors() as exc:  # the server down, refusing us, no such database
        shown = parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@"))
        where = urlunsplit(shown) if parts.password else dsn
        lines = str(exc).strip().splitlines()  # psycopg adds hints on further lines
        reason = redact_text(lines[0]) if lines else type(exc).__name__
        raise StoreUnavailable(f"cannot open the store at {where}: {reason}") from None


def _demo(args: argparse.Namespace) -> int:
    from auvo.testing import FakeAuvo

    from .demo import demo_config, explain, seed_auvo, seed_erp

    fake_auvo = FakeAuvo()
    seed_auvo(fake_auvo)
    config = demo_config(args.erp)
    erp = config.erp_kind.fake.make(None, False).client(rate_limiter=False)
    seed_erp(args.erp, erp)
    store = SQLiteStore(args.store)
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
        print("\n".join(explain(*reports)))
    return 0  # the demo's failure is seeded on purpose: the walkthrough went as it should


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
    return EXIT_STATUS.get(report.status, 1)


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
    saved = store.last_run(config.tenant)
    last = SyncReport.from_dict(json.loads(saved)) if saved else None
    letters = store.dead_letters(config.tenant)
    holder = store.lock_holder(config.tenant)
    now = datetime.now(UTC)
    bookmarks = {s: store.get_bookmark(config.tenant, s) for s in ("customers", "tasks")}
    if args.json:
        status: dict[str, Any] = {
            "tenant": config.tenant,
            "erp": config.erp,
            "bookmarks": {name: _iso(moment) for name, moment in bookmarks.items()},
            "dead_letters": len(letters),
            "last_run": last.run_id if last else None,
            "last_status": last.status if last else None,
            "lock": _lock_json(holder, now),
        }
        print(json.dumps(status, indent=2))
        return 0
    print(f"tenant: {config.tenant} (erp {config.erp})")
    print(f"last run: {_run_text(last)}")
    marks = ", ".join(f"{name} {_when(moment)}" for name, moment in bookmarks.items())
    print(f"bookmarks: {marks}")
    print(f"dead letters: {len(letters) or 'none'}")
    for letter in letters:
        print(f"  {_letter_text(letter)}")
    print(f"lock: {_lock_text(holder, now)}")
    return 0


def _run_text(report: SyncReport | None) -> str:
    if report is None:
        return "none yet"
    started = report.started_at.isoformat(timespec="seconds")
    failed = f", {report.failed} failed" if report.failed else ""
    return f"{report.run_id} {report.status} ({report.changed} changed{failed}), at {started}"


def _when(moment: datetime | None) -> str:
    return moment.isoformat(timespec="seconds") if moment is not None else "never"


def _letter_text(letter: DeadLetter) -> str:
    tries = f"{letter.attempts} attempt{'s' if letter.attempts != 1 else ''}"
    next_try = f", next try {_when(letter.next_at)}" if letter.next_at else ", next pass"
    return f"{letter.stream} {letter.ref}: {letter.reason} ({tries}{next_try})"


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
    _print(SyncReport.from_dict(json.loads(last)), args.json)
    return 0


def _init(args: argparse.Namespace) -> int:
    """Write the commented starting settings file, never over one without ``--force``."""
    from .starter import starter_settings

    path = Path(args.path)
    if path.exists() and not args.force:
        print(f"error: {path} exists; --force replaces it", file=sys.stderr)
        return 1
    try:
        path.write_text(starter_settings(), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), f"cannot be written: {exc.strerror or exc}") from None
    print(f"wrote {path}: fill in the lines marked required, then: python -m bridge sync")
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


class _HelpFormatter(argparse.HelpFormatter):
    """Each option's default after its help, when it has one worth saying."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        default = action.default
        if default in (None, False, argparse.SUPPRESS) or "%(default)" in text:
            return text
        return f"{text} (default: %(default)s)"


def _prog() -> str:
    """The name the program was started by: ``ponte-bridge`` (the console script) or
    ``python -m bridge``."""
    started = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else ""
    return "python -m bridge" if started in ("", "__main__.py", "-m", "-c") else started


def _parser() -> argparse.ArgumentParser:
    prog = _prog()
    formatter = _HelpFormatter
    # Global options, accepted before the command and after it: there they default to
    # SUPPRESS, so a value given before the command is not reset by the command's parser.
    after = argparse.ArgumentParser(add_help=False)
    after.add_argument(
        "-v", "--verbose", action="store_true", default=argparse.SUPPRESS, help="log each record"
    )
    parser = argparse.ArgumentParser(prog=prog, description=DESCRIPTION, formatter_class=formatter)
    parser.add_argument("-v", "--verbose", action="store_true", help="log each record")
    parser.add_argument("--version", action="version", version=f"ponte-bridge {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, text in (
        ("sync", "one pass"),
        ("run", "a pass every poll_interval until Ctrl-C or SIGTERM"),
        ("status", "bookmarks, dead letters, the last run and who holds the lock"),
        ("unlock", "release the tenant's lock left by a run that is gone"),
        ("report", "the last run's report"),
        ("retry-failed", "a pass now, then the dead letters left"),
        ("authorize", "an ERP that uses OAuth: authorize the app in a browser, save its tokens"),
        ("demo", "fake Auvo and a fake ERP: sync twice and print both reports"),
        ("init", "write a starting settings file, every setting commented with its default"),
    ):
        cmd = sub.add_parser(
            name, help=text, description=text, parents=[after], formatter_class=formatter
        )
        if name == "init":
            cmd.add_argument(
                "path", nargs="?", default="bridge.toml", metavar="PATH", help="where to write it"
            )
            cmd.add_argument("--force", action="store_true", help="replace a file already there")
            continue
        if name == "demo":
            cmd.add_argument(
                "--store", default=":memory:", help="a SQLite path to keep the demo's store in"
            )
            cmd.add_argument("--erp", choices=erp_names(), default=DEFAULT_ERP, help="the ERP")
        else:
            cmd.add_argument(
                "--store", default="bridge.sqlite3", help="a SQLite path or a postgresql:// URL"
            )
            cmd.add_argument("--config", default="bridge.toml", help="the TOML settings file")
        cmd.add_argument("--json", action="store_true", help="print JSON")
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
                "--dry-run",
                action="store_true",
                help="read both systems, write nothing to either (nor to the store), and list "
                "what a pass would create, update or link",
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
    """Run the command ``argv`` names; returns the exit status (see ``DESCRIPTION``)."""
    args = _parser().parse_args(argv)
    try:
        level_from_environment()  # a PONTE_LOG the clients cannot read: say so once, now
    except LogLevelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    try:
        if args.command not in PASSES:
            return _command(args)
        # Installed for the whole command, so a signal after the pass (while the report
        # prints) is handled the same way instead of by Python's default.
        with _StopSignals() as args.stop_signals:
            return _command(args)
    except KeyboardInterrupt:  # Ctrl-C outside a pass: demo, status, authorize's wait
        print("error: interrupted", file=sys.stderr)
        return 128 + signal.SIGINT


def _command(args: argparse.Namespace) -> int:
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "init":
            return _init(args)
        config = load_config(args.config)
        if args.command == "authorize":  # needs no store
            return _authorize(args, config)
        return COMMANDS[args.command](args, config, _store(args))
    except (ConfigError, TenantBusy, StoreUnavailable) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except store_errors() as exc:  # the store failed in the middle of the work
        print(f"error: the store failed: {redact_text(str(exc))}", file=sys.stderr)
        return 1
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
