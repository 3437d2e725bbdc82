"""Pure request builders for the Conta Azul API: one place for each rule of the spec.

The sync and async resources call these and only differ in how they send.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, Generic, TypeVar

import attrs
from pydantic import TypeAdapter

from sdkcore import APIModel, Call, RequestValidationError, ResponseParseError
from sdkcore.bodies import json_reader
from sdkcore.client import PerCall, one_record, parse_nothing, parse_with
from sdkcore.dates import format_local
from sdkcore.errors import excerpt
from sdkcore.ids import NUMERIC_ID, Created as Created  # contaazul.Created, as before
from sdkcore.redact import redact_url
from sdkcore.transport import Response
from sdkcore.wire import wire_names

from ._checks import check_write

M = TypeVar("M", bound=APIModel)
T = TypeVar("T")

QueryValue = str | int | bool | date | None

record_id = NUMERIC_ID
"""Conta Azul's record ids are numbers."""


@attrs.frozen
class EntitySpec(Generic[M]):
    """One entity root of the spec: where it lives and what it looks like."""

    path: str
    model: type[M]


@cache
def _list_adapter(model: type[APIModel]) -> TypeAdapter[list[Any]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


@cache
def _record_parser(model: type[M]) -> Callable[[Response], M]:
    return one_record(parse_with(json_reader(model)))


def projected(path: str, fields: Iterable[str] | None, model: type[APIModel]) -> str:
    """The spec's field projection: ``/customer/123/:id,name``."""
    if not fields:
        return path
    names = wire_names(model, fields, unknown="refuse")  # the spec projects its own fields only
    if not names:
        return path
    return f"{path.rstrip('/')}/:{','.join(names)}"


def if_modified_since(moment: datetime | None) -> dict[str, str]:
    """The spec's ``If-Modified-Since: yyyy-mm-dd hh:MM:ss`` (São Paulo local time)."""
    if moment is None:
        return {}
    if not isinstance(moment, datetime):
        raise RequestValidationError("modified_since", "must be a datetime")
    return {"If-Modified-Since": format_local(moment)}


def query_filters(model: type[APIModel], filters: Mapping[str, QueryValue]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in filters.items():
        if value is None:
            continue
        wire = wire_names(model, [key], unknown="keep")[0]
        out[wire] = value.isoformat() if isinstance(value, date) else value
    return out


def list_call(
    spec: EntitySpec[M],
    per_call: PerCall,
    *,
    fields: Iterable[str] | None = None,
    modified_since: datetime | None = None,
    filters: Mapping[str, QueryValue] | None = None,
) -> Call[list[M]]:
    path = projected(spec.path + "/", fields, spec.model)
    options = per_call.request(
        "GET",
        path,
        params=query_filters(spec.model, filters or {}),
        headers=if_modified_since(modified_since),
    )
    return Call(options, parse_with(list_parser(spec.model)))


def get_call(
    spec: EntitySpec[M], per_call: PerCall, id: int | str, fields: Iterable[str] | None = None
) -> Call[M]:
    path = projected(f"{spec.path}/{record_id(id)}", fields, spec.model)
    return Call(per_call.request("GET", path), _record_parser(spec.model))


def create_call(
    spec: EntitySpec[M], per_call: PerCall, record: M | dict[str, Any]
) -> Call[Created]:
    model = spec.model.coerce(record)
    body = model.to_wire(for_create=True)
    check_write(model)
    return Call(per_call.request("POST", spec.path + "/", json_body=body), _read_created)


def update_call(spec: EntitySpec[M], per_call: PerCall, record: M | dict[str, Any]) -> Call[None]:
    model = spec.model.coerce(record)
    ident = getattr(model, "id", None)
    if ident is None:
        raise RequestValidationError("id", "is required to update a record (fetch it first)")
    body = model.to_wire(for_create=True)  # PUT takes the same entity a create does
    check_write(model)
    return Call(
        per_call.request("PUT", f"{spec.path}/{record_id(ident)}", json_body=body), parse_nothing
    )


def delete_call(spec: EntitySpec[M], per_call: PerCall, id: int | str) -> Call[None]:
    return Call(per_call.request("DELETE", f"{spec.path}/{record_id(id)}"), parse_nothing)


def report_call(
    path: str,
    parse_model: Callable[[bytes], T],
    per_call: PerCall,
    params: Mapping[str, QueryValue],
) -> Call[T]:
    query = {k: (v.isoformat() if isinstance(v, date) else v) for k, v in params.items()}
    return Call(per_call.request("GET", path, params=query), one_record(parse_with(parse_model)))


def _read_created(response: Response) -> Created:
    ident = response.headers.get("Identificator")
    try:
        # Identificator is the new id and Location its URL.
        return Created(int(str(ident).strip()), location=response.headers.get("Location"))
    except (TypeError, ValueError):
        raise ResponseParseError(
            "the create succeeded but the Identificator header is missing or not a number",
            status_code=response.status_code,
            method=response.request.method,
            url=redact_url(str(response.request.url)),
            body=excerpt(response.content),
        ) from None


def list_parser(model: type[M]) -> Callable[[bytes], list[M]]:
    return json_reader(_list_adapter(model))
