"""Dates and instants read from JSON text agree with the Python readers, fast path or not."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from hypothesis import given, strategies as st
from pydantic import TypeAdapter, ValidationError

from sdkcore.models import Date, Instant, LocalInstant, OptionalDate, OptionalInstant

READERS: list[TypeAdapter[Any]] = [
    TypeAdapter(Date),
    TypeAdapter(OptionalDate),
    TypeAdapter(Instant),
    TypeAdapter(OptionalInstant),
    TypeAdapter(LocalInstant),
]


def _outcome(read: Callable[[Any], Any], value: Any) -> tuple[str, str]:
    """What a reader made of ``value``: refused, or the value and its zone's class."""
    try:
        got = read(value)
    except ValidationError:
        return ("refused", "")
    return ("read", f"{got!r} {type(getattr(got, 'tzinfo', None)).__name__}")


def _agree(value: object) -> None:
    for adapter in READERS:
        from_json = _outcome(adapter.validate_json, json.dumps(value))
        from_python = _outcome(adapter.validate_python, value)
        assert from_json == from_python, (adapter, value)


@pytest.mark.parametrize(
    "value",
    [
        "2025-05-16T17:51:04.63",
        "2025-10-17T02:00:08.841",
        "2024-01-02 03:04:05",
        "2024-01-02T03:04:05Z",
        "2024-01-02T03:04:05-03:00",
        "2024-01-02",
        "15/01/2024",
        "15/01/2024 10:30",
        "0001-01-01",
        "0001-01-01T00:00:00",
        "0001-01-01T05:00:00",
        "",
        "  ",
        "00",
        "1705276800",
        "1705325400000",
        "2016-12-31T23:59:60",
        "2024-02-30",
        1705325400,
        None,
    ],
)
def test_json_text_reads_as_the_python_readers_read_it(value: object) -> None:
    _agree(value)


@given(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(9999, 12, 31)),
    st.sampled_from(["T", " "]),
    st.sampled_from(["", "Z", "-03:00", "+05:30"]),
)
def test_iso_text_of_any_instant_reads_the_same(at: datetime, sep: str, offset: str) -> None:
    _agree(at.isoformat(sep=sep) + offset)
    _agree(at.date().isoformat())


def test_naive_text_is_sao_paulo_time() -> None:
    read = TypeAdapter(OptionalInstant).validate_json('"2025-05-16T17:51:04.63"')
    assert read is not None
    assert read.utcoffset() is not None
    assert read.isoformat() == "2025-05-16T17:51:04.630000-03:00"
    assert TypeAdapter(OptionalDate).validate_json('"2023-12-31"') == date(2023, 12, 31)
