"""The finance resources against the stateful fake: "Caixinha" found by name though the list
hides it, and a receivable from its 202 to its installments; sync and async."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from contaazul.v2.resources.financeiro import FinancialAccountNotFound
from contaazul.v2.testing import FakeContaAzul
from sdkcore.clock import FakeClock

from ..runner import Runner


@pytest.fixture(params=["sync", "async"])
def on_fake(request: pytest.FixtureRequest) -> Callable[..., Runner]:
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        fake = FakeContaAzul(clock=FakeClock(), rate_limited=False, **kwargs)
        client = fake.async_client if is_async else fake.client
        return Runner(client(rate_limiter=False), is_async)

    return make


def test_caixinha_is_found_by_name_though_the_list_hides_it(on_fake: Callable[..., Runner]) -> None:
    run = on_fake()
    listed = [a.nome for a in run.items(run.client.contas_financeiras.list())]
    assert "BB" in listed
    assert "Caixinha" not in listed
    caixinha = run(run.client.contas_financeiras.find_by_name("Caixinha"))
    assert caixinha.tipo == "CAIXINHA"
    with pytest.raises(FinancialAccountNotFound, match="'Caixinha'"):
        run(run.client.contas_financeiras.find_by_name("Nubank"))


def test_a_receivable_settles_and_its_installments_add_up(on_fake: Callable[..., Runner]) -> None:
    run = on_fake(protocol_polls=2)
    bb = run(run.client.contas_financeiras.find_by_name("BB"))
    person = run.items(run.client.pessoas.list())[0]
    parcelas = [
        {
            "descricao": f"{n}/3",
            "data_vencimento": date(2024, 7 + n, 15),
            "nota": "-",
            "conta_financeira": bb.id,
            "detalhe_valor": {"valor_bruto": value},
        }
        for n, value in enumerate([Decimal("46.67"), Decimal("46.67"), Decimal("46.66")], 1)
    ]
    protocolo = run(
        run.client.contas_a_receber.create(
            {
                "data_competencia": date(2024, 7, 15),
                "valor": Decimal("140.00"),
                "observacao": "OS 12",
                "descricao": "Serviço",
                "contato": person.id,
                "conta_financeira": bb.id,
                "condicao_pagamento": {"parcelas": parcelas},
            },
            wait=True,
        )
    )
    assert protocolo.succeeded
    installments = run.items(run.client.parcelas.list_do_evento(protocolo.evento_financeiro_id))
    assert len(installments) == 3
    assert sum(p.nao_pago for p in installments) == Decimal("140.00")
