"""Each failure the spec (or the network) can produce maps to its documented exception."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

import httpx
import pytest
import respx

import contaazul
import sdkcore

from .conftest import APP, BASE, COMPANY, Runner

GET_PATH = "/pub/contact/customer/1"


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (400, {"message": "invalid entity"}, contaazul.BadRequestError),
        (403, {"message": "Bad Credentials"}, contaazul.AuthenticationError),
        (403, {"message": "not allowed for this plan"}, contaazul.PermissionDeniedError),
        (404, None, contaazul.NotFoundError),
        (412, {"message": "Validation failed"}, contaazul.ValidationError),
        (500, {"message": "boom"}, contaazul.ServerError),
    ],
)
@pytest.mark.respx(base_url=BASE)
def test_status_table(
    status: int,
    body: object,
    expected: type[Exception],
    make_client: Callable[..., Runner],
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get(GET_PATH).mock(
        return_value=httpx.Response(status, json=body) if body else httpx.Response(status)
    )
    run = make_client(max_retries=0)
    with pytest.raises(expected) as info:
        run(run.client.customers.get(1))
    err = info.value
    assert isinstance(err, sdkcore.APIError)
    assert err.status_code == status
    assert err.method == "GET"
    assert err.url == BASE + GET_PATH


@pytest.mark.respx(base_url=BASE)
def test_412_carries_field_errors(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    body = {
        "message": "Validation failed",
        "errors": [{"field": "name", "message": "may not be empty"}],
    }
    respx_mock.post("/pub/contact/customer/").mock(return_value=httpx.Response(412, json=body))
    run = make_client()
    with pytest.raises(contaazul.ValidationError) as info:
        run(run.client.customers.create({"name": "x"}))
    assert [(e.field, e.message) for e in info.value.field_errors] == [("name", "may not be empty")]
    assert "may not be empty" in str(info.value)
    assert respx_mock.calls.call_count == 1  # a rejected create is never retried


@pytest.mark.respx(base_url=BASE)
def test_429_without_retry_after_backs_off_then_raises(
    make_client: Callable[..., Runner], clock: sdkcore.FakeClock, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(GET_PATH).mock(return_value=httpx.Response(429))
    run = make_client()
    with pytest.raises(contaazul.RateLimitError) as info:
        run(run.client.customers.get(1))
    assert route.call_count == 3
    assert info.value.retry_after is None
    backoffs = [s for s in clock.sleeps if s > 0.2]
    assert len(backoffs) == 2
    assert all(0.5 <= s <= 8 for s in backoffs)


@pytest.mark.respx(base_url=BASE)
def test_429_with_retry_after_waits_exactly_then_succeeds(
    make_client: Callable[..., Runner], clock: sdkcore.FakeClock, respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(GET_PATH).mock(
        side_effect=[
            httpx.Response(429, headers={"Retry-After": "7"}),
            httpx.Response(200, json={"id": 1, "name": "A"}),
        ]
    )
    run = make_client()
    customer = run(run.client.customers.get(1))
    assert customer.name == "A"
    assert 7 in clock.sleeps


@pytest.mark.respx(base_url=BASE)
def test_429_with_long_retry_after_raises_at_once(
    make_client: Callable[..., Runner], clock: sdkcore.FakeClock, respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(GET_PATH).mock(
        return_value=httpx.Response(429, headers={"Retry-After": "3600"})
    )
    run = make_client()
    with pytest.raises(contaazul.RateLimitError) as info:
        run(run.client.customers.get(1))
    assert info.value.retry_after == 3600
    assert route.call_count == 1
    assert all(s < 60 for s in clock.sleeps)


@pytest.mark.respx(base_url=BASE)
def test_500_on_get_is_retried_but_not_on_create(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    get = respx_mock.get(GET_PATH).mock(
        side_effect=[httpx.Response(500), httpx.Response(200, json={"id": 1})]
    )
    post = respx_mock.post("/pub/contact/customer/").mock(return_value=httpx.Response(500))
    run = make_client()
    assert run(run.client.customers.get(1)).id == 1
    assert get.call_count == 2
    with pytest.raises(contaazul.ServerError):
        run(run.client.customers.create({"name": "A"}))
    assert post.call_count == 1


@pytest.mark.respx(base_url=BASE)
def test_timeout_and_dropped_connection(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(GET_PATH).mock(side_effect=httpx.ReadTimeout("slow"))
    respx_mock.post("/pub/contact/customer/").mock(side_effect=httpx.RemoteProtocolError("dropped"))
    run = make_client()
    with pytest.raises(contaazul.APITimeoutError):
        run(run.client.customers.get(1))
    assert respx_mock.calls.call_count == 3  # a GET is safe to repeat
    with pytest.raises(contaazul.APIConnectionError):
        run(run.client.customers.create({"name": "A"}))
    assert respx_mock.calls.call_count == 4  # the POST may have landed: never repeated


@pytest.mark.respx(base_url=BASE)
def test_connect_error_on_create_is_retried(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post("/pub/contact/customer/").mock(
        side_effect=[
            httpx.ConnectError("refused"),
            httpx.Response(204, headers={"Identificator": "4"}),
        ]
    )
    run = make_client()
    assert run(run.client.customers.create({"name": "A"})).id == 4
    assert route.call_count == 2


@pytest.mark.parametrize(
    ("content", "headers"),
    [
        (b"<html><body>Bad gateway</body></html>", {"Content-Type": "text/html"}),
        (b"", {}),
        (b'{"id": 1, "name": "trunc', {"Content-Type": "application/json"}),
        (b"[1, 2]", {"Content-Type": "application/json"}),
    ],
)
@pytest.mark.respx(base_url=BASE)
def test_bad_bodies_raise_response_parse_error(
    content: bytes,
    headers: dict[str, str],
    make_client: Callable[..., Runner],
    respx_mock: respx.MockRouter,
) -> None:
    respx_mock.get(GET_PATH).mock(
        return_value=httpx.Response(200, content=content, headers=headers)
    )
    run = make_client()
    with pytest.raises(contaazul.ResponseParseError) as info:
        run(run.client.customers.get(1))
    assert info.value.status_code == 200
    assert not isinstance(info.value, json.JSONDecodeError | KeyError)


@pytest.mark.respx(base_url=BASE)
def test_create_without_identificator_is_a_parse_error(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    respx_mock.post("/pub/contact/customer/").mock(return_value=httpx.Response(204))
    run = make_client()
    with pytest.raises(contaazul.ResponseParseError, match="Identificator"):
        run(run.client.customers.create({"name": "A"}))


@pytest.mark.respx(base_url=BASE)
def test_no_token_in_logs_reprs_or_errors(
    make_client: Callable[..., Runner],
    caplog: pytest.LogCaptureFixture,
    monkeypatch: pytest.MonkeyPatch,
    respx_mock: respx.MockRouter,
) -> None:
    monkeypatch.setenv("PONTE_LOG", "debug")
    respx_mock.get(GET_PATH).mock(
        return_value=httpx.Response(403, json={"message": "Bad Credentials"})
    )
    respx_mock.get(f"/pub/oauth/requestkey/{APP}").mock(
        return_value=httpx.Response(200, json={"publicToken": "pub-secret-0000013e"})
    )
    caplog.set_level(logging.DEBUG, logger="contaazul")
    run = make_client()
    with pytest.raises(contaazul.AuthenticationError) as info:
        run(run.client.customers.get(1))
    attempt = run(run.client.connect("https://app.example.com/back"))
    texts = [caplog.text, repr(run.client), str(info.value), repr(info.value), repr(attempt)]
    assert "request" in caplog.text  # the debug log did run
    for text in texts:
        assert APP not in text
        assert COMPANY not in text
        assert "pub-secret-0000013e" not in text


def test_missing_credentials_name_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTAAZUL_APPLICATION_TOKEN", raising=False)
    monkeypatch.delenv("CONTAAZUL_COMPANY_TOKEN", raising=False)
    with pytest.raises(contaazul.RequestValidationError, match="CONTAAZUL_APPLICATION_TOKEN"):
        contaazul.ContaAzul()
    client = contaazul.ContaAzul(application_token=APP)
    with pytest.raises(contaazul.RequestValidationError, match="CONTAAZUL_COMPANY_TOKEN"):
        client.customers.get(1)


def test_credentials_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTAAZUL_APPLICATION_TOKEN", APP)
    monkeypatch.setenv("CONTAAZUL_COMPANY_TOKEN", COMPANY)
    client = contaazul.ContaAzul()
    assert (client.application_token, client.company_token) == (APP, COMPANY)


def test_plain_http_only_for_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        contaazul.ContaAzul(
            application_token=APP, company_token=COMPANY, base_url="http://api.contaazul.com.br"
        )
    ok = contaazul.ContaAzul(
        application_token=APP, company_token=COMPANY, base_url="http://127.0.0.1:8080"
    )
    assert ok.base_url == "http://127.0.0.1:8080"
