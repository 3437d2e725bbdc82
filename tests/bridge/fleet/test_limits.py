"""``PostgresRateLimits`` on a real PostgreSQL: a tenant's buckets carried from one pass to
the next, across processes, so a pass right after a busy one cannot overrun the API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.config import BridgeConfig
from bridge.erp.registry import erp_kind, erp_names
from bridge.fleet import PostgresRateLimits, PostgresTokenStores, tenant_clients
from sdkcore import RateLimits, SyncAPIClient, TokenBucket
from sdkcore.testing.server import FakeServer

from ..erp.drivers import driver
from .fleetdb import Helper, fresh_database
from .ratedapi import RatedAPI, RatedClient


@pytest.fixture
def dsn(postgres_dsn: str) -> Iterator[str]:
    with fresh_database(postgres_dsn) as fresh:
        yield fresh


@pytest.fixture
def limits(dsn: str) -> Iterator[PostgresRateLimits]:
    opened = PostgresRateLimits(dsn)
    yield opened
    opened.close()


def _client(limiter: TokenBucket | RateLimits | None) -> RatedClient:
    return RatedClient(rate_limiter=limiter or False)


def _spent(client: SyncAPIClient, requests: int) -> None:
    """Take ``requests`` tokens from the client's limiter, as that many calls would."""
    limiter = client.rate_limiter
    assert limiter is not None
    for _ in range(requests):
        limiter.reserve()


def _per_second_and_minute() -> RateLimits:
    return RateLimits(TokenBucket(10, per=1, burst=1), TokenBucket(600, per=60, burst=600))


def test_the_next_pass_starts_where_the_last_left_the_buckets(
    limits: PostgresRateLimits, dsn: str
) -> None:
    """A pass that booked 400 requests at 10 a second is 40 s from done: the 401st request,
    on another worker's client, waits those 40 s."""
    last = _client(_per_second_and_minute())
    _spent(last, 400)
    limits.save("acme", {"rated": last})
    other_worker = PostgresRateLimits(dsn)
    try:
        following = _client(_per_second_and_minute())
        other_worker.restore("acme", {"rated": following})
    finally:
        other_worker.close()
    assert following.rate_limiter is not None
    assert following.rate_limiter.reserve() == pytest.approx(40.0, abs=0.5)
    assert _client(_per_second_and_minute()).rate_limiter.reserve() == 0.0  # type: ignore[union-attr]


def test_tenants_and_apis_keep_their_own_buckets(limits: PostgresRateLimits) -> None:
    busy = _client(TokenBucket(5, per=1, burst=5))
    _spent(busy, 5)
    limits.save("acme", {"rated": busy})
    for tenant, api in (("beta", "rated"), ("acme", "other")):
        idle = _client(TokenBucket(5, per=1, burst=5))
        limits.restore(tenant, {api: idle})
        assert idle.rate_limiter is not None
        assert idle.rate_limiter.reserve() == 0.0  # full: nothing of acme's rated API


def test_changed_limits_start_afresh(limits: PostgresRateLimits) -> None:
    old = _client(TokenBucket(5, per=1, burst=5))
    _spent(old, 5)
    limits.save("acme", {"rated": old})
    new = _client(TokenBucket(10, per=1, burst=10))
    limits.restore("acme", {"rated": new})
    assert new.rate_limiter is not None
    assert [new.rate_limiter.reserve() for _ in range(10)] == [0.0] * 10


def test_a_client_without_a_limiter_is_left_alone(limits: PostgresRateLimits) -> None:
    unlimited = _client(None)
    limits.save("acme", {"rated": unlimited})
    limits.restore("acme", {"rated": unlimited})
    assert unlimited.rate_limiter is None


def test_an_unreadable_state_starts_afresh(
    limits: PostgresRateLimits, dsn: str, caplog: pytest.LogCaptureFixture
) -> None:
    import psycopg

    limits.save("acme", {"rated": _client(TokenBucket(5, per=1, burst=5))})
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute("UPDATE rate_limits SET buckets = %s", (json.dumps([{"rate": 5}]),))
    fresh = _client(TokenBucket(5, per=1, burst=5))
    limits.restore("acme", {"rated": fresh})
    assert "unreadable" in caplog.text
    assert fresh.rate_limiter is not None
    assert fresh.rate_limiter.reserve() == 0.0


@pytest.mark.parametrize("erp", erp_names())
def test_a_pass_s_clients_keep_their_limits_in_the_store(
    dsn: str, tmp_path: Path, erp: str
) -> None:
    """``tenant_clients``: the ERP's client and Auvo's take up their buckets from the
    tenant's last pass and leave them for the next."""
    fake = erp_kind(erp).fake.make(None, False)
    settings = {**erp_kind(erp).fake.demo_settings, **driver(erp).settings_for(fake.api, tmp_path)}
    config = BridgeConfig.from_mapping(
        {
            "tenant": "acme",
            "auvo": {"api_key": "key", "api_token": "token"},
            "erp": {"kind": erp, **settings},
        }
    )
    tokens, limits = PostgresTokenStores(dsn), PostgresRateLimits(dsn)
    try:
        with tenant_clients(config, tokens, limits) as (auvo, client):
            for spent in (auvo, client):  # until the next request would have to wait
                assert spent.rate_limiter is not None
                while spent.rate_limiter.reserve() == 0.0:
                    pass
        with tenant_clients(config, tokens, limits) as (auvo, client):
            for kept in (auvo, client):
                assert kept.rate_limiter is not None
                assert kept.rate_limiter.reserve() > 0.0
    finally:
        tokens.close()
        limits.close()


@pytest.mark.parametrize(("mode", "overrun"), [("kept", False), ("fresh", True)])
def test_a_pass_right_after_a_busy_one_keeps_to_the_limit(
    dsn: str, mode: str, overrun: bool
) -> None:
    """Two passes of one tenant, each in its own process, with a client limited to 4
    requests a second and bursts of 12, on an API that allows 22 in any 2 seconds (the
    client's 12 + 4 x 2, and 2 to spare). The first pass spends its burst; the second
    starts as it ends and sends 12 more. With its buckets kept, the second goes on at 4 a
    second and nothing is refused; starting full, as a new client does without
    ``PostgresRateLimits``, it bursts 12 on top of the first 12 and is refused."""
    api = RatedAPI(limit=22, seconds=2.0)
    with FakeServer(api) as server:
        args = (dsn, "acme", server.url, "12")
        with (
            Helper("limits_client.py", *args, "kept") as first,
            Helper("limits_client.py", *args, mode) as second,
        ):
            first.go()
            assert first.result() == {"throttled": 0}
            second.go()
            refused = second.result()["throttled"]
    assert api.throttled == refused
    assert (refused > 0) is overrun
