"""The bridge's Bling flow end to end on FakeBling, sync and async, and the CLI server."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import httpx
import pytest

from bling import NotFoundError, PedidoVenda, Produto, ProdutoResumo
from bling.testing import FakeBling, Fault

from .conftest import Runner

REPO = Path(__file__).resolve().parents[2]


def test_the_bridge_flow(on_fake: Callable[..., Runner], fake: FakeBling) -> None:
    run = on_fake()
    bling = run.client
    cliente = run.items(bling.contatos.list(numero_documento="12345678909"))
    assert [c.id for c in cliente] == [1001]
    servicos = run.items(bling.produtos.list(tipo="S"))
    assert all(isinstance(p, ProdutoResumo) and p.is_service for p in servicos)
    formas = run.items(bling.formas_pagamentos.list())
    boleto = next(f for f in formas if f.descricao == "Boleto")
    assert run.items(bling.categorias_receitas_despesas.list())
    assert run.items(bling.naturezas_operacoes.list())
    assert run.items(bling.vendedores.list())[0].contato.nome == "Oficina Boa Ltda"
    pedido_id = run(
        bling.pedidos_vendas.create(
            {
                "contato": {"id": 1001},
                "itens": [{"produto": {"id": servicos[0].id}, "quantidade": 1, "valor": "350,00"}],
                "parcelas": [
                    {
                        "dataVencimento": "2025-01-10",
                        "valor": 350,
                        "formaPagamento": {"id": boleto.id},
                    }
                ],
            }
        )
    )
    pedido = run(bling.pedidos_vendas.get(pedido_id))
    assert isinstance(pedido, PedidoVenda)
    assert pedido.total == Decimal("350")
    run(bling.pedidos_vendas.lancar_contas(pedido_id))
    contas = run.items(bling.contas_receber.list(id_contato=1001, situacoes=[1]))
    assert [c.valor for c in contas] == [Decimal("350")]
    run(bling.contas_receber.baixar(contas[0].id, {"data": "2025-01-10"}))
    assert run.items(bling.contas_receber.list(situacoes=[1])) == []
    run(bling.pedidos_vendas.alterar_situacao(pedido_id, 9))
    run(bling.pedidos_vendas.estornar_contas(pedido_id))
    run(bling.pedidos_vendas.delete(pedido_id))
    with pytest.raises(NotFoundError):
        run(bling.pedidos_vendas.get(pedido_id))


def test_crud_on_the_fake(on_fake: Callable[..., Runner], fake: FakeBling) -> None:
    run = on_fake()
    bling = run.client
    ident = run(bling.contatos.create({"nome": "Novo", "tipo": "J", "email": "a@b.c"}))
    contato = run(bling.contatos.get(ident))
    contato.nome = "Novo Nome"
    run(bling.contatos.update(ident, {"nome": "Só o nome", "tipo": "J"}))
    assert run(bling.contatos.get(ident)).email is None  # PUT cleared the omitted field
    run(bling.contatos.alterar_situacao(ident, "I"))
    assert fake.data["contatos"][ident]["situacao"] == "I"
    run(bling.contatos.delete_many([ident]))
    assert ident not in fake.data["contatos"]
    produto = run(bling.produtos.create(Produto(nome="Peça", tipo="P", preco=Decimal("9.99"))))
    run(bling.produtos.patch(produto, {"preco": Decimal("10.50")}))
    assert fake.data["produtos"][produto]["preco"] == 10.5
    run(bling.produtos.update(produto, {"nome": "Peça nova"}))
    run(bling.produtos.delete(produto))
    proposta = run(bling.propostas_comerciais.create({"contato": {"id": 1001}}))
    assert run(bling.propostas_comerciais.get(proposta)).contato.id == 1001
    assert run.items(bling.propostas_comerciais.list())
    conta = run(
        bling.contas_pagar.create(
            {"vencimento": "2025-02-01", "valor": 10, "contato": {"id": 1003}}
        )
    )
    assert run(bling.contas_pagar.get(conta)).valor == 10
    assert run.items(bling.contas_pagar.list())
    assert run(bling.formas_pagamentos.get(3001)).descricao == "Dinheiro"
    assert run(bling.formas_pagamentos.create({"descricao": "Cartão"}))
    assert run(bling.categorias_receitas_despesas.get(4001)).tipo == 2
    assert run(bling.vendedores.get(6001)).id == 6001
    assert run.items(bling.depositos.list())[0].padrao is True
    assert run(bling.empresas.get_dados_basicos()).nome == "Empresa Fake LTDA"
    run(
        bling.pedidos_vendas.lancar_estoque(
            run(bling.pedidos_vendas.create({"contato": {"id": 1001}, "itens": [{"valor": 1}]}))
        )
    )
    with pytest.raises(NotFoundError):
        run(bling.contatos.delete(1))


def test_scripted_faults(on_fake: Callable[..., Runner], fake: FakeBling) -> None:
    run = on_fake()
    fake.fail_next(Fault(status=503, path_prefix="/Api/v3/contatos"))
    assert run(run.client.contatos.get(1001)).id == 1001  # retried after the 503
    assert len(fake.requests) == 2


def test_serve_from_the_command_line(tmp_path: Path) -> None:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    proc = subprocess.Popen(
        [sys.executable, "-m", "bling.testing", "serve", "--port", str(port)],
        cwd=REPO,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        assert f"127.0.0.1:{port}" in first
        # the one line every fake prints: `serving on URL fake=bling base_url=... access_token=...`
        token = next(w.split("=", 1)[1] for w in first.split() if w.startswith("access_token="))
        deadline = time.monotonic() + 10
        while True:
            try:
                answer = httpx.get(
                    f"http://127.0.0.1:{port}/Api/v3/contatos/1001",
                    headers={"Authorization": f"Bearer {token}"},
                )
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
        assert answer.json()["data"]["nome"] == "Maria Souza"
    finally:
        proc.terminate()
        proc.wait(timeout=10)
