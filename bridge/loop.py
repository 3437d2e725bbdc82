"""The polling loop (``python -m bridge run``) as a library function, and the progress line a
long pass shows."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any, TextIO

from sdkcore.clock import SYSTEM_CLOCK, Clock, SystemClock

from .config import BridgeConfig, ConfigError
from .engine import Progress, run
from .report import StreamReport, SyncReport
from .store import Store, TenantBusy

__all__ = ["ProgressLine", "poll"]

log = logging.getLogger(__name__)

# How often a wait on the system clock looks at ``stop`` while it waits for a nudge.
STOP_CHECK_SECONDS = 0.25


def poll(
    config: BridgeConfig,
    store: Store,
    *,
    auvo: Any = None,
    erp: Any = None,
    stop: threading.Event | None = None,
    wake: threading.Event | None = None,
    clock: Clock = SYSTEM_CLOCK,
    on_report: Callable[[SyncReport], None] | None = None,
    progress: Progress | None = None,
    max_passes: int | None = None,
) -> int:
    """Run a pass every ``config.poll_interval`` until ``stop`` is set (or ``max_passes``
    passes ran); returns the number of passes. ``auvo`` and ``erp`` take ready sync
    clients, as in ``bridge.sync``; without them they are built from the config's
    credentials and closed at the end.

    Passes start on a fixed schedule (start to start), so a change waits at most one
    interval plus the time the pass takes to reach it; a pass that overruns the interval is
    followed at once. Setting ``stop`` finishes the record in flight, then returns. A pass
    that finds the tenant busy (another run holds its lock) is skipped, not queued. A pass
    that fails outside the streams (which keep their own failures) is logged and the loop
    goes on, except for a ``ConfigError``, which is raised: it needs a person.

    Setting ``wake`` (from an Auvo webhook handler, say) starts the next pass at once
    instead of at its time; nudges that arrive while a pass runs bring one pass after it.
    """
    from .clients import ready_clients

    stop = stop if stop is not None else threading.Event()
    wake = wake if wake is not None else threading.Event()
    interval = config.poll_interval.total_seconds()

    def now() -> datetime:
        return datetime.fromtimestamp(clock.time(), UTC)

    def wait(seconds: float) -> None:
        if isinstance(clock, SystemClock):
            until = clock.monotonic() + seconds
            # Two events to watch: wait on the nudge in short slices, checking stop between.
            while not stop.is_set() and not wake.is_set():
                left = until - clock.monotonic()
                if left <= 0:
                    return
                wake.wait(min(left, STOP_CHECK_SECONDS))
        elif seconds > 0 and not wake.is_set():
            clock.sleep(seconds)

    passes = 0
    with ready_clients(config, auvo, erp) as (auvo, erp):
        while not stop.is_set() and (max_passes is None or passes < max_passes):
            began = clock.monotonic()
            wake.clear()  # what this pass reads answers every nudge so far
            try:
                report = run(
                    config, store, auvo=auvo, erp=erp, stop=stop.is_set, now=now, progress=progress
                )
            except TenantBusy as exc:
                log.warning("%s; skipping this pass", exc)
            except ConfigError:
                raise  # a setting to fix: polling again would fail the same way
            except Exception:  # e.g. the store's database away for a moment: retry on schedule
                log.exception("the pass failed; the next one runs on schedule")
            else:
                if on_report is not None:
                    on_report(report)
            passes += 1
            if max_passes is None or passes < max_passes:
                wait(began + interval - clock.monotonic())
    return passes


class ProgressLine:
    """A ``Progress`` for humans: on a terminal one line rewritten in place a few times a
    second; elsewhere (a log file, a pipe) a plain line every ``log_every`` seconds."""

    def __init__(
        self,
        out: TextIO | None = None,
        *,
        tty: bool | None = None,
        log_every: float = 30.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.out = out if out is not None else sys.stderr
        self.tty = self.out.isatty() if tty is None else tty
        self.every = 0.2 if self.tty else log_every
        self._monotonic = monotonic
        self._last = monotonic()
        self._shown = False

    def __call__(self, stream: StreamReport) -> None:
        moment = self._monotonic()
        if moment - self._last < self.every:
            return
        self._last = moment
        line = self.describe(stream)
        if self.tty:
            self.out.write("\r\x1b[2K" + line)
            self._shown = True
        else:
            stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
            self.out.write(f"{stamp} progress {line}\n")
        self.out.flush()

    @staticmethod
    def describe(stream: StreamReport) -> str:
        done = stream.changed + stream.skipped + stream.failed
        return (
            f"{stream.name}: {done:,} records (created {stream.created:,}, "
            f"updated {stream.updated:,}, linked {stream.linked:,}, "
            f"skipped {stream.skipped:,}, failed {stream.failed:,})"
        )

    def finish(self) -> None:
        """Clear the terminal line, so the report prints on a clean line."""
        if self.tty and self._shown:
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self._shown = False
