"""The same scenarios as the respx tests, end to end against FakeContaAzul, sync and async."""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest

import contaazul
from contaazul import Customer, Deal, DealItem
from contaazul.testing import FakeContaAzul

from .conftest import Runner


@pytest.fixture
def fake() -> FakeContaAzul:
    return FakeContaAzul()


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, fake: FakeContaAzul) -> Runner:
    if request.param == "async":
        return Runner(fake.async_client(), True)
    return Runner(fake.client(), False)


def test_seeded_reference_data(run: Runner) -> None:
    accounts = {a.name for a in run.items(run.client.bank_accounts.list())}
    assert {"BB", "Caixinha"} <= accounts
    assert run.items(run.client.banks.list())
    assert run.items(run.client.cities.list())
    assert run.items(run.client.task_types.list())
    operations = {t.operation for t in run.items(run.client.deal_types.list())}
    assert {"S", "E"} <= operations
    kinds = {c.type for c in run.items(run.client.finance_categories.list())}
    assert {"REVENUE", "EXPENSE"} <= kinds


def test_seed_is_deterministic() -> None:
    def names(fake: FakeContaAzul) -> list[Any]:
        with fake.client() as client:
            return [(c.id, c.name) for c in client.cities.list()]

    assert names(FakeContaAzul()) == names(FakeContaAzul())


def test_customer_lifecycle(run: Runner) -> None:
    customers = run.client.customers
    created = run(customers.create(Customer(name="Cliente Silva", email="s@example.com")))
    assert created.id > 0
    assert created.location
    assert created.location.endswith(f"/pub/contact/customer/{created.id}")
    fetched = run(customers.get(created.id))
    assert (fetched.name, fetched.email) == ("Cliente Silva", "s@example.com")
    projected = run(customers.get(created.id, fields=["id", "name"]))
    assert projected.name == "Cliente Silva"
    assert projected.email is None
    run(customers.update(fetched.model_copy(update={"email": "novo@example.com"})))
    assert run(customers.get(created.id)).email == "novo@example.com"
    found = run.items(customers.list(name="silva"))
    assert [c.id for c in found] == [created.id]
    run(customers.delete(created.id))
    with pytest.raises(contaazul.NotFoundError):
        run(customers.get(created.id))


def test_bad_tokens_are_bad_credentials(fake: FakeContaAzul) -> None:
    client = contaazul.ContaAzul(
        application_token=fake.application_token,
        company_token="not-the-company",
        transport=fake.transport,
    )
    with pytest.raises(contaazul.AuthenticationError, match="Bad Credentials"):
        client.banks.list().to_list()


def test_missing_required_fields_answer_412_with_details(run: Runner) -> None:
    # Bypass the client's own check to see the server's answer.
    with pytest.raises(contaazul.ValidationError) as info:
        run(run.client.request("POST", "/pub/contact/customer/", json={"email": "x@y.z"}))
    assert info.value.status_code == 412
    assert any(e.field == "name" for e in info.value.field_errors)


def test_service_sale_with_installments_and_taxes(run: Runner) -> None:
    client = run.client
    customer = run(client.customers.create({"name": "Cliente Serviço"}))
    service = run(client.services.create({"name": "Instalação", "rate": "150.00"}))
    sale_type = next(t for t in run.items(client.deal_types.list()) if t.operation == "S")
    items = [DealItem(item_id=service.id, quantity=Decimal("3"), rate=Decimal("150.00"))]
    draft = Deal(contact_id=customer.id, deal_type_id=sale_type.id, items=items)
    total = contaazul.deal_total(draft)
    withheld = contaazul.taxes({"ISS": 5}, total)
    payments = contaazul.installments(
        contaazul.net_of_taxes(total, withheld), "3x", date(2024, 1, 10)
    )
    created = run(
        client.service_sales.create(
            draft.model_copy(update={"payments": payments, "taxes": withheld})
        )
    )
    sale = run(client.service_sales.get(created.id))
    assert sale.total == Decimal("450.00")
    assert sum((p.value for p in sale.payments or []), Decimal(0)) == Decimal("427.50")
    assert [t.value for t in sale.taxes or []] == [Decimal("22.50")]


def test_if_modified_since(fake: FakeContaAzul, run: Runner) -> None:
    old = run(run.client.customers.create({"name": "Antigo"}))
    later = datetime.now(UTC) + timedelta(days=1)
    assert run.items(run.client.customers.list(modified_since=later)) == []
    earlier = datetime.now(UTC) - timedelta(days=1)
    ids = [c.id for c in run.items(run.client.customers.list(modified_since=earlier))]
    assert old.id in ids


def test_reports_have_data_after_a_sale(run: Runner) -> None:
    client = run.client
    customer = run(client.customers.create({"name": "Relatório"}))
    product = run(client.products.create({"name": "Peça", "rate": 10}))
    sale_type = next(t for t in run.items(client.deal_types.list()) if t.operation == "S")
    run(
        client.product_sales.create(
            {
                "contactId": customer.id,
                "dealTypeId": sale_type.id,
                "dealDate": "2024-03-05",
                "items": [{"itemId": product.id, "quantity": 2, "rate": "10.00"}],
                "payments": [{"paymentDate": "2024-03-05", "value": 20}],
            }
        )
    )
    assert run(client.reports.monthly_sales())
    assert run(client.reports.product_ranking(deal_type="SALE"))
    assert run(client.reports.revenues_by_category())
    assert run(client.reports.ratios()) is not None
    assert run(client.reports.cash_flow()) is not None
    assert run(client.reports.bank_balances()) is not None
    assert run(client.reports.billing()) is not None
    assert run(client.reports.expenses_by_category()) is not None


def test_connect_flow_against_the_fake(fake: FakeContaAzul) -> None:
    client = contaazul.ContaAzul(application_token=fake.application_token, transport=fake.transport)
    attempt = client.connect("https://app.example.com/callback")
    company_token = fake.authorize(attempt.public_token)
    redirect = f"https://app.example.com/callback?authorizationToken={company_token}"
    token = client.company_token_from_redirect(redirect)
    connected = contaazul.ContaAzul(
        application_token=fake.application_token, company_token=token, transport=fake.transport
    )
    assert connected.banks.list().to_list()
    with pytest.raises(Exception):  # noqa: B017 - single use: the fake refuses a reused token
        fake.authorize(attempt.public_token)


def test_fake_serves_real_http() -> None:
    from sdkcore.testing import FakeServer

    fake = FakeContaAzul()
    with FakeServer(fake) as server:
        client = contaazul.ContaAzul(
            application_token=fake.application_token,
            company_token=fake.company_token,
            base_url=server.url,
        )
        with client:
            assert {a.name for a in client.bank_accounts.list()} >= {"BB", "Caixinha"}


def test_async_client_concurrent_creates(fake: FakeContaAzul) -> None:
    async def scenario() -> list[int]:
        async with fake.async_client(rate_limiter=False) as client:
            results = await asyncio.gather(
                *(client.customers.create({"name": f"C{i}"}) for i in range(20))
            )
            return [r.id for r in results]

    ids = asyncio.run(scenario())
    assert len(set(ids)) == 20


def _resource_table() -> dict[str, tuple[str, set[str], dict[str, Any]]]:
    from .test_resources_respx import RESOURCES

    return RESOURCES


def _valid_body(run: Runner, name: str, body: dict[str, Any]) -> dict[str, Any]:
    """The respx bodies, with references that exist in the fake."""
    client = run.client
    if name == "bank_accounts":
        return {**body, "bankId": run.items(client.banks.list())[0].code}
    if name == "price_lists":
        product = run(client.products.create({"name": "Item da lista"}))
        return {**body, "items": [{"price": 10, "itemId": product.id}]}
    if name == "statements":
        account = run.items(client.bank_accounts.list())[0]
        categories = run.items(client.finance_categories.list())
        category = next(c for c in categories if c.type == "EXPENSE")
        return {**body, "bankAccountId": account.id, "categoryId": category.id}
    if name in ("product_sales", "product_purchases", "service_sales"):
        contact = run(client.customers.create({"name": "Contato"}))
        item = run(
            (client.services if name == "service_sales" else client.products).create(
                {"name": "Item"}
            )
        )
        operation = "E" if name == "product_purchases" else "S"
        deal_type = next(t for t in run.items(client.deal_types.list()) if t.operation == operation)
        return {
            **body,
            "contactId": contact.id,
            "dealTypeId": deal_type.id,
            "items": [{"quantity": 1, "rate": "60.00", "itemId": item.id}],
        }
    return dict(body)


@pytest.mark.parametrize("name", sorted(_resource_table()))
def test_every_resource_against_the_fake(name: str, run: Runner) -> None:
    _path, verbs, body = _resource_table()[name]
    resource = getattr(run.client, name)
    if "create" not in verbs:
        records = run.items(resource.list())
        assert records, f"the fake seeds {name}"
        if "get" in verbs:
            first = records[0]
            key = first.id if getattr(first, "id", None) is not None else first.code
            assert run(resource.get(key)) == first
        return
    created = run(resource.create(_valid_body(run, name, body)))
    assert created.id > 0
    listed = run.items(resource.list())
    assert created.id in [r.id for r in listed]
    if "get" in verbs:
        record = run(resource.get(created.id))
        assert record.id == created.id
        if "update" in verbs:
            run(resource.update(record))
        if "delete" in verbs:
            run(resource.delete(created.id))
            with pytest.raises(contaazul.NotFoundError):
                run(resource.get(created.id))
