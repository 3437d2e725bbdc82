"""Conta Azul v2 client overhead as ratios against baselines measured in the same run.

    python bench/contaazul_v2_overhead.py [--quick]

Prints:
  1. ``ca.pessoas.get`` vs raw ``httpx.Client.get`` + ``json.loads`` on the same
     in-process transport (target <= 1.25);
  2. a 100-sale page of ``ca.vendas.list`` (``sales-openapi.yml``'s ``searchVendas``
     answer: ``{totais, quantidades, total_itens, itens}``) read by the list's own page
     step, records, total and all, vs ``json.loads`` of the same bytes (target <= 1.6),
     and, for information, the part of it the garbage collector took on this Python;
  3. cold ``import contaazul.v2`` vs cold ``import httpx, pydantic`` (target <= 1.3).
The client's rate limiter is off here: it exists to wait, and waiting is not overhead.
Figures are medians of repeated batches; ratios, not seconds, are what to compare.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from timing import cold_import, isolated, medians_in_turn  # noqa: E402

from contaazul.v2 import ContaAzul  # noqa: E402
from contaazul.v2.resources.vendas import Vendas  # noqa: E402

TOKEN = "bench-access-token-0123456789"
BASE_URL = "https://api-v2.contaazul.com"
PESSOA_ID = "5f0c7e3a-2b1d-4c8e-9a6f-0d4b3c2a1e90"
PESSOA = {
    "id": PESSOA_ID,
    "nome": "Oficina Boa Ltda",
    "nome_empresa": "Oficina Boa",
    "tipo_pessoa": "Jurídica",
    "codigo": "C-0042",
    "documento": "12345678000195",
    "email": "contato@oficinaboa.com.br",
    "telefone_celular": "11999998888",
    "telefone_comercial": "1133334444",
    "ativo": True,
    "optante_simples_nacional": True,
    "orgao_publico": False,
    "observacao": "Cliente desde 2019",
    "criado_em": "2024-03-05T09:12:44.120",
    "data_alteracao": "2025-10-17T02:00:08.841",
    "atrasos_pagamentos": 0,
    "atrasos_recebimentos": 1250.4,
    "pagamentos_mes_atual": 0,
    "recebimentos_mes_atual": 3980.15,
    "enderecos": [
        {
            "id": "7d2e9b10-4c3a-4f5e-8b6d-1a2c3e4f5a6b",
            "cep": "01310-100",
            "logradouro": "Avenida Paulista",
            "numero": "1000",
            "complemento": "Sala 12",
            "bairro": "Bela Vista",
            "cidade": "São Paulo",
            "estado": "SP",
            "pais": "Brasil",
        }
    ],
    "inscricoes": [
        {
            "id": "8e3f0c21-5d4b-4a6f-9c7e-2b3d4f5a6b7c",
            "indicador_inscricao_estadual": "CONTRIBUINTE",
            "inscricao_estadual": "110042490114",
        }
    ],
    "perfis": [{"id": "9f4a1d32-6e5c-4b7a-8d8f-3c4e5a6b7c8d", "tipo_perfil": "Cliente"}],
}
"""A person as ``GET /v1/pessoas/{id}`` answers it (the portal's fields)."""


def report(label: str, ours: float, base: float, target: float) -> bool:
    ratio = ours / base
    ok = ratio <= target
    print(
        f"{label:<58} ours {ours * 1e6:9.1f} us  base {base * 1e6:9.1f} us  "
        f"ratio {ratio:5.2f}  target <= {target:<4}  {'ok' if ok else 'MISSED'}"
    )
    return ok


def venda(i: int) -> dict[str, Any]:
    """Sale ``i`` as ``searchVendas`` lists it: the spec's example values, with its own id,
    number and an amount in cents."""
    return {
        "id": f"123e4567-e89b-12d3-a456-{426614174000 + i:012d}",
        "total": float(f"{1000 + i}.{i % 100:02d}"),
        "id_legado": 123456 + i,
        "data": "2023-12-31",
        "criado_em": "2025-05-16T17:51:04.63",
        "data_alteracao": "2025-10-17T02:00:08.841",
        "tipo": "PRODUTO",
        "itens": "PRODUTO",
        "condicao_pagamento": True,
        "numero": 1001 + i,
        "cliente": {
            "id": "123e4567-e89b-12d3-a456-426614174000",
            "nome": "João da Silva",
            "email": "exemplo@email.com",
            "telefone": "11912345678",
            "endereco": "Rua das Flores, 123",
            "cidade": "São Paulo",
            "estado": "SP",
            "pais": "Brasil",
            "cep": "12345-678",
        },
        "situacao": {"nome": "Aprovado", "descricao": "Venda aprovada e processada"},
        "versao": 1,
        "status_email": {"status": "ENVIADO", "enviado_em": "2023-12-31"},
        "id_contrato": "123e4567-e89b-12d3-a456-426614174000",
        "origem": "API",
    }


def page_payload(size: int = 100) -> bytes:
    """A ``searchVendas`` page of ``size`` sales in the spec's envelope."""
    envelope = {
        "totais": {"total": 1000, "aprovado": 500, "cancelado": 200, "esperando_aprovacao": 300},
        "quantidades": {"total": 10, "aprovado": 5, "cancelado": 3, "esperando_aprovacao": 2},
        "total_itens": size,
        "itens": [venda(i) for i in range(size)],
    }
    return json.dumps(envelope, ensure_ascii=False).encode()


def bench_get(quick: bool) -> bool:
    body = json.dumps(PESSOA, ensure_ascii=False).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handler)
    raw = httpx.Client(transport=transport, base_url=BASE_URL)
    headers = {"Authorization": f"Bearer {TOKEN}"}
    ca = ContaAzul(access_token=TOKEN, transport=transport, rate_limiter=False)

    def baseline() -> object:
        return json.loads(raw.get(f"/v1/pessoas/{PESSOA_ID}", headers=headers).content)

    def ours() -> object:
        return ca.pessoas.get(PESSOA_ID)

    batch, repeats = (200, 5) if quick else (1000, 15)
    times = medians_in_turn({"base": baseline, "ours": ours}, batch, repeats)
    return report(
        "contaazul.v2 pessoas.get vs httpx.get + json.loads", times["ours"], times["base"], 1.25
    )


def page_parser() -> Any:
    """What ``ca.vendas.list`` does with the answer to its first page (a ``Page[Venda]``)."""
    ca = ContaAzul(access_token=TOKEN, rate_limiter=False)
    fetch = Vendas.list.build(ca.vendas)  # the page fetcher behind ``ca.vendas.list()``
    return fetch(1).parse


def bench_page_parse(quick: bool) -> bool:
    payload = page_payload()
    request = httpx.Request("GET", f"{BASE_URL}/v1/venda/busca")
    response = httpx.Response(200, content=payload, request=request)
    parse = page_parser()
    page = parse(response)
    page.check()  # a misfit sale would make the figure that of a smaller page
    if len(page) != 100 or page.total != 100:
        raise RuntimeError(f"the bench page read {len(page)} sales of {page.total}, not 100")

    batch, repeats = (50, 5) if quick else (300, 15)
    times = medians_in_turn(
        {"base": lambda: json.loads(payload), "ours": lambda: parse(response)}, batch, repeats
    )
    ok = report(
        "contaazul.v2 parse 100-sale vendas.list page vs json.loads",
        times["ours"],
        times["base"],
        1.6,
    )
    # The page's models (four a sale, each with its dict and set) set off the interpreter's
    # collections where json.loads's dicts do not: shown, as their share depends on the
    # Python version (its collection thresholds), not on this code.
    runs = 1000 if not quick else 100  # enough parses for the rare full collections to land
    young, full, collections = collection_time(lambda: parse(response), runs)
    version = ".".join(map(str, sys.version_info[:3]))
    print(
        f"{'  (info) of which garbage collection, Python ' + version:<58} "
        f"gc   {(young + full) * 1e6:9.1f} us  ratio {(young + full) / times['base']:5.2f}  "
        f"(full collections {full / times['base']:.2f}; "
        f"{collections / runs:.1f} collections a parse)"
    )
    return ok


def collection_time(fn: Callable[[], object], runs: int) -> tuple[float, float, int]:
    """Seconds per call of ``fn`` that the garbage collections its ``runs`` calls set off
    take, young (generations 0 and 1) and full (generation 2) apart, and how many
    collections ran. One pass of ``runs`` calls, not a median: a full collection lands
    once in a hundred parses or so, and only a long run spreads it fairly."""
    spent = {0: 0.0, 1: 0.0, 2: 0.0}
    count = 0
    started = 0.0

    def timer(phase: str, info: dict[str, int]) -> None:
        nonlocal count, started
        if phase == "start":
            started = time.perf_counter()
        else:
            spent[info["generation"]] += time.perf_counter() - started
            count += 1

    gc.collect()
    gc.callbacks.append(timer)
    try:
        for _ in range(runs):
            fn()
    finally:
        gc.callbacks.remove(timer)
    return (spent[0] + spent[1]) / runs, spent[2] / runs, count


def bench_import(quick: bool) -> bool:
    runs = 5 if quick else 15
    cold_import("pass", 2)  # warm the OS file cache
    base = cold_import("import httpx, pydantic", runs)
    mine = cold_import("import contaazul.v2", runs)
    ok = report("cold import contaazul.v2 vs import httpx, pydantic", mine, base, 1.3)
    # Names load lazily; this is what a first real use costs (no target, shown for honesty).
    used = cold_import("from contaazul.v2 import ContaAzul; ContaAzul(access_token='x')", runs)
    print(
        f"{'  (info) first use: from contaazul.v2 import ContaAzul':<58} "
        f"ours {used * 1e6:9.1f} us  ratio {used / base:5.2f}  (loads models and httpx)"
    )
    return ok


def main() -> int:
    quick = "--quick" in sys.argv
    results = [
        isolated(bench_get, quick),
        isolated(bench_page_parse, quick),
        bench_import(quick),  # runs its own subprocesses
    ]
    print(f"contaazul.v2: {sum(results)}/{len(results)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
