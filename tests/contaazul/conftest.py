from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from contaazul import AsyncContaAzul, ContaAzul
from sdkcore.clock import FakeClock

APP = "app-0000013e-6ac3-bf2b-0000-00569b9a1af2"
COMPANY = "co-0000013e-6ba7-7797-0000-00470355d8b2"
BASE = "https://api.contaazul.com.br"


class Runner:
    """Runs the same scenario on the sync or the async client: ``run(client.x.y(...))``."""

    def __init__(self, client: Any, is_async: bool) -> None:
        self.client = client
        self.is_async = is_async

    def __call__(self, value: Any) -> Any:
        if self.is_async:
            return asyncio.run(_await(value))
        return value

    def items(self, pager: Any) -> list[Any]:
        if self.is_async:
            return asyncio.run(pager.to_list())  # type: ignore[no-any-return]
        return list(pager)


async def _await(value: Coroutine[Any, Any, Any]) -> Any:
    return await value


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest, clock: FakeClock) -> Callable[..., Runner]:
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        cls = AsyncContaAzul if is_async else ContaAzul
        return Runner(cls(application_token=APP, company_token=COMPANY, **kwargs), is_async)

    return make
