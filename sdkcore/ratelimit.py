"""A client-side token bucket shared by every thread and task of one client."""

from __future__ import annotations

import threading

from .clock import SYSTEM_CLOCK, Clock


class TokenBucket:
    """``rate`` requests per ``per`` seconds, with bursts up to ``burst``.

    ``reserve()`` takes a token and says how long the caller must wait before using it;
    the waiting itself is done by the caller (``time.sleep`` or ``asyncio.sleep``), so one
    bucket serves sync and async clients alike and a lock is held only for arithmetic.
    """

    def __init__(
        self,
        rate: float,
        per: float = 1.0,
        burst: int | None = None,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        if rate <= 0 or per <= 0:
            raise ValueError("rate and per must be positive")
        self.rate = rate / per  # tokens a second
        self.burst = float(burst if burst is not None else max(1, int(rate)))
        if self.burst < 1:
            raise ValueError("burst must be at least 1")
        self._clock = clock
        self._tokens = self.burst
        self._updated = clock.monotonic()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def reserve(self) -> float:
        """Take one token; return the seconds to wait before sending (0 when free)."""
        with self._lock:
            now = self._clock.monotonic()
            start = max(now, self._paused_until, self._updated)
            self._tokens = min(self.burst, self._tokens + (start - self._updated) * self.rate)
            self._updated = start
            self._tokens -= 1.0
            debt = -self._tokens / self.rate if self._tokens < 0 else 0.0
            return (start - now) + debt

    def pause(self, seconds: float) -> None:
        """The server throttled us: hand out nothing for ``seconds``."""
        with self._lock:
            until = self._clock.monotonic() + max(seconds, 0.0)
            if until > self._paused_until:
                self._paused_until = until
                # Nothing refills during the pause; the first caller after it may go at once.
                self._updated = max(self._updated, until)
                self._tokens = min(self._tokens, 1.0)
