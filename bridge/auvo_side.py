"""Auvo as the bridge uses it: the few reads and writes the streams need, counted."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

from auvo import Auvo, Customer, Product, Quotation, Service, Task, TaskStatusFilter
from sdkcore.paging import OnInvalid

from .ports import CallCounter, CountedClient, CustomerData, CustomerIndex, ErpCustomer, digits

__all__ = ["STATUS_FILTERS", "AuvoSide", "customer_data"]

STATUS_FILTERS = {
    "all": TaskStatusFilter.ALL,
    "not_finished": TaskStatusFilter.NOT_FINISHED,
    "finished_automatically": TaskStatusFilter.FINISHED_AUTOMATICALLY,
    "finished_manually": TaskStatusFilter.FINISHED_MANUALLY,
    "finished_automatically_or_manually": TaskStatusFilter.FINISHED,
}


def _first(value: list[str] | str | None) -> str:
    if isinstance(value, list):
        return value[0] if value else ""
    return value or ""


def customer_data(record: Customer) -> CustomerData:
    return CustomerData(
        name=record.name or "",
        document=digits(record.cpf_cnpj),
        email=_first(record.emails).strip().lower(),
        phone=digits(_first(record.phone_numbers)),
        address=record.address or "",
    )


class AuvoSide(CountedClient[Auvo]):
    """A ready ``auvo.Auvo`` client, with the run's caches and call counts."""

    name = "auvo"
    title = "Auvo"
    credentials_fix = "check auvo.api_key and auvo.api_token in {settings}"

    def __init__(self, client: Auvo, calls: CallCounter | None = None) -> None:
        super().__init__(client, calls)
        self._customers: dict[int, Customer] = {}
        self._index = CustomerIndex(self._indexed, "Auvo customers")
        self._products: dict[str, Product] | None = None
        self._services: dict[str, Service] | None = None

    def _indexed(self) -> Iterator[ErpCustomer]:
        for record in self.customers():
            yield ErpCustomer(str(record.id), customer_data(record), record.external_id or "")

    # -- customers ------------------------------------------------------------------------

    def customers(
        self, modified_since: datetime | None = None, on_invalid: OnInvalid | None = None
    ) -> Iterator[Customer]:
        pager = self.client.customers.list(modified_since=modified_since)
        for record in self.records(pager, on_invalid):
            if record.id is not None:
                self._customers[record.id] = record
                yield record

    def customer(self, ident: int) -> Customer:
        if ident not in self._customers:
            self._customers[ident] = self.counted(self.client.customers.get(ident))
        return self._customers[ident]

    def find_customer(
        self, document: str, email: str, external_id: str = "", ident: str = ""
    ) -> int | None:
        """By ``externalId``, then by id, then by CPF/CNPJ (digits), then by e-mail, as the
        ERP adapters look; raises ``AmbiguousMatch`` when more than one matches."""
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
        try:
            created = self.counted(self.client.customers.create(record))
        except BaseException:
            self._index.forget()  # the create may have landed: the next search reads again
            raise
        assert created.id is not None
        self._customers[created.id] = created
        self._index.add(ErpCustomer(str(created.id), data, external_id))
        return created.id

    def update_customer(self, ident: int, data: CustomerData) -> CustomerData:
        """Write ``data``'s fields to the customer; returns what Auvo holds afterwards."""
        changes: dict[str, Any] = {"name": data.name}
        if data.document:
            changes["cpf_cnpj"] = data.document
        if data.email:
            changes["emails"] = [data.email]
        if data.address:
            changes["address"] = data.address
        updated = self.counted(self.client.customers.patch(ident, changes))
        if updated.id is not None:
            self._customers[updated.id] = updated
        return customer_data(updated)

    # -- reference data -------------------------------------------------------------------

    def task_types(self) -> list[tuple[str, int]]:
        """``(name, id)`` of every task type; a name may repeat."""
        types = self.records(self.client.task_types.list())
        return [(t.description or "", t.id) for t in types if t.id is not None]

    def customer_groups(self) -> list[tuple[str, int]]:
        """``(name, id)`` of every customer group."""
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
        status: TaskStatusFilter,
        modified_since: datetime | None,
        group_id: int | None,
        on_invalid: OnInvalid | None = None,
    ) -> Iterator[Task]:
        pager = self.client.tasks.list(
            start=start,
            end=end,
            status=status,
            modified_since=modified_since,
            customer_group_id=group_id,
        )
        yield from self.records(pager, on_invalid)

    def task(self, ident: int) -> Task:
        return self.counted(self.client.tasks.get(ident))

    def quotation(self, ident: int) -> Quotation:
        return self.counted(self.client.quotations.get(ident))

    def quotations(
        self, stage: str, requested_from: datetime, on_invalid: OnInvalid | None = None
    ) -> Iterator[Quotation]:
        # The stage is also checked here: a quotation's stage is an object, and an API that
        # ignored the filter must not get a quotation billed at the wrong stage.
        pager = self.client.quotations.list(requested_from=requested_from, stage=stage)
        for quotation in self.records(pager, on_invalid):
            current = quotation.current_stage
            if current is None or (current.description or "") == stage:
                yield quotation

    # -- catalog --------------------------------------------------------------------------

    def products(self) -> dict[str, Product]:
        """Every product, by its GUID and by its number (tasks use either)."""
        if self._products is None:
            found: dict[str, Product] = {}  # cached only once complete: a failed read retries
            for product in self.records(self.client.products.list()):
                for key in (product.product_id, product.id, product.code):
                    if key not in (None, ""):
                        found[str(key)] = product
            self._products = found
        return self._products

    def services(self) -> dict[str, Service]:
        if self._services is None:
            self._services = {
                s.id: s for s in self.records(self.client.services.list()) if s.id is not None
            }
        return self._services

    def create_product(self, record: Product) -> Product:
        return self.counted(self.client.products.create(record))

    def patch_product(self, ident: str, changes: dict[str, Any]) -> None:
        self.counted(self.client.products.patch(ident, changes))

    def create_service(self, record: Service) -> Service:
        try:
            created = self.counted(self.client.services.create(record))
        except BaseException:
            self._services = None  # the create may have landed: the next search reads again
            raise
        if self._services is not None and created.id is not None:
            self._services[created.id] = created
        return created

    def patch_service(self, ident: str, changes: dict[str, Any]) -> None:
        self.counted(self.client.services.patch(ident, changes))
