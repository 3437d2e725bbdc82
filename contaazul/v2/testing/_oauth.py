"""Conta Azul's authorization server (``auth.contaazul.com``) as the fake serves it.

- ``GET /login`` (the portal's link; ``/oauth2/authorize`` answers the same): the page the
  account owner authorises on; the fake authorises at once and redirects to
  ``redirect_uri`` with ``code`` and ``state``.
- ``POST /oauth2/token``: HTTP Basic client credentials and a form body, grants
  ``authorization_code`` and ``refresh_token``. Every refresh returns a new refresh token
  and kills the one used: a used or unknown one answers ``invalid_grant``.
"""

from __future__ import annotations

import base64
import hmac
import secrets
from typing import Any
from urllib.parse import parse_qs, urlencode

from sdkcore.testing import FakeRequest, FakeResponse, HTTPFault, route

from ._core import FakeCore

ACCESS_TOKEN_LIFETIME = 3600
"""Seconds an access token lives (``expires_in``)."""
CODE_LIFETIME = 300
"""Seconds an authorization code lives; it works once."""
SCOPE = "openid profile aws.cognito.signin.user.admin"


def oauth_error(status: int, code: str) -> HTTPFault:
    """The authorization server's error body: ``{"error": "invalid_grant"}``."""
    return HTTPFault(status, {"error": code})


class OAuthRoutes(FakeCore):
    """The token endpoint and the authorize page."""

    client_id: str
    client_secret: str

    def _init_oauth(self) -> None:
        self.client_id = "fake-ca-client-id"
        self.client_secret = "fake-ca-client-secret-" + secrets.token_hex(8)
        self.token_calls = 0
        self.refreshes = 0
        self._codes: dict[str, tuple[float, str | None]] = {}
        self._refresh: dict[str, bool] = {}  # refresh token -> still valid

    def new_access_token(self, lifetime: float = ACCESS_TOKEN_LIFETIME) -> str:
        token = "fake-ca-at-" + secrets.token_hex(16)
        self.grant_access(token, lifetime)
        return token

    def issue_code(self, redirect_uri: str | None = None) -> str:
        """What the login page does when the owner clicks "authorise": a one-use code."""
        code = "fake-ca-code-" + secrets.token_hex(8)
        with self.lock:
            self._codes[code] = (self.clock.time() + CODE_LIFETIME, redirect_uri)
        return code

    def issue_tokens(self) -> dict[str, Any]:
        """A fresh token pair, as the token endpoint answers it."""
        refresh = "fake-ca-rt-" + secrets.token_hex(16)
        with self.lock:
            self._refresh[refresh] = True
        return {
            "access_token": self.new_access_token(),
            "refresh_token": refresh,
            "id_token": "fake-ca-id-" + secrets.token_hex(8),
            "token_type": "Bearer",
            "expires_in": ACCESS_TOKEN_LIFETIME,
        }

    def _check_client(self, request: FakeRequest) -> None:
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        header = request.header("authorization") or ""
        if not hmac.compare_digest(header.encode(), f"Basic {expected}".encode()):
            raise oauth_error(400, "invalid_client")

    @route("POST", "/oauth2/token")
    def token(self, request: FakeRequest) -> FakeResponse:
        self.token_calls += 1
        self._check_client(request)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            entry = self._codes.pop(form.get("code", ""), None)
            if entry is None or entry[0] < self.clock.time():
                raise oauth_error(400, "invalid_grant")
            expected_redirect = entry[1]
            if expected_redirect is not None and form.get("redirect_uri") != expected_redirect:
                raise oauth_error(400, "invalid_grant")
            return FakeResponse(200, self.issue_tokens())
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if not self._refresh.get(token):
                raise oauth_error(400, "invalid_grant")
            self._refresh[token] = False  # rotation: the old refresh token dies now
            self.refreshes += 1
            return FakeResponse(200, self.issue_tokens())
        raise oauth_error(400, "unsupported_grant_type")

    @route("GET", "/login")
    @route("GET", "/oauth2/authorize")
    def login(self, request: FakeRequest) -> FakeResponse:
        if request.arg("client_id") != self.client_id:
            raise oauth_error(400, "invalid_client")
        if request.arg("response_type") != "code":
            raise oauth_error(400, "unsupported_response_type")
        redirect = request.arg("redirect_uri")
        query = {"code": self.issue_code(redirect), "state": request.arg("state") or ""}
        if redirect:
            separator = "&" if "?" in redirect else "?"
            return FakeResponse(302, None, {"Location": f"{redirect}{separator}{urlencode(query)}"})
        return FakeResponse(200, query)
