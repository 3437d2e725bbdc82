"""A scripted scenario against a mock server generated from Bling's own OpenAPI description
(Stoplight Prism) with request validation on: no request may be rejected.

Install Prism with ``npm install --no-save @stoplight/prism-cli`` (in the repository, or
anywhere on PATH, or point ``PONTE_PRISM`` at the executable). Without it the test skips.
The spec given to Prism is Bling's, with ``spec_corrections`` applied, written to a
temporary directory at test time.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

from bling import Bling, ContatoResumo

from .spec_corrections import (
    LIST_RESPONSES,
    NOT_REQUIRED_ON_WRITE,
    PROPERTY_FIXES,
    REQUIRED_FIXES,
)

REPO = Path(__file__).resolve().parents[2]


def find_prism() -> str | None:
    candidates = [
        os.environ.get("PONTE_PRISM"),
        shutil.which("prism"),
        str(REPO / "node_modules" / ".bin" / "prism"),
    ]
    return next((c for c in candidates if c and Path(c).exists()), None)


def corrected_spec(spec: dict[str, Any]) -> dict[str, Any]:
    fixed = json.loads(json.dumps(spec))
    schemas = fixed["components"]["schemas"]
    for name, drop in NOT_REQUIRED_ON_WRITE.items():
        if "required" in schemas.get(name, {}):
            schemas[name]["required"] = [r for r in schemas[name]["required"] if r not in drop]
    for name, required in REQUIRED_FIXES.items():
        schemas[name]["required"] = required
        if not required:
            del schemas[name]["required"]
    for name, props in PROPERTY_FIXES.items():
        schemas[name]["properties"].update(props)
    for method, path in LIST_RESPONSES:
        answer = fixed["paths"][path][method.lower()]["responses"]["200"]
        body = answer["content"]["application/json"]["schema"]["properties"]
        body["data"] = {"type": "array", "items": body["data"]}
    return fixed


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def prism_url(spec: dict[str, Any], tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    prism = find_prism()
    if prism is None and os.environ.get("CI") == "true":
        pytest.fail("Prism is not installed and CI must not skip this test: run `make prism`")
    if prism is None:
        pytest.skip(
            "Prism is not installed: npm install --no-save @stoplight/prism-cli "
            "(or set PONTE_PRISM to the prism executable)"
        )
    path = tmp_path_factory.mktemp("prism") / "bling-openapi.json"
    path.write_text(json.dumps(corrected_spec(spec)), encoding="utf-8")
    port = free_port()
    log = path.with_suffix(".log").open("w")
    proc = subprocess.Popen(
        [prism, "mock", "-h", "127.0.0.1", "-p", str(port), str(path)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail(f"prism exited with {proc.returncode}: {path.with_suffix('.log')}")
            try:
                httpx.get(url + "/empresas/me/dados-basicos", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.5)
        else:
            pytest.fail("prism did not start within 90 s")
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        log.close()


def test_scenario_against_prism(prism_url: str) -> None:
    violations: list[str] = []

    def check(response: httpx.Response) -> None:
        raw = response.headers.get("sl-violations")
        if raw:
            for item in json.loads(raw):
                if item["location"][0] == "request":
                    violations.append(
                        f"{response.request.method} {response.request.url.path}: {item['message']}"
                    )

    http = httpx.Client(event_hooks={"response": [check]}, timeout=30)
    bling = Bling(
        "prism-access-token-0123456789",
        base_url=prism_url,
        http_client=http,
        rate_limiter=False,
        max_retries=0,
    )
    contatos = list(bling.contatos.list(pesquisa="Maria", criterio=1, ids_contatos=[1, 2]))
    assert contatos
    assert isinstance(contatos[0], ContatoResumo)
    novo = bling.contatos.create(
        {"nome": "Maria Souza", "tipo": "F", "situacao": "A", "numeroDocumento": "12345678909"}
    )
    contato = bling.contatos.get(novo)
    # Prism answers the spec's example, whose numeroDocumento has wrong check digits: the
    # write checks would refuse to send it back
    contato = contato.model_copy(update={"tipo": "F", "numero_documento": "123.456.789-09"})
    bling.contatos.update(novo, contato)
    bling.contatos.alterar_situacao(novo, "I")
    servicos = list(bling.produtos.list(tipo="S"))
    formas = list(bling.formas_pagamentos.list())
    assert servicos
    assert formas
    pedido = bling.pedidos_vendas.create(
        {
            "contato": {"id": int(novo)},
            "data": date(2024, 3, 1),
            "dataSaida": date(2024, 3, 1),
            "dataPrevista": date(2024, 3, 2),
            "itens": [
                {
                    "produto": {"id": servicos[0].id},
                    "quantidade": Decimal("1"),
                    "valor": Decimal("350.00"),
                    "descricao": "Instalação",
                }
            ],
            "parcelas": [
                {
                    "dataVencimento": date(2024, 4, 1),
                    "valor": Decimal("350.00"),
                    "formaPagamento": {"id": formas[0].id},
                }
            ],
        }
    )
    bling.pedidos_vendas.lancar_contas(pedido)
    contas = list(bling.contas_receber.list(situacoes=[1], data_inicial="2024-01-01"))
    bling.contas_receber.baixar(
        contas[0].id or 1,
        {
            "data": date(2024, 4, 1),
            "usarDataVencimento": False,
            "portador": {"id": 1},
            "categoria": {"id": 1},
            "historico": "Recebido pela ponte",
            "valorRecebido": Decimal("350.00"),
        },
    )
    list(bling.categorias_receitas_despesas.list(tipo=2))
    list(bling.naturezas_operacoes.list(situacao=1))
    list(bling.vendedores.list())
    bling.propostas_comerciais.create(
        {
            "contato": {"id": int(novo)},
            "itens": [{"produto": {"id": 1}, "quantidade": 1, "valor": Decimal("99.90")}],
            "parcelas": [{"dataVencimento": date(2024, 4, 1), "valor": Decimal("99.90")}],
        }
    )
    bling.empresas.get_dados_basicos()
    bling.contatos.delete(novo)
    http.close()
    assert violations == []
