"""One re-entrant unit of work per tenant, and the write protocol every ERP write follows.

The protocol: record the intent in the store, search the target by the stable reference,
create only when absent, record the link. A crash between any two steps leaves a pending
intent; the rerun searches, finds the record the crashed attempt made (or not) and links
(or creates) it: exactly one record either way. Sales and customers are searched before
every create, so even a lost or new store never duplicates them.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

import attrs

from sdkcore import NotFoundError, RecordParseError
from sdkcore.logs import module_logger

from .auvo_side import AuvoSide
from .config import BridgeConfig, ConfigError
from .credentials import CredentialsRejected, credentials_rejected
from .lease import LockLease
from .ports import CallCounter, ErpPort, SaleIndex
from .preflight import Resolved, resolve
from .report import StreamReport, SyncReport, failure_reason
from .retries import retry_at
from .store import Link, Store, TenantBusy

__all__ = ["Context", "Hook", "Progress", "run", "sync"]

log = module_logger(__name__)

T = TypeVar("T")

Hook = Callable[[str, str], None]
"""Called as ``hook(step, ref)`` after each step of the write protocol (tests inject faults)."""

Progress = Callable[[StreamReport], None]
"""Called with a stream's report before each record it handles (``bridge.progress``)."""

STEPS = ("intent", "search", "create", "link")


@attrs.define
class Context:
    """What a stream needs for one pass."""

    config: BridgeConfig
    store: Store
    auvo: AuvoSide
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
        outcome ``existing``, ``linked``, ``created`` or ``would_create`` (dry run). The link
        is stored under ``key`` (default ``ref``). ``erp_hash`` may be a callable, asked after
        the search and the create: the hash of a record found may only be known then, and the
        link must carry it from the start (a crash right after must not leave a wrong one)."""
        key = key if key is not None else ref
        link = self.store.get_link(self.tenant, kind, key)
        if link is not None:
            return link.erp_id, "existing"
        previous = self.store.get_intent(self.tenant, ref)
        if self.dry_run:
            found = search() if (always_search or previous is not None) else None
            return found, "linked" if found else "would_create"
        self.store.record_intent(self.tenant, ref, kind)
        self.step("intent", ref)
        found = None
        if always_search or (previous is not None and previous.status == "pending"):
            found = search()
        self.step("search", ref)
        outcome = "linked"
        if found is None:
            found = create()
            outcome = "created"
            self.step("create", ref)
        with self.store.transaction():
            erp_side = erp_hash() if callable(erp_hash) else erp_hash
            self.store.save_link(self.tenant, Link(kind, key, found, auvo_hash, erp_side))
            self.store.complete_intent(self.tenant, ref)
        self.step("link", ref)
        self.log_change(stream, ref, outcome, f"{kind} {found}")
        return found, outcome


def _stream_failed(ctx: Context, name: str, exc: Exception) -> None:
    """A stream whose read failed stops there; the others still run. Its bookmark stays
    where it was, so the next pass reads the same window again and nothing is lost."""
    reason = failure_reason(exc)
    log.warning("stream %s failed: %s", name, reason)
    ctx.report.stream(name).fail(f"stream:{name}", reason)
    ctx.report.status = "partial"


def _make_erp(config: BridgeConfig, client: Any, calls: CallCounter) -> ErpPort:
    if config.erp == "contaazul":
        from .erp_contaazul import ContaAzulERP

        return ContaAzulERP(client, calls)
    from .erp_bling import BlingERP

    return BlingERP(client, calls)


def run(
    config: BridgeConfig,
    store: Store,
    *,
    auvo: Any,
    erp: Any,
    dry_run: bool = False,
    hook: Hook | None = None,
    stop: Callable[[], bool] | None = None,
    now: Callable[[], datetime] | None = None,
    progress: Progress | None = None,
) -> SyncReport:
    """One pass over every enabled stream, under the tenant's lock (a lease its heartbeat
    renews: ``bridge.lease``). Raises ``CredentialsRejected`` (after saving the report) when
    a system refuses the credentials: the pass stops there, as every later call would fail
    alike."""
    from .streams import STREAMS

    clock = now or (lambda: datetime.now(UTC))
    started = clock()
    began = time.perf_counter()
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    report = SyncReport(config.tenant, config.erp, run_id, started, dry_run=dry_run)
    owner = run_id
    lease_seconds = config.lock_lease.total_seconds()
    asked_to_stop = stop or (lambda: False)
    deadline = time.monotonic() + config.lock_wait.total_seconds()
    while True:
        # A stop asked for before the lock (while ``lock_wait`` runs, minutes maybe) ends
        # the pass there: SIGTERM's grace period is shorter than the wait.
        if asked_to_stop():
            report.status = "stopped"
            report.duration_s = time.perf_counter() - began
            if not dry_run:
                store.save_run(config.tenant, run_id, started, report.to_json(indent=None))
            return report
        if store.acquire_lock(config.tenant, owner, lease_seconds):
            break
        if time.monotonic() >= deadline:
            raise TenantBusy(_busy(store, config.tenant))
        time.sleep(0.2)
    lease = LockLease(store, config.tenant, owner, lease_seconds).start()
    rejected: CredentialsRejected | None = None
    calls = CallCounter()
    try:
        ctx = Context(
            config,
            store,
            AuvoSide(auvo, calls),
            _make_erp(config, erp, calls),
            report,
            started,
            dry_run,
            hook,
            stop=lambda: asked_to_stop() or lease.lost,
            progress=progress,
        )
        # Every configured name, before any write; a failed read fails its streams only.
        ctx.resolved = resolve(config, ctx.auvo, ctx.erp)
        ctx.account_id = ctx.resolved.account_id
        for failure in ctx.resolved.failed.values():
            rejected = rejected or credentials_rejected(failure)
        for name, stream in STREAMS:
            if rejected is not None or ctx.stop():
                break
            try:
                if name in ctx.resolved.failed:
                    raise ctx.resolved.failed[name]
                stream(ctx)
            except ConfigError:
                raise
            except Exception as exc:  # a read that failed after its retries
                rejected = credentials_rejected(exc)
                if rejected is None:
                    _stream_failed(ctx, name, exc)
        if rejected is not None:
            report.status = "credentials_rejected"
            report.error = rejected.explain()
        elif lease.lost:
            report.status = "lock_lost"
        elif ctx.stop():
            report.status = "stopped"
    finally:
        lease.stop()
        store.release_lock(config.tenant, owner)
        report.api_calls.update(calls)
        report.duration_s = time.perf_counter() - began
    if not dry_run:
        store.save_run(config.tenant, run_id, started, report.to_json(indent=None))
    if rejected is not None:
        rejected.report = report
        raise rejected
    return report


def _busy(store: Store, tenant: str) -> str:
    holder = store.lock_holder(tenant)
    if holder is None:  # released in the meantime
        return f"tenant {tenant!r} is being synced by another run"
    until = holder.expires_at.isoformat(timespec="seconds")
    return (
        f"tenant {tenant!r} is being synced by {holder}; its lease runs out at {until} unless "
        "that run renews it (if the run is gone, `python -m bridge unlock` frees it now)"
    )


def bookmark_window(ctx: Context, stream: StreamReport, name: str) -> datetime | None:
    """The ``modified_since`` of this pass: the bookmark less the lookback, or ``None``."""
    before = ctx.store.get_bookmark(ctx.tenant, name)
    stream.bookmark_before = before
    stream.bookmark_after = before
    return before - ctx.config.bookmark_lookback if before is not None else None


def record_failed(ctx: Context, stream: StreamReport, name: str, ref: str, exc: Exception) -> None:
    """Report one record's failure and dead-letter it under stream ``name``, so a later
    pass tries it again (paced: ``bridge.retries``). Refused credentials are not the
    record's fault: they raise ``CredentialsRejected``, which stops the pass."""
    rejected = credentials_rejected(exc)
    if rejected is exc:
        raise rejected
    if rejected is not None:
        raise rejected from exc
    reason = failure_reason(exc)
    stream.fail(ref, reason)
    if not ctx.dry_run:
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


def advance_bookmark(ctx: Context, stream: StreamReport, name: str) -> None:
    """Move the bookmark to the run's start: never past it, and only after the writes."""
    if ctx.dry_run or ctx.stop():
        return
    ctx.store.set_bookmark(ctx.tenant, name, ctx.started_at)
    stream.bookmark_after = ctx.started_at


def sync(
    config: BridgeConfig,
    store: Store,
    dry_run: bool = False,
    auvo: Any = None,
    erp: Any = None,
    *,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
) -> SyncReport:
    """One pass of the integration for ``config``'s tenant. ``auvo`` and ``erp`` take ready
    sync clients (``auvo.Auvo``, ``contaazul.ContaAzul`` or ``bling.Bling``); without them
    the clients are built from the config's credentials. ``progress`` is called with a
    stream's report before each record (``bridge.ProgressLine`` draws it). Once ``stop()``
    is true the pass finishes the record in flight and returns, status ``stopped``.
    Raises ``CredentialsRejected`` when Auvo or the ERP refuses the credentials."""
    from .clients import ready_clients

    with ready_clients(config, auvo, erp) as (auvo, erp):
        return run(config, store, auvo=auvo, erp=erp, dry_run=dry_run, progress=progress, stop=stop)
