"""What the SDK accepts as a body: readable JSON, and no more bytes than the cap.

Every JSON reader in the packages goes through ``loads_json``, so "this body cannot be
read" is one rule with one wording: not JSON at all, or nested deeper than
``MAX_JSON_DEPTH`` levels (pydantic's own limit, so ``validate_json`` and ``loads_json``
agree on what is readable). It raises ``UnreadableJSON``, a ``ValueError`` naming the
reason, never a bare ``RecursionError``; the clients turn it into ``ResponseParseError``.
"""

from __future__ import annotations

from typing import Any

from pydantic_core import from_json

DEFAULT_MAX_RESPONSE_BYTES = 32 * 1024 * 1024
"""The largest response body a client reads (``max_response_bytes``), 32 MiB by default."""

MAX_JSON_DEPTH = 200
"""How deep JSON may nest: pydantic's limit for ``validate_json``, applied everywhere."""

NESTED_TOO_DEEPLY = f"nested too deeply (more than {MAX_JSON_DEPTH} levels)"


class UnreadableJSON(ValueError):
    """A body that is not JSON this SDK can read; ``reason`` says why, in words."""

    def __init__(self, reason: str) -> None:
        self.reason = reason
        super().__init__(reason)


def loads_json(content: bytes | bytearray | str) -> Any:
    """The decoded JSON value of ``content``, or ``UnreadableJSON`` saying what is wrong."""
    try:
        # pydantic-core's parser stops at MAX_JSON_DEPTH instead of exhausting the stack
        # as json.loads does (RecursionError), and parses numbers and strings alike.
        return from_json(content)
    except ValueError as exc:
        raise UnreadableJSON(_reason(str(exc))) from None
    except RecursionError:
        raise UnreadableJSON(NESTED_TOO_DEEPLY) from None


def unreadable_reason(exc: BaseException) -> str | None:
    """Why a reader failed on the JSON itself (not on its shape), or None.

    Knows ``UnreadableJSON``, a ``RecursionError``, and pydantic's ``json_invalid`` error
    from ``validate_json``.
    """
    if isinstance(exc, UnreadableJSON):
        return exc.reason
    if isinstance(exc, RecursionError):
        return NESTED_TOO_DEEPLY
    errors = getattr(exc, "errors", None)
    if callable(errors):
        try:
            items = errors(include_url=False, include_input=False, include_context=False)
        except TypeError:
            return None
        for item in items:
            if item.get("type") == "json_invalid":
                message = str(item.get("msg", ""))
                return _reason(message.removeprefix("Invalid JSON: "))
    return None


def _reason(parser_message: str) -> str:
    # The parser's own words for depth ("recursion limit exceeded") name the limit, not
    # the body; say what is wrong with the body.
    if "recursion limit" in parser_message.lower():
        return NESTED_TOO_DEEPLY
    return f"invalid JSON ({parser_message})"
