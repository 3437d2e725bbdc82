"""Conta Azul writes refuse, before sending, what the spec's meaning makes plainly wrong: a
CPF or CNPJ with wrong check digits, a negative quantity or price on a deal item, payments
that do not add up to the deal's total. Reading keeps whatever the server holds."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import contaazul
from contaazul import Customer, CustomerKind, Deal, DealItem, Payment, RequestValidationError
from contaazul._calls import create_call
from contaazul._resources import ServiceSales
from contaazul.testing import FakeContaAzul
from sdkcore.client import PerCall

from ..runner import Runner


@pytest.fixture
def fake() -> FakeContaAzul:
    return FakeContaAzul()


@pytest.fixture(params=["sync", "async"])
def run(request: pytest.FixtureRequest, fake: FakeContaAzul) -> Runner:
    if request.param == "async":
        return Runner(fake.async_client(), True)
    return Runner(fake.client(), False)


def _refused(run: Runner, call: Any) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as caught:
        run(call())
    return caught.value


def test_a_customer_with_a_wrong_cpf_is_refused_before_sending(
    run: Runner, fake: FakeContaAzul
) -> None:
    sent = len(fake.requests)
    error = _refused(
        run,
        lambda: run.client.customers.create(
            Customer(name="Maria", document_number="123.456.789-10")
        ),
    )
    assert error.field == "documentNumber"
    assert "CPF" in error.reason
    assert len(fake.requests) == sent


def test_the_kind_says_which_number_is_due(run: Runner) -> None:
    error = _refused(
        run,
        lambda: run.client.customers.create(
            Customer(name="Maria", kind=CustomerKind.INDIVIDUAL, document_number="11222333000181")
        ),
    )
    assert (error.field, "CPF" in error.reason) == ("documentNumber", True)
    created = run(
        run.client.customers.create(
            {"name": "Oficina", "kind": "ENTITY", "documentNumber": "11.222.333/0001-81"}
        )
    )
    assert run(run.client.customers.get(created.id)).document_number == "11.222.333/0001-81"


def test_vendors_shippers_and_updates_are_checked_too(run: Runner) -> None:
    assert (
        _refused(
            run, lambda: run.client.vendors.create({"name": "V", "documentNumber": "00000000000"})
        ).field
        == "documentNumber"
    )
    assert (
        _refused(
            run,
            lambda: run.client.shippers.create(
                {"name": "S", "documentNumber": "98.765.432/0001-10"}
            ),
        ).field
        == "documentNumber"
    )
    created = run(run.client.customers.create({"name": "Ana", "documentNumber": "52998224725"}))
    fetched = run(run.client.customers.get(created.id))
    error = _refused(
        run,
        lambda: run.client.customers.update(
            fetched.model_copy(update={"document_number": "52998224726"})
        ),
    )
    assert error.field == "documentNumber"


def test_a_record_the_server_holds_with_a_bad_number_still_reads() -> None:
    customer = Customer.model_validate_json(b'{"id": 1, "documentNumber": "111.111.111-11"}')
    assert customer.document_number == "111.111.111-11"


def _sale(run: Runner, root: str = "products", **deal: Any) -> tuple[Deal, list[int]]:
    """A draft sale to a new customer, and the ids of two new items of ``root``."""
    customer = run(run.client.customers.create({"name": "Comprador"}))
    sale_type = next(t for t in run.items(run.client.deal_types.list()) if t.operation == "S")
    resource = getattr(run.client, root)
    ids = [run(resource.create({"name": name, "rate": 1})).id for name in ("Um", "Dois")]
    return Deal(contact_id=customer.id, deal_type_id=sale_type.id, **deal), ids


def test_negative_quantities_and_prices_on_deal_items(run: Runner) -> None:
    payment = [Payment(payment_date=date(2024, 1, 10), value=Decimal(10))]
    draft, (one, two) = _sale(run, payments=payment)
    items = [DealItem(item_id=one, quantity=2, rate=5), DealItem(item_id=two, quantity=-1, rate=5)]
    error = _refused(
        run, lambda: run.client.product_sales.create(draft.model_copy(update={"items": items}))
    )
    assert error.field == "items[1].quantity"
    negative_rate = draft.model_copy(
        update={"items": [DealItem(item_id=one, quantity=1, rate="-10")]}
    )
    assert _refused(run, lambda: run.client.product_sales.create(negative_rate)).field == (
        "items[0].rate"
    )
    negative_cost = draft.model_copy(
        update={"items": [DealItem(item_id=one, quantity=1, rate=10, vl_custo_unitario=-1)]}
    )
    assert _refused(run, lambda: run.client.product_purchases.create(negative_cost)).field == (
        "items[0].vlCustoUnitario"
    )


def test_payments_that_do_not_add_up_to_the_total_are_refused(run: Runner) -> None:
    draft, (one, two) = _sale(run, shipping_cost=60, shipping_cost_payment="1")
    items = [DealItem(item_id=one, quantity=1, rate=60), DealItem(item_id=two, quantity=1, rate=20)]
    short = draft.model_copy(
        update={
            "items": items,
            "payments": contaazul.installments(Decimal(80), "3x", date(2024, 1, 10)),
        }
    )
    error = _refused(run, lambda: run.client.product_sales.create(short))
    assert error.field == "payments"
    assert "80" in error.reason
    assert "140" in error.reason
    # The spec's own example: 60 + 20 with 60 of freight on the invoice, in 46.67/46.67/46.66.
    exact = short.model_copy(
        update={"payments": contaazul.installments(Decimal(140), "3x", date(2024, 1, 10))}
    )
    assert run(run.client.product_sales.create(exact)).id > 0


def test_a_service_sale_may_be_paid_net_of_withheld_taxes(run: Runner) -> None:
    draft, (one, two) = _sale(run, "services")
    items = [
        DealItem(item_id=one, quantity=Decimal("133.33"), rate=Decimal("11.11")),
        DealItem(item_id=two, quantity=65, rate=3),
    ]
    draft = draft.model_copy(update={"items": items})
    total = contaazul.deal_total(draft)
    assert total == Decimal("1676.30")  # the spec's example
    withheld = contaazul.taxes({"ISS": 2, "COFINS": 5}, total)

    def paying(amount: Decimal) -> Deal:
        payments = [Payment(payment_date=date(2013, 5, 6), value=amount)]
        return draft.model_copy(update={"taxes": withheld, "payments": payments})

    net = contaazul.net_of_taxes(total, withheld)
    assert net == Decimal("1558.95")  # the spec's example: both taxes withheld
    assert run(run.client.service_sales.create(paying(net))).id > 0
    # The spec has no flag for a withheld tax: a total less any of them is not plainly wrong.
    for amount in (total, total - (withheld[0].value or Decimal(0))):
        create_call(ServiceSales.spec, PerCall(), paying(amount))
    assert (
        _refused(run, lambda: run.client.service_sales.create(paying(Decimal("1500")))).field
        == "payments"
    )
