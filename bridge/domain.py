"""The bridge's own values, on both sides of every port: what Auvo sold, customers, items and
sales as the streams see them. No vendor model crosses a port; each adapter maps its
system's records to these and back."""

from __future__ import annotations

import hashlib
import json
from datetime import date, datetime
from decimal import Decimal

import attrs

from .terms import PaymentTerms, cents

__all__ = [
    "ZERO",
    "AmbiguousMatch",
    "AuvoCustomer",
    "AuvoLine",
    "AuvoProduct",
    "AuvoQuotation",
    "AuvoService",
    "AuvoTask",
    "CustomerData",
    "ErpCustomer",
    "ErpItem",
    "FinancialAccount",
    "ItemNotSellable",
    "PlannedSale",
    "ReservationTaken",
    "SaleDraft",
    "SaleLine",
    "digits",
]

ZERO = Decimal("0")


def digits(text: str | None) -> str:
    """CPF/CNPJ as digits only."""
    return "".join(ch for ch in text or "" if ch.isdigit())


class ItemNotSellable(ValueError):
    """A sale line names an item the ERP does not have, or has inactive."""


class ReservationTaken(LookupError):
    """The key reserved for a record holds another record (a person made a sale under the
    number meanwhile): the record needs a new key."""


class AmbiguousMatch(ValueError):
    """The search for a record's counterpart found more than one candidate, or one already
    linked to another record: the bridge neither links nor creates (either could join two
    customers, or bill one's sale to the other). A person decides; the record fails with
    this reason on every attempt until then."""


# -- customers ---------------------------------------------------------------------------


@attrs.frozen
class CustomerData:
    """A customer as both sides can hold it; ``fingerprint`` is what echo suppression hashes."""

    name: str
    document: str = ""
    email: str = ""
    phone: str = ""
    address: str = ""

    @property
    def fingerprint(self) -> str:
        body = json.dumps(attrs.asdict(self), sort_keys=True, ensure_ascii=False)
        return hashlib.sha256(body.encode()).hexdigest()[:32]


@attrs.frozen
class ErpCustomer:
    """A customer of one side; ``reference`` is the bridge's own mark on it, if any (an ERP
    customer the bridge made from Auvo: ``auvo-customer:<id>``; an Auvo customer: its
    ``externalId``)."""

    id: str
    data: CustomerData
    reference: str = ""


@attrs.frozen
class AuvoCustomer:
    """An Auvo customer: its data, the ``externalId`` (the bridge's mark on a customer it made
    from an ERP customer) and when Auvo last changed it."""

    id: int
    data: CustomerData
    external_id: str = ""
    changed_at: datetime | None = None


# -- what Auvo sells ---------------------------------------------------------------------


@attrs.frozen
class AuvoLine:
    """A product or service line of a task or quotation, with Auvo's ids."""

    kind: str  # "product" | "service"
    auvo_id: str
    name: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = ZERO


@attrs.frozen
class AuvoTask:
    """A task as the bridge bills it: its lines and additional costs (``extra``)."""

    id: int | None
    customer_id: int | None
    task_type_id: int | None
    date: datetime | None
    lines: tuple[AuvoLine, ...] = ()
    extra: Decimal = ZERO


@attrs.frozen
class AuvoQuotation:
    """A quotation as the bridge bills it; ``date`` is when it was requested (or registered)."""

    id: int | None
    task_id: int | None
    customer_id: int | None
    date: datetime | None
    lines: tuple[AuvoLine, ...] = ()
    extra: Decimal = ZERO
    discount: Decimal = ZERO


@attrs.frozen
class AuvoProduct:
    """An Auvo product: a task names it by its GUID (``guid``), its number or its code."""

    guid: str | None
    number: str | None
    code: str | None = None
    external_id: str = ""
    name: str = ""

    @property
    def keys(self) -> tuple[str, ...]:
        """Every id a task may name it by."""
        return tuple(key for key in (self.guid, self.number, self.code) if key)

    @property
    def key(self) -> str:
        """The id the bridge links it by: its GUID, else its number."""
        return str(self.guid or self.number)


@attrs.frozen
class AuvoService:
    id: str
    title: str


# -- what the ERP sells, and the sales the bridge makes ------------------------------------


@attrs.frozen
class ErpItem:
    """A product or a service the ERP sells."""

    id: str
    kind: str  # "product" | "service"
    name: str
    code: str = ""
    price: Decimal = ZERO
    active: bool = True

    @property
    def fingerprint(self) -> str:
        body = f"{self.kind}|{self.name}|{self.code}|{self.price}|{self.active}"
        return hashlib.sha256(body.encode()).hexdigest()[:32]


@attrs.frozen
class FinancialAccount:
    id: str
    name: str


@attrs.frozen
class SaleLine:
    kind: str  # "product" | "service"
    erp_item_id: str
    description: str
    quantity: Decimal
    unit_price: Decimal
    discount: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return cents(self.quantity * self.unit_price) - self.discount


@attrs.frozen
class SaleDraft:
    """What Auvo sold (a task or a quotation), mapped to ERP ids, before the ERP's rules
    split it into one or more sales."""

    reference: str  # "task:104", "quotation:7"
    customer_erp_id: str
    sale_date: date
    lines: tuple[SaleLine, ...]
    extra: Decimal = ZERO  # additional costs
    discount: Decimal = ZERO
    terms: PaymentTerms = attrs.field(factory=lambda: PaymentTerms((0,)))
    account_id: str | None = None
    notes: str = ""


@attrs.frozen
class PlannedSale:
    """One sale the ERP will hold, with the stable reference the bridge finds it by."""

    reference: str
    draft: SaleDraft
    lines: tuple[SaleLine, ...]
    extra: Decimal
    discount: Decimal

    @property
    def total(self) -> Decimal:
        return sum((line.total for line in self.lines), ZERO) + self.extra - self.discount

    def payments(self) -> list[tuple[date, Decimal]]:
        return self.draft.terms.schedule(self.total, self.draft.sale_date)
