"""What the finance resources share: path ids, query values, answer parsers, writes.

Pure functions, no I/O: the resources build ``Call``s with them and the client sends.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

from sdkcore.client import Call, PerCall, one_record, parse_nothing, parse_with
from sdkcore.dates import format_local
from sdkcore.endpoints import FlowStep, Step
from sdkcore.errors import RequestValidationError
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.models import APIModel
from sdkcore.money import CENT
from sdkcore.transport import Response

M = TypeVar("M", bound=APIModel)
T = TypeVar("T")

LARGEST_PAGE = 1000
"""The largest ``tamanho_pagina`` the financial spec's lists accept (their enums end at it)."""


def segment(value: str, field: str) -> str:
    """A path id (a UUID, or a legacy number where the spec allows one), checked."""
    return PATH_SEGMENT_ID(value, field)


def query(**values: object) -> dict[str, Any]:
    """Query parameters in the spec's shapes, ``None`` left out.

    A ``datetime`` travels as São Paulo local time without an offset
    (``2025-10-20T07:00:00``: "ISO 8601, São Paulo/GMT-3" in the spec), a ``date`` as
    ``yyyy-mm-dd``, a list as repeated parameters, an amount by ``amount_text``.
    """
    out: dict[str, Any] = {}
    for name, value in values.items():
        if value is None:
            continue
        if isinstance(value, datetime):
            out[name] = format_local(value, sep="T")
        elif isinstance(value, date):
            out[name] = value.isoformat()
        elif isinstance(value, Decimal):
            out[name] = amount_text(value, name)
        elif isinstance(value, Sequence) and not isinstance(value, str):
            out[name] = [str(item) for item in value]
        else:
            out[name] = value
    return out


def amount_text(value: Decimal, field: str) -> str:
    """An amount filter as the spec wants it: digits with at most two decimals
    (``^[0-9]+(\\.[0-9]{1,2})?$``); a negative amount or fractions of a cent are refused
    rather than rounded into another filter."""
    if not value.is_finite() or value < 0 or value != value.quantize(CENT):
        raise RequestValidationError(field, f"must be an amount >= 0 in cents, got {value}")
    return format(value.quantize(CENT), "f")


@cache
def record_parser(model: type[M]) -> Callable[[Response], M]:
    """The answer to a read of one record: refused when it has none of the model's fields."""
    return one_record(parse_with(model.model_validate_json))


@cache
def written_parser(model: type[M]) -> Callable[[Response], M]:
    """The answer to a write: read as it comes (the change is made whatever it says)."""
    return parse_with(model.model_validate_json)


@cache
def list_parser(model: type[M]) -> Callable[[Response], list[M]]:
    """A bare JSON array of ``model`` records, read whole."""
    adapter: TypeAdapter[list[M]] = TypeAdapter(list[model])  # type: ignore[valid-type]
    return parse_with(adapter.validate_json)


def read_call(per_call: PerCall, path: str, model: type[M], **params: object) -> Call[M]:
    return Call(per_call.request("GET", path, params=query(**params)), record_parser(model))


def write_call(
    per_call: PerCall,
    method: str,
    path: str,
    request_model: type[APIModel],
    record: APIModel | dict[str, Any],
    answer: type[M],
) -> Call[M]:
    """``method path`` with ``record`` (a model or a dict) as the body, its required fields
    checked before anything is sent; the answer read into ``answer``."""
    body = request_model.coerce(record).to_wire(for_create=True)
    return Call(per_call.request(method, path, json_body=body), written_parser(answer))


def delete_call(per_call: PerCall, path: str) -> Call[None]:
    return Call(per_call.request("DELETE", path), parse_nothing)


def steps(step: Step[T]) -> Generator[FlowStep, Any, T]:
    """Run ``step`` inside a flow: ``result = yield from steps(step)``."""
    if isinstance(step, Call):
        result: T = yield step
        return result
    return (yield from step)
