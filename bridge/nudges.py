"""An HTTP endpoint for Auvo's webhook deliveries that nudges ``bridge.poll``.

A delivery is never trusted for data: anyone who knows the URL can post one. It only says
"something changed, look now", and the pass that follows reads Auvo itself. Put it behind
your HTTPS proxy; a hard-to-guess ``path`` keeps strangers from nudging.
"""

from __future__ import annotations

import hmac
import logging
import threading
from http.server import BaseHTTPRequestHandler
from typing import Any

from auvo import User, WebhookParseError, parse_event
from auvo.webhooks import ENTITY_MODELS
from sdkcore.serving import BackgroundHTTPServer

__all__ = ["MAX_DELIVERY_BYTES", "WebhookListener"]

log = logging.getLogger(__name__)

MAX_DELIVERY_BYTES = 1024 * 1024


class WebhookListener(BackgroundHTTPServer):
    """Listens on ``host:port`` for POSTs to ``path``; each valid delivery sets ``wake``,
    except one about users, which no pass syncs. A context manager; ``port=0`` picks a free
    port; ``url`` is the address to give Auvo (through your proxy)."""

    def __init__(
        self,
        wake: threading.Event,
        host: str = "127.0.0.1",
        port: int = 0,
        path: str = "/auvo",
    ) -> None:
        self.wake = wake
        self.path = path if path.startswith("/") else "/" + path
        super().__init__(_handler(self), host, port)

    @property
    def url(self) -> str:
        return super().url + self.path

    def receive(self, body: bytes) -> int:
        """The status a delivery gets: 202 when it nudged, 200 when it was about users
        (nothing a pass syncs), 400 when it is not an Auvo delivery."""
        try:
            event = parse_event(body)
        except WebhookParseError as exc:
            log.warning("webhook: refused a delivery: %s", exc)
            return 400
        if ENTITY_MODELS.get(event.entity_type.strip().lower()) is User:
            return 200
        log.info(
            "webhook: %s %s %s; next pass now", event.entity_type, event.action, event.entity_id
        )
        self.wake.set()
        return 202


def _handler(listener: WebhookListener) -> type[BaseHTTPRequestHandler]:
    class Delivery(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            # Compared in constant time: the path may be the secret that keeps strangers out.
            if not hmac.compare_digest(self.path.split("?", 1)[0], listener.path):
                self._answer(404)
                return
            try:
                length = int(self.headers.get("Content-Length") or 0)
            except ValueError:
                length = -1
            if not 0 < length <= MAX_DELIVERY_BYTES:
                self._answer(400 if length <= MAX_DELIVERY_BYTES else 413)
                return
            self._answer(listener.receive(self.rfile.read(length)))

        def do_GET(self) -> None:
            self._answer(405)

        def _answer(self, status: int) -> None:
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: Any) -> None:
            log.debug("webhook: " + format, *args)

    return Delivery
