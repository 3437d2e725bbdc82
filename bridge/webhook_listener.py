"""An HTTP endpoint for Auvo's webhook deliveries, and the ERP's when it sends any, that
nudges ``bridge.poll``.

A delivery is never trusted for data: anyone who knows the URL can post one. It only says
"something changed, look now", and the pass that follows reads Auvo itself. Put it behind
your HTTPS proxy and give it a ``secret``: Auvo posts to a fixed URL and cannot add headers,
so the secret rides in the path (``/auvo/<secret>``); a client of your own may send it in an
``X-Webhook-Secret`` or ``Authorization: Bearer`` header instead. Logs, ``repr`` and errors
show the URL with the secret masked (``redacted_url``).

An ERP that signs its deliveries (its ``ErpKind.webhooks``) is served on a path of its own
(``erp_path``): there the signature, checked against the raw body with the ERP's key, is
what lets a delivery in, so that path holds no secret. A delivery without a valid signature
gets a 401 that says no more, and neither the key nor a signature is ever logged.

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
from typing import Any, Protocol

from auvo import User, WebhookParseError, parse_event
from auvo.webhooks import ENTITY_MODELS
from sdkcore.logs import module_logger
from sdkcore.redact import MASK, register_secret
from sdkcore.serving import BackgroundHTTPServer

from .errors import ConfigError

__all__ = [
    "CONNECTION_TIMEOUT_SECONDS",
    "DEFAULT_ERP_PATH",
    "DEFAULT_PATH",
    "MAX_CONNECTIONS",
    "MAX_DELIVERY_BYTES",
    "SECRET_HEADER",
    "DeliveryEndpoint",
    "ErpWebhooks",
    "WebhookListener",
    "WebhookPathTaken",
    "auvo_delivery",
    "delivery_handler",
    "erp_delivery",
    "given_secret",
    "listen_address",
    "secret_bytes",
    "secret_matches",
]

log = module_logger(__name__)

MAX_DELIVERY_BYTES = 1024 * 1024
DEFAULT_PATH = "/auvo"
DEFAULT_ERP_PATH = "/erp"
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


class WebhookPathTaken(ValueError):
    """The ERP's path is Auvo's too: one of them would never be reached."""


class ErpWebhooks(Protocol):
    """How an ERP's webhook deliveries prove they come from it and say what happened: what
    its ``ErpKind.webhooks`` makes from the settings holding the key it signs them with."""

    @property
    def signature_header(self) -> str:
        """The header a delivery carries its signature in."""

    def signed(self, body: bytes, signature: str | None) -> bool:
        """Whether ``signature`` (the header's value; ``None`` without one) signs exactly
        ``body``, compared in constant time."""

    def event(self, body: bytes) -> str:
        """What a signed delivery says happened, for the log (no field of the record, which
        may be personal data); ``ValueError`` when ``body`` is not one of the ERP's
        deliveries."""


class DeliveryEndpoint(Protocol):
    """What ``delivery_handler`` serves: who may deliver, what a delivery gets, and how a
    request target shows in a log. ``WebhookListener`` is one; the fleet's receiver
    (``bridge.fleet.webhooks``) another."""

    @property
    def timeout(self) -> float:
        """Seconds a connection has to send its whole request."""

    def authorize(self, target: str, headers: Any) -> int | None:
        """``None`` when a POST to ``target`` may deliver; else the status refusing it,
        before its body is read."""

    def deliver(self, target: str, headers: Any, body: bytes) -> int:
        """The status of a delivery ``authorize`` let through."""

    def redact(self, target: str) -> str:
        """``target`` as a log may show it: no secret, no query."""


def listen_address(text: str, option: str) -> tuple[str, int]:
    """``HOST:PORT``, ``[IPv6]:PORT`` or ``:PORT`` (loopback) as a host and a port; a
    ``ConfigError`` on ``option`` (the command's, ``--webhook``) saying what is wanted."""
    if text.startswith("["):
        host, bracket, port = text[1:].partition("]:")
        ok = bool(bracket) and ":" in host
    else:
        host, _, port = text.rpartition(":")
        ok = ":" not in host  # a bare IPv6 address: which colon starts the port?
    if not ok or not port.isdigit() or int(port) > 65535:
        raise ConfigError(
            option,
            f"must be HOST:PORT, [IPv6]:PORT or :PORT (e.g. 127.0.0.1:8765 or [::1]:8765), "
            f"got {text!r}",
        )
    return host or "127.0.0.1", int(port)


def secret_bytes(secret: str) -> bytes:
    """``secret`` as ``secret_matches`` compares it; ``ValueError`` (without the value) when
    it cannot sit in a URL path."""
    if not _SECRET_CHARS.fullmatch(secret):
        raise ValueError(
            "the webhook secret must be non-empty and use only letters, digits and "
            "'-', '.', '_', '~' (it sits in a URL path); the value is not shown"
        )
    return secret.encode("ascii")


def given_secret(headers: Any) -> str:
    """The secret a delivery carries in a header: ``X-Webhook-Secret`` or a bearer
    credential (``""`` without either)."""
    given = headers.get(SECRET_HEADER)
    if given is None:
        scheme, _, credential = (headers.get("Authorization") or "").partition(" ")
        given = credential.strip() if scheme.lower() == "bearer" else ""
    return str(given)


def secret_matches(given: str, secret: bytes) -> bool:
    """Whether ``given`` (from a path or a header) is ``secret``, in constant time."""
    return hmac.compare_digest(_raw(given), secret)


def auvo_delivery(body: bytes) -> tuple[int, str | None]:
    """The status an Auvo delivery gets and, when it asks for a pass (202), what it says
    happened, for the log: 200 when it is about users (nothing a pass syncs), 400 when it
    is not an Auvo delivery (logged here)."""
    try:
        event = parse_event(body)
    except (WebhookParseError, ValueError) as exc:
        log.warning("webhook: refused a delivery: %s", exc)
        return 400, None
    except RecursionError:  # JSON nested deeper than the parser can follow
        log.warning("webhook: refused a delivery: its JSON is nested too deeply")
        return 400, None
    if ENTITY_MODELS.get(event.entity_type.strip().lower()) is User:
        return 200, None
    return 202, f"{event.entity_type} {event.action} {event.entity_id}"


def erp_delivery(
    erp: ErpWebhooks, body: bytes, signature: str | None, where: str
) -> tuple[int, str | None]:
    """The status an ERP's delivery to ``where`` (its path, for the log) gets and, when it
    asks for a pass (202), what it says happened: 401 when ``signature`` is missing or does
    not sign ``body`` (checked first: nothing unsigned is parsed), 400 when it is signed
    but not one of the ERP's deliveries (both logged here)."""
    if not erp.signed(body, signature):
        log.warning("webhook: refused a delivery to %s: not signed by the ERP", where)
        return 401, None
    try:
        event = erp.event(body)
    except ValueError as exc:
        log.warning("webhook: refused a delivery to %s: %s", where, exc)
        return 400, None
    except RecursionError:  # JSON nested deeper than the parser can follow
        log.warning("webhook: refused a delivery to %s: its JSON is nested too deeply", where)
        return 400, None
    return 202, event


class WebhookListener(BackgroundHTTPServer):
    """Listens on ``host:port`` for POSTs to ``path`` (or, with a ``secret``, to
    ``path/<secret>``, or to ``path`` with the secret in a header); each valid delivery sets
    ``wake``, except one about users, which no pass syncs. A context manager; ``port=0``
    picks a free port; ``url`` is the address to give Auvo (through your proxy) and holds
    the secret, so show ``redacted_url`` instead.

    With ``erp`` (an ERP's ``ErpWebhooks``) it also takes that ERP's deliveries, POSTed to
    ``erp_path`` (``erp_url``) and let in by their signature alone: each signed one sets
    ``wake`` too."""

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
        erp: ErpWebhooks | None = None,
        erp_path: str = DEFAULT_ERP_PATH,
    ) -> None:
        self._secret = secret_bytes(secret) if secret is not None else None
        if timeout <= 0:
            raise ValueError(f"the webhook timeout must be positive seconds, got {timeout}")
        self.wake = wake
        self.path = path if path.startswith("/") else "/" + path
        self.timeout = timeout
        if secret is not None:  # masked in any log, error or report, whoever prints it
            register_secret(secret)
        base = self.path.rstrip("/")
        self._secret_path = f"{base}/{secret}" if secret is not None else None
        self.erp = erp
        self.erp_path = erp_path if erp_path.startswith("/") else "/" + erp_path
        if erp is not None and self.erp_path in (self.path, self._secret_path):
            raise WebhookPathTaken(
                f"{self.erp_path} is where the ERP's deliveries go: give Auvo's another path"
            )
        # The part of a request path that logs may show. With a secret the path is public;
        # without one the path itself may be the secret (``--webhook-path /auvo/<secret>``),
        # so only a first segment ahead of more, or the default path, is shown.
        first, _, rest = self.path.strip("/").partition("/")
        if secret is not None or self.path == DEFAULT_PATH:
            self._public_path: str | None = base or "/"
        else:
            self._public_path = f"/{first}" if rest else None
        super().__init__(
            delivery_handler(self), host, port, timeout=timeout, max_connections=max_connections
        )

    @property
    def url(self) -> str:
        """The address to give Auvo: with a secret, the secret is in it."""
        return super().url + (self._secret_path or self.path)

    @property
    def erp_url(self) -> str | None:
        """The address to give the ERP (``None`` without ``erp``): it holds no secret."""
        return None if self.erp is None else super().url + self.erp_path

    @property
    def redacted_url(self) -> str:
        """``url`` with the secret masked, fit for logs and screens."""
        return super().url + self.redact(self._secret_path or self.path)

    def redact(self, target: str) -> str:
        """A request target as logs may show it: the query dropped, a secret masked."""
        path, question, _ = target.partition("?")
        query = f"?{MASK}" if question else ""
        if self.erp is not None and path == self.erp_path:
            return path + query
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
        for ours without the secret. The ERP's path is let through: its signature is checked
        against the body (``receive_erp``)."""
        if self._is_erp(target):
            return None
        path = _raw(target.partition("?")[0])
        if self._secret is None or self._secret_path is None:
            return None if hmac.compare_digest(path, _raw(self.path)) else 404
        if hmac.compare_digest(path, _raw(self._secret_path)):
            return None
        if not hmac.compare_digest(path, _raw(self.path)):
            return 404
        return None if secret_matches(given_secret(headers), self._secret) else 401

    def receive(self, body: bytes) -> int:
        """The status a delivery gets: 202 when it nudged, 200 when it was about users
        (nothing a pass syncs), 400 when it is not an Auvo delivery."""
        status, event = auvo_delivery(body)
        if event is not None:
            log.info("webhook: %s; next pass soon", event)
            self.wake.set()
        return status

    def deliver(self, target: str, headers: Any, body: bytes) -> int:
        """The status of a delivery ``authorize`` let through: the ERP's on its path (its
        signature in ``headers``), Auvo's on the other."""
        if self.erp is not None and self._is_erp(target):
            return self.receive_erp(body, headers.get(self.erp.signature_header))
        return self.receive(body)

    def receive_erp(self, body: bytes, signature: str | None) -> int:
        """The status an ERP's delivery gets: 202 when it nudged, 401 when ``signature`` is
        missing or does not sign ``body`` (checked first: nothing unsigned is parsed), 400
        when it is signed but not one of the ERP's deliveries."""
        if self.erp is None:
            raise ValueError("this listener takes no ERP deliveries (give it erp=)")
        status, event = erp_delivery(self.erp, body, signature, self.erp_path)
        if event is not None:
            log.info("webhook: %s %s; next pass soon", self.erp_path, event)
            self.wake.set()
        return status

    def _is_erp(self, target: str) -> bool:
        # A plain comparison: the ERP's path is public, its signature is the proof.
        return self.erp is not None and target.partition("?")[0] == self.erp_path


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


def delivery_handler(listener: DeliveryEndpoint) -> type[BaseHTTPRequestHandler]:
    """The request handler serving ``listener`` with the limits above: POST only, one
    request per connection, a whole request within ``listener.timeout``, a body of a
    ``Content-Length`` up to ``MAX_DELIVERY_BYTES``, refused before it is read when
    ``authorize`` says so, and logged with the target ``redact`` shows."""

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
                    status = (
                        body
                        if isinstance(body, int)
                        else listener.deliver(self.path, self.headers, body)
                    )
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
