"""A worker's side of the two-process refresh test: ``refresh_client.py DSN SETTINGS PATH``
builds the clients of the tenant in the settings file as a fleet worker does
(``tenant_clients``: the ERP's tokens in PostgreSQL), says ``ready``, and on ``go`` makes one
call to the ERP's PATH, which finds the stored access token expired and refreshes it; it
prints the pair the store holds afterwards."""

from __future__ import annotations

import json
import sys

from bridge.config import load_config
from bridge.fleet import PostgresRateLimits, PostgresTokenStores, tenant_clients, token_key


def main(dsn: str, settings: str, path: str) -> None:
    config = load_config(settings)
    tokens, limits = PostgresTokenStores(dsn), PostgresRateLimits(dsn)
    store = tokens.for_key(token_key(config.tenant, config.erp))
    with tenant_clients(config, tokens, limits) as (_auvo, erp):
        store.load()  # connected before the start, so both start the refresh at once
        print("ready", flush=True)
        sys.stdin.readline()
        erp.request("GET", path)
    stored = store.load()
    assert stored is not None
    print(json.dumps({"access_token": stored.access_token, "refresh_token": stored.refresh_token}))


if __name__ == "__main__":
    main(*sys.argv[1:4])
