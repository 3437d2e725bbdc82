"""What a stream works with, below the engine and every stream: the pass's ``Context``, the
write protocol every write follows, bookmarks, and failure records.

The protocol: record the intent in the store, search the target by the stable reference,
create only when absent, record the link. A crash between any two steps leaves a pending
intent; the rerun searches, finds the record the crashed attempt made (or not) and links
(or creates) it: exactly one record either way. Customers, and the sales of an ERP whose
sale list carries the bridge's reference (``ErpKind.sales_searchable``), are searched before
every create, so even a lost or new store never duplicates them.

A target that holds a record under a key it hands out beforehand (an ERP whose sales are
numbered, and whose sale list cannot be searched by the bridge's reference) has that key
reserved and recorded with the intent before the create; a rerun reads the one record under
the recorded key instead of searching. There the store is the only memory of the sales made:
a lost or new store (or tenant) creates again every sale it no longer knows. The key stays
the record's until the read shows another record under it: a read that finds nothing sends
the create again under the same key (the target refuses a key it already holds, so a sale
that landed but is not yet searchable is not made twice), and no other write is given a key
a pending intent holds.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Protocol, TypeVar

import attrs

from sdkcore import NotFoundError, RecordParseError
from sdkcore.logs import module_logger

from .auvo_port import AuvoPort
from .config import BridgeConfig
from .credentials import credentials_rejected
from .domain import PlannedSale, ReservationTaken
from .erp.port import ErpPort
from .preflight import Resolved
from .report import StreamReport, SyncReport, failure_reason
from .retries import retry_at
from .store import Link, Store

__all__ = [
    "STEPS",
    "Bookmarked",
    "Context",
    "Failures",
    "Hook",
    "Plan",
    "Progress",
    "SaleIndex",
    "advance_bookmark",
    "bookmark_window",
    "misfits_failed",
    "read_again",
    "record_failed",
]

log = module_logger(__name__)

T = TypeVar("T")

Hook = Callable[[str, str], None]
"""Called as ``hook(step, ref)`` after each step of the write protocol (tests inject faults)."""

Progress = Callable[[StreamReport], None]
"""Called with a stream's report before each record it handles (``bridge.progress``)."""

Plan = Callable[[str], None]
"""Told, in a dry run, what a write would do to its record: ``create`` it, or ``link`` the
one an earlier attempt made."""

STEPS = ("intent", "search", "reserve", "create", "link")
"""The write protocol's steps, in order; ``reserve`` (the key settled: the one recorded, or a
new one) only in writes that reserve a key (``Context.write_sale``,
``Context.write_reserving``), even when the target needs none."""


class Failures(Protocol):
    """A report that keeps each failed record with its reason (a stream's, an
    automation's)."""

    def fail(self, ref: str, error: str) -> None: ...


class Bookmarked(Protocol):
    """A report that shows where its bookmark was before the pass and where it left it."""

    bookmark_before: datetime | None
    bookmark_after: datetime | None


@attrs.define
class Context:
    """What a stream needs for one pass."""

    config: BridgeConfig
    store: Store
    auvo: AuvoPort
    erp: ErpPort
    report: SyncReport
    started_at: datetime
    dry_run: bool = False
    hook: Hook | None = None
    account_id: str | None = None
    stop: Callable[[], bool] = lambda: False
    progress: Progress | None = None
    resolved: Resolved = attrs.field(factory=Resolved)  # the configured names as ids
    _sales: SaleIndex | None = attrs.field(default=None, init=False)
    # A dry run's links, by kind and key: kept for the rest of its pass, never stored.
    _planned_links: dict[tuple[str, str], Link] = attrs.field(factory=dict, init=False)

    @property
    def sales(self) -> SaleIndex:
        """The ERP's sales by reference, for the searches before each sale is created. The
        bulk read covers the task window (a day's margin for time zones)."""
        if self._sales is None:
            since = self.started_at - self.config.initial_lookback - timedelta(days=1)
            self._sales = SaleIndex(self.erp, since.date())
        return self._sales

    @property
    def tenant(self) -> str:
        return self.config.tenant

    def proceed(self, stream: StreamReport) -> bool:
        """Before each record: report progress; ``False`` once the pass is asked to stop
        (the record in flight was finished)."""
        if self.progress is not None:
            self.progress(stream)
        return not self.stop()

    def target(self, kind: str) -> str:
        """The system and the kind of record a link kind writes, as a dry run lists it: a
        kind named ``auvo_<kind>`` is written to Auvo, any other to the ERP."""
        if kind.startswith("auvo_"):
            return "auvo " + kind.removeprefix("auvo_")
        return f"{self.erp.name} {kind}"

    def link(self, kind: str, key: str) -> Link | None:
        """The stored link of ``kind`` for ``key``; in a dry run, else the one this pass
        planned, so a later stream sees what an earlier one would have linked."""
        found = self.store.get_link(self.tenant, kind, key)
        if found is None and self.dry_run:
            return self._planned_links.get((kind, key))
        return found

    def save_links(self, *links: Link) -> None:
        """Store ``links`` together; a dry run keeps them in memory for the rest of its pass
        instead (``link`` finds them), and the store is left as it was."""
        if self.dry_run:
            for planned in links:
                self._planned_links[planned.kind, planned.auvo_id] = planned
            return
        with self.store.transaction():
            for link in links:
                self.store.save_link(self.tenant, link)

    def step(self, step: str, ref: str) -> None:
        if self.hook is not None:
            self.hook(step, ref)

    def log_change(self, stream: str, ref: str, action: str, detail: str) -> None:
        log.info("%s %s %s %s", stream, action, ref, detail)
        if not self.dry_run:
            self.store.log_change(self.tenant, self.report.run_id, stream, ref, action, detail)

    def write(
        self,
        stream: str,
        kind: str,
        ref: str,
        search: Callable[[], str | None],
        create: Callable[[], str],
        *,
        always_search: bool = False,
        key: str | None = None,
        auvo_hash: str = "",
        erp_hash: str | Callable[[], str] = "",
    ) -> tuple[str | None, str]:
        """Make sure the record ``ref`` exists exactly once; returns ``(id, outcome)`` with
        outcome ``existing``, ``linked``, ``created`` or ``would_create`` (dry run, which lists
        the record in the stream's ``planned``). The link is stored under ``key`` (default
        ``ref``). ``erp_hash`` may be a callable, asked after
        the search and the create: the hash of a record found may only be known then, and the
        link must carry it from the start (a crash right after must not leave a wrong one)."""
        return self._write(
            stream,
            kind,
            ref,
            lambda _reserved: search(),
            lambda _reserved: create(),
            None,
            always_search=always_search,
            key=key,
            auvo_hash=auvo_hash,
            erp_hash=erp_hash,
        )

    def write_sale(self, stream: str, sale: PlannedSale) -> tuple[str | None, str]:
        """``write`` for one ERP sale, searched before every create (``SaleIndex``), its key
        reserved with the ERP and recorded with the intent before the create
        (``ErpPort.reserve_sale``): a rerun finds the sale under that key in one read. The
        keys other pending intents hold are never handed out again."""
        return self._write(
            stream,
            "sale",
            sale.reference,
            lambda reserved: self.sales.find(sale, reserved),
            lambda reserved: self.sales.create(sale, reserved),
            lambda: self.erp.reserve_sale(sale, self.store.pending_reservations(self.tenant)),
            always_search=True,
        )

    def write_reserving(
        self,
        stream: str,
        kind: str,
        ref: str,
        search: Callable[[str | None], str | None],
        create: Callable[[str | None], str],
        reserve: Callable[[], str | None],
        *,
        key: str | None = None,
        plan: Plan | None = None,
        auvo_hash: str = "",
    ) -> tuple[str | None, str]:
        """``write`` for a record whose target may hold it under a key taken beforehand:
        ``reserve()`` takes it (``None`` when the target needs none), and it is recorded with
        the intent before ``create(key)`` is sent; ``search(key)`` finds the record an earlier
        attempt made, in one read when it has the key (``ReservationTaken`` when another
        record holds it: a new key is taken). The search runs only after an attempt that did
        not finish. A dry run tells ``plan`` what it would do (by default the stream's report
        lists it)."""
        return self._write(
            stream, kind, ref, search, create, reserve, key=key, plan=plan, auvo_hash=auvo_hash
        )

    def _write(
        self,
        stream: str,
        kind: str,
        ref: str,
        search: Callable[[str | None], str | None],
        create: Callable[[str | None], str],
        reserve: Callable[[], str | None] | None,
        *,
        always_search: bool = False,
        key: str | None = None,
        auvo_hash: str = "",
        erp_hash: str | Callable[[], str] = "",
        plan: Plan | None = None,
    ) -> tuple[str | None, str]:
        """The protocol (``write``); ``search`` and ``create`` take the reserved key: the one
        an earlier attempt recorded, and the one ``create`` is sent under. That stays the
        recorded key unless the search raised ``ReservationTaken`` (or none was recorded):
        then ``reserve`` (when given) takes a new one, recorded before the create."""
        key = key if key is not None else ref
        link = self.link(kind, key)
        if link is not None:
            return link.erp_id, "existing"
        previous = self.store.get_intent(self.tenant, ref)
        reserved = previous.reservation if previous is not None else None
        if self.dry_run:
            found = None
            if always_search or previous is not None:
                found, reserved = _searched(search, reserved)
            action = "link" if found else "create"
            if plan is not None:
                plan(action)
            else:
                self.report.stream(stream).plan(ref, self.target(kind), action)
            if found is not None:
                self.save_links(Link(kind, key, found))
            return found, "linked" if found else "would_create"
        self.store.record_intent(self.tenant, ref, kind)
        self.step("intent", ref)
        found = None
        if always_search or (previous is not None and previous.status == "pending"):
            found, reserved = _searched(search, reserved)
        self.step("search", ref)
        outcome = "linked"
        if found is None:
            if reserve is not None:
                if reserved is None:
                    # Recorded before the create is sent: whatever happens to it, the rerun
                    # knows the one key to read the sale under.
                    reserved = reserve()
                    if reserved is not None:
                        self.store.record_reservation(self.tenant, ref, reserved)
                self.step("reserve", ref)
            found = create(reserved)
            outcome = "created"
            self.step("create", ref)
        with self.store.transaction():
            erp_side = erp_hash() if callable(erp_hash) else erp_hash
            self.store.save_link(self.tenant, Link(kind, key, found, auvo_hash, erp_side))
            self.store.complete_intent(self.tenant, ref)
        self.step("link", ref)
        self.log_change(stream, ref, outcome, f"{kind} {found}")
        return found, outcome


def _searched(
    search: Callable[[str | None], str | None], reserved: str | None
) -> tuple[str | None, str | None]:
    """``search(reserved)``, and the key the create may still use: none once the search
    found another record under it."""
    try:
        return search(reserved), reserved
    except ReservationTaken:
        return None, None


class SaleIndex:
    """The ERP's sales by the bridge's reference, read in bulk the first time a pass looks
    for one, so the write protocol searches the ERP before every create (a lost or new store
    never duplicates a sale, where the sale list carries the reference) without a call per
    sale.

    The bulk read covers sales dated on or after ``since``; an older sale, or one whose
    create failed with an unknown outcome, is searched for on its own.
    """

    def __init__(self, erp: ErpPort, since: date) -> None:
        self._erp = erp
        self.since = since
        self._ids: dict[str, str] | None = None
        self._unsure: set[str] = set()

    def find(self, sale: PlannedSale, reserved: str | None = None) -> str | None:
        """The sale's id, if the ERP has it; ``reserved``: the key an earlier attempt
        recorded, which the ERP reads the one sale under (no bulk read)."""
        if reserved is not None:
            found = self._erp.find_sale(sale, reserved)
        elif sale.draft.sale_date < self.since or sale.reference in self._unsure:
            found = self._erp.find_sale(sale)
        else:
            if self._ids is None:
                self._ids = dict(self._erp.sales_since(self.since))
            return self._ids.get(sale.reference)
        if found is not None:
            self._unsure.discard(sale.reference)
        return found

    def create(self, sale: PlannedSale, reserved: str | None = None) -> str:
        """Create the sale (under ``reserved``, when the ERP reserved a key for it)."""
        try:
            created = self._erp.create_sale(sale, reserved)
        except BaseException:
            self._unsure.add(sale.reference)  # it may have landed: search it next time
            raise
        if self._ids is not None:
            self._ids[sale.reference] = created
        return created


def bookmark_window(ctx: Context, stream: Bookmarked, name: str) -> datetime | None:
    """The ``modified_since`` of this pass: the bookmark less the lookback, or ``None``."""
    before = ctx.store.get_bookmark(ctx.tenant, name)
    stream.bookmark_before = before
    stream.bookmark_after = before
    return before - ctx.config.bookmark_lookback if before is not None else None


def record_failed(
    ctx: Context, stream: Failures, name: str, ref: str, exc: Exception, *, retry: bool = True
) -> None:
    """Report one record's failure and dead-letter it under stream ``name``, so a later
    pass tries it again (paced: ``bridge.retries``); with ``retry`` false it is only
    reported. Refused credentials are not the record's fault: they raise
    ``CredentialsRejected``, which stops the pass."""
    rejected = credentials_rejected(exc)
    if rejected is exc:
        raise rejected
    if rejected is not None:
        raise rejected from exc
    reason = failure_reason(exc)
    stream.fail(ref, reason)
    if retry and not ctx.dry_run:
        ctx.store.dead_letter(ctx.tenant, name, ref, reason, retry_at(ctx, name, ref))


def read_again(
    ctx: Context, stream: StreamReport, name: str, ref: str, read: Callable[[], T]
) -> T | None:
    """A dead-lettered Auvo record read again by id for its retry: ``None`` when the read
    failed again (dead-lettered anew) or the record is gone (its letter cleared: nothing is
    left to write)."""
    try:
        return read()
    except NotFoundError:
        stream.skip("no longer in Auvo")
        if not ctx.dry_run:
            ctx.store.clear_dead_letter(ctx.tenant, name, ref)
    except Exception as exc:
        record_failed(ctx, stream, name, ref, exc)
    return None


def misfits_failed(
    ctx: Context, stream: StreamReport, name: str, kind: str, seen: set[int] | None = None
) -> Callable[[RecordParseError], None]:
    """An ``on_invalid`` for a stream's Auvo read: a record that does not fit its model
    fails as ``kind:id`` (dead-lettered, so it is fetched again by id) while the page's
    other records go on; one without an id can only be reported. Its id joins ``seen``."""

    def handle(error: RecordParseError) -> None:
        ident = error.record_id
        if ident is None or not ident.isdigit():
            stream.fail(f"{kind}:? (page {error.page}, record {error.index})", str(error))
            return
        record_failed(ctx, stream, name, f"{kind}:{ident}", error)
        if seen is not None:
            seen.add(int(ident))

    return handle


def advance_bookmark(ctx: Context, stream: Bookmarked, name: str) -> None:
    """Move the bookmark to the run's start: never past it, and only after the writes."""
    if ctx.dry_run or ctx.stop():
        return
    ctx.store.set_bookmark(ctx.tenant, name, ctx.started_at)
    stream.bookmark_after = ctx.started_at
