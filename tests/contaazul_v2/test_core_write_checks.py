"""What a write refuses before sending (signs, quantities, installments against the total,
the version of a change) and the one write path every write takes: full bodies for
creates and PUTs, partial ones for PATCHes."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

from sdkcore import RequestValidationError

from ..runner import Runner
from .conftest import BASE

MakeClient = Callable[..., Runner]

UUID = "35473eec-4e74-11ee-b500-9f61de8a8b8b"
OTHER = "8f2a3e45-1c9d-4b3a-a7f1-9e8d7c6b5a4f"
RECEIVABLES = f"{BASE}/v1/financeiro/eventos-financeiros/contas-a-receber"
PAYABLES = f"{BASE}/v1/financeiro/eventos-financeiros/contas-a-pagar"
INSTALLMENTS = f"{BASE}/v1/financeiro/eventos-financeiros/parcelas"


def event(valor: str, *installments: str) -> dict[str, Any]:
    return {
        "data_competencia": date(2024, 7, 15),
        "valor": Decimal(valor),
        "observacao": "-",
        "descricao": "OS 7",
        "contato": UUID,
        "conta_financeira": UUID,
        "condicao_pagamento": {
            "parcelas": [
                {
                    "descricao": f"{n + 1}/{len(installments)}",
                    "data_vencimento": date(2024, 8 + n, 15),
                    "nota": "-",
                    "conta_financeira": UUID,
                    "detalhe_valor": {"valor_bruto": Decimal(amount)},
                }
                for n, amount in enumerate(installments)
            ]
        },
    }


def sale(items: list[tuple[str, str]], installments: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "id_cliente": UUID,
        "numero": 42,
        "situacao": "APROVADO",
        "data_venda": date(2024, 7, 15),
        "itens": [{"id": OTHER, "quantidade": Decimal(q), "valor": Decimal(v)} for q, v in items],
        "condicao_pagamento": {
            "opcao_condicao_pagamento": "30, 60",
            "parcelas": [
                {"data_vencimento": date(2024, 8 + n, 15), "valor": Decimal(amount)}
                for n, amount in enumerate(installments)
            ],
        },
        **extra,
    }


def refused(run: Runner, write: Callable[[], Any], field: str) -> RequestValidationError:
    """Run ``write`` and expect it refused, naming ``field``; each test then checks on its
    respx route that nothing was sent."""
    with pytest.raises(RequestValidationError) as caught:
        run(write())
    assert caught.value.field == field
    return caught.value


# -- receivables and payables -----------------------------------------------------------------


@pytest.mark.parametrize("path", [RECEIVABLES, PAYABLES], ids=["receber", "pagar"])
def test_a_negative_event_amount_is_refused_before_any_request(
    path: str, make_client: MakeClient
) -> None:
    run = make_client()
    resource = run.client.contas_a_receber if path == RECEIVABLES else run.client.contas_a_pagar
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(path)
        refused(run, lambda: resource.create(event("-10.00", "-10.00")), "valor")
        refused(
            run,
            lambda: resource.create(event("10.00", "-10.00")),
            "condicao_pagamento.parcelas[0].detalhe_valor.valor_bruto",
        )
    assert not route.called


@pytest.mark.parametrize("path", [RECEIVABLES, PAYABLES], ids=["receber", "pagar"])
def test_event_installments_must_add_up_to_the_cent(path: str, make_client: MakeClient) -> None:
    run = make_client()
    resource = run.client.contas_a_receber if path == RECEIVABLES else run.client.contas_a_pagar
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(path).mock(
            return_value=httpx.Response(202, json={"protocolo": UUID, "status": "PENDING"})
        )
        error = refused(
            run,
            lambda: resource.create(event("140.00", "46.67", "46.67", "46.67")),
            "condicao_pagamento.parcelas",
        )
        assert "add up to 140.01, not to the total 140.00" in str(error)
        assert not route.called
        run(resource.create(event("140.00", "46.67", "46.67", "46.66")))
        assert route.call_count == 1


# -- sales ---------------------------------------------------------------------------------------


def test_a_negative_sale_quantity_is_refused_before_any_request(make_client: MakeClient) -> None:
    run = make_client()
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{BASE}/v1/venda")
        refused(
            run,
            lambda: run.client.vendas.create(sale([("-1", "10.00")], ["10.00"])),
            "itens[0].quantidade",
        )
    assert not route.called


@pytest.mark.parametrize("verb", ["create", "update"])
def test_sale_installments_must_add_up_to_its_total(verb: str, make_client: MakeClient) -> None:
    run = make_client()
    vendas = run.client.vendas
    # Summed then rounded the lines make 20.008 -> 20.01; rounded one by one, 20.00: the
    # API's rounding is not documented, so either total is taken, and nothing else.
    items = [("1", "10.004"), ("1", "10.004")]
    with respx.mock(assert_all_called=False) as mock:
        created = mock.post(f"{BASE}/v1/venda").mock(return_value=httpx.Response(200, json={}))
        replaced = mock.put(f"{BASE}/v1/venda/{UUID}").mock(
            return_value=httpx.Response(200, json={})
        )

        def write(installments: list[str], **extra: Any) -> Any:
            record = sale(items, installments, **extra)
            if verb == "create":
                return vendas.create(record)
            return vendas.update(UUID, {**record, "versao": 3})

        refused(run, lambda: write(["10.01", "10.01"]), "condicao_pagamento.parcelas")
        run(write(["10.01", "10.00"]))
        run(write(["10.00", "10.00"]))
        discounted = {"desconto": {"tipo": "PORCENTAGEM", "valor": Decimal("10")}}
        run(write(["18.01"], composicao_de_valor=discounted))  # 20.008 less 10%
        refused(
            run,
            lambda: write(["20.01"], composicao_de_valor=discounted),
            "condicao_pagamento.parcelas",
        )
    assert created.call_count + replaced.call_count == 3


def test_freight_and_an_amount_discount_count_in_a_sales_total(make_client: MakeClient) -> None:
    run = make_client()
    composicao = {"frete": Decimal("5.50"), "desconto": {"tipo": "VALOR", "valor": Decimal("1")}}
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{BASE}/v1/venda").mock(return_value=httpx.Response(200, json={}))
        refused(
            run,
            lambda: run.client.vendas.create(
                sale([("2", "10.05")], ["20.10"], composicao_de_valor=composicao)
            ),
            "condicao_pagamento.parcelas",
        )
        run(
            run.client.vendas.create(
                sale([("2", "10.05")], ["24.60"], composicao_de_valor=composicao)
            )
        )
    assert route.call_count == 1


# -- quotations: the spec wants items greater than zero ---------------------------------------


def test_a_quotation_item_of_zero_is_refused(make_client: MakeClient) -> None:
    run = make_client()
    quotation = {
        "id_cliente": UUID,
        "data_orcamento": date(2024, 7, 1),
        "data_validade": date(2024, 7, 31),
        "itens": [{"id": OTHER, "quantidade": Decimal("0"), "valor": Decimal("10")}],
    }
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{BASE}/v1/orcamentos")
        error = refused(run, lambda: run.client.orcamentos.create(quotation), "itens[0].quantidade")
        assert "greater than zero" in str(error)
    assert not route.called


# -- the one write path: acquittances, charges, installments --------------------------------


def test_an_acquittance_of_a_negative_amount_is_refused(make_client: MakeClient) -> None:
    run = make_client()
    paid = {
        "data_pagamento": date(2024, 8, 15),
        "conta_financeira": UUID,
        "composicao_valor": {"valor_bruto": Decimal("-150.00")},
    }
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{INSTALLMENTS}/{UUID}/baixa")
        refused(run, lambda: run.client.baixas.create(UUID, paid), "composicao_valor.valor_bruto")
        refused(
            run,
            lambda: run.client.baixas.patch(
                OTHER, {"versao": 1, "composicao_valor": {"juros": Decimal("-1")}}
            ),
            "composicao_valor.juros",
        )
    assert not route.called


def test_a_charge_with_a_negative_early_discount_is_refused(make_client: MakeClient) -> None:
    run = make_client()
    charge = {
        "conta_bancaria": UUID,
        "descricao_fatura": "OS 7",
        "id_parcela": OTHER,
        "data_vencimento": date(2024, 8, 15),
        "tipo": "BOLETO",
        "atributos": {"desconto_antecipado": {"valor": Decimal("-5"), "dias_antes_vencer": 3}},
    }
    with respx.mock(assert_all_called=False) as mock:
        route = mock.post(f"{RECEIVABLES}/gerar-cobranca")
        refused(
            run,
            lambda: run.client.cobrancas.create(charge),
            "atributos.desconto_antecipado.valor",
        )
    assert not route.called


def test_an_installment_patch_sends_a_partial_body(make_client: MakeClient) -> None:
    run = make_client()
    with respx.mock(assert_all_called=False) as mock:
        route = mock.patch(f"{INSTALLMENTS}/{UUID}").mock(
            return_value=httpx.Response(200, json={"id": UUID, "versao": 4})
        )
        # A partial change of the amount: the fields a create would require are not asked.
        changes = {"versao": 3, "composicao_valor": {"juros": Decimal("2.50")}}
        run(run.client.parcelas.patch(UUID, changes))
        assert json.loads(route.calls.last.request.content) == {
            "versao": 3,
            "composicao_valor": {"juros": 2.5},
        }
        refused(
            run,
            lambda: run.client.parcelas.patch(UUID, {"nota": "sem versão"}),
            "versao",
        )
        refused(
            run,
            lambda: run.client.parcelas.patch(
                UUID, {"versao": 3, "perda": {"valor": Decimal("-1")}}
            ),
            "perda.valor",
        )
    assert route.call_count == 1
