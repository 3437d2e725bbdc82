"""Review of ``sdkcore.ids``: what an id may smuggle into a URL, ids too long to be ids, and
``Created`` behaving as the ``int`` it is in sets, dicts, JSON and models."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pydantic
import pytest

from sdkcore import RequestValidationError
from sdkcore.ids import NUMERIC_ID, PATH_SEGMENT_ID, Created

# -- PATH_SEGMENT_ID: one segment, in the server's reading too ------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "1%2F..%2Fadmin",  # httpx sends %2F as is; a server that decodes it sees a separator
        "%2e%2e",  # a dot segment once decoded
        "1%3Fx=2",  # an encoded query
        "a\\..\\b",  # a separator to some servers (IIS), sent raw by httpx
        "1;jsessionid=x",  # a path parameter to others
        "a b",  # a space inside
        "1\n2",  # a control character: httpx would fail quoting the whole URL
        "é",  # no Auvo id has letters outside ASCII
    ],
)
def test_a_path_segment_id_refuses_what_a_server_could_read_as_more_than_one_segment(
    value: str,
) -> None:
    with pytest.raises(RequestValidationError) as caught:
        PATH_SEGMENT_ID(value, "task_id")
    assert caught.value.field == "task_id"


@pytest.mark.parametrize(
    "value",
    ["12345", "-1", "3f2504e0-4f89-11d3-9a0c-0305e82c3301", "ABCDEF01-0000-4000-8000-000000000000"],
)
def test_numbers_and_guids_still_pass_and_reach_the_server_unchanged(value: str) -> None:
    segment = PATH_SEGMENT_ID(value)
    url = httpx.URL(f"https://api.example.test/v2/tasks/{segment}")
    assert url.raw_path.decode() == f"/v2/tasks/{value}"


# -- ids too long to be ids ------------------------------------------------------------------


@pytest.mark.parametrize("rule", [NUMERIC_ID, PATH_SEGMENT_ID])
def test_an_int_too_large_to_print_is_a_validation_error_not_a_value_error(rule: Any) -> None:
    with pytest.raises(RequestValidationError) as caught:
        rule(10**5000, "id")
    assert caught.value.field == "id"
    assert len(str(caught.value)) < 300


@pytest.mark.parametrize("rule", [NUMERIC_ID, PATH_SEGMENT_ID])
def test_a_text_id_longer_than_any_api_s_is_refused_with_a_short_message(rule: Any) -> None:
    assert rule("9" * 64) == "9" * 64
    with pytest.raises(RequestValidationError) as caught:
        rule("9" * 65, "id")
    assert len(str(caught.value)) < 300


# -- Created: an int, in equality as in hashing -------------------------------------------------


def test_created_equality_is_the_id_s_so_sets_and_dicts_do_not_depend_on_order() -> None:
    first, second = Created(1, "/things/1"), Created(1, "/things/1?v=2", warnings=["w"])
    assert first == 1 == second
    assert first == second  # equality stays transitive, as for any int
    assert len({1, first, second}) == len({first, second, 1}) == 1
    assert {first: "a"}[second] == "a"
    assert Created(1, "/a") != Created(2, "/a")


def test_created_serialises_as_its_id() -> None:
    created = Created(5, "/x/5", warnings=["w"], data={"id": 5})
    assert json.dumps({"id": created}) == '{"id": 5}'

    class Row(pydantic.BaseModel):
        id: int
        anything: Any = None

    row = Row(id=created, anything=created)
    assert type(row.id) is int
    assert row.model_dump_json() == '{"id":5,"anything":5}'
