"""The package fakes served from a child process, so the measuring process holds only the
client side: its memory is the bridge's, not the fakes' copy of every record.

The child builds the fakes (``build(*args)`` returns fake Auvo and one ERP's fake, as the
registry's ``FakeErp``) and answers each request
with ``fake.handle``, as ``FakeAPI.transport`` does in-process; the parent's clients get an
httpx transport that sends each request over a pipe and waits for the answer. Requests go
one at a time (the pipe is locked), as the sync bridge sends them.
"""

from __future__ import annotations

import multiprocessing
import threading
import traceback
from collections import deque
from collections.abc import Callable
from multiprocessing.connection import Connection
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs

import attrs

from auvo.testing import FakeAuvo
from bridge.erp.port import FakeErp
from bridge.erp.registry import erp_kind
from sdkcore.testing import FakeAPI, FakeRequest
from sdkcore.transport import MockTransport, Request, Response

__all__ = ["Fakes", "RemoteFakes", "run_isolated"]


@attrs.frozen
class Fakes:
    """Fake Auvo and the fake of the ERP ``erp`` (its kind's name)."""

    auvo: FakeAuvo
    erp: str
    erp_fake: FakeErp

    def by_name(self) -> dict[str, FakeAPI]:
        return {"auvo": self.auvo, self.erp: self.erp_fake.api}

    def credentials(self) -> dict[str, dict[str, str]]:
        """What a client of each needs, with the kind of client (``auvo`` or the ERP's)."""
        auvo = {"api_key": self.auvo.api_key, "api_token": self.auvo.api_token}
        return {
            "auvo": {"kind": "auvo", **auvo},
            self.erp: {"kind": self.erp, **self.erp_fake.credentials()},
        }


Build = Callable[..., Fakes]


def _serve(conn: Connection, build: Build, args: tuple[Any, ...]) -> None:
    """The child: build the fakes, then answer requests until told to stop."""
    try:
        built = build(*args)
        fakes = built.by_name()
        for fake in fakes.values():
            fake.requests = deque(maxlen=100)  # type: ignore[assignment]
        conn.send(("ok", built.credentials()))
    except Exception:
        conn.send(("error", traceback.format_exc()))
        return
    while True:
        message = conn.recv()
        if message is None:
            break
        try:
            if message[0] == "http":
                _, name, method, path, query, headers, body = message
                request = FakeRequest(
                    method=method,
                    path=path,
                    query=parse_qs(query, keep_blank_values=True),
                    headers=headers,
                    body=body,
                )
                result = fakes[name].handle(request)
                answer: Any = (result.status, result.all_headers(), result.content())
            else:
                _, name, attribute, call_args = message
                answer = getattr(fakes[name], attribute)(*call_args)
        except Exception:
            conn.send(("error", traceback.format_exc()))
        else:
            conn.send(("ok", answer))
    conn.close()


class RemoteFakes:
    """Fakes built by ``build(*args)`` in a spawned child; ``client(name)`` talks to one."""

    def __init__(self, build: Build, *args: Any) -> None:
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, build, args), daemon=True)
        self._process.start()
        child.close()
        self._lock = threading.Lock()
        self.credentials: dict[str, dict[str, str]] = self._answer()
        self.requests = 0

    def _answer(self) -> Any:
        status, value = self._conn.recv()
        if status != "ok":
            raise RuntimeError(f"the fakes' process failed:\n{value}")
        return value

    def _exchange(self, message: tuple[Any, ...]) -> Any:
        with self._lock:
            self._conn.send(message)
            return self._answer()

    def transport(self, name: str) -> MockTransport:
        """An httpx transport whose requests the fake ``name`` answers in the child."""

        def handle(request: Request) -> Response:
            headers = {k.lower(): v for k, v in request.headers.items()}
            query = request.url.query.decode("ascii")
            message = ("http", name, request.method, request.url.path, query, headers)
            status, answer_headers, content = self._exchange((*message, request.read()))
            self.requests += 1
            return Response(status, headers=answer_headers, content=content)

        return MockTransport(handle)

    def call(self, name: str, attribute: str, *args: Any) -> Any:
        """``fakes[name].<attribute>(*args)`` in the child; the result comes back pickled."""
        return self._exchange(("call", name, attribute, args))

    def client(self, name: str, **options: Any) -> Any:
        """A sync client of the fake ``name``, as its ``client(**options)`` would make it."""
        found = dict(self.credentials[name])
        kind = found.pop("kind")
        transport = self.transport(name)
        if kind == "auvo":
            from auvo import Auvo

            return Auvo(found["api_key"], found["api_token"], transport=transport, **options)
        return erp_kind(kind).fake.remote_client(found, transport, **options)

    def close(self) -> None:
        if self._process.is_alive():
            with self._lock:
                self._conn.send(None)
            self._process.join(30)
        if self._process.is_alive():
            self._process.terminate()
            self._process.join()
        self._conn.close()

    def __enter__(self) -> RemoteFakes:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def _run(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    try:
        result = fn(*args)
    except BaseException:
        conn.send(("error", traceback.format_exc()))
    else:
        conn.send(("ok", result))
    conn.close()


def run_isolated(fn: Callable[..., Any], *args: Any) -> Any:
    """``fn(*args)`` in a fresh spawned interpreter that may start processes of its own (a
    ``multiprocessing.Pool`` worker may not), so its peak memory is its own."""
    context = multiprocessing.get_context("spawn")
    conn, child = context.Pipe()
    process = context.Process(target=_run, args=(child, fn, args))
    process.start()
    child.close()
    try:
        status, value = conn.recv()
    except EOFError:
        process.join()
        raise RuntimeError(f"the measuring process died (exit code {process.exitcode})") from None
    process.join()
    if status != "ok":
        raise RuntimeError(f"the measuring process failed:\n{value}")
    return value
