"""The automations runner on a pass: when each kind of trigger fires, what the filters keep
out, one action per record version across passes, lookups, and the report.

Auvo's automation I/O is replaced by ``Double``, an in-memory system holding trigger records
with the moment each changed and the records its actions made (each findable by its
reference, and by the key it was reserved under): the runner is tested on its own, apart
from each system's I/O (tested with each system). The rest of the pass is real: the engine,
the streams on the fakes, the store and the write protocol."""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from pydantic import BaseModel

import bridge.auvo_side
from bridge.automation_surface import LookupFailed, Observed
from bridge.automations import Action, Automation, Condition, Trigger
from bridge.automations.run import reference_of, version_of
from bridge.auvo_side import AuvoSide
from bridge.config import BridgeConfig
from bridge.context import Hook
from bridge.credentials import CredentialsRejected
from bridge.domain import ReservationTaken
from bridge.engine import run
from bridge.report import AutomationReport, SyncReport
from bridge.store.base import Seen
from sdkcore import MissingCredentialsError

from ..conftest import ANY_ERP, World, make_world

T0 = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
NAME = "follow-up"
FOLLOW_UP = {"orientation": "Follow-up of task {taskID}", "taskType": 7}


@attrs.define
class Made:
    """A record one of the double's actions made."""

    action: str
    payload: dict[str, Any]
    reference: str
    key: str | None


@attrs.define
class _Stored:
    record: BaseModel
    changed_at: datetime
    created_at: datetime | None


class Double:
    """An in-memory system as ``AutomationIO`` sees one: trigger records of each kind, each
    with when it last changed (``changed`` filters by it, as a system's change filter does),
    and the records its actions made. Faults: ``broken`` fails every read of the trigger,
    ``refuse`` fails an action before it lands, ``lose_answers`` lets that many actions land
    and then raise (a lost answer). With ``reserving`` a create takes a number first: the
    lowest from 100 no record holds and no pending write holds (``held``)."""

    def __init__(self, models: Mapping[str, type[BaseModel]]) -> None:
        self.models = models
        self.records: dict[str, dict[str, _Stored]] = {}
        self.made: dict[str, Made] = {}
        self.catalogue: dict[tuple[str, str], dict[str, Any]] = {}
        self.reserving = False
        self.reserved: list[str] = []
        self.refuse: str | None = None
        self.lose_answers = 0
        self.broken: Exception | None = None
        self.reads: list[str] = []
        self.looked_up: list[tuple[str, str]] = []
        self.ports: list[object] = []
        self.references: dict[str, str] = {}  # every version's action reference -> its record

    def source_of(self, reference: str) -> str:
        """The trigger record an action's reference was made for (references are opaque)."""
        return self.references[reference]

    def put(
        self,
        ident: int | str,
        changed_at: datetime,
        created_at: datetime | None = None,
        kind: str = "task",
        **fields: Any,
    ) -> None:
        """Add or change the record ``ident`` (its wire fields), changed at ``changed_at``."""
        previous = self.records.setdefault(kind, {}).get(str(ident))
        wire = previous.record.model_dump(by_alias=True, exclude_none=True) if previous else {}
        wire |= {"id": ident} if kind != "task" else {"taskID": ident}
        record = self.models[kind].model_validate(wire | fields)
        if created_at is None and previous is not None:
            created_at = previous.created_at
        self.records[kind][str(ident)] = _Stored(record, changed_at, created_at)
        key = f"{ident}@{version_of(record.model_dump(mode='json', by_alias=True))}"
        self.references[reference_of(NAME, key)] = str(ident)

    # -- AutomationIO

    def changed(self, record: str, since: datetime | None) -> Iterator[Observed]:
        if self.broken is not None:
            raise self.broken
        for ident, stored in sorted(self.records.get(record, {}).items()):
            if since is None or stored.changed_at >= since:
                yield Observed(ident, stored.record, stored.created_at)

    def read(self, record: str, ident: str) -> Observed | None:
        self.reads.append(ident)
        stored = self.records.get(record, {}).get(ident)
        return None if stored is None else Observed(ident, stored.record, stored.created_at)

    def reserve(self, action: Action, held: Collection[str]) -> str | None:
        if not self.reserving:
            return None
        taken = {made.key for made in self.made.values()} | set(held)
        number = next(str(n) for n in range(100, 1000) if str(n) not in taken)
        self.reserved.append(number)
        return number

    def find(self, action: Action, reference: str, reserved: str | None) -> str | None:
        if reserved is not None:
            holder = next((i for i, m in self.made.items() if m.key == reserved), None)
            if holder is not None and self.made[holder].reference != reference:
                raise ReservationTaken(f"{reserved} holds {holder}")
            return holder
        return next((i for i, m in self.made.items() if m.reference == reference), None)

    def act(
        self, action: Action, payload: Mapping[str, Any], reference: str, reserved: str | None
    ) -> str:
        if self.refuse is not None:
            raise ValueError(self.refuse)
        if reserved is not None and any(m.key == reserved for m in self.made.values()):
            raise ValueError(f"number {reserved} is taken")
        ident = f"made-{len(self.made) + 1}"
        self.made[ident] = Made(action.kind, dict(payload), reference, reserved)
        if self.lose_answers:
            self.lose_answers -= 1
            raise TimeoutError("the answer was lost")
        return ident

    def lookup(self, what: str, key: Any, take: str) -> Any:
        self.looked_up.append((what, str(key)))
        found = self.catalogue.get((what, str(key)))
        if found is None:
            raise LookupFailed(f"no {what} with code {key!r}")
        return found[take]


def install_double(monkeypatch: pytest.MonkeyPatch) -> Double:
    """A ``Double`` as Auvo's automation I/O (built over the pass's ``AuvoSide``)."""
    surface = bridge.auvo_side.AUTOMATIONS
    fake = Double(surface.records)

    def io(port: object) -> Double:
        assert isinstance(port, AuvoSide)
        fake.ports.append(port)
        return fake

    monkeypatch.setattr(bridge.auvo_side, "AUTOMATIONS", attrs.evolve(surface, io=io))
    return fake


@pytest.fixture
def double(monkeypatch: pytest.MonkeyPatch) -> Double:
    return install_double(monkeypatch)


def follow_up(
    *,
    on: str | None = None,
    field: str | None = None,
    to: Any = None,
    filters: Any = (),
    field_map: Mapping[str, object] | None = None,
    lookback: timedelta | None = timedelta(hours=1),
    name: str = NAME,
) -> Automation:
    """An Auvo task triggers a follow-up task."""
    return Automation(
        name,
        trigger=Trigger("auvo", "task", on, field, to, lookback),
        filters=filters,
        field_map=FOLLOW_UP if field_map is None else field_map,
        action=Action("auvo", "create_task"),
    )


@attrs.define
class Passes:
    """Passes of the engine over one world, ten minutes apart from ``T0``."""

    world: World
    config: BridgeConfig
    at: datetime = T0

    def __call__(self, hook: Hook | None = None, **options: Any) -> SyncReport:
        moment = self.at
        self.at += timedelta(minutes=10)
        return run(
            self.config,
            self.world.store,
            auvo=self.world.auvo.client(),
            erp=self.world.erp_client,
            hook=hook,
            now=lambda: moment,
            **options,
        )

    @property
    def tenant(self) -> str:
        return self.config.tenant

    def seen(self, record_id: str, name: str = NAME) -> Seen | None:
        return self.world.store.get_seen(self.tenant, name, record_id)


def passes_for(tmp_path: Path, *automations: Automation, erp: str = ANY_ERP) -> Passes:
    """A world whose config runs ``automations`` (and the customers stream, Auvo to ERP)."""
    world = make_world(erp, tmp_path)
    config = world.config(
        automations=automations,
        customers_direction="auvo_to_erp",
        tasks_enabled=False,
        catalog_enabled=False,
        quotations_enabled=False,
    )
    return Passes(world, config)


def counts(report: SyncReport, name: str = NAME) -> dict[str, int]:
    one = report.automations[name]
    keys = ("seen", "filtered", "acted", "skipped", "failed")
    return {key: getattr(one, key) for key in keys}


def made_for(fake: Double) -> list[str]:
    """Which trigger record each made record came from (its reference's record id)."""
    return sorted(fake.source_of(m.reference) for m in fake.made.values())


def test_created_fires_for_records_created_since_the_origin(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(on="created"))
    double.put(1, changed_at=T0 - timedelta(minutes=20), created_at=T0 - timedelta(minutes=20))
    # Changed just now, but created days before the automation's first pass: not new.
    double.put(2, changed_at=T0 - timedelta(minutes=10), created_at=T0 - timedelta(days=5))
    first = passes()
    assert counts(first) == {"seen": 2, "filtered": 1, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1"]
    made = next(iter(double.made.values()))
    assert made.payload == {"orientation": "Follow-up of task 1", "taskType": 7}
    assert double.ports
    assert all(isinstance(port, AuvoSide) for port in double.ports)
    store = passes.world.store
    assert store.get_bookmark(passes.tenant, f"automation-origin:{NAME}") == T0 - timedelta(hours=1)
    assert store.get_bookmark(passes.tenant, f"automation:{NAME}") == T0
    double.put(3, changed_at=T0 + timedelta(minutes=5), created_at=T0 + timedelta(minutes=5))
    double.put(1, changed_at=T0 + timedelta(minutes=5), orientation="edited")  # not created
    second = passes()
    assert counts(second) == {"seen": 2, "filtered": 1, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1", "3"]


def test_changed_fires_once_per_version(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=2), orientation="first")
    assert counts(passes())["acted"] == 1
    # Read again in the next pass's overlap, unchanged: not seen again, nothing done.
    again = passes()
    assert counts(again) == {"seen": 0, "filtered": 0, "acted": 0, "skipped": 0, "failed": 0}
    double.put(1, changed_at=T0 + timedelta(minutes=12), orientation="second")
    assert counts(passes())["acted"] == 1
    assert made_for(double) == ["1", "1"]
    references = {made.reference for made in double.made.values()}
    assert len(references) == 2  # one per version
    version = version_of(double.records["task"]["1"].record.model_dump(mode="json", by_alias=True))
    assert reference_of(NAME, f"1@{version}") in references
    assert passes.seen("1") == Seen(version, "")


def test_field_changed_to_a_value(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(field="finished", to=True))
    double.put(1, changed_at=T0 - timedelta(minutes=10), finished=False)
    double.put(2, changed_at=T0 - timedelta(minutes=10), finished=True)  # first sight, there
    first = passes()
    assert counts(first) == {"seen": 2, "filtered": 1, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["2"]
    unfinished = passes.seen("1")
    assert unfinished is not None
    assert unfinished.state == "false"
    double.put(1, changed_at=T0 + timedelta(minutes=5), finished=True)  # reaches the value
    double.put(2, changed_at=T0 + timedelta(minutes=5), orientation="notes")  # was there
    second = passes()
    assert counts(second) == {"seen": 2, "filtered": 1, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1", "2"]
    double.put(1, changed_at=T0 + timedelta(minutes=15), finished=False)
    double.put(1, changed_at=T0 + timedelta(minutes=16), finished=True, orientation="again")
    # Read once both changes were made: true when last seen, true now; no change to it.
    assert counts(passes()) == {"seen": 1, "filtered": 1, "acted": 0, "skipped": 0, "failed": 0}


def test_field_changed_without_a_value_fires_on_any_change_of_it(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up(field="taskType"))
    double.put(1, changed_at=T0 - timedelta(minutes=10), taskType=1)
    double.put(2, changed_at=T0 - timedelta(minutes=10))  # no value yet: nothing to act on
    assert counts(passes())["acted"] == 1
    double.put(1, changed_at=T0 + timedelta(minutes=5), orientation="notes")
    double.put(2, changed_at=T0 + timedelta(minutes=5), taskType=3)
    second = passes()
    assert counts(second) == {"seen": 2, "filtered": 1, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1", "2"]


def test_records_the_filters_refuse_are_counted_as_filtered(tmp_path: Path, double: Double) -> None:
    only_five = [Condition("taskType", "=", 5), Condition("orientation", "contains", "AC")]
    passes = passes_for(tmp_path, follow_up(filters=only_five))
    double.put(1, changed_at=T0 - timedelta(minutes=10), taskType=5, orientation="AC unit")
    double.put(2, changed_at=T0 - timedelta(minutes=10), taskType=3, orientation="AC unit")
    double.put(3, changed_at=T0 - timedelta(minutes=10), taskType=5, orientation="boiler")
    report = passes()
    assert counts(report) == {"seen": 3, "filtered": 2, "acted": 1, "skipped": 0, "failed": 0}
    assert made_for(double) == ["1"]
    # Refused records are handled: a later pass does not see them again unchanged.
    assert passes.seen("2") is not None
    assert counts(passes())["seen"] == 0


def test_each_record_version_acts_once_across_passes(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(), follow_up(on="created", name="welcome"))
    moment = T0 - timedelta(minutes=1)
    for ident in (1, 2, 3):
        double.put(ident, changed_at=moment, created_at=moment)
    reports = [passes() for _ in range(3)]
    assert [counts(r)["acted"] for r in reports] == [3, 0, 0]
    assert [counts(r, "welcome")["acted"] for r in reports] == [3, 0, 0]
    assert len(double.made) == 6
    assert all(r.status == "ok" for r in reports), reports[0].table()


def test_lookups_of_the_customer_and_of_a_product(tmp_path: Path, double: Double) -> None:
    mapping = {
        "customerId": {"lookup": "customer"},  # by Auvo's customer path of a task
        "orientation": {"lookup": "product", "by": "externalId", "take": "name"},
    }
    passes = passes_for(tmp_path, follow_up(field_map=mapping))
    double.catalogue[("product", "P-1")] = {"id": 9, "name": "Air filter"}
    double.put(1, changed_at=T0 - timedelta(minutes=10), customerId=3, externalId="P-1")
    double.put(2, changed_at=T0 - timedelta(minutes=10), customerId=3, externalId="P-404")
    double.put(3, changed_at=T0 - timedelta(minutes=10), externalId="P-1")  # no customer
    report = passes()
    assert counts(report) == {"seen": 3, "filtered": 0, "acted": 1, "skipped": 0, "failed": 2}
    assert [m.payload for m in double.made.values()] == [
        {"customerId": 3, "orientation": "Air filter"}
    ]
    errors = {e["ref"]: e["error"] for e in report.automations[NAME].errors}
    assert "LookupFailed" in errors["2"]
    assert "P-404" in errors["2"]
    assert "no customer at customerId" in errors["3"]
    assert report.status == "partial"
    letters = passes.world.store.dead_letters(passes.tenant, f"automation:{NAME}")
    assert sorted(letter.ref for letter in letters) == ["2", "3"]


def test_the_report_counts_each_automation_in_json_and_the_table(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up(filters=[Condition("taskType", "=", 5)]))
    double.put(1, changed_at=T0 - timedelta(minutes=10), taskType=5)
    double.put(2, changed_at=T0 - timedelta(minutes=10), taskType=3)
    double.put(3, changed_at=T0 - timedelta(minutes=10), taskType=5)
    double.lose_answers = 1
    report = passes()
    saved = json.loads(report.to_json())["automations"][NAME]
    assert {k: saved[k] for k in ("seen", "filtered", "acted", "skipped", "failed")} == {
        "seen": 3,
        "filtered": 1,
        "acted": 1,
        "skipped": 0,
        "failed": 1,
    }
    assert saved["errors"] == [{"ref": "1", "error": "TimeoutError: the answer was lost"}]
    assert saved["bookmark_after"] == T0.isoformat()
    assert report.status == "partial"
    back = SyncReport.from_dict(json.loads(report.to_json()))
    assert back.automations == report.automations
    assert back.status == "partial"
    assert back.failed == report.failed
    stored = passes.world.store.last_run(passes.tenant)
    assert stored is not None
    assert json.loads(stored)["automations"][NAME]["acted"] == 1
    table = report.table()
    header = next(line for line in table.splitlines() if line.startswith("automation "))
    assert header.split() == ["automation", "seen", "filtered", "acted", "skipped", "failed"]
    row = next(line for line in table.splitlines() if line.startswith(NAME))
    assert row.split() == [NAME, "3", "1", "1", "0", "1"]
    assert f"automation {NAME}: failed 1: TimeoutError: the answer was lost" in table


def test_a_report_without_automations_reads_back() -> None:
    empty = AutomationReport.from_dict("x", {})
    assert (empty.seen, empty.acted, empty.errors, empty.planned) == (0, 0, [], [])
    report = SyncReport("t", ANY_ERP, "r", T0)
    data = report.to_dict()
    del data["automations"]  # a run saved before automations existed
    assert SyncReport.from_dict(data).automations == {}
    assert "automation" not in report.table()


def test_a_trigger_that_cannot_be_read_fails_its_automation_only(
    tmp_path: Path, double: Double
) -> None:
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    double.broken = ConnectionError("Auvo is down")
    report = passes()
    one = report.automations[NAME]
    assert one.failed_whole
    assert one.errors[0]["error"] == "ConnectionError: Auvo is down"
    assert report.status == "partial"  # the streams ran
    assert passes.world.store.get_bookmark(passes.tenant, f"automation:{NAME}") is None
    double.broken = None
    assert counts(passes())["acted"] == 1  # the next pass reads the same window again


def test_automations_run_after_the_streams(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up())
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    refs: list[str] = []
    report = passes(hook=lambda step, ref: refs.append(ref))
    assert counts(report)["acted"] == 1
    assert report.streams["customers"].changed > 0  # the first pass links the customers
    automation = [n for n, ref in enumerate(refs) if ref.startswith("auto-")]
    assert automation
    assert automation == list(range(automation[0], len(refs)))  # nothing of a stream after


def test_refused_credentials_stop_the_pass(tmp_path: Path, double: Double) -> None:
    passes = passes_for(tmp_path, follow_up(), follow_up(name="second"))
    double.put(1, changed_at=T0 - timedelta(minutes=10))
    double.broken = MissingCredentialsError("api_key", "no key given")
    with pytest.raises(CredentialsRejected) as raised:
        passes()
    report = raised.value.report
    assert report is not None
    assert report.status == "credentials_rejected"
    assert "second" not in report.automations  # the pass stopped at the first
    assert not double.made


def test_volatile_fields_are_left_out_of_a_version() -> None:
    record = {"id": 1, "nome": "Oficina", "recebimentos_mes_atual": "10.00"}
    paid = record | {"recebimentos_mes_atual": "250.00"}
    renamed = record | {"nome": "Oficina Boa"}
    volatile = frozenset({"recebimentos_mes_atual"})
    assert version_of(record) != version_of(paid)
    assert version_of(record, volatile) == version_of(paid, volatile)
    assert version_of(record, volatile) != version_of(renamed, volatile)


def test_an_action_that_writes_a_customer_makes_the_pass_read_customers_again(
    tmp_path: Path, double: Double, monkeypatch: pytest.MonkeyPatch
) -> None:
    forgotten: list[str] = []
    monkeypatch.setattr(AuvoSide, "forget_customers", lambda side: forgotten.append("auvo"))
    touch = Automation(
        NAME,
        trigger=Trigger("auvo", "task", on="changed", lookback=timedelta(hours=1)),
        field_map={"id": "{customerId}", "note": "visited"},
        action=Action("auvo", "update_customer"),
    )
    passes = passes_for(tmp_path, touch)
    double.put(1, changed_at=T0 - timedelta(minutes=5), customerId=7)
    assert counts(passes())["acted"] == 1
    # Otherwise the customers stream, later in the pass, would search a stale index.
    assert forgotten == ["auvo"]
    assert counts(passes(dry_run=True))["acted"] == 0  # nothing new, nothing forgotten
    assert forgotten == ["auvo"]


def test_a_customer_index_reads_again_once_forgotten() -> None:
    from bridge.adapters import CustomerIndex
    from bridge.domain import CustomerData, ErpCustomer

    stored = [ErpCustomer("1", CustomerData(name="Ana", document="123"), "")]
    reads: list[int] = []

    def load() -> list[ErpCustomer]:
        reads.append(1)
        return list(stored)

    index = CustomerIndex(load)
    assert index.find("456", "") is None
    stored.append(ErpCustomer("2", CustomerData(name="Bia", document="456"), ""))
    assert index.find("456", "") is None  # read once a pass
    index.forget()
    found = index.find("456", "")
    assert found is not None
    assert found.id == "2"
    assert len(reads) == 2
