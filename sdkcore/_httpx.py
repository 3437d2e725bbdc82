"""The one module that imports httpx.

Everything else in the SDK talks to httpx through the names re-exported here, so
swapping the HTTP library means changing this file alone.
"""

from __future__ import annotations

import httpx

Auth = httpx.Auth
AsyncClient = httpx.AsyncClient
AsyncBaseTransport = httpx.AsyncBaseTransport
BaseTransport = httpx.BaseTransport
Client = httpx.Client
Headers = httpx.Headers
Limits = httpx.Limits
MockTransport = httpx.MockTransport
QueryParams = httpx.QueryParams
Request = httpx.Request
Response = httpx.Response
Timeout = httpx.Timeout
URL = httpx.URL
ByteStream = httpx.ByteStream

# Transport failures, from the least to the most ambiguous for a non-idempotent request.
HTTPError = httpx.HTTPError
ConnectError = httpx.ConnectError
DecodingError = httpx.DecodingError  # a body that fails its Content-Encoding
ConnectTimeout = httpx.ConnectTimeout
PoolTimeout = httpx.PoolTimeout
TimeoutException = httpx.TimeoutException
TransportError = httpx.TransportError

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20)


def failed_before_sending(exc: BaseException) -> bool:
    """True when the request never left this machine, so a retry cannot duplicate it."""
    return isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout | httpx.PoolTimeout)


def is_timeout(exc: BaseException) -> bool:
    return isinstance(exc, httpx.TimeoutException)


def make_timeout(value: float | Timeout | None) -> Timeout:
    if value is None:
        return DEFAULT_TIMEOUT
    if isinstance(value, httpx.Timeout):
        return value
    return httpx.Timeout(value, connect=min(float(value), 5.0))


def new_sync_client(transport: BaseTransport | None, timeout: Timeout) -> Client:
    return httpx.Client(transport=transport, timeout=timeout, limits=DEFAULT_LIMITS)


def new_async_client(transport: AsyncBaseTransport | None, timeout: Timeout) -> AsyncClient:
    return httpx.AsyncClient(transport=transport, timeout=timeout, limits=DEFAULT_LIMITS)
