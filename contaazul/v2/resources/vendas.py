"""Sales (``ca.vendas``, ``sales-openapi.yml``).

A sale needs a ``numero`` the company has not used: ``next_number()`` asks the API for it.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import (
    id_batch,
    list_parser,
    parse_bytes,
    parse_number,
    query,
    read_call,
    send_record,
    written_parser,
)
from .._paging import envelope_pages
from ..models import vendas as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

PATH = "/v1/venda"
PAGE_SIZE = 1000
"""The largest ``tamanho_pagina`` the sales lists accept (their enums end at it)."""
BATCH = 10
"""The most sales ``delete_many`` takes at once (the spec's ``maxItems``)."""


def _path(id: str, field: str = "id") -> str:
    return f"{PATH}/{PATH_SEGMENT_ID(id, field)}"


class Vendas(Resource[C]):
    """Sales: search, read, create, replace, their items and PDF, batch delete, the next
    number, the salespeople."""

    @paged
    def list(
        self,
        *,
        termo_busca: str | None = None,
        data_inicio: date | None = None,
        data_fim: date | None = None,
        data_criacao_de: date | None = None,
        data_criacao_ate: date | None = None,
        data_alteracao_de: datetime | None = None,
        data_alteracao_ate: datetime | None = None,
        ids_vendedores: Sequence[str] | None = None,
        ids_clientes: Sequence[str] | None = None,
        ids_natureza_operacao: Sequence[str] | None = None,
        situacoes: Sequence[str] | None = None,
        tipos: Sequence[str] | None = None,
        origens: Sequence[str] | None = None,
        numeros: Sequence[int] | None = None,
        ids_categorias: Sequence[str] | None = None,
        ids_produtos: Sequence[str] | None = None,
        pendente: bool | None = None,
        totais: str | None = None,
        ids_legado_donos: Sequence[int] | None = None,
        ids_legado_clientes: Sequence[int] | None = None,
        ids_legado_produtos: Sequence[int] | None = None,
        ids_legado_categorias: Sequence[int] | None = None,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.Venda]:
        """Sales, lazily. ``numeros=[42]`` finds a sale by its number; ``data_alteracao_de``
        keeps those changed since then (São Paulo local time on the wire)."""
        params = query(
            termo_busca=termo_busca,
            data_inicio=data_inicio,
            data_fim=data_fim,
            data_criacao_de=data_criacao_de,
            data_criacao_ate=data_criacao_ate,
            data_alteracao_de=data_alteracao_de,
            data_alteracao_ate=data_alteracao_ate,
            ids_vendedores=ids_vendedores,
            ids_clientes=ids_clientes,
            ids_natureza_operacao=ids_natureza_operacao,
            situacoes=situacoes,
            tipos=tipos,
            origens=origens,
            numeros=numeros,
            ids_categorias=ids_categorias,
            ids_produtos=ids_produtos,
            pendente=pendente,
            totais=totais,
            ids_legado_donos=ids_legado_donos,
            ids_legado_clientes=ids_legado_clientes,
            ids_legado_produtos=ids_legado_produtos,
            ids_legado_categorias=ids_legado_categorias,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(m.Venda, f"{PATH}/busca", per_call, params, page_size=PAGE_SIZE)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.VendaDetalhe]:
        """One sale by id: the sale, its customer, salesperson, contract and notice."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return read_call(per_call, _path(id), m.VendaDetalhe)

    @endpoint
    def create(
        self,
        record: m.VendaCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.VendaCriada]:
        """Create a sale: ``id_cliente``, ``numero`` (see ``next_number``), ``situacao``,
        ``data_venda``, ``itens`` (products and services by ``id``) and
        ``condicao_pagamento`` are required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            PATH,
            m.VendaCriacao,
            record,
            written_parser(m.VendaCriada),
            whole=True,
        )

    @endpoint
    def update(
        self,
        id: str,
        record: m.VendaAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.VendaAtualizada]:
        """Replace sale ``id`` (PUT) with the whole sale, ``versao`` included (the one read:
        the API refuses a stale one)."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "PUT",
            _path(id),
            m.VendaAtualizacao,
            record,
            written_parser(m.VendaAtualizada),
            whole=True,
        )

    @paged
    def itens(
        self,
        id_venda: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.ItemDaVenda]:
        """The items (products and services) of sale ``id_venda``, lazily."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        path = f"{_path(id_venda, 'id_venda')}/itens"
        return envelope_pages(m.ItemDaVenda, path, per_call, {}, page_size=PAGE_SIZE)

    @endpoint
    def imprimir(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[bytes]:
        """Sale ``id`` (its id, or its legacy number) as a PDF: the document's bytes."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        options = per_call.request(
            "GET", f"{_path(id)}/imprimir", headers={"Accept": "application/pdf"}
        )
        return Call(options, parse_bytes)

    @endpoint
    def delete_many(
        self,
        ids: str | Sequence[str],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.ExclusaoVendas]:
        """Delete one sale or up to 10 at once; the answer counts those deleted and ignored."""
        body = {"ids": id_batch(ids, "ids", most=BATCH)}
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(
            per_call.request("POST", f"{PATH}/exclusao-lote", json_body=body),
            written_parser(m.ExclusaoVendas),
        )

    @endpoint
    def next_number(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[int | None]:
        """The next free sale ``numero`` (``None`` when the API has none to give)."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(per_call.request("GET", f"{PATH}/proximo-numero"), parse_number)

    @endpoint
    def vendedores(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[builtins.list[m.Vendedor]]:
        """The salespeople a sale may name."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(per_call.request("GET", f"{PATH}/vendedores"), list_parser(m.Vendedor))
