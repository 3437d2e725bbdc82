"""A fleet worker: a Temporal worker process running tenants' passes (``python -m bridge
worker``). Passes are sync code (``bridge.sync``), so each runs on a thread of a pool; the
workflows are Temporal's and cost the process next to nothing."""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import signal
from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import TYPE_CHECKING

from temporalio.client import Client
from temporalio.worker import Worker
from temporalio.worker.workflow_sandbox import SandboxedWorkflowRunner, SandboxRestrictions

from sdkcore.logs import module_logger

from .temporal import TASK_QUEUE, TenantActivities, TenantTick, TenantWorkflow, connect

if TYPE_CHECKING:
    from ..config import BridgeConfig
    from ..report import StreamReport, SyncReport
    from ..store import Store

__all__ = [
    "CACHED_WORKFLOWS",
    "DEFAULT_PASSES",
    "SHUTDOWN_GRACE",
    "fleet_activities",
    "run_worker",
    "worker",
]

log = module_logger(__name__)

DEFAULT_PASSES = 8
"""Passes one worker runs at once. A pass mostly waits on the APIs (and their rate limits),
so a core carries several."""
CACHED_WORKFLOWS = 16
"""Workflows a worker keeps in memory between their tasks (Temporal's default is 1,000). A
tenant's workflow is one activity, so keeping one spares only the replay of a few events
when its pass ends, while each kept (sandboxed) costs some 100 KB: with the default, a
worker held every tenant signalled and waiting for a pass."""
SHUTDOWN_GRACE = timedelta(seconds=60)
"""How long a stopping worker lets its passes finish their records in flight; each then
fails over to another worker, which goes on from there."""


@contextlib.contextmanager
def fleet_activities(dsn: str) -> Iterator[TenantActivities]:
    """The activity with the fleet's registry, store, OAuth tokens and rate limits, all in
    the PostgreSQL database at ``dsn`` (opened now: a database that cannot be reached or
    migrated fails here, before the worker takes any work); closed on leaving."""
    from ..engine import sync
    from ..store.postgres import PostgresStore
    from .clients import tenant_clients
    from .limits import PostgresRateLimits
    from .registry import TenantRegistry
    from .tokens import PostgresTokenStores

    PostgresStore(dsn).close()  # migrates the database to this version's tables
    registry = TenantRegistry(dsn)
    tokens, limits = PostgresTokenStores(dsn), PostgresRateLimits(dsn)

    def run_pass(
        config: BridgeConfig,
        store: Store,
        *,
        progress: Callable[[StreamReport], None],
        stop: Callable[[], bool],
    ) -> SyncReport:
        with tenant_clients(config, tokens, limits) as (auvo, erp):
            return sync(config, store, auvo=auvo, erp=erp, progress=progress, stop=stop)

    try:
        yield TenantActivities(registry, lambda: PostgresStore(dsn), run_pass)
    finally:
        for opened in (registry, tokens, limits):
            opened.close()


@contextlib.contextmanager
def worker(
    client: Client,
    activities: TenantActivities,
    *,
    task_queue: str = TASK_QUEUE,
    passes: int = DEFAULT_PASSES,
) -> Iterator[Worker]:
    """A Temporal worker for the tenants' workflows and ``activities``, with a pool of
    ``passes`` threads (shut down on leaving; run the worker with ``async with``)."""
    with concurrent.futures.ThreadPoolExecutor(passes, thread_name_prefix="ponte-pass") as pool:
        yield Worker(
            client,
            task_queue=task_queue,
            workflows=[TenantWorkflow, TenantTick],
            activities=[activities.sync_tenant],
            activity_executor=pool,
            max_concurrent_activities=passes,
            max_cached_workflows=CACHED_WORKFLOWS,
            graceful_shutdown_timeout=SHUTDOWN_GRACE,
            # The workflows' module imports nothing of the bridge's at run time: the sandbox
            # need not load the bridge (and its clients) again for every workflow it runs.
            workflow_runner=SandboxedWorkflowRunner(
                restrictions=SandboxRestrictions.default.with_passthrough_modules(
                    "bridge", "sdkcore"
                )
            ),
        )


async def run_worker(
    address: str,
    dsn: str,
    *,
    namespace: str = "default",
    task_queue: str = TASK_QUEUE,
    passes: int = DEFAULT_PASSES,
    stop: asyncio.Event | None = None,
) -> None:
    """Run a worker against the Temporal cluster at ``address`` until ``stop`` is set (by
    default: until SIGINT or SIGTERM); then the passes under way finish their records in
    flight and go on elsewhere."""
    client = await connect(address, namespace)
    with (
        fleet_activities(dsn) as activities,
        _stop_signals(stop) as stopping,
        worker(client, activities, task_queue=task_queue, passes=passes) as running,
    ):
        async with running:
            log.warning(
                "worker on %s, task queue %s, %d passes at once", address, task_queue, passes
            )
            await stopping.wait()
            log.warning("stopping: the passes under way finish their records in flight")


@contextlib.contextmanager
def _stop_signals(stop: asyncio.Event | None) -> Iterator[asyncio.Event]:
    """``stop``, or an event SIGINT and SIGTERM set while the block runs."""
    if stop is not None:
        yield stop
        return
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stopping.set)
    try:
        yield stopping
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)
