"""Auvo writes refuse, before sending, a customer's CPF or CNPJ with wrong check digits and a
negative quantity or price on a task's products, services or additional costs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

import auvo
from auvo import RequestValidationError
from auvo.testing import FakeAuvo

from ..runner import Runner


def _refused(run: Runner, call: Callable[[], Any]) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as caught:
        run(call())
    return caught.value


def test_a_customer_with_a_wrong_document_is_refused(on_fake: Runner, fake: FakeAuvo) -> None:
    run = on_fake
    sent = len(fake.requests)
    for call in (
        lambda: run.client.customers.create({"name": "Ana", "cpf_cnpj": "123.456.789-10"}),
        lambda: run.client.customers.upsert({"external_id": "X9", "cpfCnpj": "11111111111111"}),
        lambda: run.client.customers.patch(1, {"cpf_cnpj": "12345678000190"}),
    ):
        error = _refused(run, call)
        assert error.field == "cpfCnpj"
    assert len(fake.requests) == sent
    created = run(
        run.client.customers.create(auvo.Customer(name="Oficina", cpf_cnpj="11.222.333/0001-81"))
    )
    assert created.cpf_cnpj == "11.222.333/0001-81"
    assert run(run.client.customers.patch(created.id, {"cpf_cnpj": "529.982.247-25"}))


def test_a_read_customer_with_a_bad_document_still_reads() -> None:
    customer = auvo.Customer.model_validate_json(b'{"id": 1, "cpfCnpj": "00000000000"}')
    assert customer.cpf_cnpj == "00000000000"


@pytest.mark.parametrize(
    ("method", "key", "item", "field"),
    [
        (
            "upsert_products",
            "taskProducts",
            {"product_id": "p1", "quantity": -1, "value": 5},
            "Quantity",
        ),
        (
            "upsert_services",
            "taskServices",
            {"service_id": "s1", "quantity": 1, "value": "-5"},
            "Value",
        ),
        (
            "upsert_additional_costs",
            "taskAdditionalCosts",
            {"additional_cost_id": "c1", "value": "-0,01"},
            "Value",
        ),
    ],
)
def test_negative_quantities_and_prices_on_task_items(
    on_fake: Runner, method: str, key: str, item: dict[str, Any], field: str
) -> None:
    run = on_fake
    good = {**item, "quantity": 1, "value": 5}
    error = _refused(run, lambda: getattr(run.client.tasks, method)(7, [good, item]))
    assert error.field == f"{key}[1].{field}"
    assert "negative" in error.reason
