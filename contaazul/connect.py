"""Connecting a company: the spec's public-token and authorization-page flow."""

from __future__ import annotations

from urllib.parse import parse_qs, quote, urlencode, urlsplit

import attrs

from sdkcore import Call, RequestOptions, RequestValidationError, ResponseParseError
from sdkcore.bodies import loads_json
from sdkcore.errors import excerpt
from sdkcore.redact import redact_url, register_secret
from sdkcore.transport import Response

AUTHORIZATION_PAGE = "https://app.contaazul.com.br/authorization/request/"
# The spec names the redirect parameter authorizationToken and, in its example, misspells it.
REDIRECT_TOKEN_PARAMS = ("authorizationToken", "auhorizationToken")


@attrs.frozen(repr=False)
class ConnectAttempt:
    """One attempt to connect a company: open ``url`` in a pop-up; the token is single-use."""

    public_token: str
    url: str

    def __repr__(self) -> str:
        return "ConnectAttempt(public_token=***, url=<authorization page>)"


def public_token_call(application_token: str) -> Call[str]:
    if not application_token:
        raise RequestValidationError("application_token", "is needed to request a public token")
    path = f"/pub/oauth/requestkey/{quote(application_token, safe='')}"
    return Call(RequestOptions("GET", path), _read_public_token)


def _read_public_token(response: Response) -> str:
    text = response.text.strip()
    token: object = text
    if text[:1] in ("{", '"'):
        try:
            data = loads_json(text)
        except ValueError:
            data = None
        if isinstance(data, str):
            token = data
        elif isinstance(data, dict):
            token = next(
                (v for k, v in data.items() if "token" in k.lower() or "key" in k.lower()), None
            )
    if not isinstance(token, str) or not token.strip():
        raise ResponseParseError(
            "no public token in the answer",
            status_code=response.status_code,
            method=response.request.method,
            url=redact_url(str(response.request.url)),
            body=excerpt(response.content)[:40],
        )
    register_secret(token.strip(), rotating=True)  # single-use, but a credential until used
    return token.strip()


def authorization_url(public_token: str, redirect_to: str, page: str = AUTHORIZATION_PAGE) -> str:
    """The authorization page that asks the user to connect their company."""
    if not redirect_to.startswith(("https://", "http://")):
        raise RequestValidationError("redirect_to", "must be an absolute http(s) URL")
    return f"{page}{quote(public_token, safe='')}?{urlencode({'redirectTo': redirect_to})}"


def company_token_from_redirect(redirect_url: str) -> str:
    """Read the company token from the URL the authorization page redirected to."""
    query = parse_qs(urlsplit(redirect_url).query)
    for name in REDIRECT_TOKEN_PARAMS:
        values = query.get(name)
        if values and values[0].strip():
            return values[0].strip()
    raise RequestValidationError(
        "redirect_url", "has no authorizationToken: the user did not authorise the connection"
    )
