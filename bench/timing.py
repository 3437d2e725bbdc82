"""The one timing routine every bench script uses, so their ratios are comparable."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


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


def isolated(fn: Callable[..., T], *args: object) -> T:
    """Run one measurement in a fresh interpreter, so no measurement inherits the heap,
    caches and garbage of the ones before it (which skewed ratios by up to 40% here)."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(1) as pool:
        return pool.apply(fn, args)
