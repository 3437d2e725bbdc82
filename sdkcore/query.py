"""Query values the clients share: how a list of values travels as one parameter."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

__all__ = ["comma_list"]


def comma_list(values: Iterable[Any] | str | None) -> str | None:
    """A filter the API takes as one comma-separated value (``ids=1,2``): text as given,
    and ``None`` for no values, so an empty list filters nothing rather than everything."""
    if values is None:
        return None
    if isinstance(values, str):
        return values
    text = ",".join(str(value) for value in values)
    return text or None
