"""Conformance with Bling's own OpenAPI description (read at test time, never copied).

Every operation under the issue's path prefixes has a method; every method hits a path and
method of the spec with the spec's query parameters; the bodies it builds validate against
the operation's request schema (with the corrections in ``spec_corrections``); and the
spec's response examples parse into the models.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

import bling.models as models
from bling import AsyncBling, Bling
from bling._calls import Created, snake
from bling._generate import Spec, format_source, generate, result_label
from bling._table import OPERATIONS, PREFIXES, RESULTS
from sdkcore.models import APIModel

from .schema_check import Schemas
from .spec_corrections import LIST_RESPONSES, UNWRAPPED_IN_SPEC

REPO = Path(__file__).resolve().parents[2]
METHODS = ("get", "post", "put", "patch", "delete")
D = date(2024, 3, 1)

SAMPLES: dict[str, dict[str, Any]] = {
    "Contato": {
        "nome": "Maria Souza",
        "tipo": "F",
        "situacao": "A",
        "numeroDocumento": "123.456.789-09",
        "email": "maria@example.com",
        "endereco": {"geral": {"endereco": "Rua A", "numero": "10", "uf": "SP"}},
    },
    "Produto": {
        "nome": "Instalação",
        "codigo": "S-INST",
        "preco": Decimal("350.00"),
        "tipo": "S",
        "situacao": "A",
        "formato": "S",
        "unidade": "SV",
    },
    "PedidoVenda": {
        "contato": {"id": 1001},
        "data": D,
        "itens": [
            {
                "produto": {"id": 2002},
                "codigo": "S-INST",
                "quantidade": Decimal("1"),
                "valor": Decimal("350.00"),
                "descricao": "Instalação",
            }
        ],
        "parcelas": [
            {"dataVencimento": D, "valor": Decimal("350.00"), "formaPagamento": {"id": 3002}}
        ],
    },
    "PropostaComercial": {
        "contato": {"id": 1001},
        "data": D,
        "itens": [
            {"produto": {"id": 2002}, "quantidade": Decimal("1.5"), "valor": Decimal("99.90")}
        ],
        "parcelas": [
            {"dataVencimento": D, "valor": Decimal("149.85"), "formaPagamento": {"id": 1}}
        ],
    },
    "ContaReceber": {
        "situacao": 1,
        "vencimento": D,
        "valor": Decimal("350.00"),
        "contato": {"id": 1001},
        "formaPagamento": {"id": 3002},
        "historico": "OS 42",
    },
    "ContaPagar": {
        "situacao": 1,
        "vencimento": D,
        "valor": Decimal("80.02"),
        "contato": {"id": 1003},
    },
    "FormaPagamento": {
        "descricao": "PIX",
        "tipoPagamento": 17,
        "finalidade": 3,
        "destino": 1,
        "situacao": 1,
    },
    "Categoria": {"descricao": "Serviços", "tipo": 2, "grupoDRE": 1},
    "CategoriaProduto": {"descricao": "Peças"},
    "Deposito": {"descricao": "Geral", "situacao": 1, "padrao": True, "desconsiderarSaldo": False},
    "Situacao": {"idModuloSistema": 98310, "nome": "Em campo", "cor": "#E9DC40"},
    "Estoque": {
        "produto": {"id": 2001},
        "deposito": {"id": 7001},
        "operacao": "E",
        "quantidade": Decimal("5"),
    },
    "Baixa": {
        "data": D,
        "usarDataVencimento": False,
        "portador": {"id": 1},
        "categoria": {"id": 4001},
        "historico": "Recebido",
        "valorRecebido": Decimal("350.00"),
    },
}


def spec_operations(spec: dict[str, Any]) -> set[tuple[str, str]]:
    return {
        (method.upper(), path)
        for path, item in spec["paths"].items()
        for method in item
        if method in METHODS and path.startswith(PREFIXES)
    }


def test_every_operation_under_the_prefixes_has_a_method(spec: dict[str, Any]) -> None:
    implemented = {(row[2], row[3]) for row in OPERATIONS}
    missing = spec_operations(spec) - implemented
    assert not missing, f"operations without a method: {sorted(missing)}"
    unknown = implemented - spec_operations(spec)
    assert not unknown, f"methods for operations the spec lacks: {sorted(unknown)}"


def test_the_generated_resources_are_current(spec: dict[str, Any]) -> None:
    try:
        expected = format_source(generate(spec))
    except (OSError, RuntimeError) as exc:  # pragma: no cover - ruff missing
        pytest.skip(f"ruff is needed to format the generated module: {exc}")
    current = (REPO / "bling" / "_resources.py").read_text(encoding="utf-8")
    assert current == expected, "run: .venv/bin/python -m bling._generate"


def test_docs_list_every_method_and_its_result(spec: dict[str, Any]) -> None:
    text = (REPO / "docs" / "bling.md").read_text(encoding="utf-8")
    for row in OPERATIONS:
        resource, name, method, path, *_ = row
        label = result_label(Spec(spec), row)
        line = f"| `{method} {path}` | `bling.{resource}.{name}` | {label} |"
        assert line in text, f"docs/bling.md lacks {line}"


# -- driving every method against responses synthesised from the spec ----------------------


class Recorder:
    def __init__(self, schemas: Schemas, spec: dict[str, Any]) -> None:
        self.schemas = schemas
        self.spec = spec
        self.requests: list[httpx.Request] = []
        self.operation: tuple[str, str] = ("", "")

    def answer(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        method, path = self.operation
        responses = self.spec["paths"][path][method.lower()]["responses"]
        for code in sorted(responses):
            if not code.startswith("2"):
                continue
            content = responses[code].get("content", {}).get("application/json")
            if not content:
                return httpx.Response(int(code))
            body = self.schemas.example(content["schema"])
            if (method, path) in LIST_RESPONSES and isinstance(body.get("data"), dict):
                body["data"] = [body["data"]]
            return httpx.Response(int(code), json=body)
        raise AssertionError(f"no 2xx answer for {method} {path}")


def value_for(annotation: str, name: str) -> Any:
    if annotation.startswith("int | str"):
        return 12345678
    plain = annotation.replace(" | None", "")
    if plain.split(" | ")[0] in SAMPLES:
        return SAMPLES[plain.split(" | ")[0]]
    return {
        "int": 1,
        "str": "A",
        "bool": True,
        "Decimal | float": Decimal("1.5"),
        "date | str": D,
        "datetime | date | str": datetime(2024, 3, 1, 10, 0, 0),
        "Sequence[int]": [11, 12],
        "Sequence[str]": ["a", "b"],
    }.get(plain, "A")


def wire_query_names(spec: dict[str, Any], method: str, path: str) -> set[str]:
    item = spec["paths"][path]
    params = item.get("parameters", []) + item[method.lower()].get("parameters", [])
    names = set()
    for param in params:
        if "$ref" in param:
            param = spec["components"]["parameters"][param["$ref"].rsplit("/", 1)[-1]]
        if param["in"] == "query":
            names.add(param["name"])
    return names


def request_schema(spec: dict[str, Any], method: str, path: str) -> dict[str, Any] | None:
    body = spec["paths"][path][method.lower()].get("requestBody")
    if not body:
        return None
    return body["content"]["application/json"]["schema"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("flavour", ["sync", "async"])
@pytest.mark.parametrize("row", OPERATIONS, ids=lambda r: f"{r[0]}.{r[1]}")
def test_method_matches_its_operation(
    spec: dict[str, Any], row: tuple[Any, ...], flavour: str
) -> None:
    resource, name, method, path, kind, model, _fields = row
    schemas = Schemas(spec)
    recorder = Recorder(schemas, spec)
    recorder.operation = (method, path)
    transport = httpx.MockTransport(recorder.answer)
    cls = AsyncBling if flavour == "async" else Bling
    client = cls("token-0123456789abcdef", transport=transport, rate_limiter=False)
    target: Any = client
    for part in resource.split("."):
        target = getattr(target, part)
    func = getattr(target, name)
    args: list[Any] = []
    kwargs: dict[str, Any] = {}
    body_schema = request_schema(spec, method, path)
    field_examples: dict[str, Any] = {}
    if _fields and body_schema is not None:
        example = schemas.example(body_schema)
        field_examples = {snake(wire): example[wire] for wire in _fields}
    for param in inspect.signature(func).parameters.values():
        if param.name in ("extra_headers", "extra_query", "timeout", "limite", "pagina"):
            continue
        annotation = str(param.annotation)
        if annotation == "Any" and body_schema is not None:
            value = schemas.example(body_schema)
        elif param.name in field_examples:
            value = field_examples[param.name]
        else:
            value = value_for(annotation, param.name)
        if param.kind is inspect.Parameter.KEYWORD_ONLY:
            kwargs[param.name] = value
        else:
            args.append(value)
    result = func(*args, **kwargs)
    if flavour == "async":
        result = asyncio.run(result.to_list() if kind == "list" else _await(result))
    if kind == "list":
        result = list(result)
        if model:
            assert result
            assert all(isinstance(r, getattr(models, model)) for r in result)
    elif kind == "create":
        assert isinstance(result, Created)
    elif kind in ("get", "fetch"):
        items = result if isinstance(result, list) else [result]
        assert items
        assert all(isinstance(r, getattr(models, model)) for r in items)
    else:
        expected = RESULTS[(resource, name)].removesuffix(" | None")
        if expected == "None":
            assert result is None
        elif expected.startswith("int"):
            assert type(result) is int
        else:
            many = expected.startswith("list[")
            cls = getattr(models, expected.removeprefix("list[").removesuffix("]"))
            items = result if many else [result]
            assert isinstance(items, list)
            assert items
            assert all(isinstance(r, cls) for r in items)
    undeclared = sorted(set(_undeclared(result)))
    assert not undeclared, f"fields of the spec's answer the models do not declare: {undeclared}"

    request = recorder.requests[0]
    assert request.method == method
    template = "^" + re.sub(r"\{\w+\}", "12345678", path) + "$"
    assert re.match(template, request.url.path.removeprefix("/Api/v3")), request.url.path
    assert request.headers["enable-jwt"] == "1"
    sent = set(request.url.params.keys())
    assert sent == wire_query_names(spec, method, path), "query parameters differ from the spec"
    if body_schema is not None:
        body = json.loads(request.content)
        problems = schemas.errors(body, body_schema)
        assert not problems, f"{method} {path} body does not validate: {problems}"
    elif method in ("GET", "DELETE"):
        assert not request.content


async def _await(value: Any) -> Any:
    return await value


def _undeclared(value: Any, where: str = "") -> list[str]:
    """Keys of the answer a model kept only as extra fields (not declared), recursively."""
    out: list[str] = []
    if isinstance(value, APIModel):
        name = where or type(value).__name__
        out += [f"{name}.{key}" for key in value.model_extra or {}]
        for field in type(value).model_fields:
            out += _undeclared(getattr(value, field), f"{name}.{field}")
    elif isinstance(value, list):
        for item in value:
            out += _undeclared(item, where)
    return out


def test_unwrapped_spec_answers_still_parse(spec: dict[str, Any]) -> None:
    assert {(r[2], r[3]) for r in OPERATIONS} >= UNWRAPPED_IN_SPEC


@pytest.mark.parametrize(
    ("key", "wrong"),
    [
        (("produtos", "update"), "None"),  # the spec's answer has a body
        (("pedidos_vendas", "lancar_contas"), "ContaBaixada"),  # 204 only
        (("contatos", "delete_many"), "Alertas"),  # 204 is possible too
        (("produtos", "alterar_atributo_variacoes"), "Ref"),  # data is a list
    ],
)
def test_results_are_checked_against_the_spec(
    spec: dict[str, Any], monkeypatch: pytest.MonkeyPatch, key: tuple[str, str], wrong: str
) -> None:
    monkeypatch.setitem(RESULTS, key, wrong)
    with pytest.raises(ValueError, match="RESULTS"):
        generate(spec)
