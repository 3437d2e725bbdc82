from __future__ import annotations

import inspect
from typing import Any

import bling
from bling import AsyncBling, Bling
from bling._table import OPERATIONS


def public_methods(obj: Any) -> dict[str, Any]:
    return {
        name: member
        for name, member in inspect.getmembers(obj)
        if not name.startswith("_") and callable(member)
    }


def test_every_sync_method_has_an_async_twin_with_the_same_signature() -> None:
    sync_client = Bling("t-0123456789abcdef")
    async_client = AsyncBling("t-0123456789abcdef")
    resources = sorted({row[0] for row in OPERATIONS})
    assert len(resources) > 15
    for resource in resources:
        sync_res: Any = sync_client
        async_res: Any = async_client
        for part in resource.split("."):
            sync_res, async_res = getattr(sync_res, part), getattr(async_res, part)
        sync_methods = public_methods(sync_res)
        async_methods = public_methods(async_res)
        assert set(sync_methods) == set(async_methods), resource
        for name, method in sync_methods.items():
            twin = async_methods[name]
            sync_sig = inspect.signature(method)
            async_sig = inspect.signature(twin)
            assert list(sync_sig.parameters.values()) == list(async_sig.parameters.values()), (
                f"{resource}.{name}"
            )
            if name != "list":
                assert inspect.iscoroutinefunction(twin), f"{resource}.{name} is not async"


def test_client_level_methods_have_twins() -> None:
    for name in ("request", "close", "with_options"):
        sync = inspect.signature(getattr(Bling, name))
        asyn = inspect.signature(getattr(AsyncBling, name))
        assert list(sync.parameters) == list(asyn.parameters)


def test_public_names_of_the_issue() -> None:
    for name in (
        "Bling",
        "AsyncBling",
        "BlingOAuth",
        "FileTokenStore",
        "Contato",
        "Produto",
        "PedidoVenda",
        "ItemPedidoVenda",
        "ParcelaPedidoVenda",
        "PropostaComercial",
        "ContaPagar",
        "ContaReceber",
        "FormaPagamento",
        "Categoria",
        "NaturezaOperacao",
        "Vendedor",
        "ReauthorizationRequired",
        "RateLimitError",
    ):
        assert hasattr(bling, name), name
    assert set(bling.__all__) <= set(dir(bling))
    client = Bling("t-0123456789abcdef")
    for resource in (
        "contatos",
        "produtos",
        "pedidos_vendas",
        "propostas_comerciais",
        "contas_pagar",
        "contas_receber",
        "formas_pagamentos",
        "categorias_receitas_despesas",
        "categorias_produtos",
        "naturezas_operacoes",
        "vendedores",
        "depositos",
        "estoques",
        "situacoes",
        "empresas",
        "webhooks",
    ):
        assert hasattr(client, resource), resource


def test_client_defaults() -> None:
    client = Bling("t-0123456789abcdef")
    assert client.base_url == "https://api.bling.com.br/Api/v3"
    assert client.rate_limiter is not None
    assert client.rate_limiter.rate == 3
    assert client.timeout.read == 60
    assert client.timeout.connect == 5
    copy = client.with_options(timeout=5)
    assert copy.contatos is not client.contatos
    assert copy._http is client._http
    assert "t-0123456789abcdef" not in repr(client)
    with Bling("t-0123456789abcdef") as scoped:
        assert scoped.contatos.list is not None
