"""Serve a fake over real HTTP on 127.0.0.1, for tools outside Python."""

from __future__ import annotations

import argparse
import shlex
import signal
import sys
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler
from types import FrameType
from urllib.parse import parse_qs, urlsplit

from ..serving import BackgroundHTTPServer
from .fake import FakeAPI, FakeRequest


def _handler_for(fake: FakeAPI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # An answer's head and body go out in two writes: with Nagle's algorithm on, the
        # body would wait for the client's delayed ACK of the head, 40 ms on a kept-alive
        # connection (no real API is that slow on loopback).
        disable_nagle_algorithm = True

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


@dataclass(frozen=True)
class ServedFake:
    """How ``python -m <package>.testing serve`` makes one package's fake and tells a person
    or a script how to reach it."""

    package: str
    """The package's name, as the printed line's ``fake=`` says it."""
    make: Callable[[int], FakeAPI]
    """The fake, seeded with the seed given (``--seed``)."""
    api_path: str
    """Where the API sits on the server: its base URL is the server's URL plus this."""
    credentials: Callable[[FakeAPI], Mapping[str, str]]
    """What a client needs besides the base URL, under the client's own argument names."""
    variables: Mapping[str, str]
    """The environment variable the package's client reads for ``base_url`` and for each
    credential (what ``--env`` exports)."""

    def describe(self, fake: FakeAPI) -> str:
        """The credentials as ``name=value`` words."""
        return _words(self.credentials(fake))

    def settings(self, fake: FakeAPI, url: str) -> dict[str, str]:
        """The base URL of the fake served at ``url``, and its credentials."""
        return {"base_url": url + self.api_path, **self.credentials(fake)}

    def line(self, fake: FakeAPI, url: str) -> str:
        """``serving on URL fake=NAME base_url=... <credential>=...``: one line in one format
        for every fake; a script splits the words after the URL at their first ``=``."""
        return f"serving on {url} fake={self.package} {_words(self.settings(fake, url))}"

    def exports(self, fake: FakeAPI, url: str) -> str:
        """The same settings as ``export NAME=value`` lines a POSIX shell can source."""
        return "\n".join(
            f"export {self.variables[name]}={shlex.quote(value)}"
            for name, value in self.settings(fake, url).items()
        )


def _words(settings: Mapping[str, str]) -> str:
    # The fakes' URLs and credentials hold no space, so a word splits at its first "=".
    return " ".join(f"{name}={value}" for name, value in settings.items())


def serve_fake_main(served: ServedFake, argv: Sequence[str] | None = None) -> int:
    """``python -m <package>.testing serve [--host H] [--port N] [--seed N] [--env]``: serve
    the package's fake until Ctrl-C or SIGTERM, after printing how to reach it."""
    parser, serve = _parser(f"python -m {served.package}.testing")
    serve.add_argument("--seed", type=int, default=0, help="which seeded data the fake holds")
    serve.add_argument(
        "--env",
        action="store_true",
        help="print the base URL and credentials as `export NAME=value` lines for a shell",
    )
    args = parser.parse_args(argv)
    fake = served.make(args.seed)
    server = _listen(fake, args.host, args.port)
    if server is None:
        return 2
    shown = served.exports(fake, server.url) if args.env else served.line(fake, server.url)
    return _serve(server, shown)


def serve_main(
    make_fake: Callable[[], FakeAPI],
    describe: Callable[[FakeAPI], str],
    argv: Sequence[str] | None = None,
    prog: str = "fake",
) -> int:
    """``serve --port N`` for any fake: prints ``serving on URL``, then ``describe(fake)``
    (the three packages' fakes use ``serve_fake_main``)."""
    parser, _ = _parser(prog)
    args = parser.parse_args(argv)
    fake = make_fake()
    server = _listen(fake, args.host, args.port)
    if server is None:
        return 2
    return _serve(server, f"serving on {server.url}\n{describe(fake)}")


def _parser(prog: str) -> tuple[argparse.ArgumentParser, argparse.ArgumentParser]:
    """The command's parser and its ``serve`` subcommand's."""
    parser = argparse.ArgumentParser(prog=prog)
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser(
        "serve",
        help="serve the fake API over HTTP on loopback until Ctrl-C",
        formatter_class=argparse.ArgumentDefaultsHelpFormatter,
    )
    serve.add_argument("--host", default="127.0.0.1", help="a loopback address")
    serve.add_argument("--port", type=int, default=8080, help="0 picks a free one")
    return parser, serve


def _listen(fake: FakeAPI, host: str, port: int) -> FakeServer | None:
    """The server bound to ``host:port``, or ``None`` after one ``error:`` line."""
    try:
        return FakeServer(fake, host, port)
    except (OSError, ValueError) as exc:  # the port taken, a host that is not loopback
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        print(f"error: cannot serve on {host}:{port}: {reason}", file=sys.stderr)
        return None


def _serve(server: FakeServer, shown: str) -> int:
    """Print ``shown`` once listening, serve until Ctrl-C or SIGTERM, exit 0 either way."""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    # A script's `kill` stops it as Ctrl-C does (only the main thread may set a handler).
    main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, stop) if main else None
    try:
        print(shown, flush=True)
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        if previous is not None:  # None: a handler not set from Python, left alone
            signal.signal(signal.SIGTERM, previous)
    return 0
