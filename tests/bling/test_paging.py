from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given, settings, strategies as st

from bling import Bling, RecordParseError
from bling._calls import MAX_RANGE, split_range
from bling.testing import FakeBling

from .conftest import Runner


def test_pages_stop_on_a_short_page(on_fake: Callable[..., Runner], fake: FakeBling) -> None:
    for n in range(250):
        fake.data["contatos"][50_000 + n] = {"id": 50_000 + n, "nome": f"C{n}", "tipo": "F"}
    run = on_fake()
    pages = run.pages(run.client.contatos.list())
    assert [len(p) for p in pages] == [100, 100, 53]
    assert [p.number for p in pages] == [1, 2, 3]
    assert pages[-1].next_page is None
    resumed = run.pages(run.client.contatos.list(), start=3)
    assert [p.number for p in resumed] == [3]
    listed = [r.arg("pagina") for r in fake.requests if r.path.endswith("/contatos")]
    assert listed == ["1", "2", "3", "3"]
    assert len(run.items(run.client.contatos.list(limite=50))) == 253


def test_pagina_starts_the_pager_there(on_fake: Callable[..., Runner], fake: FakeBling) -> None:
    for n in range(250):
        fake.data["contatos"][50_000 + n] = {"id": 50_000 + n, "nome": f"C{n}", "tipo": "F"}
    run = on_fake()
    pages = run.pages(run.client.contatos.list(pagina=2))
    assert [p.number for p in pages] == [2, 3]
    assert [len(p) for p in pages] == [100, 53]
    listed = [r.arg("pagina") for r in fake.requests if r.path.endswith("/contatos")]
    assert listed == ["2", "3"]


def test_an_exact_multiple_costs_one_empty_page(
    on_fake: Callable[..., Runner], fake: FakeBling
) -> None:
    fake.data["formas-pagamentos"] = {i: {"id": i, "descricao": str(i)} for i in range(1, 101)}
    run = on_fake()
    assert [len(p) for p in run.pages(run.client.formas_pagamentos.list())] == [100, 0]


def test_nothing_is_fetched_until_iteration(fake: FakeBling) -> None:
    client = fake.client(rate_limiter=False)
    pager = client.produtos.list(tipo="S")
    assert fake.requests == []
    assert [p.nome for p in pager] == ["Instalação de ar-condicionado", "Visita técnica"]
    assert client.produtos.list(tipo="S").first() is not None


def recording_client(pages: dict[tuple[str, str], list[dict[str, Any]]]) -> tuple[Bling, list[Any]]:
    seen: list[Any] = []

    def handler(request: httpx.Request) -> httpx.Response:
        params = request.url.params
        seen.append((params["dataInicial"], params["dataFinal"], params["pagina"]))
        key = (params["dataInicial"], params["pagina"])
        return httpx.Response(200, json={"data": pages.get(key, [])})

    return Bling("t-0123456789abcdef", transport=httpx.MockTransport(handler)), seen


def test_a_range_longer_than_a_year_is_split_into_windows() -> None:
    full = [{"id": i} for i in range(100)]
    client, seen = recording_client(
        {
            ("2022-01-01", "1"): full,
            ("2022-01-01", "2"): [{"id": 100}],
            ("2023-01-01", "1"): [{"id": 200}],
            ("2024-01-01", "1"): [{"id": 300}],
        }
    )
    pager = client.pedidos_vendas.list(data_inicial=date(2022, 1, 1), data_final="2024-03-31")
    ids = [p.id for p in pager]
    assert ids == [*range(101), 200, 300]
    assert seen == [
        ("2022-01-01", "2022-12-31", "1"),
        ("2022-01-01", "2022-12-31", "2"),
        ("2023-01-01", "2023-12-31", "1"),
        ("2024-01-01", "2024-03-31", "1"),
    ]
    numbers = [
        p.number
        for p in client.pedidos_vendas.list(
            data_inicial=date(2022, 1, 1), data_final=date(2024, 3, 31)
        ).pages()
    ]
    assert numbers == [1, 2, 3, 4]


def test_a_short_range_is_one_window() -> None:
    client, seen = recording_client({})
    assert (
        list(client.pedidos_vendas.list(data_inicial="2024-01-01", data_final="2024-12-31")) == []
    )
    assert seen == [("2024-01-01", "2024-12-31", "1")]


@settings(max_examples=200, deadline=None)
@given(
    start=st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2030, 1, 1)),
    span=st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2000)),
    kind=st.sampled_from(["date", "datetime"]),
)
def test_windows_cover_the_range_without_gaps_or_overlaps(
    start: datetime, span: timedelta, kind: str
) -> None:
    end = start + span
    first: Any = start.date() if kind == "date" else start
    last: Any = end.date() if kind == "date" else end
    windows = split_range(first, last, kind)
    step = timedelta(days=1) if kind == "date" else timedelta(seconds=1)
    if len(windows) == 1:
        assert windows == [(first, last)]
        return
    assert windows[0][0] == first
    assert windows[-1][1] == last
    for a, b in windows:
        assert a <= b
        assert b - a <= MAX_RANGE
    for (_, b), (c, _) in itertools.pairwise(windows):
        assert c - b == step


@settings(max_examples=60, deadline=None)
@given(total=st.integers(0, 450), limite=st.integers(1, 100))
def test_paging_returns_every_record_once(total: int, limite: int) -> None:
    fake = FakeBling(rate_limit=None)
    fake.data["contatos"] = {i: {"id": i, "nome": str(i)} for i in range(1, total + 1)}
    client = fake.client(rate_limiter=False)
    ids = [c.id for c in client.contatos.list(limite=limite)]
    assert ids == list(range(1, total + 1))
    assert len(fake.requests) == total // limite + 1


def test_a_contato_that_does_not_fit_is_set_apart(
    on_fake: Callable[..., Runner], fake: FakeBling
) -> None:
    for n in range(150):
        fake.data["contatos"][50_000 + n] = {"id": 50_000 + n, "nome": f"C{n}", "tipo": "F"}
    fake.data["contatos"][50_010]["nome"] = {"not": "text"}
    run = on_fake()
    pages = run.pages(run.client.contatos.list())
    # The misfit still counts: page 1 was full, so page 2 is read.
    assert [p.number for p in pages] == [1, 2]
    (misfit,) = pages[0].invalid
    assert misfit.record_id == "50010"
    assert misfit.message.endswith("nome: Input should be a valid string")
    ids = {c.id for p in pages for c in p.items}
    assert 50_010 not in ids
    assert {50_000, 50_011, 50_149} <= ids
    with pytest.raises(RecordParseError, match=r"\(id 50010\)"):
        run.items(run.client.contatos.list())
