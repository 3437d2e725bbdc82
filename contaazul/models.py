"""Every entity and report of the Conta Azul API spec, named as the spec names them.

Python names are the snake_case of the wire names (``documentNumber`` -> ``document_number``,
``vlCustoUnitario`` -> ``vl_custo_unitario``); the wire names are the aliases, and models
accept either. Fields the spec marks READ ONLY are never sent; fields it marks required
(``*``) are checked before a create, and optional when read. Amounts and quantities are
``Decimal``; dates accept ``yyyy-mm-dd`` and the epoch milliseconds the reports send.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, TypeVar

from pydantic import Field

from sdkcore.models import (
    READ_ONLY,
    REQUIRED_ON_CREATE,
    APIModel,
    CamelModel,
    OptionalDate,
    OptionalMoney,
)
from sdkcore.write_checks import NON_NEGATIVE, TaxId

__all__ = [
    "APIModel",
    "Bank",
    "BankAccount",
    "BankAccountBalance",
    "BankAccountBalanceEntry",
    "BillingReport",
    "CategorySum",
    "City",
    "CostCentre",
    "Customer",
    "CustomerKind",
    "Deal",
    "DealItem",
    "DealOperation",
    "DealTax",
    "DealType",
    "FinanceCategory",
    "FinanceCategoryType",
    "FlowCategory",
    "FlowCategoryGroup",
    "FlowGrid",
    "FlowPeriod",
    "Payment",
    "PeriodStatementReport",
    "PriceList",
    "PriceListItem",
    "Product",
    "ProductCategory",
    "ProductRanking",
    "RankingDealType",
    "Ratios",
    "RepeatingCycle",
    "SaleReport",
    "SaleReportGroupBy",
    "Shipper",
    "Statement",
    "StatementType",
    "Task",
    "TaskType",
    "Tax",
    "TaxType",
    "Vendor",
]

E = TypeVar("E", bound=StrEnum)

Lenient = Annotated[E | str | None, Field(union_mode="left_to_right")]
"""An enumeration value: a member when known, the plain string the server sent otherwise."""

OptionalDecimal = OptionalMoney
"""A quantity, percentage or ratio: exact ``Decimal`` read from a JSON number or text."""


Text = Annotated[str | None, Field(coerce_numbers_to_str=True)]
"""A string field that also accepts a number (``"number": 333`` or ``"333"``)."""


# -- enumerations -------------------------------------------------------------------


class CustomerKind(StrEnum):
    """Customer ``kind``: legal entity (CNPJ) or individual (CPF)."""

    ENTITY = "ENTITY"
    INDIVIDUAL = "INDIVIDUAL"


class RepeatingCycle(StrEnum):
    """How often a recurring statement repeats (``DIARY`` is the spec's spelling of daily)."""

    NEVER = "NEVER"
    DIARY = "DIARY"
    WEEKLY = "WEEKLY"
    MONTHLY = "MONTHLY"
    BIMONTHLY = "BIMONTHLY"
    YEARLY = "YEARLY"


class StatementType(StrEnum):
    """Whether a statement is an expense or a revenue."""

    EXPENSE = "EXPENSE"
    REVENUE = "REVENUE"


class FinanceCategoryType(StrEnum):
    """The type of a finance category; the cash-flow report also shows transfers."""

    EXPENSE = "EXPENSE"
    REVENUE = "REVENUE"
    TRANSFER = "TRANSFER"


class DealOperation(StrEnum):
    """A deal type's operation: entry (E), exit (S), entry return (DE), exit return (DS)."""

    E = "E"
    S = "S"
    DE = "DE"
    DS = "DS"


class TaxType(StrEnum):
    """The kind of tax on a service sale."""

    ISS = "ISS"
    COFINS = "COFINS"
    PIS = "PIS"
    INSS = "INSS"
    CSLL = "CSLL"
    IRRF = "IRRF"


class RankingDealType(StrEnum):
    """Which deals the product ranking counts: quotations, orders or sales."""

    QUOTATION = "QUOTATION"
    ORDER = "ORDER"
    SALE = "SALE"


class SaleReportGroupBy(StrEnum):
    """How the monthly sales report groups: by customer (default), salesman or product."""

    CUSTOMER = "CUSTOMER"
    SALESMEN = "SALESMEN"
    PRODUCT = "PRODUCT"


# -- contacts -----------------------------------------------------------------------


_DOCUMENT = TaxId(kind_field="kind", kinds=(("ENTITY", "cnpj"), ("INDIVIDUAL", "cpf")))
"""A contact's CPF or CNPJ: a customer's ``kind`` says which; vendors and shippers take either."""


class _Contact(CamelModel):
    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    email: str | None = None
    document_number: Annotated[str | None, _DOCUMENT] = None
    inscricao_estadual: str | None = None
    address: str | None = None
    number: Text = None
    complement: str | None = None
    neighborhood: str | None = None
    city_id: int | None = None
    postal_code: str | None = None


class Customer(_Contact):
    """A customer the company registered; required in sales, quotations and orders."""

    kind: Lenient[CustomerKind] = None


class Vendor(_Contact):
    """A salesman the company registered, who may earn a commission on sales."""


class Shipper(_Contact):
    """A shipping company the company registered; required for deals with freight."""


# -- reference data -----------------------------------------------------------------


class City(CamelModel):
    """A Brazilian city with its IBGE code."""

    id: Annotated[int | None, READ_ONLY] = None
    name: str | None = None
    state: str | None = None
    ibge_code: Text = None


class Bank(CamelModel):
    """A bank pre-registered in Conta Azul, chosen when registering a bank account."""

    code: Annotated[int | None, READ_ONLY] = None
    description: str | None = None


class BankAccount(CamelModel):
    """A bank account the company registered, with its initial balance and date."""

    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    agency_number: Text = None
    account_number: Text = None
    wallet: Text = None
    bank_id: Annotated[int | None, REQUIRED_ON_CREATE] = None
    initial_balance_amount: OptionalMoney = None
    initial_balance_date: OptionalDate = None


class TaskType(CamelModel):
    """A kind of service rendered, from the national list of taxable services."""

    id: Annotated[int | None, READ_ONLY] = None
    description: str | None = None


class Task(CamelModel):
    """A service (the spec's Serviço) the company registered, to be sold in service sales."""

    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    cost_rate: OptionalMoney = None
    rate: OptionalMoney = None


class ProductCategory(CamelModel):
    """A category that groups products."""

    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None


class Product(CamelModel):
    """A product the company registered, with its prices and current stock."""

    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    code: Text = None
    cost_rate: OptionalMoney = None
    rate: OptionalMoney = None
    current_stock: OptionalDecimal = None
    last_purchase_date: OptionalDate = None
    last_purchase_amount: OptionalMoney = None
    category: ProductCategory | None = None


class CostCentre(CamelModel):
    """A cost centre (usually a department) that expenses can be assigned to."""

    id: Annotated[int | None, READ_ONLY] = None
    description: str | None = None


class PriceListItem(CamelModel):
    """A product's price (and salesman commission percentage) in a price list."""

    id: Annotated[int | None, READ_ONLY] = None
    price: Annotated[OptionalMoney, REQUIRED_ON_CREATE] = None
    comission: OptionalDecimal = None
    item_id: int | None = None


class PriceList(CamelModel):
    """A price list, e.g. for a promotional season; one may be the default."""

    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    default_price_list: bool | None = None
    items: Annotated[list[PriceListItem] | None, REQUIRED_ON_CREATE] = None


class FinanceCategory(CamelModel):
    """A finance category that classifies expenses and revenues."""

    id: Annotated[int | None, READ_ONLY] = None
    description: str | None = None
    type: Lenient[FinanceCategoryType] = None


class Statement(CamelModel):
    """A financial statement: an expense or a revenue, possibly recurring."""

    id: Annotated[int | None, READ_ONLY] = None
    memo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE] = None
    date: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    repeat: Annotated[bool | None, REQUIRED_ON_CREATE] = None
    repeating_cycle: Lenient[RepeatingCycle] = None
    statement_type: Annotated[Lenient[StatementType], REQUIRED_ON_CREATE] = None
    done: Annotated[bool | None, REQUIRED_ON_CREATE] = None
    bank_account_id: Annotated[int | None, REQUIRED_ON_CREATE] = None
    category_id: Annotated[int | None, REQUIRED_ON_CREATE] = None
    contact_id: int | None = None
    cost_center_id: int | None = None


class DealType(CamelModel):
    """A deal type (nature of the operation): sale, purchase, or a return of either."""

    id: Annotated[int | None, READ_ONLY] = None
    description: str | None = None
    operation: Lenient[DealOperation] = None


# -- deals ----------------------------------------------------------------------------


class DealItem(CamelModel):
    """An item of a deal: the product or service, quantity, unit price and unit cost."""

    id: Annotated[int | None, READ_ONLY] = None
    item_id: int | None = None
    quantity: Annotated[OptionalDecimal, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    rate: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    vl_custo_unitario: Annotated[OptionalMoney, NON_NEGATIVE] = None
    observation: str | None = None


class Payment(CamelModel):
    """An installment of a deal: when it is (or was) paid and how much."""

    id: Annotated[int | None, READ_ONLY] = None
    payment_date: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    value: Annotated[OptionalMoney, REQUIRED_ON_CREATE] = None
    observation: str | None = None


class Tax(CamelModel):
    """A tax on a service sale (the spec also calls it DealTax); withheld taxes reduce the
    revenue the sale creates."""

    id: Annotated[int | None, READ_ONLY] = None
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    percentage: Annotated[OptionalDecimal, REQUIRED_ON_CREATE] = None
    value: Annotated[OptionalMoney, REQUIRED_ON_CREATE] = None
    type: Annotated[Lenient[TaxType], REQUIRED_ON_CREATE] = None


DealTax = Tax


class Deal(CamelModel):
    """A deal: a product sale, a product purchase or a service sale.

    ``extra_payment``, ``task_type_id`` and ``taxes`` only exist on service sales. ``total``
    and ``deal_number`` are computed by the server.
    """

    id: Annotated[int | None, READ_ONLY] = None
    deal_number: Annotated[int | None, READ_ONLY] = None
    discount: OptionalMoney = None
    extra_payment: OptionalMoney = None
    total: Annotated[OptionalMoney, READ_ONLY] = None
    serie: Text = None
    invoice_number: int | None = None
    deal_date: OptionalDate = None
    contact_id: Annotated[int | None, REQUIRED_ON_CREATE] = None
    observations: str | None = None
    bank_account_id: int | None = None
    deal_type_id: Annotated[int | None, REQUIRED_ON_CREATE] = None
    task_type_id: int | None = None
    shipping_contact_id: int | None = None
    shipping_cost: OptionalMoney = None
    shipping_cost_payment: Text = None
    items: Annotated[list[DealItem] | None, REQUIRED_ON_CREATE] = None
    payments: Annotated[list[Payment] | None, REQUIRED_ON_CREATE] = None
    taxes: list[Tax] | None = None


# -- reports --------------------------------------------------------------------------


class SaleReport(CamelModel):
    """A month of sales for one customer, salesman or product (sales by period/salesman/
    product). Which of ``customer``, ``vendor`` and ``product`` is set follows ``groupBy``."""

    month: OptionalDate = None
    value: OptionalMoney = None
    group_by: Lenient[SaleReportGroupBy] = None
    customer: Customer | None = None
    vendor: Vendor | None = None
    product: Product | None = None


class ProductRanking(CamelModel):
    """A product and the quantity quoted, ordered or sold in the period."""

    product: Product | None = None
    quantity: OptionalDecimal = None


class CategorySum(CamelModel):
    """The sum of a month's revenues or expenses in one finance category."""

    category_id: int | None = None
    sum: OptionalMoney = None


class PeriodStatementReport(CamelModel):
    """A month of revenues or expenses summed per finance category."""

    date: OptionalDate = None
    categories: list[CategorySum] | None = None
    category_id: int | None = None
    sum: OptionalMoney = None


class FlowCategory(CamelModel):
    """A finance category and its total in a cash-flow period."""

    category: FinanceCategory | None = None
    sum: OptionalMoney = None


class FlowCategoryGroup(CamelModel):
    """The categories of one kind (revenue, expense or transfer) in a cash-flow period."""

    categories: list[FlowCategory] | None = None


class FlowPeriod(CamelModel):
    """A period (month or day) of the cash flow with its category groups and total."""

    period_start: OptionalDate = None
    category_group: list[FlowCategoryGroup] | None = None
    sum: OptionalMoney = None


class FlowGrid(CamelModel):
    """The cash flow: where money comes from and goes to, period by period."""

    periods: list[FlowPeriod] | None = None


class BankAccountBalanceEntry(CamelModel):
    """A bank account's balance on a date."""

    date: OptionalDate = None
    value: OptionalMoney = None


class BankAccountBalance(CamelModel):
    """The balance history of one bank account."""

    bank_account_id: int | None = None
    balance: list[BankAccountBalanceEntry] | None = None


class BillingReport(CamelModel):
    """Billing, gross profit and net profit of a period."""

    period: OptionalDate = None
    billing: OptionalMoney = None
    net_profit: OptionalMoney = None
    gross_profit: OptionalMoney = None


class Ratios(CamelModel):
    """Financial indicators: average ticket, profitability, liquidity, debt burden,
    contribution margin and break-even point."""

    sales_average_ticket: OptionalMoney = None
    sales_profit: OptionalDecimal = None
    company_profit: OptionalDecimal = None
    company_liquidity: OptionalDecimal = None
    company_debt_burden: OptionalDecimal = None
    contribution_margin: OptionalDecimal = None
    breakeven: OptionalMoney = None
