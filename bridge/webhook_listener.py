"""An HTTP endpoint for Auvo's webhook deliveries that nudges ``bridge.poll``.

A delivery is never trusted for data: anyone who knows the URL can post one. It only says
"something changed, look now", and the pass that follows reads Auvo itself. Put it behind
your HTTPS proxy and give it a ``secret``: Auvo posts to a fixed URL and cannot add headers,
so the secret rides in the path (``/auvo/<secret>``); a client of your own may send it in an
``X-Webhook-Secret`` or ``Authorization: Bearer`` header instead. Logs, ``repr`` and errors
show the URL with the secret masked (``redacted_url``).

The listener is built to be exposed: at most ``max_connections`` connections are served at
once (one more gets a 503), each must send its whole request within ``timeout`` seconds, and
anything that is not a well-formed delivery gets a 4xx. A refused or lost delivery costs
nothing but latency: the next scheduled pass reads the change anyway.
"""

from __future__ import annotations

import hmac
import io
import re
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler
from typing import Any

from auvo import User, WebhookParseError, parse_event
from auvo.webhooks import ENTITY_MODELS
from sdkcore.logs import module_logger
from sdkcore.redact import MASK, register_secret
from sdkcore.serving import BackgroundHTTPServer

__all__ = [
    "CONNECTION_TIMEOUT_SECONDS",
    "DEFAULT_PATH",
    "MAX_CONNECTIONS",
    "MAX_DELIVERY_BYTES",
    "SECRET_HEADER",
    "WebhookListener",
]

log = module_logger(__name__)

MAX_DELIVERY_BYTES = 1024 * 1024
DEFAULT_PATH = "/auvo"
# Auvo's deliveries are small and arrive whole; a client slower than this is not Auvo.
CONNECTION_TIMEOUT_SECONDS = 10.0
MAX_CONNECTIONS = 32
SECRET_HEADER = "X-Webhook-Secret"

# Characters a secret may use: RFC 3986's unreserved ones, safe in a path unescaped.
_SECRET_CHARS = re.compile(r"[A-Za-z0-9._~-]+")
# A Content-Length: ASCII digits only (str.isdigit() takes '²', which int() refuses).
_DIGITS = re.compile(r"[0-9]+")
# Bytes read after an early refusal so the close does not reset the connection.
_DRAIN_BYTES = 2 * MAX_DELIVERY_BYTES


class WebhookListener(BackgroundHTTPServer):
    """Listens on ``host:port`` for POSTs to ``path`` (or, with a ``secret``, to
    ``path/<secret>``, or to ``path`` with the secret in a header); each valid delivery sets
    ``wake``, except one about users, which no pass syncs. A context manager; ``port=0``
    picks a free port; ``url`` is the address to give Auvo (through your proxy) and holds
    the secret, so show ``redacted_url`` instead."""

    def __init__(
        self,
        wake: threading.Event,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = DEFAULT_PATH,
        *,
        secret: str | None = None,
        timeout: float = CONNECTION_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
    ) -> None:
        if secret is not None and not _SECRET_CHARS.fullmatch(secret):
            raise ValueError(
                "the webhook secret must be non-empty and use only letters, digits and "
                "'-', '.', '_', '~' (it sits in a URL path); the value is not shown"
            )
        if timeout <= 0:
            raise ValueError(f"the webhook timeout must be positive seconds, got {timeout}")
        self.wake = wake
        self.path = path if path.startswith("/") else "/" + path
        self.timeout = timeout
        self._secret = secret.encode("ascii") if secret is not None else None
        if secret is not None:  # masked in any log, error or report, whoever prints it
            register_secret(secret)
        base = self.path.rstrip("/")
        self._secret_path = f"{base}/{secret}" if secret is not None else None
        # The part of a request path that logs may show. With a secret the path is public;
        # without one the path itself may be the secret (``--webhook-path /auvo/<secret>``),
        # so only a first segment ahead of more, or the default path, is shown.
        first, _, rest = self.path.strip("/").partition("/")
        if secret is not None or self.path == DEFAULT_PATH:
            self._public_path: str | None = base or "/"
        else:
            self._public_path = f"/{first}" if rest else None
        super().__init__(
            _handler(self), host, port, timeout=timeout, max_connections=max_connections
        )

    @property
    def url(self) -> str:
        """The address to give Auvo: with a secret, the secret is in it."""
        return super().url + (self._secret_path or self.path)

    @property
    def redacted_url(self) -> str:
        """``url`` with the secret masked, fit for logs and screens."""
        return super().url + self.redact(self._secret_path or self.path)

    def redact(self, target: str) -> str:
        """A request target as logs may show it: the query dropped, a secret masked."""
        path, question, _ = target.partition("?")
        query = f"?{MASK}" if question else ""
        public = self._public_path
        if public is not None and path == public:
            return path + query
        if public is not None and path.startswith(public.rstrip("/") + "/"):
            return f"{public.rstrip('/')}/{MASK}{query}"
        return f"/{MASK}{query}"

    def __repr__(self) -> str:
        return f"WebhookListener({self.redacted_url!r})"

    def authorize(self, target: str, headers: Any) -> int | None:
        """``None`` when a POST to ``target`` with ``headers`` may deliver; else the status
        that refuses it, the same whatever was wrong: 404 for a path that is not ours, 401
        for ours without the secret."""
        path = _raw(target.partition("?")[0])
        if self._secret is None or self._secret_path is None:
            return None if hmac.compare_digest(path, _raw(self.path)) else 404
        if hmac.compare_digest(path, _raw(self._secret_path)):
            return None
        if not hmac.compare_digest(path, _raw(self.path)):
            return 404
        given = headers.get(SECRET_HEADER)
        if given is None:
            scheme, _, credential = (headers.get("Authorization") or "").partition(" ")
            given = credential.strip() if scheme.lower() == "bearer" else ""
        return None if hmac.compare_digest(_raw(given), self._secret) else 401

    def receive(self, body: bytes) -> int:
        """The status a delivery gets: 202 when it nudged, 200 when it was about users
        (nothing a pass syncs), 400 when it is not an Auvo delivery."""
        try:
            event = parse_event(body)
        except (WebhookParseError, ValueError) as exc:
            log.warning("webhook: refused a delivery: %s", exc)
            return 400
        except RecursionError:  # JSON nested deeper than the parser can follow
            log.warning("webhook: refused a delivery: its JSON is nested too deeply")
            return 400
        if ENTITY_MODELS.get(event.entity_type.strip().lower()) is User:
            return 200
        log.info(
            "webhook: %s %s %s; next pass soon", event.entity_type, event.action, event.entity_id
        )
        self.wake.set()
        return 202


def _raw(text: str) -> bytes:
    """The bytes of a request line or header value (``http.server`` decodes them as
    Latin-1), for ``hmac.compare_digest``, which takes only ASCII ``str``."""
    return text.encode("latin-1", "replace")


class _DeadlineReader(io.RawIOBase):
    """A connection's input that ends in ``TimeoutError`` at ``deadline``, however slowly
    the bytes trickle in: a per-read timeout alone lets a byte every few seconds hold a
    connection forever."""

    def __init__(self, connection: socket.socket, deadline: float) -> None:
        self._connection = connection
        self._deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError("the request took longer than the listener's timeout")
        self._connection.settimeout(left)
        return self._connection.recv_into(buffer)


def _handler(listener: WebhookListener) -> type[BaseHTTPRequestHandler]:
    class Delivery(BaseHTTPRequestHandler):
        # One request per connection (HTTP/1.0): nothing to keep alive, nothing to pipeline.
        # Refusals carry a status line even when the request line is garbled (http.server
        # would answer those the HTTP/0.9 way, with a bare HTML page).
        default_request_version = "HTTP/1.0"

        def setup(self) -> None:
            super().setup()
            deadline = time.monotonic() + listener.timeout
            self.rfile.close()  # an open file of the socket would keep it from closing
            self.rfile = io.BufferedReader(_DeadlineReader(self.connection, deadline))
            self.unread = True  # bytes may be waiting that a refusal did not read

        def parse_request(self) -> bool:
            if not super().parse_request():
                return False
            if self.command != "POST":
                self._answer(405, {"Allow": "POST"})
                return False
            return True

        def do_POST(self) -> None:
            try:
                status = listener.authorize(self.path, self.headers)
                if status is None:
                    body = self._body()
                    status = body if isinstance(body, int) else listener.receive(body)
            except TimeoutError:
                status = 408
            except OSError:  # the client went away: nobody to answer
                self.close_connection = True
                return
            except Exception:  # a bug of ours: the client still gets an answer
                log.exception("webhook: a delivery could not be handled")
                status = 500
            self._answer(status)

        def _body(self) -> bytes | int:
            """The delivery's bytes, or the status that refuses it."""
            if self.headers.get("Transfer-Encoding") is not None:
                return 411  # Auvo sends a Content-Length; chunked bodies are not read
            lengths = self.headers.get_all("Content-Length") or []
            if not lengths:
                return 411
            if len(set(lengths)) != 1 or not _DIGITS.fullmatch(lengths[0].strip()):
                return 400
            digits = lengths[0].strip().lstrip("0") or "0"
            # Measured before int(), which refuses thousands of digits with a ValueError.
            if len(digits) > len(str(MAX_DELIVERY_BYTES)) or int(digits) > MAX_DELIVERY_BYTES:
                return 413
            length = int(digits)
            if length == 0:
                return 400
            body = self.rfile.read(length)
            if len(body) < length:
                return 400
            self.unread = False
            return body

        def _answer(self, status: int, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.send_header("Connection", "close")
            self.end_headers()
            self.close_connection = True

        def finish(self) -> None:
            if self.unread:
                self._drain()
            super().finish()

        def _drain(self) -> None:
            # Answered before reading all the client sent: closing now would reset the
            # connection and could lose the answer, so read on (within the deadline).
            try:
                self.connection.shutdown(socket.SHUT_WR)
                drained = 0
                while drained < _DRAIN_BYTES and (chunk := self.rfile.read1(65536)):
                    drained += len(chunk)
            except OSError:  # TimeoutError included: the deadline has the last word
                pass

        # http.server logs the request line, which holds the path, which may hold the
        # secret: these log the method, the redacted path and the status instead.
        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            command = getattr(self, "command", None) or "-"
            target = listener.redact(getattr(self, "path", "") or "")
            log.debug("webhook: %s %s from %s: %s", command, target, self.client_address[0], code)

        def log_error(self, format: str, *args: Any) -> None:
            log.debug(
                "webhook: refused a malformed or slow request from %s", self.client_address[0]
            )

        def log_message(self, format: str, *args: Any) -> None:
            return  # everything worth logging goes through the two above, redacted

    return Delivery
