"""What a Bling write refuses before sending, and what it sends although the caller left it
out: the marked fields of every record (a contact's CPF or CNPJ, a product's name length,
items' quantities and prices), a sales order without items or whose instalments miss its
total, and each order item's ``valorLista``, which Bling's spec requires."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sdkcore import APIModel, RequestValidationError
from sdkcore.money import cents, lines_total, parse_money
from sdkcore.write_checks import check_installments, check_outgoing

from .models import ItemPedidoVenda, PedidoVenda

_ZERO = Decimal(0)


def check_write(record: APIModel, *, whole: bool) -> None:
    """Raise ``RequestValidationError`` naming the first field of ``record`` a write must not
    send; ``whole`` when the write replaces the record (a create or a PUT), so a field it
    leaves out is cleared rather than kept."""
    check_outgoing(record)
    if isinstance(record, PedidoVenda):
        _check_items(record, whole=whole)
        _check_instalments(record)


def derived_fields(record: APIModel, body: dict[str, Any]) -> dict[str, Any]:
    """``body`` with the fields Bling's spec requires that the caller left out and that follow
    from what they gave: an order item's list price (``valorLista``) is its ``valor``."""
    if isinstance(record, PedidoVenda) and isinstance(body.get("itens"), list):
        for item in body["itens"]:
            if isinstance(item, dict) and "valor" in item:
                item.setdefault("valorLista", item["valor"])
    return body


def _check_items(pedido: PedidoVenda, *, whole: bool) -> None:
    sent = "itens" in pedido.model_fields_set
    if (sent or whole) and not pedido.itens:
        raise RequestValidationError("itens", "a sales order needs at least one item")


def _check_instalments(pedido: PedidoVenda) -> None:
    if not pedido.itens or not pedido.parcelas:
        return
    totals = _order_totals(pedido)
    if totals:
        check_installments((p.valor for p in pedido.parcelas), totals, "parcelas")


def _order_totals(pedido: PedidoVenda) -> list[Decimal]:
    """The order's total as Bling computes it (its items' quantity x ``valor``, less the
    discount, an amount or a percentage, plus other expenses and freight) rounded once and
    rounded per item; none when something else moves the total (IPI on an item, an unknown
    discount unit, an unreadable freight) or an item lacks its quantity or price."""
    items = pedido.itens or []
    if any(i.quantidade is None or i.valor is None for i in items):
        return []
    if any(i.aliquota_ipi for i in items):
        return []  # IPI is added on top, by rules of Bling's own
    freight = _amount((pedido.transporte or {}).get("frete"))
    discount = _discount(pedido)
    if freight is None or discount is None:
        return []
    extra = (pedido.outras_despesas or _ZERO) + freight
    once = sum((_line(i) for i in items), _ZERO)
    per_item = sum((lines_total([(i.quantidade, i.valor)]) for i in items), _ZERO)
    totals = [cents(s - discount(s) + extra) for s in (once, per_item)]
    return list(dict.fromkeys(totals))


def _line(item: ItemPedidoVenda) -> Decimal:
    return (item.quantidade or _ZERO) * (item.valor or _ZERO)


def _discount(pedido: PedidoVenda) -> Callable[[Decimal], Decimal] | None:
    desconto = pedido.desconto
    if desconto is None or desconto.valor is None:
        return lambda items: _ZERO
    unit = (desconto.unidade or "REAL").upper()
    value = desconto.valor
    if unit == "REAL":
        return lambda items: value
    if unit == "PERCENTUAL":
        return lambda items: items * value / 100
    return None


def _amount(value: Any) -> Decimal | None:
    """An amount from a loosely typed part of the order: 0 when absent, None unreadable."""
    if value is None:
        return _ZERO
    try:
        return parse_money(value)
    except ValueError:
        return None
