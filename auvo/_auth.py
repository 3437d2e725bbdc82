"""Auvo's login: API key and token in, a bearer token good for about 30 minutes out.

``AuvoLogin`` is an ``sdkcore.TokenSource``; ``sdkcore.TokenAuth`` calls it lazily, again
shortly before the token's JWT ``exp`` and once more on a 401.
"""

from __future__ import annotations

import base64
from collections.abc import AsyncGenerator, Generator
from typing import Any

from pydantic import ValidationError as PydanticValidationError

from sdkcore import (
    AuthenticationError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    TokenAuth,
    TokenSet,
)
from sdkcore.bodies import loads_json
from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.errors import redacted_excerpt
from sdkcore.redact import mask, redact_text, redact_url, register_secret
from sdkcore.transport import Request, Response

from .models import LoginResult

TOKEN_LIFETIME = 30 * 60.0
"""What Auvo documents; used when a token's ``exp`` cannot be read."""
REFRESH_MARGIN = 90.0
LOGIN_PATH = "/login/"
API_DISABLED_HINT = "Object reference not set to an instance of an object"
CREDENTIALS_HELP = (
    "check the API key and token (AUVO_API_KEY, AUVO_API_TOKEN) under Menu > Integração "
    "in Auvo (https://app.auvo.com.br/integracao)"
)
DISABLED_HELP = (
    "the Auvo API looks disabled for this account: switch it to ATIVADA under "
    "Integrações in Auvo (https://app.auvo.com.br/integracao), then retry"
)


def jwt_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWT, read without verifying it (only to plan the next login)."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    payload = parts[1] + "=" * (-len(parts[1]) % 4)
    try:
        claims = loads_json(base64.urlsafe_b64decode(payload.encode("ascii")))
    except (ValueError, UnicodeError):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    if isinstance(exp, int | float) and not isinstance(exp, bool) and exp > 0:
        return float(exp)
    return None


class AuvoLogin:
    """Logs in with ``GET /login/?apiKey=&apiToken=``; secrets are masked in ``repr``."""

    def __init__(self, api_key: str, api_token: str, base_url: str, clock: Clock = SYSTEM_CLOCK):
        self.api_key = api_key
        self._api_token = api_token
        self.base_url = base_url.rstrip("/")
        self.clock = clock
        # The login sends both in its URL (Auvo offers no other form): masked in every log.
        register_secret(api_key)
        register_secret(api_token)

    def __repr__(self) -> str:
        return f"AuvoLogin(api_key={mask(self.api_key)}, api_token={mask(self._api_token)})"

    @property
    def secrets(self) -> tuple[str, ...]:
        return (self.api_key, self._api_token)

    def token_request(self, current: TokenSet | None) -> Request:
        return Request(
            "GET",
            self.base_url + LOGIN_PATH,
            params={"apiKey": self.api_key, "apiToken": self._api_token},
            headers={"Accept": "application/json"},
        )

    def read_token_response(self, response: Response, current: TokenSet | None) -> TokenSet:
        return tokens_from_login(response, self.clock.time(), self.secrets)


def _login_result(data: Any) -> LoginResult | None:
    if isinstance(data, dict):
        body = data.get("result", data)
        if isinstance(body, dict):
            return LoginResult.model_validate(body)
    return None


def tokens_from_login(response: Response, now: float, secrets: tuple[str, ...] = ()) -> TokenSet:
    """A ``TokenSet`` from a login answer, or an exception saying plainly what went wrong."""
    content = response.content
    unreadable = "empty where JSON was expected" if not content.strip() else None
    data: Any = None
    if content.strip():
        try:
            data = loads_json(content)
        except ValueError as exc:
            unreadable = str(exc)
    result: LoginResult | None = None
    if response.status_code < 400:
        try:
            result = _login_result(data)
        except PydanticValidationError as exc:
            unreadable = f"not a login result ({exc.errors()[0]['msg']})"
        hint = API_DISABLED_HINT.lower().encode() in content.lower()
        if unreadable is not None and not hint:
            # A success status with a body nobody can read says nothing about the keys.
            raise ResponseParseError(
                f"Auvo's login answer is {unreadable}",
                status_code=response.status_code,
                method=response.request.method,
                url=redact_url(str(response.request.url)),
                body=redacted_excerpt(content, lambda head: redact_text(head, secrets)),
            )
    if result is not None and result.authenticated is not False and result.access_token:
        token = result.access_token
        expires = jwt_expiry(token)
        if expires is None:
            expires = now + TOKEN_LIFETIME
        return TokenSet(access_token=token, expires_at=expires, token_type="Bearer")
    raise login_error(response, data, secrets)


def login_error(response: Response, data: Any, secrets: tuple[str, ...] = ()) -> Exception:
    """Map a failed login to an error a person can act on."""
    text = response.content.decode("utf-8", "replace")
    status = response.status_code
    common: dict[str, Any] = {
        "status_code": status,
        "method": response.request.method,
        "url": redact_url(str(response.request.url)),
        "body": redacted_excerpt(text, lambda head: redact_text(head, secrets)),
    }
    if API_DISABLED_HINT.lower() in text.lower():
        return AuthenticationError(
            f"Auvo login failed: {DISABLED_HELP}", code="api_disabled", **common
        )
    if status == 429 or (status == 403 and "rate limit" in text.lower()):
        return RateLimitError("Auvo login was rate limited: wait a minute", **common)
    if status >= 500:
        return ServerError("Auvo login failed with a server error; try again later", **common)
    if (
        status == 400
        and isinstance(data, dict)
        and any(k.lower() in ("apikey", "apitoken") for k in data)
    ):
        return AuthenticationError(
            f"Auvo login failed: the API key or token is missing or malformed; {CREDENTIALS_HELP}",
            code="invalid_credentials",
            **common,
        )
    if status < 400:
        reason = "Auvo did not authenticate these credentials"
        result = _login_result(data)
        if result is not None and result.message and result.message.upper() != "OK":
            reason += f" ({result.message})"
    else:
        reason = "Auvo rejected the API key or token"
    return AuthenticationError(
        f"Auvo login failed: {reason}; {CREDENTIALS_HELP}", code="invalid_credentials", **common
    )


class AuvoTokenAuth(TokenAuth):
    """``TokenAuth`` that lets the login request itself through unauthenticated."""

    def sync_auth_flow(self, request: Request) -> Generator[Request, Response, None]:
        if request.url.path.endswith(LOGIN_PATH):
            yield request
            return
        yield from super().sync_auth_flow(request)

    async def async_auth_flow(self, request: Request) -> AsyncGenerator[Request, Response]:
        if request.url.path.endswith(LOGIN_PATH):
            yield request
            return
        flow = super().async_auth_flow(request)
        try:
            step = await flow.__anext__()
            while True:
                response = yield step
                step = await flow.asend(response)
        except StopAsyncIteration:
            return

    def adopt(self, tokens: TokenSet) -> None:
        """Use tokens obtained by an explicit ``login()``."""
        with self._thread_lock, self.store.lock():
            self._cached = tokens
            self.store.save(tokens)

    @property
    def secrets(self) -> tuple[str, ...]:
        extra = getattr(self.source, "secrets", ())
        return (*super().secrets, *extra)
