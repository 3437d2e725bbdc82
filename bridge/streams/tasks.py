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
from functools import partial

from ..context import (
    Context,
    advance_bookmark,
    bookmark_window,
    misfits_failed,
    read_again,
    record_failed,
)
from ..domain import ZERO, AuvoTask
from ..report import StreamReport
from ..retries import due_letters
from .billing import bill, billed_by

__all__ = ["run"]

NAME = "tasks"
WIDE = "tasks_wide"  # the bookmark of the last wide pass


def run(ctx: Context) -> None:
    if not ctx.config.tasks_enabled:
        return
    stream = ctx.report.stream(NAME)
    since = bookmark_window(ctx, stream, NAME)
    first_sync = since is None
    types, group = ctx.resolved.task_type_ids, ctx.resolved.customer_group_id  # preflight
    status = ctx.config.tasks_status
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


def _one(ctx: Context, stream: StreamReport, task: AuvoTask) -> None:
    ref = f"task:{task.id}"
    try:
        billed = billed_by(ctx, task.id)
        if billed is not None:
            stream.skip("already billed" if billed == ref else f"billed through {billed}")
        else:
            day = (task.date or ctx.started_at).date()
            bill(
                ctx,
                stream,
                ref,
                customer_id=task.customer_id,
                sale_date=day,
                lines=task.lines,
                extra=task.extra,
                discount=ZERO,
                notes=f"Auvo task {task.id}",
                task_id=task.id,
            )
    except Exception as exc:  # one bad record never stops the others
        record_failed(ctx, stream, NAME, ref, exc)
        return
    if not ctx.dry_run:
        ctx.store.clear_dead_letter(ctx.tenant, NAME, ref)
