"""The records automations watch in Conta Azul that no single answer of the API carries,
shared by the adapter's declaration and its automation I/O."""

from __future__ import annotations

from pydantic import Field

from contaazul.v2.models import ItemDaVenda, Venda

__all__ = ["VendaComItens"]


class VendaComItens(Venda):
    """A sale as automations watch it: the sale list's row (whose ``itens`` only says what
    kind of items it has) and its items (``GET /v1/venda/{id}/itens``), so a filter or a map
    can name a product or a service the sale sells."""

    itens_da_venda: list[ItemDaVenda] = Field(default_factory=list)
