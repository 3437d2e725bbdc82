"""How often a record that failed is tried again.

A failure is tried again on the next pass: most are a moment's refusal (a rate limit, a 5xx,
a timeout). A record that keeps failing then waits one poll interval, then two, four… at
most ``RETRY_CAP``, so a record the other side refuses for good costs a call a day, not a
call a pass, and still clears itself once the cause is gone. A record that changed is read
again by its stream's usual window whatever its wait: the wait only paces the dead letters.
The waits run on the pass's clock (``started_at``), so a simulated clock paces them too.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from .store import DeadLetter

if TYPE_CHECKING:
    from .context import Context

__all__ = ["RETRY_CAP", "due_letters", "retry_at", "retry_due", "retry_wait"]

RETRY_CAP = timedelta(days=1)


def retry_wait(poll_interval: timedelta, attempts: int) -> timedelta:
    """The wait after a record's ``attempts``-th failure: none after the first, then one
    poll interval, doubling, at most ``RETRY_CAP``."""
    if attempts <= 1:
        return timedelta(0)
    doublings = min(attempts - 2, 32)  # 2**32 intervals is past any cap: no overflow
    return min(poll_interval * (1 << doublings), RETRY_CAP)


def retry_at(ctx: Context, stream: str, ref: str) -> datetime:
    """When the record ``ref``, failing now in this pass, is tried again."""
    previous = ctx.store.get_dead_letter(ctx.tenant, stream, ref)
    attempts = 1 + (previous.attempts if previous is not None else 0)
    return ctx.started_at + retry_wait(ctx.config.poll_interval, attempts)


def retry_due(ctx: Context, letter: DeadLetter) -> bool:
    """Whether this pass tries ``letter`` again."""
    return letter.next_at is None or letter.next_at <= ctx.started_at


def due_letters(ctx: Context, stream: str) -> Iterator[DeadLetter]:
    """The stream's dead letters whose turn has come this pass."""
    for letter in ctx.store.dead_letters(ctx.tenant, stream):
        if retry_due(ctx, letter):
            yield letter
