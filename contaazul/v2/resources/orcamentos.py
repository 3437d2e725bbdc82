"""Quotations (``ca.orcamentos``, ``proposal-openapi.yml``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import id_batch, parse_nothing, query, read_call, send_record, written_parser
from .._paging import envelope_pages
from ..models import orcamentos as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

PATH = "/v1/orcamentos"
PAGE_SIZE = 100
"""The page the list asks for: the spec states no limit (its default is 10)."""
BATCH = 10
"""The most quotations ``delete_many`` sends at once, as for sales (the spec states none)."""


class Orcamentos(Resource[C]):
    """Quotations: search, read, create, batch delete."""

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
        ids_categorias: Sequence[str] | None = None,
        ids_produtos: Sequence[str] | None = None,
        situacoes: Sequence[str] | None = None,
        origens: Sequence[str] | None = None,
        numeros: Sequence[int] | None = None,
        ids_legado_donos: Sequence[int] | None = None,
        ids_legado_clientes: Sequence[int] | None = None,
        ids_legado_produtos: Sequence[int] | None = None,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.OrcamentoListado]:
        """Quotations, lazily; ``situacoes`` among ORCAMENTO, ORCAMENTO_ACEITO and
        ORCAMENTO_RECUSADO."""
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
            ids_categorias=ids_categorias,
            ids_produtos=ids_produtos,
            situacoes=situacoes,
            origens=origens,
            numeros=numeros,
            ids_legado_donos=ids_legado_donos,
            ids_legado_clientes=ids_legado_clientes,
            ids_legado_produtos=ids_legado_produtos,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(m.OrcamentoListado, PATH, per_call, params, page_size=PAGE_SIZE)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Orcamento]:
        """One quotation by id, with its items."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return read_call(per_call, f"{PATH}/{PATH_SEGMENT_ID(id, 'id')}", m.Orcamento)

    @endpoint
    def create(
        self,
        record: m.OrcamentoCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.OrcamentoCriado]:
        """Create a quotation: ``id_cliente``, ``data_orcamento``, ``data_validade`` and
        ``itens`` are required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            PATH,
            m.OrcamentoCriacao,
            record,
            written_parser(m.OrcamentoCriado),
            whole=True,
        )

    @endpoint
    def delete_many(
        self,
        ids: str | Sequence[str],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Delete one quotation or several (``DELETE`` with the ids in the body)."""
        body = {"ids": id_batch(ids, "ids", most=BATCH)}
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(per_call.request("DELETE", PATH, json_body=body), parse_nothing)
