"""The ``Store`` written once in SQL; SQLite and PostgreSQL supply a connection."""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from .base import DeadLetter, Intent, Link, LockHolder, Seen
from .schema import MIGRATIONS

__all__ = ["SQLStore"]


def _now() -> str:
    return datetime.now(UTC).isoformat()


_DEAD_LETTERS = (
    "SELECT stream, ref, reason, attempts, last_at, next_at FROM dead_letters WHERE tenant = ?"
)


def _dead_letter(row: Sequence[Any]) -> DeadLetter:
    stream, ref, reason, attempts, last_at, next_at = row
    retry = datetime.fromisoformat(str(next_at)) if next_at is not None else None
    last = datetime.fromisoformat(str(last_at))
    return DeadLetter(stream, ref, reason, int(attempts), last, retry)


class SQLStore:
    """Shared SQL over one DB-API connection in autocommit mode, whose transactions are
    opened with ``begin_sql``; a subclass opens ``_conn`` and implements ``_run``."""

    placeholder = "?"
    begin_sql = "BEGIN"
    _conn: Any

    def __init__(self) -> None:
        self._depth = 0
        self._guard = threading.RLock()

    # -- engine hooks ---------------------------------------------------------------------

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        raise NotImplementedError

    def _begin(self) -> None:
        self._conn.execute(self.begin_sql)

    def _commit(self) -> None:
        self._conn.execute("COMMIT")

    def _rollback(self) -> None:
        self._conn.execute("ROLLBACK")

    def close(self) -> None:
        self._conn.close()

    def _q(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.placeholder != "?":
            sql = sql.replace("?", self.placeholder)
        with self._guard:  # the lock's heartbeat renews it from another thread
            return self._run(sql, params)

    # -- transactions and migrations ------------------------------------------------------

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._guard:
            if self._depth:
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._begin()
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._rollback()
                raise
            self._depth = 0
            self._commit()

    def migrate(self) -> int:
        """Apply the migrations not yet applied; returns the schema version."""
        with self.transaction():
            self._q("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")
            rows = self._q("SELECT version FROM schema_version")
            version = int(rows[0][0]) if rows else 0
            for number, statements in enumerate(MIGRATIONS, start=1):
                if number <= version:
                    continue
                for statement in statements:
                    self._q(statement)
                version = number
            self._q("DELETE FROM schema_version")
            self._q("INSERT INTO schema_version (version) VALUES (?)", (version,))
        return version

    # -- lock -----------------------------------------------------------------------------

    def acquire_lock(self, tenant: str, owner: str, ttl_seconds: float) -> bool:
        now = time.time()
        with self.transaction():
            self._q("DELETE FROM locks WHERE tenant = ? AND expires_at < ?", (tenant, now))
            self._q(
                "INSERT INTO locks (tenant, owner, expires_at, host, pid, acquired_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (tenant) DO NOTHING",
                (tenant, owner, now + ttl_seconds, socket.gethostname(), os.getpid(), now),
            )
            rows = self._q("SELECT owner FROM locks WHERE tenant = ?", (tenant,))
        return bool(rows) and rows[0][0] == owner

    def renew_lock(self, tenant: str, owner: str, ttl_seconds: float) -> bool:
        with self.transaction():
            self._q(
                "UPDATE locks SET expires_at = ? WHERE tenant = ? AND owner = ?",
                (time.time() + ttl_seconds, tenant, owner),
            )
            rows = self._q("SELECT 1 FROM locks WHERE tenant = ? AND owner = ?", (tenant, owner))
        return bool(rows)

    def release_lock(self, tenant: str, owner: str) -> None:
        with self.transaction():
            self._q("DELETE FROM locks WHERE tenant = ? AND owner = ?", (tenant, owner))

    def lock_holder(self, tenant: str) -> LockHolder | None:
        rows = self._q(
            "SELECT owner, host, pid, acquired_at, expires_at FROM locks WHERE tenant = ?",
            (tenant,),
        )
        if not rows:
            return None
        owner, host, pid, acquired_at, expires_at = rows[0]
        return LockHolder(
            str(owner),
            str(host),
            int(pid),
            datetime.fromtimestamp(float(acquired_at), UTC),
            datetime.fromtimestamp(float(expires_at), UTC),
        )

    # -- links ----------------------------------------------------------------------------

    def get_link(self, tenant: str, kind: str, auvo_id: str) -> Link | None:
        rows = self._q(
            "SELECT kind, auvo_id, erp_id, auvo_hash, erp_hash FROM links "
            "WHERE tenant = ? AND kind = ? AND auvo_id = ?",
            (tenant, kind, auvo_id),
        )
        return Link(*rows[0]) if rows else None

    def find_link_by_erp(self, tenant: str, kind: str, erp_id: str) -> Link | None:
        rows = self._q(
            "SELECT kind, auvo_id, erp_id, auvo_hash, erp_hash FROM links "
            "WHERE tenant = ? AND kind = ? AND erp_id = ?",
            (tenant, kind, erp_id),
        )
        return Link(*rows[0]) if rows else None

    def save_link(self, tenant: str, link: Link) -> None:
        with self.transaction():
            self._q(
                "INSERT INTO links (tenant, kind, auvo_id, erp_id, auvo_hash, erp_hash, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, kind, auvo_id) "
                "DO UPDATE SET erp_id = excluded.erp_id, auvo_hash = excluded.auvo_hash, "
                "erp_hash = excluded.erp_hash, updated_at = excluded.updated_at",
                (
                    tenant,
                    link.kind,
                    link.auvo_id,
                    link.erp_id,
                    link.auvo_hash,
                    link.erp_hash,
                    _now(),
                ),
            )

    def links(self, tenant: str, kind: str) -> Iterator[Link]:
        rows = self._q(
            "SELECT kind, auvo_id, erp_id, auvo_hash, erp_hash FROM links "
            "WHERE tenant = ? AND kind = ? ORDER BY auvo_id",
            (tenant, kind),
        )
        return iter([Link(*row) for row in rows])

    # -- intents --------------------------------------------------------------------------

    def get_intent(self, tenant: str, ref: str) -> Intent | None:
        rows = self._q(
            "SELECT ref, kind, status, attempts, reservation FROM intents "
            "WHERE tenant = ? AND ref = ?",
            (tenant, ref),
        )
        if not rows:
            return None
        ref, kind, status, attempts, reservation = rows[0]
        return Intent(ref, kind, status, int(attempts), reservation)

    def record_intent(self, tenant: str, ref: str, kind: str) -> Intent:
        now = _now()
        with self.transaction():
            self._q(
                "INSERT INTO intents (tenant, ref, kind, status, attempts, created_at, "
                "updated_at) VALUES (?, ?, ?, 'pending', 1, ?, ?) ON CONFLICT (tenant, ref) "
                "DO UPDATE SET status = 'pending', attempts = intents.attempts + 1, "
                "updated_at = excluded.updated_at",
                (tenant, ref, kind, now, now),
            )
            intent = self.get_intent(tenant, ref)
        assert intent is not None
        return intent

    def record_reservation(self, tenant: str, ref: str, reservation: str) -> None:
        with self.transaction():
            self._q(
                "UPDATE intents SET reservation = ?, updated_at = ? WHERE tenant = ? AND ref = ?",
                (reservation, _now(), tenant, ref),
            )

    def pending_reservations(self, tenant: str) -> frozenset[str]:
        rows = self._q(
            "SELECT reservation FROM intents "
            "WHERE tenant = ? AND status = 'pending' AND reservation IS NOT NULL",
            (tenant,),
        )
        return frozenset(str(row[0]) for row in rows)

    def complete_intent(self, tenant: str, ref: str) -> None:
        with self.transaction():
            self._q(
                "UPDATE intents SET status = 'done', updated_at = ? WHERE tenant = ? AND ref = ?",
                (_now(), tenant, ref),
            )

    # -- change log -----------------------------------------------------------------------

    def log_change(
        self, tenant: str, run_id: str, stream: str, ref: str, action: str, detail: str
    ) -> None:
        with self.transaction():
            rows = self._q(
                "SELECT COALESCE(MAX(seq), 0) FROM changes WHERE tenant = ? AND run_id = ?",
                (tenant, run_id),
            )
            seq = int(rows[0][0]) + 1
            self._q(
                "INSERT INTO changes (tenant, run_id, seq, stream, ref, action, detail, at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (tenant, run_id, seq, stream, ref, action, detail, _now()),
            )

    def changes(self, tenant: str, run_id: str | None = None) -> list[dict[str, str]]:
        sql = "SELECT run_id, stream, ref, action, detail, at FROM changes WHERE tenant = ?"
        params: list[Any] = [tenant]
        if run_id is not None:
            sql += " AND run_id = ?"
            params.append(run_id)
        rows = self._q(sql + " ORDER BY at, seq", params)
        keys = ("run_id", "stream", "ref", "action", "detail", "at")
        return [dict(zip(keys, (str(v) for v in row), strict=True)) for row in rows]

    # -- dead letters ---------------------------------------------------------------------

    def dead_letter(
        self, tenant: str, stream: str, ref: str, reason: str, next_at: datetime | None = None
    ) -> None:
        now = _now()
        retry = next_at.isoformat() if next_at is not None else None
        with self.transaction():
            self._q(
                "INSERT INTO dead_letters (tenant, stream, ref, reason, attempts, first_at, "
                "last_at, next_at) VALUES (?, ?, ?, ?, 1, ?, ?, ?) ON CONFLICT (tenant, stream, "
                "ref) DO UPDATE SET reason = excluded.reason, attempts = dead_letters.attempts "
                "+ 1, last_at = excluded.last_at, next_at = excluded.next_at",
                (tenant, stream, ref, reason, now, now, retry),
            )

    def get_dead_letter(self, tenant: str, stream: str, ref: str) -> DeadLetter | None:
        rows = self._q(
            _DEAD_LETTERS + " AND stream = ? AND ref = ?",
            (tenant, stream, ref),
        )
        return _dead_letter(rows[0]) if rows else None

    def clear_dead_letter(self, tenant: str, stream: str, ref: str) -> None:
        with self.transaction():
            self._q(
                "DELETE FROM dead_letters WHERE tenant = ? AND stream = ? AND ref = ?",
                (tenant, stream, ref),
            )

    def dead_letters(self, tenant: str, stream: str | None = None) -> list[DeadLetter]:
        sql = _DEAD_LETTERS
        params: list[Any] = [tenant]
        if stream is not None:
            sql += " AND stream = ?"
            params.append(stream)
        rows = self._q(sql + " ORDER BY stream, ref", params)
        return [_dead_letter(r) for r in rows]

    # -- what automations saw -------------------------------------------------------------

    def get_seen(self, tenant: str, automation: str, record_id: str) -> Seen | None:
        rows = self._q(
            "SELECT version, state, pending FROM automation_seen "
            "WHERE tenant = ? AND automation = ? AND record_id = ?",
            (tenant, automation, record_id),
        )
        if not rows:
            return None
        version, state, pending = rows[0]
        return Seen(str(version), str(state), None if pending is None else str(pending))

    def save_seen(
        self,
        tenant: str,
        automation: str,
        record_id: str,
        version: str,
        state: str,
        pending: str | None = None,
    ) -> None:
        with self.transaction():
            self._q(
                "INSERT INTO automation_seen (tenant, automation, record_id, version, state, "
                "pending, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (tenant, "
                "automation, record_id) DO UPDATE SET version = excluded.version, "
                "state = excluded.state, pending = excluded.pending, "
                "updated_at = excluded.updated_at",
                (tenant, automation, record_id, version, state, pending, _now()),
            )

    # -- bookmarks and runs ---------------------------------------------------------------

    def get_bookmark(self, tenant: str, stream: str) -> datetime | None:
        rows = self._q(
            "SELECT value FROM bookmarks WHERE tenant = ? AND stream = ?", (tenant, stream)
        )
        return datetime.fromisoformat(str(rows[0][0])) if rows else None

    def set_bookmark(self, tenant: str, stream: str, value: datetime) -> None:
        with self.transaction():
            self._q(
                "INSERT INTO bookmarks (tenant, stream, value) VALUES (?, ?, ?) "
                "ON CONFLICT (tenant, stream) DO UPDATE SET value = excluded.value",
                (tenant, stream, value.isoformat()),
            )

    def save_run(self, tenant: str, run_id: str, started_at: datetime, report_json: str) -> None:
        with self.transaction():
            self._q(
                "INSERT INTO runs (tenant, run_id, started_at, report) VALUES (?, ?, ?, ?)",
                (tenant, run_id, started_at.isoformat(), report_json),
            )

    def last_run(self, tenant: str) -> str | None:
        rows = self._q(
            "SELECT report FROM runs WHERE tenant = ? ORDER BY started_at DESC LIMIT 1",
            (tenant,),
        )
        return str(rows[0][0]) if rows else None
