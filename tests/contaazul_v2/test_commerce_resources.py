"""The commerce resources (people, services, products, sales, quotations, contracts), per
operation: method, URL, query, headers and body asserted with respx, the answer parsed into
its model; sync and async."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import httpx
import pytest
import respx

from contaazul.v2.models.contratos import Contrato, ContratoListado
from contaazul.v2.models.orcamentos import Orcamento
from contaazul.v2.models.pessoas import Pessoa, PessoaResumo, StatusPessoasEmLote
from contaazul.v2.models.produtos import Produto, ProdutoResumo
from contaazul.v2.models.servicos import Servico
from contaazul.v2.models.vendas import ItemDaVenda, Venda, VendaCriada
from contaazul.v2.resources.contratos import Contratos
from contaazul.v2.resources.orcamentos import Orcamentos
from contaazul.v2.resources.pessoas import Pessoas
from contaazul.v2.resources.produtos import Produtos
from contaazul.v2.resources.servicos import Servicos
from contaazul.v2.resources.vendas import Vendas
from sdkcore import RequestValidationError
from sdkcore.errors import ValidationError

from ..runner import Runner
from .conftest import ACCESS_TOKEN, BASE

UUID = "35473eec-4e74-11ee-b500-9f61de8a8b8b"
OTHER = "8f2a3e45-1c9d-4b3a-a7f1-9e8d7c6b5a4f"
CPF = "529.982.247-25"
CNPJ = "11.222.333/0001-81"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
TRACE = {"X-Trace": "m2"}

MakeClient = Callable[..., Runner]

_RESOURCES: dict[str, type[Any]] = {
    "pessoas": Pessoas,
    "servicos": Servicos,
    "produtos": Produtos,
    "vendas": Vendas,
    "orcamentos": Orcamentos,
    "contratos": Contratos,
}


def res(ca: Any, name: str) -> Any:
    """``ca.<name>``; built here while the client does not have the attribute yet."""
    if hasattr(type(ca), name):
        return getattr(ca, name)
    return _RESOURCES[name](ca)


@attrs.frozen
class Case:
    """One operation: how to call it, what must go out, what comes back and how it reads."""

    operation: str
    method: str
    path: str
    invoke: Callable[[Any], Any]
    answer: Any
    check: Callable[[Any], bool]
    query: dict[str, list[str]] = attrs.field(factory=dict)
    body: Any = None
    status: int = 200
    pager: bool = False
    raw_answer: bytes | None = None


SALE = {
    "id_cliente": UUID,
    "numero": 42,
    "situacao": "APROVADO",
    "data_venda": date(2024, 7, 15),
    "itens": [
        {"id": OTHER, "quantidade": Decimal("2"), "valor": Decimal("10.05")},
        {
            "id": UUID,
            "descricao": "Instalação",
            "quantidade": Decimal("1"),
            "valor": Decimal("0.1"),
        },
    ],
    "condicao_pagamento": {
        "opcao_condicao_pagamento": "À vista",
        "tipo_pagamento": "PIX_PAGAMENTO_INSTANTANEO",
        "parcelas": [{"data_vencimento": date(2024, 8, 15), "valor": Decimal("20.20")}],
    },
}
SALE_WIRE = {
    "id_cliente": UUID,
    "numero": 42,
    "situacao": "APROVADO",
    "data_venda": "2024-07-15",
    "itens": [
        {"id": OTHER, "quantidade": 2, "valor": 10.05},
        {"id": UUID, "descricao": "Instalação", "quantidade": 1, "valor": 0.1},
    ],
    "condicao_pagamento": {
        "opcao_condicao_pagamento": "À vista",
        "tipo_pagamento": "PIX_PAGAMENTO_INSTANTANEO",
        "parcelas": [{"data_vencimento": "2024-08-15", "valor": 20.2}],
    },
}
CONTRACT_WIRE = {
    "id_cliente": UUID,
    "termos": {
        "numero": 7,
        "data_inicio": "2024-01-01",
        "data_fim": "2024-12-31",
        "dia_emissao_venda": 5,
        "intervalo_frequencia": 1,
        "tipo_expiracao": "DATA",
        "tipo_frequencia": "MENSAL",
    },
    "condicao_pagamento": {
        "tipo_pagamento": "BOLETO_BANCARIO",
        "dia_vencimento": 10,
        "primeira_data_vencimento": "2024-01-10",
    },
    "itens": [{"id": OTHER, "quantidade": 1, "valor": 99.9}],
}


def _first(result: Any) -> Any:
    return result[0]


def _is(value: Any, kind: type) -> bool:
    """``isinstance`` without narrowing: the checks below read optional fields they expect."""
    return isinstance(value, kind)


CASES = [
    # -- people (portal) ----------------------------------------------------------------------
    Case(
        "portal:listPessoas",
        "GET",
        "/v1/pessoas",
        lambda ca: res(ca, "pessoas").list(
            busca="Silva",
            documentos=["52998224725", "11222333000181"],
            tipo_perfil="Cliente",
            data_alteracao_de=datetime(2024, 5, 1, 13, 30, tzinfo=SAO_PAULO),
            extra_headers=TRACE,
        ),
        {
            "totalItems": 1,
            "items": [
                {
                    "id": UUID,
                    "nome": "Silva",
                    "documento": "52998224725",
                    "perfis": ["CLIENTE"],
                    "data_alteracao": "2026-02-10T15:45:01.339338",
                }
            ],
        },
        lambda r: (
            isinstance(_first(r), PessoaResumo)
            and _first(r).perfis == ["CLIENTE"]
            and _first(r).data_alteracao == datetime(2026, 2, 10, 15, 45, 1, 339338, SAO_PAULO)
        ),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["100"],
            "busca": ["Silva"],
            "documentos": ["52998224725,11222333000181"],
            "tipo_perfil": ["Cliente"],
            "data_alteracao_de": ["2024-05-01T13:30:00"],
        },
        pager=True,
    ),
    Case(
        "portal:getPessoa",
        "GET",
        f"/v1/pessoas/{UUID}",
        lambda ca: res(ca, "pessoas").get(UUID, extra_headers=TRACE),
        {
            "id": UUID,
            "nome": "Ana",
            "data_nascimento": "1990-01-01",
            "perfis": [{"tipo_perfil": "Cliente"}],
            "atrasos_recebimentos": 1234.56,
        },
        lambda r: (
            _is(r, Pessoa)
            and r.data_nascimento == date(1990, 1, 1)
            and r.atrasos_recebimentos == Decimal("1234.56")
            and r.perfis[0].tipo_perfil == "Cliente"
        ),
    ),
    Case(
        "portal:createPessoa",
        "POST",
        "/v1/pessoas",
        lambda ca: res(ca, "pessoas").create(
            {
                "nome": "Ana",
                "tipo_pessoa": "Física",
                "cpf": CPF,
                "perfis": [{"tipo_perfil": "Cliente"}],
                "enderecos": [{"cep": "01001-000", "estado": "SP"}],
            },
            extra_headers=TRACE,
        ),
        {"id": UUID, "nome": "Ana", "origem": "API"},
        lambda r: r.id == UUID and r.origem == "API",
        body={
            "nome": "Ana",
            "tipo_pessoa": "Física",
            "cpf": CPF,
            "perfis": [{"tipo_perfil": "Cliente"}],
            "enderecos": [{"cep": "01001-000", "estado": "SP"}],
        },
        status=201,
    ),
    Case(
        "portal:updatePessoa",
        "PUT",
        f"/v1/pessoas/{UUID}",
        lambda ca: res(ca, "pessoas").update(
            UUID,
            {"nome": "Ana B", "tipo_pessoa": "Jurídica", "cnpj": CNPJ, "codigo": "C1"},
            extra_headers=TRACE,
        ),
        {"id": UUID, "nome": "Ana B"},
        lambda r: r.nome == "Ana B",
        body={"nome": "Ana B", "tipo_pessoa": "Jurídica", "cnpj": CNPJ, "codigo": "C1"},
    ),
    Case(
        "portal:patchPessoa",
        "PATCH",
        f"/v1/pessoas/{UUID}",
        lambda ca: res(ca, "pessoas").patch(UUID, {"email": "a@b.com"}, extra_headers=TRACE),
        None,
        lambda r: r is None,
        body={"email": "a@b.com"},
        status=204,
    ),
    Case(
        "portal:inativarPessoas",
        "POST",
        "/v1/pessoas/inativar",
        lambda ca: res(ca, "pessoas").inativar(UUID, extra_headers=TRACE),
        [{"ativos": [], "inativos": [UUID], "todos": [UUID]}],
        lambda r: isinstance(r[0], StatusPessoasEmLote) and r[0].inativos == [UUID],
        body={"uuids": [UUID]},
    ),
    Case(
        "portal:ativarPessoas",
        "POST",
        "/v1/pessoas/ativar",
        lambda ca: res(ca, "pessoas").ativar([UUID, OTHER], extra_headers=TRACE),
        [{"ativos": [UUID, OTHER], "inativos": [], "todos": [UUID, OTHER]}],
        lambda r: r[0].ativos == [UUID, OTHER],
        body={"uuids": [UUID, OTHER]},
    ),
    # -- services (portal) --------------------------------------------------------------------
    Case(
        "portal:listServicos",
        "GET",
        "/v1/servicos",
        lambda ca: res(ca, "servicos").list(busca_textual="consult", extra_headers=TRACE),
        {
            "itens": [{"id": UUID, "descricao": "Consultoria", "preco": 500.1}],
            "paginacao": {"pagina_atual": 1, "tamanho_pagina": 100, "total_itens": 1},
        },
        lambda r: isinstance(_first(r), Servico) and _first(r).preco == Decimal("500.1"),
        query={"pagina": ["1"], "tamanho_pagina": ["100"], "busca_textual": ["consult"]},
        pager=True,
    ),
    Case(
        "portal:getServico",
        "GET",
        f"/v1/servicos/{UUID}",
        lambda ca: res(ca, "servicos").get(UUID, extra_headers=TRACE),
        {"id": UUID, "descricao": "Consultoria", "tipo_servico": "PRESTADO"},
        lambda r: r.tipo_servico == "PRESTADO",
    ),
    Case(
        "portal:createServico",
        "POST",
        "/v1/servicos",
        lambda ca: res(ca, "servicos").create(
            {"descricao": "Instalação", "preco": Decimal("150.00")}, extra_headers=TRACE
        ),
        {"id": UUID, "descricao": "Instalação", "preco": 150},
        lambda r: r.id == UUID and r.preco == Decimal("150"),
        body={"descricao": "Instalação", "preco": 150},
        status=201,
    ),
    Case(
        "portal:updateServico",
        "PATCH",
        f"/v1/servicos/{UUID}",
        lambda ca: res(ca, "servicos").update(
            UUID, {"preco": Decimal("120.5")}, extra_headers=TRACE
        ),
        None,
        lambda r: r is None,
        body={"preco": 120.5},
        status=204,
    ),
    # -- products -----------------------------------------------------------------------------
    Case(
        "getProductsByFilter",
        "GET",
        "/v1/produto/busca",
        lambda ca: res(ca, "produtos").list(busca="cabo", status="ATIVO", extra_headers=TRACE),
        {"itens_totais": 1, "itens": [{"id": UUID, "nome": "Cabo", "valor_venda": 19.9}]},
        lambda r: isinstance(_first(r), ProdutoResumo) and _first(r).valor_venda == Decimal("19.9"),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["100"],
            "busca": ["cabo"],
            "status": ["ATIVO"],
        },
        pager=True,
    ),
    Case(
        "portal:getProduto",
        "GET",
        f"/v1/produtos/{UUID}",
        lambda ca: res(ca, "produtos").get(UUID, extra_headers=TRACE),
        {"id": UUID, "nome": "Cabo", "estoque": {"valor_venda": 19.9, "quantidade_total": 3}},
        lambda r: (
            _is(r, Produto)
            and r.estoque.valor_venda == Decimal("19.9")
            and r.estoque.quantidade_total == Decimal(3)
        ),
    ),
    Case(
        "createProduct",
        "POST",
        "/v1/produto",
        lambda ca: res(ca, "produtos").create(
            {
                "nome": "Cabo",
                "formato": "SIMPLES",
                "estoque": {"valor_venda": Decimal("19.90")},
                "dimensao": {"altura": Decimal("1.5")},
            },
            extra_headers=TRACE,
        ),
        {"id": UUID, "nome": "Cabo"},
        lambda r: r.id == UUID,
        body={
            "nome": "Cabo",
            "formato": "SIMPLES",
            "estoque": {"valor_venda": 19.9},
            "dimensao": {"altura": 1.5},
        },
    ),
    Case(
        "deleteProduct",
        "DELETE",
        f"/v1/produto/{UUID}",
        lambda ca: res(ca, "produtos").delete(UUID, extra_headers=TRACE),
        None,
        lambda r: r is None,
        status=204,
    ),
    Case(
        "deactivateProducts",
        "POST",
        "/v1/produto/desativar",
        lambda ca: res(ca, "produtos").desativar([UUID], extra_headers=TRACE),
        {"todos": [UUID], "produtos_desativados": [UUID]},
        lambda r: r.produtos_desativados == [UUID],
        body=[UUID],
    ),
    # -- sales --------------------------------------------------------------------------------
    Case(
        "searchVendas",
        "GET",
        "/v1/venda/busca",
        lambda ca: res(ca, "vendas").list(
            numeros=[42], data_inicio=date(2024, 1, 1), extra_headers=TRACE
        ),
        {"total_itens": 1, "itens": [{"id": UUID, "numero": 42, "total": 20.2}]},
        lambda r: isinstance(_first(r), Venda) and _first(r).total == Decimal("20.2"),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "numeros": ["42"],
            "data_inicio": ["2024-01-01"],
        },
        pager=True,
    ),
    Case(
        "getVendaById",
        "GET",
        f"/v1/venda/{UUID}",
        lambda ca: res(ca, "vendas").get(UUID, extra_headers=TRACE),
        {"venda": {"id": UUID, "numero": 42, "composicao_valor": {"valor_liquido": 20.2}}},
        lambda r: r.venda.composicao_valor.valor_liquido == Decimal("20.2"),
    ),
    Case(
        "createVenda",
        "POST",
        "/v1/venda",
        lambda ca: res(ca, "vendas").create(SALE, extra_headers=TRACE),
        {"id": UUID, "numero": 42, "data_venda": "2024-07-15T00:00:00"},
        lambda r: isinstance(r, VendaCriada) and r.numero == 42,
        body=SALE_WIRE,
    ),
    Case(
        "editSale",
        "PUT",
        f"/v1/venda/{UUID}",
        lambda ca: res(ca, "vendas").update(UUID, {**SALE, "versao": 3}, extra_headers=TRACE),
        {"id": UUID, "id_legado": 9},
        lambda r: r.id_legado == 9,
        body={**SALE_WIRE, "versao": 3},
    ),
    Case(
        "getVendaItens",
        "GET",
        f"/v1/venda/{UUID}/itens",
        lambda ca: res(ca, "vendas").itens(UUID, extra_headers=TRACE),
        {"itens_totais": 1, "itens": [{"id": OTHER, "tipo": "SERVICO", "valor": 0.1}]},
        lambda r: isinstance(_first(r), ItemDaVenda) and _first(r).valor == Decimal("0.1"),
        query={"pagina": ["1"], "tamanho_pagina": ["1000"]},
        pager=True,
    ),
    Case(
        "printVendaPdf",
        "GET",
        f"/v1/venda/{UUID}/imprimir",
        lambda ca: res(ca, "vendas").imprimir(UUID, extra_headers=TRACE),
        None,
        lambda r: r == b"%PDF-1.4 venda",
        raw_answer=b"%PDF-1.4 venda",
    ),
    Case(
        "deleteVendasBatch",
        "POST",
        "/v1/venda/exclusao-lote",
        lambda ca: res(ca, "vendas").delete_many([UUID, OTHER], extra_headers=TRACE),
        {"atualizados": 2, "ignorados": 0},
        lambda r: r.atualizados == 2,
        body={"ids": [UUID, OTHER]},
    ),
    Case(
        "getNextVendaNumber",
        "GET",
        "/v1/venda/proximo-numero",
        lambda ca: res(ca, "vendas").next_number(extra_headers=TRACE),
        4512645,
        lambda r: r == 4512645,
    ),
    Case(
        "listVendedores",
        "GET",
        "/v1/venda/vendedores",
        lambda ca: res(ca, "vendas").vendedores(extra_headers=TRACE),
        [{"id": UUID, "nome": "Bia", "id_legado": 3}],
        lambda r: r[0].nome == "Bia",
    ),
    # -- quotations ---------------------------------------------------------------------------
    Case(
        "listarOrcamentosPorFiltros",
        "GET",
        "/v1/orcamentos",
        lambda ca: res(ca, "orcamentos").list(
            situacoes=["ORCAMENTO", "ORCAMENTO_ACEITO"], extra_headers=TRACE
        ),
        {"total_itens": 1, "itens": [{"id": UUID, "numero": 5, "total": 10.1}]},
        lambda r: _first(r).total == Decimal("10.1"),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["100"],
            "situacoes": ["ORCAMENTO", "ORCAMENTO_ACEITO"],
        },
        pager=True,
    ),
    Case(
        "obterOrcamentoPorID",
        "GET",
        f"/v1/orcamentos/{UUID}",
        lambda ca: res(ca, "orcamentos").get(UUID, extra_headers=TRACE),
        {"id": UUID, "data_validade": "2024-09-30", "itens": [{"id": OTHER, "valor": 5.5}]},
        lambda r: (
            _is(r, Orcamento)
            and r.data_validade == date(2024, 9, 30)
            and r.itens[0].valor == Decimal("5.5")
        ),
    ),
    Case(
        "criarOrcamento",
        "POST",
        "/v1/orcamentos",
        lambda ca: res(ca, "orcamentos").create(
            {
                "id_cliente": UUID,
                "data_orcamento": date(2024, 9, 1),
                "data_validade": date(2024, 9, 30),
                "itens": [{"id": OTHER, "quantidade": 1, "valor": Decimal("5.50")}],
            },
            extra_headers=TRACE,
        ),
        {"id": UUID},
        lambda r: r.id == UUID,
        body={
            "id_cliente": UUID,
            "data_orcamento": "2024-09-01",
            "data_validade": "2024-09-30",
            "itens": [{"id": OTHER, "quantidade": 1, "valor": 5.5}],
        },
        status=201,
    ),
    Case(
        "excluirOrcamentosEmLote",
        "DELETE",
        "/v1/orcamentos",
        lambda ca: res(ca, "orcamentos").delete_many(UUID, extra_headers=TRACE),
        None,
        lambda r: r is None,
        body={"ids": [UUID]},
        status=204,
    ),
    # -- contracts ----------------------------------------------------------------------------
    Case(
        "listarContratos",
        "GET",
        "/v1/contratos",
        lambda ca: res(ca, "contratos").list(
            data_inicio=date(2024, 1, 1), data_fim=date(2024, 12, 31), extra_headers=TRACE
        ),
        # contracts-openapi.yml's envelope (``items``); scheduled-sales says ``itens``.
        {"itens_totais": 1, "items": [{"id": UUID, "numero": 7, "status": "ATIVO"}]},
        lambda r: isinstance(_first(r), ContratoListado) and _first(r).numero == 7,
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["50"],
            "data_inicio": ["2024-01-01"],
            "data_fim": ["2024-12-31"],
        },
        pager=True,
    ),
    Case(
        "obterContratoPorID",
        "GET",
        f"/v1/contratos/{UUID}",
        lambda ca: res(ca, "contratos").get(UUID, extra_headers=TRACE),
        {"id": UUID, "composicao_valor": {"valor_liquido": 99.9}},
        lambda r: _is(r, Contrato) and r.composicao_valor.valor_liquido == Decimal("99.9"),
    ),
    Case(
        "criarContrato",
        "POST",
        "/v1/contratos",
        lambda ca: res(ca, "contratos").create(CONTRACT_WIRE, extra_headers=TRACE),
        {"id": UUID, "id_legado": 1, "id_venda": OTHER},
        lambda r: r.id_venda == OTHER,
        body=CONTRACT_WIRE,
        status=201,
    ),
    Case(
        "obterProximoNumeroContrato",
        "GET",
        "/v1/contratos/proximo-numero",
        lambda ca: res(ca, "contratos").next_number(extra_headers=TRACE),
        8,
        lambda r: r == 8,
    ),
    Case(
        "removerContrato",
        "DELETE",
        f"/v1/contratos/{UUID}",
        lambda ca: res(ca, "contratos").delete(UUID, extra_headers=TRACE),
        None,
        lambda r: r is None,
        status=204,
    ),
    Case(
        "encerrarContrato",
        "POST",
        f"/v1/contratos/{UUID}/encerrar",
        lambda ca: res(ca, "contratos").encerrar(UUID, extra_headers=TRACE),
        None,
        lambda r: r is None,
        status=204,
    ),
]


def test_every_commerce_operation_has_a_case() -> None:
    """9 sales + 4 products + 4 quotations + 6 contracts from the specs, 12 from the portal."""
    assert len({case.operation for case in CASES}) == len(CASES) == 35


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation)
@respx.mock
def test_operation(case: Case, make_client: MakeClient) -> None:
    if case.raw_answer is not None:
        answer = httpx.Response(case.status, content=case.raw_answer)
    elif case.answer is None:
        answer = httpx.Response(case.status)
    else:
        answer = httpx.Response(case.status, json=case.answer)
    route = respx.route(method=case.method, url=f"{BASE}{case.path}").mock(return_value=answer)
    run = make_client()
    result = run.items(case.invoke(run.client)) if case.pager else run(case.invoke(run.client))
    assert case.check(result), repr(result)

    assert route.call_count == 1
    request = route.calls.last.request
    sent_query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        sent_query.setdefault(name, []).append(value)
    assert sent_query == case.query
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["x-trace"] == "m2"
    if case.body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.body


@respx.mock
def test_the_next_sale_number_may_be_null(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/v1/venda/proximo-numero").mock(
        return_value=httpx.Response(200, content=b"null")
    )
    run = make_client()
    assert run(res(run.client, "vendas").next_number()) is None


@respx.mock
def test_a_person_update_names_the_fields_the_api_demands(make_client: MakeClient) -> None:
    """PUT validates the whole record: the API may demand fields the record never had, and
    the error names each of them."""
    demanded = {
        "code": "VALIDATION_ERROR",
        "message": "Cadastro incompleto",
        "errors": [
            {"field": "codigo", "message": "campo obrigatório"},
            {"field": "rg", "message": "campo obrigatório"},
            {"field": "data_nascimento", "message": "campo obrigatório"},
        ],
    }
    respx.put(f"{BASE}/v1/pessoas/{UUID}").mock(return_value=httpx.Response(400, json=demanded))
    run = make_client()
    with pytest.raises(ValidationError) as raised:
        run(res(run.client, "pessoas").update(UUID, {"nome": "Ana", "tipo_pessoa": "Física"}))
    named = [field.field for field in raised.value.field_errors]
    assert named == ["codigo", "rg", "data_nascimento"]
    for name in named:
        assert str(name) in str(raised.value)


@respx.mock
def test_a_person_patch_sends_only_the_fields_set(make_client: MakeClient) -> None:
    route = respx.patch(f"{BASE}/v1/pessoas/{UUID}").mock(return_value=httpx.Response(204))
    run = make_client()
    run(res(run.client, "pessoas").patch(UUID, {"telefone_celular": "11999999999"}))
    assert json.loads(route.calls.last.request.content) == {"telefone_celular": "11999999999"}


@respx.mock
def test_writes_are_checked_before_sending(make_client: MakeClient) -> None:
    route = respx.route(host="api-v2.contaazul.com")
    run = make_client()
    pessoas, vendas = res(run.client, "pessoas"), res(run.client, "vendas")
    refused: list[tuple[Callable[[], Any], str]] = [
        (
            lambda: pessoas.create(
                {"nome": "Ana", "tipo_pessoa": "Física", "cpf": "529.982.247-26"}
            ),
            "cpf",
        ),
        (
            lambda: pessoas.update(
                UUID, {"nome": "X", "tipo_pessoa": "Jurídica", "cnpj": "11.222.333/0001-82"}
            ),
            "cnpj",
        ),
        (lambda: pessoas.create({"tipo_pessoa": "Física"}), "nome"),
        (lambda: pessoas.patch(UUID, {"codigo": "C" * 21}), "codigo"),
        (lambda: pessoas.inativar([UUID] * 11), "uuids"),
        (lambda: vendas.create({k: v for k, v in SALE.items() if k != "numero"}), "numero"),
        (
            lambda: res(run.client, "servicos").create({"descricao": "X", "preco": Decimal(-1)}),
            "preco",
        ),
        (
            lambda: res(run.client, "contratos").create({**CONTRACT_WIRE, "termos": {"numero": 1}}),
            "termos",
        ),
    ]
    for write, field in refused:
        with pytest.raises(RequestValidationError, match=field):
            run(write())
    assert route.call_count == 0


@respx.mock
def test_sale_amounts_travel_to_the_cent_without_float(make_client: MakeClient) -> None:
    """0.1 + 0.2 is 0.3 here: amounts are Decimal from the JSON text to the request body."""
    body = (
        b'{"total_itens": 1, "itens": [{"id": "' + UUID.encode() + b'", '
        b'"total": 0.30000000000000004, "numero": 1}]}'
    )
    respx.get(f"{BASE}/v1/venda/busca").mock(return_value=httpx.Response(200, content=body))
    run = make_client()
    [sale] = run.items(res(run.client, "vendas").list())
    assert sale.total == Decimal("0.30000000000000004")
    route = respx.post(f"{BASE}/v1/venda").mock(return_value=httpx.Response(200, json={}))
    items = [
        {"id": OTHER, "quantidade": Decimal("1"), "valor": Decimal("0.1")},
        {"id": OTHER, "quantidade": Decimal("1"), "valor": Decimal("0.2")},
    ]
    # The installment splits the new total: a sale's installments must add up to it.
    paid = {
        "opcao_condicao_pagamento": "À vista",
        "parcelas": [{"data_vencimento": date(2024, 8, 15), "valor": Decimal("0.3")}],
    }
    run(res(run.client, "vendas").create({**SALE, "itens": items, "condicao_pagamento": paid}))
    sent = json.loads(route.calls.last.request.content, parse_float=Decimal)
    assert [item["valor"] for item in sent["itens"]] == [Decimal("0.1"), Decimal("0.2")]
    assert sum(item["valor"] for item in sent["itens"]) == Decimal("0.3")


@respx.mock
def test_sales_page_by_the_total(make_client: MakeClient) -> None:
    """1500 sales at 1000 a page: two requests."""

    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["pagina"])
        count = 1000 if number == 1 else 500
        items = [{"id": f"{number}-{n}", "numero": n} for n in range(count)]
        return httpx.Response(200, json={"total_itens": 1500, "itens": items})

    route = respx.get(f"{BASE}/v1/venda/busca").mock(side_effect=page)
    run = make_client()
    assert len(run.items(res(run.client, "vendas").list())) == 1500
    assert [call.request.url.params["pagina"] for call in route.calls] == ["1", "2"]
