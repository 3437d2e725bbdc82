"""Retry policy as data, and the pure decisions made from it.

Nothing here does I/O: the sync and async send loops ask these functions what to do.
"""

from __future__ import annotations

import email.utils
import math
import random
from collections.abc import Callable
from datetime import UTC
from enum import Enum

import attrs

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
RETRYABLE_STATUSES = frozenset({408, 429, 500, 502, 503, 504})


class Failure(Enum):
    """How a request failed without an HTTP answer."""

    NOT_SENT = "not_sent"  # connect error or pool timeout: the server never saw it
    TIMEOUT = "timeout"  # sent, no answer in time: the server may have acted on it
    DROPPED = "dropped"  # connection broke mid-exchange: ambiguous too


@attrs.frozen
class RetryPolicy:
    """How many times and how patiently to retry; overridable per client and per call."""

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_wait: float = 60.0
    retry_statuses: frozenset[int] = RETRYABLE_STATUSES
    idempotent_methods: frozenset[str] = IDEMPOTENT_METHODS

    def backoff(self, retry_number: int, rng: Callable[[], float] = random.random) -> float:
        """Exponential backoff with full jitter, always within [initial, max].

        The ceiling doubles from ``2 * initial`` so even the first retry is jittered and
        clients failing together do not retry in lockstep.
        """
        exponent = min(max(retry_number, 0) + 1, 64)  # 2.0**1024 would overflow
        ceiling = min(self.max_backoff, self.initial_backoff * 2.0**exponent)
        return self.initial_backoff + rng() * (ceiling - self.initial_backoff)

    def may_retry_status(self, method: str, status: int) -> bool:
        if status not in self.retry_statuses:
            return False
        # A create that reached the server and failed may still have happened; only a
        # throttle (the server refused before acting) is safe to repeat.
        return method.upper() in self.idempotent_methods or status == 429

    def may_retry_failure(self, method: str, failure: Failure) -> bool:
        if failure is Failure.NOT_SENT:
            return True
        return method.upper() in self.idempotent_methods


@attrs.frozen
class RetryDecision:
    retry: bool
    wait: float = 0.0
    # The server asked for longer than we are willing to wait.
    wait_too_long: bool = False


def decide_after_status(
    policy: RetryPolicy,
    method: str,
    status: int,
    retries_done: int,
    retry_after: float | None,
    rng: Callable[[], float] = random.random,
) -> RetryDecision:
    if not policy.may_retry_status(method, status):
        return RetryDecision(retry=False)
    if retry_after is not None and retry_after > policy.max_retry_wait:
        return RetryDecision(retry=False, wait_too_long=True)
    if retries_done >= policy.max_retries:
        return RetryDecision(retry=False)
    wait = retry_after if retry_after is not None else policy.backoff(retries_done, rng)
    return RetryDecision(retry=True, wait=wait)


def decide_after_failure(
    policy: RetryPolicy,
    method: str,
    failure: Failure,
    retries_done: int,
    rng: Callable[[], float] = random.random,
) -> RetryDecision:
    if retries_done >= policy.max_retries or not policy.may_retry_failure(method, failure):
        return RetryDecision(retry=False)
    return RetryDecision(retry=True, wait=policy.backoff(retries_done, rng))


def parse_retry_after(value: str | None, now: float) -> float | None:
    """Seconds to wait from a Retry-After value: delta-seconds or an HTTP-date.

    Returns None for a missing or unreadable value; never a negative number.
    """
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # "-0000" dates parse naive; HTTP dates are always GMT
        when = when.replace(tzinfo=UTC)
    return max(when.timestamp() - now, 0.0)
