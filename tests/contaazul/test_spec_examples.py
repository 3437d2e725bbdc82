"""Every JSON example in the Conta Azul spec parses into its model, with no field left over.

The spec is read at test time (never copied here). Its examples are not strict JSON: ids
are written with leading zeros (``0000000``, ``0001``), which is normalised before parsing.
"""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from pydantic import BaseModel, TypeAdapter

from contaazul import models as m

SPEC_FILE = "003_004357d609bcdeb1.txt"

# Section heading (lower case, without the document's style classes) -> model.
MODELS: dict[str, type[m.APIModel]] = {
    "clientes": m.Customer,
    "vendedor": m.Vendor,
    "transportadora": m.Shipper,
    "cidades": m.City,
    "bancos": m.Bank,
    "contas bancárias cadastradas": m.BankAccount,
    "tipo de serviço prestado": m.TaskType,
    "serviço": m.Task,
    "categoria de produtos": m.ProductCategory,
    "produtos": m.Product,
    "centro de custo": m.CostCentre,
    "lista de preço": m.PriceList,
    "categoria financeira": m.FinanceCategory,
    "lançamentos financeiros": m.Statement,
    "tipo de negociação ( natureza da operação )": m.DealType,
    "venda de produto": m.Deal,
    "compra de produto": m.Deal,
    "venda de serviço": m.Deal,
    "vendas por período/vendedor/produto": m.SaleReport,
    "ranking de produtos": m.ProductRanking,
    "receitas por categoria": m.PeriodStatementReport,
    "despesas por categoria": m.PeriodStatementReport,
    "fluxo de caixa": m.FlowGrid,
    "saldo bancário": m.BankAccountBalance,
    "faturamento e lucro": m.BillingReport,
    "indicadores financeiros": m.Ratios,
}
EXPECTED_EXAMPLES = 26

_MARKER = re.compile(r"^\s*exemplo de retorno", re.IGNORECASE)
_UNDERLINE = re.compile(r"^\s*(?:-{3,}|={3,})\s*$")
_STYLE = re.compile(r"\s*\{[.\w\s-]*\}\s*$")
_OPENING = re.compile(r'^\s*[{\[]\s*(?:$|["{\[])')
_LEADING_ZEROS = re.compile(r"(?<=[:\[,])(\s*)0+(?=\d)")


def _heading(line: str) -> str:
    return _STYLE.sub("", line).strip().lower()


def _block(lines: list[str], start: int) -> str:
    """The JSON value starting at the first ``{``/``[`` line from ``start``, to its close."""
    index = start
    while not _OPENING.match(lines[index]):  # skips the document's "[](#)" anchors
        index += 1
    depth, out, in_string = 0, [], False
    for line in lines[index:]:
        out.append(line)
        escaped = False
        for char in line:
            if in_string:
                if escaped:
                    escaped = False
                elif char == "\\":
                    escaped = True
                elif char == '"':
                    in_string = False
            elif char == '"':
                in_string = True
            elif char in "{[":
                depth += 1
            elif char in "}]":
                depth -= 1
        if depth == 0:
            break
    return "\n".join(out)


def normalise(text: str) -> str:
    """Strict JSON from an example: no-break spaces become spaces, ``0000000`` -> ``0``,
    ``0001`` -> ``1``."""
    return _LEADING_ZEROS.sub(r"\1", text.replace("\u00a0", " "))


def extract_examples(spec: str) -> list[tuple[str, Any]]:
    lines = spec.splitlines()
    heading = ""
    found: list[tuple[str, Any]] = []
    for number, line in enumerate(lines):
        if _UNDERLINE.match(line) and number > 0 and lines[number - 1].strip():
            heading = _heading(lines[number - 1])
        elif _MARKER.match(line):
            found.append((heading, json.loads(normalise(_block(lines, number + 1)))))
    return found


@pytest.fixture(scope="module")
def examples(seeds_dir: Path) -> list[tuple[str, Any]]:
    path = seeds_dir / SPEC_FILE
    if not path.is_file():
        pytest.skip(f"the Conta Azul spec is not at {path}")
    return extract_examples(path.read_text(encoding="utf-8"))


def _extras(model: BaseModel, where: str = "") -> list[str]:
    """Wire names present in the example but not modelled, anywhere in the tree."""
    found = [f"{where}{key}" for key in (model.model_extra or {})]
    for name in type(model).model_fields:
        value = getattr(model, name)
        children = value if isinstance(value, list) else [value]
        for index, child in enumerate(children):
            if isinstance(child, BaseModel):
                found += _extras(child, f"{where}{name}[{index}].")
    return found


def test_every_example_is_found(examples: list[tuple[str, Any]]) -> None:
    assert len(examples) == EXPECTED_EXAMPLES
    assert {heading for heading, _ in examples} == set(MODELS)


def test_every_example_parses_with_every_field_modelled(examples: list[tuple[str, Any]]) -> None:
    for heading, data in examples:
        model = MODELS[heading]
        items = data if isinstance(data, list) else [data]
        assert items, heading
        for item in items:
            parsed = model.model_validate(item)
            assert _extras(parsed) == [], heading
        if isinstance(data, list):
            as_list = TypeAdapter(list[model]).validate_json(json.dumps(data))  # type: ignore[valid-type]
            assert len(as_list) == len(data)
        else:
            model.model_validate_json(json.dumps(data))


def _one(examples: list[tuple[str, Any]], heading: str, index: int = 0) -> Any:
    return [data for h, data in examples if h == heading][index]


def test_examples_read_as_the_spec_means(examples: list[tuple[str, Any]]) -> None:
    customer = m.Customer.model_validate(_one(examples, "clientes"))
    assert customer.number == "333"
    assert customer.kind is m.CustomerKind.ENTITY
    assert customer.document_number == "83.575.050/0001-24"
    assert m.Vendor.model_validate(_one(examples, "vendedor")).number == "333"
    assert m.City.model_validate(_one(examples, "cidades")).ibge_code == "5200050"

    [statement] = [m.Statement.model_validate(s) for s in _one(examples, "lançamentos financeiros")]
    assert statement.valor == Decimal("80.02")
    assert statement.date == date(2012, 12, 3)  # epoch milliseconds, read in São Paulo
    assert statement.statement_type is m.StatementType.EXPENSE
    assert statement.repeating_cycle is m.RepeatingCycle.NEVER

    sale = m.Deal.model_validate(_one(examples, "venda de produto"))
    assert (sale.total, sale.deal_number, sale.deal_date) == (Decimal(140), 31, date(2013, 5, 6))
    assert [p.value for p in sale.payments or []] == [
        Decimal("46.66"),
        Decimal("46.67"),
        Decimal("46.67"),
    ]
    purchase = m.Deal.model_validate(_one(examples, "compra de produto"))
    assert [i.quantity for i in purchase.items or []] == [Decimal("1.31"), Decimal("31.11")]
    service = m.Deal.model_validate(_one(examples, "venda de serviço"))
    assert [t.type for t in service.taxes or []] == [m.TaxType.ISS, m.TaxType.COFINS]
    assert service.task_type_id == 593

    flow = m.FlowGrid.model_validate(_one(examples, "fluxo de caixa"))
    types = {
        c.category.type
        for p in flow.periods or []
        for g in p.category_group or []
        for c in g.categories or []
        if c.category
    }
    assert types == {"REVENUE", "EXPENSE", "TRANSFER"}

    balances = [m.BankAccountBalance.model_validate(b) for b in _one(examples, "saldo bancário")]
    first = (balances[0].balance or [])[0]
    assert (first.date, first.value) == (date(2012, 12, 1), Decimal(60000))
    ratios = m.Ratios.model_validate(_one(examples, "indicadores financeiros"))
    assert ratios.breakeven == Decimal("75698.75")


def test_normalise_only_touches_numbers() -> None:
    raw = '{"id": 0000000, "n": 0001, "s": "00000000", "x": 0.5, "l": [0002, 03]}'
    assert json.loads(normalise(raw)) == {"id": 0, "n": 1, "s": "00000000", "x": 0.5, "l": [2, 3]}


def test_unknown_enum_values_are_kept() -> None:
    assert m.Customer.model_validate({"kind": "FOREIGN"}).kind == "FOREIGN"
    assert m.Tax.model_validate({"type": "ICMS"}).type == "ICMS"
    assert m.DealType.model_validate({"operation": "S"}).operation is m.DealOperation.S


# -- field lists ----------------------------------------------------------------------------

# The spec's entity names -> models ("Shipping" is its name for the shipper's fields).
ENTITIES: dict[str, type[m.APIModel]] = {
    "Shipping": m.Shipper,
    **{
        name: getattr(m, name)
        for name in [
            "Customer",
            "Vendor",
            "City",
            "Bank",
            "BankAccount",
            "TaskType",
            "Task",
            "ProductCategory",
            "Product",
            "CostCentre",
            "PriceList",
            "PriceListItem",
            "FinanceCategory",
            "Statement",
            "DealType",
            "Deal",
            "DealItem",
            "Payment",
            "Tax",
            "SaleReport",
            "ProductRanking",
            "PeriodStatementReport",
            "FlowGrid",
            "FlowPeriod",
            "FlowCategoryGroup",
            "FlowCategory",
            "BankAccountBalance",
            "BankAccountBalanceEntry",
            "BillingReport",
            "Ratios",
        ]
    },
}
REPORT_ENTITIES = {
    m.SaleReport,
    m.ProductRanking,
    m.PeriodStatementReport,
    m.FlowGrid,
    m.FlowPeriod,
    m.FlowCategoryGroup,
    m.FlowCategory,
    m.BankAccountBalance,
    m.BankAccountBalanceEntry,
    m.BillingReport,
    m.Ratios,
}

_ENTITY = re.compile(r"^\s*Campos da entidade (\w+):")
_FIELD = re.compile(r"^\s*\d+\.\s+(\\\*)?(\w+)\s*[:\[]")


@attrs.frozen
class SpecField:
    entity: str
    wire: str
    required: bool
    read_only: bool


def extract_fields(spec: str) -> list[SpecField]:
    """Each ``Campos da entidade X:`` list: numbered items, wrapped lines indented."""
    lines = spec.splitlines()
    out: list[SpecField] = []
    for number, line in enumerate(lines):
        entity = _ENTITY.match(line)
        if not entity:
            continue
        items: list[list[str]] = []
        for text in lines[number + 1 :]:
            if _FIELD.match(text):
                items.append([text])
            elif text.strip() and text.startswith("    ") and items:
                items[-1].append(text)
            elif text.strip():
                break
        for item in items:
            match = _FIELD.match(item[0])
            assert match is not None
            whole = " ".join(item)
            out.append(SpecField(entity[1], match[2], bool(match[1]), "READ ONLY" in whole.upper()))
    return out


@pytest.fixture(scope="module")
def spec_fields(seeds_dir: Path) -> list[SpecField]:
    path = seeds_dir / SPEC_FILE
    if not path.is_file():
        pytest.skip(f"the Conta Azul spec is not at {path}")
    return extract_fields(path.read_text(encoding="utf-8"))


def _wire_names(model: type[m.APIModel], names: frozenset[str]) -> set[str]:
    return {model.model_fields[n].alias or n for n in names}


def test_every_documented_field_is_modelled_with_its_markers(
    spec_fields: list[SpecField],
) -> None:
    assert {f.entity for f in spec_fields} == set(ENTITIES)
    assert len(spec_fields) > 150
    for field in spec_fields:
        model = ENTITIES[field.entity]
        wire = {info.alias or name for name, info in model.model_fields.items()}
        assert field.wire in wire, (field.entity, field.wire)
        if model in REPORT_ENTITIES:
            continue  # reports are read as a whole; nothing is ever sent
        required = _wire_names(model, model.required_on_create())
        read_only = _wire_names(model, model.read_only_fields())
        assert (field.wire in required) == field.required, (field.entity, field.wire)
        assert (field.wire in read_only) == field.read_only, (field.entity, field.wire)
