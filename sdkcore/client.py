"""One pure core and two thin send loops.

``BaseAPIClient`` builds requests, decides retries, maps responses to results or
exceptions and parses bodies, all without I/O. ``SyncAPIClient`` and ``AsyncAPIClient``
only send and sleep.
"""

from __future__ import annotations

import copy
import json
import logging
import os
import time
from collections.abc import Callable, Mapping, Sequence
from ipaddress import ip_address
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Generic, Self, TypedDict, TypeVar
from urllib.parse import urlsplit

import attrs
from pydantic import BaseModel

from ._version import __version__
from .bodies import (
    DEFAULT_MAX_RESPONSE_BYTES,
    NESTED_TOO_DEEPLY,
    dumps_json,
    loads_json,
    unreadable_reason,
)
from .clock import SYSTEM_CLOCK, Clock
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    FieldError,
    RateLimitError,
    RecordParseError,
    ResponseParseError,
    SDKError,
    ServerError,
    error_class_for_status,
    redacted_excerpt,
)
from .logs import get_logger
from .ratelimit import RateLimits, TokenBucket
from .redact import mask_secrets, redact_headers, redact_text, redact_url
from .retry import (
    Failure,
    RetryDecision,
    RetryPolicy,
    decide_after_failure,
    decide_after_status,
    parse_retry_after,
)
from .transport import (
    URL,
    AsyncBaseTransport,
    AsyncClient,
    Auth,
    BaseTransport,
    Client,
    DecodingError,
    Request,
    Response,
    Timeout,
    TransportError,
    check_max_response_bytes,
    failed_before_sending,
    is_timeout,
    make_timeout,
    new_async_client,
    new_sync_client,
)

T = TypeVar("T")

USER_AGENT = f"ponte-sdk/{__version__}"
REQUEST_ID_HEADERS = ("x-request-id", "request-id", "x-correlation-id", "x-amzn-requestid")
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH"})
NOT_GIVEN: Any = object()
"""The one "no value" sentinel: ``RequestOptions.json_body`` and ``request(json=)`` default
to it for a request with no JSON body, since ``None`` is a body (JSON ``null``)."""


class ClientOptions(TypedDict, total=False):
    """Settings every client takes besides its credentials, base URL and transport."""

    timeout: float | Timeout | None
    max_retries: int | None
    retry_policy: RetryPolicy | None
    rate_limiter: TokenBucket | RateLimits | bool | None
    default_headers: Mapping[str, str] | None
    clock: Clock | None
    max_response_bytes: int | None


@attrs.frozen
class RequestOptions:
    """Everything one call needs; resources build these, the client sends them.

    ``method`` and ``path`` come first; every other field is a keyword, so adding one can
    never shift another's meaning.
    """

    method: str
    path: str
    params: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True)
    json_body: Any = attrs.field(default=NOT_GIVEN, kw_only=True)
    content: bytes | None = attrs.field(default=None, kw_only=True)
    headers: Mapping[str, str] | None = attrs.field(default=None, kw_only=True)
    extra_headers: Mapping[str, str] | None = attrs.field(default=None, kw_only=True)
    extra_query: Mapping[str, Any] | None = attrs.field(default=None, kw_only=True)
    timeout: float | Timeout | None = attrs.field(default=None, kw_only=True)
    retry: RetryPolicy | None = attrs.field(default=None, kw_only=True)


@attrs.frozen
class PerCall:
    """The escape hatches every method accepts, carried from its signature to its request."""

    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, Any] | None = None
    timeout: float | Timeout | None = None

    def request(self, method: str, path: str, **fields: Any) -> RequestOptions:
        """The ``RequestOptions`` of ``method path`` with these escape hatches applied."""
        return RequestOptions(
            method,
            path,
            extra_headers=self.extra_headers,
            extra_query=self.extra_query,
            timeout=self.timeout,
            **fields,
        )


@attrs.frozen
class Call(Generic[T]):
    """A request and the function that turns its successful response into a result."""

    options: RequestOptions
    parse: Callable[[Response], T]


@attrs.frozen
class ErrorInfo:
    """What an API said about a failure, read from its body."""

    message: str | None = None
    code: str | None = None
    field_errors: tuple[FieldError, ...] = ()
    details: Any = None


@attrs.frozen(repr=False)
class APIResponse(Generic[T]):
    """A result together with the HTTP response it came from (``with_raw_response``)."""

    status_code: int
    headers: Mapping[str, str]
    parsed: T
    http_response: Response

    def __repr__(self) -> str:
        # What the server sent, for a log line, but no credential it echoed back.
        return mask_secrets(
            f"APIResponse(status_code={self.status_code!r}, headers={self.headers!r}, "
            f"parsed={self.parsed!r})"
        )

    @property
    def request_id(self) -> str | None:
        return find_request_id(self.http_response)

    @classmethod
    def of(cls, response: Response, parsed: T) -> APIResponse[T]:
        """``parsed``, read from ``response``, together with it."""
        return cls(response.status_code, dict(response.headers), parsed, response)


def find_request_id(response: Response) -> str | None:
    for name in REQUEST_ID_HEADERS:
        value: str | None = response.headers.get(name)
        if value:
            return value
    return None


def check_base_url(url: str) -> str:
    """Refuse plain http:// except to loopback, where test servers live."""
    parts = urlsplit(url)
    if parts.scheme == "https":
        return url.rstrip("/")
    if parts.scheme == "http":
        host = parts.hostname or ""
        try:
            loopback = host == "localhost" or ip_address(host).is_loopback
        except ValueError:
            loopback = False
        if loopback:
            return url.rstrip("/")
        raise ValueError(f"refusing plain http:// to {host}: use https (http is for loopback only)")
    raise ValueError(f"base_url must start with https:// (got {url!r})")


def json_dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def parse_json_body(response: Response) -> Any:
    """The decoded JSON body, or ``ResponseParseError`` naming what was wrong with it."""
    content = response.content
    if not content.strip():
        raise _parse_error(response, "the body is empty where JSON was expected")
    try:
        return loads_json(content)
    except ValueError as exc:
        if _looks_like_html(response):
            raise _parse_error(response, "the body is an HTML page, not JSON") from None
        raise _parse_error(response, f"the body is {exc}") from None


def _parse_error(response: Response, reason: str) -> ResponseParseError:
    return ResponseParseError(
        redact_text(reason),
        status_code=response.status_code,
        method=response.request.method,
        url=redact_url(str(response.request.url)),
        body=redacted_excerpt(response.content, redact_text),
        request_id=find_request_id(response),
    )


def parse_with(validate: Callable[[bytes], T]) -> Callable[[Response], T]:
    """Wrap a bytes validator (e.g. ``TypeAdapter.validate_json``) so shape errors become
    ``ResponseParseError`` with the status and a body excerpt."""

    def parse(response: Response) -> T:
        if not response.content.strip():
            raise _parse_error(response, "the body is empty where JSON was expected")
        try:
            return validate(response.content)
        except (ValueError, RecursionError) as exc:
            # pydantic's ValidationError is a ValueError; so is a JSON decode error.
            if _looks_like_html(response):
                raise _parse_error(response, "the body is an HTML page, not JSON") from None
            unreadable = unreadable_reason(exc)
            if unreadable is not None:
                raise _parse_error(response, f"the body is {unreadable}") from None
            raise _parse_error(response, f"unexpected body: {_short(exc)}") from None

    return parse


def one_record(parse: Callable[[Response], T]) -> Callable[[Response], T]:
    """``parse`` for the answer to a GET of one record, refusing an answer that is none.

    A model none of whose fields the answer has (``{}``, ``{"unexpected": true}``, an
    envelope around nothing) is a ``ResponseParseError`` with the status and a body excerpt,
    never a record whose every field is ``None``. One field is enough: a projection
    (``fields=["name"]``) answers with only the fields it asked for. Writes are not read
    this way: their answer comes after the change is made, when failing would hide it.
    """

    def parse_record(response: Response) -> T:
        record = parse(response)
        if isinstance(record, BaseModel) and not _has_a_field(record):
            name = type(record).__name__
            raise _parse_error(response, f"the answer has none of {name}'s fields")
        return record

    return parse_record


def _has_a_field(record: BaseModel) -> bool:
    # An unknown key is kept in ``model_extra`` and counted in ``model_fields_set`` too.
    extra = record.model_extra or {}
    return any(name not in extra for name in record.model_fields_set)


def records_parser(
    validate_all: Callable[[bytes], list[T]],
    validate_one: Callable[[bytes], T],
    records_of: Callable[[Any], Any] = lambda body: body,
    id_keys: Sequence[str] = ("id",),
) -> Callable[[Response, int], tuple[list[T], tuple[RecordParseError, ...]]]:
    """A parser of a list page's records that sets a misfit record apart.

    ``validate_all`` reads the whole body (the fast path); when it fails, the body's raw
    records (``records_of`` the decoded JSON) are read one by one with ``validate_one``.
    The parser answers the records that fit and a ``RecordParseError`` per misfit; a body
    whose failure is not in its records raises the page's ``ResponseParseError``.
    Both validators are bytes readers, ``json_reader``s for amounts read exactly.
    """
    parse_all = parse_with(validate_all)

    def parse(response: Response, page: int) -> tuple[list[T], tuple[RecordParseError, ...]]:
        try:
            return parse_all(response), ()
        except ResponseParseError as error:
            try:
                records = records_of(loads_json(response.content, exact=True))
            except (ValueError, TypeError, KeyError):
                raise error from None
            if not isinstance(records, list) or not records:
                raise error from None
            fitting, misfits = salvage_records(response, records, validate_one, page, id_keys)
            if not misfits:
                raise error from None  # every record fits alone: what failed is not a record
            return fitting, misfits

    return parse


def salvage_records(
    response: Response,
    records: Sequence[Any],
    validate: Callable[[bytes], T],
    page: int,
    id_keys: Sequence[str] = ("id",),
) -> tuple[list[T], tuple[RecordParseError, ...]]:
    """Validate each record of a list page on its own, after the page as a whole failed.

    ``records`` are the raw JSON values of the page's records (``loads_json(exact=True)``
    keeps their numbers' digits); each goes back through ``validate`` as JSON, so it is read
    exactly as the whole page would have read it. The records that fit come back in order,
    the others as ``RecordParseError``s that name the record (its place, its id under the
    first of ``id_keys`` it has) and the reason.
    """
    fitting: list[T] = []
    misfits: list[RecordParseError] = []
    for index, record in enumerate(records):
        text = dumps_json(record)
        try:
            fitting.append(validate(text.encode()))
        except ValueError as exc:
            ident = _record_id(record, id_keys)
            named = f"record {index}" + (f" (id {ident})" if ident is not None else "")
            misfits.append(
                RecordParseError(
                    redact_text(f"{named} of page {page} does not fit: {_short(exc)}"),
                    index=index,
                    page=page,
                    record_id=ident,
                    status_code=response.status_code,
                    method=response.request.method,
                    url=redact_url(str(response.request.url)),
                    body=redact_text(text),
                    request_id=find_request_id(response),
                )
            )
    return fitting, tuple(misfits)


def _record_id(record: Any, keys: Sequence[str]) -> str | None:
    if isinstance(record, dict):
        for key in keys:
            value = record.get(key)
            if value is not None and value != "":
                return str(value)
    return None


def _looks_like_html(response: Response) -> bool:
    return (
        "html" in response.headers.get("content-type", "") or response.content.lstrip()[:1] == b"<"
    )


def _short(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        # pydantic: name the fields, never echo their values (they may be tokens).
        try:
            items = errors(include_url=False, include_input=False, include_context=False)
            # A union reports every alternative that failed; a reason from our own
            # validators ("ambiguous amount") says more than "not an integer", so it leads.
            items = sorted(items, key=lambda item: item["type"] in _TYPE_MISMATCHES)
            return "; ".join(f"{_field_path(item['loc'])}: {item['msg']}" for item in items[:4])
        except (TypeError, KeyError):
            pass
    text = str(exc).splitlines()
    return "; ".join(line.strip() for line in text[:4])


# pydantic error types that only say "this alternative was not that type".
_TYPE_MISMATCHES = frozenset(
    {
        "bool_type",
        "bool_parsing",
        "date_type",
        "datetime_type",
        "decimal_type",
        "float_type",
        "int_type",
        "is_instance_of",
        "none_required",
        "string_type",
    }
)


def _field_path(loc: Sequence[int | str]) -> str:
    # Segments with brackets ("function-after[f(), str]") name pydantic's schemas, and
    # "<class 'str'>" a union tagged by the input's type; neither is a field.
    return ".".join(str(p) for p in loc if not _schema_segment(p)) or "body"


def _schema_segment(segment: int | str) -> bool:
    return isinstance(segment, str) and ("[" in segment or segment.startswith("<class '"))


def _text(body: bytes) -> str:
    return body.decode("utf-8", "replace")


def parse_nothing(response: Response) -> None:
    return None


def default_error_info(data: Any) -> ErrorInfo:
    """Read the common error shapes: ``{"message"}``, ``{"error"}``, ``{"errors": [...]}``."""
    if isinstance(data, str):
        return ErrorInfo(message=data)
    if not isinstance(data, dict):
        return ErrorInfo()
    message = data.get("message") or data.get("error_description") or data.get("title")
    error = data.get("error")
    code = data.get("code") or data.get("errorCode")
    if isinstance(error, str):
        message = message or error
        code = code or error
    elif isinstance(error, dict):
        nested = default_error_info(error)
        return attrs.evolve(nested, details=data)
    fields: list[FieldError] = []
    errors = data.get("errors") or data.get("fields") or data.get("details")
    if isinstance(errors, list):
        for item in errors:
            if isinstance(item, dict):
                fields.append(
                    FieldError(
                        field=item.get("field") or item.get("element") or item.get("target"),
                        message=str(item.get("message") or item.get("msg") or item),
                        code=_str_or_none(item.get("code")),
                    )
                )
            else:
                fields.append(FieldError(field=None, message=str(item)))
    elif isinstance(errors, dict):
        for field, messages in errors.items():
            for msg in messages if isinstance(messages, list) else [messages]:
                fields.append(FieldError(field=str(field), message=str(msg)))
    return ErrorInfo(
        message=str(message) if message else None,
        code=_str_or_none(code),
        field_errors=tuple(fields),
        details=data,
    )


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)


class BaseAPIClient:
    """The I/O-free half of a client: configuration, request building, error mapping.

    Subclasses (one per API) set the class attributes and may override
    ``error_info`` and ``error_class`` to read their API's error bodies.
    """

    package: str = "sdkcore"
    default_base_url: str = ""
    base_url_env: str | None = None  # the environment variable that may override it
    api_headers: Mapping[str, str] = MappingProxyType({})  # sent on every request
    default_rate: tuple[float, float, int] | None = None  # (requests, per seconds, burst)
    # More limits the API sets beside ``default_rate`` (say, a minute's), each a bucket.
    default_rates: tuple[tuple[float, float, int], ...] = ()

    def __init__(
        self,
        *,
        base_url: str | None = None,
        auth: Auth | None = None,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        rate_limiter: TokenBucket | RateLimits | bool | None = True,
        default_headers: Mapping[str, str] | None = None,
        clock: Clock | None = None,
        max_response_bytes: int | None = None,
    ) -> None:
        from_env = env(self.base_url_env) if self.base_url_env else None
        self.base_url = check_base_url(base_url or from_env or self.default_base_url)
        self._auth = auth
        self.timeout = make_timeout(timeout)
        policy = retry_policy or RetryPolicy()
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        self.retry_policy = policy
        self.clock = clock or SYSTEM_CLOCK
        self.max_response_bytes = check_max_response_bytes(
            DEFAULT_MAX_RESPONSE_BYTES if max_response_bytes is None else max_response_bytes
        )
        self.rate_limiter = self._make_limiter(rate_limiter)
        self._headers = _merge_headers(
            {"User-Agent": USER_AGENT, "Accept": "application/json", **self.api_headers},
            default_headers,
        )
        self._raw = False
        self.log = get_logger(self.package)  # raises LogLevelError for a PONTE_LOG it can't read

    def _make_limiter(
        self, setting: TokenBucket | RateLimits | bool | None
    ) -> TokenBucket | RateLimits | None:
        if isinstance(setting, TokenBucket | RateLimits):
            return setting
        if setting is not True:
            return None
        first = (self.default_rate,) if self.default_rate is not None else ()
        buckets = [
            TokenBucket(rate, per=per, burst=burst, clock=self.clock)
            for rate, per, burst in (*first, *self.default_rates)
        ]
        if len(buckets) > 1:
            return RateLimits(*buckets)
        return buckets[0] if buckets else None

    # -- request building ------------------------------------------------------------

    def build_request(self, options: RequestOptions) -> Request:
        url = options.path if "://" in options.path else self.base_url + options.path
        params = {k: v for k, v in (options.params or {}).items() if v is not None}
        params.update(options.extra_query or {})
        headers = _merge_headers(self._headers, options.headers)
        content = options.content
        if options.json_body is not NOT_GIVEN:
            content = json_dumps(options.json_body)
        wants_type = content is not None or options.method.upper() in WRITE_METHODS
        if wants_type and not any(key.lower() == "content-type" for key in headers):
            headers["Content-Type"] = "application/json"
        headers = _merge_headers(headers, options.extra_headers)
        timeout = make_timeout(options.timeout) if options.timeout else self.timeout
        target = URL(url)
        query = _query_values(params)
        if query:  # merged, so a query already in the path (a next-page link) is kept
            target = target.copy_merge_params(query)
        return Request(
            options.method.upper(),
            target,
            headers=headers,
            content=content,
            extensions={"timeout": timeout.as_dict()},
        )

    # -- response mapping ------------------------------------------------------------

    def error_info(self, response: Response) -> ErrorInfo:
        """What the body says about the error; override for an API's own shapes."""
        try:
            data = loads_json(response.content) if response.content.strip() else None
        except ValueError:
            return ErrorInfo()
        return default_error_info(data)

    def error_class(self, response: Response, info: ErrorInfo) -> type[APIError]:
        """Pick the exception family; override where an API signals by body, not status."""
        return error_class_for_status(response.status_code)

    def is_throttled(self, response: Response) -> bool:
        """Whether a response means "slow down"; 429 everywhere, more where APIs differ."""
        return response.status_code == 429

    def make_error(self, response: Response, retry_after: float | None = None) -> APIError:
        info = self.error_info(response)
        cls = RateLimitError if self.is_throttled(response) else self.error_class(response, info)
        message = self.redact(info.message or _default_message(response))
        return cls(
            message,
            status_code=response.status_code,
            method=response.request.method,
            url=self.safe_url(response.request.url),
            body=redacted_excerpt(response.content, self.redact),
            request_id=find_request_id(response),
            code=info.code,
            field_errors=info.field_errors,
            details=info.details,
            retry_after=retry_after,
        )

    def connection_error(self, request: Request, exc: Exception) -> APIError:
        cls = APITimeoutError if is_timeout(exc) else APIConnectionError
        what = "timed out" if cls is APITimeoutError else "connection failed"
        return cls(
            f"{what}: {self._failure_text(exc)}",
            method=request.method,
            url=self.safe_url(request.url),
        )

    def _failure_text(self, exc: Exception) -> str:
        """httpx's exception, named and masked: for a connection error and its retry line."""
        return f"{type(exc).__name__}: {self.redact(str(exc)) or 'no detail'}"

    def decoding_error(self, request: Request, exc: Exception) -> APIError:
        return ResponseParseError(
            f"the body could not be decoded: {self.redact(str(exc)) or type(exc).__name__}",
            method=request.method,
            url=self.safe_url(request.url),
        )

    def redact(self, text: str) -> str:
        secrets = getattr(self._auth, "secrets", ())
        return redact_text(text, secrets)

    def safe_url(self, url: object) -> str:
        """The URL without secrets, whether in the query or (as some APIs put them) the path."""
        return self.redact(redact_url(str(url)))

    def retry_after(self, response: Response) -> float | None:
        """Seconds the server asked us to wait; override where an API says it in the body."""
        return parse_retry_after(response.headers.get("retry-after"), self.clock.time())

    def _wait_before_resend(
        self, request: Request, exc: Exception, retries: int, policy: RetryPolicy
    ) -> float:
        """After a send that got no HTTP answer: how long to wait before trying again, or
        raise the exception the caller should see."""
        if isinstance(exc, DecodingError):
            raise self.decoding_error(request, exc) from None
        if isinstance(exc, RateLimitError | ServerError):
            # Raised by the auth flow: its token request was throttled or failed, so the
            # request itself was never sent and trying again is safe for any method.
            decision = self._after_auth_throttle(exc, retries, policy)
            if not decision.retry:
                raise exc
            status = _status_text(exc.status_code, isinstance(exc, RateLimitError))
            cause = f"its token request got {status}"
            self._log_retry(request, cause, decision.wait, retries, policy)
        elif isinstance(exc, APIError):
            # The auth flow's refusal, or a body over max_response_bytes: final.
            if exc.url:
                exc.url = self.safe_url(exc.url)
            raise exc
        else:
            failure = _failure_kind(exc)
            decision = decide_after_failure(policy, request.method, failure, retries)
            if not decision.retry:
                # Not chained: httpx's exception may quote a credential (a header value it
                # refused), and a traceback shows a cause unmasked; ours names it, masked.
                raise self.connection_error(request, exc) from None
            self._log_retry(request, self._failure_text(exc), decision.wait, retries, policy)
        return decision.wait

    def _after_auth_throttle(
        self, exc: RateLimitError | ServerError, retries: int, policy: RetryPolicy
    ) -> RetryDecision:
        wait = exc.retry_after
        if retries >= policy.max_retries or (wait is not None and wait > policy.max_retry_wait):
            return RetryDecision(retry=False)
        return RetryDecision(retry=True, wait=wait if wait is not None else policy.backoff(retries))

    def may_retry_throttle(self, response: Response) -> bool:
        """Whether a throttling answer is worth waiting out (not, say, a daily quota)."""
        return True

    def _decide(
        self, request: Request, response: Response, retries: int, policy: RetryPolicy
    ) -> RetryDecision:
        retry_after = self.retry_after(response)
        status = 429 if self.is_throttled(response) else response.status_code
        if status == 429 and not self.may_retry_throttle(response):
            return RetryDecision(retry=False)
        decision = decide_after_status(policy, request.method, status, retries, retry_after)
        # A wait too long to sleep is the caller's to schedule: the limiter must not make
        # the next call sleep it silently.
        if status == 429 and self.rate_limiter is not None and not decision.wait_too_long:
            self.rate_limiter.pause(retry_after if retry_after is not None else decision.wait)
        if decision.retry:
            cause = _status_text(response.status_code, status == 429)
            self._log_retry(request, cause, decision.wait, retries, policy)
        return decision

    def _log_retry(
        self, request: Request, cause: str, wait: float, retries: int, policy: RetryPolicy
    ) -> None:
        """One line per retry, whichever the client and the cause: the request (its URL
        masked), what went wrong, which retry this is and how long it waits first."""
        self.log.info(
            "retrying %s %s in %.2f s (retry %d of %d) after %s",
            request.method,
            self.safe_url(request.url),  # a space after it: a masked query value ends there
            wait,
            retries + 1,
            policy.max_retries,
            cause,
        )

    def _finish(self, response: Response, parse: Callable[[Response], T], retry_after: Any) -> T:
        if response.status_code >= 400:
            raise self.make_error(response, retry_after)
        try:
            parsed = parse(response)
        except APIError as err:
            err.url = self.safe_url(err.url) if err.url else err.url
            err.body_excerpt = self.redact(err.body_excerpt)
            raise
        except SDKError:
            raise
        except RecursionError:  # a parser that read JSON without loads_json
            raise _parse_error(response, f"the body is {NESTED_TOO_DEEPLY}") from None
        except (ValueError, KeyError, TypeError) as exc:
            raise _parse_error(response, f"unexpected body: {_short(exc)}") from None
        return parsed

    def _log_request(self, request: Request, attempt: int) -> None:
        if self.log.isEnabledFor(logging.DEBUG):
            self.log.debug(
                "request %s %s attempt=%d headers=%s body=%s",
                request.method,
                self.safe_url(request.url),
                attempt,
                self.redact(str(redact_headers(request.headers.items()))),
                self._log_excerpt(request.content),
            )

    def _log_response(self, request: Request, response: Response, started: float) -> None:
        if self.log.isEnabledFor(logging.DEBUG):
            self.log.debug(
                "response %s %s status=%d in %.0f ms request_id=%s body=%s",
                request.method,
                self.safe_url(request.url),
                response.status_code,
                (time.perf_counter() - started) * 1000,
                find_request_id(response),
                self._log_excerpt(response.content),
            )

    def _log_excerpt(self, body: bytes) -> str:
        # Cut to the excerpt, then masked: never a pass of every pattern over a whole
        # multi-megabyte body to print 500 characters of it.
        return redacted_excerpt(body, self.redact)

    def _copy(self, **changes: Any) -> Self:
        """A shallow copy sharing the connection pool and limiter, minus cached resources."""
        clone = copy.copy(self)
        for key, value in list(vars(clone).items()):
            if isinstance(value, Resource):
                del clone.__dict__[key]
        clone._owns_http = False  # type: ignore[attr-defined]
        for key, value in changes.items():
            setattr(clone, key, value)
        return clone

    def with_options(
        self,
        *,
        timeout: float | Timeout | None = None,
        max_retries: int | None = None,
        retry_policy: RetryPolicy | None = None,
        default_headers: Mapping[str, str] | None = None,
        base_url: str | None = None,
    ) -> Self:
        """A cheap copy with other settings, sharing this client's connection pool."""
        changes: dict[str, Any] = {}
        if timeout is not None:
            changes["timeout"] = make_timeout(timeout)
        policy = retry_policy or self.retry_policy
        if max_retries is not None:
            policy = attrs.evolve(policy, max_retries=max_retries)
        changes["retry_policy"] = policy
        if default_headers:
            changes["_headers"] = _merge_headers(self._headers, default_headers)
        if base_url is not None:
            changes["base_url"] = check_base_url(base_url)
        return self._copy(**changes)

    @property
    def with_raw_response(self) -> Self:
        """A copy of this client whose calls return ``APIResponse[...]`` (status, headers,
        request id and the parsed value) in place of the parsed value alone.

        ``list()`` returns a raw pager, whose pages are ``APIResponse[Page[...]]``; a method
        that sends several requests answers with the last one's response and its result.
        ``request()`` answers with an ``APIResponse``; ``send()`` always parses.

        Typed as the client itself here; each packaged client (``ContaAzul``, ``Bling``,
        ``Auvo`` and their async twins) narrows it so a type checker knows
        ``client.with_raw_response.customers.get(1)`` returns ``APIResponse[Customer]``.
        """
        return self._copy(_raw=True)


def _default_message(response: Response) -> str:
    return response.reason_phrase or f"HTTP {response.status_code}"


def _merge_headers(base: Mapping[str, str], update: Mapping[str, str] | None) -> dict[str, str]:
    """``base`` updated with ``update``, header names compared without case."""
    merged = dict(base)
    for key, value in (update or {}).items():
        for existing in [k for k in merged if k.lower() == key.lower()]:
            del merged[existing]
        merged[key] = value
    return merged


def _query_values(params: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in params.items():
        if isinstance(value, bool):
            out[key] = "true" if value else "false"
        elif isinstance(value, list | tuple):
            out[key] = [str(v) for v in value]
        else:
            out[key] = str(value) if not isinstance(value, str) else value
    return out


C = TypeVar("C", bound="BaseAPIClient", covariant=True)


class Resource(Generic[C]):
    """A group of endpoints bound to one client, sync or async (see ``sdkcore.endpoints``)."""

    def __init__(self, client: C) -> None:
        self._client = client


class SyncAPIClient(BaseAPIClient):
    """Sends with ``httpx.Client`` and sleeps with the clock; nothing else."""

    def __init__(
        self,
        *,
        http_client: Client | None = None,
        transport: BaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or new_sync_client(
            transport, self.timeout, self.max_response_bytes
        )

    def send(self, call: Call[T]) -> T:
        """Send ``call`` (auth, rate limit, retries, errors) and return its parsed result."""
        return self._exchange(call)[1]

    def send_raw(self, call: Call[T]) -> APIResponse[T]:
        """``send``, answering with the HTTP response too (status, headers, request id)."""
        return APIResponse.of(*self._exchange(call))

    def _exchange(self, call: Call[T]) -> tuple[Response, T]:
        policy = call.options.retry or self.retry_policy
        request = self.build_request(call.options)
        retries = 0
        while True:
            self._throttle()
            self._log_request(request, retries + 1)
            started = time.perf_counter()
            try:
                response = self._http.send(request, auth=self._auth)
            except (TransportError, DecodingError, APIError) as exc:
                wait = self._wait_before_resend(request, exc, retries, policy)
                self.clock.sleep(wait)
                retries += 1
                continue
            self._log_response(request, response, started)
            decision = self._decide(request, response, retries, policy)
            if decision.retry:
                response.close()
                self.clock.sleep(decision.wait)
                retries += 1
                continue
            return response, self._finish(response, call.parse, self.retry_after(response))

    def _throttle(self) -> None:
        if self.rate_limiter is not None:
            self.clock.sleep(self.rate_limiter.reserve())

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Any:
        """Any endpoint, with the client's auth, retries, limits and errors; returns JSON."""
        per_call = PerCall(extra_headers=extra_headers, extra_query=extra_query, timeout=timeout)
        call = Call(per_call.request(method, path, params=params, json_body=json), _json_or_none)
        return self.send_raw(call) if self._raw else self.send(call)

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class AsyncAPIClient(BaseAPIClient):
    """Sends with ``httpx.AsyncClient`` and sleeps with the clock; nothing else."""

    def __init__(
        self,
        *,
        http_client: AsyncClient | None = None,
        transport: AsyncBaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._owns_http = http_client is None
        self._http = http_client or new_async_client(
            transport, self.timeout, self.max_response_bytes
        )

    async def send(self, call: Call[T]) -> T:
        """Send ``call`` (auth, rate limit, retries, errors) and return its parsed result."""
        return (await self._exchange(call))[1]

    async def send_raw(self, call: Call[T]) -> APIResponse[T]:
        """``send``, answering with the HTTP response too (status, headers, request id)."""
        return APIResponse.of(*(await self._exchange(call)))

    async def _exchange(self, call: Call[T]) -> tuple[Response, T]:
        policy = call.options.retry or self.retry_policy
        request = self.build_request(call.options)
        retries = 0
        while True:
            await self._throttle()
            self._log_request(request, retries + 1)
            started = time.perf_counter()
            try:
                response = await self._http.send(request, auth=self._auth)
            except (TransportError, DecodingError, APIError) as exc:
                wait = self._wait_before_resend(request, exc, retries, policy)
                await self.clock.async_sleep(wait)
                retries += 1
                continue
            self._log_response(request, response, started)
            decision = self._decide(request, response, retries, policy)
            if decision.retry:
                await response.aclose()
                await self.clock.async_sleep(decision.wait)
                retries += 1
                continue
            return response, self._finish(response, call.parse, self.retry_after(response))

    async def _throttle(self) -> None:
        if self.rate_limiter is not None:
            await self.clock.async_sleep(self.rate_limiter.reserve())

    async def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = NOT_GIVEN,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Any:
        """Any endpoint, with the client's auth, retries, limits and errors; returns JSON."""
        per_call = PerCall(extra_headers=extra_headers, extra_query=extra_query, timeout=timeout)
        call = Call(per_call.request(method, path, params=params, json_body=json), _json_or_none)
        return await (self.send_raw(call) if self._raw else self.send(call))

    async def close(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


if TYPE_CHECKING:
    # What a type checker sees of ``with_raw_response``: nothing is ever of these classes at
    # run time, where the raw client is a copy of the client itself. Each packaged client
    # declares a subclass of its own class and one of these (``ContaAzul`` and
    # ``RawResponseSyncClient``), and the endpoint descriptors type a method bound to one
    # as returning ``APIResponse[...]``, and a list bound to one as returning a raw pager
    # (see ``sdkcore.endpoints``).

    class RawResponseSyncClient(SyncAPIClient):
        """A sync client whose endpoint methods return ``APIResponse[...]``."""

    class RawResponseAsyncClient(AsyncAPIClient):
        """An async client whose endpoint methods return ``APIResponse[...]``."""


def _json_or_none(response: Response) -> Any:
    return parse_json_body(response) if response.content.strip() else None


def _status_text(status: int | None, throttled: bool) -> str:
    # Auvo throttles with a 403: say so, or the retry of a "forbidden" reads as a bug.
    rate_limited = " (rate limited)" if throttled and status != 429 else ""
    return f"status {status}{rate_limited}"


def _failure_kind(exc: BaseException) -> Failure:
    if failed_before_sending(exc):
        return Failure.NOT_SENT
    if is_timeout(exc):
        return Failure.TIMEOUT
    return Failure.DROPPED


def env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None
