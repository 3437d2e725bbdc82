"""OAuth scopes and re-authorization hints, and token stores keyed by connected account."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bling import BlingOAuth
from sdkcore import (
    AuthenticationError,
    FakeClock,
    MemoryTokenStore,
    ReauthorizationRequired,
    SyncAPIClient,
    TokenAuth,
    TokenSet,
    TokenStore,
)
from sdkcore.auth import FileTokenStores, MemoryTokenStores, OAuth2CodeGrant, TokenStores

REPO = Path(__file__).resolve().parents[2]
API = "https://api.example.test"
AUTHORIZE_URL = "https://auth.example.test/oauth2/authorize"
TOKEN_URL = "https://auth.example.test/oauth2/token"


def grant(**kwargs: Any) -> OAuth2CodeGrant:
    kwargs.setdefault("authorize_url", AUTHORIZE_URL)
    kwargs.setdefault("token_url", TOKEN_URL)
    return OAuth2CodeGrant("app-id", "app-secret-0123456789", **kwargs)


def query_of(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


# -- scopes and the redirect URI ------------------------------------------------------------


def test_scopes_go_in_scope_joined_with_plus() -> None:
    scopes = ("openid", "profile", "aws.cognito.signin.user.admin")
    url, state = grant(redirect_uri="https://app.example/cb", scopes=scopes).authorization_url()
    assert "&scope=openid+profile+aws.cognito.signin.user.admin" in url
    assert query_of(url)["scope"] == ["openid profile aws.cognito.signin.user.admin"]
    assert query_of(url)["state"] == [state]


def test_no_scopes_no_scope_parameter() -> None:
    url, _ = grant().authorization_url(state="s")
    assert url == f"{AUTHORIZE_URL}?response_type=code&client_id=app-id&state=s"


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://app.example/cb/",  # a trailing slash stays
        "https://App.Example:8443/Call%20Back?tenant=a&x=1#frag",
        "http://localhost:8765",
        "https://app.example/ação",
    ],
)
def test_the_redirect_uri_arrives_exactly_as_given(redirect_uri: str) -> None:
    oauth = grant(redirect_uri=redirect_uri, scopes=["openid"])
    url, _ = oauth.authorization_url()
    assert query_of(url)["redirect_uri"] == [redirect_uri]
    exchange = parse_qs(oauth.code_request("code-1").content.decode())
    assert exchange["redirect_uri"] == [redirect_uri]


def test_bad_scopes_are_refused() -> None:
    with pytest.raises(TypeError, match="sequence of scope names"):
        grant(scopes="openid profile")
    for bad in ("", "two words", 'quo"te', "tab\t"):
        with pytest.raises(ValueError, match="not a scope name"):
            grant(scopes=[bad])


def test_blings_authorization_url_is_unchanged() -> None:
    oauth = BlingOAuth("bling-id", "bling-secret-0123456789", "https://app.example/cb")
    assert oauth.scopes == ()
    url, state = oauth.authorization_url(state="fixed-state")
    assert state == "fixed-state"
    assert url == (
        "https://www.bling.com.br/Api/v3/oauth/authorize?response_type=code"
        "&client_id=bling-id&state=fixed-state&redirect_uri=https%3A%2F%2Fapp.example%2Fcb"
    )


# -- invalid_grant says what to do -------------------------------------------------------------


class HintedGrant(OAuth2CodeGrant):
    reauthorize_hint = (
        "run `python -m bridge authorize` again, or call exchange_code with a new code"
    )


def refused(request: httpx.Request) -> httpx.Response:
    return httpx.Response(400, json={"error": "invalid_grant"})


@pytest.mark.parametrize(
    ("cls", "hint"),
    [
        (OAuth2CodeGrant, "authorise the application again"),
        (HintedGrant, "run `python -m bridge authorize` again, or call exchange_code"),
    ],
)
def test_invalid_grant_on_refresh_says_what_to_do(cls: type[OAuth2CodeGrant], hint: str) -> None:
    clock = FakeClock()
    oauth = cls(
        "app-id",
        "app-secret-0123456789",
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        transport=httpx.MockTransport(refused),
        clock=clock,
    )
    tokens = TokenSet("access-0", "refresh-0", expires_at=clock.time() - 1)
    with pytest.raises(ReauthorizationRequired, match="invalid_grant") as by_hand:
        oauth.refresh(tokens)
    assert hint in str(by_hand.value)
    assert by_hand.value.code == "invalid_grant"

    # The same sentence when a client's TokenAuth refreshes by itself.
    class Client(SyncAPIClient):
        default_base_url = API

    auth = TokenAuth(oauth.token_source(), MemoryTokenStore(tokens), clock=clock)
    with (
        Client(transport=httpx.MockTransport(refused), auth=auth, clock=clock) as client,
        pytest.raises(ReauthorizationRequired) as by_client,
    ):
        client.request("GET", "/x")
    assert hint in str(by_client.value)
    # And with no refresh token at all.
    with pytest.raises(AuthenticationError, match="no refresh token stored") as none_stored:
        oauth.token_source().token_request(TokenSet("access-0"))
    assert hint in str(none_stored.value)


def test_a_code_refused_is_not_a_refresh_refused() -> None:
    oauth = HintedGrant(
        "app-id",
        "app-secret-0123456789",
        authorize_url=AUTHORIZE_URL,
        token_url=TOKEN_URL,
        transport=httpx.MockTransport(refused),
    )
    with pytest.raises(AuthenticationError, match="authorization code was rejected") as caught:
        oauth.exchange_code("code-1")
    assert not isinstance(caught.value, ReauthorizationRequired)


# -- keyed token stores ------------------------------------------------------------------------


class RotatingServer:
    """A token endpoint whose every refresh token works once, and an API that accepts the
    newest access token of each account."""

    def __init__(self) -> None:
        self.live: dict[str, str] = {}  # refresh token -> account
        self.access: dict[str, str] = {}  # account -> its valid access token
        self.refreshes: dict[str, int] = {}
        self.lock = threading.Lock()

    def start(self, account: str) -> TokenSet:
        with self.lock:
            return self._issue(account)

    def _issue(self, account: str) -> TokenSet:
        n = self.refreshes.get(account, -1) + 1
        self.refreshes[account] = n
        tokens = TokenSet(f"access-{account}-{n}", f"refresh-{account}-{n}", expires_at=1.0)
        self.live[tokens.refresh_token or ""] = account
        self.access[account] = tokens.access_token
        return tokens

    def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            refresh = parse_qs(request.content.decode())["refresh_token"][0]
            with self.lock:
                account = self.live.pop(refresh, None)
                if account is None:
                    return httpx.Response(400, json={"error": "invalid_grant"})
                tokens = self._issue(account)
            return httpx.Response(
                200,
                json={
                    "access_token": tokens.access_token,
                    "refresh_token": tokens.refresh_token,
                    "expires_in": 3600,
                },
            )
        header = request.headers.get("authorization", "")
        if header.removeprefix("Bearer ") in self.access.values():
            return httpx.Response(200, json={"auth": header})
        return httpx.Response(401)


@pytest.fixture(params=["file", "memory"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> TokenStores:
    if request.param == "file":
        return FileTokenStores(tmp_path / "tokens")
    return MemoryTokenStores()


class Client(SyncAPIClient):
    default_base_url = API


def test_two_keys_keep_two_independent_rotating_pairs(stores: TokenStores) -> None:
    assert isinstance(stores, TokenStores)
    clock = FakeClock()
    server = RotatingServer()
    oauth = grant(transport=httpx.MockTransport(server.handler), clock=clock)
    clients = {}
    for company in ("company-a", "company-b"):
        store = stores.for_key(company)
        assert isinstance(store, TokenStore)
        store.save(server.start(company))
        auth = TokenAuth(oauth.token_source(), store, clock=clock)
        clients[company] = Client(
            transport=httpx.MockTransport(server.handler), auth=auth, clock=clock
        )
    try:
        for round_ in range(1, 4):
            for company, client in clients.items():
                assert client.request("GET", "/x") == {"auth": f"Bearer access-{company}-{round_}"}
            clock.advance(3600)  # every token expires: the next round refreshes each pair
    finally:
        for client in clients.values():
            client.close()
    assert server.refreshes == {"company-a": 3, "company-b": 3}
    for company in clients:
        saved = stores.for_key(company).load()
        assert saved is not None
        assert saved.refresh_token == f"refresh-{company}-3"


def test_the_same_key_reaches_the_same_store(stores: TokenStores) -> None:
    assert stores.for_key("x") is stores.for_key("x")
    stores.for_key("x").save(TokenSet("access-x", "refresh-x"))
    assert stores.for_key("y").load() is None


@pytest.mark.parametrize(
    "key", ["", "../x", "/", "/etc/passwd", "a/b", "..", ".", "a\\b", "nul\x00byte", "new\nline"]
)
def test_a_key_that_could_name_a_path_is_refused(stores: TokenStores, key: str) -> None:
    with pytest.raises(ValueError, match="token store key"):
        stores.for_key(key)


def test_file_keys_are_escaped_one_file_per_key(tmp_path: Path) -> None:
    directory = tmp_path / "tokens"
    stores = FileTokenStores(directory)
    keys = [
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "ACME",
        "acme",
        "..acme",
        "12.345.678-0001_90",
        "São Paulo",
        "a%41",
        "x.json",
    ]
    for key in keys:
        stores.for_key(key).save(TokenSet(f"access {key}", f"refresh {key}"))
    names = sorted(p.name for p in directory.iterdir() if not p.name.endswith(".lock"))
    assert len(names) == len(keys)
    assert len({name.lower() for name in names}) == len(keys)  # even with case folded
    assert "3fa85f64-5717-4562-b3fc-2c963f66afa6.json" in names
    assert all(not name.startswith(".") and "/" not in name for name in names)
    assert all(p.resolve().parent == directory.resolve() for p in directory.iterdir())
    for key in keys:
        assert stores.for_key(key).load() == TokenSet(f"access {key}", f"refresh {key}")


def test_keys_too_long_for_a_file_name_are_refused(tmp_path: Path) -> None:
    stores = FileTokenStores(tmp_path)
    stores.for_key("k" * 200)
    with pytest.raises(ValueError, match="too long"):
        stores.for_key("k" * 201)


def test_different_keys_never_share_a_lock(stores: TokenStores) -> None:
    first, second = stores.for_key("company-a"), stores.for_key("company-b")

    def take(store: TokenStore) -> bool:
        with store.lock():
            return True

    with ThreadPoolExecutor(max_workers=2) as pool:
        with first.lock():
            assert pool.submit(take, second).result(timeout=10)
            blocked = pool.submit(take, first)
            with pytest.raises(TimeoutError):
                blocked.result(timeout=0.3)
        assert blocked.result(timeout=10)


def test_reprs_show_no_token(stores: TokenStores, tmp_path: Path) -> None:
    secret = "ya29.very-secret-access-token"
    stores.for_key("company-a").save(TokenSet(secret, "1//very-secret-refresh"))
    shown = repr(stores) + repr(stores.for_key("company-a"))
    assert "very-secret" not in shown
    if isinstance(stores, FileTokenStores):
        assert repr(stores) == f"FileTokenStores({str(tmp_path / 'tokens')!r})"
    else:
        assert repr(stores) == "MemoryTokenStores(keys=['company-a'])"


def test_clients_sharing_a_memory_key_refresh_once() -> None:
    # Two clients of one company (two TokenAuth) share its store: the store's lock makes
    # them take turns, so the rotating refresh token is spent once.
    clock = FakeClock()
    server = RotatingServer()
    stores = MemoryTokenStores()
    stores.for_key("company-a").save(server.start("company-a"))
    oauth = grant(transport=httpx.MockTransport(server.handler), clock=clock)
    clients = [
        Client(
            transport=httpx.MockTransport(server.handler),
            auth=TokenAuth(oauth.token_source(), stores.for_key("company-a"), clock=clock),
            clock=clock,
        )
        for _ in range(2)
    ]
    start = threading.Barrier(16)

    def call(number: int) -> Any:
        start.wait()
        return clients[number % 2].request("GET", "/x")

    try:
        with ThreadPoolExecutor(max_workers=16) as pool:
            results = list(pool.map(call, range(16)))
    finally:
        for client in clients:
            client.close()
    assert server.refreshes == {"company-a": 1}
    assert results == [{"auth": "Bearer access-company-a-1"}] * 16


WORKER = """
import json, sys
import httpx
from sdkcore import TokenAuth, TokenSet
from sdkcore.auth import FileTokenStores
from sdkcore.clock import SystemClock

directory, key, name = sys.argv[1:4]
issued = []

def handler(request):
    if request.url.path == "/token":
        issued.append(1)
        return httpx.Response(200, json={
            "access_token": "access-" + name, "refresh_token": "refresh-" + name,
            "expires_in": 3600})
    return httpx.Response(200, json={"auth": request.headers["authorization"]})

class Source:
    def token_request(self, current):
        return httpx.Request("POST", "https://auth.example.test/token",
                             json={"refresh_token": current.refresh_token})
    def read_token_response(self, response, current):
        return TokenSet.from_oauth_response(response.json(), SystemClock().time())

auth = TokenAuth(Source(), FileTokenStores(directory).for_key(key))
print("ready", flush=True)
with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
    used = client.get("https://api.example.test/x").json()["auth"]
print(json.dumps({"refreshes": len(issued), "used": used}), flush=True)
"""


def run_workers(directory: Path, jobs: list[tuple[str, str]]) -> list[subprocess.Popen[str]]:
    path_entries = [os.environ.get("PYTHONPATH", ""), str(REPO)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(e for e in path_entries if e)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, str(directory), key, name],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for key, name in jobs
    ]
    for worker in workers:
        assert worker.stdout is not None
        assert worker.stdout.readline().strip() == "ready"
    return workers


def results_of(workers: list[subprocess.Popen[str]]) -> list[dict[str, Any]]:
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=30)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    return results


def test_two_processes_sharing_one_key_refresh_once(tmp_path: Path) -> None:
    stores = FileTokenStores(tmp_path / "tokens")
    store = stores.for_key("company-a")
    store.save(TokenSet("access-0", "refresh-0", expires_at=1.0))  # long expired
    stores.for_key("company-b").save(TokenSet("access-b0", "refresh-b0", expires_at=1.0))
    with store.lock():  # both workers start and find the token stale while we hold the lock
        workers = run_workers(tmp_path / "tokens", [("company-a", "p"), ("company-a", "q")])
        # Meanwhile another company's refresh does not wait for company-a's lock.
        (other,) = results_of(run_workers(tmp_path / "tokens", [("company-b", "b1")]))
        assert other == {"refreshes": 1, "used": "Bearer access-b1"}
    results = results_of(workers)
    assert sum(r["refreshes"] for r in results) == 1
    winner = store.load()
    assert winner is not None
    assert [r["used"] for r in results] == [f"Bearer {winner.access_token}"] * 2
