"""A model built in Python is a request: unknown names and bad values are refused there, with
the SDK's own ``RequestValidationError``; a model read from an answer keeps what it does not
know, and sends it back on a read-modify-write."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Annotated, Any

import pydantic
import pytest
from pydantic import Field, TypeAdapter

from sdkcore import APIModel, OptionalMoney, RequestValidationError, SDKError
from sdkcore.models import READ_ONLY, REQUIRED_ON_CREATE, CamelModel


class Address(CamelModel):
    street: Annotated[str | None, REQUIRED_ON_CREATE] = None
    zip_code: str | None = None


class Item(CamelModel):
    description: str | None = None
    unit_price: OptionalMoney = None


class Customer(CamelModel):
    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    document_number: str | None = None
    balance: OptionalMoney = None
    address: Address | None = None
    items: list[Item] = Field(default_factory=list)
    notes: dict[str, Any] | None = None


# -- building a request ----------------------------------------------------------------------


def test_a_name_the_model_does_not_have_is_refused_naming_it() -> None:
    with pytest.raises(RequestValidationError) as info:
        Customer(name="X", person_type="BANANA")
    assert info.value.field == "person_type"
    assert "Customer has no field 'person_type'" in str(info.value)


def test_the_refusal_suggests_the_closest_field() -> None:
    with pytest.raises(RequestValidationError, match="did you mean 'document_number'"):
        Customer(name="X", document_numbr="1")
    with pytest.raises(RequestValidationError, match="did you mean 'documentNumber'"):
        Customer(name="X", documentNumbr="1")


def test_python_and_wire_names_are_both_accepted() -> None:
    assert Customer(document_number="1").to_wire() == {"documentNumber": "1"}
    assert Customer(documentNumber="1").to_wire() == {"documentNumber": "1"}


def test_unknown_names_inside_nested_dicts_are_refused_with_their_path() -> None:
    with pytest.raises(RequestValidationError) as info:
        Customer(name="X", address={"street": "R", "zip": "1"})
    assert info.value.field == "address.zip"
    with pytest.raises(RequestValidationError) as info:
        Customer(name="X", items=[{"description": "a"}, {"description": "b", "price": 1}])
    assert info.value.field == "items[1].price"
    # A free-form dict field takes any key: it is a value, not a model.
    assert Customer(notes={"anything": 1}).notes == {"anything": 1}


def test_coerce_refuses_unknown_names_in_a_dict() -> None:
    with pytest.raises(RequestValidationError) as info:
        Customer.coerce({"name": "X", "person_type": "BANANA"})
    assert info.value.field == "person_type"
    with pytest.raises(RequestValidationError) as info:
        Customer.coerce({"name": "X", "address": {"streeet": "R"}})
    assert info.value.field == "address.streeet"
    assert "did you mean 'street'" in info.value.reason


def test_an_invalid_value_is_the_sdks_error_naming_the_field_and_the_reason() -> None:
    with pytest.raises(RequestValidationError) as info:
        Customer(balance="1.2.3,4,5")
    assert info.value.field == "balance"
    assert info.value.reason
    assert isinstance(info.value, SDKError)
    assert isinstance(info.value, ValueError)
    assert not isinstance(info.value, pydantic.ValidationError)
    assert info.value.__cause__ is None  # pydantic's error is not chained into the traceback
    with pytest.raises(RequestValidationError) as info:
        Customer(items=[{"unit_price": "abc"}])
    assert info.value.field == "items.0.unit_price"  # as the caller spelled it
    with pytest.raises(RequestValidationError) as info:
        Customer.coerce({"address": {"zipCode": ["not", "text"]}})
    assert info.value.field == "address.zipCode"


# -- assigning -------------------------------------------------------------------------------


def test_an_assigned_value_is_validated() -> None:
    customer = Customer(name="X")
    customer.balance = "R$ 1.234,50"  # type: ignore[assignment]
    assert customer.balance == Decimal("1234.50")
    assert customer.to_wire() == {"name": "X", "balance": 1234.5}
    with pytest.raises(RequestValidationError) as info:
        customer.balance = "1.2.3,4,5"  # type: ignore[assignment]
    assert info.value.field == "balance"
    assert customer.balance == Decimal("1234.50")  # the refused value left the field alone
    with pytest.raises(RequestValidationError) as info:
        customer.address = {"street": "R", "zip": "1"}  # type: ignore[assignment]
    assert info.value.field == "address.zip"
    assert customer.address is None
    assert customer.to_wire() == {"name": "X", "balance": 1234.5}  # nor marked it as set


def test_assigning_a_name_the_model_does_not_have_is_refused() -> None:
    customer = Customer(name="X")
    with pytest.raises(RequestValidationError) as info:
        customer.person_type = "BANANA"
    assert info.value.field == "person_type"
    with pytest.raises(RequestValidationError, match="did you mean 'document_number'"):
        customer.documentNumber = "1"
    assert customer.to_wire() == {"name": "X"}


# -- reading an answer -----------------------------------------------------------------------

ANSWER = {
    "id": 7,
    "name": "Ana",
    "brandNew": {"x": 1},
    "address": {"street": "R", "geoHash": "6gyf"},
    "items": [{"description": "a", "unitPrice": 1.5, "sku": "A-1"}],
}


def test_an_answer_keeps_the_fields_the_model_does_not_know() -> None:
    for customer in (
        Customer.model_validate(ANSWER),
        Customer.model_validate_json(json.dumps(ANSWER)),
        TypeAdapter(list[Customer]).validate_json(json.dumps([ANSWER]))[0],
    ):
        assert customer.model_extra == {"brandNew": {"x": 1}}
        assert customer.address is not None
        assert customer.address.model_extra == {"geoHash": "6gyf"}
        assert customer.items[0].model_extra == {"sku": "A-1"}


def test_a_read_modify_write_sends_the_unknown_fields_back() -> None:
    customer = Customer.model_validate_json(json.dumps(ANSWER))
    customer.name = "Ana Maria"
    assert Customer.coerce(customer) is customer
    assert customer.to_wire() == {
        "name": "Ana Maria",
        "brandNew": {"x": 1},
        "address": {"street": "R", "geoHash": "6gyf"},
        "items": [{"description": "a", "unitPrice": 1.5, "sku": "A-1"}],
    }
    # A field the server sent and the model does not know may be changed too.
    customer.brandNew = {"x": 2}
    assert customer.to_wire()["brandNew"] == {"x": 2}
    # A model read from an answer can go into a new request whole.
    moved = Customer(name="Bia", address=customer.address)
    assert moved.to_wire()["address"] == {"street": "R", "geoHash": "6gyf"}


def test_reading_stays_on_pydantic_cores_path() -> None:
    # A custom __init__ would make pydantic-core call back into Python for every nested
    # record of an answer; the request checks must not cost a read anything.
    for model in (APIModel, CamelModel, Customer, Address, Item):
        assert model.__pydantic_custom_init__ is False


# -- the clients -----------------------------------------------------------------------------


def test_contaazul_refuses_an_unknown_field_before_sending() -> None:
    from contaazul import Customer as CaCustomer
    from contaazul.testing import FakeContaAzul

    with pytest.raises(RequestValidationError) as info:
        CaCustomer(name="X", person_type="BANANA")
    assert info.value.field == "person_type"
    fake = FakeContaAzul()
    with fake.client() as ca, pytest.raises(RequestValidationError):
        ca.customers.create({"name": "X", "person_type": "BANANA"})
    assert not [r for r in fake.requests if r.method == "POST"]


def test_contaazul_round_trip_keeps_unknown_fields() -> None:
    from contaazul.testing import FakeContaAzul
    from sdkcore.testing import Fault

    fake = FakeContaAzul()
    with fake.client() as ca:
        ident = ca.customers.create({"name": "Ana", "kind": "INDIVIDUAL"}).id
        answer = {"id": ident, "name": "Ana", "kind": "INDIVIDUAL", "loyalty": "gold"}
        fake.fail_next(Fault(status=200, body=answer, method="GET"))
        customer = ca.customers.get(ident)
        customer.name = "Ana Maria"
        ca.customers.update(customer)
    sent = json.loads(fake.requests[-1].body)
    assert sent["name"] == "Ana Maria"
    assert sent["loyalty"] == "gold"


def test_bling_refuses_an_unknown_field_before_sending() -> None:
    from bling.models import Contato
    from bling.testing import FakeBling

    with pytest.raises(RequestValidationError, match="did you mean 'situacao'"):
        Contato(nome="X", situacaoo="A")
    fake = FakeBling()
    bling = fake.client()
    with pytest.raises(RequestValidationError) as info:
        bling.contatos.create({"nome": "X", "tipo": "F", "endereco": {"geral": {"cepp": "1"}}})
    assert info.value.field == "endereco.geral.cepp"
    assert not [r for r in fake.requests if r.method == "POST"]


def test_bling_round_trip_keeps_unknown_fields() -> None:
    from bling.testing import FakeBling

    fake = FakeBling()
    bling = fake.client()
    ident = bling.contatos.create({"nome": "Ana", "tipo": "F"})
    fake.data["contatos"][ident]["campoNovo"] = "kept"
    contato = bling.contatos.get(ident)
    contato.fantasia = "Aninha"
    bling.contatos.update(ident, contato)
    sent = json.loads(fake.requests[-1].body)
    assert sent["fantasia"] == "Aninha"
    assert sent["campoNovo"] == "kept"


def test_auvo_refuses_an_unknown_field_before_sending() -> None:
    from auvo.models import Customer as AuvoCustomer
    from auvo.testing import FakeAuvo

    with pytest.raises(RequestValidationError) as info:
        AuvoCustomer(name="X", cpfcnpj="1")
    assert info.value.field == "cpfcnpj"
    assert "did you mean 'cpf_cnpj'" in info.value.reason
    fake = FakeAuvo()
    with fake.client() as auvo, pytest.raises(RequestValidationError):
        auvo.customers.create({"name": "X", "bogus": 1})
    assert not [r for r in fake.requests if r.method == "POST" and "customers" in r.path]
