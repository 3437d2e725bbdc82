"""Every example of the commerce spec files parses into its model.

The five files (sales, inventory, proposal, contracts, scheduled-sales) give their examples
per property (and ``ExclusaoLote`` one whole); each object schema's examples are put
together into one body (every property set, arrays of one element) and read by the model
that reads that schema: every property must land on a field (none left in the extras), and
amounts keep the example's exact digits.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest
from pydantic import BaseModel

from contaazul.v2.models import (
    contratos as ct,
    orcamentos as o,
    produtos as p,
    vendas as v,
)

from .spec_corrections import load_spec

# Schemas that are an envelope or an error body: the pager or the error reader reads them.
NOT_MODELS = {
    ("contracts-openapi.yml", "ListagemContratoResponse"),
    ("scheduled-sales-openapi.yml", "ErroAPI"),
    ("proposal-openapi.yml", "ErroAPI"),
}

RENAMED = {
    ("sales-openapi.yml", "ExclusaoLote"): v.ExclusaoLoteVenda,
    ("sales-openapi.yml", "Item"): v.ItemDaVenda,
    ("sales-openapi.yml", "Totais"): v.TotaisItensVenda,
    ("sales-openapi.yml", "ComposicaoValor"): v.ComposicaoValorVenda,
    ("sales-openapi.yml", "CondicaoPagamento"): v.CondicaoPagamentoVenda,
    ("sales-openapi.yml", "Cliente"): v.ClienteVenda,
    ("sales-openapi.yml", "Contrato"): v.ContratoDaVenda,
    ("sales-openapi.yml", "Situacao"): v.SituacaoVenda,
    # contracts-openapi.yml's schemas, read by the one contract model (see models.contratos)
    ("contracts-openapi.yml", "ContratoToCreateRequest"): ct.ContratoCriacao,
    ("contracts-openapi.yml", "ComposicaoDeValor"): ct.ComposicaoValorContratoCriacao,
    ("contracts-openapi.yml", "Desconto"): ct.DescontoContratoCriacao,
    ("contracts-openapi.yml", "ContratoToCreateResponse"): ct.ContratoCriado,
    ("contracts-openapi.yml", "Termo"): ct.TermosContratoCriacao,
    ("contracts-openapi.yml", "CondicaoPagamento"): ct.CondicaoPagamentoContratoCriacao,
    ("contracts-openapi.yml", "Item"): ct.ItemContratoCriacao,
    ("contracts-openapi.yml", "ListagemContratoItemResponse"): ct.ContratoListado,
    ("contracts-openapi.yml", "ClienteContratoResponse"): ct.ClienteContrato,
    ("scheduled-sales-openapi.yml", "ClienteResumo"): ct.ClienteContrato,
    # models renamed from their spec schema names (Portuguese, no Request/Response)
    ("sales-openapi.yml", "ObterVendaResponse"): v.VendaDetalhe,
    ("sales-openapi.yml", "ListagemVendasResponse"): v.ListagemVendas,
    ("sales-openapi.yml", "ClientePegarVendaPorId"): v.ClienteVendaDetalhe,
    ("sales-openapi.yml", "CriacaoVendaRequest"): v.VendaCriacao,
    ("sales-openapi.yml", "ItemVendaRequest"): v.ItemVendaCriacao,
    ("sales-openapi.yml", "ItemKitRequest"): v.ItemKitCriacao,
    ("sales-openapi.yml", "ValorComposicaoRequest"): v.ComposicaoValorVendaCriacao,
    ("sales-openapi.yml", "CondicaoPagamentoRequest"): v.CondicaoPagamentoVendaCriacao,
    ("sales-openapi.yml", "ParcelaRequest"): v.ParcelaVendaCriacao,
    ("sales-openapi.yml", "CriacaoVendaResponse"): v.VendaCriada,
    ("sales-openapi.yml", "SituacaoResponse"): v.SituacaoVendaCriada,
    ("sales-openapi.yml", "TipoPendenciaResponse"): v.TipoPendenciaVendaCriada,
    ("sales-openapi.yml", "ComposicaoValorResponse"): v.ComposicaoValorVendaCriada,
    ("sales-openapi.yml", "DiscountMonolithTranslatedDTO"): v.DescontoVendaCriacao,
    ("sales-openapi.yml", "CondicaoPagamentoResponse"): v.CondicaoPagamentoVendaCriada,
    ("sales-openapi.yml", "ParcelaResponse"): v.ParcelaVendaCriada,
    ("sales-openapi.yml", "ExclusaoResponse"): v.ExclusaoVendas,
    ("sales-openapi.yml", "VendaParaEdicaoRequest"): v.VendaAtualizacao,
    ("sales-openapi.yml", "VendaEditadaResponse"): v.VendaAtualizada,
    ("inventory-openapi.yml", "ListagemDeProdutosPorFiltroResponse"): p.ListagemProdutos,
    ("inventory-openapi.yml", "CriacaoProdutoRequest"): p.ProdutoCriacao,
    ("inventory-openapi.yml", "ProdutoResponse"): p.ProdutoCriado,
    ("inventory-openapi.yml", "ProdutoDesativadoResponse"): p.ProdutoDesativado,
    ("inventory-openapi.yml", "EcommerceRequestProduto"): p.EcommerceCriacao,
    ("inventory-openapi.yml", "EstoqueCriacaoProduto"): p.EstoqueCriacao,
    ("inventory-openapi.yml", "VariacaoRequest"): p.VariacaoCriacao,
    ("inventory-openapi.yml", "VariacaoResponse"): p.Variacao,
    ("inventory-openapi.yml", "TipoVariacaoRequest"): p.TipoVariacaoCriacao,
    ("inventory-openapi.yml", "ItemVariacaoRequest"): p.ItemVariacaoCriacao,
    ("inventory-openapi.yml", "ProductVariationOptionResponse"): p.OpcaoVariacao,
    ("inventory-openapi.yml", "ProductVariationOptionRequest"): p.OpcaoVariacaoCriacao,
    ("inventory-openapi.yml", "ProductListResponse"): p.ProdutoResumo,
    ("inventory-openapi.yml", "ProductListChildResponse"): p.VariacaoResumo,
    ("proposal-openapi.yml", "CriarComposicaoValorOrcamento"): o.ComposicaoValorOrcamentoCriacao,
    ("proposal-openapi.yml", "CriarDescontoOrcamento"): o.DescontoOrcamentoCriacao,
    ("proposal-openapi.yml", "CriarItemOrcamento"): o.ItemOrcamentoCriacao,
    ("proposal-openapi.yml", "CriarOrcamento"): o.OrcamentoCriacao,
    ("proposal-openapi.yml", "ItemOrcamentoPorFiltro"): o.OrcamentoListado,
    ("proposal-openapi.yml", "ListagemOrcamentosPorFiltro"): o.ListagemOrcamentos,
    ("proposal-openapi.yml", "ResumoCriacaoOrcamento"): o.OrcamentoCriado,
    ("scheduled-sales-openapi.yml", "ContratoResumo"): ct.Contrato,
    ("scheduled-sales-openapi.yml", "ContratosFiltroResposta"): ct.ListagemContratos,
    (
        "scheduled-sales-openapi.yml",
        "CriarComposicaoValorContrato",
    ): ct.ComposicaoValorContratoCriacao,
    (
        "scheduled-sales-openapi.yml",
        "CriarCondicaoPagamentoContrato",
    ): ct.CondicaoPagamentoContratoCriacao,
    ("scheduled-sales-openapi.yml", "CriarContrato"): ct.ContratoCriacao,
    ("scheduled-sales-openapi.yml", "CriarDescontoContrato"): ct.DescontoContratoCriacao,
    ("scheduled-sales-openapi.yml", "CriarItemVendaContrato"): ct.ItemContratoCriacao,
    ("scheduled-sales-openapi.yml", "CriarTermosContrato"): ct.TermosContratoCriacao,
    ("scheduled-sales-openapi.yml", "ItemContrato"): ct.ContratoListado,
    ("scheduled-sales-openapi.yml", "ResumoCriacaoContrato"): ct.ContratoCriado,
}
MODULES = {
    "sales-openapi.yml": v,
    "inventory-openapi.yml": p,
    "proposal-openapi.yml": o,
    "contracts-openapi.yml": ct,
    "scheduled-sales-openapi.yml": ct,
}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema and schema.get("type") != "array":
        return _resolve(spec, spec["components"]["schemas"][schema["$ref"].split("/")[-1]])
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return {
            **_resolve(spec, schema["allOf"][0]),
            **{k: x for k, x in schema.items() if k != "allOf"},
        }
    return schema


def example_of(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    """The example body of ``schema``: its own, or one made of its properties' examples."""
    if "example" in schema and "properties" not in schema:
        return schema["example"]
    if schema.get("type") == "array":
        items = {"$ref": schema["$ref"]} if "$ref" in schema else schema.get("items", {})
        return [example_of(spec, _resolve(spec, items))]
    resolved = _resolve(spec, schema)
    if resolved is not schema:
        return example_of(spec, resolved)
    if "properties" in schema:
        return {
            name: example_of(spec, _resolve(spec, prop) if "example" not in prop else prop)
            for name, prop in schema["properties"].items()
        }
    if "enum" in schema:
        return schema["enum"][0]
    return {"integer": 1, "number": 1.5, "boolean": True}.get(schema.get("type", ""), "x")


def _cases() -> list[tuple[str, str]]:
    cases = []
    for file in MODULES:
        for name, schema in load_spec(file)["components"]["schemas"].items():
            if "properties" in schema and (file, name) not in NOT_MODELS:
                cases.append((file, name))
    return cases


def _model(file: str, name: str) -> type[BaseModel]:
    model = RENAMED.get((file, name)) or getattr(MODULES[file], name)
    assert isinstance(model, type)
    assert issubclass(model, BaseModel)
    return model


def _no_extras(record: BaseModel, where: str) -> None:
    assert not record.model_extra, f"{where}: unknown fields {sorted(record.model_extra or {})}"
    for name in type(record).model_fields:
        value = getattr(record, name)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, BaseModel):
                _no_extras(item, f"{where}.{name}")


@pytest.mark.parametrize(("file", "name"), _cases(), ids=lambda x: x)
def test_every_schema_example_parses_into_its_model(file: str, name: str) -> None:
    spec = load_spec(file)
    body = example_of(spec, spec["components"]["schemas"][name])
    record = _model(file, name).model_validate_json(json.dumps(body))
    _no_extras(record, name)


def test_example_amounts_keep_their_digits() -> None:
    spec = load_spec("sales-openapi.yml")
    body = example_of(spec, spec["components"]["schemas"]["ComposicaoValor"])
    record = v.ComposicaoValorVenda.model_validate_json(json.dumps(body))
    for field, value in body.items():
        assert getattr(record, field) == Decimal(repr(value)), field


def test_the_whole_example_of_a_batch_delete_parses() -> None:
    schema = load_spec("sales-openapi.yml")["components"]["schemas"]["ExclusaoLote"]
    record = v.ExclusaoLoteVenda.model_validate(schema["example"])
    assert record.ids == schema["example"]["ids"]
