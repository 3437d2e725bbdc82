"""The shared money helpers: one installment split, one line total, one amount reader."""

from __future__ import annotations

import json
from decimal import ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, strategies as st
from pydantic import ValidationError as PydanticValidationError

from sdkcore import RequestValidationError
from sdkcore.models import APIModel, Money, MoneyText, OptionalMoney
from sdkcore.money import CENT, cents, lines_total, parse_money, split_amount

to_the_cent = st.decimals(
    min_value=Decimal("-10000000000"), max_value=Decimal("10000000000"), places=2
)
finer_than_a_cent = st.decimals(min_value=Decimal(0), max_value=Decimal("10000000"), places=4)
counts = st.integers(min_value=1, max_value=60)


def test_the_spec_example_odd_cents_first() -> None:
    assert split_amount(Decimal("140.00"), 3) == [
        Decimal("46.67"),
        Decimal("46.67"),
        Decimal("46.66"),
    ]


@given(total=to_the_cent, count=counts)
def test_parts_add_up_differ_by_a_cent_at_most_and_odd_cents_go_first(
    total: Decimal, count: int
) -> None:
    parts = split_amount(total, count)
    assert len(parts) == count
    assert sum(parts, Decimal(0)) == total
    assert all(part == part.quantize(CENT) for part in parts)
    assert parts == sorted(parts, reverse=True)  # the earlier parts carry the odd cents
    assert parts[0] - parts[-1] <= CENT


@given(total=finer_than_a_cent, count=counts)
def test_a_rounding_mode_rounds_the_total_first(total: Decimal, count: int) -> None:
    assert split_amount(total, count, rounding=ROUND_HALF_UP) == split_amount(cents(total), count)
    even = total.quantize(CENT, rounding=ROUND_HALF_EVEN)
    assert split_amount(total, count, rounding=ROUND_HALF_EVEN) == split_amount(even, count)


def test_fractions_of_a_cent_are_refused_without_a_rounding_mode() -> None:
    with pytest.raises(RequestValidationError, match="fractions of a cent") as info:
        split_amount(Decimal("10.005"), 2)
    assert info.value.field == "total"
    assert split_amount(Decimal("10.005"), 2, rounding=ROUND_HALF_UP) == [
        Decimal("5.01"),
        Decimal("5.00"),
    ]


@pytest.mark.parametrize("count", [0, -1])
def test_at_least_one_installment(count: int) -> None:
    with pytest.raises(RequestValidationError) as info:
        split_amount(Decimal("10.00"), count)
    assert info.value.field == "installments"


def test_lines_total_rounds_once_half_up_not_per_line() -> None:
    half_cents = [(Decimal(1), Decimal("0.005")), (Decimal(1), Decimal("0.005"))]
    assert lines_total(half_cents) == Decimal("0.01")  # per line it would be 0.02
    assert lines_total([(Decimal(1), Decimal("0.125"))]) == Decimal("0.13")
    # the spec's purchase: 1.31 x 3.12 + 31.11 x 13 = 408.5172
    spec = [(Decimal("1.31"), Decimal("3.12")), (Decimal("31.11"), Decimal(13))]
    assert lines_total(spec) == Decimal("408.52")


def test_lines_total_counts_a_missing_value_as_zero() -> None:
    assert lines_total([(None, Decimal(5)), (Decimal(2), None)]) == Decimal("0.00")
    assert lines_total([]) == Decimal("0.00")


class Amounts(APIModel):
    required: Money = Decimal(0)
    optional: OptionalMoney = None
    as_text: MoneyText | None = None


def _read(field: str, wire: str) -> Decimal | str | None:
    try:
        amounts = Amounts.model_validate_json(f'{{"{field}": {wire}}}')
    except PydanticValidationError:
        return "refused"
    value: Decimal | None = getattr(amounts, field)
    return value


# A double holds 15 significant digits; past them pydantic-core and Python's repr may break
# a tie apart (562949953421312.2 reads as ...312.3), on a digit the double never held.
double_digits = st.floats(min_value=-1e300, max_value=1e300).map(lambda f: float(f"{f:.15g}"))


@given(st.one_of(st.integers(min_value=-(10**20), max_value=10**20), double_digits))
def test_a_json_number_reads_exactly_in_every_amount_type(number: int | float) -> None:
    for field in ("required", "optional", "as_text"):
        assert _read(field, json.dumps(number)) == parse_money(number)


@pytest.mark.parametrize("text", ["0.1", "140.0", "12345678901.23", "9999999999999.99"])
def test_a_json_fraction_of_up_to_15_digits_keeps_its_digits(text: str) -> None:
    for field in ("required", "optional", "as_text"):
        assert _read(field, text) == Decimal(text)


@given(st.decimals(min_value=-(10**13), max_value=10**13, places=2))
def test_an_amount_to_the_cent_sent_as_a_json_number_keeps_its_value(amount: Decimal) -> None:
    assert _read("optional", json.dumps(float(amount))) == amount


@given(st.text(alphabet="0123456789.,$- R", min_size=1, max_size=14))
def test_json_text_reads_by_parse_money_never_by_decimal(text: str) -> None:
    # "1.250" may be 1250 in a Brazilian body: it is refused as parse_money refuses it.
    try:
        expected: Decimal | str = parse_money(text)
    except ValueError:
        expected = "refused"
    assert str(_read("required", json.dumps(text))) == str(expected)
    optional = None if not text.strip() else expected
    assert str(_read("optional", json.dumps(text))) == str(optional)


@pytest.mark.parametrize("wire", ["true", "[1]", '{"a": 1}', "null", '""', '"  "'])
def test_a_required_amount_refuses_what_is_not_one(wire: str) -> None:
    assert _read("required", wire) == "refused"


@pytest.mark.parametrize("blank", [None, "", " "])
def test_an_optional_amount_reads_null_and_blank_as_none(blank: str | None) -> None:
    assert _read("optional", json.dumps(blank)) is None
    assert Amounts.model_validate({"optional": blank}).optional is None


def test_python_values_go_through_parse_money() -> None:
    amounts = Amounts(required=80.02, optional="R$ 1.234,56", as_text="12,50")
    assert (amounts.required, amounts.optional, amounts.as_text) == (
        Decimal("80.02"),
        Decimal("1234.56"),
        Decimal("12.50"),
    )
    with pytest.raises(RequestValidationError, match="ambiguous"):
        Amounts(optional="1.234")
    with pytest.raises(RequestValidationError, match="boolean"):
        Amounts(required=True)


def test_amounts_go_back_as_numbers_or_text_exactly() -> None:
    amounts = Amounts(required=Decimal("5.00"), optional=Decimal("0.10"), as_text=Decimal("7.50"))
    assert json.loads(amounts.model_dump_json()) == {
        "required": 5,
        "optional": 0.1,
        "as_text": "7.50",
    }
    assert amounts.model_dump()["optional"] == Decimal("0.10")  # Python mode keeps the Decimal
    assert json.loads(Amounts().model_dump_json())["optional"] is None


def _client_amount_readers() -> list[tuple[str, type[APIModel], str]]:
    from auvo.models import TaskSummary
    from bling.models import ProdutoResumo
    from contaazul.models import Deal

    return [
        ("contaazul", Deal, "total"),
        ("bling", ProdutoResumo, "preco"),
        ("auvo", TaskSummary, "total_value"),
    ]


@given(
    st.one_of(
        st.integers(min_value=-(10**15), max_value=10**15).map(json.dumps),
        st.floats(allow_nan=False, allow_infinity=False, width=64).map(json.dumps),
        st.text(alphabet="0123456789.,$- ", max_size=12).map(json.dumps),
        st.just("null"),
    )
)
def test_every_client_reads_an_amount_as_the_shared_reader_does(wire: str) -> None:
    expected = _read("optional", wire)
    for client, model, field in _client_amount_readers():
        wire_name = model.model_fields[field].alias or field
        try:
            value = getattr(model.model_validate_json(f'{{"{wire_name}": {wire}}}'), field)
        except PydanticValidationError:
            value = "refused"
        assert str(value) == str(expected), client
