"""The timing routines every bench script uses, so their ratios are comparable."""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")

_REPO = Path(__file__).resolve().parent.parent
"""Where imports are timed from, so the repository's packages are the ones imported."""


def median_time(fn: Callable[[], object], batch: int, repeats: int) -> float:
    """Median seconds per call over ``repeats`` batches of ``batch`` calls.

    Garbage is collected before each batch, for the measured code and the baseline alike:
    otherwise a batch pays for the garbage of the batches before it, and the figure
    depends on what ran earlier in the process rather than on the code measured.
    """
    for _ in range(max(1, batch // 10)):
        fn()  # warm up
    samples = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        for _ in range(batch):
            fn()
        samples.append((time.perf_counter() - start) / batch)
    return statistics.median(samples)


def medians_in_turn(
    timed: Mapping[str, Callable[[], object]], batch: int, repeats: int
) -> dict[str, float]:
    """``median_time`` of each function, their batches taken in turn.

    A ratio of two figures timed one after the other moves with whatever else the machine
    did meanwhile; taken in turn, a busy spell slows both sides of the ratio alike.
    """
    samples: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(repeats):
        for name, fn in timed.items():
            samples[name].append(median_time(fn, batch, 1))
    return {name: statistics.median(times) for name, times in samples.items()}


def cold_import(statement: str, runs: int) -> float:
    """Median seconds a fresh interpreter takes to run ``statement`` (an import, say), over
    ``runs`` runs: start-up included, so compare it only with another such figure."""
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", statement], check=True, cwd=_REPO)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def isolated(fn: Callable[..., T], *args: object) -> T:
    """Run one measurement in a fresh interpreter, so no measurement inherits the heap,
    caches and garbage of the ones before it (which skewed ratios by up to 40% here)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)
