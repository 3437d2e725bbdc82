"""Contracts (``ca.contratos``): recurring sales.

``contracts-openapi.yml`` and ``scheduled-sales-openapi.yml`` both describe this API; one
resource serves both (how they are reconciled: ``contaazul.v2.models.contratos``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource, parse_nothing
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import delete_call, parse_number, query, read_call, send_record, written_parser
from .._paging import envelope_pages
from ..models import contratos as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

PATH = "/v1/contratos"
PAGE_SIZE = 50
"""The largest ``tamanho_pagina`` the contracts list accepts ("máximo 50" in both files)."""


def _path(id: str) -> str:
    return f"{PATH}/{PATH_SEGMENT_ID(id, 'id')}"


class Contratos(Resource[C]):
    """Contracts: list, read, create, the next number, delete, close."""

    @paged
    def list(
        self,
        *,
        data_inicio: date,
        data_fim: date,
        busca_textual: str | None = None,
        cliente_id: str | Sequence[str] | None = None,
        tipo_pagamento: Sequence[str] | None = None,
        status: str | None = None,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.ContratoListado]:
        """Contracts of the period ``data_inicio``..``data_fim`` (both required by the API),
        lazily; ``status`` is TODOS, ATIVO, INATIVO or PROXIMO_AO_VENCIMENTO."""
        params = query(
            data_inicio=data_inicio,
            data_fim=data_fim,
            busca_textual=busca_textual,
            cliente_id=cliente_id,
            tipo_pagamento=tipo_pagamento,
            status=status,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(m.ContratoListado, PATH, per_call, params, page_size=PAGE_SIZE)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Contrato]:
        """One contract by id."""
        return read_call(PerCall(extra_headers, extra_query, timeout), _path(id), m.Contrato)

    @endpoint
    def create(
        self,
        record: m.ContratoCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.ContratoCriado]:
        """Create a contract: ``id_cliente``, ``termos`` (with ``numero``: see
        ``next_number``), ``condicao_pagamento`` and ``itens`` are required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            PATH,
            m.ContratoCriacao,
            record,
            written_parser(m.ContratoCriado),
            whole=True,
        )

    @endpoint
    def next_number(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[int | None]:
        """The next free contract ``numero`` (``None`` when the API has none to give)."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(per_call.request("GET", f"{PATH}/proximo-numero"), parse_number)

    @endpoint
    def delete(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Delete contract ``id``."""
        return delete_call(PerCall(extra_headers, extra_query, timeout), _path(id))

    @endpoint
    def encerrar(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Close contract ``id``: it issues no more sales."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(per_call.request("POST", f"{_path(id)}/encerrar"), parse_nothing)
