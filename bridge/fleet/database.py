"""The fleet's PostgreSQL: the store's own database, whose migrations (``bridge.store.schema``)
hold the fleet's tables too, reached through one shared connection per ``Database``."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Protocol

from sdkcore.redact import register_secret

__all__ = ["Database", "Rows", "psycopg_module"]


class Rows(Protocol):
    """Runs one statement (``%s`` placeholders) and returns its rows (none for a write)."""

    def __call__(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]: ...


def psycopg_module() -> Any:
    """psycopg 3, or the ``ImportError`` that says which extra brings it."""
    try:
        import psycopg  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError(
            "the fleet keeps its tenants in PostgreSQL, through psycopg 3: "
            "pip install 'ponte-sdk[postgres]'"
        ) from exc
    return psycopg


def _register_password(dsn: str) -> None:
    """Mask the DSN's password in every message from now on (psycopg may quote the DSN)."""
    psycopg = psycopg_module()
    try:
        password = psycopg.conninfo.conninfo_to_dict(dsn).get("password")
    except psycopg.ProgrammingError:  # not a DSN at all: connecting says so
        return
    register_secret(password if isinstance(password, str) else None)


class Database:
    """A PostgreSQL database as the fleet uses it. The first connection applies the store's
    migrations; after that one autocommit connection serves every thread in turn, opened
    again once it broke (the server restarted), so a worker outlives a database restart."""

    def __init__(self, dsn: str) -> None:
        self.dsn = dsn
        _register_password(dsn)
        self._migrated = False
        self._migrating = threading.Lock()
        self._shared: Any = None
        self._lock = threading.Lock()

    def connect(self) -> Any:
        """A new autocommit connection of its own (closed by the caller), for a transaction
        that spans calls: a row lock held while a token is refreshed."""
        psycopg = psycopg_module()
        with self._migrating:
            if not self._migrated:
                from ..store.postgres import PostgresStore

                PostgresStore(self.dsn).close()  # opening a store migrates its database
                self._migrated = True
        return psycopg.connect(self.dsn, autocommit=True)

    @contextmanager
    def _connection(self) -> Iterator[Any]:
        with self._lock:
            if self._shared is None or self._shared.closed:
                self._shared = self.connect()
            try:
                yield self._shared
            finally:
                if self._shared.broken:
                    self._shared.close()
                    self._shared = None

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """One statement on the shared connection."""
        with self._connection() as conn:
            return run_on(conn)(sql, params)

    @contextmanager
    def transaction(self) -> Iterator[Rows]:
        """Statements that commit together (or not at all) on the shared connection."""
        with self._connection() as conn, conn.transaction():
            yield run_on(conn)

    def close(self) -> None:
        with self._lock:
            if self._shared is not None:
                self._shared.close()
                self._shared = None

    def __repr__(self) -> str:
        return "Database(<dsn>)"


def run_on(conn: Any) -> Rows:
    """``Rows`` on one psycopg connection."""

    def run(sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = conn.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []

    return run
