"""The exception family, error bodies read into ErrorInfo, and the clocks."""

from __future__ import annotations

import asyncio
import pickle
from typing import Any

import pytest

from sdkcore import (
    APIError,
    FakeClock,
    FieldError,
    NotFoundError,
    RateLimitError,
    RequestValidationError,
    ServerError,
    SystemClock,
    ValidationError,
)
from sdkcore.client import ErrorInfo, default_error_info
from sdkcore.errors import APIStatusError, error_class_for_status, excerpt


def test_error_text_names_everything_a_reader_needs() -> None:
    err = ValidationError(
        "fields rejected",
        status_code=412,
        method="POST",
        url="https://api.example.test/things",
        body=b'{"message": "fields rejected"}',
        request_id="req-1",
        code="E1",
        field_errors=[FieldError("name", "may not be empty"), FieldError(None, "general")],
    )
    text = str(err)
    assert text.startswith("412 POST https://api.example.test/things: fields rejected")
    assert "[code E1]" in text
    assert "(name: may not be empty; general)" in text
    assert "[request id req-1]" in text
    assert "| body: " in text
    assert err.body_excerpt == '{"message": "fields rejected"}'


def test_error_text_without_status_or_body() -> None:
    err = APIError("boom")
    assert str(err) == "boom"
    assert err.body_excerpt == ""
    assert err.field_errors == []


def test_errors_pickle_with_all_their_fields() -> None:
    err = RateLimitError(
        "slow down", status_code=429, method="GET", url="https://x/y", retry_after=3.0
    )
    copy = pickle.loads(pickle.dumps(err))
    assert type(copy) is RateLimitError
    assert copy.retry_after == 3.0
    assert copy.status_code == 429
    assert str(copy) == str(err)


def test_request_validation_error_is_a_value_error() -> None:
    err = RequestValidationError("customer.name", "is required")
    assert isinstance(err, ValueError)
    assert (err.field, err.reason) == ("customer.name", "is required")
    assert str(err) == "customer.name: is required"


def test_excerpt_collapses_whitespace_and_cuts() -> None:
    assert excerpt(None) == ""
    assert excerpt(b"") == ""
    assert excerpt(b"a \n\t b") == "a b"
    assert excerpt("x" * 600) == "x" * 500 + "…"
    assert excerpt(b"\xff ok") == "\ufffd ok"


@pytest.mark.parametrize(
    ("status", "cls"), [(404, NotFoundError), (599, ServerError), (499, APIStatusError)]
)
def test_error_class_for_status(status: int, cls: type) -> None:
    assert error_class_for_status(status) is cls


@pytest.mark.parametrize(
    ("data", "message", "code", "fields"),
    [
        (None, None, None, []),
        ([1, 2], None, None, []),
        ("plain text", "plain text", None, []),
        ({"message": "m", "code": 12}, "m", "12", []),
        ({"error": "invalid_request", "error_description": "d"}, "d", "invalid_request", []),
        ({"error": "denied"}, "denied", "denied", []),
        ({"error": {"message": "nested", "code": "N1"}}, "nested", "N1", []),
        ({"title": "Bad", "errorCode": "B"}, "Bad", "B", []),
        (
            {"errors": [{"field": "a", "message": "x", "code": 3}, "loose"]},
            None,
            None,
            [("a", "x", "3"), (None, "loose", None)],
        ),
        (
            {"fields": [{"element": "b", "msg": "y"}, {"target": "c"}]},
            None,
            None,
            [("b", "y", None), ("c", "{'target': 'c'}", None)],
        ),
        (
            {"details": {"name": ["too short", "bad"], "age": "negative"}},
            None,
            None,
            [("name", "too short", None), ("name", "bad", None), ("age", "negative", None)],
        ),
    ],
)
def test_default_error_info_reads_common_shapes(
    data: Any, message: str | None, code: str | None, fields: list[tuple[Any, ...]]
) -> None:
    info = default_error_info(data)
    assert isinstance(info, ErrorInfo)
    assert info.message == message
    assert info.code == code
    assert [(f.field, f.message, f.code) for f in info.field_errors] == fields


def test_nested_error_keeps_the_whole_body_as_details() -> None:
    body = {"error": {"message": "nested"}, "trace": "t"}
    assert default_error_info(body).details == body


def test_fake_clock_moves_only_when_told() -> None:
    clock = FakeClock(start=100.0)
    assert clock.time() == clock.monotonic() == 100.0
    clock.advance(5)
    clock.sleep(2)
    clock.sleep(-1)
    asyncio.run(clock.async_sleep(3))
    assert clock.time() == 110.0
    assert clock.sleeps == [2, -1, 3]


def test_system_clock() -> None:
    clock = SystemClock()
    first = clock.monotonic()
    clock.sleep(0)
    clock.sleep(-1)
    asyncio.run(clock.async_sleep(0))
    asyncio.run(clock.async_sleep(-1))
    assert clock.monotonic() >= first
    assert clock.time() > 1_600_000_000


def test_system_clock_sleeps_for_positive_waits(monkeypatch: pytest.MonkeyPatch) -> None:
    import sdkcore.clock

    slept: list[float] = []
    monkeypatch.setattr(sdkcore.clock.time, "sleep", slept.append)
    SystemClock().sleep(0.25)
    SystemClock().sleep(0)
    assert slept == [0.25]


def test_package_exports_are_listed_and_unknown_names_refused() -> None:
    import sdkcore

    listing = dir(sdkcore)
    for name in ("TokenAuth", "SyncAPIClient", "parse_money", "APIError"):
        assert name in listing
        assert getattr(sdkcore, name) is not None
    with pytest.raises(AttributeError):
        sdkcore.no_such_thing  # type: ignore[attr-defined]  # noqa: B018
