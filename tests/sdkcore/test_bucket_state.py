"""A token bucket's fill carried to another bucket (another process, another machine): the
requests after the hand-over wait exactly as they would have on the first bucket."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from sdkcore import FakeClock, TokenBucket
from sdkcore.ratelimit import BucketState


class OffsetClock(FakeClock):
    """A ``FakeClock`` whose monotonic clock started elsewhere, as another process's does:
    the same time of day, a different monotonic reading."""

    def __init__(self, start: float, monotonic_offset: float) -> None:
        super().__init__(start)
        self.offset = monotonic_offset

    def monotonic(self) -> float:
        return self.time() - self.offset


def _handed_over(
    bucket: TokenBucket, clock: FakeClock, rate: float, per: float, burst: int
) -> TokenBucket:
    """A new bucket of the same limit on ``clock``, taking up ``bucket``'s fill."""
    successor = TokenBucket(rate, per=per, burst=burst, clock=clock)
    successor.restore(bucket.state())
    return successor


def test_a_bucket_emptied_by_one_pass_is_empty_for_the_next() -> None:
    first_clock = OffsetClock(1_700_000_000.0, monotonic_offset=1_699_000_000.0)
    first = TokenBucket(10, per=60.0, burst=3, clock=first_clock)  # one token every 6 s
    assert [first.reserve() for _ in range(3)] == [0.0, 0.0, 0.0]
    first_clock.advance(1.5)
    next_clock = OffsetClock(first_clock.time(), monotonic_offset=1_699_999_000.0)
    fresh = TokenBucket(10, per=60.0, burst=3, clock=next_clock)
    assert fresh.reserve() == 0.0  # a bucket of its own would start full
    second = _handed_over(first, next_clock, 10, 60.0, 3)
    assert second.reserve() == pytest.approx(4.5)  # 6 s after the burst, 1.5 s of it gone


def test_time_between_the_passes_refills_up_to_the_burst() -> None:
    clock = FakeClock()
    first = TokenBucket(1, per=1.0, burst=2, clock=clock)
    for _ in range(2):
        first.reserve()
    state = first.state()
    clock.advance(3600)
    second = TokenBucket(1, per=1.0, burst=2, clock=clock)
    second.restore(state)
    assert [second.reserve() for _ in range(3)] == [0.0, 0.0, pytest.approx(1.0)]


def test_a_server_pause_outlives_the_process() -> None:
    clock = FakeClock()
    first = TokenBucket(5, per=1.0, burst=5, clock=clock)
    first.pause(30)
    clock.advance(10)
    second = _handed_over(first, OffsetClock(clock.time(), monotonic_offset=7.0), 5, 1.0, 5)
    assert second.reserve() == pytest.approx(20.0)
    assert first.state().paused_until == pytest.approx(clock.time() + 20)


def test_a_state_without_a_pause_says_so() -> None:
    clock = FakeClock()
    bucket = TokenBucket(5, per=1.0, burst=5, clock=clock)
    bucket.reserve()
    state = bucket.state()
    assert state == BucketState(rate=5.0, burst=5.0, tokens=4.0, at=clock.time())
    assert state.paused_until == 0.0


def test_the_state_of_another_limit_is_refused() -> None:
    clock = FakeClock()
    state = TokenBucket(10, per=1.0, burst=10, clock=clock).state()
    other = TokenBucket(600, per=60.0, burst=600, clock=clock)
    with pytest.raises(ValueError, match="burst 10"):
        other.restore(state)


@settings(max_examples=200, deadline=None)
@given(
    steps=st.lists(st.floats(min_value=0.0, max_value=5.0), min_size=1, max_size=30),
    hand_over_at=st.integers(min_value=0, max_value=30),
    burst=st.integers(min_value=1, max_value=5),
    offset=st.floats(min_value=-1e6, max_value=1e6),
)
def test_a_hand_over_changes_no_wait(
    steps: list[float], hand_over_at: int, burst: int, offset: float
) -> None:
    """Requests ``steps`` seconds apart (each after sleeping what it was told): one bucket
    throughout, or one until ``hand_over_at`` and its successor after, wait the same."""
    rate, per = 3.0, 2.0

    def waits(hand_over: int | None) -> list[float]:
        clock = OffsetClock(1_700_000_000.0, monotonic_offset=0.0)
        bucket = TokenBucket(rate, per=per, burst=burst, clock=clock)
        told = []
        for index, gap in enumerate(steps):
            if index == hand_over:
                later = OffsetClock(clock.time(), monotonic_offset=offset)
                bucket = _handed_over(bucket, later, rate, per, burst)
                clock = later
            clock.advance(gap)
            wait = bucket.reserve()
            told.append(wait)
            clock.advance(wait)
        return told

    assert waits(hand_over_at) == pytest.approx(waits(None), abs=1e-6)
