"""The Auvo port: what the streams need from Auvo, in the bridge's own values
(``bridge.domain``). ``bridge.auvo_side.AuvoSide`` is its adapter over ``auvo.Auvo``."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from sdkcore.paging import OnInvalid

from .domain import AuvoCustomer, AuvoProduct, AuvoQuotation, AuvoService, AuvoTask, CustomerData

__all__ = ["AuvoPort"]


class AuvoPort(Protocol):
    """Auvo as the bridge uses it. Reads take an ``on_invalid`` for records that do not fit
    Auvo's model (the stream fails them one by one)."""

    # -- customers

    def customers(
        self, modified_since: datetime | None = None, on_invalid: OnInvalid | None = None
    ) -> Iterator[AuvoCustomer]:
        """Every customer, or those changed after ``modified_since``."""

    def customer(self, ident: int) -> AuvoCustomer:
        """One customer by id (``NotFoundError`` when gone)."""

    def find_customer(
        self, document: str, email: str, external_id: str = "", ident: str = ""
    ) -> int | None:
        """By ``externalId``, then by id, then by CPF/CNPJ (digits), then by e-mail, as the
        ERP adapters look; raises ``AmbiguousMatch`` when more than one matches."""

    def create_customer(self, data: CustomerData, external_id: str) -> int:
        """Create the customer marked with ``external_id``; returns its id."""

    def update_customer(self, ident: int, data: CustomerData) -> CustomerData:
        """Write ``data``'s fields to the customer; returns what Auvo holds afterwards."""

    def forget_customers(self) -> None:
        """Drop what this pass read of the customers: an automation wrote one, and the next
        search must see it (or a second customer would be made)."""

    # -- reference data

    def task_types(self) -> list[tuple[str, int]]:
        """``(name, id)`` of every task type; a name may repeat."""

    def customer_groups(self) -> list[tuple[str, int]]:
        """``(name, id)`` of every customer group."""

    def quotation_stages(self) -> Iterator[str]:
        """The stage of each quotation, newest first (Auvo has no list of stages)."""

    # -- what Auvo sold

    def tasks(
        self,
        start: date | datetime,
        end: date | datetime,
        status: str,
        modified_since: datetime | None,
        group_id: int | None,
        on_invalid: OnInvalid | None = None,
    ) -> Iterator[AuvoTask]:
        """Tasks dated from ``start`` to ``end`` in ``status`` (a ``tasks.status`` value)."""

    def task(self, ident: int) -> AuvoTask:
        """One task by id (``NotFoundError`` when gone)."""

    def quotations(
        self, stage: str, requested_from: datetime, on_invalid: OnInvalid | None = None
    ) -> Iterator[AuvoQuotation]:
        """Quotations at ``stage`` requested since ``requested_from``."""

    def quotation(self, ident: int) -> AuvoQuotation:
        """One quotation by id (``NotFoundError`` when gone)."""

    # -- catalog

    def products(self) -> dict[str, AuvoProduct]:
        """Every product, by each id a task may name it by (``AuvoProduct.keys``)."""

    def services(self) -> dict[str, AuvoService]:
        """Every service, by id."""

    def create_product(self, external_id: str, name: str, price: Decimal, active: bool) -> str:
        """Create a product; returns its GUID (or its number, when Auvo gives no GUID)."""

    def update_product(self, number: str, name: str, price: Decimal, active: bool) -> None:
        """Change the product with this number."""

    def create_service(self, title: str, price: Decimal, active: bool) -> str:
        """Create a service; returns its id."""

    def update_service(self, ident: str, title: str, price: Decimal, active: bool) -> None:
        """Change the service with this id."""
