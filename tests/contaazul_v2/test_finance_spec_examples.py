"""Every example of the finance spec files parses into its model, field by field.

The four files (financial, acquittance, charge, protocol) give examples in two places: whole
bodies under ``example``/``examples`` of a request or response, and one per property of
each schema. The second kind is assembled into a body per schema (every property set), so
each schema is checked whole: every property is a field of its model (none left in the
extras), amounts are the example's exact digits, dates and instants read as the spec means.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

from contaazul.v2 import Protocolo
from contaazul.v2._errors import read_error
from contaazul.v2._paging import read_page
from contaazul.v2.models import baixas as b, cobrancas as c, financeiro as f
from sdkcore.dates import parse_instant

from .spec_corrections import load_spec, spec_operations

FINANCE_FILES = (
    "financial-openapi.yml",
    "acquittance-openapi.yml",
    "charge-openapi.yml",
    "protocol-openapi.yml",
)

# Each component schema of the four files -> the model that reads it; a pair is a list
# envelope (read by the one pager) and the model of its records.
SCHEMAS: dict[tuple[str, str], type[BaseModel] | tuple[str, type[BaseModel]]] = {
    ("financial-openapi.yml", "CentroDeCusto"): f.CentroDeCusto,
    ("financial-openapi.yml", "CriacaoCentroDeCustoRequest"): f.CentroDeCustoCriacao,
    ("financial-openapi.yml", "Totais"): ("envelope summary", f.CentroDeCusto),
    ("financial-openapi.yml", "CentroDeCustoResponse"): ("envelope", f.CentroDeCusto),
    ("financial-openapi.yml", "ContasAReceberResponse"): ("envelope", f.ContaAReceber),
    ("financial-openapi.yml", "NegociadorContaAPagarOuReceber"): f.Negociador,
    ("financial-openapi.yml", "CategoriaParcela"): f.CategoriaParcela,
    ("financial-openapi.yml", "CentroCustoParcela"): f.CentroCustoParcela,
    ("financial-openapi.yml", "ContaAReceber"): f.ContaAReceber,
    ("financial-openapi.yml", "ContaAPagar"): f.ContaAPagar,
    ("financial-openapi.yml", "Categoria"): f.Categoria,
    ("financial-openapi.yml", "ConfiguracaoPadraoCategoria"): f.ConfiguracaoPadraoCategoria,
    ("financial-openapi.yml", "SugestaoPadrao"): f.SugestaoPadrao,
    ("financial-openapi.yml", "ContaFinanceira"): f.ContaFinanceira,
    ("financial-openapi.yml", "SaldoAtualResponse"): f.SaldoAtual,
    ("financial-openapi.yml", "EstruturaDRE"): f.EstruturaDRE,
    ("financial-openapi.yml", "CategoriaDRE"): f.CategoriaDRE,
    ("financial-openapi.yml", "CategoriaFinanceira"): f.CategoriaFinanceira,
    ("financial-openapi.yml", "ParcelaAtualizacaoRequest"): f.ParcelaAtualizacao,
    ("financial-openapi.yml", "ParcelaAtualizacaoResponse"): f.ParcelaAtualizada,
    ("financial-openapi.yml", "ParcelaContaFinanceira"): f.ContaFinanceira,
    ("financial-openapi.yml", "PerdaFinanceira"): f.PerdaFinanceira,
    ("financial-openapi.yml", "ComposicaoValor"): f.ComposicaoValor,
    ("financial-openapi.yml", "EventoFinanceiroRequest"): f.EventoFinanceiroCriacao,
    ("financial-openapi.yml", "ProtocolResponseDTO"): Protocolo,
    ("financial-openapi.yml", "CategoriaRateio"): f.CategoriaRateio,
    ("financial-openapi.yml", "CentroCustoRateio"): f.CentroCustoRateio,
    ("financial-openapi.yml", "ListaCondicaoPagamento"): f.ListaCondicaoPagamento,
    ("financial-openapi.yml", "ParcelaCondicaoPagamento"): f.ParcelaCondicaoPagamento,
    ("financial-openapi.yml", "Parcela"): f.Parcela,
    ("financial-openapi.yml", "Evento"): f.Evento,
    ("financial-openapi.yml", "Rateio"): f.Rateio,
    ("financial-openapi.yml", "RateioCentroCusto"): f.RateioCentroCusto,
    ("financial-openapi.yml", "CondicaoPagamento"): f.CondicaoPagamento,
    ("financial-openapi.yml", "Referencia"): f.ReferenciaEvento,
    ("financial-openapi.yml", "ValorComposicao"): f.ComposicaoValor,
    ("financial-openapi.yml", "Baixa"): f.BaixaDaParcela,
    ("financial-openapi.yml", "AnexoBaixa"): f.AnexoBaixa,
    ("financial-openapi.yml", "AnexoParcela"): f.AnexoParcela,
    ("financial-openapi.yml", "SolicitacaoCobranca"): f.SolicitacaoCobranca,
    ("financial-openapi.yml", "NotificacaoCobranca"): f.NotificacaoCobranca,
    ("financial-openapi.yml", "ItemNotificacaoCobranca"): f.ItemNotificacaoCobranca,
    ("financial-openapi.yml", "Fatura"): f.Fatura,
    ("financial-openapi.yml", "Renegociacao"): f.Renegociacao,
    ("financial-openapi.yml", "RenegociacaoContaAReceber"): f.RenegociacaoContaAReceber,
    ("financial-openapi.yml", "TransferenciaContaFinanceiraResponse"): (
        "envelope",
        f.TransferenciaContaFinanceira,
    ),
    ("financial-openapi.yml", "TransferenciaContaFinanceira"): f.TransferenciaContaFinanceira,
    ("financial-openapi.yml", "Quitacao"): f.Quitacao,
    ("financial-openapi.yml", "ComposicaoValorTransferencia"): f.ComposicaoValor,
    ("financial-openapi.yml", "ContaFinanceiraDetalhes"): f.ContaFinanceiraDetalhes,
    ("financial-openapi.yml", "InstituicaoBancaria"): f.InstituicaoBancaria,
    ("financial-openapi.yml", "EventoFinanceiro"): f.EventoFinanceiro,
    ("financial-openapi.yml", "SaldoInicialContaFinanceira"): f.SaldoInicialContaFinanceira,
    ("acquittance-openapi.yml", "BaixaCriacaoRequestDTO"): b.BaixaCriacao,
    ("acquittance-openapi.yml", "BaixaCriacaoResponseDTO"): b.BaixaGravada,
    ("acquittance-openapi.yml", "BaixaResponseDTO"): b.Baixa,
    ("acquittance-openapi.yml", "AnexoBaixaResponseDTO"): f.AnexoBaixa,
    ("acquittance-openapi.yml", "ValorComposicaoDTO"): f.ComposicaoValor,
    ("acquittance-openapi.yml", "BaixaAtualizacaoRequestDTO"): b.BaixaAtualizacao,
    ("charge-openapi.yml", "GerarCobrancaRequestDto"): c.CobrancaCriacao,
    ("charge-openapi.yml", "GerarCobrancaRequestAtributosDto"): c.CobrancaAtributos,
    ("charge-openapi.yml", "GerarCobrancaRequestAtributosDescontoAntecipado"): (
        c.DescontoAntecipado
    ),
    ("charge-openapi.yml", "GerarCobrancaResponseDto"): c.Cobranca,
    ("protocol-openapi.yml", "ProtocolResponseDTO"): Protocolo,
}

# What each operation's answer (2xx) reads into: a record, or the records of a list.
ANSWERS: dict[str, tuple[str, type[BaseModel]] | None] = {
    "searchCostCenters": ("page", f.CentroDeCusto),
    "createCostCenter": ("record", f.CentroDeCusto),
    "getInstallmentsByEventId": ("page", f.Parcela),
    "searchCategories": ("page", f.Categoria),
    "getDefaultCategoryConfig": ("page", f.ConfiguracaoPadraoCategoria),
    "searchDreCategories": ("page", f.CategoriaDRE),
    "searchFinancialAccounts": ("page", f.ContaFinanceira),
    "searchBalanceByFinancialAccountId": ("record", f.SaldoAtual),
    "searchAccountingExportTransfers": ("page", f.TransferenciaContaFinanceira),
    "createReceivableFinancialEvent": ("record", Protocolo),
    "searchInstallmentsToReceiveByFilter": ("page", f.ContaAReceber),
    "createPayableFinancialEvent": ("record", Protocolo),
    "searchInstallmentsToPayByFilter": ("page", f.ContaAPagar),
    "getInstallmentById": ("record", f.Parcela),
    "updateInstallment": ("record", f.ParcelaAtualizada),
    "getAlteredFinancialEvents": ("page", f.EventoFinanceiro),
    "getInitialBalancesOfFinancialAccounts": ("page", f.SaldoInicialContaFinanceira),
    "criarBaixa": ("record", b.BaixaGravada),
    "listarBaixas": ("page", b.Baixa),
    "atualizarBaixa": ("record", b.BaixaGravada),
    "deletarBaixa": None,
    "buscarBaixa": ("record", b.Baixa),
    "buscarCobrancaPorId": ("record", c.Cobranca),
    "deletarCobrancaPorId": None,
    "criarCobranca": ("record", c.Cobranca),
    "buscarProtocoloPorId": ("record", Protocolo),
}

# What each operation's request body is built from.
REQUESTS: dict[str, type[BaseModel]] = {
    "createCostCenter": f.CentroDeCustoCriacao,
    "createReceivableFinancialEvent": f.EventoFinanceiroCriacao,
    "createPayableFinancialEvent": f.EventoFinanceiroCriacao,
    "updateInstallment": f.ParcelaAtualizacao,
    "criarBaixa": b.BaixaCriacao,
    "atualizarBaixa": b.BaixaAtualizacao,
    "criarCobranca": c.CobrancaCriacao,
}

# Where an example says something other than the property's own name does.
WIRE_ALIASES: dict[tuple[type[BaseModel], str], str] = {(Protocolo, "protocolo"): "id"}


def _resolve(spec: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def assembled(spec: dict[str, Any], schema: dict[str, Any], depth: int = 0) -> Any:
    """A body made of the examples of ``schema``'s properties, every property set (nested
    schemas likewise, a list with one item; recursion stops after a few levels)."""
    schema = _resolve(spec, schema)
    if "properties" in schema:
        return {
            name: assembled(spec, prop, depth + 1) for name, prop in schema["properties"].items()
        }
    if schema.get("type") == "array":
        if "example" in schema:
            return schema["example"]
        return [] if depth > 6 else [assembled(spec, schema["items"], depth + 1)]
    assert "example" in schema, f"a property without an example: {schema}"
    return schema["example"]


def assert_read(example: Any, parsed: Any, where: str) -> None:
    """``parsed`` holds exactly what ``example`` says, read as the spec means it."""
    if isinstance(example, dict):
        assert isinstance(parsed, BaseModel), f"{where}: {parsed!r} is not a model"
        model = type(parsed)
        for key, value in example.items():
            name = WIRE_ALIASES.get((model, key), key)
            assert name in model.model_fields, f"{where}: {model.__name__} has no field {key}"
            assert_read(value, getattr(parsed, name), f"{where}.{key}")
        assert not parsed.model_extra, f"{where}: left in the extras: {parsed.model_extra}"
    elif isinstance(example, list):
        assert isinstance(parsed, list), f"{where}: {parsed!r} is not a list"
        assert len(parsed) == len(example), where
        for index, (item, read) in enumerate(zip(example, parsed, strict=True)):
            assert_read(item, read, f"{where}[{index}]")
    elif isinstance(parsed, Decimal):
        assert not isinstance(example, bool)
        assert parsed == Decimal(str(example)), f"{where}: {parsed} != {example}"
    elif isinstance(parsed, datetime):
        assert parsed == parse_instant(example), where
        assert parsed.tzinfo is not None, where
    elif isinstance(parsed, date):
        assert parsed == date.fromisoformat(example), where
    else:
        assert parsed == example, f"{where}: {parsed!r} != {example!r}"


def _response(body: Any) -> httpx.Response:
    request = httpx.Request("GET", "https://api-v2.contaazul.com/v1/x")
    return httpx.Response(200, content=json.dumps(body).encode(), request=request)


def read_answer(kind: str, model: type[BaseModel], body: Any) -> Any:
    if kind == "page":
        records, _total, received, misfits = read_page(model, _response(body), 1)
        assert not misfits, misfits
        assert received == len(records)
        return records
    return model.model_validate_json(json.dumps(body))


def _records_of(body: Any) -> Any:
    if isinstance(body, list):
        return body
    return body.get("itens", body.get("items"))


def _component_cases() -> Iterator[Any]:
    for name in FINANCE_FILES:
        spec = load_spec(name)
        for schema_name in spec["components"]["schemas"]:
            yield pytest.param(name, schema_name, id=f"{name.split('-')[0]}:{schema_name}")


@pytest.mark.parametrize(("file", "schema_name"), list(_component_cases()))
def test_every_schema_example_reads_into_its_model(file: str, schema_name: str) -> None:
    spec = load_spec(file)
    target = SCHEMAS[(file, schema_name)]
    body = assembled(spec, spec["components"]["schemas"][schema_name])
    if isinstance(target, tuple):
        kind, model = target
        if kind == "envelope summary":
            # Counts beside a page, not records: the pager reads past them.
            records = read_answer("page", model, {"itens_totais": 0, "itens": [], "totais": body})
            assert records == []
            return
        assert_read(_records_of(body), read_answer("page", model, body), schema_name)
        return
    assert_read(body, target.model_validate_json(json.dumps(body)), schema_name)


def _operations() -> Iterator[Any]:
    for name in FINANCE_FILES:
        spec = load_spec(name)
        for method, path, operation in spec_operations(spec):
            yield pytest.param(name, method, path, operation, id=operation["operationId"])


def _success(operation: dict[str, Any]) -> dict[str, Any] | None:
    for status, response in operation["responses"].items():
        if str(status).startswith("2") and "content" in response:
            return response["content"]["application/json"]  # type: ignore[no-any-return]
    return None


def _bodies(media: dict[str, Any]) -> list[Any]:
    """The whole-body examples a request or response gives."""
    bodies = [media["example"]] if "example" in media else []
    bodies += [example["value"] for example in media.get("examples", {}).values()]
    return bodies


@pytest.mark.parametrize(("file", "method", "path", "operation"), list(_operations()))
def test_every_operation_answer_and_request_reads_into_its_model(
    file: str, method: str, path: str, operation: dict[str, Any]
) -> None:
    spec = load_spec(file)
    op_id = operation["operationId"]
    assert op_id in ANSWERS, f"{op_id} ({method} {path}) has no model here"
    media = _success(operation)
    answer = ANSWERS[op_id]
    assert (media is None) == (answer is None), op_id
    if media is not None and answer is not None:
        kind, model = answer
        for body in [assembled(spec, media["schema"]), *_bodies(media)]:
            read = read_answer(kind, model, body)
            expected = _records_of(body) if kind == "page" else body
            assert_read(expected, read, op_id)
    request = operation.get("requestBody", {}).get("content", {}).get("application/json")
    assert (request is None) == (op_id not in REQUESTS), op_id
    if request is not None:
        request_model = REQUESTS[op_id]
        for body in [assembled(spec, request["schema"]), *_bodies(request)]:
            record = request_model.coerce(body)  # type: ignore[attr-defined]
            assert_read(body, record, op_id)
            # what a write sends back is the example itself, amounts to the digit
            sent = json.loads(json.dumps(record.to_wire(for_create=True)), parse_float=Decimal)
            assert sent == json.loads(json.dumps(body), parse_float=Decimal)


def _error_examples() -> Iterator[Any]:
    for name in FINANCE_FILES:
        spec = load_spec(name)
        for _method, _path, operation in spec_operations(spec):
            for status, response in operation["responses"].items():
                if str(status).startswith("2"):
                    continue
                media = response.get("content", {}).get("application/json")
                for index, body in enumerate(_bodies(media) if media else []):
                    yield pytest.param(body, id=f"{operation['operationId']}-{status}-{index}")


@pytest.mark.parametrize("body", list(_error_examples()))
def test_every_error_example_is_read_for_its_message_and_code(body: dict[str, Any]) -> None:
    info = read_error(body)
    assert info.message == body["message"]
    assert info.code == str(body["code"])
