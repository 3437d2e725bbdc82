"""One pass of a tenant in its own process, for the rate-limit test: ``limits_client.py DSN
TENANT BASE_URL REQUESTS MODE`` builds a ``RatedClient`` of the API at BASE_URL (4 requests
a second, bursts of 12), says ``ready``, and on ``go`` makes REQUESTS calls; MODE ``kept``
takes its buckets up from the tenant's last pass and saves them after
(``PostgresRateLimits.held``), ``fresh`` starts full, as a client of its own would."""

from __future__ import annotations

import contextlib
import json
import sys

from ratedapi import RatedClient  # beside this script

from bridge.fleet import PostgresRateLimits
from sdkcore import SDKError


def main(dsn: str, tenant: str, base_url: str, requests: str, mode: str) -> None:
    limits = PostgresRateLimits(dsn)
    client = RatedClient(base_url=base_url, max_retries=0)  # a 429 fails: the test counts them
    print("ready", flush=True)
    sys.stdin.readline()
    throttled = 0
    with limits.held(tenant, {"rated": client}) if mode == "kept" else contextlib.nullcontext():
        for _ in range(int(requests)):
            try:
                client.request("GET", "/things")
            except SDKError:
                throttled += 1
    client.close()
    print(json.dumps({"throttled": throttled}))


if __name__ == "__main__":
    main(*sys.argv[1:6])
