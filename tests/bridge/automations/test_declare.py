"""Declaring automations in TOML and in Python: the systems each come from their own
declaration, a declaration round-trips through TOML, and an error names the automation,
where and why. The shipped examples and the mistakes in a declaration over an ERP's record
are with that ERP's tests (``tests/bridge/erp/test_<kind>_automations.py``)."""

from __future__ import annotations

import re
import tomllib
from typing import Any

import pytest
from hypothesis import given, strategies as st

from auvo.models import Customer, Quotation, Task
from bridge.automations import (
    AUVO,
    Action,
    AllOf,
    AnyOf,
    Automation,
    AutomationError,
    Condition,
    Const,
    Each,
    Lookup,
    Source,
    Trigger,
    automations_from_toml,
    automations_to_toml,
    check,
    surface,
    systems,
)
from bridge.auvo_side import AUTOMATIONS as AUVO_AUTOMATIONS
from bridge.config import parse_duration
from bridge.erp.registry import erp_kind, erp_names


def load(text: str) -> tuple[Automation, ...]:
    return automations_from_toml(tomllib.loads(text), read_duration=parse_duration)


def test_the_systems_are_the_registrys_erps_that_offer_automations_and_auvo() -> None:
    offering = [name for name in erp_names() if erp_kind(name).automations.offered]
    assert len(offering) >= 2  # today's ERPs: issue 15's triggers and actions
    assert systems() == (*offering, AUVO)
    for name in offering:
        assert surface(name, "trigger.system") is erp_kind(name).automations
    assert surface(AUVO, "trigger.system") is AUVO_AUTOMATIONS


def test_auvo_declares_customers_tasks_and_quotations_with_its_models() -> None:
    assert AUVO_AUTOMATIONS.records == {"customer": Customer, "task": Task, "quotation": Quotation}
    assert Trigger("auvo", "task").model is Task
    assert Action("auvo", "create_task").model is Task
    assert Action("auvo", "set_status", record="quotation", status=2).model is Quotation


@pytest.mark.parametrize("name", erp_names())
def test_an_erp_is_a_system_when_its_kind_offers_automations(name: str) -> None:
    offered = erp_kind(name).automations
    if offered.offered:
        record = next(iter(offered.records))
        assert Trigger(name, record).model is offered.records[record]
        for kind in offered.actions:
            status = 1 if offered.actions[kind] is None else None
            target = record if status else None
            assert Action(name, kind, target, status).model is not None
    else:
        with pytest.raises(AutomationError, match=re.escape(f"{name!r} is not one of")):
            Trigger(name, "anything")


def test_a_system_none_declares_lists_the_systems() -> None:
    shown = ", ".join(systems())
    with pytest.raises(AutomationError, match=re.escape(f"'omie' is not one of {shown}")):
        Trigger("omie", "task")
    with pytest.raises(AutomationError, match=re.escape(f"'omie' is not one of {shown}")):
        Action("omie", "create_task")


@pytest.mark.parametrize("system", systems())
def test_a_wrong_record_or_action_lists_what_the_system_declares(system: str) -> None:
    offered = surface(system, "trigger.system")
    records = ", ".join(offered.records)
    with pytest.raises(AutomationError, match=re.escape(f"'nope' is not one of {records}")):
        Trigger(system, "nope")
    actions = ", ".join(offered.actions)
    with pytest.raises(AutomationError, match=re.escape(f"'nope' is not one of {actions}")):
        Action(system, "nope")


scalars = st.one_of(
    st.integers(-(10**6), 10**6),
    st.text(max_size=8),
    st.booleans(),
    st.dates(),
    st.floats(allow_nan=False, allow_infinity=False),
)
conditions = st.one_of(
    st.builds(
        Condition,
        st.sampled_from(["total", "contato.nome", "itens[*].codigo", "itens[0].valor"]),
        st.sampled_from(["=", "!=", "contains", ">", "<=", "greater_than", "less_than"]),
        st.one_of(st.text(max_size=8), st.integers(), st.dates()),
    ),
    st.builds(Condition, st.just("x"), st.sampled_from(["in", "not in"]), st.lists(scalars)),
    st.builds(Condition, st.just("x"), st.sampled_from(["is empty", "is not empty"])),
)
filters = st.recursive(
    conditions,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: AllOf(*items)),
        st.lists(inner, max_size=3).map(lambda items: AnyOf(*items)),
    ),
    max_leaves=6,
)
entries = st.one_of(
    scalars.map(Const),
    st.sampled_from(["total", "itens[*].codigo", "a.b[2]"]).map(Source),
    st.sampled_from(["{numero|digits}-{{x}}", "{d|date:%d/%m/%Y|default:n/a}", "{a|join:; }"]),
    st.builds(Lookup, st.sampled_from(["customer", "product"]), st.just("itens[0].codigo")),
    st.just(Each("itens[*]", {"codigo": "{codigo}", "produto.id": Lookup("product", "codigo")})),
)


@given(
    st.text(min_size=1).filter(str.strip),
    filters,
    st.dictionaries(st.sampled_from(["a", "b.c", "b.d", "e-f", "g_h"]), entries),
)
def test_toml_round_trip_of_any_declaration(
    name: str, item: Any, field_map: dict[str, Any]
) -> None:
    automation = Automation(
        name,
        trigger=Trigger("auvo", "task", field="finished", to=True),
        filters=item,
        field_map=field_map,
        action=Action("auvo", "set_status", record="quotation", status=9),
    )
    assert load(automations_to_toml([automation])) == (automation,)


def test_python_functions_are_filters_and_map_entries_but_not_toml() -> None:
    automation = Automation(
        "python",
        trigger=Trigger("auvo", "customer", "created"),
        filters=lambda record: bool(record.get("active")),
        field_map={"description": lambda record: record["description"].title()},
        action=Action("auvo", "create_customer"),
    )
    check(automation)
    with pytest.raises(ValueError, match="a Python function cannot be written as TOML"):
        automations_to_toml([automation])


def test_python_declarations_fail_with_the_name_too() -> None:
    with pytest.raises(AutomationError, match=re.escape("automation 'py': map.x: template")):
        Automation(
            "py",
            trigger=Trigger("auvo", "task", "created"),
            field_map={"x": "{a|nope}"},
            action=Action("auvo", "create_customer"),
        )
    with pytest.raises(AutomationError, match="needs a name"):
        Automation(" ", trigger=Trigger("auvo", "task"), action=Action("auvo", "create_task"))
