"""The routing and state core of a fake API, free of any transport."""

from __future__ import annotations

import json
import re
import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import Any, TypeVar
from urllib.parse import parse_qs

import attrs

from ..client import json_dumps
from ..transport import MockTransport, Request, Response, TransportError

Handler = Callable[..., "FakeResponse"]
F = TypeVar("F", bound=Callable[..., Any])


@attrs.frozen
class FakeRequest:
    """What a fake handler sees: method, path, decoded query, lower-cased headers, body."""

    method: str
    path: str
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]
    body: bytes = b""

    def json(self) -> Any:
        return json.loads(self.body) if self.body.strip() else None

    def arg(self, name: str, default: str | None = None) -> str | None:
        values = self.query.get(name)
        return values[0] if values else default

    def header(self, name: str, default: str | None = None) -> str | None:
        return self.headers.get(name.lower(), default)


@attrs.frozen
class FakeResponse:
    status: int = 200
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    raw: bytes | None = None

    def content(self) -> bytes:
        if self.raw is not None:
            return self.raw
        if self.body is None:
            return b""
        return json_dumps(self.body)

    def all_headers(self) -> dict[str, str]:
        headers = dict(self.headers)
        if self.body is not None and self.raw is None:
            headers.setdefault("Content-Type", "application/json; charset=utf-8")
        return headers


class HTTPFault(Exception):
    """Raise from a handler to answer with an error status and body."""

    def __init__(self, status: int, body: Any = None, headers: Mapping[str, str] | None = None):
        super().__init__(status)
        self.response = FakeResponse(status, body, dict(headers or {}))


@attrs.frozen
class Fault:
    """A scripted failure for the next matching request(s): a status or a dropped connection."""

    status: int | None = None
    body: Any = None
    headers: Mapping[str, str] = attrs.field(factory=dict)
    raw: bytes | None = None
    exception: BaseException | None = None
    method: str | None = None
    path_prefix: str | None = None

    def matches(self, request: FakeRequest) -> bool:
        if self.method and request.method != self.method:
            return False
        return not (self.path_prefix and not request.path.startswith(self.path_prefix))


def route(method: str, pattern: str) -> Callable[[F], F]:
    """Mark a ``FakeAPI`` method as the handler of ``method`` on ``pattern``.

    ``{name}`` in the pattern captures one path segment, passed as a keyword argument.
    """

    def mark(func: F) -> F:
        func.__fake_routes__ = [*getattr(func, "__fake_routes__", []), (method, pattern)]  # type: ignore[attr-defined]
        return func

    return mark


def _compile(pattern: str) -> re.Pattern[str]:
    regex = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", pattern.rstrip("/"))
    return re.compile(f"^{regex}/?$")


class FakeAPI:
    """Base of a stateful fake: routes, scripted faults, a request log and a lock."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.requests: list[FakeRequest] = []
        self._faults: deque[Fault] = deque()
        self.handler_errors: list[Exception] = []
        """What handlers raised besides ``HTTPFault`` (each answered 500)."""
        self._routes: list[tuple[str, re.Pattern[str], Handler]] = []
        self._templates: list[tuple[str, str]] = []
        for name in dir(type(self)):
            func = getattr(type(self), name, None)
            for method, pattern in getattr(func, "__fake_routes__", []):
                self._routes.append((method.upper(), _compile(pattern), getattr(self, name)))
                self._templates.append((method.upper(), pattern))
        # Longer patterns first, so "/a/b/{id}" wins over "/a/{id}".
        self._routes.sort(key=lambda r: -len(r[1].pattern))

    def routes(self) -> list[tuple[str, str]]:
        """Every ``(method, pattern)`` this fake serves, patterns as written
        (``/things/{thing_id}``), sorted: what a test walks to cover them all."""
        return sorted(self._templates)

    # -- scripted faults ------------------------------------------------------------

    def fail_next(self, fault: Fault, times: int = 1) -> None:
        """Answer the next ``times`` matching requests with ``fault`` instead of the handler."""
        with self.lock:
            self._faults.extend([fault] * times)

    def _take_fault(self, request: FakeRequest) -> Fault | None:
        with self.lock:
            for fault in self._faults:
                if fault.matches(request):
                    self._faults.remove(fault)
                    return fault
        return None

    # -- dispatch --------------------------------------------------------------------

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        """Override: return an error response when the request's credentials are bad."""
        return None

    def handle(self, request: FakeRequest) -> FakeResponse:
        with self.lock:
            self.requests.append(request)
        fault = self._take_fault(request)
        if fault is not None:
            if fault.exception is not None:
                raise fault.exception
            return FakeResponse(fault.status or 500, fault.body, fault.headers, fault.raw)
        denied = self.authenticate(request)
        if denied is not None:
            return denied
        allowed: list[str] = []
        for method, regex, handler in self._routes:
            match = regex.match(request.path)
            if not match:
                continue
            if method != request.method:
                allowed.append(method)
                continue
            try:
                with self.lock:
                    return handler(request, **match.groupdict())
            except HTTPFault as fault_response:
                return fault_response.response
            except TransportError:
                raise  # a handler that drops the connection on purpose
            except Exception as error:  # a fake answers, it never crashes
                return self.handler_failed(handler, error)
        if allowed:
            return FakeResponse(405, {"message": "method not allowed"})
        return FakeResponse(404, None)

    def handler_failed(self, handler: Handler, error: Exception) -> FakeResponse:
        """A 500 naming the handler and what it raised, kept in ``handler_errors``: a bug
        in a fake shows up as a status a test can assert on, not as a traceback through
        the client's transport."""
        with self.lock:
            self.handler_errors.append(error)
        name = getattr(handler, "__qualname__", repr(handler))
        return FakeResponse(
            500,
            {
                "message": f"fake handler {name} raised {type(error).__name__}: {error}",
                "handler": name,
                "exception": type(error).__name__,
            },
        )

    # -- mounting --------------------------------------------------------------------

    def _httpx_handler(self, request: Request) -> Response:
        fake_request = FakeRequest(
            method=request.method,
            path=request.url.path,
            query=parse_qs(request.url.query.decode("ascii"), keep_blank_values=True),
            headers={k.lower(): v for k, v in request.headers.items()},
            body=request.read(),
        )
        result = self.handle(fake_request)
        return Response(result.status, headers=result.all_headers(), content=result.content())

    @property
    def transport(self) -> MockTransport:
        """An httpx transport serving this fake, for sync and async clients alike."""
        return MockTransport(self._httpx_handler)
