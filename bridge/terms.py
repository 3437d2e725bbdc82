"""Payment terms: ``"0"`` (one installment on the sale date) or ``"30 60 90"`` (days)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

import attrs

from sdkcore.money import CENT, cents, split_amount

from .errors import ConfigError

__all__ = ["CENT", "PaymentTerms", "cents"]


@attrs.frozen
class PaymentTerms:
    """Days after the sale date of each installment."""

    days: tuple[int, ...]

    @classmethod
    def parse(cls, text: str, setting: str = "payment_terms") -> PaymentTerms:
        parts = [p for p in re.split(r"[\s/,;]+", str(text).strip()) if p]
        # isdecimal, not isdigit: int() reads every decimal digit, but not '²'.
        if not parts or not all(p.isdecimal() for p in parts):
            raise ConfigError(setting, f"{text!r} is not like '0' or '30 60 90' (days)")
        try:
            return cls(tuple(int(p) for p in parts))
        except ValueError:  # more digits than int() reads (sys.get_int_max_str_digits())
            raise ConfigError(setting, "has a number of days with thousands of digits") from None

    def fitting(self, total: Decimal) -> PaymentTerms:
        """The terms ``total`` is paid in: these, or their first installments only when it
        has fewer cents than installments (an ERP refuses an installment of 0.00)."""
        count = min(len(self.days), max(1, int(cents(total).scaleb(2))))
        return self if count == len(self.days) else PaymentTerms(self.days[:count])

    def schedule(self, total: Decimal, start: date) -> list[tuple[date, Decimal]]:
        """Installments that add up to ``total`` (rounded half-up to the cent) exactly, in the
        terms that fit it (``fitting``); the first ones take odd cents."""
        days = self.fitting(total).days
        amounts = split_amount(total, len(days), rounding=ROUND_HALF_UP)
        return [(start + timedelta(days=d), a) for d, a in zip(days, amounts, strict=True)]
