"""Every operation of Conta Azul's nine api-v2 spec files, and every portal operation the
bridge needs, has a client method that sends it.

``SPEC`` and ``PORTAL`` map each operation (method, path template) to a call of the client.
Each call runs on a ``ContaAzul`` whose transport records what it sends and answers with
the operation's example (the spec's, or the portal's for ``PORTAL``); the request must have
the operation's method and path. ``SPEC`` must name exactly the spec files' operations: one
missing, or one the files do not have, fails. ``contracts-openapi.yml`` and
``scheduled-sales-openapi.yml`` describe the same contract operations differently: one
method serves both, and it runs against each file's answer.

The same table renders the docs' coverage table (``coverage_table.py``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from contaazul.v2 import ContaAzul
from sdkcore.paging import SyncPager

from .coverage_table import END, START, render
from .spec_corrections import SPEC_FILES, load_spec, spec_operations, specs_dir
from .test_prism import (
    baixa_record,
    cobranca_record,
    contract_record,
    financial_event_record,
    orcamento_record,
    produto_record,
    sale_record,
)

ID = "9986f173-f531-4660-96ae-04b71c879264"
"""Every path parameter of every call: the request's path is its template filled with it."""
TOKEN = "coverage-access-token-0123456789"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "contaazul-v2.md"
SAO_PAULO = ZoneInfo("America/Sao_Paulo")


@dataclass(frozen=True)
class Answer:
    """What the recording transport answers: a status and a JSON body (``None``: empty)."""

    status: int
    body: Any = None


@dataclass(frozen=True)
class Covers:
    """``ca.<resource>.<method>(*args, **kwargs)``: the call that sends one operation."""

    resource: str
    method: str
    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    portal: Answer | None = None
    """For a portal operation (no spec file to answer from): the answer its page shows."""
    source: str = ""
    """For a portal operation: the portal section that documents it."""

    @property
    def name(self) -> str:
        return f"ca.{self.resource}.{self.method}"

    def __call__(self, ca: ContaAzul) -> Any:
        return getattr(getattr(ca, self.resource), self.method)(*self.args, **self.kwargs)


def covers(resource: str, method: str, *args: Any, **kwargs: Any) -> Covers:
    return Covers(resource, method, args, kwargs)


def portal(
    source: str, answer: Answer, resource: str, method: str, *args: Any, **kwargs: Any
) -> Covers:
    return Covers(resource, method, args, kwargs, portal=answer, source=source)


BAIXAS = "/v1/financeiro/eventos-financeiros/parcelas"
RECEBER = "/v1/financeiro/eventos-financeiros/contas-a-receber"
PAGAR = "/v1/financeiro/eventos-financeiros/contas-a-pagar"
EVENTOS = "/v1/financeiro/eventos-financeiros"
SINCE = datetime(2026, 1, 1, 8, 30, tzinfo=SAO_PAULO)
UNTIL = datetime(2026, 3, 12, 23, 59, 59, tzinfo=SAO_PAULO)
DUE = {"data_vencimento_de": date(2026, 1, 1), "data_vencimento_ate": date(2026, 12, 31)}

SPEC: dict[tuple[str, str], Covers] = {
    # acquittance-openapi.yml
    ("POST", BAIXAS + "/{parcela_id}/baixa"): covers("baixas", "create", ID, baixa_record()),
    ("GET", BAIXAS + "/{parcela_id}/baixa"): covers("baixas", "list", ID),
    ("GET", BAIXAS + "/baixa/{baixa_id}"): covers("baixas", "get", ID),
    ("PATCH", BAIXAS + "/baixa/{baixa_id}"): covers(
        "baixas", "patch", ID, {"versao": 2, "observacao": "Conferido"}
    ),
    ("DELETE", BAIXAS + "/baixa/{baixa_id}"): covers("baixas", "delete", ID),
    # charge-openapi.yml
    ("POST", RECEBER + "/gerar-cobranca"): covers("cobrancas", "create", cobranca_record()),
    ("GET", RECEBER + "/cobranca/{id_cobranca}"): covers("cobrancas", "get", ID),
    ("DELETE", RECEBER + "/cobranca/{id_cobranca}"): covers("cobrancas", "delete", ID),
    # contracts-openapi.yml and scheduled-sales-openapi.yml
    ("GET", "/v1/contratos"): covers(
        "contratos", "list", data_inicio=date(2026, 1, 1), data_fim=date(2026, 12, 31)
    ),
    ("POST", "/v1/contratos"): covers("contratos", "create", contract_record(12)),
    ("GET", "/v1/contratos/proximo-numero"): covers("contratos", "next_number"),
    ("GET", "/v1/contratos/{id}"): covers("contratos", "get", ID),
    ("DELETE", "/v1/contratos/{id}"): covers("contratos", "delete", ID),
    ("POST", "/v1/contratos/{id}/encerrar"): covers("contratos", "encerrar", ID),
    # financial-openapi.yml
    ("GET", "/v1/conta-financeira"): covers("contas_financeiras", "list"),
    ("GET", "/v1/conta-financeira/{id_conta_financeira}/saldo-atual"): covers(
        "contas_financeiras", "saldo_atual", ID
    ),
    ("GET", "/v1/categorias"): covers("categorias", "list"),
    ("GET", "/v1/categorias/configuracao-padrao"): covers("categorias", "configuracao_padrao"),
    ("GET", "/v1/financeiro/categorias-dre"): covers("categorias_dre", "list"),
    ("GET", "/v1/centro-de-custo"): covers("centros_de_custo", "list"),
    ("POST", "/v1/centro-de-custo"): covers("centros_de_custo", "create", {"nome": "Obras"}),
    ("GET", "/v1/financeiro/transferencias"): covers("transferencias", "list"),
    ("POST", RECEBER): covers("contas_a_receber", "create", financial_event_record("Instalação")),
    ("GET", RECEBER + "/buscar"): covers("contas_a_receber", "list", **DUE),
    ("POST", PAGAR): covers("contas_a_pagar", "create", financial_event_record("Peças")),
    ("GET", PAGAR + "/buscar"): covers("contas_a_pagar", "list", **DUE),
    ("GET", EVENTOS + "/{id_evento}/parcelas"): covers("parcelas", "list_do_evento", ID),
    ("GET", EVENTOS + "/parcelas/{id}"): covers("parcelas", "get", ID),
    ("PATCH", EVENTOS + "/parcelas/{id}"): covers(
        "parcelas", "patch", ID, {"versao": 3, "nota": "Pgto 1/1"}
    ),
    ("GET", EVENTOS + "/alteracoes"): covers(
        "eventos_financeiros", "alteracoes", data_inicio=SINCE, data_fim=UNTIL
    ),
    ("GET", EVENTOS + "/saldo-inicial"): covers(
        "eventos_financeiros", "saldos_iniciais", data_inicio=SINCE, data_fim=UNTIL
    ),
    # inventory-openapi.yml
    ("GET", "/v1/produto/busca"): covers("produtos", "list"),
    ("POST", "/v1/produto"): covers("produtos", "create", produto_record()),
    ("DELETE", "/v1/produto/{id}"): covers("produtos", "delete", ID),
    ("POST", "/v1/produto/desativar"): covers("produtos", "desativar", [ID]),
    # proposal-openapi.yml
    ("GET", "/v1/orcamentos"): covers("orcamentos", "list"),
    ("POST", "/v1/orcamentos"): covers("orcamentos", "create", orcamento_record()),
    ("DELETE", "/v1/orcamentos"): covers("orcamentos", "delete_many", [ID]),
    ("GET", "/v1/orcamentos/{id}"): covers("orcamentos", "get", ID),
    # protocol-openapi.yml
    ("GET", "/v1/protocolo/{id}"): covers("protocolos", "get", ID),
    # sales-openapi.yml
    ("GET", "/v1/venda/busca"): covers("vendas", "list"),
    ("POST", "/v1/venda"): covers("vendas", "create", sale_record(1001)),
    ("GET", "/v1/venda/{id}"): covers("vendas", "get", ID),
    ("PUT", "/v1/venda/{id}"): covers("vendas", "update", ID, sale_record(1001, versao=1)),
    ("GET", "/v1/venda/{id_venda}/itens"): covers("vendas", "itens", ID),
    ("GET", "/v1/venda/{id}/imprimir"): covers("vendas", "imprimir", ID),
    ("POST", "/v1/venda/exclusao-lote"): covers("vendas", "delete_many", [ID]),
    ("GET", "/v1/venda/proximo-numero"): covers("vendas", "next_number"),
    ("GET", "/v1/venda/vendedores"): covers("vendas", "vendedores"),
}

PESSOAS = "Cadastro de Pessoas"
SERVICOS = "Serviços"
PRODUTOS = "Produtos"
PESSOA = {"id": ID, "nome": "Maria Souza", "tipo_pessoa": "Física", "documento": "12345678909"}
SERVICO = {"id": ID, "codigo": "INST-01", "descricao": "Instalação", "preco": 350.0}
EM_LOTE = Answer(200, [{"ativos": [], "inativos": [ID], "todos": [ID]}])
NOVA_PESSOA = {
    "nome": "Maria Souza",
    "tipo_pessoa": "Física",
    "cpf": "12345678909",
    "email": "maria@example.com",
    "perfis": [{"tipo_perfil": "Cliente"}],
}

PORTAL: dict[tuple[str, str], Covers] = {
    ("GET", "/v1/pessoas"): portal(
        PESSOAS,
        Answer(200, {"totalItems": 1, "items": [PESSOA]}),
        "pessoas",
        "list",
        documentos=["12345678909"],
    ),
    ("GET", "/v1/pessoas/{id}"): portal(PESSOAS, Answer(200, PESSOA), "pessoas", "get", ID),
    ("POST", "/v1/pessoas"): portal(PESSOAS, Answer(201, PESSOA), "pessoas", "create", NOVA_PESSOA),
    ("PUT", "/v1/pessoas/{id}"): portal(
        PESSOAS, Answer(200, PESSOA), "pessoas", "update", ID, NOVA_PESSOA
    ),
    ("PATCH", "/v1/pessoas/{id}"): portal(
        PESSOAS, Answer(204), "pessoas", "patch", ID, {"email": "maria@example.com"}
    ),
    ("POST", "/v1/pessoas/inativar"): portal(PESSOAS, EM_LOTE, "pessoas", "inativar", [ID]),
    ("POST", "/v1/pessoas/ativar"): portal(PESSOAS, EM_LOTE, "pessoas", "ativar", [ID]),
    ("GET", "/v1/servicos"): portal(
        SERVICOS,
        Answer(200, {"itens": [SERVICO], "paginacao": {"pagina_atual": 1, "total_itens": 1}}),
        "servicos",
        "list",
    ),
    ("GET", "/v1/servicos/{id}"): portal(SERVICOS, Answer(200, SERVICO), "servicos", "get", ID),
    ("POST", "/v1/servicos"): portal(
        SERVICOS, Answer(201, SERVICO), "servicos", "create", {"descricao": "Instalação"}
    ),
    ("PATCH", "/v1/servicos/{id}"): portal(
        SERVICOS, Answer(204), "servicos", "update", ID, {"preco": Decimal("380.00")}
    ),
    ("GET", "/v1/produtos/{id}"): portal(
        PRODUTOS,
        Answer(200, {"id": ID, "nome": "Filtro de ar", "codigo_sku": "FLT-9000"}),
        "produtos",
        "get",
        ID,
    ),
}


# -- answers from the spec --------------------------------------------------------------------


def _resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = spec["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def example_of(spec: dict[str, Any], node: dict[str, Any], depth: int = 0) -> Any:
    """The value a schema exemplifies: its own ``example``, or one built from its parts'."""
    node = _resolve(spec, node)
    if "example" in node:
        return node["example"]
    if depth > 8:  # a schema that contains itself: stop with nothing
        return None
    if "allOf" in node:
        merged: dict[str, Any] = {}
        for part in node["allOf"]:
            value = example_of(spec, part, depth + 1)
            if isinstance(value, dict):
                merged.update(value)
        return merged
    for choice in ("oneOf", "anyOf"):
        if choice in node:
            return example_of(spec, node[choice][0], depth + 1)
    if "enum" in node:
        return node["enum"][0]
    kind = node.get("type", "object" if "properties" in node else None)
    if kind == "object":
        properties = node.get("properties", {})
        return {name: example_of(spec, sub, depth + 1) for name, sub in properties.items()}
    if kind == "array":
        return [example_of(spec, node.get("items", {}), depth + 1)]
    scalars = {"integer": 1, "number": 1.5, "boolean": True}
    if kind in scalars:
        return scalars[kind]
    formats = {"date": "2026-01-15", "date-time": "2026-01-15T10:00:00Z", "uuid": ID}
    return formats.get(node.get("format", ""), "texto")


def spec_answer(spec: dict[str, Any], operation: dict[str, Any]) -> httpx.Response:
    """The operation's first success answer, with the spec's example body."""
    code = min(c for c in operation["responses"] if str(c).startswith("2"))
    content = operation["responses"][code].get("content") or {}
    if not content:
        return httpx.Response(int(code))
    media_type, media = next(iter(content.items()))
    if "json" not in media_type:
        return httpx.Response(
            int(code), content=b"%PDF-1.4\n%%EOF\n", headers={"Content-Type": media_type}
        )
    if "example" in media:
        body = media["example"]
    elif "examples" in media:
        body = next(iter(media["examples"].values()))["value"]
    else:
        body = example_of(spec, media["schema"])
    return httpx.Response(int(code), json=body)


def portal_answer(answer: Answer) -> httpx.Response:
    if answer.body is None:
        return httpx.Response(answer.status)
    return httpx.Response(answer.status, json=answer.body)


def sent_by(call: Covers, answer: httpx.Response) -> tuple[list[httpx.Request], Exception | None]:
    """The requests ``call`` sends on a client whose transport answers ``answer``, and what
    the call raised (reading that answer, say), if anything."""
    sent: list[httpx.Request] = []

    def reply(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)

    with ContaAzul(
        TOKEN, transport=httpx.MockTransport(reply), rate_limiter=False, max_retries=0
    ) as ca:
        try:
            result = call(ca)
            if isinstance(result, SyncPager):
                next(iter(result), None)  # the first page is enough to know the request
        except Exception as error:  # re-raised once the requests are checked
            return sent, error
    return sent, None


def assert_sends(call: Covers, method: str, template: str, answer: httpx.Response) -> None:
    """``call`` sends ``method`` on ``template`` (its parameters filled with ``ID``) and
    reads the answer."""
    sent, error = sent_by(call, answer)
    expected = template
    for name in _placeholders(template):
        expected = expected.replace("{" + name + "}", ID)
    assert sent, f"{call.name} sent nothing (it raised {error!r})"
    for request in sent:
        assert (request.method, request.url.path) == (method, expected), (
            f"{call.name} sent {request.method} {request.url.path}, not {method} {template}"
        )
    if error is not None:
        raise AssertionError(
            f"{call.name} could not read the answer to {method} {template}"
        ) from error


def _placeholders(template: str) -> list[str]:
    return [part.split("}", 1)[0] for part in template.split("{")[1:]]


# -- the tests --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def specs() -> dict[str, dict[str, Any]]:
    if not specs_dir().is_dir():
        pytest.skip(f"Conta Azul's api-v2 spec files not found at {specs_dir()}")
    return {name: load_spec(name) for name in SPEC_FILES}


def spec_cases() -> list[Any]:
    """``(file, method, path)`` of every operation of every spec file, as test cases."""
    if not specs_dir().is_dir():
        return []
    return [
        pytest.param(name, method, path, id=f"{name}:{method} {path}")
        for name in SPEC_FILES
        for method, path, _ in spec_operations(load_spec(name))
    ]


def test_the_table_names_every_spec_operation_and_no_other(
    specs: dict[str, dict[str, Any]],
) -> None:
    in_specs = {
        (method, path) for spec in specs.values() for method, path, _ in spec_operations(spec)
    }
    assert sorted(in_specs - SPEC.keys()) == [], "spec operations without a client method"
    assert sorted(SPEC.keys() - in_specs) == [], "table entries the spec files do not have"
    assert len(in_specs) == 49


def test_portal_operations_are_not_in_the_specs(specs: dict[str, dict[str, Any]]) -> None:
    """An operation a spec file gains belongs in ``SPEC``, answered by the spec's example."""
    in_specs = {
        (method, path) for spec in specs.values() for method, path, _ in spec_operations(spec)
    }
    assert sorted(PORTAL.keys() & in_specs) == []


@pytest.mark.parametrize(("spec_name", "method", "path"), spec_cases())
def test_each_spec_operation_is_sent_by_its_method(
    specs: dict[str, dict[str, Any]], spec_name: str, method: str, path: str
) -> None:
    spec = specs[spec_name]
    operation = spec["paths"][path][method.lower()]
    assert_sends(SPEC[(method, path)], method, path, spec_answer(spec, operation))


@pytest.mark.parametrize(("method", "path"), list(PORTAL), ids=[f"{m} {p}" for m, p in PORTAL])
def test_each_portal_operation_is_sent_by_its_method(method: str, path: str) -> None:
    call = PORTAL[(method, path)]
    assert call.portal is not None
    assert_sends(call, method, path, portal_answer(call.portal))


def test_docs_carry_the_coverage_table(specs: dict[str, dict[str, Any]]) -> None:
    """docs/contaazul-v2.md holds, between its coverage markers, exactly the table that
    ``python -m tests.contaazul_v2.coverage_table`` prints.

    Until the docs page carries it this test fails (by design: never skip it); paste the
    printed table between the markers."""
    table = render(SPEC, PORTAL, specs)
    assert DOCS.is_file(), f"{DOCS} is missing: it must carry the coverage table"
    text = DOCS.read_text(encoding="utf-8")
    assert START in text, f"{DOCS.name} lacks the {START} marker"
    assert END in text, f"{DOCS.name} lacks the {END} marker"
    between = text.split(START, 1)[1].split(END, 1)[0]
    assert between.strip("\n") == table.strip("\n"), (
        "the coverage table in the docs is stale: run python -m tests.contaazul_v2.coverage_table"
    )
