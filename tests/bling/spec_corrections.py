"""Where Bling's OpenAPI description disagrees with Bling, recorded once and used by every
conformance test. Each entry says what the spec claims and what the API does."""

from __future__ import annotations

from typing import Any

NOT_REQUIRED_ON_WRITE: dict[str, frozenset[str]] = {
    # The spec marks server-assigned ids required in request bodies; creates never carry them.
    "ContatosDadosBaseDTO": frozenset({"id", "situacao"}),
    "CategoriasProdutosDadosDTO": frozenset({"id"}),
    "VendasItemDTO": frozenset({"id", "valorLista"}),
    "VendasParcelaDTO": frozenset({"id"}),
    "VendasContatoDTO": frozenset({"nome"}),
    "VendasDadosBaseDTO": frozenset({"dataSaida", "dataPrevista"}),
    "VendasDadosBaseDTO_PUT": frozenset({"dataSaida", "dataPrevista"}),
    # Balances and bank data are computed by Bling, not sent on a create.
    "ContasReceberDadosBaseDTO": frozenset(
        {"vencimentoOriginal", "numeroBanco", "borderos", "saldo"}
    ),
    "ContasPagarDadosDTO": frozenset({"vencimentoOriginal", "numeroBanco", "borderos"}),
    "ContasDadosBaseDTO": frozenset({"situacao"}),
}

REQUIRED_FIXES: dict[str, list[str]] = {
    # ErrorResponse lists dotted names ("error.type") that are not properties at all.
    "ErrorResponse": [],
}

PROPERTY_FIXES: dict[str, dict[str, Any]] = {
    # The base schema says one object; the schema extending it (and Bling) say a list.
    "ProdutosLojasDadosBaseDTO": {
        "categoriasProdutos": {
            "type": "array",
            "items": {"$ref": "#/components/schemas/ProdutosLojasCategoriaDTO"},
        }
    },
}

LIST_RESPONSES: frozenset[tuple[str, str]] = frozenset(
    {
        # The spec gives GET /vendedores a single object under "data"; Bling sends a list.
        ("GET", "/vendedores"),
    }
)

UNWRAPPED_IN_SPEC: frozenset[tuple[str, str]] = frozenset(
    {
        # The spec omits the {"data": ...} envelope here; the client accepts both shapes.
        ("POST", "/contas/pagar"),
        ("PUT", "/contas/pagar/{idContaPagar}"),
        ("GET", "/propostas-comerciais/{idPropostaComercial}"),
        ("GET", "/contas/receber/boletos"),
        ("POST", "/contas/receber/{idContaReceber}/baixar"),
        ("POST", "/contas/pagar/{idContaPagar}/baixar"),
    }
)

EXAMPLES_OF_THE_WRONG_TYPE = (
    # Some property examples contradict their own schema (text in an integer such as
    # ProdutosCampoCustomizadoDTO.idVinculo, numbers as strings such as itensPorCaixa,
    # a list for the object ProdutosLojas...categoriasProdutos). Synthesised request bodies
    # skip such examples and use a value of the declared type; responses keep them, since
    # Bling sends what the examples show and the models read both.
)

SPEC_SERVER_NOTE = (
    "securitySchemes point at https://bling.com.br/Api/v3/oauth/*; Bling's OAuth pages use "
    "www.bling.com.br for authorize and api.bling.com.br for token, which the client uses."
)


def corrected_schema(name: str, schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (a component named ``name``) with the corrections above applied."""
    fixed = dict(schema)
    if name in REQUIRED_FIXES:
        fixed["required"] = REQUIRED_FIXES[name]
    if name in PROPERTY_FIXES:
        fixed["properties"] = {**fixed.get("properties", {}), **PROPERTY_FIXES[name]}
    drop = NOT_REQUIRED_ON_WRITE.get(name)
    if drop and "required" in fixed:
        fixed["required"] = [r for r in fixed["required"] if r not in drop]
    return fixed
