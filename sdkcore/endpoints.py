"""Write each endpoint once; the client it is bound to makes it sync or async.

A resource method is a *builder*: it returns the ``Call`` to send (or a generator that
yields several calls and returns a result, for operations made of more than one request).
The descriptors below turn the builder into a plain method on a resource of a sync client
and into a coroutine method on a resource of an async client, with the same signature, so
the two clients can never drift apart and no logic is written twice.

    class Customers(Resource[C]):
        @endpoint
        def get(self, id: int) -> Call[Customer]:
            return Call(RequestOptions("GET", f"/customers/{id}"), parse_customer)

    ContaAzul(...).customers.get(1)             # -> Customer
    await AsyncContaAzul(...).customers.get(1)  # -> Customer

A flow may also yield ``Wait(seconds)`` between calls (to poll with backoff, say): the
client sleeps on its own clock, sync or async, and sends ``None`` back into the flow.

Bound to a client's ``with_raw_response`` copy, a method answers with ``APIResponse`` of its
result (a flow's comes with the last response it got) and a list with a raw pager.
"""

from __future__ import annotations

import functools
import inspect
import math
from collections.abc import Awaitable, Callable, Generator
from typing import TYPE_CHECKING, Any, Concatenate, Generic, ParamSpec, Self, TypeVar, overload

import attrs

from .client import APIResponse, AsyncAPIClient, Call, Resource, SyncAPIClient
from .errors import SDKError
from .paging import AsyncPager, AsyncRawPager, Page, SyncPager, SyncRawPager

if TYPE_CHECKING:
    from .client import RawResponseAsyncClient, RawResponseSyncClient

P = ParamSpec("P")
T = TypeVar("T")
B = TypeVar("B", bound=Callable[..., Any])


@attrs.frozen
class Wait:
    """What a flow yields to pause for ``seconds`` before its next call; it receives ``None``.

    The client sleeps on its own clock, so a test with a ``FakeClock`` waits for nothing.
    """

    seconds: float = attrs.field()

    @seconds.validator
    def _check_seconds(self, _: attrs.Attribute[float], value: float) -> None:
        if not (isinstance(value, int | float) and math.isfinite(value) and value >= 0):
            raise ValueError(f"Wait needs a finite number of seconds >= 0, not {value!r}")


FlowStep = Call[Any] | Wait
"""What a flow yields: a call to send, or a pause."""
Flow = Generator[FlowStep, Any, T]
"""Several requests in sequence: yield each ``Call``, receive its result, return the answer."""
Step = Call[T] | Generator[FlowStep, Any, T]
PageFetcher = Callable[[int], Call[Page[T]] | Generator[FlowStep, Any, Page[T]]]
"""What a ``paged`` builder returns: the step that fetches page ``n``. Its pager starts at
page 1, or at the fetcher's ``first_page`` attribute when it has one."""


def run_sync(client: SyncAPIClient, step: Step[T]) -> T:
    """Send one call, or drive a flow of calls, on a sync client."""
    if isinstance(step, Call):
        return client.send(step)
    return _drive(step, client.send, _sleep_on(client))


async def run_async(client: AsyncAPIClient, step: Step[T]) -> T:
    """Send one call, or drive a flow of calls, on an async client."""
    if isinstance(step, Call):
        return await client.send(step)
    return await _drive_async(step, client.send, _async_sleep_on(client))


def run_sync_raw(client: SyncAPIClient, step: Step[T]) -> APIResponse[T] | None:
    """``run_sync``, answering with the response of the last request sent along with the
    result; ``None`` for a flow that sent none."""
    if isinstance(step, Call):
        return client.send_raw(step)
    last = _LastResponse()

    def send(call: Call[Any]) -> Any:
        return last.keep(client.send_raw(call))

    return last.with_result(_drive(step, send, _sleep_on(client)))


async def run_async_raw(client: AsyncAPIClient, step: Step[T]) -> APIResponse[T] | None:
    """The async twin of ``run_sync_raw``."""
    if isinstance(step, Call):
        return await client.send_raw(step)
    last = _LastResponse()

    async def send(call: Call[Any]) -> Any:
        return last.keep(await client.send_raw(call))

    return last.with_result(await _drive_async(step, send, _async_sleep_on(client)))


def _sleep_on(client: SyncAPIClient) -> Callable[[float], None]:
    # The clock is looked up only when a flow waits: a flow that never does needs none.
    return lambda seconds: client.clock.sleep(seconds)


def _async_sleep_on(client: AsyncAPIClient) -> Callable[[float], Awaitable[None]]:
    return lambda seconds: client.clock.async_sleep(seconds)


def _drive(flow: Flow[T], send: Callable[[Call[Any]], Any], sleep: Callable[[float], None]) -> T:
    try:
        step = next(flow)
        while True:
            if isinstance(step, Wait):
                sleep(step.seconds)
                step = flow.send(None)
            else:
                step = flow.send(send(step))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def _drive_async(
    flow: Flow[T],
    send: Callable[[Call[Any]], Awaitable[Any]],
    sleep: Callable[[float], Awaitable[None]],
) -> T:
    try:
        step = next(flow)
        while True:
            if isinstance(step, Wait):
                await sleep(step.seconds)
                step = flow.send(None)
            else:
                step = flow.send(await send(step))
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


class _LastResponse:
    """The last response a flow got, to answer a raw call of the flow with."""

    def __init__(self) -> None:
        self.response: APIResponse[Any] | None = None

    def keep(self, raw: APIResponse[Any]) -> Any:
        self.response = raw
        return raw.parsed

    def with_result(self, result: T) -> APIResponse[T] | None:
        if self.response is None:
            return None
        return attrs.evolve(self.response, parsed=result)


def _sent(raw: APIResponse[T] | None, name: str) -> APIResponse[T]:
    if raw is None:
        # No endpoint is built this way; a flow that may answer without asking belongs
        # in a pager, where a page nobody requested ends the walk.
        raise SDKError(f"{name} answered without sending a request: there is no response")
    return raw


def _bind(descriptor: Any, obj: Resource[Any], method: Callable[..., Any]) -> Any:
    functools.update_wrapper(method, descriptor.build)
    del method.__wrapped__  # type: ignore[attr-defined]  # its signature has self
    method.__signature__ = descriptor.signature  # type: ignore[attr-defined]
    # Cache on the instance: later lookups find the bound method without this descriptor.
    obj.__dict__[descriptor.name] = method
    return method


class _Builder:
    """What ``endpoint`` and ``paged`` share: the builder, its name, its public signature."""

    def __init__(self, build: Callable[..., Any]) -> None:
        self.build = build
        self.name = build.__name__
        functools.update_wrapper(self, build)  # type: ignore[arg-type]

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    @functools.cached_property
    def signature(self) -> inspect.Signature:
        """The method's signature as callers see it: no ``self``, no builder return type."""
        full = inspect.signature(self.build)
        params = list(full.parameters.values())[1:]
        return full.replace(parameters=params, return_annotation=inspect.Signature.empty)


class endpoint(_Builder, Generic[P, T]):
    """A method whose builder returns a ``Call`` (or a ``Flow``); see the module docstring."""

    def __init__(self, build: Callable[Concatenate[Any, P], Step[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    # The raw clients first: each is also a Sync/AsyncAPIClient, and the first match wins.
    @overload
    def __get__(
        self, obj: Resource[RawResponseSyncClient], owner: type[Any]
    ) -> Callable[P, APIResponse[T]]: ...

    @overload
    def __get__(
        self, obj: Resource[RawResponseAsyncClient], owner: type[Any]
    ) -> Callable[P, Awaitable[APIResponse[T]]]: ...

    @overload
    def __get__(self, obj: Resource[SyncAPIClient], owner: type[Any]) -> Callable[P, T]: ...

    @overload
    def __get__(
        self, obj: Resource[AsyncAPIClient], owner: type[Any]
    ) -> Callable[P, Awaitable[T]]: ...

    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        client, build, name = obj._client, self.build, self.name
        if isinstance(client, AsyncAPIClient):

            async def call_async(*args: Any, **kwargs: Any) -> Any:
                return await run_async(client, build(obj, *args, **kwargs))

            async def call_async_raw(*args: Any, **kwargs: Any) -> Any:
                return _sent(await run_async_raw(client, build(obj, *args, **kwargs)), name)

            return _bind(self, obj, call_async_raw if client._raw else call_async)

        def call_sync(*args: Any, **kwargs: Any) -> Any:
            return run_sync(client, build(obj, *args, **kwargs))

        def call_sync_raw(*args: Any, **kwargs: Any) -> Any:
            return _sent(run_sync_raw(client, build(obj, *args, **kwargs)), name)

        return _bind(self, obj, call_sync_raw if client._raw else call_sync)


class paged(_Builder, Generic[P, T]):
    """A list method: the builder returns a function from page number to that page's step.

    On a sync client it returns a ``SyncPager``, on an async one an ``AsyncPager``; both
    are lazy and resume from any page with ``.pages(start=n)``. On ``with_raw_response``
    it returns a ``SyncRawPager`` or an ``AsyncRawPager``, whose pages come as the
    ``APIResponse`` each was read from.
    """

    def __init__(self, build: Callable[Concatenate[Any, P], PageFetcher[T]]) -> None:
        super().__init__(build)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Self: ...

    # The raw clients first, as for ``endpoint``.
    @overload
    def __get__(
        self, obj: Resource[RawResponseSyncClient], owner: type[Any]
    ) -> Callable[P, SyncRawPager[T]]: ...

    @overload
    def __get__(
        self, obj: Resource[RawResponseAsyncClient], owner: type[Any]
    ) -> Callable[P, AsyncRawPager[T]]: ...

    @overload
    def __get__(
        self, obj: Resource[SyncAPIClient], owner: type[Any]
    ) -> Callable[P, SyncPager[T]]: ...

    @overload
    def __get__(
        self, obj: Resource[AsyncAPIClient], owner: type[Any]
    ) -> Callable[P, AsyncPager[T]]: ...

    def __get__(self, obj: Resource[Any] | None, owner: type[Any]) -> Any:
        if obj is None:
            return self
        client, build = obj._client, self.build
        if isinstance(client, AsyncAPIClient):

            def list_async(*args: Any, **kwargs: Any) -> AsyncPager[Any]:
                fetch = build(obj, *args, **kwargs)

                async def page(number: int) -> Page[Any]:
                    return await run_async(client, fetch(number))

                return AsyncPager(page, getattr(fetch, "first_page", 1))

            def list_async_raw(*args: Any, **kwargs: Any) -> AsyncRawPager[Any]:
                fetch = build(obj, *args, **kwargs)

                async def page(number: int) -> APIResponse[Page[Any]] | None:
                    return await run_async_raw(client, fetch(number))

                return AsyncRawPager(page, getattr(fetch, "first_page", 1))

            return _bind(self, obj, list_async_raw if client._raw else list_async)

        def list_sync(*args: Any, **kwargs: Any) -> SyncPager[Any]:
            fetch = build(obj, *args, **kwargs)
            first = getattr(fetch, "first_page", 1)
            return SyncPager(lambda number: run_sync(client, fetch(number)), first)

        def list_sync_raw(*args: Any, **kwargs: Any) -> SyncRawPager[Any]:
            fetch = build(obj, *args, **kwargs)
            first = getattr(fetch, "first_page", 1)
            return SyncRawPager(lambda number: run_sync_raw(client, fetch(number)), first)

        return _bind(self, obj, list_sync_raw if client._raw else list_sync)


__all__ = [
    "Flow",
    "FlowStep",
    "PageFetcher",
    "Resource",
    "Step",
    "Wait",
    "endpoint",
    "paged",
    "run_async",
    "run_async_raw",
    "run_sync",
    "run_sync_raw",
]
