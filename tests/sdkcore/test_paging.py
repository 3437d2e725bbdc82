"""Lazy auto-paging, sync and async."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from hypothesis import given, strategies as st

from sdkcore import AsyncPager, Page, RecordParseError, SyncPager


class Book:
    """Pages of consecutive integers, recording which pages were fetched."""

    def __init__(self, sizes: list[int], first: int = 1) -> None:
        self.pages: list[list[int]] = []
        self.first = first
        start = 0
        for size in sizes:
            self.pages.append(list(range(start, start + size)))
            start += size
        self.fetched: list[int] = []

    @property
    def items(self) -> list[int]:
        return [item for page in self.pages for item in page]

    def fetch(self, number: int) -> Page[int]:
        self.fetched.append(number)
        index = number - self.first
        has_next = index + 1 < len(self.pages)
        return Page(
            self.pages[index] if self.pages else [],
            number,
            next_page=number + 1 if has_next else None,
            total=len(self.items),
        )

    async def afetch(self, number: int) -> Page[int]:
        await asyncio.sleep(0)
        return self.fetch(number)


def test_nothing_is_fetched_before_iteration() -> None:
    book = Book([2, 2, 2])
    pager = SyncPager(book.fetch)
    iterator = iter(pager)
    assert book.fetched == []
    assert next(iterator) == 0
    assert book.fetched == [1]
    assert next(iterator) == 1
    assert book.fetched == [1]
    assert next(iterator) == 2
    assert book.fetched == [1, 2]


def test_first_fetches_one_page_only() -> None:
    book = Book([3, 3])
    assert SyncPager(book.fetch).first() == 0
    assert book.fetched == [1]
    assert SyncPager(Book([]).fetch).first() is None


def test_pages_resume_from_a_page_number() -> None:
    book = Book([2, 2, 2, 1])
    pages = list(SyncPager(book.fetch).pages(start=3))
    assert [p.number for p in pages] == [3, 4]
    assert [list(p) for p in pages] == [[4, 5], [6]]
    assert [len(p) for p in pages] == [2, 1]
    assert pages[0].total == 7
    assert book.fetched == [3, 4]


def test_zero_based_apis() -> None:
    book = Book([1, 1], first=0)
    assert SyncPager(book.fetch, first_page=0).to_list() == [0, 1]
    assert book.fetched == [0, 1]


def test_async_pager_is_lazy_and_resumes() -> None:
    book = Book([2, 2, 2])
    pager = AsyncPager(book.afetch)

    async def scenario() -> tuple[Any, ...]:
        iterator = pager.__aiter__()
        assert book.fetched == []
        first = await iterator.__anext__()
        fetched_after_first = list(book.fetched)
        await iterator.aclose()
        resumed = [p.number async for p in pager.pages(start=2)]
        return first, fetched_after_first, resumed, await pager.first()

    first, fetched_after_first, resumed, head = asyncio.run(scenario())
    assert first == 0
    assert fetched_after_first == [1]
    assert resumed == [2, 3]
    assert head == 0
    assert asyncio.run(AsyncPager(Book([]).afetch).first()) is None


@given(st.lists(st.integers(min_value=0, max_value=5), min_size=1, max_size=12))
def test_every_item_once_in_order_whatever_the_page_sizes(sizes: list[int]) -> None:
    book = Book(sizes)
    assert SyncPager(book.fetch).to_list() == book.items
    assert book.fetched == list(range(1, len(sizes) + 1))
    abook = Book(sizes)
    assert asyncio.run(AsyncPager(abook.afetch).to_list()) == abook.items
    assert abook.fetched == list(range(1, len(sizes) + 1))


@given(
    st.lists(st.integers(min_value=0, max_value=4), min_size=1, max_size=10),
    st.data(),
)
def test_resuming_yields_the_rest_in_order(sizes: list[int], data: st.DataObject) -> None:
    book = Book(sizes)
    start = data.draw(st.integers(min_value=1, max_value=len(sizes)))
    rest = [item for page in SyncPager(book.fetch).pages(start=start) for item in page]
    assert rest == [item for page in book.pages[start - 1 :] for item in page]


# -- records that do not fit ---------------------------------------------------------------


def _misfit(index: int, page: int) -> RecordParseError:
    return RecordParseError(f"record {index} does not fit", index=index, page=page)


def _pages_with_misfits() -> dict[int, Page[int]]:
    return {
        1: Page([1, 3], 1, next_page=2, invalid=(_misfit(1, 1),)),
        2: Page([4, 5], 2, next_page=3),
        3: Page([], 3, next_page=None, invalid=(_misfit(0, 3), _misfit(1, 3))),
    }


def test_iterating_yields_what_fits_then_raises_the_page_misfit() -> None:
    pages = _pages_with_misfits()
    seen: list[int] = []
    with pytest.raises(RecordParseError) as caught:
        seen.extend(SyncPager(pages.__getitem__))
    assert seen == [1, 3]  # the page's fitting records come first, none after the misfit page
    assert (caught.value.page, caught.value.index) == (1, 1)


def test_on_invalid_hands_every_misfit_over_and_goes_on() -> None:
    pages = _pages_with_misfits()
    misfits: list[RecordParseError] = []
    assert list(SyncPager(pages.__getitem__).items(on_invalid=misfits.append)) == [1, 3, 4, 5]
    assert [(e.page, e.index) for e in misfits] == [(1, 1), (3, 0), (3, 1)]


def test_async_pager_treats_misfits_as_the_sync_one() -> None:
    pages = _pages_with_misfits()

    async def fetch(number: int) -> Page[int]:
        return pages[number]

    async def collect() -> tuple[list[int], list[RecordParseError], list[int]]:
        misfits: list[RecordParseError] = []
        kept = [i async for i in AsyncPager(fetch).items(on_invalid=misfits.append)]
        seen: list[int] = []

        async def drain() -> None:
            async for item in AsyncPager(fetch):
                seen.append(item)

        with pytest.raises(RecordParseError):
            await drain()
        return kept, misfits, seen

    kept, misfits, seen = asyncio.run(collect())
    assert kept == [1, 3, 4, 5]
    assert len(misfits) == 3
    assert seen == [1, 3]


def test_pages_carry_their_misfits_without_raising() -> None:
    pages = _pages_with_misfits()
    walked = list(SyncPager(pages.__getitem__).pages())
    assert [len(p.invalid) for p in walked] == [1, 0, 2]
