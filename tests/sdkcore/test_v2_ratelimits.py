"""Several limits at once (10 a second and 600 a minute): ``RateLimits`` and ``default_rates``."""

from __future__ import annotations

import sys
import threading
from bisect import bisect_left
from collections.abc import Callable, Sequence
from typing import Any

import httpx
import pytest
from hypothesis import given, settings, strategies as st

from auvo import Auvo
from bling import Bling
from contaazul import ContaAzul
from sdkcore import FakeClock, RateLimitError, SyncAPIClient, TokenBucket
from sdkcore.ratelimit import RateLimits

Make = Callable[..., Any]

# Instants are floats: at FakeClock's start (1.7e9 s) one step of the clock is 2.4e-7 s, and
# a wait that does not fall on a step is rounded up to the next one.
SLACK = 1e-6


def near(expected: Any) -> Any:
    """A wait as booked: each request may wait up to one clock step longer than exact."""
    return pytest.approx(expected, rel=1e-5, abs=SLACK)


def conta_azul_limits(clock: FakeClock) -> RateLimits:
    return RateLimits(
        TokenBucket(10, per=1.0, burst=1, clock=clock),
        TokenBucket(600, per=60.0, burst=600, clock=clock),
    )


def most_in_window(sends: Sequence[float], seconds: float) -> int:
    """The most sends in any half-open window ``[t, t + seconds)``, exactly; ``sends`` sorted.

    A window holding the most sends can always slide right until it starts at a send."""
    return max(
        (bisect_left(sends, start + seconds) - i for i, start in enumerate(sends)),
        default=0,
    )


# What callers do: after ``gap`` seconds, ``count`` of them reserve at once (threads or
# tasks that have not slept yet), each sending when its wait is over; or the server
# answers 429 and every bucket is paused.
Arrival = tuple[str, float, int]
arrival = st.one_of(
    st.tuples(st.just("arrive"), st.floats(0, 90, allow_nan=False), st.integers(1, 120)),
    st.tuples(st.just("pause"), st.floats(0, 10, allow_nan=False), st.just(0)),
)
arrivals = st.lists(arrival, max_size=30)


def play(limiter: TokenBucket | RateLimits, clock: FakeClock, script: list[Arrival]) -> list[float]:
    """The instants at which the callers of ``script`` send, in the order they were booked."""
    sends: list[float] = []
    for kind, seconds, count in script:
        if kind == "pause":
            limiter.pause(seconds)
            continue
        clock.advance(seconds)
        for _ in range(count):
            sends.append(clock.monotonic() + limiter.reserve())
    return sends


def test_reserve_takes_from_every_bucket_and_waits_for_the_slowest() -> None:
    clock = FakeClock()
    fast = TokenBucket(10, per=1.0, burst=2, clock=clock)
    slow = TokenBucket(1, per=1.0, burst=3, clock=clock)
    limits = RateLimits(fast, slow)
    assert [limits.reserve() for _ in range(5)] == near([0.0, 0.0, 0.1, 1.0, 2.0])
    # Both buckets spent a token for each of the five, the last at 2.0 s: the slow one is
    # empty then, the fast one (full again by then) has one left.
    assert slow.reserve() == near(3.0)
    assert fast.reserve() == near(2.0)
    assert fast.reserve() == near(2.1)


def test_pause_holds_every_bucket() -> None:
    clock = FakeClock()
    second = TokenBucket(10, per=1.0, burst=1, clock=clock)
    minute = TokenBucket(600, per=60.0, burst=600, clock=clock)
    RateLimits(second, minute).pause(4)
    assert second.reserve() == near(4.0)
    assert minute.reserve() == near(4.0)


def test_requests_held_back_by_one_bucket_do_not_bunch_up_in_another() -> None:
    # Booking each bucket at its own earliest instant would let the three callers below
    # through 10 ms apart when the pause ends, three times what the 1-a-second bucket allows.
    clock = FakeClock()
    slow = TokenBucket(1, per=1.0, burst=1, clock=clock)
    fast = TokenBucket(100, per=1.0, burst=1, clock=clock)
    fast.pause(5)
    limits = RateLimits(slow, fast)
    assert [limits.reserve() for _ in range(3)] == near([5.0, 6.0, 7.0])


@pytest.mark.parametrize(
    ("buckets", "message"),
    [((), "at least one"), (("same", "same"), "twice"), (("a", "other clock"), "one clock")],
)
def test_bad_rate_limits_are_refused(buckets: tuple[str, ...], message: str) -> None:
    clock = FakeClock()
    same = TokenBucket(1, clock=clock)
    made = {
        "same": same,
        "a": TokenBucket(1, clock=clock),
        "other clock": TokenBucket(1, clock=FakeClock()),
    }
    with pytest.raises(ValueError, match=message):
        RateLimits(*(made[name] for name in buckets))


def test_ten_a_second_and_six_hundred_a_minute_back_to_back() -> None:
    clock = FakeClock()
    sends = play(conta_azul_limits(clock), clock, [("arrive", 0.0, 1300)])
    assert most_in_window(sends, 1.0) == 10
    assert most_in_window(sends, 60.0) == 600
    # And no slower than that: the limit is used in full.
    assert sends[-1] - sends[0] == near((1300 - 1) / 10)
    assert most_in_window(sends, 1.01) == 11  # so the windows above are the tightest


@settings(max_examples=60, deadline=None)
@given(script=arrivals)
def test_no_second_over_ten_and_no_minute_over_six_hundred(script: list[Arrival]) -> None:
    clock = FakeClock()
    sends = play(conta_azul_limits(clock), clock, script)
    assert sends == sorted(sends)
    assert most_in_window(sends, 1.0) <= 10
    assert most_in_window(sends, 60.0) <= 600


bucket_settings = st.tuples(
    st.floats(0.5, 50, allow_nan=False),  # rate
    st.sampled_from([0.5, 1.0, 2.0, 10.0, 60.0]),  # per
    st.integers(1, 20),  # burst
)
# Besides callers of the RateLimits: another client that shares one of its buckets sends
# through that bucket alone, or gets a 429 and pauses it alone.
shared_use = st.tuples(
    st.sampled_from(["alone", "pause one"]), st.floats(0, 10, allow_nan=False), st.integers(0, 2)
)


@settings(max_examples=150, deadline=None)
@given(
    settings_=st.lists(bucket_settings, min_size=1, max_size=3),
    script=st.lists(st.one_of(arrival, shared_use), max_size=40),
)
def test_every_bucket_holds_for_any_arrivals(
    settings_: list[tuple[float, float, int]], script: list[Arrival]
) -> None:
    """What a token bucket proves: n sends never span less than (n - burst) / rate seconds,
    so a window of w seconds holds at most ``burst + rate * w``, whatever the other
    buckets beside it do, whoever else uses it and whenever the server pauses it."""
    clock = FakeClock()
    buckets = [TokenBucket(r, per=p, burst=b, clock=clock) for r, p, b in settings_]
    limits = RateLimits(*buckets)
    sends: list[list[float]] = [[] for _ in buckets]
    for kind, seconds, number in script:
        index = number % len(buckets)
        if kind == "alone":
            sends[index].append(clock.monotonic() + buckets[index].reserve())
        elif kind == "pause one":
            buckets[index].pause(seconds)
        else:
            for send_at in play(limits, clock, [(kind, seconds, number)]):
                for bucket_sends in sends:
                    bucket_sends.append(send_at)
    for bucket, bucket_sends in zip(buckets, sends, strict=True):
        assert bucket_sends == sorted(bucket_sends)
        burst = int(bucket.burst)
        # Runs of every length up to a few bursts (longer ones are chains of these).
        for span in range(burst, 3 * burst + 2):
            shortest = (span + 1 - burst) / bucket.rate
            for first, last in zip(bucket_sends, bucket_sends[span:], strict=False):
                assert last - first >= shortest - SLACK


def test_threads_sharing_rate_limits_get_each_slot_once() -> None:
    clock = FakeClock()
    limits = conta_azul_limits(clock)
    threads_count, each = 8, 150
    start = threading.Barrier(threads_count)
    waits: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        start.wait()
        mine = [limits.reserve() for _ in range(each)]
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
    total = threads_count * each
    # Every slot handed out exactly once: the waits are the schedule, whoever got which.
    assert sorted(waits) == near([k / 10 for k in range(total)])


def test_rate_limits_sharing_a_bucket_never_deadlock() -> None:
    # Two RateLimits holding one bucket, listed in opposite orders: naive code would take
    # the two locks in opposite orders.
    clock = FakeClock()
    minute = TokenBucket(600, per=60.0, burst=600, clock=clock)
    one = RateLimits(TokenBucket(10, per=1.0, burst=1, clock=clock), minute)
    other = RateLimits(minute, TokenBucket(10, per=1.0, burst=1, clock=clock))
    threads = [
        threading.Thread(target=lambda limits=limits: [limits.reserve() for _ in range(300)])
        for limits in (one, other)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)


class TwoLimits(SyncAPIClient):
    package = "ponte_testapi"
    default_base_url = "https://api.example.test"
    default_rate = (10.0, 1.0, 1)
    default_rates = ((600.0, 60.0, 600),)


class MinuteOnly(SyncAPIClient):
    package = "ponte_testapi"
    default_base_url = "https://api.example.test"
    default_rates = ((600.0, 60.0, 600),)


def test_default_rates_add_buckets_beside_default_rate(make_client: Make, scripted: Any) -> None:
    limiter = make_client(scripted(), cls=TwoLimits).client.rate_limiter
    assert isinstance(limiter, RateLimits)
    assert [(b.rate, b.burst) for b in limiter.buckets] == [(10.0, 1.0), (10.0, 600.0)]
    only = make_client(scripted(), cls=MinuteOnly).client.rate_limiter
    assert isinstance(only, TokenBucket)
    assert (only.rate, only.burst) == (10.0, 600.0)
    assert make_client(scripted(), cls=TwoLimits, rate_limiter=False).client.rate_limiter is None
    assert make_client(scripted(), cls=TwoLimits, rate_limiter=None).client.rate_limiter is None


def test_a_client_takes_rate_limits_and_a_429_pauses_them_all(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    limits = conta_azul_limits(clock)
    t = scripted(default=httpx.Response(429, headers={"Retry-After": "3"}))
    api = make_client(t, rate_limiter=limits, max_retries=0)
    assert api.client.rate_limiter is limits
    with pytest.raises(RateLimitError):
        api.request("GET", "/x")
    # Nothing refilled during the pause: the second's one token was spent on the 429.
    assert [bucket.reserve() for bucket in limits.buckets] == near([3.1, 3.0])


def test_a_client_with_two_limits_sleeps_for_both(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    api = make_client(scripted(), cls=TwoLimits)
    for _ in range(12):
        api.request("GET", "/x")
    assert clock.sleeps == [0.0] + [near(0.1)] * 11


@pytest.mark.parametrize(
    "make",
    [
        lambda: Bling("token-0123456789abcdef"),
        lambda: Auvo("key", "token"),
        lambda: ContaAzul("app", "company"),
    ],
)
def test_existing_clients_keep_one_bucket(make: Callable[[], SyncAPIClient]) -> None:
    client = make()
    try:
        assert type(client).default_rates == ()
        assert isinstance(client.rate_limiter, TokenBucket)
    finally:
        client.close()
