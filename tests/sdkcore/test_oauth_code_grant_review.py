"""Review of ``OAuth2CodeGrant`` as an attacker would try it: a redirect whose state has
nothing to be compared with, a revoked token quoted back in an error, a one-time code sent
twice, and an async exchange that waits on another process's store lock."""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import Callable, Coroutine
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest

from sdkcore import AuthenticationError, FileTokenStore, ServerError
from sdkcore.auth import OAuth2CodeGrant, StateMismatchError

TOKEN_URL = "https://auth.example.test/token"
REVOKE_URL = "https://auth.example.test/revoke"
CODE = "one-time-code-0123456789"


class TokenEndpoint:
    """Counts what reaches the token endpoint and answers with ``status``."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.sent: list[httpx.Request] = []

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.sent.append(request)
        if self.status != 200:
            return httpx.Response(self.status, json={"error": "temporarily_unavailable"})
        return httpx.Response(
            200,
            json={"access_token": "access-0123456789", "refresh_token": "refresh-0123456789"},
        )

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)


def grant_on(endpoint: TokenEndpoint) -> OAuth2CodeGrant:
    return grant_with(endpoint.handler, endpoint.async_handler)


def grant_with(
    handler: Callable[[httpx.Request], httpx.Response],
    async_handler: Callable[[httpx.Request], Coroutine[None, None, httpx.Response]] | None = None,
) -> OAuth2CodeGrant:
    return OAuth2CodeGrant(
        "app-id",
        "app-secret-0123456789",
        "https://app.example.test/callback",
        authorize_url="https://auth.example.test/authorize",
        token_url=TOKEN_URL,
        revoke_url=REVOKE_URL,
        transport=httpx.MockTransport(handler),
        async_transport=httpx.MockTransport(async_handler) if async_handler else None,
    )


# -- state ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("returned", "expected"),
    [
        ("attacker-state", None),  # the app lost (or never had) the state it sent: login CSRF
        ("", ""),  # an empty state is never one authorization_url() made
    ],
)
def test_a_returned_state_with_nothing_real_to_compare_it_to_refuses_the_code(
    returned: str, expected: str | None
) -> None:
    endpoint = TokenEndpoint()
    with pytest.raises(StateMismatchError):
        grant_on(endpoint).exchange_code(CODE, state=returned, expected_state=expected)
    with pytest.raises(StateMismatchError):
        asyncio.run(
            grant_on(endpoint).aexchange_code(CODE, state=returned, expected_state=expected)
        )
    assert endpoint.sent == []


def test_an_exchange_without_any_state_is_still_the_caller_s_choice() -> None:
    endpoint = TokenEndpoint()
    assert grant_on(endpoint).exchange_code(CODE).access_token == "access-0123456789"
    assert len(endpoint.sent) == 1


# -- secrets in errors ----------------------------------------------------------------------------


def test_a_revoked_token_quoted_back_in_an_error_is_masked() -> None:
    token = "plain-revoke-token-0123456789"

    def echo(request: httpx.Request) -> httpx.Response:
        sent = parse_qs(request.content.decode())["token"][0]
        return httpx.Response(400, json={"error_description": f"unknown: {sent}"})

    with pytest.raises(AuthenticationError) as caught:
        grant_with(echo).revoke(token)
    assert token not in str(caught.value)
    assert token not in repr(caught.value)
    assert token not in (caught.value.body_excerpt or "")


# -- a one-time code is sent once ------------------------------------------------------------------


def test_a_code_exchange_the_server_fails_is_not_sent_again() -> None:
    endpoint = TokenEndpoint(status=503)
    with pytest.raises(ServerError):
        grant_on(endpoint).exchange_code(CODE)
    assert len(endpoint.sent) == 1


def test_a_code_exchange_whose_answer_never_came_is_not_sent_again() -> None:
    sent: list[httpx.Request] = []

    def lost_answer(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        raise httpx.ReadTimeout("no answer", request=request)

    with pytest.raises(httpx.ReadTimeout):
        grant_with(lost_answer).exchange_code(CODE)
    assert len(sent) == 1


# -- async: the store lock is waited for off the loop ----------------------------------------------


def test_an_async_exchange_waits_for_a_held_store_lock_while_the_loop_runs_on(
    tmp_path: Path,
) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    endpoint = TokenEndpoint()
    grant = grant_on(endpoint)
    # Another holder of the lock: flock is per open file, so this descriptor stands in for
    # another process.
    holder = os.open(tmp_path / "tokens.json.lock", os.O_RDWR | os.O_CREAT, 0o600)
    fcntl.flock(holder, fcntl.LOCK_EX)

    async def scenario() -> int:
        ticks = 0

        async def ticker() -> None:
            nonlocal ticks
            while True:
                ticks += 1
                await asyncio.sleep(0.005)

        ticking = asyncio.create_task(ticker())
        exchange = asyncio.create_task(grant.aexchange_code(CODE, store=store))
        await asyncio.sleep(0.2)
        assert not exchange.done()  # waiting for the lock...
        assert store.load() is None
        ticks_while_waiting = ticks
        fcntl.flock(holder, fcntl.LOCK_UN)
        tokens = await asyncio.wait_for(exchange, 5)
        ticking.cancel()
        assert store.load() == tokens
        return ticks_while_waiting

    try:
        assert asyncio.run(scenario()) >= 10  # ...and the loop ran on meanwhile
    finally:
        os.close(holder)
    assert len(endpoint.sent) == 1
