"""The ERP port: what the bridge needs from an ERP, in the bridge's own vocabulary.

A third ERP is one more class with these methods; the streams never see a vendor model.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any, ClassVar, Generic, Protocol, TypeVar

import attrs

from sdkcore.paging import OnInvalid

from .terms import PaymentTerms, cents

__all__ = [
    "AmbiguousMatch",
    "CallCounter",
    "CustomerData",
    "ErpAdapter",
    "ErpCustomer",
    "ErpItem",
    "ErpPort",
    "FinancialAccount",
    "ItemNotSellable",
    "PlannedSale",
    "SaleDraft",
    "SaleIndex",
    "SaleLine",
    "digits",
]


ClientT = TypeVar("ClientT")
T = TypeVar("T")


def digits(text: str | None) -> str:
    """CPF/CNPJ as digits only."""
    return "".join(ch for ch in text or "" if ch.isdigit())


class CallCounter(Counter[str]):
    """API calls made, per service."""

    def hit(self, service: str, calls: int = 1) -> None:
        self[service] += calls


class ItemNotSellable(ValueError):
    """A sale line names an item the ERP does not have, or has inactive."""


class AmbiguousMatch(ValueError):
    """The search for a record's counterpart found more than one candidate, or one already
    linked to another record: the bridge neither links nor creates (either could join two
    customers, or bill one's sale to the other). A person decides; the record fails with
    this reason on every attempt until then."""


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


class CustomerIndex:
    """A side's customers by the bridge's reference, id, CPF/CNPJ (digits) and e-mail, read
    once when first searched.

    Every adapter, and Auvo, links before it creates through this one lookup; after a create
    whose outcome is unknown the index is forgotten, so the next search reads again.
    """

    def __init__(self, load: Callable[[], Iterable[ErpCustomer]], label: str = "customers") -> None:
        self._load = load
        self._label = label
        self._by_key: dict[str, list[ErpCustomer]] | None = None

    def find(
        self, document: str, email: str, reference: str = "", ident: str = ""
    ) -> ErpCustomer | None:
        """The customer carrying the bridge's ``reference``, else the one with id ``ident``
        (a record the bridge made from it says so), else the one with this CPF/CNPJ, else
        the one with this e-mail and no other CPF/CNPJ; ``None`` when none matches.

        Raises ``AmbiguousMatch`` when the first key that matches matches more than one."""
        if self._by_key is None:
            # Kept only once the read is complete: a read that failed half-way must not
            # answer the next search with "not there" (and make a second customer).
            loaded: dict[str, list[ErpCustomer]] = {}
            for customer in self._load():
                _put(loaded, customer)
            self._by_key = loaded
        email = email.strip().lower()
        keys = (
            ("ref:" + reference, f"the reference {reference!r}") if reference else None,
            ("id:" + ident, f"the id {ident}") if ident else None,
            ("doc:" + document, f"the CPF/CNPJ {document}") if document else None,
            ("email:" + email, f"the e-mail {email}") if email else None,
        )
        for key, what in filter(None, keys):
            found = self._by_key.get(key, [])
            if key.startswith("email:") and document:
                # Different CPF/CNPJs are different customers, whatever e-mail they share.
                found = [c for c in found if c.data.document in ("", document)]
            if len(found) > 1:
                ids = ", ".join(c.id for c in found)
                raise AmbiguousMatch(
                    f"{len(found)} {self._label} have {what} ({ids}); a person must merge "
                    "them or tell them apart"
                )
            if found:
                return found[0]
        return None

    def add(self, customer: ErpCustomer) -> None:
        if self._by_key is not None:
            _put(self._by_key, customer)

    def forget(self) -> None:
        self._by_key = None


def _put(index: dict[str, list[ErpCustomer]], customer: ErpCustomer) -> None:
    """File ``customer`` under each key a ``CustomerIndex`` finds it by."""
    keys = ["id:" + customer.id]
    if customer.reference:
        keys.append("ref:" + customer.reference)
    if customer.data.document:
        keys.append("doc:" + customer.data.document)
    if customer.data.email:
        keys.append("email:" + customer.data.email.strip().lower())
    for key in keys:
        index.setdefault(key, []).append(customer)


class SaleIndex:
    """The ERP's sales by the bridge's reference, read in bulk the first time a pass looks
    for one, so the write protocol searches the ERP before every create (a lost or new store
    never duplicates a sale) without a call per sale.

    The bulk read covers sales dated on or after ``since``; an older sale, or one whose
    create failed with an unknown outcome, is searched for on its own.
    """

    def __init__(self, erp: ErpPort, since: date) -> None:
        self._erp = erp
        self.since = since
        self._ids: dict[str, str] | None = None
        self._unsure: set[str] = set()

    def find(self, sale: PlannedSale) -> str | None:
        if sale.draft.sale_date < self.since or sale.reference in self._unsure:
            found = self._erp.find_sale(sale)
            if found is not None:
                self._unsure.discard(sale.reference)
            return found
        if self._ids is None:
            self._ids = dict(self._erp.sales_since(self.since))
        return self._ids.get(sale.reference)

    def create(self, sale: PlannedSale) -> str:
        try:
            created = self._erp.create_sale(sale)
        except BaseException:
            self._unsure.add(sale.reference)  # it may have landed: search it next time
            raise
        if self._ids is not None:
            self._ids[sale.reference] = created
        return created


@attrs.frozen
class ErpItem:
    """A product or a service the ERP sells."""

    id: str
    kind: str  # "product" | "service"
    name: str
    code: str = ""
    price: Decimal = Decimal("0")
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
    discount: Decimal = Decimal("0")

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
    extra: Decimal = Decimal("0")  # additional costs
    discount: Decimal = Decimal("0")
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
        return sum((line.total for line in self.lines), Decimal("0")) + self.extra - self.discount

    def payments(self) -> list[tuple[date, Decimal]]:
        return self.draft.terms.schedule(self.total, self.draft.sale_date)


class CountedClient(Generic[ClientT]):
    """A ready client whose calls this pass counts under ``name`` (the report's API calls)."""

    name: ClassVar[str]
    title: ClassVar[str]
    """The system's name as people write it."""
    credentials_fix: ClassVar[str]
    """What to do when the system refuses the credentials; ``{settings}`` is the settings
    file (``bridge.CredentialsRejected``)."""

    def __init__(self, client: ClientT, calls: CallCounter | None = None) -> None:
        self.client = client
        self.calls = calls if calls is not None else CallCounter()

    def records(self, pager: Any, on_invalid: OnInvalid | None = None) -> Iterator[Any]:
        """The records of a lazy pager, counting one call per page.

        A record that does not fit its model raises after the page's other records, unless
        ``on_invalid`` takes it: a search must never take a misfit for "not there".
        """
        for page in pager.pages():
            self.calls.hit(self.name)
            yield from page
            page.check(on_invalid)

    def counted(self, result: T) -> T:
        """``result`` of one call, counted."""
        self.calls.hit(self.name)
        return result


class ErpAdapter(CountedClient[ClientT]):
    """What every adapter shares, so each one only reads and writes its own ERP: the call
    counter, the customer index (link before create), the catalog read once per pass, and
    the change check through the customer list's modified-since filter.

    A subclass sets ``name`` (also its key in the call counter) and implements
    ``customers``, ``customer``, ``_create_customer`` and ``_read_items``, plus the rest of
    ``ErpPort``.
    """

    account_label: ClassVar[str] = "financial account"

    def __init__(self, client: ClientT, calls: CallCounter | None = None) -> None:
        super().__init__(client, calls)
        self._index = CustomerIndex(self.customers, f"{self.name} customers")
        self._items: dict[tuple[str, str], ErpItem] | None = None

    # -- customers

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]:
        raise NotImplementedError

    def customer(self, erp_id: str) -> ErpCustomer | None:
        raise NotImplementedError

    def _create_customer(self, data: CustomerData, reference: str) -> str:
        """Create the customer, carrying ``reference`` (when not empty) in a field the
        ERP's customer search looks at."""
        raise NotImplementedError

    def find_customer(
        self, document: str, email: str, reference: str = "", ident: str = ""
    ) -> ErpCustomer | None:
        return self._index.find(document, email, reference, ident)

    def create_customer(self, data: CustomerData, reference: str = "") -> str:
        # Only a customer with neither CPF/CNPJ nor e-mail needs the bridge's reference to be
        # found again; the others keep their records as the people using the ERP fill them.
        mark = "" if data.document or data.email else reference
        try:
            created = self._create_customer(data, mark)
        except BaseException:
            self._index.forget()  # the create may have landed: the next search reads again
            raise
        self._index.add(ErpCustomer(created, data, mark))
        return created

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        return any(c.id == erp_id for c in self.customers(modified_since=moment))

    # -- catalog

    def _read_items(self) -> Iterable[ErpItem]:
        raise NotImplementedError

    def _catalog(self) -> dict[tuple[str, str], ErpItem]:
        if self._items is None:  # kept only once complete: a failed read is read again
            self._items = {(item.kind, item.id): item for item in self._read_items()}
        return self._items

    def products(self) -> Iterator[ErpItem]:
        return iter([i for i in self._catalog().values() if i.kind == "product"])

    def services(self) -> Iterator[ErpItem]:
        return iter([i for i in self._catalog().values() if i.kind == "service"])

    def item(self, kind: str, erp_id: str) -> ErpItem | None:
        return self._catalog().get((kind, erp_id))


class ErpPort(Protocol):
    """An ERP as the bridge uses it. Ids are strings whatever the ERP uses."""

    @property
    def name(self) -> str:
        """The ERP's name in reports, references and the call counter."""

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]: ...

    def customer(self, erp_id: str) -> ErpCustomer | None:
        """One customer by id; ``None`` when the ERP has no such customer (any more)."""

    def find_customer(
        self, document: str, email: str, reference: str = "", ident: str = ""
    ) -> ErpCustomer | None:
        """By the bridge's ``reference``, then by ``ident``, then by CPF/CNPJ (digits), then
        by e-mail; ``None`` when none matches. Raises ``AmbiguousMatch`` when more than one
        customer matches."""

    def create_customer(self, data: CustomerData, reference: str = "") -> str:
        """Create the customer; one with neither CPF/CNPJ nor e-mail carries ``reference``
        where ``find_customer`` finds it."""

    def update_customer(self, erp_id: str, data: CustomerData) -> None: ...

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        """Whether the ERP changed this customer after ``moment``. Neither ERP sends a
        change time, but both filter their lists by one: the ERP answers, no guess."""

    def products(self) -> Iterator[ErpItem]: ...

    def services(self) -> Iterator[ErpItem]: ...

    def item(self, kind: str, erp_id: str) -> ErpItem | None: ...

    def financial_accounts(self) -> list[FinancialAccount]: ...

    def plan_sales(self, draft: SaleDraft) -> list[PlannedSale]:
        """The sales a draft becomes (Conta Azul: one per products and services)."""

    def find_sale(self, sale: PlannedSale) -> str | None:
        """The id of the sale carrying ``sale.reference``, if the ERP has one."""

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        """``(reference, id)`` of every sale the bridge made dated on or after ``day`` (it
        may yield more: a superset is fine)."""

    def create_sale(self, sale: PlannedSale) -> str: ...
