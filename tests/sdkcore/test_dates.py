"""Dates and instants from every shape the APIs send, always aware."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError as PydanticValidationError

from sdkcore import SAO_PAULO, APIModel, parse_date, parse_instant
from sdkcore.dates import format_local, from_epoch, from_epoch_ms, is_no_date, to_epoch_ms
from sdkcore.models import EpochMsInstant, OptionalEpochMsInstant

SP = SAO_PAULO
MINUS_3 = timezone(timedelta(hours=-3))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-15T10:30:00Z", datetime(2024, 1, 15, 10, 30, tzinfo=UTC)),
        ("2024-01-15T10:30:00.123+00:00", datetime(2024, 1, 15, 10, 30, 0, 123000, tzinfo=UTC)),
        ("2024-01-15T10:30:00-03:00", datetime(2024, 1, 15, 10, 30, tzinfo=MINUS_3)),
        ("2024-01-15 10:30:00", datetime(2024, 1, 15, 10, 30, tzinfo=SP)),
        ("2024-01-15T10:30:00", datetime(2024, 1, 15, 10, 30, tzinfo=SP)),
        ("2024-01-15", datetime(2024, 1, 15, tzinfo=SP)),
        ("15/01/2024", datetime(2024, 1, 15, tzinfo=SP)),
        ("15/01/2024 10:30", datetime(2024, 1, 15, 10, 30, tzinfo=SP)),
        ("5/1/2024 08:00:09", datetime(2024, 1, 5, 8, 0, 9, tzinfo=SP)),
        (1705325400000, datetime(2024, 1, 15, 13, 30, tzinfo=UTC)),
        (1705325400, datetime(2024, 1, 15, 13, 30, tzinfo=UTC)),
        ("1705325400000", datetime(2024, 1, 15, 13, 30, tzinfo=UTC)),
        (1705325400.5, datetime(2024, 1, 15, 13, 30, 0, 500000, tzinfo=UTC)),
        (datetime(2024, 1, 15, 10, 30), datetime(2024, 1, 15, 10, 30, tzinfo=SP)),
        (date(2024, 1, 15), datetime(2024, 1, 15, tzinfo=SP)),
        ("2024-01-15T10:30:00.1234567-03:00", datetime(2024, 1, 15, 13, 30, 0, 123456, tzinfo=UTC)),
    ],
)
def test_parse_instant_shapes(value: object, expected: datetime) -> None:
    parsed = parse_instant(value)
    assert parsed.tzinfo is not None
    assert parsed == expected


def test_naive_times_are_sao_paulo() -> None:
    parsed = parse_instant("2024-07-01 09:00:00")
    assert parsed.utcoffset() == timedelta(hours=-3)
    assert parsed.astimezone(UTC) == datetime(2024, 7, 1, 12, tzinfo=UTC)
    assert parse_instant("2024-07-01 09:00:00", default_tz=UTC).hour == 9


def test_aware_datetimes_are_kept() -> None:
    value = datetime(2024, 1, 1, tzinfo=UTC)
    assert parse_instant(value) is value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "0001-01-01",
        "0001-01-01T00:00:00",
        "0001-01-01T00:00:00.000-02:00",
        "yesterday",
        "2024-13-45",
        "31/02/2024",
        True,
        None,
        [2024],
        float("inf"),
        float("nan"),
        10**20,
        "99999999999999999999",
    ],
)
def test_parse_instant_refuses_non_instants(value: object) -> None:
    with pytest.raises(ValueError):
        parse_instant(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-01-15", date(2024, 1, 15)),
        ("15/01/2024", date(2024, 1, 15)),
        ("2024-01-15T23:30:00-03:00", date(2024, 1, 15)),
        ("2024-01-16T01:30:00Z", date(2024, 1, 15)),  # still the 15th in São Paulo
        (1705372200000, date(2024, 1, 15)),
        (datetime(2024, 1, 16, 1, 30, tzinfo=UTC), date(2024, 1, 15)),
        (datetime(2024, 1, 16, 1, 30), date(2024, 1, 16)),
        (date(2024, 1, 15), date(2024, 1, 15)),
    ],
)
def test_parse_date(value: object, expected: date) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2024-02-30", "30/02/2024", "", "nope", None])
def test_parse_date_refuses_non_dates(value: object) -> None:
    with pytest.raises(ValueError):
        parse_date(value)


def test_no_date_markers() -> None:
    assert is_no_date(None)
    assert is_no_date(" 0001-01-01 00:00:00 ")
    assert not is_no_date("2024-01-01")
    assert not is_no_date(0)


ZONES = st.sampled_from([UTC, SP, MINUS_3, timezone(timedelta(hours=5, minutes=30))])


def aware(since: int) -> st.SearchStrategy[datetime]:
    return st.datetimes(
        min_value=datetime(since, 1, 1),
        max_value=datetime(2200, 1, 1),
        timezones=ZONES,
        allow_imaginary=False,
    )


def same_instant(a: datetime, b: datetime) -> bool:
    # Aware comparison across zones treats DST folds as unequal; compare in UTC instead.
    return a.astimezone(UTC) == b.astimezone(UTC)


@given(aware(1900))
def test_iso_round_trip(value: datetime) -> None:
    assert same_instant(parse_instant(value.isoformat()), value)


@given(aware(2020))
def test_local_text_round_trip(value: datetime) -> None:
    # Seconds only on the wire, and São Paulo has had no DST folds since 2019.
    value = value.replace(microsecond=0)
    text = format_local(value)
    assert len(text) == 19
    assert same_instant(parse_instant(text), value)
    assert format_local(value, sep="T")[10] == "T"


@given(st.integers(min_value=100_000_000_000, max_value=7_000_000_000_000))
def test_epoch_ms_round_trip(ms: int) -> None:
    assert to_epoch_ms(parse_instant(ms)) == ms
    assert to_epoch_ms(parse_instant(str(ms))) == ms


@given(aware(1900))
def test_instant_to_epoch_ms_and_back(value: datetime) -> None:
    value = value.replace(microsecond=value.microsecond // 1000 * 1000)
    assert same_instant(from_epoch_ms(to_epoch_ms(value)), value)
    if value.year >= 1974:  # parse_instant guesses seconds for small numbers
        assert same_instant(from_epoch(to_epoch_ms(value)), value)


def test_epoch_ms_fields_do_not_guess() -> None:
    class Event(APIModel):
        at: EpochMsInstant
        maybe: OptionalEpochMsInstant = None

    early = Event.model_validate({"at": 94694400000, "maybe": "94694400000"})
    assert early.at == datetime(1973, 1, 1, tzinfo=UTC)
    assert early.maybe == early.at
    assert Event.model_validate({"at": -86400000}).at == datetime(1969, 12, 31, tzinfo=UTC)
    assert Event.model_validate({"at": 1.5}).at == datetime(1970, 1, 1, 0, 0, 0, 1500, tzinfo=UTC)
    assert Event.model_validate({"at": "2024-01-15T10:30:00Z"}).at.year == 2024
    assert Event.model_validate({"at": 0, "maybe": None}).maybe is None
    with pytest.raises(PydanticValidationError):
        Event.model_validate({"at": 10**30})


def test_naive_values_to_epoch_ms_are_sao_paulo() -> None:
    assert to_epoch_ms(datetime(2024, 1, 15, 10, 30)) == 1705325400000
    assert format_local(datetime(2024, 1, 15, 10, 30)) == "2024-01-15 10:30:00"
