"""One re-entrant unit of work per tenant: a pass over every stream, in order, then every
automation, under the tenant's lock. The streams and the automations do the work through
``bridge.context`` (the write protocol, bookmarks, failure records); the engine builds their
context, runs them, and reports."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

from auvo import Auvo
from sdkcore import SDKError
from sdkcore.client import check_base_url
from sdkcore.logs import module_logger

from .adapters import CallCounter
from .automations.run import Replay, automation_named, run_automations
from .auvo_side import AuvoSide
from .config import BridgeConfig, ConfigError
from .context import Context, Hook, Progress
from .credentials import CredentialsRejected, credentials_rejected
from .erp.port import ErpClient
from .lease import LockLease
from .preflight import resolve
from .report import SyncReport, failure_reason
from .store import Store, TenantBusy
from .streams import STREAMS

__all__ = ["ready", "replay", "run", "sync"]

log = module_logger(__name__)


def _stream_failed(ctx: Context, name: str, exc: Exception) -> None:
    """A stream whose read failed stops there; the others still run. Its bookmark stays
    where it was, so the next pass reads the same window again and nothing is lost."""
    reason = failure_reason(exc)
    log.warning("stream %s failed: %s", name, reason)
    ctx.report.stream(name).fail(f"stream:{name}", reason)


def run(
    config: BridgeConfig,
    store: Store,
    *,
    auvo: Auvo,
    erp: ErpClient,
    dry_run: bool = False,
    hook: Hook | None = None,
    stop: Callable[[], bool] | None = None,
    now: Callable[[], datetime] | None = None,
    progress: Progress | None = None,
    replay: Replay | None = None,
) -> SyncReport:
    """One pass over every enabled stream, then every automation, under the tenant's lock (a
    lease its heartbeat renews: ``bridge.lease``); with ``replay``, that automation's replay
    alone. Raises ``CredentialsRejected`` (after saving the report) when a system refuses
    the credentials: the pass stops there, as every later call would fail alike."""
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
            config.erp_kind.adapter(erp, calls),
            report,
            started,
            dry_run,
            hook,
            stop=lambda: asked_to_stop() or lease.lost,
            progress=progress,
        )
        if replay is None:
            rejected = _streams(ctx)
        if rejected is None and not ctx.stop():
            try:
                run_automations(ctx, replay)
            except CredentialsRejected as exc:
                rejected = exc
        if rejected is not None:
            report.status = "credentials_rejected"
            report.error = rejected.explain()
        elif lease.lost:
            report.status = "lock_lost"
        elif ctx.stop():
            report.status = "stopped"
        else:
            report.status = report.outcome()
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


def _streams(ctx: Context) -> CredentialsRejected | None:
    """Every stream, in order; the credentials a system refused, which stop the pass."""
    # Every configured name, before any write; a failed read fails its streams only.
    ctx.resolved = resolve(ctx.config, ctx.auvo, ctx.erp)
    ctx.account_id = ctx.resolved.account_id
    rejected: CredentialsRejected | None = None
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
    return rejected


def _busy(store: Store, tenant: str) -> str:
    holder = store.lock_holder(tenant)
    if holder is None:  # released in the meantime
        return f"tenant {tenant!r} is being synced by another run"
    until = holder.expires_at.isoformat(timespec="seconds")
    return (
        f"tenant {tenant!r} is being synced by {holder}; its lease runs out at {until} unless "
        "that run renews it (if the run is gone, `python -m bridge unlock` frees it now)"
    )


def sync(
    config: BridgeConfig,
    store: Store,
    dry_run: bool = False,
    auvo: Auvo | None = None,
    erp: ErpClient | None = None,
    *,
    progress: Progress | None = None,
    stop: Callable[[], bool] | None = None,
) -> SyncReport:
    """One pass of the integration for ``config``'s tenant. ``auvo`` and ``erp`` take ready
    sync clients (``auvo.Auvo``, and the ERP package's client: ``config.erp_kind.client``
    builds one); without them the clients are built from the config's credentials.
    ``progress`` is called with a stream's report before each record (``bridge.ProgressLine``
    draws it). Once ``stop()`` is true the pass finishes the record in flight and returns,
    status ``stopped``.
    Raises ``CredentialsRejected`` when Auvo or the ERP refuses the credentials, and
    ``ConfigError`` for a setting to fix (a plain-http base URL, say)."""
    with ready(config, auvo, erp) as (auvo, erp):
        return run(config, store, auvo=auvo, erp=erp, dry_run=dry_run, progress=progress, stop=stop)


def replay(
    config: BridgeConfig,
    store: Store,
    name: str,
    since: datetime,
    *,
    auvo: Auvo | None = None,
    erp: ErpClient | None = None,
    dry_run: bool = False,
) -> SyncReport:
    """The automation ``name`` again over its trigger's records changed since ``since``,
    each judged as if seen the first time, acting only where that version of the record has
    not acted yet; no stream runs, and the automation's bookmark and seen state stay (a
    pass of its own, under the tenant's lock, reported as one). ``ConfigError`` when the
    config has no such automation."""
    automation_named(config, name)
    with ready(config, auvo, erp) as (auvo, erp):
        return run(config, store, auvo=auvo, erp=erp, dry_run=dry_run, replay=Replay(name, since))


@contextlib.contextmanager
def ready(
    config: BridgeConfig, auvo: Auvo | None, erp: ErpClient | None
) -> Iterator[tuple[Auvo, ErpClient]]:
    """``bridge.clients.ready_clients``, with a client's refusal of its base URL (a client
    checks only its settings when built: plain http to a host not this one, say, from an
    environment variable) raised as the ``ConfigError`` it is."""
    from .clients import ready_clients

    with contextlib.ExitStack() as stack:
        try:
            clients = stack.enter_context(ready_clients(config, auvo, erp))
        except (ConfigError, SDKError):
            raise
        except ValueError as exc:
            raise ConfigError(_refused_base_url(), str(exc)) from None
        yield clients


def _refused_base_url() -> str:
    """The environment variable holding a base URL the clients refuse, if one does."""
    for name, value in sorted(os.environ.items()):
        if name.endswith("_BASE_URL"):
            try:
                check_base_url(value)
            except ValueError:
                return name
    return "base URL"
