"""What the SDK accepts as a body: readable JSON, and no more bytes than the cap.

Every JSON reader in the packages goes through ``loads_json``, so "this body cannot be
read" is one rule with one wording: not JSON at all, or nested deeper than
``MAX_JSON_DEPTH`` levels (pydantic's own limit, so ``validate_json`` and ``loads_json``
agree on what is readable). It raises ``UnreadableJSON``, a ``ValueError`` naming the
reason, never a bare ``RecursionError``; the clients turn it into ``ResponseParseError``.

A JSON number is a double to pydantic-core, and a double keeps 15 significant digits.
Every reader of a body into a model is an ``exact_json`` (``json_reader`` makes one for a
model or a ``TypeAdapter``): pydantic-core's ``validate_json`` as long as no number in the
body is longer than that, and otherwise ``loads_json(exact=True)``, which keeps each
number's text (``ExactFloat``), then ``validate_python``. Amounts read that text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal
from json.encoder import encode_basestring
from typing import Any, TypeVar, overload

from pydantic import BaseModel, TypeAdapter
from pydantic_core import from_json

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

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


class ExactFloat(float):
    """A JSON number with a fraction or an exponent, read with the text it was written as.

    It is the double a fast parser reads (so a ``float`` field, an unknown field or a write
    sees what it always saw), and ``as_decimal()`` is the number the text says, every digit.
    """

    __slots__ = ("text",)
    text: str

    def as_decimal(self) -> Decimal:
        """The text's number, written as pydantic-core writes a number it reads: a whole
        one without fraction or exponent (``1.5E+3`` is ``Decimal("1500")``), any other
        without trailing zeros (``45.90`` is ``Decimal("45.9")``)."""
        exact = Decimal(self.text)
        # Within a double's range, as pydantic-core does; past it (1e400), no int of
        # hundreds of digits is spelled out.
        if exact.adjusted() <= _DOUBLE_DIGITS and exact == exact.to_integral_value():
            return Decimal(int(exact))
        return exact.normalize(_UNROUNDED)


_DOUBLE_DIGITS = 308  # the largest double is about 1.8e308
# Enough digits and exponent for any number a body can write: normalize() never rounds.
_UNROUNDED = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


def _exact_float(text: str) -> ExactFloat:
    number = ExactFloat(text)
    number.text = text
    return number


# A double holds any decimal of up to 15 significant digits exactly; a number with 16 or
# more, a fraction or an exponent is a run of 17 or more of these characters. Mapping them
# all to "0" lets bytes.find look for the run at C speed (a regex costs several times more).
_NUMBER_CHARACTERS = bytes.maketrans(b"0123456789.eE", b"0" * 13)
_LONG_RUN = b"0" * 17
_RUN = re.compile(rb"0+")
_BEFORE_A_NUMBER = frozenset(b"[:,")
_BLANKS = frozenset(b" \t\r\n")


def has_long_number(content: bytes | bytearray) -> bool:
    """Whether ``content`` has a number (with a fraction or an exponent) of more than 15
    significant digits, one a double would round.

    Whole numbers are left out: pydantic-core reads an integer of any length exactly.
    So are exponents past a double's range (``1e400``) with few digits: the fast parser
    refuses the large ones as infinite.
    """
    marks = content.translate(_NUMBER_CHARACTERS)
    start = marks.find(_LONG_RUN)
    while start >= 0:
        run = _RUN.match(marks, start)
        end = run.end() if run is not None else len(marks)
        if _long_number(content, start, end):
            return True
        start = marks.find(_LONG_RUN, end)
    return False


def _long_number(content: bytes | bytearray, start: int, end: int) -> bool:
    """Whether the run ``content[start:end]`` is a number token past a double's digits,
    rather than digits inside a string (a barcode) or a whole number."""
    before = start - 1
    if before >= 0 and content[before] == ord("-"):
        before -= 1
    while before >= 0 and content[before] in _BLANKS:
        before -= 1
    if before >= 0 and content[before] not in _BEFORE_A_NUMBER:
        return False
    token = bytes(content[start:end]).lower()
    mantissa, exponent_mark, _ = token.partition(b"e")
    if b"." not in mantissa and not exponent_mark:
        return False
    return len(mantissa.replace(b".", b"").lstrip(b"0")) > 15


def loads_json(content: bytes | bytearray | str, *, exact: bool = False) -> Any:
    """The decoded JSON value of ``content``, or ``UnreadableJSON`` saying what is wrong.

    With ``exact``, a number with a fraction or an exponent is an ``ExactFloat``: the same
    double, with its text kept for ``as_decimal()``.
    """
    try:
        # pydantic-core's parser stops at MAX_JSON_DEPTH instead of exhausting the stack
        # as json.loads does (RecursionError), and parses numbers and strings alike.
        value = from_json(content)
    except ValueError as exc:
        raise UnreadableJSON(_reason(str(exc))) from None
    except RecursionError:
        raise UnreadableJSON(NESTED_TOO_DEEPLY) from None
    if not exact:
        return value
    # The body passed the rule above; json.loads can read what pydantic-core does not
    # expose, the text of each number.
    try:
        return json.loads(content, parse_float=_exact_float)
    except ValueError as exc:  # past int()'s digit limit, say
        raise UnreadableJSON(_reason(str(exc))) from None


def dumps_json(value: Any) -> str:
    """The JSON text of a value ``loads_json`` read: an ``ExactFloat`` is written with the
    digits it was read with, where ``json.dumps`` would write its double."""
    if isinstance(value, str):  # most leaves: json's own C quoting, without json.dumps
        return encode_basestring(value)
    if isinstance(value, ExactFloat):
        return value.text
    if isinstance(value, dict):
        pairs = (f"{encode_basestring(key)}:{dumps_json(item)}" for key, item in value.items())
        return "{" + ",".join(pairs) + "}"
    if isinstance(value, list):
        return "[" + ",".join(dumps_json(item) for item in value) + "]"
    return json.dumps(value)


def exact_json(
    validate_json: Callable[[bytes], T],
    validate_python: Callable[[Any], T],
    target: type[BaseModel] | TypeAdapter[Any] | None = None,
) -> Callable[[bytes], T]:
    """A reader of JSON bodies that never lets a double round a number of the body.

    A body with no number past 15 significant digits (nearly every one) goes to
    ``validate_json``, pydantic-core's fast parser; a body with one is read by
    ``loads_json(exact=True)`` and ``validate_python``, where an amount reads the number's
    own text. ``target``, the model or adapter both validators read into, skips the scan
    for good when its schema has no ``Decimal`` in it: then no value depends on the digits.
    """

    def exact(content: bytes) -> T:
        if has_long_number(content):
            return validate_python(loads_json(content, exact=True))
        return validate_json(content)

    if target is None:
        return exact
    chosen: Callable[[bytes], T] | None = None

    def read(content: bytes) -> T:
        nonlocal chosen
        if chosen is None:  # here, not above: models build their schema on first use
            chosen = exact if _reads_decimal(_schema_of(target)) else validate_json
        return chosen(content)

    return read


_READERS: dict[object, Callable[[bytes], Any]] = {}


@overload
def json_reader(target: type[M]) -> Callable[[bytes], M]: ...
@overload
def json_reader(target: TypeAdapter[T]) -> Callable[[bytes], T]: ...
def json_reader(target: type[BaseModel] | TypeAdapter[Any]) -> Callable[[bytes], Any]:
    """The ``exact_json`` reader of bodies into a model class or a ``TypeAdapter``; one per
    target, made on first request."""
    reader = _READERS.get(target)
    if reader is None:
        if isinstance(target, TypeAdapter):
            reader = exact_json(target.validate_json, target.validate_python, target)
        else:
            reader = exact_json(target.model_validate_json, target.model_validate, target)
        _READERS[target] = reader
    return reader


def _schema_of(target: type[BaseModel] | TypeAdapter[Any]) -> Mapping[str, Any]:
    if isinstance(target, TypeAdapter):
        return target.core_schema
    return target.__pydantic_core_schema__  # a deferred model's builds as it is walked


def _reads_decimal(schema: Mapping[str, Any]) -> bool:
    pending: list[Any] = [schema]
    while pending:
        node = pending.pop()
        if isinstance(node, Mapping):
            if node.get("type") == "decimal":
                return True
            pending.extend(node.values())
        elif isinstance(node, list | tuple):
            pending.extend(node)
    return False


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
