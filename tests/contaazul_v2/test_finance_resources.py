"""The finance resources, per operation: method, URL, query, headers and body asserted with
respx, the answer parsed into its model; sync and async."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import httpx
import pytest
import respx

from contaazul.v2 import Protocolo
from contaazul.v2.models.baixas import Baixa, BaixaCriacao, BaixaGravada
from contaazul.v2.models.cobrancas import Cobranca
from contaazul.v2.models.financeiro import (
    CategoriaDRE,
    ComposicaoValor,
    ContaAPagar,
    ContaAReceber,
    ContaFinanceira,
    EventoFinanceiroCriacao,
    ListaCondicaoPagamento,
    Parcela,
    ParcelaAtualizada,
    ParcelaCondicaoPagamento,
    SaldoAtual,
)
from sdkcore import RequestValidationError

from ..runner import Runner
from .conftest import ACCESS_TOKEN, BASE

UUID = "35473eec-4e74-11ee-b500-9f61de8a8b8b"
OTHER = "8f2a3e45-1c9d-4b3a-a7f1-9e8d7c6b5a4f"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")
FIN = "/v1/financeiro/eventos-financeiros"
TRACE = {"X-Trace": "m1"}

MakeClient = Callable[..., Runner]


def receivable() -> EventoFinanceiroCriacao:
    return EventoFinanceiroCriacao(
        data_competencia=date(2024, 7, 15),
        valor=Decimal("100.10"),
        observacao="Evento de R$100,10",
        descricao="Prestação de serviço",
        contato=UUID,
        conta_financeira=OTHER,
        condicao_pagamento=ListaCondicaoPagamento(
            parcelas=[
                ParcelaCondicaoPagamento(
                    descricao="Parcela 1/1",
                    data_vencimento=date(2024, 8, 15),
                    nota="PIX",
                    conta_financeira=OTHER,
                    detalhe_valor=ComposicaoValor(valor_bruto=Decimal("100.10")),
                )
            ]
        ),
    )


RECEIVABLE_WIRE = {
    "data_competencia": "2024-07-15",
    "valor": 100.1,
    "observacao": "Evento de R$100,10",
    "descricao": "Prestação de serviço",
    "contato": UUID,
    "conta_financeira": OTHER,
    "condicao_pagamento": {
        "parcelas": [
            {
                "descricao": "Parcela 1/1",
                "data_vencimento": "2024-08-15",
                "nota": "PIX",
                "conta_financeira": OTHER,
                "detalhe_valor": {"valor_bruto": 100.1},
            }
        ]
    },
}


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


def _first(result: Any) -> Any:
    return result[0]


CASES = [
    Case(
        "searchCostCenters",
        "GET",
        "/v1/centro-de-custo",
        lambda ca: ca.centros_de_custo.list(
            busca="010", filtro_rapido="ATIVO", extra_headers=TRACE
        ),
        {"itens_totais": 1, "items": [{"id": UUID, "nome": "Contabilidade", "ativo": True}]},
        lambda r: _first(r).nome == "Contabilidade",
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "busca": ["010"],
            "filtro_rapido": ["ATIVO"],
        },
        pager=True,
    ),
    Case(
        "createCostCenter",
        "POST",
        "/v1/centro-de-custo",
        lambda ca: ca.centros_de_custo.create(
            {"nome": "Contabilidade", "codigo": "1040"}, extra_headers=TRACE
        ),
        {"id": UUID, "codigo": "1040", "nome": "Contabilidade", "ativo": True},
        lambda r: r.id == UUID and r.ativo is True,
        body={"nome": "Contabilidade", "codigo": "1040"},
    ),
    Case(
        "getInstallmentsByEventId",
        "GET",
        f"{FIN}/{UUID}/parcelas",
        lambda ca: ca.parcelas.list_do_evento(UUID, extra_headers=TRACE),
        [{"id": OTHER, "valor_pago": 10.05, "status": "PENDENTE"}],
        lambda r: isinstance(_first(r), Parcela) and _first(r).valor_pago == Decimal("10.05"),
        pager=True,
    ),
    Case(
        "searchCategories",
        "GET",
        "/v1/categorias",
        lambda ca: ca.categorias.list(tipo="RECEITA", apenas_filhos=True, extra_headers=TRACE),
        {"itens_totais": 1, "itens": [{"id": UUID, "nome": "Vendas", "tipo": "RECEITA"}]},
        lambda r: _first(r).tipo == "RECEITA",
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "tipo": ["RECEITA"],
            "apenas_filhos": ["true"],
            "permite_apenas_filhos": ["false"],
        },
        pager=True,
    ),
    Case(
        "getDefaultCategoryConfig",
        "GET",
        "/v1/categorias/configuracao-padrao",
        lambda ca: ca.categorias.configuracao_padrao(sugestao_padrao=False, extra_headers=TRACE),
        [{"tipo_operacao": "FRETES_RECEBIDOS", "id_categoria": None, "sugestao_padrao": None}],
        lambda r: r[0].tipo_operacao == "FRETES_RECEBIDOS" and r[0].sugestao_padrao is None,
        query={"sugestao_padrao": ["false"]},
    ),
    Case(
        "searchDreCategories",
        "GET",
        "/v1/financeiro/categorias-dre",
        lambda ca: ca.categorias_dre.list(extra_headers=TRACE),
        {"itens": [{"id": UUID, "descricao": "Receita", "subitens": [{"descricao": "Vendas"}]}]},
        lambda r: (
            isinstance(_first(r), CategoriaDRE) and _first(r).subitens[0].descricao == "Vendas"
        ),
        pager=True,
    ),
    Case(
        "searchFinancialAccounts",
        "GET",
        "/v1/conta-financeira",
        lambda ca: ca.contas_financeiras.list(
            tipos=["CONTA_CORRENTE", "CAIXINHA"], mostrar_caixinha=True, extra_headers=TRACE
        ),
        {"itens_totais": 1, "itens": [{"id": UUID, "nome": "BB", "tipo": "CONTA_CORRENTE"}]},
        lambda r: isinstance(_first(r), ContaFinanceira) and _first(r).nome == "BB",
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "tipos": ["CONTA_CORRENTE", "CAIXINHA"],
            "mostrar_caixinha": ["true"],
        },
        pager=True,
    ),
    Case(
        "searchBalanceByFinancialAccountId",
        "GET",
        f"/v1/conta-financeira/{UUID}/saldo-atual",
        lambda ca: ca.contas_financeiras.saldo_atual(UUID, extra_headers=TRACE),
        {"saldo_atual": 1000.36},
        lambda r: isinstance(r, SaldoAtual) and r.saldo_atual == Decimal("1000.36"),
    ),
    Case(
        "searchAccountingExportTransfers",
        "GET",
        "/v1/financeiro/transferencias",
        lambda ca: ca.transferencias.list(
            data_inicio=date(2026, 1, 1),
            data_fim=date(2026, 12, 31),
            ids_conta_financeira=[UUID, OTHER],
            extra_headers=TRACE,
        ),
        {"itens_totais": 1, "itens": [{"id": UUID, "valor": 1500.5, "data": "2026-02-15"}]},
        lambda r: _first(r).valor == Decimal("1500.5") and _first(r).data == date(2026, 2, 15),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "data_inicio": ["2026-01-01"],
            "data_fim": ["2026-12-31"],
            "ids_conta_financeira": [UUID, OTHER],
        },
        pager=True,
    ),
    Case(
        "createReceivableFinancialEvent",
        "POST",
        f"{FIN}/contas-a-receber",
        lambda ca: ca.contas_a_receber.create(receivable(), extra_headers=TRACE),
        {"protocolo": UUID, "status": "PENDING", "data_criacao": "2024-10-22T14:30:00Z"},
        lambda r: isinstance(r, Protocolo) and r.id == UUID and r.status == "PENDING",
        body=RECEIVABLE_WIRE,
        status=202,
    ),
    Case(
        "searchInstallmentsToReceiveByFilter",
        "GET",
        f"{FIN}/contas-a-receber/buscar",
        lambda ca: ca.contas_a_receber.list(
            data_vencimento_de=date(2027, 8, 15),
            data_vencimento_ate=date(2027, 8, 20),
            data_alteracao_de=datetime(2025, 10, 20, 10, 0, tzinfo=UTC),
            valor_de=Decimal("100"),
            valor_ate=Decimal("999.9"),
            status=["ATRASADO", "EM_ABERTO"],
            ids_clientes=[UUID],
            extra_headers=TRACE,
        ),
        {
            "itens_totais": 1,
            "itens": [
                {
                    "id": UUID,
                    "total": 781201.79,
                    "nao_pago": 213023.79,
                    "pago": 0,
                    "data_vencimento": "2027-08-15",
                    "data_alteracao": "2025-10-22T08:37:05",
                    "cliente": {"id": OTHER, "nome": "Maria"},
                }
            ],
        },
        lambda r: (
            isinstance(_first(r), ContaAReceber)
            and _first(r).total == Decimal("781201.79")
            and _first(r).data_alteracao == datetime(2025, 10, 22, 8, 37, 5, tzinfo=SAO_PAULO)
            and _first(r).cliente.nome == "Maria"
        ),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "data_vencimento_de": ["2027-08-15"],
            "data_vencimento_ate": ["2027-08-20"],
            # 10:00 UTC is 07:00 in São Paulo, sent without an offset as the spec shows
            "data_alteracao_de": ["2025-10-20T07:00:00"],
            "valor_de": ["100.00"],
            "valor_ate": ["999.90"],
            "status": ["ATRASADO", "EM_ABERTO"],
            "ids_clientes": [UUID],
        },
        pager=True,
    ),
    Case(
        "createPayableFinancialEvent",
        "POST",
        f"{FIN}/contas-a-pagar",
        lambda ca: ca.contas_a_pagar.create(RECEIVABLE_WIRE, extra_headers=TRACE),
        {"protocolo": UUID, "status": "PENDING"},
        lambda r: isinstance(r, Protocolo) and r.id == UUID,
        body=RECEIVABLE_WIRE,
        status=202,
    ),
    Case(
        "searchInstallmentsToPayByFilter",
        "GET",
        f"{FIN}/contas-a-pagar/buscar",
        lambda ca: ca.contas_a_pagar.list(
            data_vencimento_de=date(2027, 8, 15),
            data_vencimento_ate=date(2027, 8, 20),
            ids_categorias=[UUID],
            campo_ordenado_ascendente="NOME",
            extra_headers=TRACE,
        ),
        {"itens_totais": 1, "itens": [{"id": UUID, "fornecedor": {"nome": "Aluguel SA"}}]},
        lambda r: isinstance(_first(r), ContaAPagar) and _first(r).fornecedor.nome == "Aluguel SA",
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "data_vencimento_de": ["2027-08-15"],
            "data_vencimento_ate": ["2027-08-20"],
            "ids_categorias": [UUID],
            "campo_ordenado_ascendente": ["NOME"],
        },
        pager=True,
    ),
    Case(
        "getInstallmentById",
        "GET",
        f"{FIN}/parcelas/{UUID}",
        lambda ca: ca.parcelas.get(UUID, extra_headers=TRACE),
        {
            "id": UUID,
            "versao": 3,
            "data_vencimento": "2025-09-05",
            "baixas": [{"id": OTHER, "conta_financeira": {"id": OTHER, "nome": "BB"}}],
        },
        lambda r: (
            isinstance(r, Parcela)
            and r.versao == 3
            and r.data_vencimento == date(2025, 9, 5)
            and r.model_dump()["baixas"][0]["conta_financeira"]["nome"] == "BB"
        ),
    ),
    Case(
        "updateInstallment",
        "PATCH",
        f"{FIN}/parcelas/{UUID}",
        lambda ca: ca.parcelas.patch(
            UUID, {"versao": 3, "vencimento": date(2024, 7, 15)}, extra_headers=TRACE
        ),
        {"versao": 4, "vencimento": "2024-07-15", "conta_financeira": {"id": OTHER}},
        lambda r: isinstance(r, ParcelaAtualizada) and r.versao == 4,
        body={"versao": 3, "vencimento": "2024-07-15"},
    ),
    Case(
        "getAlteredFinancialEvents",
        "GET",
        f"{FIN}/alteracoes",
        lambda ca: ca.eventos_financeiros.alteracoes(
            data_inicio=datetime(2026, 1, 1, 23, 59, 59, tzinfo=SAO_PAULO),
            data_fim=datetime(2026, 3, 13, 2, 59, 59, tzinfo=UTC),
            extra_headers=TRACE,
        ),
        {"itens_totais": 1, "itens": [{"id": UUID}]},
        lambda r: _first(r).id == UUID,
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "data_inicio": ["2026-01-01T23:59:59"],
            "data_fim": ["2026-03-12T23:59:59"],
        },
        pager=True,
    ),
    Case(
        "getInitialBalancesOfFinancialAccounts",
        "GET",
        f"{FIN}/saldo-inicial",
        lambda ca: ca.eventos_financeiros.saldos_iniciais(
            data_inicio=datetime(2026, 1, 1, tzinfo=SAO_PAULO),
            data_fim=datetime(2026, 3, 12, tzinfo=SAO_PAULO),
            extra_headers=TRACE,
        ),
        {"itens_totais": 1, "itens": [{"id_conta_financeira": UUID, "saldo_inicial": -2500.01}]},
        lambda r: _first(r).saldo_inicial == Decimal("-2500.01"),
        query={
            "pagina": ["1"],
            "tamanho_pagina": ["1000"],
            "data_inicio": ["2026-01-01T00:00:00"],
            "data_fim": ["2026-03-12T00:00:00"],
        },
        pager=True,
    ),
    Case(
        "criarBaixa",
        "POST",
        f"{FIN}/parcelas/{UUID}/baixa",
        lambda ca: ca.baixas.create(
            UUID,
            BaixaCriacao(
                data_pagamento=date(2023, 10, 1),
                conta_financeira=OTHER,
                composicao_valor=ComposicaoValor(
                    valor_bruto=Decimal("150"), juros=Decimal("2.5"), desconto=Decimal("0.1")
                ),
                metodo_pagamento="PIX_PAGAMENTO_INSTANTANEO",
            ),
            extra_headers=TRACE,
        ),
        {"id": OTHER, "versao": 1, "composicao_valor": {"valor_bruto": 150, "juros": 2.5}},
        lambda r: (
            isinstance(r, BaixaGravada)
            and r.model_dump()["composicao_valor"]["juros"] == Decimal("2.5")
        ),
        body={
            "data_pagamento": "2023-10-01",
            "conta_financeira": OTHER,
            "composicao_valor": {"valor_bruto": 150, "juros": 2.5, "desconto": 0.1},
            "metodo_pagamento": "PIX_PAGAMENTO_INSTANTANEO",
        },
    ),
    Case(
        "listarBaixas",
        "GET",
        f"{FIN}/parcelas/{UUID}/baixa",
        lambda ca: ca.baixas.list(UUID, extra_headers=TRACE),
        [{"id": OTHER, "valor_composicao": {"valor_bruto": 0.3}, "conta_financeira": UUID}],
        lambda r: (
            isinstance(_first(r), Baixa)
            and _first(r).valor_composicao.valor_bruto == Decimal("0.3")
        ),
        pager=True,
    ),
    Case(
        "atualizarBaixa",
        "PATCH",
        f"{FIN}/parcelas/baixa/{OTHER}",
        lambda ca: ca.baixas.patch(OTHER, {"versao": 1, "observacao": "ok"}, extra_headers=TRACE),
        {"id": OTHER, "versao": 2, "observacao": "ok"},
        lambda r: isinstance(r, BaixaGravada) and r.versao == 2,
        body={"versao": 1, "observacao": "ok"},
    ),
    Case(
        "deletarBaixa",
        "DELETE",
        f"{FIN}/parcelas/baixa/{OTHER}",
        lambda ca: ca.baixas.delete(OTHER, extra_headers=TRACE),
        None,
        lambda r: r is None,
    ),
    Case(
        "buscarBaixa",
        "GET",
        f"{FIN}/parcelas/baixa/{OTHER}",
        lambda ca: ca.baixas.get(OTHER, extra_headers=TRACE),
        {"id": OTHER, "atualizado_em": "2023-10-01T12:00:00Z", "tipo_evento_financeiro": "RECEITA"},
        lambda r: isinstance(r, Baixa) and r.atualizado_em == datetime(2023, 10, 1, 12, tzinfo=UTC),
    ),
    Case(
        "criarCobranca",
        "POST",
        f"{FIN}/contas-a-receber/gerar-cobranca",
        lambda ca: ca.cobrancas.create(
            {
                "conta_bancaria": OTHER,
                "descricao_fatura": "Fatura #1234",
                "id_parcela": UUID,
                "data_vencimento": date(2023, 10, 10),
                "tipo": "PIX_COBRANCA",
                "atributos": {"desconto_antecipado": {"percentual": "2.5", "dias_antes_vencer": 5}},
            },
            extra_headers=TRACE,
        ),
        {"id": UUID, "url": "https://pague.example/1", "status": "AGUARDANDO_CONFIRMACAO"},
        lambda r: isinstance(r, Cobranca) and r.status == "AGUARDANDO_CONFIRMACAO",
        body={
            "conta_bancaria": OTHER,
            "descricao_fatura": "Fatura #1234",
            "id_parcela": UUID,
            "data_vencimento": "2023-10-10",
            "tipo": "PIX_COBRANCA",
            "atributos": {"desconto_antecipado": {"percentual": 2.5, "dias_antes_vencer": 5}},
        },
    ),
    Case(
        "buscarCobrancaPorId",
        "GET",
        f"{FIN}/contas-a-receber/cobranca/{UUID}",
        lambda ca: ca.cobrancas.get(UUID, extra_headers=TRACE),
        {"id": UUID, "url": "https://pague.example/1", "status": "PAGO"},
        lambda r: r.status == "PAGO",
    ),
    Case(
        "deletarCobrancaPorId",
        "DELETE",
        f"{FIN}/contas-a-receber/cobranca/{UUID}",
        lambda ca: ca.cobrancas.delete(UUID, extra_headers=TRACE),
        None,
        lambda r: r is None,
    ),
    Case(
        "buscarProtocoloPorId",
        "GET",
        f"/v1/protocolo/{UUID}",
        lambda ca: ca.protocolos.get(UUID, extra_headers=TRACE),
        {"id": UUID, "status": "SUCCESS", "evento_financeiro_id": OTHER, "resposta": "ok"},
        lambda r: r.succeeded and r.evento_financeiro_id == OTHER,
    ),
]


def test_every_finance_operation_has_a_case() -> None:
    assert len({case.operation for case in CASES}) == len(CASES) == 26


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.operation)
@respx.mock
def test_operation(case: Case, make_client: MakeClient) -> None:
    answer = (
        httpx.Response(case.status)
        if case.answer is None
        else httpx.Response(case.status, json=case.answer)
    )
    route = respx.route(method=case.method, url=f"{BASE}{case.path}").mock(return_value=answer)
    run = make_client()
    result = run.items(case.invoke(run.client)) if case.pager else run(case.invoke(run.client))
    assert case.check(result), result

    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == case.method
    assert request.url.path == case.path
    sent_query: dict[str, list[str]] = {}
    for name, value in request.url.params.multi_items():
        sent_query.setdefault(name, []).append(value)
    assert sent_query == case.query
    assert request.headers["authorization"] == f"Bearer {ACCESS_TOKEN}"
    assert request.headers["x-trace"] == "m1"
    if case.body is None:
        assert request.content == b""
    else:
        assert request.headers["content-type"] == "application/json"
        assert json.loads(request.content) == case.body


@respx.mock
def test_a_list_pages_by_the_total(make_client: MakeClient) -> None:
    """1500 accounts at 1000 a page: two requests, the second for page 2."""

    def page(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["pagina"])
        count = 1000 if number == 1 else 500
        items = [{"id": f"{number}-{n}", "nome": f"c{n}"} for n in range(count)]
        return httpx.Response(200, json={"itens_totais": 1500, "itens": items})

    route = respx.get(f"{BASE}/v1/conta-financeira").mock(side_effect=page)
    run = make_client()
    accounts = run.items(run.client.contas_financeiras.list())
    assert len(accounts) == 1500
    assert [call.request.url.params["pagina"] for call in route.calls] == ["1", "2"]


@respx.mock
def test_a_write_missing_a_required_field_is_refused_before_sending(
    make_client: MakeClient,
) -> None:
    route = respx.route(host="api-v2.contaazul.com")
    run = make_client()
    without_value = receivable().model_dump(exclude={"valor"}, exclude_unset=True)
    writes: list[Callable[[], Any]] = [
        lambda: run.client.contas_a_receber.create(without_value),
        lambda: run.client.centros_de_custo.create({"codigo": "1"}),
        lambda: run.client.baixas.create(UUID, {"data_pagamento": date(2024, 1, 1)}),
        lambda: run.client.baixas.patch(UUID, {"observacao": "sem versão"}),
        lambda: run.client.parcelas.patch(UUID, {"nota": "sem versão"}),
        lambda: run.client.cobrancas.create({"tipo": "BOLETO"}),
    ]
    for write in writes:
        with pytest.raises(RequestValidationError):
            run(write())
    assert route.call_count == 0


@pytest.mark.parametrize(
    ("amount", "reason"), [(Decimal("0.001"), "cents"), (Decimal("-1"), "negative")]
)
def test_an_amount_filter_the_spec_cannot_express_is_refused(
    amount: Decimal, reason: str, make_client: MakeClient
) -> None:
    run = make_client()
    with pytest.raises(RequestValidationError, match="valor_de"):
        run.items(
            run.client.contas_a_pagar.list(
                data_vencimento_de=date(2024, 1, 1),
                data_vencimento_ate=date(2024, 1, 31),
                valor_de=amount,
            )
        )


@respx.mock
def test_a_path_id_is_checked(make_client: MakeClient) -> None:
    route = respx.route(host="api-v2.contaazul.com")
    run = make_client()
    with pytest.raises(RequestValidationError, match="baixa_id"):
        run(run.client.baixas.get("../conta-financeira"))
    assert route.call_count == 0
