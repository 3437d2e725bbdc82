"""Conformance with Auvo's own API Blueprint, read at test time from ../shared/specs.

Every action must map to a client method, and every example body must parse into its
model. About a third of the blueprint's JSON is broken (no outer braces, missing commas,
stray quotes); those bodies are repaired leniently and reported, never skipped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from auvo import models as m
from auvo._client import auvo_error_info
from auvo._endpoints import ACTIONS
from auvo._envelope import read_entity, read_page
from auvo.webhooks import parse_event

ACTION = re.compile(r"^#{2,3} .*\[(GET|POST|PUT|PATCH|DELETE)\s*(/[^\]]*)\]\s*$")
GROUPS: dict[str, type[m.AuvoModel]] = {
    "Login": m.LoginResult,
    "Users": m.User,
    "Tasks": m.Task,
    "Customers": m.Customer,
    "Customer groups": m.CustomerGroup,
    "Teams": m.Team,
    "Task types": m.TaskType,
    "Segments": m.Segment,
    "Questionnaires": m.Questionnaire,
    "keywords": m.Keyword,
    "Webhooks": m.Webhook,
    "Expenses": m.Expense,
    "Expense types": m.ExpenseType,
    "GPS": m.GpsPosition,
    "Satisfaction surveys": m.SatisfactionSurvey,
    "Equipment categories": m.EquipmentCategory,
    "Equipments": m.Equipment,
    "Product categories": m.ProductCategory,
    "Products": m.Product,
    "Quotations": m.Quotation,
    "Tickets": m.Ticket,
    "Services": m.Service,
    "Projects": m.ServiceOrder,
}
ITEMS = {
    "taskProducts": m.TaskProductItem,
    "taskServices": m.TaskServiceItem,
    "taskAdditionalCosts": m.TaskAdditionalCostItem,
}


def blueprint(specs_dir: Path) -> str:
    path = specs_dir / "auvo-v2" / "auvoapiv2.apib"
    if not path.is_file():
        pytest.skip(f"Auvo blueprint not found at {path}")
    return path.read_text(encoding="utf-8")


def normalise(uri: str) -> str:
    path = uri.split("?", 1)[0].strip()
    path = re.sub(r"\{[^}]*\}", "{}", path)
    return path.rstrip("/").lower() or "/"


def blueprint_actions(text: str) -> list[tuple[str, str]]:
    return [
        (match.group(1), match.group(2).strip())
        for line in text.splitlines()
        if (match := ACTION.match(line.strip()))
    ]


def test_every_blueprint_action_has_a_method(specs_dir: Path) -> None:
    actions = blueprint_actions(blueprint(specs_dir))
    assert len(actions) > 90
    mapped = {(method, normalise(uri)) for method, uri, _ in ACTIONS}
    missing = [(meth, uri) for meth, uri in actions if (meth, normalise(uri)) not in mapped]
    assert not missing, f"blueprint actions without a client method: {missing}"
    documented = {(meth, normalise(uri)) for meth, uri in actions}
    stale = [(meth, uri) for meth, uri, _ in ACTIONS if (meth, normalise(uri)) not in documented]
    assert not stale, f"mapped actions the blueprint does not have: {stale}"


def test_docs_table_lists_every_action() -> None:
    docs = (Path(__file__).resolve().parents[2] / "docs" / "auvo.md").read_text("utf-8")
    for method, uri, target in ACTIONS:
        assert f"| {method} | `{uri}` | `{target}` |" in docs, (method, uri)


# -- example bodies -----------------------------------------------------------------------


@dataclass
class Example:
    line: int
    group: str
    heading: str
    kind: str  # "request", "response" or "model"
    status: int
    text: str
    repairs: list[str] = field(default_factory=list)


def examples(text: str) -> list[Example]:
    """Every JSON example body, with the section it belongs to; schemas are not examples."""
    found: list[Example] = []
    group = heading = ""
    kind, status, marker = "model", 200, ""
    lines = text.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        stripped = line.strip()
        if line.startswith("# Group "):
            group = line[len("# Group ") :].strip()
        elif line.startswith("#"):
            heading = line.strip("# ").strip()
            kind, marker, status = "model", "", 200
        elif stripped.startswith("+ Request"):
            kind, marker, status = "request", "request", 0
        elif stripped.startswith("+ Response"):
            kind, marker = "response", "response"
            status = int(stripped.split()[2])
        elif stripped.startswith("+ Model"):
            kind, marker, status = "model", "model", 200
        elif stripped.startswith("+ Schema"):
            marker = "schema"
        elif stripped.startswith("+ Body"):
            marker = "body"
        elif stripped.startswith(("+ Headers", "+ Parameters", "+ Attributes")):
            marker = "other"
        indent = len(line) - len(line.lstrip())
        starts_json = stripped[:1] in ("{", "[") or stripped.startswith('"result"')
        if indent >= 8 and starts_json and marker in ("body", "response", "model"):
            block = [line]
            index += 1
            while index < len(lines):
                nxt = lines[index]
                nxt_indent = len(nxt) - len(nxt.lstrip())
                if nxt.strip() and (nxt_indent < 8 or nxt.lstrip().startswith(("+ ", "#"))):
                    break
                block.append(nxt)
                index += 1
            found.append(
                Example(index - len(block) + 1, group, heading, kind, status, "\n".join(block))
            )
            marker = "done"
            continue
        index += 1
    return found


def repair(text: str) -> tuple[Any, list[str]]:
    """Parse an example, fixing the blueprint's typical slips; say which fixes were needed."""
    fixes: list[str] = []
    body = text.strip()
    try:
        return json.loads(body), fixes
    except ValueError:
        pass
    if body.startswith('"'):
        body = "{" + body + "}"
        fixes.append("wrapped in braces")
    patched = re.sub(r'""([^"\n]*?)\s*,\s*$', r'"\1",', body, flags=re.M)
    if patched != body:
        fixes.append("fixed a doubled quote")
    body = patched
    patched = re.sub(r":\s*'\s*,", ": null,", body)
    if patched != body:
        fixes.append("replaced a stray quote with null")
    body = patched
    patched = re.sub(r'("|\d|true|false|null|\}|\])[ \t]*\n(\s*)(["{])', r"\1,\n\2\3", body)
    if patched != body:
        fixes.append("added missing commas")
    body = patched
    patched = re.sub(r",(\s*[}\]])", r"\1", body)
    if patched != body:
        fixes.append("dropped trailing commas")
    body = patched
    decoder = json.JSONDecoder()
    try:
        value, end = decoder.raw_decode(body)
    except ValueError:
        body += _closers(body)
        fixes.append("closed unbalanced brackets")
        value, end = decoder.raw_decode(body)
    if body[end:].strip():
        fixes.append("dropped trailing junk")
    return value, fixes


def _closers(text: str) -> str:
    """The brackets a truncated JSON text leaves open, closed in order."""
    stack: list[str] = []
    in_string = escaped = False
    for char in text:
        if in_string:
            escaped = char == "\\" and not escaped
            if char == '"' and not escaped:
                in_string = False
            continue
        if char == '"':
            in_string = True
        elif char in "{[":
            stack.append("}" if char == "{" else "]")
        elif char in "}]" and stack:
            stack.pop()
    return "".join(reversed(stack))


def _response(data: Any, status: int = 200) -> httpx.Response:
    request = httpx.Request("GET", "https://api.auvo.com.br/v2/x")
    return httpx.Response(status, content=json.dumps(data).encode(), request=request)


def model_for(example: Example) -> type[m.AuvoModel]:
    heading = example.heading.lower()
    if "participants from a specific team" in heading:
        return m.TeamUser
    if "clients of the customer group" in heading:
        return m.Customer
    return GROUPS[example.group]


def check(example: Example, data: Any) -> str:
    """Parse one example the way the SDK would; returns what it was checked as."""
    if example.status >= 400:
        info = auvo_error_info(data)
        assert info.message or info.field_errors, example.line
        return "error"
    if example.group == "Webhooks" and "Notifier" in example.heading:
        event = parse_event(json.dumps(data))
        assert event.entities
        assert isinstance(event.entities[0], m.Task)
        return "webhook delivery"
    if example.kind == "request":
        if isinstance(data, list):
            for item in data:
                if isinstance(item, dict):
                    assert not str(item["path"]).startswith("/")
                else:
                    assert isinstance(item, str)
            return "patch or id list"
        for key, model in ITEMS.items():
            if key in data:
                for item in data[key]:
                    model.model_validate(item).check_required()
                return key
        if "attachments" in data and len(data) <= 2:
            for item in data["attachments"]:
                m.AttachmentUpload.model_validate(item)
            return "attachments"
        if example.group == "Login":
            assert {"apiKey", "apiToken"} <= data.keys()
            return "login"
        model_for(example).model_validate(data)
        return "request"
    model = model_for(example)
    result = data.get("result") if isinstance(data, dict) else None
    if isinstance(result, dict) and "entityList" in result:
        page = read_page(model, _response(data), 1, 100)
        assert page.items, example.line
        return "page"
    entity = read_entity(model, _response(data))
    assert entity.model_fields_set, example.line
    return "entity"


def test_every_example_body_parses(specs_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    found = examples(blueprint(specs_dir))
    assert len(found) > 100
    repaired = []
    for example in found:
        data, fixes = repair(example.text)
        check(example, data)
        if fixes:
            repaired.append(f"line {example.line} ({example.heading}): {', '.join(fixes)}")
    with capsys.disabled():
        print(
            f"\nAuvo blueprint: {len(found)} example bodies parsed, {len(repaired)} of them "
            "after a lenient repair (see test_example_bodies_report)"
        )
    assert 0 < len(repaired) < len(found)


def test_blueprint_money_and_dates_read_right(specs_dir: Path) -> None:
    from decimal import Decimal

    task = m.Task.model_validate(
        {"expense": "2.500.000,00", "deliveredDate": "0001-01-01T00:00:00", "checkInDate": ""}
    )
    assert task.expense == Decimal("2500000.00")
    assert task.delivered_date is None
    assert task.check_in_date is None
    product = m.Product.model_validate({"unitaryValue": "12,00", "unitaryCost": "$0.00"})
    assert product.unitary_value == Decimal("12.00")
    assert product.unitary_cost == Decimal("0.00")


def test_example_bodies_report(specs_dir: Path) -> None:
    """What each repair was, for a reader of ``-rA`` output or a debugger."""
    report = []
    for example in examples(blueprint(specs_dir)):
        _, fixes = repair(example.text)
        if fixes:
            report.append(f"line {example.line} ({example.heading}): {', '.join(fixes)}")
    assert report
    assert all(
        "wrapped in braces" in r or "comma" in r or "quote" in r or "bracket" in r for r in report
    )
