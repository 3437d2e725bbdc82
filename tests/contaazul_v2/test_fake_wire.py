"""``FakeContaAzul`` at wire level: raw httpx on ``fake.transport``, no client in between,
so each rule of the fake is checked as the API states it."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from contaazul.v2.testing import FakeClock, FakeContaAzul, Fault

BASE = "https://api-v2.contaazul.com"
AUTH = "https://auth.contaazul.com"
EVENTS = "/v1/financeiro/eventos-financeiros"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeContaAzul:
    return FakeContaAzul(clock=clock, rate_limited=False)


@pytest.fixture
def api(fake: FakeContaAzul) -> Iterator[httpx.Client]:
    headers = {"Authorization": f"Bearer {fake.access_token}"}
    with httpx.Client(transport=fake.transport, base_url=BASE, headers=headers) as client:
        yield client


def _json(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def _person(api: httpx.Client, kind: str = "Física") -> dict[str, Any]:
    people = _json(api.get("/v1/pessoas", params={"tipos_pessoa": kind}))["items"]
    return dict(people[0])


def _catalog(api: httpx.Client) -> tuple[dict[str, Any], dict[str, Any]]:
    product = _json(api.get("/v1/produto/busca"))["itens"][0]
    service = _json(api.get("/v1/servicos"))["itens"][0]
    return product, service


def _sale_body(api: httpx.Client, numero: int, **changes: Any) -> dict[str, Any]:
    product, service = _catalog(api)
    body = {
        "id_cliente": _person(api)["id"],
        "numero": numero,
        "situacao": "APROVADO",
        "data_venda": "2024-05-10",
        "observacoes": f"ponte:task:{numero}",
        "itens": [
            {"id": product["id"], "quantidade": 2, "valor": 10.05},
            {"id": service["id"], "quantidade": 1, "valor": 100.10},
        ],
        "condicao_pagamento": {
            "opcao_condicao_pagamento": "2x",
            "parcelas": [
                {"data_vencimento": "2024-06-10", "valor": 60.10},
                {"data_vencimento": "2024-07-10", "valor": 60.10},
            ],
        },
    }
    body.update(changes)
    return body


# -- tokens and limits -----------------------------------------------------------------------


def test_api_needs_a_valid_bearer_token(fake: FakeContaAzul, clock: FakeClock) -> None:
    with httpx.Client(transport=fake.transport, base_url=BASE) as raw:
        missing = raw.get("/v1/venda/proximo-numero")
        assert missing.status_code == 401
        assert missing.json() == {"code": 401, "message": "The Token is invalid."}
        token = fake.issue_tokens()["access_token"]
        headers = {"Authorization": f"Bearer {token}"}
        assert raw.get("/v1/venda/proximo-numero", headers=headers).status_code == 200
        clock.advance(3600)  # an access token lives an hour on the fake's clock
        expired = raw.get("/v1/venda/proximo-numero", headers=headers)
    assert expired.status_code == 401
    assert expired.json() == {"code": 401, "message": "The Token has expired."}


def test_expire_access_tokens_ends_every_token_now(fake: FakeContaAzul, api: httpx.Client) -> None:
    fake.expire_access_tokens()
    assert api.get("/v1/venda/proximo-numero").json()["message"] == "The Token has expired."


def test_429_past_ten_requests_in_any_second(clock: FakeClock) -> None:
    fake = FakeContaAzul(clock=clock)
    headers = {"Authorization": f"Bearer {fake.access_token}"}
    with httpx.Client(transport=fake.transport, base_url=BASE, headers=headers) as api:
        codes = [api.get("/v1/venda/proximo-numero").status_code for _ in range(11)]
        assert codes == [200] * 10 + [429]
        refused = api.get("/v1/venda/proximo-numero")
        assert refused.headers["Retry-After"] == "1"
        assert refused.content == b""
        clock.advance(0.5)
        assert api.get("/v1/venda/proximo-numero").status_code == 429  # a sliding window
        clock.advance(0.5)
        assert api.get("/v1/venda/proximo-numero").status_code == 200
    assert fake.throttled == 3


def test_429_past_600_requests_in_any_minute(clock: FakeClock) -> None:
    fake = FakeContaAzul(clock=clock)
    headers = {"Authorization": f"Bearer {fake.access_token}"}
    with httpx.Client(transport=fake.transport, base_url=BASE, headers=headers) as api:
        for _ in range(60):  # 10 a second for a minute: all allowed
            assert {api.get("/v1/venda/proximo-numero").status_code for _ in range(10)} == {200}
            clock.advance(1.0)
        clock.advance(-0.99)  # 59.01 s after the first request: its minute is not over
        refused = api.get("/v1/venda/proximo-numero")
    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) >= 1


def test_token_endpoint_is_not_rate_limited(clock: FakeClock) -> None:
    fake = FakeContaAzul(clock=clock)
    with httpx.Client(transport=fake.transport) as raw:
        answers = [
            raw.post(f"{AUTH}/oauth2/token", data={"grant_type": "x"}).status_code
            for _ in range(15)
        ]
    assert set(answers) == {400}


# -- OAuth -----------------------------------------------------------------------------------


def _basic(fake: FakeContaAzul) -> dict[str, str]:
    pair = base64.b64encode(f"{fake.client_id}:{fake.client_secret}".encode()).decode()
    return {"Authorization": f"Basic {pair}"}


def test_login_redirects_with_a_code_that_works_once(fake: FakeContaAzul) -> None:
    redirect = "https://app.example/callback"
    with httpx.Client(transport=fake.transport) as raw:
        page = raw.get(
            f"{AUTH}/login",
            params={
                "response_type": "code",
                "client_id": fake.client_id,
                "redirect_uri": redirect,
                "state": "s-123",
                "scope": "openid profile aws.cognito.signin.user.admin",
            },
        )
        assert page.status_code == 302
        location = urlsplit(page.headers["Location"])
        assert f"{location.scheme}://{location.netloc}{location.path}" == redirect
        query = parse_qs(location.query)
        assert query["state"] == ["s-123"]
        form = {"grant_type": "authorization_code", "code": query["code"][0]}
        form["redirect_uri"] = redirect
        tokens = _json(raw.post(f"{AUTH}/oauth2/token", data=form, headers=_basic(fake)))
        again = raw.post(f"{AUTH}/oauth2/token", data=form, headers=_basic(fake))
    assert tokens["token_type"] == "Bearer"
    assert tokens["expires_in"] == 3600
    assert {"access_token", "refresh_token", "id_token"} <= set(tokens)
    assert again.status_code == 400
    assert again.json() == {"error": "invalid_grant"}


def test_refresh_rotates_and_a_used_refresh_token_is_invalid_grant(fake: FakeContaAzul) -> None:
    first = fake.issue_tokens()
    with httpx.Client(transport=fake.transport) as raw:

        def refresh(token: str) -> httpx.Response:
            form = {"grant_type": "refresh_token", "refresh_token": token}
            return raw.post(f"{AUTH}/oauth2/token", data=form, headers=_basic(fake))

        second = _json(refresh(first["refresh_token"]))
        reused = refresh(first["refresh_token"])
        third = _json(refresh(second["refresh_token"]))
        wrong_secret = raw.post(
            f"{AUTH}/oauth2/token",
            data={"grant_type": "refresh_token", "refresh_token": third["refresh_token"]},
            auth=(fake.client_id, "not-the-secret"),
        )
    assert second["refresh_token"] != first["refresh_token"]
    assert reused.status_code == 400
    assert reused.json() == {"error": "invalid_grant"}
    assert third["access_token"] != second["access_token"]
    assert wrong_secret.json() == {"error": "invalid_client"}
    assert fake.refreshes == 2


# -- paging and envelopes ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "params", "total", "items"),
    [
        ("/v1/conta-financeira", {}, "itens_totais", "itens"),
        ("/v1/centro-de-custo", {"pagina": 1, "tamanho_pagina": 10}, "itens_totais", "items"),
        ("/v1/venda/busca", {}, "total_itens", "itens"),
        ("/v1/orcamentos", {}, "total_itens", "itens"),
        ("/v1/pessoas", {}, "totalItems", "items"),
    ],
)
def test_each_list_answers_in_its_specs_envelope(
    api: httpx.Client, path: str, params: dict[str, Any], total: str, items: str
) -> None:
    body = _json(api.get(path, params=params))
    assert isinstance(body[total], int)
    assert isinstance(body[items], list)


def test_bare_array_lists(api: httpx.Client) -> None:
    assert isinstance(_json(api.get("/v1/venda/vendedores")), list)
    assert isinstance(_json(api.get("/v1/categorias/configuracao-padrao")), list)


def test_pages_follow_pagina_and_tamanho_pagina(api: httpx.Client) -> None:
    every = _json(api.get("/v1/pessoas", params={"tamanho_pagina": 100}))
    assert every["totalItems"] == len(every["items"]) == 8
    pages = [
        _json(api.get("/v1/pessoas", params={"pagina": n, "tamanho_pagina": 3}))["items"]
        for n in (1, 2, 3, 4)
    ]
    assert [len(p) for p in pages] == [3, 3, 2, 0]
    assert [r["id"] for p in pages for r in p] == [r["id"] for r in every["items"]]


@pytest.mark.parametrize(
    ("path", "size"),
    [
        ("/v1/venda/busca", 1001),  # past the maximum
        ("/v1/venda/busca", 15),  # not in the spec's enum
        ("/v1/pessoas", 101),  # the portal's people list: 100 at most
        ("/v1/produto/busca", 1001),
    ],
)
def test_a_page_size_the_operation_refuses_is_400(api: httpx.Client, path: str, size: int) -> None:
    assert api.get(path, params={"tamanho_pagina": size}).status_code == 400


def test_required_paging_parameters_are_required(api: httpx.Client) -> None:
    answer = api.get("/v1/centro-de-custo")
    assert answer.status_code == 400
    assert answer.json() == {"code": 400, "message": "O parâmetro 'pagina' é obrigatório."}


def test_services_carry_their_total_inside_paginacao(api: httpx.Client) -> None:
    body = _json(api.get("/v1/servicos", params={"pagina": 2, "tamanho_pagina": 3}))
    assert body["paginacao"] == {
        "pagina_atual": 2,
        "tamanho_pagina": 3,
        "total_itens": 4,
        "total_paginas": 2,
    }
    assert len(body["itens"]) == 1


# -- financial accounts ------------------------------------------------------------------------


def test_caixinha_is_hidden_unless_asked_for(api: httpx.Client, fake: FakeContaAzul) -> None:
    plain = {a["nome"] for a in _json(api.get("/v1/conta-financeira"))["itens"]}
    shown = _json(api.get("/v1/conta-financeira", params={"mostrar_caixinha": "true"}))["itens"]
    assert "Caixinha" not in plain
    assert "BB" in plain
    assert {a["nome"]: a["tipo"] for a in shown}["Caixinha"] == "CAIXINHA"
    assert fake.account_named("Caixinha")["tipo"] == "CAIXINHA"


def test_saldo_atual_and_a_bad_uuid(api: httpx.Client, fake: FakeContaAzul) -> None:
    bb = fake.account_named("BB")["id"]
    caixinha = fake.account_named("Caixinha")["id"]
    # the seeded transfer moved 100.00 from BB to Caixinha
    assert _json(api.get(f"/v1/conta-financeira/{bb}/saldo-atual")) == {"saldo_atual": 1400}
    assert _json(api.get(f"/v1/conta-financeira/{caixinha}/saldo-atual"))["saldo_atual"] == 300
    bad = api.get("/v1/conta-financeira/not-a-uuid/saldo-atual")
    assert bad.status_code == 400
    assert "não é um identificador (uuid) válido" in bad.json()["message"]


# -- receivables: 202 and the protocol -------------------------------------------------------


def _receivable(fake: FakeContaAzul, api: httpx.Client, **changes: Any) -> dict[str, Any]:
    account = fake.account_named("BB")["id"]
    category = next(c for c in fake.records("categorias") if c["nome"] == "Prestação de serviços")
    body = {
        "data_competencia": "2024-05-10",
        "valor": 150.30,
        "observacao": "OS 17",
        "descricao": "Instalação",
        "contato": _person(api)["id"],
        "conta_financeira": account,
        "rateio": [{"id_categoria": category["id"], "valor": 150.30}],
        "condicao_pagamento": {
            "parcelas": [
                {
                    "descricao": "1/1",
                    "data_vencimento": "2024-06-10",
                    "nota": "pix",
                    "conta_financeira": account,
                    "detalhe_valor": {"valor_bruto": 150.30},
                }
            ]
        },
    }
    body.update(changes)
    return body


def test_receivable_is_202_then_protocol_pending_then_success(
    fake: FakeContaAzul, api: httpx.Client
) -> None:
    accepted = _json(
        api.post(f"{EVENTS}/contas-a-receber", json=_receivable(fake, api)), status=202
    )
    assert accepted["status"] == "PENDING"
    assert accepted["data_criacao"].endswith("Z")
    first = _json(api.get(f"/v1/protocolo/{accepted['protocolo']}"))
    second = _json(api.get(f"/v1/protocolo/{accepted['protocolo']}"))
    assert first["status"] == "PENDING"
    assert second["status"] == "SUCCESS"
    installments = _json(api.get(f"{EVENTS}/{second['evento_financeiro_id']}/parcelas"))
    assert [(p["status"], p["nao_pago"]) for p in installments] == [("PENDENTE", 150.3)]
    listed = _json(
        api.get(
            f"{EVENTS}/contas-a-receber/buscar",
            params={
                "pagina": 1,
                "tamanho_pagina": 10,
                "data_vencimento_de": "2024-06-01",
                "data_vencimento_ate": "2024-06-30",
            },
        )
    )
    assert [i["id"] for i in listed["itens"]] == [installments[0]["id"]]
    assert listed["itens"][0]["cliente"]["id"] == _person(api)["id"]


def test_protocol_settles_after_the_configured_polls_and_seconds(clock: FakeClock) -> None:
    fake = FakeContaAzul(clock=clock, rate_limited=False, protocol_polls=2, protocol_delay=5)
    headers = {"Authorization": f"Bearer {fake.access_token}"}
    with httpx.Client(transport=fake.transport, base_url=BASE, headers=headers) as api:
        protocol = _json(
            api.post(f"{EVENTS}/contas-a-pagar", json=_receivable(fake, api)), status=202
        )["protocolo"]
        seen = [_json(api.get(f"/v1/protocolo/{protocol}"))["status"] for _ in range(4)]
        assert seen == ["PENDING"] * 4  # polls done, but 5 s have not passed
        clock.advance(5)
        assert _json(api.get(f"/v1/protocolo/{protocol}"))["status"] == "SUCCESS"


def test_an_unknown_category_makes_the_protocol_fail(
    fake: FakeContaAzul, api: httpx.Client
) -> None:
    unknown = "00000000-0000-4000-8000-000000000000"
    body = _receivable(fake, api, rateio=[{"id_categoria": unknown, "valor": 150.30}])
    protocol = _json(api.post(f"{EVENTS}/contas-a-receber", json=body), status=202)["protocolo"]
    api.get(f"/v1/protocolo/{protocol}")
    settled = _json(api.get(f"/v1/protocolo/{protocol}"))
    assert settled["status"] == "ERROR"
    assert unknown in settled["resposta"]
    assert settled["evento_financeiro_id"] is None


def test_a_receivable_missing_a_field_is_400_at_once(
    fake: FakeContaAzul, api: httpx.Client
) -> None:
    body = _receivable(fake, api)
    del body["observacao"]
    answer = api.post(f"{EVENTS}/contas-a-receber", json=body)
    assert answer.status_code == 400
    assert answer.json() == {"code": 400, "message": "O campo 'observacao' é obrigatório."}


def test_baixa_pays_the_installment_and_moves_the_balance(
    fake: FakeContaAzul, api: httpx.Client
) -> None:
    protocol = _json(
        api.post(f"{EVENTS}/contas-a-receber", json=_receivable(fake, api)), status=202
    )["protocolo"]
    api.get(f"/v1/protocolo/{protocol}")
    event = _json(api.get(f"/v1/protocolo/{protocol}"))["evento_financeiro_id"]
    parcela = _json(api.get(f"{EVENTS}/{event}/parcelas"))[0]["id"]
    bb = fake.account_named("BB")["id"]
    paid = {"data_pagamento": "2024-06-10", "composicao_valor": {"valor_bruto": 150.30}}
    baixa = _json(
        api.post(f"{EVENTS}/parcelas/{parcela}/baixa", json={**paid, "conta_financeira": bb})
    )
    assert _json(api.get(f"{EVENTS}/parcelas/{parcela}"))["status"] == "QUITADO"
    assert [b["id"] for b in _json(api.get(f"{EVENTS}/parcelas/{parcela}/baixa"))] == [baixa["id"]]
    assert _json(api.get(f"/v1/conta-financeira/{bb}/saldo-atual"))["saldo_atual"] == 1550.3
    charge = _json(
        api.post(
            f"{EVENTS}/contas-a-receber/gerar-cobranca",
            json={
                "conta_bancaria": bb,
                "descricao_fatura": "OS 17",
                "id_parcela": parcela,
                "data_vencimento": "2024-06-10",
                "tipo": "PIX_COBRANCA",
            },
        )
    )
    assert _json(api.get(f"{EVENTS}/contas-a-receber/cobranca/{charge['id']}")) == charge
    assert api.delete(f"{EVENTS}/parcelas/baixa/{baixa['id']}").status_code == 200
    assert _json(api.get(f"{EVENTS}/parcelas/{parcela}"))["status"] == "PENDENTE"


# -- sales -----------------------------------------------------------------------------------


def test_next_number_and_a_taken_number(api: httpx.Client, fake: FakeContaAzul) -> None:
    numero = _json(api.get("/v1/venda/proximo-numero"))
    assert numero == 3  # two seeded sales
    created = _json(api.post("/v1/venda", json=_sale_body(api, numero)))
    assert created["numero"] == numero
    assert created["valor_composicao"]["valor_liquido"] == 120.2
    assert _json(api.get("/v1/venda/proximo-numero")) == numero + 1
    taken = api.post("/v1/venda", json=_sale_body(api, numero))
    assert taken.status_code == 400
    assert taken.json()["message"] == f"Já existe uma venda com o número {numero}."
    assert fake.count_sales(f"ponte:task:{numero}") == 1


def test_installments_must_add_up_to_the_total(api: httpx.Client) -> None:
    body = _sale_body(api, 50)
    body["condicao_pagamento"]["parcelas"][1]["valor"] = 60.09
    answer = api.post("/v1/venda", json=body)
    assert answer.status_code == 400
    assert "difere do total da venda (120.20)" in answer.json()["message"]


def test_sale_search_by_number_term_and_dates(api: httpx.Client) -> None:
    created = _json(api.post("/v1/venda", json=_sale_body(api, 77)))
    by_number = _json(api.get("/v1/venda/busca", params={"numeros": 77}))
    assert [s["id"] for s in by_number["itens"]] == [created["id"]]
    by_name = _json(api.get("/v1/venda/busca", params={"termo_busca": "maria"}))
    assert created["id"] in {s["id"] for s in by_name["itens"]}
    in_may = _json(
        api.get("/v1/venda/busca", params={"data_inicio": "2024-05-01", "data_fim": "2024-05-31"})
    )
    assert [s["numero"] for s in in_may["itens"]] == [77]
    assert in_may["totais"]["aprovado"] == 120.2


def test_sale_get_update_items_print_and_delete(api: httpx.Client) -> None:
    created = _json(api.post("/v1/venda", json=_sale_body(api, 90)))
    sale = _json(api.get(f"/v1/venda/{created['id']}"))
    assert sale["venda"]["numero"] == 90
    assert _json(api.get(f"/v1/venda/{created['id_legado']}"))["venda"]["id"] == created["id"]
    items = _json(api.get(f"/v1/venda/{created['id']}/itens"))
    assert items["itens_totais"] == 2
    assert {i["tipo"] for i in items["itens"]} == {"PRODUTO", "SERVICO"}
    stale = api.put(f"/v1/venda/{created['id']}", json={**_sale_body(api, 90), "versao": 7})
    assert stale.status_code == 400
    edited = _sale_body(api, 91, observacoes="changed", versao=1)
    assert _json(api.put(f"/v1/venda/{created['id']}", json=edited))["id"] == created["id"]
    assert _json(api.get(f"/v1/venda/{created['id']}"))["venda"]["versao"] == 2
    pdf = api.get(f"/v1/venda/{created['id']}/imprimir")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")
    missing = "00000000-0000-4000-8000-000000000000"
    deleted = _json(api.post("/v1/venda/exclusao-lote", json={"ids": [created["id"], missing]}))
    assert deleted == {"atualizados": 1, "ignorados": 1}
    gone = api.get(f"/v1/venda/{created['id']}")
    assert gone.status_code == 404
    assert gone.content == b""


# -- people --------------------------------------------------------------------------------------


def test_people_search_by_text_and_document(api: httpx.Client) -> None:
    by_name = _json(api.get("/v1/pessoas", params={"busca": "oficina"}))["items"]
    assert [p["nome"] for p in by_name] == ["Oficina Boa Ltda"]
    documents = "123.456.789-09,12.345.678/0001-95"
    both = _json(api.get("/v1/pessoas", params={"documentos": documents}))["items"]
    assert {p["documento"] for p in both} == {"12345678909", "12345678000195"}
    assert {p["tipo_pessoa"] for p in both} == {"Física", "Jurídica"}


def test_person_put_names_every_field_it_demands(api: httpx.Client) -> None:
    person = _person(api)
    full = _json(api.get(f"/v1/pessoas/{person['id']}"))
    body = {
        "nome": full["nome"],
        "tipo_pessoa": "Física",
        "cpf": full["documento"],
        "email": full["email"],
        "enderecos": full["enderecos"],
    }
    refused = api.put(f"/v1/pessoas/{person['id']}", json=body)
    assert refused.status_code == 400
    fields = [e["field"] for e in refused.json()["errors"]]
    assert fields == ["codigo", "rg", "data_nascimento", "inscricoes", "observacao"]
    assert refused.json()["code"] == "VALIDATION_ERROR"
    whole = {
        **body,
        "codigo": "C-1",
        "rg": "123456",
        "data_nascimento": "1980-01-31",
        "inscricoes": [{"indicador_inscricao_estadual": "NAO_CONTRIBUINTE"}],
        "observacao": "ok",
    }
    assert _json(api.put(f"/v1/pessoas/{person['id']}", json=whole))["id"] == person["id"]


def test_person_create_patch_and_inactivate(api: httpx.Client) -> None:
    created = _json(
        api.post(
            "/v1/pessoas",
            json={"nome": "Nova Cliente", "tipo_pessoa": "Física", "cpf": "529.982.247-25"},
        ),
        status=201,
    )
    bad_cpf = api.post(
        "/v1/pessoas", json={"nome": "X", "tipo_pessoa": "Física", "cpf": "11111111112"}
    )
    assert bad_cpf.json()["errors"] == [{"field": "cpf", "message": "CPF inválido"}]
    assert (
        api.patch(f"/v1/pessoas/{created['id']}", json={"email": "n@x.example"}).status_code == 204
    )
    changed = _json(api.get("/v1/pessoas", params={"emails": "n@x.example"}))
    assert [p["id"] for p in changed["items"]] == [created["id"]]
    answer = _json(api.post("/v1/pessoas/inativar", json={"uuids": [created["id"]]}))
    assert answer == [{"ativos": [], "inativos": [created["id"]], "todos": [created["id"]]}]
    assert _json(api.get(f"/v1/pessoas/{created['id']}"))["ativo"] is False
    missing = api.get("/v1/pessoas/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404
    assert missing.json() == {"error": "Pessoa não encontrada."}


def test_modified_since_filter_on_people(
    api: httpx.Client, fake: FakeContaAzul, clock: FakeClock
) -> None:
    person = _person(api)
    clock.advance(3600)
    cutoff = fake.now() - timedelta(seconds=1)
    api.patch(f"/v1/pessoas/{person['id']}", json={"observacao": "nova"})
    since = cutoff.replace(tzinfo=None).isoformat(timespec="seconds")
    changed = _json(api.get("/v1/pessoas", params={"data_alteracao_de": since}))["items"]
    assert [p["id"] for p in changed] == [person["id"]]


# -- services and products -----------------------------------------------------------------------


def test_services_create_get_patch(api: httpx.Client) -> None:
    created = _json(
        api.post("/v1/servicos", json={"descricao": "Limpeza de dutos", "preco": 199.90}),
        status=201,
    )
    assert created["preco"] == 199.9
    assert api.patch(f"/v1/servicos/{created['id']}", json={"preco": 210}).status_code == 204
    assert _json(api.get(f"/v1/servicos/{created['id']}"))["preco"] == 210
    found = _json(api.get("/v1/servicos", params={"busca_textual": "dutos"}))["itens"]
    assert [s["id"] for s in found] == [created["id"]]


def test_product_by_id_create_and_deactivate(api: httpx.Client) -> None:
    listed = _json(api.get("/v1/produto/busca", params={"busca": "filtro"}))["itens"]
    assert [p["nome"] for p in listed] == ["Filtro de ar"]
    product = _json(api.get(f"/v1/produtos/{listed[0]['id']}"))
    assert product["estoque"]["valor_venda"] == 89.9
    created = _json(
        api.post(
            "/v1/produto",
            json={
                "nome": "Dreno",
                "formato": "SIMPLES",
                "estoque": {"valor_venda": 5},
                "dimensao": {},
            },
        )
    )
    off = _json(api.post("/v1/produto/desativar", json=[created["id"]]))
    assert off == {"todos": [created["id"]], "produtos_desativados": [created["id"]]}
    inactive = _json(api.get("/v1/produto/busca", params={"status": "INATIVO"}))["itens"]
    assert [p["id"] for p in inactive] == [created["id"]]


# -- proposals, contracts, categories, cost centres, transfers ---------------------------------


def test_proposals_use_the_error_body_of_their_spec(api: httpx.Client) -> None:
    product, _ = _catalog(api)
    body = {
        "data_orcamento": "2024-05-01",
        "data_validade": "2024-05-15",
        "id_cliente": _person(api)["id"],
        "itens": [{"id": product["id"], "quantidade": 1, "valor": 89.90}],
    }
    created = _json(api.post("/v1/orcamentos", json=body), status=201)
    assert _json(api.get(f"/v1/orcamentos/{created['id']}"))["numero"] == 1
    assert _json(api.get("/v1/orcamentos"))["total_itens"] == 1
    refused = api.post("/v1/orcamentos", json={**body, "itens": []})
    assert refused.json() == {"error": "O campo 'itens' é obrigatório."}
    assert api.request("DELETE", "/v1/orcamentos", json={"ids": [created["id"]]}).status_code == 204
    assert api.get(f"/v1/orcamentos/{created['id']}").status_code == 404


def test_contracts_numbers_and_lifecycle(api: httpx.Client) -> None:
    _, service = _catalog(api)
    numero = _json(api.get("/v1/contratos/proximo-numero"))
    body = {
        "id_cliente": _person(api, "Jurídica")["id"],
        "itens": [{"id": service["id"], "quantidade": 1, "valor": 350}],
        "termos": {
            "tipo_frequencia": "MENSAL",
            "tipo_expiracao": "DATA",
            "data_inicio": "2024-01-01",
            "data_fim": "2024-12-31",
            "numero": numero,
        },
        "condicao_pagamento": {"dia_vencimento": 10, "primeira_data_vencimento": "2024-01-10"},
    }
    created = _json(api.post("/v1/contratos", json=body), status=201)
    assert _json(api.get("/v1/contratos/proximo-numero")) == numero + 1
    assert api.post("/v1/contratos", json=body).json()["error"].startswith("Já existe")
    window = {"data_inicio": "2024-01-01", "data_fim": "2024-12-31"}
    listed = _json(api.get("/v1/contratos", params=window))
    assert [c["id"] for c in listed["itens"]] == [created["id"]]
    assert api.get("/v1/contratos").status_code == 400  # the dates are required
    assert api.post(f"/v1/contratos/{created['id']}/encerrar").status_code == 204
    assert _json(api.get(f"/v1/contratos/{created['id']}"))["status"] == "INATIVO"
    assert api.delete(f"/v1/contratos/{created['id']}").status_code == 204


def test_categories_cost_centres_and_transfers(api: httpx.Client, fake: FakeContaAzul) -> None:
    query: dict[str, Any] = {"pagina": 1, "tamanho_pagina": 10, "permite_apenas_filhos": "true"}
    children = _json(
        api.get("/v1/categorias", params={**query, "apenas_filhos": "true", "tipo": "RECEITA"})
    )
    assert {c["nome"] for c in children["itens"]} == {"Vendas de produtos", "Prestação de serviços"}
    created = _json(api.post("/v1/centro-de-custo", json={"nome": "Obras", "codigo": "300"}))
    active = _json(
        api.get(
            "/v1/centro-de-custo",
            params={"pagina": 1, "tamanho_pagina": 10, "filtro_rapido": "ATIVO"},
        )
    )
    assert created["id"] in {c["id"] for c in active["items"]}
    assert active["totais"] == {"ativo": 3, "inativo": 1, "todos": 4}
    transfers = _json(api.get("/v1/financeiro/transferencias"))
    assert transfers["itens"][0]["destino"]["conta_financeira"]["nome"] == "Caixinha"
    backwards = api.get(
        "/v1/financeiro/transferencias",
        params={"data_inicio": "2024-02-01", "data_fim": "2024-01-01"},
    )
    assert backwards.json() == {
        "code": 400,
        "message": "A data de início não pode ser posterior à data de fim.",
    }
    assert _json(api.get("/v1/financeiro/categorias-dre"))["itens"]


# -- faults, the log, determinism ---------------------------------------------------------


def test_scripted_faults_and_the_request_log(fake: FakeContaAzul, api: httpx.Client) -> None:
    fake.fail_next(Fault(status=503, path_prefix="/v1/venda"))
    assert api.get("/v1/venda/proximo-numero").status_code == 503
    assert api.get("/v1/venda/proximo-numero").status_code == 200
    assert [r.path for r in fake.requests] == ["/v1/venda/proximo-numero"] * 2


def test_one_seed_gives_the_same_records_and_another_differs(clock: FakeClock) -> None:
    def snapshot(seed: int) -> list[Any]:
        fake = FakeContaAzul(clock=FakeClock(clock.time()), seed=seed)
        return [fake.records(name) for name in ("pessoas", "vendas", "contas_financeiras")]

    assert snapshot(0) == snapshot(0)
    assert snapshot(1) != snapshot(0)


def test_created_records_are_deterministic_under_a_fake_clock(clock: FakeClock) -> None:
    def run() -> Any:
        fake = FakeContaAzul(clock=FakeClock(clock.time()), rate_limited=False)
        headers = {"Authorization": f"Bearer {fake.access_token}"}
        with httpx.Client(transport=fake.transport, base_url=BASE, headers=headers) as api:
            api.post("/v1/venda", json=_sale_body(api, 3))
        return fake.sales()

    assert run() == run()


def test_money_keeps_its_cents(api: httpx.Client, fake: FakeContaAzul) -> None:
    created = _json(api.post("/v1/venda", json=_sale_body(api, 12)))
    stored = next(s for s in fake.sales() if s["id"] == created["id"])
    assert [Decimal(str(p["valor"])) for p in stored["condicao_pagamento"]["parcelas"]] == [
        Decimal("60.10"),
        Decimal("60.10"),
    ]
