"""What every Conta Azul resource shares: path ids, query values, answer readers and the
one write path.

Pure functions, no I/O: the resources build ``Call``s with them and the client sends.
Every body is read by ``sdkcore.bodies.json_reader``, so an amount of any length reads
exactly; path ids are checked with ``sdkcore.ids.PATH_SEGMENT_ID``.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any, TypeVar

from pydantic import TypeAdapter

from sdkcore.bodies import exact_json, json_reader
from sdkcore.client import Call, PerCall, one_record, parse_nothing, parse_with
from sdkcore.dates import format_local
from sdkcore.endpoints import FlowStep, Step
from sdkcore.errors import RequestValidationError
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.models import APIModel
from sdkcore.money import CENT
from sdkcore.transport import Response

from ._checks import check_write

M = TypeVar("M", bound=APIModel)
T = TypeVar("T")


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


# -- reading answers ---------------------------------------------------------------------


@cache
def list_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    """The adapter of a JSON array of ``model`` records (one per model)."""
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@cache
def record_parser(model: type[M], *, exact_extras: bool = False) -> Callable[[Response], M]:
    """The answer to a read of one record: refused when it has none of the model's fields.

    ``exact_extras`` for a model with no amount of its own (``json_reader`` would never
    look for long numbers in its bodies) whose answers may carry amounts beside its fields:
    those keep their digits too (``ExactFloat``)."""
    if exact_extras:
        return one_record(parse_with(exact_json(model.model_validate_json, model.model_validate)))
    return one_record(parse_with(json_reader(model)))


@cache
def written_parser(model: type[M]) -> Callable[[Response], M]:
    """The answer to a write: read as it comes (the change is made whatever it says)."""
    return parse_with(json_reader(model))


@cache
def list_parser(model: type[M]) -> Callable[[Response], list[M]]:
    """A bare JSON array of ``model`` records, read whole."""
    return parse_with(json_reader(list_adapter(model)))


def parse_bytes(response: Response) -> bytes:
    """The body as it came (a PDF)."""
    return response.content


parse_number = parse_with(json_reader(TypeAdapter(int | None)))
"""A bare JSON integer (``4512645``), or ``None`` for ``null``."""


# -- building calls ----------------------------------------------------------------------


def read_call(per_call: PerCall, path: str, model: type[M], **params: object) -> Call[M]:
    """``GET path`` read into one ``model`` record."""
    return Call(per_call.request("GET", path, params=query(**params)), record_parser(model))


def send_record(
    per_call: PerCall,
    method: str,
    path: str,
    request_model: type[M],
    record: M | dict[str, Any],
    parse: Callable[[Response], T],
    *,
    whole: bool,
) -> Call[T]:
    """``method path`` with ``record`` (a model or a dict) as the body: every write goes
    through here. The record is checked first (``check_write``: its documents, lengths,
    signs and installments always, its required fields when the body is ``whole``, a create
    or a PUT); a partial body (a PATCH) sends only the fields set."""
    model = request_model.coerce(record)
    check_write(model)
    body = model.to_wire(for_create=whole)
    return Call(per_call.request(method, path, json_body=body), parse)


def delete_call(per_call: PerCall, path: str) -> Call[None]:
    return Call(per_call.request("DELETE", path), parse_nothing)


def id_batch(ids: str | Sequence[str], field: str, *, most: int) -> list[str]:
    """``ids`` (one or several) as a batch call sends them: 1 to ``most``, each checked."""
    batch = [ids] if isinstance(ids, str) else list(ids)
    if not 1 <= len(batch) <= most:
        raise RequestValidationError(field, f"takes 1 to {most} ids, got {len(batch)}")
    return [PATH_SEGMENT_ID(value, f"{field}[{index}]") for index, value in enumerate(batch)]


def steps(step: Step[T]) -> Generator[FlowStep, Any, T]:
    """Run ``step`` inside a flow: ``result = yield from steps(step)``."""
    if isinstance(step, Call):
        result: T = yield step
        return result
    return (yield from step)


__all__ = [
    "amount_text",
    "delete_call",
    "id_batch",
    "list_adapter",
    "list_parser",
    "parse_bytes",
    "parse_nothing",
    "parse_number",
    "query",
    "read_call",
    "record_parser",
    "send_record",
    "steps",
    "written_parser",
]
