"""The ``Store`` protocol: links, write-ahead intents, change log, dead letters, bookmarks,
the per-tenant lock and run reports. SQLite and PostgreSQL implement it with one schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

import attrs

__all__ = ["DeadLetter", "Intent", "Link", "Store", "TenantBusy"]


class TenantBusy(RuntimeError):
    """Another run holds this tenant's lock."""


@attrs.frozen
class Link:
    """An Auvo record (or a bridge reference) and its ERP counterpart, with the hashes of
    what each side held when the bridge last wrote or saw it (echo suppression)."""

    kind: str
    auvo_id: str
    erp_id: str
    auvo_hash: str = ""
    erp_hash: str = ""


@attrs.frozen
class Intent:
    """A write the bridge is about to make; ``done`` once its link is recorded."""

    ref: str
    kind: str
    status: str
    attempts: int


@attrs.frozen
class DeadLetter:
    stream: str
    ref: str
    reason: str
    attempts: int
    last_at: datetime


class Store(Protocol):
    """Where the bridge remembers what it did, per tenant."""

    def transaction(self) -> AbstractContextManager[None]:
        """Group the writes inside into one atomic commit."""

    def acquire_lock(self, tenant: str, owner: str, ttl_seconds: float) -> bool: ...

    def release_lock(self, tenant: str, owner: str) -> None: ...

    def get_link(self, tenant: str, kind: str, auvo_id: str) -> Link | None: ...

    def find_link_by_erp(self, tenant: str, kind: str, erp_id: str) -> Link | None: ...

    def save_link(self, tenant: str, link: Link) -> None: ...

    def links(self, tenant: str, kind: str) -> Iterator[Link]: ...

    def get_intent(self, tenant: str, ref: str) -> Intent | None: ...

    def record_intent(self, tenant: str, ref: str, kind: str) -> Intent: ...

    def complete_intent(self, tenant: str, ref: str) -> None: ...

    def log_change(
        self, tenant: str, run_id: str, stream: str, ref: str, action: str, detail: str
    ) -> None: ...

    def changes(self, tenant: str, run_id: str | None = None) -> list[dict[str, str]]: ...

    def dead_letter(self, tenant: str, stream: str, ref: str, reason: str) -> None: ...

    def clear_dead_letter(self, tenant: str, stream: str, ref: str) -> None: ...

    def dead_letters(self, tenant: str, stream: str | None = None) -> list[DeadLetter]: ...

    def get_bookmark(self, tenant: str, stream: str) -> datetime | None: ...

    def set_bookmark(self, tenant: str, stream: str, value: datetime) -> None: ...

    def save_run(
        self, tenant: str, run_id: str, started_at: datetime, report_json: str
    ) -> None: ...

    def last_run(self, tenant: str) -> str | None: ...

    def close(self) -> None: ...
