"""``ContaAzul`` and ``AsyncContaAzul``: the clients of the Conta Azul API."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING, TypeVar, Unpack

from sdkcore import (
    APIError,
    AsyncAPIClient,
    AuthenticationError,
    ErrorInfo,
    HeaderAuth,
    RequestOptions,
    SyncAPIClient,
)
from sdkcore.client import BaseAPIClient, ClientOptions, env
from sdkcore.errors import MissingCredentialsError
from sdkcore.redact import mask
from sdkcore.transport import (
    AsyncBaseTransport,
    AsyncClient,
    BaseTransport,
    Client,
    Request,
    Response,
)

from . import _resources as r
from .connect import (
    AUTHORIZATION_PAGE,
    ConnectAttempt,
    authorization_url,
    company_token_from_redirect,
    public_token_call,
)

APPLICATION_TOKEN_ENV = "CONTAAZUL_APPLICATION_TOKEN"
COMPANY_TOKEN_ENV = "CONTAAZUL_COMPANY_TOKEN"
BASE_URL_ENV = "CONTAAZUL_BASE_URL"

CT = TypeVar("CT", bound="_ContaAzulCore")


class _ContaAzulCore(BaseAPIClient):
    """What both Conta Azul clients share: credentials, headers, error reading."""

    package = "contaazul"
    default_base_url = "https://api.contaazul.com.br"
    base_url_env = BASE_URL_ENV
    # The legacy API documents no limit; today's Conta Azul API allows 10 requests a second.
    default_rate = (10.0, 1.0, 10)

    application_token: str
    company_token: str | None

    def _credentials(self, application_token: str | None, company_token: str | None) -> HeaderAuth:
        app = application_token or env(APPLICATION_TOKEN_ENV)
        if not app:
            raise MissingCredentialsError(
                "application_token",
                f"pass application_token= or set {APPLICATION_TOKEN_ENV}",
                (APPLICATION_TOKEN_ENV,),
            )
        self.application_token = app
        self.company_token = company_token or env(COMPANY_TOKEN_ENV)
        headers = {"ExternalApplicationToken": app}
        if self.company_token:
            headers["CompanyToken"] = self.company_token
        return HeaderAuth(headers)

    def build_request(self, options: RequestOptions) -> Request:
        if not self.company_token and not options.path.startswith("/pub/oauth/"):
            raise MissingCredentialsError(
                "company_token",
                f"pass company_token= or set {COMPANY_TOKEN_ENV} (connect a company first)",
                (COMPANY_TOKEN_ENV,),
            )
        return super().build_request(options)

    def error_class(self, response: Response, info: ErrorInfo) -> type[APIError]:
        # The spec answers bad tokens with 403 {"message": "Bad Credentials"}.
        if response.status_code in (401, 403) and "credential" in (info.message or "").lower():
            return AuthenticationError
        return super().error_class(response, info)

    def authorization_url(self, public_token: str, redirect_to: str) -> str:
        """The page where a user authorises this application for their company."""
        return authorization_url(public_token, redirect_to, self.authorization_page)

    authorization_page = AUTHORIZATION_PAGE

    @staticmethod
    def company_token_from_redirect(redirect_url: str) -> str:
        """The company token in the URL the authorization page sent the user back to."""
        return company_token_from_redirect(redirect_url)

    @cached_property
    def customers(self: CT) -> r.Customers[CT]:
        return r.Customers(self)

    @cached_property
    def vendors(self: CT) -> r.Vendors[CT]:
        return r.Vendors(self)

    @cached_property
    def shippers(self: CT) -> r.Shippers[CT]:
        return r.Shippers(self)

    @cached_property
    def cities(self: CT) -> r.Cities[CT]:
        return r.Cities(self)

    @cached_property
    def banks(self: CT) -> r.Banks[CT]:
        return r.Banks(self)

    @cached_property
    def bank_accounts(self: CT) -> r.BankAccounts[CT]:
        return r.BankAccounts(self)

    @cached_property
    def task_types(self: CT) -> r.TaskTypes[CT]:
        return r.TaskTypes(self)

    @cached_property
    def services(self: CT) -> r.Services[CT]:
        return r.Services(self)

    @cached_property
    def product_categories(self: CT) -> r.ProductCategories[CT]:
        return r.ProductCategories(self)

    @cached_property
    def products(self: CT) -> r.Products[CT]:
        return r.Products(self)

    @cached_property
    def cost_centres(self: CT) -> r.CostCentres[CT]:
        return r.CostCentres(self)

    @cached_property
    def price_lists(self: CT) -> r.PriceLists[CT]:
        return r.PriceLists(self)

    @cached_property
    def finance_categories(self: CT) -> r.FinanceCategories[CT]:
        return r.FinanceCategories(self)

    @cached_property
    def statements(self: CT) -> r.Statements[CT]:
        return r.Statements(self)

    @cached_property
    def deal_types(self: CT) -> r.DealTypes[CT]:
        return r.DealTypes(self)

    @cached_property
    def product_sales(self: CT) -> r.ProductSales[CT]:
        return r.ProductSales(self)

    @cached_property
    def product_purchases(self: CT) -> r.ProductPurchases[CT]:
        return r.ProductPurchases(self)

    @cached_property
    def service_sales(self: CT) -> r.ServiceSales[CT]:
        return r.ServiceSales(self)

    @cached_property
    def reports(self: CT) -> r.Reports[CT]:
        return r.Reports(self)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(base_url={self.base_url!r}, "
            f"application_token={mask(self.application_token)}, "
            f"company_token={mask(self.company_token)})"
        )


class ContaAzul(_ContaAzulCore, SyncAPIClient):
    """The Conta Azul API, synchronously.

    ``ContaAzul(application_token=..., company_token=...)``, or from the environment
    (``CONTAAZUL_APPLICATION_TOKEN``, ``CONTAAZUL_COMPANY_TOKEN``).
    """

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawContaAzul:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        application_token: str | None = None,
        company_token: str | None = None,
        *,
        base_url: str | None = None,
        http_client: Client | None = None,
        transport: BaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._credentials(application_token, company_token)
        SyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )

    def connect(self, redirect_to: str) -> ConnectAttempt:
        """Start connecting a company: a fresh single-use public token and its page URL."""
        token = self.send(public_token_call(self.application_token))
        return ConnectAttempt(token, self.authorization_url(token, redirect_to))


class AsyncContaAzul(_ContaAzulCore, AsyncAPIClient):
    """The Conta Azul API, with ``async``/``await``; same surface as ``ContaAzul``."""

    if TYPE_CHECKING:

        @property
        def with_raw_response(self) -> _RawAsyncContaAzul:
            """A copy of this client whose calls return ``APIResponse[...]``."""

    def __init__(
        self,
        application_token: str | None = None,
        company_token: str | None = None,
        *,
        base_url: str | None = None,
        http_client: AsyncClient | None = None,
        transport: AsyncBaseTransport | None = None,
        **options: Unpack[ClientOptions],
    ) -> None:
        auth = self._credentials(application_token, company_token)
        AsyncAPIClient.__init__(
            self,
            auth=auth,
            base_url=base_url,
            http_client=http_client,
            transport=transport,
            **options,
        )

    async def connect(self, redirect_to: str) -> ConnectAttempt:
        """Start connecting a company: a fresh single-use public token and its page URL."""
        token = await self.send(public_token_call(self.application_token))
        return ConnectAttempt(token, self.authorization_url(token, redirect_to))


if TYPE_CHECKING:
    from sdkcore.client import RawResponseAsyncClient, RawResponseSyncClient

    class _RawContaAzul(ContaAzul, RawResponseSyncClient):
        """``ContaAzul.with_raw_response`` to a type checker (see ``sdkcore.client``)."""

    class _RawAsyncContaAzul(AsyncContaAzul, RawResponseAsyncClient):
        """``AsyncContaAzul.with_raw_response`` to a type checker (see ``sdkcore.client``)."""
