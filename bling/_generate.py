"""Write ``bling/_resources.py`` from ``_table.OPERATIONS`` and Bling's OpenAPI description.

    python -m bling._generate [path/to/openapi.json]

The table says which operations exist and what to call them; the spec supplies each
operation's query parameters and small bodies (names and types, never prose). The output
is ordinary typed Python, checked in, so readers and type checkers see every method.
A test regenerates it and fails when the checked-in file is stale.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from ._calls import snake
from ._table import OPERATIONS, RESULTS, Row

HERE = Path(__file__).resolve().parent
TARGET = HERE / "_resources.py"
DEFAULT_SPEC = HERE.parent.parent / "shared" / "specs" / "bling-v3" / "openapi.json"

PER_CALL = (
    "extra_headers: Mapping[str, str] | None = None",
    "extra_query: Mapping[str, Any] | None = None",
    "timeout: float | Timeout | None = None",
)


def spec_path() -> Path:
    root = os.environ.get("PONTE_SPECS_DIR")
    return Path(root) / "bling-v3" / "openapi.json" if root else DEFAULT_SPEC


class Spec:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data

    def resolve(self, node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            section, name = node["$ref"].split("/")[-2:]
            node = self.data["components"][section][name]
        return node

    def properties(self, node: dict[str, Any]) -> dict[str, Any]:
        node = self.resolve(node)
        out: dict[str, Any] = {}
        for part in node.get("allOf", []):
            out.update(self.properties(part))
        out.update(node.get("properties", {}))
        return out

    def operation(self, method: str, path: str) -> dict[str, Any]:
        return dict(self.data["paths"][path][method.lower()])

    def parameters(self, method: str, path: str) -> list[dict[str, Any]]:
        item = self.data["paths"][path]
        params = [self.resolve(p) for p in item.get("parameters", [])]
        params += [self.resolve(p) for p in item[method.lower()].get("parameters", [])]
        return params

    def body_schema(self, method: str, path: str) -> dict[str, Any] | None:
        body = self.operation(method, path).get("requestBody")
        if not body:
            return None
        schema = self.resolve(body).get("content", {}).get("application/json", {}).get("schema")
        return schema if isinstance(schema, dict) else None

    def returns_list(self, method: str, path: str) -> bool:
        for code, answer in self.operation(method, path)["responses"].items():
            if not code.startswith("2"):
                continue
            schema = self.resolve(answer).get("content", {}).get("application/json", {})
            schema = schema.get("schema")
            if not schema:
                continue
            data = self.properties(schema).get("data")
            if data is not None and self.resolve(data).get("type") == "array":
                return True
        return False

    def answers(self, method: str, path: str) -> tuple[bool, bool]:
        """(some 2xx answer has a body, some 2xx answer has none)."""
        body = empty = False
        for code, answer in self.operation(method, path)["responses"].items():
            if not code.startswith("2"):
                continue
            content = self.resolve(answer).get("content", {}).get("application/json", {})
            if content.get("schema"):
                body = True
            else:
                empty = True
        return body, empty


def write_result(spec: Spec, row: Row) -> str:
    """The ``RESULTS`` entry of a write, checked against the spec's answers."""
    resource, name, method, path, *_ = row
    result = RESULTS[(resource, name)]
    body, empty = spec.answers(method, path)
    where = f"RESULTS[{resource!r}, {name!r}] = {result!r}"
    if (result == "None") != (not body):
        raise ValueError(f"{where}: the spec says the answer {'has' if body else 'has no'} body")
    if result != "None" and result.endswith(" | None") != empty:
        raise ValueError(
            f"{where}: the spec says an empty answer is {'' if empty else 'not '}possible"
        )
    many = result.removesuffix(" | None").startswith("list[")
    if (
        result != "None"
        and not result.startswith("int")
        and many != spec.returns_list(method, path)
    ):
        raise ValueError(f"{where}: the spec's data {'is' if not many else 'is not'} a list")
    return result


def _result_parts(result: str) -> tuple[str, str]:
    """(the Python type, the parser expression) of a ``RESULTS`` entry."""
    if result == "None":
        return "None", "c.nothing"
    if result.endswith(" | None"):
        typ, expr = _result_parts(result.removesuffix(" | None"))
        return f"{typ} | None", f"c.optional({expr})"
    if result.startswith("int"):
        key = result.partition(":")[2]
        return "int", f"c.read_id({key!r})" if key else "c.read_id()"
    if result.startswith("list["):
        model = result[len("list[") : -1]
        return f"_List[{model}]", f"c.data_parser({model}, True)"
    return result, f"c.data_parser({result})"


def result_models(result: str) -> set[str]:
    plain = result.removesuffix(" | None")
    if plain == "None" or plain.startswith("int"):
        return set()
    return {plain.removeprefix("list[").removesuffix("]")}


def result_label(spec: Spec, row: Row) -> str:
    """What a method returns, in the words of the docs' coverage table."""
    _resource, _name, method, path, kind, model, _fields = row
    if kind == "list":
        return f"pager of `{model}`"
    if kind == "create":
        return "`Created` (the id)"
    if kind in ("get", "fetch"):
        return f"list of `{model}`" if spec.returns_list(method, path) else f"`{model}`"
    result = write_result(spec, row)
    optional = result.endswith(" | None")
    plain = result.removesuffix(" | None")
    if plain == "None":
        label = "`None`"
    elif plain.startswith("int"):
        label = f"the id `{plain.partition(':')[2] or 'id'}` (`int`)"
    elif plain.startswith("list["):
        label = f"list of `{plain[len('list[') : -1]}`"
    else:
        label = f"`{plain}`"
    return f"{label} or `None` (204)" if optional else label


def py_type(schema: dict[str, Any]) -> str:
    kind = schema.get("type")
    fmt = schema.get("format", "")
    if kind == "integer":
        return "int"
    if kind == "number":
        return "Decimal | float"
    if kind == "boolean":
        return "bool"
    if kind == "array":
        item = py_type(schema.get("items", {}))
        return f"Sequence[{item}]"
    if kind == "string" and fmt == "date":
        return "date | str"
    if kind == "string" and fmt in ("datetime", "date-time"):
        return "datetime | date | str"
    if kind == "string":
        return "str"
    return "Any"


def date_kind(schema: dict[str, Any]) -> str | None:
    fmt = schema.get("format", "")
    if schema.get("type") == "string" and fmt == "date":
        return "date"
    if schema.get("type") == "string" and fmt in ("datetime", "date-time"):
        return "datetime"
    return None


def class_name(resource: str) -> str:
    return "".join(part.title() for part in resource.replace(".", "_").split("_"))


def const_name(row: Row) -> str:
    return f"_{row[0].replace('.', '_').upper()}_{row[1].upper()}"


def endpoint_line(spec: Spec, row: Row) -> str:
    _resource, _name, method, path, kind, model, _fields = row
    many = kind == "list" or (kind in ("get", "fetch") and spec.returns_list(method, path))
    dates: list[tuple[str, str]] = []
    names: list[str] = []
    for param in spec.parameters(method, path):
        if param["in"] != "query":
            continue
        names.append(param["name"])
        dk = date_kind(param.get("schema", {}))
        if dk:
            dates.append((param["name"], dk))
    ranges = [
        (n, n[: -len("Inicial")] + "Final")
        for n in names
        if n.endswith("Inicial") and n[: -len("Inicial")] + "Final" in names
    ]
    args = [repr(method), repr(path), model or "None", repr(many)]
    if dates:
        args.append(f"dates={tuple(dates)!r}")
    if ranges:
        args.append(f"ranges={tuple(ranges)!r}")
    if kind not in ("list", "get", "fetch", "create"):
        args.append(f"result={_result_parts(write_result(spec, row))[1]}")
    return f"{const_name(row)} = E({', '.join(args)})"


DOCS = {
    "list": "List {what} lazily, {limit} a page, stopping on a short page (``{m} {p}``).",
    "get": "One record (``{m} {p}``).",
    "fetch": "``{m} {p}``.",
    "create": "Create a record and return its id (``{m} {p}``); never retried after a timeout.",
    "update": (
        "Replace the whole record (``{m} {p}``): Bling clears every field the body omits,\n"
        "        so send the full record (``get`` it, change it, ``update`` it)."
    ),
    "patch": "Change only the fields given (``{m} {p}``).",
    "delete": "Delete one record (``{m} {p}``).",
    "delete_many": "Delete several records at once (``{m} {p}``).",
    "action": "``{m} {p}``.",
}


def method_source(spec: Spec, row: Row) -> str:
    """One builder: ``@endpoint`` returning the ``Call``, or ``@paged`` returning the pages."""
    resource, name, method, path, kind, model, fields = row
    ids = [snake(p[1:-1]) for p in path.split("/") if p.startswith("{")]
    positional: list[str] = [f"{i}: int | str" for i in ids]
    keyword: list[str] = []
    query_items: list[str] = []
    for param in spec.parameters(method, path):
        if param["in"] != "query":
            continue
        wire = param["name"]
        if kind == "list" and wire in ("pagina", "limite"):
            continue
        py = snake(wire)
        typ = py_type(param.get("schema", {}))
        if param.get("required"):
            positional.append(f"{py}: {typ}")
        else:
            keyword.append(f"{py}: {typ} | None = None")
        query_items.append(f"{wire!r}: {py}")
    body_arg = None
    field_items: list[str] = []
    schema = spec.body_schema(method, path)
    if fields:
        props = spec.properties(schema or {})
        for wire in fields:
            py = snake(wire)
            positional.append(f"{py}: {py_type(spec.resolve(props.get(wire, {})))}")
            field_items.append(f"{wire!r}: {py}")
    elif schema is not None:
        body_arg = snake(model) if model else "body"
        typ = f"{model} | Mapping[str, Any]" if model else "Any"
        positional.append(f"{body_arg}: {typ}")
    if kind == "list":
        keyword += ["limite: int = c.PAGE_SIZE", "pagina: int = 1"]
    params = ["self", *positional, "*", *keyword, *PER_CALL]
    what = resource.split(".")[-1].replace("_", " ")
    doc = DOCS[kind].format(what=what, limit=100, m=method, p=path)
    const = const_name(row)
    per_call = "PerCall(extra_headers, extra_query, timeout)"
    ids_tuple = "(" + "".join(f"{i}, " for i in ids) + ")"
    query = "{" + ", ".join(query_items) + "}"
    if kind in ("list", "get", "fetch") and not model:
        raise ValueError(f"{resource}.{name}: a read needs a model in the table")
    if kind == "list":
        item = model
        body = f"return c.ListPlan[{item}]({const}, {query}, {per_call}, limite, pagina)"
        return _method("paged", name, params, f"PageFetcher[{item}]", doc, body)
    if model and kind in ("get", "fetch"):
        result = f"_List[{model}]" if spec.returns_list(method, path) else model
    elif kind == "create":
        result = "Created"
    else:
        result = _result_parts(write_result(spec, row))[0]
    if kind in ("get", "fetch"):
        call = f"c.fetch_call({const}, {ids_tuple}, {per_call}, {query})"
    elif kind == "create":
        call = f"c.create_call({const}, {ids_tuple}, {per_call}, {body_arg or 'None'})"
    else:
        if field_items:
            body_expr = "c.fields_body({" + ", ".join(field_items) + "})"
        elif body_arg:
            body_expr = body_arg
        else:
            body_expr = "c.no_body()"
        call = f"c.write_call({const}, {ids_tuple}, {per_call}, {query}, {body_expr})"
    return _method("endpoint", name, params, f"Call[{result}]", doc, f"return {call}")


def _method(decorator: str, name: str, params: list[str], result: str, doc: str, body: str) -> str:
    signature = ", ".join(params)
    return (
        f"    @{decorator}\n"
        f"    def {name}({signature}) -> {result}:\n"
        f'        """{doc}"""\n'
        f"        {body}\n"
    )


def generate(spec_data: dict[str, Any]) -> str:
    spec = Spec(spec_data)
    by_resource: dict[str, list[Row]] = defaultdict(list)
    for row in OPERATIONS:
        by_resource[row[0]].append(row)
    models = sorted(
        {row[5] for row in OPERATIONS if row[5]}.union(*map(result_models, RESULTS.values()))
    )
    out: list[str] = [HEADER, "from .models import " + ", ".join(models) + "\n\n"]
    out.append('C = TypeVar("C", bound=BaseAPIClient, covariant=True)\n_List = list\n\n')
    for row in OPERATIONS:
        out.append(endpoint_line(spec, row) + "\n")
    children: dict[str, list[str]] = defaultdict(list)
    for resource in by_resource:
        if "." in resource:
            parent, child = resource.rsplit(".", 1)
            children[parent].append(child)
    for resource, rows in by_resource.items():
        cls = class_name(resource)
        out.append(
            f"\n\nclass {cls}(Resource[C]):\n"
            f'    """Bling ``{rows[0][3]}`` and its sub-actions."""\n\n'
        )
        for child in children.get(resource, []):
            child_cls = class_name(f"{resource}.{child}")
            out.append(
                f"    @cached_property\n    def {child}(self) -> {child_cls}[C]:\n"
                f"        return {child_cls}(self._client)\n\n"
            )
        out.append("\n".join(method_source(spec, row) for row in rows))
    return "".join(out)


HEADER = '''"""Bling resources, generated by ``python -m bling._generate``: do not edit by hand.

Each method is written once, as a builder of its request (see ``sdkcore.endpoints``) made
with the pure functions of ``bling._calls``: bound to ``Bling`` it answers, bound to
``AsyncBling`` it is awaited, and ``list`` returns a ``SyncPager`` or an ``AsyncPager``.
"""

# ruff: noqa: E501

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from functools import cached_property
from typing import Any, TypeVar

from sdkcore import Call
from sdkcore.client import BaseAPIClient, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.transport import Timeout

from . import _calls as c
from ._calls import Created, Endpoint as E
'''


def format_source(source: str) -> str:
    ruff = Path(sys.executable).with_name("ruff")
    command = [str(ruff)] if ruff.exists() else [sys.executable, "-m", "ruff"]
    done = subprocess.run(
        [*command, "format", "--stdin-filename", str(TARGET), "-"],
        input=source,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    path = Path(args[0]) if args else spec_path()
    source = format_source(generate(json.loads(path.read_text(encoding="utf-8"))))
    TARGET.write_text(source, encoding="utf-8")
    print(f"wrote {TARGET} ({len(OPERATIONS)} operations)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
