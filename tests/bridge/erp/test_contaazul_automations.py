"""Automations with Conta Azul (today's API): the records and actions it declares, and the
shipped examples 2 (an installation sale -> an Auvo task) and 3 (a finished maintenance
task in Auvo -> a yearly contract)."""

from __future__ import annotations

import tomllib
from datetime import timedelta

from bridge.automations import (
    Action,
    Automation,
    Trigger,
    Writes,
    automations_from_toml,
    automations_to_toml,
    check,
)
from bridge.config import parse_duration
from bridge.erp.contaazul import KIND
from bridge.erp.contaazul_records import VendaComItens
from contaazul.v2.models import (
    ContaAReceber,
    ContratoCriacao,
    Pessoa,
    PessoaAtualizacao,
    Venda,
    VendaCriacao,
)

EXAMPLES = """
[[automations]]
name = "Conta Azul installation sale -> Auvo task"
trigger = { system = "contaazul", record = "venda", on = "created", lookback = "7d" }
filters = [ ["itens", "contains", "SERVICO"] ]
action = { system = "auvo", do = "create_task" }

[automations.map]
customerId = { lookup = "customer" }
taskDate = "{data|date:%Y-%m-%dT08:00:00}"
orientation = "Venda {numero} para {cliente.nome}: {itens}"

[[automations]]
name = "finished maintenance -> yearly contract"
trigger = { system = "auvo", record = "task", field = "finished", to = true }
filters = { any = [ ["taskType", "=", 7], ["taskTypeDescription", "contains", "manutenção"] ] }
action = { system = "contaazul", do = "create_contract" }

[automations.map]
id_cliente = { lookup = "customer" }
data_emissao = "{taskDate|date:%Y-%m-%d}"

[automations.map.termos]
tipo_frequencia = "ANUAL"
tipo_expiracao = "NUNCA"
data_inicio = "{taskDate|date:%Y-%m-%d}"

[automations.map.itens]
each = "services[*]"
map.id = { lookup = "service", by = "id" }
map.quantidade = "{quantity}"
map.valor = "{unitaryValue}"
"""


def load(text: str) -> tuple[Automation, ...]:
    return automations_from_toml(tomllib.loads(text), read_duration=parse_duration)


def test_conta_azul_declares_its_records_and_actions_with_the_clients_models() -> None:
    surface = KIND.automations
    assert surface.records == {
        "pessoa": Pessoa,
        "venda": VendaComItens,  # the list's Venda and its items
        "conta_receber": ContaAReceber,
    }
    assert issubclass(VendaComItens, Venda)
    assert surface.actions["create_customer"] == Writes("pessoa", PessoaAtualizacao)
    assert surface.actions["create_sale"] == Writes("venda", VendaCriacao)
    assert Trigger("contaazul", "venda").model is VendaComItens
    assert Action("contaazul", "create_contract").model is ContratoCriacao
    assert Action("contaazul", "create_contract").target == "contrato"


def test_declared_automations_load_and_check_against_the_models() -> None:
    automations = load(EXAMPLES)
    assert [a.action.kind for a in automations] == ["create_task", "create_contract"]
    for automation in automations:
        check(automation)
    assert automations[0].trigger.lookback == timedelta(days=7)
    assert automations[1].action.target == "contrato"


def test_toml_round_trip_of_the_examples() -> None:
    automations = load(EXAMPLES)
    written = automations_to_toml(automations)
    assert load(written) == automations
    assert automations_to_toml(load(written)) == written
