"""Lazy iterators that fetch pages as they are consumed.

A record that does not fit its model never hides the others: its page keeps the records
that fit and lists the misfit in ``Page.invalid``. Iterating a pager yields every record
that fits a page and then raises that page's first ``RecordParseError``, so nothing is
skipped unseen; ``pager.items(on_invalid=...)`` hands each misfit to a callback instead
and goes on.

On ``client.with_raw_response``, ``list()`` returns a raw pager instead: it walks the same
pages, each as the ``APIResponse`` it came in.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterator
from typing import TYPE_CHECKING, Any, Generic, Never, TypeVar

import attrs

from .errors import RecordParseError

if TYPE_CHECKING:
    from .client import APIResponse

T = TypeVar("T")
P = TypeVar("P")

OnInvalid = Callable[[RecordParseError], object]


@attrs.frozen
class Page(Generic[T]):
    """One page of results; ``next_page`` is None on the last one.

    ``invalid`` lists the records of the page that did not fit the model (``items`` holds
    the others, in order).
    """

    items: list[T]
    number: int
    next_page: int | None = None
    total: int | None = None
    invalid: tuple[RecordParseError, ...] = ()

    def check(self, on_invalid: OnInvalid | None = None) -> None:
        """Raise the first misfit record, or hand each to ``on_invalid``."""
        if not self.invalid:
            return
        if on_invalid is None:
            raise self.invalid[0]
        for error in self.invalid:
            on_invalid(error)

    def __iter__(self) -> Iterator[T]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


def no_page(number: int, total: int | None = None) -> Generator[Never, Any, Page[Any]]:
    """Page ``number`` of a list the API answers all at once, past its only page: empty, and
    sent nowhere (a flow of requests that returns before asking for one).

    ``total`` is what the empty page reports as the list's size.
    """
    yield from ()
    return Page([], number=number, next_page=None, total=total)


def _walk(
    fetch: Callable[[int], P | None], number: int | None, page_of: Callable[[P], Page[Any]]
) -> Iterator[P]:
    """Fetch from page ``number`` on, following ``next_page``; a fetch that answers ``None``
    (no request sent, so nothing to show) ends the walk."""
    while number is not None:
        fetched = fetch(number)
        if fetched is None:
            return
        yield fetched
        number = page_of(fetched).next_page


async def _walk_async(
    fetch: Callable[[int], Awaitable[P | None]],
    number: int | None,
    page_of: Callable[[P], Page[Any]],
) -> AsyncIterator[P]:
    """The async twin of ``_walk``."""
    while number is not None:
        fetched = await fetch(number)
        if fetched is None:
            return
        yield fetched
        number = page_of(fetched).next_page


def _itself(page: Page[Any]) -> Page[Any]:
    return page


def _parsed(raw: APIResponse[Page[Any]]) -> Page[Any]:
    return raw.parsed


class SyncPager(Generic[T]):
    """Iterate items across pages; ``.pages(start=n)`` walks pages, resuming anywhere.

    Nothing is fetched until iteration starts, and each page is fetched only when needed.
    """

    def __init__(self, fetch_page: Callable[[int], Page[T]], first_page: int = 1) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page

    def pages(self, start: int | None = None) -> Iterator[Page[T]]:
        yield from _walk(self._fetch_page, self._first_page if start is None else start, _itself)

    def __iter__(self) -> Iterator[T]:
        yield from self.items()

    def items(self, on_invalid: OnInvalid | None = None) -> Iterator[T]:
        """Every record that fits, across pages; a misfit raises after the ones that fit
        on its page, or goes to ``on_invalid`` when one is given."""
        for page in self.pages():
            yield from page.items
            page.check(on_invalid)

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
        number = self._first_page if start is None else start
        async for page in _walk_async(self._fetch_page, number, _itself):
            yield page

    async def __aiter__(self) -> AsyncIterator[T]:
        async for item in self.items():
            yield item

    async def items(self, on_invalid: OnInvalid | None = None) -> AsyncIterator[T]:
        """The async twin of ``SyncPager.items``."""
        async for page in self.pages():
            for item in page.items:
                yield item
            page.check(on_invalid)

    async def first(self) -> T | None:
        async for item in self:
            return item
        return None

    async def to_list(self) -> list[T]:
        return [item async for item in self]


class SyncRawPager(Generic[T]):
    """``list()`` on ``client.with_raw_response``: the list's pages, each as the
    ``APIResponse`` it came in (status, headers, request id; ``.parsed`` is the ``Page``).

    Iterating walks the pages from the first; ``.pages(start=n)`` resumes at page ``n``.
    A page known to be empty without asking (past a list the API answers all at once) is
    never requested, so it has no response: the walk ends before it.
    """

    def __init__(
        self,
        fetch_page: Callable[[int], APIResponse[Page[T]] | None],
        first_page: int = 1,
    ) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page

    def pages(self, start: int | None = None) -> Iterator[APIResponse[Page[T]]]:
        yield from _walk(self._fetch_page, self._first_page if start is None else start, _parsed)

    def __iter__(self) -> Iterator[APIResponse[Page[T]]]:
        yield from self.pages()


class AsyncRawPager(Generic[T]):
    """The async twin of ``SyncRawPager``: ``async for raw in pager`` and ``pager.pages()``."""

    def __init__(
        self,
        fetch_page: Callable[[int], Awaitable[APIResponse[Page[T]] | None]],
        first_page: int = 1,
    ) -> None:
        self._fetch_page = fetch_page
        self._first_page = first_page

    async def pages(self, start: int | None = None) -> AsyncIterator[APIResponse[Page[T]]]:
        number = self._first_page if start is None else start
        async for raw in _walk_async(self._fetch_page, number, _parsed):
            yield raw

    async def __aiter__(self) -> AsyncIterator[APIResponse[Page[T]]]:
        async for raw in self.pages():
            yield raw
