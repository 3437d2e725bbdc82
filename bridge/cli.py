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
from datetime import UTC, date, datetime, time
from decimal import Decimal
from pathlib import Path
from types import FrameType, TracebackType
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit, urlunsplit

from sdkcore import SDKError, __version__
from sdkcore.dates import SAO_PAULO
from sdkcore.logs import LogLevelError, level_from_environment
from sdkcore.money import money_to_json_number
from sdkcore.redact import redact_text, register_secret

from .config import BridgeConfig, ConfigError, load_config, parse_duration
from .credentials import CredentialsRejected
from .engine import run as run_pass
from .erp.registry import DEFAULT_ERP, erp_names
from .loop import ProgressLine, poll, store_errors
from .report import SyncReport, failure_reason
from .store import DeadLetter, LockHolder, SQLiteStore, Store, TenantBusy
from .webhook_listener import (
    DEFAULT_ERP_PATH,
    DEFAULT_PATH,
    WebhookListener,
    WebhookPathTaken,
    listen_address,
)

if TYPE_CHECKING:
    from .automations.declare import Automation
    from .automations.run import Trial

__all__ = ["main"]

log = logging.getLogger("bridge")


DESCRIPTION = """\
Auvo and an ERP kept in step: one pass (sync), a service (run), what the store remembers
(status, report), and the settings file's automations (automations). Exit status: 0
nothing failed; 1 some records or streams failed (partial), nothing could be synced
(failed), the lock was lost, unlock/init refused, or a record an automations try read
would fail; 2 a setting to fix, credentials refused, the store unreachable, or the
tenant busy; 130 or 143 (128 + the signal) when Ctrl-C or SIGTERM stopped a pass before
it was done. run exits 0 when a first signal stops it: stopping is how a service ends."""

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
    listener = _listener(args, wake, config)
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


def _listener(
    args: argparse.Namespace, wake: threading.Event, config: BridgeConfig | None = None
) -> WebhookListener | None:
    """The listener ``--webhook`` asks for, started: Auvo's deliveries, and the ERP's (at
    ``DEFAULT_ERP_PATH``) when ``config``'s ERP sends webhooks."""
    if not args.webhook:
        return None
    host, port = listen_address(args.webhook, "--webhook")
    secret = _webhook_secret(getattr(args, "webhook_secret_env", None))
    if secret is None and config is not None and config.auvo_webhook_secret is not None:
        secret = config.auvo_webhook_secret.value("auvo.webhook_secret")  # the settings' own
    register_secret(secret)  # masked in every log record, whichever logger writes it
    kind = config.erp_kind if config is not None else None
    erp = None
    if config is not None and kind is not None and kind.webhooks is not None:
        try:
            erp = kind.webhooks(config.erp_settings)
        except ConfigError as exc:  # its signing key missing: Auvo's deliveries still nudge
            log.warning("not listening for %s webhooks: %s", kind.title, exc)
    try:
        listener = WebhookListener(wake, host, port, args.webhook_path, secret=secret, erp=erp)
    except OSError as exc:  # the port taken, an address not this host's, a name unknown
        reason = exc.strerror or str(exc)
        raise ConfigError("--webhook", f"cannot listen on {args.webhook}: {reason}") from None
    except WebhookPathTaken as exc:
        raise ConfigError("--webhook-path", str(exc)) from None
    except ValueError as exc:  # the secret's characters; the message never holds the value
        raise ConfigError("--webhook-secret-env", str(exc)) from None
    listener.start()
    # The URL holds the secret (or a path that is one): logged masked, never in clear.
    log.warning("listening for Auvo webhooks at %s", listener.redacted_url)
    if kind is not None and listener.erp_url is not None:
        log.warning("listening for %s webhooks at %s", kind.title, listener.erp_url)
    if secret is None and listener.path == DEFAULT_PATH:
        log.warning(
            "the webhook listener has no secret: anyone who reaches it can start passes "
            "(give one with --webhook-secret-env)"
        )
    return listener


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


# -- automations -------------------------------------------------------------------------


def _catalogue(args: argparse.Namespace) -> int:
    """Every system's trigger records and actions with their fields, read from the models
    the automations are checked against: the list cannot drift from them."""
    from .automations.systems import systems

    offered = systems()
    if args.system is not None and args.system not in offered:
        raise ConfigError("--system", f"{args.system!r} is not one of {', '.join(offered)}")
    chosen = [args.system] if args.system is not None else list(offered)
    listing = {system: _system_catalogue(system) for system in chosen}
    if args.json:
        print(json.dumps(listing, indent=2, ensure_ascii=False))
    else:
        print("\n\n".join(_catalogue_text(system, entry) for system, entry in listing.items()))
    return 0


def _system_catalogue(system: str) -> dict[str, Any]:
    """One system's triggers and actions as JSON: each record's model and fields (wire
    paths and types), each action's record and the fields its map may fill."""
    from .automations.check import catalogue
    from .automations.systems import surface

    offered = surface(system, "--system")

    def fields(model: Any) -> list[dict[str, str]]:
        return [{"path": field.path, "type": field.type} for field in catalogue(model)]

    triggers = {
        record: {
            "model": model.__name__,
            "customer": offered.customers.get(record),
            "fields": fields(model),
        }
        for record, model in offered.records.items()
    }
    actions: dict[str, Any] = {}
    for kind, writes in offered.actions.items():
        if writes is None:  # sets the status of a record the automation names
            actions[kind] = {"records": list(offered.records), "takes": ["record", "status"]}
        else:
            actions[kind] = {
                "record": writes.record,
                "model": writes.model.__name__,
                "fields": fields(writes.model),
            }
    return {"triggers": triggers, "actions": actions}


def _catalogue_text(system: str, entry: dict[str, Any]) -> str:
    lines = [system]
    for record, trigger in entry["triggers"].items():
        customer = f"; its customer: {trigger['customer']}" if trigger["customer"] else ""
        lines.append(f"  trigger {record} ({trigger['model']}{customer})")
        lines += _field_lines(trigger["fields"])
    for kind, action in entry["actions"].items():
        if "fields" not in action:
            records = ", ".join(action["records"])
            lines.append(f"  action {kind}: record (one of {records}) and status")
            continue
        lines.append(f"  action {kind}: writes {action['record']} ({action['model']})")
        lines += _field_lines(action["fields"])
    return "\n".join(lines)


def _field_lines(fields: list[dict[str, str]]) -> list[str]:
    width = max((len(field["path"]) for field in fields), default=0)
    return [f"      {field['path']:<{width}}  {field['type']}" for field in fields]


def _since(text: str, now: datetime) -> datetime:
    """``--since``: a date or a date and time (in São Paulo's time unless it gives an
    offset), or a duration back from ``now`` (``7d``, ``12h``)."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        try:
            return now - parse_duration(text, "--since")
        except ConfigError:
            raise ConfigError(
                "--since",
                f"{text!r} is neither a date (2024-05-31, or 2024-05-31T08:00 with or without "
                "an offset) nor a duration back from now (7d, 12h)",
            ) from None
    moment = moment if moment.tzinfo is not None else moment.replace(tzinfo=SAO_PAULO)
    if moment > now:
        raise ConfigError("--since", f"{text!r} is in the future")
    return moment


def _wire_value(value: object) -> object:
    """A payload's value as its JSON body carries it: an amount as a JSON number with its
    own digits, a date or instant in ISO form."""
    if isinstance(value, Decimal):
        try:
            return money_to_json_number(value)
        except ValueError:  # more digits than a JSON number keeps: the send would refuse it
            return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


def _try(args: argparse.Namespace, config: BridgeConfig) -> int:
    """The automation over its trigger's recent records, writing nothing: per record
    whether it fires, whether the filters pass, and the payload the action would send."""
    from .automations.run import automation_named, try_automation
    from .engine import ready

    automation = automation_named(config, args.name)
    since = None if args.since is None else _since(args.since, datetime.now(UTC))
    store = _store_to_read(args)
    try:
        with ready(config, None, None) as (auvo, erp):  # a base URL refused: a ConfigError
            trials = try_automation(
                config, store, automation.name, auvo=auvo, erp=erp, since=since, limit=args.limit
            )
    except SDKError as exc:  # a system unreachable or refusing the read
        reason = failure_reason(exc)
        print(f"error: {automation.name!r} could not read its records: {reason}", file=sys.stderr)
        return 1
    if args.json:
        shown = {
            "automation": automation.name,
            "since": _iso(since),
            "records": [_trial_json(trial) for trial in trials],
        }
        print(json.dumps(shown, indent=2, ensure_ascii=False, default=_wire_value))
    else:
        print(_trials_text(automation, since, trials))
    return 1 if any(trial.error for trial in trials) else 0


def _store_to_read(args: argparse.Namespace) -> Store:
    """The store, when there is one; else an empty one in memory (nothing has acted yet),
    as a dry ``try`` makes no file."""
    location: str = args.store
    if location.startswith(("postgres://", "postgresql://")) or Path(location).exists():
        return _store(args)
    return SQLiteStore(":memory:")


def _trial_json(trial: Trial) -> dict[str, Any]:
    return {
        "record_id": trial.record_id,
        "version": trial.version,
        "fires": trial.fires,
        "passes": trial.passes,
        "payload": trial.payload,
        "error": trial.error,
    }


def _trials_text(automation: Automation, since: datetime | None, trials: list[Trial]) -> str:
    trigger = automation.trigger
    window = f" since {since.isoformat(timespec='seconds')}" if since is not None else ""
    count = f"{len(trials)} record{'s' if len(trials) != 1 else ''}"
    lines = [f"{automation.name}: {count} of {trigger.system} {trigger.record}{window}"]
    action = automation.action
    for trial in trials:
        head = f"  {trigger.record} {trial.record_id} (version {trial.version}): "
        if not trial.fires:
            head += "the trigger does not fire"
        elif not trial.passes:
            head += "fires; the filters refuse it"
        else:
            head += "fires, filters pass"
        if trial.error is not None:
            lines.append(f"{head}; would fail: {trial.error}")
        elif trial.payload is not None:
            lines.append(f"{head}; {action.system} {action.kind} would send:")
            payload = json.dumps(trial.payload, indent=2, ensure_ascii=False, default=_wire_value)
            lines += [f"    {line}" for line in payload.splitlines()]
        else:
            lines.append(head)
    return "\n".join(lines)


def _replay(args: argparse.Namespace, config: BridgeConfig) -> int:
    """The automation again over its trigger's records since ``--since``, acting only where
    a record's version has not acted yet."""
    from .automations.run import automation_named
    from .engine import replay

    automation = automation_named(config, args.name)  # before a store is opened (or made)
    since = _since(args.since, datetime.now(UTC))
    report = replay(config, _store(args), automation.name, since, dry_run=args.dry_run)
    _print(report, args.json)
    return EXIT_STATUS.get(report.status, 1)


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
                help="listen there ([::1]:PORT for IPv6) for Auvo webhooks, and for the ERP's "
                f"at {DEFAULT_ERP_PATH} when it sends signed ones; a burst of them starts one "
                "pass, seconds after it ends",
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
    _automations_parser(sub, after)
    from .fleet.cli_tenants import add_tenants_parser

    add_tenants_parser(sub, after, formatter)
    from .fleet.cli_temporal import add_commands as add_temporal_commands

    add_temporal_commands(sub, after, formatter)
    return parser


def _automations_parser(sub: Any, after: argparse.ArgumentParser) -> None:
    """``automations catalogue|try|replay``."""
    formatter = _HelpFormatter
    text = "the automations of the settings file: what they can use, a dry try, a replay"
    group = sub.add_parser("automations", help=text, description=text, formatter_class=formatter)
    commands = group.add_subparsers(dest="automations_command", required=True, metavar="COMMAND")
    since = (
        "a date (2024-05-31), a date and time (2024-05-31T08:00, in São Paulo's time unless "
        "it has an offset) or a duration back from now (7d, 12h)"
    )

    def command(name: str, text: str) -> argparse.ArgumentParser:
        cmd: argparse.ArgumentParser = commands.add_parser(
            name, help=text, description=text, parents=[after], formatter_class=formatter
        )
        return cmd

    catalogue = command(
        "catalogue",
        "every record a trigger can watch and every action, per system, with their fields "
        "and types, as the settings file names them",
    )
    catalogue.add_argument("--system", metavar="SYSTEM", help="only this one (auvo or an ERP)")
    catalogue.add_argument("--json", action="store_true", help="print JSON")
    trial = command(
        "try",
        "read the trigger's recent records and print, for each, whether it fires, whether "
        "the filters pass and the exact payload the action would send; writes nothing "
        "(exit status 1 when a record would fail)",
    )
    trial.add_argument("name", metavar="NAME", help="the automation's name")
    trial.add_argument(
        "--since",
        metavar="DATE|DURATION",
        help=f"read the records changed since then: {since} (default: the trigger's lookback, "
        "else schedule.initial_lookback, back from now)",
    )
    trial.add_argument(
        "--limit", type=_positive, default=10, metavar="N", help="at most this many records"
    )
    replay = command(
        "replay",
        "run one automation again over the records changed since a date, acting only on "
        "those it has not acted on yet",
    )
    replay.add_argument("name", metavar="NAME", help="the automation's name")
    replay.add_argument("--since", metavar="DATE", required=True, help=since)
    replay.add_argument(
        "--dry-run",
        action="store_true",
        help="write nothing to either system (nor to the store), and list what it would do",
    )
    for cmd in (trial, replay):
        cmd.add_argument(
            "--store", default="bridge.sqlite3", help="a SQLite path or a postgresql:// URL"
        )
        cmd.add_argument("--config", default="bridge.toml", help="the TOML settings file")
        cmd.add_argument("--json", action="store_true", help="print JSON")


def _positive(text: str) -> int:
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return number


COMMANDS = {
    "sync": _sync,
    "run": _run,
    "status": _status,
    "unlock": _unlock,
    "report": _report,
    "retry-failed": _retry,
}


AUTOMATION_COMMANDS = {"try": _try, "replay": _replay}


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
    except BrokenPipeError:  # the reader left early (| head): no traceback, as cat does
        _stdout_to_nowhere()
        return 128 + signal.SIGPIPE


def _stdout_to_nowhere() -> None:
    """Point standard output at the null device, so the interpreter's last flush of what
    is still buffered for the reader that left does not fail again at exit."""
    try:
        nowhere = os.open(os.devnull, os.O_WRONLY)
        os.dup2(nowhere, sys.stdout.fileno())
    except (OSError, ValueError):  # a stdout with no descriptor (a test's capture)
        pass


def _command(args: argparse.Namespace) -> int:
    try:
        if args.command == "demo":
            return _demo(args)
        if args.command == "init":
            return _init(args)
        if args.command == "tenants":  # the fleet's registry: no settings file of its own
            from .fleet.cli_tenants import run_tenants

            return run_tenants(args)
        if args.command in ("worker", "schedules", "webhooks"):  # the fleet on Temporal
            from .fleet.cli_temporal import run_command

            return run_command(args)
        if args.command == "automations" and args.automations_command == "catalogue":
            return _catalogue(args)  # the models': no settings
        config = load_config(args.config)
        if args.command == "authorize":  # needs no store
            return _authorize(args, config)
        if args.command == "automations":
            return AUTOMATION_COMMANDS[args.automations_command](args, config)
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
