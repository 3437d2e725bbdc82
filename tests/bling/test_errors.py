from __future__ import annotations

import pickle
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx

from bling import (
    APIConnectionError,
    APIStatusError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ResponseParseError,
    ServerError,
    ValidationError,
)
from bling._client import read_error, seconds_to_midnight
from bling.testing import FakeBling
from sdkcore.clock import FakeClock

from .conftest import BASE, Runner

MakeClient = Callable[..., Runner]
ORDER = {"contato": {"id": 1}, "itens": [{"produto": {"id": 2}, "quantidade": 1, "valor": 10}]}


def envelope(kind: str, message: str = "m", description: str = "d", **extra: Any) -> Any:
    return {"error": {"type": kind, "message": message, "description": description, **extra}}


TABLE = [
    (400, envelope("BAD_REQUEST"), BadRequestError),
    (400, envelope("VALIDATION_ERROR"), ValidationError),
    (400, envelope("MISSING_REQUIRED_FIELD_ERROR"), ValidationError),
    (400, envelope("NEW_TYPE", fields=[{"code": 1, "msg": "x", "element": "y"}]), ValidationError),
    (401, envelope("invalid_token"), AuthenticationError),
    (403, envelope("insufficient_scope"), PermissionDeniedError),
    (403, envelope("FORBIDDEN"), PermissionDeniedError),
    (404, envelope("RESOURCE_NOT_FOUND"), NotFoundError),
    (402, None, APIStatusError),
    (409, envelope("CONFLICT"), ConflictError),
    (500, envelope("SERVER_ERROR"), ServerError),
    (418, "not json at all", APIStatusError),
    (400, envelope("UNAUTHENTICATED"), AuthenticationError),
]


@pytest.mark.parametrize(("status", "body", "cls"), TABLE)
@respx.mock
def test_status_and_type_table(
    make_client: MakeClient, status: int, body: Any, cls: type[Exception]
) -> None:
    if isinstance(body, dict):
        answer = httpx.Response(status, json=body)
    else:
        answer = httpx.Response(status, content=(body or "").encode())
    respx.get(f"{BASE}/contatos/1").mock(return_value=answer)
    run = make_client(max_retries=0)
    with pytest.raises(cls) as caught:
        run(run.client.contatos.get(1))
    assert type(caught.value) is cls
    assert caught.value.status_code == status  # type: ignore[attr-defined]
    pickle.loads(pickle.dumps(caught.value))


def test_error_envelope_fields_become_field_errors() -> None:
    info = read_error(
        envelope(
            "VALIDATION_ERROR",
            "Não foi possível salvar a venda",
            "A venda não pode ser salva",
            fields=[
                {
                    "code": 49,
                    "msg": "Uma ou mais parcelas são inválidas",
                    "element": "parcelas",
                    "namespace": "VENDAS",
                    "collection": [
                        {
                            "index": 1,
                            "code": 12,
                            "msg": "Forma inválida",
                            "element": "formaPagamento",
                        }
                    ],
                },
                "plain text",
            ],
        )
    )
    assert info.code == "VALIDATION_ERROR"
    assert info.message == "Não foi possível salvar a venda: A venda não pode ser salva"
    assert [(e.field, e.code) for e in info.field_errors] == [
        ("parcelas", "49"),
        ("parcelas[1].formaPagamento", "12"),
        (None, None),
    ]
    assert read_error({"error": "invalid_grant", "error_description": "bad"}).message == "bad"
    assert read_error(None).message is None
    assert read_error({"message": "x"}).message == "x"


def test_validation_error_from_the_fake_names_the_fields(on_fake: Callable[..., Runner]) -> None:
    run = on_fake()
    with pytest.raises(ValidationError) as caught:
        # pedidos_vendas.create refuses an order without items before sending: the escape
        # hatch sends it, for the fake to answer
        run(run.client.request("POST", "/pedidos/vendas", json={"contato": {"id": 1001}}))
    assert [e.field for e in caught.value.field_errors] == ["itens"]
    with pytest.raises(ValidationError, match="Contato não encontrado"):
        run(run.client.pedidos_vendas.create({"contato": {"id": 1}, "itens": [{"valor": 1}]}))


def second_limit() -> httpx.Response:
    return httpx.Response(429, json=envelope("TOO_MANY_REQUESTS", period="second"))


@respx.mock
def test_per_second_429_backs_off_and_retries_even_a_post(
    make_client: MakeClient, clock: FakeClock
) -> None:
    route = respx.post(f"{BASE}/pedidos/vendas").mock(
        side_effect=[second_limit(), httpx.Response(201, json={"data": {"id": 77}})]
    )
    run = make_client()
    assert run(run.client.pedidos_vendas.create(ORDER)) == 77
    assert route.call_count == 2
    assert clock.sleeps == [1.0]


@respx.mock
def test_daily_limit_raises_at_once(make_client: MakeClient, clock: FakeClock) -> None:
    route = respx.get(f"{BASE}/contatos/1").mock(
        return_value=httpx.Response(
            429,
            json=envelope(
                "TOO_MANY_REQUESTS", "Limite atingido", "Limite diário atingido", period="day"
            ),
        )
    )
    run = make_client()
    with pytest.raises(RateLimitError) as caught:
        run(run.client.contatos.get(1))
    assert route.call_count == 1
    assert clock.sleeps == []
    assert caught.value.retry_after == pytest.approx(seconds_to_midnight(clock.time()))


@respx.mock
def test_daily_limit_read_from_the_description_alone(make_client: MakeClient) -> None:
    route = respx.get(f"{BASE}/contatos/1").mock(
        return_value=httpx.Response(429, json=envelope("TOO_MANY_REQUESTS", "x", "limite por dia"))
    )
    run = make_client()
    with pytest.raises(RateLimitError):
        run(run.client.contatos.get(1))
    assert route.call_count == 1


@respx.mock
def test_retry_after_header_wins(make_client: MakeClient, clock: FakeClock) -> None:
    respx.get(f"{BASE}/contatos/1").mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "3"}, text="slow down"),
            httpx.Response(200, json={"data": {"id": 1}}),
        ]
    )
    run = make_client()
    assert run(run.client.contatos.get(1)).id == 1
    assert clock.sleeps == [3.0]


@respx.mock
def test_a_post_is_never_retried_after_a_server_error_or_timeout(make_client: MakeClient) -> None:
    route = respx.post(f"{BASE}/pedidos/vendas").mock(
        side_effect=[httpx.Response(503), httpx.ReadTimeout("slow")]
    )
    run = make_client()
    with pytest.raises(ServerError):
        run(run.client.pedidos_vendas.create(ORDER))
    with pytest.raises(APIConnectionError):
        run(run.client.pedidos_vendas.create(ORDER))
    assert route.call_count == 2


@respx.mock
def test_a_get_is_retried_after_a_server_error(make_client: MakeClient, clock: FakeClock) -> None:
    route = respx.get(f"{BASE}/contatos/1").mock(
        side_effect=[httpx.Response(502), httpx.Response(200, json={"data": {"id": 1}})]
    )
    run = make_client()
    assert run(run.client.contatos.get(1)).id == 1
    assert route.call_count == 2
    assert len(clock.sleeps) == 1


@respx.mock
def test_html_instead_of_json_is_a_parse_error(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/contatos/1").mock(
        return_value=httpx.Response(200, text="<html>maintenance</html>")
    )
    run = make_client()
    with pytest.raises(ResponseParseError, match="HTML"):
        run(run.client.contatos.get(1))


@respx.mock
def test_create_without_an_id_is_a_parse_error(make_client: MakeClient) -> None:
    respx.post(f"{BASE}/contatos").mock(return_value=httpx.Response(201, json={"data": {}}))
    run = make_client()
    with pytest.raises(ResponseParseError, match="no id"):
        run(run.client.contatos.create({"nome": "A", "tipo": "F"}))


def test_the_fake_throttles_past_three_a_second(clock: FakeClock) -> None:
    fake = FakeBling(clock=clock)
    client = fake.client(rate_limiter=False, max_retries=0, clock=clock)
    for _ in range(3):
        client.contatos.get(1001)
    with pytest.raises(RateLimitError):
        client.contatos.get(1001)
    clock.advance(1.0)
    assert client.contatos.get(1001).id == 1001


def test_the_client_limiter_keeps_under_the_fakes_limit(clock: FakeClock) -> None:
    fake = FakeBling(clock=clock)
    client = fake.client(clock=clock)  # the default limiter: 3 a second
    results = [client.contatos.get(1001).id for _ in range(10)]
    assert results == [1001] * 10
    # The bucket allows a burst of 3, then paces at 3 a second; a 429 after the burst
    # (the fake counts a sliding second) is waited out and retried, never surfaced.
    assert sum(clock.sleeps) >= 7 / 3


def test_the_fakes_daily_limit(clock: FakeClock) -> None:
    fake = FakeBling(clock=clock, rate_limit=None, daily_limit=2)
    client = fake.client(rate_limiter=False, clock=clock)
    client.contatos.get(1001)
    client.contatos.get(1001)
    with pytest.raises(RateLimitError):
        client.contatos.get(1001)
    assert fake.api_calls == 3


def test_secrets_stay_out_of_errors(clock: FakeClock) -> None:
    fake = FakeBling(clock=clock, rate_limit=None)
    client = fake.client(rate_limiter=False, access_token="bad-token-abcdefghijkl", clock=clock)
    with pytest.raises(AuthenticationError) as caught:
        client.contatos.get(1001)
    assert "bad-token-abcdefghijkl" not in str(caught.value)
