"""``FakeBling`` honours the list filters the bridge and users rely on, through the real
client. Seed 0: contatos 1001-1003 last changed 3, 2 and 1 days ago at 10:00, produtos
2001-2003 6, 5 and 4 days ago at 09:00 (Brasília); every later change is dated by the clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest

from bling import BadRequestError, Bling
from bling.testing import FakeBling
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO


@pytest.fixture
def fake(clock: FakeClock) -> FakeBling:
    return FakeBling(clock=clock, rate_limit=None)


@pytest.fixture
def bling(fake: FakeBling, clock: FakeClock) -> Bling:
    return fake.client(clock=clock, rate_limiter=False)


@pytest.fixture
def today(clock: FakeClock) -> date:
    return datetime.fromtimestamp(clock.time(), SAO_PAULO).date()


def ids(records: Any) -> list[int | None]:
    return [r.id for r in records]


def local(day: date, hour: int = 0, minute: int = 0, second: int = 0) -> str:
    """Bling's instant form: ``yyyy-mm-dd hh:mm:ss`` in Brasília time."""
    return f"{day.isoformat()} {hour:02d}:{minute:02d}:{second:02d}"


def test_contatos_by_change_time_in_both_forms(bling: Bling, today: date) -> None:
    two_days_ago = today - timedelta(days=2)
    listed = bling.contatos.list
    assert ids(listed()) == [1001, 1002, 1003]
    assert ids(listed(data_alteracao_inicial=two_days_ago)) == [1002, 1003]
    assert ids(listed(data_alteracao_inicial=two_days_ago.isoformat())) == [1002, 1003]
    assert ids(listed(data_alteracao_inicial=local(two_days_ago, 10))) == [1002, 1003]
    assert ids(listed(data_alteracao_inicial=local(two_days_ago, 10, 0, 1))) == [1003]
    # a bare date as the final bound means the whole day
    assert ids(listed(data_alteracao_final=two_days_ago.isoformat())) == [1001, 1002]
    assert ids(listed(data_alteracao_final=local(two_days_ago, 9, 59, 59))) == [1001]
    assert ids(
        listed(
            data_alteracao_inicial=datetime.combine(two_days_ago, datetime.min.time()),
            data_alteracao_final=datetime.combine(two_days_ago, datetime.max.time()),
        )
    ) == [1002]
    assert ids(listed(data_inclusao_final=(today - timedelta(days=122)).isoformat())) == [
        1001,
        1002,
    ]
    assert ids(listed(data_inclusao_inicial=today)) == []


def test_contatos_record_their_changes_from_the_clock(
    bling: Bling, clock: FakeClock, today: date
) -> None:
    clock.advance(60)
    start = datetime.fromtimestamp(clock.time(), SAO_PAULO)
    assert ids(bling.contatos.list(data_alteracao_inicial=start)) == []
    new = int(bling.contatos.create({"nome": "Nova Cliente", "tipo": "F"}))
    clock.advance(60)
    current = bling.contatos.get(1001)
    bling.contatos.update(1001, current.model_copy(update={"nome": "Maria S."}))
    clock.advance(60)
    bling.contatos.alterar_situacao(1003, "I")
    assert ids(bling.contatos.list(data_alteracao_inicial=start)) == [1001, 1003, new]
    after_update = start + timedelta(seconds=61)
    assert ids(bling.contatos.list(data_alteracao_inicial=after_update)) == [1003]
    assert ids(bling.contatos.list(data_alteracao_final=after_update)) == [1001, 1002, new]
    assert ids(bling.contatos.list(data_inclusao_inicial=start)) == [new]
    same_day = today.isoformat()
    assert ids(
        bling.contatos.list(data_inclusao_inicial=same_day, data_inclusao_final=same_day)
    ) == [new]
    assert "_alteracao" not in bling.request("GET", "/contatos/1001")["data"]


def test_contatos_by_id_document_search_and_kind(bling: Bling) -> None:
    listed = bling.contatos.list
    assert ids(listed(ids_contatos=[1003, 1001])) == [1001, 1003]
    assert ids(listed(numero_documento="12345678909")) == [1001]
    assert ids(listed(numero_documento="123.456.789-09")) == [1001]
    assert ids(listed(numero_documento="98765432000198")) == [1003]
    assert ids(listed(numero_documento="98765432")) == []  # the whole number, not a part
    assert ids(listed(pesquisa="oficina")) == [1002]
    assert ids(listed(pesquisa="maria@example")) == [1001]  # e-mail
    assert ids(listed(pesquisa="F1")) == [1003]  # código
    assert ids(listed(pesquisa="98.765.432")) == [1003]  # CPF/CNPJ
    assert ids(listed(tipo_pessoa=1)) == [1001]
    assert ids(listed(tipo_pessoa=2)) == [1002, 1003]
    assert ids(listed(uf="sp")) == [1001]
    assert ids(listed(telefone="(11) 99999-8888")) == [1001]
    assert ids(listed(tipo_pessoa=2, pesquisa="peças")) == [1003]


def test_contatos_criterio(bling: Bling) -> None:
    bling.contatos.alterar_situacao(1003, "E")
    bling.contatos.alterar_situacao(1002, "S")
    assert ids(bling.contatos.list()) == [1001, 1002]  # "últimos incluídos" hides excluded
    assert ids(bling.contatos.list(criterio=1)) == [1001, 1002, 1003]
    assert ids(bling.contatos.list(criterio=2)) == [1003]
    assert ids(bling.contatos.list(criterio=4)) == [1002]


def test_an_unreadable_date_is_refused(bling: Bling) -> None:
    with pytest.raises(BadRequestError) as raised:
        bling.request("GET", "/contatos", params={"dataAlteracaoInicial": "ontem"})
    assert raised.value.status_code == 400
    with pytest.raises(BadRequestError):
        bling.request("GET", "/pedidos/vendas", params={"dataInicial": "2024-13-01"})


def test_produtos_by_change_time_kind_and_codes(
    bling: Bling, clock: FakeClock, today: date
) -> None:
    listed = bling.produtos.list
    assert ids(listed(data_alteracao_inicial=today - timedelta(days=5))) == [2002, 2003]
    assert ids(listed(data_alteracao_final=local(today - timedelta(days=5), 9))) == [2001, 2002]
    clock.advance(60)
    moment = datetime.fromtimestamp(clock.time(), SAO_PAULO)
    bling.produtos.patch(2001, {"situacao": "I"})
    assert ids(listed(data_alteracao_inicial=moment)) == [2001]
    assert ids(listed(tipo="P")) == [2001]
    assert ids(listed(tipo="S")) == [2002, 2003]
    assert ids(listed(tipo="PS")) == [2001]
    assert ids(listed(tipo="E")) == []
    assert ids(listed(criterio=2)) == [2002, 2003]
    assert ids(listed(criterio=3)) == [2001]
    assert ids(listed(ids_produtos=[2003, 2001])) == [2001, 2003]
    assert ids(listed(codigos=["S-INST", "nope"])) == [2002]
    assert ids(listed(nome="visita")) == [2003]


def _pedido(bling: Bling, contato: int, loja: str, day: date, **extra: Any) -> int:
    body = {
        "contato": {"id": contato},
        "numeroLoja": loja,
        "data": day.isoformat(),
        "itens": [{"produto": {"id": 2001}, "quantidade": 1, "valor": 89.9}],
        **extra,
    }
    return int(bling.pedidos_vendas.create(body))


def test_pedidos_by_store_number_contato_situacao_and_dates(
    fake: FakeBling, bling: Bling, clock: FakeClock, today: date
) -> None:
    first = _pedido(bling, 1001, "task:1", today - timedelta(days=3))
    clock.advance(60)
    second = _pedido(bling, 1002, "task:2", today - timedelta(days=1), dataPrevista="2030-01-10")
    clock.advance(60)
    moment = datetime.fromtimestamp(clock.time(), SAO_PAULO)
    third = _pedido(bling, 1001, "quotation:1", today)
    listed = bling.pedidos_vendas.list
    assert ids(listed()) == [first, second, third]
    assert ids(listed(numeros_lojas=["task:2"])) == [second]
    assert ids(listed(numeros_lojas=["task:1", "quotation:1"])) == [first, third]
    assert ids(listed(numeros_lojas=["task"])) == []  # exact, not a prefix
    assert ids(listed(id_contato=1001)) == [first, third]
    assert ids(listed(id_contato=1003)) == []
    assert ids(listed(data_inicial=today - timedelta(days=1))) == [second, third]
    assert ids(listed(data_final=today - timedelta(days=1))) == [first, second]
    assert ids(listed(data_inicial=local(today - timedelta(days=1), 23, 59))) == [second, third]
    assert ids(listed(data_prevista_inicial="2030-01-01")) == [second]
    assert ids(listed(data_alteracao_inicial=moment)) == [third]
    assert ids(listed(data_alteracao_inicial=moment.date().isoformat())) == [first, second, third]
    clock.advance(60)
    later = datetime.fromtimestamp(clock.time(), SAO_PAULO)
    bling.pedidos_vendas.alterar_situacao(first, 9)
    assert ids(listed(ids_situacoes=[9])) == [first]
    assert ids(listed(ids_situacoes=[6])) == [second, third]
    assert ids(listed(ids_situacoes=[6, 9], id_contato=1001)) == [first, third]
    assert ids(listed(data_alteracao_inicial=later)) == [first]
    assert ids(listed(data_alteracao_final=local(today - timedelta(days=1)))) == []
    assert ids(listed(numero=fake.data["pedidos/vendas"][second]["numero"])) == [second]


def test_a_pedido_total_counts_discount_and_other_expenses(fake: FakeBling, bling: Bling) -> None:
    ident = int(
        bling.pedidos_vendas.create(
            {
                "contato": {"id": 1001},
                "itens": [{"produto": {"id": 2001}, "quantidade": 2, "valor": 100}],
                "outrasDespesas": 12,
                "desconto": {"valor": 10, "unidade": "PERCENTUAL"},
            }
        )
    )
    assert fake.data["pedidos/vendas"][ident]["totalProdutos"] == 200
    assert fake.data["pedidos/vendas"][ident]["total"] == 192
