"""Lazy iterators that fetch pages as they are consumed."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Generic, TypeVar

import attrs

T = TypeVar("T")


@attrs.frozen
class Page(Generic[T]):
    """One page of results; ``next_page`` is None on the last one."""

    items: list[T]
    number: int
    next_page: int | None = None
    total: int | None = None

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class SyncPager(Generic[T]):
    """Iterate items across pages; ``.pages(start=n)`` walks pages, resuming anywhere.

    Nothing is fetched until iteration starts, and each page is fetched only when needed.
    """

    def __init__(self, fetch_page: Callable[[int], Page[T]], first_page: int = 1) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page

    def pages(self, start: int | None = None) -> Iterator[Page[T]]:
        number: int | None = self._first_page if start is None else start
        while number is not None:
            page = self._fetch_page(number)
            yield page
            number = page.next_page

    def __iter__(self) -> Iterator[T]:
        for page in self.pages():
            yield from page.items

    def first(self) -> T | None:
        return next(iter(self), None)

    def to_list(self) -> list[T]:
        return list(self)


class AsyncPager(Generic[T]):
    """The async twin of ``SyncPager``: ``async for item in pager`` and ``pager.pages()``."""

    def __init__(
        self, fetch_page: Callable[[int], Awaitable[Page[T]]], first_page: int = 1
    ) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page

    async def pages(self, start: int | None = None) -> AsyncIterator[Page[T]]:
        number: int | None = self._first_page if start is None else start
        while number is not None:
            page = await self._fetch_page(number)
            yield page
            number = page.next_page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for page in self.pages():
            for item in page.items:
                yield item

    async def first(self) -> T | None:
        async for item in self:
            return item
        return None

    async def to_list(self) -> list[T]:
        return [item async for item in self]
