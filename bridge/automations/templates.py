"""Text templates over a record's fields: ``"Pedido {numero}: {itens[*].descricao|join:, }"``.

A placeholder is ``{path|transform|transform:arg}``; ``{{`` and ``}}`` are literal braces.
The transforms are a fixed set and run left to right; there is no expression language and
nothing is evaluated:

============  ================================================================
``digits``     keep the digits 0-9 (``"12.345.678/0001-90"`` -> ``"12345678000190"``)
``upper``      upper case
``lower``      lower case
``date:FMT``   a date or instant, as ``strftime(FMT)`` (instants in São Paulo time)
``money``      an amount to the cent, half up, as ``"1234.50"``
``join:SEP``   the items of a list joined with SEP (``join`` alone: ``", "``)
``default:T``  T when the value is missing or empty
============  ================================================================

``digits``, ``upper``, ``lower``, ``date`` and ``money`` apply to each item of a list. A
list still unjoined at the end is joined with ``", "``; a missing value renders as nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import attrs

from sdkcore.dates import SAO_PAULO
from sdkcore.money import cents

from .errors import AutomationError, TemplateError
from .paths import FieldPath, PathError, Record, parse_path
from .readings import as_amount, as_day, as_text, is_empty

__all__ = ["TRANSFORMS", "Placeholder", "Template", "Transform", "parse_template"]

_NOT_DIGIT = re.compile(r"[^0-9]")


def _each(function: Callable[[Any], str]) -> Callable[[Any], Any]:
    def apply(value: Any) -> Any:
        if isinstance(value, list | tuple):
            return [function(item) for item in value]
        return function(value)

    return apply


def _digits(value: Any) -> str:
    return _NOT_DIGIT.sub("", as_text(value))


def _money(value: Any) -> str:
    if value is None:
        return ""
    amount = as_amount(value)
    if amount is None:
        raise TemplateError(f"money: {as_text(value)!r} is not an amount")
    return f"{cents(amount):f}"


def _date(fmt: str) -> Callable[[Any], str]:
    def render(value: Any) -> str:
        if value is None:
            return ""
        day = as_day(value)
        if day is None:
            raise TemplateError(f"date: {as_text(value)!r} is not a date")
        if isinstance(day, datetime):
            day = day.astimezone(SAO_PAULO)
        return day.strftime(fmt)

    return render


def _join(separator: str) -> Callable[[Any], Any]:
    def join(value: Any) -> str:
        if isinstance(value, list | tuple):
            return separator.join(as_text(item) for item in value)
        return as_text(value)

    return join


def _default(text: str) -> Callable[[Any], Any]:
    def default(value: Any) -> Any:
        empty = is_empty(value) or (
            isinstance(value, list | tuple) and all(is_empty(item) for item in value)
        )
        return text if empty else value

    return default


_NO_ARGUMENT: dict[str, Callable[[Any], Any]] = {
    "digits": _each(_digits),
    "upper": _each(lambda value: as_text(value).upper()),
    "lower": _each(lambda value: as_text(value).lower()),
    "money": _each(_money),
}
_WITH_ARGUMENT: dict[str, Callable[[str], Callable[[Any], Any]]] = {
    "date": lambda fmt: _each(_date(fmt)),
    "join": _join,
    "default": _default,
}
TRANSFORMS = tuple(sorted([*_NO_ARGUMENT, *_WITH_ARGUMENT]))
"""Every transform a placeholder may name."""


def _check_date_format(fmt: str) -> None:
    if not fmt:
        raise AutomationError(None, "", "'date' needs a format, as in date:%d/%m/%Y")
    if "%" not in fmt:
        raise AutomationError(None, "", f"'date:{fmt}' has no % directive (date:%d/%m/%Y)")
    try:
        date(2000, 1, 31).strftime(fmt)
    except ValueError as exc:
        raise AutomationError(None, "", f"'date:{fmt}': {exc}") from None


@attrs.frozen
class Transform:
    """One step of a placeholder: a name from ``TRANSFORMS`` and its argument, if any."""

    name: str
    argument: str | None = None
    apply: Callable[[Any], Any] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.name in _NO_ARGUMENT:
            if self.argument is not None:
                raise AutomationError(None, "", f"'{self.name}' takes no argument")
            function = _NO_ARGUMENT[self.name]
        elif self.name in _WITH_ARGUMENT:
            if self.name == "date":
                _check_date_format(self.argument or "")
            argument = ", " if self.name == "join" and self.argument is None else self.argument
            if argument is None:
                raise AutomationError(None, "", f"'{self.name}' needs an argument: {self.name}:…")
            function = _WITH_ARGUMENT[self.name](argument)
        else:
            raise AutomationError(
                None, "", f"unknown transform {self.name!r}; use one of {', '.join(TRANSFORMS)}"
            )
        object.__setattr__(self, "apply", function)

    def text(self) -> str:
        return self.name if self.argument is None else f"{self.name}:{self.argument}"


@attrs.frozen
class Placeholder:
    """``{path|transform...}``."""

    path: FieldPath
    transforms: tuple[Transform, ...] = ()

    def value(self, record: Record) -> Any:
        value = self.path.value(record)
        for transform in self.transforms:
            value = transform.apply(value)
        return value

    def text(self) -> str:
        return "{" + "|".join([self.path.text, *(t.text() for t in self.transforms)]) + "}"


Part = str | Placeholder


@attrs.frozen
class Template:
    """A parsed template: literal text and placeholders, in order."""

    parts: tuple[Part, ...]

    @property
    def placeholders(self) -> tuple[Placeholder, ...]:
        return tuple(part for part in self.parts if isinstance(part, Placeholder))

    def render(self, record: Record) -> str:
        """The text for ``record``; ``TemplateError`` when a transform cannot read a value."""
        return "".join(
            part if isinstance(part, str) else as_text(part.value(record)) for part in self.parts
        )

    def text(self) -> str:
        """The template as written (braces in literal text doubled)."""
        return "".join(
            part.replace("{", "{{").replace("}", "}}") if isinstance(part, str) else part.text()
            for part in self.parts
        )


def _placeholder(inside: str) -> Placeholder:
    path_text, *steps = inside.split("|")
    try:
        path = parse_path(path_text.strip())
    except PathError as exc:
        raise AutomationError(None, "", f"field path {path_text.strip()!r}: {exc}") from None
    transforms = []
    for step in steps:
        name, colon, argument = step.partition(":")
        transforms.append(Transform(name.strip(), argument if colon else None))
    return Placeholder(path, tuple(transforms))


def parse_template(text: str) -> Template:
    """Split ``text`` into literals and placeholders; an ``AutomationError`` (without the
    automation's name yet) says what is wrong."""
    parts: list[Part] = []
    literal: list[str] = []
    position = 0
    while position < len(text):
        char = text[position]
        if char in "{}" and text.startswith(char * 2, position):
            literal.append(char)
            position += 2
        elif char == "{":
            end = text.find("}", position)
            if end < 0:
                raise AutomationError(None, "", f"template {text!r}: a '{{' is never closed")
            if literal:
                parts.append("".join(literal))
                literal = []
            try:
                parts.append(_placeholder(text[position + 1 : end]))
            except AutomationError as exc:
                raise AutomationError(None, "", f"template {text!r}: {exc.reason}") from None
            position = end + 1
        elif char == "}":
            raise AutomationError(
                None, "", f"template {text!r}: a lone '}}' (write '}}}}' for a brace)"
            )
        else:
            literal.append(char)
            position += 1
    if literal:
        parts.append("".join(literal))
    return Template(tuple(parts))
