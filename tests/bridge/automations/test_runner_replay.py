"""A dry run, a replay and a dry ``try`` of an automation: what each reads, acts on and
leaves alone. (``Double`` and the passes: see ``test_runner``.)"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge.automations import Condition
from bridge.automations.run import Replay, try_automation
from bridge.config import ConfigError
from bridge.engine import replay
from bridge.store import Store

from .test_runner import (
    NAME,
    T0,
    Double,
    Passes,
    counts,
    follow_up,
    install_double,
    made_for,
    passes_for,
)


@pytest.fixture
def double(monkeypatch: pytest.MonkeyPatch) -> Double:
    return install_double(monkeypatch)


def rows(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of a SQLite store."""
    run = store._run  # type: ignore[attr-defined]
    tables = [r[0] for r in run("SELECT name FROM sqlite_master WHERE type = 'table'")]
    return {table: sorted(run(f"SELECT * FROM {table}")) for table in sorted(tables)}


def test_a_dry_run_writes_nothing_and_lists_the_payloads(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(filters=[Condition("taskType", "=", 5)]))
    double.put(1, changed_at=T0 - timedelta(minutes=10), taskType=5)
    passes()  # a real first pass: bookmarks, seen state, a link
    double.put(2, changed_at=T0 + timedelta(minutes=5), taskType=5)
    double.put(3, changed_at=T0 + timedelta(minutes=5), taskType=4)
    double.put(4, changed_at=T0 + timedelta(minutes=5), taskType=5)
    double.lose_answers = 1
    passes()  # record 2 lands, its answer lost: pending, to be found by its reference
    double.put(5, changed_at=T0 + timedelta(minutes=15), taskType=5)
    double.put(6, changed_at=T0 + timedelta(minutes=15), taskType=5)
    before, made = rows(passes.world.store), dict(double.made)
    double.refuse = "any create is refused in this world"
    dry = passes(dry_run=True)
    assert rows(passes.world.store) == before
    assert double.made == made
    assert dry.dry_run
    assert counts(dry)["failed"] == 0
    planned = {double.source_of(entry["ref"]): entry for entry in dry.automations[NAME].planned}
    assert sorted(planned) == ["2", "5", "6"]
    assert planned["2"]["action"] == "link"  # found by its reference
    assert planned["5"] == {
        "ref": planned["5"]["ref"],
        "target": "auvo task",
        "action": "create_task",
        "payload": {"orientation": "Follow-up of task 5", "taskType": 7},
    }
    assert "would create_task auvo task" in dry.table()


def test_replay_acts_only_where_that_version_has_not_acted(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(on="created", lookback=None))
    passes()  # the first pass: from now on
    # Changed after the first pass, created long before it: not new to the passes.
    double.put(1, changed_at=T0 + timedelta(minutes=2), created_at=T0 - timedelta(days=3))
    double.put(2, changed_at=T0 + timedelta(minutes=3), created_at=T0 + timedelta(minutes=3))
    second = passes()
    assert counts(second) == {"seen": 2, "filtered": 1, "acted": 1, "skipped": 0, "failed": 0}
    store, tenant = passes.world.store, passes.tenant
    bookmark = store.get_bookmark(tenant, f"automation:{NAME}")
    seen = {ident: passes.seen(ident) for ident in ("1", "2")}
    # A created trigger replays records created since then (record 1 three days before T0).
    assert counts(_replay(passes, T0 - timedelta(days=1), dry_run=True))["acted"] == 0
    since = T0 - timedelta(days=4)

    dry = _replay(passes, since, dry_run=True)
    assert counts(dry)["acted"] == 1
    assert made_for(double) == ["2"]

    replayed = _replay(passes, since)
    assert replayed.streams == {}  # no stream runs in a replay
    assert counts(replayed) == {"seen": 2, "filtered": 0, "acted": 1, "skipped": 1, "failed": 0}
    assert made_for(double) == ["1", "2"]
    assert store.get_bookmark(tenant, f"automation:{NAME}") == bookmark
    assert {ident: passes.seen(ident) for ident in ("1", "2")} == seen
    assert counts(_replay(passes, since))["acted"] == 0  # twice is once
    # A replay's failure is reported, not left to the passes (which judge records their way).
    double.put(3, changed_at=T0 + timedelta(minutes=40), created_at=T0 - timedelta(days=2))
    double.refuse = "refused"
    failed = _replay(passes, since)
    assert counts(failed)["failed"] == 1
    assert failed.status == "partial"
    assert store.dead_letters(tenant, f"automation:{NAME}") == []
    double.refuse = None
    after = passes()  # only record 3 is new to the passes: created before their origin
    assert counts(after) == {"seen": 1, "filtered": 1, "acted": 0, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1", "2"]


def test_replay_of_an_automation_the_config_lacks(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up())
    with pytest.raises(ConfigError, match=r"no such automation.*'follow-up'"):
        replay(passes.config, passes.world.store, "typo", T0)


def _replay(passes: Passes, since: Any, *, dry_run: bool = False) -> Any:
    return passes(replay=Replay(NAME, since), dry_run=dry_run)


def test_the_engine_replays_with_its_own_clients(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(on="created", lookback=None))
    double.put(1, changed_at=T0, created_at=T0 - timedelta(days=3))
    world = passes.world
    report = replay(
        passes.config,
        world.store,
        NAME,
        T0 - timedelta(days=4),
        auvo=world.auvo.client(),
        erp=world.erp_client,
    )
    assert report.status == "ok"
    assert counts(report)["acted"] == 1
    assert world.store.last_run(passes.tenant) is not None


def test_try_judges_recent_records_and_writes_nothing(tmp_path: Path, double: Double) -> None:
    mapping = {"orientation": {"lookup": "product", "by": "externalId", "take": "name"}}
    automation = follow_up(
        field="finished", to=True, filters=[Condition("taskType", "=", 5)], field_map=mapping
    )
    passes = passes_for(tmp_path, automation)
    double.catalogue[("product", "P-1")] = {"id": 9, "name": "Air filter"}
    double.put(1, changed_at=T0, finished=True, taskType=5, externalId="P-1")
    double.put(2, changed_at=T0, finished=True, taskType=4, externalId="P-1")
    double.put(3, changed_at=T0, finished=False, taskType=5, externalId="P-1")
    double.put(4, changed_at=T0, finished=True, taskType=5, externalId="P-404")
    double.put(5, changed_at=T0 - timedelta(days=9), finished=True, taskType=5)
    world = passes.world
    before = rows(world.store)
    trials = try_automation(
        passes.config,
        world.store,
        NAME,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        since=T0 - timedelta(days=1),
    )
    assert [(t.record_id, t.fires, t.passes) for t in trials] == [
        ("1", True, True),
        ("2", True, False),
        ("3", False, True),
        ("4", True, True),
    ]
    assert trials[0].payload == {"orientation": "Air filter"}
    assert trials[0].error is None
    assert trials[1].payload is None
    assert trials[2].payload is None
    assert trials[3].payload is None
    assert "P-404" in (trials[3].error or "")
    assert len(trials[0].version) == 16
    assert rows(world.store) == before
    assert not double.made
    clients = {"auvo": world.auvo.client(), "erp": world.erp_client}
    limited = try_automation(passes.config, world.store, NAME, since=T0, limit=2, **clients)
    assert [t.record_id for t in limited] == ["1", "2"]
    # Without ``since``: the records changed within the trigger's lookback (an hour).
    double.put(6, changed_at=datetime.now(UTC) - timedelta(minutes=30), finished=True)
    recent = try_automation(passes.config, world.store, NAME, **clients)
    assert [(t.record_id, t.fires, t.passes) for t in recent] == [("6", True, False)]


def test_replay_leaves_a_failed_record_it_would_not_act_on_to_the_passes(
    tmp_path: Path, double: Double
) -> None:
    """Cleared by the passes' own judgement only: a replay judges a record as if new, which
    may not fire where the change the passes saw does."""
    passes = passes_for(tmp_path, follow_up(field="orientation"))
    double.put(1, changed_at=T0 - timedelta(minutes=10), orientation="call first")
    assert counts(passes())["acted"] == 1
    double.put(1, changed_at=T0 + timedelta(minutes=2), orientation="")  # emptied: a change
    double.refuse = "busy"
    assert counts(passes())["failed"] == 1
    double.refuse = None
    replayed = _replay(passes, T0)
    assert counts(replayed)["filtered"] == 1  # as if new: an empty field starts nothing
    letters = passes.world.store.dead_letters(passes.tenant, f"automation:{NAME}")
    assert [letter.ref for letter in letters] == ["1"]
    retried = passes()  # out of the window: read again through its letter
    assert counts(retried)["acted"] == 1
    assert made_for(double) == ["1", "1"]
    assert passes.world.store.dead_letters(passes.tenant, f"automation:{NAME}") == []
