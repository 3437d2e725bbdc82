"""Field types for Auvo's wire shapes: naive Brasília datetimes, "no date" markers, lenient
numbers and ids, and the task status codes."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from enum import IntEnum
from typing import TYPE_CHECKING, Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, PlainSerializer, PlainValidator, Strict
from pydantic_core import PydanticCustomError

from sdkcore import SAO_PAULO, APIModel
from sdkcore.dates import format_local, in_zone, is_no_date, parse_instant
from sdkcore.models import CamelModel, MoneyText, OptionalMoney
from sdkcore.money import money_to_json_number, parse_money

__all__ = [
    "AuvoModel",
    "LocalDateTime",
    "MoneyText",
    "OptionalMoney",
    "TaskStatus",
    "TaskStatusFilter",
]


class AuvoModel(CamelModel):
    """Base of every Auvo model: lenient, numbers accepted where text is documented."""

    model_config = ConfigDict(coerce_numbers_to_str=True)


def parse_local_datetime(value: Any) -> datetime | None:
    """Auvo's datetimes: naive text in Brasília local time; ``""`` and ``0001-01-01`` are None."""
    if value is None:
        return None
    if isinstance(value, str):
        if len(value) == 19 and value[10] == "T" and not value.startswith("0001-"):
            try:  # the common shape, kept fast: "2016-03-23T14:10:35"
                return in_zone(datetime.fromisoformat(value), SAO_PAULO)
            except ValueError:
                pass
        if is_no_date(value):
            return None
    try:
        return parse_instant(value)
    except ValueError as exc:
        raise PydanticCustomError("auvo_datetime", "{reason}", {"reason": str(exc)}) from None


def format_auvo_datetime(value: datetime | date) -> str:
    """``yyyy-MM-ddTHH:mm:ss`` in Brasília time, as Auvo's filters and bodies want it."""
    if isinstance(value, datetime):
        return format_local(value, SAO_PAULO, sep="T")
    return f"{value.isoformat()}T00:00:00"


def _serialize_datetime(value: datetime | None) -> str | None:
    return None if value is None else format_auvo_datetime(value)


def _aware(value: datetime) -> datetime | None:
    if value.year == 1:
        return None  # .NET's DateTime.MinValue: "no date"
    if value.tzinfo is not None:
        return value
    return _combine(value, value.time(), SAO_PAULO)  # in_zone, inlined: this runs per field


_combine = datetime.combine


def _datetime_text(value: str) -> datetime | None:
    return parse_local_datetime(value)


def _int_text(value: str) -> int | None:
    if not value.strip():
        return None
    raise PydanticCustomError("auvo_int", "{value!r} is not a whole number", {"value": value})


# Pydantic reads the common shapes in Rust (left to right) and calls Python only for the
# rest: a naive datetime gets Brasília's zone, "" is None. Amounts are sdkcore's
# OptionalMoney, the reader every client shares.
if TYPE_CHECKING:
    LocalDateTime = datetime | None
    OptionalInt = int | None
else:
    LocalDateTime = Annotated[
        Annotated[datetime, AfterValidator(_aware)]
        | Annotated[str, AfterValidator(_datetime_text)]
        | None,
        Field(union_mode="left_to_right"),
        PlainSerializer(_serialize_datetime, when_used="json"),
    ]
    OptionalInt = Annotated[
        int | Annotated[str, AfterValidator(_int_text)] | None,
        Field(union_mode="left_to_right"),
    ]
"""``LocalDateTime``: aware datetime read from naive Brasília text ("" and 0001-01-01 are
None), written back as ``yyyy-MM-ddTHH:mm:ss``. ``OptionalInt``: a number, ``""`` is None."""


class TaskStatus(IntEnum):
    """A task's own ``taskStatus`` (1-6)."""

    OPENED = 1
    IN_DISPLACEMENT = 2
    CHECKED_IN = 3
    CHECKED_OUT = 4
    FINISHED = 5
    PAUSED = 6


class TaskStatusFilter(IntEnum):
    """The ``status`` codes of the task search (``tasks.list(status=...)``)."""

    NOT_FINISHED = 0
    FINISHED_AUTOMATICALLY = 1
    FINISHED_MANUALLY = 2
    FINISHED = 3
    ALL = 4
    WITH_PENDENCY = 5
    STARTED_OR_ENDED = 6


def _task_status(value: Any) -> Any:
    if value is None or value == "":
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        return value  # a word we do not know yet: keep it
    try:
        return TaskStatus(number)
    except ValueError:
        return number  # a code we do not know yet: keep it


# A known code is read in Rust; anything else (unknown codes, text, "") goes to Python.
if TYPE_CHECKING:
    TaskStatusValue = TaskStatus | int | str | None
else:
    TaskStatusValue = Annotated[
        Annotated[TaskStatus, Strict()] | Annotated[Any, PlainValidator(_task_status)],
        Field(union_mode="left_to_right"),
    ]


def decimal_text(value: Decimal | int | float | str) -> str:
    """A decimal as the plain text Auvo wants in task item requests (``"44.50"``)."""
    amount = parse_money(value)
    return format(amount, "f")


def json_value(value: Any) -> Any:
    """A Python value as JSON for a filter or a patch: Decimals as numbers, times as Auvo text."""
    if isinstance(value, Decimal):
        return money_to_json_number(value)
    if isinstance(value, datetime | date):
        return format_auvo_datetime(value)
    if isinstance(value, IntEnum):
        return int(value)
    if isinstance(value, APIModel):
        return value.to_wire()
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {k: json_value(v) for k, v in value.items()}
    return value
