"""What Conta Azul's error bodies say, and which exception each one is.

The API answers a failure in several shapes:

- ``{"code": 400, "message": "..."}`` (the financial API; ``code`` repeats the status);
- ``{"error": "..."}`` (sales, quotations, contracts);
- ``{"error": "invalid_token", "error_description": "..."}`` (RFC 6749, from the gateway
  and the token endpoint);
- a list of rejected fields, under ``erros``/``errors``/``campos``/``fields``/``detalhes``
  (each item ``{campo|field, mensagem|message, codigo|code}``), or a bare list of them;
- an empty body.

``read_error`` turns any of them into ``ErrorInfo``; ``error_class`` picks the exception:
the status decides (``sdkcore``'s table), except that a 400 naming fields is a
``ValidationError`` and an OAuth error code names its family whatever the status.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from sdkcore.client import ErrorInfo
from sdkcore.errors import (
    APIError,
    AuthenticationError,
    FieldError,
    PermissionDeniedError,
    ValidationError,
    error_class_for_status,
)

FIELD_LIST_KEYS = ("erros", "errors", "campos", "fields", "detalhes", "details", "violations")
"""Where a body may list the fields it rejects."""
_FIELD_NAME_KEYS = ("campo", "field", "nome_campo", "propriedade", "property", "path", "nome")
_FIELD_MESSAGE_KEYS = ("mensagem", "message", "msg", "descricao", "description", "erro", "error")
_FIELD_CODE_KEYS = ("codigo", "code")

_AUTH_CODES = frozenset({"invalid_token", "invalid_client", "unauthorized", "unauthenticated"})
_FORBIDDEN_CODES = frozenset({"insufficient_scope", "access_denied", "forbidden"})

# "O campo 'nome' é obrigatório", "parâmetro 'id_conta_financeira'": a message that names a
# field in quotes names it for the caller too.
_NAMED_IN_MESSAGE = re.compile(r"\b(?:campo|par[âa]metro)s?\s+['\"]([\w.\[\]]+)['\"]", re.I)


def read_error(data: Any) -> ErrorInfo:
    """Read any of Conta Azul's error bodies (already decoded from JSON; ``None`` when
    empty) into what the exception carries."""
    if isinstance(data, list):
        return ErrorInfo(field_errors=_field_errors(data), details=data)
    if isinstance(data, str):
        return ErrorInfo(message=data or None)
    if not isinstance(data, dict):
        return ErrorInfo()
    error = data.get("error")
    message = _first_text(data, ("message", "mensagem", "error_description"))
    code = _text(data.get("code") if data.get("code") is not None else data.get("codigo"))
    if isinstance(error, str):
        # {"error": "invalid_token", "error_description": ...} names a code; {"error":
        # "Mensagem de erro detalhada"} (a sentence) is the message itself.
        if _looks_like_a_code(error):
            code = error
            message = message or error
        else:
            message = message or error
    elif isinstance(error, dict):
        nested = read_error(error)
        return ErrorInfo(
            message=nested.message or message,
            code=nested.code or code,
            field_errors=nested.field_errors,
            details=data,
        )
    fields = next(
        (_field_errors(data[key]) for key in FIELD_LIST_KEYS if data.get(key)),
        (),
    )
    if not fields and message:
        fields = tuple(FieldError(name, message) for name in _NAMED_IN_MESSAGE.findall(message))
    return ErrorInfo(message=message, code=code, field_errors=fields, details=data)


def error_class(status: int, info: ErrorInfo) -> type[APIError]:
    """The exception for a failure with ``status`` whose body said ``info``."""
    code = (info.code or "").lower()
    if code in _AUTH_CODES:
        return AuthenticationError
    if code in _FORBIDDEN_CODES:
        return PermissionDeniedError
    if status == 400 and info.field_errors:
        return ValidationError
    return error_class_for_status(status)


def _field_errors(items: Any) -> tuple[FieldError, ...]:
    if isinstance(items, Mapping):
        # {"nome": "obrigatório"} or {"nome": ["obrigatório", "curto"]}
        return tuple(
            FieldError(str(field), str(message))
            for field, messages in items.items()
            for message in (messages if isinstance(messages, list) else [messages])
        )
    if not isinstance(items, list):
        return (FieldError(None, str(items)),)
    found: list[FieldError] = []
    for item in items:
        if isinstance(item, Mapping):
            message = _first_text(item, _FIELD_MESSAGE_KEYS) or _describe(item)
            code = _first_text(item, _FIELD_CODE_KEYS)
            found.append(FieldError(_first_text(item, _FIELD_NAME_KEYS), message, code))
        else:
            found.append(FieldError(None, str(item)))
    return tuple(found)


def _first_text(data: Mapping[str, Any], keys: Iterable[str]) -> str | None:
    for key in keys:
        value = data.get(key)
        if value is not None and value != "" and not isinstance(value, dict | list):
            return str(value)
    return None


def _describe(item: Mapping[str, Any]) -> str:
    return ", ".join(f"{key}={value}" for key, value in item.items())


def _looks_like_a_code(text: str) -> bool:
    return bool(text) and " " not in text.strip() and text.strip().replace("_", "").isalnum()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
