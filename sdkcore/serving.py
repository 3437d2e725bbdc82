"""A small HTTP server on a background thread, for the fakes served to outside tools and
for endpoints an integration listens on (webhook nudges)."""

from __future__ import annotations

import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any, Self

from .logs import module_logger

__all__ = ["BackgroundHTTPServer"]

log = module_logger(__name__)

# What a connection over the bound hears before it is closed, written whole in one send.
_BUSY = (
    b"HTTP/1.0 503 Service Unavailable\r\n"
    b"Content-Length: 0\r\nRetry-After: 1\r\nConnection: close\r\n\r\n"
)


class _BoundedServer(ThreadingHTTPServer):
    """A thread per connection, but at most ``max_connections`` of them: a connection over
    the bound gets a 503 from the accepting thread and is closed, so a flood of idle
    connections cannot pile up threads. ``timeout`` bounds each wait on a socket."""

    request_queue_size = 128  # a burst of connections waits in the kernel, not refused
    connection_timeout: float | None = None
    slots: threading.BoundedSemaphore | None = None

    def process_request(self, request: Any, client_address: Any) -> None:
        if self.slots is not None and not self.slots.acquire(blocking=False):
            self._refuse(request)
            return
        try:
            request.settimeout(self.connection_timeout)
            super().process_request(request, client_address)
        except BaseException:
            if self.slots is not None:
                self.slots.release()
            raise

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            if self.slots is not None:
                self.slots.release()

    def _refuse(self, request: socket.socket) -> None:
        try:
            request.setblocking(False)
            request.send(_BUSY)
            # Read what already came: closing over unread bytes resets the connection,
            # and the client would see a reset instead of the 503.
            for _ in range(16):
                if not request.recv(65536):
                    break
        except OSError:
            pass
        self.shutdown_request(request)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client gone mid-answer is routine: a line at debug, not a traceback on stderr.
        error = sys.exception()
        log.debug("a connection from %s ended in %s", client_address[0], type(error).__name__)


class _IPv6Server(_BoundedServer):
    address_family = socket.AF_INET6


class BackgroundHTTPServer:
    """``handler`` served on ``host:port`` by a daemon thread; a context manager.
    ``port=0`` picks a free port; an IPv6 ``host`` (``"::1"``) works too. ``timeout`` bounds
    each wait on a connection's socket (seconds); ``max_connections`` bounds the connections
    served at once, and one over it gets a 503 (both unbounded when ``None``)."""

    def __init__(
        self,
        handler: type[BaseHTTPRequestHandler],
        host: str,
        port: int = 0,
        *,
        timeout: float | None = None,
        max_connections: int | None = None,
    ) -> None:
        if max_connections is not None and max_connections < 1:
            raise ValueError(f"max_connections must be at least 1, got {max_connections}")
        address: tuple[Any, ...] = (host, port)
        if ":" in host:
            # getaddrinfo reads a zone ("fe80::1%eth0") into the scope id; bind() given the
            # text alone would fail with EINVAL on a link-local address.
            info = socket.getaddrinfo(host, port, socket.AF_INET6, socket.SOCK_STREAM)
            address = info[0][4]
        server_class = _IPv6Server if ":" in host else _BoundedServer
        self._server = server_class(address, handler)
        self._server.connection_timeout = timeout
        if max_connections is not None:
            self._server.slots = threading.BoundedSemaphore(max_connections)
        self._thread: threading.Thread | None = None

    @property
    def address(self) -> tuple[str, int]:
        """The ``(host, port)`` served on, the port a real one when ``0`` was asked for."""
        host, port, *rest = self._server.server_address
        scope = rest[1] if len(rest) == 2 else 0
        zone = f"%{socket.if_indextoname(scope)}" if scope else ""  # as getaddrinfo reads it
        return str(host) + zone, int(port)

    @property
    def url(self) -> str:
        host, port = self.address
        if ":" not in host:
            return f"http://{host}:{port}"
        return f"http://[{host.replace('%', '%25')}]:{port}"  # RFC 6874 escapes a zone's %

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        # shutdown() waits for serve_forever() to return: it would hang if it never ran.
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
