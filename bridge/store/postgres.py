"""``PostgresStore``: the same schema and SQL on PostgreSQL, through psycopg 3
(``pip install ponte-sdk[postgres]``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .sql import SQLStore

__all__ = ["PostgresStore"]


class PostgresStore(SQLStore):
    """The bridge's memory in PostgreSQL. ``dsn`` is a libpq connection string or URL."""

    placeholder = "%s"

    def __init__(self, dsn: str) -> None:
        try:
            import psycopg  # type: ignore[import-not-found,unused-ignore]
        except ImportError as exc:  # pragma: no cover - depends on the extra
            raise ImportError(
                "PostgresStore needs psycopg 3: pip install 'ponte-sdk[postgres]'"
            ) from exc
        super().__init__()
        self._conn: Any = psycopg.connect(dsn, autocommit=True)
        self.version = self.migrate()

    def _run(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        cursor = self._conn.execute(sql, tuple(params))
        return list(cursor.fetchall()) if cursor.description is not None else []

    def __repr__(self) -> str:
        return "PostgresStore(<dsn>)"
