"""Record ids: the check an id passes before it goes into a URL path, and what a create
answers with (``Created``), the same for every client.

Each API has its own idea of what an id looks like: a client picks its ``IdRule``
(``record_id = NUMERIC_ID``) instead of restating the checks.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Self

import attrs

from .errors import RequestValidationError


def _is_ascii_number(text: str) -> bool:
    # str.isdigit alone admits other scripts' digits ("١٢"), which no API takes as an id.
    return text.isascii() and text.isdigit()


# RFC 3986's unreserved characters: they mean the same to every server, encoded or not. The
# rest may end the segment ("/", "?", "#"), or be read as a separator once the server decodes
# or splits the path ("%2F", "%2e%2e", "\\" on IIS, ";" on Java servers).
_UNRESERVED = re.compile(r"[A-Za-z0-9._~-]+")


def _is_path_segment(text: str) -> bool:
    # A dot segment would be resolved away, pointing the request at another resource.
    return text not in (".", "..") and _UNRESERVED.fullmatch(text) is not None


@attrs.frozen
class IdRule:
    """What one API accepts as a record id; call it on an id to get its path segment.

    ``describe`` says in the error what a valid id is; ``accepts`` tests the trimmed text,
    once it is known to be at most ``max_length`` characters (no API's id is longer).
    """

    describe: str
    accepts: Callable[[str], bool]
    max_length: int = 64

    def __call__(self, value: int | str, field: str = "id") -> str:
        """``value`` as a path segment, or ``RequestValidationError`` naming ``field`` and
        why. An ``int`` (or a subclass such as ``Created``) is written as a plain number;
        text is trimmed."""
        if isinstance(value, bool) or not isinstance(value, int | str):
            raise RequestValidationError(
                field, f"must be {self.describe}, got {type(value).__name__}"
            )
        text = _id_text(value, self.max_length)
        if text is None:
            raise RequestValidationError(
                field, f"must be {self.describe}, got more than {self.max_length} characters"
            )
        if not self.accepts(text):
            raise RequestValidationError(field, f"must be {self.describe}, got {value!r}")
        return text


def _id_text(value: int | str, max_length: int) -> str | None:
    """The id as text, or ``None`` when it has more than ``max_length`` characters."""
    if isinstance(value, int):
        # Measured before printing (Python refuses to print 4300 digits): a number of n
        # digits has fewer than 4n bits, so one of more bits than that is too long.
        if abs(int(value)).bit_length() > 4 * max_length:
            return None
        text = str(int(value))
    else:
        text = value.strip()
    return text if len(text) <= max_length else None


NUMERIC_ID = IdRule("a record id (a number)", _is_ascii_number)
"""Ids that are whole numbers (Conta Azul, Bling)."""

PATH_SEGMENT_ID = IdRule("a record id (a number or a GUID)", _is_path_segment)
"""Ids of one path segment in characters no server reads otherwise (letters, digits,
``-._~``): numbers and GUIDs (Auvo)."""


class Created(int):
    """What a create answers: the new record's id, usable wherever an ``int`` id is.

    ``location`` is the record's URL when the API gives one, ``warnings`` what the API
    noted about the write, and ``data`` the answer's body. It is the id in every comparison
    and hash, as any ``int`` is: a ``Created`` equal to ``5`` is equal to every other
    ``Created`` of ``5``, so sets and dicts of ids do not depend on what each carries.
    """

    location: str | None
    warnings: list[Any]
    data: dict[str, Any]

    def __new__(
        cls,
        id: int,
        location: str | None = None,
        *,
        warnings: Sequence[Any] = (),
        data: Mapping[str, Any] | None = None,
    ) -> Self:
        created = super().__new__(cls, id)
        object.__setattr__(created, "location", location)
        object.__setattr__(created, "warnings", list(warnings))
        object.__setattr__(created, "data", dict(data or {}))
        return created

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    @property
    def id(self) -> int:
        return int(self)

    def __repr__(self) -> str:
        shown = [f"id={int(self)}"]
        if self.location is not None:
            shown.append(f"location={self.location!r}")
        if self.warnings:
            shown.append(f"warnings={self.warnings!r}")
        return f"{type(self).__name__}({', '.join(shown)})"

    def __str__(self) -> str:
        return int.__repr__(self)
