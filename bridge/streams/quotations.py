"""Quotations that reach the configured stage become sales, like tasks. A quotation whose
task was billed (or a task whose quotation was) is skipped: never billed twice.

Auvo filters quotations by request date only, and a quotation reaches its stage any time
after it was requested, so every pass reads the quotations requested since the first
sync's window began (``initial_lookback`` before it), at most ``HORIZON`` back. A quotation
whose billing failed is a dead letter: it waits its turn (``bridge.retries``), and is read
again by id if it left the stage or the window meanwhile, since it qualified when it failed."""

from __future__ import annotations

from datetime import timedelta
from functools import partial

from ..context import Context, misfits_failed, read_again, record_failed
from ..domain import AuvoQuotation
from ..report import StreamReport
from ..retries import retry_due
from ..store import Link
from .billing import bill, billed_by

__all__ = ["run"]

NAME = "quotations"

HORIZON = timedelta(days=90)


def run(ctx: Context) -> None:
    if not ctx.config.quotations_enabled:
        return
    stream = ctx.report.stream(NAME)
    floor = ctx.store.get_bookmark(ctx.tenant, NAME)
    stream.bookmark_before = stream.bookmark_after = floor
    if floor is None:
        floor = ctx.started_at - ctx.config.initial_lookback
    since = max(floor, ctx.started_at - max(HORIZON, ctx.config.initial_lookback))
    letters = {letter.ref: letter for letter in ctx.store.dead_letters(ctx.tenant, NAME)}
    seen: set[int] = set()
    misfits = misfits_failed(ctx, stream, NAME, "quotation", seen)
    stage = ctx.resolved.quotation_stage or ctx.config.quotations_status  # as Auvo spells it
    for quotation in ctx.auvo.quotations(stage, since, misfits):
        if not ctx.proceed(stream):
            return
        if quotation.id is not None:
            seen.add(quotation.id)
        letter = letters.get(f"quotation:{quotation.id}")
        if letter is not None and not retry_due(ctx, letter):
            stream.skip("failed before; waiting for its retry")
            continue
        _one(ctx, stream, quotation)
    # A quotation that failed reached the stage then: it is billed at its turn even after it
    # moved on to another stage or out of the window, read again by id.
    for letter in letters.values():
        number = letter.ref.partition(":")[2]
        if not number.isdigit() or int(number) in seen or not retry_due(ctx, letter):
            continue
        ident = int(number)
        if not ctx.proceed(stream):
            return
        retried = read_again(ctx, stream, NAME, letter.ref, partial(ctx.auvo.quotation, ident))
        if retried is None:
            continue
        _one(ctx, stream, retried)
    if stream.bookmark_before is None and not ctx.dry_run:
        ctx.store.set_bookmark(ctx.tenant, NAME, floor)
        stream.bookmark_after = floor


def _one(ctx: Context, stream: StreamReport, quotation: AuvoQuotation) -> None:
    ref = f"quotation:{quotation.id}"
    try:
        billed = billed_by(ctx, quotation.task_id)
        if billed is not None and billed != ref:
            stream.skip(f"billed through {billed}")
            return
        if ctx.link("billing", ref) is not None:
            stream.skip("already billed")
            return
        moment = quotation.date or ctx.started_at
        bill(
            ctx,
            stream,
            ref,
            customer_id=quotation.customer_id,
            sale_date=moment.date(),
            lines=quotation.lines,
            extra=quotation.extra,
            discount=quotation.discount,
            notes=f"Auvo quotation {quotation.id}",
            task_id=quotation.task_id,
        )
        ctx.save_links(Link("billing", ref, ref))
    except Exception as exc:  # one bad record never stops the others
        record_failed(ctx, stream, NAME, ref, exc)
        return
    if not ctx.dry_run:
        ctx.store.clear_dead_letter(ctx.tenant, NAME, ref)
