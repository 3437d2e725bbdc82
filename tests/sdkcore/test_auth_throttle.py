"""A throttled token request (inside the auth flow) is waited out like any throttle."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from sdkcore import (
    AsyncAPIClient,
    Call,
    FakeClock,
    RateLimitError,
    RequestOptions,
    SyncAPIClient,
    TokenAuth,
    TokenSet,
)
from sdkcore.client import BaseAPIClient, parse_nothing


class ThrottledLogin:
    """A token source whose first ``throttles`` logins answer 'slow down'."""

    def __init__(self, throttles: int, retry_after: float | None) -> None:
        self.throttles = throttles
        self.retry_after = retry_after
        self.logins = 0

    def token_request(self, current: TokenSet | None) -> httpx.Request:
        return httpx.Request("GET", "https://api.example.com/login")

    def read_token_response(self, response: httpx.Response, current: TokenSet | None) -> TokenSet:
        self.logins += 1
        if self.logins <= self.throttles:
            raise RateLimitError("login throttled", status_code=429, retry_after=self.retry_after)
        return TokenSet(access_token="token-after-wait")


def handler(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/login":
        return httpx.Response(200, json={})
    assert request.headers["Authorization"] == "Bearer token-after-wait"
    return httpx.Response(204)


def make(kind: str, source: ThrottledLogin, clock: FakeClock) -> BaseAPIClient:
    cls = AsyncAPIClient if kind == "async" else SyncAPIClient
    return cls(
        base_url="https://api.example.com",
        auth=TokenAuth(source, clock=clock),
        transport=httpx.MockTransport(handler),
        clock=clock,
        rate_limiter=False,
    )


def send(client: BaseAPIClient) -> object:
    call = Call(RequestOptions("POST", "/things", json_body={}), parse_nothing)
    if isinstance(client, AsyncAPIClient):
        return asyncio.run(client.send(call))
    assert isinstance(client, SyncAPIClient)
    return client.send(call)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_throttled_login_is_waited_out_even_for_a_post(kind: str) -> None:
    clock, source = FakeClock(), ThrottledLogin(throttles=1, retry_after=7)
    assert send(make(kind, source, clock)) is None
    assert source.logins == 2
    assert 7 in clock.sleeps


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_throttled_login_gives_up_after_the_retries(kind: str) -> None:
    clock, source = FakeClock(), ThrottledLogin(throttles=5, retry_after=None)
    with pytest.raises(RateLimitError):
        send(make(kind, source, clock))
    assert source.logins == 3  # the first try and two retries
    assert all(0.5 <= s <= 8 for s in clock.sleeps)


@pytest.mark.parametrize("kind", ["sync", "async"])
def test_throttled_login_with_a_long_wait_raises_at_once(kind: str) -> None:
    clock, source = FakeClock(), ThrottledLogin(throttles=1, retry_after=600)
    with pytest.raises(RateLimitError) as info:
        send(make(kind, source, clock))
    assert info.value.retry_after == 600
    assert source.logins == 1
