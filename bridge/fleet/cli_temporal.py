"""``python -m bridge worker``, ``python -m bridge schedules sync`` and ``python -m bridge
webhooks``: the fleet's commands on Temporal (``pip install 'ponte-sdk[temporal]'``).
``temporalio`` is imported only when one of them runs, so the rest of the CLI works without
the extra.

The webhook receiver is a command of its own, not an option of ``worker``: it is the one
part of the fleet exposed to the internet, so it runs behind the ingress with only the
webhook secrets and the ERPs' signing keys in its environment, none of the API credentials
the passes use; it scales with deliveries, workers with passes; and a worker's restart, or
a shutdown that waits for its passes, never drops a delivery."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from typing import Any

from ..errors import ConfigError
from .cli_tenants import STORE_ENV, _dsn

__all__ = ["COMMANDS", "add_commands", "run_command"]

COMMANDS = ("worker", "schedules", "webhooks")
"""The top-level commands this module adds."""

TEMPORAL_ENV = "PONTE_TEMPORAL"
"""The environment variable naming the Temporal frontend when ``--temporal`` is not given."""
DEFAULT_TASK_QUEUE = "ponte-bridge"
"""``temporal.TASK_QUEUE``, named here without importing temporalio."""


def add_commands(sub: Any, after: argparse.ArgumentParser, formatter: Any) -> None:
    """Add ``worker``, ``schedules sync`` and ``webhooks`` to the CLI's subcommands ``sub``
    (``after``: the global options a command also takes after its name)."""
    text = "run tenants' passes for a Temporal cluster until SIGINT or SIGTERM"
    worker = sub.add_parser(
        "worker", help=text, description=text, parents=[after], formatter_class=formatter
    )
    _connection(worker)
    worker.add_argument(
        "--passes", type=_positive, default=8, metavar="N", help="passes run at once"
    )
    text = "the tenants' Temporal schedules"
    group = sub.add_parser("schedules", help=text, description=text, formatter_class=formatter)
    commands = group.add_subparsers(dest="schedules_command", required=True, metavar="COMMAND")
    text = (
        "create, update and delete the schedules of --task-queue to match the registry: one "
        "per tenant at its poll_interval, paused when the tenant is (other queues' schedules "
        "are left alone); exit 1 when a tenant's schedule had to be left as it was"
    )
    sync = commands.add_parser(
        "sync", help=text, description=text, parents=[after], formatter_class=formatter
    )
    _connection(sync)
    sync.add_argument("--json", action="store_true", help="print JSON")
    text = (
        "receive every tenant's webhook deliveries (Auvo's at /auvo/TENANT/SECRET, the "
        "ERP's at /erp/TENANT), each asking for the tenant's pass now, until SIGINT or SIGTERM"
    )
    hooks = sub.add_parser(
        "webhooks", help=text, description=text, parents=[after], formatter_class=formatter
    )
    _connection(hooks)
    hooks.add_argument(
        "--listen",
        required=True,
        metavar="HOST:PORT",
        help="where to listen ([::1]:PORT for IPv6; :PORT for loopback); put it behind your "
        "HTTPS proxy",
    )


def _connection(cmd: argparse.ArgumentParser) -> None:
    cmd.add_argument(
        "--temporal",
        metavar="HOST:PORT",
        help=f"the Temporal cluster's frontend (default: ${TEMPORAL_ENV})",
    )
    cmd.add_argument(
        "--store",
        metavar="DSN",
        help=f"the fleet's PostgreSQL (postgresql:// URL or libpq DSN; default: ${STORE_ENV})",
    )
    cmd.add_argument("--namespace", default="default", help="the Temporal namespace")
    cmd.add_argument(
        "--task-queue", default=DEFAULT_TASK_QUEUE, help="the task queue the workers poll"
    )


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number of 1 or more")
    return int(text)


EXTRA_MODULES = {"temporalio": "--temporal", "psycopg": "--store"}
"""The modules the ``temporal`` extra brings, each with the option whose service needs it."""


def run_command(args: argparse.Namespace) -> int:
    """Run ``worker``, ``schedules sync`` or ``webhooks``; ``ConfigError`` for a missing
    option or extra."""
    args.store = _dsn(args)
    args.temporal = args.temporal or os.environ.get(TEMPORAL_ENV)
    if not args.temporal:
        raise ConfigError(
            "--temporal", f"is required: pass --temporal HOST:PORT or set {TEMPORAL_ENV}"
        )
    try:
        return _run(args)
    except ImportError as exc:
        module = _missing_module(exc)
        if module is None:  # not the extra's: a fault to show in full
            raise
        raise ConfigError(
            EXTRA_MODULES[module],
            f"the fleet on Temporal needs {module}: pip install 'ponte-sdk[temporal]'",
        ) from None


def _missing_module(exc: BaseException | None) -> str | None:
    """Which of ``EXTRA_MODULES`` failed to import, when that is what ``exc`` (or the
    error it was raised from) says; ``None`` for any other import failure."""
    while exc is not None:
        if isinstance(exc, ImportError) and exc.name:
            module = exc.name.partition(".")[0]
            return module if module in EXTRA_MODULES else None
        exc = exc.__cause__
    return None


def _run(args: argparse.Namespace) -> int:
    from temporalio.service import RPCError

    try:
        if args.command == "worker":
            return asyncio.run(_worker(args))
        if args.command == "webhooks":
            return asyncio.run(_webhooks(args))
        return asyncio.run(_sync_schedules(args))
    except ConnectionError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except RPCError as exc:  # a namespace that does not exist, say
        print(f"error: Temporal refused: {exc}", file=sys.stderr)
        return 1


async def _worker(args: argparse.Namespace) -> int:
    from .worker import run_worker

    await run_worker(
        args.temporal,
        args.store,
        namespace=args.namespace,
        task_queue=args.task_queue,
        passes=args.passes,
    )
    return 0


async def _webhooks(args: argparse.Namespace) -> int:
    from ..webhook_listener import listen_address
    from .webhooks import serve_webhooks

    host, port = listen_address(args.listen, "--listen")
    try:
        await serve_webhooks(
            args.temporal,
            args.store,
            host,
            port,
            namespace=args.namespace,
            task_queue=args.task_queue,
        )
    except OSError as exc:  # the port taken, an address not this host's, a name unknown
        if isinstance(exc, ConnectionError):  # Temporal away: said by run_command
            raise
        reason = exc.strerror or str(exc)
        raise ConfigError("--listen", f"cannot listen on {args.listen}: {reason}") from None
    return 0


async def _sync_schedules(args: argparse.Namespace) -> int:
    from .registry import TenantRegistry
    from .temporal import connect, sync_schedules

    client = await connect(args.temporal, args.namespace)
    registry = TenantRegistry(args.store)
    try:
        changes = await sync_schedules(client, registry, args.task_queue)
    finally:
        registry.close()
    if args.json:
        print(json.dumps(vars(changes), indent=2))
    else:
        for verb, names in (
            ("created", changes.created),
            ("updated", changes.updated),
            ("deleted", changes.deleted),
        ):
            for name in names:
                print(f"{verb} schedule of tenant {name}")
        print(
            f"{len(changes.created)} created, {len(changes.updated)} updated, "
            f"{len(changes.deleted)} deleted, {len(changes.unchanged)} unchanged, "
            f"{len(changes.failed)} failed"
        )
    for name, reason in changes.failed.items():
        print(f"error: tenant {name}'s schedule left as it is: {reason}", file=sys.stderr)
    return 1 if changes.failed else 0
