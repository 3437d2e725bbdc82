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

import threading
from collections import deque
from collections.abc import Mapping

from sdkcore.auth import OAuth2CodeGrant, OAuth2RefreshSource, StateMismatchError
from sdkcore.client import env
from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.errors import RateLimitError
from sdkcore.transport import AsyncBaseTransport, BaseTransport, Request, Timeout

AUTHORIZE_URL = "https://www.bling.com.br/Api/v3/oauth/authorize"
TOKEN_URL = "https://api.bling.com.br/Api/v3/oauth/token"
REVOKE_URL = "https://api.bling.com.br/Api/v3/oauth/revoke"
CLIENT_ID_ENV = "BLING_CLIENT_ID"
CLIENT_SECRET_ENV = "BLING_CLIENT_SECRET"
JWT_HEADERS = {"enable-jwt": "1"}


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


class BlingOAuth(OAuth2CodeGrant):
    """The Bling OAuth application: authorize URL, code exchange, refresh, revoke.

    ``BlingOAuth(client_id=..., client_secret=..., redirect_uri=...)``, or from the
    environment (``BLING_CLIENT_ID``, ``BLING_CLIENT_SECRET``). Pass it to ``Bling(oauth=...)``
    with a token store and the client refreshes by itself. The grant is ``sdkcore``'s
    ``OAuth2CodeGrant``; what is Bling's is here: its URLs, ``enable-jwt``, the call guard,
    and an exchange that sends only the code. ``client_secret`` also keys Bling's webhook
    signatures.
    """

    missing_credentials = (
        f"pass client_id= and client_secret= or set {CLIENT_ID_ENV} and {CLIENT_SECRET_ENV}"
    )
    code_rejection_hint = "codes live one minute and work once"
    exchange_sends_redirect_uri = False

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
        super().__init__(
            client_id or env(CLIENT_ID_ENV),
            client_secret or env(CLIENT_SECRET_ENV),
            redirect_uri,
            authorize_url=authorize_url,
            token_url=token_url,
            revoke_url=revoke_url,
            extra_headers=JWT_HEADERS,
            transport=transport,
            async_transport=async_transport,
            timeout=timeout,
            clock=clock,
        )
        self.guard = TokenCallGuard(max_token_calls_per_minute, 60.0, self.clock)

    def token_source(self) -> BlingTokenSource:
        return BlingTokenSource(
            self.token_url, self.client_id, self.client_secret, guard=self.guard, clock=self.clock
        )


__all__ = [
    "AUTHORIZE_URL",
    "REVOKE_URL",
    "TOKEN_URL",
    "BlingOAuth",
    "BlingTokenSource",
    "StateMismatchError",
    "TokenCallGuard",
]
