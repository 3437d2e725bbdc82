"""``PostgresRateLimits``: each tenant's rate-limit buckets per API kept in PostgreSQL
between passes, so a pass starts from where the tenant's last one left them, on whichever
worker it runs.

A client's limiter (``sdkcore.ratelimit``) spaces the requests of one process. A fleet
builds new clients for every pass, on any worker: without this, each pass would start with
a full burst, and a pass right after a busy one could send a limit's worth on top of what
the API still counts. Only one pass of a tenant runs at a time (its workflow id), so the
state needs no lock: the pass that loads it is the one that saves it."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime

import attrs

from sdkcore.client import SyncAPIClient
from sdkcore.logs import module_logger
from sdkcore.ratelimit import BucketState, RateLimits, TokenBucket

from .database import Database

__all__ = ["PostgresRateLimits"]

log = module_logger(__name__)


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
        now = datetime.now(UTC).isoformat()
        with self._db.transaction() as run:
            for api, client in clients.items():
                buckets = _buckets(client)
                if not buckets:
                    continue
                state = json.dumps([attrs.asdict(bucket.state()) for bucket in buckets])
                run(
                    "INSERT INTO rate_limits (tenant, api, buckets, updated_at) "
                    "VALUES (%s, %s, %s, %s) ON CONFLICT (tenant, api) DO UPDATE SET "
                    "buckets = excluded.buckets, updated_at = excluded.updated_at",
                    (tenant, api, state, now),
                )

    @contextlib.contextmanager
    def held(self, tenant: str, clients: Mapping[str, SyncAPIClient]) -> Iterator[None]:
        """``restore`` before the block (a pass) and ``save`` after it, however it ends."""
        self.restore(tenant, clients)
        try:
            yield
        finally:
            self.save(tenant, clients)

    def close(self) -> None:
        self._db.close()

    def __repr__(self) -> str:
        return "PostgresRateLimits(<dsn>)"
