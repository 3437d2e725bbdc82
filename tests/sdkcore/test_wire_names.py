"""The shared wire-name rule: camelCase by default, an alias only where the API differs."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from pydantic import AliasChoices, Field

from sdkcore import RequestValidationError
from sdkcore.models import CamelModel
from sdkcore.wire import camel_case, field_wire_name, wire_names

from .wire_table import wire_table

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
MODEL_SOURCES = ("contaazul/models.py", "bling/models.py", "auvo/models.py")


class Order(CamelModel):
    id: int | None = None
    numero_documento: str | None = None
    link_qr_code_pix: str | None = Field(None, alias="linkQRCodePix")
    page_size: int | None = Field(None, validation_alias=AliasChoices("pageSize", "PageSize"))
    task_id: int | None = Field(
        None, alias="taskID", validation_alias=AliasChoices("taskID", "taskId")
    )


def test_every_client_model_sends_and_accepts_the_names_it_did_before() -> None:
    before = json.loads((HERE / "wire_names_before.json").read_text())
    now = wire_table()
    assert sorted(now) == sorted(before)
    changed = {
        f"{model}.{field}": (before[model].get(field), now[model].get(field))
        for model in before
        for field in before[model].keys() | now[model].keys()
        if before[model].get(field) != now[model].get(field)
    }
    assert changed == {}


@pytest.mark.parametrize(
    ("python_name", "wire_name"),
    [
        ("id", "id"),
        ("numero_documento", "numeroDocumento"),
        ("vl_custo_unitario", "vlCustoUnitario"),
        ("base64_image", "base64Image"),
        ("aliquota_ibs_municipio", "aliquotaIbsMunicipio"),
    ],
)
def test_camel_case(python_name: str, wire_name: str) -> None:
    assert camel_case(python_name) == wire_name


def test_camel_model_derives_what_no_alias_names() -> None:
    assert field_wire_name(Order, "numero_documento") == "numeroDocumento"
    assert field_wire_name(Order, "link_qr_code_pix") == "linkQRCodePix"
    assert field_wire_name(Order, "page_size") == "pageSize"
    assert field_wire_name(Order, "task_id") == "taskID"
    order = Order.model_validate({"numeroDocumento": "12", "PageSize": 5, "taskId": 7})
    assert (order.numero_documento, order.page_size, order.task_id) == ("12", 5, 7)
    assert Order.model_validate({"numero_documento": "12"}).numero_documento == "12"
    assert order.to_wire() == {"numeroDocumento": "12", "pageSize": 5, "taskID": 7}


def test_the_generator_builds_no_schema() -> None:
    class Late(CamelModel):
        valor_total: int | None = None

    assert field_wire_name(Late, "valor_total") == "valorTotal"
    assert not Late.__pydantic_complete__  # defer_build holds: the first use builds it


def test_wire_names_turns_python_and_wire_names_into_wire_names() -> None:
    names = ["numero_documento", "linkQRCodePix", "task_id", "id"]
    expected = ["numeroDocumento", "linkQRCodePix", "taskID", "id"]
    assert wire_names(Order, names, unknown="refuse") == expected
    assert wire_names(Order, names, unknown="keep") == expected


def test_wire_names_keeps_or_refuses_an_unknown_name() -> None:
    assert wire_names(Order, ["customField"], unknown="keep") == ["customField"]
    with pytest.raises(RequestValidationError) as caught:
        wire_names(Order, ["customField"], unknown="refuse")
    assert caught.value.field == "fields"
    assert "Order has no field 'customField'" in caught.value.reason
    assert "numeroDocumento" in caught.value.reason


def _redundant_aliases(source: Path) -> list[str]:
    """``name = Field(alias=...)`` where the alias is what the generator gives anyway."""
    found = []
    for node in ast.walk(ast.parse(source.read_text())):
        if not (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name)):
            continue
        if not isinstance(node.value, ast.Call):
            continue
        derived = camel_case(node.target.id)
        found += [
            f"{source.name}:{node.lineno} {node.target.id}"
            for keyword in node.value.keywords
            if keyword.arg == "alias"
            and isinstance(keyword.value, ast.Constant)
            and keyword.value.value == derived
        ]
    return found


@pytest.mark.parametrize("path", MODEL_SOURCES)
def test_client_models_alias_only_what_the_generator_cannot_derive(path: str) -> None:
    assert _redundant_aliases(REPO / path) == []
