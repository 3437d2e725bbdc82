"""Filters: any record, any condition, the same answer as a plain-Python reference written
here from the rules in ``bridge.automations.conditions`` (and not from its code)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from auvo.models import Task
from bridge.automations import AllOf, AnyOf, Condition, Op
from bridge.automations.conditions import passes
from bridge.automations.paths import as_record

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
AMOUNT_TEXT = re.compile(r"^-?\d+(?:[.,]\d\d)?$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# -- the reference -------------------------------------------------------------------------


def ref_amount(value: object) -> Decimal | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | Decimal):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    if isinstance(value, str) and AMOUNT_TEXT.match(value):
        return Decimal(value.replace(",", "."))
    return None


def ref_day(value: object) -> date | None:
    if isinstance(value, date):  # datetimes too
        return value
    if isinstance(value, str) and DATE_TEXT.match(value):
        return date.fromisoformat(value)
    return None


def is_num(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


def ref_order(found: object, wanted: object) -> int | None:
    if isinstance(found, bool) or isinstance(wanted, bool):
        return None
    pair: tuple[Any, Any]
    if is_num(found) or is_num(wanted):
        pair = (ref_amount(found), ref_amount(wanted))
    elif isinstance(found, date) or isinstance(wanted, date):
        pair = (ref_day(found), ref_day(wanted))
    elif isinstance(found, str) and isinstance(wanted, str):
        if ref_amount(found) is not None and ref_amount(wanted) is not None:
            pair = (ref_amount(found), ref_amount(wanted))
        else:
            pair = (ref_day(found), ref_day(wanted))
    else:
        return None
    left, right = pair
    if left is None or right is None:
        return None
    if isinstance(left, date) and not (isinstance(left, datetime) and isinstance(right, datetime)):
        left = left.astimezone(SAO_PAULO).date() if isinstance(left, datetime) else left
        right = right.astimezone(SAO_PAULO).date() if isinstance(right, datetime) else right
    return 0 if left == right else (1 if left > right else -1)  # type: ignore[operator]


def ref_equal(found: object, wanted: object) -> bool:
    if isinstance(found, bool) or isinstance(wanted, bool):
        return type(found) is type(wanted) and found == wanted
    if isinstance(found, str) and isinstance(wanted, str):
        return found == wanted
    return ref_order(found, wanted) == 0


def ref_text(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def ref_empty(value: object) -> bool:
    return value is None or value in ([], {}) or (isinstance(value, str) and not value.strip())


def ref_values(record: dict[str, Any], path: str) -> list[Any]:
    """The record's values at the few paths the tests use, read by hand."""
    items = record.get("items", [])
    if path == "items[*].x":
        return [item["x"] for item in items if "x" in item]
    if path == "items[0].x":
        return [items[0]["x"]] if items and "x" in items[0] else []
    return [record[path]] if path in record else []


def ref_holds(record: dict[str, Any], path: str, op: str, value: Any = None) -> bool:
    found = ref_values(record, path)
    if op == "is empty":
        return all(ref_empty(v) for v in found)
    if op == "is not empty":
        return not all(ref_empty(v) for v in found)
    if op == "!=":
        return not any(ref_equal(v, value) for v in found)
    if op == "not in":
        return not any(ref_equal(v, item) for v in found for item in value)
    results = []
    for v in found:
        if op == "=":
            results.append(ref_equal(v, value))
        elif op == "in":
            results.append(any(ref_equal(v, item) for item in value))
        elif op == "contains":
            if isinstance(v, list):
                results.append(any(ref_equal(item, value) for item in v))
            else:
                results.append(isinstance(v, str) and ref_text(value).lower() in v.lower())
        else:
            order = ref_order(v, value)
            results.append(
                order is not None
                and {">": order > 0, ">=": order >= 0, "<": order < 0, "<=": order <= 0}[op]
            )
    return any(results)


# -- strategies -----------------------------------------------------------------------------

amounts = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False)
amount_texts = st.from_regex(r"-?\d{1,4}(?:[.,]\d\d)?", fullmatch=True)
days = st.dates(min_value=date(2023, 12, 25), max_value=date(2024, 1, 5))
instants = st.builds(
    lambda day, hour, zone: datetime(day.year, day.month, day.day, hour, tzinfo=zone),
    days,
    st.integers(0, 23),
    st.sampled_from([UTC, timezone(timedelta(hours=-3))]),
)
day_texts = days.map(date.isoformat)
words = st.text(alphabet="abAB é", max_size=4)
POOL = [0, 1, Decimal("1.00"), "1.00", "1,00", "ab", "AB", "", date(2024, 1, 1), "2024-01-01"]
scalars = st.one_of(
    st.sampled_from(POOL),
    st.integers(-5, 5),
    amounts,
    amount_texts,
    days,
    instants,
    day_texts,
    words,
    st.booleans(),
)
record_values = st.one_of(st.none(), scalars, st.lists(scalars, max_size=3))
records = st.fixed_dictionaries(
    {},
    optional={
        "a": record_values,
        "b": record_values,
        "items": st.lists(st.fixed_dictionaries({}, optional={"x": record_values}), max_size=3),
    },
)
PATHS = ["a", "b", "missing", "items[*].x", "items[0].x"]
comparable = st.one_of(
    st.sampled_from(POOL), st.integers(-5, 5), amounts, amount_texts, days, instants, words
)
floats = st.floats(min_value=-1000, max_value=1000, allow_nan=False)


@st.composite
def conditions(draw: st.DrawFn) -> tuple[str, str, Any]:
    path = draw(st.sampled_from(PATHS))
    op = draw(st.sampled_from([op.value for op in Op]))
    if op in ("is empty", "is not empty"):
        return path, op, None
    if op in ("in", "not in"):
        return path, op, draw(st.lists(st.one_of(scalars, floats), max_size=3))
    if op in (">", ">=", "<", "<="):
        return path, op, draw(st.one_of(comparable, floats))
    return path, op, draw(st.one_of(scalars, floats))


def build(path: str, op: str, value: Any) -> Condition:
    return Condition(path, op) if op in ("is empty", "is not empty") else Condition(path, op, value)


@settings(max_examples=1500, deadline=None)
@given(records, conditions())
def test_a_condition_answers_as_the_reference(
    record: dict[str, Any], spec: tuple[str, str, Any]
) -> None:
    assert build(*spec).holds(record) == ref_holds(record, *spec)


@st.composite
def trees(draw: st.DrawFn, depth: int = 2) -> tuple[Any, Any]:
    """A filter and the reference's function for it."""
    if depth == 0 or draw(st.booleans()):
        spec = draw(conditions())
        return build(*spec), lambda record: ref_holds(record, *spec)
    children = draw(st.lists(trees(depth=depth - 1), max_size=3))
    if draw(st.booleans()):
        return AllOf(*(f for f, _ in children)), lambda r: all(ref(r) for _, ref in children)
    return AnyOf(*(f for f, _ in children)), lambda r: any(ref(r) for _, ref in children)


@settings(max_examples=500, deadline=None)
@given(records, trees())
def test_groups_answer_as_the_reference(record: dict[str, Any], tree: tuple[Any, Any]) -> None:
    item, reference = tree
    assert passes(item, record) == reference(record)


# -- the rules, by example --------------------------------------------------------------------


def test_amounts_compare_as_decimals_whatever_their_shape() -> None:
    record = {"total": Decimal("100.10"), "text": "1.234,56"}
    assert Condition("total", ">", "100.09").holds(record)
    assert Condition("total", "=", 100.1).holds(record)  # a float, through its repr
    assert not Condition("total", "=", 100.10000000000001).holds(record)
    assert Condition("text", ">", 1234).holds(record)
    assert not Condition("total", ">", "lots").holds(record)


def test_dates_compare_as_dates() -> None:
    record = {"day": "2024-05-31", "at": datetime(2024, 6, 1, 1, 0, tzinfo=UTC)}
    assert Condition("day", "<", date(2024, 6, 1)).holds(record)
    assert Condition("day", "=", "31/05/2024").holds({"day": date(2024, 5, 31)})
    # 01:00 UTC on 1 June is still 31 May in São Paulo
    assert Condition("at", "=", date(2024, 5, 31)).holds(record)
    assert not Condition("day", "=", "100").holds(record)  # never an epoch number


def test_a_pydantic_model_is_read_by_wire_names() -> None:
    # An ERP's own record is read the same way: tests/bridge/erp/test_<kind>_automations.py.
    task = Task.model_validate(
        {"taskType": 7, "taskDate": "2024-06-01T08:00:00", "services": [{"unitaryValue": "150"}]}
    )
    record = as_record(task)
    assert Condition("taskType", "equals", 7).holds(record)
    assert Condition("taskDate", ">=", "2024-06-01").holds(record)
    assert Condition("services[*].unitaryValue", "greater_than", "100").holds(record)
    assert not Condition("task_type", "is not empty").holds(record)  # not the Python name


def test_wildcards_hold_for_some_item_and_not_equals_for_none() -> None:
    record = {"itens": [{"codigo": "A"}, {"codigo": "B"}]}
    assert Condition("itens[*].codigo", "=", "B").holds(record)
    assert not Condition("itens[*].codigo", "!=", "B").holds(record)
    assert Condition("itens[*].codigo", "not in", ["C"]).holds(record)
    assert Condition("itens[5].codigo", "is empty").holds(record)
    assert Condition("missing", "!=", "x").holds(record)


def test_contains_reads_text_without_case_and_lists_by_item() -> None:
    assert Condition("type", "contains", "manutenção").holds({"type": "Manutenção preventiva"})
    assert Condition("groups", "contains", 7).holds({"groups": [3, 7]})
    assert Condition("note", "contains", 12).holds({"note": "Pedido 123"})
    assert not Condition("number", "contains", 1).holds({"number": 1})  # not text


def test_a_python_function_is_a_filter() -> None:
    assert passes(AllOf(lambda record: record["n"] > 1, Condition("n", "<", 5)), {"n": 3})
    assert not passes(AnyOf(), {"n": 3})


@pytest.mark.parametrize(
    ("args", "reason"),
    [
        (("a", "like", "x"), "unknown operator 'like'"),
        (("a", "is empty", 1), "takes no value"),
        (("a", "="), "needs a value"),
        (("a", "in", "x"), "needs a list"),
        (("a", ">", True), "compares amounts, dates or text"),
        (("a..b", "=", 1), "expected a field name"),
    ],
)
def test_a_wrong_condition_says_why(args: tuple[Any, ...], reason: str) -> None:
    with pytest.raises(ValueError, match=re.escape(reason)):
        Condition(*args)
