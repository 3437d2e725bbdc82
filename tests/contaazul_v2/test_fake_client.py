"""``FakeContaAzul`` through the ``contaazul.v2`` clients, sync and async: the OAuth dance,
a refresh on an expired token, the protocol wait, the hidden "Caixinha", sales numbered by
``next_number`` and a long run under the client's limits with no 429."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from contaazul.v2 import ProtocolFailed
from contaazul.v2.testing import FakeClock, FakeContaAzul
from sdkcore.auth import MemoryTokenStore, ReauthorizationRequired

from ..runner import Runner

REDIRECT = "https://app.example/conta-azul/callback"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeContaAzul:
    return FakeContaAzul(clock=clock, rate_limited=False)


@pytest.fixture(params=["sync", "async"])
def on_fake(
    request: pytest.FixtureRequest, fake: FakeContaAzul, clock: FakeClock
) -> Callable[..., Runner]:
    is_async = request.param == "async"

    def make(**options: Any) -> Runner:
        options.setdefault("clock", clock)
        client = fake.async_client(**options) if is_async else fake.client(**options)
        return Runner(client, is_async)

    return make


def _authorize(fake: FakeContaAzul, url: str) -> tuple[str, str]:
    """What the owner's browser does: open the login page, follow it back to the app."""
    with httpx.Client(transport=fake.transport) as browser:
        page = browser.get(url)
    assert page.status_code == 302
    query = parse_qs(urlsplit(page.headers["Location"]).query)
    return query["code"][0], query["state"][0]


def test_oauth_dance_then_a_refresh_on_an_expired_token(fake: FakeContaAzul) -> None:
    oauth = fake.oauth(redirect_uri=REDIRECT)
    url, state = oauth.authorization_url()
    code, returned_state = _authorize(fake, url)
    store = MemoryTokenStore()
    first = oauth.exchange_code(code, state=returned_state, expected_state=state, store=store)
    with fake.client(oauth=oauth, token_store=store, rate_limiter=False) as ca:
        assert ca.vendas.next_number() == 3
        fake.expire_access_tokens()
        assert ca.vendas.next_number() == 3  # one refresh, then the call again
    assert fake.refreshes == 1
    saved = store.load()
    assert saved is not None
    assert saved.refresh_token != first.refresh_token  # rotated and saved
    with pytest.raises(ReauthorizationRequired, match="authorise the company again"):
        oauth.refresh(first)  # its refresh token was used up by the rotation


def test_receivable_create_waits_for_its_protocol(
    fake: FakeContaAzul, on_fake: Callable[..., Runner]
) -> None:
    run = on_fake(rate_limiter=False)
    bb = fake.account_named("BB")["id"]
    person = fake.records("pessoas")[0]["id"]
    category = fake.records("categorias")[1]["id"]
    record: dict[str, Any] = {
        "data_competencia": "2024-05-10",
        "valor": "80.00",
        "observacao": "OS 9",
        "descricao": "Visita",
        "contato": person,
        "conta_financeira": bb,
        "rateio": [{"id_categoria": category, "valor": "80.00"}],
        "condicao_pagamento": {
            "parcelas": [
                {
                    "descricao": "1/1",
                    "data_vencimento": "2024-06-10",
                    "nota": "pix",
                    "conta_financeira": bb,
                    "detalhe_valor": {"valor_bruto": "80.00"},
                }
            ]
        },
    }
    settled = run(run.client.contas_a_receber.create(record, wait=True))
    assert settled.status == "SUCCESS"
    record["rateio"] = [{"id_categoria": "00000000-0000-4000-8000-000000000000", "valor": "80"}]
    with pytest.raises(ProtocolFailed):
        run(run.client.contas_a_receber.create(record, wait=True))


def test_find_by_name_finds_the_caixinha(on_fake: Callable[..., Runner]) -> None:
    run = on_fake(rate_limiter=False)
    account = run(run.client.contas_financeiras.find_by_name("Caixinha"))
    assert account.tipo == "CAIXINHA"


def test_a_sale_numbered_by_next_number(
    fake: FakeContaAzul, on_fake: Callable[..., Runner]
) -> None:
    run = on_fake(rate_limiter=False)
    numero = run(run.client.vendas.next_number())
    product = fake.records("produtos")[0]
    sale = {
        "id_cliente": fake.records("pessoas")[0]["id"],
        "numero": numero,
        "situacao": "APROVADO",
        "data_venda": "2024-05-10",
        "observacoes": "ponte:task:500",
        "itens": [{"id": product["id"], "quantidade": "1", "valor": "89.90"}],
        "condicao_pagamento": {
            "opcao_condicao_pagamento": "À vista",
            "parcelas": [{"data_vencimento": "2024-05-10", "valor": "89.90"}],
        },
    }
    run(run.client.vendas.create(sale))
    assert fake.count_sales("ponte:task:500") == 1
    assert run(run.client.vendas.next_number()) == numero + 1
    assert [s.numero for s in run.items(run.client.vendas.list(numeros=[numero]))] == [numero]


def test_the_clients_limits_keep_a_long_run_free_of_429(clock: FakeClock) -> None:
    fake = FakeContaAzul(clock=clock)  # rate limited as the real API is
    with fake.client(clock=clock) as ca:  # the client's own two buckets
        for _ in range(45):
            ca.vendas.next_number()
    assert fake.api_calls == 45
    assert fake.throttled == 0
