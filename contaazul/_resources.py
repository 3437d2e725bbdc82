"""Resources: ``client.<resource>.<verb>()``, each with exactly the verbs the spec lists.

Verbs are small mixins over ``_calls``; the async mixins mirror the sync ones name for
name and signature for signature (a test checks this).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any, ClassVar, Generic, TypeVar

from sdkcore import AsyncPager, Call, Page, SyncPager
from sdkcore._httpx import Timeout
from sdkcore.client import AsyncResource, SyncResource

from . import models as m
from ._calls import (
    Created,
    EntitySpec,
    PerCall,
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


class _Entity(SyncResource, Generic[M]):
    spec: ClassVar[EntitySpec[Any]]


class _AsyncEntity(AsyncResource, Generic[M]):
    spec: ClassVar[EntitySpec[Any]]


def _single_page(items: list[M], number: int) -> Page[M]:
    # The spec's lists answer with every record at once; there is no page 2.
    return Page(items if number == 1 else [], number=number, next_page=None, total=len(items))


# -- sync verbs -----------------------------------------------------------------------


class _List(_Entity[M]):
    def list(
        self,
        *,
        fields: Iterable[str] | None = None,
        modified_since: datetime | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
        **filters: QueryValue,
    ) -> SyncPager[M]:
        """Records, lazily; ``modified_since`` keeps those changed after it, ``filters`` match
        fields (``name="Silva"``), ``fields`` projects (``["id", "name"]``)."""
        call = list_call(
            self.spec,
            PerCall(extra_headers, extra_query, timeout),
            fields=fields,
            modified_since=modified_since,
            filters=filters,
        )
        return SyncPager(lambda n: _single_page(self._client.send(call) if n == 1 else [], n))


class _Get(_Entity[M]):
    def get(
        self,
        id: int | str,
        *,
        fields: Iterable[str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """One record by id; ``fields`` asks only for those fields."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        record: M = self._client.send(get_call(self.spec, per_call, id, fields))
        return record


class _Create(_Entity[M]):
    def create(
        self,
        record: M | dict[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Created:
        """Create a record (a model or a dict); required fields are checked before sending."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(create_call(self.spec, per_call, record))


class _Update(_Entity[M]):
    def update(
        self,
        record: M | dict[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Replace a record with ``record`` (PUT); ``record.id`` says which."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        self._client.send(update_call(self.spec, per_call, record))


class _Delete(_Entity[M]):
    def delete(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Delete a record by id."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        self._client.send(delete_call(self.spec, per_call, id))


class _ReadOnly(_List[M], _Get[M]):
    pass


class _Crud(_List[M], _Get[M], _Create[M], _Update[M], _Delete[M]):
    pass


# -- async verbs ----------------------------------------------------------------------


class _AsyncList(_AsyncEntity[M]):
    def list(
        self,
        *,
        fields: Iterable[str] | None = None,
        modified_since: datetime | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
        **filters: QueryValue,
    ) -> AsyncPager[M]:
        """Records, lazily; ``modified_since`` keeps those changed after it, ``filters`` match
        fields (``name="Silva"``), ``fields`` projects (``["id", "name"]``)."""
        call = list_call(
            self.spec,
            PerCall(extra_headers, extra_query, timeout),
            fields=fields,
            modified_since=modified_since,
            filters=filters,
        )

        async def fetch(n: int) -> Page[M]:
            return _single_page(await self._client.send(call) if n == 1 else [], n)

        return AsyncPager(fetch)


class _AsyncGet(_AsyncEntity[M]):
    async def get(
        self,
        id: int | str,
        *,
        fields: Iterable[str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """One record by id; ``fields`` asks only for those fields."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        record: M = await self._client.send(get_call(self.spec, per_call, id, fields))
        return record


class _AsyncCreate(_AsyncEntity[M]):
    async def create(
        self,
        record: M | dict[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Created:
        """Create a record (a model or a dict); required fields are checked before sending."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(create_call(self.spec, per_call, record))


class _AsyncUpdate(_AsyncEntity[M]):
    async def update(
        self,
        record: M | dict[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Replace a record with ``record`` (PUT); ``record.id`` says which."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        await self._client.send(update_call(self.spec, per_call, record))


class _AsyncDelete(_AsyncEntity[M]):
    async def delete(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Delete a record by id."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        await self._client.send(delete_call(self.spec, per_call, id))


class _AsyncReadOnly(_AsyncList[M], _AsyncGet[M]):
    pass


class _AsyncCrud(_AsyncList[M], _AsyncGet[M], _AsyncCreate[M], _AsyncUpdate[M], _AsyncDelete[M]):
    pass


# -- the spec's entity roots ----------------------------------------------------------

CUSTOMERS = EntitySpec("/pub/contact/customer", m.Customer)
VENDORS = EntitySpec("/pub/contact/vendor", m.Vendor)
SHIPPERS = EntitySpec("/pub/contact/shipper", m.Shipper)
CITIES = EntitySpec("/pub/city", m.City)
BANKS = EntitySpec("/pub/bank", m.Bank)
BANK_ACCOUNTS = EntitySpec("/pub/bank/account", m.BankAccount)
TASK_TYPES = EntitySpec("/pub/tasktype", m.TaskType)
SERVICES = EntitySpec("/pub/task", m.Task)
PRODUCT_CATEGORIES = EntitySpec("/pub/product/category", m.ProductCategory)
PRODUCTS = EntitySpec("/pub/product", m.Product)
COST_CENTRES = EntitySpec("/pub/finance/costcentre", m.CostCentre)
PRICE_LISTS = EntitySpec("/pub/pricelist", m.PriceList)
FINANCE_CATEGORIES = EntitySpec("/pub/finance/category", m.FinanceCategory)
STATEMENTS = EntitySpec("/pub/finance/statement", m.Statement)
DEAL_TYPES = EntitySpec("/pub/deal/type", m.DealType)
PRODUCT_SALES = EntitySpec("/pub/deal/product/sale", m.Deal)
PRODUCT_PURCHASES = EntitySpec("/pub/deal/product/purchase", m.Deal)
SERVICE_SALES = EntitySpec("/pub/deal/task/sale", m.Deal)


class Customers(_Crud[m.Customer]):
    spec = CUSTOMERS


class Vendors(_Crud[m.Vendor]):
    spec = VENDORS


class Shippers(_Crud[m.Shipper]):
    spec = SHIPPERS


class Cities(_ReadOnly[m.City]):
    spec = CITIES


class Banks(_ReadOnly[m.Bank]):
    spec = BANKS


class BankAccounts(_Crud[m.BankAccount]):
    spec = BANK_ACCOUNTS


class TaskTypes(_ReadOnly[m.TaskType]):
    spec = TASK_TYPES


class Services(_Crud[m.Task]):
    spec = SERVICES


class ProductCategories(_Crud[m.ProductCategory]):
    spec = PRODUCT_CATEGORIES


class Products(_Crud[m.Product]):
    spec = PRODUCTS


class CostCentres(_ReadOnly[m.CostCentre]):
    spec = COST_CENTRES


class PriceLists(_Crud[m.PriceList]):
    spec = PRICE_LISTS


class FinanceCategories(_ReadOnly[m.FinanceCategory]):
    spec = FINANCE_CATEGORIES


class Statements(_List[m.Statement], _Create[m.Statement]):
    spec = STATEMENTS


class DealTypes(_ReadOnly[m.DealType]):
    spec = DEAL_TYPES


class ProductSales(_List[m.Deal], _Get[m.Deal], _Create[m.Deal]):
    spec = PRODUCT_SALES


class ProductPurchases(_List[m.Deal], _Get[m.Deal], _Create[m.Deal]):
    spec = PRODUCT_PURCHASES


class ServiceSales(_List[m.Deal], _Get[m.Deal], _Create[m.Deal]):
    spec = SERVICE_SALES


class AsyncCustomers(_AsyncCrud[m.Customer]):
    spec = CUSTOMERS


class AsyncVendors(_AsyncCrud[m.Vendor]):
    spec = VENDORS


class AsyncShippers(_AsyncCrud[m.Shipper]):
    spec = SHIPPERS


class AsyncCities(_AsyncReadOnly[m.City]):
    spec = CITIES


class AsyncBanks(_AsyncReadOnly[m.Bank]):
    spec = BANKS


class AsyncBankAccounts(_AsyncCrud[m.BankAccount]):
    spec = BANK_ACCOUNTS


class AsyncTaskTypes(_AsyncReadOnly[m.TaskType]):
    spec = TASK_TYPES


class AsyncServices(_AsyncCrud[m.Task]):
    spec = SERVICES


class AsyncProductCategories(_AsyncCrud[m.ProductCategory]):
    spec = PRODUCT_CATEGORIES


class AsyncProducts(_AsyncCrud[m.Product]):
    spec = PRODUCTS


class AsyncCostCentres(_AsyncReadOnly[m.CostCentre]):
    spec = COST_CENTRES


class AsyncPriceLists(_AsyncCrud[m.PriceList]):
    spec = PRICE_LISTS


class AsyncFinanceCategories(_AsyncReadOnly[m.FinanceCategory]):
    spec = FINANCE_CATEGORIES


class AsyncStatements(_AsyncList[m.Statement], _AsyncCreate[m.Statement]):
    spec = STATEMENTS


class AsyncDealTypes(_AsyncReadOnly[m.DealType]):
    spec = DEAL_TYPES


class AsyncProductSales(_AsyncList[m.Deal], _AsyncGet[m.Deal], _AsyncCreate[m.Deal]):
    spec = PRODUCT_SALES


class AsyncProductPurchases(_AsyncList[m.Deal], _AsyncGet[m.Deal], _AsyncCreate[m.Deal]):
    spec = PRODUCT_PURCHASES


class AsyncServiceSales(_AsyncList[m.Deal], _AsyncGet[m.Deal], _AsyncCreate[m.Deal]):
    spec = SERVICE_SALES


# -- reports --------------------------------------------------------------------------


class _ReportCalls:
    """The spec's report roots and their parameters, shared by both report resources."""

    @staticmethod
    def monthly_sales(
        per_call: PerCall, start: date | None, end: date | None, group_by: str | None
    ) -> Any:
        params = {"startDate": start, "endDate": end, "groupBy": _enum_value(group_by)}
        return report_call(
            "/pub/deal/sale/report/monthly/", list_parser(m.SaleReport), per_call, _present(params)
        )

    @staticmethod
    def product_ranking(
        per_call: PerCall, start: date | None, end: date | None, deal_type: str | None
    ) -> Any:
        params = {"startDate": start, "endDate": end, "dealType": _enum_value(deal_type)}
        return report_call(
            "/pub/ranking/product/", list_parser(m.ProductRanking), per_call, _present(params)
        )

    @staticmethod
    def by_category(
        kind: str, per_call: PerCall, start: date | None, end: date | None
    ) -> Call[list[m.PeriodStatementReport]]:
        return report_call(
            f"/pub/finance/report/{kind}/",
            list_parser(m.PeriodStatementReport),
            per_call,
            _present({"startDate": start, "endDate": end}),
        )

    @staticmethod
    def cash_flow(per_call: PerCall, start: date | None, end: date | None) -> Call[m.FlowGrid]:
        return report_call(
            "/pub/finance/flow/",
            m.FlowGrid.model_validate_json,
            per_call,
            _present({"startDate": start, "endDate": end}),
        )

    @staticmethod
    def bank_balances(
        per_call: PerCall, start: date | None, end: date | None
    ) -> Call[list[m.BankAccountBalance]]:
        return report_call(
            "/pub/bank/account/balance/",
            list_parser(m.BankAccountBalance),
            per_call,
            _present({"startDate": start, "endDate": end}),
        )

    @staticmethod
    def billing(per_call: PerCall) -> Call[list[m.BillingReport]]:
        return report_call(
            "/pub/finance/report/billing/", list_parser(m.BillingReport), per_call, {}
        )

    @staticmethod
    def ratios(per_call: PerCall) -> Call[m.Ratios]:
        return report_call("/pub/ratios/", m.Ratios.model_validate_json, per_call, {})


def _enum_value(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _present(params: Mapping[str, QueryValue]) -> dict[str, QueryValue]:
    return {k: v for k, v in params.items() if v is not None}


_R = _ReportCalls


class Reports(SyncResource):
    """The spec's reports (``Relatórios Expostos``)."""

    def monthly_sales(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: m.SaleReportGroupBy | str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.SaleReport]:
        """Sales per month, grouped by customer (default), salesman or product."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.monthly_sales(per_call, start_date, end_date, group_by))

    def product_ranking(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        deal_type: m.RankingDealType | str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.ProductRanking]:
        """Products most quoted, ordered or sold."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.product_ranking(per_call, start_date, end_date, deal_type))

    def revenues_by_category(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.PeriodStatementReport]:
        """Revenue sums per finance category and month."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.by_category("revenues", per_call, start_date, end_date))

    def expenses_by_category(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.PeriodStatementReport]:
        """Expense sums per finance category and month."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.by_category("expenses", per_call, start_date, end_date))

    def cash_flow(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> m.FlowGrid:
        """Cash flow periods with their category groups and sums."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.cash_flow(per_call, start_date, end_date))

    def bank_balances(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.BankAccountBalance]:
        """Balance history of each bank account."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.bank_balances(per_call, start_date, end_date))

    def billing(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.BillingReport]:
        """Billing, gross and net profit per period."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.billing(per_call))

    def ratios(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> m.Ratios:
        """Financial indicators: average ticket, profit, liquidity, debt, break-even."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(_R.ratios(per_call))


class AsyncReports(AsyncResource):
    """The spec's reports (``Relatórios Expostos``)."""

    async def monthly_sales(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        group_by: m.SaleReportGroupBy | str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.SaleReport]:
        """Sales per month, grouped by customer (default), salesman or product."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.monthly_sales(per_call, start_date, end_date, group_by))

    async def product_ranking(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        deal_type: m.RankingDealType | str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.ProductRanking]:
        """Products most quoted, ordered or sold."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(
            _R.product_ranking(per_call, start_date, end_date, deal_type)
        )

    async def revenues_by_category(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.PeriodStatementReport]:
        """Revenue sums per finance category and month."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.by_category("revenues", per_call, start_date, end_date))

    async def expenses_by_category(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.PeriodStatementReport]:
        """Expense sums per finance category and month."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.by_category("expenses", per_call, start_date, end_date))

    async def cash_flow(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> m.FlowGrid:
        """Cash flow periods with their category groups and sums."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.cash_flow(per_call, start_date, end_date))

    async def bank_balances(
        self,
        *,
        start_date: date | None = None,
        end_date: date | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.BankAccountBalance]:
        """Balance history of each bank account."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.bank_balances(per_call, start_date, end_date))

    async def billing(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> list[m.BillingReport]:
        """Billing, gross and net profit per period."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.billing(per_call))

    async def ratios(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> m.Ratios:
        """Financial indicators: average ticket, profit, liquidity, debt, break-even."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(_R.ratios(per_call))
