"""One refresh, however many callers: threads, tasks, and processes sharing a token file."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from bling import FileTokenStore, ReauthorizationRequired, TokenSet
from bling.testing import FakeBling, FakeServer
from sdkcore.clock import FakeClock
from sdkcore.testing import FakeRequest, FakeResponse

REPO = Path(__file__).resolve().parents[2]


class SlowTokenFake(FakeBling):
    """Answers the token endpoint slowly, so concurrent refreshers would overlap."""

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.path.endswith("/oauth/token"):
            time.sleep(0.2)
        return super().handle(request)


def expired_pair(fake: FakeBling) -> TokenSet:
    data = fake.issue_tokens()
    return TokenSet(data["access_token"], data["refresh_token"], expires_at=0.0)


def test_twenty_threads_on_an_expired_token_refresh_once(tmp_path: Path) -> None:
    fake = SlowTokenFake(rate_limit=None)
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(expired_pair(fake))
    client = fake.client(oauth=fake.oauth(), token_store=store, rate_limiter=False)
    barrier = threading.Barrier(20)
    errors: list[BaseException] = []

    def work() -> None:
        barrier.wait()
        try:
            assert client.contatos.get(1001).id == 1001
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert fake.refreshes == 1
    assert fake.token_calls == 1


def test_twenty_tasks_on_an_expired_token_refresh_once(tmp_path: Path) -> None:
    fake = SlowTokenFake(rate_limit=None)
    store = FileTokenStore(tmp_path / "tokens.json")
    store.save(expired_pair(fake))

    async def main() -> list[Any]:
        async with fake.async_client(
            oauth=fake.oauth(), token_store=store, rate_limiter=False
        ) as client:
            return await asyncio.gather(*(client.contatos.get(1001) for _ in range(20)))

    results = asyncio.run(main())
    assert [r.id for r in results] == [1001] * 20
    assert fake.refreshes == 1


WORKER = textwrap.dedent(
    """
    import sys
    from bling import Bling, BlingOAuth, FileTokenStore
    url, client_id, client_secret, path = sys.argv[1:5]
    oauth = BlingOAuth(client_id, client_secret, token_url=url + "/Api/v3/oauth/token")
    bling = Bling(oauth=oauth, token_store=FileTokenStore(path), base_url=url + "/Api/v3",
                  rate_limiter=False)
    print(bling.contatos.get(1001).nome)
    """
)


def test_two_processes_sharing_a_token_file_refresh_once(tmp_path: Path) -> None:
    fake = SlowTokenFake(rate_limit=None)
    path = tmp_path / "tokens.json"
    FileTokenStore(path).save(expired_pair(fake))
    with FakeServer(fake) as server:
        args = [sys.executable, "-c", WORKER, server.url, fake.client_id, fake.client_secret]
        procs = [
            subprocess.Popen(
                [*args, str(path)],
                cwd=REPO,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(2)
        ]
        outputs = [p.communicate(timeout=60) for p in procs]
    for proc, (out, err) in zip(procs, outputs, strict=True):
        assert proc.returncode == 0, err
        assert out.strip() == "Maria Souza"
    assert fake.refreshes == 1
    stored = FileTokenStore(path).load()
    assert stored is not None
    assert stored.expires_at
    assert stored.expires_at > time.time()


class CrashingStore(FileTokenStore):
    """Dies after Bling answered with new tokens and before they reach the disk."""

    def save(self, tokens: TokenSet) -> None:
        raise OSError("disk full")


def test_crash_between_receiving_and_saving_tokens(tmp_path: Path) -> None:
    """What the user sees: the call that refreshed fails with the save error (tokens that
    could not be saved are never used). Bling has already rotated, so the refresh token
    left in the file is dead: the next call, in this process or after a restart, raises
    ReauthorizationRequired, which tells the user to authorise the app again."""
    fake = FakeBling(rate_limit=None, clock=FakeClock())
    path = tmp_path / "tokens.json"
    FileTokenStore(path).save(expired_pair(fake))
    crashing = CrashingStore(path)
    client = fake.client(oauth=fake.oauth(), token_store=crashing, rate_limiter=False)
    with pytest.raises(OSError, match="disk full"):
        client.contatos.get(1001)
    assert fake.refreshes == 1  # Bling rotated: the refresh token in the file is dead now
    with pytest.raises(ReauthorizationRequired):
        client.contatos.get(1001)
    restarted = fake.client(
        oauth=fake.oauth(), token_store=FileTokenStore(path), rate_limiter=False
    )
    with pytest.raises(ReauthorizationRequired, match="authorise the application again"):
        restarted.contatos.get(1001)
