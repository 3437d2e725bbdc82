"""The finance flows: a receivable's 202 and protocol to its end (on a frozen clock), the
financial account found by name ("Caixinha" included), amounts read and sent exactly."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from contaazul.v2 import ProtocolFailed, Protocolo, ProtocolTimeoutError
from contaazul.v2.resources.financeiro import FinancialAccountNotFound
from sdkcore.clock import FakeClock

from ..runner import Runner
from .conftest import BASE

MakeClient = Callable[..., Runner]

PROTOCOL = "123e4567-e89b-12d3-a456-426614174000"
EVENT = "35473eec-4e74-11ee-b500-9f61de8a8b8b"
ACCOUNT = "8f2a3e45-1c9d-4b3a-a7f1-9e8d7c6b5a4f"
RECEIVABLES = f"{BASE}/v1/financeiro/eventos-financeiros/contas-a-receber"
PAYABLES = f"{BASE}/v1/financeiro/eventos-financeiros/contas-a-pagar"

RECORD = {
    "data_competencia": date(2024, 7, 15),
    "valor": Decimal("140.00"),
    "observacao": "OS 12",
    "descricao": "Serviço",
    "contato": EVENT,
    "conta_financeira": ACCOUNT,
    "condicao_pagamento": {
        "parcelas": [
            {
                "descricao": "1/1",
                "data_vencimento": date(2024, 8, 15),
                "nota": "-",
                "conta_financeira": ACCOUNT,
                "detalhe_valor": {"valor_bruto": Decimal("140.00")},
            }
        ]
    },
}


def _protocol_answers(*statuses: str, resposta: str | None = None) -> Iterator[httpx.Response]:
    for status in statuses:
        body: dict[str, Any] = {"id": PROTOCOL, "status": status}
        if status == "SUCCESS":
            body["evento_financeiro_id"] = EVENT
        if status == "ERROR" and resposta:
            body["resposta"] = resposta
        yield httpx.Response(200, json=body)


def _accepted() -> httpx.Response:
    return httpx.Response(
        202,
        json={"protocolo": PROTOCOL, "status": "PENDING", "data_criacao": "2024-10-22T14:30:00Z"},
    )


@pytest.mark.parametrize("path", [RECEIVABLES, PAYABLES], ids=["receber", "pagar"])
@respx.mock
def test_create_and_wait_polls_the_protocol_with_backoff_until_it_settles(
    path: str, make_client: MakeClient, clock: FakeClock
) -> None:
    create = respx.post(path).mock(return_value=_accepted())
    poll = respx.get(f"{BASE}/v1/protocolo/{PROTOCOL}").mock(
        side_effect=_protocol_answers("PENDING", "PENDING", "SUCCESS")
    )
    run = make_client()
    resource = run.client.contas_a_receber if path == RECEIVABLES else run.client.contas_a_pagar
    settled = run(resource.create(RECORD, wait=True))
    assert isinstance(settled, Protocolo)
    assert settled.succeeded
    assert settled.evento_financeiro_id == EVENT
    assert create.call_count == 1
    assert poll.call_count == 3
    # Doubling from the first delay, slept on the clock, before each poll: the 202 was the
    # first look at the protocol.
    assert clock.sleeps == [0.5, 1.0, 2.0]
    assert json.loads(create.calls.last.request.content)["valor"] == 140


@respx.mock
def test_create_without_wait_answers_the_pending_protocol(
    make_client: MakeClient, clock: FakeClock
) -> None:
    respx.post(RECEIVABLES).mock(return_value=_accepted())
    poll = respx.get(f"{BASE}/v1/protocolo/{PROTOCOL}")
    run = make_client()
    protocolo = run(run.client.contas_a_receber.create(RECORD))
    assert (protocolo.id, protocolo.status) == (PROTOCOL, "PENDING")
    assert not protocolo.settled
    assert poll.call_count == 0
    assert clock.sleeps == []


@respx.mock
def test_a_refused_event_raises_protocol_failed_with_the_reason(make_client: MakeClient) -> None:
    respx.post(RECEIVABLES).mock(return_value=_accepted())
    respx.get(f"{BASE}/v1/protocolo/{PROTOCOL}").mock(
        side_effect=_protocol_answers("PENDING", "ERROR", resposta="Conta financeira inativa")
    )
    run = make_client()
    with pytest.raises(ProtocolFailed) as caught:
        run(run.client.contas_a_receber.create(RECORD, wait=True))
    assert caught.value.reason == "Conta financeira inativa"
    assert caught.value.protocolo.id == PROTOCOL


@respx.mock
def test_a_protocol_that_never_settles_times_out_on_the_clock(
    make_client: MakeClient, clock: FakeClock
) -> None:
    respx.post(PAYABLES).mock(return_value=_accepted())
    respx.get(f"{BASE}/v1/protocolo/{PROTOCOL}").mock(
        return_value=httpx.Response(200, json={"id": PROTOCOL, "status": "PENDING"})
    )
    run = make_client()
    with pytest.raises(ProtocolTimeoutError) as caught:
        run(run.client.contas_a_pagar.create(RECORD, wait=True, wait_timeout=5))
    assert sum(clock.sleeps) == 5
    assert caught.value.protocolo.status == "PENDING"


@respx.mock
def test_protocolos_wait_resumes_a_protocol_by_id(
    make_client: MakeClient, clock: FakeClock
) -> None:
    respx.get(f"{BASE}/v1/protocolo/{PROTOCOL}").mock(
        side_effect=_protocol_answers("PENDING", "SUCCESS")
    )
    run = make_client()
    settled = run(run.client.protocolos.wait(PROTOCOL, first_delay=2, max_delay=2))
    assert settled.succeeded
    assert clock.sleeps == [2]


# -- find_by_name ---------------------------------------------------------------------------

ACCOUNTS = [
    {"id": ACCOUNT, "nome": "BB", "tipo": "CONTA_CORRENTE", "ativo": True},
    {"id": EVENT, "nome": "Caixinha", "tipo": "CAIXINHA", "ativo": True},
]


def _accounts(request: httpx.Request) -> httpx.Response:
    """As the API does: cash-box accounts only with ``mostrar_caixinha=true``."""
    shown = request.url.params.get("mostrar_caixinha") == "true"
    items = [a for a in ACCOUNTS if shown or a["tipo"] != "CAIXINHA"]
    return httpx.Response(200, json={"itens_totais": len(items), "itens": items})


@respx.mock
def test_find_by_name_finds_caixinha_which_the_list_hides(make_client: MakeClient) -> None:
    route = respx.get(f"{BASE}/v1/conta-financeira").mock(side_effect=_accounts)
    run = make_client()
    assert "Caixinha" not in [a.nome for a in run.items(run.client.contas_financeiras.list())]
    found = run(run.client.contas_financeiras.find_by_name("Caixinha"))
    assert (found.id, found.tipo) == (EVENT, "CAIXINHA")
    assert route.calls.last.request.url.params["mostrar_caixinha"] == "true"
    assert run(run.client.contas_financeiras.find_by_name("  caixinha ")).id == EVENT


@respx.mock
def test_find_by_name_lists_the_names_there_are(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/v1/conta-financeira").mock(side_effect=_accounts)
    run = make_client()
    with pytest.raises(FinancialAccountNotFound) as caught:
        run(run.client.contas_financeiras.find_by_name("Nubank"))
    assert isinstance(caught.value, LookupError)
    assert caught.value.names == ("BB", "Caixinha")
    assert str(caught.value) == (
        "no financial account is named 'Nubank'; the accounts are: 'BB', 'Caixinha'"
    )


@respx.mock
def test_find_by_name_prefers_the_exact_spelling_and_an_active_account(
    make_client: MakeClient,
) -> None:
    accounts = [
        {"id": "1", "nome": "Caixa", "ativo": False},
        {"id": "2", "nome": "caixa", "ativo": True},
        {"id": "3", "nome": "Caixa", "ativo": True},
    ]
    respx.get(f"{BASE}/v1/conta-financeira").mock(
        return_value=httpx.Response(200, json={"itens_totais": 3, "itens": accounts})
    )
    run = make_client()
    assert run(run.client.contas_financeiras.find_by_name("Caixa")).id == "3"
    assert run(run.client.contas_financeiras.find_by_name("CAIXA")).id == "2"


# -- money ------------------------------------------------------------------------------


@respx.mock
def test_amounts_are_read_exactly_never_through_float(make_client: MakeClient) -> None:
    body = (
        b'[{"id": "a", "valor_composicao": {"valor_bruto": 0.1, "juros": 0.2}},'
        b' {"id": "b", "valor_composicao": {"valor_bruto": 1234567890123.45, "taxa": "0.30"}},'
        b' {"id": "c", "valor_composicao": {"valor_bruto": 9999999999999.99}}]'
    )
    respx.get(f"{BASE}/v1/financeiro/eventos-financeiros/parcelas/{EVENT}/baixa").mock(
        return_value=httpx.Response(200, content=body)
    )
    run = make_client()
    first, second, third = run.items(run.client.baixas.list(EVENT))
    first_total = first.valor_composicao.valor_bruto + first.valor_composicao.juros
    assert first_total == Decimal("0.3")  # 0.1 + 0.2 as floats is 0.30000000000000004
    assert second.valor_composicao.valor_bruto == Decimal("1234567890123.45")
    assert second.valor_composicao.taxa == Decimal("0.30")
    # 15 significant digits: the most a JSON number with a fraction keeps (sdkcore.models)
    assert third.valor_composicao.valor_bruto == Decimal("9999999999999.99")
    assert all(
        isinstance(value, Decimal)
        for baixa in (first, second)
        for value in baixa.valor_composicao.model_dump(exclude_none=True).values()
    )


@respx.mock
def test_amounts_are_sent_with_their_exact_digits(make_client: MakeClient) -> None:
    route = respx.post(f"{BASE}/v1/financeiro/eventos-financeiros/parcelas/{EVENT}/baixa").mock(
        return_value=httpx.Response(200, json={"id": "x"})
    )
    run = make_client()
    run(
        run.client.baixas.create(
            EVENT,
            {
                "data_pagamento": date(2024, 1, 2),
                "conta_financeira": ACCOUNT,
                "composicao_valor": {
                    "valor_bruto": Decimal("0.1") + Decimal("0.2"),
                    "multa": Decimal("1234567890123.45"),
                },
            },
        )
    )
    sent = route.calls.last.request.content
    assert b'"valor_bruto":0.3' in sent
    assert b'"multa":1234567890123.45' in sent
    composicao = json.loads(sent, parse_float=Decimal)["composicao_valor"]
    assert composicao == {"valor_bruto": Decimal("0.3"), "multa": Decimal("1234567890123.45")}
