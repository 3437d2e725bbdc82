"""Bling webhooks: check the signature, read the envelope, drop repeats.

Bling signs each delivery with ``X-Bling-Signature-256: sha256=<hex>``, the HMAC-SHA256 of
the raw body keyed with the app's client secret. The body is the envelope
``{eventId, date, version, event, companyId, data}``; ``event`` is ``<resource>.<action>``
(``order.created``, ``product.updated``, ...). Deliveries repeat, so ``Deduplicator``
remembers the ``eventId`` values already handled.
"""

from __future__ import annotations

import hashlib
import hmac
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import Any

from pydantic import Field, ValidationError as PydanticValidationError

from sdkcore import APIModel, SDKError
from sdkcore.bodies import UnreadableJSON, exact_json
from sdkcore.models import CamelModel, OptionalInstant
from sdkcore.redact import register_secret

from .models import Contato, PedidoVenda, Produto

SIGNATURE_HEADER = "X-Bling-Signature-256"


class WebhookError(SDKError, ValueError):
    """A delivery that must not be trusted or cannot be read."""


class WebhookSignatureError(WebhookError):
    """The signature is missing or does not match the body."""


RECORD_MODELS: dict[str, type[APIModel]] = {
    "order": PedidoVenda,
    "product": Produto,
    "contact": Contato,
}
"""Which model the ``data`` of each event resource parses into; others stay a dict."""


class WebhookEvent(CamelModel):
    """One delivery: ``event`` names what happened, ``data`` holds the record."""

    event_id: str
    date: OptionalInstant = None
    version: str | None = None
    event: str = ""
    company_id: str | None = None
    data: dict[str, Any] = Field(default_factory=dict)

    @property
    def resource(self) -> str:
        return self.event.rsplit(".", 1)[0]

    @property
    def action(self) -> str:
        return self.event.rsplit(".", 1)[-1] if "." in self.event else ""

    @property
    def record(self) -> APIModel | None:
        """``data`` as a model (``PedidoVenda`` for ``order.*``, ...), or ``None`` if unknown."""
        model = RECORD_MODELS.get(self.resource)
        return model.model_validate(self.data) if model else None


# Every body is looked at (no target): ``data`` stays a dict, and ``record`` reads the
# amounts in it from the digits the body wrote.
_read_event = exact_json(WebhookEvent.model_validate_json, WebhookEvent.model_validate)


def signature(body: bytes | str, secret: str) -> str:
    """The header value Bling sends for ``body``: ``sha256=<hex>``."""
    raw = body.encode() if isinstance(body, str) else body
    return "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()


class Webhooks:
    """Verification and parsing bound to one client secret (``bling.webhooks``)."""

    def __init__(self, secret: str | None) -> None:
        self._secret = secret
        register_secret(secret)

    def __repr__(self) -> str:
        return f"Webhooks(secret={'***' if self._secret else None})"

    def verify(self, raw_body: bytes | str, signature_header: str | None) -> bool:
        """Whether the header is the HMAC of exactly these bytes (compared in constant time)."""
        if not self._secret:
            raise WebhookError("no client secret to verify webhooks with (pass webhook_secret=)")
        if not signature_header:
            return False
        expected = signature(raw_body, self._secret)
        given = signature_header.strip()
        if not given.lower().startswith("sha256="):
            given = "sha256=" + given
        return hmac.compare_digest(expected.encode(), given.lower().encode())

    def parse(self, raw_body: bytes | str) -> WebhookEvent:
        """The envelope as a ``WebhookEvent`` (no signature check: use ``construct_event``)."""
        raw = raw_body.encode() if isinstance(raw_body, str) else raw_body
        try:
            return _read_event(raw)
        except PydanticValidationError as exc:
            raise WebhookError(f"not a Bling webhook envelope: {exc.errors()[0]['msg']}") from None
        except UnreadableJSON as exc:
            raise WebhookError(f"not a Bling webhook envelope: {exc.reason}") from None

    def construct_event(self, raw_body: bytes | str, signature_header: str | None) -> WebhookEvent:
        """Verify, then parse; raise ``WebhookSignatureError`` when the signature is wrong."""
        if not self.verify(raw_body, signature_header):
            raise WebhookSignatureError("the webhook signature does not match its body")
        return self.parse(raw_body)


class Deduplicator:
    """Remembers the last ``capacity`` event ids; thread-safe.

    ``first_time(event)`` is True once per ``eventId``; ``fresh(events)`` yields only events
    not seen before. Keep one per process (or back it with your database for many).
    """

    def __init__(self, capacity: int = 10_000) -> None:
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._seen: OrderedDict[str, None] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event: WebhookEvent | str) -> bool:
        key = event.event_id if isinstance(event, WebhookEvent) else event
        with self._lock:
            if key in self._seen:
                self._seen.move_to_end(key)
                return False
            self._seen[key] = None
            if len(self._seen) > self.capacity:
                self._seen.popitem(last=False)
            return True

    def fresh(self, events: Iterable[WebhookEvent]) -> Iterator[WebhookEvent]:
        for event in events:
            if self.first_time(event):
                yield event

    def __len__(self) -> int:
        return len(self._seen)


__all__ = [
    "SIGNATURE_HEADER",
    "Deduplicator",
    "WebhookError",
    "WebhookEvent",
    "WebhookSignatureError",
    "Webhooks",
    "signature",
]
