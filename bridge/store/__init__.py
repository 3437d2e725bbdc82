"""Stores: where the bridge keeps links, intents, the change log, dead letters and bookmarks."""

from __future__ import annotations

from .base import DeadLetter, Intent, Link, LockHolder, Seen, Store, TenantBusy
from .sqlite import SQLiteStore

__all__ = [
    "DeadLetter",
    "Intent",
    "Link",
    "LockHolder",
    "SQLiteStore",
    "Seen",
    "Store",
    "TenantBusy",
]
