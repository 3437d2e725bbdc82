"""The checks a write runs on what it sends: field markers walked through nested records,
and installments against a total. Reading never runs them."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

import pytest

from sdkcore import RequestValidationError
from sdkcore.models import CamelModel, OptionalMoney
from sdkcore.write_checks import (
    NON_NEGATIVE,
    MaxLength,
    TaxId,
    check_installments,
    check_outgoing,
)


class Line(CamelModel):
    quantity: Annotated[OptionalMoney, NON_NEGATIVE] = None
    unit_price: Annotated[OptionalMoney, NON_NEGATIVE] = None
    discount: OptionalMoney = None


class Party(CamelModel):
    kind: str | None = None
    tax_id: Annotated[
        str | None, TaxId(kind_field="kind", kinds=(("F", "cpf"), ("J", "cnpj"), ("E", None)))
    ] = None


class Order(CamelModel):
    title: Annotated[str | None, MaxLength(10)] = None
    party: Party | None = None
    lines: list[Line] | None = None


def test_a_negative_amount_in_a_nested_list_is_named_by_its_wire_path() -> None:
    order = Order(lines=[Line(quantity=1, unit_price=2), Line(quantity=1, unit_price="-0.01")])
    with pytest.raises(RequestValidationError) as caught:
        check_outgoing(order)
    assert caught.value.field == "lines[1].unitPrice"
    assert "negative" in caught.value.reason


def test_zero_and_unmarked_negatives_pass() -> None:
    check_outgoing(Order(lines=[Line(quantity=0, unit_price=0, discount=-5)]))


def test_a_name_longer_than_the_api_takes() -> None:
    check_outgoing(Order(title="x" * 10))
    with pytest.raises(RequestValidationError) as caught:
        check_outgoing(Order(title="x" * 11))
    assert caught.value.field == "title"
    assert "at most 10" in caught.value.reason


def test_the_tax_id_follows_the_kind_next_to_it() -> None:
    check_outgoing(Order(party=Party(tax_id="529.982.247-25")))
    check_outgoing(Order(party=Party(kind="J", tax_id="11.222.333/0001-81")))
    check_outgoing(Order(party=Party(kind="E", tax_id="A1234567")))  # foreign: not checked
    check_outgoing(Order(party=Party(kind="F", tax_id="")))  # blank: nothing to check
    with pytest.raises(RequestValidationError) as caught:
        check_outgoing(Order(party=Party(kind="F", tax_id="11.222.333/0001-81")))
    assert caught.value.field == "party.taxId"
    assert "CPF" in caught.value.reason


def test_reading_keeps_what_a_write_would_refuse() -> None:
    body = b'{"title": "a very long title", "party": {"taxId": "111.111.111-11"},'
    body += b' "lines": [{"quantity": -1}]}'
    order = Order.model_validate_json(body)
    assert order.lines is not None
    assert order.lines[0].quantity == Decimal(-1)
    with pytest.raises(RequestValidationError):
        check_outgoing(order)


def test_installments_against_the_total() -> None:
    check_installments([Decimal("46.67"), Decimal("46.67"), Decimal("46.66")], [Decimal(140)], "p")
    check_installments([Decimal("100")], [Decimal(120), Decimal(100)], "p")  # any total allowed
    with pytest.raises(RequestValidationError) as caught:
        check_installments([Decimal("46.67"), Decimal("46.67")], [Decimal(140)], "payments")
    assert caught.value.field == "payments"
    assert "93.34" in caught.value.reason
    assert "140" in caught.value.reason
