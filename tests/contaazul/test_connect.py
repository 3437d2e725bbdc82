"""Connecting a company: public token, authorization page, company token from the redirect."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx

from contaazul import ContaAzul, RequestValidationError, ResponseParseError

from .conftest import APP, BASE, Runner


@pytest.mark.parametrize(
    "answer",
    [
        httpx.Response(200, json={"publicToken": "0000013e-7b50-5649-0000-007145a69e35"}),
        httpx.Response(200, json="0000013e-7b50-5649-0000-007145a69e35"),
        httpx.Response(200, text="0000013e-7b50-5649-0000-007145a69e35\n"),
    ],
)
@pytest.mark.respx(base_url=BASE)
def test_each_attempt_requests_a_new_public_token(
    answer: httpx.Response, make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get(f"/pub/oauth/requestkey/{APP}").mock(return_value=answer)
    run = make_client()
    first = run(run.client.connect("https://www.aplicativoxyz.com/back"))
    second = run(run.client.connect("https://www.aplicativoxyz.com/back"))
    assert route.call_count == 2
    assert first.public_token == "0000013e-7b50-5649-0000-007145a69e35"
    parts = urlsplit(first.url)
    assert parts.netloc == "app.contaazul.com.br"
    assert parts.path == "/authorization/request/0000013e-7b50-5649-0000-007145a69e35"
    assert parse_qs(parts.query)["redirectTo"] == ["https://www.aplicativoxyz.com/back"]
    assert second.url == first.url  # same token from the mock, but fetched again


@pytest.mark.respx(base_url=BASE)
def test_connect_needs_no_company_token(
    monkeypatch: pytest.MonkeyPatch, respx_mock: respx.MockRouter
) -> None:
    monkeypatch.delenv("CONTAAZUL_COMPANY_TOKEN", raising=False)
    respx_mock.get(f"/pub/oauth/requestkey/{APP}").mock(
        return_value=httpx.Response(200, text="pt-1")
    )
    client = ContaAzul(application_token=APP)
    assert client.connect("https://x.example/cb").public_token == "pt-1"
    assert "CompanyToken" not in respx_mock.calls.last.request.headers


@pytest.mark.respx(base_url=BASE)
def test_empty_public_token_answer_is_a_parse_error(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    respx_mock.get(f"/pub/oauth/requestkey/{APP}").mock(return_value=httpx.Response(200, json={}))
    run = make_client()
    with pytest.raises(ResponseParseError):
        run(run.client.connect("https://x.example/cb"))


@pytest.mark.parametrize("param", ["authorizationToken", "auhorizationToken"])
def test_company_token_from_redirect(param: str) -> None:
    url = f"http://www.aplicativoxyz.com?{param}=0000013e-7b7b-bbd6-0000-012a9b7962ba"
    assert ContaAzul.company_token_from_redirect(url) == "0000013e-7b7b-bbd6-0000-012a9b7962ba"


def test_redirect_without_token_is_refused() -> None:
    with pytest.raises(RequestValidationError, match="did not authorise"):
        ContaAzul.company_token_from_redirect("https://www.aplicativoxyz.com/?error=denied")


def test_redirect_target_must_be_absolute() -> None:
    client = ContaAzul(application_token=APP, company_token="c")
    with pytest.raises(RequestValidationError, match="redirect_to"):
        client.authorization_url("pt", "/relative")
