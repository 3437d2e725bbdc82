"""``Auvo`` and ``AsyncAuvo``: the clients of the Auvo API v2."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, Any, TypeVar, Unpack

from sdkcore import (
    APIError,
    AsyncAPIClient,
    AuthenticationError,
    BadRequestError,
    Call,
    ErrorInfo,
    FieldError,
    RequestOptions,
    SyncAPIClient,
    TokenSet,
    TokenStore,
    ValidationError,
)
from sdkcore.bodies import loads_json
from sdkcore.client import BaseAPIClient, ClientOptions, default_error_info, env
from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.errors import MissingCredentialsError
from sdkcore.redact import mask
from sdkcore.transport import AsyncBaseTransport, AsyncClient, BaseTransport, Client, Response

from . import _resources as r
from ._auth import (
    LOGIN_PATH,
    REFRESH_MARGIN,
    AuvoLogin,
    AuvoTokenAuth,
    login_error,
    tokens_from_login,
)

API_KEY_ENV = "AUVO_API_KEY"
API_TOKEN_ENV = "AUVO_API_TOKEN"
BASE_URL_ENV = "AUVO_BASE_URL"
RATE_LIMIT_TEXT = "rate limit"

AC = TypeVar("AC", bound="_AuvoCore")


def auvo_error_info(data: Any) -> ErrorInfo:
    """Read Auvo's error shapes: ASP.NET's ``{"field": ["message"]}``, ``{"message", "target",
    "errorCode", "errors"}``, ``{"error": "..."}``, plain text, or nothing at all."""
    if isinstance(data, dict) and data and "message" not in data and "error" not in data:
        fields = [
            FieldError(field=str(name), message=str(msg))
            for name, messages in data.items()
            if isinstance(messages, list) and all(isinstance(m, str) for m in messages)
            for msg in messages
        ]
        if fields and len({f.field for f in fields}) == len(
            [k for k, v in data.items() if isinstance(v, list)]
        ):
            summary = "; ".join(str(f) for f in fields[:3])
            return ErrorInfo(
                message=f"invalid request: {summary}", field_errors=tuple(fields), details=data
            )
    info = default_error_info(data)
    if isinstance(data, dict):
        code = data.get("errorCode")
        target = data.get("target")
        fields = list(info.field_errors)
        if target and not fields and info.message:
            fields.append(FieldError(field=str(target), message=info.message))
        error = data.get("error")
        return (
            ErrorInfo(
                message=info.message,
                code=None if code is None else str(code),
                field_errors=tuple(fields),
                details=data,
            )
            if code is not None or target or isinstance(error, str)
            else info
        )
    return info


class _AuvoCore(BaseAPIClient):
    """What both Auvo clients share: credentials, login, error reading."""

    package = "auvo"
    default_base_url = "https://api.auvo.com.br/v2"
    base_url_env = BASE_URL_ENV
    default_rate = (400.0, 60.0, 40)  # Auvo allows 400 requests a minute per IP

    api_key: str
    _auth: AuvoTokenAuth

    def _make_auth(
        self,
        api_key: str | None,
        api_token: str | None,
        base_url: str | None,
        token_store: TokenStore | None,
        clock: Clock | None,
    ) -> AuvoTokenAuth:
        key = api_key or env(API_KEY_ENV)
        token = api_token or env(API_TOKEN_ENV)
        missing = [
            name for name, value in ((API_KEY_ENV, key), (API_TOKEN_ENV, token)) if not value
        ]
        if missing or key is None or token is None:
            raise MissingCredentialsError(
                "api_key" if not key else "api_token",
                f"Auvo needs an API key and token: pass api_key= and api_token= or set "
                f"{' and '.join(missing)} (Auvo: Menu > Integração)",
                missing,
            )
        self.api_key = key
        url = base_url or env(BASE_URL_ENV) or self.default_base_url
        source = AuvoLogin(key, token, url.rstrip("/"), clock or SYSTEM_CLOCK)
        return AuvoTokenAuth(
            source, token_store, clock=clock or SYSTEM_CLOCK, refresh_margin=REFRESH_MARGIN
        )

    # -- errors ---------------------------------------------------------------------------

    def error_info(self, response: Response) -> ErrorInfo:
        content = response.content
        if not content.strip():
            return ErrorInfo()
        try:
            data = loads_json(content)
        except ValueError:
            text = content.decode("utf-8", "replace").strip()
            return ErrorInfo(message=text[:200]) if text[:1] != "<" else ErrorInfo()
        return auvo_error_info(data)

    def error_class(self, response: Response, info: ErrorInfo) -> type[APIError]:
        status = response.status_code
        if status == 400:
            return ValidationError if info.field_errors else BadRequestError
        if status == 401:
            return AuthenticationError
        return super().error_class(response, info)

    def is_throttled(self, response: Response) -> bool:
        """429, or Auvo's 403 whose body says "Rate limit temporarily exceeded"."""
        if response.status_code == 429:
            return True
        return response.status_code == 403 and RATE_LIMIT_TEXT in response.text.lower()

    def make_error(self, response: Response, retry_after: float | None = None) -> APIError:
        if response.request.url.path.endswith(LOGIN_PATH):
            try:
                data = loads_json(response.content) if response.content.strip() else None
            except ValueError:
                data = None
            error = login_error(response, data, self._auth.secrets)
            if isinstance(error, APIError):
                return error
        return super().make_error(response, retry_after)

    # -- login ----------------------------------------------------------------------------

    def _login_call(self) -> Call[TokenSet]:
        """The login request; its answer becomes the token the client uses."""
        source = self._auth.source
        assert isinstance(source, AuvoLogin)
        request = source.token_request(None)
        options = RequestOptions("GET", LOGIN_PATH, params=dict(request.url.params))
        clock, auth = self.clock, self._auth

        def parse(response: Response) -> TokenSet:
            tokens = tokens_from_login(response, clock.time(), source.secrets)
            auth.adopt(tokens)
            return tokens

        return Call(options, parse)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key={mask(self.api_key)})"

    # -- resources: one definition serves both clients --------------------------------

    @cached_property
    def users(self: AC) -> r.Users[AC]:
        return r.Users(self)

    @cached_property
    def tasks(self: AC) -> r.Tasks[AC]:
        return r.Tasks(self)

    @cached_property
    def customers(self: AC) -> r.Customers[AC]:
        return r.Customers(self)

    @cached_property
    def customer_groups(self: AC) -> r.CustomerGroups[AC]:
        return r.CustomerGroups(self)

    @cached_property
    def teams(self: AC) -> r.Teams[AC]:
        return r.Teams(self)

    @cached_property
    def task_types(self: AC) -> r.TaskTypes[AC]:
        return r.TaskTypes(self)

    @cached_property
    def segments(self: AC) -> r.Segments[AC]:
        return r.Segments(self)

    @cached_property
    def keywords(self: AC) -> r.Keywords[AC]:
        return r.Keywords(self)

    @cached_property
    def questionnaires(self: AC) -> r.Questionnaires[AC]:
        return r.Questionnaires(self)

    @cached_property
    def webhooks(self: AC) -> r.Webhooks[AC]:
        return r.Webhooks(self)

    @cached_property
    def expenses(self: AC) -> r.Expenses[AC]:
        return r.Expenses(self)

    @cached_property
    def expense_types(self: AC) -> r.ExpenseTypes[AC]:
        return r.ExpenseTypes(self)

    @cached_property
    def gps(self: AC) -> r.Gps[AC]:
        return r.Gps(self)

    @cached_property
    def satisfaction_surveys(self: AC) -> r.SatisfactionSurveys[AC]:
        return r.SatisfactionSurveys(self)

    @cached_property
    def equipment_categories(self: AC) -> r.EquipmentCategories[AC]:
        return r.EquipmentCategories(self)

    @cached_property
    def equipments(self: AC) -> r.Equipments[AC]:
        return r.Equipments(self)

    @cached_property
    def product_categories(self: AC) -> r.ProductCategories[AC]:
        return r.ProductCategories(self)

    @cached_property
    def products(self: AC) -> r.Products[AC]:
        return r.Products(self)

    @cached_property
    def quotations(self: AC) -> r.Quotations[AC]:
        return r.Quotations(self)

    @cached_property
    def tickets(self: AC) -> r.Tickets[AC]:
        return r.Tickets(self)

    @cached_property
    def services(self: AC) -> r.Services[AC]:
        return r.Services(self)

    @cached_property
    def service_orders(self: AC) -> r.ServiceOrders[AC]:
        return r.ServiceOrders(self)


class Auvo(_AuvoCore, SyncAPIClient):
    """The Auvo API v2, synchronously.

    ``Auvo(api_key=..., api_token=...)``, or from the environment (``AUVO_API_KEY``,
    ``AUVO_API_TOKEN``). Logs in by itself when first needed and before the token expires.
    """

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawAuvo:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        api_key: str | None = None,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        token_store: TokenStore | None = None,
        http_client: Client | None = None,
        transport: BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._make_auth(api_key, api_token, base_url, token_store, options.get("clock"))
        SyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )

    def login(self) -> TokenSet:
        """Log in now (normally done lazily) and use the new token; checks the credentials."""
        return self.send(self._login_call())


class AsyncAuvo(_AuvoCore, AsyncAPIClient):
    """The Auvo API v2 with ``async``/``await``; the same surface as ``Auvo``."""

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawAsyncAuvo:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        api_key: str | None = None,
        api_token: str | None = None,
        *,
        base_url: str | None = None,
        token_store: TokenStore | None = None,
        http_client: AsyncClient | None = None,
        transport: AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._make_auth(api_key, api_token, base_url, token_store, options.get("clock"))
        AsyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )

    async def login(self) -> TokenSet:
        """Log in now (normally done lazily) and use the new token; checks the credentials."""
        return await self.send(self._login_call())


if TYPE_CHECKING:
    from sdkcore.client import RawResponseAsyncClient, RawResponseSyncClient

    class _RawAuvo(Auvo, RawResponseSyncClient):
        """``Auvo.with_raw_response`` to a type checker (see ``sdkcore.client``)."""

    class _RawAsyncAuvo(AsyncAuvo, RawResponseAsyncClient):
        """``AsyncAuvo.with_raw_response`` to a type checker (see ``sdkcore.client``)."""
