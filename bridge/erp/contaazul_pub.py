"""Conta Azul's documented API (``kind = "contaazul-pub"``, the ``contaazul`` package) as the
bridge's ERP: the adapter (one product sale and one service sale per Auvo sale), its
settings, its client, its fake, and its registry record ``KIND``.

A sale's stable reference travels in ``observations`` as ``[ponte:<reference>]``; the
brackets make the substring filter Conta Azul applies exact. A customer with neither
CPF/CNPJ nor e-mail carries the bridge's reference the same way in ``complement`` (the
address complement: the legacy customer API has no code or notes field, and filters on any
field it has).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from contaazul import ContaAzul, Customer, CustomerKind, Deal, DealItem, Payment, deal_total
from sdkcore import NotFoundError
from sdkcore.clock import Clock
from sdkcore.dates import SAO_PAULO
from sdkcore.errors import RequestValidationError
from sdkcore.transport import BaseTransport

from ..adapters import CallCounter
from ..domain import (
    ZERO,
    CustomerData,
    ErpCustomer,
    ErpItem,
    FinancialAccount,
    ItemNotSellable,
    PlannedSale,
    SaleDraft,
    digits,
)
from ..errors import ConfigError
from ..values import Secret, required_secret, secret_setting
from .port import (
    ErpAdapter,
    ErpClient,
    ErpKind,
    ErpSettings,
    FakeErpKind,
    client_of,
    default_pace,
    list_reads,
    settings_of,
)

if TYPE_CHECKING:
    from contaazul.testing import FakeContaAzul
    from sdkcore.auth import TokenStore

__all__ = ["KIND", "ContaAzulPubERP", "ContaAzulPubSettings", "marker"]

SALES_MARGIN = timedelta(days=30)


def marker(reference: str) -> str:
    return f"[ponte:{reference}]"


def _references(text: str) -> Iterator[str]:
    """The references of the markers in a sale's observations."""
    start = marker("")[:-1]
    at = text.find(start)
    while at >= 0:
        end = text.find("]", at)
        if end < 0:
            return
        yield text[at + len(start) : end]
        at = text.find(start, end)


def _customer(record: Customer) -> ErpCustomer:
    data = CustomerData(
        name=record.name or "",
        document=digits(record.document_number),
        email=(record.email or "").strip().lower(),
        address=record.address or "",
    )
    reference = next(_references(record.complement or ""), "")
    return ErpCustomer(str(record.id), data, reference)


class ContaAzulPubERP(ErpAdapter[ContaAzul]):
    """``ErpPort`` over a ready ``contaazul.ContaAzul`` client."""

    name = "contaazul-pub"
    title = "Conta Azul (documented API)"
    credentials_fix = "check erp.application_token and erp.company_token in {settings}"

    def __init__(self, client: ContaAzul, calls: CallCounter | None = None) -> None:
        super().__init__(client, calls)
        self._deal_type: int | None = None

    # -- customers ------------------------------------------------------------------------

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]:
        for record in self.records(self.client.customers.list(modified_since=modified_since)):
            if record.id is not None:
                yield _customer(record)

    def customer(self, erp_id: str) -> ErpCustomer | None:
        try:
            return _customer(self.counted(self.client.customers.get(int(erp_id))))
        except NotFoundError:
            return None

    def _model(self, data: CustomerData) -> Customer:
        kind = CustomerKind.ENTITY if len(data.document) == 14 else CustomerKind.INDIVIDUAL
        return Customer(
            name=data.name,
            email=data.email or None,
            document_number=data.document or None,
            address=data.address or None,
            kind=kind,
        )

    def _create_customer(self, data: CustomerData, reference: str) -> str:
        record = self._model(data)
        if reference:
            record = record.model_copy(update={"complement": marker(reference)})
        return str(self.counted(self.client.customers.create(record)).id)

    def update_customer(self, erp_id: str, data: CustomerData) -> None:
        current = self.counted(self.client.customers.get(int(erp_id)))
        changes = self._model(data).model_dump(exclude_none=True, exclude={"kind"})
        self.counted(self.client.customers.update(current.model_copy(update=changes)))

    # -- catalog --------------------------------------------------------------------------

    def _read_items(self) -> Iterator[ErpItem]:
        for p in self.records(self.client.products.list()):
            yield ErpItem(str(p.id), "product", p.name or "", p.code or "", p.rate or ZERO)
        for s in self.records(self.client.services.list()):
            yield ErpItem(str(s.id), "service", s.name or "", "", s.rate or ZERO)

    def financial_accounts(self) -> list[FinancialAccount]:
        accounts = self.counted(list(self.client.bank_accounts.list()))
        return [FinancialAccount(str(a.id), a.name or "") for a in accounts]

    # -- sales ----------------------------------------------------------------------------

    def plan_sales(self, draft: SaleDraft) -> list[PlannedSale]:
        products = tuple(line for line in draft.lines if line.kind == "product")
        services = tuple(line for line in draft.lines if line.kind == "service")
        if draft.extra and not services:
            raise ItemNotSellable(
                "additional costs need a service on Conta Azul (only service sales carry them)"
            )
        sales = []
        if products:
            sales.append(
                PlannedSale(draft.reference + ":products", draft, products, ZERO, draft.discount)
            )
        if services:
            discount = ZERO if products else draft.discount
            sales.append(
                PlannedSale(draft.reference + ":services", draft, services, draft.extra, discount)
            )
        return sales

    def find_sale(self, sale: PlannedSale, reserved: str | None = None) -> str | None:
        tag = marker(sale.reference)
        resource = (
            self.client.product_sales
            if sale.reference.endswith(":products")
            else self.client.service_sales
        )
        for deal in self.records(resource.list(observations=tag)):
            if tag in (deal.observations or ""):
                return str(deal.id)
        return None

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        # Conta Azul lists every match in one answer and filters by change time, not by the
        # deal's date: ask for the bridge's sales (its marker's prefix), id and observations
        # only, changed since a month before ``day`` (a sale is made after its task's date,
        # bar a task finished over a month early), so the answer stays a few months' worth.
        prefix = marker("")[:-1]
        changed_since = datetime.combine(day, time(), SAO_PAULO) - SALES_MARGIN
        for resource, part in (
            (self.client.product_sales, ":products"),
            (self.client.service_sales, ":services"),
        ):
            deals = resource.list(
                observations=prefix, fields=["id", "observations"], modified_since=changed_since
            )
            for deal in self.records(deals):
                for reference in _references(deal.observations or ""):
                    if reference.endswith(part) and deal.id is not None:
                        yield reference, str(deal.id)

    def _sale_type(self) -> int:
        if self._deal_type is None:
            types = self.counted(list(self.client.deal_types.list()))
            sale = [t for t in types if str(t.operation) in ("S", "DealOperation.S")]
            named = [t for t in sale if (t.description or "").lower() == "venda"]
            chosen = (named or sale)[0] if (named or sale) else None
            if chosen is None or chosen.id is None:
                raise ItemNotSellable("Conta Azul has no deal type for sales (operation S)")
            self._deal_type = chosen.id
        return self._deal_type

    def create_sale(self, sale: PlannedSale, reserved: str | None = None) -> str:
        discount = sale.discount + sum((line.discount for line in sale.lines), ZERO)
        items = []
        for line in sale.lines:
            item = self.item(line.kind, line.erp_item_id)
            if item is None or not item.active:
                raise ItemNotSellable(f"{line.kind} {line.erp_item_id} is not in Conta Azul")
            items.append(
                DealItem(
                    item_id=int(line.erp_item_id), quantity=line.quantity, rate=line.unit_price
                )
            )
        draft = sale.draft
        deal = Deal(
            contact_id=int(draft.customer_erp_id),
            deal_type_id=self._sale_type(),
            deal_date=draft.sale_date,
            bank_account_id=int(draft.account_id) if draft.account_id else None,
            items=items,
            discount=discount or None,
            extra_payment=sale.extra or None,
            observations=f"{draft.notes} {marker(sale.reference)}".strip(),
        )
        total = deal_total(deal)
        # Installments split the total Conta Azul computes (it rounds the sum of the items,
        # not each item), so they add up to its cent even when line totals round apart.
        schedule = draft.terms.schedule(total, draft.sale_date)
        payments = [Payment(payment_date=day, value=value) for day, value in schedule]
        if sum((p.value or ZERO for p in payments), ZERO) != total:
            raise ItemNotSellable(f"payments do not add up to the deal total {total}")
        deal = deal.model_copy(update={"payments": payments})
        resource = (
            self.client.product_sales
            if sale.reference.endswith(":products")
            else self.client.service_sales
        )
        return str(self.counted(resource.create(deal)).id)


# -- settings and client ----------------------------------------------------------------

# The header each setting travels in, as a refused header names it.
_HEADERS = {
    "ExternalApplicationToken": "erp.application_token",
    "CompanyToken": "erp.company_token",
}


def _application_token(value: object) -> Secret | None:
    return secret_setting("erp.application_token")(value)


def _company_token(value: object) -> Secret | None:
    return secret_setting("erp.company_token")(value)


@attrs.frozen
class ContaAzulPubSettings(ErpSettings):
    """``[erp]`` for Conta Azul's documented API: the application's and the company's
    tokens."""

    application_token: Secret | None = attrs.field(default=None, converter=_application_token)
    company_token: Secret | None = attrs.field(default=None, converter=_company_token)


def _own_settings(settings: ErpSettings) -> ContaAzulPubSettings:
    return settings_of(ContaAzulPubSettings, ContaAzulPubERP.name, settings)


def _client(
    settings: ErpSettings, base_url: str | None = None, token_store: TokenStore | None = None
) -> ContaAzul:
    # token_store goes unused: the settings hold the tokens themselves, and they never rotate.
    own = _own_settings(settings)
    try:
        return ContaAzul(
            required_secret(own.application_token, "erp.application_token"),
            required_secret(own.company_token, "erp.company_token"),
            base_url=base_url,
        )
    except RequestValidationError as exc:  # a token no HTTP header can carry
        setting = _HEADERS.get(exc.field)
        if setting is None:
            raise
        raise ConfigError(setting, exc.reason) from None


def _own_client(client: ErpClient) -> ContaAzul:
    return client_of(ContaAzul, ContaAzulPubERP.name, client)


def _adapter(client: ErpClient, calls: CallCounter) -> ContaAzulPubERP:
    return ContaAzulPubERP(_own_client(client), calls)


# -- the fake ---------------------------------------------------------------------------


@attrs.frozen
class _Fake:
    """``contaazul.testing.FakeContaAzul`` as ``FakeErp``."""

    api: FakeContaAzul

    def client(self, **options: Any) -> ContaAzul:
        return self.api.client(**options)

    def sales(self) -> Counter[str]:
        found: Counter[str] = Counter()
        for root in ("product_sale", "service_sale"):
            for deal in self.api.records(root):
                marks = _references(getattr(deal, "observations", None) or "")
                found.update(list(marks) or [""])
        return found

    def minimum_reads(self) -> int:
        lists = ("customer", "product", "task")  # Conta Azul's services are its "tasks"
        reads = sum(list_reads(len(self.api.records(root))) for root in lists)
        # bank accounts and deal types; the product and service sales already made, read
        # once so every create is searched first
        return reads + 2 + 2

    def credentials(self) -> dict[str, str]:
        return {
            "application_token": self.api.application_token,
            "company_token": self.api.company_token,
        }


def _make_fake(clock: Clock | None, rate_limited: bool) -> _Fake:
    from contaazul.testing import FakeContaAzul

    return _Fake(FakeContaAzul(clock=clock))  # it models no rate limit


def _remote_client(
    credentials: Mapping[str, str], transport: BaseTransport, **options: Any
) -> ContaAzul:
    return ContaAzul(
        credentials["application_token"],
        credentials["company_token"],
        transport=transport,
        base_url="https://api.contaazul.com.br",  # where the fake's clients point
        **options,
    )


def _seed_demo(client: ErpClient) -> None:
    from contaazul import Product, Task

    own = _own_client(client)
    for name, price in (("Filtro de ar", "45.90"), ("Gás R-410A", "120.00")):
        own.products.create(Product(name=name, rate=Decimal(price)))
    for name, price in (("Mão de obra", "150.00"), ("Deslocamento", "35.50")):
        own.services.create(Task(name=name, rate=Decimal(price)))
    own.customers.create(
        Customer(name="Clínica Boa Saúde Ltda", document_number="98.765.432/0001-98")
    )
    own.customers.create(
        Customer(name="Oficina do Zé", email="ze@oficina.example", document_number="11222333000181")
    )


KIND = ErpKind(
    name=ContaAzulPubERP.name,
    title=ContaAzulPubERP.title,
    settings=ContaAzulPubSettings,
    client=_client,
    adapter=_adapter,
    fake=FakeErpKind(
        make=_make_fake,
        seed_demo=_seed_demo,
        remote_client=_remote_client,
        rate_limit=default_pace(ContaAzul),
        demo_settings={"financial_account": "Caixinha"},
    ),
    customer_fields=("name", "document", "email", "address"),
    account_required=True,
    account_label=ContaAzulPubERP.account_label,
)
