"""Money read exactly from every shape the APIs send, and written back exactly."""

from __future__ import annotations

import json
import re
from decimal import Decimal

import pytest
from hypothesis import assume, given, strategies as st

from sdkcore import parse_money
from sdkcore.money import _fast_money_text, _general_money_text, cents, money_to_json_number

amounts = st.decimals(
    min_value=Decimal("-999999999999.99"),
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)


def grouped(value: Decimal, thousands: str, decimal_sep: str) -> str:
    whole, _, fraction = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = thousands.join(groups) + decimal_sep + fraction
    return f"-{text}" if value < 0 else text


@given(amounts)
def test_brazilian_format(value: Decimal) -> None:
    assert parse_money(grouped(value, ".", ",")) == value


@given(amounts)
def test_us_format(value: Decimal) -> None:
    assert parse_money(grouped(value, ",", ".")) == value


@given(amounts, st.sampled_from(["R$ ", "R$", "US$", "$", "BRL ", "r$\u00a0"]), st.booleans())
def test_currency_prefixed(value: Decimal, prefix: str, brazilian: bool) -> None:
    text = grouped(abs(value), ".", ",") if brazilian else grouped(abs(value), ",", ".")
    signed = f"-{prefix}{text}" if value < 0 else f"{prefix}{text}"
    assert parse_money(signed) == value
    if value < 0:
        assert parse_money(f"{prefix}-{text}") == value
        assert parse_money(f"({prefix}{text})") == value


@given(
    st.decimals(min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=6, allow_nan=False)
)
def test_plain_text_with_a_point_or_a_comma(value: Decimal) -> None:
    text = format(value, "f")
    assume(not re.fullmatch(r"-?[1-9]\d{0,2}\.\d{3}", text))  # ambiguous: see below
    assert parse_money(text) == value
    assert parse_money(text.replace(".", ",")) == value
    assert parse_money(f"  {text}  ") == value


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_go_through_their_shortest_repr(value: float) -> None:
    assert parse_money(value) == Decimal(repr(value))


def test_floats_never_bring_binary_noise() -> None:
    assert parse_money(80.02) == Decimal("80.02")
    assert parse_money(0.1) + parse_money(0.2) == Decimal("0.3")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (12, Decimal(12)),
        (Decimal("1.50"), Decimal("1.50")),
        ("12", Decimal(12)),
        ("12,00", Decimal("12.00")),
        ("$0.00", Decimal("0.00")),
        ("2.500.000,00", Decimal("2500000.00")),
        ("2.500.000", Decimal(2500000)),
        ("1,234,567", Decimal(1234567)),
        ("0,125", Decimal("0.125")),
        ("0.125", Decimal("0.125")),
        ("1234.567", Decimal("1234.567")),
        ("+5", Decimal(5)),
        ("(5,00)", Decimal("-5.00")),
        ("- R$ 5,00", Decimal("-5.00")),
        (".5", Decimal("0.5")),
    ],
)
def test_known_shapes(value: object, expected: Decimal) -> None:
    result = parse_money(value)
    assert result == expected
    assert isinstance(result, Decimal)


@pytest.mark.parametrize(
    "text",
    [
        "1.234",  # 1234 in Brazil, 1.234 in JSON
        "1,234",
        "999.000",
        "-12,345",
    ],
)
def test_ambiguous_text_raises(text: str) -> None:
    with pytest.raises(ValueError, match="ambiguous"):
        parse_money(text)


@pytest.mark.parametrize(
    "value",
    [
        "",
        "   ",
        "abc",
        "R$",
        "-",
        "--5",
        "+-5",
        "(-5)",
        "(5",
        "5)",
        "1e3",
        "1_000",
        "12.34.56",
        "1,23,456.00",
        "12.34,56",
        "1.234,56.78",
        "1,234.567,89",
        "NaN",
        "Infinity",
        "5 reais",
        ",",
        True,
        None,
        [1],
        float("nan"),
        float("inf"),
        Decimal("NaN"),
        Decimal("-Infinity"),
    ],
)
def test_malformed_values_raise(value: object) -> None:
    with pytest.raises(ValueError):
        parse_money(value)


@given(
    st.decimals(min_value=Decimal("-1e13"), max_value=Decimal("1e13"), places=2, allow_nan=False)
)
def test_money_to_json_number_is_exact(value: Decimal) -> None:
    number = money_to_json_number(value)
    text = json.dumps(number)
    assert json.loads(text, parse_float=Decimal, parse_int=Decimal) == value
    assert Decimal(repr(json.loads(text))) == value


def test_money_to_json_number_integers_and_refusals() -> None:
    assert money_to_json_number(Decimal("5.00")) == 5
    assert isinstance(money_to_json_number(Decimal("5.00")), int)
    assert money_to_json_number(Decimal("0.1")) == 0.1
    with pytest.raises(ValueError, match="digits"):
        money_to_json_number(Decimal("0.1000000000000000055511151231257827"))
    with pytest.raises(ValueError):
        money_to_json_number(Decimal(2**53 + 1))


@pytest.mark.parametrize(
    ("value", "expected"),
    [("0.005", "0.01"), ("0.004", "0.00"), ("-0.005", "-0.01"), ("46.666", "46.67")],
)
def test_cents_rounds_half_up(value: str, expected: str) -> None:
    assert cents(Decimal(value)) == Decimal(expected)


@given(
    st.from_regex(r"\A[0-9]{1,9}([.,][0-9]{1,4})?\Z")
    | st.from_regex(r"\A[0-9]{1,3}(\.[0-9]{3}){1,3},[0-9]{1,3}\Z")
    | st.text(alphabet="0123456789.,$- ", min_size=1, max_size=14)
)
def test_fast_text_reader_agrees_with_the_general_rules(text: str) -> None:
    # The fast reader answers only the shapes it is sure of, and then as the rules would.
    fast = _fast_money_text(text)
    if fast is None:
        return
    assert str(fast) == str(_general_money_text(text))
