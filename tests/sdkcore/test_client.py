"""The client core, sync and async through the same tests: retries, Retry-After, the
status-to-exception table, bad bodies, transport failures, options and escape hatches."""

from __future__ import annotations

import gzip
import inspect
import json
from collections.abc import Callable
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Any

import httpx
import pytest
import respx
from pydantic import BaseModel, TypeAdapter

import sdkcore
from sdkcore import (
    APIConnectionError,
    APIError,
    APIResponse,
    APIStatusError,
    APITimeoutError,
    AsyncAPIClient,
    AuthenticationError,
    BadRequestError,
    Call,
    ConflictError,
    FakeClock,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    RequestOptions,
    ResponseParseError,
    RetryPolicy,
    ServerError,
    SyncAPIClient,
    ValidationError,
)
from sdkcore.client import check_base_url, env, parse_json_body, parse_nothing, parse_with

BASE = "https://api.example.test"
Make = Callable[..., Any]


def resp(status: int = 200, body: Any = None, **headers: str) -> httpx.Response:
    if isinstance(body, bytes | str):
        return httpx.Response(status, content=body, headers=headers)
    if body is None:
        return httpx.Response(status, headers=headers)
    return httpx.Response(status, json=body, headers=headers)


# -- retries ---------------------------------------------------------------------------


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_idempotent_methods_retry_each_retryable_status_twice(
    make_client: Make, clock: FakeClock, status: int, method: str, scripted: Any
) -> None:
    t = scripted(default=resp(status, {"message": "busy"}))
    api = make_client(t)
    with pytest.raises(APIStatusError) as info:
        api.request(method, "/things/1")
    assert info.value.status_code == status
    assert t.methods == [method] * 3
    assert len(clock.sleeps) == 2
    assert all(0.5 <= s <= 8 for s in clock.sleeps)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503, 504])
def test_a_retry_that_succeeds_returns_the_result(
    make_client: Make, clock: FakeClock, status: int, scripted: Any
) -> None:
    t = scripted(resp(status), resp(200, {"id": 1}))
    api = make_client(t)
    assert api.request("GET", "/things/1") == {"id": 1}
    assert len(t.requests) == 2
    assert len(clock.sleeps) == 1


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409, 412, 422, 501])
def test_other_statuses_are_not_retried(
    make_client: Make, clock: FakeClock, status: int, scripted: Any
) -> None:
    t = scripted(default=resp(status))
    api = make_client(t)
    with pytest.raises(APIStatusError):
        api.request("GET", "/things/1")
    assert len(t.requests) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_methods_retry_only_on_429(
    make_client: Make, clock: FakeClock, method: str, scripted: Any
) -> None:
    t = scripted(default=resp(429))
    api = make_client(t)
    with pytest.raises(RateLimitError):
        api.request(method, "/things", json={"name": "a"})
    assert len(t.requests) == 3


@pytest.mark.parametrize("status", [408, 500, 502, 503, 504])
@pytest.mark.parametrize("method", ["POST", "PATCH"])
def test_non_idempotent_methods_never_retry_server_errors(
    make_client: Make, clock: FakeClock, status: int, method: str, scripted: Any
) -> None:
    t = scripted(default=resp(status))
    api = make_client(t)
    with pytest.raises(APIStatusError):
        api.request(method, "/things", json={"name": "a"})
    assert len(t.requests) == 1
    assert clock.sleeps == []


@pytest.mark.parametrize(
    ("error", "method", "attempts", "raised"),
    [
        (httpx.ConnectError("refused"), "POST", 3, APIConnectionError),
        (httpx.ConnectTimeout("slow connect"), "POST", 3, APITimeoutError),
        (httpx.PoolTimeout("no free connection"), "POST", 3, APITimeoutError),
        (httpx.ReadTimeout("slow"), "POST", 1, APITimeoutError),
        (httpx.WriteTimeout("slow"), "POST", 1, APITimeoutError),
        (httpx.ReadError("reset"), "POST", 1, APIConnectionError),
        (httpx.RemoteProtocolError("peer closed"), "POST", 1, APIConnectionError),
        (httpx.ConnectError("refused"), "GET", 3, APIConnectionError),
        (httpx.ReadTimeout("slow"), "GET", 3, APITimeoutError),
        (httpx.ReadTimeout("slow"), "PUT", 3, APITimeoutError),
        (httpx.ReadError("reset"), "DELETE", 3, APIConnectionError),
        (httpx.RemoteProtocolError("peer closed"), "GET", 3, APIConnectionError),
    ],
)
def test_transport_failures(
    make_client: Make,
    clock: FakeClock,
    error: Exception,
    method: str,
    attempts: int,
    raised: type[APIError],
    scripted: Any,
) -> None:
    t = scripted(*[error] * 3)
    api = make_client(t)
    with pytest.raises(raised) as info:
        api.request(method, "/things?apiKey=s3cr3t-key-value", json=None)
    assert type(info.value) is raised
    assert len(t.requests) == attempts
    assert len(clock.sleeps) == attempts - 1
    err = info.value
    assert err.status_code is None
    assert err.method == method
    assert err.url == f"{BASE}/things?apiKey=***"
    assert type(error).__name__ in str(err)
    assert "s3cr3t" not in str(err)


def test_a_connect_error_then_success_is_retried_for_post(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(httpx.ConnectError("refused"), resp(201, {"id": 7}))
    api = make_client(t)
    assert api.request("POST", "/things", json={"name": "a"}) == {"id": 7}
    assert t.methods == ["POST", "POST"]


def test_max_retries_default_client_option_with_options_and_per_call(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(default=resp(503))
    default = make_client(t)
    with pytest.raises(ServerError):
        default.request("GET", "/x")
    assert len(t.requests) == 3  # default max_retries=2

    t = scripted(default=resp(503))
    none = make_client(t, max_retries=0)
    with pytest.raises(ServerError):
        none.request("GET", "/x")
    assert len(t.requests) == 1

    t = scripted(default=resp(503))
    api = make_client(t)
    patient = api.client.with_options(max_retries=4)
    with pytest.raises(ServerError):
        api(patient.request("GET", "/x"))
    assert len(t.requests) == 5
    assert api.client.retry_policy.max_retries == 2  # the original is unchanged

    t.requests.clear()
    with pytest.raises(ServerError):
        api.send(
            Call(
                RequestOptions("GET", "/x", retry=RetryPolicy(max_retries=1)),
                parse_json_body,
            )
        )
    assert len(t.requests) == 2

    t = scripted(default=resp(503))
    policy = make_client(t, retry_policy=RetryPolicy(max_retries=3), max_retries=1)
    with pytest.raises(ServerError):
        policy.request("GET", "/x")
    assert len(t.requests) == 2  # max_retries= wins over the policy's own


# -- Retry-After -------------------------------------------------------------------------


def test_retry_after_seconds_is_slept_exactly(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(resp(429, **{"Retry-After": "7"}), resp(200, {"ok": 1}))
    api = make_client(t)
    assert api.request("GET", "/x") == {"ok": 1}
    assert clock.sleeps == [7.0]


def test_retry_after_fractional_and_zero(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(
        resp(503, **{"Retry-After": "1.5"}), resp(503, **{"Retry-After": "0"}), resp(200, {})
    )
    api = make_client(t)
    api.request("GET", "/x")
    assert clock.sleeps == [1.5, 0.0]


def test_retry_after_http_date_is_read_against_the_clock(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    when = datetime.fromtimestamp(clock.time() + 12, UTC)
    t = scripted(
        resp(503, **{"Retry-After": format_datetime(when, usegmt=True)}), resp(200, {"ok": 1})
    )
    api = make_client(t)
    assert api.request("GET", "/x") == {"ok": 1}
    assert clock.sleeps == [12.0]


def test_retry_after_in_the_past_means_now(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    when = datetime.fromtimestamp(clock.time() - 3600, UTC)
    t = scripted(resp(429, **{"Retry-After": format_datetime(when, usegmt=True)}), resp(200, {}))
    make_client(t).request("GET", "/x")
    assert clock.sleeps == [0.0]


def test_unreadable_retry_after_falls_back_to_backoff(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(resp(429, **{"Retry-After": "soon"}), resp(200, {}))
    make_client(t).request("GET", "/x")
    assert len(clock.sleeps) == 1
    assert 0.5 <= clock.sleeps[0] <= 8


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_retry_after_beyond_max_retry_wait_raises_without_sleeping(
    make_client: Make, clock: FakeClock, method: str, scripted: Any
) -> None:
    t = scripted(default=resp(429, {"message": "slow down"}, **{"Retry-After": "120"}))
    api = make_client(t)
    with pytest.raises(RateLimitError) as info:
        api.request(method, "/x", json={} if method == "POST" else None)
    assert info.value.retry_after == 120.0
    assert info.value.status_code == 429
    assert clock.sleeps == []
    assert len(t.requests) == 1


def test_max_retry_wait_is_configurable(make_client: Make, clock: FakeClock, scripted: Any) -> None:
    t = scripted(resp(429, **{"Retry-After": "120"}), resp(200, {}))
    api = make_client(t, retry_policy=RetryPolicy(max_retry_wait=300))
    api.request("GET", "/x")
    assert clock.sleeps == [120.0]


def test_rate_limit_error_carries_retry_after_when_retries_run_out(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(default=resp(429, **{"Retry-After": "2"}))
    with pytest.raises(RateLimitError) as info:
        make_client(t).request("GET", "/x")
    assert info.value.retry_after == 2.0
    assert clock.sleeps == [2.0, 2.0]


def test_rate_limit_error_without_retry_after(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(default=resp(429))
    with pytest.raises(RateLimitError) as info:
        make_client(t, max_retries=0).request("GET", "/x")
    assert info.value.retry_after is None


def test_backoff_sleeps_stay_within_bounds(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(default=resp(503))
    api = make_client(t, max_retries=8)
    with pytest.raises(ServerError):
        api.request("GET", "/x")
    assert len(clock.sleeps) == 8
    assert all(0.5 <= s <= 8.0 for s in clock.sleeps)


# -- status to exception ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (403, PermissionDeniedError),
        (404, NotFoundError),
        (409, ConflictError),
        (412, ValidationError),
        (422, ValidationError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (418, APIStatusError),
        (451, APIStatusError),
    ],
)
def test_status_to_exception(
    make_client: Make, status: int, cls: type[APIStatusError], is_async: bool, scripted: Any
) -> None:
    body = {
        "message": "it went wrong",
        "code": "E42",
        "errors": [{"field": "name", "message": "is required"}],
    }
    t = scripted(default=resp(status, body, **{"X-Request-Id": "req-123"}))
    api = make_client(t, max_retries=0)
    with pytest.raises(APIError) as info:
        api.request("GET", "/things/9?token=abcdefgh&page=2")
    err = info.value
    assert type(err) is cls
    assert isinstance(err, APIStatusError)
    assert isinstance(err, sdkcore.APIError)
    assert err.status_code == status
    assert err.method == "GET"
    assert err.url == f"{BASE}/things/9?token=***&page=2"
    assert err.request_id == "req-123"
    assert err.message == "it went wrong"
    assert err.code == "E42"
    assert [(f.field, f.message) for f in err.field_errors] == [("name", "is required")]
    assert "it went wrong" in err.body_excerpt
    text = str(err)
    for part in (str(status), "GET", "it went wrong", "req-123", "name: is required"):
        assert part in text
    assert "abcdefgh" not in text


def test_error_without_body_uses_the_reason_phrase(make_client: Make, scripted: Any) -> None:
    t = scripted(default=resp(404))
    with pytest.raises(NotFoundError) as info:
        make_client(t).request("DELETE", "/things/1")
    assert info.value.message == "Not Found"
    assert info.value.body_excerpt == ""
    assert info.value.request_id is None


def test_error_with_an_html_body_keeps_its_class_and_an_excerpt(
    make_client: Make, scripted: Any
) -> None:
    page = "<html><body>" + "Bad Gateway " * 100 + "</body></html>"
    t = scripted(default=resp(502, page, **{"Content-Type": "text/html"}))
    with pytest.raises(ServerError) as info:
        make_client(t, max_retries=0).request("GET", "/x")
    assert info.value.body_excerpt.startswith("<html><body>Bad Gateway")
    assert len(info.value.body_excerpt) <= 501


# -- bodies that are not what was promised ---------------------------------------------------


class Thing(BaseModel):
    id: int
    name: str


THING = TypeAdapter(Thing)


@pytest.mark.parametrize(
    ("content", "headers", "reason"),
    [
        (b"<!DOCTYPE html><html><body>Maintenance</body></html>", {}, "HTML"),
        (b"<html>oops</html>", {"Content-Type": "text/html"}, "HTML"),
        (b"", {}, "empty"),
        (b"   ", {}, "empty"),
        (b'{"id": 1, "na', {}, ""),
        (b'{"id": "x", "name": "a"}', {}, "id"),
        (b'{"id": 1}', {}, "name"),
        (b"[1, 2]", {}, ""),
    ],
)
def test_bad_bodies_raise_response_parse_error(
    make_client: Make, content: bytes, headers: dict[str, str], reason: str, scripted: Any
) -> None:
    t = scripted(default=httpx.Response(200, content=content, headers=headers))
    api = make_client(t)
    with pytest.raises(ResponseParseError) as info:
        api.send(Call(RequestOptions("GET", "/things/1"), parse_with(THING.validate_json)))
    err = info.value
    assert not isinstance(err, ValueError | KeyError)
    assert reason in str(err)
    assert err.status_code == 200
    assert err.method == "GET"
    assert len(t.requests) == 1


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"<html><body>login</body></html>", "HTML"),
        (b'{"truncated": [1, 2', "invalid JSON"),
        (b"", "empty"),
    ],
)
def test_json_parse_errors(make_client: Make, content: bytes, reason: str, scripted: Any) -> None:
    t = scripted(default=httpx.Response(200, content=content))
    with pytest.raises(ResponseParseError) as info:
        make_client(t).send(Call(RequestOptions("GET", "/x"), parse_json_body))
    assert reason in str(info.value)


def test_a_parse_function_that_raises_key_error_becomes_response_parse_error(
    make_client: Make, scripted: Any
) -> None:
    t = scripted(default=resp(200, {"unexpected": 1}))

    def parse(response: httpx.Response) -> Any:
        return response.json()["id"]

    with pytest.raises(ResponseParseError) as info:
        make_client(t).send(Call(RequestOptions("GET", "/x"), parse))
    assert "id" in str(info.value)


def test_a_parse_error_never_echoes_field_values(make_client: Make, scripted: Any) -> None:
    body = {"id": "tok_live_4f9a8b7c6d5e", "name": "a"}
    t = scripted(default=resp(200, body))
    with pytest.raises(ResponseParseError) as info:
        make_client(t).send(Call(RequestOptions("GET", "/x"), parse_with(THING.validate_json)))
    assert "id: " in info.value.message
    assert "tok_live_4f9a8b7c6d5e" not in info.value.message


def test_an_undecodable_body_raises_response_parse_error(make_client: Make, scripted: Any) -> None:
    t = scripted(default=(200, {"Content-Encoding": "gzip"}, b"definitely not gzip"))
    with pytest.raises(ResponseParseError) as info:
        make_client(t).request("GET", "/x")
    assert "decoded" in str(info.value)
    assert len(t.requests) == 1


def test_gzip_bodies_are_decoded(make_client: Make, scripted: Any) -> None:
    t = scripted(default=(200, {"Content-Encoding": "gzip"}, gzip.compress(b'{"a": 1}')))
    assert make_client(t).request("GET", "/x") == {"a": 1}


def test_request_returns_none_for_empty_bodies(make_client: Make, scripted: Any) -> None:
    t = scripted(resp(204), resp(201, b"  "))
    api = make_client(t)
    assert api.request("DELETE", "/x") is None
    assert api.request("PUT", "/x", json={"a": 1}) is None


def test_parse_nothing(make_client: Make, scripted: Any) -> None:
    t = scripted(default=resp(204))
    assert make_client(t).send(Call(RequestOptions("DELETE", "/x"), parse_nothing)) is None


# -- connections -------------------------------------------------------------------------------


def test_no_connection_is_left_open_after_retries(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(resp(500, {"e": 1}), resp(503, {"e": 2}), resp(200, {"ok": True}))
    api = make_client(t)
    assert api.request("GET", "/x") == {"ok": True}
    assert t.opened == 3
    assert t.closed == 3


def test_no_connection_is_left_open_after_errors(
    make_client: Make, clock: FakeClock, scripted: Any
) -> None:
    t = scripted(
        resp(500),
        httpx.ReadError("reset"),
        resp(404, {"message": "gone"}),
        httpx.Response(200, content=b"<html>"),
    )
    api = make_client(t)
    with pytest.raises(NotFoundError):
        api.request("GET", "/x")
    with pytest.raises(ResponseParseError):
        api.request("GET", "/x")
    assert t.opened == 3
    assert t.closed == 3


def test_raw_responses_are_read_and_closed(make_client: Make, scripted: Any) -> None:
    t = scripted(resp(503), resp(200, {"a": 1}, **{"X-Request-Id": "r-9"}))
    api = make_client(t)
    raw = api(api.client.with_raw_response.request("GET", "/x"))
    assert isinstance(raw, APIResponse)
    assert raw.status_code == 200
    assert raw.headers["x-request-id"] == "r-9"
    assert raw.request_id == "r-9"
    assert raw.parsed == {"a": 1}
    assert raw.http_response.is_closed
    assert t.opened == t.closed == 2
    assert api.request("GET", "/x") == {"ok": True}  # the client itself is unchanged


# -- options and escape hatches ----------------------------------------------------------------


def test_with_options_shares_the_pool_and_close_of_the_copy_keeps_it(
    make_client: Make, is_async: bool, scripted: Any
) -> None:
    t = scripted()
    api = make_client(t)
    copy = api.client.with_options(
        timeout=9, default_headers={"X-Tenant": "7"}, base_url="https://other.example.test"
    )
    assert copy._http is api.client._http
    assert copy.rate_limiter is api.client.rate_limiter
    api(copy.request("GET", "/x"))
    sent = t.requests[-1]
    assert str(sent.url) == "https://other.example.test/x"
    assert sent.headers["x-tenant"] == "7"
    assert sent.extensions["timeout"]["read"] == 9
    api.close(copy)
    assert not api.client._http.is_closed
    assert api.request("GET", "/x") == {"ok": True}
    assert "x-tenant" not in t.requests[-1].headers
    assert str(t.requests[-1].url) == f"{BASE}/x"
    api.close()
    assert api.client._http.is_closed


def test_with_options_refuses_plain_http(make_client: Make, scripted: Any) -> None:
    api = make_client(scripted())
    with pytest.raises(ValueError, match="http"):
        api.client.with_options(base_url="http://api.example.test")


def test_user_agent_accept_and_json_body(make_client: Make, scripted: Any) -> None:
    t = scripted()
    make_client(t).request("POST", "/things", json={"name": "ação", "n": 1})
    sent = t.requests[0]
    assert sent.headers["user-agent"] == f"ponte-sdk/{sdkcore.__version__}"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["content-type"] == "application/json"
    assert sent.content == '{"name":"ação","n":1}'.encode()


def test_default_timeouts(make_client: Make, scripted: Any) -> None:
    t = scripted()
    api = make_client(t)
    assert api.client.timeout.connect == 5.0
    assert api.client.timeout.read == 60.0
    api.request("GET", "/x")
    assert t.requests[0].extensions["timeout"] == {
        "connect": 5.0,
        "read": 60.0,
        "write": 60.0,
        "pool": 60.0,
    }


def test_client_timeout_option(make_client: Make, scripted: Any) -> None:
    t = scripted()
    api = make_client(t, timeout=httpx.Timeout(20.0, connect=2.0))
    api.request("GET", "/x")
    assert t.requests[0].extensions["timeout"]["connect"] == 2.0
    assert t.requests[0].extensions["timeout"]["read"] == 20.0


def test_extra_headers_extra_query_and_timeout_per_call(make_client: Make, scripted: Any) -> None:
    t = scripted()
    api = make_client(t)
    api.request(
        "GET",
        "/things",
        params={"name": "Silva", "skip": None, "active": True, "ids": [1, 2], "page": 3},
        extra_headers={"X-Trace": "abc", "Accept": "text/csv"},
        extra_query={"debug": "1"},
        timeout=3.0,
    )
    sent = t.requests[0]
    assert sent.headers["x-trace"] == "abc"
    assert sent.headers["accept"] == "text/csv"  # extra headers win over defaults
    assert sent.url.params.multi_items() == [
        ("name", "Silva"),
        ("active", "true"),
        ("ids", "1"),
        ("ids", "2"),
        ("page", "3"),
        ("debug", "1"),
    ]
    assert sent.extensions["timeout"] == {"connect": 3.0, "read": 3.0, "write": 3.0, "pool": 3.0}


def test_request_options_headers_and_absolute_urls(make_client: Make, scripted: Any) -> None:
    t = scripted()
    api = make_client(t)
    api.send(
        Call(
            RequestOptions(
                "post",
                "https://upload.example.test/files",
                headers={"Content-Type": "text/plain"},
                content=b"hello",
            ),
            parse_json_body,
        )
    )
    sent = t.requests[0]
    assert sent.method == "POST"
    assert str(sent.url) == "https://upload.example.test/files"
    assert sent.headers["content-type"] == "text/plain"
    assert sent.content == b"hello"


def test_default_headers(make_client: Make, scripted: Any) -> None:
    t = scripted()
    make_client(t, default_headers={"X-Company": "42"}).request("GET", "/x")
    assert t.requests[0].headers["x-company"] == "42"


def test_a_users_own_http_client_is_used_and_left_open(
    is_async: bool, scripted: Any, client_cls: type, wrap: Callable[[Any], Any]
) -> None:
    t = scripted()
    http: Any = httpx.AsyncClient(transport=t) if is_async else httpx.Client(transport=t)
    api = wrap(client_cls(http_client=http))
    assert api.request("GET", "/x") == {"ok": True}
    api.close()
    assert not http.is_closed
    if is_async:
        api(http.aclose())
    else:
        http.close()
    assert http.is_closed


def test_clients_are_context_managers(scripted: Any, client_cls: type, wrap: Any) -> None:
    async def use_async() -> Any:
        async with client_cls(transport=scripted()) as client:
            assert await client.request("GET", "/x") == {"ok": True}
        return client

    def use_sync() -> Any:
        with client_cls(transport=scripted()) as client:
            assert client.request("GET", "/x") == {"ok": True}
        return client

    runner = wrap(None)
    client = runner(use_async()) if runner.is_async else use_sync()
    assert client._http.is_closed


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://api.example.test/", "https://api.example.test"),
        ("https://api.example.test/v2", "https://api.example.test/v2"),
        ("http://localhost:8080", "http://localhost:8080"),
        ("http://127.0.0.1:9000/", "http://127.0.0.1:9000"),
        ("http://127.8.9.10", "http://127.8.9.10"),
        ("http://[::1]:8080", "http://[::1]:8080"),
    ],
)
def test_base_urls_accepted(url: str, expected: str) -> None:
    assert check_base_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "http://api.example.test",
        "http://10.0.0.1",
        "http://localhost.example.test",
        "http://127.0.0.1.nip.io",
        "ftp://api.example.test",
        "api.example.test",
        "",
    ],
)
def test_base_urls_refused(url: str) -> None:
    with pytest.raises(ValueError):
        check_base_url(url)


def test_clients_refuse_plain_http_at_construction(client_cls: type) -> None:
    with pytest.raises(ValueError, match="loopback"):
        client_cls(base_url="http://api.example.test")


def test_env_reads_non_empty_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PONTE_TEST_SET", "value")
    monkeypatch.setenv("PONTE_TEST_EMPTY", "")
    monkeypatch.delenv("PONTE_TEST_UNSET", raising=False)
    assert env("PONTE_TEST_SET") == "value"
    assert env("PONTE_TEST_EMPTY") is None
    assert env("PONTE_TEST_UNSET") is None


# -- sync and async stay twins -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sync_cls", "async_cls"),
    [(SyncAPIClient, AsyncAPIClient), (sdkcore.SyncPager, sdkcore.AsyncPager)],
)
def test_every_public_sync_method_has_an_async_twin(sync_cls: type, async_cls: type) -> None:
    twins = {"__enter__": "__aenter__", "__exit__": "__aexit__", "__iter__": "__aiter__"}
    names = [n for n in vars(sync_cls) if not n.startswith("_") or n in twins]
    assert names
    for name in names:
        sync_member = getattr(sync_cls, name)
        if not callable(sync_member):
            continue
        async_member = getattr(async_cls, twins.get(name, name))
        sync_params = inspect.signature(sync_member).parameters
        assert sync_params == inspect.signature(async_member).parameters, name
        if inspect.isgeneratorfunction(sync_member):
            assert inspect.isasyncgenfunction(async_member), name
        else:
            assert inspect.iscoroutinefunction(async_member), name


def test_json_dumps_is_compact_utf8() -> None:
    from sdkcore.client import json_dumps

    assert json.loads(json_dumps({"a": "é"})) == {"a": "é"}
    assert json_dumps({"a": [1, 2]}) == b'{"a":[1,2]}'


def test_sdk_errors_from_a_parse_function_pass_through_unchanged(
    make_client: Make, scripted: Any
) -> None:
    problem = sdkcore.RequestValidationError("id", "unknown kind")

    def parse(response: httpx.Response) -> Any:
        raise problem

    with pytest.raises(sdkcore.RequestValidationError) as info:
        make_client(scripted()).send(Call(RequestOptions("GET", "/x"), parse))
    assert info.value is problem


def test_validation_errors_without_pydantic_shape_are_summarised(
    make_client: Make, scripted: Any
) -> None:
    class OddError(ValueError):
        def errors(self) -> list[Any]:  # not pydantic's signature
            return []

    def validate(content: bytes) -> Any:
        raise OddError("first line\nsecond line")

    with pytest.raises(ResponseParseError) as info:
        make_client(scripted()).send(Call(RequestOptions("GET", "/x"), parse_with(validate)))
    assert "first line; second line" in str(info.value)


class WithResources(SyncAPIClient):
    default_base_url = BASE

    @property
    def things(self) -> sdkcore.Resource:
        cached = self.__dict__.get("_things_resource")
        if cached is None:
            cached = self.__dict__["_things_resource"] = sdkcore.Resource(self)
        return cached  # type: ignore[no-any-return]


def test_copies_rebind_their_resources(make_client: Make, scripted: Any) -> None:
    api = make_client(scripted(), cls=WithResources)
    original = api.client.things
    assert original._client is api.client
    copy = api.client.with_options(max_retries=0)
    assert copy.things is not original
    assert copy.things._client is copy
    assert api.client.things is original
    raw = api.client.with_raw_response
    assert raw.things._client is raw


def test_header_names_are_merged_without_regard_to_case(make_client: Make, scripted: Any) -> None:
    t = scripted()
    api = make_client(t, default_headers={"accept": "application/xml"})
    api.request("GET", "/x", extra_headers={"ACCEPT": "text/csv", "user-agent": "mine/1"})
    api.send(
        Call(
            RequestOptions("PUT", "/x", headers={"content-type": "text/plain"}, content=b"hi"),
            parse_json_body,
        )
    )
    copy = api.client.with_options(default_headers={"USER-AGENT": "copy/2"})
    api(copy.request("GET", "/x"))
    first, second, third = t.requests
    assert first.headers.get_list("accept") == ["text/csv"]
    assert first.headers.get_list("user-agent") == ["mine/1"]
    assert second.headers.get_list("content-type") == ["text/plain"]
    assert second.headers.get_list("accept") == ["application/xml"]
    assert third.headers.get_list("user-agent") == ["copy/2"]


def test_request_shape_through_the_real_transport(client_cls: type, wrap: Any) -> None:
    api = wrap(client_cls(max_retries=0))
    with respx.mock(base_url=BASE, assert_all_called=True) as router:
        route = router.post("/things", params={"page": "2", "debug": "1"}).mock(
            return_value=httpx.Response(201, json={"id": 3}, headers={"X-Request-Id": "abc"})
        )
        try:
            result = api.request(
                "POST",
                "/things",
                params={"page": 2},
                json={"name": "Cliente A", "total": 10.5},
                extra_headers={"Idempotency-Hint": "none"},
                extra_query={"debug": "1"},
            )
        finally:
            api.close()
    assert result == {"id": 3}
    sent = route.calls.last.request
    assert sent.url.params.multi_items() == [("page", "2"), ("debug", "1")]
    assert sent.headers["idempotency-hint"] == "none"
    assert sent.headers["user-agent"] == f"ponte-sdk/{sdkcore.__version__}"
    assert json.loads(sent.content) == {"name": "Cliente A", "total": 10.5}
