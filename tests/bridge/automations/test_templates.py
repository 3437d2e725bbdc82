"""Templates: each transform on random inputs against a plain-Python reference, and what a
template refuses."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings, strategies as st

from bridge.automations import AutomationError, TemplateError, parse_template
from bridge.automations.declare import Const, Source, map_entry

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def render(template: str, **record: object) -> str:
    return parse_template(template).render(record)


@given(st.text())
def test_digits_keeps_the_ascii_digits(text: str) -> None:
    assert render("{v|digits}", v=text) == "".join(c for c in text if c in "0123456789")


@given(st.text())
def test_upper_and_lower(text: str) -> None:
    assert render("{v|upper}", v=text) == text.upper()
    assert render("{v|lower}", v=text) == text.lower()
    assert render("{v|lower|upper}", v=text) == text.lower().upper()


def reference_money(amount: Decimal) -> str:
    return format(amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), "f")


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=5, allow_nan=False))
def test_money_is_to_the_cent_half_up(amount: Decimal) -> None:
    assert render("{v|money}", v=amount) == reference_money(amount)


@given(st.from_regex(r"\d{1,6}[.,]\d{1,2}", fullmatch=True))
def test_money_reads_text_with_either_decimal_mark(text: str) -> None:
    assert render("{v|money}", v=text) == reference_money(Decimal(text.replace(",", ".")))


@given(st.integers(-(10**12), 10**12))
def test_money_of_a_whole_number(number: int) -> None:
    assert render("{v|money}", v=number) == f"{number}.00"


FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%Y %H:%M", "%Y%m%d", "%A %d %B"]
# Real instants only: a wall time that São Paulo skipped (a daylight-saving start) names no
# instant, so its text and its value could fairly read back as different hours.
instants = st.datetimes(
    min_value=datetime(1990, 1, 1),
    max_value=datetime(2100, 1, 1),
    timezones=st.sampled_from([UTC, timezone(timedelta(hours=5, minutes=30)), SAO_PAULO]),
).filter(lambda moment: moment.astimezone(UTC).astimezone(moment.tzinfo) == moment)


@settings(deadline=None)
@given(st.one_of(st.dates(min_value=date(1000, 1, 1)), instants), st.sampled_from(FORMATS))
def test_date_formats_dates_and_instants_in_sao_paulo(value: date, fmt: str) -> None:
    local = value.astimezone(SAO_PAULO) if isinstance(value, datetime) else value
    assert render("{v|date:" + fmt + "}", v=value) == local.strftime(fmt)
    assert render("{v|date:" + fmt + "}", v=value.isoformat()) == local.strftime(fmt)


@given(st.lists(st.text(alphabet="ab1,|", max_size=3), max_size=4), st.text("-; ", max_size=2))
def test_join_joins_items_with_the_separator(items: list[str], separator: str) -> None:
    assert render("{v|join:" + separator + "}", v=items) == separator.join(items)


def test_list_transforms_apply_to_each_item() -> None:
    record = {"itens": [{"d": "cabo", "v": "1,5"}, {"d": "split", "v": 2}]}
    assert render("{itens[*].d|upper|join: + }", **record) == "CABO + SPLIT"
    assert render("{itens[*].v|money}", **record) == "1.50, 2.00"  # unjoined: ", "
    assert render("{itens[*].d|join}", **record) == "cabo, split"


def test_default_fills_what_is_missing_or_empty() -> None:
    assert render("{x|default:sem nota}") == "sem nota"
    assert render("{x|default:-}", x="  ") == "-"
    assert render("{x[*].y|default:none}", x=[{"y": ""}]) == "none"
    assert render("{x|default:-}", x="ok") == "ok"


def test_literal_braces_and_missing_fields() -> None:
    assert render("{{literal}} {a} {b}", a=1) == "{literal} 1 "
    assert render("{a.b[1]}", a={"b": [1, Decimal("2.50")]}) == "2.50"


def test_a_template_that_cannot_read_its_value_raises_template_error() -> None:
    with pytest.raises(TemplateError, match="not an amount"):
        render("{v|money}", v="twelve")
    with pytest.raises(TemplateError, match="not a date"):
        render("{v|date:%d/%m/%Y}", v="soon")


@pytest.mark.parametrize(
    ("template", "reason"),
    [
        ("{v|shout}", "unknown transform 'shout'; use one of date, default, digits"),
        ("{v|date}", "'date' needs a format"),
        ("{v|date:dd/mm}", "has no % directive"),
        ("{v|upper:x}", "'upper' takes no argument"),
        ("{v|default}", "'default' needs an argument"),
        ("x {v", "is never closed"),
        ("x } y", "a lone '}'"),
        ("{a..b}", "expected a field name"),
        ("{}", "empty path"),
    ],
)
def test_a_wrong_template_says_why(template: str, reason: str) -> None:
    with pytest.raises(AutomationError, match=re.escape(reason)):
        parse_template(template)


@given(st.text())
def test_text_without_placeholders_is_a_constant_and_writes_back(text: str) -> None:
    escaped = text.replace("{", "{{").replace("}", "}}")
    assert map_entry(escaped) == Const(text)
    template = parse_template(escaped)
    assert template.text() == escaped


def test_a_lone_placeholder_copies_the_value_with_its_type() -> None:
    assert map_entry("{total}") == Source("total")
    assert map_entry("{total|money}") != Source("total")
