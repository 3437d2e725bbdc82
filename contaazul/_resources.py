"""Resources: ``client.<resource>.<verb>()``, each with exactly the verbs the spec lists.

Each verb is written once, as a builder of the request (see ``sdkcore.endpoints``); bound
to ``ContaAzul`` it answers directly, bound to ``AsyncContaAzul`` it is awaited.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any, ClassVar, Generic, TypeVar

from sdkcore import Call, Page, RecordParseError
from sdkcore.bodies import json_reader
from sdkcore.client import BaseAPIClient, PerCall, Resource, records_parser
from sdkcore.endpoints import PageFetcher, Step, endpoint, paged
from sdkcore.paging import no_page
from sdkcore.transport import Response, Timeout

from . import models as m
from ._calls import (
    Created,
    EntitySpec,
    QueryValue,
    create_call,
    delete_call,
    get_call,
    list_call,
    list_parser,
    report_call,
    update_call,
)

M = TypeVar("M", bound=m.APIModel)
C = TypeVar("C", bound=BaseAPIClient, covariant=True)


class _Entity(Resource[C], Generic[C, M]):
    spec: ClassVar[EntitySpec[Any]]


def _one_page(call: Call[list[M]], model: type[M]) -> PageFetcher[M]:
    """The spec's lists answer with every record at once: page 1 is all, there is no page 2.

    A record that does not fit ``model`` is set apart in ``Page.invalid``."""
    records = _records_parser(model)

    def as_page(response: Response) -> Page[M]:
        items, invalid = records(response, 1)
        total = len(items) + len(invalid)
        return Page(items, number=1, next_page=None, total=total, invalid=invalid)

    def fetch(number: int) -> Step[Page[M]]:
        # Past the only page, Conta Azul's lists have always counted zero records.
        return Call(call.options, as_page) if number == 1 else no_page(number, total=0)

    return fetch


@cache
def _records_parser(
    model: type[M],
) -> Callable[[Response, int], tuple[list[M], tuple[RecordParseError, ...]]]:
    return records_parser(list_parser(model), json_reader(model))


class _List(_Entity[C, M]):
    @paged
    def list(
        self,
        /,
        *,
        fields: Iterable[str] | None = None,
        modified_since: datetime | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
        **filters: QueryValue,
    ) -> PageFetcher[M]:
        """Records, lazily; ``modified_since`` keeps those changed after it, ``filters`` match
        fields (``name="Silva"``), ``fields`` projects (``["id", "name"]``)."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return _one_page(
            list_call(
                self.spec, per_call, fields=fields, modified_since=modified_since, filters=filters
            ),
            self.spec.model,
        )


class _Get(_Entity[C, M]):
    @endpoint
    def get(
        self,
        id: int | str,
        *,
        fields: Iterable[str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[M]:
        """One record by id; ``fields`` asks only for those fields."""
        return get_call(self.spec, PerCall(extra_headers, extra_query, timeout), id, fields)


class _Create(_Entity[C, M]):
    @endpoint
    def create(
        self,
        record: M | dict[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Created]:
        """Create a record (a model or a dict); required fields are checked before sending."""
        return create_call(self.spec, PerCall(extra_headers, extra_query, timeout), record)


class _Update(_Entity[C, M]):
    @endpoint
    def update(
        self,
        record: M | dict[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Replace a record with ``record`` (PUT); ``record.id`` says which."""
        return update_call(self.spec, PerCall(extra_headers, extra_query, timeout), record)


class _Delete(_Entity[C, M]):
    @endpoint
    def delete(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Delete a record by id."""
        return delete_call(self.spec, PerCall(extra_headers, extra_query, timeout), id)


class _ReadOnly(_List[C, M], _Get[C, M]):
    pass


class _Crud(_List[C, M], _Get[C, M], _Create[C, M], _Update[C, M], _Delete[C, M]):
    pass


class _Deals(_List[C, m.Deal], _Get[C, m.Deal], _Create[C, m.Deal]):
    pass


class Customers(_Crud[C, m.Customer]):
    spec = EntitySpec("/pub/contact/customer", m.Customer)


class Vendors(_Crud[C, m.Vendor]):
    spec = EntitySpec("/pub/contact/vendor", m.Vendor)


class Shippers(_Crud[C, m.Shipper]):
    spec = EntitySpec("/pub/contact/shipper", m.Shipper)


class Cities(_ReadOnly[C, m.City]):
    spec = EntitySpec("/pub/city", m.City)


class Banks(_ReadOnly[C, m.Bank]):
    spec = EntitySpec("/pub/bank", m.Bank)


class BankAccounts(_Crud[C, m.BankAccount]):
    spec = EntitySpec("/pub/bank/account", m.BankAccount)


class TaskTypes(_ReadOnly[C, m.TaskType]):
    spec = EntitySpec("/pub/tasktype", m.TaskType)


class Services(_Crud[C, m.Task]):
    spec = EntitySpec("/pub/task", m.Task)


class ProductCategories(_Crud[C, m.ProductCategory]):
    spec = EntitySpec("/pub/product/category", m.ProductCategory)


class Products(_Crud[C, m.Product]):
    spec = EntitySpec("/pub/product", m.Product)


class CostCentres(_ReadOnly[C, m.CostCentre]):
    spec = EntitySpec("/pub/finance/costcentre", m.CostCentre)


class PriceLists(_Crud[C, m.PriceList]):
    spec = EntitySpec("/pub/pricelist", m.PriceList)


class FinanceCategories(_ReadOnly[C, m.FinanceCategory]):
    spec = EntitySpec("/pub/finance/category", m.FinanceCategory)


class Statements(_List[C, m.Statement], _Create[C, m.Statement]):
    spec = EntitySpec("/pub/finance/statement", m.Statement)


class DealTypes(_ReadOnly[C, m.DealType]):
    spec = EntitySpec("/pub/deal/type", m.DealType)


class ProductSales(_Deals[C]):
    spec = EntitySpec("/pub/deal/product/sale", m.Deal)


class ProductPurchases(_Deals[C]):
    spec = EntitySpec("/pub/deal/product/purchase", m.Deal)


class ServiceSales(_Deals[C]):
    spec = EntitySpec("/pub/deal/task/sale", m.Deal)


def _period(start: date | None, end: date | None, **more: object) -> dict[str, QueryValue]:
    params: dict[str, object] = {"startDate": start, "endDate": end, **more}
    return {k: _query_value(v) for k, v in params.items() if v is not None}


def _query_value(value: object) -> QueryValue:
    if isinstance(value, str | int | bool | date):
        return value
    return str(getattr(value, "value", value))


class Reports(Resource[C]):
    """The spec's reports (``Relatórios Expostos``)."""

    @endpoint
    def monthly_sales(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: m.SaleReportGroupBy | str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[list[m.SaleReport]]:
        """Sales per month, grouped by customer (default), salesman or product."""
        return report_call(
            "/pub/deal/sale/report/monthly/",
            list_parser(m.SaleReport),
            PerCall(extra_headers, extra_query, timeout),
            _period(start_date, end_date, groupBy=group_by),
        )

    @endpoint
    def product_ranking(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        deal_type: m.RankingDealType | str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[list[m.ProductRanking]]:
        """Products most quoted, ordered or sold."""
        return report_call(
            "/pub/ranking/product/",
            list_parser(m.ProductRanking),
            PerCall(extra_headers, extra_query, timeout),
            _period(start_date, end_date, dealType=deal_type),
        )

    @endpoint
    def revenues_by_category(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[list[m.PeriodStatementReport]]:
        """Revenue sums per finance category and month."""
        return report_call(
            "/pub/finance/report/revenues/",
            list_parser(m.PeriodStatementReport),
            PerCall(extra_headers, extra_query, timeout),
            _period(start_date, end_date),
        )

    @endpoint
    def expenses_by_category(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[list[m.PeriodStatementReport]]:
        """Expense sums per finance category and month."""
        return report_call(
            "/pub/finance/report/expenses/",
            list_parser(m.PeriodStatementReport),
            PerCall(extra_headers, extra_query, timeout),
            _period(start_date, end_date),
        )

    @endpoint
    def cash_flow(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.FlowGrid]:
        """Cash flow periods with their category groups and sums."""
        return report_call(
            "/pub/finance/flow/",
            json_reader(m.FlowGrid),
            PerCall(extra_headers, extra_query, timeout),
            _period(start_date, end_date),
        )

    @endpoint
    def bank_balances(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[list[m.BankAccountBalance]]:
        """Balance history of each bank account."""
        return report_call(
            "/pub/bank/account/balance/",
            list_parser(m.BankAccountBalance),
            PerCall(extra_headers, extra_query, timeout),
            _period(start_date, end_date),
        )

    @endpoint
    def billing(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[list[m.BillingReport]]:
        """Billing, gross and net profit per period."""
        return report_call(
            "/pub/finance/report/billing/",
            list_parser(m.BillingReport),
            PerCall(extra_headers, extra_query, timeout),
            {},
        )

    @endpoint
    def ratios(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Ratios]:
        """Financial indicators: average ticket, profit, liquidity, debt, break-even."""
        return report_call(
            "/pub/ratios/",
            json_reader(m.Ratios),
            PerCall(extra_headers, extra_query, timeout),
            {},
        )
