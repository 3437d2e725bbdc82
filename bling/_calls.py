"""Pure request builders for Bling: every rule of the API in one place, without I/O.

The generated resources call these to build each method's ``Call`` (or, for ``list``, the
``ListPlan`` that gives each page's call); the client they are bound to sends them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, Generic, Self, TypeVar

import attrs
from pydantic import BaseModel, ConfigDict, TypeAdapter, ValidationError as PydanticValidationError

import sdkcore.ids
from sdkcore import APIModel, Call, Page, RequestOptions, RequestValidationError
from sdkcore.bodies import exact_json, json_reader, loads_json
from sdkcore.client import (
    NOT_GIVEN,
    PerCall,
    one_record,
    parse_json_body,
    parse_nothing,
    parse_with,
    records_parser,
)
from sdkcore.dates import format_local, parse_instant
from sdkcore.errors import RecordParseError, ResponseParseError, excerpt
from sdkcore.ids import NUMERIC_ID
from sdkcore.redact import redact_url
from sdkcore.transport import Response

from ._checks import check_write, derived_fields

T = TypeVar("T")
M = TypeVar("M")

Data = Any
"""What Bling answered in ``data``, undecoded into a model (kept for callers' annotations;
every generated method has a typed result)."""

PAGE_SIZE = 100
"""Bling's largest page (``limite``)."""

MAX_RANGE = timedelta(days=365)
"""Bling refuses date filters spanning more than a year; longer ranges are split."""

_PATH_PARAM = re.compile(r"\{(\w+)\}")


@attrs.frozen
class Endpoint:
    """One operation of the spec: method, path, result model and date-typed query keys."""

    method: str
    path: str
    model: type[Any] | None = None
    many: bool = False
    dates: tuple[tuple[str, str], ...] = ()  # (wire key, "date" | "datetime")
    ranges: tuple[tuple[str, str], ...] = ()  # (start key, end key) pairs
    result: Callable[[Response], Any] | None = None  # how a write reads its answer

    def url(self, ids: Sequence[int | str]) -> str:
        names = _PATH_PARAM.findall(self.path)
        if len(names) != len(ids):
            raise RequestValidationError("path", f"{self.path} needs {len(names)} id(s)")
        path = self.path
        for name, value in zip(names, ids, strict=True):
            path = path.replace("{" + name + "}", record_id(value, snake(name)), 1)
        return path


class Created(sdkcore.ids.Created):
    """``sdkcore``'s ``Created`` (the new id, as an ``int``; the answer's ``data``), with its
    ``warnings`` also under Bling's own name, ``alertas``.

    Built as before, ``Created(id, data)``: the warnings are read from the body's
    ``alertas`` (or ``warnings``) unless given.
    """

    def __new__(
        cls,
        id: int,
        data: Mapping[str, Any] | None = None,
        *,
        location: str | None = None,
        warnings: Sequence[Any] | None = None,
    ) -> Self:
        body = dict(data or {})
        noted = _warnings(body) if warnings is None else warnings
        return super().__new__(cls, id, location, warnings=noted, data=body)

    @property
    def alertas(self) -> list[Any]:
        return self.warnings


def _warnings(data: Mapping[str, Any]) -> list[Any]:
    """Bling's notes on a write: ``alertas`` (or ``warnings``), one or a list of them."""
    noted = data.get("alertas") or data.get("warnings") or []
    return list(noted) if isinstance(noted, list) else [noted]


def snake(name: str) -> str:
    """``idsContatos[]`` -> ``ids_contatos``; ``linkQRCodePix`` -> ``link_qr_code_pix``."""
    name = name.replace("[]", "")
    name = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", name)
    name = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    return name.replace("-", "_").lower()


record_id = NUMERIC_ID
"""Bling's record ids are numbers."""


# -- query values --------------------------------------------------------------------------


def query_value(value: Any, kind: str | None = None, *, end: bool = False) -> Any:
    """A query value as Bling writes it: dates ``yyyy-mm-dd``, instants São Paulo local. A
    date given for an instant filter covers the whole day: its start, or its end when the
    filter is a final bound (``end``)."""
    if isinstance(value, datetime):
        return value.date().isoformat() if kind == "date" else format_local(value)
    if isinstance(value, date):
        if kind != "datetime":
            return value.isoformat()
        return f"{value.isoformat()} {'23:59:59' if end else '00:00:00'}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [query_value(v) for v in value]
    return value


def build_query(ep: Endpoint, query: Mapping[str, Any]) -> dict[str, Any]:
    kinds = dict(ep.dates)
    return {
        k: query_value(v, kinds.get(k), end=k.endswith("Final"))
        for k, v in query.items()
        if v is not None
    }


def _as_instant(value: Any, kind: str) -> datetime:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return parse_instant(value)
    try:
        return parse_instant(value)
    except ValueError:
        raise RequestValidationError("date", f"cannot read a date from {value!r}") from None


def split_range(start: Any, end: Any, kind: str) -> list[tuple[Any, Any]]:
    """Windows of at most a year covering ``start``..``end``, in the caller's own types."""
    first, last = _as_instant(start, kind), _as_instant(end, kind)
    if last - first <= MAX_RANGE:
        return [(start, end)]
    # Whole days for date filters, whole seconds for instants.
    cursor, stop_at, unit = (
        (first.date(), last.date(), timedelta(days=1))
        if kind == "date"
        else (first, last, timedelta(seconds=1))
    )
    windows: list[tuple[Any, Any]] = []
    while cursor <= stop_at:
        stop = min(cursor + MAX_RANGE - unit, stop_at)
        windows.append((cursor, stop))
        cursor = stop + unit
    return windows


def date_windows(ep: Endpoint, query: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Query overrides, one per window: ``[{}]`` unless a range spans more than a year."""
    kinds = dict(ep.dates)
    for start_key, end_key in ep.ranges:
        start, end = query.get(start_key), query.get(end_key)
        if start is None or end is None:
            continue
        kind = kinds.get(start_key, "date")
        windows = split_range(start, end, kind)
        if len(windows) > 1:
            return [{start_key: a, end_key: b} for a, b in windows]
    return [{}]


# -- bodies ----------------------------------------------------------------------------------


def write_body(
    model: type[Any] | None, body: Any, *, for_create: bool, whole: bool | None = None
) -> Any:
    """The JSON a write sends: models go through ``to_wire`` and the write checks (``whole``
    when the write replaces the record: a create, by default, or a PUT); plain data goes
    as it is."""
    if model is not None and issubclass(model, APIModel):
        if not isinstance(body, model | Mapping):
            raise RequestValidationError(model.__name__, f"expected {model.__name__} or dict")
        record = model.coerce(dict(body) if isinstance(body, Mapping) else body)
        wire = record.to_wire(for_create=for_create)
        check_write(record, whole=for_create if whole is None else whole)
        return derived_fields(record, wire)
    if isinstance(body, APIModel):
        return body.to_wire(for_create=for_create)
    if isinstance(body, BaseModel):
        return body.model_dump(mode="json", by_alias=True, exclude_unset=True)
    return _plain(body)


def _plain(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, datetime):
        return format_local(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        from sdkcore.money import money_to_json_number

        return money_to_json_number(value)
    if isinstance(value, APIModel):
        return value.to_wire()
    return value


def fields_body(fields: Mapping[str, Any]) -> dict[str, Any]:
    return {k: _plain(v) for k, v in fields.items()}


# -- responses ---------------------------------------------------------------------------------


class _Envelope(BaseModel, Generic[T]):
    model_config = ConfigDict(extra="ignore")
    data: T


_ADAPTERS: dict[tuple[Any, bool], tuple[TypeAdapter[Any], TypeAdapter[Any]]] = {}
_PARSERS: dict[tuple[Any, bool], Callable[[Response], Any]] = {}


def _adapters(model: Any, many: bool) -> tuple[TypeAdapter[Any], TypeAdapter[Any]]:
    key = (model, many)
    if key not in _ADAPTERS:
        inner: Any = list[model] if many else model
        _ADAPTERS[key] = (TypeAdapter(_Envelope[inner]), TypeAdapter(inner))
    return _ADAPTERS[key]


def _json_body(response: Response) -> Any:
    if not response.content.strip():
        return None
    return parse_json_body(response)


def _is_envelope(body: Any) -> bool:
    # A bare record may itself have a ``data`` field (a proposal's date): an envelope's
    # ``data`` is an object, a list, or null.
    return isinstance(body, dict) and "data" in body and not isinstance(body["data"], str)


def unwrap(body: Any) -> Any:
    """Bling wraps answers in ``{"data": ...}``; a few endpoints do not."""
    return body["data"] if _is_envelope(body) else body


def _data(response: Response) -> Data:
    return unwrap(_json_body(response))


def data_parser(model: Any, many: bool = False) -> Callable[[Response], Any]:
    """Parse ``{"data": ...}`` (or a bare body) into ``model`` / ``list[model]``; cached."""
    if model is None:
        return _data
    parser = _PARSERS.get((model, many))
    if parser is None:
        parser = _PARSERS[(model, many)] = _make_parser(model, many)
    return parser


def _make_parser(model: Any, many: bool) -> Callable[[Response], Any]:
    return parse_with(_validator(model, many))


def _validator(model: Any, many: bool) -> Callable[[bytes], Any]:
    envelope, bare = _adapters(model, many)

    def validate_json(content: bytes) -> Any:
        try:
            return envelope.validate_json(content).data
        except PydanticValidationError:
            body = loads_json(content)  # an unreadable body raises UnreadableJSON here
            if _is_envelope(body):
                raise
            return bare.validate_python(body)

    def validate_python(body: Any) -> Any:
        if _is_envelope(body):
            return envelope.validate_python(body).data
        return bare.validate_python(body)

    return exact_json(validate_json, validate_python, bare)


RecordsParser = Callable[[Response, int], tuple[list[Any], tuple[RecordParseError, ...]]]
_RECORDS: dict[Any, RecordsParser] = {}


def records_of_page(model: Any) -> RecordsParser:
    """A list page's records, a misfit one set apart as a ``RecordParseError``; cached."""
    parser = _RECORDS.get(model)
    if parser is None:
        one = json_reader(_adapters(model, False)[1])
        parser = _RECORDS[model] = records_parser(_validator(model, True), one, unwrap)
    return parser


def nothing(response: Response) -> None:
    """For operations that answer 204 (or an empty 200): the result is ``None``."""
    return parse_nothing(response)


def optional(parser: Callable[[Response], T]) -> Callable[[Response], T | None]:
    """``parser`` for a body, ``None`` for an empty answer (operations that answer either)."""

    def parse(response: Response) -> T | None:
        if not response.content.strip():
            return None
        return parser(response)

    return parse


def read_id(key: str = "id") -> Callable[[Response], int]:
    """Read ``{"data": {key: 123}}`` (or the bare object) as the ``int`` id."""

    def parse(response: Response) -> int:
        data = _data(response)
        value = data.get(key) if isinstance(data, dict) else None
        if isinstance(value, int | str) and not isinstance(value, bool):
            try:
                return int(value)
            except ValueError:
                pass
        raise ResponseParseError(
            f"the answer carries no {key}",
            status_code=response.status_code,
            method=response.request.method,
            url=redact_url(str(response.request.url)),
            body=excerpt(response.content),
        )

    return parse


def _read_created(response: Response) -> Created:
    data = _data(response)
    if isinstance(data, dict) and isinstance(data.get("id"), int | str):
        try:
            return Created(int(data["id"]), data)
        except ValueError:
            pass
    raise ResponseParseError(
        "the create succeeded but the answer carries no id",
        status_code=response.status_code,
        method=response.request.method,
        url=redact_url(str(response.request.url)),
        body=excerpt(response.content),
    )


# -- calls --------------------------------------------------------------------------------------


def _options(
    ep: Endpoint,
    ids: Sequence[int | str],
    per_call: PerCall,
    params: Mapping[str, Any] | None = None,
    body: Any = NOT_GIVEN,
) -> RequestOptions:
    return per_call.request(ep.method, ep.url(ids), params=params, json_body=body)


def fetch_call(
    ep: Endpoint,
    ids: Sequence[int | str],
    per_call: PerCall,
    query: Mapping[str, Any] | None = None,
) -> Call[Any]:
    """A GET of one record (or one list) parsed into the endpoint's model; an answer with
    none of the record's fields is a ``ResponseParseError`` (``sdkcore.client.one_record``)."""
    params = build_query(ep, query or {})
    return Call(_options(ep, ids, per_call, params), _fetch_parser(ep.model, ep.many))


_FETCH_PARSERS: dict[tuple[Any, bool], Callable[[Response], Any]] = {}


def _fetch_parser(model: Any, many: bool) -> Callable[[Response], Any]:
    parser = _FETCH_PARSERS.get((model, many))
    if parser is None:
        parser = data_parser(model, many)
        if model is not None and not many:
            parser = one_record(parser)
        _FETCH_PARSERS[(model, many)] = parser
    return parser


def create_call(
    ep: Endpoint, ids: Sequence[int | str], per_call: PerCall, body: Any
) -> Call[Created]:
    payload = write_body(ep.model, body, for_create=True)
    return Call(_options(ep, ids, per_call, body=payload), _read_created)


def write_call(
    ep: Endpoint,
    ids: Sequence[int | str],
    per_call: PerCall,
    query: Mapping[str, Any] | None = None,
    body: Any = NOT_GIVEN,
) -> Call[Any]:
    """PUT, PATCH, DELETE and sub-actions, read by the endpoint's ``result`` parser."""
    payload = (
        NOT_GIVEN
        if body is NOT_GIVEN
        else write_body(ep.model, body, for_create=False, whole=ep.method == "PUT")
    )
    params = build_query(ep, query or {})
    return Call(_options(ep, ids, per_call, params, payload), ep.result or _data)


def no_body() -> Any:
    return NOT_GIVEN


class ListPlan(Generic[M]):
    """The calls of one ``list``: ``plan(n)`` is the call for page ``n``, across date windows.

    A page fetcher for ``sdkcore.endpoints.paged``; its pager starts at ``first_page``.
    Bling gives no total: a page shorter than ``limite`` is the last of its window. When a
    date range is split, page numbers continue across windows (1, 2, 3, ...).
    """

    def __init__(
        self,
        ep: Endpoint,
        query: Mapping[str, Any],
        per_call: PerCall,
        limite: int = PAGE_SIZE,
        first_page: int = 1,
    ) -> None:
        if not 1 <= limite <= PAGE_SIZE:
            raise RequestValidationError("limite", f"must be between 1 and {PAGE_SIZE}")
        if first_page < 1:
            raise RequestValidationError("pagina", "must be 1 or more")
        self.ep = ep
        self.query = dict(query)
        self.per_call = per_call
        self.limite = limite
        self.first_page = first_page
        self.windows = date_windows(ep, self.query)
        self._starts = [first_page]  # global page number where each window starts
        self._records = records_of_page(ep.model or _ANY)

    def _locate(self, number: int) -> tuple[int, int]:
        window = 0
        for index, start in enumerate(self._starts):
            if number >= start:
                window = index
        return window, number - self._starts[window] + 1

    def __call__(self, number: int) -> Call[Page[M]]:
        window, pagina = self._locate(number)
        if window == 0:
            pagina = number
        query = {**self.query, **self.windows[window], "pagina": pagina, "limite": self.limite}
        options = _options(self.ep, (), self.per_call, build_query(self.ep, query))

        def parse(response: Response) -> Page[M]:
            items, invalid = self._records(response, number)
            following: int | None = number + 1
            if len(items) + len(invalid) < self.limite:  # a misfit counts: the page was full
                if window + 1 < len(self.windows):
                    if len(self._starts) == window + 1:
                        self._starts.append(number + 1)
                else:
                    following = None
            return Page(items, number, following, invalid=invalid)

        return Call(options, parse)


_ANY: Any = Any
