"""Payment terms split a sale with the shared money rule, rounding the total first."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from bridge.terms import CENT, PaymentTerms, cents


def test_a_total_with_fractions_of_a_cent_is_rounded_half_up_then_split() -> None:
    schedule = PaymentTerms((0, 30, 60)).schedule(Decimal("100.005"), date(2025, 1, 1))
    assert schedule == [
        (date(2025, 1, 1), Decimal("33.34")),
        (date(2025, 1, 31), Decimal("33.34")),
        (date(2025, 3, 2), Decimal("33.33")),
    ]


def test_the_money_names_the_bridge_exported_still_work() -> None:
    assert Decimal("1.234").quantize(CENT) == Decimal("1.23")
    assert cents(Decimal("0.125")) == Decimal("0.13")


def test_a_total_of_fewer_cents_than_installments_takes_the_first_ones_only() -> None:
    """No installment of 0.00: two cents in "30 60 90" are two installments, at 30 and 60."""
    terms = PaymentTerms((30, 60, 90))
    assert terms.fitting(Decimal("0.02")) == PaymentTerms((30, 60))
    assert terms.fitting(Decimal("0.03")) is terms
    assert terms.schedule(Decimal("0.024"), date(2025, 1, 1)) == [
        (date(2025, 1, 31), Decimal("0.01")),
        (date(2025, 3, 2), Decimal("0.01")),
    ]
    assert terms.fitting(Decimal("0")) == PaymentTerms((30,))  # one, whatever the total
