"""OAuth 2 as Conta Azul does it (https://auth.contaazul.com).

- Authorize at ``https://auth.contaazul.com/oauth2/authorize`` with the scopes
  ``openid profile aws.cognito.signin.user.admin`` (joined with ``+`` in the URL), a fresh
  ``state`` and the redirect URI exactly as registered in the application manager; the
  code that comes back lives three minutes and works once.
- Exchange and refresh at ``https://auth.contaazul.com/oauth2/token`` with HTTP Basic
  ``client_id:client_secret`` and a form body (the exchange repeats the redirect URI).
- One authorization per connected company: each gets its own token pair (keep each in its
  own store; ``sdkcore.auth.FileTokenStores`` keys them).
- A refresh may rotate the refresh token; ``sdkcore.TokenAuth`` refreshes once at a time
  (threads, tasks and processes sharing the store) and saves the new pair before using it.
  A refresh token the server refuses (``invalid_grant``) raises
  ``ReauthorizationRequired``, saying how to authorise again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sdkcore.auth import OAuth2CodeGrant
from sdkcore.client import env
from sdkcore.clock import Clock
from sdkcore.errors import RequestValidationError
from sdkcore.transport import AsyncBaseTransport, BaseTransport, Request, Timeout

AUTHORIZE_URL = "https://auth.contaazul.com/oauth2/authorize"
TOKEN_URL = "https://auth.contaazul.com/oauth2/token"
DEFAULT_SCOPES = ("openid", "profile", "aws.cognito.signin.user.admin")
CLIENT_ID_ENV = "CONTAAZUL_CLIENT_ID"
CLIENT_SECRET_ENV = "CONTAAZUL_CLIENT_SECRET"

REAUTHORIZE_HINT = (
    "it expired, was revoked, or was already used by another copy of these credentials; "
    "authorise the company again: run `python -m bridge authorize`, or send its owner to "
    "ContaAzulOAuth.authorization_url() and pass the code that comes back to "
    "exchange_code(..., store=...)"
)


class ContaAzulOAuth(OAuth2CodeGrant):
    """The Conta Azul OAuth application: authorization URL, code exchange and refresh.

    ``ContaAzulOAuth(client_id=..., client_secret=..., redirect_uri=...)``, or from the
    environment (``CONTAAZUL_CLIENT_ID``, ``CONTAAZUL_CLIENT_SECRET``). Pass it to
    ``ContaAzul(oauth=..., token_store=...)`` and the client refreshes by itself.
    """

    missing_credentials = (
        f"pass client_id= and client_secret= or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV} "
        "(from Conta Azul's application manager)"
    )
    code_rejection_hint = "codes live three minutes and work once"
    reauthorize_hint = REAUTHORIZE_HINT

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uri: str | None = None,
        *,
        scopes: Sequence[str] = DEFAULT_SCOPES,
        authorize_url: str = AUTHORIZE_URL,
        token_url: str = TOKEN_URL,
        extra_headers: Mapping[str, str] | None = None,
        transport: BaseTransport | None = None,
        async_transport: AsyncBaseTransport | None = None,
        timeout: float | Timeout | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(
            client_id or env(CLIENT_ID_ENV),
            client_secret or env(CLIENT_SECRET_ENV),
            redirect_uri,
            authorize_url=authorize_url,
            token_url=token_url,
            scopes=scopes,
            extra_headers=extra_headers,
            transport=transport,
            async_transport=async_transport,
            timeout=timeout,
            clock=clock,
        )

    def authorization_url(self, state: str | None = None) -> tuple[str, str]:
        """The page where the company's owner authorises the app, and the ``state`` to
        expect back. Conta Azul refuses an authorization without the redirect URI, so one
        must have been given (``redirect_uri=``)."""
        self._require_redirect_uri("authorization_url()")
        return super().authorization_url(state)

    def code_request(self, code: str) -> Request:
        # exchange_code and aexchange_code build their request here: Conta Azul refuses
        # an exchange that does not repeat the authorization's redirect URI.
        self._require_redirect_uri("exchange_code()")
        return super().code_request(code)

    def _require_redirect_uri(self, operation: str) -> None:
        if not self.redirect_uri:
            raise RequestValidationError(
                "redirect_uri",
                f"is required for {operation}: pass ContaAzulOAuth(redirect_uri=...), the "
                "URI registered for the app in Conta Azul's application manager, exactly as "
                "registered",
            )


__all__ = [
    "AUTHORIZE_URL",
    "DEFAULT_SCOPES",
    "TOKEN_URL",
    "ContaAzulOAuth",
]
