"""The ``Store`` protocol: links, write-ahead intents, change log, dead letters, bookmarks,
what each automation saw of its trigger records, the per-tenant lock and run reports. SQLite
and PostgreSQL implement it with one schema."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Protocol

import attrs

__all__ = ["DeadLetter", "Intent", "Link", "LockHolder", "Seen", "Store", "TenantBusy"]


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
    """A write the bridge is about to make; ``done`` once its link is recorded.
    ``reservation`` is the key the target system was to hold the record under, recorded
    before its create (``None`` when the system needs none)."""

    ref: str
    kind: str
    status: str
    attempts: int
    reservation: str | None = None


@attrs.frozen
class LockHolder:
    """The run holding a tenant's lock: its id, the host and process it runs in, when it took
    the lock and when its lease runs out unless renewed. ``host`` is empty and ``pid`` 0 for
    a lock taken before the store recorded them."""

    owner: str
    host: str
    pid: int
    acquired_at: datetime
    expires_at: datetime

    def live(self, now: datetime) -> bool:
        """Whether the lease still holds at ``now`` (a lapsed one is taken by the next run)."""
        return self.expires_at > now

    def __str__(self) -> str:
        where = f"pid {self.pid} on {self.host}" if self.host else "no host recorded"
        return f"run {self.owner} ({where}) since {self.acquired_at.isoformat(timespec='seconds')}"


@attrs.frozen
class DeadLetter:
    """A record that failed: tried again by a later pass once ``next_at`` has come (at once
    when ``None``)."""

    stream: str
    ref: str
    reason: str
    attempts: int
    last_at: datetime
    next_at: datetime | None = None


@attrs.frozen
class Seen:
    """What an automation last handled of one trigger record: its ``version`` (a hash of the
    record) and ``state``, the JSON of the value of the field its trigger watches (empty for
    a trigger that watches none)."""

    version: str
    state: str = ""
    pending: str | None = None
    """An action decided on for this record that has not been seen to finish (JSON of its
    key, and the version and state it was decided on), or ``None``. A ``version`` of ``""``
    is a record with a pending action and no version handled before it."""


class Store(Protocol):
    """Where the bridge remembers what it did, per tenant."""

    def transaction(self) -> AbstractContextManager[None]:
        """Group the writes inside into one atomic commit."""

    def acquire_lock(self, tenant: str, owner: str, ttl_seconds: float) -> bool:
        """Take the tenant's lock for ``owner`` (re-entrant) for ``ttl_seconds``, recording this
        host and process; a lock whose lease ran out is taken over. ``False`` if another
        owner holds it."""

    def renew_lock(self, tenant: str, owner: str, ttl_seconds: float) -> bool:
        """Extend ``owner``'s lease to ``ttl_seconds`` from now; ``False`` if ``owner`` no
        longer holds the lock (it was unlocked, or lapsed and taken by another run)."""

    def release_lock(self, tenant: str, owner: str) -> None: ...

    def lock_holder(self, tenant: str) -> LockHolder | None:
        """Who holds the tenant's lock, lapsed or not; ``None`` when nobody does."""

    def get_link(self, tenant: str, kind: str, auvo_id: str) -> Link | None: ...

    def find_link_by_erp(self, tenant: str, kind: str, erp_id: str) -> Link | None: ...

    def save_link(self, tenant: str, link: Link) -> None: ...

    def links(self, tenant: str, kind: str) -> Iterator[Link]: ...

    def get_intent(self, tenant: str, ref: str) -> Intent | None: ...

    def record_intent(self, tenant: str, ref: str, kind: str) -> Intent: ...

    def record_reservation(self, tenant: str, ref: str, reservation: str) -> None:
        """Record on the intent ``ref`` the key its create is about to use (committed before
        the create is sent); a later one replaces it."""

    def pending_reservations(self, tenant: str) -> frozenset[str]:
        """The keys the tenant's pending intents hold: a record whose create failed may
        still be created under its key, so no other record may be given it."""

    def complete_intent(self, tenant: str, ref: str) -> None: ...

    def log_change(
        self, tenant: str, run_id: str, stream: str, ref: str, action: str, detail: str
    ) -> None: ...

    def changes(self, tenant: str, run_id: str | None = None) -> list[dict[str, str]]: ...

    def dead_letter(
        self, tenant: str, stream: str, ref: str, reason: str, next_at: datetime | None = None
    ) -> None:
        """Record a failure (one more attempt), to be tried again from ``next_at``."""

    def get_dead_letter(self, tenant: str, stream: str, ref: str) -> DeadLetter | None: ...

    def clear_dead_letter(self, tenant: str, stream: str, ref: str) -> None: ...

    def dead_letters(self, tenant: str, stream: str | None = None) -> list[DeadLetter]: ...

    def get_bookmark(self, tenant: str, stream: str) -> datetime | None: ...

    def set_bookmark(self, tenant: str, stream: str, value: datetime) -> None: ...

    def get_seen(self, tenant: str, automation: str, record_id: str) -> Seen | None:
        """What ``automation`` last handled of its trigger record ``record_id``; ``None`` for
        a record it never handled."""

    def save_seen(
        self,
        tenant: str,
        automation: str,
        record_id: str,
        version: str,
        state: str,
        pending: str | None = None,
    ) -> None:
        """Record that ``automation`` handled ``version`` of ``record_id``, and the action it
        decided on and has not seen finish, if any (see ``Seen``)."""

    def save_run(
        self, tenant: str, run_id: str, started_at: datetime, report_json: str
    ) -> None: ...

    def last_run(self, tenant: str) -> str | None: ...

    def close(self) -> None: ...
