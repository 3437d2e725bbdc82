"""The ERP's products and services, created and updated in Auvo. Products are keyed by
``externalId`` (``<erp>:product:<id>``); Auvo services have no external id, so a local link
maps them. Links remember the ERP item's hash, so an unchanged item costs nothing."""

from __future__ import annotations

from decimal import Decimal

from ..context import Context, record_failed
from ..domain import AuvoProduct, ErpItem
from ..report import StreamReport
from ..retries import retry_due
from ..store import Link

__all__ = ["external_id", "run"]

NAME = "catalog"


def external_id(ctx: Context, item: ErpItem) -> str:
    return f"{ctx.erp.name}:{item.kind}:{item.id}"


def run(ctx: Context) -> None:
    if not ctx.config.catalog_enabled:
        return
    stream = ctx.report.stream(NAME)
    items = [*ctx.erp.products(), *ctx.erp.services()]
    stream.total = len(items)
    auvo_products: dict[str, AuvoProduct] | None = None
    # Every item is read each pass, so a failed one comes round again by itself; its dead
    # letter paces it (one that keeps failing waits its turn) and is cleared once it syncs.
    letters = {letter.ref: letter for letter in ctx.store.dead_letters(ctx.tenant, NAME)}
    for item in items:
        if not ctx.proceed(stream):
            return
        ref = f"{item.kind}:{item.id}"
        letter = letters.pop(ref, None)
        if letter is not None and not retry_due(ctx, letter):
            stream.skip("failed before; waiting for its retry")
            continue
        link = ctx.link("erp_" + item.kind, item.id)
        try:
            if link is not None and link.erp_hash == item.fingerprint:
                stream.skip("unchanged since the last sync")
            elif item.kind == "product":
                if auvo_products is None and link is None:
                    auvo_products = _by_external_id(ctx)
                _product(ctx, stream, item, link.auvo_hash if link else None, auvo_products)
            else:
                _service(ctx, stream, item, link.auvo_hash if link else None)
        except Exception as exc:
            record_failed(ctx, stream, NAME, ref, exc)
            continue
        if letter is not None and not ctx.dry_run:
            ctx.store.clear_dead_letter(ctx.tenant, NAME, ref)
    for ref in letters:  # the ERP no longer has the item: nothing left to retry
        if not ctx.dry_run:
            ctx.store.clear_dead_letter(ctx.tenant, NAME, ref)


def _by_external_id(ctx: Context) -> dict[str, AuvoProduct]:
    """Auvo products by external id, and by lower-cased name for products Auvo already had."""
    found: dict[str, AuvoProduct] = {}
    for product in ctx.auvo.products().values():
        if product.external_id:
            found.setdefault(product.external_id, product)
        if product.name:
            found.setdefault("name:" + product.name.strip().lower(), product)
    return found


def _save(ctx: Context, item: ErpItem, auvo_id: str) -> None:
    # Two links: ERP item -> Auvo record (with the item's hash), and Auvo record -> ERP
    # item, which tasks use to find what to sell (in a dry run too: planned in memory).
    ctx.save_links(
        Link("erp_" + item.kind, item.id, auvo_id, auvo_id, item.fingerprint),
        Link(item.kind, auvo_id, item.id),
    )


def _product(
    ctx: Context,
    stream: StreamReport,
    item: ErpItem,
    auvo_id: str | None,
    existing: dict[str, AuvoProduct] | None,
) -> None:
    ext = external_id(ctx, item)
    match = None
    if auvo_id is None and existing is not None:
        match = existing.get(ext) or existing.get("name:" + item.name.strip().lower())
    if match is not None:
        auvo_id = match.key
        if ctx.dry_run:
            stream.plan(ext, ctx.target("auvo_product"), "link")
        _save(ctx, item, auvo_id)
        stream.linked += 1
        return
    if ctx.dry_run:
        _planned(ctx, stream, item, "auvo_product", auvo_id)
        return
    if auvo_id is None:
        auvo_id = ctx.auvo.create_product(ext, item.name, item.price, item.active)
        _save(ctx, item, auvo_id)
        ctx.log_change(NAME, ext, "created", f"auvo product {auvo_id}")
        stream.created += 1
        return
    number = _product_number(ctx, auvo_id)
    ctx.auvo.update_product(number, item.name, item.price, item.active)
    _save(ctx, item, auvo_id)
    ctx.log_change(NAME, ext, "updated", f"auvo product {auvo_id}")
    stream.updated += 1


def _planned(
    ctx: Context, stream: StreamReport, item: ErpItem, kind: str, auvo_id: str | None
) -> None:
    """A dry run: the Auvo record ``item`` would be created as, or the one it would update."""
    action = "create" if auvo_id is None else "update"
    stream.plan(external_id(ctx, item), ctx.target(kind), action)
    stream.created += action == "create"
    stream.updated += action == "update"


def _product_number(ctx: Context, auvo_id: str) -> str:
    product = ctx.auvo.products().get(auvo_id)
    if product is not None and product.number is not None:
        return product.number
    return auvo_id


def _service(ctx: Context, stream: StreamReport, item: ErpItem, auvo_id: str | None) -> None:
    price = item.price if item.price else Decimal("0")
    if ctx.dry_run:
        _planned(ctx, stream, item, "auvo_service", auvo_id)
        return
    if auvo_id is None:
        ref = external_id(ctx, item)

        def create() -> str:
            return ctx.auvo.create_service(item.name, price, item.active)

        def search() -> str | None:
            # Auvo services have no external id: match by title.
            same = [s for s in ctx.auvo.services().values() if s.title == item.name]
            return same[0].id if same else None

        found, outcome = ctx.write(NAME, "auvo_service", ref, search, create, always_search=True)
        assert found is not None
        _save(ctx, item, found)
        if outcome == "linked":
            stream.linked += 1
        else:
            stream.created += 1
        return
    ctx.auvo.update_service(auvo_id, item.name, price, item.active)
    _save(ctx, item, auvo_id)
    ctx.log_change(NAME, external_id(ctx, item), "updated", f"auvo service {auvo_id}")
    stream.updated += 1
