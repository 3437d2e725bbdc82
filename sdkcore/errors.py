"""The exception families every client raises.

Each client re-exports these classes, so ``except contaazul.ValidationError`` and
``except sdkcore.APIError`` catch the same thing.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from .redact import mask_secrets, mask_secrets_in

BODY_EXCERPT_LIMIT = 500


@attrs.frozen
class FieldError:
    """One rejected field, as the API explained it."""

    field: str | None
    message: str
    code: str | None = None

    def __str__(self) -> str:
        return f"{self.field}: {self.message}" if self.field else self.message


class SDKError(Exception):
    """Base of every exception this SDK raises on purpose."""


class RequestValidationError(SDKError, ValueError):
    """Bad input caught before any request was sent; names the field and the reason."""

    def __init__(self, field: str, reason: str) -> None:
        self.field = field
        self.reason = reason
        super().__init__(f"{field}: {reason}")


class APIError(SDKError):
    """A request failed: the server said no, or the answer never came or made no sense."""

    status_code: int | None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        method: str | None = None,
        url: str | None = None,
        body: bytes | str | None = None,
        request_id: str | None = None,
        code: str | None = None,
        field_errors: Sequence[FieldError] = (),
        details: Any = None,
        retry_after: float | None = None,
    ) -> None:
        # Whatever built it, an error keeps no known credential: servers quote tokens back
        # in messages, field errors, bodies and even the request id header.
        message = mask_secrets(message)
        self.message = message
        self.status_code = status_code
        self.method = method
        self.url = mask_secrets(url) if url else url
        self.body_excerpt = redacted_excerpt(body, redact=mask_secrets)
        self.request_id = mask_secrets(request_id) if request_id else request_id
        self.code = mask_secrets(code) if code else code
        self.field_errors: list[FieldError] = [
            FieldError(
                mask_secrets(e.field) if e.field else e.field,
                mask_secrets(e.message),
                mask_secrets(e.code) if e.code else e.code,
            )
            for e in field_errors
        ]
        self.details = mask_secrets_in(details)
        self.retry_after = retry_after
        super().__init__(message)

    def __str__(self) -> str:
        return self._render()

    def _render(self) -> str:
        parts = []
        if self.status_code is not None:
            parts.append(str(self.status_code))
        if self.method and self.url:
            parts.append(f"{self.method} {self.url}")
        head = " ".join(parts)
        text = f"{head}: {self.message}" if head else self.message
        if self.code:
            text += f" [code {self.code}]"
        if self.field_errors:
            text += " (" + "; ".join(str(e) for e in self.field_errors) + ")"
        if self.request_id:
            text += f" [request id {self.request_id}]"
        if self.body_excerpt and self.body_excerpt not in text:
            text += f" | body: {self.body_excerpt}"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Keep errors picklable (multiprocessing, task queues) despite keyword-only args.
        return (_rebuild, (type(self), self.message, self.__dict__.copy()))


def _rebuild(cls: type[APIError], message: str, state: Mapping[str, Any]) -> APIError:
    err = cls.__new__(cls)
    Exception.__init__(err, message)
    err.__dict__.update(state)
    return err


class APIStatusError(APIError):
    """The server answered with an error status."""


class BadRequestError(APIStatusError):
    """400: the request was malformed for this API."""


class AuthenticationError(APIStatusError):
    """The credentials were missing, wrong, expired or disabled."""


class MissingCredentialsError(RequestValidationError, AuthenticationError):
    """A client was built, or a call made, without the credentials it needs; nothing was
    sent. ``field`` names the argument to pass and ``env_vars`` the environment variables
    that can supply it instead.

    Every client raises this one class. It is a ``RequestValidationError`` (bad input,
    caught before sending) and an ``AuthenticationError`` (credentials missing, no status),
    so an ``except`` written for either still catches it.
    """

    def __init__(self, field: str, reason: str, env_vars: Sequence[str] = ()) -> None:
        self.env_vars = tuple(env_vars)
        RequestValidationError.__init__(self, field, reason)


class PermissionDeniedError(APIStatusError):
    """403: the credentials are valid but may not do this."""


class NotFoundError(APIStatusError):
    """404: no such record or route."""


class ConflictError(APIStatusError):
    """409: the record changed or already exists."""


class ValidationError(BadRequestError):
    """The API rejected one or more fields; ``field_errors`` lists them.

    A kind of ``BadRequestError``, so code that catches bad requests catches these too,
    whichever status the API uses for them (400, 412, 422).
    """


class RateLimitError(APIStatusError):
    """The server throttled us; ``retry_after`` says how long to wait, when it said."""


class ServerError(APIStatusError):
    """5xx: the server failed."""


class ResponseParseError(APIError):
    """The body was not what the API promised: HTML, truncated JSON, empty or the wrong shape."""


class RecordParseError(ResponseParseError):
    """One record of a list page does not fit its model, while the page itself does.

    ``index`` is its place on page ``page`` and ``record_id`` its id when it has one, so a
    caller can report it and fetch it again later; the page's other records are kept.
    """

    def __init__(
        self,
        message: str,
        *,
        index: int,
        page: int | None = None,
        record_id: str | None = None,
        **fields: Any,
    ) -> None:
        self.index = index
        self.page = page
        self.record_id = record_id
        super().__init__(message, **fields)


class APIConnectionError(APIError):
    """No answer: the connection failed or dropped."""


class APITimeoutError(APIConnectionError):
    """No answer within the timeout."""


def excerpt(body: bytes | str | None, limit: int = BODY_EXCERPT_LIMIT) -> str:
    """A short, printable slice of a body, for messages and logs."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


def redacted_excerpt(
    body: bytes | str | None,
    redact: Callable[[str], str],
    limit: int = BODY_EXCERPT_LIMIT,
) -> str:
    """``excerpt`` of a body with secrets masked by ``redact``, which reads only the body's
    head: enough to fill the excerpt, so a secret cut by the excerpt's end is masked whole."""
    if not body:
        return ""
    head = body[: limit * 4]
    text = head.decode("utf-8", "replace") if isinstance(head, bytes) else head
    shown = excerpt(redact(text), limit)
    if len(head) < len(body) and not shown.endswith("…"):
        shown += "…"
    return shown


STATUS_ERRORS: Mapping[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    412: ValidationError,
    422: ValidationError,
    429: RateLimitError,
}


def error_class_for_status(status: int) -> type[APIStatusError]:
    if status in STATUS_ERRORS:
        return STATUS_ERRORS[status]
    if status >= 500:
        return ServerError
    return APIStatusError


__all__ = [
    "APIConnectionError",
    "APIError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "FieldError",
    "MissingCredentialsError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RecordParseError",
    "RequestValidationError",
    "ResponseParseError",
    "SDKError",
    "ServerError",
    "ValidationError",
]
