"""The bridge's figures from issues 5 and 15, on the package fakes with simulated time.

    python bench/bridge.py [--tasks N] [--memory-tasks M] [--latency-tasks L]
                           [--automation-records R] [--quick]
                           [--only calls|memory|latency|automations ...] [erp ...]

For each ERP of the registry (``bridge.erp.registry``; every one unless named):
  1. API calls of a first sync of N tasks (default 2,000, in the 30 days before now) against
     the minimum needed (target <= 1.05). The minimum is one call per record written, full
     pages of every list read (100 records a page; Auvo's task list in the 7-day windows
     ``auvo.Auvo`` queries), one Auvo login, and on the ERP's side what its fake counts as
     the fewest reads (``FakeErp.minimum_reads``: its lists, one call per lookup a sale
     needs, and the one read of the ERP's sales that lets every create be searched first);
  2. API calls of a pass with no changes (target: a handful, <= 5, per stream);
  3. share of each API's rate limit used during the first sync, with the clients' rate
     limiters on and the fakes enforcing the limits on one simulated clock (target >= 90%
     for the API that bounds the pass; the others wait on it), and the throttling answers
     seen (target 0). Simulated time advances only when a client waits, so this measures
     pacing, not the speed of this machine;
  4. peak memory of a first sync of M tasks (target < 100 MB above the start), in a fresh
     process that holds only the bridge: the fakes run in a child process and answer over a
     pipe (``bench/_remote_fakes.py``; ``memoise_task_filters`` keeps fake Auvo linear),
     the store is a SQLite file, rate limiters are off. The figure is the peak RSS above
     the RSS just before the sync (the peak is reset there): all of the process's memory,
     Python objects, SQLite and the clients alike. A second run gives tracemalloc's peak
     (Python's allocations only, not SQLite's). M is 10,000 by default, to keep the whole
     bench under two minutes; ``--memory-tasks 100000`` measures the issue's figure itself,
     in about 22 minutes here (2 shared cores, both ERPs of issue 5: 4 and 2 minutes
     untraced, 12 and 5 traced);
  5. time from a task's finish to its sale under ``bridge.poll`` (the loop of ``run``):
     L tasks (default 200) finish at seeded random moments over 6 hours, a quarter of them
     in the first seconds of a pass (where a pass and a finish race on the bookmark); the
     poll interval is 10 minutes; rate limiters and the fakes' limits are on, all on one
     simulated clock whose sleeps apply the finishes that fall due. Each sale's moment is
     taken when the fake ERP answers its create. Target, per task: finish -> sale <= the
     poll interval + the duration of the pass that made the sale (a pass starts at most one
     interval after the finish, then reaches the task within its own duration). Every
     task must end with exactly one of each sale the ERP's adapter plans for it (one order,
     or a product sale and a service sale: ``ErpPort.plan_sales``), counted in the fake ERP;
  6. automations (issue 15; ``bench/automations_bench.py`` says what is seeded and how each
     figure is taken): R trigger records (default 10,000: 80% Auvo tasks, 20% customers of
     the ERP) through five automations, three on the tasks and two on the ERP's customers,
     each acting on a known share of them, with actions in Auvo and in the ERP and lookups of
     customers and products. For the automations of a first pass: the API calls against the
     minimum derived from the seeds (target <= 1.05): full pages of each trigger list read
     once, the ERP's read by id of each customer it lists, the calls of each action due, one
     per distinct product code looked up, no login; whether each automation acted exactly
     on what the seeds make due (target: all, none failed); the engine's own time per
     trigger record against the fakes' (no target: the automations' wall time less the time
     spent inside the fakes' transports, timed around each request; fake Auvo's task list
     made linear with ``memoise_task_filters``). Then a pass with no changes: API calls per
     automation (target <= 5; its share of the list reads). Rate limiters are off and the
     fakes share a simulated clock. ``--quick`` makes R 1,000. An ERP that offers no
     automations, or that the scenario has no half for (an automation's ERP side is written
     in that ERP's vocabulary), gets a line saying so.
"""

from __future__ import annotations

import argparse
import functools
import gc
import heapq
import itertools
import json
import math
import os
import random
import re
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bridge  # noqa: E402
from auvo import Auvo  # noqa: E402
from auvo.testing import FakeAuvo  # noqa: E402
from bench._remote_fakes import Fakes, RemoteFakes, run_isolated  # noqa: E402
from bench.automations_bench import HALVES, measure  # noqa: E402
from bridge.adapters import CallCounter  # noqa: E402
from bridge.demo import FILTER, LABOUR, demo_config, seed_auvo, seed_erp  # noqa: E402
from bridge.domain import SaleDraft, SaleLine  # noqa: E402
from bridge.erp.port import ErpPort, FakeErp, default_pace, list_reads  # noqa: E402
from bridge.erp.registry import erp_kind, erp_names  # noqa: E402
from sdkcore.clock import FakeClock  # noqa: E402
from sdkcore.dates import format_local  # noqa: E402
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse  # noqa: E402

PAGE = 100
WRITES = ("POST", "PUT", "PATCH", "DELETE")
STREAMS = 4
LATENCY_IDS = 700_000  # the latency scenario's task ids start here
FIRST_TASK = 100_000  # add_tasks's task ids start here
RACING = 0.25  # the share of its tasks that finish in the first seconds of a pass
SALE_REFERENCE = re.compile(rb"task:\d+(?::products|:services)?")


def limit(name: str) -> float:
    """Requests per second the API ``name`` allows (its client's default rate)."""
    return default_pace(Auvo) if name == "auvo" else erp_kind(name).fake.rate_limit


class Tap:
    """Counts a fake's calls (OAuth excluded) and its throttling answers."""

    def __init__(self, fake: FakeAPI) -> None:
        self.calls = 0
        self.throttled = 0
        self.writes = 0
        original = fake.handle

        def handle(request: FakeRequest) -> FakeResponse:
            response = original(request)
            if "/oauth/" not in request.path:
                self.calls += 1
                self.writes += request.method in WRITES
                self.throttled += response.status in (403, 429)
            return response

        fake.handle = handle  # type: ignore[method-assign]

    def reset(self) -> None:
        self.calls = self.throttled = self.writes = 0


def pages(count: int) -> int:
    return list_reads(count, PAGE)


def task_record(
    ident: int, moment: datetime, n: int, *, finished: bool, products: bool, services: bool
) -> dict[str, Any]:
    """A task dated ``moment`` selling the filter and/or the labour both ERPs have; finished
    by hand, or open (status 1)."""
    local = format_local(moment)
    filter_line = {
        "productId": FILTER,
        "name": "Filtro de ar",
        "quantity": "2",
        "unitaryValue": "45.90",
    }
    labour = {"id": LABOUR, "name": "Mão de obra", "quantity": "1", "unitaryValue": "150.00"}
    record: dict[str, Any] = {
        "taskID": ident,
        "idUserFrom": 1,
        "idUserTo": 2,
        "customerId": 1 + n % 3,
        "taskType": 1 + n % 3,
        "taskDate": local,
        "creationDate": local,
        "dateLastUpdate": local,
        "finished": finished,
        "taskStatus": 5 if finished else 1,
        "products": [filter_line] if products else [],
        "services": [labour] if services else [],
        "additionalCosts": [],
    }
    if finished:
        record["_finishedBy"] = "manual"
    return record


def add_tasks(fake: FakeAuvo, now: datetime, count: int) -> None:
    """``count`` tasks finished by hand in the 28 days before ``now``, each selling a product
    and a service the ERPs have: every one becomes a sale."""
    for n in range(count):
        when = now - timedelta(minutes=5 + (n * 28 * 24 * 60) // max(count, 1))
        record = task_record(FIRST_TASK + n, when, n, finished=True, products=True, services=True)
        fake.add("tasks", record)


def seeded_fakes(
    erp: str, tasks: int, clock: FakeClock | None = None, limits: bool = False
) -> tuple[datetime, FakeAuvo, FakeErp]:
    """Fake Auvo with the demo's reference data and ``tasks`` tasks to sell, and the fake
    ERP with the catalog they sell; the fakes enforce their rate limits when ``limits``."""
    now = datetime.now(UTC)
    fake_auvo = FakeAuvo(clock=clock, rate_limit=400 if limits else None) if clock else FakeAuvo()
    seed_auvo(fake_auvo, now=now, tasks=0)
    add_tasks(fake_auvo, now, tasks)
    fake = erp_kind(erp).fake.make(clock, limits)
    seed_erp(erp, fake.client(rate_limiter=False))
    return now, fake_auvo, fake


def memoise_task_filters(fake: FakeAuvo) -> Callable[[], None]:
    """Make ``fake``'s task list linear in the tasks, serving the same pages; returns what
    undoes it.

    FakeAuvo tests every stored task against the filters for each page it serves, so reading
    100,000 tasks 100 a page makes 10^8 tests (minutes in the fakes' process). Here each
    task's verdict under a filter is kept until the next write to the fake (which may change
    tasks). The memory run's fakes' process keeps it for its life (the measured process never
    sees it); the automations scenario undoes it once measured (it patches the fake's module,
    which other fakes in the same process share).
    """
    import auvo.testing._fake as fake_module
    from auvo.testing._filters import selector as original

    memo: dict[str, dict[int, tuple[dict[str, Any], bool]]] = {}

    def selector(
        name: str, filters: dict[str, Any], data: dict[str, Any]
    ) -> Callable[[dict[str, Any]], bool]:
        test = original(name, filters, data)
        if name != "tasks":
            return test
        verdicts = memo.setdefault(json.dumps(filters, sort_keys=True, default=str), {})

        def keep(record: dict[str, Any]) -> bool:
            found = verdicts.get(id(record))
            if found is None:  # the record is kept with its verdict, so its id stays its own
                found = verdicts[id(record)] = (record, test(record))
            return found[1]

        return keep

    handle = fake.handle

    def forgetting(request: FakeRequest) -> FakeResponse:
        if request.method != "GET":
            memo.clear()
        return handle(request)

    vars(fake_module)["selector"] = selector
    fake.handle = forgetting  # type: ignore[method-assign]

    def undo() -> None:
        vars(fake_module)["selector"] = original
        fake.handle = handle  # type: ignore[method-assign]

    return undo


def build_fakes(erp: str, tasks: int) -> Fakes:
    """The fakes of a memory run, built in the child process that serves them."""
    _, fake_auvo, fake = seeded_fakes(erp, tasks)
    memoise_task_filters(fake_auvo)
    return Fakes(fake_auvo, erp, fake)


def world(erp: str, tasks: int, clock: FakeClock | None, limits: bool) -> dict[str, Any]:
    now, fake_auvo, fake = seeded_fakes(erp, tasks, clock, limits)
    extra: dict[str, Any] = {"clock": clock} if clock else {}
    erp_client = fake.client(rate_limiter=limits, **extra)
    auvo_client = fake_auvo.client(rate_limiter=limits, **extra)
    if clock is not None:
        clock.advance(60)  # the seeding's calls leave the fakes' rate windows
    return {
        "now": now,
        "fake_auvo": fake_auvo,
        "fake_erp": fake,
        "auvo": auvo_client,
        "erp": erp_client,
        "taps": {"auvo": Tap(fake_auvo), erp: Tap(fake.api)},
        "store": bridge.SQLiteStore(":memory:"),
        "config": demo_config(erp),
    }


def sync(w: dict[str, Any]) -> bridge.SyncReport:
    return bridge.sync(w["config"], w["store"], auvo=w["auvo"], erp=w["erp"])


def minimum_calls(erp: str, w: dict[str, Any], writes: int) -> int:
    """What a first sync cannot do without: the writes it made, full pages of each list it
    must read, the login and the lookups."""
    fa = w["fake_auvo"]
    now: datetime = w["now"]
    lookback = w["config"].initial_lookback
    start, end = now - lookback, now + timedelta(days=1)
    windows, cursor = 0, start
    while cursor < end:  # auvo.Auvo reads tasks in 7-day windows (the API's limit)
        windows += 1
        cursor += timedelta(days=7)
    tasks = len(fa.data["tasks"])  # all in the window, all matching the filters
    # login; the task windows, full pages (a lower bound: pages per window round up)
    auvo = 1 + max(windows, pages(tasks))
    auvo += pages(len(fa.data["customers"])) + pages(len(fa.data["products"]))
    auvo += pages(len(fa.data["services"])) + pages(len(fa.data["quotations"]))
    fake: FakeErp = w["fake_erp"]
    return auvo + fake.minimum_reads() + writes


def bench_calls(erp: str, tasks: int) -> list[bool]:
    clock = FakeClock(start=time.time())
    w = world(erp, tasks, clock, limits=True)
    taps: dict[str, Tap] = w["taps"]
    began = clock.monotonic()
    first = sync(w)
    elapsed = clock.monotonic() - began
    calls = sum(t.calls for t in taps.values())
    writes = sum(t.writes for t in taps.values())
    minimum = minimum_calls(erp, w, writes)
    created = first.streams["tasks"].created
    results = [
        show(
            f"{erp}: first sync of {tasks:,} tasks ({created:,} sales), API calls",
            calls,
            minimum,
            "min",
            calls / minimum,
            "<= 1.05",
            calls / minimum <= 1.05,
        )
    ]
    print(f"    simulated duration {elapsed:,.0f} s; calls per API: ", end="")
    print(", ".join(f"{name} {tap.calls:,}" for name, tap in taps.items()))
    shares = {name: tap.calls / (elapsed * limit(name)) for name, tap in taps.items()}
    bound = max(shares, key=lambda name: shares[name])
    for name, share in shares.items():
        target = ">= 0.90" if name == bound else "(waits on " + bound + ")"
        ok = share >= 0.9 if name == bound else True
        throttled = taps[name].throttled
        line = f"{erp}: share of {name}'s rate limit used ({limit(name):.2f}/s)"
        results.append(show(line, share, None, "", share, target, ok))
        results.append(
            show(
                f"{erp}: throttling answers from {name}",
                throttled,
                None,
                "",
                0,
                "== 0",
                not throttled,
            )
        )
    for tap in taps.values():
        tap.reset()
    second = sync(w)
    calls = sum(t.calls for t in taps.values())
    per_stream = calls / max(1, len(second.streams))
    results.append(
        show(
            f"{erp}: pass with no changes, API calls ({second.changed} changed)",
            calls,
            len(second.streams),
            "streams",
            per_stream,
            "<= 5 / stream",
            per_stream <= 5 and second.changed == 0,
        )
    )
    return results


def _status_kb(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    raise LookupError(key)


def _rss_kb() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def _reset_peak_rss() -> bool:
    """Reset this process's peak RSS (VmHWM) to its current RSS (Linux >= 4.0); without
    that, VmHWM is the peak since the process started, an upper bound of the sync's.

    ``ru_maxrss`` is no substitute: it also keeps the peak of the process image replaced
    by ``exec``, here the forked copy of the bench's own, larger process."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear:
            clear.write("5")
    except OSError:
        return False
    return True


def measure_memory(erp: str, tasks: int, traced: bool) -> dict[str, Any]:
    """A first sync of ``tasks`` tasks in this process, the fakes in a child: peak RSS
    above the RSS just before the sync (``traced``: tracemalloc's figures too)."""
    with tempfile.TemporaryDirectory() as tmp, RemoteFakes(build_fakes, erp, tasks) as remote:
        store = bridge.SQLiteStore(Path(tmp) / "bridge.sqlite3")
        auvo_client = remote.client("auvo", rate_limiter=False)
        erp_client = remote.client(erp, rate_limiter=False)
        config = demo_config(erp)
        gc.collect()
        figures: dict[str, Any] = {"reset": _reset_peak_rss()}
        base_kb = _rss_kb()
        if traced:
            tracemalloc.start()
            base, _ = tracemalloc.get_traced_memory()
        began = time.perf_counter()
        report = bridge.sync(config, store, auvo=auvo_client, erp=erp_client)
        figures["seconds"] = time.perf_counter() - began
        if traced:
            current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            figures.update(peak=peak - base, held=current - base)
        figures["held_kb"] = _rss_kb() - base_kb
        figures["base_kb"] = base_kb
        figures["peak_kb"] = max(_status_kb("VmHWM") - base_kb, figures["held_kb"])
        figures["sales"] = report.streams["tasks"].created
        figures["failed"] = sum(s.failed for s in report.streams.values())
        figures["requests"] = remote.requests
        store.close()
    return figures


def bench_memory(erp: str, tasks: int) -> list[bool]:
    rss = run_isolated(measure_memory, erp, tasks, False)
    traced = run_isolated(measure_memory, erp, tasks, True)
    mb: float = rss["peak_kb"] / 1024
    ok = mb < 100
    label = f"{erp}: peak RSS above the start, first sync of {tasks:,} tasks"
    verdict = "ok" if ok else "MISSED"
    print(f"{label:<74} {mb:9.1f} MB  ({rss['seconds']:.0f} s)  target < 100 MB  {verdict}")
    if not rss["reset"]:
        print("    (the peak could not be reset: this is the peak since the process started)")
    print(
        f"    RSS {rss['base_kb'] / 1024:.0f} MB at the start, {rss['held_kb'] / 1024:.1f} MB more "
        f"after the pass; {rss['sales']:,} sales, {rss['failed']} failed, "
        f"{rss['requests']:,} requests answered by the fakes in a child process"
    )
    print(
        f"    tracemalloc, a second run: peak {traced['peak'] / 2**20:.1f} MB above the start, "
        f"{traced['held'] / 2**20:.1f} MB still held after the pass "
        f"({traced['seconds']:.0f} s traced)"
    )
    return [ok]


class ScheduledClock(FakeClock):
    """A ``FakeClock`` that runs the actions scheduled up to the new time whenever it moves:
    the world changes while the bridge waits, as it does between and during passes."""

    def __init__(self, start: float) -> None:
        super().__init__(start)
        self._events: list[tuple[float, int, Callable[[float], None]]] = []
        self._order = itertools.count()

    def at(self, moment: float, action: Callable[[float], None]) -> None:
        """Run ``action(moment)`` once the clock reaches ``moment``."""
        heapq.heappush(self._events, (moment, next(self._order), action))

    def _due(self) -> None:
        while self._events and self._events[0][0] <= self.time():
            moment, _, action = heapq.heappop(self._events)
            action(moment)

    def advance(self, seconds: float) -> None:
        super().advance(seconds)
        self._due()

    def sleep(self, seconds: float) -> None:
        super().sleep(seconds)
        self._due()


def latency_task(ident: int, scheduled: datetime, n: int) -> dict[str, Any]:
    """An open task scheduled for ``scheduled``; it finishes later (a scheduled event). The
    n-th task sells a product, a service or both (some ERPs make a sale of each kind)."""
    return task_record(
        ident, scheduled, n, finished=False, products=n % 3 != 2, services=n % 3 != 1
    )


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def bench_latency(
    erp: str, tasks: int, span: timedelta, interval: timedelta, seed: int
) -> list[bool]:
    """``bridge.poll`` on the fakes while ``tasks`` tasks finish over ``span``."""
    clock = ScheduledClock(time.time())
    rng = random.Random(seed)
    fake_auvo = FakeAuvo(clock=clock, rate_limit=400, seeded_tasks=False)
    seed_auvo(fake_auvo, now=datetime.fromtimestamp(clock.time(), UTC), tasks=0)
    fake = erp_kind(erp).fake.make(clock, True)
    seed_erp(erp, fake.client(rate_limiter=False))
    auvo_client = fake_auvo.client(rate_limiter=True, clock=clock)
    erp_client = fake.client(rate_limiter=True, clock=clock)
    clock.advance(60)  # the seeding's calls leave the fakes' rate windows
    start = clock.time()
    finished: dict[int, float] = {}

    def finish(ident: int) -> Callable[[float], None]:
        def apply(moment: float) -> None:
            record = fake_auvo.data["tasks"][str(ident)]
            stamp = format_local(datetime.fromtimestamp(moment, UTC))
            record.update(finished=True, taskStatus=5, _finishedBy="manual", dateLastUpdate=stamp)
            finished[ident] = moment

        return apply

    for n in range(tasks):
        ident = LATENCY_IDS + n
        moment = start + rng.uniform(0, span.total_seconds())
        if rng.random() < RACING:  # in the first seconds of a scheduled pass
            moment = (
                start + rng.randrange(1, max(2, int(span / interval))) * interval.total_seconds()
            )
            moment += rng.uniform(0, 5)
        scheduled = datetime.fromtimestamp(moment - rng.uniform(1800, 4 * 3600), UTC)
        fake_auvo.add("tasks", latency_task(ident, scheduled, n))
        clock.at(moment, finish(ident))

    sold: dict[str, list[float]] = {}
    taps = {"auvo": Tap(fake_auvo), erp: Tap(fake.api)}
    original = fake.api.handle

    def handle(request: FakeRequest) -> FakeResponse:
        response: FakeResponse = original(request)
        if request.method == "POST" and 200 <= response.status < 300:
            for ref in SALE_REFERENCE.findall(request.body):
                sold.setdefault(ref.decode(), []).append(clock.time())
        return response

    fake.api.handle = handle  # type: ignore[method-assign]
    passes: list[tuple[float, float]] = []
    stop = threading.Event()

    def on_report(report: bridge.SyncReport) -> None:
        began = report.started_at.timestamp()
        passes.append((began, clock.time()))
        if len(finished) == tasks and began >= max(finished.values()) + seconds:
            stop.set()  # a pass began after the last finish, and one more after that

    seconds = interval.total_seconds()
    config = demo_config(erp, poll_interval=interval)
    limit = math.ceil(span / interval) + 5
    bridge.poll(
        config,
        bridge.SQLiteStore(":memory:"),
        auvo=auvo_client,
        erp=erp_client,
        stop=stop,
        clock=clock,
        on_report=on_report,
        max_passes=limit,
    )
    stored = Counter({ref: n for ref, n in fake.sales().items() if ref.startswith("task:")})
    port = erp_kind(erp).adapter(erp_client, CallCounter())
    planned = functools.partial(expected_sales, port)
    return report_latency(erp, tasks, span, seconds, finished, sold, stored, passes, taps, planned)


def expected_sales(port: ErpPort, ident: int, n: int) -> list[str]:
    """The references of the sales task ``ident`` (the n-th, see ``latency_task``) makes, as
    the ERP's adapter plans them (``plan_sales`` makes no call)."""
    kinds = [kind for kind, sold in (("product", n % 3 != 2), ("service", n % 3 != 1)) if sold]
    lines = tuple(SaleLine(kind, "1", kind, Decimal(1), Decimal(1)) for kind in kinds)
    draft = SaleDraft(f"task:{ident}", "1", date.today(), lines)
    return [sale.reference for sale in port.plan_sales(draft)]


def report_latency(
    erp: str,
    tasks: int,
    span: timedelta,
    interval: float,
    finished: dict[int, float],
    sold: dict[str, list[float]],
    stored: Counter[str],
    passes: list[tuple[float, float]],
    taps: dict[str, Tap],
    planned: Callable[[int, int], list[str]],
) -> list[bool]:
    """The latency figures; ``planned(ident, n)`` gives the references of the sales the
    n-th task should make."""
    latencies: list[float] = []
    late: list[str] = []
    wrong: list[str] = []
    expected = {ref for n in range(tasks) for ref in planned(LATENCY_IDS + n, n)}
    extra = [
        f"{ref}: a sale no task should make"
        for ref in sorted((set(stored) | set(sold)) - expected)
        if int(ref.split(":")[1]) >= LATENCY_IDS
    ]
    for n in range(tasks):
        ident = LATENCY_IDS + n
        refs = planned(ident, n)
        counts = {ref: (stored[ref], len(sold.get(ref, []))) for ref in refs}
        if ident not in finished or any(count != (1, 1) for count in counts.values()):
            wrong.append(f"task {ident}: (sales held, creates answered) {counts}")
            continue
        moment = max(sold[ref][0] for ref in refs)
        latency = moment - finished[ident]
        latencies.append(latency)
        took = next((end - began for began, end in passes if began <= moment <= end), math.inf)
        if latency > interval + took:
            late.append(f"task {ident}: {latency:,.0f} s; the pass that sold it took {took:,.0f} s")
    durations = [end - began for began, end in passes]
    during = sum(any(b <= f <= e for b, e in passes) for f in finished.values())
    worst = max(latencies, default=math.inf)
    hours = span / timedelta(hours=1)
    label = f"{erp}: task finish -> sale under run, max over {tasks} tasks in {hours:g} h"
    ok = len(latencies) == tasks and not late  # a task without its sales waits forever
    print(
        f"{label:<74} {worst:9,.0f} s  target <= {interval:,.0f} s poll interval + the selling "
        f"pass's duration  {'ok' if ok else 'MISSED'}"
    )
    if latencies:
        p50, p95 = percentile(latencies, 0.5), percentile(latencies, 0.95)
        print(
            f"    p50 {p50:,.0f} s, p95 {p95:,.0f} s, max {worst:,.0f} s; poll interval "
            f"{interval:,.0f} s; {len(passes)} passes, the longest {max(durations):,.0f} s; "
            f"{during} tasks finished while a pass ran"
        )
    throttled = sum(tap.throttled for tap in taps.values())
    print(f"    throttling answers: {throttled} (simulated time moves only while a client waits)")
    for line in late[:5] + wrong[:5] + extra[:5]:
        print("    " + line)
    label = f"{erp}: tasks with exactly one sale of each kind they sell"
    once = tasks - len(wrong)
    verdict = "ok" if not wrong and not extra else "MISSED"
    print(f"{label:<74} {once:9,}  of {tasks:,}  target all {verdict}")
    return [ok, not wrong and not extra]


def bench_automations(erp: str, records: int) -> list[bool]:
    """The automations scenario on ``erp`` (``bench/automations_bench.py``)."""
    if erp not in HALVES:
        why = "offers none" if not erp_kind(erp).automations.offered else "no scenario for it yet"
        print(f"{erp}: automations: {why}")
        return []
    found = measure(erp, records, memoise_task_filters)
    first, second, least = found.first, found.second, found.minimum
    calls = sum(first.calls.values()) + first.auth  # the report leaves logins out
    ratio = calls / least.total
    label = f"{erp}: automations, first pass over {found.records:,} records, API calls"
    results = [show(label, calls, least.total, "min", ratio, "<= 1.05", ratio <= 1.05)]
    print(
        f"    minimum: {least.lists:,} list pages, {least.reads:,} reads by id, "
        f"{least.actions:,} actions, {least.lookups} product lookups, {least.logins} logins; "
        f"made: {', '.join(f'{name} {n:,}' for name, n in sorted(first.calls.items()))}"
    )
    print(
        f"    the fakes answered {first.answered:,} requests and {first.auth} logins or tokens "
        f"({found.tasks:,} tasks, {found.customers:,} ERP customers, {found.linked:,} of them "
        "linked by the customers stream before)"
    )
    results.append(report_acting(erp, found.reports[0], found.expected))
    engine_s = first.seconds - first.fakes
    engine_us, fakes_us = 1e6 * engine_s / found.records, 1e6 * first.fakes / found.records
    label = f"{erp}: automations' own time per trigger record, against the fakes'"
    print(
        f"{label:<74} {engine_us:9,.0f} µs  fakes {fakes_us:5,.0f} µs  "
        f"ratio {engine_us / fakes_us:5.2f}  no target"
    )
    judged = sum(r.seen for r in found.reports[0].automations.values())
    inside = ", ".join(f"{name} {t:.1f} s" for name, t in first.fake_seconds.items())
    print(
        f"    {first.seconds:.1f} s in the automations: the engine {engine_s:.1f} s, the fakes "
        f"{first.fakes:.1f} s ({inside}); {judged:,} record versions judged"
    )
    reports = found.reports[1].automations
    again = sum(second.calls.values()) + second.auth
    per = again / len(reports)
    seen = sum(r.seen for r in reports.values())
    label = f"{erp}: automations, pass with no changes, API calls ({seen} new versions)"
    ok = per <= 5 and seen == 0
    results.append(show(label, again, len(reports), "automations", per, "<= 5 / autom.", ok))
    return results


def report_acting(erp: str, report: bridge.SyncReport, expected: list[int]) -> bool:
    """Whether each automation acted on what the seeds make due (``expected``, in the order
    declared), and failed on nothing."""
    wrong = [
        f"{name}: acted {one.acted:,} of {due:,}, {one.failed} failed, {one.skipped} skipped"
        for (name, one), due in zip(report.automations.items(), expected, strict=True)
        if (one.acted, one.failed, one.skipped) != (due, 0, 0)
    ]
    acted = sum(one.acted for one in report.automations.values())
    label = f"{erp}: automations' actions, as their filters let through"
    verdict = "ok" if not wrong else "MISSED"
    print(f"{label:<74} {acted:9,}  of {sum(expected):,}  target all, none failed {verdict}")
    for line in wrong:
        print("    " + line)
    return not wrong


def show(
    label: str,
    value: float,
    base: float | None,
    base_name: str,
    ratio: float,
    target: str,
    ok: bool,
) -> bool:
    shown = f"{value:9,.2f}" if isinstance(value, float) else f"{value:9,}"
    against = f"{base_name} {base:7,}" if base is not None else " " * 11
    verdict = "ok" if ok else "MISSED"
    print(f"{label:<74} {shown}  {against}  ratio {ratio:5.2f}  target {target:<14} {verdict}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("erps", nargs="*", metavar="erp", help=" and/or ".join(erp_names()))
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--memory-tasks", type=int, default=10_000)
    parser.add_argument("--latency-tasks", type=int, default=200)
    parser.add_argument("--latency-hours", type=float, default=6.0)
    parser.add_argument("--poll-minutes", type=float, default=10.0)
    parser.add_argument("--automation-records", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick", action="store_true", help="500, 2,000 and 60 tasks; 1,000 automation records"
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=("calls", "memory", "latency", "automations"),
        help="run only these figures (repeatable)",
    )
    args = parser.parse_args(argv)
    if set(args.erps) - set(erp_names()):
        parser.error(f"an erp is one of {', '.join(erp_names())}")
    if args.quick:
        args.tasks, args.memory_tasks, args.latency_tasks = 500, 2000, 60
        args.automation_records = 1000
    sys.stdout.reconfigure(line_buffering=True)  # type: ignore[union-attr]
    runs: list[Callable[[], list[bool]]] = []
    parts = set(args.only or ("calls", "memory", "latency", "automations"))
    span, interval = timedelta(hours=args.latency_hours), timedelta(minutes=args.poll_minutes)
    for erp in args.erps or erp_names():
        if "calls" in parts:
            runs.append(functools.partial(bench_calls, erp, args.tasks))
        if "memory" in parts:
            runs.append(functools.partial(bench_memory, erp, args.memory_tasks))
        if "latency" in parts:
            runs.append(
                functools.partial(bench_latency, erp, args.latency_tasks, span, interval, args.seed)
            )
        if "automations" in parts:
            runs.append(functools.partial(bench_automations, erp, args.automation_records))
    results = [ok for run in runs for ok in run()]
    missed = Counter(results)[False]
    print(f"{missed} target(s) missed" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
