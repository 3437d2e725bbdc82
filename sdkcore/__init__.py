"""Shared machinery for the Conta Azul, Bling and Auvo clients.

Transport, retries, rate limits, auth, errors, paging, money and dates, and fakes: the
parts the three clients have in common, as azure-core is to the Azure SDKs.
"""

from typing import TYPE_CHECKING

from ._version import __version__
from .lazy import lazy_exports
from .logs import install_log_filter as _install_log_filter

if TYPE_CHECKING:
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
        NOT_GIVEN,
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
        RecordParseError,
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

_EXPORTS = {
    "APIConnectionError": ".errors",
    "APIError": ".errors",
    "APIModel": ".models",
    "APIResponse": ".client",
    "APIStatusError": ".errors",
    "APITimeoutError": ".errors",
    "AsyncAPIClient": ".client",
    "AsyncPager": ".paging",
    "AuthenticationError": ".errors",
    "BadRequestError": ".errors",
    "BaseAPIClient": ".client",
    "Call": ".client",
    "Clock": ".clock",
    "ConflictError": ".errors",
    "Date": ".models",
    "ErrorInfo": ".client",
    "FakeClock": ".clock",
    "FieldError": ".errors",
    "FileTokenStore": ".auth",
    "HeaderAuth": ".auth",
    "Instant": ".models",
    "MemoryTokenStore": ".auth",
    "Money": ".models",
    "NOT_GIVEN": ".client",
    "NotFoundError": ".errors",
    "OAuth2RefreshSource": ".auth",
    "OptionalDate": ".models",
    "OptionalInstant": ".models",
    "OptionalMoney": ".models",
    "Page": ".paging",
    "PermissionDeniedError": ".errors",
    "RateLimitError": ".errors",
    "ReauthorizationRequired": ".auth",
    "RequestOptions": ".client",
    "RecordParseError": ".errors",
    "RequestValidationError": ".errors",
    "Resource": ".client",
    "ResponseParseError": ".errors",
    "RetryPolicy": ".retry",
    "SAO_PAULO": ".dates",
    "SDKError": ".errors",
    "ServerError": ".errors",
    "SyncAPIClient": ".client",
    "SyncPager": ".paging",
    "SystemClock": ".clock",
    "TokenAuth": ".auth",
    "TokenBucket": ".ratelimit",
    "TokenSet": ".auth",
    "TokenSource": ".auth",
    "TokenStore": ".auth",
    "ValidationError": ".errors",
    "parse_date": ".dates",
    "parse_instant": ".dates",
    "parse_money": ".money",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

# Before any client logs: httpx would otherwise print Auvo's login URL, key and token.
_install_log_filter()

__all__ = [
    "NOT_GIVEN",
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
    "RecordParseError",
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
