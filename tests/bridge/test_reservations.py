"""Reserved keys in the write protocol (``Context.write_sale``): an ERP that numbers its sales
and cannot search them by the bridge's reference has the number taken and recorded with the
intent before the create; a rerun reads the one sale under it. Whatever dies (the process
after the reservation or after the create, or the create's answer), there is exactly one
sale, found again in one read and without a scan; a number stays its sale's until the read
shows another sale under it (a failed create keeps it from the next sale, and a sale the read
does not show yet is refused rather than made twice); and an ERP that reserves nothing works
as before. A stub ERP stands for one of each."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

from bridge import BridgeConfig, SQLiteStore, SyncReport
from bridge.auvo_port import AuvoPort
from bridge.context import Context
from bridge.domain import PlannedSale, ReservationTaken, SaleDraft, SaleLine
from bridge.erp.port import ErpPort
from bridge.store import Store

from .conftest import ANY_ERP, StoreFactory

TENANT = "default"  # BridgeConfig's


class Crash(BaseException):
    """The process dies at a step of the write protocol."""


class AnswerLost(Exception):
    """The ERP made the sale, and its answer never arrived."""


class Refused(Exception):
    """The ERP refused the create: the number is taken."""


class Failed(Exception):
    """The create failed before the ERP made the sale (a 4xx, a 5xx, a timeout unsent)."""


@attrs.define
class _Sale:
    id: str
    reference: str
    customer: str


@attrs.define
class NumberedErp:
    """Sales numbered by the ERP: ``reserve_sale`` reads the next number (one past the
    highest sale's: it holds nothing), a create must carry one no sale has, and the sale list
    cannot be searched by the bridge's reference (its bulk search finds nothing). With
    ``numbered=False`` it reserves nothing and finds a sale by its reference, as most ERPs
    do."""

    numbered: bool = True
    store: Store | None = None  # to see what the store held when a create was sent
    by_number: dict[str, _Sale] = attrs.field(factory=dict)
    calls: Counter[str] = attrs.field(factory=Counter)
    lose_next_answer: bool = False
    stale_number: str | None = None  # a next number that is already taken
    fail_next_create: bool = False
    lagging_reads: int = 0  # reads by number that miss the sales made (the search lags)
    recorded_at_create: list[str | None] = attrs.field(factory=list)

    name = "stub"
    title = "Stub"
    account_label = "financial account"

    def reserve_sale(self, sale: PlannedSale, held: Collection[str] = frozenset()) -> str | None:
        if not self.numbered:
            return None
        self.calls["next number"] += 1
        if self.stale_number is not None:
            return self.stale_number
        return str(max(int(n) for n in ("0", *self.by_number, *held)) + 1)

    def find_sale(self, sale: PlannedSale, reserved: str | None = None) -> str | None:
        if reserved is None:
            if self.numbered:
                return None  # nothing to search by
            self.calls["search by reference"] += 1
            found = [s.id for s in self.by_number.values() if s.reference == sale.reference]
            return found[0] if found else None
        self.calls["read by number"] += 1
        if self.lagging_reads:
            self.lagging_reads -= 1
            return None
        held = self.by_number.get(reserved)
        if held is None:
            return None
        if held.reference != sale.reference:
            raise ReservationTaken(reserved)
        return held.id

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        if self.numbered:
            return iter(())  # the list carries no reference: not read at all
        self.calls["list"] += 1
        return iter([(s.reference, s.id) for s in self.by_number.values()])

    def create_sale(self, sale: PlannedSale, reserved: str | None = None) -> str:
        self.calls["create"] += 1
        if self.store is not None:
            intent = self.store.get_intent(TENANT, sale.reference)
            self.recorded_at_create.append(intent.reservation if intent else None)
        if self.fail_next_create:
            self.fail_next_create = False
            raise Failed(sale.reference)
        number = reserved if reserved is not None else str(len(self.by_number) + 1)
        if number in self.by_number:
            raise Refused(f"number {number} is taken")
        made = _Sale(f"sale-{number}", sale.reference, sale.draft.customer_erp_id)
        self.by_number[number] = made
        if self.lose_next_answer:
            self.lose_next_answer = False
            raise AnswerLost(sale.reference)
        return made.id

    def someone_else_sells(self, number: str) -> None:
        """A person makes a sale in the ERP under ``number``."""
        self.by_number[number] = _Sale(f"theirs-{number}", "", "another customer")

    def ours(self) -> Counter[str]:
        return Counter(s.reference for s in self.by_number.values() if s.reference)


def _sale(reference: str = "task:1") -> PlannedSale:
    line = SaleLine("service", "svc-1", "Mão de obra", Decimal("1.5"), Decimal("150.00"))
    draft = SaleDraft(reference, "customer-7", date.today(), (line,))
    return PlannedSale(reference, draft, draft.lines, Decimal("0"), Decimal("0"))


def _context(store: Store, erp: NumberedErp, hook: Any = None) -> Context:
    """A pass's context, the ERP being the stub (the Auvo side is never used)."""
    now = datetime.now(UTC)
    return Context(
        BridgeConfig(erp=ANY_ERP),
        store,
        cast(AuvoPort, None),
        cast(ErpPort, erp),
        SyncReport(TENANT, erp.name, "run", now),
        now,
        hook=hook,
    )


def _crash_at(step: str) -> Any:
    def hook(at: str, ref: str) -> None:
        if at == step:
            raise Crash(ref)

    return hook


def _recover(store: Store, erp: NumberedErp, reference: str = "task:1") -> tuple[str | None, str]:
    """The next pass's write of the sale, the ERP's calls counted from zero."""
    erp.calls.clear()
    return _context(store, erp).write_sale("tasks", _sale(reference))


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return SQLiteStore(tmp_path / "store.sqlite3")


def test_the_number_is_recorded_before_the_create_is_sent(store: Store) -> None:
    erp = NumberedErp(store=store)
    sale_id, outcome = _context(store, erp).write_sale("tasks", _sale())
    assert (sale_id, outcome) == ("sale-1", "created")
    assert erp.recorded_at_create == ["1"]
    intent = store.get_intent(TENANT, "task:1")
    assert intent is not None
    assert (intent.status, intent.reservation) == ("done", "1")
    assert erp.calls == Counter({"next number": 1, "create": 1})  # no search at all


def test_a_crash_after_the_reservation_creates_the_sale_once(store: Store) -> None:
    erp = NumberedErp()
    with pytest.raises(Crash):
        _context(store, erp, _crash_at("reserve")).write_sale("tasks", _sale())
    assert erp.ours() == Counter()
    assert _recover(store, erp) == ("sale-1", "created")
    assert erp.ours() == Counter({"task:1": 1})
    assert erp.calls["read by number"] == 1
    assert erp.calls["list"] == 0


@pytest.mark.parametrize("fault", ["crash after the create", "answer lost"])
def test_a_sale_made_but_not_linked_is_found_in_one_read(store: Store, fault: str) -> None:
    erp = NumberedErp()
    if fault == "answer lost":
        erp.lose_next_answer = True
        with pytest.raises(AnswerLost):
            _context(store, erp).write_sale("tasks", _sale())
    else:
        with pytest.raises(Crash):
            _context(store, erp, _crash_at("create")).write_sale("tasks", _sale())
    assert erp.ours() == Counter({"task:1": 1})
    assert _recover(store, erp) == ("sale-1", "linked")
    assert erp.calls == Counter({"read by number": 1})  # one read; no scan, no create
    assert erp.ours() == Counter({"task:1": 1})
    assert _recover(store, erp) == ("sale-1", "existing")
    assert erp.calls == Counter()


def test_a_number_someone_else_took_is_not_taken_for_the_sale(store: Store) -> None:
    erp = NumberedErp()
    with pytest.raises(Crash):
        _context(store, erp, _crash_at("reserve")).write_sale("tasks", _sale())
    erp.someone_else_sells("1")  # between the reservation and the (re)try
    assert _recover(store, erp) == ("sale-2", "created")
    assert erp.calls == Counter({"read by number": 1, "next number": 1, "create": 1})
    assert erp.ours() == Counter({"task:1": 1})
    intent = store.get_intent(TENANT, "task:1")
    assert intent is not None
    assert intent.reservation == "2"


def test_a_refused_create_is_retried_under_a_new_number(store: Store) -> None:
    erp = NumberedErp()
    erp.someone_else_sells("1")
    erp.stale_number = "1"
    with pytest.raises(Refused):
        _context(store, erp).write_sale("tasks", _sale())
    erp.stale_number = None
    assert _recover(store, erp) == ("sale-2", "created")
    assert erp.ours() == Counter({"task:1": 1})


def test_a_failed_create_keeps_its_number_from_the_next_sale(store: Store) -> None:
    """The create fails without making the sale: the number it recorded is still its own.
    The next sale is given another, and the retry creates the sale under the recorded one
    (had the next sale been given it, the retry would have found that sale there, and this
    sale would never be made)."""
    erp = NumberedErp()
    erp.fail_next_create = True
    with pytest.raises(Failed):
        _context(store, erp).write_sale("tasks", _sale("task:A"))
    assert store.pending_reservations(TENANT) == frozenset({"1"})
    assert _recover(store, erp, "task:B") == ("sale-2", "created")
    assert _recover(store, erp, "task:A") == ("sale-1", "created")
    assert erp.calls == Counter({"read by number": 1, "create": 1})  # no new number
    assert erp.ours() == Counter({"task:A": 1, "task:B": 1})
    assert store.pending_reservations(TENANT) == frozenset()


def test_a_sale_the_read_does_not_show_yet_is_not_made_twice(store: Store) -> None:
    """The sale landed, its answer was lost, and the read under its number lags: the create
    goes out again under the same number, which the ERP refuses (the sale may have landed);
    the pass after reads the sale and links it."""
    erp = NumberedErp()
    erp.lose_next_answer = True
    with pytest.raises(AnswerLost):
        _context(store, erp).write_sale("tasks", _sale())
    erp.lagging_reads = 1
    with pytest.raises(Refused):
        _recover(store, erp)
    assert erp.calls == Counter({"read by number": 1, "create": 1})  # no new number
    assert _recover(store, erp) == ("sale-1", "linked")
    assert erp.ours() == Counter({"task:1": 1})


def test_an_erp_that_reserves_nothing_is_searched_by_reference(store: Store) -> None:
    erp = NumberedErp(numbered=False, store=store)
    erp.lose_next_answer = True
    with pytest.raises(AnswerLost):
        _context(store, erp).write_sale("tasks", _sale())
    assert erp.recorded_at_create == [None]
    intent = store.get_intent(TENANT, "task:1")
    assert intent is not None
    assert intent.reservation is None
    assert _recover(store, erp) == ("sale-1", "linked")
    assert erp.ours() == Counter({"task:1": 1})


def test_a_dry_run_reserves_nothing(store: Store) -> None:
    erp = NumberedErp()
    context = _context(store, erp)
    context.dry_run = True
    assert context.write_sale("tasks", _sale()) == (None, "would_create")
    assert erp.calls == Counter()
    assert store.get_intent(TENANT, "task:1") is None


def test_the_store_keeps_the_reservation_with_the_intent(store_factory: StoreFactory) -> None:
    store = store_factory()
    first = store.record_intent("t", "task:9", "sale")
    assert first.reservation is None
    store.record_reservation("t", "task:9", "41")
    store.record_intent("t", "task:9", "sale")  # a retry's intent keeps it
    again = store_factory().get_intent("t", "task:9")
    assert again is not None
    assert (again.status, again.attempts, again.reservation) == ("pending", 2, "41")
    store.record_reservation("t", "task:9", "42")
    store.record_intent("t", "task:10", "sale")  # pending, nothing reserved
    store.record_intent("other", "task:9", "sale")
    store.record_reservation("other", "task:9", "7")
    assert store.pending_reservations("t") == frozenset({"42"})
    store.complete_intent("t", "task:9")
    done = store.get_intent("t", "task:9")
    assert done is not None
    assert (done.status, done.reservation) == ("done", "42")
    assert store.pending_reservations("t") == frozenset()
