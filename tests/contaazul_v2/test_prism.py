"""Every operation of each of Conta Azul's nine api-v2 spec files, sent by the client to a
mock server generated from that file (Stoplight Prism) with request validation on: no
request may be rejected.

Install Prism with ``make prism`` (``npm install --no-save @stoplight/prism-cli``), or put
it on PATH, or point ``PONTE_PRISM`` at the executable. Without it the test skips, except
under ``CI=true``, where it fails. Each file is served with ``spec_corrections`` applied,
written to a temporary directory at test time; one Prism process per file, started once.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from contaazul.v2 import AsyncContaAzul, ContaAzul, ProtocolTimeoutError
from sdkcore.clock import FakeClock
from sdkcore.errors import SDKError

from ..runner import Runner
from .spec_corrections import (
    SPEC_FILES,
    corrected_spec,
    load_spec,
    spec_operations,
    specs_dir,
)

REPO = Path(__file__).resolve().parents[2]
TOKEN = "prism-access-token-0123456789"
STARTUP_S = 90


def find_prism() -> str | None:
    candidates = [
        os.environ.get("PONTE_PRISM"),
        shutil.which("prism"),
        str(REPO / "node_modules" / ".bin" / "prism"),
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class _Server:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path


def _wait_until_listening(server: _Server, deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            pytest.fail(
                f"prism exited with {server.process.returncode} serving {server.name}: "
                + server.log.read_text(encoding="utf-8")[-2000:]
            )
        try:
            httpx.get(server.url + "/", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    pytest.fail(f"prism did not start within {STARTUP_S} s serving {server.name}")


@pytest.fixture(scope="module")
def prism_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """The URL of a Prism mock of each spec file, by file name."""
    if not specs_dir().is_dir():
        pytest.skip(f"Conta Azul's api-v2 spec files not found at {specs_dir()}")
    prism = find_prism()
    if prism is None and os.environ.get("CI") == "true":
        pytest.fail("Prism is not installed and CI must not skip this test: run `make prism`")
    if prism is None:
        pytest.skip(
            "Prism is not installed: make prism (or npm install --no-save "
            "@stoplight/prism-cli, or set PONTE_PRISM to the prism executable)"
        )
    directory = tmp_path_factory.mktemp("prism-contaazul-v2")
    servers: list[_Server] = []
    try:
        for name in SPEC_FILES:
            spec_path = directory / name.replace(".yml", ".json")
            spec_path.write_text(json.dumps(corrected_spec(name)), encoding="utf-8")
            log = spec_path.with_suffix(".log")
            port = free_port()
            with log.open("wb") as out:
                process = subprocess.Popen(
                    [prism, "mock", "-h", "127.0.0.1", "-p", str(port), str(spec_path)],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                )
            servers.append(_Server(name, f"http://127.0.0.1:{port}", process, log))
        deadline = time.monotonic() + STARTUP_S
        for server in servers:
            _wait_until_listening(server, deadline)
        yield {server.name: server.url for server in servers}
    finally:
        for server in servers:
            server.process.terminate()
        for server in servers:
            try:
                server.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.process.kill()
                server.process.wait()


# -- what the scenarios name ------------------------------------------------------------------

CLIENTE = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
CONTA = "35473eec-4e74-11ee-b500-9f61de8a8b8b"
CATEGORIA = "c1d2e3f4-1111-4a2b-9c3d-4e5f6a7b8c9d"
CENTRO = "0a1b2c3d-2222-4a2b-9c3d-4e5f6a7b8c9d"
PRODUTO = "623ef303-54df-4df6-b816-69416f29e093"
SERVICO = "5b04139f-fcca-4c64-8d01-1dd568eb420e"
VENDEDOR = "8cc4ff03-e8c6-4d7e-8c41-4245f55f8612"
RECORD = "9986f173-f531-4660-96ae-04b71c879264"
"""The id of the record a step reads, changes or deletes (Prism answers any id)."""
SINCE = datetime(2026, 1, 1, 8, 30, tzinfo=ZoneInfo("America/Sao_Paulo"))
UNTIL = datetime(2026, 3, 12, 23, 59, 59, tzinfo=ZoneInfo("America/Sao_Paulo"))


@dataclass
class Scenario:
    """Runs the steps of one spec file's scenario, each on its own: a step the mock refuses
    is recorded and the next one still runs, so one failure shows every violation."""

    run: Runner
    failures: list[str] = field(default_factory=list)

    @property
    def ca(self) -> Any:
        return self.run.client

    def step(self, label: str, thunk: Callable[[], Any]) -> Any:
        try:
            return thunk()
        except SDKError as error:
            self.failures.append(f"{label}: {type(error).__name__}: {error}")
            return None

    def call(self, label: str, thunk: Callable[[], Any]) -> Any:
        return self.step(label, lambda: self.run(thunk()))

    def items(self, label: str, thunk: Callable[[], Any]) -> list[Any]:
        return self.step(label, lambda: self.run.items(thunk())) or []


# -- the records the scenarios write (the coverage test sends them too) ------------------------


def baixa_record() -> dict[str, Any]:
    return {
        "data_pagamento": date(2026, 2, 10),
        "composicao_valor": {
            "valor_bruto": Decimal("150.00"),
            "multa": Decimal("5.00"),
            "juros": Decimal("2.50"),
            "desconto": Decimal("10.00"),
        },
        "conta_financeira": CONTA,
        "metodo_pagamento": "PIX_PAGAMENTO_INSTANTANEO",
        "observacao": "Recebido pela ponte",
    }


def cobranca_record() -> dict[str, Any]:
    return {
        "conta_bancaria": CONTA,
        "descricao_fatura": "Instalação de ar-condicionado",
        "id_parcela": RECORD,
        "data_vencimento": date(2026, 4, 10),
        "tipo": "BOLETO",
        "atributos": {"desconto_antecipado": {"valor": Decimal("10.00"), "dias_antes_vencer": 5}},
    }


def produto_record() -> dict[str, Any]:
    return {
        "nome": "Filtro de ar 9000 BTU",
        "codigo_sku": "FLT-9000",
        "formato": "SIMPLES",
        "estoque": {
            "valor_venda": Decimal("89.90"),
            "custo_medio": Decimal("41.20"),
            "estoque_disponivel": Decimal("12"),
        },
        "dimensao": {
            "altura": Decimal("10"),
            "largura": Decimal("30"),
            "profundidade": Decimal("2.5"),
        },
    }


def orcamento_record() -> dict[str, Any]:
    return {
        "id_cliente": CLIENTE,
        "id_vendedor": VENDEDOR,
        "data_orcamento": date(2026, 5, 1),
        "data_validade": date(2026, 5, 15),
        "descricao": "Instalação de dois aparelhos",
        "itens": [
            {"id": SERVICO, "quantidade": Decimal("2"), "valor": Decimal("350.00")},
            {"id": PRODUTO, "quantidade": Decimal("1"), "valor": Decimal("89.90")},
        ],
        "composicao_de_valor": {"desconto": {"tipo": "VALOR", "valor": Decimal("10")}},
    }


def contract_record(numero: int) -> dict[str, Any]:
    """A contract both contract files accept: ``contracts-openapi.yml`` wants whole
    quantities, ``scheduled-sales-openapi.yml`` the frequency and issue day in ``termos``."""
    return {
        "id_cliente": CLIENTE,
        "id_categoria": CATEGORIA,
        "id_vendedor": VENDEDOR,
        "observacoes": "Manutenção mensal",
        "termos": {
            "tipo_frequencia": "MENSAL",
            "tipo_expiracao": "DATA",
            "data_inicio": date(2026, 1, 1),
            "data_fim": date(2026, 12, 31),
            "intervalo_frequencia": 1,
            "dia_emissao_venda": 5,
            "numero": numero,
        },
        "composicao_de_valor": {
            "frete": Decimal("0.00"),
            "desconto": {"tipo": "VALOR", "valor": Decimal("5.00")},
        },
        "condicao_pagamento": {
            "tipo_pagamento": "BOLETO_BANCARIO",
            "id_conta_financeira": CONTA,
            "dia_vencimento": 10,
            "primeira_data_vencimento": date(2026, 1, 10),
        },
        "itens": [
            {
                "id": SERVICO,
                "quantidade": 1,
                "valor": Decimal("350.00"),
                "descricao": "Manutenção preventiva",
            }
        ],
    }


def financial_event_record(descricao: str) -> dict[str, Any]:
    return {
        "data_competencia": date(2026, 3, 1),
        "valor": Decimal("350.00"),
        "observacao": "Lançado pela ponte",
        "descricao": descricao,
        "contato": CLIENTE,
        "conta_financeira": CONTA,
        "rateio": [
            {
                "id_categoria": CATEGORIA,
                "valor": Decimal("350.00"),
                "rateio_centro_custo": [{"id_centro_custo": CENTRO, "valor": Decimal("350.00")}],
            }
        ],
        "condicao_pagamento": {
            "parcelas": [
                {
                    "descricao": "Parcela única",
                    "data_vencimento": date(2026, 4, 1),
                    "nota": "Instalação",
                    "conta_financeira": CONTA,
                    "detalhe_valor": {"valor_bruto": Decimal("350.00")},
                    "metodo_pagamento": "BOLETO_BANCARIO",
                }
            ]
        },
    }


def sale_record(numero: int, **more: Any) -> dict[str, Any]:
    return {
        "id_cliente": CLIENTE,
        "numero": numero,
        "situacao": "EM_ANDAMENTO",
        "data_venda": date(2026, 3, 1),
        "id_vendedor": VENDEDOR,
        "observacoes": "Tarefa 1234 do Auvo",
        "itens": [
            {"id": SERVICO, "quantidade": Decimal("1"), "valor": Decimal("350.00")},
            {"id": PRODUTO, "quantidade": Decimal("2"), "valor": Decimal("89.90")},
        ],
        "condicao_pagamento": {
            "tipo_pagamento": "BOLETO_BANCARIO",
            "id_conta_financeira": CONTA,
            "opcao_condicao_pagamento": "30 dias",
            "parcelas": [{"data_vencimento": date(2026, 4, 1), "valor": Decimal("529.80")}],
        },
        **more,
    }


# -- the scenario of each spec file ----------------------------------------------------------


def acquittances(s: Scenario) -> None:
    ca = s.ca
    criada = s.call(
        "baixas.create",
        lambda: ca.baixas.create(RECORD, baixa_record()),
    )
    baixas = s.items("baixas.list", lambda: ca.baixas.list(RECORD))
    baixa_id = getattr(criada, "id", None) or RECORD
    s.call("baixas.get", lambda: ca.baixas.get(baixa_id))
    versao = next((b.versao for b in baixas if getattr(b, "versao", None) is not None), 1)
    s.call(
        "baixas.patch",
        lambda: ca.baixas.patch(baixa_id, {"versao": versao, "observacao": "Conferido"}),
    )
    s.call("baixas.delete", lambda: ca.baixas.delete(baixa_id))


def charges(s: Scenario) -> None:
    ca = s.ca
    cobranca = s.call(
        "cobrancas.create",
        lambda: ca.cobrancas.create(cobranca_record()),
    )
    cobranca_id = getattr(cobranca, "id", None) or RECORD
    s.call("cobrancas.get", lambda: ca.cobrancas.get(cobranca_id))
    s.call("cobrancas.delete", lambda: ca.cobrancas.delete(cobranca_id))


def contracts(s: Scenario, *, scheduled: bool) -> None:
    ca = s.ca
    numero = s.call("contratos.next_number", lambda: ca.contratos.next_number())
    s.call("contratos.create", lambda: ca.contratos.create(contract_record(numero or 1)))
    contratos = s.items(
        "contratos.list",
        lambda: ca.contratos.list(
            data_inicio=date(2026, 1, 1), data_fim=date(2026, 12, 31), busca_textual="Manutenção"
        ),
    )
    if not scheduled:
        return
    contrato_id = next((c.id for c in contratos if getattr(c, "id", None)), RECORD)
    s.call("contratos.get", lambda: ca.contratos.get(contrato_id))
    s.call("contratos.encerrar", lambda: ca.contratos.encerrar(contrato_id))
    s.call("contratos.delete", lambda: ca.contratos.delete(contrato_id))


def financial(s: Scenario) -> None:
    ca = s.ca
    contas = s.items("contas_financeiras.list", lambda: ca.contas_financeiras.list())
    s.items(
        "contas_financeiras.list (filtered)",
        lambda: ca.contas_financeiras.list(
            tipos=["CONTA_CORRENTE", "CAIXINHA"], apenas_ativo=True, mostrar_caixinha=True
        ),
    )
    nome = next((c.nome for c in contas if getattr(c, "nome", None)), None)
    if nome is not None:
        s.call("contas_financeiras.find_by_name", lambda: ca.contas_financeiras.find_by_name(nome))
    conta_id = next((c.id for c in contas if getattr(c, "id", None)), CONTA)
    s.call("contas_financeiras.saldo_atual", lambda: ca.contas_financeiras.saldo_atual(conta_id))
    s.items("categorias.list", lambda: ca.categorias.list(tipo="RECEITA", busca="Serviços"))
    s.call("categorias.configuracao_padrao", lambda: ca.categorias.configuracao_padrao())
    s.items("categorias_dre.list", lambda: ca.categorias_dre.list())
    s.items("centros_de_custo.list", lambda: ca.centros_de_custo.list(filtro_rapido="ATIVO"))
    s.call(
        "centros_de_custo.create",
        lambda: ca.centros_de_custo.create({"nome": "Instalações", "codigo": "1040"}),
    )
    s.items(
        "transferencias.list",
        lambda: ca.transferencias.list(
            data_inicio=date(2026, 1, 1), data_fim=date(2026, 3, 31), ids_conta_financeira=[CONTA]
        ),
    )
    s.call(
        "contas_a_receber.create",
        lambda: ca.contas_a_receber.create(financial_event_record("Instalação")),
    )
    s.call(
        "contas_a_pagar.create",
        lambda: ca.contas_a_pagar.create(financial_event_record("Compra de peças")),
    )
    receber = s.items(
        "contas_a_receber.list",
        lambda: ca.contas_a_receber.list(
            data_vencimento_de=date(2026, 1, 1),
            data_vencimento_ate=date(2026, 12, 31),
            data_alteracao_de=SINCE,
            valor_de=Decimal("10.00"),
            status=["EM_ABERTO", "ATRASADO"],
            ids_clientes=[CLIENTE],
        ),
    )
    s.items(
        "contas_a_pagar.list",
        lambda: ca.contas_a_pagar.list(
            data_vencimento_de=date(2026, 1, 1),
            data_vencimento_ate=date(2026, 12, 31),
            valor_ate=Decimal("999.99"),
            status=["EM_ABERTO"],
        ),
    )
    evento = next((r.id for r in receber if getattr(r, "id", None)), RECORD)
    parcelas = s.items("parcelas.list_do_evento", lambda: ca.parcelas.list_do_evento(evento))
    parcela_id = next((p.id for p in parcelas if getattr(p, "id", None)), RECORD)
    parcela = s.call("parcelas.get", lambda: ca.parcelas.get(parcela_id))
    versao = getattr(parcela, "versao", None) or 1
    s.call(
        "parcelas.patch",
        lambda: ca.parcelas.patch(
            parcela_id, {"versao": versao, "nota": "Pgto 1/1", "vencimento": date(2026, 4, 15)}
        ),
    )
    s.items(
        "eventos_financeiros.alteracoes",
        lambda: ca.eventos_financeiros.alteracoes(data_inicio=SINCE, data_fim=UNTIL),
    )
    s.items(
        "eventos_financeiros.saldos_iniciais",
        lambda: ca.eventos_financeiros.saldos_iniciais(data_inicio=SINCE, data_fim=UNTIL),
    )


def inventory(s: Scenario) -> None:
    ca = s.ca
    produtos = s.items("produtos.list", lambda: ca.produtos.list(busca="Filtro", status="ATIVO"))
    s.call(
        "produtos.create",
        lambda: ca.produtos.create(produto_record()),
    )
    produto_id = next((p.id for p in produtos if getattr(p, "id", None)), PRODUTO)
    s.call("produtos.desativar", lambda: ca.produtos.desativar([produto_id, PRODUTO]))
    s.call("produtos.delete", lambda: ca.produtos.delete(produto_id))


def proposals(s: Scenario) -> None:
    ca = s.ca
    s.call(
        "orcamentos.create",
        lambda: ca.orcamentos.create(orcamento_record()),
    )
    orcamentos = s.items(
        "orcamentos.list",
        lambda: ca.orcamentos.list(
            data_inicio=date(2026, 5, 1),
            data_fim=date(2026, 5, 31),
            situacoes=["ORCAMENTO"],
            ids_clientes=[CLIENTE],
        ),
    )
    orcamento_id = next((o.id for o in orcamentos if getattr(o, "id", None)), RECORD)
    s.call("orcamentos.get", lambda: ca.orcamentos.get(orcamento_id))
    s.call("orcamentos.delete_many", lambda: ca.orcamentos.delete_many([orcamento_id]))


def protocols(s: Scenario) -> None:
    ca = s.ca
    s.call("protocolos.get", lambda: ca.protocolos.get(RECORD))
    # Prism answers the first value of the status enum, PENDING, to every poll: the wait
    # polls with backoff (on the client's fake clock) until its allowance runs out.
    with pytest.raises(ProtocolTimeoutError, match="still PENDING"):
        s.run(ca.protocolos.wait(RECORD, wait_timeout=5))


def sales(s: Scenario) -> None:
    ca = s.ca
    s.call("vendas.vendedores", lambda: ca.vendas.vendedores())
    numero = s.call("vendas.next_number", lambda: ca.vendas.next_number()) or 1
    criada = s.call("vendas.create", lambda: ca.vendas.create(sale_record(numero)))
    vendas = s.items(
        "vendas.list",
        lambda: ca.vendas.list(
            numeros=[numero],
            data_inicio=date(2026, 3, 1),
            data_fim=date(2026, 3, 31),
            data_alteracao_de=SINCE,
            ids_clientes=[CLIENTE],
        ),
    )
    venda_id = getattr(criada, "id", None) or next(
        (v.id for v in vendas if getattr(v, "id", None)), RECORD
    )
    s.call("vendas.get", lambda: ca.vendas.get(venda_id))
    s.items("vendas.itens", lambda: ca.vendas.itens(venda_id))
    s.call(
        "vendas.update",
        lambda: ca.vendas.update(venda_id, sale_record(numero, situacao="APROVADO", versao=1)),
    )
    s.call("vendas.imprimir", lambda: ca.vendas.imprimir(venda_id))
    s.call("vendas.delete_many", lambda: ca.vendas.delete_many([venda_id]))


SCENARIOS: dict[str, Callable[[Scenario], None]] = {
    "acquittance-openapi.yml": acquittances,
    "charge-openapi.yml": charges,
    "contracts-openapi.yml": lambda s: contracts(s, scheduled=False),
    "financial-openapi.yml": financial,
    "inventory-openapi.yml": inventory,
    "proposal-openapi.yml": proposals,
    "protocol-openapi.yml": protocols,
    "sales-openapi.yml": sales,
    "scheduled-sales-openapi.yml": lambda s: contracts(s, scheduled=True),
}


# -- the test ---------------------------------------------------------------------------------


@dataclass
class Observed:
    """What the mock said about each request: its violations, and the operations reached."""

    spec_name: str
    violations: list[str] = field(default_factory=list)
    reached: set[tuple[str, str]] = field(default_factory=set)

    def record(self, response: httpx.Response) -> None:
        request = response.request
        operation = operation_of(self.spec_name, request.method, request.url.path)
        if operation is not None:
            self.reached.add(operation)
        for item in json.loads(response.headers.get("sl-violations") or "[]"):
            if item.get("location", [""])[0] == "request":
                where = ".".join(str(part) for part in item["location"][1:])
                self.violations.append(
                    f"{request.method} {request.url.path}?{request.url.query.decode()} "
                    f"[{where}] {item['message']} (status {response.status_code})"
                )


def operation_of(spec_name: str, method: str, path: str) -> tuple[str, str] | None:
    """The operation of ``spec_name`` that ``method path`` reaches: the literal segments of
    a template win over its parameters (``/v1/venda/busca`` is not ``/v1/venda/{id}``)."""
    candidates = [
        (template.count("{"), template)
        for op_method, template, _ in spec_operations(load_spec(spec_name))
        if op_method == method and template_pattern(template).fullmatch(path)
    ]
    return (method, min(candidates)[1]) if candidates else None


def template_pattern(template: str) -> re.Pattern[str]:
    parts = re.split(r"(\{[^}]+\})", template)
    return re.compile("".join("[^/]+" if p.startswith("{") else re.escape(p) for p in parts))


def _drive(
    url: str, scenario: Callable[[Scenario], None], observed: Observed, mode: str
) -> Scenario:
    """Run ``scenario`` on a sync or an async client of the mock at ``url``."""
    options: dict[str, Any] = {
        "base_url": url,
        "rate_limiter": False,
        "max_retries": 0,
        "clock": FakeClock(),
    }
    if mode == "async":

        async def record(response: httpx.Response) -> None:
            observed.record(response)

        # Each awaited step runs in an event loop of its own (Runner): no connection may
        # outlive its loop, so none is kept alive.
        async_http = httpx.AsyncClient(
            timeout=30,
            limits=httpx.Limits(max_keepalive_connections=0),
            event_hooks={"response": [record]},
        )
        run = Scenario(Runner(AsyncContaAzul(TOKEN, http_client=async_http, **options), True))
        try:
            scenario(run)
        finally:
            asyncio.run(async_http.aclose())
        return run
    with httpx.Client(timeout=30, event_hooks={"response": [observed.record]}) as http:
        run = Scenario(Runner(ContaAzul(TOKEN, http_client=http, **options), False))
        scenario(run)
    return run


@pytest.mark.parametrize("mode", ["sync", "async"])
@pytest.mark.parametrize("spec_name", SPEC_FILES)
def test_every_operation_against_prism(
    prism_urls: dict[str, str], spec_name: str, mode: str
) -> None:
    observed = Observed(spec_name)
    scenario = _drive(prism_urls[spec_name], SCENARIOS[spec_name], observed, mode)
    assert observed.violations == [], "Prism refused requests:\n" + "\n".join(observed.violations)
    assert scenario.failures == [], "steps failed:\n" + "\n".join(scenario.failures)
    every = {(method, path) for method, path, _ in spec_operations(load_spec(spec_name))}
    assert every - observed.reached == set(), "operations the scenario never reached"
