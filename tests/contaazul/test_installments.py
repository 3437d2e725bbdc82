"""Installments add up to the cent; taxes and totals reproduce the spec's own examples."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

import contaazul
from contaazul import Deal, DealItem, RequestValidationError, TaxType


def test_spec_example_140_in_three() -> None:
    assert contaazul.split_amount(Decimal("140.00"), 3) == [
        Decimal("46.67"),
        Decimal("46.67"),
        Decimal("46.66"),
    ]


@given(
    cents=st.integers(min_value=0, max_value=10**12),
    count=st.integers(min_value=1, max_value=48),
)
def test_parts_always_sum_to_the_total(cents: int, count: int) -> None:
    total = Decimal(cents) / 100
    parts = contaazul.split_amount(total, count)
    assert sum(parts, Decimal(0)) == total
    assert len(parts) == count
    assert max(parts) - min(parts) <= Decimal("0.01")
    assert all(p == p.quantize(Decimal("0.01")) for p in parts)


def test_monthly_plan_matches_the_spec_dates() -> None:
    payments = contaazul.installments(Decimal("140"), "3x", date(2013, 5, 6))
    assert [p.payment_date for p in payments] == [
        date(2013, 6, 6),
        date(2013, 7, 6),
        date(2013, 8, 6),
    ]
    assert [p.observation for p in payments] == ["Parcela 1", "Parcela 2", "Parcela 3"]


@pytest.mark.parametrize("plan", ["30 60 90", "30/60/90", "30,60,90"])
def test_day_plans(plan: str) -> None:
    dates = contaazul.due_dates(plan, date(2024, 1, 31))
    assert dates == [date(2024, 3, 1), date(2024, 3, 31), date(2024, 4, 30)]


def test_month_ends_are_clamped() -> None:
    assert contaazul.due_dates("2x", date(2024, 1, 31)) == [date(2024, 2, 29), date(2024, 3, 31)]


def test_single_payment_on_the_day() -> None:
    [only] = contaazul.installments("99,90", "0", date(2024, 5, 1))
    assert (only.payment_date, only.value) == (date(2024, 5, 1), Decimal("99.90"))


@pytest.mark.parametrize("plan", ["", "tres vezes", "90 30", "0x", "-1x"])
def test_bad_plans_are_refused(plan: str) -> None:
    with pytest.raises(RequestValidationError) as info:
        contaazul.due_dates(plan, date(2024, 1, 1))
    assert info.value.field == "plan"


def test_fractions_of_a_cent_are_refused() -> None:
    with pytest.raises(RequestValidationError, match="cent"):
        contaazul.split_amount(Decimal("10.005"), 2)


def test_spec_service_sale_taxes_and_net_payment() -> None:
    total = Decimal("1676.30")
    iss, cofins = contaazul.taxes({"ISS": 2, TaxType.COFINS: 5}, total)
    assert (iss.value, cofins.value) == (Decimal("33.53"), Decimal("83.82"))
    assert contaazul.net_of_taxes(total, [iss, cofins]) == Decimal("1558.95")


def test_tax_percentage_is_bounded() -> None:
    with pytest.raises(RequestValidationError, match="percentage"):
        contaazul.tax("ISS", 101, Decimal(10))


def _deal(items: list[tuple[str, str]], **extra: object) -> Deal:
    return Deal(items=[DealItem(quantity=Decimal(q), rate=Decimal(r)) for q, r in items], **extra)


def test_totals_reproduce_the_spec_examples() -> None:
    sale = _deal([("1", "60"), ("1", "20")], shipping_cost=Decimal(60), shipping_cost_payment="1")
    purchase = _deal(
        [("1.31", "3.12"), ("31.11", "13")], shipping_cost=Decimal(50), shipping_cost_payment="2"
    )
    service = _deal([("133.33", "11.11"), ("65", "3")], shipping_cost_payment="2")
    assert contaazul.deal_total(sale) == Decimal("140.00")
    assert contaazul.deal_total(purchase) == Decimal("408.52")
    assert contaazul.deal_total(service) == Decimal("1676.30")


def test_discount_and_extra_payment() -> None:
    deal = _deal([("2", "10.00")], discount=Decimal("5"), extra_payment=Decimal("1.50"))
    assert contaazul.deal_total(deal) == Decimal("16.50")
