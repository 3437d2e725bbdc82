"""The OAuth 2 authorization-code grant in ``sdkcore.auth``: authorization URL with state,
code exchange, refresh with rotation, revocation, and ``TokenAuth`` on its token source
(single flight, persisted before use)."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from sdkcore import (
    AuthenticationError,
    FakeClock,
    MemoryTokenStore,
    ReauthorizationRequired,
    RequestValidationError,
    SyncAPIClient,
    TokenAuth,
    TokenSet,
)
from sdkcore.auth import OAuth2CodeGrant, StateMismatchError, basic_authorization
from sdkcore.redact import mask_secrets

AUTHORIZE_URL = "https://auth.example.test/authorize"
TOKEN_URL = "https://auth.example.test/token"
REVOKE_URL = "https://auth.example.test/revoke"
API = "https://api.example.test"
CLIENT_ID = "app-id"
CLIENT_SECRET = "app-secret-0123456789"
REDIRECT = "https://app.example.test/callback"


class AuthServer:
    """An authorization server (single-use codes, rotating refresh tokens, revocation) and
    an API that takes only the newest access token, in one MockTransport handler."""

    def __init__(self, *, rotates: bool = True) -> None:
        self.rotates = rotates
        self.codes: set[str] = set()
        self.live_refresh: set[str] = set()
        self.valid_access = ""
        self.issued = 0
        self.token_requests: list[httpx.Request] = []
        self.revoked: list[str] = []
        self.api_auth: list[str | None] = []
        self.lock = threading.Lock()

    def issue_code(self) -> str:
        code = f"code-{len(self.codes)}-0123456789"
        self.codes.add(code)
        return code

    def _tokens(self, keep_refresh: str | None = None) -> httpx.Response:
        self.issued += 1
        self.valid_access = f"access-{self.issued}-0123456789"
        body: dict[str, Any] = {"access_token": self.valid_access, "expires_in": 3600}
        if keep_refresh is None:
            refresh = f"refresh-{self.issued}-0123456789"
            self.live_refresh.add(refresh)
            body["refresh_token"] = refresh
        return httpx.Response(200, json=body)

    def handler(self, request: httpx.Request) -> httpx.Response:
        with self.lock:
            url = str(request.url)
            if url == TOKEN_URL:
                self.token_requests.append(request)
                form = {k: v[0] for k, v in parse_qs(request.content.decode()).items()}
                if form["grant_type"] == "authorization_code":
                    if form["code"] not in self.codes:
                        return httpx.Response(400, json={"error": "invalid_grant"})
                    self.codes.discard(form["code"])
                    return self._tokens()
                refresh = form["refresh_token"]
                if refresh not in self.live_refresh:
                    return httpx.Response(400, json={"error": "invalid_grant"})
                if self.rotates:
                    self.live_refresh.discard(refresh)  # rotation: the old one dies now
                    return self._tokens()
                return self._tokens(keep_refresh=refresh)
            if url == REVOKE_URL:
                self.revoked.append(parse_qs(request.content.decode())["token"][0])
                return httpx.Response(200, json={})
            header = request.headers.get("authorization")
            self.api_auth.append(header)
            if header != f"Bearer {self.valid_access}":
                return httpx.Response(401, json={"message": "expired"})
            return httpx.Response(200, json={"ok": True})

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)


@pytest.fixture
def server() -> AuthServer:
    return AuthServer()


def grant_for(server: AuthServer, **kwargs: Any) -> OAuth2CodeGrant:
    kwargs.setdefault("redirect_uri", REDIRECT)
    kwargs.setdefault("clock", FakeClock())
    return OAuth2CodeGrant(
        CLIENT_ID,
        CLIENT_SECRET,
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        revoke_url=REVOKE_URL,
        transport=httpx.MockTransport(server.handler),
        async_transport=httpx.MockTransport(server.async_handler),
        **kwargs,
    )


def form_of(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode())


class RecordingStore(MemoryTokenStore):
    """A store that logs its lock, its saves and (through ``events``) the API's use."""

    def __init__(self, tokens: TokenSet | None, events: list[str]) -> None:
        super().__init__(tokens)
        self.events = events

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.events.append("lock")
        yield
        self.events.append("unlock")

    def save(self, tokens: TokenSet) -> None:
        self.events.append(f"save {tokens.refresh_token}")
        super().save(tokens)


# -- authorization URL and state -------------------------------------------------------------


def test_the_authorization_url_asks_for_a_code_with_a_fresh_state(server: AuthServer) -> None:
    grant = grant_for(server)
    url, state = grant.authorization_url()
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == AUTHORIZE_URL
    assert parse_qs(parts.query) == {
        "response_type": ["code"],
        "client_id": [CLIENT_ID],
        "state": [state],
        "redirect_uri": [REDIRECT],
    }
    assert len(state) >= 20
    assert grant.authorization_url()[1] != state
    assert grant.authorization_url("chosen")[1] == "chosen"
    bare = grant_for(server, redirect_uri=None).authorization_url()[0]
    assert "redirect_uri" not in parse_qs(urlsplit(bare).query)


@pytest.mark.parametrize("returned", ["forged", None, ""])
def test_a_state_that_does_not_match_refuses_the_code_before_any_call(
    server: AuthServer, returned: str | None
) -> None:
    grant = grant_for(server)
    with pytest.raises(StateMismatchError, match="does not match"):
        grant.exchange_code(server.issue_code(), state=returned, expected_state="sent")
    assert isinstance(StateMismatchError("x"), ValueError)
    assert server.token_requests == []


# -- code exchange ----------------------------------------------------------------------------


def test_the_exchange_posts_the_code_with_basic_client_credentials(server: AuthServer) -> None:
    grant = grant_for(server, extra_headers={"x-vendor": "1"})
    _url, state = grant.authorization_url()
    code = server.issue_code()
    tokens = grant.exchange_code(code, state=state, expected_state=state)
    assert tokens.access_token == "access-1-0123456789"
    assert tokens.refresh_token == "refresh-1-0123456789"
    request = server.token_requests[-1]
    expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
    assert request.method == "POST"
    assert request.headers["authorization"] == f"Basic {expected}"
    assert request.headers["content-type"] == "application/x-www-form-urlencoded"
    assert request.headers["x-vendor"] == "1"
    assert form_of(request) == {
        "grant_type": ["authorization_code"],
        "code": [code],
        "redirect_uri": [REDIRECT],  # RFC 6749 §4.1.3: the one the code was issued for
    }


def test_a_server_that_wants_only_the_code_gets_only_the_code(server: AuthServer) -> None:
    class CodeOnly(OAuth2CodeGrant):
        exchange_sends_redirect_uri = False

    grant = CodeOnly(
        CLIENT_ID,
        CLIENT_SECRET,
        REDIRECT,
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        transport=httpx.MockTransport(server.handler),
    )
    code = server.issue_code()
    grant.exchange_code(code)
    assert form_of(server.token_requests[-1]) == {
        "grant_type": ["authorization_code"],
        "code": [code],
    }
    assert "redirect_uri" in grant.authorization_url()[0]


def test_a_used_code_asks_for_a_new_authorization_not_for_a_dead_refresh_token(
    server: AuthServer,
) -> None:
    grant = grant_for(server)
    code = server.issue_code()
    grant.exchange_code(code)
    with pytest.raises(AuthenticationError, match="works once") as caught:
        grant.exchange_code(code)
    assert not isinstance(caught.value, ReauthorizationRequired)
    assert caught.value.code == "invalid_grant"
    assert caught.value.status_code == 400
    with pytest.raises(AuthenticationError, match="no authorization code"):
        grant.exchange_code("")


def test_exchanged_tokens_are_saved_under_the_store_lock_before_they_are_returned(
    server: AuthServer,
) -> None:
    events: list[str] = []
    store = RecordingStore(None, events)
    tokens = grant_for(server).exchange_code(server.issue_code(), store=store)
    assert events == ["lock", "save refresh-1-0123456789", "unlock"]
    assert store.load() == tokens


def test_an_exchange_the_server_refuses_saves_nothing(server: AuthServer) -> None:
    events: list[str] = []
    with pytest.raises(AuthenticationError):
        grant_for(server).exchange_code("never-issued", store=RecordingStore(None, events))
    assert events == []


# -- refresh and rotation ---------------------------------------------------------------------


def test_a_refresh_rotates_and_the_old_refresh_token_then_needs_reauthorization(
    server: AuthServer,
) -> None:
    grant = grant_for(server)
    first = grant.exchange_code(server.issue_code())
    second = grant.refresh(first)
    assert second.refresh_token == "refresh-2-0123456789"
    assert second.access_token != first.access_token
    assert form_of(server.token_requests[-1]) == {
        "grant_type": ["refresh_token"],
        "refresh_token": [str(first.refresh_token)],
    }
    with pytest.raises(ReauthorizationRequired, match="authorise the application again"):
        grant.refresh(first)


def test_a_server_that_does_not_rotate_leaves_the_old_refresh_token_in_the_new_set() -> None:
    server = AuthServer(rotates=False)
    grant = grant_for(server)
    first = grant.exchange_code(server.issue_code())
    second = grant.refresh(first)
    assert second.access_token != first.access_token
    assert second.refresh_token == first.refresh_token


def test_the_client_refreshes_through_the_grant_and_persists_before_use(
    server: AuthServer,
) -> None:
    clock = FakeClock()
    grant = grant_for(server, clock=clock)
    events: list[str] = []
    store = RecordingStore(grant.exchange_code(server.issue_code()), events)

    def api(request: httpx.Request) -> httpx.Response:
        if str(request.url).startswith(API):
            events.append(f"use {request.headers['authorization']}")
        return server.handler(request)

    auth = TokenAuth(grant.token_source(), store, clock=clock)

    class Client(SyncAPIClient):
        default_base_url = API

    with Client(transport=httpx.MockTransport(api), auth=auth, clock=clock) as client:
        client.request("GET", "/x")
        clock.advance(3600 - 60)  # inside the refresh margin: renew before it expires
        client.request("GET", "/x")
    assert events == [
        "use Bearer access-1-0123456789",
        "lock",
        "save refresh-2-0123456789",
        "unlock",
        "use Bearer access-2-0123456789",
    ]
    assert server.live_refresh == {"refresh-2-0123456789"}


def test_threads_sharing_the_grant_s_token_auth_refresh_once(server: AuthServer) -> None:
    clock = FakeClock()
    grant = grant_for(server, clock=clock)
    tokens = grant.exchange_code(server.issue_code())
    clock.advance(3600)  # expired: every caller wants a refresh
    auth = TokenAuth(grant.token_source(), MemoryTokenStore(tokens), clock=clock)
    start = threading.Barrier(10)

    class Client(SyncAPIClient):
        default_base_url = API

    with Client(transport=httpx.MockTransport(server.handler), auth=auth, clock=clock) as client:

        def call(_: int) -> Any:
            start.wait()
            return client.request("GET", "/x")

        with ThreadPoolExecutor(max_workers=10) as pool:
            assert list(pool.map(call, range(10))) == [{"ok": True}] * 10
    assert server.issued == 2  # the exchange and one refresh: no refresh token was burnt
    assert auth.refresh_count == 1


# -- revocation -------------------------------------------------------------------------------


def test_revoke_posts_the_token_and_a_token_set_revokes_its_refresh_token(
    server: AuthServer,
) -> None:
    grant = grant_for(server)
    grant.revoke("plain-token-0123456789")
    grant.revoke(TokenSet("access-x-0123456789", "refresh-x-0123456789"))
    grant.revoke(TokenSet("only-access-0123456789"))
    assert server.revoked == [
        "plain-token-0123456789",
        "refresh-x-0123456789",
        "only-access-0123456789",
    ]


def test_revoke_failures_and_a_grant_without_a_revocation_endpoint() -> None:
    failing = OAuth2CodeGrant(
        CLIENT_ID,
        CLIENT_SECRET,
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        revoke_url=REVOKE_URL,
        transport=httpx.MockTransport(lambda _: httpx.Response(400, json={"error": "x"})),
    )
    with pytest.raises(AuthenticationError, match="revoking the token failed"):
        failing.revoke("token-0123456789")
    without = OAuth2CodeGrant(
        CLIENT_ID, CLIENT_SECRET, authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL
    )
    with pytest.raises(RequestValidationError, match="revoke_url"):
        without.revoke("token-0123456789")


# -- async --------------------------------------------------------------------------------------


def test_async_exchange_refresh_and_revoke(server: AuthServer) -> None:
    grant = grant_for(server)
    events: list[str] = []
    store = RecordingStore(None, events)

    async def flow() -> tuple[TokenSet, TokenSet]:
        first = await grant.aexchange_code(
            server.issue_code(), state="s", expected_state="s", store=store
        )
        second = await grant.arefresh(first)
        await grant.arevoke(second)
        return first, second

    first, second = asyncio.run(flow())
    assert events == ["lock", f"save {first.refresh_token}", "unlock"]
    assert second.refresh_token != first.refresh_token
    assert server.revoked == [second.refresh_token]
    with pytest.raises(StateMismatchError):
        asyncio.run(grant.aexchange_code(server.issue_code(), state="a", expected_state="b"))


# -- credentials --------------------------------------------------------------------------------


def test_credentials_are_required_and_masked(server: AuthServer) -> None:
    with pytest.raises(AuthenticationError, match="client_secret="):
        OAuth2CodeGrant(CLIENT_ID, "", authorize_url=AUTHORIZE_URL, token_url=TOKEN_URL)
    grant = grant_for(server)
    assert CLIENT_SECRET not in repr(grant)
    assert repr(grant).startswith("OAuth2CodeGrant(client_id='app-id'")
    assert grant.client_secret == CLIENT_SECRET


def test_one_basic_header_helper_and_its_credential_is_masked() -> None:
    header = basic_authorization("user", "pass-0123456789")
    credential = base64.b64encode(b"user:pass-0123456789").decode()
    assert header == f"Basic {credential}"
    assert credential not in mask_secrets(f"sent {credential} in a body")
