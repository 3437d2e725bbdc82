"""Installments, taxes and totals, computed the way the spec computes them, to the cent."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from sdkcore import RequestValidationError
from sdkcore.money import cents, lines_total, parse_money, split_amount as split_to_the_cent

from .models import Deal, DealItem, Payment, Tax, TaxType

_TIMES = re.compile(r"^\s*(\d+)\s*[xX]\s*$")
_DAYS_SPLIT = re.compile(r"[\s,;/]+")


def split_amount(total: Decimal | int | str, count: int) -> list[Decimal]:
    """``total`` in ``count`` parts that add up to it exactly; earlier parts take the odd
    cents (140.00 in 3 -> 46.67, 46.67, 46.66), as Conta Azul's installment generator does.
    Text is read by ``parse_money``; a negative total or fractions of a cent are refused."""
    amount = parse_money(total) if not isinstance(total, Decimal) else total
    if amount < 0:
        raise RequestValidationError("total", "cannot be negative")
    return split_to_the_cent(amount, count)


def due_dates(plan: str | int, start: date) -> list[date]:
    """Due dates for a plan: ``"3x"`` (monthly, the first a month after ``start``),
    ``"30 60 90"`` (days after ``start``; ``"30/60/90"`` too), ``"0"`` or ``3``."""
    if isinstance(plan, bool):
        raise RequestValidationError("plan", "must be like '3x' or '30 60 90'")
    if isinstance(plan, int):
        plan = f"{plan}x"
    text = plan.strip()
    times = _TIMES.match(text)
    if times:
        count = int(times.group(1))
        if count < 1:
            raise RequestValidationError("plan", "needs at least one installment")
        return [start + relativedelta(months=i + 1) for i in range(count)]
    parts = [p for p in _DAYS_SPLIT.split(text) if p]
    if not parts or not all(p.isdigit() for p in parts):
        raise RequestValidationError("plan", f"{plan!r} is neither '3x' nor days like '30 60 90'")
    days = [int(p) for p in parts]
    if days != sorted(days):
        raise RequestValidationError("plan", f"days must ascend, got {plan!r}")
    return [start + timedelta(days=d) for d in days]


def installments(
    total: Decimal | int | str,
    plan: str | int,
    start: date,
    *,
    label: str = "Parcela",
) -> list[Payment]:
    """``Payment`` objects for ``total`` under ``plan``, summing to it to the cent."""
    dates = due_dates(plan, start)
    amounts = split_amount(total, len(dates))
    return [
        Payment(payment_date=when, value=value, observation=f"{label} {i}")
        for i, (when, value) in enumerate(zip(dates, amounts, strict=True), start=1)
    ]


def items_total(items: Iterable[DealItem]) -> Decimal:
    """Sum of quantity × rate, rounded to the cent once (not per line)."""
    return lines_total((item.quantity, item.rate) for item in items)


def deal_total(deal: Deal) -> Decimal:
    """The deal's ``total`` as the spec computes it.

    Items (quantity × rate, rounded to the cent once) minus ``discount`` plus
    ``extraPayment``, plus ``shippingCost`` when the freight is charged to the buyer on the
    invoice (``shippingCostPayment`` "1"). Withheld taxes stay in ``total``: they reduce what
    is paid, not what was sold. This is the one reading that reproduces all three of the
    spec's examples (sale 80 + 60 freight = 140; purchase 408.5172 -> 408.52, its freight
    "2" left out; service sale 1676.30, paid 1558.95 after 33.53 and 83.82 withheld).
    """
    total = items_total(deal.items or [])
    total -= deal.discount or Decimal(0)
    total += deal.extra_payment or Decimal(0)
    if str(deal.shipping_cost_payment or "").strip() == "1":
        total += deal.shipping_cost or Decimal(0)
    return cents(total)


def tax(
    tax_type: TaxType | str,
    percentage: Decimal | int | str,
    base: Decimal | int | str,
    description: str | None = None,
) -> Tax:
    """A service-sale tax from its percentage of ``base``, rounded half-up to the cent."""
    rate = parse_money(percentage)
    if not Decimal(0) <= rate <= Decimal(100):
        raise RequestValidationError("percentage", f"must be between 0 and 100, got {rate}")
    amount = parse_money(base)
    kind = TaxType(tax_type) if not isinstance(tax_type, TaxType) else tax_type
    value = cents(amount * rate / Decimal(100))
    return Tax(description=description or kind.value, percentage=rate, value=value, type=kind)


def taxes(
    rates: Mapping[TaxType | str, Decimal | int | str], base: Decimal | int | str
) -> list[Tax]:
    """Several taxes on the same base: ``taxes({"ISS": 2, "COFINS": 5}, total)``."""
    return [tax(kind, pct, base) for kind, pct in rates.items()]


def net_of_taxes(total: Decimal, withheld: Iterable[Tax]) -> Decimal:
    """What the customer pays when the taxes are withheld at source (the spec's example:
    1676.30 - 33.53 - 83.82 = 1558.95)."""
    return cents(total - sum((t.value or Decimal(0) for t in withheld), Decimal(0)))
