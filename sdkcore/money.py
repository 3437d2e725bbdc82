"""Money as ``Decimal``: read from whatever shape an API sends it in, rounded to the cent,
split into installments and totalled, by one set of rules for every client."""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from .bodies import ExactFloat
from .errors import RequestValidationError

CENT = Decimal("0.01")

_SHAPE = re.compile(
    r"^(?P<open>\()?(?P<sign1>[-+])?(?P<currency>R\$|US\$|\$|BRL)?(?P<sign2>[-+])?"
    r"(?P<number>[\d.,]*\d[\d.,]*)(?P<close>\))?$",
    re.IGNORECASE,
)
_GROUPED = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
# One separator followed by exactly three digits: "1.234" is 1234 in Brazil, 1.234 in JSON.
_AMBIGUOUS = re.compile(r"^[1-9]\d{0,2}[.,]\d{3}$")
_PLAIN = re.compile(r"^(?:\d+(?:\.\d*)?|\.\d+)$")
# The shapes most amounts arrive in, read by _fast_money_text.
_FAST_SIMPLE = re.compile(r"(\d+)(?:[.,](\d+))?")
_FAST_GROUPED = re.compile(r"(\d{1,3}(?:\.\d{3})+),(\d+)")


def parse_money(value: object) -> Decimal:
    """Read an amount exactly: ``12``, ``12.5``, ``"12,00"``, ``"$0.00"``, ``"2.500.000,00"``.

    Floats go through their shortest repr, so ``80.02`` is ``Decimal("80.02")``, never the
    binary expansion; a number read from JSON text with its digits (``ExactFloat``) is those
    digits. Ambiguous or malformed text raises ``ValueError`` rather than guessing.
    """
    if isinstance(value, str):  # first: text is the shape that reaches here most
        fast = _fast_money_text(value)
        return _general_money_text(value) if fast is None else fast
    if isinstance(value, bool):
        raise ValueError("a boolean is not an amount")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"amount must be finite, got {value}")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, ExactFloat):
        return value.as_decimal()  # finite: the text is a JSON number, however large
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            raise ValueError(f"amount must be finite, got {value}")
        return Decimal(repr(value))
    raise ValueError(f"cannot read an amount from {type(value).__name__}")


def _general_money_text(raw: str) -> Decimal:
    text = raw.strip().replace("\u00a0", "").replace(" ", "")
    shape = _SHAPE.match(text)
    if shape is None:
        raise ValueError(f"cannot read an amount from {raw!r}")
    sign = shape["sign1"] or shape["sign2"]
    bracketed = bool(shape["open"])
    if bracketed != bool(shape["close"]) or (shape["sign1"] and shape["sign2"]):
        raise ValueError(f"cannot read an amount from {raw!r}")
    if bracketed and sign:
        raise ValueError(f"both a sign and brackets in {raw!r}")
    normalised = _normalise_separators(shape["number"], raw)
    if not _PLAIN.match(normalised):
        raise ValueError(f"cannot read an amount from {raw!r}")
    amount = Decimal(normalised)
    return -amount if bracketed or sign == "-" else amount


def _fast_money_text(raw: str) -> Decimal | None:
    """The common shapes ("12", "12,00", "12.50", "2.500.000,00") at a fraction of the
    general rules' cost and with their answers; None leaves the rest (signs, currency,
    spaces, doubt) to them."""
    if "," in raw and "." in raw:
        grouped = _FAST_GROUPED.fullmatch(raw)
        if grouped is None:
            return None
        return Decimal(f"{grouped[1].replace('.', '')}.{grouped[2]}")
    simple = _FAST_SIMPLE.fullmatch(raw)
    if simple is None:
        return None
    whole, fraction = simple.groups()
    if fraction is None:
        return Decimal(whole)
    if len(fraction) == 3 and len(whole) <= 3 and whole[0] != "0":
        return None  # "1.234": a thousands separator or decimals? The rules refuse.
    return Decimal(f"{whole}.{fraction}")


def _normalise_separators(text: str, raw: str) -> str:
    has_dot, has_comma = "." in text, "," in text
    if has_dot and has_comma:
        decimal_sep = "." if text.rfind(".") > text.rfind(",") else ","
        group_sep = "," if decimal_sep == "." else "."
        whole, _, fraction = text.rpartition(decimal_sep)
        if not _GROUPED.match(whole) and group_sep in whole:
            raise ValueError(f"misplaced thousands separators in {raw!r}")
        whole = whole.replace(group_sep, "")
        return f"{whole}.{fraction}"
    for sep in (".", ","):
        if text.count(sep) > 1:
            # Only thousands separators repeat: "2.500.000" or "1,234,567".
            if not _GROUPED.match(text):
                raise ValueError(f"misplaced thousands separators in {raw!r}")
            return text.replace(sep, "")
    if _AMBIGUOUS.match(text):
        raise ValueError(f"ambiguous amount {raw!r}: a thousands separator or decimals?")
    # One separator: Brazilian APIs write "12,00", JSON-minded ones "12.00"; both are decimals.
    return text.replace(",", ".")


def money_to_json_number(value: Decimal) -> float | int:
    """A JSON number with exactly the digits of ``value``; refuses what a double cannot keep."""
    if value == value.to_integral_value() and abs(value) < 2**53:
        return int(value)
    as_float = float(value)
    if Decimal(repr(as_float)) != value:
        raise ValueError(f"{value} has more digits than a JSON number keeps exactly")
    return as_float


def cents(value: Decimal) -> Decimal:
    """Round half-up to the cent, as Brazilian invoices do."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def split_amount(total: Decimal, count: int, *, rounding: str | None = None) -> list[Decimal]:
    """``total`` in ``count`` parts to the cent that add up to it exactly, the earlier parts
    taking the odd cents (140.00 in 3 -> 46.67, 46.67, 46.66), as ERPs split installments.

    A total with fractions of a cent is refused, unless ``rounding`` (a ``decimal`` rounding
    mode such as ``ROUND_HALF_UP``) says how to bring it to the cent first.
    """
    if count < 1:
        raise RequestValidationError("installments", "must be at least 1")
    if rounding is not None:
        total = total.quantize(CENT, rounding=rounding)
    elif total != total.quantize(CENT):
        raise RequestValidationError("total", f"{total} has fractions of a cent; round it first")
    # floor division keeps the rule for negative totals too: parts differ by at most a cent
    base, odd = divmod(int(total.scaleb(2)), count)
    return [Decimal(base + 1 if i < odd else base) * CENT for i in range(count)]


def lines_total(lines: Iterable[tuple[Decimal | None, Decimal | None]]) -> Decimal:
    """The sum of quantity x unit price over ``(quantity, unit_price)`` lines (a missing
    value counts as 0), rounded half-up to the cent once: rounding each line first can
    land a cent away from the total the ERP computes."""
    zero = Decimal(0)
    return cents(sum(((quantity or zero) * (price or zero) for quantity, price in lines), zero))
