"""Field paths (``contato.tipoPessoa``, ``itens[0].codigo``, ``itens[*].descricao``): parsed
once, read from a record made of mappings and lists.

A record is what a trigger hands over: a JSON-like value, or a pydantic model, which is read
by its wire names (``model_dump(by_alias=True)``), the names the catalogue lists.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Final

import attrs
from pydantic import BaseModel

__all__ = ["ANY_INDEX", "FieldPath", "PathError", "Record", "as_record", "parse_path"]

Record = Mapping[str, Any]
"""A trigger's record: wire names to values (mappings, lists, text, numbers, dates)."""

ANY_INDEX: Final = "*"
"""The step that stands for every item of a list."""

_STEP = re.compile(r"(?P<name>[^.\[\]{}|\s*]+)|\[(?P<index>\d+|\*)\]")


class PathError(ValueError):
    """A path that is not ``name(.name | [n] | [*])*``."""


@attrs.frozen
class FieldPath:
    """A parsed path: its text and its steps, each a key (``str``), a list index (``int``)
    or ``ANY_INDEX``."""

    text: str
    steps: tuple[str | int, ...]

    @property
    def has_wildcard(self) -> bool:
        return ANY_INDEX in self.steps

    def values(self, record: object) -> list[Any]:
        """What the path reaches: nothing (a missing key, an index past the end), one
        value, or, through a wildcard, one per item."""
        found: list[Any] = [record]
        for step in self.steps:
            found = [reached for value in found for reached in _step(value, step)]
        return found

    def value(self, record: object) -> Any:
        """The one value the path reaches (``None`` when missing); the list of them when
        the path has a wildcard."""
        found = self.values(record)
        if self.has_wildcard:
            return found
        return found[0] if found else None


def _step(value: object, step: str | int) -> list[Any]:
    if step == ANY_INDEX:
        return list(value) if isinstance(value, list | tuple) else []
    if isinstance(step, int):
        if isinstance(value, list | tuple) and step < len(value):
            return [value[step]]
        return []
    if isinstance(value, Mapping) and step in value:
        return [value[step]]
    return []


def parse_path(text: str) -> FieldPath:
    """``a.b[0].c[*].d`` as a ``FieldPath``; ``PathError`` says what is wrong with it."""
    steps: list[str | int] = []
    position = 0
    while position < len(text):
        after_dot = bool(steps) and text[position] == "."
        if after_dot:
            position += 1
        elif steps and text[position] != "[":
            raise PathError(f"expected '.' or '[' at {text[position:]!r}")
        match = _STEP.match(text, position)
        needs_name = after_dot or not steps
        if match is None or (needs_name and match["index"] is not None):
            shown = text[position:] or "the end"
            raise PathError(f"expected a field name at {shown!r}")
        index = match["index"]
        if index is None:
            steps.append(match["name"])
        else:
            steps.append(ANY_INDEX if index == ANY_INDEX else int(index))
        position = match.end()
    if not steps:
        raise PathError("empty path")
    return FieldPath(text, tuple(steps))


def as_record(value: object) -> Record:
    """A pydantic model by its wire names (values kept as Decimal, date, ...); a mapping as
    it is."""
    if isinstance(value, BaseModel):
        return value.model_dump(by_alias=True)
    if isinstance(value, Mapping):
        return value
    raise TypeError(f"a record is a mapping or a pydantic model, not {type(value).__name__}")
