from __future__ import annotations

import asyncio
import base64
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from bling import (
    AuthenticationError,
    Bling,
    BlingOAuth,
    FileTokenStore,
    RateLimitError,
    ReauthorizationRequired,
    StateMismatchError,
    TokenSet,
)
from bling.testing import FakeBling
from sdkcore import MemoryTokenStore
from sdkcore.clock import FakeClock

from .conftest import TOKEN_URL


def test_authorization_url_carries_code_flow_and_random_state(fake: FakeBling) -> None:
    oauth = fake.oauth(redirect_uri="https://app.example.com/callback")
    url, state = oauth.authorization_url()
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://www.bling.com.br/Api/v3/oauth/authorize"
    )
    query = parse_qs(parts.query)
    assert query["response_type"] == ["code"]
    assert query["client_id"] == [fake.client_id]
    assert query["state"] == [state]
    assert query["redirect_uri"] == ["https://app.example.com/callback"]
    assert len(state) >= 20
    assert oauth.authorization_url()[1] != state
    assert oauth.authorization_url(state="mine")[1] == "mine"


def test_state_mismatch_refuses_the_code_before_any_call(fake: FakeBling) -> None:
    oauth = fake.oauth()
    code = fake.issue_code()
    with pytest.raises(StateMismatchError):
        oauth.exchange_code(code, state="forged", expected_state="sent")
    with pytest.raises(StateMismatchError):
        oauth.exchange_code(code, state=None, expected_state="sent")
    assert fake.token_calls == 0


def test_exchange_code_once_and_only_within_a_minute(fake: FakeBling, clock: FakeClock) -> None:
    oauth = fake.oauth(clock=clock)
    _url, state = oauth.authorization_url()
    code = fake.issue_code()
    tokens = oauth.exchange_code(code, state=state, expected_state=state)
    assert tokens.access_token.startswith("fake-at-")
    assert tokens.refresh_token
    assert tokens.refresh_token.startswith("fake-rt-")
    assert tokens.expires_at == pytest.approx(clock.time() + 6 * 3600)
    with pytest.raises(AuthenticationError, match="work once") as reused:
        oauth.exchange_code(code)
    assert not isinstance(reused.value, ReauthorizationRequired)
    late = fake.issue_code()
    clock.advance(61)
    with pytest.raises(AuthenticationError, match="one minute"):
        oauth.exchange_code(late)


def test_async_exchange_refresh_and_revoke(fake: FakeBling) -> None:
    oauth = fake.oauth()

    async def flow() -> tuple[TokenSet, TokenSet]:
        first = await oauth.aexchange_code(fake.issue_code(), state="s", expected_state="s")
        second = await oauth.arefresh(first)
        await oauth.arevoke(second)
        return first, second

    first, second = asyncio.run(flow())
    assert first.refresh_token != second.refresh_token
    assert fake.revoked == [second.refresh_token]


def test_authorize_endpoint_of_the_fake_redirects_with_code_and_state(fake: FakeBling) -> None:
    with httpx.Client(transport=fake.transport) as http:
        answer = http.get(
            "https://www.bling.com.br/Api/v3/oauth/authorize",
            params={
                "response_type": "code",
                "client_id": fake.client_id,
                "state": "xyz",
                "redirect_uri": "https://app.example.com/cb",
            },
        )
        assert answer.status_code == 302
        query = parse_qs(urlsplit(answer.headers["location"]).query)
        assert query["state"] == ["xyz"]
        tokens = fake.oauth().exchange_code(query["code"][0], state="xyz", expected_state="xyz")
        assert tokens.access_token
        bare = http.get(
            "https://www.bling.com.br/Api/v3/oauth/authorize", params={"client_id": fake.client_id}
        )
        assert bare.json()["code"].startswith("fake-code-")
        wrong = http.get("https://x/Api/v3/oauth/authorize", params={"client_id": "nope"})
        assert wrong.status_code == 400


def test_refresh_rotates_and_a_reused_refresh_token_needs_reauthorization(
    fake: FakeBling,
) -> None:
    oauth = fake.oauth()
    first = oauth.exchange_code(fake.issue_code())
    second = oauth.refresh(first)
    assert second.refresh_token != first.refresh_token
    with pytest.raises(ReauthorizationRequired, match="authorise the application again"):
        oauth.refresh(first)


@respx.mock
def test_token_request_is_basic_auth_form_with_enable_jwt() -> None:
    route = respx.post(TOKEN_URL).mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "a" * 40,
                "expires_in": 21600,
                "token_type": "Bearer",
                "refresh_token": "r" * 40,
            },
        )
    )
    oauth = BlingOAuth("cid", "csecret")
    oauth.exchange_code("the-code")
    request = route.calls.last.request
    assert request.headers["authorization"] == "Basic " + base64.b64encode(b"cid:csecret").decode()
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["enable-jwt"] == "1"
    assert parse_qs(request.content.decode()) == {
        "grant_type": ["authorization_code"],
        "code": ["the-code"],
    }


@respx.mock
def test_revoke_posts_the_token_and_reports_failure() -> None:
    route = respx.post("https://api.bling.com.br/Api/v3/oauth/revoke").mock(
        side_effect=[httpx.Response(200, json={}), httpx.Response(400, json={"error": "x"})]
    )
    oauth = BlingOAuth("cid", "csecret")
    oauth.revoke("some-token")
    assert parse_qs(route.calls.last.request.content.decode()) == {"token": ["some-token"]}
    with pytest.raises(AuthenticationError, match="revoking"):
        oauth.revoke(TokenSet("a", "r"))


def test_all_three_urls_are_configurable() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json={"access_token": "t" * 20, "expires_in": 10})

    oauth = BlingOAuth(
        "cid",
        "sec",
        authorize_url="https://auth.example/authorize",
        token_url="https://auth.example/token",
        revoke_url="https://auth.example/revoke",
        transport=httpx.MockTransport(handler),
    )
    assert oauth.authorization_url()[0].startswith("https://auth.example/authorize?")
    oauth.exchange_code("c")
    oauth.revoke("t")
    assert seen == ["https://auth.example/token", "https://auth.example/revoke"]


def test_credentials_from_environment_and_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BLING_CLIENT_ID", "env-id")
    monkeypatch.setenv("BLING_CLIENT_SECRET", "env-secret-value-long")
    oauth = BlingOAuth()
    assert oauth.client_id == "env-id"
    assert "env-secret-value-long" not in repr(oauth)
    assert "env-secret" not in repr(oauth.token_source())
    monkeypatch.delenv("BLING_CLIENT_SECRET")
    with pytest.raises(AuthenticationError, match="BLING_CLIENT_SECRET"):
        BlingOAuth()


def test_token_call_guard_stops_a_refresh_loop(fake: FakeBling, clock: FakeClock) -> None:
    oauth = fake.oauth(clock=clock)
    tokens = oauth.exchange_code(fake.issue_code())
    for _ in range(9):
        tokens = oauth.refresh(tokens)
    with pytest.raises(RateLimitError, match="more than 10 times") as caught:
        oauth.refresh(tokens)
    assert caught.value.retry_after is not None
    assert 0 < caught.value.retry_after <= 60
    assert fake.token_calls == 10
    clock.advance(60)
    assert oauth.refresh(tokens).access_token


class RecordingStore(MemoryTokenStore):
    def __init__(self, tokens: TokenSet, events: list[str]) -> None:
        super().__init__(tokens)
        self.events = events

    def save(self, tokens: TokenSet) -> None:
        self.events.append("save")
        super().save(tokens)


def test_client_refreshes_early_and_persists_before_use(fake: FakeBling, clock: FakeClock) -> None:
    oauth = fake.oauth(clock=clock)
    tokens = oauth.exchange_code(fake.issue_code())
    events: list[str] = []
    store = RecordingStore(tokens, events)
    client = fake.client(oauth=oauth, token_store=store, clock=clock, rate_limiter=False)
    original = fake.handle

    def spy(request: Any) -> Any:
        events.append(request.path.rsplit("/", 1)[-1])
        return original(request)

    fake.handle = spy  # type: ignore[method-assign]
    client.contatos.get(1001)
    assert events == ["1001"]
    clock.advance(6 * 3600 - 60)  # inside the refresh margin: renew before it expires
    client.contatos.get(1001)
    assert events == ["1001", "token", "save", "1001"]
    assert store.load() != tokens
    assert fake.requests[-1].headers["enable-jwt"] == "1"


def test_client_refreshes_once_on_401(fake: FakeBling, clock: FakeClock, tmp_path: Path) -> None:
    oauth = fake.oauth(clock=clock)
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(oauth.exchange_code(fake.issue_code()))
    client = fake.client(oauth=oauth, token_store=store, clock=clock, rate_limiter=False)
    fake.expire_access_tokens()
    assert client.contatos.get(1001).nome == "Maria Souza"
    assert fake.refreshes == 1


def test_dead_refresh_token_surfaces_as_reauthorization(fake: FakeBling, clock: FakeClock) -> None:
    oauth = fake.oauth(clock=clock)
    tokens = oauth.exchange_code(fake.issue_code())
    oauth.refresh(tokens)  # someone else used it: the stored pair is dead
    client = fake.client(
        oauth=oauth, token_store=MemoryTokenStore(tokens), clock=clock, rate_limiter=False
    )
    fake.expire_access_tokens()
    with pytest.raises(ReauthorizationRequired) as caught:
        client.contatos.get(1001)
    assert str(tokens.refresh_token) not in str(caught.value)


def test_client_needs_some_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BLING_ACCESS_TOKEN", raising=False)
    with pytest.raises(AuthenticationError, match="access_token"):
        Bling()
    monkeypatch.setenv("BLING_ACCESS_TOKEN", "from-env-token-123456")
    client = Bling()
    assert "from-env-token-123456" not in repr(client)
    oauth = BlingOAuth("cid", "secret-that-is-long-enough")
    with_oauth = Bling(oauth=oauth)
    assert "secret-that-is-long-enough" not in repr(with_oauth)
