"""``FakeBling``'s seed: the same data for one ``seed``, other (valid) data for another,
change times within the week before the clock, and ``seeded=False`` for an empty fake."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from bling.testing import FakeBling
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO


def make(seed: int = 0, start: float = 1_700_000_000.0, seeded: bool = True) -> FakeBling:
    return FakeBling(clock=FakeClock(start), rate_limit=None, seed=seed, seeded=seeded)


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def document_valid(number: str) -> bool:
    def check(body: str, weights: list[int]) -> int:
        rest = sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11
        return 0 if rest < 2 else 11 - rest

    if len(number) == 11:
        first = check(number[:9], list(range(10, 1, -1)))
        return number[9:] == f"{first}{check(number[:10], list(range(11, 1, -1)))}"
    weights = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    first = check(number[:12], weights)
    return number[12:] == f"{first}{check(number[:13], [6, *weights])}"


def test_the_same_seed_gives_the_same_data() -> None:
    assert make().data == make().data
    assert make(4).data == make(4).data


def test_another_seed_gives_other_data() -> None:
    zero, one, two = make(0), make(1), make(2)
    for other in (one, two):
        for collection in ("contatos", "produtos", "formas-pagamentos", "vendedores"):
            assert set(other.data[collection]) != set(zero.data[collection]), collection
        prices = [p["preco"] for p in other.data["produtos"].values()]
        assert prices != [p["preco"] for p in zero.data["produtos"].values()]
    assert one.data != two.data
    mixes = {tuple(c["nome"] for c in fake.data["contatos"].values()) for fake in (zero, one, two)}
    assert len(mixes) > 1


def test_seed_zero_keeps_the_reference_records() -> None:
    data = make().data
    assert sorted(data["contatos"]) == [1001, 1002, 1003]
    assert data["contatos"][1001]["nome"] == "Maria Souza"
    assert sorted(data["produtos"]) == [2001, 2002, 2003]
    assert data["produtos"][2001]["preco"] == 89.9
    assert data["vendedores"][6001]["contato"]["id"] == 1002
    assert data["pedidos/vendas"] == {}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_other_seeds_are_valid_data(seed: int) -> None:
    fake = make(seed)
    bling = fake.client(rate_limiter=False)
    contatos = list(bling.contatos.list())
    assert [c.tipo for c in contatos] == ["F", "J", "J"]
    assert all(document_valid(digits(c.numero_documento or "")) for c in contatos)
    assert [len(digits(c.numero_documento or "")) for c in contatos] == [11, 14, 14]
    produtos = list(bling.produtos.list())
    assert [p.tipo for p in produtos] == ["P", "S", "S"]
    assert all(p.preco and p.preco > 0 for p in produtos)
    vendedor = next(iter(bling.vendedores.list()))
    assert vendedor.contato is not None
    assert vendedor.contato.id == contatos[1].id
    assert [f.descricao for f in bling.formas_pagamentos.list()] == ["Dinheiro", "Boleto", "PIX"]


@pytest.mark.parametrize("start", [1_700_000_000.0, 1_709_543_100.0])  # 19:13 and 06:05 local
@pytest.mark.parametrize("seed", [0, 1])
def test_seeded_changes_fall_within_the_week_before_the_clock(start: float, seed: int) -> None:
    fake = make(seed, start)
    now = datetime.fromtimestamp(start, SAO_PAULO)
    bling = fake.client(rate_limiter=False)
    week_ago = now - timedelta(days=7)
    for resource, collection in ((bling.contatos, "contatos"), (bling.produtos, "produtos")):
        every = sorted(fake.data[collection])
        assert [r.id for r in resource.list(data_alteracao_inicial=week_ago)] == every
        assert [r.id for r in resource.list(data_alteracao_final=now)] == every
        assert [r.id for r in resource.list(data_alteracao_inicial=now)] == []
        assert [r.id for r in resource.list(data_inclusao_inicial=week_ago)] == []


def test_seeded_false_is_empty() -> None:
    fake = make(seeded=False)
    bling = fake.client(rate_limiter=False)
    assert list(bling.contatos.list()) == []
    assert list(bling.produtos.list()) == []
    assert list(bling.formas_pagamentos.list()) == []
    assert all(not records for records in fake.data.values())
    created = int(bling.contatos.create({"nome": "Primeiro", "tipo": "F"}))
    assert [c.id for c in bling.contatos.list()] == [created]
