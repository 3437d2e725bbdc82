"""The store contract, run against SQLite and a real PostgreSQL server (see conftest)."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

import bridge
from bridge import SQLiteStore
from bridge.erp.registry import erp_names
from bridge.store import Link, Store
from bridge.store.schema import MIGRATIONS
from bridge.terms import PaymentTerms

from .conftest import StoreFactory, make_world


def test_wal_and_migrations_are_idempotent(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    assert store.version == len(MIGRATIONS)
    mode = store._run("PRAGMA journal_mode")[0][0]
    assert mode == "wal"
    store.close()
    assert SQLiteStore(tmp_path / "s.sqlite3").version == len(MIGRATIONS)


def test_migrations_are_idempotent(store_factory: StoreFactory) -> None:
    first = store_factory()
    assert getattr(first, "version", None) == len(MIGRATIONS)
    first.save_link("t", Link("customer", "1", "99"))
    again = store_factory()
    assert getattr(again, "version", None) == len(MIGRATIONS)
    assert again.get_link("t", "customer", "1") == Link("customer", "1", "99")


def _columns(store: Store) -> dict[str, list[str]]:
    run = store._run  # type: ignore[attr-defined]
    if isinstance(store, SQLiteStore):
        tables = [r[0] for r in run("SELECT name FROM sqlite_master WHERE type = 'table'")]
        return {t: [r[1] for r in run(f"PRAGMA table_info({t})")] for t in sorted(tables)}
    rows = run(
        "SELECT table_name, column_name FROM information_schema.columns "
        "WHERE table_schema = 'public' ORDER BY table_name, ordinal_position"
    )
    found: dict[str, list[str]] = {}
    for table, column in rows:
        found.setdefault(table, []).append(column)
    return found


def test_schema_is_the_same_on_both_engines(tmp_path: Path, postgres_dsn: str) -> None:
    import psycopg

    from bridge.store.postgres import PostgresStore

    with psycopg.connect(postgres_dsn, autocommit=True) as admin:
        admin.execute("DROP DATABASE IF EXISTS schema_check WITH (FORCE)")
        admin.execute("CREATE DATABASE schema_check")
    pg = PostgresStore(postgres_dsn.replace("dbname=postgres", "dbname=schema_check"))
    try:
        assert _columns(pg) == _columns(SQLiteStore(tmp_path / "s.sqlite3"))
    finally:
        pg.close()


def test_links_intents_dead_letters_bookmarks(any_store: Store) -> None:
    store = any_store
    store.save_link("t", Link("customer", "1", "99", "a", "b"))
    assert store.find_link_by_erp("t", "customer", "99") == Link("customer", "1", "99", "a", "b")
    assert store.get_link("other", "customer", "1") is None
    store.save_link("t", Link("customer", "1", "98", "c", "d"))
    assert store.get_link("t", "customer", "1") == Link("customer", "1", "98", "c", "d")
    assert [link.auvo_id for link in store.links("t", "customer")] == ["1"]
    assert store.get_intent("t", "task:1") is None
    assert store.record_intent("t", "task:1", "sale").attempts == 1
    assert store.record_intent("t", "task:1", "sale").attempts == 2
    store.complete_intent("t", "task:1")
    intent = store.get_intent("t", "task:1")
    assert intent is not None
    assert (intent.status, intent.kind) == ("done", "sale")
    store.dead_letter("t", "tasks", "task:2", "boom")
    store.dead_letter("t", "tasks", "task:2", "boom again")
    store.dead_letter("u", "tasks", "task:2", "another tenant")
    [letter] = store.dead_letters("t")
    assert (letter.reason, letter.attempts) == ("boom again", 2)
    assert letter.last_at.tzinfo is not None
    assert store.dead_letters("t", "customers") == []
    store.clear_dead_letter("t", "tasks", "task:2")
    assert store.dead_letters("t") == []
    assert len(store.dead_letters("u")) == 1
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    assert store.get_bookmark("t", "tasks") is None
    store.set_bookmark("t", "tasks", moment)
    store.set_bookmark("t", "tasks", moment.replace(hour=4))
    assert store.get_bookmark("t", "tasks") == moment.replace(hour=4)


def test_change_log_and_runs(any_store: Store) -> None:
    store = any_store
    store.log_change("t", "r1", "tasks", "task:1", "created", "sale 10")
    store.log_change("t", "r1", "tasks", "task:2", "linked", "sale 11")
    store.log_change("t", "r2", "customers", "customer:1", "updated", "erp 5")
    assert [c["ref"] for c in store.changes("t", "r1")] == ["task:1", "task:2"]
    assert len(store.changes("t")) == 3
    assert store.changes("u") == []
    assert store.last_run("t") is None
    store.save_run("t", "r1", datetime(2025, 1, 1, tzinfo=UTC), '{"run": 1}')
    store.save_run("t", "r2", datetime(2025, 1, 2, tzinfo=UTC), '{"run": 2}')
    assert store.last_run("t") == '{"run": 2}'


def test_transaction_rolls_back_as_a_whole(any_store: Store) -> None:
    store = any_store

    def crash() -> None:
        with store.transaction():
            store.save_link("t", Link("customer", "1", "99"))
            with store.transaction():  # nested: one commit at the outermost level
                store.record_intent("t", "task:1", "sale")
            raise RuntimeError("crash")

    with pytest.raises(RuntimeError):
        crash()
    assert store.get_link("t", "customer", "1") is None
    assert store.get_intent("t", "task:1") is None


def test_lock_is_per_tenant_and_exclusive(store_factory: StoreFactory) -> None:
    a = store_factory()
    b = store_factory()
    assert a.acquire_lock("t", "a", 60)
    assert a.acquire_lock("t", "a", 60)  # re-entrant for its owner
    assert not b.acquire_lock("t", "b", 60)
    assert b.acquire_lock("u", "b", 60)
    a.release_lock("t", "a")
    assert b.acquire_lock("t", "b", 60)
    assert b.acquire_lock("x", "b", -1)  # an expired lock is taken over
    assert a.acquire_lock("x", "a", 60)
    assert not b.acquire_lock("x", "b", 60)


@pytest.mark.parametrize("erp", erp_names())
def test_sync_twice_on_each_store(erp: str, store_factory: StoreFactory, tmp_path: Path) -> None:
    world = make_world(erp, tmp_path, store=store_factory())
    config = world.config()
    first = bridge.sync(config, world.store, auvo=world.auvo.client(), erp=world.erp_client)
    assert first.streams["tasks"].created == 3
    second = bridge.sync(config, world.store, auvo=world.auvo.client(), erp=world.erp_client)
    assert second.changed == 0
    assert all(count == 1 for count in world.sales().values())
    assert world.store.last_run("demo") is not None


@settings(max_examples=200, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=10**7, places=2),
    days=st.lists(st.integers(min_value=0, max_value=365), min_size=1, max_size=12),
)
def test_installments_add_up_to_the_cent(total: object, days: list[int]) -> None:
    assert isinstance(total, Decimal)
    terms = PaymentTerms(tuple(days))
    parts = terms.schedule(total, datetime(2025, 1, 1).date())
    assert sum(p for _, p in parts) == total
    assert max(p for _, p in parts) - min(p for _, p in parts) <= Decimal("0.01")
