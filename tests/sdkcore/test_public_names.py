"""Names that say what is public: ``RequestOptions`` keywords, one sentinel, typed raw calls."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

import sdkcore
from sdkcore import AsyncAPIClient, RequestOptions, SyncAPIClient, client as client_module

from ..typecheck import assert_mypy_strict_accepts

HERE = Path(__file__).resolve().parent


def test_request_options_takes_its_optional_fields_by_keyword() -> None:
    options = RequestOptions("GET", "/things", params={"page": 1}, timeout=3.0)
    assert (options.method, options.path, options.params, options.timeout) == (
        "GET",
        "/things",
        {"page": 1},
        3.0,
    )
    with pytest.raises(TypeError):
        RequestOptions("GET", "/things", {"page": 1})  # type: ignore[misc]
    fields = inspect.signature(RequestOptions).parameters.values()
    positional = [p.name for p in fields if p.kind is not inspect.Parameter.KEYWORD_ONLY]
    assert positional == ["method", "path"]


def test_no_body_has_one_public_name() -> None:
    assert not hasattr(client_module, "_NOT_GIVEN")
    assert sdkcore.NOT_GIVEN is client_module.NOT_GIVEN
    assert "NOT_GIVEN" in sdkcore.__all__
    assert RequestOptions("GET", "/x").json_body is sdkcore.NOT_GIVEN
    for cls in (SyncAPIClient, AsyncAPIClient):
        assert inspect.signature(cls.request).parameters["json"].default is sdkcore.NOT_GIVEN


def test_bling_writes_without_a_body_use_the_shared_sentinel() -> None:
    from bling import _calls

    assert not hasattr(_calls, "_NOT_GIVEN")
    assert _calls.no_body() is sdkcore.NOT_GIVEN


def test_a_type_checker_knows_what_raw_calls_return() -> None:
    assert_mypy_strict_accepts(HERE / "raw_response_types.py")
