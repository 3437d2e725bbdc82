"""Requests on the wire (respx), login renewal with a frozen clock, and the error table."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx

import auvo
from auvo import TaskStatusFilter
from sdkcore.clock import FakeClock

from .conftest import BASE, KEY, TOKEN, Runner, jwt, login_body

CUSTOMER = {"id": 42, "externalId": "906", "description": "Terêscio", "note": "n"}


def envelope(items: list[Any], page: int = 1, total: int | None = None, more: bool = False) -> Any:
    links = [{"href": "self", "rel": "self", "method": "GET"}]
    if more:
        links.append({"href": "next", "rel": "nextPage", "method": "GET"})
    paging = {
        "order": 0,
        "pageSize": 100,
        "page": page,
        "totalItems": len(items) if total is None else total,
    }
    return {"result": {"entityList": items, "pagedSearchReturnData": paging, "links": links}}


@pytest.fixture
def api(clock: FakeClock) -> Any:
    with respx.mock(base_url=BASE, assert_all_called=False) as router:
        router.get("/login/").mock(
            return_value=httpx.Response(200, json=login_body(jwt(clock.time() + 1800)))
        )
        yield router


def test_login_is_lazy_once_and_sends_bearer(api: Any, make_client: Callable[..., Runner]) -> None:
    run = make_client()
    route = api.get("/customers/42").mock(
        return_value=httpx.Response(200, json={"result": CUSTOMER})
    )
    for _ in range(3):
        customer = run(run.client.customers.get(42))
    assert customer.name == "Terêscio"
    assert customer.external_id == "906"
    login = api.calls[0].request
    assert login.url.params["apiKey"] == KEY
    assert login.url.params["apiToken"] == TOKEN
    assert api.routes[0].call_count == 1
    assert route.call_count == 3
    assert route.calls[0].request.headers["Authorization"].startswith("Bearer ")


def test_relogin_before_exp_and_on_401(
    api: Any, make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    route = api.get("/customers/42")
    route.side_effect = [
        httpx.Response(200, json={"result": CUSTOMER}),
        httpx.Response(200, json={"result": CUSTOMER}),
        httpx.Response(401),
        httpx.Response(200, json={"result": CUSTOMER}),
    ]
    run(run.client.customers.get(42))
    login = api.routes[0]
    assert login.call_count == 1
    clock.advance(1800 - 60)  # inside the refresh margin before exp
    login.mock(return_value=httpx.Response(200, json=login_body(jwt(clock.time() + 1800))))
    run(run.client.customers.get(42))
    assert login.call_count == 2
    run(run.client.customers.get(42))  # 401 -> one more login, then the retry succeeds
    assert login.call_count == 3
    assert route.call_count == 4


def test_token_without_exp_lasts_thirty_minutes(
    api: Any, make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    api.routes[0].mock(return_value=httpx.Response(200, json=login_body("opaque-token-value")))
    api.get("/customers/42").mock(return_value=httpx.Response(200, json={"result": CUSTOMER}))
    run = make_client()
    run(run.client.customers.get(42))
    clock.advance(25 * 60)
    run(run.client.customers.get(42))
    assert api.routes[0].call_count == 1
    clock.advance(5 * 60)
    run(run.client.customers.get(42))
    assert api.routes[0].call_count == 2


@pytest.mark.parametrize(
    ("status", "body", "code", "words"),
    [
        (
            500,
            {"message": "Object reference not set to an instance of an object."},
            "api_disabled",
            "disabled",
        ),
        (
            200,
            {"result": {"authenticated": False, "message": "Invalid"}},
            "invalid_credentials",
            "AUVO_API_KEY",
        ),
        (404, None, "invalid_credentials", "rejected"),
        (400, {"apiKey": ["The value '\"\"' is not valid."]}, "invalid_credentials", "missing"),
    ],
)
def test_failed_login_says_why(
    api: Any, make_client: Callable[..., Runner], status: int, body: Any, code: str, words: str
) -> None:
    api.routes[0].mock(return_value=httpx.Response(status, json=body))
    api.get("/customers/1").mock(return_value=httpx.Response(200, json={"result": CUSTOMER}))
    run = make_client()
    with pytest.raises(auvo.AuthenticationError) as caught:
        run(run.client.customers.get(1))
    assert caught.value.code == code
    assert words in str(caught.value)
    assert TOKEN not in str(caught.value)
    assert KEY not in str(caught.value)
    with pytest.raises(auvo.AuthenticationError):
        run(run.client.login())


def test_explicit_login_returns_tokens(api: Any, make_client: Callable[..., Runner]) -> None:
    run = make_client()
    tokens = run(run.client.login())
    assert tokens.expires_at is not None
    assert tokens.access_token not in repr(tokens)
    api.get("/customers/42").mock(return_value=httpx.Response(200, json={"result": CUSTOMER}))
    run(run.client.customers.get(42))
    assert api.routes[0].call_count == 1


def test_list_query_and_paging(api: Any, make_client: Callable[..., Runner]) -> None:
    route = api.get("/customers/")
    route.side_effect = [
        httpx.Response(200, json=envelope([CUSTOMER] * 100, 1, 150, more=True)),
        httpx.Response(200, json=envelope([CUSTOMER] * 50, 2, 150, more=False)),
    ]
    run = make_client()
    pager = run.client.customers.list(
        modified_since=datetime(2024, 1, 2, 3, 4, 5),
        group_id=7,
        external_ids=["a", "b"],
        select_fields=["id", "name"],
    )
    assert len(run.items(pager)) == 150
    params = route.calls[0].request.url.params
    assert json.loads(params["paramFilter"]) == {
        "dateLastUpdate": "2024-01-02T03:04:05",
        "groupId": 7,
        "externalId": "a,b",
    }
    assert params["pageSize"] == "100"
    assert params["page"] == "1"
    assert params["order"] == "asc"
    assert params["selectfields"] == "id,description"
    assert route.calls[1].request.url.params["page"] == "2"


def test_task_types_total_zero_still_pages(api: Any, make_client: Callable[..., Runner]) -> None:
    route = api.get("/taskTypes/")
    route.side_effect = [
        httpx.Response(200, json=envelope([{"id": 1}] * 100, 1, 0, more=True)),
        httpx.Response(200, json=envelope([{"id": 2}] * 3, 2, 0, more=True)),
    ]
    run = make_client()
    assert len(run.items(run.client.task_types.list())) == 103


def test_tasks_list_splits_the_window(api: Any, make_client: Callable[..., Runner]) -> None:
    route = api.get("/tasks/").mock(return_value=httpx.Response(200, json=envelope([])))
    run = make_client()
    pager = run.client.tasks.list(
        start=date(2024, 1, 1),
        end=date(2024, 1, 20),
        status=TaskStatusFilter.FINISHED_MANUALLY,
        task_type_id=3,
        customer_group_id=4,
        modified_since=datetime(2024, 1, 1),
    )
    assert run.items(pager) == []
    filters = [json.loads(c.request.url.params["paramFilter"]) for c in route.calls]
    assert [(f["startDate"], f["endDate"]) for f in filters] == [
        ("2024-01-01T00:00:00", "2024-01-07T23:59:59"),
        ("2024-01-08T00:00:00", "2024-01-14T23:59:59"),
        ("2024-01-15T00:00:00", "2024-01-20T23:59:59"),
    ]
    assert filters[0]["status"] == 2
    assert filters[0]["type"] == 3
    assert filters[0]["customerGroupId"] == 4
    assert filters[0]["dateLastUpdate"] == "2024-01-01T00:00:00"


def test_writes(api: Any, make_client: Callable[..., Runner]) -> None:
    run = make_client()
    post = api.post("/customers/").mock(return_value=httpx.Response(201, json={"result": CUSTOMER}))
    put = api.put("/customers/").mock(return_value=httpx.Response(201, json={"result": CUSTOMER}))
    patch = api.patch("/customers/42").mock(
        return_value=httpx.Response(200, json={"result": CUSTOMER})
    )
    delete = api.delete("/customers/42").mock(return_value=httpx.Response(204))
    created = run(run.client.customers.create(auvo.Customer(name="Ana", external_id="E1")))
    assert created.id == 42
    assert json.loads(post.calls[0].request.content) == {"name": "Ana", "externalId": "E1"}
    assert post.calls[0].request.headers["content-type"] == "application/json"
    _record, was_created = run(run.client.customers.upsert({"external_id": "E1", "name": "Ana"}))
    assert was_created
    assert json.loads(put.calls[0].request.content) == {
        "externalId": "E1",
        "description": "Ana",
    }
    run(run.client.customers.patch(42, {"note": "x", "name": "B"}))
    assert json.loads(patch.calls[0].request.content) == [
        {"op": "replace", "path": "note", "value": "x"},
        {"op": "replace", "path": "description", "value": "B"},
    ]
    assert run(run.client.customers.delete(42)) is None
    assert delete.called
    with pytest.raises(auvo.RequestValidationError, match="external_id"):
        run(run.client.customers.upsert({"name": "no key"}))


def test_task_items_send_decimal_strings(api: Any, make_client: Callable[..., Runner]) -> None:
    run = make_client()
    route = api.put("/tasks/7/products").mock(
        return_value=httpx.Response(200, json={"result": {"taskID": 7}})
    )
    task = run(
        run.client.tasks.upsert_products(
            7, [auvo.TaskProductItem(product_id="p1", quantity=Decimal("1.5"), value="44,90")]
        )
    )
    assert task.id == 7
    assert json.loads(route.calls[0].request.content) == {
        "taskProducts": [{"ProductId": "p1", "Quantity": "1.5", "Value": "44.90"}]
    }
    gone = api.delete("/tasks/7/services").mock(return_value=httpx.Response(204))
    run(run.client.tasks.delete_services(7, ["s1", "s2"]))
    assert json.loads(gone.calls[0].request.content) == ["s1", "s2"]


@pytest.mark.parametrize(
    ("status", "body", "cls", "code", "fields"),
    [
        (400, {"id": ["The value 'x' is not valid."]}, auvo.ValidationError, None, ["id"]),
        (
            400,
            {
                "message": "The paramFilter is required",
                "target": None,
                "errorCode": 0,
                "errors": None,
            },
            auvo.BadRequestError,
            "0",
            [],
        ),
        (
            400,
            {"message": "bad", "target": "email", "errorCode": 12, "errors": None},
            auvo.ValidationError,
            "12",
            ["email"],
        ),
        (403, {"error": "Rate limit temporarily exceeded"}, auvo.RateLimitError, None, []),
        (403, {"error": "Forbidden"}, auvo.PermissionDeniedError, None, []),
        (404, None, auvo.NotFoundError, None, []),
        (415, None, auvo.APIStatusError, None, []),
        (429, None, auvo.RateLimitError, None, []),
        (500, "<html>oops</html>", auvo.ServerError, None, []),
    ],
)
def test_error_table(
    api: Any,
    make_client: Callable[..., Runner],
    status: int,
    body: Any,
    cls: type[Exception],
    code: str | None,
    fields: list[str],
) -> None:
    content = body.encode() if isinstance(body, str) else json.dumps(body).encode() if body else b""
    api.post("/customers/").mock(return_value=httpx.Response(status, content=content))
    run = make_client(max_retries=0)
    with pytest.raises(cls) as caught:
        run(run.client.customers.create({"name": "x"}))
    error: Any = caught.value
    assert error.status_code == status
    assert error.code == code
    assert [f.field for f in error.field_errors] == fields


def test_rate_limit_403_is_retried(
    api: Any, make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    route = api.get("/customers/42")
    route.side_effect = [
        httpx.Response(403, json={"error": "Rate limit temporarily exceeded"}),
        httpx.Response(200, json={"result": CUSTOMER}),
    ]
    run = make_client()
    assert run(run.client.customers.get(42)).id == 42
    assert route.call_count == 2
    assert clock.sleeps


def test_html_body_is_a_parse_error(api: Any, make_client: Callable[..., Runner]) -> None:
    api.get("/customers/42").mock(return_value=httpx.Response(200, content=b"<html></html>"))
    run = make_client()
    with pytest.raises(auvo.ResponseParseError):
        run(run.client.customers.get(42))


def test_parse_error_never_echoes_values(api: Any, make_client: Callable[..., Runner]) -> None:
    # A body of an unexpected shape names the field and the reason, with no value of the
    # body in the message and secret-looking fields masked in the excerpt.
    secret = "s3cr3t-" + "x" * 20
    body = {"result": {"id": {"nested": "a value not to echo"}, "accessToken": secret}}
    api.get("/customers/42").mock(return_value=httpx.Response(200, json=body))
    run = make_client()
    with pytest.raises(auvo.ResponseParseError) as caught:
        run(run.client.customers.get(42))
    error = caught.value
    assert "result.id" in error.message
    assert "a value not to echo" not in error.message
    assert secret not in str(error)
    assert error.status_code == 200


def test_parse_error_names_the_money_field_and_reason(
    api: Any, make_client: Callable[..., Runner]
) -> None:
    # An amount Auvo sent as ambiguous text is named by its field and the reason, never by
    # the schema that read it.
    api.get("/tasks/7").mock(
        return_value=httpx.Response(200, json={"result": {"taskID": 7, "expense": "1.234"}})
    )
    run = make_client()
    with pytest.raises(auvo.ResponseParseError) as caught:
        run(run.client.tasks.get(7))
    message = caught.value.message
    assert "result.expense: ambiguous amount" in message
    assert "<class" not in message


def test_html_body_says_so(api: Any, make_client: Callable[..., Runner]) -> None:
    api.get("/tasks/7").mock(
        return_value=httpx.Response(
            200, content=b"<html>maintenance</html>", headers={"Content-Type": "text/html"}
        )
    )
    run = make_client()
    with pytest.raises(auvo.ResponseParseError, match="HTML page"):
        run(run.client.tasks.get(7))


def test_a_record_that_does_not_fit_never_hides_the_others(
    api: Any, make_client: Callable[..., Runner]
) -> None:
    good = [{**CUSTOMER, "id": n} for n in range(1, 101)]
    bad = {**CUSTOMER, "id": 50, "latitude": {"not": "a number"}}
    first = [*good[:49], bad, *good[50:]]  # a full page of 100, one of them a misfit
    route = api.get("/customers/")
    route.side_effect = [
        httpx.Response(200, json=envelope(first, page=1, total=101, more=True)),
        httpx.Response(200, json=envelope([{**CUSTOMER, "id": 101}], page=2, total=101)),
    ]
    run = make_client()
    misfits: list[auvo.RecordParseError] = []
    pager = run.client.customers.list()
    if run.is_async:

        async def collect() -> list[Any]:
            return [c async for c in pager.items(on_invalid=misfits.append)]

        kept = asyncio.run(collect())
    else:
        kept = list(pager.items(on_invalid=misfits.append))
    # The misfit still counts for paging: the page was full, so page 2 is read.
    assert [c.id for c in kept] == [n for n in range(1, 102) if n != 50]
    assert route.call_count == 2
    (misfit,) = misfits
    assert (misfit.page, misfit.index, misfit.record_id) == (1, 49, "50")
    assert "latitude" in misfit.message
    assert misfit.status_code == 200


def test_iterating_a_page_with_a_misfit_raises_after_the_fitting_records(
    api: Any, make_client: Callable[..., Runner]
) -> None:
    bad = {**CUSTOMER, "id": 2, "dateLastUpdate": "yesterday-ish"}
    body = envelope([{**CUSTOMER, "id": 1}, bad, {**CUSTOMER, "id": 3}])
    api.get("/customers/").mock(return_value=httpx.Response(200, json=body))
    run = make_client()
    (page,) = run.pages(run.client.customers.list())
    assert [c.id for c in page.items] == [1, 3]
    (misfit,) = page.invalid
    assert misfit.record_id == "2"
    assert "dateLastUpdate" in misfit.message
    with pytest.raises(auvo.RecordParseError, match=r"record 1 \(id 2\) of page 1"):
        run.items(run.client.customers.list())


def test_a_body_whose_envelope_does_not_fit_is_still_one_error(
    api: Any, make_client: Callable[..., Runner]
) -> None:
    body = {"result": {"entityList": "not a list", "pagedSearchReturnData": {}}}
    api.get("/customers/").mock(return_value=httpx.Response(200, json=body))
    run = make_client()
    with pytest.raises(auvo.ResponseParseError) as caught:
        run.items(run.client.customers.list())
    assert not isinstance(caught.value, auvo.RecordParseError)
