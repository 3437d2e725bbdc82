"""The one pager of Conta Azul's lists: every list answer, whatever its envelope.

Conta Azul wraps a list page in one of several envelopes: ``{itens_totais, itens}``,
``{itens_totais, items}``, ``{total_itens, itens}``, ``{totalItems, items}`` (people),
``{itens}`` alone, or none at all (a bare array). Extra keys beside them (``totais``,
``quantidades``) are summaries of the whole list, not records, and are left out.

A walk asks for the largest page the operation allows (the caller passes it) and stops on
the first page that reaches the total, comes back short or comes back empty, so a list of
``n`` records costs ``ceil(n / size)`` requests when the API says its total (one when the
list is empty) and one more only when it does not and ``n`` is a multiple of the size.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, partial
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from sdkcore.bodies import loads_json
from sdkcore.client import Call, PerCall, parse_with, salvage_records
from sdkcore.endpoints import PageFetcher, Step
from sdkcore.errors import RecordParseError, ResponseParseError
from sdkcore.paging import Page, no_page
from sdkcore.transport import Response

M = TypeVar("M", bound=BaseModel)

RECORDS_KEYS = ("itens", "items")
"""Where an envelope keeps the page's records."""
TOTAL_KEYS = ("itens_totais", "total_itens", "totalItems")
"""Where an envelope says how many records the whole list has."""


class _Envelope(BaseModel, Generic[M]):
    """Every envelope at once: the keys it lacks stay ``None``."""

    model_config = ConfigDict(extra="ignore")

    itens: list[M] | None = None
    items: list[M] | None = None
    itens_totais: int | None = None
    total_itens: int | None = None
    totalItems: int | None = None  # the people list's wire name

    def records(self) -> list[M] | None:
        return self.itens if self.itens is not None else self.items

    def total(self) -> int | None:
        for value in (self.itens_totais, self.total_itens, self.totalItems):
            if value is not None:
                return value
        return None


@cache
def _envelope_adapter(model: type[M]) -> TypeAdapter[_Envelope[M]]:
    return TypeAdapter(_Envelope[model])  # type: ignore[valid-type]


@cache
def _array_adapter(model: type[M]) -> TypeAdapter[list[M]]:
    return TypeAdapter(list[model])  # type: ignore[valid-type]


def read_page(
    model: type[M], response: Response, number: int
) -> tuple[list[M], int | None, int, tuple[RecordParseError, ...]]:
    """The records of one list answer that fit ``model``, the list's total when the answer
    says it, how many records the answer held (fitting or not), and the misfits."""
    if response.content.lstrip()[:1] == b"[":
        parse_array = parse_with(_array_adapter(model).validate_json)
        try:
            records = parse_array(response)
        except ResponseParseError as error:
            return _salvaged(model, response, number, error)
        return records, None, len(records), ()
    try:
        envelope = parse_with(partial(_read_envelope, model))(response)
    except ResponseParseError as error:
        return _salvaged(model, response, number, error)
    records = envelope.records() or []
    return records, envelope.total(), len(records), ()


def _read_envelope(model: type[M], content: bytes) -> _Envelope[M]:
    envelope = _envelope_adapter(model).validate_json(content)
    # An empty list may come without its records key, but only with a total of zero.
    if envelope.records() is None and envelope.total() != 0:
        raise ValueError(f"the answer is not a list: it has no {' or '.join(RECORDS_KEYS)}")
    return envelope


def _salvaged(
    model: type[M], response: Response, number: int, error: ResponseParseError
) -> tuple[list[M], int | None, int, tuple[RecordParseError, ...]]:
    """After the page failed as a whole: read its records one by one, or raise ``error``
    when what failed is not a record."""
    try:
        body = loads_json(response.content)
    except ValueError:
        raise error from None
    raw_records, total = _raw_parts(body)
    if not isinstance(raw_records, list) or not raw_records:
        raise error from None
    fitting, misfits = salvage_records(response, raw_records, model.model_validate_json, number)
    if not misfits:
        raise error from None  # every record fits alone: the envelope itself is wrong
    return fitting, total, len(raw_records), misfits


def _raw_parts(body: Any) -> tuple[Any, int | None]:
    if isinstance(body, list):
        return body, None
    if not isinstance(body, dict):
        return None, None
    records = next((body[key] for key in RECORDS_KEYS if body.get(key) is not None), None)
    total = next((body[key] for key in TOTAL_KEYS if isinstance(body.get(key), int)), None)
    return records, total


def next_page_number(number: int, page_size: int, received: int, total: int | None) -> int | None:
    """The page after ``number``, or ``None`` when ``number`` was the last one.

    ``received`` counts every record of the page, those that did not fit the model too:
    a misfit still took its place in the page.
    """
    if received == 0 or received < page_size:
        return None
    if total is not None and (number - 1) * page_size + received >= total:
        return None
    return number + 1


class EnvelopePages(Generic[M]):
    """The step that fetches page ``n`` of one list (a ``PageFetcher`` for ``@paged``)."""

    first_page = 1

    def __init__(
        self,
        model: type[M],
        path: str,
        per_call: PerCall,
        params: Mapping[str, Any],
        *,
        page_size: int | None,
        page_param: str,
        size_param: str,
    ) -> None:
        self.model = model
        self.path = path
        self.per_call = per_call
        self.params = dict(params)
        self.page_size = page_size
        self.page_param = page_param
        self.size_param = size_param

    def __call__(self, number: int) -> Step[Page[M]]:
        if self.page_size is None:
            if number > self.first_page:
                return no_page(number)  # the list came whole on its first page
            options = self.per_call.request("GET", self.path, params=self.params)
            return Call(options, partial(self._parse_whole, number))
        query = {**self.params, self.page_param: number, self.size_param: self.page_size}
        options = self.per_call.request("GET", self.path, params=query)
        return Call(options, partial(self._parse_page, number, self.page_size))

    def _parse_page(self, number: int, page_size: int, response: Response) -> Page[M]:
        records, total, received, misfits = read_page(self.model, response, number)
        following = next_page_number(number, page_size, received, total)
        return Page(records, number=number, next_page=following, total=total, invalid=misfits)

    def _parse_whole(self, number: int, response: Response) -> Page[M]:
        records, total, received, misfits = read_page(self.model, response, number)
        return Page(
            records,
            number=number,
            total=total if total is not None else received,
            invalid=misfits,
        )


def envelope_pages(
    model: type[M],
    path: str,
    per_call: PerCall,
    params: Mapping[str, Any],
    *,
    page_size: int | None,
    page_param: str = "pagina",
    size_param: str = "tamanho_pagina",
) -> PageFetcher[M]:
    """The pages of the list at ``path``, read into ``model``: what a ``@paged`` list
    method returns.

    ``page_size`` is the largest page the operation allows (its ``tamanho_pagina``
    maximum); ``None`` for a list the API answers whole, without paging parameters.
    ``params`` are the list's filters (``None`` values are not sent).
    """
    fetcher: Callable[[int], Step[Page[M]]] = EnvelopePages(
        model,
        path,
        per_call,
        params,
        page_size=page_size,
        page_param=page_param,
        size_param=size_param,
    )
    return fetcher
