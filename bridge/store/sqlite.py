"""``SQLiteStore``: the default store, one file (or ``":memory:"``), WAL, migrated on open."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from typing import Any

from .sql import SQLStore

__all__ = ["SQLiteStore"]


class SQLiteStore(SQLStore):
    """The bridge's memory in a SQLite file. Several processes may share the file: writes
    take SQLite's write lock (``BEGIN IMMEDIATE``) and the tenant lock keeps runs apart."""

    begin_sql = "BEGIN IMMEDIATE"

    def __init__(self, path: str | os.PathLike[str] = "bridge.sqlite3") -> None:
        super().__init__()
        self.path = str(path)
        self._conn = sqlite3.connect(
            self.path, isolation_level=None, check_same_thread=False, timeout=30.0
        )
        if self.path != ":memory:":
            self._conn.execute("PRAGMA journal_mode=WAL")
        self._conn.execute("PRAGMA synchronous=NORMAL")
        self._conn.execute("PRAGMA busy_timeout=30000")
        self.version = self.migrate()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        rows: list[tuple[Any, ...]] = self._conn.execute(sql, tuple(params)).fetchall()
        return rows

    def __repr__(self) -> str:
        return f"SQLiteStore({self.path!r})"
