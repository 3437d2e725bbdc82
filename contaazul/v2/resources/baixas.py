"""Acquittances (``ca.baixas``, ``acquittance-openapi.yml``): payments recorded against an
installment, which the API then marks paid (or partly paid)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import delete_call, read_call, send_record, written_parser
from .._paging import envelope_pages
from ..models import baixas as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

INSTALLMENTS_PATH = "/v1/financeiro/eventos-financeiros/parcelas"


def _acquittance_path(id: str) -> str:
    return f"{INSTALLMENTS_PATH}/baixa/{PATH_SEGMENT_ID(id, 'baixa_id')}"


def _installment_path(parcela_id: str) -> str:
    return f"{INSTALLMENTS_PATH}/{PATH_SEGMENT_ID(parcela_id, 'parcela_id')}/baixa"


class Baixas(Resource[C]):
    """Acquittances: create one on an installment, read, change or delete it."""

    @endpoint
    def create(
        self,
        parcela_id: str,
        record: m.BaixaCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.BaixaGravada]:
        """Record a payment on installment ``parcela_id``: ``data_pagamento``,
        ``conta_financeira`` and ``composicao_valor`` (with ``valor_bruto``) are required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            _installment_path(parcela_id),
            m.BaixaCriacao,
            record,
            written_parser(m.BaixaGravada),
            whole=True,
        )

    @paged
    def list(
        self,
        parcela_id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.Baixa]:
        """The acquittances of installment ``parcela_id``, all at once."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(m.Baixa, _installment_path(parcela_id), per_call, {}, page_size=None)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Baixa]:
        """One acquittance."""
        return read_call(
            PerCall(extra_headers, extra_query, timeout), _acquittance_path(id), m.Baixa
        )

    @endpoint
    def patch(
        self,
        id: str,
        changes: m.BaixaAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.BaixaGravada]:
        """Change some fields of an acquittance: only the fields set in ``changes`` are
        sent, with ``versao`` (required: the acquittance's current version)."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "PATCH",
            _acquittance_path(id),
            m.BaixaAtualizacao,
            changes,
            written_parser(m.BaixaGravada),
            whole=False,
        )

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
        """Delete an acquittance; its installment is open again for that amount."""
        return delete_call(PerCall(extra_headers, extra_query, timeout), _acquittance_path(id))


__all__ = ["Baixas"]
