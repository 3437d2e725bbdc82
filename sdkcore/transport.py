"""The one module that imports httpx.

Everything else in the SDK talks to httpx through the names re-exported here, so
swapping the HTTP library means changing this file alone.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import httpx

from .bodies import DEFAULT_MAX_RESPONSE_BYTES
from .errors import ResponseParseError
from .redact import redact_url

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


def new_sync_client(
    transport: BaseTransport | None,
    timeout: Timeout,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> Client:
    """An httpx client whose every response (token requests' too) is capped while read."""
    cap = _SyncCap(check_max_response_bytes(max_response_bytes))
    return httpx.Client(
        transport=transport,
        timeout=timeout,
        limits=DEFAULT_LIMITS,
        event_hooks={"response": [cap]},
    )


def new_async_client(
    transport: AsyncBaseTransport | None,
    timeout: Timeout,
    max_response_bytes: int = DEFAULT_MAX_RESPONSE_BYTES,
) -> AsyncClient:
    """``new_sync_client`` for asyncio."""
    cap = _AsyncCap(check_max_response_bytes(max_response_bytes))
    return httpx.AsyncClient(
        transport=transport,
        timeout=timeout,
        limits=DEFAULT_LIMITS,
        event_hooks={"response": [cap]},
    )


# -- the response size cap -----------------------------------------------------------------
# A response hook runs before anything reads the body (the auth flow, the client, httpx
# itself), on every hop, whatever transport or proxy answered; it swaps the body's stream
# for one that stops at the cap, so an endless or enormous answer is never held in memory.
# The cap counts decoded bytes (see ``_take_encoding``); a compressed chunk is inflated
# whole before it is counted, so the most held past the cap is one chunk's inflation.


def check_max_response_bytes(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"max_response_bytes must be a positive number of bytes (got {value!r})")
    return value


def body_too_large(response: Response, limit: int) -> ResponseParseError:
    return ResponseParseError(
        f"the body is larger than {limit} bytes (max_response_bytes): not read",
        status_code=response.status_code,
        method=response.request.method,
        url=redact_url(str(response.request.url)),
    )


def _refuse_declared_length(response: Response, limit: int) -> None:
    if response.request.method == "HEAD":  # the length of a body that is not sent
        return
    declared = response.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise body_too_large(response, limit)


class _CappedSyncStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, response: Response, limit: int) -> None:
        self._inner = inner
        self._response = response
        self._limit = limit

    def __iter__(self) -> Iterator[bytes]:
        seen = 0
        for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise body_too_large(self._response, self._limit)
            yield chunk

    def close(self) -> None:
        self._inner.close()


class _CappedAsyncStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, response: Response, limit: int) -> None:
        self._inner = inner
        self._response = response
        self._limit = limit

    async def __aiter__(self) -> AsyncIterator[bytes]:
        seen = 0
        async for chunk in self._inner:
            seen += len(chunk)
            if seen > self._limit:
                raise body_too_large(self._response, self._limit)
            yield chunk

    async def aclose(self) -> None:
        await self._inner.aclose()


def _take_encoding(response: Response) -> Headers | None:
    """The body's ``Content-Encoding``, taken off the response, or None when it has none.

    The capped stream then decodes the body itself (with httpx's own decoders, through a
    throwaway ``Response``) and counts the decoded bytes: counted on the wire, a few
    kilobytes of gzip could inflate past the cap to gigabytes in memory."""
    if "content-encoding" not in response.headers:
        return None
    encoding = httpx.Headers({"content-encoding": response.headers["content-encoding"]})
    del response.headers["content-encoding"]  # decoded here: httpx must not decode again
    return encoding


class _DecodedSyncStream(httpx.SyncByteStream):
    def __init__(self, inner: httpx.SyncByteStream, encoding: Headers) -> None:
        self._body = httpx.Response(200, headers=encoding, stream=inner)

    def __iter__(self) -> Iterator[bytes]:
        yield from self._body.iter_bytes()

    def close(self) -> None:
        self._body.close()


class _DecodedAsyncStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream, encoding: Headers) -> None:
        self._body = httpx.Response(200, headers=encoding, stream=inner)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._body.aiter_bytes():
            yield chunk

    async def aclose(self) -> None:
        await self._body.aclose()


class _SyncCap:
    def __init__(self, limit: int) -> None:
        self.limit = limit

    def __call__(self, response: Response) -> None:
        _refuse_declared_length(response, self.limit)
        stream = response.stream
        if isinstance(stream, httpx.SyncByteStream):
            encoding = _take_encoding(response)
            if encoding is not None:
                stream = _DecodedSyncStream(stream, encoding)
            response.stream = _CappedSyncStream(stream, response, self.limit)


class _AsyncCap:
    def __init__(self, limit: int) -> None:
        self.limit = limit

    async def __call__(self, response: Response) -> None:
        _refuse_declared_length(response, self.limit)
        stream = response.stream
        if isinstance(stream, httpx.AsyncByteStream):
            encoding = _take_encoding(response)
            if encoding is not None:
                stream = _DecodedAsyncStream(stream, encoding)
            response.stream = _CappedAsyncStream(stream, response, self.limit)
