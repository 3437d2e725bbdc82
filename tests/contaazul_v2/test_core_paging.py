"""The one envelope pager: every list shape, the stopping rules, resuming, misfits."""

from __future__ import annotations

import asyncio
import math
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

import httpx
import pytest
from hypothesis import given, settings, strategies as st

from contaazul.v2._paging import envelope_pages, next_page_number
from sdkcore import AsyncAPIClient, RecordParseError, ResponseParseError, SyncAPIClient
from sdkcore.client import BaseAPIClient, PerCall, Resource
from sdkcore.endpoints import PageFetcher, paged
from sdkcore.models import APIModel, Money

BASE = "https://api-v2.contaazul.com"

Body = Callable[[list[dict[str, Any]], int], Any]

SHAPES: dict[str, Body] = {
    "itens_totais+itens": lambda page, total: {"itens_totais": total, "itens": page},
    "itens_totais+items": lambda page, total: {"itens_totais": total, "items": page},
    "total_itens+itens": lambda page, total: {"total_itens": total, "itens": page, "totais": {}},
    "totalItems+items": lambda page, total: {"items": page, "totalItems": total},
    "bare array": lambda page, total: page,
}
COUNTED = {name for name in SHAPES if name != "bare array"}


C = TypeVar("C", bound=BaseAPIClient)


class Lancamento(APIModel):
    id: str
    valor: Money


class Lancamentos(Resource[C]):
    page_size = 3

    @paged
    def list(self, *, busca: str | None = None) -> PageFetcher[Lancamento]:
        params = {"busca": busca}
        return envelope_pages(
            Lancamento, "/v1/lancamentos", PerCall(), params, page_size=self.page_size
        )

    @paged
    def list_whole(self) -> PageFetcher[Lancamento]:
        return envelope_pages(Lancamento, "/v1/lancamentos", PerCall(), {}, page_size=None)


def records(count: int) -> list[dict[str, Any]]:
    return [{"id": f"id-{n}", "valor": 10 + n / 100} for n in range(count)]


class Server:
    """Answers ``/v1/lancamentos`` from ``rows`` in one envelope shape, paging as asked."""

    def __init__(self, rows: list[dict[str, Any]], shape: Body) -> None:
        self.rows = rows
        self.shape = shape
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        query = request.url.params
        if "pagina" not in query:
            return httpx.Response(200, json=self.shape(self.rows, len(self.rows)))
        number, size = int(query["pagina"]), int(query["tamanho_pagina"])
        page = self.rows[(number - 1) * size : number * size]
        return httpx.Response(200, json=self.shape(page, len(self.rows)))

    def pages_asked(self) -> list[int]:
        return [int(r.url.params["pagina"]) for r in self.requests]


def sync_resource(server: Server, page_size: int = 3) -> Lancamentos[SyncAPIClient]:
    client = SyncAPIClient(base_url=BASE, transport=httpx.MockTransport(server))
    resource = Lancamentos(client)
    resource.page_size = page_size
    return resource


def async_resource(server: Server, page_size: int = 3) -> Lancamentos[AsyncAPIClient]:
    client = AsyncAPIClient(base_url=BASE, transport=httpx.MockTransport(server))
    resource = Lancamentos(client)
    resource.page_size = page_size
    return resource


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_reads_every_record(shape: str) -> None:
    server = Server(records(7), SHAPES[shape])
    listed = list(sync_resource(server).list(busca="x"))
    assert [r.id for r in listed] == [f"id-{n}" for n in range(7)]
    assert listed[1].valor == Decimal("10.01")
    assert server.pages_asked() == [1, 2, 3]
    first = server.requests[0].url.params
    assert (first["busca"], first["tamanho_pagina"]) == ("x", "3")


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_every_shape_reads_every_record_async(shape: str) -> None:
    server = Server(records(7), SHAPES[shape])
    listed = asyncio.run(async_resource(server).list().to_list())
    assert [r.id for r in listed] == [f"id-{n}" for n in range(7)]
    assert server.pages_asked() == [1, 2, 3]


def test_the_total_stops_an_exact_multiple_without_an_empty_page() -> None:
    server = Server(records(6), SHAPES["itens_totais+itens"])
    pages = list(sync_resource(server).list().pages())
    assert [(p.number, len(p), p.total, p.next_page) for p in pages] == [
        (1, 3, 6, 2),
        (2, 3, 6, None),
    ]


def test_without_a_total_an_exact_multiple_ends_on_an_empty_page() -> None:
    server = Server(records(6), SHAPES["bare array"])
    pages = list(sync_resource(server).list().pages())
    assert [len(p) for p in pages] == [3, 3, 0]
    assert pages[0].total is None


def test_a_short_page_short_of_the_total_asks_for_the_next() -> None:
    # A short page of a counted list may be a page the server cut, or the end of a list
    # that shrank between two pages: the walk asks on, and the empty page ends it.
    def shrinking(page: list[dict[str, Any]], total: int) -> Any:
        return {"itens_totais": 100, "itens": page}

    server = Server(records(4), shrinking)
    assert [len(p) for p in sync_resource(server).list().pages()] == [3, 1, 0]
    assert server.pages_asked() == [1, 2, 3]


class CappedServer(Server):
    """A server that serves at most ``cap`` records a page, whatever the size asked."""

    def __init__(self, rows: list[dict[str, Any]], shape: Body, cap: int) -> None:
        super().__init__(rows, shape)
        self.cap = cap

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = int(request.url.params["pagina"])
        size = min(int(request.url.params["tamanho_pagina"]), self.cap)
        page = self.rows[(number - 1) * size : number * size]
        return httpx.Response(200, json=self.shape(page, len(self.rows)))


@pytest.mark.parametrize("shape", sorted(COUNTED))
def test_a_server_that_caps_the_page_size_loses_no_record(shape: str) -> None:
    server = CappedServer(records(250), SHAPES[shape], cap=100)
    listed = list(sync_resource(server, page_size=1000).list())
    assert [r.id for r in listed] == [f"id-{n}" for n in range(250)]
    assert server.pages_asked() == [1, 2, 3]  # the cap is learnt from the first page


def test_a_server_that_caps_the_page_size_loses_no_record_async() -> None:
    server = CappedServer(records(250), SHAPES["itens_totais+itens"], cap=100)
    listed = asyncio.run(async_resource(server, page_size=1000).list().to_list())
    assert len(listed) == 250
    assert server.pages_asked() == [1, 2, 3]


def test_a_capped_walk_resumed_midway_still_reads_to_the_end() -> None:
    server = CappedServer(records(250), SHAPES["total_itens+itens"], cap=100)
    pages = list(sync_resource(server, page_size=1000).list().pages(start=2))
    assert [r.id for p in pages for r in p] == [f"id-{n}" for n in range(100, 250)]


def test_the_services_total_is_read_inside_paginacao() -> None:
    def nested(page: list[dict[str, Any]], total: int) -> Any:
        return {"itens": page, "paginacao": {"pagina_atual": 1, "total_itens": total}}

    server = CappedServer(records(25), nested, cap=10)
    pages = list(sync_resource(server, page_size=100).list().pages())
    assert [(len(p), p.total) for p in pages] == [(10, 25), (10, 25), (5, 25)]
    assert server.pages_asked() == [1, 2, 3]


def test_a_misfit_in_a_nested_total_page_keeps_the_total() -> None:
    rows = records(3)
    rows[0]["valor"] = "not money"

    def nested(page: list[dict[str, Any]], total: int) -> Any:
        return {"itens": page, "paginacao": {"total_itens": total}}

    page = next(sync_resource(Server(rows, nested)).list().pages())
    assert (len(page), len(page.invalid), page.total) == (2, 1, 3)


def test_pages_resume_from_any_page() -> None:
    server = Server(records(8), SHAPES["total_itens+itens"])
    pages = list(sync_resource(server).list().pages(start=2))
    assert [p.number for p in pages] == [2, 3]
    assert [r.id for p in pages for r in p] == [f"id-{n}" for n in range(3, 8)]
    assert server.pages_asked() == [2, 3]


def test_an_empty_list_costs_one_call() -> None:
    server = Server([], SHAPES["itens_totais+items"])
    assert list(sync_resource(server).list()) == []
    assert server.pages_asked() == [1]


def test_an_empty_envelope_may_leave_out_its_records() -> None:
    server = Server([], lambda page, total: {"itens_totais": 0})
    assert list(sync_resource(server).list()) == []


def test_an_answer_that_is_not_a_list_is_a_parse_error() -> None:
    server = Server(records(2), lambda page, total: {"mensagem": "ok"})
    with pytest.raises(ResponseParseError, match="not a list: it has no itens or items"):
        list(sync_resource(server).list())


def test_a_misfit_record_goes_to_invalid_and_the_others_are_kept() -> None:
    rows = records(4)
    rows[1]["valor"] = "not money"
    server = Server(rows, SHAPES["itens_totais+itens"])
    page = next(sync_resource(server).list().pages())
    assert [r.id for r in page] == ["id-0", "id-2"]
    assert [(e.index, e.record_id) for e in page.invalid] == [(1, "id-1")]
    # A misfit still counts toward the page's size: the walk goes on to page 2.
    assert page.next_page == 2


def test_iterating_raises_a_misfit_after_the_records_that_fit() -> None:
    rows = records(2)
    rows[0]["valor"] = {"oops": 1}
    server = Server(rows, SHAPES["bare array"])
    walk = iter(sync_resource(server).list())
    assert next(walk).id == "id-1"
    with pytest.raises(RecordParseError):
        next(walk)
    skipped: list[RecordParseError] = []
    kept = list(sync_resource(server).list().items(on_invalid=skipped.append))
    assert [r.id for r in kept] == ["id-1"]
    assert len(skipped) == 1


def test_a_broken_envelope_is_not_blamed_on_a_record() -> None:
    server = Server(records(2), lambda page, total: {"itens_totais": "many", "itens": page})
    with pytest.raises(ResponseParseError) as caught:
        list(sync_resource(server).list())
    assert not isinstance(caught.value, RecordParseError)


def test_a_whole_list_is_one_request_without_paging_parameters() -> None:
    server = Server(records(5), lambda page, total: {"itens": page})
    resource = sync_resource(server)
    pages = list(resource.list_whole().pages())
    assert [(len(p), p.total, p.next_page) for p in pages] == [(5, 5, None)]
    assert "pagina" not in server.requests[0].url.params
    past_the_end = list(resource.list_whole().pages(start=2))
    assert [(p.number, len(p), p.next_page) for p in past_the_end] == [(2, 0, None)]
    assert len(server.requests) == 1  # a page past a whole list is never asked for


def fewest_calls(count: int, size: int, counted: bool) -> int:
    """The fewest requests that can prove a list of ``count`` records is whole."""
    if counted:
        return max(1, math.ceil(count / size))
    return count // size + 1


@settings(max_examples=150, deadline=None)
@given(
    count=st.integers(min_value=0, max_value=40),
    size=st.integers(min_value=1, max_value=12),
    shape=st.sampled_from(sorted(SHAPES)),
)
def test_any_list_reads_back_whole_in_the_fewest_calls(count: int, size: int, shape: str) -> None:
    server = Server(records(count), SHAPES[shape])
    listed = list(sync_resource(server, page_size=size).list())
    assert [(r.id, r.valor) for r in listed] == [
        (r["id"], Decimal(str(r["valor"]))) for r in records(count)
    ]
    assert len(server.requests) == fewest_calls(count, size, shape in COUNTED)


@given(
    number=st.integers(min_value=1, max_value=50),
    size=st.integers(min_value=1, max_value=50),
    received=st.integers(min_value=0, max_value=50),
    total=st.none() | st.integers(min_value=0, max_value=5000),
)
def test_next_page_until_empty_or_the_total_or_a_short_page_of_an_uncounted_list(
    number: int, size: int, received: int, total: int | None
) -> None:
    received = min(received, size)
    following = next_page_number(number, size, received, total)
    assert following in (None, number + 1)
    if received == 0:
        assert following is None
    elif total is None:
        assert (following == number + 1) == (received == size)
    else:
        # A full page counts the pages before it as full; a short one may be the server's
        # cap, so the pages before it count at its size: the walk never stops short.
        read_so_far = number * received
        assert (following == number + 1) == (read_so_far < total)
