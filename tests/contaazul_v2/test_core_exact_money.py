"""Amounts of any length read exactly on every path a body takes: a get, a list page (whole
or salvaged record by record) and a protocol; and a server that caps the page size."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import respx

from sdkcore.bodies import ExactFloat

from ..runner import Runner
from .conftest import BASE

MakeClient = Callable[..., Runner]

ACCOUNT = "35473eec-4e74-11ee-b500-9f61de8a8b8b"
PROTOCOL = "8f2a3e45-1c9d-4b3a-a7f1-9e8d7c6b5a4f"
HUGE = "1234567890123456789.12"
"""Nineteen digits before the point: a double keeps about sixteen of them."""
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


@respx.mock
def test_a_get_reads_a_long_amount_exactly(make_client: MakeClient) -> None:
    respx.get(f"{BASE}/v1/conta-financeira/{ACCOUNT}/saldo-atual").mock(
        return_value=httpx.Response(200, content=f'{{"saldo_atual": {HUGE}}}'.encode())
    )
    run = make_client()
    saldo = run(run.client.contas_financeiras.saldo_atual(ACCOUNT))
    assert saldo.saldo_atual == Decimal(HUGE)


@respx.mock
def test_a_list_page_reads_a_long_amount_exactly(make_client: MakeClient) -> None:
    body = (
        f'{{"itens_totais": 2, "itens": [{{"id_conta_financeira": "{ACCOUNT}", '
        f'"saldo_inicial": {HUGE}}}, {{"id_conta_financeira": "{PROTOCOL}", '
        '"saldo_inicial": 0.1}]}'
    )
    respx.get(f"{BASE}/v1/financeiro/eventos-financeiros/saldo-inicial").mock(
        return_value=httpx.Response(200, content=body.encode())
    )
    run = make_client()
    start = datetime(2024, 1, 1, tzinfo=SAO_PAULO)
    saldos = run.items(
        run.client.eventos_financeiros.saldos_iniciais(data_inicio=start, data_fim=start)
    )
    assert [s.saldo_inicial for s in saldos] == [Decimal(HUGE), Decimal("0.1")]


@respx.mock
def test_a_page_read_record_by_record_keeps_a_long_amount_exact(make_client: MakeClient) -> None:
    # One record does not fit, so the page is read again one record at a time: the
    # records that fit must keep every digit on that path too.
    body = (
        f'{{"itens_totais": 2, "itens": [{{"id": "a", "total": {HUGE}, "numero": 1}}, '
        '{"id": "b", "total": "not an amount", "numero": 2}]}'
    )
    respx.get(f"{BASE}/v1/venda/busca").mock(
        return_value=httpx.Response(200, content=body.encode())
    )
    run = make_client()
    [page] = run.pages(run.client.vendas.list())
    assert [(v.id, v.total) for v in page] == [("a", Decimal(HUGE))]
    assert [e.record_id for e in page.invalid] == ["b"]


@respx.mock
def test_a_protocol_keeps_a_long_amount_it_carries(make_client: MakeClient) -> None:
    answer = f'{{"protocolo": "{PROTOCOL}", "status": "PENDING", "saldo_atual": {HUGE}}}'
    respx.post(f"{BASE}/v1/financeiro/eventos-financeiros/contas-a-receber").mock(
        return_value=httpx.Response(202, content=answer.encode())
    )
    polled = f'{{"id": "{PROTOCOL}", "status": "SUCCESS", "saldo_atual": {HUGE}}}'
    respx.get(f"{BASE}/v1/protocolo/{PROTOCOL}").mock(
        return_value=httpx.Response(200, content=polled.encode())
    )
    run = make_client()
    created = run(run.client.contas_a_receber.create(_receivable()))
    read = run(run.client.protocolos.get(PROTOCOL))
    for protocolo in (created, read):
        carried = (protocolo.model_extra or {})["saldo_atual"]
        assert isinstance(carried, ExactFloat)
        assert carried.as_decimal() == Decimal(HUGE)


@respx.mock
def test_sales_read_whole_from_a_server_that_caps_the_page_size(make_client: MakeClient) -> None:
    """The client asks for 1000 sales a page; the server serves 100 and says 250 in all."""

    def capped(request: httpx.Request) -> httpx.Response:
        number = int(request.url.params["pagina"])
        size = min(int(request.url.params["tamanho_pagina"]), 100)
        rows = [{"id": f"v{n}", "numero": n} for n in range(250)]
        page = rows[(number - 1) * size : number * size]
        return httpx.Response(200, json={"itens_totais": 250, "itens": page})

    route = respx.get(f"{BASE}/v1/venda/busca").mock(side_effect=capped)
    run = make_client()
    sales = run.items(run.client.vendas.list())
    assert [s.numero for s in sales] == list(range(250))
    assert [c.request.url.params["pagina"] for c in route.calls] == ["1", "2", "3"]
    assert route.calls[0].request.url.params["tamanho_pagina"] == "1000"


def _receivable() -> dict[str, Any]:
    return {
        "data_competencia": "2024-07-15",
        "valor": Decimal("10.00"),
        "observacao": "-",
        "descricao": "OS 1",
        "contato": ACCOUNT,
        "conta_financeira": ACCOUNT,
        "condicao_pagamento": {
            "parcelas": [
                {
                    "descricao": "1/1",
                    "data_vencimento": "2024-08-15",
                    "nota": "-",
                    "conta_financeira": ACCOUNT,
                    "detalhe_valor": {"valor_bruto": Decimal("10.00")},
                }
            ]
        },
    }
