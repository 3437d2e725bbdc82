"""ContaAzulOAuth: the authorization URL, the code exchange, refresh with rotation, and a
refused refresh token that says what to do."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from contaazul.v2 import AuthenticationError, ContaAzulOAuth, ReauthorizationRequired
from contaazul.v2.oauth import DEFAULT_SCOPES
from sdkcore.auth import MemoryTokenStore, StateMismatchError, TokenSet
from sdkcore.clock import FakeClock
from sdkcore.errors import RequestValidationError

from ..runner import Runner
from .conftest import BASE, TOKEN_URL

CLIENT_ID = "4f1c2d3e5a6b7c8d9e0f1a2b3c"
CLIENT_SECRET = "s3cr3t-client-secret-0123456789"
REDIRECT = "https://minha.app/retorno?origem=ca"
PATH = "/v1/conta-financeira"


def make_oauth(clock: FakeClock | None = None) -> ContaAzulOAuth:
    return ContaAzulOAuth(CLIENT_ID, CLIENT_SECRET, REDIRECT, clock=clock)


def test_the_authorization_url_is_conta_azuls_with_scopes_joined_by_plus() -> None:
    url, state = make_oauth().authorization_url()
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://auth.contaazul.com/oauth2/authorize"
    )
    assert "scope=openid+profile+aws.cognito.signin.user.admin" in parts.query.split("&")
    query = parse_qs(parts.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [CLIENT_ID]
    assert query["redirect_uri"] == [REDIRECT]  # exactly as registered, once decoded
    assert query["state"] == [state]
    assert query["scope"] == [" ".join(DEFAULT_SCOPES)]


def test_each_authorization_url_has_a_fresh_state() -> None:
    oauth = make_oauth()
    states = {oauth.authorization_url()[1] for _ in range(20)}
    assert len(states) == 20
    assert all(len(state) >= 20 for state in states)


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTAAZUL_CLIENT_ID", "env-client")
    monkeypatch.setenv("CONTAAZUL_CLIENT_SECRET", "env-secret-0123456789")
    assert ContaAzulOAuth().client_id == "env-client"
    monkeypatch.delenv("CONTAAZUL_CLIENT_SECRET")
    with pytest.raises(AuthenticationError, match="CONTAAZUL_CLIENT_SECRET"):
        ContaAzulOAuth()


def token_answer(access: str, refresh: str | None = None) -> httpx.Response:
    body = {"access_token": access, "expires_in": 3600, "token_type": "Bearer"}
    if refresh is not None:
        body["refresh_token"] = refresh
    return httpx.Response(200, json=body)


def test_exchanging_a_code_checks_the_state_and_saves_the_tokens() -> None:
    oauth = make_oauth()
    _, state = oauth.authorization_url()
    store = MemoryTokenStore()
    with respx.mock() as mock:
        route = mock.post(TOKEN_URL).mock(
            return_value=token_answer("access-0123456789ab", "refresh-0123456789ab")
        )
        tokens = oauth.exchange_code("the-code", state=state, expected_state=state, store=store)
    assert tokens.access_token == "access-0123456789ab"
    assert store.load() == tokens
    sent = route.calls.last.request
    assert sent.headers["Authorization"].startswith("Basic ")
    form = parse_qs(sent.content.decode())
    assert form == {
        "grant_type": ["authorization_code"],
        "code": ["the-code"],
        "redirect_uri": [REDIRECT],
    }


def test_a_code_with_the_wrong_state_is_refused_before_any_request() -> None:
    oauth = make_oauth()
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(TOKEN_URL)
        with pytest.raises(StateMismatchError):
            oauth.exchange_code("the-code", state="forged", expected_state="sent")
    assert not route.called


def test_without_a_redirect_uri_neither_the_url_nor_the_exchange_is_built() -> None:
    # Conta Azul refuses an authorization, or an exchange, without the registered URI.
    oauth = ContaAzulOAuth(CLIENT_ID, CLIENT_SECRET)
    with pytest.raises(RequestValidationError, match="redirect_uri") as caught:
        oauth.authorization_url()
    assert caught.value.field == "redirect_uri"
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(TOKEN_URL)
        with pytest.raises(RequestValidationError, match="redirect_uri"):
            oauth.exchange_code("the-code")
        with pytest.raises(RequestValidationError, match="redirect_uri"):
            asyncio.run(oauth.aexchange_code("the-code"))
    assert not route.called


def test_a_refresh_rotates_and_saves_the_new_pair_before_using_it(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    store = MemoryTokenStore(
        TokenSet("old-access-0123456789", "old-refresh-0123456789", clock.time() - 1)
    )
    run = make_client(oauth=make_oauth(clock), token_store=store)
    stored_when_used: list[str | None] = []

    def api(request: httpx.Request) -> httpx.Response:
        saved = store.load()
        stored_when_used.append(saved.refresh_token if saved else None)
        return httpx.Response(200, json={"ok": True})

    with respx.mock() as mock:
        token = mock.post(TOKEN_URL).mock(
            return_value=token_answer("new-access-0123456789", "new-refresh-0123456789")
        )
        route = mock.get(f"{BASE}{PATH}").mock(side_effect=api)
        assert run.request("GET", PATH) == {"ok": True}
    form = parse_qs(token.calls.last.request.content.decode())
    assert form == {"grant_type": ["refresh_token"], "refresh_token": ["old-refresh-0123456789"]}
    assert route.calls.last.request.headers["Authorization"] == "Bearer new-access-0123456789"
    assert stored_when_used == ["new-refresh-0123456789"]


def test_a_refused_refresh_token_says_how_to_authorise_again(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    store = MemoryTokenStore(
        TokenSet("old-access-0123456789", "used-refresh-0123456789", clock.time() - 1)
    )
    run = make_client(oauth=make_oauth(clock), token_store=store)
    with respx.mock(assert_all_called=False) as mock:
        mock.post(TOKEN_URL).mock(return_value=httpx.Response(400, json={"error": "invalid_grant"}))
        api = mock.get(f"{BASE}{PATH}")
        with pytest.raises(ReauthorizationRequired) as caught:
            run.request("GET", PATH)
    assert not api.called
    message = str(caught.value)
    assert "invalid_grant" in message
    assert "python -m bridge authorize" in message
    assert "authorization_url()" in message


def test_secrets_and_tokens_are_masked_in_reprs_and_logs(
    make_client: Callable[..., Runner], clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    oauth = make_oauth(clock)
    assert CLIENT_SECRET not in repr(oauth)
    assert CLIENT_SECRET not in repr(oauth.token_source())
    store = MemoryTokenStore(
        TokenSet("old-access-0123456789", "old-refresh-0123456789", clock.time() - 1)
    )
    run = make_client(oauth=oauth, token_store=store)
    caplog.set_level(logging.DEBUG, logger="contaazul.v2")
    run.client.log.setLevel(logging.DEBUG)
    with respx.mock() as mock:
        mock.post(TOKEN_URL).mock(
            return_value=token_answer("new-access-0123456789", "new-refresh-0123456789")
        )
        mock.get(f"{BASE}{PATH}").mock(return_value=httpx.Response(200, json={"ok": True}))
        run.request("GET", PATH)
    shown = repr(run.client) + repr(run.client._auth) + repr(store) + caplog.text
    for secret in (CLIENT_SECRET, "new-access-0123456789", "new-refresh-0123456789"):
        assert secret not in shown
