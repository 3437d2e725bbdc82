"""Pure pieces: window splitting, the paging rule, parsers, webhooks, JSON Patch."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import assume, given, settings, strategies as st
from pydantic import ValidationError as PydanticValidationError

import auvo
from auvo import WebhookEvent, split_window
from auvo._auth import jwt_expiry
from auvo._calls import (
    first_match,
    json_patch,
    param_filter,
    single_page,
    split_page_number,
    windowed_page,
)
from auvo._envelope import next_page, read_page
from auvo._types import parse_local_datetime
from auvo.models import Customer, Link, PageInfo, Task, TaskStatus, TaskSummary
from sdkcore import SAO_PAULO, Call, Page, RequestOptions, money
from sdkcore.endpoints import Flow, PageFetcher, Step
from sdkcore.money import parse_money

from .conftest import jwt

BASE = datetime(2024, 1, 1, tzinfo=SAO_PAULO)


@given(
    span=st.integers(min_value=0, max_value=90 * 86400),
    step=st.integers(min_value=1, max_value=40 * 86400),
    offsets=st.lists(st.integers(min_value=-86400, max_value=91 * 86400), max_size=60),
)
@settings(deadline=None)
def test_any_split_returns_each_task_once(span: int, step: int, offsets: list[int]) -> None:
    assume(span // step <= 2000)
    start, end = BASE, BASE + timedelta(seconds=span)
    tasks = [BASE + timedelta(seconds=o) for o in offsets]
    windows = split_window(start, end, timedelta(seconds=step))
    assert windows[0][0] == start
    assert windows[-1][1] == end
    found = [t for lo, hi in windows for t in tasks if lo <= t <= hi]  # Auvo: both ends inclusive
    assert sorted(found) == sorted(t for t in tasks if start <= t <= end)


@given(
    windows=st.integers(min_value=1, max_value=5),
    pages=st.lists(st.integers(min_value=1, max_value=4), min_size=5, max_size=5),
)
def test_windowed_page_numbers_walk_every_page(windows: int, pages: list[int]) -> None:
    number: int | None = 1
    seen = []
    while number is not None:
        window, page = split_page_number(number, windows)
        seen.append((window, page))
        inner = Page([], number=page, next_page=page + 1 if page < pages[window] else None)
        number = windowed_page(inner, window, windows, number).next_page
    assert seen == [(w, p) for w in range(windows) for p in range(1, pages[w] + 1)]


def _pages_of(*chunks: list[int]) -> tuple[PageFetcher[int], list[int]]:
    """A fetcher over fixed pages, and the page numbers asked for, in order."""
    asked: list[int] = []

    def fetch(number: int) -> Step[Page[int]]:
        asked.append(number)
        following = number + 1 if number < len(chunks) else None
        page = Page(chunks[number - 1], number, following)
        return Call(RequestOptions("GET", f"/p{number}"), lambda _: page)

    return fetch, asked


def _drive(flow: Flow[Any]) -> Any:
    """Run a flow, answering each call with its parse of no response."""
    try:
        call = next(flow)
        while True:
            call = flow.send(call.parse(None))  # type: ignore[arg-type]
    except StopIteration as done:
        return done.value


def test_first_match_walks_pages_only_as_far_as_needed() -> None:
    fetch, asked = _pages_of([1, 2], [3, 4], [5])
    assert _drive(first_match(fetch, lambda n: n == 3)) == 3
    assert asked == [1, 2]
    fetch, asked = _pages_of([1, 2], [3, 4], [5])
    assert _drive(first_match(fetch, lambda n: n == 9)) is None
    assert asked == [1, 2, 3]


def test_single_page_lists_send_nothing_after_page_one() -> None:
    call = Call(RequestOptions("GET", "/all"), lambda _: Page([7, 8], 1, 2, None))
    fetch = single_page(call)
    first = fetch(1)
    assert isinstance(first, Call)
    assert first.parse(None) == Page([7, 8], 1, None, 2)  # type: ignore[arg-type]
    later = fetch(2)
    assert not isinstance(later, Call)
    with pytest.raises(StopIteration) as done:
        next(later)
    assert done.value.value == Page([], 2, None, None)


def test_split_page_number_rejects_unknown_pages() -> None:
    with pytest.raises(auvo.RequestValidationError):
        split_page_number(5_000_001, 2)


@pytest.mark.parametrize(
    ("count", "paging", "links", "expected"),
    [
        (100, None, None, 2),
        (99, None, None, None),
        (0, None, None, None),
        (100, PageInfo(total_items=100, page_size=100), None, None),
        (100, PageInfo(total_items=0, page_size=100), None, 2),  # /taskTypes says 0
        (100, None, [Link(rel="self")], None),
        (100, None, [Link(rel="self"), Link(rel="nextPage")], 2),
        (50, PageInfo(page_size=50, total_items=500), [Link(rel="nextPage")], 2),
    ],
)
def test_next_page_rule(
    count: int, paging: PageInfo | None, links: list[Link] | None, expected: int | None
) -> None:
    assert next_page(1, 100, count, paging, links) == expected


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False))
def test_money_shapes_round_trip(amount: Decimal) -> None:
    whole, _, cents = f"{abs(amount):.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", ".")
    sign = "-" if amount < 0 else ""
    assert parse_money(f"{sign}{grouped},{cents}") == amount
    assert parse_money(f"{sign}{whole},{cents}") == amount
    assert parse_money(f"{sign}${whole}.{cents}") == amount
    assert parse_money(float(f"{amount:.2f}")) == amount


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12,00", "12.00"), ("$0.00", "0.00"), ("2.500.000,00", "2500000.00"), (12, "12")],
)
def test_issue_money_shapes(text: object, expected: str) -> None:
    assert parse_money(text) == Decimal(expected)


def _general_rules(text: str) -> Decimal | str:
    """parse_money's answer with its fast path for common shapes turned off."""
    fast = money._fast_money_text
    money._fast_money_text = lambda raw: None  # type: ignore[assignment]
    try:
        return money.parse_money(text)
    except ValueError:
        return "refused"
    finally:
        money._fast_money_text = fast


@given(st.text(alphabet="0123456789.,", min_size=1, max_size=12))
def test_money_fast_path_answers_as_the_general_rules(text: str) -> None:
    try:
        fast: Decimal | str = parse_money(text)
    except ValueError:
        fast = "refused"
    slow = _general_rules(text)
    assert str(fast) == str(slow)  # the same value and the same digits ("12.00", not "12")


def _field_reads(wire: str) -> Decimal | str | None:
    try:
        return TaskSummary.model_validate_json(f'{{"totalValue": {wire}}}').total_value
    except PydanticValidationError:
        return "refused"


@given(
    st.from_regex(r"\A ?-?\$?[0-9]{1,7}([.,][0-9]{1,4}){0,3} ?\Z")
    | st.text(alphabet="0123456789.,$- ", min_size=1, max_size=14)
)
def test_money_text_in_a_model_reads_as_parse_money(text: str) -> None:
    # A text amount is read by parse_money's rules, never by Decimal's: "1.250" in a
    # Brazilian body may be 1250, so it is refused as ambiguous, not read as 1.25.
    try:
        expected: Decimal | str | None = parse_money(text) if text.strip() else None
    except ValueError:
        expected = "refused"
    assert str(_field_reads(json.dumps(text))) == str(expected)


@given(
    st.one_of(
        st.integers(min_value=-(10**20), max_value=10**20),
        # The digits a double holds (15): past them pydantic-core and Python's repr may break
        # a tie on the 16th apart (562949953421312.2 against ...312.3), one seed in 25.
        st.floats(min_value=-1e300, max_value=1e300).map(lambda f: float(f"{f:.15g}")),
    )
)
def test_money_number_in_a_model_is_exact(number: int | float) -> None:
    assert _field_reads(json.dumps(number)) == parse_money(number)


@pytest.mark.parametrize(("wire", "expected"), [('"1.234"', "refused"), ('"1.250,00"', "1250.00")])
def test_ambiguous_money_text_is_refused(wire: str, expected: str) -> None:
    assert str(_field_reads(wire)) == expected


@pytest.mark.parametrize(
    ("wire", "expected"),
    [
        ("5", TaskStatus.FINISHED),
        ("9", 9),
        ('"5"', TaskStatus.FINISHED),
        ('""', None),
        ('"soon"', "soon"),
        ("5.0", TaskStatus.FINISHED),
        ("null", None),
    ],
)
def test_task_status_codes_known_and_unknown(wire: str, expected: object) -> None:
    status = Task.model_validate_json(f'{{"taskStatus": {wire}}}').task_status
    assert status == expected
    assert type(status) is type(expected)


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2090, 1, 1)))
def test_naive_auvo_datetimes_are_brasilia(moment: datetime) -> None:
    moment = moment.replace(microsecond=0)
    parsed = parse_local_datetime(moment.strftime("%Y-%m-%dT%H:%M:%S"))
    assert parsed is not None
    assert parsed.replace(tzinfo=None) == moment
    assert parsed.tzinfo is SAO_PAULO


@pytest.mark.parametrize("empty", ["", "0001-01-01T00:00:00", None, "0001-01-01"])
def test_no_date_markers(empty: object) -> None:
    assert parse_local_datetime(empty) is None


def test_other_date_shapes() -> None:
    assert parse_local_datetime("16/11/2024 00:00") == datetime(2024, 11, 16, tzinfo=SAO_PAULO)
    aware = parse_local_datetime("2024-01-01T12:00:00Z")
    assert aware == datetime(2024, 1, 1, 12, tzinfo=UTC)
    with pytest.raises(ValueError, match="instant"):
        Task.model_validate({"taskDate": "not a date"})


def test_live_quirks_in_models() -> None:
    task = Task.model_validate(
        {"taskID": 5, "taskStatus": "5", "priority": "2", "customerExternalId": 10}
    )
    assert task.id == 5
    assert task.task_status is auvo.TaskStatus.FINISHED
    assert task.priority == 2
    assert task.customer_external_id == "10"
    assert Task.model_validate({"taskStatus": 9}).task_status == 9  # unknown code kept
    assert auvo.User.model_validate({"userID": 3}).id == 3
    assert Customer.model_validate({"name": "A"}).name == "A"
    assert Customer.model_validate({"description": "B", "extra": 1}).model_extra == {"extra": 1}


def test_models_round_trip_for_writes() -> None:
    task = Task(user_from_id=1, task_date=datetime(2024, 3, 1, 14, 0, tzinfo=SAO_PAULO))
    assert task.to_wire() == {"idUserFrom": 1, "taskDate": "2024-03-01T14:00:00"}


def test_param_filter_and_patch() -> None:
    when = datetime(2024, 5, 6, 7, 8, 9, tzinfo=UTC)
    assert json.loads(param_filter({"a": when, "b": None, "c": Decimal("1.5")}) or "") == {
        "a": "2024-05-06T04:08:09",
        "c": 1.5,
    }
    assert param_filter({}) is None
    assert param_filter({}, always=True) == "{}"
    ops = json_patch(
        Customer,
        [
            {"op": "replace", "path": "/phone_numbers", "value": ["1"]},
            {"op": "remove", "path": "note"},
        ],
    )
    assert ops == [
        {"op": "replace", "path": "phoneNumber", "value": ["1"]},
        {"op": "remove", "path": "note"},
    ]
    with pytest.raises(auvo.RequestValidationError):
        json_patch(Customer, {})


def test_jwt_expiry() -> None:
    assert jwt_expiry(jwt(1234)) == 1234.0
    assert jwt_expiry("not-a-jwt") is None
    assert jwt_expiry("a.b.c") is None


DELIVERY = {
    "result": {
        "EntityType": "Tarefas",
        "Action": "Inclusao",
        "EntityId": 123,
        "UserAdminId": 1,
        "WebhookId": 9,
        "Date": "2019-01-01T08:00:00",
        "Entities": [{"taskID": 23, "taskStatus": "1", "checkInDate": ""}],
    }
}


def test_webhook_parse() -> None:
    event = auvo.parse_event(json.dumps(DELIVERY).encode())
    assert isinstance(event, WebhookEvent)
    assert event.action == "Inclusao"
    assert isinstance(event.entities[0], Task)
    assert event.entities[0].id == 23
    customer = {
        "result": {
            **DELIVERY["result"],
            "EntityType": "Cliente",
            "Entities": [{"id": 1, "description": "X"}],
        }
    }
    assert isinstance(auvo.parse_event(json.dumps(customer)).entities[0], Customer)
    unknown = {"result": {**DELIVERY["result"], "EntityType": "Outro", "Entities": [{"a": 1}]}}
    assert auvo.parse_event(json.dumps(unknown)).entities == [{"a": 1}]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"not json", "not JSON"),
        (b"[]", '"result"'),
        (b'{"result": {"Action": "x"}}', "EntityType"),
        (b'{"result": {"EntityType": "x", "Action": "y", "Entities": 3}}', "list"),
        (
            b'{"result": {"EntityType": "Tarefas", "Action": "y", '
            b'"Entities": [{"taskDate": "zz"}]}}',
            "taskDate",
        ),
    ],
)
def test_webhook_parse_rejects(body: bytes, words: str) -> None:
    with pytest.raises(auvo.WebhookParseError, match=words):
        auvo.parse_event(body)


# Ways a live record can fail its model: an amount that is ambiguous, a date that is not one,
# an object where a list belongs.
_BREAKS = [
    ("expense", "1.234"),
    ("taskDate", "soon"),
    ("products", {"not": "a list"}),
]


@given(
    size=st.integers(min_value=1, max_value=12),
    broken=st.data(),
    full=st.booleans(),
)
def test_a_page_with_misfits_keeps_the_rest_and_pages_as_if_whole(
    size: int, broken: st.DataObject, full: bool
) -> None:
    bad = broken.draw(st.sets(st.integers(min_value=0, max_value=size - 1)))
    records: list[dict[str, Any]] = []
    for index in range(size):
        record: dict[str, Any] = {"taskID": index, "taskDate": "2024-03-23T18:00:00"}
        if index in bad:
            key, value = broken.draw(st.sampled_from(_BREAKS))
            record[key] = value
        records.append(record)
    paging = {"pageSize": size if full else size + 1, "page": 1, "totalItems": 1000}
    links = [{"rel": "nextPage"}]
    body = {"result": {"entityList": records, "pagedSearchReturnData": paging, "links": links}}
    request = httpx.Request("GET", "https://api.auvo.com.br/v2/tasks/")
    response = httpx.Response(200, content=json.dumps(body).encode(), request=request)
    page = read_page(Task, response, 1, 100)
    assert [t.id for t in page.items] == [i for i in range(size) if i not in bad]
    assert [(e.index, e.record_id) for e in page.invalid] == [(i, str(i)) for i in sorted(bad)]
    # Misfits count for paging: a full page goes on, a short one stops.
    assert page.next_page == (2 if full else None)
