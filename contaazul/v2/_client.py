"""``ContaAzul`` and ``AsyncContaAzul``: the clients of today's Conta Azul API.

https://api-v2.contaazul.com, with OAuth 2 tokens from https://auth.contaazul.com. A token
belongs to one connected company; the limits (10 requests a second, 600 a minute) are per
company, so one client per company keeps them by itself.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, TypeVar, Unpack

from sdkcore import (
    APIError,
    AsyncAPIClient,
    ErrorInfo,
    SyncAPIClient,
    TokenStore,
)
from sdkcore.auth import bearer_or_grant
from sdkcore.bodies import loads_json
from sdkcore.client import BaseAPIClient, ClientOptions
from sdkcore.clock import Clock
from sdkcore.redact import mask
from sdkcore.transport import (
    AsyncBaseTransport,
    AsyncClient,
    Auth,
    BaseTransport,
    Client,
    Response,
)

from ._errors import error_class, read_error
from .oauth import ContaAzulOAuth
from .resources.baixas import Baixas
from .resources.cobrancas import Cobrancas
from .resources.contratos import Contratos
from .resources.financeiro import (
    Categorias,
    CategoriasDre,
    CentrosDeCusto,
    ContasAPagar,
    ContasAReceber,
    ContasFinanceiras,
    EventosFinanceiros,
    Parcelas,
    Transferencias,
)
from .resources.orcamentos import Orcamentos
from .resources.pessoas import Pessoas
from .resources.produtos import Produtos
from .resources.protocolos import Protocolos
from .resources.servicos import Servicos
from .resources.vendas import Vendas

API_BASE = "https://api-v2.contaazul.com"
ACCESS_TOKEN_ENV = "CONTAAZUL_V2_ACCESS_TOKEN"
BASE_URL_ENV = "CONTAAZUL_V2_BASE_URL"

CT = TypeVar("CT", bound="_ContaAzulCore")


class _ContaAzulCore(BaseAPIClient):
    """What both clients share: credentials, error reading, limits, resources."""

    package = "contaazul.v2"
    default_base_url = API_BASE
    base_url_env = BASE_URL_ENV
    # Conta Azul allows 10 requests a second and 600 a minute per connected company: one
    # bucket for each, so a long sync stays under both and never sees a 429.
    default_rate = (10.0, 1.0, 1)
    default_rates = ((600.0, 60.0, 600),)

    oauth: ContaAzulOAuth | None
    token_store: TokenStore | None

    def _credentials(
        self,
        access_token: str | None,
        oauth: ContaAzulOAuth | None,
        token_store: TokenStore | None,
        clock: Clock | None,
    ) -> Auth:
        self.oauth = oauth
        auth, self.token_store = bearer_or_grant(
            access_token, oauth, token_store, env_name=ACCESS_TOKEN_ENV, clock=clock
        )
        return auth

    # -- errors ------------------------------------------------------------------------------

    def error_info(self, response: Response) -> ErrorInfo:
        try:
            data = loads_json(response.content) if response.content.strip() else None
        except ValueError:
            return ErrorInfo()
        return read_error(data)

    def error_class(self, response: Response, info: ErrorInfo) -> type[APIError]:
        return error_class(response.status_code, info)

    # -- resources ---------------------------------------------------------------------------

    @cached_property
    def pessoas(self: CT) -> Pessoas[CT]:
        return Pessoas(self)

    @cached_property
    def servicos(self: CT) -> Servicos[CT]:
        return Servicos(self)

    @cached_property
    def produtos(self: CT) -> Produtos[CT]:
        return Produtos(self)

    @cached_property
    def vendas(self: CT) -> Vendas[CT]:
        return Vendas(self)

    @cached_property
    def orcamentos(self: CT) -> Orcamentos[CT]:
        return Orcamentos(self)

    @cached_property
    def contratos(self: CT) -> Contratos[CT]:
        return Contratos(self)

    @cached_property
    def contas_financeiras(self: CT) -> ContasFinanceiras[CT]:
        return ContasFinanceiras(self)

    @cached_property
    def categorias(self: CT) -> Categorias[CT]:
        return Categorias(self)

    @cached_property
    def categorias_dre(self: CT) -> CategoriasDre[CT]:
        return CategoriasDre(self)

    @cached_property
    def centros_de_custo(self: CT) -> CentrosDeCusto[CT]:
        return CentrosDeCusto(self)

    @cached_property
    def transferencias(self: CT) -> Transferencias[CT]:
        return Transferencias(self)

    @cached_property
    def contas_a_receber(self: CT) -> ContasAReceber[CT]:
        return ContasAReceber(self)

    @cached_property
    def contas_a_pagar(self: CT) -> ContasAPagar[CT]:
        return ContasAPagar(self)

    @cached_property
    def parcelas(self: CT) -> Parcelas[CT]:
        return Parcelas(self)

    @cached_property
    def eventos_financeiros(self: CT) -> EventosFinanceiros[CT]:
        return EventosFinanceiros(self)

    @cached_property
    def baixas(self: CT) -> Baixas[CT]:
        return Baixas(self)

    @cached_property
    def cobrancas(self: CT) -> Cobrancas[CT]:
        return Cobrancas(self)

    @cached_property
    def protocolos(self: CT) -> Protocolos[CT]:
        return Protocolos(self)

    def __repr__(self) -> str:
        how = f"oauth={self.oauth!r}" if self.oauth else "access_token=" + mask("x" * 13)
        return f"{type(self).__name__}(base_url={self.base_url!r}, {how})"


class ContaAzul(_ContaAzulCore, SyncAPIClient):
    """Today's Conta Azul API, synchronously.

    ``ContaAzul(oauth=ContaAzulOAuth(...), token_store=FileTokenStore(path))`` refreshes and
    persists tokens by itself; ``ContaAzul(access_token=...)`` is for callers who manage
    tokens (or ``CONTAAZUL_V2_ACCESS_TOKEN``).
    """

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawContaAzul:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        oauth: ContaAzulOAuth | None = None,
        token_store: TokenStore | None = None,
        base_url: str | None = None,
        http_client: Client | None = None,
        transport: BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._credentials(access_token, oauth, token_store, options.get("clock"))
        SyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )


class AsyncContaAzul(_ContaAzulCore, AsyncAPIClient):
    """Today's Conta Azul API for asyncio; the same surface as ``ContaAzul`` with ``await``."""

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawAsyncContaAzul:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        oauth: ContaAzulOAuth | None = None,
        token_store: TokenStore | None = None,
        base_url: str | None = None,
        http_client: AsyncClient | None = None,
        transport: AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._credentials(access_token, oauth, token_store, options.get("clock"))
        AsyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )


if TYPE_CHECKING:
    from sdkcore.client import RawResponseAsyncClient, RawResponseSyncClient

    class _RawContaAzul(ContaAzul, RawResponseSyncClient):
        """``ContaAzul.with_raw_response`` to a type checker (see ``sdkcore.client``)."""

    class _RawAsyncContaAzul(AsyncContaAzul, RawResponseAsyncClient):
        """``AsyncContaAzul.with_raw_response`` to a type checker (see ``sdkcore.client``)."""
