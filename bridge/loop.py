"""The polling loop (``python -m bridge run``) as a library function, and the progress line a
long pass shows."""

from __future__ import annotations

import math
import sqlite3
import sys
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TextIO

from auvo import Auvo
from sdkcore import SDKError
from sdkcore.clock import SYSTEM_CLOCK, Clock, SystemClock
from sdkcore.logs import module_logger

from .config import BridgeConfig, ConfigError
from .context import Progress
from .credentials import CredentialsRejected
from .engine import ready, run
from .erp.port import ErpClient
from .report import StreamReport, SyncReport, failure_reason
from .store import Store, TenantBusy

__all__ = [
    "CREDENTIALS_BACKOFF_MAX",
    "ProgressLine",
    "credentials_backoff",
    "poll",
    "store_errors",
]

log = module_logger(__name__)

# How often a wait on the system clock looks at ``stop`` while it waits for a nudge.
STOP_CHECK_SECONDS = 0.25

# Webhook deliveries come in bursts (closing a day's tasks sends one per task), and each
# pass costs a dozen API calls whatever woke it. After a nudge the loop waits until no
# delivery has come for NUDGE_SETTLE_SECONDS (at most NUDGE_SETTLE_MAX_SECONDS in all), and
# nudged passes start at least NUDGE_MIN_GAP_SECONDS apart: a burst brings one pass, and a
# steady trickle one pass per gap, not one per delivery.
NUDGE_SETTLE_SECONDS = 2.0
NUDGE_SETTLE_MAX_SECONDS = 30.0
NUDGE_MIN_GAP_SECONDS = 30.0

CREDENTIALS_BACKOFF_MAX = timedelta(hours=1)
"""The longest wait between passes while credentials are refused (or the poll interval, if
that is longer): the bridge keeps trying, so fixed credentials are picked up, without
hammering an API that says no."""


def credentials_backoff(interval: float, refusals: int) -> float:
    """Seconds from the start of a refused pass to the next, after ``refusals`` refused
    passes in a row: the poll interval, doubling each time, up to
    ``CREDENTIALS_BACKOFF_MAX``."""
    ceiling = max(CREDENTIALS_BACKOFF_MAX.total_seconds(), interval)
    return min(interval * 2.0 ** min(refusals - 1, 32), ceiling)


def poll(
    config: BridgeConfig,
    store: Store,
    *,
    auvo: Auvo | None = None,
    erp: ErpClient | None = None,
    stop: threading.Event | None = None,
    wake: threading.Event | None = None,
    clock: Clock = SYSTEM_CLOCK,
    on_report: Callable[[SyncReport], None] | None = None,
    progress: Progress | None = None,
    max_passes: int | None = None,
    settings: str | None = None,
) -> int:
    """Run a pass every ``config.poll_interval`` until ``stop`` is set (or ``max_passes``
    passes ran); returns the number of passes. ``auvo`` and ``erp`` take ready sync
    clients, as in ``bridge.sync``; without them they are built from the config's
    credentials and closed at the end. ``settings`` names the settings file in the fix a
    refusal of the credentials logs (``python -m bridge authorize --config <settings>``).

    Passes start on a fixed schedule (start to start), so a change waits at most one
    interval plus the time the pass takes to reach it; a pass that overruns the interval is
    followed at once. Setting ``stop`` finishes the record in flight, then returns. A pass
    that finds the tenant busy (another run holds its lock) is skipped, not queued. A pass
    that fails outside the streams (which keep their own failures) is logged and the loop
    goes on, except for a ``ConfigError``, which is raised: it needs a person. A pass whose
    credentials were refused logs one warning and the next waits longer each time
    (``credentials_backoff``; nudges do not cut it short) until a pass works again.

    Setting ``wake`` (from an Auvo webhook handler, say) starts the next pass soon instead
    of at its time: once nudges stop coming for ``NUDGE_SETTLE_SECONDS`` (waiting at most
    ``NUDGE_SETTLE_MAX_SECONDS``), and no sooner than ``NUDGE_MIN_GAP_SECONDS`` after the
    previous pass began. Nudges that arrive while a pass runs bring one pass after it.
    """
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

    def pause(seconds: float) -> None:
        # A wait only ``stop`` cuts short: the nudges arriving in it are what it waits out.
        until = clock.monotonic() + seconds
        while not stop.is_set() and (left := until - clock.monotonic()) > 0:
            if isinstance(clock, SystemClock):
                stop.wait(left)
            else:
                clock.sleep(left)

    def settle(previous_start: float, due: float) -> None:
        # Called on a nudge: returns when the burst it began is over, see the docstring.
        latest = min(clock.monotonic() + NUDGE_SETTLE_MAX_SECONDS, due)
        earliest = min(previous_start + NUDGE_MIN_GAP_SECONDS, latest)
        while not stop.is_set() and (left := latest - clock.monotonic()) > 0:
            wake.clear()  # set again by the next delivery, if one comes
            pause(min(NUDGE_SETTLE_SECONDS, left))
            if not wake.is_set():  # quiet: the burst is over
                pause(earliest - clock.monotonic())
                return

    passes = 0
    refusals = 0  # passes in a row whose credentials were refused
    with ready(config, auvo, erp) as (auvo, erp):
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
            except CredentialsRejected as exc:  # may be fixed while we run: retry, slower
                refusals += 1
                retry_in = timedelta(seconds=round(credentials_backoff(interval, refusals)))
                fix = exc.explain(settings) if settings is not None else exc.explain()
                log.warning("%s; trying again in %s", fix, retry_in)
            except Exception as exc:  # e.g. the store's database away for a moment
                _pass_failed(exc)
            else:
                refusals = 0
                if on_report is not None:
                    on_report(report)
            passes += 1
            if max_passes is not None and passes >= max_passes:
                break
            if refusals:  # a webhook cannot fix credentials: nudges do not shorten this wait
                until = began + credentials_backoff(interval, refusals)
                while not stop.is_set() and (left := until - clock.monotonic()) > 0:
                    wake.clear()
                    wait(left)
            else:
                due = began + interval
                wait(due - clock.monotonic())
                if wake.is_set() and clock.monotonic() < due:
                    settle(began, due)
    return passes


def store_errors() -> tuple[type[BaseException], ...]:
    """The errors of the stores' databases (psycopg's once the Postgres store loaded it)."""
    errors: list[type[BaseException]] = [sqlite3.Error]
    psycopg = sys.modules.get("psycopg")
    if psycopg is not None:
        errors.append(psycopg.Error)
    return tuple(errors)


def _pass_failed(exc: Exception) -> None:
    """One line for a pass that failed outside the streams: a warning when the cause is one
    to expect (an API, the network or the store's database away), an error naming the type
    when it is a bug. The traceback helps only whoever debugs, so it is logged at DEBUG."""
    reason = failure_reason(exc)
    if isinstance(exc, (SDKError, OSError, *store_errors())):
        log.warning("the pass failed: %s; the next one runs on schedule", reason)
    else:
        log.error(
            "the pass failed on a bug (please report it): %s; the next one runs on schedule", reason
        )
    log.debug("what failed the pass", exc_info=exc)


class ProgressLine:
    """A ``Progress`` for humans: on a terminal one line rewritten in place a few times a
    second; elsewhere (a log file, a pipe) a plain line every ``log_every`` seconds. Each
    shows the records done (of the total, when the stream knows it), the rate since the
    stream began, and with a total the time left at that rate."""

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
        # The stream being shown, when it was first seen and how many it had done then.
        self._stream: StreamReport | None = None
        self._began = 0.0
        self._done_then = 0

    def __call__(self, stream: StreamReport) -> None:
        moment = self._monotonic()
        if stream is not self._stream:
            self._stream, self._began, self._done_then = stream, moment, stream.handled
        if moment - self._last < self.every:
            return
        self._last = moment
        elapsed = moment - self._began
        rate = (stream.handled - self._done_then) / elapsed if elapsed > 0 else None
        line = self.describe(stream, rate)
        if self.tty:
            self.out.write("\r\x1b[2K" + line)
            self._shown = True
        else:
            stamp = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M:%S")
            self.out.write(f"{stamp} progress {line}\n")
        self.out.flush()

    @staticmethod
    def describe(stream: StreamReport, rate: float | None = None) -> str:
        """``[41%, 2.0/s, about 30 s left] customers: 41 of 100 records (created 41, ...)``;
        the parts in brackets that are not known are left out."""
        done, total = stream.handled, stream.total
        facts = []
        if total:
            facts.append(f"{min(done, total) * 100 // total}%")
        if rate:
            facts.append(f"{rate:,.1f}/s" if rate < 100 else f"{rate:,.0f}/s")
            if total:
                facts.append(f"about {_duration(max(total - done, 0) / rate)} left")
        prefix = f"[{', '.join(facts)}] " if facts else ""
        count = f"{done:,} of {total:,}" if total is not None else f"{done:,}"
        return (
            f"{prefix}{stream.name}: {count} records (created {stream.created:,}, "
            f"updated {stream.updated:,}, linked {stream.linked:,}, "
            f"skipped {stream.skipped:,}, failed {stream.failed:,})"
        )

    def finish(self) -> None:
        """Clear the terminal line, so the report prints on a clean line."""
        if self.tty and self._shown:
            self.out.write("\r\x1b[2K")
            self.out.flush()
            self._shown = False


def _duration(seconds: float) -> str:
    """``45 s``, ``12 min``, ``3 h 05 min``: rounded up, as an estimate of time left is."""
    whole = math.ceil(seconds)
    if whole < 90:
        return f"{whole} s"
    minutes = math.ceil(whole / 60)
    if minutes < 90:
        return f"{minutes} min"
    return f"{minutes // 60} h {minutes % 60:02d} min"
