"""The bridge's figures from issue 5, on the package fakes with simulated time.

    python bench/bridge.py [--tasks N] [--memory-tasks M] [--quick] [contaazul] [bling]

For each ERP (both unless named), with fake Auvo seeded with N tasks (default 2,000) in
the 30 days before now:
  1. API calls of a first sync against the minimum needed (target <= 1.05). The minimum is
     one call per record written, full pages of every list read (100 records a page; Auvo's
     task list in the 7-day windows ``auvo.Auvo`` queries), one Auvo login and one call per
     lookup a sale needs (financial accounts, Conta Azul's deal types);
  2. API calls of a pass with no changes (target: a handful, <= 5, per stream);
  3. share of each API's rate limit used during the first sync, with the clients' rate
     limiters on and the fakes enforcing the limits on one simulated clock (target >= 90%
     for the API that bounds the pass; the others wait on it), and the throttling answers
     seen (target 0). Simulated time advances only when a client waits, so this measures
     pacing, not the speed of this machine;
  4. peak memory (tracemalloc) above the start during a first sync of M tasks (default
     5,000, scaled down from the issue's 100,000 to keep the run near a minute; target
     < 100 MB), and its linear extrapolation to 100,000. The fakes live in the same process
     and keep every sale the sync makes (their request logs are capped), so the figures are
     upper bounds of the bridge's own use; the memory still held after the pass is printed
     too, and the peak less that (the pass's working memory).
Time from a task's finish to its sale under ``run`` is not measured here: it is one poll
interval by construction (a pass reads everything changed since the last one).
"""

from __future__ import annotations

import argparse
import math
import sys
import time
import tracemalloc
from collections import Counter, deque
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import bridge  # noqa: E402
from auvo.testing import FakeAuvo  # noqa: E402
from bling.testing import FakeBling  # noqa: E402
from bridge.demo import FILTER, LABOUR, demo_config, seed_auvo, seed_erp  # noqa: E402
from contaazul.testing import FakeContaAzul  # noqa: E402
from sdkcore.clock import FakeClock  # noqa: E402
from sdkcore.dates import format_local  # noqa: E402
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse  # noqa: E402

PAGE = 100
WRITES = ("POST", "PUT", "PATCH", "DELETE")
STREAMS = 4
LIMITS = {  # requests per second each API allows (the clients' default rates)
    "auvo": 400 / 60,
    "bling": 3.0,
    "contaazul": 10.0,
}


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
    return max(1, math.ceil(count / PAGE))


def add_tasks(fake: FakeAuvo, now: datetime, count: int) -> None:
    """``count`` tasks finished by hand in the 28 days before ``now``, each selling a product
    and a service the ERPs have: every one becomes a sale."""
    for n in range(count):
        when = now - timedelta(minutes=5 + (n * 28 * 24 * 60) // max(count, 1))
        local = format_local(when)
        fake.add(
            "tasks",
            {
                "taskID": 100_000 + n,
                "idUserFrom": 1,
                "idUserTo": 2,
                "customerId": 1 + n % 3,
                "taskType": 1 + n % 3,
                "taskDate": local,
                "creationDate": local,
                "dateLastUpdate": local,
                "finished": True,
                "taskStatus": 5,
                "_finishedBy": "manual",
                "products": [
                    {
                        "productId": FILTER,
                        "name": "Filtro de ar",
                        "quantity": "2",
                        "unitaryValue": "45.90",
                    }
                ],
                "services": [
                    {"id": LABOUR, "name": "Mão de obra", "quantity": "1", "unitaryValue": "150.00"}
                ],
                "additionalCosts": [],
            },
        )


def world(erp: str, tasks: int, clock: FakeClock | None, limits: bool) -> dict[str, Any]:
    now = datetime.now(UTC)
    fake_auvo = FakeAuvo(clock=clock, rate_limit=400 if limits else None) if clock else FakeAuvo()
    seed_auvo(fake_auvo, now=now, tasks=0)
    add_tasks(fake_auvo, now, tasks)
    extra: dict[str, Any] = {"clock": clock} if clock else {}
    if erp == "contaazul":
        fake: Any = FakeContaAzul(clock=clock) if clock else FakeContaAzul()
        seed_erp(erp, fake.client(rate_limiter=False))
        erp_client = fake.client(rate_limiter=limits, **extra)
    else:
        fake = FakeBling(clock=clock, rate_limit=3 if limits else None)
        seed_erp(erp, fake.client(rate_limiter=False))
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
        "taps": {"auvo": Tap(fake_auvo), erp: Tap(fake)},
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
    fe = w["fake_erp"]
    if erp == "bling":
        ours = pages(len(fe.data["contatos"])) + pages(len(fe.data["produtos"]))
        ours += 1  # formas de pagamento
    else:
        ours = pages(len(fe.records("customer"))) + pages(len(fe.records("product")))
        ours += pages(len(fe.records("task"))) + 2  # services; bank accounts, deal types
    return auvo + ours + writes


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
    shares = {name: tap.calls / (elapsed * LIMITS[name]) for name, tap in taps.items()}
    bound = max(shares, key=lambda name: shares[name])
    for name, share in shares.items():
        target = ">= 0.90" if name == bound else "(waits on " + bound + ")"
        ok = share >= 0.9 if name == bound else True
        throttled = taps[name].throttled
        line = f"{erp}: share of {name}'s rate limit used ({LIMITS[name]:.2f}/s)"
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


def bench_memory(erp: str, tasks: int) -> bool:
    w = world(erp, tasks, None, limits=False)
    for fake in (w["fake_auvo"], w["fake_erp"]):
        fake.requests = deque(maxlen=100)  # the fakes' request logs are not the bridge's
    tracemalloc.start()
    tracemalloc.reset_peak()
    base, _ = tracemalloc.get_traced_memory()
    began = time.perf_counter()
    report = sync(w)
    current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # What is still held after the pass is mostly the fake ERP's copy of every sale; the
    # peak less that is the pass's working memory, which should not grow with the tasks.
    working = (peak - current) / 2**20
    took = time.perf_counter() - began
    mb = (peak - base) / 2**20
    per_100k = mb * 100_000 / tasks
    sales = report.streams["tasks"].created
    label = f"{erp}: peak memory, first sync of {tasks:,} tasks ({sales:,} sales)"
    ok = mb < 100
    print(
        f"{label:<74} {mb:9.1f} MB  ({took:.0f} s traced)  target < 100 MB  "
        f"{'ok' if ok else 'MISSED'}"
    )
    print(
        f"    {mb * 1000 / tasks:.2f} MB per 1,000 tasks, fakes included; linear to 100,000 "
        f"tasks: {per_100k:,.0f} MB (an upper bound: the fake ERP keeps every sale in memory)"
    )
    print(
        f"    held after the pass (fakes' records, caches): {(current - base) / 2**20:.1f} MB; "
        f"peak less that (the pass's working memory): {working:.1f} MB"
    )
    return ok


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
    parser.add_argument("erps", nargs="*", metavar="erp", help="contaazul and/or bling")
    parser.add_argument("--tasks", type=int, default=2000)
    parser.add_argument("--memory-tasks", type=int, default=5000)
    parser.add_argument("--quick", action="store_true", help="500 and 2,000 tasks")
    args = parser.parse_args(argv)
    if set(args.erps) - {"contaazul", "bling"}:
        parser.error("an erp is contaazul or bling")
    if args.quick:
        args.tasks, args.memory_tasks = 500, 2000
    results: list[bool] = []
    runs: list[Callable[[], None]] = []
    for erp in args.erps or ("contaazul", "bling"):
        runs.append(lambda erp=erp: results.extend(bench_calls(erp, args.tasks)))
        runs.append(lambda erp=erp: results.append(bench_memory(erp, args.memory_tasks)))
    for run in runs:
        run()
    missed = Counter(results)[False]
    print(f"{missed} target(s) missed" if missed else "all targets met")
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
