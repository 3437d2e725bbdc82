"""Runs one test scenario on a sync or an async client, so each test is written once."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import Any


async def _await(value: Coroutine[Any, Any, Any]) -> Any:
    return await value


class Runner:
    """``run(client.x.y(...))`` answers on either client: the sync one returns the result,
    the async one's coroutine is run to completion."""

    def __init__(self, client: Any, is_async: bool) -> None:
        self.client = client
        self.is_async = is_async

    def __call__(self, value: Any) -> Any:
        if self.is_async:
            return asyncio.run(_await(value))
        return value

    def items(self, pager: Any) -> list[Any]:
        if self.is_async:
            return asyncio.run(pager.to_list())  # type: ignore[no-any-return,unused-ignore]
        return list(pager)

    def pages(self, pager: Any, start: int | None = None) -> list[Any]:
        if self.is_async:

            async def collect() -> list[Any]:
                return [p async for p in pager.pages(start=start)]

            return asyncio.run(collect())
        return list(pager.pages(start=start))

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        return self(self.client.request(method, path, **kwargs))

    def send(self, call: Any, client: Any = None) -> Any:
        return self((client or self.client).send(call))

    def close(self, client: Any = None) -> None:
        self((client or self.client).close())
