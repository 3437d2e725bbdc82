"""The automations of a pass, run after the streams under the same tenant lock.

Each automation reads its trigger's records changed since its bookmark (less the bookmark
lookback: the overlap is told apart by version) through the system's own change filter.
A record's version is a hash of the record as the system sent it; the store keeps, per
automation and record, the version last handled and the value of the watched field
(``Seen``), so a record read again unchanged is passed over and a change is judged against
what the bridge last saw. A record whose trigger fires and whose filters pass has the field
map built into a payload (lookups through the links the streams keep) and its action done
exactly once per (record, version) through the write protocol, with a key reserved first
where the target numbers the record (``Context.write_reserving``). A failure is reported and
dead-lettered without moving the record's seen state, so its retry (read again by id) is
judged against the same before-state.

A first pass reads ``trigger.lookback`` back (nothing before the pass without one) and
records where it started (``automation-origin:<name>``): a ``created`` trigger fires only for
records created since then, so an old record first seen later is not taken for a new one.
``replay`` runs one automation over the records changed since a date as if each were seen
for the first time, acting only where that (record, version) has not acted, and moves
neither the bookmark nor the seen state.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import attrs
from pydantic import ValidationError

from sdkcore.dates import parse_instant
from sdkcore.errors import RequestValidationError
from sdkcore.logs import module_logger
from sdkcore.models import field_of

from ..adapters import CallCounter
from ..automation_surface import AutomationIO, LookupFailed, Observed
from ..auvo_side import AuvoSide
from ..clients import ready_clients
from ..config import BridgeConfig
from ..context import Context, advance_bookmark, bookmark_window, record_failed
from ..credentials import credentials_rejected
from ..errors import ConfigError
from ..report import AutomationReport, SyncReport, failure_reason
from ..retries import due_letters
from ..store import Store
from ..store.base import Seen
from ..streams.customers import ensure_auvo_customer, ensure_customer
from .declare import Automation, Event, Lookup
from .errors import AutomationError
from .evaluate import LookupResolver, build_payload, field_change_fires, filters_pass
from .paths import Record, parse_path
from .readings import is_empty
from .systems import AUVO, surface

if TYPE_CHECKING:
    from auvo import Auvo

    from ..erp.port import ErpClient

__all__ = [
    "Replay",
    "Trial",
    "automation_named",
    "run_automations",
    "try_automation",
    "version_of",
]

log = module_logger(__name__)


@attrs.frozen
class Replay:
    """Run the automation ``name`` again over its trigger's records changed since ``since``."""

    name: str
    since: datetime


@attrs.frozen
class Trial:
    """One trigger record of a dry ``try``: whether the trigger fires (as for a record seen
    the first time) and the filters pass, and the payload the action would send."""

    record_id: str
    version: str
    fires: bool
    passes: bool
    payload: dict[str, Any] | None
    """What the action would send; ``None`` when it would not act."""
    error: str | None = None
    """A lookup, filter or payload that failed, with its reason."""


def version_of(record: Record, volatile: frozenset[str] = frozenset()) -> str:
    """The version of a trigger record (its wire form, as JSON values): 16 hex digits of the
    SHA-256 of its canonical JSON, without the top-level ``volatile`` fields."""
    kept = {name: value for name, value in record.items() if name not in volatile}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def reference_of(name: str, key: str) -> str:
    """The reference an action's record carries (``auto-`` and 24 hex digits of the
    automation's name and the ``record@version`` key): of one length and alphabet whatever
    the name, so it fits every system's reference field and its list filters (Auvo reads a
    comma in a filter as a separator)."""
    digest = hashlib.sha256(f"{name}\n{key}".encode()).hexdigest()[:24]
    return f"auto-{digest}"


def automation_named(config: BridgeConfig, name: str) -> Automation:
    """The automation ``name`` of ``config``; an ``AutomationError`` listing the names
    there are."""
    for automation in config.automations:
        if automation.name == name:
            return automation
    names = ", ".join(repr(a.name) for a in config.automations) or "none"
    raise AutomationError(name, "", f"no such automation in the config (it has {names})")


def _stream(name: str) -> str:
    """The name an automation's bookmark, dead letters and change log go under."""
    return f"automation:{name}"


class _Systems:
    """Each system's ``AutomationIO`` over the pass's counted ports, built once a pass."""

    def __init__(self, ctx: Context, shared: Iterable[tuple[str, str]] = ()) -> None:
        self._ctx = ctx
        self._built: dict[str, AutomationIO] = {}
        self._shared = frozenset(shared)
        self._read: dict[tuple[str, str, datetime | None], list[Observed]] = {}

    def changed(self, system: str, record: str, since: datetime | None) -> Iterable[Observed]:
        """``io(system).changed(record, since)``, read once a pass for a record more than one
        automation watches (``shared``): they see the same records for one set of calls."""
        if (system, record) not in self._shared:
            return self.io(system).changed(record, since)
        key = (system, record, since)
        if key not in self._read:
            self._read[key] = list(self.io(system).changed(record, since))
        return self._read[key]

    def io(self, system: str) -> AutomationIO:
        if system not in self._built:
            offered = surface(system, "system")
            if system != AUVO and system != self._ctx.config.erp:
                raise ConfigError("automations", f"{system!r} is not this config's ERP")
            if offered.io is None:
                raise RuntimeError(f"{system} reads and writes no records for automations")
            port = self._ctx.auvo if system == AUVO else self._ctx.erp
            self._built[system] = offered.io(port)
        return self._built[system]


@attrs.frozen
class _Decision:
    """An action decided on for one record: its ``key`` (record and version), and the
    version and watched state it was decided on."""

    key: str
    version: str
    state: str

    def to_json(self) -> str:
        return json.dumps({"key": self.key, "version": self.version, "state": self.state})

    @classmethod
    def from_json(cls, text: str) -> _Decision:
        data = json.loads(text)
        return cls(str(data["key"]), str(data["version"]), str(data["state"]))


@attrs.define
class _Automation:
    """One automation in one pass (or one replay, or one dry try)."""

    ctx: Context
    automation: Automation
    systems: _Systems
    report: AutomationReport
    replaying: bool = False
    origin: datetime | None = None
    since: datetime | None = None
    """A replay's (or a try's) start: a ``created`` trigger takes records created since."""
    _acted: dict[str, set[str]] | None = None  # a replay's actions by record (read once)

    @property
    def name(self) -> str:
        return self.automation.name

    @property
    def stream(self) -> str:
        return _stream(self.name)

    @property
    def volatile(self) -> frozenset[str]:
        trigger = self.automation.trigger
        offered = surface(trigger.system, "trigger.system")
        return offered.volatile.get(trigger.record, frozenset())

    @property
    def source(self) -> AutomationIO:
        return self.systems.io(self.automation.trigger.system)

    def run(self, replay: Replay | None) -> None:
        """Read the window (or the replay's span), handle each record new to this pass, then
        the dead letters whose turn has come; move the bookmark once they are handled."""
        record = self.automation.trigger.record
        since = replay.since if replay is not None else self._window()
        handled: set[str] = set()
        for observed in self.systems.changed(self.automation.trigger.system, record, since):
            if self.ctx.stop():
                return
            if observed.id not in handled:
                handled.add(observed.id)
                self.handle(observed)
        if replay is not None:
            return
        for letter in due_letters(self.ctx, self.stream):
            if self.ctx.stop():
                return
            if letter.ref in handled:
                continue
            handled.add(letter.ref)
            try:
                again = self.source.read(record, letter.ref)
            except Exception as exc:
                record_failed(self.ctx, self.report, self.stream, letter.ref, exc)
                continue
            if again is None:  # gone: nothing left to act on
                self._settled(letter.ref)
            else:
                self.handle(again)
        advance_bookmark(self.ctx, self.report, self.stream)

    def _window(self) -> datetime:
        """Where this pass reads from: the bookmark less the overlap; on a first pass, the
        origin an unfinished first pass recorded, else ``lookback`` before the pass (the
        pass's start without one), recorded as the origin."""
        ctx = self.ctx
        since = bookmark_window(ctx, self.report, self.stream)
        origin_mark = f"automation-origin:{self.name}"
        self.origin = ctx.store.get_bookmark(ctx.tenant, origin_mark)
        if since is not None:
            return since
        if self.origin is None:
            lookback = self.automation.trigger.lookback
            self.origin = ctx.started_at - lookback if lookback is not None else ctx.started_at
            if not ctx.dry_run:
                ctx.store.set_bookmark(ctx.tenant, origin_mark, self.origin)
        return self.origin

    def handle(self, observed: Observed) -> None:
        """One trigger record: an action decided on for it earlier and not seen to finish
        is finished first (whatever the record holds now); then the record is passed over
        when its version was handled already, else judged, acted on at most once, and its
        version recorded (not after a failure)."""
        ctx = self.ctx
        wire = observed.record.model_dump(mode="json", by_alias=True)
        version = version_of(wire, self.volatile)
        seen = None if self.replaying else ctx.store.get_seen(ctx.tenant, self.name, observed.id)
        if seen is not None and seen.pending:
            seen = self._finish(observed, wire, seen)
            if seen is None:  # failed again: dead-lettered, judged once it finishes
                return
        if seen is not None and seen.version == version:
            self._settled(observed.id)  # a retry of a version handled since
            return
        before = seen if seen is not None and seen.version else None
        self.report.seen += 1
        state = self._state(wire)
        if before is None and self._written_by_bridge(observed.id):
            # As the bridge wrote it, it is no change to act on (no loops); later changes are.
            self.report.filtered += 1
            if not self.replaying and not ctx.dry_run:
                ctx.store.save_seen(ctx.tenant, self.name, observed.id, version, state)
            return
        written: str | None = None
        try:
            acts = self._fires(observed, before, wire) and filters_pass(
                self.automation, observed.record
            )
            if not acts:
                self.report.filtered += 1
            elif self.replaying and self._acted_as_now(observed.id, state):
                self.report.skipped += 1
            else:
                decision = _Decision(f"{observed.id}@{version}", version, state)
                if not self.replaying and not ctx.dry_run:
                    # Recorded before the action: a retry finishes this one action, under
                    # this key, even when the record changed in between.
                    ctx.store.save_seen(
                        ctx.tenant,
                        self.name,
                        observed.id,
                        before.version if before else "",
                        before.state if before else "",
                        decision.to_json(),
                    )
                written = self._act(observed, wire, decision)
        except Exception as exc:  # one record's failure never stops the others
            retry = not self.replaying  # a replay is run again by hand
            record_failed(ctx, self.report, self.stream, observed.id, exc, retry=retry)
            return
        if self.replaying:
            if acts:  # a record it filtered may still act as the passes judge it: kept
                self._settled(observed.id)
        elif not ctx.dry_run:
            ctx.store.save_seen(ctx.tenant, self.name, observed.id, version, state)
            self._settled(observed.id)
        if written is not None:
            self._absorb(written)

    def _finish(self, observed: Observed, wire: Record, seen: Seen) -> Seen | None:
        """Finish the action decided on for ``observed`` and not seen to finish (a crash, a
        lost answer, a failure): under its own key, so one that landed is found, not made
        again. Returns the record as handled then; ``None`` when it failed again."""
        assert seen.pending is not None
        decision = _Decision.from_json(seen.pending)
        self.report.seen += 1
        written: str | None = None
        try:
            written = self._act(observed, wire, decision)
        except Exception as exc:
            record_failed(self.ctx, self.report, self.stream, observed.id, exc)
            return None
        handled = Seen(decision.version, decision.state)
        if not self.ctx.dry_run:
            self.ctx.store.save_seen(
                self.ctx.tenant, self.name, observed.id, handled.version, handled.state
            )
        if written is not None:
            self._absorb(written)
        return handled

    def _acted_as_now(self, record_id: str, state: str) -> bool:
        """For a replay: whether this automation acted on ``record_id`` already in a way
        that covers it now: a ``created`` one at all, a ``field_changed`` one with the
        watched field as it is now (a ``changed`` one per version: the link tells)."""
        on = self.automation.trigger.on
        if on is Event.CHANGED:
            return False
        if self._acted is None:
            acted: dict[str, set[str]] = {}
            for link in self.ctx.store.links(self.ctx.tenant, self.stream):
                acted.setdefault(link.auvo_id.rpartition("@")[0], set()).add(link.auvo_hash)
            self._acted = acted
        states = self._acted.get(record_id)
        if not states:
            return False
        return on is Event.CREATED or state in states

    def _absorb(self, written: str) -> None:
        """After an action wrote ``written``: each automation watching that kind of record
        takes the record as written as seen (read back once), so the bridge's own write is
        no change to act on, while a person's later edit still is."""
        ctx, action = self.ctx, self.automation.action
        if ctx.dry_run:
            return
        watchers = [
            other
            for other in ctx.config.automations
            if (other.trigger.system, other.trigger.record) == (action.system, action.target)
        ]
        if not watchers:
            return
        again = self.systems.io(action.system).read(action.target, written)
        if again is None:
            return
        record = again.record.model_dump(mode="json", by_alias=True)
        for other in watchers:
            seen = ctx.store.get_seen(ctx.tenant, other.name, written)
            if seen is not None and seen.pending:
                continue  # its own decision comes first
            offered = surface(other.trigger.system, "trigger.system")
            volatile = offered.volatile.get(other.trigger.record, frozenset())
            field = other.trigger.field
            state = "" if field is None else json.dumps(field.value(record), sort_keys=True)
            ctx.store.save_seen(
                ctx.tenant, other.name, written, version_of(record, volatile), state
            )

    def _written_by_bridge(self, record_id: str) -> bool:
        """Whether a stream (a billed sale) or an automation (its action's record) of this
        config made the trigger record ``record_id``."""
        ctx, trigger = self.ctx, self.automation.trigger
        kinds = []
        stream_kind = surface(trigger.system, "trigger.system").written_by_streams.get(
            trigger.record
        )
        if stream_kind is not None:
            kinds.append(stream_kind)
        kinds += [
            _stream(other.name)
            for other in ctx.config.automations
            if other.action.system == trigger.system and other.action.target == trigger.record
        ]
        return any(ctx.store.find_link_by_erp(ctx.tenant, kind, record_id) for kind in kinds)

    def _settled(self, record_id: str) -> None:
        """Nothing is left to do for ``record_id``: its dead letter, if any, goes."""
        if not self.ctx.dry_run:
            self.ctx.store.clear_dead_letter(self.ctx.tenant, self.stream, record_id)

    def _state(self, wire: Record) -> str:
        """What the seen state keeps of a record: the watched field's value, as JSON."""
        field = self.automation.trigger.field
        return "" if field is None else json.dumps(field.value(wire), sort_keys=True)

    def _fires(self, observed: Observed, seen: Seen | None, wire: Record) -> bool:
        trigger = self.automation.trigger
        if trigger.on is Event.CREATED:
            if seen is not None:
                return False
            if observed.created_at is None:
                return True
            start = self.since if self.replaying else self.origin  # a replay: its span
            if start is None:
                return True
            # Systems keep creation times to the second (Auvo): a record made in the
            # start's own second is new.
            return parse_instant(observed.created_at) >= start.replace(microsecond=0)
        if trigger.on is Event.CHANGED:
            return True  # its version moved
        assert trigger.field is not None
        now = trigger.field.value(wire)
        if seen is None or not seen.state:
            return field_change_fires(trigger, now)
        return field_change_fires(trigger, now, json.loads(seen.state))

    def payload(self, observed: Observed, wire: Record) -> dict[str, Any]:
        """What the action sends for ``observed`` (lookups may link or create the customer
        they name, as the streams do; a dry run writes nothing)."""
        return build_payload(self.automation, observed.record, self._resolver(wire))

    def _act(self, observed: Observed, wire: Record, decision: _Decision) -> str | None:
        """The action, once for ``decision``'s key (its link says it acted; its reference
        lets a landed create be found); the id it wrote, or ``None`` (acted before, or a
        dry run)."""
        ctx = self.ctx
        action = self.automation.action
        kind, key = _stream(self.name), decision.key
        if ctx.link(kind, key) is not None:  # acted already: its lookups are not made again
            self.report.skipped += 1
            return None
        target = self.systems.io(action.system)
        payload = self.payload(observed, wire)
        reference = reference_of(self.name, key)

        def plan(what: str) -> None:
            done = action.kind if what == "create" else what
            self.report.plan(reference, f"{action.system} {action.target}", done, payload)

        written, outcome = ctx.write_reserving(
            self.stream,
            kind,
            reference,
            lambda reserved: target.find(action, reference, reserved),
            lambda reserved: target.act(action, payload, reference, reserved),
            lambda: target.reserve(action, ctx.store.pending_reservations(ctx.tenant)),
            key=key,
            plan=plan,
            auvo_hash=decision.state,
        )
        if outcome == "existing":
            self.report.skipped += 1
            return None
        self.report.acted += 1
        if outcome == "would_create" or ctx.dry_run:
            return None
        if self._writes_a_customer():
            port = ctx.auvo if action.system == AUVO else ctx.erp
            port.forget_customers()  # the customers stream must see what it wrote
        return written

    def _writes_a_customer(self) -> bool:
        action = self.automation.action
        if action.kind in ("create_customer", "update_customer"):
            return True
        offered = surface(action.system, "action.system")
        return offered.customers.get(action.target) == "id"  # a customer's own status

    def _resolver(self, wire: Record) -> LookupResolver:
        def resolve(lookup: Lookup, record: Record, key: Any) -> Any:
            if lookup.record == "customer":
                return self._customer(lookup, wire, key)
            if is_empty(key):
                where = lookup.by.text if lookup.by is not None else "by"
                raise LookupFailed(f"no {lookup.record} code at {where}")
            action = self.automation.action
            return self.systems.io(action.system).lookup(lookup.record, key, lookup.take)

        return resolve

    def _customer(self, lookup: Lookup, wire: Record, key: Any) -> Any:
        """The action's system's id of the customer the trigger record names (at ``by``, or
        at its system's customer path): linked, or created first as the customers stream
        does. ``None`` in a dry run when it would be created."""
        trigger, action = self.automation.trigger, self.automation.action
        where = lookup.by.text if lookup.by is not None else None
        if where is None:
            where = surface(trigger.system, "trigger.system").customers.get(trigger.record)
            if where is None:
                raise LookupFailed(f"a {trigger.record} names no customer: give the lookup by")
            key = parse_path(where).value(wire)
        if is_empty(key):
            raise LookupFailed(f"no customer at {where}")
        if trigger.system == action.system:
            return key
        if trigger.system == AUVO:
            found = ensure_customer(self.ctx, int(key))
            return found
        auvo_id = ensure_auvo_customer(self.ctx, str(key))
        return int(auvo_id) if auvo_id is not None and auvo_id.isdigit() else auvo_id

    def trial(self, observed: Observed) -> Trial:
        """``observed`` judged as a replay would, writing nothing."""
        wire = observed.record.model_dump(mode="json", by_alias=True)
        version = version_of(wire, self.volatile)
        fires = passes = False
        try:
            # A record the bridge wrote is no change to act on, as the passes judge it.
            fires = not self._written_by_bridge(observed.id) and self._fires(observed, None, wire)
            passes = filters_pass(self.automation, observed.record)
            payload = self.payload(observed, wire) if fires and passes else None
            if payload is not None:
                self._validate(payload)
        except Exception as exc:
            return Trial(observed.id, version, fires, passes, None, failure_reason(exc))
        return Trial(observed.id, version, fires, passes, payload)

    def _validate(self, payload: dict[str, Any]) -> None:
        """Refuse, as the action's model would, a payload with an unknown field or a value
        of the wrong kind (what the system itself demands is checked when it acts)."""
        action = self.automation.action
        writes = surface(action.system, "action.system").actions[action.kind]
        if writes is None:
            return
        try:
            writes.model.model_validate(payload)
        except ValidationError as exc:
            # A field left out may be one the system fills (a reserved number, say).
            for error in exc.errors():
                if error["type"] != "missing":
                    raise RequestValidationError(field_of(error["loc"]), error["msg"]) from None


def _shared_reads(automations: Iterable[Automation]) -> set[tuple[str, str]]:
    """The ``(system, record)`` more than one automation watches."""
    counts = Counter((a.trigger.system, a.trigger.record) for a in automations)
    return {key for key, count in counts.items() if count > 1}


def _chosen(config: BridgeConfig, replay: Replay | None) -> Iterable[Automation]:
    if replay is None:
        return config.automations
    return (automation_named(config, replay.name),)


def run_automations(ctx: Context, replay: Replay | None = None) -> None:
    """Every automation of the config, in order (with ``replay``: that one, over its span);
    one whose trigger cannot be read fails as a whole in the report while the others run.
    Raises ``CredentialsRejected`` when a system refuses the credentials."""
    chosen = tuple(_chosen(ctx.config, replay))
    systems = _Systems(ctx, _shared_reads(chosen))
    for automation in chosen:
        if ctx.stop():
            return
        report = ctx.report.automation(automation.name)
        one = _Automation(
            ctx,
            automation,
            systems,
            report,
            replaying=replay is not None,
            since=None if replay is None else replay.since,
        )
        try:
            one.run(replay)
        except ConfigError:
            raise
        except Exception as exc:  # a read that failed after its retries
            rejected = credentials_rejected(exc)
            if rejected is exc:
                raise
            if rejected is not None:
                raise rejected from exc
            log.warning("automation %s failed: %s", automation.name, failure_reason(exc))
            report.fail(_stream(automation.name), failure_reason(exc))


def try_automation(
    config: BridgeConfig,
    store: Store,
    name: str,
    *,
    auvo: Auvo | None = None,
    erp: ErpClient | None = None,
    since: datetime | None = None,
    limit: int = 10,
) -> list[Trial]:
    """The automation ``name`` over at most ``limit`` of its trigger's records changed since
    ``since`` (by default ``trigger.lookback``, else ``initial_lookback``, before now), each
    judged as if seen the first time: whether it fires and passes, and the payload its
    action would send. Reads only: nothing is written to the store or to any system (a
    customer a lookup would create is left out of the payload)."""
    automation = automation_named(config, name)
    started = datetime.now(UTC)
    trigger = automation.trigger
    if since is None:
        since = started - (trigger.lookback or config.initial_lookback)
    with ready_clients(config, auvo, erp) as (auvo_client, erp_client):
        calls = CallCounter()
        report = SyncReport(config.tenant, config.erp, "try", started, dry_run=True)
        ctx = Context(
            config,
            store,
            AuvoSide(auvo_client, calls),
            config.erp_kind.adapter(erp_client, calls),
            report,
            started,
            dry_run=True,
        )
        one = _Automation(
            ctx, automation, _Systems(ctx), report.automation(name), replaying=True, since=since
        )
        trials: list[Trial] = []
        if limit <= 0:
            return trials
        for observed in one.source.changed(trigger.record, since):
            trials.append(one.trial(observed))
            if len(trials) >= limit:
                break
        return trials
