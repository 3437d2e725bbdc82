"""The model base and its field types for money, dates and instants."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Annotated

import pytest
from hypothesis import given, strategies as st
from pydantic import Field, ValidationError as PydanticValidationError

from sdkcore import (
    SAO_PAULO,
    APIModel,
    Date,
    Instant,
    Money,
    OptionalDate,
    OptionalInstant,
    OptionalMoney,
    RequestValidationError,
)
from sdkcore.models import (
    READ_ONLY,
    REQUIRED_ON_CREATE,
    EpochMsInstant,
    LocalInstant,
    MoneyText,
    OptionalEpochMsInstant,
)


class Address(APIModel):
    street: Annotated[str | None, REQUIRED_ON_CREATE] = None
    zip_code: str | None = Field(default=None, alias="zipCode")
    geo_id: Annotated[int | None, READ_ONLY] = None


class Item(APIModel):
    description: Annotated[str | None, REQUIRED_ON_CREATE] = None
    unit_price: Money = Field(default=Decimal(0), alias="unitPrice")


class Customer(APIModel):
    id: Annotated[int | None, READ_ONLY] = None
    name: Annotated[str | None, REQUIRED_ON_CREATE] = None
    document_number: str | None = Field(default=None, alias="documentNumber")
    balance: OptionalMoney = None
    credit_limit: MoneyText | None = Field(default=None, alias="creditLimit")
    birth_date: OptionalDate = Field(default=None, alias="birthDate")
    created_at: Annotated[OptionalInstant, READ_ONLY] = Field(default=None, alias="createdAt")
    address: Address | None = None
    items: list[Item] = Field(default_factory=list)
    tags: list[str] = Field(default_factory=list)


class Stamps(APIModel):
    due: Date
    at: Instant
    local: LocalInstant
    epoch: EpochMsInstant
    maybe_epoch: OptionalEpochMsInstant = None
    amount: Money


def test_to_wire_sends_only_what_was_set_with_wire_names() -> None:
    customer = Customer(name="Cliente A", document_number="123", balance=None)
    assert customer.to_wire() == {"name": "Cliente A", "documentNumber": "123", "balance": None}


def test_read_only_fields_are_never_sent() -> None:
    customer = Customer.model_validate(
        {"id": 5, "name": "A", "createdAt": "2024-01-02T03:04:05Z", "address": {"geo_id": 9}}
    )
    assert customer.id == 5
    assert customer.created_at == datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
    wire = customer.to_wire()
    assert wire == {"name": "A", "address": {}}
    assert Customer.read_only_fields() == frozenset({"id", "created_at"})


def test_to_wire_nested_models_lists_and_extras() -> None:
    customer = Customer.model_validate(
        {
            "name": "A",
            "address": {"street": "Rua 1", "zipCode": "01000-000"},
            "items": [{"description": "x", "unitPrice": "1.234,50"}, {"description": "y"}],
            "tags": ["vip"],
            "loyaltyLevel": "gold",
            "extraAmount": Decimal("2.50"),
            "extraWhen": date(2024, 5, 6),
            "extraNested": [{"a": Decimal("1.10")}],
            "extraModel": Address(street="Rua 2", geo_id=3),
        }
    )
    assert customer.to_wire() == {
        "name": "A",
        "address": {"street": "Rua 1", "zipCode": "01000-000"},
        "items": [{"description": "x", "unitPrice": 1234.5}, {"description": "y"}],
        "tags": ["vip"],
        "loyaltyLevel": "gold",
        "extraAmount": 2.5,
        "extraWhen": "2024-05-06",
        "extraNested": [{"a": 1.1}],
        "extraModel": {"street": "Rua 2"},
    }


def test_unknown_fields_are_kept_on_read() -> None:
    customer = Customer.model_validate({"name": "A", "brandNew": {"x": 1}})
    assert customer.model_extra == {"brandNew": {"x": 1}}


def test_money_fields_in_json() -> None:
    customer = Customer(name="A", balance="R$ 1.234,56", credit_limit=Decimal("10.50"))
    data = json.loads(customer.model_dump_json(by_alias=True))
    assert data["balance"] == 1234.56
    assert data["creditLimit"] == "10.50"
    assert customer.balance == Decimal("1234.56")
    assert json.loads(Customer(balance=None).model_dump_json())["balance"] is None
    assert Customer(balance="  ").balance is None
    assert Customer(name="A", balance=None).to_wire() == {"name": "A", "balance": None}


def test_bad_money_is_a_validation_error_naming_the_field() -> None:
    with pytest.raises(RequestValidationError, match="balance"):
        Customer(balance="1.2.3,4,5")
    with pytest.raises(RequestValidationError, match="ambiguous"):
        Customer(balance="1.234")


def test_check_required_names_the_field_by_its_wire_name() -> None:
    with pytest.raises(RequestValidationError) as info:
        Customer().to_wire(for_create=True)
    assert info.value.field == "name"
    with pytest.raises(RequestValidationError):
        Customer(name="").check_required()


def test_check_required_names_nested_fields() -> None:
    with pytest.raises(RequestValidationError) as info:
        Customer(name="A", address=Address(zip_code="1")).to_wire(for_create=True)
    assert info.value.field == "address.street"
    with pytest.raises(RequestValidationError) as info:
        Customer(name="A", items=[Item(description="ok"), Item()]).to_wire(for_create=True)
    assert info.value.field == "items[1].description"
    assert "required" in str(info.value)
    ok = Customer(name="A", items=[Item(description="ok")], address=Address(street="R"))
    assert ok.to_wire(for_create=True)["items"] == [{"description": "ok"}]
    assert Customer.required_on_create() == frozenset({"name"})


def test_coerce_accepts_models_and_dicts() -> None:
    model = Customer(name="A")
    assert Customer.coerce(model) is model
    assert Customer.coerce({"documentNumber": "1", "name": "B"}).document_number == "1"
    assert Customer.coerce({"document_number": "2"}).document_number == "2"
    with pytest.raises(RequestValidationError) as info:
        Customer.coerce({"name": "A", "items": [{"unitPrice": "abc"}]})
    assert info.value.field == "items.0.unitPrice"
    with pytest.raises(RequestValidationError, match="expected Customer"):
        Customer.coerce(42)  # type: ignore[arg-type]


def test_date_and_instant_fields() -> None:
    stamps = Stamps.model_validate(
        {
            "due": "15/01/2024",
            "at": "2024-01-15 10:30:00",
            "local": "2024-01-15T13:30:00Z",
            "epoch": 1705325400000,
            "amount": 80.02,
        }
    )
    assert stamps.due == date(2024, 1, 15)
    assert stamps.at == datetime(2024, 1, 15, 10, 30, tzinfo=SAO_PAULO)
    assert stamps.amount == Decimal("80.02")
    data = json.loads(stamps.model_dump_json())
    assert data == {
        "due": "2024-01-15",
        "at": "2024-01-15T10:30:00-03:00",
        "local": "2024-01-15 10:30:00",
        "epoch": 1705325400000,
        "maybe_epoch": None,
        "amount": 80.02,
    }
    assert Stamps.model_validate(data) == stamps


@pytest.mark.parametrize("empty", [None, "", "0001-01-01", "0001-01-01T00:00:00", "  "])
def test_optional_dates_and_instants_read_no_date_as_none(empty: str | None) -> None:
    customer = Customer.model_validate({"birthDate": empty, "createdAt": empty})
    assert customer.birth_date is None
    assert customer.created_at is None


def test_bad_dates_are_validation_errors() -> None:
    with pytest.raises(PydanticValidationError, match="birthDate"):
        Customer.model_validate({"birthDate": "2024-02-30"})
    with pytest.raises(PydanticValidationError):
        Stamps.model_validate({"due": "x", "at": "x", "local": "x", "epoch": "x", "amount": 1})


cents = st.decimals(
    min_value=Decimal("-1000000000"), max_value=Decimal("1000000000"), places=2, allow_nan=False
)
instants = st.datetimes(
    min_value=datetime(2020, 1, 1), max_value=datetime(2099, 12, 31), timezones=st.just(UTC)
)


@given(
    amount=cents,
    due=st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)),
    at=instants,
    local=instants,
    epoch=instants,
    text=st.text(max_size=20),
)
def test_model_to_wire_json_to_model_round_trip(
    amount: Decimal, due: date, at: datetime, local: datetime, epoch: datetime, text: str
) -> None:
    class Sale(APIModel):
        total: Money
        total_text: MoneyText = Field(alias="totalText")
        due: Date
        at: Instant
        local: LocalInstant
        epoch: EpochMsInstant
        note: str = ""

    epoch = epoch.replace(microsecond=epoch.microsecond // 1000 * 1000)  # ms on the wire
    local = local.replace(microsecond=0)  # seconds on the wire
    sale = Sale(
        total=amount, total_text=amount, due=due, at=at, local=local, epoch=epoch, note=text
    )
    wire = json.dumps(sale.to_wire())
    back = Sale.model_validate_json(wire)
    assert back == sale
    assert back.total == amount
    assert back.local.utcoffset() == timedelta(hours=-3)


def test_round_trip_helper_types_are_reused() -> None:
    # Markers are plain metadata, visible for tools that inspect models.
    assert repr(READ_ONLY) == "READ_ONLY"
    assert repr(REQUIRED_ON_CREATE) == "REQUIRED_ON_CREATE"
