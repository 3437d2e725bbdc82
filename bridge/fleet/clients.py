"""The clients of one tenant's pass in a fleet: built from its settings, the ERP's OAuth
tokens in PostgreSQL, every client's rate-limit buckets taken up from its last pass."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from auvo import Auvo

from ..clients import auvo_client, erp_client
from ..config import BridgeConfig
from ..erp.port import ErpClient
from .limits import PostgresRateLimits
from .tokens import PostgresTokenStores, token_key

__all__ = ["AUVO_API", "tenant_clients"]

AUVO_API = "auvo"
"""Auvo's name among a tenant's APIs (its rate limits' key); an ERP's is its kind."""


@contextlib.contextmanager
def tenant_clients(
    config: BridgeConfig, tokens: PostgresTokenStores, limits: PostgresRateLimits
) -> Iterator[tuple[Auvo, ErpClient]]:
    """``(auvo, erp)`` for one pass of ``config``'s tenant, for ``bridge.sync(config, store,
    auvo=auvo, erp=erp)``: the ERP's tokens under ``token_key(tenant, erp)`` in ``tokens``,
    each client's buckets held by ``limits`` (``PostgresRateLimits.held``: taken up at the
    first request, checked out while requests go, saved when the block ends)."""
    erp_tokens = tokens.for_key(token_key(config.tenant, config.erp))
    with contextlib.ExitStack() as owned:
        auvo = owned.enter_context(auvo_client(config))
        erp = owned.enter_context(erp_client(config, erp_tokens))
        owned.enter_context(limits.held(config.tenant, {AUVO_API: auvo, config.erp: erp}))
        yield auvo, erp
