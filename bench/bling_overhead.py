"""Bling client overhead as ratios against baselines measured in the same run.

    python bench/bling_overhead.py [--quick]

Prints:
  1. ``bling.contatos.get`` vs raw ``httpx.Client.get`` + ``json.loads`` on the same
     in-process transport (target <= 1.25);
  2. parsing a 100-contato page (``{"data": [...]}``) into models vs ``json.loads`` alone
     (target <= 1.6);
  3. the same page parsed by the peer library ``bling-erp-api`` (its generated
     ``ContatosGetResponse200`` model), when it is installed; otherwise why not.
The client's rate limiter is off here: it exists to wait, and waiting is not overhead.
Figures are medians of repeated batches; ratios, not seconds, are what to compare.
"""

from __future__ import annotations

import importlib.metadata
import json
import sys
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from timing import isolated, median_time, medians_in_turn  # noqa: E402

from bling import Bling, ContatoResumo  # noqa: E402
from bling._calls import _adapters  # noqa: E402

TOKEN = "bench-access-token-0123456789"
CONTATO = {
    "id": 12345678,
    "nome": "Oficina Boa Ltda",
    "codigo": "C-0042",
    "situacao": "A",
    "numeroDocumento": "12.345.678/0001-95",
    "telefone": "(11) 3333-4444",
    "celular": "(11) 99999-8888",
}


def report(label: str, ours: float, base: float, target: float | None, base_name: str) -> bool:
    ratio = ours / base
    ok = target is None or ratio <= target
    goal = f"target <= {target:<4}" if target is not None else "target: ours no slower"
    print(
        f"{label:<50} ours {ours * 1e6:9.1f} us  {base_name} {base * 1e6:9.1f} us  "
        f"ratio {ratio:5.2f}  {goal}  {'ok' if ok else 'MISSED'}"
    )
    return ok


def bench_get(quick: bool) -> bool:
    body = json.dumps({"data": CONTATO}).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handler)
    raw = httpx.Client(transport=transport, base_url="https://api.bling.com.br/Api/v3")
    headers = {"Authorization": f"Bearer {TOKEN}", "enable-jwt": "1"}
    bling = Bling(TOKEN, transport=transport, rate_limiter=False)

    def baseline() -> object:
        return json.loads(raw.get("/contatos/12345678", headers=headers).content)

    def ours() -> object:
        return bling.contatos.get(12345678)

    batch, repeats = (200, 5) if quick else (1000, 15)
    base = median_time(baseline, batch, repeats)
    mine = median_time(ours, batch, repeats)
    return report("bling contatos.get vs httpx.get + json.loads", mine, base, 1.25, "base")


def page_payload() -> bytes:
    return json.dumps({"data": [{**CONTATO, "id": 1000 + i} for i in range(100)]}).encode()


def bench_page_parse(quick: bool) -> tuple[bool, float]:
    payload = page_payload()
    envelope, _ = _adapters(ContatoResumo, True)  # what contatos.list yields

    def ours() -> object:
        return envelope.validate_json(payload).data

    batch, repeats = (50, 5) if quick else (300, 15)
    times = medians_in_turn({"base": lambda: json.loads(payload), "ours": ours}, batch, repeats)
    mine = times["ours"]
    label = "bling parse 100-contato page vs json.loads"
    return report(label, mine, times["base"], 1.6, "base"), mine


def bench_peer(quick: bool, ours: float) -> bool | None:
    try:
        version = importlib.metadata.version("bling-erp-api")
    except importlib.metadata.PackageNotFoundError:
        print(
            "bling-erp-api: not measured: it is not installed here. Version 0.3.2 on PyPI "
            f"requires Python >= 3.12 (this is {sys.version.split()[0]}); it does have a "
            "comparable parser (models.generated.contacts.ContatosGetResponse200), so run "
            "this script under Python >= 3.12 with `pip install bling-erp-api` for the figure."
        )
        return None
    try:
        from bling_erp_api.models.generated.contacts import (  # type: ignore[import-not-found]
            ContatosGetResponse200,
        )
    except ImportError as exc:
        print(f"bling-erp-api {version}: no comparable page parser found ({exc}); not measured")
        return None
    payload = page_payload()
    batch, repeats = (50, 5) if quick else (300, 15)
    theirs = median_time(
        lambda: ContatosGetResponse200.model_validate_json(payload), batch, repeats
    )
    return report(f"bling vs bling-erp-api {version} (same page)", ours, theirs, 1.0, "peer")


def main() -> int:
    quick = "--quick" in sys.argv
    results = [isolated(bench_get, quick)]
    ok, ours = isolated(bench_page_parse, quick)
    results.append(ok)
    peer = bench_peer(quick, ours)
    if peer is not None:
        results.append(peer)
    print(f"{sum(results)}/{len(results)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
