"""``PostgresRateLimits`` on a real PostgreSQL: a tenant's buckets carried from one pass to
the next, across processes, so a pass right after a busy one cannot overrun the API."""

from __future__ import annotations

import contextlib
import json
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bridge.config import BridgeConfig
from bridge.erp.registry import erp_kind, erp_names
from bridge.fleet import PostgresRateLimits, PostgresTokenStores, tenant_clients
from bridge.fleet.limits import CHECKOUT_AHEAD
from sdkcore import FakeClock, RateLimits, SyncAPIClient, TokenBucket
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


# Instants are floats near FakeClock's start (1.7e9 s), where one step is 2.4e-7 s.
SLACK = 1e-6


@contextlib.contextmanager
def _killed_mid_pass(dsn: str, tenant: str, clients: Mapping[str, SyncAPIClient]) -> Iterator[None]:
    """A pass on a worker of its own, killed when the block ends: what it saved while its
    requests went stays, and it never saves its end."""
    worker = PostgresRateLimits(dsn)
    held = worker.held(tenant, clients)
    held.__enter__()
    try:
        yield
    finally:
        with pytest.MonkeyPatch.context() as dead:
            dead.setattr(worker, "save", lambda tenant, clients: None)
            held.__exit__(None, None, None)  # only puts the clients' own limiters back
        worker.close()


def _book(client: SyncAPIClient, clock: FakeClock, requests: int) -> list[float]:
    """The instants ``requests`` calls of ``client`` made now would be sent at."""
    assert client.rate_limiter is not None
    return [clock.monotonic() + client.rate_limiter.reserve() for _ in range(requests)]


def test_a_pass_after_a_killed_one_does_not_burst_on_top_of_it(
    limits: PostgresRateLimits, dsn: str
) -> None:
    """The killed pass spends its burst of 12 (4 a second) at once; a pass a second later on
    another worker takes up its checked-out state, empty until ``CHECKOUT_AHEAD`` seconds
    past those 12, and waits for that and a token."""
    clock = FakeClock()
    with _killed_mid_pass(dsn, "acme", {"rated": (killed := RatedClient(clock=clock))}):
        assert _book(killed, clock, 12) == [clock.monotonic()] * 12
    killed_at = clock.monotonic()
    clock.advance(1.0)
    following = RatedClient(clock=clock)
    with limits.held("acme", {"rated": following}):
        first = _book(following, clock, 1)
    assert first == [pytest.approx(killed_at + CHECKOUT_AHEAD + 0.25, abs=SLACK)]


# What a pass's callers do: after ``gap`` seconds, ``count`` of them book a request at once,
# each sending when its wait is over; or the API answers 429 and every bucket pauses.
Step = tuple[str, float, int]
steps = st.lists(
    st.one_of(
        st.tuples(st.just("book"), st.floats(0, 30, allow_nan=False), st.integers(1, 40)),
        st.tuples(st.just("pause"), st.floats(0, 5, allow_nan=False), st.just(0)),
    ),
    max_size=8,
)
bucket_settings = st.lists(
    st.tuples(
        st.floats(0.5, 20, allow_nan=False),  # rate
        st.sampled_from([1.0, 10.0, 60.0]),  # per
        st.integers(1, 30),  # burst
    ),
    min_size=1,
    max_size=2,
)


def _play(client: SyncAPIClient, clock: FakeClock, script: list[Step]) -> list[float]:
    sends: list[float] = []
    for kind, seconds, count in script:
        if kind == "pause":
            assert client.rate_limiter is not None
            client.rate_limiter.pause(seconds)
        else:
            clock.advance(seconds)
            sends += _book(client, clock, count)
    return sends


def _keeps_to(bucket: TokenBucket, sends: list[float]) -> bool:
    """Whether ``sends`` keep to ``bucket``'s bound, ``burst + rate * w`` in any ``w``
    seconds: every ``n`` of them in a row span at least ``(n - burst) / rate`` seconds."""
    ordered = sorted(sends)
    return all(
        ordered[last] - ordered[first] >= (last - first + 1 - bucket.burst) / bucket.rate - SLACK
        for first in range(len(ordered))
        for last in range(first + 1, len(ordered))
    )


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rates=bucket_settings,
    killed_pass=steps,
    restart=st.floats(0, 30, allow_nan=False),
    next_pass=steps,
)
def test_a_killed_pass_and_the_next_together_keep_to_every_limit(
    limits: PostgresRateLimits,
    dsn: str,
    rates: list[tuple[float, float, int]],
    killed_pass: list[Step],
    restart: float,
    next_pass: list[Step],
) -> None:
    """Whatever a pass books before it is killed and whenever the next starts on another
    worker, the requests of both keep to each bucket's bound as one client's would."""
    tenant = uuid.uuid4().hex
    clock = FakeClock()

    def client() -> RatedClient:
        buckets = [TokenBucket(r, per=p, burst=b, clock=clock) for r, p, b in rates]
        return RatedClient(rate_limiter=RateLimits(*buckets))

    with _killed_mid_pass(dsn, tenant, {"rated": (killed := client())}):
        sends = _play(killed, clock, killed_pass)
    clock.advance(restart)
    following = client()
    with limits.held(tenant, {"rated": following}):
        sends += _play(following, clock, next_pass)
    assert isinstance(following.rate_limiter, RateLimits)
    for bucket in following.rate_limiter.buckets:
        assert _keeps_to(bucket, sends)


def _saved(dsn: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(dsn, autocommit=True) as conn:
        return conn.execute("SELECT * FROM rate_limits ORDER BY tenant, api").fetchall()


def test_a_pass_that_sends_nothing_reads_and_writes_nothing(
    limits: PostgresRateLimits, dsn: str
) -> None:
    """A pass that finds its tenant busy (``TenantBusy``, before any request) leaves the
    state of the pass under way as it is, however that one moves it meanwhile."""
    running = RatedClient()
    with limits.held("acme", {"rated": running}):
        _spent(running, 3)
        saved = _saved(dsn)
        assert saved
        with limits.held("acme", {"rated": RatedClient()}):
            _spent(running, 2)  # the running pass books on: the busy one must not undo it
            moved = _saved(dsn)
        assert _saved(dsn) == moved
    with limits.held("beta", {"rated": RatedClient()}):
        pass
    assert [row[0] for row in _saved(dsn)] == ["acme"]


def test_a_pass_takes_the_state_up_at_its_first_request(limits: PostgresRateLimits) -> None:
    """A pass that waited for the tenant's lock while the last one ended starts from where
    that one left the buckets, not from the state before it."""
    waiting = RatedClient()
    with limits.held("acme", {"rated": waiting}):
        last = RatedClient()
        with limits.held("acme", {"rated": last}):
            _spent(last, 12)  # its whole burst
        assert waiting.rate_limiter is not None
        assert waiting.rate_limiter.reserve() > 0.0


def test_the_clients_get_their_own_limiters_back(limits: PostgresRateLimits) -> None:
    limiter = TokenBucket(5, per=1, burst=5)
    client = _client(limiter)
    with limits.held("acme", {"rated": client, "none": _client(None)}):
        assert client.rate_limiter is not limiter
        _spent(client, 1)
    assert client.rate_limiter is limiter
