"""Products (``ca.produtos``, ``inventory-openapi.yml`` plus the portal's product by id).

The spec file spells the path in the singular (``/v1/produto/...``) and the portal's product
by id in the plural (``/v1/produtos/{id}``); each operation uses the path its source gives.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import delete_call, id_batch, query, read_call, send_record, written_parser
from .._paging import envelope_pages
from ..models import produtos as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

PATH = "/v1/produto"
BY_ID_PATH = "/v1/produtos"
PAGE_SIZE = 100
"""The page the list asks for: the spec states no limit (its default is 10)."""
BATCH = 500
"""The most ids ``desativar`` sends in one call: the spec states no limit."""


class Produtos(Resource[C]):
    """Products: list and search, read, create, delete, deactivate."""

    @paged
    def list(
        self,
        *,
        busca: str | None = None,
        status: str | None = None,
        campo_ordenacao: str | None = None,
        direcao_ordenacao: str | None = None,
        inicio: Decimal | None = None,
        fim: Decimal | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.ProdutoResumo]:
        """Products, lazily; ``status`` is ATIVO, INATIVO or TODOS (the API's default),
        ``inicio``/``fim`` bound the sale price."""
        params = query(
            busca=busca,
            status=status,
            campo_ordenacao=campo_ordenacao,
            direcao_ordenacao=direcao_ordenacao,
            inicio=inicio,
            fim=fim,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.ProdutoResumo, f"{PATH}/busca", per_call, params, page_size=PAGE_SIZE
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
    ) -> Call[m.Produto]:
        """One product by id (the portal's ``GET /v1/produtos/{id}``)."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return read_call(per_call, f"{BY_ID_PATH}/{PATH_SEGMENT_ID(id, 'id')}", m.Produto)

    @endpoint
    def create(
        self,
        record: m.ProdutoCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.ProdutoCriado]:
        """Create a product: ``nome``, ``formato``, ``estoque`` and ``dimensao`` are required."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            PATH,
            m.ProdutoCriacao,
            record,
            written_parser(m.ProdutoCriado),
            whole=True,
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
        """Delete product ``id``."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return delete_call(per_call, f"{PATH}/{PATH_SEGMENT_ID(id, 'id')}")

    @endpoint
    def desativar(
        self,
        ids: str | Sequence[str],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.ProdutoDesativado]:
        """Deactivate one product or several; the answer lists those deactivated."""
        body = id_batch(ids, "ids", most=BATCH)
        per_call = PerCall(extra_headers, extra_query, timeout)
        return Call(
            per_call.request("POST", f"{PATH}/desativar", json_body=body),
            written_parser(m.ProdutoDesativado),
        )
