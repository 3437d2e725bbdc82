"""What each ERP declares for automations (``AutomationSurface``: the fields an action keeps
for itself, the statuses ``set_status`` can set, the models a lookup's ``take`` names), as
the settings' checks read it when the file loads and as the ERP's I/O reads it when an action
runs: one declaration for both."""

from __future__ import annotations

import pytest

from bridge import BridgeConfig, ConfigError
from bridge.automation_surface import Statuses
from bridge.erp.bling import AUTOMATIONS as BLING
from bridge.erp.contaazul import AUTOMATIONS as CONTA_AZUL
from sdkcore import RequestValidationError

from ..conftest import erp_table
from .test_bling_automation_io import CUSTOMER, Side

FROM_AUVO = """
[[automations]]
name = "a"
trigger = {{ system = "auvo", record = "customer", on = "created" }}
action = {{ system = "{erp}", do = "{do}"{extra} }}

[automations.map]
{field_map}
"""


def automation(erp: str, do: str, field_map: str, extra: str = "") -> str:
    """Settings for ``erp`` with one automation from an Auvo customer to ``do`` there."""
    text = FROM_AUVO.format(erp=erp, do=do, extra=extra, field_map=field_map)
    return erp_table(erp) + text


def loads(erp: str, do: str, field_map: str, extra: str = "") -> None:
    assert BridgeConfig.from_toml(automation(erp, do, field_map, extra)).automations


def refused(erp: str, do: str, field_map: str, extra: str = "") -> str:
    with pytest.raises(ConfigError) as info:
        BridgeConfig.from_toml(automation(erp, do, field_map, extra))
    message = str(info.value)
    assert message.startswith("automation 'a': "), message
    return message.removeprefix("automation 'a': ")


@pytest.fixture
def bling() -> Side:
    return Side()


# -- fields an action keeps for itself -----------------------------------------------------


@pytest.mark.parametrize(
    ("erp", "do", "field_map", "reason"),
    [
        (
            "bling",
            "create_customer",
            'nome = "{description}"\ncodigo = "{id}"',
            "map.codigo: 'codigo' carries the automation's reference, by which a "
            "create_customer whose answer was lost is found again; a map cannot write it",
        ),
        (
            "bling",
            "create_customer",
            'nome = "{description}"\nid = "{id}"',
            "map.id: 'id' is the id bling gives the new contato; a map cannot write it",
        ),
        (
            "bling",
            "create_sale",
            'numeroLoja = "{id}"',
            "map.numeroLoja: 'numeroLoja' carries the automation's reference, by which a "
            "create_sale whose answer was lost is found again; a map cannot write it",
        ),
        (
            "contaazul",
            "create_customer",
            'nome = "{description}"\ncodigo = "{id}"',
            "map.codigo: 'codigo' carries the automation's reference, by which a "
            "create_customer whose answer was lost is found again; a map cannot write it",
        ),
    ],
    ids=["bling contact's codigo", "bling contact's id", "bling order's numeroLoja", "ca codigo"],
)
def test_a_map_to_a_field_the_action_keeps_is_refused(
    erp: str, do: str, field_map: str, reason: str
) -> None:
    assert refused(erp, do, field_map) == reason


def test_an_update_names_its_record_by_an_id_the_model_marks_read_only() -> None:
    """Bling's ``Contato.id`` is read-only: a create may not write it, an update needs it."""
    loads("bling", "update_customer", 'id = "{externalId}"\nnome = "{description}"')
    loads("contaazul", "update_customer", 'id = "{externalId}"\nnome = "{description}"')


def test_the_io_refuses_what_the_declaration_reserves(bling: Side) -> None:
    """At run time too (an automation from Python that skipped the config): Bling gives ids."""
    assert "id" in BLING.reserved_fields["create_customer"]
    with pytest.raises(RequestValidationError) as info:
        bling.io.act(CUSTOMER, {"nome": "X", "tipo": "F", "id": 7}, "auto:a:1@1", None)
    assert info.value.field == "id"
    assert bling.calls == 0


# -- set_status ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("erp", "record", "status"),
    [
        ("bling", "pedido_venda", "9"),
        ("bling", "pedido_venda", '"9"'),
        ("bling", "contato", '"i"'),
        ("contaazul", "pessoa", '"inativo"'),
        ("contaazul", "venda", '" APROVADO "'),
    ],
)
def test_a_status_the_erp_can_set_loads(erp: str, record: str, status: str) -> None:
    loads(erp, "set_status", 'id = "{externalId}"', f', record = "{record}", status = {status}')


@pytest.mark.parametrize(
    ("erp", "record", "status", "reason"),
    [
        (
            "bling",
            "produto",
            '"I"',
            "action.record: bling sets the status of a pedido_venda or a contato, not of a produto",
        ),
        (
            "bling",
            "pedido_venda",
            '"aprovado"',
            "action.status: a pedido_venda's status is the id of a situação of Bling's sales "
            "module, not 'aprovado'",
        ),
        (
            "bling",
            "contato",
            '"X"',
            "action.status: a contato's status is one of 'A', 'I', 'E', 'S', not 'X'",
        ),
        (
            "contaazul",
            "conta_receber",
            '"QUITADO"',
            "action.record: contaazul sets the status of a pessoa or a venda, "
            "not of a conta_receber",
        ),
        (
            "contaazul",
            "venda",
            '"PAGO"',
            "action.status: a venda's status is one of 'EM_ANDAMENTO', 'APROVADO', "
            "'FATURADO', 'CANCELADO', not 'PAGO'",
        ),
    ],
)
def test_a_status_the_erp_cannot_set_is_refused(
    erp: str, record: str, status: str, reason: str
) -> None:
    extra = f', record = "{record}", status = {status}'
    assert refused(erp, "set_status", 'id = "{externalId}"', extra) == reason


def test_a_status_is_picked_as_the_erp_spells_it() -> None:
    """What the I/O sends: the declared spelling, or the number."""
    assert CONTA_AZUL.statuses["venda"].pick(" aprovado ") == "APROVADO"
    assert BLING.statuses["contato"].pick("i") == "I"
    assert BLING.statuses["pedido_venda"].pick("9") == 9
    for wrong in (0, -3, "9a", True, None, 9.0):
        assert BLING.statuses["pedido_venda"].pick(wrong) is None
    flag = Statuses(("active", "inactive"), flags=True)
    assert (flag.pick(True), flag.pick(False), flag.pick(1)) == ("active", "inactive", None)


# -- lookups -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("erp", "do", "field_map", "reason"),
    [
        (
            "bling",
            "create_sale",
            'observacoes = { lookup = "product", by = "externalId", take = "nomee" }',
            "map.observacoes.take: 'nomee': bling product (Produto) has no field 'nomee'; "
            "did you mean 'nome'?",
        ),
        (
            "contaazul",
            "create_sale",
            'observacoes = { lookup = "service", by = "externalId", take = "preço" }',
            "map.observacoes.take: 'preço': contaazul service (Servico) has no field 'preço'; "
            "did you mean 'preco'?",
        ),
        (
            "contaazul",
            "create_sale",
            'observacoes = { lookup = "product", by = "externalId", take = "preco" }',
            "map.observacoes.take: 'preco': contaazul product (ProdutoResumo) has no field 'preco'",
        ),
    ],
    ids=["bling product", "ca service", "ca product"],
)
def test_a_take_that_names_no_field_of_what_the_lookup_finds_is_refused(
    erp: str, do: str, field_map: str, reason: str
) -> None:
    assert refused(erp, do, field_map).startswith(reason)


def test_a_take_the_lookup_finds_loads() -> None:
    loads("bling", "create_sale", 'observacoes = { lookup = "service", by = "id", take = "preco" }')
    loads(
        "contaazul",
        "create_sale",
        'observacoes = { lookup = "product", by = "id", take = "valor_venda" }',
    )
