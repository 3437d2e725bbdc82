"""The fleet's webhook receiver (``python -m bridge webhooks``) on a real Temporal server and
a real PostgreSQL, with a worker in this process: a tenant's valid Auvo delivery runs that
tenant's pass and no other's, a burst asks for one pass, refusals say nothing, a paused
tenant is answered and not run, and no secret reaches a log."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from datetime import UTC, datetime
from typing import Any

import attrs
import httpx
import pytest
from temporalio.client import Client
from temporalio.service import RPCError, RPCStatusCode

from bridge.demo import demo_config
from bridge.erp.registry import erp_kinds
from bridge.fleet import Tenant, TenantRegistry
from bridge.fleet.temporal import PassOutcome, TenantWorkflow, workflow_id
from bridge.fleet.webhooks import FleetWebhooks, PassRequests, receiving
from bridge.fleet.worker import run_worker

from .fleetworld import ENV_PREFIX, Fleet, FleetTenant, fleet, reference_sales, wait_until
from .temporalserver import temporal, temporal_address
from .test_temporal import running

__all__ = ["fleet", "temporal", "temporal_address"]  # the fixtures

PLAIN_ERP = next(kind.name for kind in erp_kinds() if kind.authorization is None)
"""An ERP by what it needs, not by name (tests/bridge/erp/test_seam.py)."""
PASS_WAIT = 60
GATHER = 0.5
"""The receiver's gathering window in these tests: short, so a test waits little."""

UNIT_SECRET = "unit-hook-SECRET-4c1d7"


def delivery(entity_type: str = "Tarefas") -> bytes:
    """An Auvo delivery: a task changed."""
    return (
        b'{"result": {"EntityType": "' + entity_type.encode() + b'", "Action": "Alteracao", '
        b'"EntityId": 23, "Entities": []}}'
    )


@attrs.frozen
class Hooked:
    """A tenant that takes Auvo deliveries: its name, its webhook secret, its fakes."""

    name: str
    secret: str
    tenant: FleetTenant

    @property
    def path(self) -> str:
        """Where Auvo posts its deliveries, the secret in the path."""
        return f"/auvo/{self.name}/{self.secret}"


def take_webhooks(fleet: Fleet, name: str, secret: str, setenv: Callable[[str, str], None]) -> None:
    """Give tenant ``name`` an Auvo webhook secret, as an operator does: ``[auvo]
    webhook_secret = "env:NAME"`` in its settings, NAME in the receiver's environment."""
    variable = ENV_PREFIX + re.sub(r"[^A-Z0-9]", "_", f"{name}_WEBHOOK_SECRET".upper())
    setenv(variable, secret)
    tenant = fleet.tenants[name]
    tenant.settings = tenant.settings.replace(
        "[auvo]\n", f'[auvo]\nwebhook_secret = "env:{variable}"\n', 1
    )
    tenant.env[variable] = secret
    path = fleet.folder / name / "bridge.toml"
    path.write_text(tenant.settings, encoding="utf-8")
    assert fleet.cli("tenants", "add", name, "--config", str(path), "--replace") == 0


def unique(label: str) -> str:
    """A tenant name of this test's own: workflow ids outlive a test on the session's server."""
    return f"{label}-{uuid.uuid4().hex[:8]}"


def add_with_webhooks(
    fleet: Fleet, monkeypatch: pytest.MonkeyPatch, label: str, erp: str = PLAIN_ERP
) -> Hooked:
    name = unique(label)
    tenant = fleet.add(name, erp)
    secret = f"{label}-hook-SECRET-{uuid.uuid4().hex[:10]}"
    take_webhooks(fleet, name, secret, monkeypatch.setenv)
    return Hooked(name, secret, tenant)


class Passes:
    """Counts the passes the in-process worker runs, by tenant."""

    def __init__(self) -> None:
        self.tenants: list[str] = []
        self._lock = threading.Lock()

    def wrap(self, run_pass: Any) -> Any:
        def counted(config: Any, store: Any, **options: Any) -> Any:
            with self._lock:
                self.tenants.append(config.tenant)
            return run_pass(config, store, **options)

        return counted


@contextlib.asynccontextmanager
async def serving(
    temporal: str, fleet: Fleet, passes: Passes | None = None, gather: float = GATHER
) -> AsyncIterator[tuple[Client, FleetWebhooks]]:
    """A worker and the receiver for ``fleet``, in this process."""
    client = await Client.connect(temporal)
    registry = TenantRegistry(fleet.dsn)
    wrap = passes.wrap if passes is not None else None
    try:
        async with (
            running(client, fleet, wrap),
            receiving(client, registry, task_queue=fleet.task_queue, gather=gather) as receiver,
        ):
            yield client, receiver
    finally:
        registry.close()


async def post(
    receiver: FleetWebhooks, path: str, body: bytes, headers: dict[str, str] | None = None
) -> httpx.Response:
    async with httpx.AsyncClient() as http:
        return await http.post(receiver.url + path, content=body, headers=headers or {})


async def outcome_of(client: Client, name: str) -> PassOutcome:
    """The result of tenant ``name``'s workflow, once a delivery's signal started it."""
    handle = client.get_workflow_handle_for(TenantWorkflow.run, workflow_id(name))
    for _ in range(100):
        with contextlib.suppress(RPCError):
            await handle.describe()
            break
        await asyncio.sleep(0.1)
    result: PassOutcome = await asyncio.wait_for(handle.result(), PASS_WAIT)
    return result


async def never_started(client: Client, name: str) -> bool:
    """Whether tenant ``name`` has no workflow at all (no signal ever reached it)."""
    try:
        await client.get_workflow_handle(workflow_id(name)).describe()
    except RPCError as exc:
        return exc.status == RPCStatusCode.NOT_FOUND
    return False


async def runs_and_signals(client: Client, name: str) -> tuple[int, int]:
    """How many runs tenant ``name``'s workflow had, and how many signals they got."""
    runs = signals = 0
    async for execution in client.list_workflows(f"WorkflowId = '{workflow_id(name)}'"):
        runs += 1
        history = await client.get_workflow_handle(
            workflow_id(name), run_id=execution.run_id
        ).fetch_history()
        signals += sum(
            event.HasField("workflow_execution_signaled_event_attributes")
            for event in history.events
        )
    return runs, signals


def test_a_delivery_runs_its_tenants_pass_and_no_other(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha = add_with_webhooks(fleet, monkeypatch, "alpha")
    beta = add_with_webhooks(fleet, monkeypatch, "beta")

    async def scenario() -> tuple[httpx.Response, PassOutcome, bool]:
        async with serving(temporal, fleet) as (client, receiver):
            answer = await post(receiver, alpha.path, delivery())
            outcome = await outcome_of(client, alpha.name)
            await asyncio.sleep(GATHER + 1)
            return answer, outcome, await never_started(client, beta.name)

    answer, outcome, beta_untouched = asyncio.run(scenario())
    assert (answer.status_code, answer.content) == (202, b"")
    assert outcome.tenant == alpha.name
    assert outcome.changed > 0
    assert alpha.tenant.sales() == reference_sales(alpha.tenant)
    assert beta_untouched
    assert not beta.tenant.auvo.requests
    assert not beta.tenant.sales()


def test_a_burst_of_deliveries_asks_for_one_pass(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fifty deliveries in a row (closing a day's tasks), the secret in the path or in a
    header: one signal, one run, one pass."""
    alpha = add_with_webhooks(fleet, monkeypatch, "burst")
    passes = Passes()
    forms: list[tuple[str, dict[str, str]]] = [
        (alpha.path, {}),
        (f"/auvo/{alpha.name}", {"X-Webhook-Secret": alpha.secret}),
        (f"/auvo/{alpha.name}", {"Authorization": f"Bearer {alpha.secret}"}),
    ]

    async def scenario() -> tuple[list[int], float, tuple[int, int]]:
        # A window long enough that the fifty surely fall in it on a slow machine.
        async with serving(temporal, fleet, passes, gather=5.0) as (client, receiver):
            started = time.monotonic()
            statuses = []
            for n in range(50):
                path, headers = forms[n % len(forms)]
                statuses.append((await post(receiver, path, delivery(), headers)).status_code)
            took = time.monotonic() - started
            await outcome_of(client, alpha.name)
            await asyncio.sleep(1)  # the listing lags the history a moment
            return statuses, took, await runs_and_signals(client, alpha.name)

    statuses, took, (runs, signals) = asyncio.run(scenario())
    assert statuses == [202] * 50
    assert took < 5.0, "the burst outlasted the gathering window: the test proves nothing"
    assert (runs, signals) == (1, 1)
    assert passes.tenants == [alpha.name]
    assert alpha.tenant.sales() == reference_sales(alpha.tenant)


def test_refusals_say_nothing_and_ask_for_nothing(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A wrong secret is a 401, a tenant that is not there (or takes no Auvo deliveries) a
    404: each with an empty body, and no signal sent."""
    alpha = add_with_webhooks(fleet, monkeypatch, "alpha")
    beta = add_with_webhooks(fleet, monkeypatch, "beta")
    gamma = unique("gamma")
    fleet.add(gamma, PLAIN_ERP)  # no webhook secret: takes no Auvo deliveries
    a, secret = alpha.name, alpha.secret
    cases = [
        (401, f"/auvo/{a}/not-the-secret", {}),
        (401, f"/auvo/{a}/{secret[:-1]}", {}),
        (401, f"/auvo/{a}/{beta.secret}", {}),  # another tenant's secret
        (401, f"/auvo/{a}", {}),  # no secret at all
        (401, f"/auvo/{a}", {"X-Webhook-Secret": beta.secret}),
        (401, f"/auvo/{a}/", {}),
        (404, f"/auvo/nobody/{secret}", {}),
        (404, "/auvo/nobody", {"X-Webhook-Secret": secret}),
        (404, f"/auvo/{gamma}/{secret}", {}),
        (404, f"/auvo/{a}/{secret}/more", {}),
        (404, f"/auvo/{secret}", {}),  # a single listener's URL, sent here
        (404, "/auvo", {}),
        (404, "/erp/nobody", {}),
        (404, f"/elsewhere/{a}/{secret}", {}),
    ]

    async def scenario() -> tuple[list[tuple[int, bytes]], list[bool]]:
        async with serving(temporal, fleet) as (client, receiver):
            answers = [await post(receiver, path, delivery(), h) for _, path, h in cases]
            await asyncio.sleep(GATHER + 1)
            quiet = [await never_started(client, name) for name in (a, beta.name, gamma)]
            return [(answer.status_code, answer.content) for answer in answers], quiet

    answers, quiet = asyncio.run(scenario())
    assert answers == [(status, b"") for status, _, _ in cases]
    assert quiet == [True, True, True]


def test_a_paused_tenant_is_answered_and_not_run(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha = add_with_webhooks(fleet, monkeypatch, "sleepy")
    assert fleet.cli("tenants", "pause", alpha.name) == 0
    passes = Passes()

    async def scenario() -> tuple[list[int], bool]:
        async with serving(temporal, fleet, passes) as (client, receiver):
            statuses = [(await post(receiver, alpha.path, delivery())).status_code for _ in "abc"]
            wrong = await post(receiver, f"/auvo/{alpha.name}/wrong", delivery())
            statuses.append(wrong.status_code)
            await asyncio.sleep(GATHER + 1.5)
            return statuses, await never_started(client, alpha.name)

    statuses, quiet = asyncio.run(scenario())
    assert statuses == [202, 202, 202, 401]  # paused is no reason to let a wrong secret by
    assert quiet
    assert passes.tenants == []
    assert not alpha.tenant.auvo.requests


def test_a_delivery_no_pass_syncs_or_that_is_none_asks_for_nothing(
    temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch
) -> None:
    alpha = add_with_webhooks(fleet, monkeypatch, "users")

    async def scenario() -> tuple[list[int], bool]:
        async with serving(temporal, fleet) as (client, receiver):
            about_users = await post(receiver, alpha.path, delivery("Usuarios"))
            not_one = await post(receiver, alpha.path, b'{"result": 1}')
            await asyncio.sleep(GATHER + 1)
            quiet = await never_started(client, alpha.name)
            return [about_users.status_code, not_one.status_code], quiet

    statuses, quiet = asyncio.run(scenario())
    assert statuses == [200, 400]
    assert quiet


def test_no_secret_reaches_a_log(
    temporal: str,
    fleet: Fleet,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    alpha = add_with_webhooks(fleet, monkeypatch, "alpha")
    beta = add_with_webhooks(fleet, monkeypatch, "beta")
    wrong = "wrong-hook-SECRET-77aa1"

    async def scenario() -> FleetWebhooks:
        async with serving(temporal, fleet) as (client, receiver):
            await post(receiver, f"{alpha.path}?token={beta.secret}", delivery())
            await post(receiver, f"/auvo/{alpha.name}/{wrong}", delivery())
            await post(receiver, f"/auvo/{beta.name}/{alpha.secret}", delivery())
            await post(receiver, f"/auvo/{beta.name}", delivery(), {"X-Webhook-Secret": wrong})
            await post(receiver, f"/auvo/{beta.secret}", delivery())
            await post(receiver, alpha.path, b"{not json")
            await outcome_of(client, alpha.name)
            return receiver

    receiver = asyncio.run(scenario())
    ours = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    messages = [record.getMessage() for record in ours]
    assert f"webhook: tenant {alpha.name}: Tarefas Alteracao 23; pass soon" in messages
    assert any("/auvo/***" in m for m in messages)  # the access lines, masked
    assert any(f"refused an Auvo delivery for tenant {beta.name}" in m for m in messages)
    for record in ours:
        text = record.getMessage() + str(record.exc_info)
        for secret in (alpha.secret, beta.secret, wrong):
            assert secret not in text
    assert receiver.redact(f"{alpha.path}?k=v") == "/auvo/***?***"
    assert alpha.secret not in repr(receiver)


class _Registry:
    """A registry as the receiver reads it, counting its reads; ``failing`` makes each read
    fail as an unreachable database does."""

    def __init__(self, config: Any) -> None:
        self._config = config
        self.reads = 0
        self.paused = False
        self.failing: Exception | None = None

    def get(self, name: str) -> Tenant:
        self.reads += 1
        if self.failing is not None:
            raise self.failing
        if name != "alpha":
            raise LookupError(name)
        now = datetime.now(UTC)
        return Tenant(name, "", self.paused, now, now)

    def config(self, name: str) -> Any:
        return self._config


@pytest.fixture
def unit(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FleetWebhooks, _Registry, list[str]]]:
    """The receiver alone, on a registry of one tenant, recording what it asks for."""
    monkeypatch.setenv("PONTE_TEST_UNIT_WEBHOOK", UNIT_SECRET)
    config = demo_config(PLAIN_ERP, auvo_webhook_secret="env:PONTE_TEST_UNIT_WEBHOOK")
    registry = _Registry(config)
    asked: list[str] = []
    with FleetWebhooks(registry, asked.append, fresh_for=60) as receiver:
        yield receiver, registry, asked


def test_a_burst_costs_the_registry_one_read(
    unit: tuple[FleetWebhooks, _Registry, list[str]],
) -> None:
    receiver, registry, asked = unit
    for _ in range(20):
        answer = httpx.post(f"{receiver.url}/auvo/alpha/{UNIT_SECRET}", content=delivery())
        assert answer.status_code == 202
    assert registry.reads == 1
    assert asked == ["alpha"] * 20  # PassRequests gathers them


def test_an_unreadable_registry_is_a_503(
    unit: tuple[FleetWebhooks, _Registry, list[str]], caplog: pytest.LogCaptureFixture
) -> None:
    import psycopg

    receiver, registry, asked = unit
    registry.failing = psycopg.OperationalError("connection refused")
    answer = httpx.post(f"{receiver.url}/auvo/alpha/{UNIT_SECRET}", content=delivery())
    assert (answer.status_code, answer.content) == (503, b"")
    assert asked == []
    assert "the registry cannot be read: connection refused" in caplog.text
    assert "Traceback" not in caplog.text


def test_a_secret_variable_not_set_takes_no_deliveries(
    unit: tuple[FleetWebhooks, _Registry, list[str]],
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    receiver, _, asked = unit
    receiver.fresh_for = 0  # read the tenant again on each delivery
    monkeypatch.delenv("PONTE_TEST_UNIT_WEBHOOK")
    answer = httpx.post(f"{receiver.url}/auvo/alpha/{UNIT_SECRET}", content=delivery())
    assert answer.status_code == 404
    assert asked == []
    assert "tenant alpha takes no Auvo deliveries: auvo.webhook_secret: environment" in (
        caplog.text
    )


def gathered(deliveries: Callable[[PassRequests], Awaitable[None]], gather: float) -> list[str]:
    """The tenants ``PassRequests`` signals while ``deliveries`` run, then flushed."""
    sent: list[str] = []

    async def send(tenant: str) -> None:
        sent.append(tenant)

    async def scenario() -> None:
        requests = PassRequests(send, asyncio.get_running_loop(), gather)
        await deliveries(requests)
        await requests.flush()

    asyncio.run(scenario())
    return sent


def test_each_tenants_burst_becomes_one_signal_and_a_later_one_another() -> None:
    async def deliveries(requests: PassRequests) -> None:
        for _ in range(50):
            await asyncio.to_thread(requests.ask, "alpha")  # from the server's threads
            requests.ask("beta")
        await asyncio.sleep(1.5)  # the window closes: alpha and beta signalled once
        requests.ask("alpha")  # after the signal: one more, sent by the flush

    assert sorted(gathered(deliveries, 1.0)) == ["alpha", "alpha", "beta"]


def test_a_stopping_receiver_sends_what_it_owes_at_once() -> None:
    async def deliveries(requests: PassRequests) -> None:
        requests.ask("alpha")
        await asyncio.sleep(0)  # the ask reaches the loop

    started = time.monotonic()
    assert gathered(deliveries, 60) == ["alpha"]
    assert time.monotonic() - started < 5


def test_a_signal_that_fails_is_logged_not_raised(caplog: pytest.LogCaptureFixture) -> None:
    async def send(tenant: str) -> None:
        raise ConnectionError("cannot reach Temporal at 127.0.0.1:9")

    async def scenario() -> None:
        requests = PassRequests(send, asyncio.get_running_loop(), 0.01)
        requests.ask("alpha")
        await asyncio.sleep(0.2)
        await requests.flush()

    asyncio.run(scenario())
    assert "could not ask for tenant alpha's pass: cannot reach Temporal" in caplog.text


class ReceiverProcess:
    """``python -m bridge webhooks`` in a process of its own, listening on a free port."""

    def __init__(self, address: str, fleet: Fleet) -> None:
        self.log = fleet.folder / "webhooks.log"
        command = [sys.executable, "-m", "bridge", "webhooks", "--temporal", address]
        command += ["--store", fleet.dsn, "--task-queue", fleet.task_queue]
        command += ["--listen", "127.0.0.1:0"]
        with self.log.open("wb") as out:
            self.process = subprocess.Popen(
                command,
                env={**os.environ, **fleet.env},
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
        wait_until(lambda: "listening for webhooks at" in self.output(), 60, "the receiver")
        found = re.search(r"listening for webhooks at (http://\S+):", self.output())
        assert found, self.output()
        self.url = found[1]

    def output(self) -> str:
        if self.process.poll() is not None and "listening" not in self.log.read_text():
            pytest.fail(f"the receiver stopped:\n{self.log.read_text()}")
        return self.log.read_text(errors="replace")

    def stop(self) -> int:
        self.process.send_signal(signal.SIGTERM)
        return self.process.wait(60)


def test_the_command(temporal: str, fleet: Fleet, monkeypatch: pytest.MonkeyPatch) -> None:
    """``python -m bridge webhooks`` in its own process, a worker in this one: a delivery
    runs the pass; SIGTERM stops the receiver with status 0."""
    alpha = add_with_webhooks(fleet, monkeypatch, "command")
    receiver = ReceiverProcess(temporal, fleet)
    try:

        async def scenario() -> tuple[int, PassOutcome]:
            stop = asyncio.Event()
            working = asyncio.create_task(
                run_worker(temporal, fleet.dsn, task_queue=fleet.task_queue, passes=2, stop=stop)
            )
            async with httpx.AsyncClient() as http:
                answer = await http.post(receiver.url + alpha.path, content=delivery())
            outcome = await outcome_of(await Client.connect(temporal), alpha.name)
            stop.set()
            await asyncio.wait_for(working, 60)
            return answer.status_code, outcome

        status, outcome = asyncio.run(scenario())
    finally:
        stopped = receiver.stop()
    assert status == 202
    assert outcome.tenant == alpha.name
    assert alpha.tenant.sales() == reference_sales(alpha.tenant)
    assert stopped == 0
    output = receiver.output()
    assert "Auvo's at /auvo/<tenant>/<secret>" in output
    assert alpha.secret not in output


def test_the_command_refuses_a_bad_address(
    temporal: str, fleet: Fleet, capsys: pytest.CaptureFixture[str]
) -> None:
    assert fleet.cli("webhooks", "--temporal", temporal, "--listen", "nowhere") == 2
    assert "--listen: must be HOST:PORT" in capsys.readouterr().err
    with taken_port() as taken:
        assert fleet.cli("webhooks", "--temporal", temporal, "--listen", f":{taken}") == 2
    assert f"--listen: cannot listen on :{taken}" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        fleet.cli("webhooks", "--temporal", temporal)  # --listen is required
    assert "--listen" in capsys.readouterr().err


@contextlib.contextmanager
def taken_port() -> Iterator[int]:
    """A port on 127.0.0.1 held by a listening socket for the block."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield int(sock.getsockname()[1])
