"""Serve a fake over real HTTP on 127.0.0.1, for tools outside Python."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from ..serving import BackgroundHTTPServer
from .fake import FakeAPI, FakeRequest


def _handler_for(fake: FakeAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            request = FakeRequest(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query, keep_blank_values=True),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
            result = fake.handle(request)
            content = result.content()
            self.send_response(result.status)
            for key, value in result.all_headers().items():
                self.send_header(key, value)
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        def log_message(self, format: str, *args: object) -> None:
            return  # the fake's own request log is enough

    return Handler


class FakeServer(BackgroundHTTPServer):
    """A running HTTP server for a fake; a context manager. ``port=0`` picks a free port."""

    def __init__(self, fake: FakeAPI, host: str = "127.0.0.1", port: int = 0) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the fake serves on loopback only")
        self.fake = fake
        super().__init__(_handler_for(fake), host, port)


def serve_main(
    make_fake: Callable[[], FakeAPI],
    describe: Callable[[FakeAPI], str],
    argv: Sequence[str] | None = None,
    prog: str = "fake",
) -> int:
    """``python -m <package>.testing serve --port N``."""
    parser = argparse.ArgumentParser(prog=prog)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the fake API over HTTP on 127.0.0.1")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    fake = make_fake()
    server = FakeServer(fake, args.host, args.port)
    print(f"serving on {server.url}", flush=True)
    print(describe(fake), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0
