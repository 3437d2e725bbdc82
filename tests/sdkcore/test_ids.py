"""Record ids and ``Created``: one rule in sdkcore, each client picking its kind of id."""

from __future__ import annotations

import copy
import pickle
from typing import Any

import pytest
from hypothesis import given, strategies as st

from sdkcore import RequestValidationError
from sdkcore.ids import NUMERIC_ID, PATH_SEGMENT_ID, Created, IdRule


@pytest.mark.parametrize(
    ("value", "expected"),
    [(42, "42"), ("42", "42"), (" 0042 ", "0042"), (Created(7), "7")],
)
def test_a_numeric_id_becomes_its_digits(value: int | str, expected: str) -> None:
    assert NUMERIC_ID(value) == expected


@pytest.mark.parametrize("value", ["", "  ", "12a", "-5", "1.5", "١٢", "1/2", -5])
def test_a_numeric_id_refuses_anything_but_digits(value: int | str) -> None:
    with pytest.raises(RequestValidationError) as caught:
        NUMERIC_ID(value, "id_contato")
    assert caught.value.field == "id_contato"
    assert caught.value.reason == f"must be a record id (a number), got {value!r}"


@pytest.mark.parametrize("value", [True, 1.0, None, b"12", ["1"]])
def test_an_id_of_the_wrong_type_is_refused_by_every_rule(value: Any) -> None:
    for rule in (NUMERIC_ID, PATH_SEGMENT_ID):
        with pytest.raises(RequestValidationError) as caught:
            rule(value, "team_id")
        assert caught.value.field == "team_id"
        assert caught.value.reason.endswith(f"got {type(value).__name__}")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (7, "7"),
        (-1, "-1"),
        (" 3f2504e0-4f89-11d3-9a0c-0305e82c3301 ", "3f2504e0-4f89-11d3-9a0c-0305e82c3301"),
    ],
)
def test_a_path_segment_id_takes_numbers_and_guids(value: int | str, expected: str) -> None:
    assert PATH_SEGMENT_ID(value) == expected


@pytest.mark.parametrize("value", ["", " ", "1/2", "1?x=2", "1#top", "../admin/", ".", ".."])
def test_a_path_segment_id_refuses_what_would_leave_its_segment(value: str) -> None:
    with pytest.raises(RequestValidationError, match="number or a GUID"):
        PATH_SEGMENT_ID(value)


@given(st.integers(min_value=0))
def test_every_non_negative_int_is_a_numeric_id(value: int) -> None:
    assert NUMERIC_ID(value) == str(value)


def test_a_client_can_bring_its_own_rule() -> None:
    short = IdRule("a code of three letters", lambda text: len(text) == 3 and text.isalpha())
    assert short(" abc ") == "abc"
    with pytest.raises(RequestValidationError, match="a code of three letters, got 'abcd'"):
        short("abcd", "code")


def test_each_client_uses_the_shared_rule_for_its_kind_of_id() -> None:
    from auvo import _calls as auvo_calls
    from bling import _calls as bling_calls
    from contaazul import _calls as contaazul_calls

    assert contaazul_calls.record_id is NUMERIC_ID
    assert bling_calls.record_id is NUMERIC_ID
    assert auvo_calls.record_id is PATH_SEGMENT_ID


# -- Created -------------------------------------------------------------------------------


def test_created_is_the_new_id_as_an_int() -> None:
    created = Created(555, "https://api.example.test/things/555")
    assert isinstance(created, int)
    assert created == 555
    assert created.id == 555
    assert int(created) + 1 == 556
    assert str(created) == "555"
    assert f"/things/{created}" == "/things/555"
    assert hash(created) == hash(555)
    assert {555: "x"}[created] == "x"


def test_created_carries_location_warnings_and_data() -> None:
    body = {"id": 9, "alertas": ["aviso"]}
    created = Created(9, warnings=["aviso"], data=body)
    body["id"] = 10  # the answer is copied, not shared
    assert created.location is None
    assert created.warnings == ["aviso"]
    assert created.data == {"id": 9, "alertas": ["aviso"]}
    assert Created(9).warnings == []
    assert Created(9).data == {}


def test_two_created_are_equal_when_their_ids_are() -> None:
    assert Created(1, "/a") == Created(1, "/a")
    assert Created(1, "/a") == Created(1, "/b")  # as ints: equal to 1, so to each other
    assert Created(1, warnings=["w"]) == Created(1)
    assert Created(1, "/a") != Created(2, "/a")
    assert Created(1, "/a") != 2
    assert Created(1, "/a") != "1"


def test_created_is_read_only() -> None:
    created = Created(1, "/a")
    with pytest.raises(AttributeError, match="read-only"):
        created.location = "/b"
    with pytest.raises(AttributeError, match="read-only"):
        del created.data


def test_created_repr_names_what_it_carries() -> None:
    assert repr(Created(3)) == "Created(id=3)"
    assert repr(Created(3, "/x/3", warnings=["w"])) == (
        "Created(id=3, location='/x/3', warnings=['w'])"
    )


def test_created_survives_copy_and_pickle() -> None:
    created = Created(4, "/x/4", warnings=[{"code": 1}], data={"id": 4})
    for clone in (copy.copy(created), copy.deepcopy(created), pickle.loads(pickle.dumps(created))):
        assert type(clone) is Created
        assert clone == created
        assert (clone.location, clone.warnings, clone.data) == ("/x/4", [{"code": 1}], {"id": 4})


def test_bling_names_the_warnings_alertas_and_contaazul_uses_the_shared_shape() -> None:
    from bling import Created as BlingCreated
    from contaazul import Created as ContaAzulCreated

    assert ContaAzulCreated is Created
    made = BlingCreated(99, warnings=[{"code": 1}], data={"id": 99})
    assert isinstance(made, Created)
    assert made.alertas is made.warnings
    assert repr(made) == "Created(id=99, warnings=[{'code': 1}])"
