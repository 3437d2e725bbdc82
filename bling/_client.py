"""``Bling`` and ``AsyncBling``: the clients of Bling API v3."""

from __future__ import annotations

from datetime import datetime, timedelta
from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from sdkcore import (
    APIError,
    AsyncAPIClient,
    AuthenticationError,
    ErrorInfo,
    FieldError,
    NotFoundError,
    PermissionDeniedError,
    SyncAPIClient,
    TokenStore,
    ValidationError,
)
from sdkcore.auth import bearer_or_grant
from sdkcore.bodies import loads_json
from sdkcore.client import BaseAPIClient, ClientOptions, env
from sdkcore.clock import Clock
from sdkcore.dates import SAO_PAULO
from sdkcore.redact import mask, register_secret
from sdkcore.transport import (
    AsyncBaseTransport,
    AsyncClient,
    Auth,
    BaseTransport,
    Client,
    Response,
)

from . import _resources as r
from .oauth import CLIENT_SECRET_ENV, JWT_HEADERS, BlingOAuth
from .webhooks import Webhooks

API_BASE = "https://api.bling.com.br/Api/v3"
ACCESS_TOKEN_ENV = "BLING_ACCESS_TOKEN"
BASE_URL_ENV = "BLING_BASE_URL"

CT = TypeVar("CT", bound="_BlingCore")

_AUTH_TYPES = {"invalid_token", "unauthorized", "unauthenticated", "invalid_apikey_error"}
_FORBIDDEN_TYPES = {"insufficient_scope", "forbidden"}
_VALIDATION_TYPES = {
    "validation_error",
    "missing_required_field_error",
    "empty_request_body",
    "invalid_request_body",
}


def read_error(data: Any) -> ErrorInfo:
    """Bling's ``{"error": {"type", "message", "description", "fields": [...]}}``."""
    if not isinstance(data, dict):
        return ErrorInfo(message=str(data) if data else None)
    error = data.get("error")
    if isinstance(error, str):  # the OAuth endpoints' RFC 6749 shape
        text = data.get("error_description") or error
        return ErrorInfo(message=str(text), code=error, details=data)
    if not isinstance(error, dict):
        return ErrorInfo(message=data.get("message"), details=data)
    message = error.get("message")
    description = error.get("description")
    if description and description != message:
        message = f"{message}: {description}" if message else description
    fields: list[FieldError] = []
    for item in error.get("fields") or []:
        if not isinstance(item, dict):
            fields.append(FieldError(None, str(item)))
            continue
        element = item.get("element")
        fields.append(FieldError(element, str(item.get("msg") or item), _text(item.get("code"))))
        for sub in item.get("collection") or []:
            if isinstance(sub, dict):
                name = f"{element}[{sub.get('index')}].{sub.get('element')}"
                fields.append(FieldError(name, str(sub.get("msg")), _text(sub.get("code"))))
    return ErrorInfo(
        message=str(message) if message else None,
        code=_text(error.get("type")),
        field_errors=tuple(fields),
        details=data,
    )


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def throttle_period(response: Response) -> str | None:
    """``"second"`` or ``"day"`` from a 429 body (``period``), when Bling says."""
    if response.status_code != 429:
        return None
    try:
        data = loads_json(response.content or b"null")
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    error = data.get("error")
    period = data.get("period")
    if isinstance(error, dict):
        period = error.get("period", period)
        text = f"{error.get('message', '')} {error.get('description', '')}".lower()
        if period is None and ("dia" in text or "daily" in text):
            period = "day"
    return str(period).lower() if period else None


def seconds_to_midnight(now: float) -> float:
    """Until Bling's daily counter resets (midnight, São Paulo)."""
    local = datetime.fromtimestamp(now, SAO_PAULO)
    tomorrow = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max((tomorrow - local).total_seconds(), 0.0)


class _BlingCore(BaseAPIClient):
    """What both Bling clients share: credentials, error reading, the 429 rules."""

    package = "bling"
    default_base_url = API_BASE
    base_url_env = BASE_URL_ENV
    api_headers = JWT_HEADERS  # enable-jwt on every call, as Bling asks
    # 3 requests a second per account, in a strict one-second window: no burst, or the first
    # second after an idle spell could carry six.
    default_rate = (3.0, 1.0, 1)

    oauth: BlingOAuth | None
    token_store: TokenStore | None

    def _credentials(
        self,
        access_token: str | None,
        oauth: BlingOAuth | None,
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
        kind = (info.code or "").lower()
        if kind in _AUTH_TYPES:
            return AuthenticationError
        if kind in _FORBIDDEN_TYPES:
            return PermissionDeniedError
        if kind == "resource_not_found":
            return NotFoundError
        if kind in _VALIDATION_TYPES or (response.status_code == 400 and info.field_errors):
            return ValidationError
        return super().error_class(response, info)

    def retry_after(self, response: Response) -> float | None:
        stated = super().retry_after(response)
        if stated is not None:
            return stated
        period = throttle_period(response)
        if period in ("day", "dia", "daily"):
            return seconds_to_midnight(self.clock.time())
        if period in ("second", "segundo"):
            return 1.0
        return None

    def may_retry_throttle(self, response: Response) -> bool:
        # The daily quota: waiting seconds cannot help.
        return throttle_period(response) not in ("day", "dia", "daily")

    # -- resources ---------------------------------------------------------------------------

    @cached_property
    def contatos(self: CT) -> r.Contatos[CT]:
        return r.Contatos(self)

    @cached_property
    def produtos(self: CT) -> r.Produtos[CT]:
        return r.Produtos(self)

    @cached_property
    def pedidos_vendas(self: CT) -> r.PedidosVendas[CT]:
        return r.PedidosVendas(self)

    @cached_property
    def propostas_comerciais(self: CT) -> r.PropostasComerciais[CT]:
        return r.PropostasComerciais(self)

    @cached_property
    def contas_pagar(self: CT) -> r.ContasPagar[CT]:
        return r.ContasPagar(self)

    @cached_property
    def contas_receber(self: CT) -> r.ContasReceber[CT]:
        return r.ContasReceber(self)

    @cached_property
    def formas_pagamentos(self: CT) -> r.FormasPagamentos[CT]:
        return r.FormasPagamentos(self)

    @cached_property
    def categorias_receitas_despesas(self: CT) -> r.CategoriasReceitasDespesas[CT]:
        return r.CategoriasReceitasDespesas(self)

    @cached_property
    def categorias_produtos(self: CT) -> r.CategoriasProdutos[CT]:
        return r.CategoriasProdutos(self)

    @cached_property
    def naturezas_operacoes(self: CT) -> r.NaturezasOperacoes[CT]:
        return r.NaturezasOperacoes(self)

    @cached_property
    def vendedores(self: CT) -> r.Vendedores[CT]:
        return r.Vendedores(self)

    @cached_property
    def depositos(self: CT) -> r.Depositos[CT]:
        return r.Depositos(self)

    @cached_property
    def estoques(self: CT) -> r.Estoques[CT]:
        return r.Estoques(self)

    @cached_property
    def situacoes(self: CT) -> r.Situacoes[CT]:
        return r.Situacoes(self)

    @cached_property
    def empresas(self: CT) -> r.Empresas[CT]:
        return r.Empresas(self)

    # -- webhooks ----------------------------------------------------------------------------

    _webhook_secret: str | None

    def _keep_webhook_secret(self, secret: str | None) -> None:
        # Masked from the start: an error quoting it back may come before .webhooks is used.
        register_secret(secret)
        self._webhook_secret = secret

    @cached_property
    def webhooks(self) -> Webhooks:
        """Verify and parse Bling webhooks, signed with the app's client secret."""
        secret = self._webhook_secret
        if secret is None and self.oauth is not None:
            secret = self.oauth.client_secret
        return Webhooks(secret or env(CLIENT_SECRET_ENV))

    def __repr__(self) -> str:
        how = f"oauth={self.oauth!r}" if self.oauth else "access_token=" + mask("x" * 13)
        return f"{type(self).__name__}(base_url={self.base_url!r}, {how})"


class Bling(_BlingCore, SyncAPIClient):
    """Bling API v3, synchronously.

    ``Bling(oauth=BlingOAuth(...), token_store=FileTokenStore(path))`` refreshes and persists
    tokens by itself; ``Bling(access_token=...)`` is for callers who manage tokens.
    """

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawBling:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        oauth: BlingOAuth | None = None,
        token_store: TokenStore | None = None,
        webhook_secret: str | None = None,
        base_url: str | None = None,
        http_client: Client | None = None,
        transport: BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._credentials(access_token, oauth, token_store, options.get("clock"))
        self._keep_webhook_secret(webhook_secret)
        SyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )


class AsyncBling(_BlingCore, AsyncAPIClient):
    """Bling API v3 for asyncio; the same surface as ``Bling`` with ``await``."""

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawAsyncBling:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        access_token: str | None = None,
        *,
        oauth: BlingOAuth | None = None,
        token_store: TokenStore | None = None,
        webhook_secret: str | None = None,
        base_url: str | None = None,
        http_client: AsyncClient | None = None,
        transport: AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._credentials(access_token, oauth, token_store, options.get("clock"))
        self._keep_webhook_secret(webhook_secret)
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

    class _RawBling(Bling, RawResponseSyncClient):
        """``Bling.with_raw_response`` to a type checker (see ``sdkcore.client``)."""

    class _RawAsyncBling(AsyncBling, RawResponseAsyncClient):
        """``AsyncBling.with_raw_response`` to a type checker (see ``sdkcore.client``)."""
