"""``PostgresRateLimits``: each tenant's rate-limit buckets per API kept in PostgreSQL
between passes, so a pass starts from where the tenant's last one left them, on whichever
worker it runs.

A client's limiter (``sdkcore.ratelimit``) spaces the requests of one process. A fleet
builds new clients for every pass, on any worker: without this, each pass would start with
a full burst, and a pass right after a busy one could send a limit's worth on top of what
the API still counts.

How a pass holds the state (``PostgresRateLimits.held``):

- It takes the state up at its first request, not when its clients are built: by then it
  holds the tenant's lock (the store's; on Temporal, its workflow's too), so the state is
  the one the tenant's last pass left, even when that pass ended while this one waited for
  the lock. A pass that sends nothing (``TenantBusy``) reads and writes nothing.
- Before that first request goes, it checks the buckets out: it saves them empty as of a
  horizon ``CHECKOUT_AHEAD`` seconds past the last request booked. A request booked past
  the horizon moves it on, with a save, before that request goes; so the database always
  holds a horizon later than every request the pass has sent.
- When the pass ends, however it ends, it saves the buckets as they are.

A pass killed mid-way (SIGKILL, a lost machine) never saves its end; the next pass takes up
the checked-out state, which is emptier than the buckets really were. So every request to
one API of the tenant, by the killed pass and the next together, keeps to each bucket's
bound (at most ``burst + rate * w`` in any ``w`` seconds) as one client's would, exactly.
That holds while the workers' clocks agree on the time of day (a skew adds to the bound)
and the tenant's passes send one at a time, as its lock makes them: a pass that lost its
lock's lease mid-request (its worker stalled longer than the lease) is not covered. What it
costs: a save more per pass (and one per ``CHECKOUT_AHEAD`` seconds of requests), and after
a crash the next pass starts with empty buckets, its first request no earlier than the
horizon."""

from __future__ import annotations

import contextlib
import json
import math
import threading
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

import attrs

from sdkcore.client import SyncAPIClient
from sdkcore.logs import module_logger
from sdkcore.ratelimit import BucketState, RateLimits, TokenBucket

from .database import Database

__all__ = ["CHECKOUT_AHEAD", "PostgresRateLimits"]

log = module_logger(__name__)

CHECKOUT_AHEAD = 10.0
"""Seconds past its last booked request that a pass's checked-out state reaches: a pass
saves its buckets once per this much time of requests, and after a crash the next pass may
wait up to this long past the crashed pass's last request."""


def _buckets(client: SyncAPIClient) -> tuple[TokenBucket, ...]:
    limiter = client.rate_limiter
    if limiter is None:
        return ()
    return limiter.buckets if isinstance(limiter, RateLimits) else (limiter,)


class PostgresRateLimits:
    """Rate-limit state per tenant and API in the PostgreSQL database at ``dsn``; an API is
    named as the caller names its client (``"auvo"``, the ERP's kind)."""

    def __init__(self, dsn: str) -> None:
        self._db = Database(dsn)

    def restore(self, tenant: str, clients: Mapping[str, SyncAPIClient]) -> None:
        """Set each client's buckets to the state saved for the tenant and its API. A state
        saved for other limits (the client's changed since) is left: the client starts
        afresh."""
        rows = self._db.rows("SELECT api, buckets FROM rate_limits WHERE tenant = %s", (tenant,))
        saved = {str(api): str(buckets) for api, buckets in rows}
        for api, client in clients.items():
            buckets = _buckets(client)
            if api not in saved or not buckets:
                continue
            try:
                states = [BucketState(**fields) for fields in json.loads(saved[api])]
            except (ValueError, TypeError) as exc:  # not what save() writes: start afresh
                log.warning(
                    "the %s limits saved for tenant %s are unreadable: %s", api, tenant, exc
                )
                continue
            if [(s.rate, s.burst) for s in states] != [(b.rate, b.burst) for b in buckets]:
                log.debug("the %s limits of tenant %s changed: they start afresh", api, tenant)
                continue
            for bucket, state in zip(buckets, states, strict=True):
                bucket.restore(state)

    def save(self, tenant: str, clients: Mapping[str, SyncAPIClient]) -> None:
        """Keep each client's buckets as they are now, for the tenant's next pass."""
        self._write(tenant, _states(clients))

    @contextlib.contextmanager
    def held(self, tenant: str, clients: Mapping[str, SyncAPIClient]) -> Iterator[None]:
        """The clients' buckets for the block (a pass): taken up from the tenant's last pass
        at the first request, checked out while requests go, saved when the block ends
        however it ends, all only if the block sent a request (see the module)."""
        checkout = _Checkout(self, tenant, clients)
        limited = {api: client for api, client in clients.items() if _buckets(client)}
        own = {api: client.rate_limiter for api, client in limited.items()}
        for client in limited.values():
            client.rate_limiter = _CheckedOutLimits(_buckets(client), checkout)
        try:
            yield
        finally:
            for api, client in limited.items():
                client.rate_limiter = own[api]
            if checkout.taken:
                self.save(tenant, clients)

    def _write(self, tenant: str, states: Mapping[str, list[BucketState]]) -> None:
        now = datetime.now(UTC).isoformat()
        with self._db.transaction() as run:
            for api, buckets in states.items():
                run(
                    "INSERT INTO rate_limits (tenant, api, buckets, updated_at) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (tenant, api) DO UPDATE SET "
                    "buckets = excluded.buckets, updated_at = excluded.updated_at",
                    (tenant, api, json.dumps([attrs.asdict(state) for state in buckets]), now),
                )

    def close(self) -> None:
        self._db.close()

    def __repr__(self) -> str:
        return "PostgresRateLimits(<dsn>)"


def _states(clients: Mapping[str, SyncAPIClient]) -> dict[str, list[BucketState]]:
    """Each limited client's buckets as they are now, by API."""
    return {
        api: [bucket.state() for bucket in _buckets(client)]
        for api, client in clients.items()
        if _buckets(client)
    }


class _Checkout:
    """One pass's hold on its tenant's buckets: the state taken up at its first request,
    and the checked-out state saved ahead of every request it sends."""

    def __init__(
        self, limits: PostgresRateLimits, tenant: str, clients: Mapping[str, SyncAPIClient]
    ) -> None:
        self._limits = limits
        self._tenant = tenant
        self._clients = dict(clients)
        self._horizon: float | None = None
        """The instant (epoch seconds) up to which the saved state covers the pass's
        requests; ``None`` until its first request."""
        self._lock = threading.Lock()

    @property
    def taken(self) -> bool:
        """Whether the pass has booked a request (and so holds the state)."""
        return self._horizon is not None

    def take(self) -> None:
        """Before a request is booked: the tenant's state taken up, on the pass's first."""
        if self._horizon is not None:  # every later request: set once, never unset
            return
        with self._lock:
            if self._horizon is None:
                self._limits.restore(self._tenant, self._clients)
                self._horizon = -math.inf

    def cover(self, booked: tuple[TokenBucket, ...]) -> None:
        """After a request is booked on ``booked`` and before it goes: the saved state
        reaches past it. A thread whose request the saving one already covers waits for
        that save here."""
        with self._lock:
            assert self._horizon is not None, "take() comes first"
            if max(bucket.state().at for bucket in booked) <= self._horizon:
                return
            states = _states(self._clients)
            # Each bucket's state is ``at`` its last booked request (or later): past them all.
            latest = max(state.at for api_states in states.values() for state in api_states)
            horizon = latest + CHECKOUT_AHEAD
            # Empty at the horizon: no fuller than the bucket can be then, whatever the pass
            # sends until then.
            self._limits._write(
                self._tenant,
                {
                    api: [attrs.evolve(state, tokens=0.0, at=horizon) for state in api_states]
                    for api, api_states in states.items()
                },
            )
            self._horizon = horizon


class _CheckedOutLimits(RateLimits):
    """A client's own buckets while a pass holds them: each request booked through the
    pass's checkout."""

    def __init__(self, buckets: tuple[TokenBucket, ...], checkout: _Checkout) -> None:
        super().__init__(*buckets)
        self._checkout = checkout

    def reserve(self) -> float:
        self._checkout.take()
        wait = super().reserve()
        self._checkout.cover(self.buckets)
        return wait
