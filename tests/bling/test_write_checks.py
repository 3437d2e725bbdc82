"""Bling writes refuse, before sending, what is plainly wrong (a CPF or CNPJ with wrong check
digits, a name longer than the spec's ``maxLength``, negative quantities and prices, an order
without items, instalments that miss the order's total), and send the spec's required
``valorLista`` of an order item, derived from its ``valor``."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pytest

from bling import PedidoVenda, RequestValidationError
from bling._checks import check_write
from bling.models import ContatoPedido, ItemPedidoVenda, ParcelaPedidoVenda, Ref
from bling.testing import FakeBling

from ..runner import Runner


def _refused(run: Runner, call: Callable[[], Any]) -> RequestValidationError:
    with pytest.raises(RequestValidationError) as caught:
        run(call())
    return caught.value


def _pedido(**fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "contato": {"id": 1001},
        "itens": [{"produto": {"id": 1}, "quantidade": 2, "valor": "10.00"}],
    }
    body.update(fields)
    return body


def _parcelas(*valores: str) -> list[dict[str, Any]]:
    return [
        {"dataVencimento": "2025-01-10", "valor": v, "formaPagamento": {"id": 1}} for v in valores
    ]


def test_a_contact_with_a_wrong_document_is_refused(
    on_fake: Callable[..., Runner], fake: FakeBling
) -> None:
    run = on_fake()
    sent = len(fake.requests)
    error = _refused(
        run,
        lambda: run.client.contatos.create(
            {"nome": "Maria", "tipo": "F", "numeroDocumento": "123.456.789-10"}
        ),
    )
    assert error.field == "numeroDocumento"
    assert "CPF" in error.reason
    assert len(fake.requests) == sent
    # tipo J wants a CNPJ, even when the number is a good CPF
    assert (
        _refused(
            run,
            lambda: run.client.contatos.create(
                {"nome": "Loja", "tipo": "J", "numeroDocumento": "123.456.789-09"}
            ),
        ).field
        == "numeroDocumento"
    )
    # a foreign contact's document is not a CPF or CNPJ; a blank one is no document
    assert run(run.client.contatos.create({"nome": "Acme", "tipo": "E", "numeroDocumento": "X1"}))
    assert run(run.client.contatos.create({"nome": "Sem", "tipo": "F", "numeroDocumento": ""}))
    assert run(
        run.client.contatos.create(
            {"nome": "Nova", "tipo": "J", "numeroDocumento": "12.ABC.345/01DE-35"}
        )
    )


def test_the_contact_of_an_order_is_checked_by_its_tipo_pessoa(
    on_fake: Callable[..., Runner],
) -> None:
    run = on_fake()
    contato = {"id": 1001, "tipoPessoa": "J", "numeroDocumento": "98.765.432/0001-10"}
    error = _refused(run, lambda: run.client.pedidos_vendas.create(_pedido(contato=contato)))
    assert error.field == "contato.numeroDocumento"


def test_a_product_name_longer_than_the_spec_allows(on_fake: Callable[..., Runner]) -> None:
    run = on_fake()
    long_name = "x" * 121
    for call in (
        lambda: run.client.produtos.create({"nome": long_name, "tipo": "P", "formato": "S"}),
        lambda: run.client.produtos.patch(1, {"nome": long_name}),
    ):
        error = _refused(run, call)
        assert error.field == "nome"
        assert "120" in error.reason
    assert run(run.client.produtos.create({"nome": "x" * 120, "tipo": "P", "formato": "S"}))


def test_an_order_without_items_is_refused(on_fake: Callable[..., Runner]) -> None:
    run = on_fake()
    bodies: list[dict[str, Any]] = [{"contato": {"id": 1001}}, _pedido(itens=[])]
    for body in bodies:
        error = _refused(run, partial(run.client.pedidos_vendas.create, body))
        assert error.field == "itens"
    created = run(run.client.pedidos_vendas.create(_pedido()))
    error = _refused(run, lambda: run.client.pedidos_vendas.update(created.id, _pedido(itens=[])))
    assert error.field == "itens"


def test_negative_quantities_and_prices_on_items(on_fake: Callable[..., Runner]) -> None:
    run = on_fake()
    itens = [
        {"produto": {"id": 1}, "quantidade": 1, "valor": 5},
        {"produto": {"id": 2}, "quantidade": -1, "valor": 5},
    ]
    error = _refused(run, lambda: run.client.pedidos_vendas.create(_pedido(itens=itens)))
    assert error.field == "itens[1].quantidade"
    itens = [{"produto": {"id": 1}, "quantidade": 1, "valor": "-5,00"}]
    proposta = {"contato": {"id": 1001}, "itens": itens}
    error = _refused(run, lambda: run.client.propostas_comerciais.create(proposta))
    assert error.field == "itens[0].valor"


def test_instalments_must_add_up_to_the_orders_total(on_fake: Callable[..., Runner]) -> None:
    run = on_fake()
    error = _refused(
        run, lambda: run.client.pedidos_vendas.create(_pedido(parcelas=_parcelas("10", "5")))
    )
    assert error.field == "parcelas"
    assert "15" in error.reason
    assert "20" in error.reason
    # items 20, less 10% off, plus 3 of other expenses and 4 of freight: 25
    body = _pedido(
        desconto={"valor": 10, "unidade": "PERCENTUAL"},
        outrasDespesas=3,
        transporte={"frete": 4},
        parcelas=_parcelas("12.50", "12.50"),
    )
    assert run(run.client.pedidos_vendas.create(body)).id > 0
    off = _pedido(desconto={"valor": "2.5"}, parcelas=_parcelas("17.50"))
    assert run(run.client.pedidos_vendas.create(off)).id > 0


def test_instalments_are_not_checked_when_the_total_is_not_known(
    on_fake: Callable[..., Runner],
) -> None:
    run = on_fake()
    itens = [{"produto": {"id": 1}, "quantidade": 2, "valor": 10, "aliquotaIPI": 10}]
    body = _pedido(itens=itens, parcelas=_parcelas("22"))  # IPI on top: Bling's own sum
    assert run(run.client.pedidos_vendas.create(body)).id > 0
    for unknown in (
        {"desconto": {"valor": 1, "unidade": "PONTOS"}},  # a discount unit the spec lacks
        {"itens": [{"produto": {"id": 1}, "valor": 10}]},  # no quantity
    ):
        body = _pedido(parcelas=_parcelas("1"), **unknown)
        assert run(run.client.pedidos_vendas.create(body)).id > 0
    # a freight that is not an amount (the fake cannot total it, so the check runs alone)
    unreadable = _pedido(transporte={"frete": "a combinar"}, parcelas=_parcelas("1"))
    check_write(PedidoVenda.model_validate(unreadable), whole=True)


def test_valor_lista_is_sent_as_the_items_valor(
    on_fake: Callable[..., Runner], fake: FakeBling
) -> None:
    run = on_fake()
    pedido = PedidoVenda(
        contato=ContatoPedido(id=1001),
        itens=[
            ItemPedidoVenda(produto=Ref(id=1), quantidade=1, valor="12.50"),
            ItemPedidoVenda(produto=Ref(id=2), quantidade=1, valor=10, valor_lista=11),
        ],
        parcelas=[
            ParcelaPedidoVenda(
                data_vencimento="2025-01-10", valor="22.50", forma_pagamento=Ref(id=1)
            )
        ],
    )
    run(run.client.pedidos_vendas.create(pedido))
    sent = fake.requests[-1].json()["itens"]
    assert [(i["valor"], i["valorLista"]) for i in sent] == [(12.5, 12.5), (10, 11)]
    assert pedido.itens is not None
    assert pedido.itens[0].valor_lista is None
