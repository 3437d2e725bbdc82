"""How filters and templates read a value: as an amount (``Decimal``, never float), as a day
(a ``date``, or a ``datetime`` for an instant) or as text. One reading for both, so a filter
and a template never disagree about what a field holds."""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal

from sdkcore.dates import SAO_PAULO, parse_date, parse_instant
from sdkcore.money import parse_money

__all__ = ["as_amount", "as_day", "as_text", "is_empty", "is_number", "local_date"]

# Only text shaped like a date is read as one: sdkcore's parser also takes epoch numbers,
# and "100" compared with a date must not become 1970.
_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_INSTANT = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_BR_DATE = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")


def is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def as_amount(value: object) -> Decimal | None:
    """A number, or text such as ``"100.00"``, ``"1.234,56"``, ``"R$ 12,00"``, as an exact
    ``Decimal``; ``None`` for anything else (booleans, dates, ambiguous text)."""
    if not (is_number(value) or isinstance(value, str)):
        return None
    try:
        return parse_money(value)
    except ValueError:
        return None


def as_day(value: object) -> date | None:
    """A ``date`` (or an aware ``datetime``, for an instant) from a date, a datetime, or
    text shaped as ``2024-05-31``, ``2024-05-31T10:00:00Z`` or ``31/05/2024``; ``None``
    otherwise. Naive instants are São Paulo time, as the three APIs write them."""
    if isinstance(value, datetime):
        return parse_instant(value)
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    text = value.strip()
    try:
        if _ISO_DATE.match(text) or _BR_DATE.match(text):
            return parse_date(text)
        if _ISO_INSTANT.match(text):
            return parse_instant(text)
    except ValueError:
        return None
    return None


def local_date(day: date) -> date:
    """The calendar day of a day reading: an instant's date in São Paulo."""
    return day.astimezone(SAO_PAULO).date() if isinstance(day, datetime) else day


def as_text(value: object) -> str:
    """Text for a template: nothing for ``None``, ``true``/``false``, amounts without an
    exponent (``1E+2`` is ``100``), ISO dates, and list items joined with ``", "``."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return ", ".join(as_text(item) for item in value)
    return str(value)


def is_empty(value: object) -> bool:
    """Missing, ``None``, blank text, or an empty list or table."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | tuple | dict):
        return not value
    return False
