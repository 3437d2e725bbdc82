"""Conta Azul API client: every entity, report and rule of the spec, sync and async.

>>> from contaazul import ContaAzul, Customer
>>> ca = ContaAzul(application_token="...", company_token="...")
>>> created = ca.customers.create(Customer(name="Cliente A"))

Names load on first use (PEP 562), so ``import contaazul`` stays cheap.
"""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports

if TYPE_CHECKING:
    from sdkcore import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIResponse as APIResponse,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        FieldError as FieldError,
        LogLevelError as LogLevelError,
        MissingCredentialsError as MissingCredentialsError,
        NotFoundError as NotFoundError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        RecordParseError as RecordParseError,
        RequestValidationError as RequestValidationError,
        ResponseParseError as ResponseParseError,
        RetryPolicy as RetryPolicy,
        SDKError as SDKError,
        ServerError as ServerError,
        ValidationError as ValidationError,
        __version__ as __version__,
    )

    from ._calls import (
        Created as Created,
    )
    from ._client import (
        AsyncContaAzul as AsyncContaAzul,
        ContaAzul as ContaAzul,
    )
    from .connect import (
        ConnectAttempt as ConnectAttempt,
    )
    from .finance import (
        deal_total as deal_total,
        due_dates as due_dates,
        installments as installments,
        items_total as items_total,
        net_of_taxes as net_of_taxes,
        split_amount as split_amount,
        tax as tax,
        taxes as taxes,
    )
    from .models import (
        Bank as Bank,
        BankAccount as BankAccount,
        BankAccountBalance as BankAccountBalance,
        BankAccountBalanceEntry as BankAccountBalanceEntry,
        BillingReport as BillingReport,
        CategorySum as CategorySum,
        City as City,
        CostCentre as CostCentre,
        Customer as Customer,
        CustomerKind as CustomerKind,
        Deal as Deal,
        DealItem as DealItem,
        DealOperation as DealOperation,
        DealTax as DealTax,
        DealType as DealType,
        FinanceCategory as FinanceCategory,
        FinanceCategoryType as FinanceCategoryType,
        FlowCategory as FlowCategory,
        FlowCategoryGroup as FlowCategoryGroup,
        FlowGrid as FlowGrid,
        FlowPeriod as FlowPeriod,
        Payment as Payment,
        PeriodStatementReport as PeriodStatementReport,
        PriceList as PriceList,
        PriceListItem as PriceListItem,
        Product as Product,
        ProductCategory as ProductCategory,
        ProductRanking as ProductRanking,
        RankingDealType as RankingDealType,
        Ratios as Ratios,
        RepeatingCycle as RepeatingCycle,
        SaleReport as SaleReport,
        SaleReportGroupBy as SaleReportGroupBy,
        Shipper as Shipper,
        Statement as Statement,
        StatementType as StatementType,
        Task as Task,
        TaskType as TaskType,
        Tax as Tax,
        TaxType as TaxType,
        Vendor as Vendor,
    )

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)
