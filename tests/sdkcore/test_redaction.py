"""No secret in any log line, repr or exception text, with PONTE_LOG=debug."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from sdkcore import (
    APIError,
    FakeClock,
    HeaderAuth,
    MemoryTokenStore,
    TokenAuth,
    TokenSet,
    logs as sdk_logs,
)
from sdkcore.redact import (
    MASK,
    is_secret_name,
    mask,
    redact_headers,
    redact_text,
    redact_url,
)

PACKAGE = "ponte_testapi"
HEADER_SECRET = "hdr-9f8e7d6c5b4a39281706"
API_KEY = "key-0a1b2c3d4e5f60718293"
API_TOKEN = "tok-aa11bb22cc33dd44ee55"
ACCESS = "acc-5566778899aabbccddee"
REFRESH = "ref-ffeeddccbbaa99887766"
SECRETS = (HEADER_SECRET, API_KEY, API_TOKEN, ACCESS, REFRESH)
Make = Callable[..., Any]


@pytest.fixture
def debug_logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> Iterator[pytest.LogCaptureFixture]:
    monkeypatch.setenv("PONTE_LOG", "debug")
    logger = logging.getLogger(PACKAGE)
    handlers, level = list(logger.handlers), logger.level
    caplog.set_level(logging.DEBUG, logger=PACKAGE)
    yield caplog
    logger.handlers[:] = handlers
    logger.setLevel(level)
    sdk_logs._configured.discard(PACKAGE)


def assert_clean(*texts: str) -> None:
    """No secret, and no 10-character piece of one, in any of the texts."""
    for text in texts:
        for secret in SECRETS:
            for start in range(len(secret) - 9):
                piece = secret[start : start + 10]
                assert piece not in text, f"{piece} of {secret} leaked into: {text[-300:]}"


def straddling(key: str, secret: str) -> dict[str, str]:
    """A JSON body whose secret starts a dozen characters before the 500-character excerpt
    limit: redacting after cutting would leave most of it in view."""
    head = len('{"note":"') + len(f'","{key}":"')
    return {"note": "x" * (488 - head), key: secret}


def api_handler(request: httpx.Request) -> httpx.Response:
    path = request.url.path
    if path == "/token":
        return httpx.Response(200, json={"access_token": ACCESS, "expires_in": 3600})
    if path == "/login":
        return httpx.Response(200, json=straddling("accessToken", ACCESS))
    if path == "/long-error":
        return httpx.Response(400, json=straddling("refresh_token", REFRESH))
    if path == "/echo":
        sent = request.headers.get("x-company") or request.headers.get("authorization")
        message = f"bad credentials {sent} for ?apiKey={API_KEY}&apiToken={API_TOKEN}"
        return httpx.Response(403, json={"message": message, "token": ACCESS})
    if path == "/flaky":
        return httpx.Response(503, text=f"upstream said: Bearer {ACCESS}")
    if path == "/shape":
        return httpx.Response(200, json={"id": {"token": ACCESS}})
    return httpx.Response(200, json={"ok": True, "refresh_token": REFRESH})


class TokenSource:
    def token_request(self, current: TokenSet | None) -> httpx.Request:
        return httpx.Request("POST", "https://api.example.test/token", json={"r": REFRESH})

    def read_token_response(self, response: httpx.Response, current: TokenSet | None) -> TokenSet:
        return TokenSet(response.json()["access_token"], REFRESH, expires_at=None)


def test_nothing_secret_reaches_logs_reprs_or_errors(
    debug_logs: pytest.LogCaptureFixture, make_client: Make, clock: FakeClock
) -> None:
    texts: list[str] = []
    header_api = make_client(
        httpx.MockTransport(api_handler), auth=HeaderAuth({"X-Company": HEADER_SECRET})
    )
    token_auth = TokenAuth(TokenSource(), MemoryTokenStore(), clock=clock)
    token_api = make_client(httpx.MockTransport(api_handler), auth=token_auth)
    assert header_api.client.log.isEnabledFor(logging.DEBUG)

    for api in (header_api, token_api):
        api.request("GET", "/login", params={"apiKey": API_KEY, "apiToken": API_TOKEN})
        api.request("POST", "/things", json={"client_secret": HEADER_SECRET, "token": ACCESS})
        api.request("GET", f"/things?apiKey={API_KEY}&page=2")
        for path, kwargs in (
            ("/echo", {"params": {"apiToken": API_TOKEN}}),
            ("/flaky", {}),
            ("/long-error", {}),
        ):
            with pytest.raises(APIError) as info:
                api.request("GET", path, **kwargs)
            err = info.value
            texts += [str(err), repr(err), err.message, err.body_excerpt, str(err.url)]
        from pydantic import BaseModel, TypeAdapter

        from sdkcore import Call, RequestOptions
        from sdkcore.client import parse_with

        class Shape(BaseModel):
            id: int

        with pytest.raises(APIError) as info:
            api.send(
                Call(RequestOptions("GET", "/shape"), parse_with(TypeAdapter(Shape).validate_json))
            )
        texts += [str(info.value), repr(info.value)]
        texts += [repr(api.client), repr(api.client._auth)]

    messages = [record.getMessage() for record in debug_logs.records]
    assert any("request GET" in m for m in messages)
    assert any("response GET" in m and "status=503" in m for m in messages)
    assert any("/login" in m and "apiKey=***" in m for m in messages)
    assert any(MASK in m for m in messages)
    assert_clean(*messages, *texts)
    assert token_auth.refresh_count == 1


def test_retried_requests_log_auth_headers_masked(
    debug_logs: pytest.LogCaptureFixture, make_client: Make
) -> None:
    auth = HeaderAuth({"X-Company": HEADER_SECRET, "Authorization": f"Bearer {ACCESS}"})
    api = make_client(httpx.MockTransport(api_handler), auth=auth)
    with pytest.raises(APIError):
        api.request("GET", "/flaky")
    attempts = [r.getMessage() for r in debug_logs.records if "attempt=3" in r.getMessage()]
    assert attempts
    assert "x-company" in attempts[0].lower()
    assert_clean(*[r.getMessage() for r in debug_logs.records])


def test_get_logger_configures_once_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = "ponte_logs_probe"
    logger = logging.getLogger(name)
    try:
        monkeypatch.delenv("PONTE_LOG", raising=False)
        assert sdk_logs.get_logger(name) is logger
        assert logger.handlers == []
        monkeypatch.setenv("PONTE_LOG", " Info ")
        sdk_logs.get_logger(name)
        sdk_logs.get_logger(name)
        assert len(logger.handlers) == 1
        assert logger.level == logging.INFO
    finally:
        logger.handlers.clear()
        logger.setLevel(logging.NOTSET)
        sdk_logs._configured.discard(name)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://a.test/x", "https://a.test/x"),
        ("https://a.test/x?page=2", "https://a.test/x?page=2"),
        (
            "https://a.test/login?apiKey=K&apiToken=T&page=2",
            "https://a.test/login?apiKey=***&apiToken=***&page=2",
        ),
        ("https://a.test/cb?code=abc&state=s", "https://a.test/cb?code=***&state=s"),
        ("https://user:pw@a.test/x", "https://a.test/x"),
        ("https://a.test/x?access_token=", "https://a.test/x?access_token=***"),
    ],
)
def test_redact_url(url: str, expected: str) -> None:
    assert redact_url(url) == expected


def test_redact_headers() -> None:
    headers = {
        "Authorization": "Bearer x",
        "X-Api-Key": "k",
        "CompanyToken": "c",
        "Cookie": "s=1",
        "Accept": "application/json",
    }
    assert redact_headers(headers) == {
        "Authorization": MASK,
        "X-Api-Key": MASK,
        "CompanyToken": MASK,
        "Cookie": MASK,
        "Accept": "application/json",
    }
    assert redact_headers([("x-secret", "s")]) == {"x-secret": MASK}


@pytest.mark.parametrize(
    ("text", "hidden"),
    [
        ('{"access_token": "AAA", "name": "x"}', "AAA"),
        ('{"refreshToken":"BBB"}', "BBB"),
        ('{"client_secret" :\n "CCC"}', "CCC"),
        ('{"apiKey": "DDD"}', "DDD"),
        ("grant_type=refresh_token&refresh_token=EEE&client_id=id", "EEE"),
        ("see https://x.test/a?apiKey=FFF&x=1", "FFF"),
        ("GET /login?apiToken=GGG failed", "GGG"),
        ("password=HHH", "HHH"),
        ("upstream said: Authorization: Bearer eyJ.III-x_y", "eyJ.III"),
    ],
)
def test_redact_text_patterns(text: str, hidden: str) -> None:
    redacted = redact_text(text)
    assert hidden not in redacted
    assert MASK in redacted


def test_redact_text_known_secrets_and_short_ones() -> None:
    assert redact_text("a SeCrEt1234 b", ["SeCrEt1234"]) == f"a {MASK} b"
    assert redact_text("abc", ["abc"]) == "abc"  # too short to replace safely
    assert redact_text("grant_type=refresh_token") == "grant_type=refresh_token"


def test_mask_and_secret_names() -> None:
    assert mask(None) == "<unset>"
    assert mask("") == "<unset>"
    assert mask("short") == MASK
    assert mask("a-rather-long-secret") == f"a-{MASK}"
    assert is_secret_name("X-API-KEY")
    assert is_secret_name("apiToken")
    assert not is_secret_name("page")
