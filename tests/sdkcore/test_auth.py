"""Auth flows: static headers, and bearer tokens with early, single-flight, persisted refresh."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import stat
import subprocess
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from sdkcore import (
    AuthenticationError,
    FakeClock,
    FileTokenStore,
    HeaderAuth,
    MemoryTokenStore,
    OAuth2RefreshSource,
    RateLimitError,
    ReauthorizationRequired,
    TokenAuth,
    TokenSet,
    TokenStore,
)

REPO = Path(__file__).resolve().parents[2]
API = "https://api.example.test"
TOKEN_URL = "https://auth.example.test/oauth/token"
Make = Callable[..., Any]


class TokenServer:
    """The token endpoint and a protected API, in one MockTransport handler.

    Each refresh issues ``access-N``/``refresh-N``; the API accepts only the newest access token.
    """

    def __init__(self, lifetime: float = 3600, gate: Callable[[], None] | None = None) -> None:
        self.lifetime = lifetime
        self.issued = 0
        self.valid = "access-0"
        self.api_auth: list[str | None] = []
        self.refresh_tokens_seen: list[str | None] = []
        self.always_401 = False
        self.gate = gate
        self.lock = threading.Lock()

    def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            if self.gate is not None:
                self.gate()
            with self.lock:
                self.issued += 1
                n = self.issued
                self.valid = f"access-{n}"
                self.refresh_tokens_seen.append(json.loads(request.content)["refresh_token"])
            return httpx.Response(
                200,
                json={
                    "access_token": f"access-{n}",
                    "refresh_token": f"refresh-{n}",
                    "expires_in": self.lifetime,
                },
            )
        header = request.headers.get("authorization")
        with self.lock:
            self.api_auth.append(header)
        if self.always_401 or header != f"Bearer {self.valid}":
            return httpx.Response(401, json={"message": "token expired"})
        return httpx.Response(200, json={"ok": True})

    async def async_handler(self, request: httpx.Request) -> httpx.Response:
        return self.handler(request)


class FakeSource:
    """A TokenSource that posts the refresh token as JSON and reads the fake's answer."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def token_request(self, current: TokenSet | None) -> httpx.Request:
        refresh = current.refresh_token if current else None
        return httpx.Request("POST", TOKEN_URL, json={"refresh_token": refresh})

    def read_token_response(self, response: httpx.Response, current: TokenSet | None) -> TokenSet:
        return TokenSet.from_oauth_response(response.json(), self.clock.time())


def expired(clock: FakeClock) -> TokenSet:
    return TokenSet("access-0", "refresh-0", expires_at=clock.time() - 1)


def fresh(clock: FakeClock, access: str = "access-0") -> TokenSet:
    return TokenSet(access, "refresh-0", expires_at=clock.time() + 3600)


# -- HeaderAuth --------------------------------------------------------------------------


def test_header_auth_adds_its_headers_and_masks_them(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    secret = "app-0000013e-6ac3-bf2b-0000-00569b9a1af2"
    auth = HeaderAuth({"X-App-Token": secret, "X-Short": "abc"})
    t = scripted()
    make_client(t, auth=auth).request("GET", "/x")
    assert t.requests[0].headers["x-app-token"] == secret
    assert t.requests[0].headers["x-short"] == "abc"
    assert auth.secrets == (secret, "abc")
    assert secret not in repr(auth)
    assert repr(auth) == "HeaderAuth(X-App-Token=ap***, X-Short=***)"


# -- TokenAuth: early refresh ------------------------------------------------------------


def test_tokens_are_refreshed_early_before_they_expire(
    make_client: Make, scripted: Any, clock: FakeClock
) -> None:
    server = TokenServer()
    store = MemoryTokenStore(TokenSet("access-0", "refresh-0", expires_at=clock.time() + 1000))
    auth = TokenAuth(FakeSource(clock), store, clock=clock, refresh_margin=120)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    api.request("GET", "/x")
    assert server.issued == 0
    clock.advance(1000 - 121)
    api.request("GET", "/x")
    assert server.issued == 0
    clock.advance(2)  # now within the margin, still valid on the server's side
    api.request("GET", "/x")
    assert server.issued == 1
    assert server.api_auth == ["Bearer access-0", "Bearer access-0", "Bearer access-1"]
    assert server.refresh_tokens_seen == ["refresh-0"]
    assert store.load() == TokenSet("access-1", "refresh-1", expires_at=clock.time() + 3600)
    assert auth.refresh_count == 1


def test_a_token_without_expiry_is_used_until_refused(make_client: Make, clock: FakeClock) -> None:
    server = TokenServer()
    store = MemoryTokenStore(TokenSet("access-0", "refresh-0"))
    auth = TokenAuth(FakeSource(clock), store, clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    clock.advance(10**7)
    api.request("GET", "/x")
    assert server.issued == 0


def test_an_empty_store_gets_its_first_token_from_the_source(
    make_client: Make, clock: FakeClock
) -> None:
    server = TokenServer()
    auth = TokenAuth(FakeSource(clock), clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    assert api.request("GET", "/x") == {"ok": True}
    assert server.refresh_tokens_seen == [None]
    assert isinstance(auth.store, MemoryTokenStore)
    assert auth.store.load() is not None


# -- TokenAuth: single flight ----------------------------------------------------------------


class GateClock(FakeClock):
    """A frozen clock that notes which threads or tasks asked the time.

    The token endpoint waits until every caller has decided (by asking the time) that the
    token needs renewing, so all of them race for the one refresh.
    """

    def __init__(self, callers: int) -> None:
        super().__init__()
        self.callers = callers
        self.seen: set[tuple[int, int]] = set()
        self.everyone = threading.Event()

    def time(self) -> float:
        try:
            task = id(asyncio.current_task())
        except RuntimeError:
            task = 0
        self.seen.add((threading.get_ident(), task))
        if len(self.seen) >= self.callers:
            self.everyone.set()
        return super().time()


def test_single_flight_refresh_across_20_threads(scripted: Any) -> None:
    from sdkcore import SyncAPIClient

    class Client(SyncAPIClient):
        default_base_url = API

    clock = GateClock(callers=20)
    server = TokenServer(gate=lambda: clock.everyone.wait(timeout=10))
    store = MemoryTokenStore(expired(clock))
    auth = TokenAuth(FakeSource(clock), store, clock=clock)
    start = threading.Barrier(20)

    with Client(transport=httpx.MockTransport(server.handler), auth=auth, clock=clock) as client:

        def call(_: int) -> Any:
            start.wait()
            return client.request("GET", "/x")

        with ThreadPoolExecutor(max_workers=20) as pool:
            results = list(pool.map(call, range(20)))
    assert clock.everyone.is_set()
    assert results == [{"ok": True}] * 20
    assert server.issued == 1
    assert auth.refresh_count == 1
    assert server.api_auth == ["Bearer access-1"] * 20


def test_single_flight_refresh_across_20_tasks() -> None:
    from sdkcore import AsyncAPIClient

    class Client(AsyncAPIClient):
        default_base_url = API

    clock = GateClock(callers=20)

    async def token_gate_handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            for _ in range(10_000):
                if clock.everyone.is_set():
                    break
                await asyncio.sleep(0)
        return server.handler(request)

    server = TokenServer()
    store = MemoryTokenStore(expired(clock))
    auth = TokenAuth(FakeSource(clock), store, clock=clock)

    async def scenario() -> list[Any]:
        async with Client(
            transport=httpx.MockTransport(token_gate_handler), auth=auth, clock=clock
        ) as client:
            return await asyncio.gather(*[client.request("GET", "/x") for _ in range(20)])

    results = asyncio.run(scenario())
    assert clock.everyone.is_set()
    assert results == [{"ok": True}] * 20
    assert server.issued == 1
    assert server.api_auth == ["Bearer access-1"] * 20


def test_the_async_lock_is_per_event_loop() -> None:
    clock = FakeClock()
    server = TokenServer()
    auth = TokenAuth(FakeSource(clock), MemoryTokenStore(expired(clock)), clock=clock)

    async def once() -> int:
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(server.async_handler), auth=auth
        ) as http:
            return (await http.get(f"{API}/x")).status_code

    assert asyncio.run(once()) == 200
    clock.advance(4000)
    assert asyncio.run(once()) == 200  # a second loop gets its own lock, no "bound to loop"
    assert server.issued == 2


# -- TokenAuth: 401 ------------------------------------------------------------------------------


def test_a_401_refreshes_and_retries_once(make_client: Make, clock: FakeClock) -> None:
    server = TokenServer()
    server.valid = "revoked-elsewhere"
    auth = TokenAuth(FakeSource(clock), MemoryTokenStore(fresh(clock)), clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    assert api.request("GET", "/x") == {"ok": True}
    assert server.api_auth == ["Bearer access-0", "Bearer access-1"]
    assert server.issued == 1


def test_a_second_401_is_not_refreshed_again(make_client: Make, clock: FakeClock) -> None:
    server = TokenServer()
    server.always_401 = True
    auth = TokenAuth(FakeSource(clock), MemoryTokenStore(fresh(clock)), clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    with pytest.raises(AuthenticationError) as info:
        api.request("GET", "/x")
    assert info.value.status_code == 401
    assert server.issued == 1
    assert server.api_auth == ["Bearer access-0", "Bearer access-1"]


def test_a_401_after_another_process_refreshed_uses_the_stored_token(
    make_client: Make, clock: FakeClock
) -> None:
    server = TokenServer()
    store = MemoryTokenStore(fresh(clock))
    auth = TokenAuth(FakeSource(clock), store, clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    api.request("GET", "/x")
    # Someone else refreshed and saved; the server now wants their token.
    server.valid = "access-other"
    store.save(fresh(clock, "access-other"))
    assert api.request("GET", "/x") == {"ok": True}
    assert server.issued == 0
    assert server.api_auth[-2:] == ["Bearer access-0", "Bearer access-other"]


# -- TokenAuth: persist before use ---------------------------------------------------------------


class RecordingStore(MemoryTokenStore):
    def __init__(self, tokens: TokenSet | None, events: list[tuple[str, str | None]]) -> None:
        super().__init__(tokens)
        self.events = events
        self.fail_saves = 0

    def save(self, tokens: TokenSet) -> None:
        if self.fail_saves:
            self.fail_saves -= 1
            raise OSError("disk full")
        self.events.append(("saved", tokens.refresh_token))
        super().save(tokens)


def test_a_rotated_refresh_token_is_persisted_before_the_new_access_token_is_used(
    make_client: Make, clock: FakeClock
) -> None:
    events: list[tuple[str, str | None]] = []
    server = TokenServer()

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) != TOKEN_URL:
            events.append(("used", request.headers.get("authorization")))
        return server.handler(request)

    store = RecordingStore(expired(clock), events)
    auth = TokenAuth(FakeSource(clock), store, clock=clock)
    api = make_client(httpx.MockTransport(handler), auth=auth)
    api.request("GET", "/x")
    assert events == [("saved", "refresh-1"), ("used", "Bearer access-1")]


def test_tokens_that_could_not_be_saved_are_never_used(make_client: Make, clock: FakeClock) -> None:
    server = TokenServer()
    store = RecordingStore(expired(clock), [])
    store.fail_saves = 1
    auth = TokenAuth(FakeSource(clock), store, clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    with pytest.raises(OSError, match="disk full"):
        api.request("GET", "/x")
    assert "access-1" not in repr(auth.secrets)
    assert api.request("GET", "/x") == {"ok": True}
    assert server.api_auth == ["Bearer access-2"]  # access-1 was never sent


# -- stores ------------------------------------------------------------------------------------


def test_memory_token_store() -> None:
    store = MemoryTokenStore()
    assert isinstance(store, TokenStore)
    assert store.load() is None
    tokens = TokenSet("a" * 20, "r" * 20)
    store.save(tokens)
    assert store.load() is tokens
    with store.lock():
        pass
    assert "a" * 20 not in repr(store)


def test_file_token_store_round_trip_mode_and_atomic_replace(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "tokens.json"
    store = FileTokenStore(path)
    assert isinstance(store, TokenStore)
    assert store.load() is None
    first = TokenSet("access-1", "refresh-1", 1_700_000_000.0, scope="read", extra={"k": 1})
    store.save(first)
    assert store.load() == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    inode = path.stat().st_ino
    store.save(TokenSet("access-2", "refresh-2"))
    assert path.stat().st_ino != inode  # a new file renamed over the old one
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert store.load() == TokenSet("access-2", "refresh-2")
    assert sorted(p.name for p in path.parent.iterdir()) == ["tokens.json"]
    assert repr(store) == f"FileTokenStore({str(path)!r})"


def test_a_failed_save_leaves_the_old_file_whole(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(TokenSet("access-1", "refresh-1"))
    with pytest.raises(TypeError):
        store.save(TokenSet("access-2", "refresh-2", extra={"bad": object()}))
    assert store.load() == TokenSet("access-1", "refresh-1")
    assert [p.name for p in tmp_path.iterdir() if p.name != "tokens.json.lock"] == ["tokens.json"]


def test_an_unreadable_token_file_says_which(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    path.write_text("{not json")
    with pytest.raises(ValueError, match=r"tokens\.json"):
        FileTokenStore(path).load()


def test_file_store_lock_is_reentrant_per_call(tmp_path: Path) -> None:
    store = FileTokenStore(tmp_path / "t.json")
    with store.lock():
        assert (tmp_path / "t.json.lock").exists()
    with store.lock():
        pass
    assert stat.S_IMODE((tmp_path / "t.json.lock").stat().st_mode) == 0o600


WORKER = """
import json, sys
import httpx
from sdkcore import FileTokenStore, TokenAuth, TokenSet
from sdkcore.clock import SystemClock

path = sys.argv[1]
issued = []

def handler(request):
    if request.url.path == "/token":
        issued.append(1)
        return httpx.Response(200, json={
            "access_token": "access-" + sys.argv[2], "refresh_token": "refresh-" + sys.argv[2],
            "expires_in": 3600})
    return httpx.Response(200, json={"auth": request.headers["authorization"]})

class Source:
    def token_request(self, current):
        return httpx.Request("POST", "https://auth.example.test/token",
                             json={"refresh_token": current.refresh_token})
    def read_token_response(self, response, current):
        return TokenSet.from_oauth_response(response.json(), SystemClock().time())

auth = TokenAuth(Source(), FileTokenStore(path))
print("ready", flush=True)
with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as client:
    used = client.get("https://api.example.test/x").json()["auth"]
print(json.dumps({"refreshes": len(issued), "used": used}), flush=True)
"""


def test_two_processes_sharing_a_file_store_refresh_once(tmp_path: Path) -> None:
    path = tmp_path / "tokens.json"
    store = FileTokenStore(path)
    store.save(TokenSet("access-0", "refresh-0", expires_at=1.0))  # long expired
    path_entries = [os.environ.get("PYTHONPATH", ""), str(REPO)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(e for e in path_entries if e)}
    with store.lock():  # both workers start and find the token stale while we hold the lock
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", WORKER, str(path), name],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for name in ("a", "b")
        ]
        for worker in workers:
            assert worker.stdout is not None
            assert worker.stdout.readline().strip() == "ready"
    results = []
    for worker in workers:
        out, err = worker.communicate(timeout=30)
        assert worker.returncode == 0, err
        results.append(json.loads(out))
    assert sum(r["refreshes"] for r in results) == 1
    winner = store.load()
    assert winner is not None
    assert [r["used"] for r in results] == [f"Bearer {winner.access_token}"] * 2


# -- OAuth2RefreshSource -------------------------------------------------------------------------


@respx.mock
def test_oauth2_refresh_request_shape_and_rotation(clock: FakeClock) -> None:
    route = respx.post(TOKEN_URL).mock(
        return_value=httpx.Response(
            200,
            json={
                "access_token": "new-access",
                "refresh_token": "new-refresh",
                "expires_in": 3600,
                "token_type": "bearer",
                "scope": "read write",
                "id_token": "xyz",
            },
        )
    )
    api_route = respx.get(f"{API}/x").mock(return_value=httpx.Response(200, json={}))
    source = OAuth2RefreshSource(
        TOKEN_URL, "client-1", "s3cr3t-client", extra_headers={"X-Extra": "1"}, clock=clock
    )
    store = MemoryTokenStore(TokenSet("old-access", "old-refresh", expires_at=0))
    auth = TokenAuth(source, store, clock=clock)
    with httpx.Client(auth=auth) as http:
        http.get(f"{API}/x")
    sent = route.calls.last.request
    basic = base64.b64encode(b"client-1:s3cr3t-client").decode()
    assert sent.headers["authorization"] == f"Basic {basic}"
    assert sent.headers["content-type"] == "application/x-www-form-urlencoded"
    assert sent.headers["accept"] == "application/json"
    assert sent.headers["x-extra"] == "1"
    assert parse_qs(sent.content.decode()) == {
        "grant_type": ["refresh_token"],
        "refresh_token": ["old-refresh"],
    }
    assert api_route.calls.last.request.headers["authorization"] == "Bearer new-access"
    saved = store.load()
    assert saved is not None
    assert (saved.access_token, saved.refresh_token) == ("new-access", "new-refresh")
    assert saved.expires_at == clock.time() + 3600
    assert saved.scope == "read write"
    assert saved.extra == {"id_token": "xyz"}


def _refresh(source: OAuth2RefreshSource, response: httpx.Response) -> TokenSet:
    current = TokenSet("old-access", "old-refresh-token-value")
    request = source.token_request(current)
    response.request = request
    return source.read_token_response(response, current)


def test_oauth2_keeps_the_refresh_token_when_the_server_does_not_rotate(clock: FakeClock) -> None:
    source = OAuth2RefreshSource(TOKEN_URL, "id", "secret", clock=clock)
    tokens = _refresh(source, httpx.Response(200, json={"access_token": "a2"}))
    assert tokens.refresh_token == "old-refresh-token-value"
    assert tokens.expires_at is None


@pytest.mark.parametrize(
    ("response", "cls"),
    [
        (httpx.Response(400, json={"error": "invalid_grant"}), ReauthorizationRequired),
        (httpx.Response(200, json={"error": "invalid_grant"}), ReauthorizationRequired),
        (httpx.Response(400, json={"error": {"type": "invalid_grant"}}), ReauthorizationRequired),
        (httpx.Response(401, json={"error": "invalid_client"}), AuthenticationError),
        # A 5xx or 429 is the server's error, an unreadable 200 a ResponseParseError: see
        # test_unreadable_bodies.py and tests/bling/test_token_endpoint_errors.py.
        (httpx.Response(200, json={"token_type": "bearer"}), AuthenticationError),
        (
            httpx.Response(200, json={"access_token": "a", "expires_in": "soon"}),
            AuthenticationError,
        ),
    ],
)
def test_oauth2_failures(
    clock: FakeClock, response: httpx.Response, cls: type[AuthenticationError]
) -> None:
    source = OAuth2RefreshSource(TOKEN_URL + "?client_secret=leak", "id", "secret", clock=clock)
    with pytest.raises(AuthenticationError) as info:
        _refresh(source, response)
    assert type(info.value) is cls
    assert info.value.url == TOKEN_URL
    assert "leak" not in str(info.value)


def test_oauth2_error_bodies_are_redacted(clock: FakeClock) -> None:
    source = OAuth2RefreshSource(TOKEN_URL, "id", "secret", clock=clock)
    echo = {"error": "invalid_grant", "refresh_token": "old-refresh-token-value"}
    with pytest.raises(ReauthorizationRequired) as info:
        _refresh(source, httpx.Response(400, json=echo))
    assert "old-refresh-token-value" not in str(info.value)
    assert info.value.code == "invalid_grant"
    assert info.value.status_code == 400


def test_invalid_grant_reaches_the_caller_as_reauthorization_required(
    make_client: Make, clock: FakeClock
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            return httpx.Response(400, json={"error": "invalid_grant"})
        return httpx.Response(200, json={})

    source = OAuth2RefreshSource(TOKEN_URL, "id", "secret", clock=clock)
    auth = TokenAuth(source, MemoryTokenStore(expired(clock)), clock=clock)
    api = make_client(httpx.MockTransport(handler), auth=auth)
    with pytest.raises(ReauthorizationRequired):
        api.request("GET", "/x")


def test_oauth2_without_a_refresh_token_asks_for_authorisation(clock: FakeClock) -> None:
    source = OAuth2RefreshSource(TOKEN_URL, "id", "secret", clock=clock)
    with pytest.raises(AuthenticationError, match="authorise"):
        source.token_request(None)
    with pytest.raises(AuthenticationError):
        source.token_request(TokenSet("a", None))


# -- token sets and masking ----------------------------------------------------------------------


def test_token_set_dict_round_trip_and_expiry() -> None:
    tokens = TokenSet("a", "r", 100.0, "Bearer", "s", {"x": 1})
    assert TokenSet.from_dict(tokens.to_dict()) == tokens
    assert TokenSet.from_dict({"access_token": "a"}) == TokenSet("a")
    assert tokens.expires_within(10, now=95.0)
    assert not tokens.expires_within(10, now=80.0)
    assert not TokenSet("a").expires_within(10**9, now=0)
    with pytest.raises(ValueError):
        TokenSet.from_oauth_response({"refresh_token": "r"}, now=0)


def test_nothing_secret_in_reprs(clock: FakeClock) -> None:
    access, refresh, secret = "ya29.a0-access-token-value", "1//refresh-token-value", "cl-secret"
    tokens = TokenSet(access, refresh, expires_at=5.0)
    store = MemoryTokenStore(tokens)
    auth = TokenAuth(OAuth2RefreshSource(TOKEN_URL, "id", secret), store, clock=clock)
    auth._current()  # load the cache, as the first request would
    shown = " ".join([repr(tokens), repr(store), repr(auth), repr(auth.source), str(tokens)])
    for value in (access, refresh, secret):
        assert value not in shown
    assert "ya***" in repr(tokens)
    assert "expires_at=5.0" in repr(tokens)
    assert set(auth.secrets) == {access, refresh}
    assert TokenAuth(auth.source).secrets == ()


def test_custom_header_and_scheme(clock: FakeClock) -> None:
    store = MemoryTokenStore(fresh(clock))
    auth = TokenAuth(FakeSource(clock), store, clock=clock, header="X-Access-Token", scheme="")
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request.headers["x-access-token"])
        return httpx.Response(200)

    with httpx.Client(transport=httpx.MockTransport(handler), auth=auth) as http:
        http.get(f"{API}/x")
    assert seen == ["access-0"]


class ThrottledSource(FakeSource):
    """A token endpoint that throttles the first ``times`` refreshes."""

    def __init__(self, clock: FakeClock, times: int, retry_after: float | None) -> None:
        super().__init__(clock)
        self.times = times
        self.retry_after = retry_after

    def read_token_response(self, response: httpx.Response, current: TokenSet | None) -> TokenSet:
        if self.times:
            self.times -= 1
            raise RateLimitError("token endpoint throttled", retry_after=self.retry_after)
        return super().read_token_response(response, current)


@pytest.mark.parametrize("method", ["GET", "POST"])
def test_a_throttled_token_refresh_is_waited_out_for_any_method(
    make_client: Make, clock: FakeClock, method: str
) -> None:
    server = TokenServer()
    source = ThrottledSource(clock, times=1, retry_after=4)
    auth = TokenAuth(source, MemoryTokenStore(expired(clock)), clock=clock)
    api = make_client(httpx.MockTransport(server.handler), auth=auth)
    assert api.request(method, "/x", json={}) == {"ok": True}
    assert clock.sleeps == [4]
    assert len(server.api_auth) == 1  # the API itself saw the request once


def test_a_throttled_token_refresh_gives_up_like_any_throttle(
    make_client: Make, clock: FakeClock
) -> None:
    server = TokenServer()
    too_long = ThrottledSource(clock, times=1, retry_after=3600)
    auth = TokenAuth(too_long, MemoryTokenStore(expired(clock)), clock=clock)
    with pytest.raises(RateLimitError):
        make_client(httpx.MockTransport(server.handler), auth=auth).request("GET", "/x")
    assert clock.sleeps == []
    always = ThrottledSource(clock, times=10, retry_after=None)
    auth = TokenAuth(always, MemoryTokenStore(expired(clock)), clock=clock)
    with pytest.raises(RateLimitError):
        make_client(httpx.MockTransport(server.handler), auth=auth).request("GET", "/x")
    assert len(clock.sleeps) == 2
    assert all(0.5 <= s <= 8 for s in clock.sleeps)
    assert server.api_auth == []
