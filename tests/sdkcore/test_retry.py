"""Retry policy as data and the pure decisions made from it."""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import format_datetime

import pytest
from hypothesis import given, strategies as st

from sdkcore import RetryPolicy
from sdkcore.retry import (
    Failure,
    RetryDecision,
    decide_after_failure,
    decide_after_status,
    parse_retry_after,
)

NOW = 1_700_000_000.0


@given(
    retry_number=st.integers(min_value=-5, max_value=100_000),
    draw=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_backoff_is_always_within_bounds(retry_number: int, draw: float) -> None:
    wait = RetryPolicy().backoff(retry_number, rng=lambda: draw)
    assert 0.5 <= wait <= 8.0


@given(
    initial=st.floats(min_value=0.01, max_value=5.0),
    spread=st.floats(min_value=0.0, max_value=60.0),
    retry_number=st.integers(min_value=0, max_value=2_000),
    draw=st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_backoff_bounds_follow_the_policy(
    initial: float, spread: float, retry_number: int, draw: float
) -> None:
    policy = RetryPolicy(initial_backoff=initial, max_backoff=initial + spread)
    wait = policy.backoff(retry_number, rng=lambda: draw)
    assert initial <= wait <= initial + spread + 1e-9


def test_backoff_grows_exponentially_and_is_jittered_from_the_first_retry() -> None:
    policy = RetryPolicy()
    top = [policy.backoff(n, rng=lambda: 1.0) for n in range(6)]
    assert top == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    assert [policy.backoff(n, rng=lambda: 0.0) for n in range(6)] == [0.5] * 6
    # Two clients failing together do not retry in lockstep, even the first time.
    assert policy.backoff(0, rng=lambda: 0.2) != policy.backoff(0, rng=lambda: 0.8)


def test_max_retries_must_not_be_negative() -> None:
    with pytest.raises(ValueError):
        RetryPolicy(max_retries=-1)


@pytest.mark.parametrize(
    ("method", "status", "retry"),
    [
        ("GET", 408, True),
        ("GET", 429, True),
        ("get", 500, True),
        ("PUT", 502, True),
        ("DELETE", 503, True),
        ("HEAD", 504, True),
        ("GET", 501, False),
        ("GET", 404, False),
        ("GET", 200, False),
        ("POST", 429, True),
        ("POST", 500, False),
        ("POST", 503, False),
        ("POST", 408, False),
        ("PATCH", 429, True),
        ("PATCH", 502, False),
    ],
)
def test_decide_after_status(method: str, status: int, retry: bool) -> None:
    decision = decide_after_status(RetryPolicy(), method, status, 0, None, rng=lambda: 0.0)
    assert decision.retry is retry
    if retry:
        assert decision.wait == 0.5


def test_decide_after_status_honours_retry_after_and_its_limit() -> None:
    policy = RetryPolicy(max_retry_wait=30)
    assert decide_after_status(policy, "GET", 429, 0, 30.0) == RetryDecision(True, 30.0)
    assert decide_after_status(policy, "GET", 429, 0, 31.0) == RetryDecision(
        False, 0.0, wait_too_long=True
    )
    assert decide_after_status(policy, "GET", 429, 2, 3.0) == RetryDecision(False)
    assert decide_after_status(policy, "POST", 500, 0, 3.0) == RetryDecision(False)


@pytest.mark.parametrize(
    ("method", "failure", "retry"),
    [
        ("POST", Failure.NOT_SENT, True),
        ("POST", Failure.TIMEOUT, False),
        ("POST", Failure.DROPPED, False),
        ("PATCH", Failure.TIMEOUT, False),
        ("GET", Failure.NOT_SENT, True),
        ("GET", Failure.TIMEOUT, True),
        ("PUT", Failure.DROPPED, True),
        ("DELETE", Failure.TIMEOUT, True),
    ],
)
def test_decide_after_failure(method: str, failure: Failure, retry: bool) -> None:
    assert decide_after_failure(RetryPolicy(), method, failure, 0).retry is retry
    assert decide_after_failure(RetryPolicy(), method, failure, 2).retry is False


def test_custom_retry_statuses() -> None:
    policy = RetryPolicy(retry_statuses=frozenset({409}))
    assert policy.may_retry_status("GET", 409)
    assert not policy.may_retry_status("GET", 503)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("7", 7.0),
        (" 3.5 ", 3.5),
        ("0", 0.0),
        ("-4", 0.0),
        (None, None),
        ("", None),
        ("   ", None),
        ("soon", None),
        ("nan", None),
        ("inf", None),
        ("-inf", None),
        ("Wed, 32 Foo 2015 07:28:00 GMT", None),
    ],
)
def test_parse_retry_after_seconds(value: str | None, expected: float | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@given(st.integers(min_value=-10_000, max_value=100_000))
def test_parse_retry_after_http_dates(offset: int) -> None:
    when = datetime.fromtimestamp(NOW + offset, UTC)
    assert parse_retry_after(format_datetime(when, usegmt=True), NOW) == max(offset, 0)


def test_parse_retry_after_naive_http_dates_are_gmt() -> None:
    when = datetime.fromtimestamp(NOW + 90, UTC)
    text = format_datetime(when, usegmt=True).replace("GMT", "-0000")
    assert parse_retry_after(text, NOW) == 90.0
