"""Tasks that pass the filters (status, task types, customer group) and carry values become
ERP sales. Tasks whose billing failed are dead letters, fetched again by id at their turn
(the next pass, then less and less often while they keep failing: ``bridge.retries``); one
deleted in Auvo meanwhile has nothing left to bill, and its letter goes.

Auvo searches tasks by their date, in 7-day windows, so a pass reads the tasks dated from
``initial_lookback`` before it to a day after it that changed since the last pass. A task
dated outside that span can still be finished late (an overdue visit) or early; every
``tasks.wide_every`` (a day unless set) a wide pass reads ``tasks.wide_back`` before to
``tasks.wide_ahead`` after (180 and 30 days unless set), for what changed since the last
wide pass, so such a task is billed within that period instead of never."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from functools import partial

from auvo import Task

from ..auvo_side import STATUS_FILTERS
from ..engine import (
    Context,
    advance_bookmark,
    bookmark_window,
    misfits_failed,
    read_again,
    record_failed,
)
from ..report import StreamReport
from ..retries import due_letters
from ..terms import cents
from .billing import ZERO, AuvoLine, bill, billed_by

__all__ = ["run", "task_lines"]

NAME = "tasks"
WIDE = "tasks_wide"  # the bookmark of the last wide pass


def _discount(line_total: Decimal, value: Decimal | None, kind: str | None) -> Decimal:
    if not value:
        return ZERO
    if "percent" in (kind or "").lower():
        return cents(line_total * value / 100)
    return value


def task_lines(task: Task) -> tuple[list[AuvoLine], Decimal]:
    """The task's products and services as sale lines, and its additional costs."""
    lines = []
    for p in task.products or []:
        quantity = p.quantity if p.quantity is not None else Decimal("1")
        price = p.unitary_value or ZERO
        d = p.discount
        discount = _discount(quantity * price, d.value if d else None, d.type if d else None)
        lines.append(
            AuvoLine("product", str(p.product_id), p.name or "", quantity, price, discount)
        )
    for s in task.services or []:
        quantity = s.quantity if s.quantity is not None else Decimal("1")
        price = s.unitary_value or ZERO
        d = s.discount
        discount = _discount(quantity * price, d.value if d else None, d.type if d else None)
        lines.append(AuvoLine("service", str(s.id), s.name or "", quantity, price, discount))
    extra = sum((c.unitary_value or ZERO for c in task.additional_costs or []), ZERO)
    return lines, extra


def run(ctx: Context) -> None:
    if not ctx.config.tasks_enabled:
        return
    stream = ctx.report.stream(NAME)
    since = bookmark_window(ctx, stream, NAME)
    first_sync = since is None
    types, group = ctx.resolved.task_type_ids, ctx.resolved.customer_group_id  # preflight
    status = STATUS_FILTERS[ctx.config.tasks_status]
    start = ctx.started_at - ctx.config.initial_lookback
    end = ctx.started_at + timedelta(days=1)
    wide_mark = ctx.store.get_bookmark(ctx.tenant, WIDE)
    wide = not first_sync and (
        wide_mark is None or ctx.started_at - wide_mark >= ctx.config.tasks_wide_every
    )
    if wide:
        # Covers the usual read too: a wider window, changes since an older moment.
        since = (
            wide_mark or stream.bookmark_before or ctx.started_at
        ) - ctx.config.bookmark_lookback
        start = min(start, ctx.started_at - ctx.config.tasks_wide_back)
        end = max(end, ctx.started_at + ctx.config.tasks_wide_ahead)
    seen: set[int] = set()
    misfits = misfits_failed(ctx, stream, NAME, "task", seen)
    for task in ctx.auvo.tasks(start, end, status, since, group, misfits):
        if not ctx.proceed(stream):
            return
        if task.id is None or task.id in seen:
            continue
        seen.add(task.id)
        if types is not None and task.task_type_id not in types:
            stream.skip("task type not selected")
            continue
        _one(ctx, stream, task)
    for letter in due_letters(ctx, NAME):
        ident = int(letter.ref.split(":")[1])
        if not ctx.proceed(stream):
            return
        if ident in seen:
            continue
        retried = read_again(ctx, stream, NAME, letter.ref, partial(ctx.auvo.task, ident))
        if retried is None:
            continue
        _one(ctx, stream, retried)
    advance_bookmark(ctx, stream, NAME)
    if (wide or first_sync) and not ctx.dry_run and not ctx.stop():
        ctx.store.set_bookmark(ctx.tenant, WIDE, ctx.started_at)


def _one(ctx: Context, stream: StreamReport, task: Task) -> None:
    ref = f"task:{task.id}"
    try:
        billed = billed_by(ctx, task.id)
        if billed is not None:
            stream.skip("already billed" if billed == ref else f"billed through {billed}")
        else:
            lines, extra = task_lines(task)
            day = (task.task_date or ctx.started_at).date()
            bill(
                ctx,
                stream,
                ref,
                customer_id=task.customer_id,
                sale_date=day,
                lines=lines,
                extra=extra,
                discount=ZERO,
                notes=f"Auvo task {task.id}",
                task_id=task.id,
            )
    except Exception as exc:  # one bad record never stops the others
        record_failed(ctx, stream, NAME, ref, exc)
        return
    if not ctx.dry_run:
        ctx.store.clear_dead_letter(ctx.tenant, NAME, ref)
