"""Client-side token buckets shared by every thread and task of one client.

One ``TokenBucket`` holds one limit; ``RateLimits`` holds several (say 10 a second and 600 a
minute) and hands out a request only when every one of them has a token for it.

``TokenBucket.state()`` and ``restore()`` carry a bucket's fill from one process to another
(a pass on one machine, the next on another), so a new client starts where the last left off
instead of with a full burst.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Sequence
from contextlib import ExitStack

import attrs

from .clock import SYSTEM_CLOCK, Clock


@attrs.frozen
class BucketState:
    """A ``TokenBucket``'s fill, in wall-clock time so another process can take it up:
    ``tokens`` as counted at ``at`` (epoch seconds; later than now while tokens handed out
    wait to be used), and the end of a server's pause (``paused_until``, epoch seconds, 0
    for none). ``rate`` (tokens a second) and ``burst`` say which limit it is of."""

    rate: float
    burst: float
    tokens: float
    at: float
    paused_until: float = 0.0


class TokenBucket:
    """``rate`` requests per ``per`` seconds, with bursts up to ``burst``.

    ``reserve()`` takes a token and says how long the caller must wait before using it;
    the waiting itself is done by the caller (``time.sleep`` or ``asyncio.sleep``), so one
    bucket serves sync and async clients alike and a lock is held only for arithmetic.

    Callers that sleep what they are told send at most ``burst + rate / per * w`` requests in
    any ``w`` seconds (fewer than that in a half-open window). So a limit of "at most N in any
    P seconds" needs ``burst=1`` at N per P; a larger burst lets up to ``burst - 1`` more in.
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
        # The instant ``_tokens`` was counted at; ahead of the clock while tokens handed out
        # are still waiting to be used, or while a pause lasts.
        self._updated = clock.monotonic()
        self._paused_until = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"TokenBucket(rate={self.rate:g}/s, burst={self.burst:g})"

    def reserve(self) -> float:
        """Take one token; return the seconds to wait before sending (0 when free)."""
        return _reserve_together((self,))

    def pause(self, seconds: float) -> None:
        """The server throttled us: hand out nothing for ``seconds``."""
        with self._lock:
            until = self._clock.monotonic() + max(seconds, 0.0)
            if until > self._paused_until:
                self._paused_until = until
                # Nothing refills during the pause; the first caller after it may go at once.
                self._updated = max(self._updated, until)
                self._tokens = min(self._tokens, 1.0)

    def state(self) -> BucketState:
        """The bucket's fill now, for ``restore`` in this process or another."""
        with self._lock:
            now, wall = self._clock.monotonic(), self._clock.time()
            paused = wall + self._paused_until - now if self._paused_until > now else 0.0
            return BucketState(
                self.rate, self.burst, self._tokens, wall + self._updated - now, paused
            )

    def restore(self, state: BucketState) -> None:
        """Take up the fill ``state()`` gave (here or in another process on a clock that
        agrees on the time of day); ``ValueError`` when it is the state of another limit."""
        if (state.rate, state.burst) != (self.rate, self.burst):
            raise ValueError(
                f"the state is of a bucket of {state.rate:g}/s, burst {state.burst:g}; this one "
                f"is {self.rate:g}/s, burst {self.burst:g}"
            )
        with self._lock:
            now, wall = self._clock.monotonic(), self._clock.time()
            self._tokens = min(self.burst, state.tokens)
            self._updated = now + state.at - wall
            self._paused_until = (
                max(0.0, now + state.paused_until - wall) if state.paused_until else 0.0
            )

    # The two halves of a reservation; the caller holds ``_lock``.

    def _tokens_at(self, instant: float) -> float:
        return min(self.burst, self._tokens + (instant - self._updated) * self.rate)

    def _ready_at(self, now: float) -> float:
        """The first instant from ``now`` on at which a whole token is free."""
        start = max(now, self._paused_until, self._updated)
        missing = 1.0 - self._tokens_at(start)
        if missing <= 0:
            return start
        ready = start + missing / self.rate
        # Rounding may land a hair early; a token is never handed out before it exists.
        while self._tokens_at(ready) < 1.0:
            ready = math.nextafter(ready, math.inf)
        return ready

    def _take_at(self, instant: float) -> None:
        """Spend a token at ``instant`` (never before ``_ready_at``, never before the last)."""
        self._tokens = self._tokens_at(instant) - 1.0
        self._updated = instant


class RateLimits:
    """Several buckets that must all agree: a request goes only when each has a token.

    ``RateLimits(TokenBucket(10, per=1, burst=1), TokenBucket(600, per=60, burst=600))``
    for an API that allows 10 requests a second and 600 a minute. Used where a
    ``TokenBucket`` is (``rate_limiter=``); a bucket may also be shared by several of these.
    """

    def __init__(self, *buckets: TokenBucket) -> None:
        if not buckets:
            raise ValueError("RateLimits needs at least one TokenBucket")
        if len({id(bucket) for bucket in buckets}) != len(buckets):
            raise ValueError("RateLimits got the same TokenBucket twice")
        if len({id(bucket._clock) for bucket in buckets}) != 1:
            raise ValueError("the buckets of one RateLimits must share one clock")
        self.buckets: tuple[TokenBucket, ...] = buckets

    def __repr__(self) -> str:
        return f"RateLimits({', '.join(map(repr, self.buckets))})"

    def reserve(self) -> float:
        """Take one token from every bucket, all for the same instant; return the seconds to
        wait before sending (the longest any bucket asks for)."""
        return _reserve_together(self.buckets)

    def pause(self, seconds: float) -> None:
        """The server throttled us: every bucket hands out nothing for ``seconds``."""
        for bucket in self.buckets:
            bucket.pause(seconds)


def _reserve_together(buckets: Sequence[TokenBucket]) -> float:
    """Book one send on every bucket at the first instant all of them allow it.

    Each bucket spends its token at the instant the request really goes, not at the one it
    alone would have allowed: otherwise requests held back by one bucket would bunch up and
    overrun another.
    """
    with ExitStack() as held:
        # One global order, so two RateLimits sharing a bucket can never deadlock.
        for bucket in sorted(buckets, key=id):
            held.enter_context(bucket._lock)
        now = buckets[0]._clock.monotonic()
        send_at = max(bucket._ready_at(now) for bucket in buckets)
        for bucket in buckets:
            bucket._take_at(send_at)
        return send_at - now
