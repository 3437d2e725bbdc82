"""The client itself: credentials, configuration, limits, errors, retries, masking."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from contaazul.v2 import (
    AsyncContaAzul,
    AuthenticationError,
    BadRequestError,
    ContaAzul,
    ContaAzulOAuth,
    MissingCredentialsError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from sdkcore import APIError, APIStatusError, ConflictError
from sdkcore.auth import MemoryTokenStore, TokenSet
from sdkcore.clock import FakeClock
from sdkcore.ratelimit import RateLimits

from ..runner import Runner
from .conftest import ACCESS_TOKEN, BASE, TOKEN_URL

PATH = "/v1/conta-financeira"


def test_a_ready_token_is_sent_as_bearer(make_client: Callable[..., Runner]) -> None:
    run = make_client()
    with respx.mock() as mock:
        route = mock.get(f"{BASE}{PATH}").mock(return_value=httpx.Response(200, json=[]))
        assert run.request("GET", PATH) == []
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}"


@pytest.mark.parametrize("cls", [ContaAzul, AsyncContaAzul])
def test_the_environment_gives_the_token_and_the_base_url(
    cls: type[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTAAZUL_V2_ACCESS_TOKEN", "env-token-0123456789")
    monkeypatch.setenv("CONTAAZUL_V2_BASE_URL", "http://127.0.0.1:8123/")
    client = cls()
    assert client.base_url == "http://127.0.0.1:8123"
    assert cls(access_token="x" * 20, base_url=BASE).base_url == BASE


@pytest.mark.parametrize("cls", [ContaAzul, AsyncContaAzul])
def test_no_credentials_says_what_to_pass(cls: type[Any], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTAAZUL_V2_ACCESS_TOKEN", raising=False)
    with pytest.raises(MissingCredentialsError, match="CONTAAZUL_V2_ACCESS_TOKEN"):
        cls()


def test_the_default_base_url_and_limits() -> None:
    client = ContaAzul(access_token=ACCESS_TOKEN)
    assert client.base_url == "https://api-v2.contaazul.com"
    limits = client.rate_limiter
    assert isinstance(limits, RateLimits)
    assert [(b.rate, b.burst) for b in limits.buckets] == [(10.0, 1.0), (10.0, 600.0)]


def test_a_long_run_stays_under_both_limits(clock: FakeClock) -> None:
    sent: list[float] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(clock.time())
        return httpx.Response(200, json={})

    client = ContaAzul(
        access_token=ACCESS_TOKEN, clock=clock, transport=httpx.MockTransport(answer)
    )
    for _ in range(1300):
        client.request("GET", PATH)
    for index, moment in enumerate(sent):
        in_a_second = [t for t in sent[index : index + 12] if t < moment + 1.0]
        assert len(in_a_second) <= 10
        later = sent[index + 600] if index + 600 < len(sent) else None
        assert later is None or later >= moment + 60.0 - 1e-9


ERROR_CASES = [
    (
        400,
        {"code": 400, "message": "A data de início não pode ser posterior à data de fim."},
        BadRequestError,
        "data de início",
        [],
    ),
    (
        400,
        {
            "code": 400,
            "message": "O valor fornecido no parâmetro 'ids_conta_financeira' "
            "não é um identificador (uuid) válido.",
        },
        ValidationError,
        "uuid",
        ["ids_conta_financeira"],
    ),
    (400, {"error": "Mensagem de erro detalhada"}, BadRequestError, "Mensagem de erro", []),
    (401, {"code": 401, "message": "The Token has expired."}, AuthenticationError, "expired", []),
    (
        401,
        {"error": "invalid_token", "error_description": "Access token has been revoked"},
        AuthenticationError,
        "revoked",
        [],
    ),
    (400, {"error": "invalid_token"}, AuthenticationError, "invalid_token", []),
    (403, {"error": "insufficient_scope"}, PermissionDeniedError, "insufficient_scope", []),
    (403, b"", PermissionDeniedError, "Forbidden", []),
    (404, b"", NotFoundError, "Not Found", []),
    (409, {"message": "Versão desatualizada"}, ConflictError, "Versão", []),
    (
        422,
        {
            "message": "Dados inválidos",
            "erros": [
                {"campo": "cpf", "mensagem": "obrigatório"},
                {"campo": "enderecos[0].cep", "mensagem": "inválido", "codigo": "CEP"},
            ],
        },
        ValidationError,
        "Dados inválidos",
        ["cpf", "enderecos[0].cep"],
    ),
    (
        400,
        {"message": "Erro de validação", "fields": {"nome": ["obrigatório", "curto"]}},
        ValidationError,
        "validação",
        ["nome", "nome"],
    ),
    (400, [{"field": "email", "message": "inválido"}], ValidationError, "email", ["email"]),
    (
        500,
        {"code": 500, "message": "Ocorreu um erro inesperado no servidor."},
        ServerError,
        "inesperado",
        [],
    ),
    (418, b"", APIStatusError, "I'm a teapot", []),
]


@pytest.mark.parametrize(
    ("status", "body", "expected", "text", "fields"),
    ERROR_CASES,
    ids=[f"{case[0]}-{i}" for i, case in enumerate(ERROR_CASES)],
)
def test_each_error_body_is_its_exception(
    make_client: Callable[..., Runner],
    status: int,
    body: Any,
    expected: type[APIError],
    text: str,
    fields: list[str],
) -> None:
    run = make_client(max_retries=0)
    content = body if isinstance(body, bytes) else None
    json_body = None if content is not None else body
    with respx.mock() as mock:
        mock.get(f"{BASE}{PATH}").mock(
            return_value=httpx.Response(status, content=content, json=json_body)
        )
        with pytest.raises(APIError) as caught:
            run.request("GET", PATH)
    error = caught.value
    assert type(error) is expected
    assert error.status_code == status
    assert text in str(error)
    assert [f.field for f in error.field_errors] == fields


def test_a_429_waits_as_long_as_retry_after_says(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    with respx.mock() as mock:
        route = mock.get(f"{BASE}{PATH}").mock(
            side_effect=[
                httpx.Response(429, headers={"Retry-After": "3"}, json={"message": "Too Many"}),
                httpx.Response(200, json={"ok": True}),
            ]
        )
        assert run.request("GET", PATH) == {"ok": True}
    assert route.call_count == 2
    assert clock.sleeps == [3.0]


def test_a_429_without_retry_after_backs_off_then_gives_up(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client(max_retries=2)
    with respx.mock() as mock:
        route = mock.get(f"{BASE}{PATH}").mock(return_value=httpx.Response(429))
        with pytest.raises(RateLimitError):
            run.request("GET", PATH)
    assert route.call_count == 3
    assert len(clock.sleeps) == 2
    assert all(wait > 0 for wait in clock.sleeps)


def oauth(clock: FakeClock) -> ContaAzulOAuth:
    return ContaAzulOAuth("client-id", "client-secret-0123456789", "https://app/cb", clock=clock)


def test_a_401_refreshes_once_and_retries_once(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    store = MemoryTokenStore(
        TokenSet("old-access-0123456789", "old-refresh-0123456789", clock.time() + 3600)
    )
    run = make_client(oauth=oauth(clock), token_store=store)
    with respx.mock() as mock:
        token = mock.post(TOKEN_URL).mock(
            return_value=httpx.Response(
                200,
                json={
                    "access_token": "new-access-0123456789",
                    "refresh_token": "new-refresh-0123456789",
                    "expires_in": 3600,
                },
            )
        )
        api = mock.get(f"{BASE}{PATH}").mock(
            side_effect=[
                httpx.Response(401, json={"code": 401, "message": "The Token has expired."}),
                httpx.Response(200, json={"ok": True}),
            ]
        )
        assert run.request("GET", PATH) == {"ok": True}
    assert token.call_count == 1
    sent = [call.request.headers["Authorization"] for call in api.calls]
    assert sent == ["Bearer old-access-0123456789", "Bearer new-access-0123456789"]
    saved = store.load()
    assert saved is not None
    assert saved.refresh_token == "new-refresh-0123456789"


def test_a_second_401_is_the_callers(make_client: Callable[..., Runner], clock: FakeClock) -> None:
    store = MemoryTokenStore(
        TokenSet("old-access-0123456789", "old-refresh-0123456789", clock.time() + 3600)
    )
    run = make_client(oauth=oauth(clock), token_store=store)
    with respx.mock() as mock:
        token = mock.post(TOKEN_URL).mock(
            return_value=httpx.Response(
                200, json={"access_token": "new-access-0123456789", "expires_in": 3600}
            )
        )
        api = mock.get(f"{BASE}{PATH}").mock(
            return_value=httpx.Response(401, json={"error": "invalid_token"})
        )
        with pytest.raises(AuthenticationError):
            run.request("GET", PATH)
    assert (token.call_count, api.call_count) == (1, 2)


def test_repr_and_logs_mask_the_token(
    make_client: Callable[..., Runner], caplog: pytest.LogCaptureFixture
) -> None:
    run = make_client()
    assert ACCESS_TOKEN not in repr(run.client)
    caplog.set_level(logging.DEBUG, logger="contaazul.v2")
    run.client.log.setLevel(logging.DEBUG)
    with respx.mock() as mock:
        mock.get(f"{BASE}{PATH}").mock(
            return_value=httpx.Response(400, json={"message": f"bad token {ACCESS_TOKEN}"})
        )
        with pytest.raises(BadRequestError) as caught:
            run.request("GET", PATH)
    assert ACCESS_TOKEN not in str(caught.value)
    assert ACCESS_TOKEN not in caplog.text


def test_with_raw_response_gives_status_and_headers(make_client: Callable[..., Runner]) -> None:
    run = make_client()
    with respx.mock() as mock:
        mock.get(f"{BASE}{PATH}").mock(
            return_value=httpx.Response(200, json=[1], headers={"x-request-id": "req-1"})
        )
        raw = run(run.client.with_raw_response.request("GET", PATH))
    assert (raw.status_code, raw.parsed, raw.request_id) == (200, [1], "req-1")


def test_every_resource_of_the_design_is_an_attribute() -> None:
    client = ContaAzul(access_token=ACCESS_TOKEN)
    for name in RESOURCES:
        assert getattr(client, name) is getattr(client, name), name


RESOURCES = (
    "pessoas",
    "servicos",
    "produtos",
    "vendas",
    "orcamentos",
    "contratos",
    "contas_financeiras",
    "categorias",
    "categorias_dre",
    "centros_de_custo",
    "transferencias",
    "contas_a_receber",
    "contas_a_pagar",
    "parcelas",
    "eventos_financeiros",
    "baixas",
    "cobrancas",
    "protocolos",
)


def test_a_long_sync_on_the_fake_never_sees_a_429(clock: FakeClock) -> None:
    from contaazul.v2.testing import FakeContaAzul

    fake = FakeContaAzul(clock=clock)  # answers 429 past 10 a second or 600 a minute
    query = {"pagina": 1, "tamanho_pagina": 10}
    unlimited = fake.client(clock=clock, rate_limiter=False, max_retries=0)
    for _ in range(10):
        unlimited.request("GET", PATH, params=query)
    with pytest.raises(RateLimitError):
        unlimited.request("GET", PATH, params=query)
    clock.advance(120)
    limited = fake.client(clock=clock, max_retries=0)
    for _ in range(700):
        limited.request("GET", PATH, params=query)
