"""Filters: conditions on a trigger record's fields, grouped with all/any, or a plain Python
function. Evaluated without I/O and without ``eval``.

How two values compare (the record's, and the one the condition gives):

* a boolean equals only the same boolean and has no order;
* when either is a number, both are read as amounts (``Decimal``; text such as ``"100.00"``
  or ``"1.234,56"`` too) and compared exactly; text that is no amount matches nothing;
* when either is a date or a datetime, both are read as days (ISO or ``dd/mm/yyyy`` text
  too): two instants compare as instants, anything else by São Paulo calendar day;
* two texts are equal when identical; they are ordered as amounts when both read as
  amounts, else as days when both read as days, else not at all (the condition is false).

A path through ``[*]`` reaches several values: a condition holds when one of them satisfies
it, ``is empty`` when all are empty, and ``not equals``/``not in`` are the negations of
``equals``/``in`` (no item equals). A missing field is empty, equals nothing and has no order.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeAlias

import attrs

from .errors import AutomationError
from .paths import FieldPath, PathError, Record, parse_path
from .readings import as_amount, as_day, as_text, is_empty, is_number, local_date

__all__ = [
    "AllOf",
    "AnyOf",
    "Condition",
    "Filter",
    "Op",
    "compare",
    "equal",
    "passes",
]


class Op(StrEnum):
    """A condition's operator; its value is the name ``to_toml`` writes."""

    EQUALS = "="
    NOT_EQUALS = "!="
    IN = "in"
    NOT_IN = "not in"
    GREATER_THAN = ">"
    GREATER_OR_EQUAL = ">="
    LESS_THAN = "<"
    LESS_OR_EQUAL = "<="
    CONTAINS = "contains"
    IS_EMPTY = "is empty"
    IS_NOT_EMPTY = "is not empty"


_SPELLINGS: dict[str, Op] = {op.value: op for op in Op}
_SPELLINGS |= {op.name.lower(): op for op in Op}  # equals, greater_than, is_empty, ...
_SPELLINGS |= {"==": Op.EQUALS, "not_equals": Op.NOT_EQUALS, "<>": Op.NOT_EQUALS}
_SPELLINGS |= {"greater_than_or_equal": Op.GREATER_OR_EQUAL}
_SPELLINGS |= {"less_than_or_equal": Op.LESS_OR_EQUAL}

_NO_VALUE = frozenset({Op.IS_EMPTY, Op.IS_NOT_EMPTY})
_LIST_VALUE = frozenset({Op.IN, Op.NOT_IN})
ORDERING = frozenset({Op.GREATER_THAN, Op.GREATER_OR_EQUAL, Op.LESS_THAN, Op.LESS_OR_EQUAL})


def _op(value: object) -> Op:
    if isinstance(value, Op):
        return value
    spelled = _SPELLINGS.get(value.strip().lower()) if isinstance(value, str) else None
    if spelled is None:
        shown = ", ".join(op.value for op in Op)
        raise AutomationError(None, "", f"unknown operator {value!r}; use one of {shown}")
    return spelled


def _path(text: object) -> FieldPath:
    if not isinstance(text, str):
        raise AutomationError(None, "", f"a field path is text, not {type(text).__name__}")
    try:
        return parse_path(text)
    except PathError as exc:
        raise AutomationError(None, "", f"field path {text!r}: {exc}") from None


class _Nothing:
    """The value of a condition that takes none (``is empty``)."""

    def __repr__(self) -> str:
        return "NOTHING"


_NOTHING: Any = _Nothing()


@attrs.frozen
class Condition:
    """``path op value``: ``Condition("total", ">", "100.00")``. ``in``/``not in`` take a
    list; ``is empty``/``is not empty`` take no value. Operators may also be spelled
    ``equals``, ``not_equals``, ``greater_than``, ``less_than_or_equal``, ``is_empty``...
    """

    path: FieldPath = attrs.field(converter=_path)
    op: Op = attrs.field(converter=_op)
    value: Any = _NOTHING

    def __attrs_post_init__(self) -> None:
        given = self.value is not _NOTHING
        if self.op in _NO_VALUE:
            if given:
                raise AutomationError(None, "", f"'{self.op}' takes no value")
            return
        if not given or self.value is None:
            raise AutomationError(
                None, "", f"'{self.op}' needs a value (for a missing field use 'is empty')"
            )
        if self.op in _LIST_VALUE and not isinstance(self.value, list | tuple):
            raise AutomationError(None, "", f"'{self.op}' needs a list of values")
        if self.op in ORDERING and not (
            is_number(self.value) or isinstance(self.value, str | date)
        ):
            raise AutomationError(None, "", f"'{self.op}' compares amounts, dates or text")

    @property
    def has_value(self) -> bool:
        return self.value is not _NOTHING

    def holds(self, record: Record) -> bool:
        found = self.path.values(record)
        if self.op is Op.IS_EMPTY:
            return all(is_empty(value) for value in found)
        if self.op is Op.IS_NOT_EMPTY:
            return not all(is_empty(value) for value in found)
        if self.op is Op.NOT_EQUALS:
            return not any(equal(value, self.value) for value in found)
        if self.op is Op.NOT_IN:
            return not any(equal(value, item) for value in found for item in self.value)
        return any(_satisfies(self.op, value, self.value) for value in found)


def _satisfies(op: Op, found: object, wanted: Any) -> bool:
    if op is Op.EQUALS:
        return equal(found, wanted)
    if op is Op.IN:
        return any(equal(found, item) for item in wanted)
    if op is Op.CONTAINS:
        if isinstance(found, list | tuple):
            return any(equal(item, wanted) for item in found)
        return isinstance(found, str) and as_text(wanted).casefold() in found.casefold()
    order = compare(found, wanted)
    if order is None:
        return False
    if op is Op.GREATER_THAN:
        return order > 0
    if op is Op.GREATER_OR_EQUAL:
        return order >= 0
    if op is Op.LESS_THAN:
        return order < 0
    return order <= 0


def equal(found: object, wanted: object) -> bool:
    """Whether two values are equal by the rules in this module's docstring."""
    if isinstance(found, bool) or isinstance(wanted, bool):
        return isinstance(found, bool) and isinstance(wanted, bool) and found == wanted
    if isinstance(found, str) and isinstance(wanted, str):
        return found == wanted
    return _kind_of(found, wanted) is not None and compare(found, wanted) == 0


def _kind_of(left: object, right: object) -> str | None:
    """How two values compare: "amount", "day", or None when they do not."""
    if isinstance(left, bool) or isinstance(right, bool):
        return None
    if is_number(left) or is_number(right):
        return "amount"
    if isinstance(left, date) or isinstance(right, date):
        return "day"
    if isinstance(left, str) and isinstance(right, str):
        if as_amount(left) is not None and as_amount(right) is not None:
            return "amount"
        if as_day(left) is not None and as_day(right) is not None:
            return "day"
    return None


def compare(found: object, wanted: object) -> int | None:
    """-1, 0 or 1 as ``found`` is below, at or above ``wanted``; ``None`` when the two
    have no order between them."""
    kind = _kind_of(found, wanted)
    if kind == "amount":
        left_amount, right_amount = as_amount(found), as_amount(wanted)
        if left_amount is None or right_amount is None:
            return None
        return (left_amount > right_amount) - (left_amount < right_amount)
    if kind == "day":
        left_day, right_day = as_day(found), as_day(wanted)
        if left_day is None or right_day is None:
            return None
        if not (isinstance(left_day, datetime) and isinstance(right_day, datetime)):
            left_day, right_day = local_date(left_day), local_date(right_day)
        return (left_day > right_day) - (left_day < right_day)
    return None


@attrs.frozen(init=False)
class AllOf:
    """Every filter holds (none given: always)."""

    filters: tuple[Filter, ...]

    def __init__(self, *filters: Filter) -> None:
        self.__attrs_init__(filters)

    def holds(self, record: Record) -> bool:
        return all(passes(item, record) for item in self.filters)


@attrs.frozen(init=False)
class AnyOf:
    """At least one filter holds (none given: never)."""

    filters: tuple[Filter, ...]

    def __init__(self, *filters: Filter) -> None:
        self.__attrs_init__(filters)

    def holds(self, record: Record) -> bool:
        return any(passes(item, record) for item in self.filters)


Predicate: TypeAlias = Callable[[Record], bool]
Filter: TypeAlias = Condition | AllOf | AnyOf | Predicate
"""A condition, a group, or (from Python only) a function of the record."""


def passes(item: Filter, record: Record) -> bool:
    """Whether ``record`` passes ``item``."""
    if isinstance(item, Condition | AllOf | AnyOf):
        return item.holds(record)
    return bool(item(record))
