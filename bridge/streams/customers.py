"""Customers, in the configured direction. Before creating on either side the bridge looks
for the customer by its own reference (the ERP record of an Auvo customer it made carries
``auvo-customer:<id>``, the Auvo record of an ERP customer ``externalId`` ``<erp>:<id>``),
then by CPF/CNPJ, then by e-mail, and links instead of duplicating; so even a customer with
neither CPF/CNPJ nor e-mail is found again after a lost answer or a crash. A search that
finds more than one candidate, or one already linked to another customer, links nothing:
the customer fails as ``AmbiguousMatch`` for a person to resolve. Each link keeps a hash of
what each side held when last synced, so the bridge's own writes are not echoed back; when
both sides changed, the later change wins. A customer whose write failed is read again by id
on later passes (its dead letter), in both directions."""

from __future__ import annotations

from datetime import datetime

import attrs

from sdkcore import NotFoundError

from ..context import Context, advance_bookmark, bookmark_window, misfits_failed, record_failed
from ..domain import AmbiguousMatch, CustomerData, ErpCustomer
from ..report import StreamReport
from ..retries import due_letters
from ..store import Link

__all__ = [
    "auvo_reference",
    "ensure_auvo_customer",
    "ensure_customer",
    "erp_reference",
    "run",
    "shared",
]

NAME = "customers"


def shared(ctx: Context, data: CustomerData) -> CustomerData:
    """``data`` reduced to the fields both Auvo and this ERP hold (its kind's
    ``customer_fields``): hashes compare only these, so a field one side cannot store never
    looks like a change."""
    keep = ctx.config.erp_kind.customer_fields
    return CustomerData(**{f: getattr(data, f) for f in keep})


def _hash(ctx: Context, data: CustomerData) -> str:
    return shared(ctx, data).fingerprint


def erp_reference(auvo_id: int | str) -> str:
    """The reference the ERP record of an Auvo customer carries (when it has neither CPF/CNPJ
    nor e-mail to be found by)."""
    return f"auvo-customer:{auvo_id}"


def auvo_reference(ctx: Context, erp_id: str) -> str:
    """The ``externalId`` of the Auvo record the bridge makes from an ERP customer."""
    return f"{ctx.erp.name}:{erp_id}"


def _made_from(reference: str, prefix: str) -> str:
    """The id a bridge reference names, when it has ``prefix``: the record it was made from
    (an ERP's ids may be numbers or UUIDs; never one holding a further ``:`` part)."""
    rest = reference[len(prefix) :] if reference.startswith(prefix) else ""
    return rest if rest and ":" not in rest and not rest.isspace() else ""


def _linked_elsewhere_in_erp(ctx: Context, auvo_id: str, erp_id: str, how: str) -> None:
    """Refuse to link Auvo customer ``auvo_id`` to an ERP customer linked to another one."""
    other = ctx.store.find_link_by_erp(ctx.tenant, "customer", erp_id)
    if other is not None and other.auvo_id != auvo_id:
        raise AmbiguousMatch(
            f"{ctx.erp.name} customer {erp_id}, found by {how}, is already linked to Auvo "
            f"customer {other.auvo_id}; a person must tell them apart (or merge them)"
        )


def _linked_elsewhere_in_auvo(ctx: Context, erp_id: str, auvo_id: str, how: str) -> None:
    """Refuse to link ERP customer ``erp_id`` to an Auvo customer linked to another one."""
    other = ctx.store.get_link(ctx.tenant, "customer", auvo_id)
    if other is not None and other.erp_id != erp_id:
        raise AmbiguousMatch(
            f"Auvo customer {auvo_id}, found by {how}, is already linked to {ctx.erp.name} "
            f"customer {other.erp_id}; a person must tell them apart (or merge them)"
        )


def _how(data: CustomerData) -> str:
    return "CPF/CNPJ" if data.document else "e-mail" if data.email else "the bridge's reference"


def ensure_customer(ctx: Context, auvo_id: int, stream: StreamReport | None = None) -> str | None:
    """The ERP id of an Auvo customer, linking or creating it first (``None`` in a dry run
    when it would be created)."""
    link = ctx.store.get_link(ctx.tenant, "customer", str(auvo_id))
    if link is not None:
        return link.erp_id
    record = ctx.auvo.customer(auvo_id)
    data = record.data
    fp = _hash(ctx, data)
    matched: list[ErpCustomer] = []
    # An Auvo customer the bridge made from an ERP customer names it in its externalId.
    origin = _made_from(record.external_id, f"{ctx.erp.name}:")

    def search() -> str | None:
        found = ctx.erp.find_customer(
            data.document, data.email, reference=erp_reference(auvo_id), ident=origin
        )
        if found is not None:
            _linked_elsewhere_in_erp(ctx, str(auvo_id), found.id, _how(data))
        matched[:] = [found] if found else []
        return found.id if found else None

    erp_id, outcome = ctx.write(
        NAME,
        "customer",
        f"customer:{auvo_id}",
        search,
        lambda: ctx.erp.create_customer(data, reference=erp_reference(auvo_id)),
        always_search=True,
        key=str(auvo_id),
        auvo_hash=fp,
        # Linked to a record that may differ: remember what the ERP holds, so the difference
        # is not mistaken for a change on the next pass (in the link itself: a crash between
        # two saves would leave the wrong hash, and the ERP's data would be pushed to Auvo).
        erp_hash=lambda: _hash(ctx, matched[0].data) if matched else fp,
    )
    if stream is None and not ctx.dry_run:
        # Linked for a sale: a failure the customers stream recorded for it is over.
        ctx.store.clear_dead_letter(ctx.tenant, NAME, f"customer:{auvo_id}")
    if stream is not None:
        _count(stream, outcome)
    return erp_id


def _count(stream: StreamReport, outcome: str) -> None:
    if outcome in ("created", "would_create"):
        stream.created += 1
    elif outcome == "linked":
        stream.linked += 1


def ensure_auvo_customer(ctx: Context, erp_id: str) -> str | None:
    """The Auvo id of an ERP customer, linking or creating it first as the customers stream
    does (``None`` in a dry run when it would be created). ``LookupError`` when the ERP has
    no such customer."""
    link = ctx.store.find_link_by_erp(ctx.tenant, "customer", erp_id)
    if link is not None:
        return link.auvo_id
    customer = ctx.erp.customer(erp_id)
    if customer is None:
        raise LookupError(f"{ctx.erp.title} has no customer {erp_id}")
    auvo_id = _ensure_in_auvo(ctx, None, customer)
    if not ctx.dry_run:
        # Linked for an automation: a failure the customers stream recorded for it is over.
        ctx.store.clear_dead_letter(ctx.tenant, NAME, f"erp-customer:{erp_id}")
    return auvo_id


def _ensure_in_auvo(ctx: Context, stream: StreamReport | None, customer: ErpCustomer) -> str | None:
    """The Auvo id of ``customer``, linked or created (``None`` in a dry run when it would
    be created); counted in ``stream`` when given."""
    data = customer.data
    fp = _hash(ctx, data)
    # An ERP customer the bridge made from an Auvo customer names it in its reference.
    origin = _made_from(customer.reference, erp_reference(""))

    def search() -> str | None:
        found = ctx.auvo.find_customer(
            data.document, data.email, auvo_reference(ctx, customer.id), origin
        )
        if found is not None:
            _linked_elsewhere_in_auvo(ctx, customer.id, str(found), _how(data))
        return str(found) if found is not None else None

    def create() -> str:
        return str(ctx.auvo.create_customer(data, auvo_reference(ctx, customer.id)))

    auvo_id, outcome = ctx.write(
        NAME, "auvo_customer", f"erp-customer:{customer.id}", search, create, always_search=True
    )
    if auvo_id is not None and not ctx.dry_run:
        existing = ctx.store.get_link(ctx.tenant, "customer", auvo_id)
        if existing is not None and existing.erp_id != customer.id:
            # Linked before this check existed: still two ERP customers on one Auvo record.
            _linked_elsewhere_in_auvo(ctx, customer.id, auvo_id, "an earlier link")
        if existing is None:
            # Linked to a customer Auvo already had: remember what Auvo holds, which may
            # differ from the ERP's, so the difference is not taken for a change next pass.
            auvo_fp = fp
            if outcome != "created":
                auvo_fp = _hash(ctx, ctx.auvo.customer(int(auvo_id)).data)
            ctx.store.save_link(ctx.tenant, Link("customer", auvo_id, customer.id, auvo_fp, fp))
        elif outcome == "existing":
            return auvo_id
    if stream is not None:
        _count(stream, outcome)
    return auvo_id


@attrs.frozen
class _Seen:
    data: CustomerData
    changed_at: datetime | None


def run(ctx: Context) -> None:
    stream = ctx.report.stream(NAME)
    since = bookmark_window(ctx, stream, NAME)
    direction = ctx.config.customers_direction
    auvo_changes: dict[str, _Seen] = {}
    erp_changes: dict[str, ErpCustomer] = {}
    unreadable: set[int] = set()  # failed this pass already: not read again by id
    if direction in ("auvo_to_erp", "both"):
        misfits = misfits_failed(ctx, stream, NAME, "customer", unreadable)
        for record in ctx.auvo.customers(modified_since=since, on_invalid=misfits):
            auvo_changes[str(record.id)] = _Seen(record.data, record.changed_at)
    if direction in ("erp_to_auvo", "both"):
        for customer in ctx.erp.customers(modified_since=since):
            erp_changes[customer.id] = customer
    # Customers whose write failed on an earlier pass, read again by id at their turn: the
    # bookmark moved past them, so their changes are not in the window any more.
    letters = {letter.ref for letter in ctx.store.dead_letters(ctx.tenant, NAME)}
    for letter in due_letters(ctx, NAME):
        kind, _, ident = letter.ref.partition(":")
        if not ctx.proceed(stream):
            return
        try:
            if kind == "customer" and direction != "erp_to_auvo" and ident not in auvo_changes:
                if int(ident) in unreadable:
                    continue
                record = ctx.auvo.customer(int(ident))
                auvo_changes[ident] = _Seen(record.data, record.changed_at)
                if direction == "both":
                    _read_counterpart(ctx, ident, erp_changes)
            elif kind == "erp-customer" and direction != "auvo_to_erp" and ident not in erp_changes:
                found = ctx.erp.customer(ident)
                if found is None:  # deleted since: nothing left to write
                    _settled(ctx, stream, letter.ref, letters, "no longer there")
                    continue
                erp_changes[ident] = found
        except NotFoundError:  # deleted since: nothing left to write
            _settled(ctx, stream, letter.ref, letters, "no longer there")
        except Exception as exc:
            record_failed(ctx, stream, NAME, letter.ref, exc)
    stream.total = stream.handled + len(auvo_changes) + len(erp_changes)
    settled: set[str] = set()  # ERP ids written or resolved by the Auvo side of this pass
    for auvo_id, seen in auvo_changes.items():
        if not ctx.proceed(stream):
            return
        ref = f"customer:{auvo_id}"
        try:
            _from_auvo(ctx, stream, auvo_id, seen, erp_changes, settled)
        except Exception as exc:  # one bad record never stops the others
            record_failed(ctx, stream, NAME, ref, exc)
            continue
        _settled(ctx, stream, ref, letters)
    for erp_id, customer in erp_changes.items():
        if not ctx.proceed(stream):
            return
        if erp_id in settled:
            continue
        ref = f"erp-customer:{erp_id}"
        try:
            _from_erp(ctx, stream, customer)
        except Exception as exc:
            record_failed(ctx, stream, NAME, ref, exc)
            continue
        _settled(ctx, stream, ref, letters)
    advance_bookmark(ctx, stream, NAME)


def _read_counterpart(ctx: Context, auvo_id: str, erp_changes: dict[str, ErpCustomer]) -> None:
    """Read the ERP customer linked to ``auvo_id`` by id, for its retry. The write that failed
    may have carried the winner of a conflict whose ERP change is out of the window now:
    without the ERP's side the retry would see only Auvo's change and write it over the
    ERP's later one."""
    link = ctx.store.get_link(ctx.tenant, "customer", auvo_id)
    if link is None or link.erp_id in erp_changes:
        return
    found = ctx.erp.customer(link.erp_id)
    if found is not None:
        erp_changes[link.erp_id] = found


def _settled(
    ctx: Context, stream: StreamReport, ref: str, letters: set[str], skip: str = ""
) -> None:
    """``ref`` synced (or has nothing left to sync): its dead letter, if any, goes."""
    if skip:
        stream.skip(skip)
    if ref in letters and not ctx.dry_run:
        ctx.store.clear_dead_letter(ctx.tenant, NAME, ref)


def _from_auvo(
    ctx: Context,
    stream: StreamReport,
    auvo_id: str,
    seen: _Seen,
    erp_changes: dict[str, ErpCustomer],
    settled: set[str],
) -> None:
    link = ctx.store.get_link(ctx.tenant, "customer", auvo_id)
    if link is None:
        ensure_customer(ctx, int(auvo_id), stream)
        return
    fp = _hash(ctx, seen.data)
    if fp == link.auvo_hash:
        stream.skip("unchanged since the last sync")
        return
    erp_customer = erp_changes.get(link.erp_id)
    erp_data = erp_customer.data if erp_customer is not None else None
    if erp_data is not None and _hash(ctx, erp_data) != link.erp_hash:
        settled.add(link.erp_id)
        if _erp_changed_later(ctx, stream, auvo_id, seen, link.erp_id):
            _apply_to_auvo(ctx, stream, link, erp_data)
            return
    settled.add(link.erp_id)  # its listing, read before this write, is stale now
    if ctx.dry_run:
        stream.plan(f"customer:{auvo_id}", ctx.target("customer"), "update")
        stream.updated += 1
        return
    ctx.erp.update_customer(link.erp_id, seen.data)
    ctx.store.save_link(ctx.tenant, attrs.evolve(link, auvo_hash=fp, erp_hash=fp))
    ctx.log_change(NAME, f"customer:{auvo_id}", "updated", f"{ctx.erp.name} {link.erp_id}")
    stream.updated += 1


def _erp_changed_later(
    ctx: Context, stream: StreamReport, auvo_id: str, seen: _Seen, erp_id: str
) -> bool:
    """Both sides changed the customer since the last sync: the later change wins, and the
    report says which and why. Auvo dates its change; the ERP is asked whether it changed
    the customer after that moment."""
    erp = ctx.erp.name
    when = seen.changed_at
    if when is None:
        later, why = True, "Auvo did not date its change"
    elif ctx.erp.customer_changed_since(erp_id, when):
        later, why = True, f"{erp} changed it after Auvo did ({when.isoformat()})"
    else:
        later, why = False, f"Auvo changed it at {when.isoformat()}, after {erp} did"
    stream.conflicts.append(
        {"ref": f"customer:{auvo_id}", "kept": erp if later else "auvo", "why": why}
    )
    return later


def _apply_to_auvo(ctx: Context, stream: StreamReport, link: Link, data: CustomerData) -> None:
    fp = _hash(ctx, data)
    if ctx.dry_run:
        stream.plan(f"customer:{link.auvo_id}", ctx.target("auvo_customer"), "update")
        stream.updated += 1
        return
    after = ctx.auvo.update_customer(int(link.auvo_id), data)
    # Remember what Auvo holds now (it may keep a field the ERP lacks): no echo next pass.
    ctx.store.save_link(ctx.tenant, attrs.evolve(link, auvo_hash=_hash(ctx, after), erp_hash=fp))
    ctx.log_change(NAME, f"customer:{link.auvo_id}", "updated", f"auvo from {link.erp_id}")
    stream.updated += 1


def _from_erp(ctx: Context, stream: StreamReport, customer: ErpCustomer) -> None:
    data = customer.data
    link = ctx.store.find_link_by_erp(ctx.tenant, "customer", customer.id)
    if link is None:
        _ensure_in_auvo(ctx, stream, customer)
        return
    if _hash(ctx, data) == link.erp_hash:
        stream.skip("unchanged since the last sync")
        return
    _apply_to_auvo(ctx, stream, link, data)
