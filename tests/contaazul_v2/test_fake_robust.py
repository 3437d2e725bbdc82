"""``FakeContaAzul`` never crashes and never stores what it refuses.

Odd input (wrong types, ``NaN``, ``1e400``, negative or fractional-cent amounts, nulls where
a record needs a value) answers 4xx as the API would; a refused write leaves every table as
it was; a write that succeeds stores what reads back. The targeted cases below are the ones
a review found; the property test throws random bodies and query values at every route.
"""

from __future__ import annotations

import json
import re
from copy import deepcopy
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from contaazul.v2.testing import BASE_URL, FakeClock, FakeContaAzul

PARCELAS = "/v1/financeiro/eventos-financeiros/parcelas"


class World:
    """A fake with one receivable (so installments and acquittances exist) and a raw HTTP
    client on it: these tests speak wire, never through the SDK's models."""

    def __init__(self) -> None:
        self.clock = FakeClock()
        self.fake = FakeContaAzul(clock=self.clock, rate_limited=False, protocol_polls=0)
        self.http = httpx.Client(
            transport=self.fake.transport,
            base_url=BASE_URL,
            headers={"Authorization": f"Bearer {self.fake.access_token}"},
        )
        self.account: str = self.fake.account_named("BB")["id"]
        self.person: str = self.fake.records("pessoas")[0]["id"]
        self.service: str = self.fake.records("servicos")[0]["id"]
        self.product: str = self.fake.records("produtos")[0]["id"]
        self.category: str = self.fake.records("categorias")[1]["id"]
        protocol = self.send(
            "POST", "/v1/financeiro/eventos-financeiros/contas-a-receber", self.receivable()
        ).json()["protocolo"]
        event = self.send("GET", f"/v1/protocolo/{protocol}").json()["evento_financeiro_id"]
        [installment] = self.send(
            "GET", f"/v1/financeiro/eventos-financeiros/{event}/parcelas"
        ).json()
        self.installment = installment["id"]
        self.acquittance = self.send(
            "POST", f"{PARCELAS}/{self.installment}/baixa", self.acquittance_body()
        ).json()["id"]

    def send(
        self, method: str, path: str, body: Any = None, query: dict[str, str] | None = None
    ) -> httpx.Response:
        content = (
            body if isinstance(body, bytes) else b"" if body is None else json.dumps(body).encode()
        )
        return self.http.request(
            method,
            path,
            content=content,
            params=query,
            headers={"Content-Type": "application/json"},
        )

    def receivable(self) -> dict[str, Any]:
        return {
            "data_competencia": "2024-05-10",
            "valor": "80.00",
            "descricao": "Visita",
            "observacao": "x",
            "contato": self.person,
            "conta_financeira": self.account,
            "rateio": [{"id_categoria": self.category, "valor": "80.00"}],
            "condicao_pagamento": {
                "parcelas": [
                    {
                        "descricao": "1/1",
                        "nota": "n",
                        "data_vencimento": "2024-06-10",
                        "conta_financeira": self.account,
                        "detalhe_valor": {"valor_bruto": "80.00"},
                    }
                ]
            },
        }

    def acquittance_body(self, gross: Any = "10.00") -> dict[str, Any]:
        return {
            "data_pagamento": "2024-06-01",
            "conta_financeira": self.account,
            "composicao_valor": {"valor_bruto": gross},
        }

    def sale(self) -> dict[str, Any]:
        return {
            "id_cliente": self.person,
            "numero": 90001,
            "situacao": "APROVADO",
            "data_venda": "2024-01-01",
            "itens": [{"id": self.product, "quantidade": 2, "valor": "5.00"}],
            "condicao_pagamento": {
                "opcao_condicao_pagamento": "À vista",
                "parcelas": [{"data_vencimento": "2024-01-10", "valor": "10.00"}],
            },
        }

    def snapshot(self) -> dict[str, Any]:
        return deepcopy(self.fake.data)


def refused_and_unchanged(world: World, method: str, path: str, body: Any) -> httpx.Response:
    """Send a write that must be refused; assert a 4xx and that no table changed."""
    before = world.snapshot()
    answer = world.send(method, path, body)
    assert answer.is_client_error, answer.text
    assert world.snapshot() == before
    return answer


def message(answer: httpx.Response) -> str:
    body = answer.json()
    return str(body.get("message") or body.get("error"))


@pytest.fixture
def world() -> World:
    return World()


@pytest.mark.parametrize(
    ("gross", "named"),
    [
        ('"1e400"', "composicao_valor.valor_bruto"),
        ("1e400", "composicao_valor.valor_bruto"),
        ("-5", "composicao_valor.valor_bruto"),
        ("0", "composicao_valor.valor_bruto"),
        ("1.005", "composicao_valor.valor_bruto"),
        ('"NaN"', "composicao_valor.valor_bruto"),
        ('"12,5"', "composicao_valor.valor_bruto"),
        ("true", "composicao_valor.valor_bruto"),
        ("null", "composicao_valor.valor_bruto"),
        ("NaN", "NaN"),
        ("Infinity", "Infinity"),
        ("-Infinity", "-Infinity"),
    ],
)
def test_an_acquittance_with_a_bad_amount_is_refused_and_stores_nothing(
    world: World, gross: str, named: str
) -> None:
    account = json.dumps(world.account)
    body = (
        f'{{"data_pagamento":"2024-06-01","conta_financeira":{account},'
        f'"composicao_valor":{{"valor_bruto":{gross}}}}}'
    ).encode()
    answer = refused_and_unchanged(world, "POST", f"{PARCELAS}/{world.installment}/baixa", body)
    assert f"'{named}'" in message(answer)
    assert world.send("GET", f"{PARCELAS}/{world.installment}").status_code == 200
    balance = world.send("GET", f"/v1/conta-financeira/{world.account}/saldo-atual")
    assert balance.status_code == 200


def test_an_acquittance_that_passes_is_stored_as_an_exact_amount(world: World) -> None:
    answer = world.send(
        "POST", f"{PARCELAS}/{world.installment}/baixa", world.acquittance_body(12.5)
    )
    assert answer.status_code == 200
    paid = world.send("GET", f"{PARCELAS}/{world.installment}").json()["valor_pago"]
    assert paid == 22.5  # the 10.00 of the setup and this one


@pytest.mark.parametrize(
    ("method", "path", "body", "named"),
    [
        ("POST", "/v1/servicos", {"descricao": ["x"], "preco": "x"}, "descricao"),
        ("POST", "/v1/servicos", {"descricao": "S", "preco": "x"}, "preco"),
        ("POST", "/v1/servicos", {"descricao": "S", "preco": "NaN"}, "preco"),
        ("POST", "/v1/servicos", {"descricao": "S", "nome": 5}, "nome"),
        ("PATCH", "/v1/servicos/{service}", {"nome": 5}, "nome"),
        ("PATCH", "/v1/servicos/{service}", {"custo": -1}, "custo"),
        ("PATCH", "/v1/pessoas/{person}", {"nome": 5}, "nome"),
        ("PATCH", "/v1/pessoas/{person}", {"emails": "x", "enderecos": 5}, "emails"),
        ("PATCH", "/v1/pessoas/{person}", {"enderecos": 5}, "enderecos"),
        ("PATCH", "/v1/pessoas/{person}", {"enderecos": [{"estado": 35}]}, "enderecos[0].estado"),
        ("PATCH", "/v1/pessoas/{person}", {"data_nascimento": "2024-W01-1"}, "data_nascimento"),
        ("POST", "/v1/pessoas/inativar", {"uuids": ["{person}", "nobody"]}, None),
        ("POST", "/v1/centro-de-custo", {"nome": 5}, "nome"),
        ("POST", "/v1/produto/desativar", [{"id": 1}], None),
        ("PATCH", PARCELAS + "/{installment}", {"versao": 1, "_evento": "x"}, "_evento"),
        ("PATCH", PARCELAS + "/{installment}", {"versao": 1, "vencimento": None}, "vencimento"),
        (
            "PATCH",
            PARCELAS + "/baixa/{acquittance}",
            {"versao": 1, "id_parcela": "x"},
            "id_parcela",
        ),
        (
            "PATCH",
            PARCELAS + "/baixa/{acquittance}",
            {"versao": 1, "composicao_valor": {"valor_bruto": None}},
            "composicao_valor.valor_bruto",
        ),
        ("POST", "/v1/venda/exclusao-lote", {"ids": 5}, "ids"),
        ("DELETE", "/v1/orcamentos", {"ids": [None]}, "ids[0]"),
    ],
)
def test_junk_writes_are_refused_naming_the_field_and_change_nothing(
    world: World, method: str, path: str, body: Any, named: str | None
) -> None:
    ids = {
        "service": world.service,
        "person": world.person,
        "installment": world.installment,
        "acquittance": world.acquittance,
    }
    text = json.dumps(body)
    for name, ident in ids.items():
        text = text.replace("{" + name + "}", ident)
    path = path.format(**ids)
    answer = refused_and_unchanged(world, method, path, text.encode())
    if named is not None:
        assert f"'{named}'" in message(answer)


@pytest.mark.parametrize(
    "sale_change",
    [
        {"itens": [{"id": "{product}", "quantidade": 1e400, "valor": "1"}]},
        {"itens": [{"id": "{product}", "quantidade": "x", "valor": "1"}]},
        {"itens": [None]},
        {"condicao_pagamento": {"opcao_condicao_pagamento": "À vista", "parcelas": [None]}},
        {"id_cliente": []},
        {"data_venda": "x"},
    ],
)
def test_a_sale_with_junk_is_refused_and_stores_nothing(
    world: World, sale_change: dict[str, Any]
) -> None:
    body = json.loads(
        json.dumps({**world.sale(), **sale_change}).replace("{product}", world.product)
    )
    refused_and_unchanged(world, "POST", "/v1/venda", body)


def test_a_good_sale_still_goes_through(world: World) -> None:
    assert world.send("POST", "/v1/venda", world.sale()).status_code == 200


def test_a_partial_person_update_of_the_right_type_still_goes_through(world: World) -> None:
    assert world.send("PATCH", f"/v1/pessoas/{world.person}", {"nome": "Ana"}).status_code == 204
    assert world.send("GET", f"/v1/pessoas/{world.person}").json()["nome"] == "Ana"


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ({"valor_de": "NaN"}, "valor_de"),
        ({"valor_ate": "1e400"}, "valor_ate"),
    ],
)
def test_an_amount_filter_that_is_no_amount_is_a_400(
    world: World, query: dict[str, str], named: str
) -> None:
    query = {
        **query,
        "data_vencimento_de": "2024-01-01",
        "data_vencimento_ate": "2024-12-31",
        "pagina": "1",
        "tamanho_pagina": "10",
    }
    answer = world.send(
        "GET", "/v1/financeiro/eventos-financeiros/contas-a-receber/buscar", query=query
    )
    assert answer.status_code == 400
    assert f"'{named}'" in message(answer)


def test_a_product_price_filter_of_nan_is_a_400(world: World) -> None:
    assert world.send("GET", "/v1/produto/busca", query={"inicio": "NaN"}).status_code == 400


def test_a_sale_id_of_non_ascii_digits_is_a_404(world: World) -> None:
    assert world.send("GET", "/v1/venda/" + quote("²")).status_code == 404


def test_the_oauth_grant_of_the_fake_runs_on_the_fake_clock() -> None:
    clock = FakeClock(start=1_000_000.0)  # far from the system clock
    fake = FakeContaAzul(clock=clock, rate_limited=False)
    redirect = "https://app.example/callback"
    oauth = fake.oauth(redirect_uri=redirect)
    tokens = oauth.exchange_code(fake.issue_code(redirect))
    assert tokens.expires_at == clock.time() + 3600


# -- every route, random input ---------------------------------------------------------------

JUNK_TEXT = [
    "",
    "x",
    "NaN",
    "Infinity",
    "-1",
    "0",
    "1e400",
    "12,5",
    "2024-13-01",
    "2024-W01-1",
    "²",
    "١٢",
    "9" * 5000,
    "2024-01-01",
    "2024-01-01T10:00:00",
    "true",
    "null",
    "[]",
    "{}",
]
QUERY_NAMES = [
    "pagina",
    "tamanho_pagina",
    "data_inicio",
    "data_fim",
    "valor_de",
    "valor_ate",
    "inicio",
    "fim",
    "busca",
    "busca_textual",
    "numeros",
    "mostrar_caixinha",
    "data_vencimento_de",
    "data_vencimento_ate",
    "data_competencia_de",
    "data_alteracao_de",
    "data_alteracao_ate",
    "permite_apenas_filhos",
    "campo_ordenado_ascendente",
    "campo_ordenacao",
    "status",
    "tipos",
    "documentos",
    "ids",
    "ids_contas_financeiras",
    "termo_busca",
    "situacoes",
]
FIELD_NAMES = sorted(
    {
        "versao",
        "valor",
        "valor_bruto",
        "composicao_valor",
        "detalhe_valor",
        "parcelas",
        "condicao_pagamento",
        "itens",
        "quantidade",
        "id",
        "ids",
        "uuids",
        "nome",
        "descricao",
        "preco",
        "custo",
        "enderecos",
        "perfis",
        "tipo_pessoa",
        "cpf",
        "cnpj",
        "email",
        "data_pagamento",
        "data_vencimento",
        "vencimento",
        "conta_financeira",
        "id_cliente",
        "numero",
        "situacao",
        "data_venda",
        "termos",
        "rateio",
        "estoque",
        "dimensao",
        "id_parcela",
        "conta_bancaria",
        "id_conta_financeira",
        "contato",
        "data_competencia",
    }
)

scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(10**20), max_value=10**20)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.sampled_from(JUNK_TEXT)
    | st.text(max_size=12)
)
json_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(FIELD_NAMES) | st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=12,
)
raw_bodies = st.sampled_from(
    [b"", b"{", b"NaN", b'{"valor": NaN}', b'{"valor": 1e400}', b"[" * 2000, b"\xff\xfe"]
)


EVENTS = "/v1/financeiro/eventos-financeiros"


def _good_body(world: World, method: str, pattern: str) -> Any:
    """A body the route accepts (``None`` where the fuzz has none): random junk inside a
    good body reaches the checks a random body never gets past."""
    acquittance = world.acquittance_body()
    person = {"nome": "Ana", "tipo_pessoa": "Física", "perfis": [{"tipo_perfil": "Cliente"}]}
    bodies: dict[tuple[str, str], Any] = {
        ("POST", EVENTS + "/contas-a-receber"): world.receivable(),
        ("POST", EVENTS + "/contas-a-pagar"): world.receivable(),
        ("POST", PARCELAS + "/{parcela_id}/baixa"): acquittance,
        ("PATCH", PARCELAS + "/baixa/{ident}"): {**acquittance, "versao": 1},
        ("PATCH", PARCELAS + "/{ident}"): {"versao": 1, "composicao_valor": {"valor_bruto": 90}},
        ("POST", "/v1/venda"): world.sale(),
        ("PUT", "/v1/venda/{ident}"): {**world.sale(), "versao": 1},
        ("POST", "/v1/pessoas"): person,
        ("PATCH", "/v1/pessoas/{ident}"): {"nome": "Ana", "enderecos": [{"estado": "SP"}]},
        ("POST", "/v1/pessoas/inativar"): {"uuids": [world.person]},
        ("POST", "/v1/servicos"): {"descricao": "Serviço", "preco": "10.00"},
        ("PATCH", "/v1/servicos/{ident}"): {"preco": "12.00", "custo": 3},
        ("POST", "/v1/centro-de-custo"): {"nome": "Obras"},
        ("POST", "/v1/venda/exclusao-lote"): {"ids": [world.fake.sales()[0]["id"]]},
    }
    return bodies.get((method, pattern))


def _natural_id(world: World, pattern: str) -> str:
    """The id a route's path wants: an acquittance for ``/parcelas/baixa/{id}``, ..."""
    for part, ident in (
        ("/baixa/", world.acquittance),
        (PARCELAS, world.installment),
        ("/pessoas", world.person),
        ("/servicos", world.service),
        ("/produto", world.product),
        ("/conta-financeira", world.account),
        ("/venda", str(world.fake.sales()[0]["id"])),
    ):
        if part in pattern:
            return ident
    return world.person


def _mutated(template: Any, data: st.DataObject) -> Any:
    """``template`` with one place (chosen by ``data``) replaced by a random JSON value."""
    if not isinstance(template, dict | list) or not template or data.draw(st.integers(0, 2)) == 0:
        return data.draw(json_values)
    copy = deepcopy(template)
    keys = list(copy) if isinstance(copy, dict) else list(range(len(copy)))
    key = data.draw(st.sampled_from(keys))
    copy[key] = _mutated(copy[key], data)
    return copy


ROUTES = [
    route
    for route in FakeContaAzul(rate_limited=False).routes()
    if not route[1].startswith(("/oauth2/", "/login"))  # the auth host: no JSON bodies
]
WRITES = [route for route in ROUTES if route[0] != "GET"]
READS = [route for route in ROUTES if route[0] == "GET"]
FUZZ = settings(
    deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


@pytest.mark.parametrize("route", WRITES, ids=" ".join)
@settings(FUZZ, max_examples=30)
@given(data=st.data())
def test_a_write_answers_below_500_and_changes_nothing_when_refused(
    route: tuple[str, str], data: st.DataObject
) -> None:
    _fuzz(route, data)


@pytest.mark.parametrize("route", READS, ids=" ".join)
@settings(FUZZ, max_examples=10)
@given(data=st.data())
def test_a_read_answers_below_500_whatever_its_query(
    route: tuple[str, str], data: st.DataObject
) -> None:
    _fuzz(route, data)


def _fuzz(route: tuple[str, str], data: st.DataObject) -> None:
    """One random request on ``route``: a good body, one with junk somewhere inside, random
    JSON or raw bytes; ids that exist or random text; random query values."""
    method, pattern = route
    world = World()
    known_ids = [
        world.account,
        world.person,
        world.service,
        world.product,
        world.category,
        world.installment,
        world.acquittance,
        world.fake.sales()[0]["id"],
        "1",
    ]
    segment = (
        st.just(_natural_id(world, pattern))
        | st.sampled_from(known_ids)
        | st.text(
            alphabet=st.characters(blacklist_characters="/%?#", blacklist_categories=["Cs"]),
            min_size=1,
            max_size=10,
        )
    )
    path = re.sub(r"\{\w+\}", lambda _: quote(data.draw(segment, label="id"), safe=""), pattern)
    query = data.draw(
        st.dictionaries(
            st.sampled_from(QUERY_NAMES),
            st.sampled_from(JUNK_TEXT) | st.text(max_size=8),
            max_size=4,
        ),
        label="query",
    )
    good = _good_body(world, method, pattern)
    kinds = (
        ["mutated", "mutated", "good", "random", "raw"] if good is not None else ["random", "raw"]
    )
    shape = data.draw(st.sampled_from(kinds), label="body kind")
    if shape == "good":
        content = json.dumps(good).encode()
    elif shape == "mutated":
        content = json.dumps(_mutated(good, data)).encode()
    elif shape == "random":
        content = json.dumps(data.draw(json_values)).encode()
    else:
        content = data.draw(raw_bodies)
    before = world.snapshot()

    answer = world.send(method, path, content, query)

    assert answer.status_code < 500, f"{method} {path}: {answer.text[:300]}"
    assert world.fake.handler_errors == []
    if method != "GET" and answer.status_code >= 400:
        assert world.snapshot() == before, (
            f"{method} {path} refused with {answer.status_code} but changed the data"
        )
    if method != "GET" and answer.status_code < 300:
        _what_changed_reads_back(world, before)


def _what_changed_reads_back(world: World, before: dict[str, Any]) -> None:
    """After a write that went through, every list and every record it created or changed
    reads back without a server error."""
    wide = {
        "pagina": "1",
        "tamanho_pagina": "100",
        "data_inicio": "2000-01-01",
        "data_fim": "2100-01-01",
        "data_vencimento_de": "2000-01-01",
        "data_vencimento_ate": "2100-01-01",
        "permite_apenas_filhos": "false",
    }
    ids = {
        ident
        for name, table in world.fake.data.items()
        for ident, record in table.items()
        if before.get(name, {}).get(ident) != record
    }
    for method, pattern in world.fake.routes():
        if method != "GET" or pattern.startswith(("/oauth2/", "/login")):
            continue
        if "{" not in pattern:
            paths = [pattern]
        else:
            paths = [re.sub(r"\{\w+\}", ident, pattern) for ident in ids]
        for path in paths:
            answer = world.send("GET", path, query=wide)
            assert answer.status_code < 500, f"GET {path}: {answer.text[:300]}"
