"""``PostgresTokenStores`` on a real PostgreSQL: keys apart, the row lock held across
connections, saves that outlive a failed block, and two worker processes refreshing one
tenant's expired token at once against each OAuth ERP's fake, whose refresh tokens rotate
(one used twice is refused)."""

from __future__ import annotations

import asyncio
import gc
import threading
import time
import weakref
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import attrs
import pytest

from bridge.erp.port import FakeErp
from bridge.erp.registry import erp_kind
from bridge.fleet import PostgresTokenStores, token_key
from sdkcore.auth import ReauthorizationRequired, TokenSet
from sdkcore.testing import FakeRequest, FakeResponse
from sdkcore.testing.server import FakeServer

from ..erp.drivers import driver
from .fleetdb import OAUTH_ERPS, Helper, api_path, fresh_database, run_together, settings_toml


@pytest.fixture
def dsn(postgres_dsn: str) -> Iterator[str]:
    with fresh_database(postgres_dsn) as fresh:
        yield fresh


@pytest.fixture
def stores(dsn: str) -> Iterator[PostgresTokenStores]:
    opened = PostgresTokenStores(dsn)
    yield opened
    opened.close()


def _tokens(name: str) -> TokenSet:
    return TokenSet(f"at-{name}", f"rt-{name}", expires_at=4_000_000_000.0)


def test_each_tenant_and_api_has_its_own_tokens(stores: PostgresTokenStores) -> None:
    stores.for_key(token_key("acme", "one-api")).save(_tokens("acme-one"))
    stores.for_key(token_key("acme", "other-api")).save(_tokens("acme-other"))
    assert stores.for_key("acme/one-api").load() == _tokens("acme-one")
    assert stores.for_key("acme/other-api").load() == _tokens("acme-other")
    assert stores.for_key("beta/one-api").load() is None
    assert stores.for_key("acme/one-api") is stores.for_key("acme/one-api")


def test_a_store_no_client_holds_is_let_go(stores: PostgresTokenStores) -> None:
    """A worker serves tenant after tenant for days: a key's store is not kept after its
    pass, so the worker's memory does not grow with the tenants it has served; the key's
    tokens stay in the database for the next pass."""
    store = stores.for_key(token_key("acme", "one-api"))
    store.save(_tokens("acme-one"))
    let_go = weakref.ref(store)
    del store
    gc.collect()
    assert let_go() is None
    assert stores.for_key(token_key("acme", "one-api")).load() == _tokens("acme-one")


def test_tokens_saved_by_one_process_are_read_by_another(dsn: str) -> None:
    first, second = PostgresTokenStores(dsn), PostgresTokenStores(dsn)
    try:
        first.for_key("acme/api").save(_tokens("one"))
        assert second.for_key("acme/api").load() == _tokens("one")
    finally:
        first.close()
        second.close()


@pytest.mark.parametrize("key", ["", "acme\napi", "acme\x00"])
def test_a_key_that_names_nothing_is_refused(stores: PostgresTokenStores, key: str) -> None:
    with pytest.raises(ValueError, match="key"):
        stores.for_key(key)


def test_the_row_lock_holds_off_every_other_connection(dsn: str) -> None:
    """A second holder (another ``PostgresTokenStores``, as another worker would have) waits
    until the first lets go, and then reads what the first saved."""
    first, second = PostgresTokenStores(dsn), PostgresTokenStores(dsn)
    events: list[str] = []
    second_waiting = threading.Event()

    def take_second() -> None:
        second_waiting.set()
        with second.for_key("acme/api").lock():
            events.append("second has it")
            seen = second.for_key("acme/api").load()
            events.append(f"second reads {seen.access_token if seen else None}")

    try:
        with first.for_key("acme/api").lock():
            thread = threading.Thread(target=take_second)
            thread.start()
            second_waiting.wait()
            time.sleep(0.3)  # long enough for the second to be stuck on the row
            events.append("first saves")
            first.for_key("acme/api").save(_tokens("new"))
        thread.join(timeout=10)
    finally:
        first.close()
        second.close()
    assert events == ["first saves", "second has it", "second reads at-new"]


def test_other_keys_are_not_held_off(dsn: str) -> None:
    first, second = PostgresTokenStores(dsn), PostgresTokenStores(dsn)
    try:
        with first.for_key("acme/api").lock():
            done = threading.Event()

            def other_key() -> None:
                with second.for_key("beta/api").lock():
                    done.set()

            thread = threading.Thread(target=other_key)
            thread.start()
            assert done.wait(timeout=5)
            thread.join()
    finally:
        first.close()
        second.close()


def test_a_pair_saved_under_the_lock_stays_when_the_block_fails(
    stores: PostgresTokenStores,
) -> None:
    """The token endpoint already took the old refresh token: the new pair must be kept
    whatever fails after it was saved (an error, a cancelled task)."""
    store = stores.for_key("acme/api")

    def refresh_then_fail() -> None:
        with store.lock():
            store.save(_tokens("rotated"))
            raise RuntimeError("the pass failed right after the refresh")

    with pytest.raises(RuntimeError):
        refresh_then_fail()
    assert store.load() == _tokens("rotated")


def test_unreadable_tokens_ask_for_authorization_again(
    stores: PostgresTokenStores, dsn: str
) -> None:
    import psycopg

    assert stores.for_key("acme/api").load() is None  # and the tables are made
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO tenant_tokens (store_key, tokens, updated_at) VALUES (%s, %s, 'now')",
            ("acme/api", '{"refresh_token": "rt"}'),
        )
    with pytest.raises(ReauthorizationRequired, match="acme/api"):
        stores.for_key("acme/api").load()


def _customers_path(erp: str, fake: FakeErp) -> str:
    """The customer list's path under the client's base URL: a call any client may make."""
    return driver(erp).paths["customers"].removeprefix(api_path(fake))


def _expired_in(stores: PostgresTokenStores, key: str, api: Any) -> TokenSet:
    """A pair the fake ``api`` issued, stored under ``key`` with its access token expired;
    returns it as issued."""
    issued = TokenSet.from_oauth_response(api.issue_tokens(), time.time())
    stores.for_key(key).save(attrs.evolve(issued, expires_at=time.time() - 60))
    return issued


@pytest.mark.parametrize("erp", OAUTH_ERPS)
def test_an_async_client_refreshes_through_the_store(stores: PostgresTokenStores, erp: str) -> None:
    """The async flow takes the lock, reads and saves on a worker thread of its own."""
    fake = erp_kind(erp).fake.make(None, False)
    api = fake.api
    issued = _expired_in(stores, "acme/api", api)
    store = stores.for_key("acme/api")

    async def call() -> None:
        async with api.async_client(oauth=api.oauth(), token_store=store) as client:
            await client.request("GET", _customers_path(erp, fake))

    asyncio.run(call())
    saved = store.load()
    assert api.refreshes == 1
    assert saved is not None
    assert saved.refresh_token != issued.refresh_token
    api.oauth().refresh(saved)  # the chain goes on from the saved pair


def _slow_token_endpoint(api: Any, seconds: float) -> None:
    """The fake's token endpoint takes ``seconds`` more: a second refresh sent with the same
    refresh token would arrive while the first is under way, and be refused."""
    handle = api.handle

    def slowly(request: FakeRequest) -> FakeResponse:
        if request.path.endswith("/token"):
            time.sleep(seconds)
        return handle(request)

    api.handle = slowly


@pytest.mark.parametrize("erp", OAUTH_ERPS)
def test_two_processes_refresh_an_expired_token_once(dsn: str, tmp_path: Path, erp: str) -> None:
    fake = erp_kind(erp).fake.make(None, False)
    api = fake.api
    stores = PostgresTokenStores(dsn)
    issued = _expired_in(stores, token_key("acme", erp), api)
    stores.close()
    _slow_token_endpoint(api, 0.5)
    with FakeServer(api) as server:
        erp_settings = {
            "kind": erp,
            **erp_kind(erp).fake.demo_settings,
            **driver(erp).settings_for(api, tmp_path),
            "base_url": server.url + api_path(fake),
        }
        settings = tmp_path / "acme.toml"
        settings.write_text(
            'tenant = "acme"\n'
            + settings_toml({"auvo": {"api_key": "k", "api_token": "t"}, "erp": erp_settings})
        )
        path = _customers_path(erp, fake)
        args = ("refresh_client.py", dsn, str(settings), path)
        with Helper(*args) as one, Helper(*args) as two:
            ends = run_together([one, two])

    sent = [
        parse_qs(r.body.decode())["refresh_token"][0]
        for r in api.requests
        if r.path.endswith("/token")
    ]
    assert sent == [issued.refresh_token]  # one refresh; the old refresh token sent once
    assert api.refreshes == 1
    assert ends[0] == ends[1]  # both workers end with the newest pair
    calls = [r.header("authorization") for r in api.requests if r.path.endswith(path)]
    assert calls == [f"Bearer {ends[0]['access_token']}"] * 2
    newest = TokenSet(ends[0]["access_token"], ends[0]["refresh_token"])
    api.oauth().refresh(newest)  # the chain is not lost: its refresh token still works
