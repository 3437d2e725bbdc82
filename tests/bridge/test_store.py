from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from bridge import SQLiteStore
from bridge.store import Link
from bridge.terms import PaymentTerms


def test_wal_and_migrations_are_idempotent(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    assert store.version == 1
    mode = store._run("PRAGMA journal_mode")[0][0]
    assert mode == "wal"
    store.close()
    assert SQLiteStore(tmp_path / "s.sqlite3").version == 1


def test_links_intents_dead_letters_bookmarks(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    store.save_link("t", Link("customer", "1", "99", "a", "b"))
    assert store.find_link_by_erp("t", "customer", "99") == Link("customer", "1", "99", "a", "b")
    assert store.get_link("other", "customer", "1") is None
    assert store.record_intent("t", "task:1", "sale").attempts == 1
    assert store.record_intent("t", "task:1", "sale").attempts == 2
    store.complete_intent("t", "task:1")
    intent = store.get_intent("t", "task:1")
    assert intent is not None
    assert intent.status == "done"
    store.dead_letter("t", "tasks", "task:2", "boom")
    store.dead_letter("t", "tasks", "task:2", "boom again")
    [letter] = store.dead_letters("t")
    assert (letter.reason, letter.attempts) == ("boom again", 2)
    store.clear_dead_letter("t", "tasks", "task:2")
    assert store.dead_letters("t") == []
    moment = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
    store.set_bookmark("t", "tasks", moment)
    assert store.get_bookmark("t", "tasks") == moment


def test_lock_is_per_tenant_and_exclusive(tmp_path: Path) -> None:
    a = SQLiteStore(tmp_path / "s.sqlite3")
    b = SQLiteStore(tmp_path / "s.sqlite3")
    assert a.acquire_lock("t", "a", 60)
    assert not b.acquire_lock("t", "b", 60)
    assert b.acquire_lock("u", "b", 60)
    a.release_lock("t", "a")
    assert b.acquire_lock("t", "b", 60)
    assert b.acquire_lock("x", "b", -1)  # an expired lock is taken over
    assert a.acquire_lock("x", "a", 60)


@settings(max_examples=200, deadline=None)
@given(
    total=st.decimals(min_value=0, max_value=10**7, places=2),
    days=st.lists(st.integers(min_value=0, max_value=365), min_size=1, max_size=12),
)
def test_installments_add_up_to_the_cent(total: object, days: list[int]) -> None:
    from decimal import Decimal

    assert isinstance(total, Decimal)
    terms = PaymentTerms(tuple(days))
    parts = terms.schedule(total, datetime(2025, 1, 1).date())
    assert sum(p for _, p in parts) == total
    assert max(p for _, p in parts) - min(p for _, p in parts) <= Decimal("0.01")
