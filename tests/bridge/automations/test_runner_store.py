"""What the store keeps for the automations runner (``get_seen``/``save_seen``), on SQLite
and on PostgreSQL (see ``tests/bridge/conftest.py``)."""

from __future__ import annotations

from bridge.store.base import Seen

from ..conftest import StoreFactory


def test_seen_state_per_tenant_automation_and_record(store_factory: StoreFactory) -> None:
    store = store_factory()
    assert store.get_seen("t", "follow-up", "1") is None
    store.save_seen("t", "follow-up", "1", "aaaa", '"Aprovado"')
    store.save_seen("t", "welcome", "1", "bbbb", "")
    store.save_seen("u", "follow-up", "1", "cccc", "")
    assert store.get_seen("t", "follow-up", "1") == Seen("aaaa", '"Aprovado"')
    assert store.get_seen("t", "welcome", "1") == Seen("bbbb", "")
    assert store.get_seen("u", "follow-up", "1") == Seen("cccc", "")
    store.save_seen("t", "follow-up", "1", "dddd", "null")  # a later version replaces it
    assert store_factory().get_seen("t", "follow-up", "1") == Seen("dddd", "null")
    assert store.get_seen("t", "follow-up", "2") is None
