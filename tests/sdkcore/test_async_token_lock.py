"""The async token flow waits for a ``FileTokenStore`` lock that another process holds
without stopping the event loop: other tasks run on, the refresh goes ahead once the lock
is given back, and still only one caller refreshes."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx

from sdkcore import (
    AsyncAPIClient,
    FakeClock,
    FileTokenStore,
    MemoryTokenStore,
    TokenAuth,
    TokenSet,
)

REPO = Path(__file__).resolve().parents[2]
API = "https://api.example.test"
TOKEN_URL = "https://auth.example.test/oauth/token"

# Takes the store's lock, says so, and holds it until a line arrives on stdin (or, so a
# broken test cannot hang for ever, until the fail-safe runs out). With "renew" it then saves
# fresh tokens before letting go, as a process that refreshed first would.
LOCK_HOLDER = """
import select, sys
from sdkcore import FileTokenStore, TokenSet
path, failsafe, action = sys.argv[1], float(sys.argv[2]), sys.argv[3]
store = FileTokenStore(path)
with store.lock():
    print("locked", flush=True)
    select.select([sys.stdin], [], [], failsafe)
    if action == "renew":
        store.save(TokenSet("access-child", "refresh-child", expires_at=4e9))
"""
FAILSAFE_SECONDS = 10.0


class Client(AsyncAPIClient):
    default_base_url = API


class TokenServer:
    """Issues ``access-N`` on each refresh; the API accepts only the newest access token."""

    def __init__(self) -> None:
        self.issued = 0
        self.valid = "access-0"

    async def handler(self, request: httpx.Request) -> httpx.Response:
        if str(request.url) == TOKEN_URL:
            self.issued += 1
            self.valid = f"access-{self.issued}"
            return httpx.Response(
                200,
                json={
                    "access_token": self.valid,
                    "refresh_token": f"refresh-{self.issued}",
                    "expires_in": 3600,
                },
            )
        if request.headers.get("authorization") != f"Bearer {self.valid}":
            return httpx.Response(401, json={"message": "token expired"})
        return httpx.Response(200, json={"auth": request.headers["authorization"]})


class FakeSource:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock

    def token_request(self, current: TokenSet | None) -> httpx.Request:
        refresh = current.refresh_token if current else None
        return httpx.Request("POST", TOKEN_URL, json={"refresh_token": refresh})

    def read_token_response(self, response: httpx.Response, current: TokenSet | None) -> TokenSet:
        return TokenSet.from_oauth_response(response.json(), self.clock.time())


class WatchedFileStore(FileTokenStore):
    """A ``FileTokenStore`` that notes when the token flow asks for its lock."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.lock_wanted = threading.Event()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.lock_wanted.set()
        with super().lock():
            yield


@contextlib.contextmanager
def lock_held_by_another_process(
    path: Path, action: str = "hold"
) -> Iterator[subprocess.Popen[str]]:
    path_entries = [os.environ.get("PYTHONPATH", ""), str(REPO)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(e for e in path_entries if e)}
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(path), str(FAILSAFE_SECONDS), action],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        yield holder
    finally:
        _, err = holder.communicate("release\n", timeout=30)  # a no-op if already released
        assert holder.returncode == 0, err


def release(holder: subprocess.Popen[str]) -> None:
    assert holder.stdin is not None
    with contextlib.suppress(BrokenPipeError):  # gone already: its fail-safe ran out
        holder.stdin.write("release\n")
        holder.stdin.flush()


async def tick_forever(ticks: list[float]) -> None:
    while True:
        ticks.append(time.monotonic())
        await asyncio.sleep(0.01)


async def until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + 30  # a bound on a broken test, not a measure of speed
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        await asyncio.sleep(0.01)


def test_the_loop_runs_on_while_another_process_holds_the_token_lock(tmp_path: Path) -> None:
    clock = FakeClock()
    store = WatchedFileStore(tmp_path / "tokens.json")
    store.save(TokenSet("access-0", "refresh-0", expires_at=clock.time() - 1))
    server = TokenServer()
    auth = TokenAuth(FakeSource(clock), store, clock=clock)

    async def scenario(holder: subprocess.Popen[str]) -> tuple[list[Any], int]:
        ticks: list[float] = []
        ticker = asyncio.create_task(tick_forever(ticks))
        async with Client(
            transport=httpx.MockTransport(server.handler), auth=auth, clock=clock
        ) as client:
            requests = [asyncio.create_task(client.request("GET", "/x")) for _ in range(3)]
            await until(store.lock_wanted.is_set)
            waiting_since = len(ticks)
            # A blocking flock would stop the loop here until the other process let go:
            # the ticker could not tick, and the requests would be done by the time it did.
            await until(lambda: len(ticks) >= waiting_since + 20)
            assert not any(request.done() for request in requests)
            assert server.issued == 0
            ticks_while_waiting = len(ticks) - waiting_since
            release(holder)
            results = await asyncio.gather(*requests)
        ticker.cancel()
        return results, ticks_while_waiting

    with lock_held_by_another_process(store.path) as holder:
        results, ticks_while_waiting = asyncio.run(scenario(holder))
    assert ticks_while_waiting >= 20
    assert results == [{"auth": "Bearer access-1"}] * 3
    assert server.issued == 1
    assert auth.refresh_count == 1
    saved = store.load()
    assert saved is not None
    assert (saved.access_token, saved.refresh_token) == ("access-1", "refresh-1")


def test_tokens_another_process_renewed_while_we_waited_are_used(tmp_path: Path) -> None:
    clock = FakeClock()
    store = WatchedFileStore(tmp_path / "tokens.json")
    store.save(TokenSet("access-0", "refresh-0", expires_at=clock.time() - 1))
    server = TokenServer()
    server.valid = "access-child"
    auth = TokenAuth(FakeSource(clock), store, clock=clock)

    async def scenario(holder: subprocess.Popen[str]) -> Any:
        async with Client(
            transport=httpx.MockTransport(server.handler), auth=auth, clock=clock
        ) as client:
            request = asyncio.create_task(client.request("GET", "/x"))
            await until(store.lock_wanted.is_set)
            release(holder)
            return await request

    with lock_held_by_another_process(store.path, "renew") as holder:
        assert asyncio.run(scenario(holder)) == {"auth": "Bearer access-child"}
    assert server.issued == 0
    assert auth.refresh_count == 0


def test_a_request_cancelled_while_waiting_for_the_lock_gives_it_back(tmp_path: Path) -> None:
    clock = FakeClock()
    store = WatchedFileStore(tmp_path / "tokens.json")
    store.save(TokenSet("access-0", "refresh-0", expires_at=clock.time() - 1))
    server = TokenServer()
    auth = TokenAuth(FakeSource(clock), store, clock=clock)

    async def scenario(holder: subprocess.Popen[str]) -> None:
        async with Client(
            transport=httpx.MockTransport(server.handler), auth=auth, clock=clock
        ) as client:
            request = asyncio.create_task(client.request("GET", "/x"))
            await until(store.lock_wanted.is_set)
            await asyncio.sleep(0.05)  # let the flow settle into waiting for the lock
            request.cancel()
            # The cancelled call ends while the other process still holds the lock.
            with contextlib.suppress(asyncio.CancelledError):
                await request
            assert request.cancelled()
            assert holder.poll() is None
            release(holder)

    with lock_held_by_another_process(store.path) as holder:
        asyncio.run(scenario(holder))
    # The lock the abandoned wait went on to take must come back, not stay held until exit.
    assert lock_comes_free(store.path.with_name(store.path.name + ".lock"))
    assert server.issued == 0
    saved = store.load()
    assert saved is not None
    assert saved.access_token == "access-0"


def lock_comes_free(lock_path: Path) -> bool:
    fd = os.open(lock_path, os.O_RDWR)
    try:
        deadline = time.monotonic() + 30  # a bound on waiting, not a measure of speed
        while time.monotonic() < deadline:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                time.sleep(0.01)
                continue
            fcntl.flock(fd, fcntl.LOCK_UN)
            return True
        return False
    finally:
        os.close(fd)


class SlowSavingStore(MemoryTokenStore):
    """Notes the lock and each save in order; a save waits until the test lets it finish."""

    def __init__(self, tokens: TokenSet) -> None:
        super().__init__(tokens)
        self.events: list[str] = []
        self.saving = threading.Event()
        self.may_finish = threading.Event()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self.events.append("locked")
        try:
            yield
        finally:
            self.events.append("unlocked")

    def save(self, tokens: TokenSet) -> None:
        self.saving.set()
        self.may_finish.wait(timeout=FAILSAFE_SECONDS)
        super().save(tokens)
        self.events.append(f"saved {tokens.access_token}")


def test_a_request_cancelled_during_the_save_lets_go_of_the_lock_only_after_it(
    tmp_path: Path,
) -> None:
    """Persist before use, even for a cancelled caller: the server has already spent the
    old refresh token, so the lock must not go before the new one is on disk."""
    clock = FakeClock()
    store = SlowSavingStore(TokenSet("access-0", "refresh-0", expires_at=clock.time() - 1))
    server = TokenServer()
    auth = TokenAuth(FakeSource(clock), store, clock=clock)

    async def scenario() -> Any:
        async with Client(
            transport=httpx.MockTransport(server.handler), auth=auth, clock=clock
        ) as client:
            request = asyncio.create_task(client.request("GET", "/x"))
            await until(store.saving.is_set)
            request.cancel()
            await asyncio.sleep(0.05)  # room for a wrong lock release to happen first
            store.may_finish.set()
            with contextlib.suppress(asyncio.CancelledError):
                await request
            assert request.cancelled()
            return await client.request("GET", "/x")

    assert asyncio.run(scenario()) == {"auth": "Bearer access-1"}
    assert store.events == ["locked", "saved access-1", "unlocked"]
    assert server.issued == 1
