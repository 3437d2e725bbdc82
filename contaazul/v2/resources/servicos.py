"""Services (``ca.servicos``, ``/v1/servicos``): the company's catalogue of services.

No spec file describes these operations; they follow Conta Azul's developer portal. The API
changes a service with PATCH (there is no PUT), so ``update`` sends only the fields set.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import parse_nothing, query, read_call, send_record, written_parser
from .._paging import envelope_pages
from ..models import servicos as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

PATH = "/v1/servicos"
PAGE_SIZE = 100
"""The largest ``tamanho_pagina`` the services list accepts."""


def _path(id: str) -> str:
    return f"{PATH}/{PATH_SEGMENT_ID(id, 'id')}"


class Servicos(Resource[C]):
    """Services: list and search, read, create, change."""

    @paged
    def list(
        self,
        *,
        busca_textual: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.Servico]:
        """Services, lazily; ``busca_textual`` searches their code and description."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        params = query(busca_textual=busca_textual)
        return envelope_pages(m.Servico, PATH, per_call, params, page_size=PAGE_SIZE)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Servico]:
        """One service by id."""
        return read_call(PerCall(extra_headers, extra_query, timeout), _path(id), m.Servico)

    @endpoint
    def create(
        self,
        record: m.ServicoAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Servico]:
        """Create a service; ``descricao`` is required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            PATH,
            m.ServicoAtualizacao,
            record,
            written_parser(m.Servico),
            whole=True,
        )

    @endpoint
    def update(
        self,
        id: str,
        record: m.ServicoAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Change the fields set on ``record`` of service ``id`` (PATCH)."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "PATCH",
            _path(id),
            m.ServicoAtualizacao,
            record,
            parse_nothing,
            whole=False,
        )
