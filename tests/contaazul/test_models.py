"""Conta Azul models: wire round trips, read-only fields never sent, required fields named."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings, strategies as st
from pydantic import BaseModel
from pydantic.alias_generators import to_camel

from contaazul import models as m
from sdkcore import APIModel, RequestValidationError

M = TypeVar("M", bound=APIModel)

ids = st.integers(min_value=1, max_value=2**31)
texts = st.text(max_size=12)
names = st.text(min_size=1, max_size=12)  # required text: empty counts as missing
money = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=2, allow_nan=False)
positive = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("1e6"), places=2)
quantities = st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1e6"), places=4)
dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def maybe(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def lenient(enum: type[StrEnum]) -> st.SearchStrategy[Any]:
    """Known members and values the server might add later."""
    unknown = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=10)
    return st.sampled_from(list(enum)) | unknown


customers = st.builds(
    m.Customer,
    id=maybe(ids),
    name=names,
    email=maybe(texts),
    document_number=maybe(st.from_regex(r"\d{2}\.\d{3}\.\d{3}/\d{4}-\d{2}", fullmatch=True)),
    inscricao_estadual=maybe(texts),
    address=maybe(texts),
    number=maybe(st.integers(0, 99999).map(str)),
    complement=maybe(texts),
    neighborhood=maybe(texts),
    city_id=maybe(ids),
    postal_code=maybe(texts),
    kind=maybe(lenient(m.CustomerKind)),
)
deal_items = st.builds(
    m.DealItem,
    id=maybe(ids),
    item_id=maybe(ids),
    quantity=quantities,
    rate=money,
    vl_custo_unitario=maybe(money),
    observation=maybe(texts),
)
payments = st.builds(
    m.Payment, id=maybe(ids), payment_date=dates, value=money, observation=maybe(texts)
)
taxes = st.builds(
    m.Tax,
    id=maybe(ids),
    description=names,
    percentage=st.decimals(min_value=0, max_value=100, places=2),
    value=money,
    type=lenient(m.TaxType),
)
deals = st.builds(
    m.Deal,
    id=maybe(ids),
    deal_number=maybe(ids),
    total=maybe(money),
    discount=maybe(money),
    extra_payment=maybe(money),
    serie=maybe(texts),
    invoice_number=maybe(ids),
    deal_date=maybe(dates),
    contact_id=ids,
    observations=maybe(texts),
    bank_account_id=maybe(ids),
    deal_type_id=ids,
    task_type_id=maybe(ids),
    shipping_contact_id=maybe(ids),
    shipping_cost=maybe(money),
    shipping_cost_payment=maybe(st.sampled_from(["0", "1", "2", "9"])),
    items=st.lists(deal_items, min_size=1, max_size=4),
    payments=st.lists(payments, min_size=1, max_size=4),
    taxes=maybe(st.lists(taxes, max_size=3)),
)
statements = st.builds(
    m.Statement,
    id=maybe(ids),
    memo=names,
    valor=positive,
    date=dates,
    repeat=st.booleans(),
    repeating_cycle=maybe(lenient(m.RepeatingCycle)),
    statement_type=lenient(m.StatementType),
    done=st.booleans(),
    bank_account_id=ids,
    category_id=ids,
    contact_id=maybe(ids),
    cost_center_id=maybe(ids),
)
price_lists = st.builds(
    m.PriceList,
    id=maybe(ids),
    name=names,
    default_price_list=maybe(st.booleans()),
    items=st.lists(
        st.builds(
            m.PriceListItem,
            id=maybe(ids),
            price=money,
            comission=maybe(st.decimals(min_value=0, max_value=100, places=2)),
            item_id=maybe(ids),
        ),
        min_size=1,
        max_size=4,
    ),
)


def content(model: BaseModel) -> dict[str, Any]:
    """Every field but the read-only ones, nested models included: what a write keeps."""
    read_only = model.read_only_fields() if isinstance(model, APIModel) else frozenset()
    out: dict[str, Any] = {}
    for name in type(model).model_fields:
        if name in read_only:
            continue
        value = getattr(model, name)
        if isinstance(value, BaseModel):
            value = content(value)
        elif isinstance(value, list):
            value = [content(v) if isinstance(v, BaseModel) else v for v in value]
        out[name] = value
    return out


def wire_keys(data: Any) -> set[str]:
    if isinstance(data, dict):
        return set(data) | {k for v in data.values() for k in wire_keys(v)}
    if isinstance(data, list):
        return {k for v in data for k in wire_keys(v)}
    return set()


def round_trip(model: M) -> M:
    body = json.dumps(model.to_wire(for_create=True))
    return type(model).model_validate_json(body)


@settings(max_examples=60)
@given(st.one_of(customers, deals, statements, price_lists))
def test_wire_round_trip(model: APIModel) -> None:
    restored = round_trip(model)
    assert content(restored) == content(model)
    assert restored.to_wire() == model.to_wire()


@settings(max_examples=40)
@given(deals)
def test_read_only_fields_are_never_sent(deal: m.Deal) -> None:
    deal = deal.model_copy(update={"id": 7, "total": Decimal(1), "deal_number": 3})
    deal = deal.model_copy(
        update={"items": [i.model_copy(update={"id": 9}) for i in deal.items or []]}
    )
    sent = deal.to_wire()
    assert {"id", "total", "dealNumber"}.isdisjoint(wire_keys(sent))
    assert all("id" not in item for item in sent["items"])


@given(customers)
def test_only_fields_the_caller_set_are_sent(customer: m.Customer) -> None:
    sparse = m.Customer(name=customer.name)
    assert sparse.to_wire() == {"name": customer.name}
    assert m.Customer(name="A", email=None).to_wire() == {"name": "A", "email": None}


def test_money_and_quantities_are_exact_json_numbers() -> None:
    item = m.DealItem(quantity=Decimal("1.31"), rate=Decimal("3.12"), vl_custo_unitario=0)
    sent = json.dumps(item.to_wire())
    assert json.loads(sent) == {"quantity": 1.31, "rate": 3.12, "vlCustoUnitario": 0}
    assert "1.31" in sent
    assert "3.12" in sent
    assert m.DealItem.model_validate_json('{"quantity": 133.33}').quantity == Decimal("133.33")
    statement = m.Statement.model_validate({"valor": 80.02, "date": 1354500000000})
    assert (statement.valor, statement.date) == (Decimal("80.02"), date(2012, 12, 3))
    assert statement.to_wire() == {"valor": 80.02, "date": "2012-12-03"}


@pytest.mark.parametrize(
    ("model", "expected"),
    [
        (m.Customer(), "name"),
        (m.Customer(name=""), "name"),
        (m.BankAccount(name="BB"), "bankId"),
        (m.PriceList(name="L", items=[m.PriceListItem(item_id=1)]), "items[0].price"),
        (
            m.Statement(
                memo="x",
                valor=1,
                date=date(2024, 1, 1),
                repeat=False,
                done=True,
                bank_account_id=1,
                category_id=2,
            ),
            "statementType",
        ),
        (
            m.Deal(
                contact_id=1,
                deal_type_id=2,
                items=[m.DealItem(item_id=1, quantity=Decimal(1))],
                payments=[m.Payment(payment_date=date(2024, 1, 1), value=1)],
            ),
            "items[0].rate",
        ),
        (
            m.Deal(
                contact_id=1,
                deal_type_id=2,
                items=[m.DealItem(quantity=Decimal(1), rate=Decimal(1))],
                payments=[m.Payment(payment_date=date(2024, 1, 1), value=1)],
                taxes=[m.Tax(percentage=Decimal(2), value=Decimal("0.02"), type="ISS")],
            ),
            "taxes[0].description",
        ),
        (m.Deal(contact_id=1, deal_type_id=2, items=[], payments=[]), "items"),
    ],
)
def test_check_required_names_the_missing_field(model: APIModel, expected: str) -> None:
    with pytest.raises(RequestValidationError) as info:
        model.check_required()
    assert info.value.field == expected
    with pytest.raises(RequestValidationError):
        model.to_wire(for_create=True)
    model.to_wire()  # a partial update or a read needs no required fields


def test_required_is_optional_on_read() -> None:
    assert m.Tax.model_validate({}).type is None  # the spec's product examples: "taxes": [{}]
    assert m.Deal.model_validate({"taxes": [{}]}).taxes == [m.Tax()]


def test_lenient_enums() -> None:
    assert m.Customer(kind="ENTITY").kind is m.CustomerKind.ENTITY
    assert m.Customer.model_validate({"kind": "GOVERNMENT"}).kind == "GOVERNMENT"
    assert m.FinanceCategory.model_validate({"type": "TRANSFER"}).type is (
        m.FinanceCategoryType.TRANSFER
    )
    assert m.Customer(kind="GOVERNMENT").to_wire() == {"kind": "GOVERNMENT"}


def test_numbers_the_examples_send_both_ways() -> None:
    assert m.Customer.model_validate({"number": 333}).number == "333"
    assert m.Customer.model_validate({"number": "333"}).number == "333"
    assert m.City.model_validate({"ibgeCode": 5200050}).ibge_code == "5200050"


def test_every_wire_name_is_the_camel_case_of_its_python_name() -> None:
    for name in m.__all__:
        model = getattr(m, name)
        if isinstance(model, type) and issubclass(model, APIModel) and model is not APIModel:
            for field, info in model.model_fields.items():
                assert info.alias == to_camel(field), (name, field)
    assert m.DealItem.model_fields["vl_custo_unitario"].alias == "vlCustoUnitario"
    assert m.Customer(inscricao_estadual="ISENTO").to_wire() == {"inscricaoEstadual": "ISENTO"}
    assert m.Customer.model_validate({"documentNumber": "1"}).document_number == "1"


def test_python_and_wire_names_are_both_accepted() -> None:
    by_python = m.Deal(contact_id=1, shipping_cost_payment="1")
    by_wire = m.Deal.model_validate({"contactId": 1, "shippingCostPayment": "1"})
    assert by_python.to_wire() == by_wire.to_wire() == {"contactId": 1, "shippingCostPayment": "1"}
