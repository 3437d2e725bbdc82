"""FakeContaAzul at the HTTP level: a raw httpx client on ``fake.transport``, no SDK client."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import TypeAdapter

from contaazul import models as m
from contaazul.testing import FakeContaAzul, deal_total, missing_required
from contaazul.testing.__main__ import describe
from contaazul.testing._fake import REPORTS, ROOTS
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeServer

from .test_spec_examples import SPEC_FILE, extract_examples

BASE = "https://api.contaazul.com.br"
TODAY = datetime(2024, 3, 15, 12, 0, tzinfo=SAO_PAULO)
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(TODAY.timestamp())


@pytest.fixture
def fake(clock: FakeClock) -> FakeContaAzul:
    return FakeContaAzul(clock=clock)


def _client(fake: FakeContaAzul, **headers: str) -> httpx.Client:
    auth = {"ExternalApplicationToken": fake.application_token, "CompanyToken": fake.company_token}
    return httpx.Client(transport=fake.transport, base_url=BASE, headers={**auth, **headers})


@pytest.fixture
def http(fake: FakeContaAzul) -> Iterator[httpx.Client]:
    with _client(fake) as client:
        yield client


def _by(http: httpx.Client, path: str, **match: Any) -> dict[str, Any]:
    records: list[dict[str, Any]] = http.get(path).json()
    return next(r for r in records if all(r.get(k) == v for k, v in match.items()))


def _create(http: httpx.Client, path: str, body: dict[str, Any]) -> int:
    response = http.post(path, json=body)
    assert response.status_code == 204, response.text
    return int(response.headers["Identificator"])


# -- seed, tokens ---------------------------------------------------------------------------


def test_seeded_reference_data(http: httpx.Client) -> None:
    banks = {b["description"]: b["code"] for b in http.get("/pub/bank/").json()}
    assert {"Banco do Brasil", "Itaú", "Bradesco", "Santander"} <= set(banks)
    assert banks["Banco do Brasil"] == 1
    assert http.get("/pub/bank/341").json() == {"code": 341, "description": "Itaú"}
    cities = {c["name"]: c for c in http.get("/pub/city/").json()}
    assert cities["SÃO PAULO"]["ibgeCode"] == "3550308"
    assert cities["ABADIA DE GOIÁS"]["state"] == "GO"
    types = {t["description"]: t["operation"] for t in http.get("/pub/deal/type/").json()}
    assert types == {
        "Venda": "S",
        "Compra": "E",
        "Devolução de venda": "DS",
        "Devolução de compra": "DE",
    }
    task_types = [t["description"] for t in http.get("/pub/tasktype/").json()]
    assert all(re.match(r"^\d+\.\d{2} - ", d) for d in task_types)
    kinds = {c["type"] for c in http.get("/pub/finance/category/").json()}
    assert kinds == {"REVENUE", "EXPENSE"}
    assert http.get("/pub/finance/costcentre/").json()
    accounts = {a["name"]: a for a in http.get("/pub/bank/account/").json()}
    assert set(accounts) == {"BB", "Caixinha"}
    assert accounts["BB"]["bankId"] == 1
    assert accounts["BB"]["initialBalanceDate"] == "2024-01-01"
    for a in accounts.values():
        m.BankAccount.model_validate(a)
    assert http.get("/pub/contact/customer/").json() == []


def test_seed_is_deterministic_and_seed_varies_it() -> None:
    def snapshot(fake: FakeContaAzul) -> list[Any]:
        with _client(fake) as client:
            paths = [r.path for r in ROOTS]
            return [fake.application_token, fake.company_token] + [
                client.get(p + "/").json() for p in paths
            ]

    assert snapshot(FakeContaAzul()) == snapshot(FakeContaAzul())
    other = FakeContaAzul(seed=1)
    assert snapshot(other) != snapshot(FakeContaAzul())
    assert UUID.match(other.application_token)
    assert UUID.match(other.company_token)


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"ExternalApplicationToken": "wrong"},
        {"CompanyToken": "wrong"},
    ],
)
def test_bad_credentials(fake: FakeContaAzul, headers: dict[str, str]) -> None:
    with _client(fake, **headers) as client:
        if not headers:
            client.headers.pop("CompanyToken")
        response = client.get("/pub/contact/customer/")
    assert response.status_code == 403
    assert response.json() == {"message": "Bad Credentials"}


# -- methods --------------------------------------------------------------------------------


def _expected_status(methods: frozenset[str], method: str, on_record: bool) -> bool:
    wanted = {"GET": "GET" if on_record else "LIST"}.get(method, method)
    if not on_record and method in ("PUT", "DELETE"):
        return False
    if on_record and method == "POST":
        return False
    return wanted in methods


@pytest.mark.parametrize("root", ROOTS, ids=lambda r: r.key)
def test_each_root_answers_exactly_the_spec_methods(
    http: httpx.Client, fake: FakeContaAzul, root: Any
) -> None:
    for method in ("GET", "POST", "PUT", "DELETE", "PATCH"):
        collection = http.request(method, root.path + "/", json={} if method != "GET" else None)
        allowed = _expected_status(root.methods, method, on_record=False)
        assert (collection.status_code != 405) == allowed, (method, root.path)
        record = http.request(method, f"{root.path}/1", json={} if method == "PUT" else None)
        allowed = _expected_status(root.methods, method, on_record=True)
        assert (record.status_code != 405) == allowed, (method, root.path, record.status_code)
        if not allowed:
            assert record.json() == {"message": "Method not allowed"}


@pytest.mark.parametrize("path", sorted(REPORTS))
def test_reports_are_get_only(http: httpx.Client, path: str) -> None:
    assert http.get(path + "/").status_code == 200
    assert http.post(path + "/", json={}).status_code == 405
    assert http.get(path).status_code == 200


def test_unknown_paths_are_404(http: httpx.Client) -> None:
    assert http.get("/pub/nothing/").status_code == 404
    assert http.get("/pub/contact/customer/abc").status_code == 404
    assert http.get("/elsewhere").status_code == 404


# -- CRUD -----------------------------------------------------------------------------------


def test_customer_crud(http: httpx.Client) -> None:
    city = _by(http, "/pub/city/", name="CAMPINAS")["id"]
    body = {"name": "Cliente A", "email": "a@example.com", "cityId": city, "number": 333}
    response = http.post("/pub/contact/customer/", json=body)
    assert response.status_code == 204
    assert response.content == b""
    ident = int(response.headers["Identificator"])
    assert response.headers["Location"] == f"{BASE}/pub/contact/customer/{ident}"

    got = http.get(f"/pub/contact/customer/{ident}")
    assert got.status_code == 200
    record = got.json()
    assert (record["id"], record["name"], record["number"], record["cityId"]) == (
        ident,
        "Cliente A",
        "333",
        city,
    )
    assert record["kind"] is None  # every field, nulls too, as the spec's examples show
    assert http.get(f"/pub/contact/customer/{ident}/:id,name").json() == {
        "id": ident,
        "name": "Cliente A",
    }
    assert http.get("/pub/contact/customer/:id,email").json() == [
        {"id": ident, "email": "a@example.com"}
    ]
    assert http.get(f"/pub/contact/customer/{ident}/:id,nickname").status_code == 400

    updated = http.put(f"/pub/contact/customer/{ident}", json={"name": "Cliente B", "id": 1})
    assert (updated.status_code, updated.content) == (201, b"")
    after = http.get(f"/pub/contact/customer/{ident}").json()
    assert (after["id"], after["name"], after["email"]) == (ident, "Cliente B", None)  # replaced

    deleted = http.delete(f"/pub/contact/customer/{ident}")
    assert (deleted.status_code, deleted.content) == (201, b"")
    missing = http.get(f"/pub/contact/customer/{ident}")
    assert (missing.status_code, missing.content) == (404, b"")
    assert http.put(f"/pub/contact/customer/{ident}", json={"name": "x"}).status_code == 404
    assert http.delete(f"/pub/contact/customer/{ident}").status_code == 404


def test_ids_are_unique_across_entities(http: httpx.Client) -> None:
    ids = {
        _create(http, "/pub/contact/customer/", {"name": "C"}),
        _create(http, "/pub/contact/vendor/", {"name": "V"}),
        _create(http, "/pub/product/", {"name": "P"}),
        _create(http, "/pub/task/", {"name": "T"}),
    }
    seeded = {c["id"] for c in http.get("/pub/city/").json()}
    assert len(ids) == 4
    assert not ids & seeded


def test_validation_failed_is_412_with_every_field(http: httpx.Client) -> None:
    response = http.post("/pub/contact/customer/", json={"email": "x@y.z"})
    assert response.status_code == 412
    assert response.json() == {
        "message": "Validation failed",
        "errors": [{"field": "name", "message": "is required"}],
    }
    statement = http.post("/pub/finance/statement/", json={"memo": "x"}).json()
    assert [e["field"] for e in statement["errors"]] == [
        "valor",
        "date",
        "repeat",
        "statementType",
        "done",
        "bankAccountId",
        "categoryId",
    ]
    price_list = http.post("/pub/pricelist/", json={"name": "L", "items": [{"itemId": 1}]})
    fields = [e["field"] for e in price_list.json()["errors"]]
    assert fields[0] == "items[0].price"


def test_nested_required_fields_and_references(http: httpx.Client) -> None:
    customer = _create(http, "/pub/contact/customer/", {"name": "C"})
    sale_type = _by(http, "/pub/deal/type/", operation="S")["id"]
    deal = {
        "contactId": customer,
        "dealTypeId": sale_type,
        "items": [{"quantity": 1, "itemId": 999_999}],
        "payments": [{"value": 10}],
        "taxes": [{"type": "ISS"}],
    }
    errors = http.post("/pub/deal/task/sale/", json=deal).json()["errors"]
    fields = [e["field"] for e in errors]
    assert {"items[0].rate", "payments[0].paymentDate", "taxes[0].value"} <= set(fields)
    assert "items[0].itemId" in fields  # no service with that id


def test_write_errors_are_400(http: httpx.Client) -> None:
    broken = http.post(
        "/pub/contact/customer/", content=b'{"name": ', headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["message"].startswith("Malformed JSON")
    wrong_type = http.post("/pub/contact/customer/", json={"name": "A", "cityId": "abc"})
    assert wrong_type.status_code == 400
    assert wrong_type.json()["errors"][0]["field"] == "cityId"
    assert http.post("/pub/contact/customer/", json=[1]).status_code == 400


def test_business_rules_are_412(http: httpx.Client) -> None:
    bad_bank = http.post("/pub/bank/account/", json={"name": "X", "bankId": 12345})
    assert bad_bank.status_code == 412
    assert bad_bank.json()["errors"][0]["field"] == "bankId"
    bad_kind = http.post("/pub/contact/customer/", json={"name": "X", "kind": "ALIEN"})
    assert bad_kind.json()["errors"][0]["field"] == "kind"
    revenue = _by(http, "/pub/finance/category/", type="REVENUE")["id"]
    account = _by(http, "/pub/bank/account/", name="BB")["id"]
    wrong_category = http.post(
        "/pub/finance/statement/",
        json={
            "memo": "Aluguel",
            "valor": 100,
            "date": "2024-03-01",
            "repeat": False,
            "statementType": "EXPENSE",
            "done": True,
            "bankAccountId": account,
            "categoryId": revenue,
        },
    )
    assert wrong_category.status_code == 412
    assert wrong_category.json()["errors"][0]["field"] == "categoryId"


# -- queries --------------------------------------------------------------------------------


def test_filters(http: httpx.Client) -> None:
    silva = _create(
        http, "/pub/contact/customer/", {"name": "Maria da Silva", "kind": "INDIVIDUAL"}
    )
    _create(http, "/pub/contact/customer/", {"name": "Empresa X", "kind": "ENTITY"})
    assert [c["id"] for c in http.get("/pub/contact/customer/?name=SILVA").json()] == [silva]
    assert [c["id"] for c in http.get("/pub/contact/customer/?kind=individual").json()] == [silva]
    assert http.get("/pub/contact/customer/?nickname=x").status_code == 400
    assert http.get("/pub/city/?ibgeCode=3550308").json()[0]["name"] == "SÃO PAULO"
    assert http.get("/pub/bank/account/?bankId=abc").status_code == 400
    assert [a["name"] for a in http.get("/pub/bank/account/?bankId=999").json()] == ["Caixinha"]


def test_statements_and_memo_filter(http: httpx.Client) -> None:
    expense = _by(http, "/pub/finance/category/", description="Aluguel")["id"]
    account = _by(http, "/pub/bank/account/", name="BB")["id"]
    body = {
        "memo": "CARTAO VISA ELECTRON POSTO XYZ",
        "valor": 80.02,
        "date": "2012-12-03",
        "repeat": False,
        "repeatingCycle": "NEVER",
        "statementType": "EXPENSE",
        "done": True,
        "bankAccountId": account,
        "categoryId": expense,
    }
    ident = _create(http, "/pub/finance/statement/", body)
    found = http.get("/pub/finance/statement/", params={"memo": "visa electron"}).json()
    assert [s["id"] for s in found] == [ident]
    assert found[0]["date"] == 1354500000000  # epoch milliseconds, as the spec's example
    assert found[0]["valor"] == 80.02
    assert m.Statement.model_validate(found[0]).date == date(2012, 12, 3)
    assert http.get("/pub/finance/statement/?memo=nothing").json() == []


def test_if_modified_since(http: httpx.Client, clock: FakeClock) -> None:
    old = _create(http, "/pub/contact/customer/", {"name": "Antigo"})
    clock.advance(60)
    cut = datetime.fromtimestamp(clock.time(), SAO_PAULO).strftime("%Y-%m-%d %H:%M:%S")
    clock.advance(1)
    new = _create(http, "/pub/contact/customer/", {"name": "Novo"})
    header = {"If-Modified-Since": cut}
    assert [c["id"] for c in http.get("/pub/contact/customer/", headers=header).json()] == [new]
    clock.advance(1)
    assert http.put(f"/pub/contact/customer/{old}", json={"name": "Antigo 2"}).status_code == 201
    ids = [c["id"] for c in http.get("/pub/contact/customer/", headers=header).json()]
    assert ids == [old, new]
    # Seeded reference data predates the cut too.
    assert http.get("/pub/bank/", headers=header).json() == []
    assert http.get("/pub/bank/", headers={"If-Modified-Since": "yesterday"}).status_code == 400


# -- deals ----------------------------------------------------------------------------------


def test_deal_total_reproduces_the_spec_examples(seeds_dir: Path) -> None:
    path = seeds_dir / SPEC_FILE
    if not path.is_file():
        pytest.skip(f"the Conta Azul spec is not at {path}")
    deal_sections = ("venda de produto", "compra de produto", "venda de serviço")
    examples = extract_examples(path.read_text("utf-8"))
    deals = [m.Deal.model_validate(d) for h, d in examples if h in deal_sections]
    assert len(deals) == 3
    for deal in deals:
        assert deal_total(deal) == deal.total
        withheld = sum((t.value or Decimal(0) for t in deal.taxes or []), Decimal(0))
        paid = sum((p.value or Decimal(0) for p in deal.payments or []), Decimal(0))
        assert paid == deal_total(deal) - withheld


def _setup_sales(http: httpx.Client) -> dict[str, int]:
    ids = {
        "customer": _create(http, "/pub/contact/customer/", {"name": "Cliente Teste"}),
        "other": _create(http, "/pub/contact/customer/", {"name": "Outro Cliente"}),
        "supplier": _create(http, "/pub/contact/vendor/", {"name": "Fornecedor"}),
        "shipper": _create(http, "/pub/contact/shipper/", {"name": "Transportadora Best SA"}),
        "widget": _create(
            http,
            "/pub/product/",
            {"name": "Widget", "rate": 60, "costRate": 25, "currentStock": 10},
        ),
        "gadget": _create(http, "/pub/product/", {"name": "Gadget", "rate": 20, "costRate": 10}),
        "service": _create(
            http, "/pub/task/", {"name": "Consultoria", "rate": 150, "costRate": 50}
        ),
        "sale": _by(http, "/pub/deal/type/", operation="S")["id"],
        "purchase": _by(http, "/pub/deal/type/", operation="E")["id"],
        "bb": _by(http, "/pub/bank/account/", name="BB")["id"],
        "caixinha": _by(http, "/pub/bank/account/", name="Caixinha")["id"],
    }
    # Product sale in February: 60 + 2 x 20 + 60 freight on the invoice = 160, in two parts.
    _create(
        http,
        "/pub/deal/product/sale/",
        {
            "contactId": ids["customer"],
            "dealTypeId": ids["sale"],
            "dealDate": "2024-02-10",
            "bankAccountId": ids["bb"],
            "shippingContactId": ids["shipper"],
            "shippingCost": 60,
            "shippingCostPayment": "1",
            "items": [
                {"itemId": ids["widget"], "quantity": 1, "rate": 60},
                {"itemId": ids["gadget"], "quantity": 2, "rate": 20, "vlCustoUnitario": 8},
            ],
            "payments": [
                {"paymentDate": "2024-03-10", "value": 80},
                {"paymentDate": "2024-04-10", "value": 80},
            ],
            "taxes": [{}],
        },
    )
    # Service sale in March: 3 x 150 = 450, 5% ISS withheld, 427.50 paid on the day.
    _create(
        http,
        "/pub/deal/task/sale/",
        {
            "contactId": ids["other"],
            "dealTypeId": ids["sale"],
            "dealDate": "2024-03-01",
            "bankAccountId": ids["caixinha"],
            "items": [{"itemId": ids["service"], "quantity": 3, "rate": 150}],
            "payments": [{"paymentDate": "2024-03-01", "value": 427.5}],
            "taxes": [{"description": "ISS", "percentage": 5, "value": 22.5, "type": "ISS"}],
        },
    )
    # Purchase in March: 5 widgets at 25 = 125, freight paid by us ("2") not in the total.
    _create(
        http,
        "/pub/deal/product/purchase/",
        {
            "contactId": ids["supplier"],
            "dealTypeId": ids["purchase"],
            "dealDate": "2024-03-05",
            "shippingCost": 50,
            "shippingCostPayment": "2",
            "items": [{"itemId": ids["widget"], "quantity": 5, "rate": 25}],
            "payments": [{"paymentDate": "2024-03-05", "value": 125}],
        },
    )
    return ids


def test_deals_compute_total_number_stock_and_statements(http: httpx.Client) -> None:
    ids = _setup_sales(http)
    [sale] = http.get("/pub/deal/product/sale/").json()
    assert (sale["total"], sale["dealNumber"], sale["dealDate"]) == (160, 1, "2024-02-10")
    assert sale["taxes"] is None  # product deals have no taxes
    assert all(isinstance(i["id"], int) for i in sale["items"] + sale["payments"])
    [service] = http.get("/pub/deal/task/sale/").json()
    assert (service["total"], service["dealNumber"]) == (450, 2)
    assert service["taxes"][0]["value"] == 22.5
    [purchase] = http.get("/pub/deal/product/purchase/").json()
    assert (purchase["total"], purchase["dealNumber"]) == (125, 1)
    for deal in (sale, service, purchase):
        m.Deal.model_validate(deal)

    widget = http.get(f"/pub/product/{ids['widget']}").json()
    assert widget["currentStock"] == 10 - 1 + 5
    assert (widget["lastPurchaseDate"], widget["lastPurchaseAmount"]) == ("2024-03-05", 25)

    statements = http.get("/pub/finance/statement/").json()
    summary = sorted(
        (s["statementType"], s["valor"], s["done"], s["bankAccountId"]) for s in statements
    )
    assert summary == [
        ("EXPENSE", 125, True, ids["bb"]),  # no account on the deal: the first one
        ("REVENUE", 80, False, ids["bb"]),  # due after today (2024-03-15)
        ("REVENUE", 80, True, ids["bb"]),
        ("REVENUE", 427.5, True, ids["caixinha"]),
    ]
    in_use = http.delete(f"/pub/contact/customer/{ids['customer']}")
    assert in_use.status_code == 412
    assert in_use.json()["errors"][0]["field"] == "id"


def test_payments_must_add_up(http: httpx.Client) -> None:
    customer = _create(http, "/pub/contact/customer/", {"name": "C"})
    sale_type = _by(http, "/pub/deal/type/", operation="S")["id"]
    purchase_type = _by(http, "/pub/deal/type/", operation="E")["id"]
    deal = {
        "contactId": customer,
        "dealTypeId": sale_type,
        "items": [{"quantity": 2, "rate": 10}],
        "payments": [{"paymentDate": "2024-03-01", "value": 19.99}],
    }
    response = http.post("/pub/deal/product/sale/", json=deal)
    assert response.status_code == 412
    assert response.json()["errors"][0]["field"] == "payments"
    wrong_type = http.post("/pub/deal/product/sale/", json={**deal, "dealTypeId": purchase_type})
    assert wrong_type.json()["errors"][0]["field"] == "dealTypeId"


# -- reports --------------------------------------------------------------------------------


def _march(day: int = 1) -> int:
    return int(datetime(2024, 3, day, tzinfo=SAO_PAULO).timestamp() * 1000)


def _april() -> int:
    return int(datetime(2024, 4, 1, tzinfo=SAO_PAULO).timestamp() * 1000)


def _feb() -> int:
    return int(datetime(2024, 2, 1, tzinfo=SAO_PAULO).timestamp() * 1000)


def test_reports_from_state(http: httpx.Client) -> None:
    ids = _setup_sales(http)
    monthly = http.get("/pub/deal/sale/report/monthly/").json()
    assert [(r["month"], r["value"], r["customer"]["name"]) for r in monthly] == [
        (_feb(), 160, "Cliente Teste"),
        (_march(), 450, "Outro Cliente"),
    ]
    by_product = http.get("/pub/deal/sale/report/monthly", params={"groupBy": "PRODUCT"}).json()
    assert [(r["product"]["name"], r["value"]) for r in by_product] == [
        ("Widget", 60),
        ("Gadget", 40),
    ]
    march = http.get(
        "/pub/deal/sale/report/monthly", params={"startDate": "2024-03-01", "endDate": "2024-03-31"}
    ).json()
    assert [r["value"] for r in march] == [450]
    assert http.get("/pub/deal/sale/report/monthly?groupBy=WEEK").status_code == 400
    assert http.get("/pub/deal/sale/report/monthly?startDate=soon").status_code == 400

    ranking = http.get("/pub/ranking/product", params={"dealType": "SALE"}).json()
    assert ranking == [
        {"product": {"id": ids["gadget"], "name": "Gadget"}, "quantity": 2},
        {"product": {"id": ids["widget"], "name": "Widget"}, "quantity": 1},
    ]
    assert http.get("/pub/ranking/product?dealType=ORDER").json() == []

    categories = {c["description"]: c["id"] for c in http.get("/pub/finance/category/").json()}
    revenues = http.get("/pub/finance/report/revenues").json()
    assert revenues == [
        {
            "categories": [
                {"categoryId": categories["Vendas de produtos"], "sum": 80},
                {"categoryId": categories["Prestação de serviços"], "sum": 427.5},
            ],
            "date": _march(),
        },
        {
            "categories": [{"categoryId": categories["Vendas de produtos"], "sum": 80}],
            "date": _april(),
        },
    ]
    expenses = http.get("/pub/finance/report/expenses").json()
    assert expenses[0]["categories"] == [
        {"categoryId": categories["Compras de mercadorias"], "sum": 125}
    ]

    flow = m.FlowGrid.model_validate(http.get("/pub/finance/flow/").json())
    first = (flow.periods or [])[0]
    assert first.sum == Decimal("382.50")  # 80 + 427.50 - 125
    assert len(first.category_group or []) == 3

    balances = TypeAdapter(list[m.BankAccountBalance]).validate_python(
        http.get("/pub/bank/account/balance/").json()
    )
    bb = next(b for b in balances if b.bank_account_id == ids["bb"])
    entries = bb.balance or []
    assert [e.date for e in entries][-2:] == [date(2024, 2, 29), date(2024, 3, 15)]
    assert entries[-1].value == Decimal("10000") + 80 - 125
    assert len(entries) == 6

    billing = http.get("/pub/finance/report/billing/").json()
    assert billing == [
        {"period": _feb(), "billing": 160, "netProfit": 0, "grossProfit": 160 - 25 - 16},
        {
            "period": _march(),
            "billing": 450,
            "netProfit": 80 + 427.5 - 125,
            "grossProfit": 450 - 150 - 22.5,
        },
        {"period": _april(), "billing": 0, "netProfit": 80, "grossProfit": 0},  # 2nd installment
    ]

    ratios = m.Ratios.model_validate(http.get("/pub/ratios/").json())
    assert ratios.sales_average_ticket == Decimal("305")  # (160 + 450) / 2
    assert ratios.contribution_margin == Decimal("0.65")  # (610 - 41 - 150 - 22.5) / 610
    assert ratios.company_debt_burden == Decimal(0)
    assert ratios.company_liquidity is None  # nothing to pay
    assert ratios.breakeven == Decimal(0)  # no running expenses


def test_empty_reports_parse(http: httpx.Client) -> None:
    assert http.get("/pub/deal/sale/report/monthly/").json() == []
    assert http.get("/pub/finance/flow/").json() == {"periods": []}
    ratios = http.get("/pub/ratios/").json()
    assert ratios["salesAverageTicket"] is None
    m.Ratios.model_validate(ratios)
    for b in http.get("/pub/bank/account/balance/?startDate=2024-01-01").json():
        assert [e["value"] for e in b["balance"]] in ([10000, 10000, 10000], [500, 500, 500])


# -- public token flow ----------------------------------------------------------------------


def test_request_key_and_authorize(fake: FakeContaAzul) -> None:
    with httpx.Client(transport=fake.transport, base_url=BASE) as anonymous:
        first = anonymous.get(f"/pub/oauth/requestkey/{fake.application_token}")
        second = anonymous.get(f"/pub/oauth/requestkey/{fake.application_token}")
        assert anonymous.get("/pub/oauth/requestkey/not-my-key").json() == {
            "message": "Bad Credentials"
        }
        assert anonymous.post(f"/pub/oauth/requestkey/{fake.application_token}").status_code == 405
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/json")
    public = first.json()["publicToken"]
    assert UUID.match(public)
    assert public != second.json()["publicToken"]

    company = fake.authorize(public)
    assert company != fake.company_token
    with pytest.raises(ValueError, match="already used"):
        fake.authorize(public)
    with _client(fake, CompanyToken=company) as connected:
        assert connected.get("/pub/bank/").status_code == 200


# -- helpers and serving --------------------------------------------------------------------


def test_missing_required_names_nested_paths() -> None:
    deal = m.Deal(items=[m.DealItem(quantity=Decimal(1))], payments=[])
    assert missing_required(deal) == ["contactId", "dealTypeId", "items[0].rate", "payments"]
    product = m.Product(name="P", category=m.ProductCategory())
    assert missing_required(product) == ["category.name"]


def test_records_and_client_factories(fake: FakeContaAzul) -> None:
    assert {a.name for a in fake.records("bank_account")} == {"BB", "Caixinha"}  # type: ignore[attr-defined]
    assert len(fake.records("/pub/city/")) == len(fake.records("city"))
    with fake.client() as client:
        assert client.company_token == fake.company_token
    assert "AsyncContaAzul" in type(fake.async_client()).__name__


def test_serves_real_http_with_loopback_locations() -> None:
    fake = FakeContaAzul()
    text = describe(fake)
    assert fake.application_token in text
    assert fake.company_token in text
    with FakeServer(fake) as server, _client(fake) as template:
        headers = dict(template.headers)
        response = httpx.post(
            f"{server.url}/pub/contact/customer/", json={"name": "HTTP"}, headers=headers
        )
        assert response.status_code == 204
        location = response.headers["Location"]
        assert location == f"{server.url}/pub/contact/customer/{response.headers['Identificator']}"
        assert json.loads(httpx.get(location, headers=headers).content)["name"] == "HTTP"
