"""OAuth 2 exactly as Bling does it.

- Authorize at ``https://www.bling.com.br/Api/v3/oauth/authorize`` with a ``state`` that the
  redirect must bring back unchanged; the code lives a minute and works once.
- Exchange and refresh at ``https://api.bling.com.br/Api/v3/oauth/token`` with HTTP Basic
  ``client_id:client_secret`` and a form body, sending ``enable-jwt: 1``.
- Every refresh returns a new refresh token and kills the old one. ``sdkcore.TokenAuth``
  makes one caller refresh at a time (threads, tasks, and processes through the store's
  file lock) and persists the new pair before using it; ``TokenCallGuard`` keeps us under
  about ten token calls a minute; ``invalid_grant`` raises ``ReauthorizationRequired``.
"""

from __future__ import annotations

import hmac
import secrets
import threading
from collections import deque
from collections.abc import Callable, Mapping
from typing import TypeVar
from urllib.parse import urlencode

from sdkcore import (
    AuthenticationError,
    OAuth2RefreshSource,
    RateLimitError,
    ReauthorizationRequired,
    SDKError,
    TokenSet,
)
from sdkcore.client import env
from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.errors import redacted_excerpt
from sdkcore.redact import mask, redact_text, register_secret
from sdkcore.transport import (
    AsyncBaseTransport,
    BaseTransport,
    Request,
    Response,
    Timeout,
    make_timeout,
    new_async_client,
    new_sync_client,
)

AUTHORIZE_URL = "https://www.bling.com.br/Api/v3/oauth/authorize"
TOKEN_URL = "https://api.bling.com.br/Api/v3/oauth/token"
REVOKE_URL = "https://api.bling.com.br/Api/v3/oauth/revoke"
CLIENT_ID_ENV = "BLING_CLIENT_ID"
CLIENT_SECRET_ENV = "BLING_CLIENT_SECRET"
JWT_HEADERS = {"enable-jwt": "1"}

T = TypeVar("T")
_Step = tuple[Request, Callable[[Response], T]]
"""A token-endpoint operation without I/O: the request, and what reads its answer."""


class StateMismatchError(SDKError, ValueError):
    """The ``state`` that came back with the code is not the one we sent: refuse the code."""


class TokenCallGuard:
    """At most ``limit`` token-endpoint calls per ``per`` seconds in this process.

    A runaway refresh loop would burn the rotating refresh token and get the app blocked;
    past the limit, a token call raises ``RateLimitError`` instead of reaching Bling.
    """

    def __init__(self, limit: int = 10, per: float = 60.0, clock: Clock = SYSTEM_CLOCK) -> None:
        self.limit = limit
        self.per = per
        self.clock = clock
        self._calls: deque[float] = deque()
        self._lock = threading.Lock()

    def acquire(self, url: str) -> None:
        with self._lock:
            now = self.clock.monotonic()
            while self._calls and now - self._calls[0] >= self.per:
                self._calls.popleft()
            if len(self._calls) >= self.limit:
                wait = self.per - (now - self._calls[0])
                raise RateLimitError(
                    f"refusing to call the token endpoint more than {self.limit} times in "
                    f"{self.per:.0f} s (something is refreshing in a loop)",
                    method="POST",
                    url=url,
                    retry_after=wait,
                )
            self._calls.append(now)


class BlingTokenSource(OAuth2RefreshSource):
    """Bling's refresh grant: ``OAuth2RefreshSource`` plus ``enable-jwt`` and the call guard."""

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        guard: TokenCallGuard,
        clock: Clock = SYSTEM_CLOCK,
    ) -> None:
        super().__init__(
            token_url, client_id, client_secret, extra_headers=JWT_HEADERS, clock=clock
        )
        self.guard = guard

    def __repr__(self) -> str:
        return f"BlingTokenSource(client_id={self.client_id!r}, client_secret=***)"

    def form_request(self, form: Mapping[str, str]) -> Request:
        self.guard.acquire(self.token_url)
        return super().form_request(form)


class BlingOAuth:
    """The Bling OAuth application: authorize URL, code exchange, refresh, revoke.

    ``BlingOAuth(client_id=..., client_secret=..., redirect_uri=...)``, or from the
    environment (``BLING_CLIENT_ID``, ``BLING_CLIENT_SECRET``). Pass it to ``Bling(oauth=...)``
    with a token store and the client refreshes by itself.
    """

    def __init__(
        self,
        client_id: str | None = None,
        client_secret: str | None = None,
        redirect_uri: str | None = None,
        *,
        authorize_url: str = AUTHORIZE_URL,
        token_url: str = TOKEN_URL,
        revoke_url: str = REVOKE_URL,
        transport: BaseTransport | None = None,
        async_transport: AsyncBaseTransport | None = None,
        timeout: float | Timeout | None = None,
        clock: Clock | None = None,
        max_token_calls_per_minute: int = 10,
    ) -> None:
        cid = client_id or env(CLIENT_ID_ENV)
        secret = client_secret or env(CLIENT_SECRET_ENV)
        if not cid or not secret:
            raise AuthenticationError(
                f"pass client_id= and client_secret= or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}"
            )
        self.client_id = cid
        self._client_secret = secret
        register_secret(secret)
        self.redirect_uri = redirect_uri
        self.authorize_url = authorize_url
        self.token_url = token_url
        self.revoke_url = revoke_url
        self.clock = clock or SYSTEM_CLOCK
        self.guard = TokenCallGuard(max_token_calls_per_minute, 60.0, self.clock)
        self._transport = transport
        self._async_transport = async_transport
        self._timeout = make_timeout(timeout)

    def __repr__(self) -> str:
        return (
            f"BlingOAuth(client_id={self.client_id!r}, client_secret={mask(self._client_secret)})"
        )

    @property
    def client_secret(self) -> str:
        """The app's secret; also the key of webhook signatures."""
        return self._client_secret

    # -- pure parts ---------------------------------------------------------------------------

    def token_source(self) -> BlingTokenSource:
        return BlingTokenSource(
            self.token_url, self.client_id, self._client_secret, guard=self.guard, clock=self.clock
        )

    def authorization_url(self, state: str | None = None) -> tuple[str, str]:
        """The page where the account owner authorises the app, and the ``state`` to expect."""
        state = state or secrets.token_urlsafe(24)
        query: dict[str, str] = {
            "response_type": "code",
            "client_id": self.client_id,
            "state": state,
        }
        if self.redirect_uri:
            query["redirect_uri"] = self.redirect_uri
        return f"{self.authorize_url}?{urlencode(query)}", state

    @staticmethod
    def check_state(state: str | None, expected_state: str | None) -> None:
        if expected_state is None:
            return
        if state is None or not hmac.compare_digest(state.encode(), expected_state.encode()):
            raise StateMismatchError(
                "the state returned with the code does not match the one sent: "
                "refusing the code (a forged or stale redirect)"
            )

    def code_request(self, code: str) -> Request:
        if not code:
            raise AuthenticationError("no authorization code given")
        register_secret(code, rotating=True)
        return self.token_source().form_request({"grant_type": "authorization_code", "code": code})

    def revoke_request(self, token: str) -> Request:
        import base64

        basic = base64.b64encode(f"{self.client_id}:{self._client_secret}".encode()).decode()
        headers = {
            "Authorization": f"Basic {basic}",
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            **JWT_HEADERS,
        }
        body = urlencode({"token": token}).encode()
        return Request("POST", self.revoke_url, headers=headers, content=body)

    def read_tokens(self, response: Response) -> TokenSet:
        return self.token_source().read_token_response(response, None)

    # Each token operation is one request and a reader of its answer, built without I/O;
    # ``_send`` and ``_asend`` are the only differences between the sync and async methods.

    def _exchange_step(
        self, code: str, state: str | None, expected_state: str | None
    ) -> _Step[TokenSet]:
        self.check_state(state, expected_state)
        return self.code_request(code), self._read_code_answer

    def _refresh_step(self, tokens: TokenSet) -> _Step[TokenSet]:
        source = self.token_source()
        return source.token_request(tokens), lambda answer: source.read_token_response(
            answer, tokens
        )

    def _revoke_step(self, token: str | TokenSet) -> _Step[None]:
        return self.revoke_request(_token_text(token)), self._check_revoked

    def _read_code_answer(self, response: Response) -> TokenSet:
        try:
            return self.read_tokens(response)
        except ReauthorizationRequired as exc:
            raise AuthenticationError(
                "the authorization code was rejected (invalid_grant): codes live one minute "
                "and work once, so send the user through authorization_url() again",
                status_code=exc.status_code,
                method=exc.method,
                url=exc.url,
                body=exc.body_excerpt,
                code=exc.code,
            ) from None

    @staticmethod
    def _check_revoked(response: Response) -> None:
        if response.status_code >= 400:
            raise AuthenticationError(
                "revoking the token failed",
                status_code=response.status_code,
                method="POST",
                url=str(response.request.url),
                body=redacted_excerpt(response.content, redact_text),
            )

    # -- sync ----------------------------------------------------------------------------------

    def _send(self, step: _Step[T]) -> T:
        request, read = step
        with new_sync_client(self._transport, self._timeout) as http:
            response = http.send(request)
            response.read()
        return read(response)

    def exchange_code(
        self, code: str, *, state: str | None = None, expected_state: str | None = None
    ) -> TokenSet:
        """Trade the redirect's ``code`` for tokens; ``state`` must equal ``expected_state``."""
        return self._send(self._exchange_step(code, state, expected_state))

    def refresh(self, tokens: TokenSet) -> TokenSet:
        """One refresh by hand (``Bling(oauth=...)`` does this by itself): the old pair dies."""
        return self._send(self._refresh_step(tokens))

    def revoke(self, token: str | TokenSet) -> None:
        """Revoke a token (a ``TokenSet`` revokes its refresh token)."""
        self._send(self._revoke_step(token))

    # -- async ---------------------------------------------------------------------------------

    async def _asend(self, step: _Step[T]) -> T:
        request, read = step
        async with new_async_client(self._async_transport, self._timeout) as http:
            response = await http.send(request)
            await response.aread()
        return read(response)

    async def aexchange_code(
        self, code: str, *, state: str | None = None, expected_state: str | None = None
    ) -> TokenSet:
        """``exchange_code`` for asyncio."""
        return await self._asend(self._exchange_step(code, state, expected_state))

    async def arefresh(self, tokens: TokenSet) -> TokenSet:
        """``refresh`` for asyncio."""
        return await self._asend(self._refresh_step(tokens))

    async def arevoke(self, token: str | TokenSet) -> None:
        """``revoke`` for asyncio."""
        await self._asend(self._revoke_step(token))


def _token_text(token: str | TokenSet) -> str:
    if isinstance(token, TokenSet):
        return token.refresh_token or token.access_token
    return token


__all__ = [
    "AUTHORIZE_URL",
    "REVOKE_URL",
    "TOKEN_URL",
    "BlingOAuth",
    "BlingTokenSource",
    "StateMismatchError",
    "TokenCallGuard",
]
