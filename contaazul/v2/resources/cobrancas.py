"""Charges (``ca.cobrancas``, ``charge-openapi.yml``): a payment link, Pix charge or boleto
for a receivable installment."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import endpoint
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import delete_call, read_call, send_record, written_parser
from ..models import cobrancas as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

RECEIVABLES_PATH = "/v1/financeiro/eventos-financeiros/contas-a-receber"


def _charge_path(id: str) -> str:
    return f"{RECEIVABLES_PATH}/cobranca/{PATH_SEGMENT_ID(id, 'id_cobranca')}"


class Cobrancas(Resource[C]):
    """Charges: create one for an installment, read or cancel it."""

    @endpoint
    def create(
        self,
        record: m.CobrancaCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Cobranca]:
        """Create a charge: ``conta_bancaria``, ``descricao_fatura``, ``id_parcela``,
        ``data_vencimento`` and ``tipo`` are required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            f"{RECEIVABLES_PATH}/gerar-cobranca",
            m.CobrancaCriacao,
            record,
            written_parser(m.Cobranca),
            whole=True,
        )

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Cobranca]:
        """One charge: its URL and status."""
        return read_call(PerCall(extra_headers, extra_query, timeout), _charge_path(id), m.Cobranca)

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
        """Cancel a charge (one issued by mistake, before it is paid)."""
        return delete_call(PerCall(extra_headers, extra_query, timeout), _charge_path(id))


__all__ = ["Cobrancas"]
