"""Conta Azul API client: every entity, report and rule of the spec, sync and async.

>>> from contaazul import ContaAzul, Customer
>>> ca = ContaAzul(application_token="...", company_token="...")
>>> created = ca.customers.create(Customer(name="Cliente A"))
"""

from sdkcore import (
    APIConnectionError,
    APIError,
    APIResponse,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestValidationError,
    ResponseParseError,
    RetryPolicy,
    SDKError,
    ServerError,
    ValidationError,
)
from sdkcore._version import __version__

from ._calls import Created
from ._client import AsyncContaAzul, ContaAzul
from .connect import ConnectAttempt
from .installments import (
    deal_total,
    due_dates,
    installments,
    items_total,
    net_of_taxes,
    split_amount,
    tax,
    taxes,
)
from .models import *  # noqa: F403
from .models import __all__ as _models_all

__all__ = [
    "APIConnectionError",
    "APIError",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncContaAzul",
    "AuthenticationError",
    "BadRequestError",
    "ConflictError",
    "ConnectAttempt",
    "ContaAzul",
    "Created",
    "FieldError",
    "NotFoundError",
    "PermissionDeniedError",
    "RateLimitError",
    "RequestValidationError",
    "ResponseParseError",
    "RetryPolicy",
    "SDKError",
    "ServerError",
    "ValidationError",
    "__version__",
    "deal_total",
    "due_dates",
    "installments",
    "items_total",
    "net_of_taxes",
    "split_amount",
    "tax",
    "taxes",
    *_models_all,
]
