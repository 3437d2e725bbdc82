"""Faults during a sync, on the package fakes: rate-limit answers (Auvo's 403, the ERPs'
429), server errors, timeouts and dropped connections, before and after the server acted.
Whatever happens, reruns end with exactly one sale per task, no duplicate customer, and a
failed read fails its stream only."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

import bridge
from auvo.testing._fake import RATE_LIMITED
from bridge.erp.registry import erp_names
from sdkcore.clock import FakeClock
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, Fault

from .conftest import World, make_world
from .erp.drivers import driver


def _world(erp: str, tmp_path: Path) -> tuple[World, FakeClock]:
    clock = FakeClock(start=time.time())  # retries and backoff sleep on it: no real waiting
    return make_world(erp, tmp_path, clock=clock), clock


def _sync(world: World, clock: FakeClock) -> bridge.SyncReport:
    return bridge.sync(
        world.config(), world.store, auvo=world.auvo.client(clock=clock), erp=world.erp_client
    )


def lose_response(fake: FakeAPI, method: str, prefix: str, exc: Exception) -> list[str]:
    """The next matching request reaches the fake and is handled, then the answer is lost
    (``exc`` is raised instead): the write happened but the client cannot know."""
    original = fake.handle
    lost: list[str] = []

    def handle(request: FakeRequest) -> FakeResponse:
        response = original(request)
        if not lost and request.method == method and request.path.startswith(prefix):
            lost.append(request.path)
            raise exc
        return response

    fake.handle = handle  # type: ignore[method-assign]
    return lost


def assert_settled(world: World, clock: FakeClock) -> None:
    """Reruns (faults still scripted fire in them) until a pass changes nothing: then
    everything is billed exactly once and nothing is duplicated."""
    for _ in range(5):
        last = _sync(world, clock)
        if last.changed == 0 and last.status == "ok":
            break
    sales = world.sales()
    assert sales == driver(world.erp).demo_sales, sales  # each once: no loss, no duplicate
    assert all(n == 1 for n in world.erp_customers().values()), world.erp_customers()
    assert all(n == 1 for n in world.auvo_customers().values()), world.auvo_customers()
    assert last.changed == 0
    # Only the compressor no ERP sells is left: tried again at its turn (bridge.retries),
    # so the last pass may or may not have reported it.
    assert {e["ref"] for s in last.streams.values() for e in s.errors} <= {"task:505"}
    assert [d.ref for d in world.store.dead_letters("demo")] == ["task:505"]
    for task in ("500", "501", "506"):
        customer = world.auvo.data["tasks"][task]["customerId"]
        assert world.store.get_link("demo", "customer", str(customer)) is not None


Scenario = Callable[[World], list[str] | None]
"""Scripts a fault; may return a list the fault fills when it fires."""


def _auvo_throttled_briefly(world: World) -> None:
    world.auvo.throttle_next(2)  # within the retries: waited out


def _auvo_throttled_on_tasks(world: World) -> None:
    world.auvo.fail_next(Fault(403, RATE_LIMITED, path_prefix="/v2/tasks"), 3)


def _erp_throttled_on_sales(world: World) -> None:
    body = driver(world.erp).throttled
    world.fake_erp.fail_next(Fault(429, body, path_prefix=driver(world.erp).paths["sales"]), 3)


def _erp_throttled_briefly(world: World) -> None:
    world.fake_erp.fail_next(Fault(429, driver(world.erp).throttled), 2)


def _server_errors(world: World) -> None:
    world.fake_erp.fail_next(Fault(503, method="POST"), 3)  # creates are not resent on 5xx
    world.fake_erp.fail_next(Fault(502, method="GET"), 3)  # a read fails after its retries


def _catalog_read_times_out(world: World) -> None:
    timeout = httpx.ReadTimeout("read timed out")
    world.fake_erp.fail_next(
        Fault(exception=timeout, method="GET", path_prefix=driver(world.erp).paths["catalog"]), 3
    )


def _auvo_connection_dropped(world: World) -> None:
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    world.auvo.fail_next(Fault(exception=dropped, method="GET", path_prefix="/v2/customers"), 3)


def _sale_response_lost(world: World) -> list[str]:
    return lose_response(
        world.fake_erp, "POST", driver(world.erp).paths["sales"], httpx.ReadTimeout("lost")
    )


def _customer_response_dropped(world: World) -> list[str]:
    dropped = httpx.RemoteProtocolError("Server disconnected without sending a response.")
    return lose_response(world.fake_erp, "POST", driver(world.erp).paths["customers"], dropped)


def _auvo_customer_response_lost(world: World) -> list[str]:
    return lose_response(world.auvo, "POST", "/v2/customers", httpx.ReadTimeout("lost"))


def _sale_never_sent(world: World) -> None:
    refused = httpx.ConnectError("connection refused")
    world.fake_erp.fail_next(
        Fault(exception=refused, method="POST", path_prefix=driver(world.erp).paths["sales"]), 2
    )


SCENARIOS: dict[str, Scenario] = {
    "auvo-403-burst": _auvo_throttled_briefly,
    "auvo-403-on-tasks": _auvo_throttled_on_tasks,
    "erp-429-burst": _erp_throttled_briefly,
    "erp-429-on-sales": _erp_throttled_on_sales,
    "erp-5xx": _server_errors,
    "erp-catalog-timeout": _catalog_read_times_out,
    "auvo-dropped-read": _auvo_connection_dropped,
    "sale-response-lost": _sale_response_lost,
    "customer-response-dropped": _customer_response_dropped,
    "auvo-customer-response-lost": _auvo_customer_response_lost,
    "sale-never-sent": _sale_never_sent,
}


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_fault_loses_and_duplicates_nothing(erp: str, scenario: str, tmp_path: Path) -> None:
    world, clock = _world(erp, tmp_path)
    fired = SCENARIOS[scenario](world)
    _sync(world, clock)  # never raises: failures are in the report
    assert fired is None or fired, "the lost answer never happened"
    assert_settled(world, clock)
    assert not world.auvo._faults  # every scripted fault fired
    assert not world.fake_erp._faults


@pytest.mark.parametrize("erp", erp_names())
def test_rate_limits_within_retries_are_waited_out(erp: str, tmp_path: Path) -> None:
    world, clock = _world(erp, tmp_path)
    world.auvo.throttle_next(2)
    world.fake_erp.fail_next(Fault(429, driver(erp).throttled, method="POST"), 2)
    report = _sync(world, clock)
    assert report.status == "partial"  # task:505, seeded to fail, is dead-lettered
    assert report.streams["tasks"].created == 3
    assert [e["ref"] for s in report.streams.values() for e in s.errors] == ["task:505"]
    assert len(clock.sleeps) >= 4  # the waits happened, on the simulated clock


@pytest.mark.parametrize("erp", erp_names())
def test_a_failed_read_fails_its_stream_only(erp: str, tmp_path: Path) -> None:
    world, clock = _world(erp, tmp_path)
    world.auvo.fail_next(Fault(403, RATE_LIMITED, path_prefix="/v2/tasks"), 3)
    report = _sync(world, clock)
    assert report.status == "partial"
    tasks = report.streams["tasks"]
    assert [e["ref"] for e in tasks.errors] == ["stream:tasks"]
    assert tasks.bookmark_after is None  # not moved: the next pass reads the window again
    assert report.streams["customers"].failed == 0
    assert report.streams["quotations"].created == 1
    assert world.store.get_bookmark("demo", "tasks") is None
    assert world.store.get_bookmark("demo", "customers") is not None
    again = _sync(world, clock)
    assert again.status == "partial"  # task:505, seeded to fail, is dead-lettered
    assert again.streams["tasks"].created == 3


@pytest.mark.parametrize("erp", erp_names())
def test_a_task_auvo_sends_in_a_shape_we_cannot_read_fails_alone(erp: str, tmp_path: Path) -> None:
    # "1.250" may be R$ 1.250 or 1,25: the task is refused, reported and dead-lettered,
    # while the other tasks on its page are billed; once Auvo's data is readable, it is.
    world, clock = _world(erp, tmp_path)
    product = world.auvo.data["tasks"]["501"]["products"][0]
    price = product["unitaryValue"]
    product["unitaryValue"] = "1.250"
    first = _sync(world, clock)
    errors = {e["ref"]: e["error"] for e in first.streams["tasks"].errors}
    assert "RecordParseError" in errors["task:501"]
    assert "ambiguous amount" in errors["task:501"]
    assert world.store.dead_letters("demo", "tasks")  # tried again on the next pass
    billed = {ref for ref in world.sales() if ref.startswith("task:")}
    assert billed
    assert not any(ref.startswith("task:501") for ref in billed)
    product["unitaryValue"] = price
    assert_settled(world, clock)
