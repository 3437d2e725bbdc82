"""The streams of a pass, in order: the catalog first (sales need its items), then
customers, then tasks and quotations."""

from __future__ import annotations

from collections.abc import Callable

from ..context import Context
from . import catalog, customers, quotations, tasks

__all__ = ["STREAMS"]

STREAMS: tuple[tuple[str, Callable[[Context], None]], ...] = (
    ("catalog", catalog.run),
    ("customers", customers.run),
    ("tasks", tasks.run),
    ("quotations", quotations.run),
)
