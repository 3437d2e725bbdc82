"""Every resource and verb against respx: method, URL, query, headers, body, statuses."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

import contaazul
from contaazul import Created, Customer
from contaazul._resources import Reports

from .conftest import APP, BASE, COMPANY, Runner

# resource attribute -> (root path, verbs the spec lists, a minimal valid record for writes)
RESOURCES: dict[str, tuple[str, set[str], dict[str, Any]]] = {
    "customers": (
        "/pub/contact/customer",
        {"list", "get", "create", "update", "delete"},
        {"name": "A"},
    ),
    "vendors": (
        "/pub/contact/vendor",
        {"list", "get", "create", "update", "delete"},
        {"name": "V"},
    ),
    "shippers": (
        "/pub/contact/shipper",
        {"list", "get", "create", "update", "delete"},
        {"name": "S"},
    ),
    "cities": ("/pub/city", {"list", "get"}, {}),
    "banks": ("/pub/bank", {"list", "get"}, {}),
    "bank_accounts": (
        "/pub/bank/account",
        {"list", "get", "create", "update", "delete"},
        {"name": "BB", "bankId": 1},
    ),
    "task_types": ("/pub/tasktype", {"list", "get"}, {}),
    "services": ("/pub/task", {"list", "get", "create", "update", "delete"}, {"name": "Svc"}),
    "product_categories": (
        "/pub/product/category",
        {"list", "get", "create", "update", "delete"},
        {"name": "Cat"},
    ),
    "products": ("/pub/product", {"list", "get", "create", "update", "delete"}, {"name": "P"}),
    "cost_centres": ("/pub/finance/costcentre", {"list", "get"}, {}),
    "price_lists": (
        "/pub/pricelist",
        {"list", "get", "create", "update", "delete"},
        {"name": "L", "items": [{"price": 10, "itemId": 1}]},
    ),
    "finance_categories": ("/pub/finance/category", {"list", "get"}, {}),
    "statements": (
        "/pub/finance/statement",
        {"list", "create"},
        {
            "memo": "m",
            "valor": 1,
            "date": "2024-01-02",
            "repeat": False,
            "statementType": "EXPENSE",
            "done": True,
            "bankAccountId": 1,
            "categoryId": 2,
        },
    ),
    "deal_types": ("/pub/deal/type", {"list", "get"}, {}),
}
DEAL = {
    "contactId": 7,
    "dealTypeId": 3,
    "items": [{"quantity": 1, "rate": "60.00", "itemId": 1}],
    "payments": [{"paymentDate": "2024-02-01", "value": 60}],
}
for name, path in (
    ("product_sales", "/pub/deal/product/sale"),
    ("product_purchases", "/pub/deal/product/purchase"),
    ("service_sales", "/pub/deal/task/sale"),
):
    RESOURCES[name] = (path, {"list", "get", "create"}, DEAL)

ALL_VERBS = {"list", "get", "create", "update", "delete"}


def _assert_auth(request: httpx.Request) -> None:
    assert request.headers["ExternalApplicationToken"] == APP
    assert request.headers["CompanyToken"] == COMPANY
    assert request.headers["User-Agent"].startswith("ponte-sdk/")


@pytest.mark.parametrize("name", sorted(RESOURCES))
def test_exactly_the_verbs_the_spec_lists(name: str) -> None:
    client = contaazul.ContaAzul(application_token=APP, company_token=COMPANY)
    resource = getattr(client, name)
    verbs = {v for v in ALL_VERBS if callable(getattr(resource, v, None))}
    assert verbs == RESOURCES[name][1]


@pytest.mark.parametrize("name", sorted(RESOURCES))
@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_list(name: str, make_client: Callable[..., Runner], respx_mock: respx.MockRouter) -> None:
    path = RESOURCES[name][0]
    route = respx_mock.get(path + "/").mock(
        return_value=httpx.Response(200, json=[{"id": 1}, {"id": 2}])
    )
    run = make_client()
    pager = getattr(run.client, name).list()
    assert route.call_count == 0  # lazy: nothing is fetched before iteration
    items = run.items(pager)
    assert len(items) == 2
    assert route.call_count == 1
    _assert_auth(route.calls.last.request)


@pytest.mark.parametrize("name", sorted(n for n, v in RESOURCES.items() if "get" in v[1]))
@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_get(name: str, make_client: Callable[..., Runner], respx_mock: respx.MockRouter) -> None:
    path = RESOURCES[name][0]
    # A bank's id is its code: an answer without any of a record's fields is refused.
    answer = {"code": 123} if name == "banks" else {"id": 123}
    route = respx_mock.get(f"{path}/123").mock(return_value=httpx.Response(200, json=answer))
    run = make_client()
    record = run(getattr(run.client, name).get(123))
    assert record.model_dump(by_alias=True, exclude_none=True).get("id", 123) == 123
    _assert_auth(route.calls.last.request)


@pytest.mark.parametrize("name", sorted(n for n, v in RESOURCES.items() if "create" in v[1]))
@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_create_returns_identificator_and_location(
    name: str, make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    path, _, body = RESOURCES[name]
    location = f"{BASE}{path}/555"
    route = respx_mock.post(path + "/").mock(
        return_value=httpx.Response(204, headers={"Identificator": "555", "Location": location})
    )
    run = make_client()
    created = run(getattr(run.client, name).create(dict(body)))
    assert created == Created(id=555, location=location)
    request = route.calls.last.request
    _assert_auth(request)
    assert request.headers["Content-Type"] == "application/json"
    sent = json.loads(request.content)
    assert "id" not in sent
    for key in body:
        assert key in sent


@pytest.mark.parametrize("name", sorted(n for n, v in RESOURCES.items() if "update" in v[1]))
@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_update_puts_to_the_record(
    name: str, make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    path, _, body = RESOURCES[name]
    route = respx_mock.put(f"{path}/9").mock(return_value=httpx.Response(201))
    run = make_client()
    assert run(getattr(run.client, name).update({**body, "id": 9})) is None
    sent = json.loads(route.calls.last.request.content)
    assert "id" not in sent  # READ ONLY: the id travels in the URL
    _assert_auth(route.calls.last.request)


@pytest.mark.parametrize("name", sorted(n for n, v in RESOURCES.items() if "delete" in v[1]))
@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_delete(
    name: str, make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    path = RESOURCES[name][0]
    route = respx_mock.delete(f"{path}/9").mock(return_value=httpx.Response(201))
    run = make_client()
    assert run(getattr(run.client, name).delete(9)) is None
    assert route.calls.last.request.content == b""


@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_list_filters_projection_and_if_modified_since(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get("/pub/contact/customer/:id,name,documentNumber").mock(
        return_value=httpx.Response(200, json=[{"id": 1, "name": "Silva"}])
    )
    run = make_client()
    moment = datetime(2013, 5, 1, 13, 0, 5, tzinfo=UTC)  # 10:00:05 in São Paulo
    pager = run.client.customers.list(
        name="Silva", modified_since=moment, fields=["id", "name", "document_number"]
    )
    [customer] = run.items(pager)
    assert customer.name == "Silva"
    request = route.calls.last.request
    assert request.url.params["name"] == "Silva"
    assert request.headers["If-Modified-Since"] == "2013-05-01 10:00:05"


@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_get_with_projection(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.get("/pub/contact/customer/123/:id,name").mock(
        return_value=httpx.Response(200, json={"id": 123, "name": "A"})
    )
    run = make_client()
    customer = run(run.client.customers.get(123, fields=["id", "name"]))
    assert (customer.id, customer.name) == (123, "A")
    assert route.called


@pytest.mark.respx(base_url=BASE)
def test_unknown_projection_field_fails_before_sending(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    run = make_client()
    with pytest.raises(contaazul.RequestValidationError, match="nickname"):
        run(run.client.customers.get(1, fields=["nickname"]))
    assert not respx_mock.calls


@pytest.mark.respx(base_url=BASE)
def test_create_checks_required_fields_before_sending(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    run = make_client()
    with pytest.raises(contaazul.RequestValidationError) as info:
        run(run.client.customers.create(Customer(email="a@b.c")))
    assert info.value.field == "name"
    with pytest.raises(contaazul.RequestValidationError) as nested:
        run(run.client.service_sales.create({**DEAL, "items": [{"quantity": 1, "itemId": 1}]}))
    assert nested.value.field == "items[0].rate"
    assert not respx_mock.calls


@pytest.mark.respx(base_url=BASE)
def test_update_needs_an_id(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    run = make_client()
    with pytest.raises(contaazul.RequestValidationError, match="id"):
        run(run.client.customers.update(Customer(name="no id")))
    assert not respx_mock.calls


@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_deal_money_goes_as_exact_json_numbers(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    route = respx_mock.post("/pub/deal/task/sale/").mock(
        return_value=httpx.Response(204, headers={"Identificator": "1"})
    )
    run = make_client()
    payments = contaazul.installments(Decimal("140.00"), "3x", date(2013, 5, 6))
    deal = contaazul.Deal(
        contact_id=1,
        deal_type_id=2,
        items=[contaazul.DealItem(item_id=1, quantity=Decimal(1), rate=Decimal("140.00"))],
        payments=payments,
        taxes=contaazul.taxes({"ISS": 2}, Decimal("140.00")),
    )
    run(run.client.service_sales.create(deal))
    sent = json.loads(route.calls.last.request.content)
    assert [p["value"] for p in sent["payments"]] == [46.67, 46.67, 46.66]
    assert [p["paymentDate"] for p in sent["payments"]] == [
        "2013-06-06",
        "2013-07-06",
        "2013-08-06",
    ]
    assert sent["taxes"][0] == {"description": "ISS", "percentage": 2, "value": 2.8, "type": "ISS"}


REPORTS: list[tuple[str, str, dict[str, Any], dict[str, str], Any]] = [
    (
        "monthly_sales",
        "/pub/deal/sale/report/monthly/",
        {"start_date": date(2024, 1, 1), "end_date": date(2024, 3, 31), "group_by": "PRODUCT"},
        {"startDate": "2024-01-01", "endDate": "2024-03-31", "groupBy": "PRODUCT"},
        [{"month": 1358647200000, "value": 331.35}],
    ),
    (
        "product_ranking",
        "/pub/ranking/product/",
        {"deal_type": "ORDER"},
        {"dealType": "ORDER"},
        [{"product": {"id": 1, "name": "P"}, "quantity": 50}],
    ),
    (
        "revenues_by_category",
        "/pub/finance/report/revenues/",
        {"start_date": date(2024, 1, 1)},
        {"startDate": "2024-01-01"},
        [{"categories": [{"categoryId": 1, "sum": 10}], "date": 1370110307892}],
    ),
    (
        "expenses_by_category",
        "/pub/finance/report/expenses/",
        {"end_date": date(2024, 2, 1)},
        {"endDate": "2024-02-01"},
        [{"categories": [{"categoryId": 1, "sum": 15}], "date": 1372702307893}],
    ),
    ("cash_flow", "/pub/finance/flow/", {}, {}, {"periods": []}),
    (
        "bank_balances",
        "/pub/bank/account/balance/",
        {},
        {},
        [{"bankAccountId": 1543, "balance": [{"date": 1354327200000, "value": 60000}]}],
    ),
    (
        "billing",
        "/pub/finance/report/billing/",
        {},
        {},
        [{"period": 1357005600000, "billing": 600}],
    ),
    ("ratios", "/pub/ratios/", {}, {}, {"breakeven": 75698.75, "salesProfit": 1.15}),
]


def test_every_report_is_covered() -> None:
    public = {n for n in vars(Reports) if not n.startswith("_")}
    assert public == {r[0] for r in REPORTS}


@pytest.mark.parametrize(("method", "path", "kwargs", "query", "body"), REPORTS)
@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_reports(
    method: str,
    path: str,
    kwargs: dict[str, Any],
    query: dict[str, str],
    body: Any,
    make_client: Callable[..., Runner],
    respx_mock: respx.MockRouter,
) -> None:
    route = respx_mock.get(path).mock(return_value=httpx.Response(200, json=body))
    run = make_client()
    result = run(getattr(run.client.reports, method)(**kwargs))
    assert result is not None
    assert dict(route.calls.last.request.url.params) == query
    _assert_auth(route.calls.last.request)


@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_escape_hatches(make_client: Callable[..., Runner], respx_mock: respx.MockRouter) -> None:
    route = respx_mock.get("/pub/bank/1").mock(return_value=httpx.Response(200, json={"code": 1}))
    run = make_client()
    run(
        run.client.banks.get(
            1, extra_headers={"X-Trace": "t1"}, extra_query={"debug": "1"}, timeout=3.0
        )
    )
    request = route.calls.last.request
    assert request.headers["X-Trace"] == "t1"
    assert request.url.params["debug"] == "1"
    assert request.extensions["timeout"]["read"] == 3.0


@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_with_raw_response_and_with_options(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    respx_mock.get("/pub/bank/1").mock(
        return_value=httpx.Response(200, json={"code": 1}, headers={"X-Request-Id": "r-1"})
    )
    run = make_client()
    raw = run(run.client.with_raw_response.banks.get(1))
    assert raw.status_code == 200
    assert raw.request_id == "r-1"
    assert raw.parsed.code == 1
    quick = run.client.with_options(timeout=1.0, max_retries=0)
    assert quick._http is run.client._http
    assert quick.retry_policy.max_retries == 0
    assert run.client.retry_policy.max_retries == 2


@pytest.mark.respx(base_url=BASE, assert_all_called=True)
def test_a_customer_that_does_not_fit_is_set_apart(
    make_client: Callable[..., Runner], respx_mock: respx.MockRouter
) -> None:
    body = [{"id": 1, "name": "A"}, {"id": 2, "name": {"not": "text"}}, {"id": 3, "name": "C"}]
    respx_mock.get("/pub/contact/customer/").mock(return_value=httpx.Response(200, json=body))
    run = make_client()
    (page,) = run.pages(run.client.customers.list())
    assert [c.id for c in page.items] == [1, 3]
    assert page.total == 3
    (misfit,) = page.invalid
    assert (misfit.index, misfit.record_id) == (1, "2")
    assert "name" in misfit.message
    with pytest.raises(contaazul.RecordParseError, match=r"record 1 \(id 2\)"):
        run.items(run.client.customers.list())
