"""``SyncReport``: what one pass did, per stream and per automation, as a table and as JSON."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

import attrs
import pydantic_core

from sdkcore.redact import redact_text

__all__ = ["STATUSES", "AutomationReport", "StreamReport", "SyncReport", "failure_reason"]

STREAMS = ("catalog", "customers", "tasks", "quotations")

STATUSES = {
    "ok": "every stream ran and nothing failed",
    "partial": "some records, streams or automations failed; each is tried again on later passes",
    "failed": "nothing was synced: everything failed as a whole (a system unreachable, say)",
    "stopped": "asked to stop: the record in flight was finished, the rest waits for the next pass",
    "lock_lost": "another run took the tenant's lock: this one stopped after its record in flight",
    "credentials_rejected": "a system refused the credentials; the error says which, and the fix",
}
"""A pass's ``status``, and what each means: the CLI's header, the JSON report and the exit
status of ``python -m bridge sync`` all follow it."""

ACTIONS = ("create", "update", "link")
"""What a dry run plans for a record: create it, update it, or link it to one found."""


def failure_reason(exc: BaseException) -> str:
    """Why a record or stream failed, as the report, the logs and the dead letters keep it:
    the exception's type and text with every known credential masked (a server may quote
    a token back in its error)."""
    return redact_text(f"{type(exc).__name__}: {exc}")


@attrs.define
class StreamReport:
    """Counts for one stream; skips keep their reasons and failures their errors. A dry run
    lists in ``planned`` what it would write. ``total`` is how many records the stream
    handles this pass, when it knows before it starts (for progress; not reported)."""

    name: str
    created: int = 0
    updated: int = 0
    linked: int = 0
    skipped: int = 0
    failed: int = 0
    skip_reasons: Counter[str] = attrs.field(factory=Counter)
    errors: list[dict[str, str]] = attrs.field(factory=list)
    conflicts: list[dict[str, str]] = attrs.field(factory=list)
    planned: list[dict[str, str]] = attrs.field(factory=list)
    bookmark_before: datetime | None = None
    bookmark_after: datetime | None = None
    total: int | None = None

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skip_reasons[reason] += 1

    def fail(self, ref: str, error: str) -> None:
        self.failed += 1
        self.errors.append({"ref": ref, "error": redact_text(error)})

    def plan(self, ref: str, target: str, action: str) -> None:
        """A dry run would ``action`` (one of ``ACTIONS``) the record ``ref`` as ``target``
        (the system and the kind of record: ``auvo customer``); listed once."""
        if action not in ACTIONS:
            raise ValueError(f"action {action!r} is not one of {', '.join(ACTIONS)}")
        entry = {"ref": ref, "target": target, "action": action}
        if entry not in self.planned:
            self.planned.append(entry)

    @property
    def failed_whole(self) -> bool:
        """Whether the stream itself failed (its read), not only some of its records."""
        return any(error["ref"] == f"stream:{self.name}" for error in self.errors)

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.linked

    @property
    def handled(self) -> int:
        """Records done with so far: changed, skipped or failed."""
        return self.changed + self.skipped + self.failed

    def to_dict(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "linked": self.linked,
            "skipped": self.skipped,
            "failed": self.failed,
            "skip_reasons": dict(sorted(self.skip_reasons.items())),
            "errors": list(self.errors),
            "conflicts": list(self.conflicts),
            "planned": list(self.planned),
            "bookmark_before": _iso(self.bookmark_before),
            "bookmark_after": _iso(self.bookmark_after),
        }

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> StreamReport:
        """Back from ``to_dict`` (a saved run's report)."""
        return cls(
            name,
            **{key: data.get(key, 0) for key in ("created", "updated", "linked", "skipped")},
            failed=data.get("failed", 0),
            skip_reasons=Counter(data.get("skip_reasons", {})),
            errors=list(data.get("errors", [])),
            conflicts=list(data.get("conflicts", [])),
            planned=list(data.get("planned", [])),
            bookmark_before=_from_iso(data.get("bookmark_before")),
            bookmark_after=_from_iso(data.get("bookmark_after")),
        )


@attrs.define
class AutomationReport:
    """Counts for one automation: trigger records ``seen`` (new versions only), ``filtered``
    out (the trigger did not fire, or the filters refused), ``acted`` on, ``skipped`` (the
    action was already done for that version) and ``failed`` (each in ``errors``, tried
    again on later passes). A dry run lists in ``planned`` what it would do, with the
    payload it would send."""

    name: str
    seen: int = 0
    filtered: int = 0
    acted: int = 0
    skipped: int = 0
    failed: int = 0
    errors: list[dict[str, str]] = attrs.field(factory=list)
    planned: list[dict[str, Any]] = attrs.field(factory=list)
    bookmark_before: datetime | None = None
    bookmark_after: datetime | None = None

    def fail(self, ref: str, error: str) -> None:
        self.failed += 1
        self.errors.append({"ref": ref, "error": redact_text(error)})

    def plan(self, ref: str, target: str, action: str, payload: dict[str, Any]) -> None:
        """A dry run would ``action`` (the automation's action, or ``link`` to the record an
        earlier attempt made) ``target`` (``auvo task``) for ``ref``, sending ``payload``
        (kept as JSON values)."""
        entry = {"ref": ref, "target": target, "action": action, "payload": to_json(payload)}
        if entry not in self.planned:
            self.planned.append(entry)

    @property
    def failed_whole(self) -> bool:
        """Whether the automation itself failed (reading its trigger), not only records."""
        return any(error["ref"] == f"automation:{self.name}" for error in self.errors)

    def to_dict(self) -> dict[str, Any]:
        return {
            "seen": self.seen,
            "filtered": self.filtered,
            "acted": self.acted,
            "skipped": self.skipped,
            "failed": self.failed,
            "errors": list(self.errors),
            "planned": list(self.planned),
            "bookmark_before": _iso(self.bookmark_before),
            "bookmark_after": _iso(self.bookmark_after),
        }

    @classmethod
    def from_dict(cls, name: str, data: dict[str, Any]) -> AutomationReport:
        """Back from ``to_dict`` (a saved run's report)."""
        counts = ("seen", "filtered", "acted", "skipped", "failed")
        return cls(
            name,
            **{key: data.get(key, 0) for key in counts},
            errors=list(data.get("errors", [])),
            planned=list(data.get("planned", [])),
            bookmark_before=_from_iso(data.get("bookmark_before")),
            bookmark_after=_from_iso(data.get("bookmark_after")),
        )


def to_json(value: Any) -> Any:
    """``value`` as JSON values: amounts as exact text, dates as ISO text."""
    return pydantic_core.to_jsonable_python(value, fallback=str)


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _from_iso(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None


@attrs.define
class SyncReport:
    """One pass of ``bridge.sync``. ``status`` is one of ``STATUSES``: ``ok`` (nothing
    failed), ``partial`` (something failed, and is tried again), ``failed`` (nothing could be
    synced), ``stopped`` (asked to), ``lock_lost`` (another run took the tenant) or
    ``credentials_rejected`` (``error`` says which system and the fix)."""

    tenant: str
    erp: str
    run_id: str
    started_at: datetime
    dry_run: bool = False
    status: str = "ok"
    duration_s: float = 0.0
    streams: dict[str, StreamReport] = attrs.field(factory=dict)
    automations: dict[str, AutomationReport] = attrs.field(factory=dict)
    api_calls: Counter[str] = attrs.field(factory=Counter)
    error: str | None = None
    """What stopped the whole pass, when something did."""

    def stream(self, name: str) -> StreamReport:
        if name not in self.streams:
            self.streams[name] = StreamReport(name)
        return self.streams[name]

    def automation(self, name: str) -> AutomationReport:
        if name not in self.automations:
            self.automations[name] = AutomationReport(name)
        return self.automations[name]

    @property
    def changed(self) -> int:
        """Records created, updated or linked in this pass, and automations' actions."""
        acted = sum(a.acted for a in self.automations.values())
        return sum(s.changed for s in self.streams.values()) + acted

    @property
    def failed(self) -> int:
        failed = sum(a.failed for a in self.automations.values())
        return sum(s.failed for s in self.streams.values()) + failed

    def outcome(self) -> str:
        """The status of a pass that ran to its end: ``ok``, ``partial`` or ``failed``."""
        if not self.failed:
            return "ok"
        whole = [s.failed_whole for s in self.streams.values()]
        whole += [a.failed_whole for a in self.automations.values()]
        if self.changed == 0 and all(whole):
            return "failed"
        return "partial"

    def to_dict(self) -> dict[str, Any]:
        return {
            "tenant": self.tenant,
            "erp": self.erp,
            "run_id": self.run_id,
            "started_at": self.started_at.isoformat(),
            "dry_run": self.dry_run,
            "status": self.status,
            "duration_s": round(self.duration_s, 3),
            "streams": {name: s.to_dict() for name, s in self.streams.items()},
            "automations": {name: a.to_dict() for name, a in self.automations.items()},
            "api_calls": dict(sorted(self.api_calls.items())),
            "error": self.error,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SyncReport:
        """Back from ``to_dict`` (the store keeps each run's report as its JSON)."""
        return cls(
            data["tenant"],
            data["erp"],
            data["run_id"],
            datetime.fromisoformat(data["started_at"]),
            dry_run=data.get("dry_run", False),
            status=data.get("status", "ok"),
            duration_s=data.get("duration_s", 0.0),
            streams={
                name: StreamReport.from_dict(name, stream)
                for name, stream in data.get("streams", {}).items()
            },
            automations={
                name: AutomationReport.from_dict(name, automation)
                for name, automation in data.get("automations", {}).items()
            },
            api_calls=Counter(data.get("api_calls", {})),
            error=data.get("error"),
        )

    def table(self) -> str:
        """A fixed-width table for terminals and logs."""
        head = ("stream", "created", "updated", "linked", "skipped", "failed")
        rows: list[tuple[str, ...]] = [head]
        for name, s in self.streams.items():
            rows.append(
                (name, *(str(v) for v in (s.created, s.updated, s.linked, s.skipped, s.failed)))
            )
        lines = _columns(rows)
        if self.automations:
            counts = ("seen", "filtered", "acted", "skipped", "failed")
            automations: list[tuple[str, ...]] = [("automation", *counts)]
            for name, a in self.automations.items():
                automations.append((name, *(str(getattr(a, count)) for count in counts)))
            lines += ["", *_columns(automations)]
        title = f"bridge sync {self.tenant} -> {self.erp}"
        if self.dry_run:
            title += " (dry run)"
        out = [title + f": {self.status}, {self.duration_s:.2f} s", *lines]
        if self.error:
            out.insert(1, f"error: {self.error}")
        for name, s in self.streams.items():
            for plan in s.planned:
                out.append(f"  {name}: would {plan['action']} {plan['target']} {plan['ref']}")
            for reason, count in sorted(s.skip_reasons.items()):
                out.append(f"  {name}: skipped {count}: {reason}")
            for error in s.errors:
                out.append(f"  {name}: failed {error['ref']}: {error['error']}")
            for conflict in s.conflicts:
                kept, why = conflict["kept"], conflict["why"]
                out.append(f"  {name}: conflict {conflict['ref']}: {kept} kept ({why})")
        for name, a in self.automations.items():
            for planned in a.planned:
                payload = json.dumps(planned["payload"], ensure_ascii=False, sort_keys=True)
                action, target, ref = planned["action"], planned["target"], planned["ref"]
                out.append(f"  automation {name}: would {action} {target} {ref}: {payload}")
            for error in a.errors:
                out.append(f"  automation {name}: failed {error['ref']}: {error['error']}")
        calls = ", ".join(f"{k} {v}" for k, v in sorted(self.api_calls.items()))
        out.append(f"API calls: {calls or 'none'}")
        if self.status != "ok":
            out.append(f"{self.status}: {STATUSES.get(self.status, 'unknown status')}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.table()


def _columns(rows: list[tuple[str, ...]]) -> list[str]:
    """``rows`` (a header first) as fixed-width lines: the first column to the left, the
    counts to the right, a rule under the header."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        )
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return lines
