"""Automations with Bling: the records and actions Bling declares, the shipped examples 1
(an approved order -> an Auvo task) and 4 (an Auvo customer -> a Bling contact), the
payload an order gives, and each kind of mistake in a declaration over an order."""

from __future__ import annotations

import tomllib
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from bling.models import Contato, PedidoVenda, Produto
from bridge.automations import (
    Action,
    AllOf,
    Automation,
    Condition,
    Event,
    Lookup,
    TemplateError,
    Trigger,
    Writes,
    automations_from_toml,
    automations_to_toml,
    build_payload,
    check,
    filters_pass,
    trigger_fires,
)
from bridge.automations.paths import as_record
from bridge.config import parse_duration
from bridge.erp.bling import KIND
from bridge.errors import ConfigError

EXAMPLES = """
[[automations]]
name = "approved Bling order -> Auvo visit"
trigger = { system = "bling", record = "pedido_venda", field = "situacao.id", to = 9 }
filters = [ ["total", ">", "100.00"], ["contato.tipoPessoa", "=", "J"] ]
action = { system = "auvo", do = "create_task" }

[automations.map]
customerId = { lookup = "customer" }
taskType = 12
taskDate = "{dataPrevista|date:%Y-%m-%dT08:00:00}"
orientation = "Pedido {numero}: {itens[*].descricao|join:, }"

[[automations]]
name = "Auvo contract customer -> Bling contact"
trigger = { system = "auvo", record = "customer", on = "created", lookback = "30d" }
filters = [ ["groupsId", "contains", 3], ["cpfCnpj", "is not empty"] ]
action = { system = "bling", do = "create_customer" }

[automations.map]
nome = "{description}"
numeroDocumento = "{cpfCnpj|digits}"
email = "{email[0]}"
tiposContato = [ { id = 1234, descricao = "Auvo" } ]
"""


def load(text: str) -> tuple[Automation, ...]:
    return automations_from_toml(tomllib.loads(text), read_duration=parse_duration)


def test_bling_declares_its_records_and_actions_with_the_clients_models() -> None:
    surface = KIND.automations
    assert surface.records == {"contato": Contato, "pedido_venda": PedidoVenda, "produto": Produto}
    assert surface.actions["create_customer"] == Writes("contato", Contato)
    assert surface.actions["create_sale"] == Writes("pedido_venda", PedidoVenda)
    assert Trigger("bling", "pedido_venda").model is PedidoVenda
    assert Action("bling", "create_customer").model is Contato
    assert Action("bling", "set_status", record="pedido_venda", status=9).model is PedidoVenda


def test_declared_automations_load_and_check_against_the_models() -> None:
    automations = load(EXAMPLES)
    assert [a.action.kind for a in automations] == ["create_task", "create_customer"]
    for automation in automations:
        check(automation)
    first = automations[0]
    assert first.trigger == Trigger("bling", "pedido_venda", field="situacao.id", to=9)
    assert automations[1].trigger.lookback == timedelta(days=30)
    assert first.trigger.on is Event.FIELD_CHANGED
    assert first.action.target == "task"


def test_the_same_automation_from_python() -> None:
    from_python = Automation(
        "approved Bling order -> Auvo visit",
        trigger=Trigger("bling", "pedido_venda", field="situacao.id", to=9),
        filters=[Condition("total", ">", "100.00"), Condition("contato.tipoPessoa", "=", "J")],
        field_map={
            "customerId": Lookup("customer"),
            "taskType": 12,
            "taskDate": "{dataPrevista|date:%Y-%m-%dT08:00:00}",
            "orientation": "Pedido {numero}: {itens[*].descricao|join:, }",
        },
        action=Action("auvo", "create_task"),
    )
    assert from_python == load(EXAMPLES)[0]


def test_toml_round_trip_of_the_examples() -> None:
    automations = load(EXAMPLES)
    written = automations_to_toml(automations)
    assert load(written) == automations
    assert automations_to_toml(load(written)) == written


# -- an order through an automation -------------------------------------------------------

ORDER = {
    "id": 41,
    "numero": 1041,
    "total": Decimal("1500.00"),
    "dataPrevista": date(2024, 6, 3),
    "contato": {"id": 7, "nome": "Frio Bom Ltda", "numeroDocumento": "12.345.678/0001-90"},
    "situacao": {"id": 9},
    "itens": [
        {"codigo": "SPL-9", "descricao": "Split 9000", "quantidade": Decimal("2")},
        {"codigo": "INST", "descricao": "Instalação", "quantidade": Decimal("1")},
    ],
}


def visit(**field_map: Any) -> Automation:
    return Automation(
        "order -> visit",
        trigger=Trigger("bling", "pedido_venda", field="situacao.id", to=9),
        filters=[Condition("total", ">=", "1000")],
        field_map=field_map,
        action=Action("auvo", "create_task"),
    )


def resolve(lookup: Lookup, record: Any, key: Any) -> Any:
    """A resolver as the runner gives one: the links the bridge keeps, here by hand."""
    if lookup.record == "customer":
        return {7: 9001}[record["contato"]["id"]]
    return f"auvo-{key}"


def test_the_payload_of_the_first_example() -> None:
    automation = visit(
        customerId=Lookup("customer"),
        taskDate="{dataPrevista|date:%Y-%m-%dT08:00:00}",
        orientation="Pedido {numero}: {itens[*].descricao|join:, }",
        externalId="bling-{id}",
        taskType=12,
        expense="{total}",
        note="{observacoes}",
    )
    assert filters_pass(automation, ORDER)
    assert build_payload(automation, ORDER, resolve) == {
        "customerId": 9001,
        "taskDate": "2024-06-03T08:00:00",
        "orientation": "Pedido 1041: Split 9000, Instalação",
        "externalId": "bling-41",
        "taskType": 12,
        "expense": Decimal("1500.00"),  # a lone path keeps the type; a missing one is left out
    }


def test_each_maps_one_item_per_source_item_and_targets_nest() -> None:
    automation = visit(
        **{
            "taskProducts": {
                "each": "itens[*]",
                "map": {
                    "productId": {"lookup": "product", "by": "codigo"},
                    "quantity": "{quantidade}",
                },
            },
            "customer.document": "{contato.numeroDocumento|digits}",
        }
    )
    assert build_payload(automation, ORDER, resolve) == {
        "taskProducts": [
            {"productId": "auvo-SPL-9", "quantity": Decimal("2")},
            {"productId": "auvo-INST", "quantity": Decimal("1")},
        ],
        "customer": {"document": "12345678000190"},
    }


def test_a_pydantic_record_and_a_python_function() -> None:
    order = PedidoVenda.model_validate(ORDER)
    automation = visit(orientation=lambda record: f"{len(record['itens'])} itens")
    assert build_payload(automation, order, resolve) == {"orientation": "2 itens"}


def test_a_template_that_cannot_render_fails_the_action() -> None:
    automation = visit(taskDate="{contato.nome|date:%d/%m/%Y}")
    with pytest.raises(TemplateError, match="'Frio Bom Ltda' is not a date"):
        build_payload(automation, ORDER, resolve)


def test_an_order_reaching_a_status_fires_once() -> None:
    reached = Trigger("bling", "pedido_venda", field="situacao.id", to=9)
    assert trigger_fires(reached, None, {"situacao": {"id": 9}})
    assert trigger_fires(reached, {"situacao": {"id": 6}}, {"situacao": {"id": 9}})
    assert not trigger_fires(reached, {"situacao": {"id": 9}}, {"situacao": {"id": 9}})
    assert not trigger_fires(reached, None, {"situacao": {"id": 6}})


def test_a_pydantic_model_is_read_by_wire_names() -> None:
    order = PedidoVenda.model_validate(
        {"total": "150.00", "dataPrevista": "2024-06-01", "contato": {"tipoPessoa": "J"}}
    )
    record = as_record(order)
    assert Condition("contato.tipoPessoa", "equals", "J").holds(record)
    assert Condition("dataPrevista", ">=", "2024-06-01").holds(record)
    assert Condition("total", "greater_than", "100").holds(record)


# -- mistakes in a declaration over an order -----------------------------------------------

ONE = """
[[automations]]
name = "one"
trigger = { system = "bling", record = "pedido_venda", field = "situacao.id", to = 9 }
filters = [ ["total", ">", "100.00"] ]
action = { system = "auvo", do = "create_task" }

[automations.map]
orientation = "Pedido {numero}"
"""


def mistake(old: str, new: str) -> str:
    assert old in ONE
    return ONE.replace(old, new)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            mistake('["total", ">", "100.00"]', '["total", "~", "100.00"]'),
            "automation 'one': filters[0]: unknown operator '~'; use one of =, !=, in",
        ),
        (
            mistake('system = "bling"', 'system = "omie"'),
            "automation 'one': trigger.system: 'omie' is not one of contaazul, bling, auvo",
        ),
        (
            mistake('record = "pedido_venda"', 'record = "pedido"'),
            "automation 'one': trigger.record: 'pedido' is not one of contato, pedido_venda",
        ),
        (
            mistake('do = "create_task"', 'do = "create_sale"'),
            "automation 'one': action.do: 'create_sale' is not one of create_customer",
        ),
        (
            mistake('"Pedido {numero}"', '"Pedido {numero|bold}"'),
            "automation 'one': map.orientation: template 'Pedido {numero|bold}': "
            "unknown transform 'bold'",
        ),
        (
            mistake('name = "one"\n', ""),
            "automation: automations[0].name: every automation needs a name",
        ),
        (ONE + ONE, "automation 'one': name: two automations have this name"),
        (
            mistake('filters = [ ["total", ">", "100.00"] ]', 'filter = [ ["total", ">", 1] ]'),
            "automation 'one': unknown key 'filter'; expected action, filters, map, name",
        ),
        (
            mistake('["total", ">", "100.00"]', '["total", ">", "1", "2"]'),
            "automation 'one': filters[0]: a condition is [path, operator, value]",
        ),
        (
            mistake('["total", ">", "100.00"]', "{ either = [] }"),
            "automation 'one': filters[0]: expected [path, operator, value] or { all",
        ),
        (
            mistake('["total", ">", "100.00"]', '["situacao.id", "in", 9]'),
            "automation 'one': filters[0]: 'in' needs a list of values",
        ),
        (
            mistake("to = 9 }", 'to = 9, lookback = "a week" }'),
            "automation 'one': trigger.lookback: 'a week' is not a duration",
        ),
        (
            mistake('field = "situacao.id", to = 9', 'on = "created", to = 9'),
            "automation 'one': trigger: field and to go with on = 'field_changed'",
        ),
        (
            mistake('"Pedido {numero}"', '{ lookup = "product" }'),
            "automation 'one': map.orientation.lookup: a product lookup needs by = PATH",
        ),
        (
            mistake('"Pedido {numero}"', '{ each = "itens", map = {} }'),
            "automation 'one': map.orientation.each: 'itens' needs a [*] over a list",
        ),
        (
            mistake('action = { system = "auvo", do = "create_task" }', 'action = "auvo"'),
            "automation 'one': action: must be a table",
        ),
        (
            mistake('do = "create_task"', 'do = "set_status", record = "task"'),
            "automation 'one': action.status: set_status needs the status",
        ),
    ],
)
def test_each_kind_of_mistake_names_the_automation_where_and_why(text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load(text)
    assert str(caught.value).startswith(message), str(caught.value)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            '["total", ">", "100.00"]',
            '["totl", ">", "100.00"]',
            "automation 'one': filters[0]: 'totl': bling pedido_venda (PedidoVenda) has "
            "no field 'totl'; did you mean 'total'?",
        ),
        (
            '["total", ">", "100.00"]',
            '["contato.tipoPesoa", "=", "J"]',
            "has no field 'tipoPesoa' under 'contato'; did you mean 'contato.tipoPessoa'?",
        ),
        (
            '["total", ">", "100.00"]',
            '["data_prevista", "<", 2024-06-01]',
            "no field 'data_prevista'; it is 'dataPrevista' by its wire name",
        ),
        (
            '["total", ">", "100.00"]',
            '["itens.codigo", "=", "A"]',
            "'itens.codigo': 'itens' is a list; write itens[*].codigo or [0]",
        ),
        (
            '["total", ">", "100.00"]',
            '["total", ">", "cem"]',
            "filters[0]: total >: 'cem' is not an amount, and the field is decimal",
        ),
        (
            '["total", ">", "100.00"]',
            '["dataPrevista", "=", "tomorrow"]',
            "'tomorrow' is not a date, and the field is date",
        ),
        (
            '"Pedido {numero}"',
            '"Pedido {numeroo}"',
            "map.orientation: 'numeroo': bling pedido_venda (PedidoVenda) has no field "
            "'numeroo'; did you mean 'numero', 'numeroLoja'",
        ),
        (
            "orientation = ",
            "orientacao = ",
            "map.orientacao: 'orientacao': auvo task (Task) has no field 'orientacao'; did you "
            "mean 'orientation'?",
        ),
        (
            "to = 9",
            'to = "nove"',
            "automation 'one': trigger.to: 'nove' is not an amount, and the field is integer",
        ),
        (
            'orientation = "Pedido {numero}"',
            'orientation = { each = "itens[*]", map = { x = "{codigo}" } }',
            "map.orientation: each makes a list, and 'orientation' is text",
        ),
        (
            'orientation = "Pedido {numero}"',
            'attachments = { each = "itens[*]", map = { subtitle = "{codig}" } }',
            "map.attachments.map.subtitle: 'codig': bling pedido_venda (PedidoVenda) has no "
            "field 'codig'; did you mean 'codigo'?",
        ),
    ],
)
def test_a_wrong_path_names_the_automation_the_path_and_the_closest_names(
    old: str, new: str, message: str
) -> None:
    (automation,) = load(mistake(old, new))
    with pytest.raises(ConfigError) as caught:
        check(automation)
    assert message in str(caught.value), str(caught.value)
    assert str(caught.value).startswith("automation 'one': ")


def test_values_keep_their_toml_types() -> None:
    (automation,) = load(mistake('["total", ">", "100.00"]', '["dataPrevista", ">=", 2024-06-01]'))
    assert automation.filters == AllOf(Condition("dataPrevista", ">=", date(2024, 6, 1)))
    assert Condition("total", ">", Decimal("1")).value == Decimal("1")
