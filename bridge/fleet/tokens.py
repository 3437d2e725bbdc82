"""``PostgresTokenStores``: every tenant's OAuth tokens in PostgreSQL, one row per tenant and
API, so any worker on any machine can refresh them, one at a time.

A refresh runs under the row's lock (``SELECT ... FOR UPDATE`` in a transaction held for the
refresh), so when two workers find the same access token expired, one refreshes and the
other, once the lock is its turn, reads the pair just saved instead of spending the refresh
token again: with rotating refresh tokens, spending one twice loses the chain. The rotated
pair is saved in that transaction before it is used (``sdkcore.auth.TokenAuth`` saves
before it sends), and the transaction commits however the refresh ends."""

from __future__ import annotations

import contextlib
import json
import threading
import unicodedata
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime

from sdkcore.auth import ReauthorizationRequired, TokenSet

from .database import Database, Rows, run_on

__all__ = ["LOCK_TIMEOUT", "PostgresTokenStore", "PostgresTokenStores", "token_key"]

LOCK_TIMEOUT = "5min"
"""The longest a refresh may hold a key's lock, and a worker wait for it (a refresh is one
request to the token endpoint: seconds)."""


def token_key(tenant: str, api: str) -> str:
    """The key of a tenant's tokens for one API (``"acme/auvo"``); ``token_key(tenant, "")``
    starts every key of the tenant."""
    return f"{tenant}/{api}"


def _check_key(key: str) -> str:
    if not isinstance(key, str) or not key:
        raise ValueError(f"a token store key must be a non-empty string, not {key!r}")
    if any(unicodedata.category(ch) == "Cc" for ch in key):
        raise ValueError(f"token store key {key!r} holds a control character")
    return key


class PostgresTokenStore:
    """One key's tokens: a ``sdkcore.auth.TokenStore`` whose ``lock()`` is the row's lock.

    Under ``lock()``, ``load`` and ``save`` run in the locking transaction (on the thread
    that took it, as ``TokenAuth`` calls them); elsewhere on the shared connection.
    """

    def __init__(self, db: Database, key: str) -> None:
        self._db = db
        self.key = _check_key(key)
        self._held = threading.local()  # the locking transaction's connection, per thread

    def _run(self) -> Rows:
        conn = getattr(self._held, "conn", None)
        return run_on(conn) if conn is not None else self._db.rows

    def load(self) -> TokenSet | None:
        rows = self._run()("SELECT tokens FROM tenant_tokens WHERE store_key = %s", (self.key,))
        if not rows or rows[0][0] is None:
            return None
        try:
            data = json.loads(str(rows[0][0]))
            if not isinstance(data, dict) or not isinstance(data.get("access_token"), str):
                raise ValueError("holds no access_token")
            return TokenSet.from_dict(data)
        except ValueError as exc:
            raise ReauthorizationRequired(
                f"the tokens stored under {self.key!r} are unreadable ({exc}): authorise the "
                "app again"
            ) from None

    def save(self, tokens: TokenSet) -> None:
        self._run()(
            "INSERT INTO tenant_tokens (store_key, tokens, updated_at) VALUES (%s, %s, %s) "
            "ON CONFLICT (store_key) DO UPDATE SET tokens = excluded.tokens, "
            "updated_at = excluded.updated_at",
            (self.key, json.dumps(tokens.to_dict()), datetime.now(UTC).isoformat()),
        )

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the key's row lock: every other holder, in any process or machine, waits."""
        conn = self._db.connect()
        try:
            # A holder whose machine vanished mid-refresh keeps no one waiting for long:
            # PostgreSQL ends its idle transaction, and a waiter gives up, after LOCK_TIMEOUT.
            conn.execute(f"SET idle_in_transaction_session_timeout = '{LOCK_TIMEOUT}'")
            conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
            conn.execute("BEGIN")
            # The row must exist to be locked: a key with no tokens yet gets an empty one.
            conn.execute(
                "INSERT INTO tenant_tokens (store_key, tokens, updated_at) VALUES (%s, NULL, %s) "
                "ON CONFLICT (store_key) DO NOTHING",
                (self.key, datetime.now(UTC).isoformat()),
            )
            conn.execute("SELECT 1 FROM tenant_tokens WHERE store_key = %s FOR UPDATE", (self.key,))
            self._held.conn = conn
            try:
                yield
            finally:
                self._held.conn = None
                # Committed even when the block failed or was cancelled: a pair saved in it
                # is the only one the token endpoint still honours.
                conn.execute("COMMIT")
        finally:
            conn.close()

    def __repr__(self) -> str:
        return f"PostgresTokenStore({self.key!r})"


class PostgresTokenStores:
    """A ``sdkcore.auth.TokenStores`` in the PostgreSQL database at ``dsn``: each key (a
    tenant and an API, ``token_key``) its own row, tokens and lock."""

    def __init__(self, dsn: str) -> None:
        self._db = Database(dsn)
        # Weak: a worker serves tenant after tenant for days, and a key's store holds no
        # state of its own between passes (its tokens are in the row), so one no client
        # holds any more is let go; while one does, the key's callers share it.
        self._stores: weakref.WeakValueDictionary[str, PostgresTokenStore] = (
            weakref.WeakValueDictionary()
        )
        self._lock = threading.Lock()

    def for_key(self, key: str) -> PostgresTokenStore:
        with self._lock:
            store = self._stores.get(key)
            if store is None:
                store = self._stores[key] = PostgresTokenStore(self._db, key)
            return store

    def close(self) -> None:
        self._db.close()

    def __repr__(self) -> str:
        return "PostgresTokenStores(<dsn>)"
