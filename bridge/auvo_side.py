"""The Auvo adapter: ``AuvoPort`` over a ready ``auvo.Auvo`` client, with the run's caches
and call counts. Auvo's models stop here; the streams see the bridge's own values."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal

from auvo import Auvo, Customer, Product, Quotation, Service, Task, TaskStatusFilter
from sdkcore.paging import OnInvalid

from .adapters import CallCounter, CountedClient, CustomerIndex
from .automation_surface import AutomationIO, AutomationSurface, Statuses, Writes
from .domain import (
    ZERO,
    AuvoCustomer,
    AuvoLine,
    AuvoProduct,
    AuvoQuotation,
    AuvoService,
    AuvoTask,
    CustomerData,
    ErpCustomer,
    digits,
)
from .terms import cents

__all__ = ["AUTOMATIONS", "STATUS_FILTERS", "AuvoSide"]

STATUS_FILTERS = {
    "all": TaskStatusFilter.ALL,
    "not_finished": TaskStatusFilter.NOT_FINISHED,
    "finished_automatically": TaskStatusFilter.FINISHED_AUTOMATICALLY,
    "finished_manually": TaskStatusFilter.FINISHED_MANUALLY,
    "finished_automatically_or_manually": TaskStatusFilter.FINISHED,
}
"""``tasks.status`` -> Auvo's filter."""


def _automation_io(side: AuvoSide) -> AutomationIO:
    from .auvo_automations import AuvoAutomations  # loaded with the first automation

    return AuvoAutomations(side, AUTOMATIONS)


AUTOMATIONS = AutomationSurface(
    records={"customer": Customer, "task": Task, "quotation": Quotation},
    actions={
        "create_customer": Writes("customer", Customer),
        "update_customer": Writes("customer", Customer),
        "create_task": Writes("task", Task),
        "set_status": None,
    },
    customers={"customer": "id", "task": "customerId", "quotation": "customerId"},
    reserved_fields={
        "create_customer": frozenset({"id", "externalId"}),
        "create_task": frozenset({"taskID", "externalId"}),
    },
    statuses={"customer": Statuses(("active", "inactive"), flags=True)},
    lookups={"product": Product, "service": Service},
    io=_automation_io,
)
"""What automations watch and do in Auvo (``bridge.automations``): customers, tasks and
quotations; Auvo reads and writes one model per record (``bridge.auvo_automations``). A
create keeps the automation's reference in ``externalId``, which the lists filter by.
``set_status`` sets a customer's ``active`` flag: a task's status follows its check-in and
check-out in the app, and quotations are read-only in the API."""

ONE = Decimal("1")


def _first(value: list[str] | str | None) -> str:
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def _customer_data(record: Customer) -> CustomerData:
    return CustomerData(
        name=record.name or "",
        document=digits(record.cpf_cnpj),
        email=_first(record.emails).strip().lower(),
        phone=digits(_first(record.phone_numbers)),
        address=record.address or "",
    )


def _customer(record: Customer, ident: int) -> AuvoCustomer:
    return AuvoCustomer(
        ident, _customer_data(record), record.external_id or "", record.date_last_update
    )


def _discount(line_total: Decimal, value: Decimal | None, kind: str | None) -> Decimal:
    if not value:
        return ZERO
    if "percent" in (kind or "").lower():
        return cents(line_total * value / 100)
    return value


def _task(task: Task) -> AuvoTask:
    """The task's products and services as lines, and its additional costs."""
    lines = []
    for p in task.products or []:
        quantity = p.quantity if p.quantity is not None else ONE
        price = p.unitary_value or ZERO
        d = p.discount
        discount = _discount(quantity * price, d.value if d else None, d.type if d else None)
        lines.append(
            AuvoLine("product", str(p.product_id), p.name or "", quantity, price, discount)
        )
    for s in task.services or []:
        quantity = s.quantity if s.quantity is not None else ONE
        price = s.unitary_value or ZERO
        d = s.discount
        discount = _discount(quantity * price, d.value if d else None, d.type if d else None)
        lines.append(AuvoLine("service", str(s.id), s.name or "", quantity, price, discount))
    extra = sum((c.unitary_value or ZERO for c in task.additional_costs or []), ZERO)
    return AuvoTask(
        task.id, task.customer_id, task.task_type_id, task.task_date, tuple(lines), extra
    )


def _quotation(quotation: Quotation) -> AuvoQuotation:
    lines = []
    for p in quotation.products or []:
        quantity = p.amount if p.amount is not None else ONE
        lines.append(AuvoLine("product", str(p.product_id), "", quantity, p.unitary_value or ZERO))
    for s in quotation.services or []:
        quantity = s.amount if s.amount is not None else ONE
        lines.append(AuvoLine("service", str(s.service_id), "", quantity, s.unitary_value or ZERO))
    extra = sum((c.value or ZERO for c in quotation.additional_costs or []), ZERO)
    return AuvoQuotation(
        quotation.id,
        quotation.task_id,
        quotation.customer_id,
        quotation.request_date or quotation.register_date,
        tuple(lines),
        extra,
        quotation.discount or ZERO,
    )


def _product(record: Product) -> AuvoProduct:
    return AuvoProduct(
        record.product_id,
        None if record.id in (None, "") else str(record.id),
        record.code,
        record.external_id or "",
        record.name or "",
    )


class AuvoSide(CountedClient[Auvo]):
    """``AuvoPort`` over a ready ``auvo.Auvo`` client."""

    name = "auvo"
    title = "Auvo"
    credentials_fix = "check auvo.api_key and auvo.api_token in {settings}"

    def __init__(self, client: Auvo, calls: CallCounter | None = None) -> None:
        super().__init__(client, calls)
        self._customers: dict[int, AuvoCustomer] = {}
        self._index = CustomerIndex(self._indexed, "Auvo customers")
        self._products: dict[str, AuvoProduct] | None = None
        self._services: dict[str, AuvoService] | None = None

    def _indexed(self) -> Iterator[ErpCustomer]:
        for customer in self.customers():
            yield ErpCustomer(str(customer.id), customer.data, customer.external_id)

    def _keep(self, record: Customer) -> AuvoCustomer | None:
        if record.id is None:
            return None
        self._customers[record.id] = _customer(record, record.id)
        return self._customers[record.id]

    # -- customers ------------------------------------------------------------------------

    def customers(
        self, modified_since: datetime | None = None, on_invalid: OnInvalid | None = None
    ) -> Iterator[AuvoCustomer]:
        pager = self.client.customers.list(modified_since=modified_since)
        for record in self.records(pager, on_invalid):
            kept = self._keep(record)
            if kept is not None:
                yield kept

    def customer(self, ident: int) -> AuvoCustomer:
        if ident not in self._customers:
            record = self.counted(self.client.customers.get(ident))
            self._customers[ident] = _customer(record, ident)
        return self._customers[ident]

    def find_customer(
        self, document: str, email: str, external_id: str = "", ident: str = ""
    ) -> int | None:
        found = self._index.find(document, email, external_id, ident)
        return int(found.id) if found is not None else None

    def create_customer(self, data: CustomerData, external_id: str) -> int:
        record = Customer(
            name=data.name,
            external_id=external_id,
            cpf_cnpj=data.document or None,
            emails=[data.email] if data.email else None,
            phone_numbers=[data.phone] if data.phone else None,
            address=data.address or None,
        )

        def create() -> str:
            created = self.counted(self.client.customers.create(record))
            assert created.id is not None
            self._keep(created)
            return str(created.id)

        return int(self._index.create(data, external_id, create))

    def update_customer(self, ident: int, data: CustomerData) -> CustomerData:
        changes: dict[str, object] = {"name": data.name}
        if data.document:
            changes["cpf_cnpj"] = data.document
        if data.email:
            changes["emails"] = [data.email]
        if data.address:
            changes["address"] = data.address
        updated = self.counted(self.client.customers.patch(ident, changes))
        self._keep(updated)
        return _customer_data(updated)

    def forget_customers(self) -> None:
        self._index.forget()
        self._customers.clear()

    # -- reference data -------------------------------------------------------------------

    def task_types(self) -> list[tuple[str, int]]:
        types = self.records(self.client.task_types.list())
        return [(t.description or "", t.id) for t in types if t.id is not None]

    def customer_groups(self) -> list[tuple[str, int]]:
        groups = self.counted(list(self.client.customer_groups.list()))
        return [(g.description or "", g.id) for g in groups if g.id is not None]

    def quotation_stages(self) -> Iterator[str]:
        """The stage of each quotation, newest first, read page by page: Auvo has no list
        of stages. A quotation that does not fit its model is passed over (the quotations
        stream reports it)."""
        pager = self.client.quotations.list(order="desc")
        for quotation in self.records(pager, on_invalid=lambda error: None):
            stage = quotation.current_stage
            if stage is not None and stage.description:
                yield stage.description

    # -- tasks and quotations -------------------------------------------------------------

    def tasks(
        self,
        start: date | datetime,
        end: date | datetime,
        status: str,
        modified_since: datetime | None,
        group_id: int | None,
        on_invalid: OnInvalid | None = None,
    ) -> Iterator[AuvoTask]:
        pager = self.client.tasks.list(
            start=start,
            end=end,
            status=STATUS_FILTERS[status],
            modified_since=modified_since,
            customer_group_id=group_id,
        )
        for task in self.records(pager, on_invalid):
            yield _task(task)

    def task(self, ident: int) -> AuvoTask:
        return _task(self.counted(self.client.tasks.get(ident)))

    def quotation(self, ident: int) -> AuvoQuotation:
        return _quotation(self.counted(self.client.quotations.get(ident)))

    def quotations(
        self, stage: str, requested_from: datetime, on_invalid: OnInvalid | None = None
    ) -> Iterator[AuvoQuotation]:
        # The stage is also checked here: a quotation's stage is an object, and an API that
        # ignored the filter must not get a quotation billed at the wrong stage.
        pager = self.client.quotations.list(requested_from=requested_from, stage=stage)
        for quotation in self.records(pager, on_invalid):
            current = quotation.current_stage
            if current is None or (current.description or "") == stage:
                yield _quotation(quotation)

    # -- catalog --------------------------------------------------------------------------

    def products(self) -> dict[str, AuvoProduct]:
        """Every product, by its GUID and by its number (tasks use either)."""
        if self._products is None:
            found: dict[str, AuvoProduct] = {}  # cached only once complete: a failed read retries
            for record in self.records(self.client.products.list()):
                product = _product(record)
                for key in product.keys:
                    found[key] = product
            self._products = found
        return self._products

    def services(self) -> dict[str, AuvoService]:
        if self._services is None:
            self._services = {
                s.id: AuvoService(s.id, s.title or "")
                for s in self.records(self.client.services.list())
                if s.id is not None
            }
        return self._services

    def create_product(self, external_id: str, name: str, price: Decimal, active: bool) -> str:
        record = Product(external_id=external_id, name=name, unitary_value=price, active=active)
        return _product(self.counted(self.client.products.create(record))).key

    def update_product(self, number: str, name: str, price: Decimal, active: bool) -> None:
        changes = {"name": name, "unitary_value": price, "active": active}
        self.counted(self.client.products.patch(number, changes))

    def create_service(self, title: str, price: Decimal, active: bool) -> str:
        try:
            created = self.counted(
                self.client.services.create(Service(title=title, price=price, active=active))
            )
        except BaseException:
            self._services = None  # the create may have landed: the next search reads again
            raise
        assert created.id is not None
        if self._services is not None:
            self._services[created.id] = AuvoService(created.id, created.title or "")
        return created.id

    def update_service(self, ident: str, title: str, price: Decimal, active: bool) -> None:
        changes = {"title": title, "price": price, "active": active}
        self.counted(self.client.services.patch(ident, changes))
