"""``SyncReport``: what one pass did, per stream, as a table and as JSON."""

from __future__ import annotations

import json
from collections import Counter
from datetime import datetime
from typing import Any

import attrs

from sdkcore.redact import redact_text

__all__ = ["StreamReport", "SyncReport", "failure_reason"]

STREAMS = ("catalog", "customers", "tasks", "quotations")


def failure_reason(exc: BaseException) -> str:
    """Why a record or stream failed, as the report, the logs and the dead letters keep it:
    the exception's type and text with every known credential masked (a server may quote
    a token back in its error)."""
    return redact_text(f"{type(exc).__name__}: {exc}")


@attrs.define
class StreamReport:
    """Counts for one stream; skips keep their reasons and failures their errors."""

    name: str
    created: int = 0
    updated: int = 0
    linked: int = 0
    skipped: int = 0
    failed: int = 0
    skip_reasons: Counter[str] = attrs.field(factory=Counter)
    errors: list[dict[str, str]] = attrs.field(factory=list)
    conflicts: list[dict[str, str]] = attrs.field(factory=list)
    bookmark_before: datetime | None = None
    bookmark_after: datetime | None = None

    def skip(self, reason: str) -> None:
        self.skipped += 1
        self.skip_reasons[reason] += 1

    def fail(self, ref: str, error: str) -> None:
        self.failed += 1
        self.errors.append({"ref": ref, "error": redact_text(error)})

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.linked

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
            "bookmark_before": _iso(self.bookmark_before),
            "bookmark_after": _iso(self.bookmark_after),
        }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


@attrs.define
class SyncReport:
    """One pass of ``bridge.sync``. ``status`` is ``ok``, ``partial`` (something failed),
    ``stopped`` (asked to), ``lock_lost`` (another run took the tenant) or
    ``credentials_rejected`` (``error`` says which system and the fix)."""

    tenant: str
    erp: str
    run_id: str
    started_at: datetime
    dry_run: bool = False
    status: str = "ok"
    duration_s: float = 0.0
    streams: dict[str, StreamReport] = attrs.field(factory=dict)
    api_calls: Counter[str] = attrs.field(factory=Counter)
    error: str | None = None
    """What stopped the whole pass, when something did."""

    def stream(self, name: str) -> StreamReport:
        if name not in self.streams:
            self.streams[name] = StreamReport(name)
        return self.streams[name]

    @property
    def changed(self) -> int:
        """Records created, updated or linked in this pass."""
        return sum(s.changed for s in self.streams.values())

    @property
    def failed(self) -> int:
        return sum(s.failed for s in self.streams.values())

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
            "api_calls": dict(sorted(self.api_calls.items())),
            "error": self.error,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def table(self) -> str:
        """A fixed-width table for terminals and logs."""
        head = ("stream", "created", "updated", "linked", "skipped", "failed")
        rows: list[tuple[str, ...]] = [head]
        for name, s in self.streams.items():
            rows.append(
                (name, *(str(v) for v in (s.created, s.updated, s.linked, s.skipped, s.failed)))
            )
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        lines = [
            "  ".join(
                cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i])
                for i, cell in enumerate(row)
            )
            for row in rows
        ]
        lines.insert(1, "  ".join("-" * w for w in widths))
        title = f"bridge sync {self.tenant} -> {self.erp}"
        if self.dry_run:
            title += " (dry run)"
        out = [title + f": {self.status}, {self.duration_s:.2f} s", *lines]
        if self.error:
            out.insert(1, f"error: {self.error}")
        for name, s in self.streams.items():
            for reason, count in sorted(s.skip_reasons.items()):
                out.append(f"  {name}: skipped {count}: {reason}")
            for error in s.errors:
                out.append(f"  {name}: failed {error['ref']}: {error['error']}")
            for conflict in s.conflicts:
                kept, why = conflict["kept"], conflict["why"]
                out.append(f"  {name}: conflict {conflict['ref']}: {kept} kept ({why})")
        calls = ", ".join(f"{k} {v}" for k, v in sorted(self.api_calls.items()))
        out.append(f"API calls: {calls or 'none'}")
        return "\n".join(out)

    def __str__(self) -> str:
        return self.table()
