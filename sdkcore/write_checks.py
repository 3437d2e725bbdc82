"""Checks a write runs on the record it is about to send, never on one it reads: a server
may hold a record a write would refuse, and it must still read.

A model marks its fields with ``NON_NEGATIVE``, ``POSITIVE``, ``MaxLength(n)`` or
``TaxId(...)`` (metadata that pydantic ignores, so parsing stays as fast as before), and a
client's write path calls ``check_outgoing`` on the record; whole-record rules such as
installments against a total call ``check_installments``. Each refusal is a
``RequestValidationError`` naming the field by its wire path (``items[1].quantity``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import Any

import attrs
from pydantic import BaseModel

from .brazil import TaxIdKind, check_tax_id
from .errors import RequestValidationError
from .wire import field_wire_name

__all__ = [
    "NON_NEGATIVE",
    "POSITIVE",
    "MaxLength",
    "NonNegative",
    "Positive",
    "TaxId",
    "check_field",
    "check_installments",
    "check_outgoing",
]


@attrs.frozen
class NonNegative:
    """Field metadata: a write never sends a negative amount or quantity here."""

    def check(self, record: BaseModel, value: Any, field: str) -> None:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool) and value < 0:
            raise RequestValidationError(field, f"cannot be negative, got {value}")


NON_NEGATIVE = NonNegative()


@attrs.frozen
class Positive:
    """Field metadata: a write sends only an amount or quantity greater than zero here."""

    def check(self, record: BaseModel, value: Any, field: str) -> None:
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool) and value <= 0:
            raise RequestValidationError(field, f"must be greater than zero, got {value}")


POSITIVE = Positive()


@attrs.frozen
class MaxLength:
    """Field metadata: the longest text the vendor's spec lets a write send here."""

    limit: int

    def check(self, record: BaseModel, value: Any, field: str) -> None:
        if isinstance(value, str) and len(value) > self.limit:
            raise RequestValidationError(
                field, f"has {len(value)} characters; the API takes at most {self.limit}"
            )


@attrs.frozen
class TaxId:
    """Field metadata: a CPF or CNPJ, checked by its check digits before a write sends it.

    ``kind_field`` names the record's field that says which number is due, and ``kinds``
    maps its values to ``"cpf"``, ``"cnpj"`` or ``None`` (a foreign document: not checked).
    Without that field, or with a value ``kinds`` does not list, either number will do.
    Blank text is no document and passes.
    """

    kind_field: str | None = None
    kinds: tuple[tuple[str, TaxIdKind | None], ...] = ()

    def check(self, record: BaseModel, value: Any, field: str) -> None:
        if not isinstance(value, str) or not value.strip():
            return
        said = getattr(record, self.kind_field, None) if self.kind_field else None
        said = getattr(said, "value", said)  # an enumeration member or its text
        kinds: dict[str, TaxIdKind | None] = dict(self.kinds)
        if isinstance(said, str) and said in kinds:
            kind = kinds[said]
            if kind is None:
                return
            check_tax_id(value, field, kind)
        else:
            check_tax_id(value, field)


_Rule = NonNegative | Positive | MaxLength | TaxId


@cache
def _rules(model: type[BaseModel]) -> tuple[tuple[str, str, tuple[_Rule, ...]], ...]:
    """``(field, wire name, rules)`` of each marked field of ``model``."""
    out = []
    for name, info in model.model_fields.items():
        rules = tuple(m for m in info.metadata if isinstance(m, _Rule))
        if rules:
            out.append((name, field_wire_name(model, name), rules))
    return tuple(out)


def check_field(record: BaseModel, name: str, value: Any, field: str) -> None:
    """Run the marks of ``record``'s field ``name`` on ``value``, reporting it as ``field``;
    for writes that send one field at a time (a JSON Patch)."""
    for marked, _wire, rules in _rules(type(record)):
        if marked == name:
            for rule in rules:
                rule.check(record, value, field)


def check_outgoing(record: BaseModel, path: str = "") -> None:
    """Raise ``RequestValidationError`` at the first field of ``record``, or of a record
    nested in it, that a write must not send. Only the fields set are looked at, so a
    partial update is checked for what it sends."""
    model = type(record)
    fields_set = record.model_fields_set
    for name, wire, rules in _rules(model):
        if name in fields_set:
            value = getattr(record, name)
            for rule in rules:
                rule.check(record, value, f"{path}{wire}")
    for name in fields_set:
        if name not in model.model_fields:
            continue
        value = getattr(record, name)
        if isinstance(value, BaseModel):
            check_outgoing(value, f"{path}{field_wire_name(model, name)}.")
        elif isinstance(value, list):
            wire = field_wire_name(model, name)
            for index, item in enumerate(value):
                if isinstance(item, BaseModel):
                    check_outgoing(item, f"{path}{wire}[{index}].")


def check_installments(
    amounts: Iterable[Decimal | None],
    totals: Sequence[Decimal],
    field: str,
    *,
    also: str = "",
) -> None:
    """Raise ``RequestValidationError`` naming ``field`` unless ``amounts`` add up to one of
    ``totals``: the first is the total the message gives, and ``also`` says in words what
    the others are (``"or that total less any tax withheld"``)."""
    paid = sum((amount or Decimal(0) for amount in amounts), Decimal(0))
    if paid not in totals:
        tail = f", {also}" if also else ""
        raise RequestValidationError(field, f"add up to {paid}, not to the total {totals[0]}{tail}")
