"""Every unreadable answer becomes the SDK's own error.

A JSON body nested deeper than anything reads it is "nested too deeply", a
``ResponseParseError`` (or the webhook's ``WebhookParseError``), on every path that reads
JSON: Bling's get, list and create, Conta Azul's page salvage, error bodies, the OAuth
token endpoint, Auvo's login and the webhook listener; never a bare ``RecursionError``.
Bodies are capped at ``max_response_bytes`` while they are read, and the debug log cuts
a body to its excerpt before it masks secrets in it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

import auvo
from auvo.testing import FakeAuvo
from bling.testing import FakeBling
from contaazul.testing import FakeContaAzul
from sdkcore import (
    APIError,
    AuthenticationError,
    BadRequestError,
    Call,
    FakeClock,
    HeaderAuth,
    OAuth2RefreshSource,
    RequestOptions,
    ResponseParseError,
    ServerError,
    SyncAPIClient,
    TokenSet,
)
from sdkcore.bodies import DEFAULT_MAX_RESPONSE_BYTES, UnreadableJSON, loads_json
from sdkcore.client import parse_json_body, parse_nothing
from sdkcore.errors import BODY_EXCERPT_LIMIT
from sdkcore.testing import Fault

from ..runner import Runner
from .conftest import BASE, AsyncTestClient, SyncTestClient

# Far deeper than Python's recursion limit: ``json.loads`` raises RecursionError on it.
DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"data":' + DEEP + b"}"
NESTED = "nested too deeply"


def test_loads_json_names_the_reason() -> None:
    with pytest.raises(UnreadableJSON, match=NESTED) as caught:
        loads_json(DEEP)
    assert isinstance(caught.value, ValueError)
    with pytest.raises(UnreadableJSON, match="invalid JSON"):
        loads_json(b'{"truncated": [1, 2')
    assert loads_json(b'{"a": [1, 2.5, "x"]}') == {"a": [1, 2.5, "x"]}


# -- the generic client ------------------------------------------------------------------------


def test_a_deep_json_answer_is_a_parse_error(make_client: Any, scripted: Any) -> None:
    run = make_client(scripted(default=httpx.Response(200, content=DEEP)))
    with pytest.raises(ResponseParseError, match=NESTED) as caught:
        run(run.client.send(Call(RequestOptions("GET", "/x"), parse_json_body)))
    assert caught.value.status_code == 200


def test_a_deep_error_body_keeps_its_status_class(make_client: Any, scripted: Any) -> None:
    run = make_client(scripted(default=httpx.Response(400, content=DEEP)), max_retries=0)
    with pytest.raises(BadRequestError) as caught:
        run(run.client.send(Call(RequestOptions("GET", "/x"), parse_nothing)))
    assert caught.value.status_code == 400


# -- Bling: get, list, create, error bodies ----------------------------------------------------


def _bling_calls() -> dict[str, tuple[Fault, Callable[[Any], Any]]]:
    path = "/Api/v3/contatos"
    return {
        "get": (
            Fault(200, raw=DEEP_OBJECT, method="GET", path_prefix=path + "/1001"),
            lambda bling: bling.contatos.get(1001),
        ),
        "list": (
            Fault(200, raw=DEEP_OBJECT, method="GET", path_prefix=path),
            lambda bling: list(bling.contatos.list()),
        ),
        "create": (
            Fault(201, raw=DEEP_OBJECT, method="POST", path_prefix=path),
            lambda bling: bling.contatos.create({"nome": "Nova", "tipo": "F"}),
        ),
    }


@pytest.mark.parametrize("call", ["get", "list", "create"])
def test_bling_deep_bodies_are_parse_errors(call: str) -> None:
    fake = FakeBling(clock=FakeClock(), rate_limit=None)
    fault, do = _bling_calls()[call]
    fake.fail_next(fault)
    with pytest.raises(ResponseParseError, match=NESTED):
        do(fake.client(rate_limiter=False, max_retries=0))


def test_bling_deep_error_body_is_an_api_error() -> None:
    fake = FakeBling(clock=FakeClock(), rate_limit=None)
    fake.fail_next(Fault(400, raw=DEEP_OBJECT), 1)
    fake.fail_next(Fault(429, raw=DEEP_OBJECT), 3)
    client = fake.client(rate_limiter=False, max_retries=0)
    with pytest.raises(BadRequestError):
        client.contatos.get(1001)
    with pytest.raises(APIError) as caught:
        client.contatos.get(1001)
    assert caught.value.status_code == 429


# -- Conta Azul: the page salvage -------------------------------------------------------------


def test_contaazul_page_salvage_of_a_deep_body_is_a_parse_error() -> None:
    fake = FakeContaAzul()
    fake.fail_next(Fault(200, raw=DEEP, method="GET", path_prefix="/pub/contact/customer"))
    client = fake.client(rate_limiter=False, max_retries=0)
    with pytest.raises(ResponseParseError, match=NESTED):
        list(client.customers.list())


# -- the token endpoints ------------------------------------------------------------------------

TOKEN_URL = "https://auth.example.test/oauth/token"


def _token_answer(status: int, content: bytes) -> Any:
    source = OAuth2RefreshSource(TOKEN_URL, "id", "secret", clock=FakeClock())
    current = TokenSet("old-access", "old-refresh-token-value")
    response = httpx.Response(status, content=content, request=source.token_request(current))
    return source.read_token_response(response, current)


def test_a_deep_token_answer_is_a_parse_error() -> None:
    with pytest.raises(ResponseParseError, match=NESTED) as caught:
        _token_answer(200, DEEP)
    assert caught.value.status_code == 200


@pytest.mark.parametrize(
    ("status", "cls"), [(400, AuthenticationError), (401, AuthenticationError), (502, ServerError)]
)
def test_a_deep_token_error_is_classified_by_status(status: int, cls: type[Exception]) -> None:
    with pytest.raises(cls) as caught:
        _token_answer(status, DEEP)
    assert caught.value.status_code == status  # type: ignore[attr-defined]


def test_an_unreadable_token_answer_is_a_parse_error() -> None:
    with pytest.raises(ResponseParseError, match="invalid JSON"):
        _token_answer(200, b"not json")
    with pytest.raises(ServerError):
        _token_answer(500, b"<html>oops</html>")


# -- Auvo: login, error bodies, the webhook listener ------------------------------------------


def test_auvo_deep_login_answer_is_a_parse_error() -> None:
    fake = FakeAuvo(clock=FakeClock())
    fake.fail_next(Fault(200, raw=DEEP_OBJECT, path_prefix="/v2/login"), 2)
    client = fake.client(max_retries=0)
    with pytest.raises(ResponseParseError, match=NESTED):
        client.login()  # the explicit login
    with pytest.raises(ResponseParseError, match=NESTED):
        client.customers.get(1)  # the lazy one, inside the auth flow


def test_auvo_deep_login_error_keeps_its_meaning() -> None:
    fake = FakeAuvo(clock=FakeClock())
    fake.fail_next(Fault(401, raw=DEEP_OBJECT, path_prefix="/v2/login"))
    with pytest.raises(AuthenticationError):
        fake.client(max_retries=0).login()


def test_auvo_deep_error_body_is_an_api_error() -> None:
    fake = FakeAuvo(clock=FakeClock())
    client = fake.client(max_retries=0)
    client.login()
    fake.fail_next(Fault(400, raw=DEEP_OBJECT, path_prefix="/v2/customers"))
    with pytest.raises(BadRequestError):
        client.customers.get(1)


def test_auvo_webhook_with_a_deep_body_is_a_webhook_parse_error() -> None:
    with pytest.raises(auvo.WebhookParseError, match=NESTED):
        auvo.parse_event(DEEP_OBJECT)
    with pytest.raises(auvo.WebhookParseError, match=NESTED):
        auvo.parse_event(b'{"result": ' + DEEP + b"}")


# -- the body cap -------------------------------------------------------------------------------


class ChunkedBody(httpx.SyncByteStream, httpx.AsyncByteStream):
    """``count`` chunks of ``size`` bytes; remembers how many the client pulled."""

    def __init__(self, count: int, size: int) -> None:
        self.count = count
        self.size = size
        self.pulled = 0

    def __iter__(self) -> Iterator[bytes]:
        for _ in range(self.count):
            self.pulled += 1
            yield b" " * self.size

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self:
            yield chunk


class ChunkedTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, count: int, size: int, headers: dict[str, str] | None = None) -> None:
        self.body = ChunkedBody(count, size)
        self.headers = headers or {}

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers=self.headers, stream=self.body, request=request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle_request(request)


def test_the_default_cap_is_documented(make_client: Any, scripted: Any) -> None:
    assert DEFAULT_MAX_RESPONSE_BYTES == 32 * 1024 * 1024
    assert make_client(scripted()).client.max_response_bytes == DEFAULT_MAX_RESPONSE_BYTES


def test_a_body_over_the_cap_stops_being_read(make_client: Any) -> None:
    transport = ChunkedTransport(count=1000, size=1024)
    run = make_client(transport, max_response_bytes=4096)
    with pytest.raises(ResponseParseError, match="larger than 4096 bytes") as caught:
        run(run.client.send(Call(RequestOptions("GET", "/big?token=abc"), parse_json_body)))
    assert caught.value.status_code == 200
    assert str(caught.value.url).startswith(BASE + "/big")
    assert "abc" not in str(caught.value)
    assert transport.body.pulled <= 5  # read up to the cap, not the whole body


def test_a_declared_length_over_the_cap_is_refused_unread(make_client: Any) -> None:
    transport = ChunkedTransport(count=8, size=1024, headers={"Content-Length": "8192"})
    run = make_client(transport, max_response_bytes=4096)
    with pytest.raises(ResponseParseError, match="larger than 4096 bytes"):
        run(run.client.send(Call(RequestOptions("GET", "/big"), parse_json_body)))
    assert transport.body.pulled == 0


def test_a_body_within_the_cap_is_read(make_client: Any) -> None:
    run = make_client(ChunkedTransport(count=4, size=1024), max_response_bytes=4096)
    assert run(run.client.send(Call(RequestOptions("GET", "/x"), lambda r: len(r.content)))) == 4096


# -- the debug log -------------------------------------------------------------------------------

API_KEY = "key-" + "k" * 60
TOKEN = "tok-" + "t" * 60


class RecordingClient(SyncTestClient):
    redacted: list[int]

    def redact(self, text: str) -> str:
        self.redacted.append(len(text))
        return super().redact(text)


class AsyncRecordingClient(AsyncTestClient):
    redacted: list[int]

    def redact(self, text: str) -> str:
        self.redacted.append(len(text))
        return super().redact(text)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_the_debug_log_redacts_only_the_excerpt(
    caplog: pytest.LogCaptureFixture, is_async: bool
) -> None:
    # A known secret and a JSON secret field, each straddling the excerpt's cut.
    head = b'{"pad": "' + b"x" * (BODY_EXCERPT_LIMIT - 40) + b'", "key": "' + API_KEY.encode()
    body = head + b'", "access_token": "' + TOKEN.encode() + b'", "more": "' + b"y" * 4_000_000
    body += b'"}'

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    cls = AsyncRecordingClient if is_async else RecordingClient
    client: Any = cls(
        transport=httpx.MockTransport(answer),
        auth=HeaderAuth({"X-Api-Key": API_KEY}),
        clock=FakeClock(),
    )
    client.redacted = []
    run = Runner(client, is_async)
    with caplog.at_level(logging.DEBUG, logger="ponte_testapi"):
        run(client.send(Call(RequestOptions("GET", "/x"), lambda r: None)))
    logged = " ".join(r.getMessage() for r in caplog.records)
    assert "response GET" in logged
    assert "x" * 100 in logged  # the excerpt is there
    for secret in (API_KEY, TOKEN):
        assert secret[:30] not in logged
    assert max(client.redacted) <= 4 * 1024 + len(API_KEY)  # never the 4 MB body
    if is_async:
        asyncio.run(client.close())
    else:
        client.close()


def test_a_parse_error_excerpt_is_cut_before_it_is_redacted(
    monkeypatch: pytest.MonkeyPatch, scripted: Any
) -> None:
    import sdkcore.client as client_module

    seen: list[int] = []
    original = client_module.redact_text

    def spy(text: str, secrets: Any = ()) -> str:
        seen.append(len(text))
        return original(text, secrets)

    monkeypatch.setattr(client_module, "redact_text", spy)
    big = b"<html>" + b"z" * 4_000_000
    client = SyncAPIClient(
        base_url=BASE, transport=scripted(default=httpx.Response(200, content=big))
    )
    with pytest.raises(ResponseParseError, match="HTML"):
        client.send(Call(RequestOptions("GET", "/x"), parse_json_body))
    assert seen
    assert max(seen) <= 4 * 1024
