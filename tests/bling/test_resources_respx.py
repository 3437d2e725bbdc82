"""Method, URL, query, headers and body per endpoint, asserted with respx; sync and async."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import httpx
import pytest
import respx

from bling import (
    ContaReceber,
    Contato,
    Created,
    ItemPedidoVenda,
    ParcelaPedidoVenda,
    PedidoVenda,
    Produto,
    Ref,
    RequestValidationError,
)
from bling.models import (
    Alerta,
    Alertas,
    CalculoImpostos,
    ContaBaixada,
    ContatoPedido,
    ProdutoFornecedor,
    ProdutoLojaSalvo,
    ProdutoLote,
    ProdutoLoteLancamento,
    ProdutoLoteSaldoSoma,
    ProdutoSalvo,
    SituacaoTransicao,
)

from .conftest import BASE, Runner

MakeClient = Callable[..., Runner]


@respx.mock
def test_contatos_list_query_and_parse(make_client: MakeClient) -> None:
    route = respx.get(f"{BASE}/contatos").mock(
        return_value=httpx.Response(
            200, json={"data": [{"id": 1, "nome": "A", "numeroDocumento": "1"}]}
        )
    )
    run = make_client()
    items = run.items(
        run.client.contatos.list(
            criterio=1,
            pesquisa="Maria",
            ids_contatos=[1, 2],
            data_alteracao_inicial=datetime(2024, 1, 1, 13, 0, tzinfo=ZoneInfo("UTC")),
            data_alteracao_final="2024-01-31 23:59:59",
        )
    )
    assert [c.nome for c in items] == ["A"]
    request = route.calls.last.request
    assert request.headers["authorization"] == "Bearer test-access-token-0123456789"
    assert request.headers["enable-jwt"] == "1"
    params = request.url.params
    assert params["criterio"] == "1"
    assert params["pesquisa"] == "Maria"
    assert params.get_list("idsContatos[]") == ["1", "2"]
    assert params["dataAlteracaoInicial"] == "2024-01-01 10:00:00"  # São Paulo time
    assert params["dataAlteracaoFinal"] == "2024-01-31 23:59:59"
    assert params["pagina"] == "1"
    assert params["limite"] == "100"


@respx.mock
def test_contatos_get_update_delete(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/contatos/7").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": {
                    "id": 7,
                    "nome": "Maria",
                    "tipo": "F",
                    "situacao": "A",
                    "financeiro": {"limiteCredito": 1500.5},
                    "dadosAdicionais": {"dataNascimento": "0000-00-00"},
                    "novoCampo": "kept",
                }
            },
        )
    )
    put = respx.put(f"{BASE}/contatos/7").mock(return_value=httpx.Response(204))
    delete = respx.delete(f"{BASE}/contatos/7").mock(return_value=httpx.Response(204))
    run = make_client()
    contato = run(run.client.contatos.get(7))
    assert isinstance(contato, Contato)
    assert contato.financeiro is not None
    assert contato.financeiro.limite_credito == Decimal("1500.5")
    assert contato.dados_adicionais is not None
    assert contato.dados_adicionais.data_nascimento is None
    contato.email = "maria@example.com"
    assert run(run.client.contatos.update(7, contato)) is None
    body = json.loads(put.calls.last.request.content)
    assert body["email"] == "maria@example.com"
    assert body["novoCampo"] == "kept"  # the full record goes back
    assert body["financeiro"] == {"limiteCredito": 1500.5}
    assert "id" not in body
    assert run(run.client.contatos.delete(7)) is None
    assert delete.called


@respx.mock
def test_pedido_create_sends_the_model_and_returns_the_id(make_client: MakeClient) -> None:
    route = respx.post(f"{BASE}/pedidos/vendas").mock(
        return_value=httpx.Response(
            201, json={"data": {"id": 99, "alertas": [{"code": 1, "msg": "aviso"}]}}
        )
    )
    pedido = PedidoVenda(
        contato=ContatoPedido(id=1001),
        data=date(2024, 5, 2),
        itens=[
            ItemPedidoVenda(produto=Ref(id=2002), quantidade=Decimal("2"), valor=Decimal("80.02"))
        ],
        parcelas=[
            ParcelaPedidoVenda(
                data_vencimento=date(2024, 6, 1),
                valor=Decimal("160.04"),
                forma_pagamento=Ref(id=3),
            )
        ],
    )
    run = make_client()
    created = run(run.client.pedidos_vendas.create(pedido))
    assert isinstance(created, Created)
    assert created == 99
    assert str(created) == "99"
    assert created.alertas == [{"code": 1, "msg": "aviso"}]
    assert json.loads(route.calls.last.request.content) == {
        "contato": {"id": 1001},
        "data": "2024-05-02",
        # valorLista, required by Bling's spec, is the item's valor unless given
        "itens": [{"produto": {"id": 2002}, "quantidade": 2, "valor": 80.02, "valorLista": 80.02}],
        "parcelas": [
            {"dataVencimento": "2024-06-01", "valor": 160.04, "formaPagamento": {"id": 3}}
        ],
    }


@respx.mock
def test_sub_actions(make_client: MakeClient) -> None:
    lancar = respx.post(f"{BASE}/pedidos/vendas/5/lancar-contas").mock(
        return_value=httpx.Response(204)
    )
    situacao = respx.patch(f"{BASE}/pedidos/vendas/5/situacoes/9").mock(
        return_value=httpx.Response(204)
    )
    deposito = respx.post(f"{BASE}/pedidos/vendas/5/lancar-estoque/3").mock(
        return_value=httpx.Response(204)
    )
    nfe = respx.post(f"{BASE}/pedidos/vendas/5/gerar-nfe").mock(
        return_value=httpx.Response(201, json={"data": {"idNotaFiscal": 44}})
    )
    baixar = respx.post(f"{BASE}/contas/receber/8/baixar").mock(
        return_value=httpx.Response(200, json={"data": {"bordero": {"id": 1}}})
    )
    contato_situacao = respx.patch(f"{BASE}/contatos/4/situacoes").mock(
        return_value=httpx.Response(204)
    )
    run = make_client()
    assert run(run.client.pedidos_vendas.lancar_contas(5)) is None
    assert run(run.client.pedidos_vendas.alterar_situacao(5, 9)) is None
    assert run(run.client.pedidos_vendas.lancar_estoque_deposito(5, 3)) is None
    assert run(run.client.pedidos_vendas.gerar_nfe(5)) == 44
    baixa = {"data": date(2024, 1, 2), "usarDataVencimento": False, "valorRecebido": "350,00"}
    baixada = run(run.client.contas_receber.baixar(8, baixa))
    assert isinstance(baixada, ContaBaixada)
    assert baixada.bordero == Ref(id=1)
    assert run(run.client.contatos.alterar_situacao(4, "I")) is None
    assert lancar.called
    assert situacao.called
    assert deposito.called
    assert nfe.called
    assert json.loads(baixar.calls.last.request.content) == {
        "data": "2024-01-02",
        "usarDataVencimento": False,
        "valorRecebido": 350,
    }
    assert json.loads(contato_situacao.calls.last.request.content) == {"situacao": "I"}


@respx.mock
def test_delete_many_and_alerts(make_client: MakeClient) -> None:
    alerta = {"error": {"type": "VALIDATION_ERROR", "message": "Contato 3 em uso", "fields": []}}
    route = respx.delete(f"{BASE}/contatos").mock(
        side_effect=[
            httpx.Response(200, json={"data": {"alertas": [alerta]}}),
            httpx.Response(204),
        ]
    )
    run = make_client()
    alertas = run(run.client.contatos.delete_many([1, 2, 3]))
    assert isinstance(alertas, Alertas)
    assert alertas.alertas is not None
    first = alertas.alertas[0]
    assert isinstance(first, Alerta)
    assert first.error is not None
    assert first.error.type == "VALIDATION_ERROR"
    assert route.calls.last.request.url.params.get_list("idsContatos[]") == ["1", "2", "3"]
    assert run(run.client.contatos.delete_many([4])) is None  # 204: nothing to report


@respx.mock
def test_produto_patch_and_service(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/produtos/2").mock(
        return_value=httpx.Response(
            200, json={"data": {"id": 2, "nome": "Visita", "tipo": "S", "preco": "120.00"}}
        )
    )
    patch = respx.patch(f"{BASE}/produtos/2").mock(
        return_value=httpx.Response(200, json={"data": {"id": 2, "warnings": []}})
    )
    run = make_client()
    produto = run(run.client.produtos.get(2))
    assert isinstance(produto, Produto)
    assert produto.is_service
    assert produto.preco == Decimal("120.00")
    run(run.client.produtos.patch(2, {"preco": Decimal("130.50")}))
    assert json.loads(patch.calls.last.request.content) == {"preco": 130.5}


@respx.mock
def test_per_call_options(make_client: MakeClient) -> None:
    route = respx.get(f"{BASE}/contas/receber/1").mock(
        return_value=httpx.Response(200, json={"data": {"id": 1, "valor": 10}})
    )
    run = make_client()
    conta = run(
        run.client.contas_receber.get(
            1, extra_headers={"X-Trace": "abc"}, extra_query={"debug": "1"}, timeout=3
        )
    )
    assert isinstance(conta, ContaReceber)
    assert conta.valor == Decimal("10")
    request = route.calls.last.request
    assert request.headers["x-trace"] == "abc"
    assert request.url.params["debug"] == "1"
    assert request.extensions["timeout"]["read"] == 3


@respx.mock
def test_escape_hatch_request(make_client: MakeClient) -> None:
    route = respx.get(f"{BASE}/nfe").mock(
        return_value=httpx.Response(200, json={"data": [{"id": 1}]})
    )
    run = make_client()
    assert run(run.client.request("GET", "/nfe", params={"pagina": 1})) == {"data": [{"id": 1}]}
    assert route.calls.last.request.headers["enable-jwt"] == "1"


@respx.mock
def test_raw_response(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/contatos/1").mock(
        return_value=httpx.Response(
            200, json={"data": {"id": 1}}, headers={"x-request-id": "req-1"}
        )
    )
    run = make_client()
    raw = run(run.client.with_raw_response.contatos.get(1))
    assert raw.status_code == 200
    assert raw.parsed.id == 1
    assert raw.request_id == "req-1"


def test_bad_input_is_refused_before_sending(make_client: MakeClient) -> None:
    run = make_client()
    with pytest.raises(RequestValidationError, match="id_contato"):
        run(run.client.contatos.get("12; DROP"))
    with pytest.raises(RequestValidationError, match="id_contato"):
        run(run.client.contatos.get(True))
    with pytest.raises(RequestValidationError, match="nome"):
        run(run.client.contatos.create({"tipo": "F"}))
    with pytest.raises(RequestValidationError, match="Contato"):
        run(run.client.contatos.create(["not", "a", "record"]))
    with pytest.raises(RequestValidationError, match="limite"):
        run.client.contatos.list(limite=500)
    with pytest.raises(RequestValidationError, match="pagina"):
        run.client.contatos.list(pagina=0)


@respx.mock
def test_produtos_lotes_typed(make_client: MakeClient) -> None:
    lote = {
        "idLote": 11,
        "codigoLote": "L-1",
        "dataFabricacao": "2024-01-02",
        "dataValidade": "0000-00-00",
        "produto": {"id": 2},
        "deposito": {"id": 3},
        "status": 7,  # a status Bling may add later is kept as it is
    }
    listing = respx.get(f"{BASE}/produtos/lotes").mock(
        return_value=httpx.Response(200, json={"data": [lote]})
    )
    respx.get(f"{BASE}/produtos/lotes/11/lancamentos").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {"id": 5, "idLote": 11, "quantidade": "2.5", "data": "2024-03-01 10:00:00"}
                ]
            },
        )
    )
    respx.get(f"{BASE}/produtos/2/lotes/saldo/soma").mock(
        return_value=httpx.Response(200, json={"data": {"produto": {"id": 2}, "saldoTotal": 12.1}})
    )
    status = respx.patch(f"{BASE}/produtos/lotes/11/status").mock(return_value=httpx.Response(204))
    run = make_client()
    lotes = run.items(run.client.produtos.lotes.list([2]))
    assert lotes == [
        ProdutoLote(
            id_lote=11,
            codigo_lote="L-1",
            data_fabricacao=date(2024, 1, 2),
            data_validade=None,
            produto=Ref(id=2),
            deposito=Ref(id=3),
            status=7,
        )
    ]
    assert listing.calls.last.request.url.params.get_list("idsProdutos[]") == ["2"]
    [lancamento] = run(run.client.produtos.lotes.list_lancamentos(11))
    assert isinstance(lancamento, ProdutoLoteLancamento)
    assert lancamento.quantidade == Decimal("2.5")
    assert lancamento.data == datetime(2024, 3, 1, 10, tzinfo=ZoneInfo("America/Sao_Paulo"))
    soma = run(run.client.produtos.lotes.get_soma_saldos(2))
    assert isinstance(soma, ProdutoLoteSaldoSoma)
    assert soma.saldo_total == Decimal("12.1")
    assert run(run.client.produtos.lotes.alterar_status(11, 2)) is None
    assert json.loads(status.calls.last.request.content) == {"status": 2}


@respx.mock
def test_produtos_fornecedores_lojas_and_updates(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/produtos/fornecedores/4").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"id": 4, "precoCusto": 5.9, "padrao": True, "fornecedor": {"id": 9}}},
        )
    )
    respx.put(f"{BASE}/produtos/fornecedores/4").mock(
        return_value=httpx.Response(200, json={"data": {"id": 4}})
    )
    respx.put(f"{BASE}/produtos/lojas/6").mock(
        return_value=httpx.Response(200, json={"data": {"id": 6, "categoriasProdutos": {"id": 1}}})
    )
    respx.patch(f"{BASE}/produtos/2").mock(
        return_value=httpx.Response(
            200,
            json={"data": {"id": 2, "variations": {"saved": [{"id": 3}]}, "warnings": ["w"]}},
        )
    )
    run = make_client()
    fornecedor = run(run.client.produtos.fornecedores.get(4))
    assert isinstance(fornecedor, ProdutoFornecedor)
    assert fornecedor.preco_custo == Decimal("5.9")
    assert fornecedor.fornecedor == Ref(id=9)
    assert run(run.client.produtos.fornecedores.update(4, {"precoCusto": 6})) == 4
    loja = run(run.client.produtos.lojas.update(6, {"preco": 1}))
    assert isinstance(loja, ProdutoLojaSalvo)
    assert loja.categorias_produtos == [Ref(id=1)]  # one object reads as a list of one
    salvo = run(run.client.produtos.patch(2, {"nome": "X"}))
    assert isinstance(salvo, ProdutoSalvo)
    assert salvo.variations is not None
    assert salvo.variations.saved == [ProdutoSalvo(id=3)]
    assert salvo.warnings == ["w"]


@respx.mock
def test_obter_tributacao_and_transicoes(make_client: MakeClient) -> None:
    respx.post(f"{BASE}/naturezas-operacoes/8/obter-tributacao").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": {
                    "cfop": 5102,
                    "aliquotaFunrural": 0.1,
                    "icms": {"cst": "00", "aliquota": 18, "valorImposto": "18.00"},
                    "ipi": {"valorIpiFixoUnitario": 1.5, "tributoNovo": "x"},
                }
            },
        )
    )
    respx.get(f"{BASE}/situacoes/modulos/1/transicoes").mock(
        return_value=httpx.Response(
            200,
            json={
                "data": [
                    {
                        "id": 9,
                        "ativo": True,
                        "acoes": [6],
                        "situacaoOrigem": {"id": 1, "nome": "Em aberto"},
                    }
                ]
            },
        )
    )
    run = make_client()
    calculo = run(run.client.naturezas_operacoes.obter_tributacao(8, {"produto": {"id": 2}}))
    assert isinstance(calculo, CalculoImpostos)
    assert calculo.cfop == 5102
    assert calculo.aliquota_funrural == Decimal("0.1")
    assert calculo.icms is not None
    assert calculo.icms.valor_imposto == Decimal("18.00")
    assert calculo.ipi is not None
    assert calculo.ipi.valor_ipi_fixo_unitario == Decimal("1.5")
    assert calculo.ipi.model_extra == {"tributoNovo": "x"}  # fields Bling adds are kept
    [transicao] = run(run.client.situacoes.list_transicoes(1))
    assert isinstance(transicao, SituacaoTransicao)
    assert transicao.situacao_origem is not None
    assert transicao.situacao_origem.nome == "Em aberto"
    assert transicao.acoes == [6]


@respx.mock
def test_a_date_for_an_instant_filter_covers_the_whole_day(make_client: MakeClient) -> None:
    route = respx.get(f"{BASE}/contatos").mock(return_value=httpx.Response(200, json={"data": []}))
    run = make_client()
    run.items(
        run.client.contatos.list(
            data_alteracao_inicial=date(2024, 1, 1), data_alteracao_final=date(2024, 1, 31)
        )
    )
    query = route.calls.last.request.url.params
    assert query["dataAlteracaoInicial"] == "2024-01-01 00:00:00"
    assert query["dataAlteracaoFinal"] == "2024-01-31 23:59:59"
