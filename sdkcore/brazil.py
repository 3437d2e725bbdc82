"""Brazilian taxpayer numbers: the CPF of a person and the CNPJ of a company, checked by
their two check digits.

A CNPJ may be alphanumeric from July 2026 (Nota Técnica COCAD/SUARA/RFB nº 49/2024): twelve
letters or digits, then two check digits computed as before, each character counting as its
ASCII code less 48, so every numeric CNPJ keeps its digits. Punctuation (``.``, ``-``,
``/``, spaces) is accepted; a number of one repeated digit is refused, although its check
digits work out, because no such number is ever issued.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from .errors import RequestValidationError

__all__ = [
    "TaxIdKind",
    "check_tax_id",
    "cnpj_check_digits",
    "cpf_check_digits",
    "is_cnpj",
    "is_cpf",
    "tax_id_characters",
]

TaxIdKind = Literal["cpf", "cnpj", "cpf_or_cnpj"]
"""Which number a field holds: a CPF, a CNPJ, or either (told apart by their lengths)."""

_PUNCTUATION = re.compile(r"[.\-/\s]")
_CPF = re.compile(r"\d{11}")
_CNPJ = re.compile(r"[0-9A-Z]{12}\d{2}")
_CPF_WEIGHTS = (range(10, 1, -1), range(11, 1, -1))
_CNPJ_FIRST = (5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2)
_CNPJ_WEIGHTS = (_CNPJ_FIRST, (6, *_CNPJ_FIRST))
_NAMES = {"cpf": "CPF", "cnpj": "CNPJ"}


def tax_id_characters(value: str) -> str:
    """The number without its punctuation, letters upper-cased: ``12.abc.345/01de-35`` ->
    ``12ABC34501DE35``."""
    return _PUNCTUATION.sub("", value).upper()


def _check_digit(body: str, weights: Sequence[int]) -> str:
    # ord(c) - 48: a digit counts as itself, "A" as 17, "B" as 18 ...
    rest = sum((ord(c) - 48) * w for c, w in zip(body, weights, strict=True)) % 11
    return "0" if rest < 2 else str(11 - rest)


def _check_digits(body: str, weights: tuple[Sequence[int], Sequence[int]]) -> str:
    first = _check_digit(body, weights[0])
    return first + _check_digit(body + first, weights[1])


def cpf_check_digits(body: str) -> str:
    """The two check digits of a CPF's first nine digits."""
    return _check_digits(body, _CPF_WEIGHTS)


def cnpj_check_digits(body: str) -> str:
    """The two check digits of a CNPJ's first twelve characters (digits or capital letters)."""
    return _check_digits(body, _CNPJ_WEIGHTS)


def _problem(number: str, kind: Literal["cpf", "cnpj"]) -> str | None:
    """What is wrong with ``number`` (no punctuation) as a ``kind``, or None."""
    if kind == "cpf":
        shape, body, digits = _CPF, 9, cpf_check_digits
        wanted = "11 digits"
    else:
        shape, body, digits = _CNPJ, 12, cnpj_check_digits
        wanted = "12 letters or digits and 2 check digits"
    if shape.fullmatch(number) is None:
        return f"is not a valid {_NAMES[kind]}: one has {wanted}"
    if len(set(number)) == 1:
        return f"is not a valid {_NAMES[kind]}: one digit repeated is never issued"
    if digits(number[:body]) != number[body:]:
        return f"is not a valid {_NAMES[kind]}: its check digits are wrong"
    return None


def is_cpf(value: str) -> bool:
    """Whether ``value`` (punctuation allowed) is a CPF whose check digits are right."""
    return _problem(tax_id_characters(value), "cpf") is None


def is_cnpj(value: str) -> bool:
    """Whether ``value`` (punctuation allowed) is a CNPJ, numeric or alphanumeric, whose
    check digits are right."""
    return _problem(tax_id_characters(value), "cnpj") is None


def check_tax_id(value: str, field: str, kind: TaxIdKind = "cpf_or_cnpj") -> None:
    """Raise ``RequestValidationError`` naming ``field`` unless ``value`` is a valid number of
    ``kind``. The message leaves the number out: errors end up in logs."""
    number = tax_id_characters(value)
    if kind == "cpf_or_cnpj":
        if len(number) not in (11, 14):
            raise RequestValidationError(
                field,
                f"is neither a CPF (11 digits) nor a CNPJ (14 characters): it has {len(number)}",
            )
        kind = "cpf" if len(number) == 11 else "cnpj"
    problem = _problem(number, kind)
    if problem is not None:
        raise RequestValidationError(field, problem)
