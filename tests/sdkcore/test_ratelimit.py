"""The client-side token bucket: arithmetic, threads, server throttles."""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sdkcore import (
    FakeClock,
    PermissionDeniedError,
    RateLimitError,
    SyncAPIClient,
    TokenBucket,
)

Make = Callable[..., Any]


def test_burst_then_steady_spacing() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2, per=1.0, burst=3, clock=clock)
    assert [bucket.reserve() for _ in range(6)] == [0.0, 0.0, 0.0, 0.5, 1.0, 1.5]


def test_tokens_refill_with_time_up_to_the_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(10, per=60.0, burst=2, clock=clock)  # one token every 6 s
    assert [bucket.reserve() for _ in range(2)] == [0.0, 0.0]
    clock.advance(6)
    assert bucket.reserve() == 0.0
    assert bucket.reserve() == pytest.approx(6.0)
    clock.advance(3600)
    assert [bucket.reserve() for _ in range(3)] == [0.0, 0.0, pytest.approx(6.0)]


def test_a_caller_that_sleeps_what_it_is_told_gets_the_rate() -> None:
    clock = FakeClock(start=0.0)
    bucket = TokenBucket(5, per=1.0, burst=5, clock=clock)
    for _ in range(25):
        clock.sleep(bucket.reserve())
    assert clock.time() == pytest.approx((25 - 5) / 5)


def test_default_burst_is_the_rate() -> None:
    assert TokenBucket(4, clock=FakeClock()).burst == 4
    assert TokenBucket(0.5, per=1, clock=FakeClock()).burst == 1


@pytest.mark.parametrize(
    "kwargs", [{"rate": 0}, {"rate": -1}, {"rate": 1, "per": 0}, {"rate": 1, "burst": 0}]
)
def test_bad_settings_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError):
        TokenBucket(**kwargs)


def test_one_bucket_is_shared_consistently_by_many_threads() -> None:
    clock = FakeClock()
    bucket = TokenBucket(4, per=1.0, burst=5, clock=clock)
    threads_count, each = 16, 400
    start = threading.Barrier(threads_count)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        mine = [bucket.reserve() for _ in range(each)]
        with lock:
            waits.extend(mine)

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible, to provoke races
    try:
        threads = [threading.Thread(target=worker) for _ in range(threads_count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    # Every token handed out exactly once: the waits are the schedule, whoever got which.
    total = threads_count * each
    expected = [0.0] * 5 + [k / 4 for k in range(1, total - 5 + 1)]
    assert sorted(waits) == pytest.approx(expected)


def test_pause_holds_every_token_until_it_ends() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1, per=1.0, burst=3, clock=clock)
    bucket.pause(5)
    assert bucket.reserve() == 5.0  # the first caller goes when the pause ends
    assert bucket.reserve() == 6.0  # and nothing refilled during it
    bucket.pause(1)  # a shorter pause does not shorten the longer one
    bucket.pause(-3)
    clock.advance(7)
    assert bucket.reserve() == pytest.approx(0.0)


def test_pause_after_tokens_accumulated_lets_one_through() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1, per=1.0, burst=10, clock=clock)
    bucket.pause(2)
    assert [bucket.reserve() for _ in range(3)] == [2.0, 3.0, 4.0]


class Limited(SyncAPIClient):
    package = "ponte_testapi"
    default_base_url = "https://api.example.test"
    default_rate = (2.0, 1.0, 2)


class Throttling(Limited):
    """An API that says "rate limited" with a 403 and a body, as Auvo does."""

    def is_throttled(self, response: httpx.Response) -> bool:
        return response.status_code == 429 or (
            response.status_code == 403 and b"Rate limit" in response.content
        )


def test_clients_build_their_bucket_from_default_rate(make_client: Make, scripted: Any) -> None:
    api = make_client(scripted(), cls=Limited)
    bucket = api.client.rate_limiter
    assert isinstance(bucket, TokenBucket)
    assert bucket.rate == 2.0
    assert bucket.burst == 2
    assert make_client(scripted(), cls=Limited, rate_limiter=False).client.rate_limiter is None
    assert make_client(scripted()).client.rate_limiter is None  # no default_rate


def test_the_client_waits_for_the_bucket(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    api = make_client(scripted(), cls=Limited)
    for _ in range(4):
        api.request("GET", "/x")
    assert clock.sleeps == [0.0, 0.0, 0.5, 0.5]


def test_a_429_pauses_the_shared_bucket(make_client: Make, scripted: Any, clock: FakeClock) -> None:
    bucket = TokenBucket(100, per=1.0, burst=100, clock=clock)
    t = scripted(default=httpx.Response(429, headers={"Retry-After": "3"}))
    api = make_client(t, rate_limiter=bucket, max_retries=0)
    with pytest.raises(RateLimitError):
        api.request("GET", "/x")
    # Another client sharing the bucket (or another thread) now waits out the throttle.
    assert bucket.reserve() == pytest.approx(3.0)


def test_a_429_with_retry_after_is_waited_once_not_twice(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    bucket = TokenBucket(100, per=1.0, burst=100, clock=clock)
    t = scripted(httpx.Response(429, headers={"Retry-After": "2"}), httpx.Response(200, json={}))
    api = make_client(t, rate_limiter=bucket)
    api.request("GET", "/x")
    assert sum(clock.sleeps) == pytest.approx(2.0)
    assert len(t.requests) == 2


def test_a_429_without_retry_after_pauses_for_the_backoff(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    bucket = TokenBucket(100, per=1.0, burst=100, clock=clock)
    t = scripted(httpx.Response(429), httpx.Response(200, json={}))
    make_client(t, rate_limiter=bucket).request("GET", "/x")
    backoff = [s for s in clock.sleeps if s > 0]
    assert len(backoff) == 1
    assert 0.5 <= backoff[0] <= 8


def test_a_retry_after_too_long_to_wait_does_not_stall_the_next_call(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    bucket = TokenBucket(100, per=1.0, burst=100, clock=clock)
    t = scripted(httpx.Response(429, headers={"Retry-After": "3600"}), httpx.Response(200, json={}))
    api = make_client(t, rate_limiter=bucket)
    with pytest.raises(RateLimitError) as info:
        api.request("GET", "/x")
    assert info.value.retry_after == 3600
    # The caller was told to wait an hour; the next call is theirs to make, not slept away.
    assert api.request("GET", "/x") == {}
    assert all(s == 0 for s in clock.sleeps)


def test_a_throttle_signalled_by_body_is_a_rate_limit(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    throttled = httpx.Response(403, json={"message": "Rate limit temporarily exceeded"})
    denied = httpx.Response(403, json={"message": "forbidden"})
    t = scripted(throttled, throttled, throttled, denied)
    api = make_client(t, cls=Throttling)
    with pytest.raises(RateLimitError) as info:
        api.request("POST", "/x", json={})
    assert info.value.status_code == 403
    assert len(t.requests) == 3  # a throttle is safe to repeat, even for a POST
    with pytest.raises(PermissionDeniedError):
        api.request("GET", "/x")


class Quota(Limited):
    """An API whose daily quota answers 429 too: not worth waiting out."""

    def may_retry_throttle(self, response: httpx.Response) -> bool:
        return b"daily quota" not in response.content


def test_a_throttle_not_worth_waiting_is_raised_at_once(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    quota = httpx.Response(429, json={"message": "daily quota exceeded"})
    t = scripted(quota, httpx.Response(429), httpx.Response(200, json={}))
    api = make_client(t, cls=Quota)
    with pytest.raises(RateLimitError):
        api.request("GET", "/x")
    assert len(t.requests) == 1
    assert api.request("GET", "/x") == {}  # an ordinary throttle is still waited out
    assert len(t.requests) == 3
