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
