"""Dates and instants from the shapes Brazilian APIs send, always timezone-aware."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

SAO_PAULO: tzinfo = ZoneInfo("America/Sao_Paulo")

_NO_DATE = {"", "0001-01-01", "0001-01-01T00:00:00", "0001-01-01 00:00:00"}
_EPOCH_MS_THRESHOLD = 100_000_000_000  # above this an epoch number is milliseconds
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_BR_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_DIGITS = re.compile(r"^-?\d+(?:\.\d+)?$")
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def is_no_date(value: object) -> bool:
    """Empty strings and .NET's ``0001-01-01`` mean "no date" in these APIs."""
    if value is None:
        return True
    if isinstance(value, str):
        text = value.strip()
        return text in _NO_DATE or text.startswith("0001-01-01T00:00:00")
    return False


def in_zone(value: datetime, tz: tzinfo) -> datetime:
    """A naive ``value`` read as local time in ``tz``: ``value.replace(tzinfo=tz)``, at a
    third of its cost (it runs for every datetime of every page)."""
    return _combine(value, value.time(), tz)


_combine = datetime.combine


def from_epoch(value: float) -> datetime:
    seconds = value / 1000 if abs(value) >= _EPOCH_MS_THRESHOLD else value
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{value!r} is not a usable epoch timestamp") from None


def from_epoch_ms(value: float) -> datetime:
    """An instant from epoch milliseconds, exactly for whole numbers."""
    try:
        if isinstance(value, int):
            return _EPOCH + timedelta(milliseconds=value)
        return datetime.fromtimestamp(value / 1000, UTC)
    except (OverflowError, OSError, ValueError):
        raise ValueError(f"{value!r} is not a usable epoch timestamp") from None


def parse_instant(value: object, default_tz: tzinfo = SAO_PAULO) -> datetime:
    """An aware ``datetime`` from ISO text, ``yyyy-mm-dd hh:MM:ss``, ``dd/mm/yyyy``, epoch
    seconds or milliseconds, or a ``datetime``. Naive values are local time in ``default_tz``.
    """
    if isinstance(value, bool):
        raise ValueError("a boolean is not an instant")
    if isinstance(value, datetime):
        return value if value.tzinfo else in_zone(value, default_tz)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=default_tz)
    if isinstance(value, int | float):
        return from_epoch(value)
    if not isinstance(value, str):
        raise ValueError(f"cannot read an instant from {type(value).__name__}")
    text = value.strip()
    if not text or is_no_date(text):
        raise ValueError(f"{value!r} is not a date")
    if _DIGITS.match(text):
        return from_epoch(float(text))
    br = _BR_DATE.match(text)
    if br:
        day, month, year, hour, minute, second = br.groups()
        return datetime(
            int(year),
            int(month),
            int(day),
            int(hour or 0),
            int(minute or 0),
            int(second or 0),
            tzinfo=default_tz,
        )
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        from dateutil import parser as dateutil_parser  # rare shapes only; a slow import

        try:
            parsed = dateutil_parser.isoparse(text)
        except (ValueError, OverflowError):
            raise ValueError(f"cannot read an instant from {value!r}") from None
    return parsed if parsed.tzinfo else in_zone(parsed, default_tz)


def parse_date(value: object, tz: tzinfo = SAO_PAULO) -> date:
    """A calendar ``date``; instants (epoch numbers, ISO datetimes) are read in ``tz``."""
    if isinstance(value, datetime):
        return (value if value.tzinfo is None else value.astimezone(tz)).date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATE.match(text):
            try:
                return date.fromisoformat(text)
            except ValueError:
                raise ValueError(f"{value!r} is not a calendar date") from None
        br = _BR_DATE.match(text)
        if br and br.group(4) is None:
            day, month, year = (int(g) for g in br.groups()[:3])
            try:
                return date(year, month, day)
            except ValueError:
                raise ValueError(f"{value!r} is not a calendar date") from None
    instant = parse_instant(value, tz)
    return instant.astimezone(tz).date()


def format_local(value: datetime, tz: tzinfo = SAO_PAULO, sep: str = " ") -> str:
    """``yyyy-mm-dd hh:MM:ss`` in ``tz``; naive input is taken as already local."""
    local = value.astimezone(tz) if value.tzinfo else value
    return local.strftime(f"%Y-%m-%d{sep}%H:%M:%S")


def to_epoch_ms(value: datetime) -> int:
    aware = value if value.tzinfo else value.replace(tzinfo=SAO_PAULO)
    return (aware - _EPOCH) // timedelta(milliseconds=1)
