"""One builder per endpoint serves the sync and the async client alike."""

from __future__ import annotations

import asyncio
import inspect
import json
from typing import Any

import httpx
import pytest

from sdkcore import AsyncAPIClient, Call, Page, RequestOptions, SyncAPIClient
from sdkcore.client import BaseAPIClient, Resource, parse_with
from sdkcore.endpoints import Flow, PageFetcher, endpoint, paged, run_sync
from sdkcore.paging import AsyncPager, SyncPager

ITEMS = list(range(7))


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/items":
        page = int(request.url.params["page"])
        chunk = ITEMS[(page - 1) * 3 : page * 3]
        return httpx.Response(200, json={"items": chunk, "more": page * 3 < len(ITEMS)})
    if request.url.path == "/echo":
        return httpx.Response(200, json=json.loads(request.content or b"null"))
    return httpx.Response(404)


def _json(response: httpx.Response) -> Any:
    return response.json()


class Things(Resource[Any]):
    @endpoint
    def echo(self, value: int, *, twice: bool = False) -> Call[int]:
        """Send a value and get it back."""
        body = value * 2 if twice else value
        return Call(RequestOptions("POST", "/echo", json_body=body), _json)

    @endpoint
    def echo_sum(self, a: int, b: int) -> Flow[int]:
        """Two requests in sequence: a flow."""
        first = yield Call(RequestOptions("POST", "/echo", json_body=a), _json)
        second = yield Call(RequestOptions("POST", "/echo", json_body=b), _json)
        return int(first) + int(second)

    @paged
    def items(self, /, *, size: int = 3) -> PageFetcher[int]:
        def fetch(number: int) -> Call[Page[int]]:
            def parse(response: httpx.Response) -> Page[int]:
                data = response.json()
                return Page(data["items"], number, number + 1 if data["more"] else None)

            options = RequestOptions("GET", "/items", params={"page": number, "size": size})
            return Call(options, parse)

        return fetch


class Sync(SyncAPIClient):
    default_base_url = "https://api.example.com"


class Async(AsyncAPIClient):
    default_base_url = "https://api.example.com"


def make(kind: str) -> BaseAPIClient:
    cls = Async if kind == "async" else Sync
    return cls(transport=httpx.MockTransport(handler), rate_limiter=False)


def test_sync_binding_returns_results() -> None:
    things = Things(make("sync"))
    assert things.echo(4) == 4
    assert things.echo(4, twice=True) == 8
    assert things.echo_sum(2, 3) == 5
    pager = things.items()
    assert isinstance(pager, SyncPager)
    assert list(pager) == ITEMS
    assert [p.number for p in pager.pages(start=2)] == [2, 3]


def test_async_binding_returns_coroutines_and_async_pagers() -> None:
    things = Things(make("async"))
    assert inspect.iscoroutinefunction(things.echo)

    async def scenario() -> tuple[int, int, list[int], list[int]]:
        pager = things.items()
        assert isinstance(pager, AsyncPager)
        resumed = [p.number async for p in pager.pages(start=3)]
        return await things.echo(5), await things.echo_sum(1, 1), await pager.to_list(), resumed

    assert asyncio.run(scenario()) == (5, 2, ITEMS, [3])


def test_signatures_hide_self_and_match() -> None:
    sync, async_ = Things(make("sync")), Things(make("async"))
    for name in ("echo", "echo_sum", "items"):
        assert inspect.signature(getattr(sync, name)) == inspect.signature(getattr(async_, name))
        assert "self" not in inspect.signature(getattr(sync, name)).parameters
    assert sync.echo.__doc__ == "Send a value and get it back."
    assert isinstance(Things.echo, endpoint)


def test_bound_methods_are_cached_per_resource() -> None:
    things = Things(make("sync"))
    assert things.echo is things.echo
    assert Things(make("sync")).echo is not things.echo


def test_nothing_is_sent_until_a_pager_is_iterated() -> None:
    calls: list[httpx.Request] = []

    def counting(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        return handler(request)

    things = Things(Sync(transport=httpx.MockTransport(counting), rate_limiter=False))
    pager = things.items()
    assert calls == []
    assert pager.first() == 0
    assert len(calls) == 1


def test_run_sync_with_a_flow_that_sends_nothing() -> None:
    def nothing() -> Flow[str]:
        yield from ()
        return "done"

    assert run_sync(Sync(rate_limiter=False), nothing()) == "done"


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_parse_errors_surface_from_either_binding(kind: str) -> None:
    from sdkcore import ResponseParseError

    def bad(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"<html>")

    cls = Async if kind == "async" else Sync
    client = cls(transport=httpx.MockTransport(bad), rate_limiter=False)

    class Broken(Resource[Any]):
        @endpoint
        def get(self) -> Call[dict[str, Any]]:
            return Call(RequestOptions("GET", "/x"), parse_with(json.loads))

    method = Broken(client).get

    def call() -> object:
        result = method()
        return asyncio.run(result) if kind == "async" else result

    with pytest.raises(ResponseParseError, match="HTML"):
        call()
