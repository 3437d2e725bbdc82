"""The fleet bench's world: every tenant's fakes (fake Auvo and the fake of its ERP) in a
process of their own, behind one HTTP server on 127.0.0.1, so a process that syncs them
(a worker, the plain loop) spends its CPU on the bridge, and reaches each tenant's APIs over
HTTP as it would the real ones.

    python bench/_fleet_world.py --tenants N --tasks M --now ISO

seeds the tenants (``co0000``, ``co0001``, ...: the ERPs of the registry in turn), prints
``serving on URL`` and serves until stdin closes. A tenant's Auvo is at
``URL/t/<tenant>/auvo`` and its ERP at ``URL/t/<tenant>/erp`` (each followed by the API's
own path); the bench reads and resets the fakes under ``URL/_bench/``:

- ``GET /_bench/tenants``: each tenant's ERP, its settings (every credential written out),
  its ERP's access token (for the token store, when the ERP is authorised with OAuth);
- ``GET /_bench/sales``: each tenant's sales in its fake ERP, by the bridge's reference;
- ``GET /_bench/calls``: requests answered, by tenant and API;
- ``POST /_bench/reset``: every tenant seeded afresh, as at the start (new tokens).

Each tenant's fake Auvo holds the demo's reference data and M tasks finished by hand, each
selling a product and a service both ERPs have (``bench.bridge.add_tasks``), plus the demo's
quotation; its fake ERP sells that catalog. Credentials the settings name as ``env:NAME``
are the same for every tenant of an ERP (the fakes are given them), so the workers'
environment holds a handful of variables, not thousands.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
import urllib.request
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from auvo import Auvo  # noqa: E402
from auvo.testing import FakeAuvo  # noqa: E402
from bridge.demo import seed_auvo, seed_erp  # noqa: E402
from bridge.erp.port import FakeErp  # noqa: E402
from bridge.erp.registry import erp_kind, erp_names  # noqa: E402
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, FakeServer  # noqa: E402
from sdkcore.testing.fake import route  # noqa: E402
from tests.bridge.fleet.fleetdb import api_path, secret_settings  # noqa: E402

__all__ = [
    "FleetFakes",
    "TenantFakes",
    "WorldProcess",
    "raise_rate_limits",
    "tenant_names",
]

_TENANT_PATH = re.compile(r"^/t/(?P<tenant>[^/]+)/(?P<api>auvo|erp)(?P<rest>/.*)?$")
_READY = "serving on "
UNLIMITED = 1_000_000
"""Requests a second, and burst, of every API client under ``raise_rate_limits``."""
CLIENTS = (
    ("auvo", "Auvo"),
    ("bling", "Bling"),
    ("contaazul", "ContaAzul"),
    ("contaazul.v2", "ContaAzul"),
)
"""The clients a tenant's pass builds (Auvo's and each ERP's), by package and name."""


def raise_rate_limits() -> None:
    """Give every API client of this process limits it never waits on (the same number of
    buckets, each ``UNLIMITED``), so a pass is the bridge's work, not the APIs' pacing
    (Bling's 3 requests a second would make a first pass of 50 tasks last a minute). The
    fleet still saves and restores each tenant's buckets, as it does with real limits."""
    from sdkcore.client import BaseAPIClient

    for package, name in CLIENTS:  # the packages load their clients on first use
        getattr(importlib.import_module(package), name)
    found: list[type[BaseAPIClient]] = [BaseAPIClient]  # the sync and async clients alike
    while found:
        client = found.pop()
        found += client.__subclasses__()
        if vars(client).get("default_rate") is not None:
            client.default_rate = _unlimited(client.default_rate)
        if vars(client).get("default_rates"):
            client.default_rates = tuple(_unlimited(rate) for rate in client.default_rates)


def _unlimited(rate: tuple[float, float, int] | None) -> tuple[float, float, int]:
    assert rate is not None
    _, per, _ = rate
    return (UNLIMITED * per, per, UNLIMITED)


def tenant_names(count: int) -> list[str]:
    return [f"co{n:04d}" for n in range(count)]


@attrs.define
class TenantFakes:
    """One tenant's fakes: fake Auvo and its ERP's, seeded."""

    name: str
    erp: str
    auvo: FakeAuvo
    fake: FakeErp
    api_path: str

    def describe(self, url: str) -> dict[str, Any]:
        """Its ERP, its settings' tables at the server ``url`` and its ERP's access token."""
        api = self.fake.api
        given = self.fake.credentials()
        erp_settings: dict[str, str] = {"kind": self.erp}
        erp_settings.update({k: str(v) for k, v in erp_kind(self.erp).fake.demo_settings.items()})
        for field in secret_settings(self.erp):
            erp_settings[field] = str(given.get(field) or getattr(api, field))
        erp_settings["base_url"] = f"{url}/t/{self.name}/erp{self.api_path}"
        auvo_settings = {
            "api_key": self.auvo.api_key,
            "api_token": self.auvo.api_token,
            "base_url": f"{url}/t/{self.name}/auvo{urlsplit(Auvo.default_base_url).path}",
        }
        oauth = erp_kind(self.erp).authorization is not None
        return {
            "name": self.name,
            "erp": self.erp,
            "auvo": auvo_settings,
            "erp_settings": erp_settings,
            "access_token": given["access_token"] if oauth else None,
        }


def _seed_tenant(name: str, erp: str, tasks: int, now: datetime) -> TenantFakes:
    from bench.bridge import add_tasks  # the issue-5 bench's tasks (its imports are many)

    auvo = FakeAuvo(seeded_tasks=False)
    seed_auvo(auvo, now=now, tasks=0)  # the reference data and the demo's quotation
    add_tasks(auvo, now, tasks)
    fake = erp_kind(erp).fake.make(None, False)
    with fake.client(rate_limiter=False) as client:
        seed_erp(erp, client)
    # The OAuth app's credentials (not what a request carries, which the fake checks) are
    # the same for every tenant of an ERP; each tenant's access token stays its own.
    given = fake.credentials()
    for field in secret_settings(erp):
        if field not in given and hasattr(fake.api, field):
            setattr(fake.api, field, f"bench-{erp}-{field}")
    for api in (auvo, fake.api):
        api.requests.clear()  # the seeding's: only the bridge's requests are counted
    return TenantFakes(name, erp, auvo, fake, api_path(fake))


class FleetFakes(FakeAPI):
    """Every tenant's fakes behind one server: a request under ``/t/<tenant>/<api>`` goes
    to that fake with the rest of its path; ``/_bench/`` is the bench's."""

    def __init__(self, tenants: int, tasks: int, now: datetime) -> None:
        super().__init__()
        self.count, self.tasks, self.now = tenants, tasks, now
        self.url = ""
        self.tenants: dict[str, TenantFakes] = {}
        self.calls: Counter[tuple[str, str]] = Counter()
        self.seed()

    def seed(self) -> None:
        kinds = erp_names()
        self.tenants = {
            name: _seed_tenant(name, kinds[n % len(kinds)], self.tasks, self.now)
            for n, name in enumerate(tenant_names(self.count))
        }
        self.calls.clear()

    def handle(self, request: FakeRequest) -> FakeResponse:
        if request.path.startswith("/_bench/"):
            return super().handle(request)
        match = _TENANT_PATH.match(request.path)
        tenant = self.tenants.get(match["tenant"]) if match else None
        if match is None or tenant is None:
            return FakeResponse(404, {"message": f"no tenant's API at {request.path}"})
        api = match["api"]
        self.calls[(tenant.name, api)] += 1
        fake = tenant.auvo if api == "auvo" else tenant.fake.api
        fake.requests.clear()  # the request log would hold every request of the run
        return fake.handle(attrs.evolve(request, path=match["rest"] or "/"))

    @route("GET", "/_bench/tenants")
    def _tenants(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(body=[t.describe(self.url) for t in self.tenants.values()])

    @route("GET", "/_bench/sales")
    def _sales(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(body={n: dict(t.fake.sales()) for n, t in self.tenants.items()})

    @route("GET", "/_bench/calls")
    def _calls(self, request: FakeRequest) -> FakeResponse:
        calls: dict[str, dict[str, int]] = {}
        for (tenant, api), count in self.calls.items():
            calls.setdefault(tenant, {})[api] = count
        return FakeResponse(body=calls)

    @route("POST", "/_bench/reset")
    def _reset(self, request: FakeRequest) -> FakeResponse:
        self.seed()
        return FakeResponse(body={"tenants": len(self.tenants)})


class WorldProcess:
    """The fakes of ``tenants`` tenants with ``tasks`` tasks each, served by a child
    process (seeded before this returns); a context manager."""

    def __init__(self, tenants: int, tasks: int, now: datetime) -> None:
        command = [sys.executable, __file__, "--tenants", str(tenants), "--tasks", str(tasks)]
        self.process = subprocess.Popen(
            [*command, "--now", now.isoformat()],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline().strip()
        if not line.startswith(_READY):
            self.close()
            raise RuntimeError(f"the fakes' process did not start (it said {line!r})")
        self.url = line.removeprefix(_READY)

    def get(self, what: str) -> Any:
        with urllib.request.urlopen(f"{self.url}/_bench/{what}", timeout=600) as answer:
            return json.load(answer)

    def reset(self) -> None:
        request = urllib.request.Request(f"{self.url}/_bench/reset", method="POST")
        with urllib.request.urlopen(request, timeout=600) as answer:
            answer.read()

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()  # the child serves until its stdin closes
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def __enter__(self) -> WorldProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def main(argv: list[str] | None = None) -> int:
    """Seed the fakes, serve them, say where, and serve until stdin closes."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tenants", type=int, required=True)
    parser.add_argument("--tasks", type=int, required=True)
    parser.add_argument("--now", type=datetime.fromisoformat, default=datetime.now(UTC))
    args = parser.parse_args(argv)
    fleet = FleetFakes(args.tenants, args.tasks, args.now)
    with FakeServer(fleet) as server:
        fleet.url = server.url
        print(_READY + server.url, flush=True)
        sys.stdin.read()  # until the bench closes it (or dies)
    return 0


if __name__ == "__main__":
    sys.exit(main())
