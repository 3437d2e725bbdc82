"""Turning what Auvo sold (a task or a quotation) into ERP sales, through the write protocol.

A task and the quotation it came from share one billing mark (``billing`` link keyed by
``task:<id>``), so when both streams are on, whichever bills first wins and the other skips.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from ..context import Context
from ..domain import AuvoLine, ErpItem, ItemNotSellable, SaleDraft, SaleLine
from ..report import StreamReport
from ..store import Link
from ..terms import cents
from .customers import ensure_customer

__all__ = ["bill", "billed_by"]


def billed_by(ctx: Context, task_id: int | None) -> str | None:
    """The reference that billed this task (itself or its quotation), if any."""
    if task_id is None:
        return None
    link = ctx.link("billing", f"task:{task_id}")
    return link.erp_id if link else None


def _erp_item(ctx: Context, line: AuvoLine) -> ErpItem:
    link = ctx.link(line.kind, line.auvo_id)
    if link is None and line.kind == "product":
        product = ctx.auvo.products().get(line.auvo_id)
        if product is not None:
            for key in product.keys:
                if link is None:
                    link = ctx.link("product", key)
            prefix = f"{ctx.erp.name}:product:"
            if link is None and product.external_id.startswith(prefix):
                item = ctx.erp.item("product", product.external_id[len(prefix) :])
                if item is not None:
                    return item
    if link is not None:
        item = ctx.erp.item(line.kind, link.erp_id)
        if item is not None:
            return item
    pool = ctx.erp.products() if line.kind == "product" else ctx.erp.services()
    wanted = line.name.strip().lower()
    for item in pool:
        if wanted and item.name.strip().lower() == wanted:
            return item
    raise ItemNotSellable(
        f"{line.kind} {line.name or line.auvo_id!r} (Auvo {line.auvo_id}) is not in {ctx.erp.name}"
    )


def bill(
    ctx: Context,
    stream: StreamReport,
    ref: str,
    *,
    customer_id: int | None,
    sale_date: date,
    lines: tuple[AuvoLine, ...],
    extra: Decimal,
    discount: Decimal,
    notes: str,
    task_id: int | None,
) -> None:
    """Bill one task or quotation; raises on failure (the caller dead-letters it)."""
    if not lines and not extra:
        stream.skip("no values (products, services or additional costs)")
        return
    if customer_id is None:
        raise ItemNotSellable("it has no customer")
    sale_lines = []
    for line in lines:
        item = _erp_item(ctx, line)
        if not item.active:
            raise ItemNotSellable(f"{line.kind} {item.name!r} is inactive in {ctx.erp.name}")
        sale_lines.append(
            SaleLine(
                line.kind,
                item.id,
                line.name or item.name,
                line.quantity,
                cents(line.unit_price),
                cents(line.discount),
            )
        )
    customer = ensure_customer(ctx, customer_id)
    draft = SaleDraft(
        reference=ref,
        customer_erp_id=customer or "0",
        sale_date=sale_date,
        lines=tuple(sale_lines),
        extra=cents(extra),
        discount=cents(discount),
        terms=ctx.config.terms,
        account_id=ctx.account_id,
        notes=notes,
    )
    outcomes = []
    for planned in ctx.erp.plan_sales(draft):
        if planned.total < 0:
            raise ItemNotSellable(f"its total would be negative ({planned.total})")
        _, outcome = ctx.write_sale(stream.name, planned)
        outcomes.append(outcome)
    if task_id is not None:  # a dry run plans the mark too: the other stream skips alike
        ctx.save_links(Link("billing", f"task:{task_id}", ref))
    if any(o in ("created", "would_create") for o in outcomes):
        stream.created += 1
    elif any(o == "linked" for o in outcomes):
        stream.linked += 1
    else:
        stream.skip("already billed")
