"""The catalogue derived from the models, and an automation applied to records: when its
trigger fires. The payload of the first shipped example, built from an ERP's order, is with
that ERP's tests (``tests/bridge/erp/test_<kind>_automations.py``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel

from bridge.automations import (
    Action,
    Automation,
    CatalogueField,
    Condition,
    Trigger,
    catalogue,
    check,
    surface,
    systems,
    trigger_fires,
)
from sdkcore import APIModel
from sdkcore.wire import field_wire_name


class Line(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
    product_code: str | None = None
    amount: Decimal | None = None


class Order(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)
    id: int
    due: date | None = None
    lines: list[Line] = []
    tags: list[str] | None = None
    extra: dict[str, Any] | None = None
    parent: Order | None = Field(None, alias="parentOrder")


def test_the_catalogue_lists_every_path_with_its_type() -> None:
    assert catalogue(Order) == (
        CatalogueField("id", "integer"),
        CatalogueField("due", "date"),
        CatalogueField("lines", "list of tables"),
        CatalogueField("lines[*]", "table"),
        CatalogueField("lines[*].productCode", "text"),
        CatalogueField("lines[*].amount", "decimal"),
        CatalogueField("tags", "list of text"),
        CatalogueField("extra", "table"),
        CatalogueField("parentOrder", "table"),  # contains itself: listed once
    )


def test_the_catalogue_follows_the_model() -> None:
    class Wider(Order):
        installer: str | None = None

    assert CatalogueField("installer", "text") in catalogue(Wider)
    assert CatalogueField("installer", "text") not in catalogue(Order)


def _leaf(path: str, paths: list[str]) -> bool:
    return "[" not in path and not any(other.startswith(f"{path}.") for other in paths)


RECORDS = [
    (system, record) for system in systems() for record in surface(system, "trigger.system").records
]
"""Every record a trigger can watch, in every system."""


@pytest.mark.parametrize(("system", "record"), RECORDS, ids=lambda value: str(value))
def test_every_catalogued_path_passes_the_check(system: str, record: str) -> None:
    """Every path as a source; every leaf as a destination in the record's own model, but
    those the system sets itself (read-only), which a map may not write."""
    model = Trigger(system, record).model
    paths = [field.path for field in catalogue(model)]
    assert len(paths) > 20
    assert issubclass(model, APIModel)  # the clients' models, which mark what is read-only
    set_by_system = {field_wire_name(model, name) for name in model.read_only_fields()}
    automation = Automation(
        "all paths",
        trigger=Trigger(system, record),
        filters=[Condition(path, "is not empty") for path in paths],
        field_map={
            path: f"{{{path}}}"
            for path in paths
            if _leaf(path, paths) and path not in set_by_system
        },
        action=Action(system, "update_customer"),  # any action that writes through a map
    )
    check(automation, action_model=model)


def test_when_a_trigger_fires() -> None:
    any_change = Trigger("auvo", "task", field="taskType")
    assert trigger_fires(any_change, {"taskType": 1}, {"taskType": 2})
    assert not trigger_fires(any_change, {"taskType": 1}, {"taskType": 1})
    assert not trigger_fires(any_change, None, {})
    created = Trigger("auvo", "customer", "created")
    assert trigger_fires(created, None, {"id": 1})
    assert not trigger_fires(created, {"id": 1}, {"id": 1})
    assert trigger_fires(Trigger("auvo", "customer"), {"id": 1}, {"id": 1})
