"""``python -m bridge`` (or ``ponte-bridge``): sync, run, status, report, retry-failed,
authorize, demo."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import threading
from collections.abc import Sequence
from types import FrameType
from typing import Any

from .config import BridgeConfig, ConfigError, load_config
from .engine import run as run_pass
from .loop import ProgressLine, poll
from .nudges import WebhookListener
from .report import SyncReport
from .store import SQLiteStore, Store, TenantBusy

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
    erp: Any
    if args.erp == "bling":
        from bling.testing import FakeBling

        erp = FakeBling(rate_limit=None).client(rate_limiter=False)
    else:
        from contaazul.testing import FakeContaAzul

        erp = FakeContaAzul().client(rate_limiter=False)
    seed_erp(args.erp, erp)
    config = demo_config(args.erp)
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


def _sync(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    from .engine import sync

    progress = ProgressLine()
    try:
        report = sync(config, store, dry_run=args.dry_run, progress=progress)
    finally:
        progress.finish()
    _print(report, args.json)
    return 1 if report.failed else 0


def _run(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    """Poll every ``poll_interval`` until Ctrl-C; the record in flight is finished first."""
    stopping = threading.Event()

    def stop(signum: int, frame: FrameType | None) -> None:
        if stopping.is_set():  # a second Ctrl-C: stop now
            raise KeyboardInterrupt
        log.warning("stopping after the record in flight (Ctrl-C again to stop now)")
        stopping.set()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    progress = ProgressLine()

    def show(report: SyncReport) -> None:
        progress.finish()
        _print(report, args.json)

    wake = threading.Event()
    listener = _listener(args, wake)
    try:
        poll(config, store, stop=stopping, wake=wake, on_report=show, progress=progress)
    finally:
        if listener is not None:
            listener.stop()
    return 0


def _listener(args: argparse.Namespace, wake: threading.Event) -> WebhookListener | None:
    if not args.webhook:
        return None
    host, _, port = args.webhook.rpartition(":")
    if not port.isdigit():
        raise ConfigError(
            "--webhook", f"must be HOST:PORT (e.g. 127.0.0.1:8765), got {args.webhook!r}"
        )
    listener = WebhookListener(wake, host or "127.0.0.1", int(port), args.webhook_path).start()
    log.warning("listening for Auvo webhooks at %s", listener.url)
    return listener


def _status(args: argparse.Namespace, config: BridgeConfig, store: Store) -> int:
    last = store.last_run(config.tenant)
    letters = store.dead_letters(config.tenant)
    status: dict[str, Any] = {
        "tenant": config.tenant,
        "erp": config.erp,
        "bookmarks": {
            s: _iso(store.get_bookmark(config.tenant, s)) for s in ("customers", "tasks")
        },
        "dead_letters": len(letters),
        "last_run": json.loads(last)["run_id"] if last else None,
    }
    if args.json:
        print(json.dumps(status, indent=2))
    else:
        for key, value in status.items():
            print(f"{key}: {value}")
    return 0


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
    """Bling's OAuth dance: callback server on 127.0.0.1, state checked, tokens saved."""
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
        ("status", "bookmarks, dead letters and the last run"),
        ("report", "the last run's report"),
        ("retry-failed", "a pass now, then the dead letters left"),
        ("authorize", "Bling: authorize the app in a browser and save its tokens"),
        ("demo", "fake Auvo and a fake ERP: sync twice and print both reports"),
    ):
        cmd = sub.add_parser(name, help=text)
        cmd.add_argument("--store", default="bridge.sqlite3", help="SQLite path or postgres:// DSN")
        cmd.add_argument("--json", action="store_true", help="print JSON")
        if name == "demo":
            cmd.add_argument("--erp", choices=("contaazul", "bling"), default="contaazul")
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
                help="listen there for Auvo webhooks; each one starts the next pass at once",
            )
            cmd.add_argument(
                "--webhook-path", default="/auvo", help="the path Auvo posts to (a secret one)"
            )
        if name in ("sync", "retry-failed"):
            cmd.add_argument(
                "--dry-run", action="store_true", help="read everything, write nothing"
            )
    return parser


COMMANDS = {
    "sync": _sync,
    "run": _run,
    "status": _status,
    "report": _report,
    "retry-failed": _retry,
}


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
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
