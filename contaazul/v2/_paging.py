"""The one pager of Conta Azul's lists: every list answer, whatever its envelope.

Conta Azul wraps a list page in one of these envelopes:

- ``{"itens_totais": n, "itens": [...]}`` (financial accounts, categories, sales, ...);
- ``{"itens_totais": n, "items": [...]}`` (products, contracts);
- ``{"total_itens": n, "itens": [...], "totais": {...}}`` (receivables, payables);
- ``{"items": [...], "totalItems": n}`` (people);
- ``{"itens": [...], "paginacao": {"total_itens": n, ...}}`` (services: the total nested);
- ``{"itens": [...]}`` without a total, or no envelope at all (a bare array).

Extra keys beside them (``totais``, ``quantidades``) are summaries of the whole list, not
records, and are left out. Bodies are read by ``sdkcore.bodies.json_reader``: an amount of
any length keeps every digit.

A walk asks for the largest page the operation allows (the caller passes it). A server
may answer fewer records than asked (it caps the page size), so a short page ends the walk
only when the answer gives no total; with a total, the walk goes on until it has read that
many records or a page comes back empty. The pager learns the size the server serves
from the first page of the walk, so a list of ``n`` records costs ``ceil(n / served)``
requests when the API says its total (one when the list is empty), and one more only when
it does not and ``n`` is a multiple of the size, or when the list shrinks while walked.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import cache, partial
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, TypeAdapter

from sdkcore.bodies import json_reader, loads_json
from sdkcore.client import Call, PerCall, parse_with, salvage_records
from sdkcore.endpoints import PageFetcher, Step
from sdkcore.errors import RecordParseError, ResponseParseError
from sdkcore.paging import Page, no_page
from sdkcore.transport import Response

from ._calls import list_adapter

M = TypeVar("M", bound=BaseModel)

RECORDS_KEYS = ("itens", "items")
"""Where an envelope keeps the page's records."""
TOTAL_KEYS = ("itens_totais", "total_itens", "totalItems")
"""Where an envelope says how many records the whole list has (or inside ``paginacao``)."""
NESTED_TOTAL = ("paginacao", "total_itens")
"""The services list keeps its total one level down: ``paginacao.total_itens``."""


class _Paginacao(BaseModel):
    model_config = ConfigDict(extra="ignore")

    total_itens: int | None = None


class _Envelope(BaseModel, Generic[M]):
    """Every envelope at once: the keys it lacks stay ``None``."""

    model_config = ConfigDict(extra="ignore")

    itens: list[M] | None = None
    items: list[M] | None = None
    itens_totais: int | None = None
    total_itens: int | None = None
    totalItems: int | None = None  # the people list's wire name
    paginacao: _Paginacao | None = None

    def records(self) -> list[M] | None:
        return self.itens if self.itens is not None else self.items

    def total(self) -> int | None:
        for value in (self.itens_totais, self.total_itens, self.totalItems):
            if value is not None:
                return value
        return self.paginacao.total_itens if self.paginacao is not None else None


@cache
def _envelope_adapter(model: type[M]) -> TypeAdapter[_Envelope[M]]:
    return TypeAdapter(_Envelope[model])  # type: ignore[valid-type]


def read_page(
    model: type[M], response: Response, number: int
) -> tuple[list[M], int | None, int, tuple[RecordParseError, ...]]:
    """The records of one list answer that fit ``model``, the list's total when the answer
    says it, how many records the answer held (fitting or not), and the misfits."""
    if response.content.lstrip()[:1] == b"[":
        try:
            records = parse_with(json_reader(list_adapter(model)))(response)
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
    envelope = json_reader(_envelope_adapter(model))(content)
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
        body = loads_json(response.content, exact=True)  # each record keeps its digits
    except ValueError:
        raise error from None
    raw_records, total = _raw_parts(body)
    if not isinstance(raw_records, list) or not raw_records:
        raise error from None
    fitting, misfits = salvage_records(response, raw_records, json_reader(model), number)
    if not misfits:
        raise error from None  # every record fits alone: the envelope itself is wrong
    return fitting, total, len(raw_records), misfits


def _raw_parts(body: Any) -> tuple[Any, int | None]:
    if isinstance(body, list):
        return body, None
    if not isinstance(body, dict):
        return None, None
    records = next((body[key] for key in RECORDS_KEYS if body.get(key) is not None), None)
    total = next((body[key] for key in TOTAL_KEYS if _is_count(body.get(key))), None)
    outer, inner = NESTED_TOTAL
    nested = body.get(outer)
    if total is None and isinstance(nested, dict) and _is_count(nested.get(inner)):
        total = nested[inner]
    return records, total


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def next_page_number(
    number: int, page_size: int, received: int, total: int | None, served: int | None = None
) -> int | None:
    """The page after ``number``, or ``None`` when ``number`` was the last one.

    ``received`` counts every record of the page, those that did not fit the model too:
    a misfit still took its place in the page. ``served`` is how many records the server
    puts in a page of this list, when the walk has learnt it (it may serve fewer than
    ``page_size``, the size asked).

    An empty page is the end. Without a total, so is a short page. With one, the walk
    ends once the records up to this page reach it: counted at ``served`` a page, else at
    ``page_size`` after a full page, else at ``received`` (a short page may be the
    server's cap, and counting it as such never skips a record: at worst one more page
    is asked for, and comes back empty).
    """
    if received == 0:
        return None
    if total is None:
        return None if received < page_size else number + 1
    if served is None:
        served = page_size if received >= page_size else received
    read_so_far = (number - 1) * served + received
    return None if read_so_far >= total else number + 1


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
        self.served: int | None = None
        """How many records the server puts in a page, once a page of the walk told."""

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
        following = next_page_number(number, page_size, received, total, self.served)
        if self.served is None and following is not None:
            # A page with more to come is a whole page of the server's size: full, or
            # cut to the server's cap. The pages after it are counted at that size.
            self.served = received
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
