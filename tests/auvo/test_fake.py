"""End to end against ``FakeAuvo``, sync and async, in-process and over HTTP."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from decimal import Decimal

import httpx
import pytest

import auvo
from auvo import Auvo, TaskStatus, TaskStatusFilter
from auvo.testing import FakeAuvo, Fault
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeServer

from .conftest import Runner


def week(fake: FakeAuvo) -> dict[str, date]:
    """The seven days before the fake's clock, where its seeded tasks are dated."""
    today = datetime.fromtimestamp(fake.clock.time(), SAO_PAULO).date()
    return {"start": today - timedelta(days=7), "end": today}


def test_customers_flow(on_fake: Runner, fake: FakeAuvo) -> None:
    run, client = on_fake, on_fake.client
    names = [c.name for c in run.items(client.customers.list(group_id=1))]
    assert names == ["Padaria Pão Quente", "Clínica Boa Saúde"]
    created = run(client.customers.create({"name": "Oficina", "external_id": "X1"}))
    assert created.name == "Oficina"
    assert created.creation_date is not None
    record, was_created = run(client.customers.upsert({"external_id": "X1", "note": "vip"}))
    assert not was_created
    assert record.id == created.id
    assert record.note == "vip"
    _, was_created = run(client.customers.upsert({"external_id": "X2", "name": "Nova"}))
    assert was_created
    patched = run(client.customers.patch(created.id, {"name": "Oficina 2", "active": False}))
    assert patched.name == "Oficina 2"
    assert patched.active is False
    assert len(run.items(client.customers.list(external_ids=["X1", "X2"]))) == 2
    today = datetime.fromtimestamp(fake.clock.time(), SAO_PAULO).date()
    since = datetime.combine(today - timedelta(days=2), datetime.min.time())
    changed = {c.id for c in run.items(client.customers.list(modified_since=since))}
    assert changed >= {2, 3, created.id}
    assert 1 not in changed
    run(client.customers.delete(created.id))
    with pytest.raises(auvo.NotFoundError):
        run(client.customers.get(created.id))
    updated = run(client.customers.update_attachments(1, [{"name": "a.pdf", "file": "QQ=="}]))
    assert updated.attachment_urls
    assert updated.attachment_urls[0].endswith("a.pdf")
    assert [c.id for c in run.items(client.customer_groups.clients(2))] == [3]
    assert len(run.items(client.customer_groups.list())) == 2


def test_tasks_every_status_and_money(on_fake: Runner, fake: FakeAuvo) -> None:
    run, client = on_fake, on_fake.client
    week_ = week(fake)
    tasks = run.items(client.tasks.list(**week_, window=timedelta(days=3)))
    assert len(tasks) == 7
    assert len({t.id for t in tasks}) == 7
    assert {t.task_status for t in tasks} == set(TaskStatus)
    assert tasks[0].expense == Decimal("1250.50")
    assert tasks[0].delivered_date is None
    assert tasks[0].task_date is not None
    assert tasks[0].task_date.utcoffset() is not None

    def ids(status: TaskStatusFilter) -> set[int | None]:
        return {t.id for t in run.items(client.tasks.list(**week_, status=status))}

    assert ids(TaskStatusFilter.FINISHED_AUTOMATICALLY) == {104}
    assert ids(TaskStatusFilter.FINISHED_MANUALLY) == {105}
    assert ids(TaskStatusFilter.FINISHED) == {104, 105}
    assert len(ids(TaskStatusFilter.NOT_FINISHED)) == 5
    assert len(ids(TaskStatusFilter.ALL)) == 7
    pages = run.pages(client.tasks.list(**week_, page_size=2))
    assert sum(len(p) for p in pages) == 7
    resumed = run.pages(client.tasks.list(**week_, page_size=2), start=pages[1].number)
    assert [p.number for p in resumed] == [p.number for p in pages[1:]]


def test_task_items_and_deleted(on_fake: Runner, fake: FakeAuvo) -> None:
    run, client = on_fake, on_fake.client
    task = run(
        client.tasks.upsert_services(100, [{"service_id": "s1", "quantity": 2, "value": "10,50"}])
    )
    assert task.services
    assert task.services[0].total_value == Decimal("21.0")
    run(client.tasks.delete_services(100, ["s1"]))
    assert not run(client.tasks.get(100)).services
    task = run(
        client.tasks.upsert_additional_costs(100, [{"additional_cost_id": "c1", "value": 5}])
    )
    assert task.additional_costs
    run(client.tasks.delete(101))
    assert [t.id for t in run.items(client.tasks.deleted(**week(fake)))] == [101]
    created = run(
        client.tasks.create(
            {"user_from_id": 1, "task_date": datetime(2024, 1, 9, 8), "orientation": "x"}
        )
    )
    assert created.id
    assert created.task_status == TaskStatus.OPENED
    with pytest.raises(auvo.RequestValidationError, match="ProductId"):
        run(client.tasks.upsert_products(100, [{"quantity": 1, "value": 1}]))


def test_other_resources(on_fake: Runner, fake: FakeAuvo) -> None:
    run, client = on_fake, on_fake.client
    assert [p.unitary_value for p in run.items(client.products.list())] == [
        Decimal("45.90"),
        Decimal("120.00"),
        Decimal("2500.00"),
    ]
    assert run(client.products.update_employee_stock(2, 1, 4)) is None
    assert [s.price for s in run.items(client.services.list(active=True))] == [
        Decimal("150.00"),
        Decimal("35.50"),
    ]
    quotes = run.items(client.quotations.list())
    assert quotes[0].current_stage
    assert quotes[0].current_stage.description == "Aprovado"
    assert quotes[1].discount == Decimal("0.00")
    assert len(run.items(client.task_types.list(page_size=2))) == 3
    assert [u.name for u in run.items(client.teams.users(1))] == ["Bruno Técnico"]
    assert run(client.users.get(2)).name == "Bruno Técnico"
    assert len(run.items(client.users.list(name="ana"))) == 1
    assert len(run.items(client.expenses.list(**week(fake)))) == 2
    assert run(client.segments.create({"description": "Indústria"})).id
    assert (
        run(client.keywords.patch(1, {"description": "muito urgente"})).description
        == "muito urgente"
    )
    assert run(client.service_orders.get("48786aad-e3f8-4245-8934-ce983520c38c")).project_code == 1


def test_webhooks_register_idempotently(on_fake: Runner, fake: FakeAuvo) -> None:
    run, client = on_fake, on_fake.client
    first = run(client.webhooks.create("Task", "Inclusao", "https://example.com/hook"))
    again = run(client.webhooks.create("Task", "Inclusao", "https://example.com/hook"))
    other = run(client.webhooks.create("Customer", "Inclusao", "https://example.com/hook"))
    assert first.id == again.id != other.id
    assert first.target_url == "https://example.com/hook"
    assert len(run.items(client.webhooks.list())) == 2
    run(client.webhooks.delete(first.id or ""))
    assert len(run.items(client.webhooks.list())) == 1


def test_fake_rate_limit_and_expiry(fake: FakeAuvo, clock: FakeClock) -> None:
    client = fake.client(clock=clock)
    client.login()
    fake.throttle_next()
    assert client.customers.get(1).id == 1  # 403 rate limit, paused, retried
    assert clock.sleeps
    logins = fake.logins
    fake.expire_tokens()
    client.customers.get(1)  # 401 -> login again
    assert fake.logins == logins + 1
    fake.fail_next(Fault(500, {"message": "boom"}), times=3)
    with pytest.raises(auvo.ServerError):
        client.customers.get(1)
    limited = FakeAuvo(clock=clock, rate_limit=2)
    c2 = limited.client(clock=clock, max_retries=0)
    c2.customers.get(1)
    with pytest.raises(auvo.RateLimitError):
        c2.customers.get(1)


def test_fake_login_failures(clock: FakeClock) -> None:
    fake = FakeAuvo(clock=clock)
    fake.api_enabled = False
    with pytest.raises(auvo.AuthenticationError, match="disabled"):
        fake.client(clock=clock).login()
    fake.api_enabled = True
    wrong = Auvo(fake.api_key, "wrong-token-value", transport=fake.transport, clock=clock)
    with pytest.raises(auvo.AuthenticationError, match="did not authenticate"):
        wrong.customers.get(1)


def test_fake_over_http(clock: FakeClock) -> None:
    fake = FakeAuvo()
    with FakeServer(fake) as server:
        with fake.client(base_url=server.url + "/v2") as client:
            assert client.customers.get(2).name == "Clínica Boa Saúde"
        response = httpx.put(server.url + "/v2/customers/", content=b"{}")
        assert response.status_code == 401


def test_serve_command_starts() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "auvo.testing", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = proc.stdout.readline() if proc.stdout else ""
        assert line.startswith("serving on http://127.0.0.1:")
        url = line.split()[2]  # `serving on URL fake=auvo base_url=... api_key=...`
        deadline = time.monotonic() + 5
        client = Auvo("fake-auvo-api-key", "fake-auvo-api-token", base_url=url + "/v2")
        while True:
            try:
                assert client.task_types.get(1).description == "Manutenção preventiva"
                break
            except auvo.APIConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        client.close()
    finally:
        proc.terminate()
        proc.wait(timeout=5)
