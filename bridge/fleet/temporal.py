"""The fleet on Temporal (``pip install 'ponte-sdk[temporal]'``): Temporal schedules each
tenant's passes, and ``bridge.sync`` does each pass, as it does anywhere else.

- One workflow id per tenant, ``ponte-tenant-<name>`` (``TenantWorkflow``): Temporal runs
  at most one workflow of an id at a time, so a tenant never runs twice at once, whichever
  worker, machine or trigger starts it. A run is one pass; a ``run_now`` signal during it
  asks for one more pass after it (the workflow continues as new).
- One schedule per tenant, ``ponte-schedule-<name>``, every ``poll_interval`` with overlap
  skipped (``sync_schedules`` keeps them matching the registry, touching only the schedules
  of its task queue). Temporal suffixes the ids of the workflows a schedule starts, so a
  schedule starts a ``TenantTick``, which starts the tenant's workflow under its own id, or
  does nothing while a pass is under way.
- The activity ``sync_tenant`` runs one pass with the registry's settings and the fleet's
  PostgreSQL store, heartbeating on each record: a worker that dies mid-pass is noticed
  within ``HEARTBEAT_TIMEOUT`` and the pass runs again on another worker, where the store's
  write protocol finishes what was in flight with nothing made twice.
- Webhook deliveries call ``signal_tenant``: signal-with-start of ``run_now``.
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import hashlib
import json
import re
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, Any, Protocol

from temporalio import activity, workflow
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleAlreadyRunningError,
    ScheduleIntervalSpec,
    ScheduleListActionStartWorkflow,
    ScheduleListDescription,
    ScheduleOverlapPolicy,
    SchedulePolicy,
    ScheduleSpec,
    ScheduleState,
    ScheduleUpdate,
    ScheduleUpdateInput,
    WorkflowHandle,
)
from temporalio.common import RetryPolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import ParentClosePolicy

if TYPE_CHECKING:
    from ..config import BridgeConfig
    from ..report import StreamReport, SyncReport
    from ..store import Store
    from .registry import Tenant

__all__ = [
    "HEARTBEAT_TIMEOUT",
    "PASS_RETRIES",
    "PASS_TIMEOUT",
    "RUN_NOW",
    "TASK_QUEUE",
    "PassOutcome",
    "ScheduleChanges",
    "TenantActivities",
    "TenantTick",
    "TenantWorkflow",
    "connect",
    "schedule_id",
    "signal_tenant",
    "sync_schedules",
    "workflow_id",
]

TASK_QUEUE = "ponte-bridge"
"""The task queue the workers poll and the schedules start workflows on, by default."""
WORKFLOW_ID_PREFIX = "ponte-tenant-"
SCHEDULE_ID_PREFIX = "ponte-schedule-"
RUN_NOW = "run_now"
"""The signal asking a tenant's workflow for a pass now (or one more, after the current)."""

HEARTBEAT_TIMEOUT = timedelta(seconds=10)
"""How long Temporal waits for a pass's heartbeat before it takes the worker for dead and
runs the pass again elsewhere."""
PASS_TIMEOUT = timedelta(hours=12)
"""The longest one attempt at a pass may run (a first sync of a large company is long)."""
PASS_RETRIES = RetryPolicy(
    initial_interval=timedelta(seconds=1),
    backoff_coefficient=2.0,
    # The store's lock lease (30 s by default): a pass retried after its worker died waits
    # that long for the dead run's lock, and is not left waiting much longer.
    maximum_interval=timedelta(seconds=10),
    maximum_attempts=30,
)
"""How a pass that failed as a whole (its worker gone, the store unreachable, the tenant's
lock still held) is tried again; a setting to fix or refused credentials are not retried:
the next scheduled pass tries again."""
STARTS_AT_ONCE = 32
"""Schedule requests ``sync_schedules`` keeps in flight at once."""


def workflow_id(name: str) -> str:
    """The id of tenant ``name``'s workflow: one at a time per id, so one pass at a time."""
    return WORKFLOW_ID_PREFIX + name


def schedule_id(name: str) -> str:
    """The id of tenant ``name``'s schedule."""
    return SCHEDULE_ID_PREFIX + name


@dataclass(frozen=True)
class PassOutcome:
    """What one activity did for a tenant: ``status`` is a ``SyncReport`` status, or
    ``paused`` (the tenant is paused: nothing ran) or ``removed`` (no such tenant any
    more). The full report is in the store (``python -m bridge report``)."""

    tenant: str
    status: str
    run_id: str | None = None
    changed: int = 0
    failed: int = 0


class TenantSource(Protocol):
    """Where a worker finds a tenant's settings: ``bridge.fleet.TenantRegistry``."""

    def get(self, name: str) -> Tenant:
        """The tenant (its ``paused`` flag); ``LookupError`` when there is none."""

    def config(self, name: str) -> BridgeConfig:
        """Its settings as a pass runs them."""


class TenantPass(Protocol):
    """One pass of a tenant's config on a store: ``bridge.sync`` with the tenant's clients
    (``bridge.fleet.worker.fleet_activities`` builds them from the fleet's database)."""

    def __call__(
        self,
        config: BridgeConfig,
        store: Store,
        *,
        progress: Callable[[StreamReport], None],
        stop: Callable[[], bool],
    ) -> SyncReport: ...


class _Heartbeat:
    """Tells Temporal the pass lives: on each record (``record``, the pass's ``progress``)
    with the stream and its counts, and between records every third of the timeout, so a
    long wait (a rate limit's, a slow page) is not taken for a dead worker. The thread dies
    with its process, which is what makes a killed worker show."""

    def __init__(self, every: float) -> None:
        self._every = every
        self._details: dict[str, Any] = {}
        self._stopped = threading.Event()
        # activity.heartbeat finds its activity in the context: the thread runs in a copy.
        context = contextvars.copy_context()
        self._thread = threading.Thread(
            target=context.run, args=(self._beat,), name="ponte-heartbeat", daemon=True
        )

    def record(self, stream: StreamReport) -> None:
        self._details = {
            "stream": stream.name,
            "changed": stream.changed,
            "skipped": stream.skipped,
            "failed": stream.failed,
        }
        activity.heartbeat(self._details)

    def _beat(self) -> None:
        while not self._stopped.wait(self._every):
            activity.heartbeat(self._details)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._stopped.set()
        self._thread.join()


class TenantActivities:
    """The worker's activity, ``sync_tenant``: one pass of a tenant from ``registry`` on a
    store from ``open_store`` (closed after the pass), by ``run_pass``."""

    def __init__(
        self,
        registry: TenantSource,
        open_store: Callable[[], Store],
        run_pass: TenantPass,
    ) -> None:
        self.registry = registry
        self.open_store = open_store
        self.run_pass = run_pass

    @activity.defn(name="sync_tenant")
    def sync_tenant(self, name: str) -> PassOutcome:
        """One pass of tenant ``name``; nothing for a paused or removed tenant. A pass the
        worker's shutdown stopped fails, so Temporal finishes it on another worker."""
        from ..credentials import CredentialsRejected
        from ..errors import ConfigError

        try:
            tenant = self.registry.get(name)
        except LookupError:
            return PassOutcome(name, "removed")
        if tenant.paused:
            return PassOutcome(name, "paused")
        try:
            report = self._pass(self.registry.config(name))
        except CredentialsRejected as exc:  # fixed by a person: the next schedule tries again
            raise ApplicationError(
                exc.explain(), type="CredentialsRejected", non_retryable=True
            ) from None
        except ConfigError as exc:  # a setting, or a variable the worker's environment lacks
            raise ApplicationError(str(exc), type="ConfigError", non_retryable=True) from None
        if report.status == "stopped" and activity.is_worker_shutdown():
            raise ApplicationError(
                f"the worker shut down during tenant {name!r}'s pass: it resumes on another",
                type="WorkerShutdown",
            )
        return PassOutcome(name, report.status, report.run_id, report.changed, report.failed)

    def _pass(self, config: BridgeConfig) -> SyncReport:
        store = self.open_store()
        try:
            every = HEARTBEAT_TIMEOUT.total_seconds() / 3
            # A cancellation (the workflow cancelled, the heartbeat timed out) stops the pass
            # after its record in flight, instead of raising in the middle of a write.
            with activity.shield_thread_cancel_exception(), _Heartbeat(every) as heartbeat:
                return self.run_pass(
                    config,
                    store,
                    progress=heartbeat.record,
                    stop=lambda: activity.is_cancelled() or activity.is_worker_shutdown(),
                )
        finally:
            store.close()


@workflow.defn(name="PonteTenant")
class TenantWorkflow:
    """Tenant ``name``'s passes, under the id ``workflow_id(name)``: one pass per run, and
    one more (as a new run) when ``run_now`` came while it ran."""

    def __init__(self) -> None:
        self._asked = 0

    @workflow.signal(name=RUN_NOW)
    def run_now(self) -> None:
        """A pass now: this run's, when it has not started its pass yet; else one more."""
        self._asked += 1

    @workflow.run
    async def run(self, name: str) -> PassOutcome:
        asked_before = self._asked  # a signal that started this run is answered by its pass
        outcome = await workflow.execute_activity_method(
            TenantActivities.sync_tenant,
            name,
            start_to_close_timeout=PASS_TIMEOUT,
            heartbeat_timeout=HEARTBEAT_TIMEOUT,
            retry_policy=PASS_RETRIES,
        )
        if self._asked > asked_before:
            workflow.continue_as_new(name)
        return outcome


@workflow.defn(name="PonteTenantTick")
class TenantTick:
    """What a tenant's schedule starts: the tenant's workflow, under its own id, unless a
    pass is under way (that pass is this interval's). ``True`` when it started one."""

    @workflow.run
    async def run(self, name: str) -> bool:
        try:
            await workflow.start_child_workflow(
                TenantWorkflow.run,
                name,
                id=workflow_id(name),
                parent_close_policy=ParentClosePolicy.ABANDON,
            )
        except WorkflowAlreadyStartedError:
            return False
        return True


async def connect(address: str, namespace: str = "default") -> Client:
    """A client of the Temporal cluster whose frontend is at ``address`` (``HOST:PORT``);
    ``ConnectionError`` saying why when it cannot be reached."""
    try:
        return await Client.connect(address, namespace=namespace)
    except RuntimeError as exc:  # temporalio's words: "Failed client connect: ..."
        raise ConnectionError(f"cannot reach Temporal at {address}: {exc}") from None


async def signal_tenant(
    client: Client, name: str, task_queue: str = TASK_QUEUE
) -> WorkflowHandle[TenantWorkflow, PassOutcome]:
    """Ask for a pass of tenant ``name`` now, as a webhook delivery does: its workflow gets
    ``run_now``, started when none runs (signal-with-start)."""
    return await client.start_workflow(
        TenantWorkflow.run,
        name,
        id=workflow_id(name),
        task_queue=task_queue,
        start_signal=RUN_NOW,
    )


@dataclass
class ScheduleChanges:
    """What ``sync_schedules`` did, by tenant name."""

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    """Tenants whose schedule was left as it was, and why: settings that no longer load, a
    schedule that starts its workflows on another task queue (another fleet's), or a request
    the cluster refused."""


class TenantList(Protocol):
    """The tenants to schedule: ``bridge.fleet.TenantRegistry``."""

    def list(self) -> Sequence[Tenant]:
        """Every tenant: its name, settings (their ``poll_interval``) and pause."""


def _offset(name: str, every: timedelta) -> timedelta:
    """Where in each interval the tenant's passes start: spread by its name, so a thousand
    tenants on one interval do not all start in the same second."""
    seconds = int(every.total_seconds())
    digest = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    return timedelta(seconds=digest % seconds)


def _schedule(name: str, every: timedelta, paused: bool, task_queue: str) -> Schedule:
    action = ScheduleActionStartWorkflow(
        TenantTick.run, name, id=schedule_id(name), task_queue=task_queue
    )
    # After the cluster was down, the tick missed within the last interval (10 s at least,
    # Temporal's minimum) runs when it is back and older ones are dropped: one pass catches
    # up on everything since the last.
    policy = SchedulePolicy(
        overlap=ScheduleOverlapPolicy.SKIP,
        catchup_window=max(every, timedelta(seconds=10)),
    )
    state = "paused in the registry" if paused else "active"
    note = (
        f"ponte tenant {name} ({state}); schedule {_fingerprint(action, policy)}; "
        f"task queue {task_queue}"
    )
    return Schedule(
        action=action,
        spec=ScheduleSpec(intervals=[ScheduleIntervalSpec(every, _offset(name, every))]),
        policy=policy,
        state=ScheduleState(paused=paused, note=note),
    )


_NOTE = re.compile(
    r"ponte tenant \S+ \([^)]*\); schedule [0-9a-f]+; task queue (?P<queue>.+)", re.S
)
"""The note ``_schedule`` writes, which names the task queue: a listing shows a schedule's
note, not its action."""


def _fingerprint(action: ScheduleActionStartWorkflow, policy: SchedulePolicy) -> str:
    """A digest of what ``_schedule`` sets that a listing does not show (the action's
    workflow, arguments, id and task queue; the overlap and catch-up policy): written into
    the note, so ``_matches`` sees a change to any of them without asking for each
    schedule."""
    catchup = policy.catchup_window.total_seconds() if policy.catchup_window else None
    settings = [
        action.workflow,
        list(action.args),
        action.id,
        action.task_queue,
        policy.overlap.name,
        catchup,
        policy.pause_on_failure,
    ]
    return hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:16]


def _matches(listed: ScheduleListDescription, wanted: Schedule) -> bool:
    """Whether a listed schedule is the one wanted: its intervals, workflow, pause and
    note, which carries the fingerprint of its action and policy."""
    current = listed.schedule
    if current is None:  # a server without advanced visibility: updated to be sure
        return False
    action = current.action
    wanted_action = wanted.action
    assert isinstance(wanted_action, ScheduleActionStartWorkflow)  # _schedule makes one
    return (
        isinstance(action, ScheduleListActionStartWorkflow)
        and action.workflow == wanted_action.workflow
        and current.spec == wanted.spec
        and current.state.paused == wanted.state.paused
        and current.state.note == wanted.state.note
    )


def _action_queue(schedule: Schedule) -> str | None:
    """The task queue ``schedule`` starts its workflows on (``None``: it starts none)."""
    action = schedule.action
    return action.task_queue if isinstance(action, ScheduleActionStartWorkflow) else None


async def _listed_queue(client: Client, listed: ScheduleListDescription) -> str | None:
    """The task queue of a listed schedule: from its note, or (a note someone changed, a
    server without advanced visibility) from the schedule itself; ``None`` when gone."""
    found = _NOTE.fullmatch(listed.schedule.state.note or "") if listed.schedule else None
    if found is not None:
        return found["queue"]
    described = None  # stays so when it was deleted meanwhile
    with _gone_is_fine():
        described = await client.get_schedule_handle(listed.id).describe()
    return _action_queue(described.schedule) if described is not None else None


class _OtherQueue(Exception):
    """The tenant's schedule starts its workflows on another task queue: not this fleet's."""

    def __init__(self, queue: str | None, task_queue: str) -> None:
        super().__init__(
            f"it starts workflows on task queue {queue!r}, not {task_queue!r} (another "
            f"fleet's tenant of the same name?): delete it to move the tenant to {task_queue!r}"
        )


async def sync_schedules(
    client: Client, registry: TenantList, task_queue: str = TASK_QUEUE
) -> ScheduleChanges:
    """Make the cluster's tenant schedules on ``task_queue`` match ``registry``: one per
    tenant at its ``poll_interval`` (paused when the tenant is), changed where it differs,
    and deleted where its tenant is gone. Run it after adding, changing, pausing or removing
    tenants (``python -m bridge schedules sync``).

    Schedules that start workflows on another task queue (another fleet's, in the same
    namespace) are never changed or deleted. A tenant whose settings no longer load, whose
    schedule is another queue's, or whose schedule request the cluster refuses, keeps its
    schedule as it is and is reported in ``failed``; the others are synced all the same.
    The cluster's listing lags its writes by a moment: a schedule made seconds before, for a
    tenant removed since, may be deleted only by the next run."""
    from ..errors import ConfigError

    changes = ScheduleChanges()
    tenants = registry.list()
    wanted: dict[str, Schedule] = {}
    for tenant in tenants:
        try:
            every = tenant.config("its settings").poll_interval
        except ConfigError as exc:
            changes.failed[tenant.name] = str(exc)
        else:
            wanted[tenant.name] = _schedule(tenant.name, every, tenant.paused, task_queue)
    listed = {
        entry.id.removeprefix(SCHEDULE_ID_PREFIX): entry
        async for entry in await client.list_schedules()
        if entry.id.startswith(SCHEDULE_ID_PREFIX)
    }
    registered = {tenant.name for tenant in tenants}
    limit = asyncio.Semaphore(STARTS_AT_ONCE)

    async def put(name: str, schedule: Schedule) -> None:
        async with limit:
            with _refusal_fails_tenant(changes, name):
                found = listed.get(name)
                if found is not None and _matches(found, schedule):
                    changes.unchanged.append(name)
                elif found is None and await _create(client, name, schedule):
                    changes.created.append(name)
                else:
                    try:
                        await _replace(client, name, schedule, task_queue)
                    except _OtherQueue as exc:
                        changes.failed[name] = str(exc)
                    else:
                        changes.updated.append(name)

    async def delete(name: str, entry: ScheduleListDescription) -> None:
        async with limit:
            with _refusal_fails_tenant(changes, name):
                if await _listed_queue(client, entry) != task_queue:
                    return  # another fleet's
                with _gone_is_fine():
                    await client.get_schedule_handle(entry.id).delete()
                changes.deleted.append(name)

    await asyncio.gather(
        *(put(name, schedule) for name, schedule in wanted.items()),
        *(delete(name, entry) for name, entry in listed.items() if name not in registered),
    )
    for names in (changes.created, changes.updated, changes.deleted, changes.unchanged):
        names.sort()
    changes.failed = dict(sorted(changes.failed.items()))
    return changes


async def _create(client: Client, name: str, schedule: Schedule) -> bool:
    """Create the schedule; ``False`` when it is there already (made since the listing)."""
    try:
        await client.create_schedule(schedule_id(name), schedule)
    except ScheduleAlreadyRunningError:
        return False
    return True


async def _replace(client: Client, name: str, schedule: Schedule, task_queue: str) -> None:
    """Replace the tenant's schedule with ``schedule``; ``_OtherQueue`` (nothing changed)
    when the one there starts its workflows on another task queue than ``task_queue``."""

    def replace(current: ScheduleUpdateInput) -> ScheduleUpdate:
        queue = _action_queue(current.description.schedule)
        if queue != task_queue:
            raise _OtherQueue(queue, task_queue)
        return ScheduleUpdate(schedule=schedule)

    await client.get_schedule_handle(schedule_id(name)).update(replace)


_REFUSALS = frozenset(
    {
        RPCStatusCode.INVALID_ARGUMENT,
        RPCStatusCode.NOT_FOUND,
        RPCStatusCode.ALREADY_EXISTS,
        RPCStatusCode.RESOURCE_EXHAUSTED,
        RPCStatusCode.FAILED_PRECONDITION,
        RPCStatusCode.OUT_OF_RANGE,
    }
)
"""Answers by which the cluster refuses one request and nothing else: an unreachable or
overloaded cluster, refused credentials or an answer that never came concern every tenant
(and may have left the request done), so they end the run instead."""


@contextlib.contextmanager
def _refusal_fails_tenant(changes: ScheduleChanges, name: str) -> Iterator[None]:
    """A request the cluster refuses for one tenant's schedule fails that tenant alone, in
    ``changes.failed``, with the schedule as it was: the others are synced all the same, and
    the next run tries it again."""
    try:
        yield
    except RPCError as exc:
        if exc.status not in _REFUSALS:
            raise
        changes.failed[name] = (
            f"the cluster refused a request for its schedule ({exc.status.name}): {exc.message}"
        )


@contextlib.contextmanager
def _gone_is_fine() -> Iterator[None]:
    """A schedule deleted meanwhile (by another ``schedules sync``) is what was wanted."""
    try:
        yield
    except RPCError as exc:
        if exc.status != RPCStatusCode.NOT_FOUND:
            raise
