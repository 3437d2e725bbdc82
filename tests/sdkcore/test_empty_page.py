"""The empty-page rule: past the only page of a list answered at once, a page is empty and
sent nowhere. One function in ``sdkcore.paging``, used by Conta Azul and Auvo."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from sdkcore import Page
from sdkcore.endpoints import run_async, run_sync
from sdkcore.paging import no_page


class NoSending:
    """A client that fails the test if anything is sent."""

    def send(self, call: Any) -> Any:
        raise AssertionError(f"sent {call!r}")


def test_no_page_returns_before_asking_for_any_call() -> None:
    flow = no_page(3)
    with pytest.raises(StopIteration) as done:
        next(flow)
    assert done.value.value == Page([], number=3, next_page=None, total=None)


def test_no_page_reports_the_total_it_is_given() -> None:
    assert run_sync(NoSending(), no_page(2, total=0)) == Page([], 2, None, 0)  # type: ignore[arg-type]


def test_no_page_runs_on_an_async_client_without_sending() -> None:
    class NoAsyncSending:
        async def send(self, call: Any) -> Any:
            raise AssertionError(f"sent {call!r}")

    page = asyncio.run(run_async(NoAsyncSending(), no_page(5)))  # type: ignore[arg-type]
    assert page == Page([], 5, None, None)


def _refusing_transport(sent: list[httpx.Request]) -> httpx.MockTransport:
    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(500)

    return httpx.MockTransport(handler)


def test_contaazul_lists_answer_page_two_empty_without_a_request() -> None:
    from contaazul import ContaAzul

    sent: list[httpx.Request] = []
    client = ContaAzul(
        "app-token-0123456789", "company-token-0123456789", transport=_refusing_transport(sent)
    )
    with client:
        pages = list(client.customers.list().pages(start=2))
    assert pages == [Page([], 2, None, 0)]
    assert sent == []


def test_auvo_single_page_lists_answer_page_two_empty_without_a_request() -> None:
    from auvo import Auvo

    sent: list[httpx.Request] = []
    client = Auvo(
        "key-0123456789abcdef", "tok-0123456789abcdef", transport=_refusing_transport(sent)
    )
    with client:
        pages = list(client.customer_groups.list().pages(start=2))
    assert pages == [Page([], 2, None, None)]
    assert sent == []  # not even the login
