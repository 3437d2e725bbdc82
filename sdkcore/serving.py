"""A small HTTP server on a background thread, for the fakes served to outside tools and
for endpoints an integration listens on (webhook nudges)."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Self

__all__ = ["BackgroundHTTPServer"]


class _IPv6Server(ThreadingHTTPServer):
    address_family = socket.AF_INET6


class BackgroundHTTPServer:
    """``handler`` served on ``host:port`` by a daemon thread; a context manager.
    ``port=0`` picks a free port; an IPv6 ``host`` (``"::1"``) works too."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], host: str, port: int = 0) -> None:
        server_class = _IPv6Server if ":" in host else ThreadingHTTPServer
        self._server = server_class((host, port), handler)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        host = str(host)
        return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"

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
