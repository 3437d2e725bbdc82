"""Shared machinery for the Conta Azul, Bling and Auvo clients.

Transport, retries, rate limits, auth, errors, paging, money and dates, and fakes: the
parts the three clients have in common, as azure-core is to the Azure SDKs.
"""

from typing import TYPE_CHECKING

from .lazy import lazy_exports
from .logs import install_log_filter as _install_log_filter

if TYPE_CHECKING:
    from ._version import (
        __version__ as __version__,
    )
    from .auth import (
        FileTokenStore as FileTokenStore,
        FileTokenStores as FileTokenStores,
        HeaderAuth as HeaderAuth,
        MemoryTokenStore as MemoryTokenStore,
        MemoryTokenStores as MemoryTokenStores,
        OAuth2CodeGrant as OAuth2CodeGrant,
        OAuth2RefreshSource as OAuth2RefreshSource,
        ReauthorizationRequired as ReauthorizationRequired,
        StateMismatchError as StateMismatchError,
        TokenAuth as TokenAuth,
        TokenSet as TokenSet,
        TokenSource as TokenSource,
        TokenStore as TokenStore,
        TokenStores as TokenStores,
    )
    from .client import (
        NOT_GIVEN as NOT_GIVEN,
        APIResponse as APIResponse,
        AsyncAPIClient as AsyncAPIClient,
        BaseAPIClient as BaseAPIClient,
        Call as Call,
        ErrorInfo as ErrorInfo,
        RequestOptions as RequestOptions,
        Resource as Resource,
        SyncAPIClient as SyncAPIClient,
    )
    from .clock import (
        Clock as Clock,
        FakeClock as FakeClock,
        SystemClock as SystemClock,
    )
    from .dates import (
        SAO_PAULO as SAO_PAULO,
        parse_date as parse_date,
        parse_instant as parse_instant,
    )
    from .endpoints import (
        Wait as Wait,
    )
    from .errors import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        FieldError as FieldError,
        MissingCredentialsError as MissingCredentialsError,
        NotFoundError as NotFoundError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        RecordParseError as RecordParseError,
        RequestValidationError as RequestValidationError,
        ResponseParseError as ResponseParseError,
        SDKError as SDKError,
        ServerError as ServerError,
        ValidationError as ValidationError,
    )
    from .ids import Created as Created
    from .logs import LogLevelError as LogLevelError
    from .models import (
        APIModel as APIModel,
        Date as Date,
        Instant as Instant,
        Money as Money,
        OptionalDate as OptionalDate,
        OptionalInstant as OptionalInstant,
        OptionalMoney as OptionalMoney,
    )
    from .money import (
        parse_money as parse_money,
    )
    from .paging import (
        AsyncPager as AsyncPager,
        AsyncRawPager as AsyncRawPager,
        Page as Page,
        SyncPager as SyncPager,
        SyncRawPager as SyncRawPager,
    )
    from .ratelimit import (
        BucketState as BucketState,
        RateLimits as RateLimits,
        TokenBucket as TokenBucket,
    )
    from .retry import (
        RetryPolicy as RetryPolicy,
    )

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)

# Before any client logs: httpx would otherwise print Auvo's login URL, key and token.
_install_log_filter()
