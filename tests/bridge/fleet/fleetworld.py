"""A fleet for the Temporal tests: a fresh PostgreSQL database, and tenants each on its own
fake Auvo and fake ERP served over HTTP on loopback (so a worker in another process reaches
them as it would the real APIs), added as an operator adds them: ``python -m bridge tenants
add NAME --config FILE``, the settings naming every credential ``env:NAME``.

``reference_sales`` runs the same tenant's pass in one plain process, on fakes seeded alike,
for the sales a fleet's run must match exactly."""

from __future__ import annotations

import concurrent.futures
import contextlib
import os
import re
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs
import pytest

from auvo import Auvo
from auvo.testing import FakeAuvo
from bridge import BridgeConfig, SQLiteStore, sync
from bridge.cli import main as cli
from bridge.demo import seed_auvo, seed_erp
from bridge.erp.port import FakeErp
from bridge.erp.registry import erp_kind
from bridge.fleet.registry import secret_references
from sdkcore.testing import FakeRequest, FakeResponse, FakeServer

from ..erp.drivers import driver
from .fleetdb import fresh_database

__all__ = [
    "Fleet",
    "FleetTenant",
    "WorkerProcess",
    "fleet",
    "reference_sales",
    "wait_until",
    "workers",
]

ENV_PREFIX = "PONTE_FLEET_TEST_"


def wait_until(
    condition: Callable[[], bool], timeout: float, what: str, every: float = 0.1
) -> None:
    """Poll ``condition`` every ``every`` seconds until it holds; fail saying ``what`` was
    awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


def _seeded(erp: str, tasks: int, now: datetime) -> tuple[FakeAuvo, FakeErp]:
    """Fake Auvo with the demo's tasks (``tasks`` of them, dated before ``now``) and the
    fake ERP selling what they use: the same data on every call with the same arguments."""
    auvo = FakeAuvo(seeded_tasks=False)
    seed_auvo(auvo, now=now, tasks=tasks)
    fake = erp_kind(erp).fake.make(None, False)
    with fake.client(rate_limiter=False) as client:
        seed_erp(erp, client)
    auvo.requests.clear()  # so a test sees only what the bridge asked
    fake.api.requests.clear()
    return auvo, fake


def _api_path(client: Any) -> str:
    """The path of a client's default base URL: where the fake serves the vendor's API."""
    return urlsplit(str(client.base_url)).path


@attrs.define
class FleetTenant:
    """One tenant's fakes, served; ``settings`` is its settings file's text."""

    name: str
    erp: str
    tasks: int
    now: datetime
    auvo: FakeAuvo
    fake_erp: FakeErp
    servers: list[FakeServer]
    settings: str
    env: dict[str, str]
    """The environment variables its settings name, with their values."""

    def sales(self) -> Counter[str]:
        return self.fake_erp.sales()

    def slow_down_writes(self, seconds: float) -> None:
        """Each write to the fake ERP takes ``seconds`` more: a pass long enough to stop."""
        api = self.fake_erp.api
        handle = api.handle

        def slowly(request: FakeRequest) -> FakeResponse:
            if request.method != "GET":
                time.sleep(seconds)
            return handle(request)

        api.handle = slowly  # type: ignore[method-assign]

    def close(self) -> None:
        for server in self.servers:
            server.stop()


def _toml(tables: dict[str, dict[str, str]]) -> str:
    lines: list[str] = []
    for table, values in tables.items():
        lines.append(f"[{table}]")
        lines += [f'{key} = "{value}"' for key, value in values.items()]
    return "\n".join(lines) + "\n"


def serve_tenant(
    name: str,
    erp: str,
    folder: Path,
    *,
    tasks: int = 8,
    schedule: dict[str, str] | None = None,
) -> FleetTenant:
    """Tenant ``name``'s fakes served, and its settings: credentials as ``env:NAME``, base
    URLs at the fakes, the ERP's tokens in a token file (``tenants add`` moves them into
    the store)."""
    now = datetime.now(UTC)
    auvo, fake = _seeded(erp, tasks, now)
    auvo_server, erp_server = FakeServer(auvo).start(), FakeServer(fake.api).start()
    folder.mkdir(parents=True, exist_ok=True)
    with fake.client(rate_limiter=False) as client:
        erp_url = erp_server.url + _api_path(client)
    erp_settings = {
        "kind": erp,
        **{k: str(v) for k, v in erp_kind(erp).fake.demo_settings.items()},
        **driver(erp).settings_for(fake.api, folder),
        "base_url": erp_url,
    }
    tables = {
        "auvo": {
            "api_key": auvo.api_key,
            "api_token": auvo.api_token,
            "base_url": auvo_server.url + urlsplit(Auvo.default_base_url).path,
        },
        "erp": erp_settings,
        "customers": {"direction": "both"},
        "schedule": {"lock_lease": "3s", **(schedule or {})},
    }
    # Every credential becomes a reference to a variable of the tenant's own.
    env: dict[str, str] = {}
    for setting in secret_references(BridgeConfig.from_toml(_toml(tables))):
        table, key = setting.split(".")
        variable = ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", f"{name}_{setting}".upper())
        env[variable] = tables[table][key]
        tables[table][key] = f"env:{variable}"
    return FleetTenant(
        name, erp, tasks, now, auvo, fake, [auvo_server, erp_server], _toml(tables), env
    )


def reference_sales(tenant: FleetTenant) -> Counter[str]:
    """The sales one pass of ``tenant`` makes in a plain process, on fakes seeded as its
    own were, through in-process clients and a SQLite store."""
    auvo, fake = _seeded(tenant.erp, tenant.tasks, tenant.now)
    config = BridgeConfig.from_toml(tenant.settings)
    with auvo.client() as auvo_client, fake.client(rate_limiter=False) as erp_client:
        report = sync(config, SQLiteStore(":memory:"), auvo=auvo_client, erp=erp_client)
    assert report.status in ("ok", "partial"), report.table()
    return fake.sales()


@attrs.define
class Fleet:
    """A fresh database (``dsn``) for a fleet, its tenants, and a task queue of its own."""

    dsn: str
    folder: Path
    setenv: Callable[[str, str], None]
    """Sets a variable in this process (a worker run in it reads the settings' ones)."""
    task_queue: str = attrs.field(factory=lambda: "ponte-test-" + uuid.uuid4().hex[:8])
    tenants: dict[str, FleetTenant] = attrs.field(factory=dict)

    def add(self, name: str, erp: str, **options: Any) -> FleetTenant:
        """Serve a tenant's fakes and add it with ``python -m bridge tenants add``."""
        tenant = serve_tenant(name, erp, self.folder / name, **options)
        self.tenants[name] = tenant
        for variable, value in tenant.env.items():
            self.setenv(variable, value)
        path = self.folder / name / "bridge.toml"
        path.write_text(tenant.settings, encoding="utf-8")
        assert self.cli("tenants", "add", name, "--config", str(path)) == 0
        return tenant

    def cli(self, *args: str) -> int:
        return cli([*args, "--store", self.dsn])

    @property
    def env(self) -> dict[str, str]:
        """Every tenant's variables: what a worker's environment holds."""
        return {k: v for tenant in self.tenants.values() for k, v in tenant.env.items()}

    def close(self) -> None:
        # Each server takes up to half a second to stop (its poll): stopped all at once.
        with concurrent.futures.ThreadPoolExecutor(16) as pool:
            list(pool.map(FleetTenant.close, self.tenants.values()))


@pytest.fixture
def fleet(postgres_dsn: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Fleet]:
    """A fleet on a new database of the session's PostgreSQL; the variables its tenants'
    settings name are set in this process too (for a worker run in it)."""
    with fresh_database(postgres_dsn) as dsn:
        made = Fleet(dsn, tmp_path, monkeypatch.setenv)
        try:
            yield made
        finally:
            made.close()


class WorkerProcess:
    """``python -m bridge worker`` in a process of its own, for the fleet ``fleet``."""

    def __init__(self, address: str, fleet: Fleet, passes: int = 4) -> None:
        self.log = fleet.folder / f"worker-{uuid.uuid4().hex[:6]}.log"
        command = [sys.executable, "-m", "bridge", "worker", "--temporal", address]
        command += ["--store", fleet.dsn, "--task-queue", fleet.task_queue]
        command += ["--passes", str(passes)]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                env={**os.environ, **fleet.env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )

    def kill(self) -> None:
        """SIGKILL: no ``finally``, no lock released, no heartbeat ever again."""
        self.process.kill()
        self.process.wait()

    def stop(self) -> int:
        """SIGTERM, as a deployment stops it; its exit status."""
        self.process.terminate()
        try:
            return self.process.wait(90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            raise

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def workers(
    address: str, fleet: Fleet, count: int, passes: int = 4
) -> Iterator[list[WorkerProcess]]:
    """``count`` worker processes, stopped (SIGTERM) on leaving."""
    started = [WorkerProcess(address, fleet, passes) for _ in range(count)]
    try:
        yield started
    finally:
        for worker in started:
            if worker.process.poll() is None:
                worker.stop()
