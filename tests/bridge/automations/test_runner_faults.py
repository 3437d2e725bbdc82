"""The automations runner under faults: a process killed after each step of the write
protocol, an action whose answer was lost, an action refused, a key reserved before a
create. Each ends with the record acted on exactly once. (``Double`` and the passes: see
``test_runner``.)"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bridge.context import STEPS, Hook

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


class Crash(BaseException):
    """The process dies: nothing after the step runs (not an ``Exception``: no handler in
    the bridge takes it for a record's failure)."""


def _crash_at(step: str) -> tuple[list[str], Hook]:
    """A hook killing the pass right after ``step`` of an automation's write; the steps it
    saw."""
    steps: list[str] = []

    def hook(at: str, ref: str) -> None:
        if ref.startswith("auto-"):
            steps.append(at)
            if at == step:
                raise Crash(f"{at} {ref}")

    return steps, hook


def _crashed_pass(passes: Passes, step: str) -> list[str]:
    steps, hook = _crash_at(step)
    with pytest.raises(Crash):
        passes(hook=hook)
    return steps


@pytest.mark.parametrize("step", STEPS)
def test_a_crash_after_any_step_still_acts_exactly_once(
    tmp_path: Path, double: Double, step: str
) -> None:
    double.reserving = True  # every step happens, reserve included
    mapping = {"orientation": {"lookup": "product", "by": "externalId", "take": "name"}}
    passes = passes_for(tmp_path, follow_up(field_map=mapping))
    double.catalogue[("product", "P-1")] = {"id": 9, "name": "Air filter"}
    double.put(1, changed_at=T0 - timedelta(minutes=10), externalId="P-1")
    steps = _crashed_pass(passes, step)
    assert steps == list(STEPS[: STEPS.index(step) + 1])
    # The decision is recorded before the action, the record's version only after it.
    assert handled(passes, "1") is None
    assert decided(passes, "1") is not None
    again = passes()
    assert made_for(double) == ["1"]
    one = counts(again)
    assert one["seen"] == 1
    assert one["acted"] + one["skipped"] == 1
    assert one["failed"] == 0
    # Crashed after its link: the action was done, and the rerun knows it.
    assert one["skipped"] == (1 if step == "link" else 0)
    # Done already: its payload is not built again (no lookup, no customer linked).
    assert len(double.looked_up) == (1 if step == "link" else 2)
    assert passes.seen("1") is not None
    assert counts(passes())["seen"] == 0
    assert len(double.made) == 1


def test_a_crash_after_the_reservation_reuses_the_key(tmp_path: Path, double: Double) -> None:
    double.reserving = True
    passes = passes_for(tmp_path, follow_up())
    double.put(2, changed_at=T0 - timedelta(minutes=10))
    _crashed_pass(passes, "reserve")
    assert double.reserved == ["100"]
    intents = passes.world.store.pending_reservations(passes.tenant)
    assert intents == frozenset({"100"})  # recorded before the create was sent
    # Another record needs a key while 100 is still held: it is never given 100.
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    assert counts(passes())["acted"] == 2
    keys = {double.source_of(made.reference): made.key for made in double.made.values()}
    assert keys == {"2": "100", "1": "101"}
    assert double.reserved == ["100", "101"]  # the crashed write took no second key
    assert passes.world.store.pending_reservations(passes.tenant) == frozenset()


def test_a_lost_answer_is_found_by_its_reference_on_the_next_pass(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    double.lose_answers = 1
    first = passes()
    assert counts(first)["failed"] == 1
    assert len(double.made) == 1
    store, stream = passes.world.store, f"automation:{NAME}"
    letter = store.get_dead_letter(passes.tenant, stream, "1")
    assert letter is not None
    assert letter.reason == "TimeoutError: the answer was lost"
    assert handled(passes, "1") is None
    assert decided(passes, "1") is not None  # the retry finishes this action
    second = passes()
    assert counts(second)["acted"] == 1
    assert len(double.made) == 1  # found by its reference: no second create
    assert store.get_dead_letter(passes.tenant, stream, "1") is None
    assert passes.seen("1") is not None
    changes = store.changes(passes.tenant, second.run_id)
    assert [(c["stream"], c["action"]) for c in changes] == [(stream, "linked")]


def test_a_refused_action_is_retried_against_the_same_before_state(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up(field="finished", to=True))
    double.put(1, changed_at=T0 - timedelta(minutes=10), finished=False)
    assert counts(passes())["filtered"] == 1
    before = passes.seen("1")
    assert before is not None
    assert before.state == "false"
    double.put(1, changed_at=T0 + timedelta(minutes=2), finished=True)
    double.refuse = "no such task type"
    refused = passes()
    assert counts(refused)["failed"] == 1
    after_refusal = passes.seen("1")
    assert after_refusal is not None  # not advanced: the retry finishes the same change
    assert (after_refusal.version, after_refusal.state) == (before.version, before.state)
    assert after_refusal.pending is not None
    store, stream = passes.world.store, f"automation:{NAME}"
    assert store.get_dead_letter(passes.tenant, stream, "1") is not None
    double.refuse = None
    # The record is out of the next window now: its dead letter reads it again by id.
    retried = passes()
    # Its letter read it again; then the task it made, a task this automation watches, was
    # read back to be taken as seen as written.
    assert double.reads == ["1", "made-1"]
    assert counts(retried) == {"seen": 1, "filtered": 0, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1"]
    after = passes.seen("1")
    assert after is not None
    assert after.state == "true"
    assert after.version != before.version
    assert store.dead_letters(passes.tenant, stream) == []


def test_a_record_gone_before_its_retry_leaves_nothing_to_do(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    double.refuse = "down for maintenance"
    assert counts(passes())["failed"] == 1
    double.refuse = None
    del double.records["task"]["1"]
    report = passes()
    assert double.reads == ["1"]
    assert counts(report)["seen"] == 0
    assert not double.made
    assert passes.world.store.dead_letters(passes.tenant, f"automation:{NAME}") == []


def test_a_failed_change_undone_before_its_retry_is_finished_once(
    tmp_path: Path, double: Double
) -> None:
    """The record acted at one version, failed at the next, then went back to the first:
    the action decided for the second is finished (the change happened), and the first
    version, acted on already, is not acted on again; the letter goes."""
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=10), orientation="a")
    assert counts(passes())["acted"] == 1
    double.put(1, changed_at=T0 + timedelta(minutes=8), orientation="b")
    double.refuse = "busy"
    assert counts(passes())["failed"] == 1
    double.refuse = None
    double.put(1, changed_at=T0 + timedelta(minutes=18), orientation="a")
    third = passes()
    assert counts(third) == {"seen": 2, "filtered": 0, "acted": 1, "skipped": 1, "failed": 0}
    assert len(double.made) == 2
    assert passes.world.store.dead_letters(passes.tenant, f"automation:{NAME}") == []


def test_a_record_that_failed_and_changed_acts_at_its_new_version(
    tmp_path: Path, double: Double
) -> None:
    """A change trigger acts once per version: the version whose answer was lost landed,
    and the next version acts too; the record's letter goes with it."""
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    double.lose_answers = 1
    assert counts(passes())["failed"] == 1
    double.put(1, changed_at=T0 + timedelta(minutes=8), orientation="changed")
    assert counts(passes())["acted"] == 2  # the landed one linked, then the new version
    assert made_for(double) == ["1", "1"]
    assert len({made.reference for made in double.made.values()}) == 2
    assert passes.world.store.dead_letters(passes.tenant, f"automation:{NAME}") == []


def handled(passes: Passes, record_id: str) -> str | None:
    """The version of ``record_id`` the automation handled, if any."""
    seen = passes.seen(record_id)
    return seen.version if seen is not None and seen.version else None


def decided(passes: Passes, record_id: str) -> str | None:
    """The action decided on for ``record_id`` and not seen to finish, if any."""
    seen = passes.seen(record_id)
    return None if seen is None else seen.pending


def test_a_record_edited_between_a_lost_answer_and_its_retry_acts_once(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up(field="finished", to=True))
    double.put(1, changed_at=T0 - timedelta(minutes=10), finished=False)
    passes()
    double.put(1, changed_at=T0 + timedelta(minutes=2), finished=True)
    double.lose_answers = 1  # the task lands, its answer is lost
    assert counts(passes())["failed"] == 1
    double.put(1, changed_at=T0 + timedelta(minutes=12), orientation="typo fixed")
    retried = passes()
    assert counts(retried)["failed"] == 0
    assert len(double.made) == 1  # found under the decided key: not made again


def test_a_record_edited_after_a_crash_after_its_create_acts_once(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up(on="created"))
    double.put(1, changed_at=T0 - timedelta(minutes=10), created_at=T0 - timedelta(minutes=10))
    _crashed_pass(passes, "create")
    double.put(1, changed_at=T0 + timedelta(minutes=2), orientation="edited")
    assert counts(passes())["failed"] == 0
    assert len(double.made) == 1
