"""Shared machinery for the Conta Azul, Bling and Auvo clients.

Transport, retries, rate limits, auth, errors, paging, money and dates, and fakes: the
parts the three clients have in common, as azure-core is to the Azure SDKs.
"""

from ._version import __version__
from .auth import (
    FileTokenStore,
    HeaderAuth,
    MemoryTokenStore,
    OAuth2RefreshSource,
    ReauthorizationRequired,
    TokenAuth,
    TokenSet,
    TokenSource,
    TokenStore,
)
from .client import (
    APIResponse,
    AsyncAPIClient,
    BaseAPIClient,
    Call,
    ErrorInfo,
    RequestOptions,
    Resource,
    SyncAPIClient,
)
from .clock import Clock, FakeClock, SystemClock
from .dates import SAO_PAULO, parse_date, parse_instant
from .errors import (
    APIConnectionError,
    APIError,
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
    SDKError,
    ServerError,
    ValidationError,
)
from .models import (
    APIModel,
    Date,
    Instant,
    Money,
    OptionalDate,
    OptionalInstant,
    OptionalMoney,
)
from .money import parse_money
from .paging import AsyncPager, Page, SyncPager
from .ratelimit import TokenBucket
from .retry import RetryPolicy

__all__ = [
    "SAO_PAULO",
    "APIConnectionError",
    "APIError",
    "APIModel",
    "APIResponse",
    "APIStatusError",
    "APITimeoutError",
    "AsyncAPIClient",
    "AsyncPager",
    "AuthenticationError",
    "BadRequestError",
    "BaseAPIClient",
    "Call",
    "Clock",
    "ConflictError",
    "Date",
    "ErrorInfo",
    "FakeClock",
    "FieldError",
    "FileTokenStore",
    "HeaderAuth",
    "Instant",
    "MemoryTokenStore",
    "Money",
    "NotFoundError",
    "OAuth2RefreshSource",
    "OptionalDate",
    "OptionalInstant",
    "OptionalMoney",
    "Page",
    "PermissionDeniedError",
    "RateLimitError",
    "ReauthorizationRequired",
    "RequestOptions",
    "RequestValidationError",
    "Resource",
    "ResponseParseError",
    "RetryPolicy",
    "SDKError",
    "ServerError",
    "SyncAPIClient",
    "SyncPager",
    "SystemClock",
    "TokenAuth",
    "TokenBucket",
    "TokenSet",
    "TokenSource",
    "TokenStore",
    "ValidationError",
    "__version__",
    "parse_date",
    "parse_instant",
    "parse_money",
]
