"""Shared fixtures for the sdkcore tests: a tiny API client, a scripted transport, a runner
that drives the sync and the async client through the same test body."""

from __future__ import annotations

from collections import deque
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

from sdkcore import AsyncAPIClient, FakeClock, SyncAPIClient

from ..runner import Runner

BASE = "https://api.example.test"


class SyncTestClient(SyncAPIClient):
    package = "ponte_testapi"
    default_base_url = BASE


class AsyncTestClient(AsyncAPIClient):
    package = "ponte_testapi"
    default_base_url = BASE


class TrackedStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body that tells its transport when it is closed."""

    def __init__(self, body: bytes, transport: ScriptedTransport) -> None:
        self._body = body
        self._transport = transport
        self._closed = False

    def __iter__(self) -> Iterator[bytes]:
        yield self._body

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self._body

    def close(self) -> None:
        if not self._closed:
            self._closed = True
            self._transport.closed += 1

    async def aclose(self) -> None:
        self.close()


Step = (
    httpx.Response
    | BaseException
    | tuple[int, dict[str, str], bytes]
    | Callable[[httpx.Request], httpx.Response]
)


class ScriptedTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Answers with the scripted steps in order (then ``default``), for sync and async
    clients alike; counts the responses it opened and the ones the client closed."""

    def __init__(self, *steps: Step, default: Step | None = None) -> None:
        self.steps: deque[Step] = deque(steps)
        self.default = default if default is not None else httpx.Response(200, json={"ok": True})
        self.requests: list[httpx.Request] = []
        self.opened = 0
        self.closed = 0

    def _answer(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        step = self.steps.popleft() if self.steps else self.default
        if isinstance(step, BaseException):
            raise step
        if isinstance(step, tuple):  # (status, headers, raw bytes): sent as is, undecoded
            status, headers, raw = step
        else:
            if not isinstance(step, httpx.Response):
                step = step(request)
            status, raw = step.status_code, step.content
            headers = {k: v for k, v in step.headers.items() if k.lower() != "content-length"}
        self.opened += 1
        return httpx.Response(
            status, headers=headers, stream=TrackedStream(raw, self), request=request
        )

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self._answer(request)

    @property
    def methods(self) -> list[str]:
        return [r.method for r in self.requests]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return request.param == "async"  # type: ignore[no-any-return]


@pytest.fixture
def make_client(is_async: bool, clock: FakeClock) -> Iterator[Callable[..., Runner]]:
    """``make_client(transport, **client_kwargs)`` -> a Runner around a sync or async client."""
    made: list[Runner] = []

    def make(transport: Any = None, cls: type | None = None, **kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        if cls is None:
            cls = AsyncTestClient if is_async else SyncTestClient
        elif is_async and issubclass(cls, SyncAPIClient):
            cls = _async_twin(cls)
        runner = Runner(cls(transport=transport, **kwargs), is_async)
        made.append(runner)
        return runner

    yield make
    for runner in made:
        runner.close()


def _async_twin(cls: type) -> type:
    """An AsyncTestClient with the same class attributes as a SyncTestClient subclass."""
    attrs: dict[str, Any] = {}
    for base in reversed(cls.__mro__[: cls.__mro__.index(SyncAPIClient)]):
        attrs.update({k: v for k, v in vars(base).items() if not k.startswith("__")})
    return type(f"Async{cls.__name__}", (AsyncTestClient,), attrs)


@pytest.fixture
def scripted() -> type[ScriptedTransport]:
    """The ScriptedTransport class: ``scripted(step, ..., default=response)``."""
    return ScriptedTransport


@pytest.fixture
def client_cls(is_async: bool) -> type:
    return AsyncTestClient if is_async else SyncTestClient


@pytest.fixture
def wrap(is_async: bool) -> Callable[[Any], Runner]:
    """Wrap a client made by the test in a Runner of the current flavour."""
    return lambda client: Runner(client, is_async)
