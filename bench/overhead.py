"""SDK overhead as ratios against baselines measured in the same run.

    python bench/overhead.py [--quick] [contaazul] [contaazul-v2] [auvo] [bling]

With no client named, runs all four: the Conta Azul figures below, then those of
``bench/contaazul_v2_overhead.py``, ``bench/auvo_overhead.py`` and
``bench/bling_overhead.py`` (each also runs on its own).

Prints, for Conta Azul:
  1. ``ca.customers.get`` vs raw ``httpx.Client.get`` + ``json.loads`` on the same
     in-process transport (target <= 1.25);
  2. parsing a 1,000-customer list into models vs ``json.loads`` alone (target <= 1.6);
  3. cold ``import contaazul`` vs cold ``import httpx, pydantic`` (target <= 1.3).
The client's rate limiter is off here: it exists to wait, and waiting is not overhead.
Figures are medians of repeated batches; ratios, not seconds, are what to compare.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from timing import cold_import, isolated, median_time, medians_in_turn  # noqa: E402

from contaazul import ContaAzul  # noqa: E402
from contaazul._calls import list_parser  # noqa: E402
from contaazul.models import Customer  # noqa: E402

CUSTOMER = {
    "id": 123,
    "name": "Cliente A",
    "address": "Rua de São Miguel",
    "number": "333",
    "complement": "Primeira esquerda",
    "neighborhood": "Vila dos Remédios",
    "documentNumber": "83.575.050/0001-24",
    "postalCode": "53990-000",
    "inscricaoEstadual": "ISENTO",
    "email": "email@email.com",
    "cityId": 5252,
    "kind": "ENTITY",
}


CLIENTS = ("contaazul", "contaazul-v2", "auvo", "bling")
"""The clients this script measures, by the names it takes."""


def report(label: str, ours: float, base: float, target: float) -> bool:
    ratio = ours / base
    ok = ratio <= target
    print(
        f"{label:<58} ours {ours * 1e6:9.1f} us  base {base * 1e6:9.1f} us  "
        f"ratio {ratio:5.2f}  target <= {target:<4}  {'ok' if ok else 'MISSED'}"
    )
    return ok


def bench_get(quick: bool) -> bool:
    body = json.dumps(CUSTOMER).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handler)
    raw = httpx.Client(transport=transport, base_url="https://api.contaazul.com.br")
    headers = {"ExternalApplicationToken": "app", "CompanyToken": "company"}
    ca = ContaAzul("app", "company", transport=transport, rate_limiter=False)

    def baseline() -> object:
        return json.loads(raw.get("/pub/contact/customer/123", headers=headers).content)

    def ours() -> object:
        return ca.customers.get(123)

    batch, repeats = (200, 5) if quick else (1000, 15)
    base = median_time(baseline, batch, repeats)
    mine = median_time(ours, batch, repeats)
    return report("contaazul customers.get vs httpx.get + json.loads", mine, base, 1.25)


def bench_list_parse(quick: bool) -> bool:
    payload = json.dumps([{**CUSTOMER, "id": i} for i in range(1000)]).encode()
    parse = list_parser(Customer)

    batch, repeats = (5, 5) if quick else (20, 15)
    times = medians_in_turn(
        {"base": lambda: json.loads(payload), "ours": lambda: parse(payload)}, batch, repeats
    )
    return report(
        "contaazul parse 1,000 customers vs json.loads", times["ours"], times["base"], 1.6
    )


def bench_import(quick: bool) -> bool:
    runs = 5 if quick else 15
    cold_import("pass", 2)  # warm the OS file cache
    base = cold_import("import httpx, pydantic", runs)
    mine = cold_import("import contaazul", runs)
    ok = report("cold import contaazul vs import httpx, pydantic", mine, base, 1.3)
    # Names load lazily; this is what a first real use costs (no target, shown for honesty).
    used = cold_import("from contaazul import ContaAzul, Customer; Customer(name='x')", runs)
    ratio = used / base
    print(
        f"{'  (info) first use: from contaazul import ContaAzul, Customer':<58} "
        f"ours {used * 1e6:9.1f} us  ratio {ratio:5.2f}  (loads pydantic models and httpx)"
    )
    return ok


def main() -> int:
    chosen = [a for a in sys.argv[1:] if not a.startswith("-")] or list(CLIENTS)
    unknown = [name for name in chosen if name not in CLIENTS]
    if unknown:
        raise SystemExit(f"unknown client {unknown[0]!r}: name any of {', '.join(CLIENTS)}")
    for name in chosen:
        if name == "contaazul":
            quick = "--quick" in sys.argv
            results = [
                isolated(bench_get, quick),
                isolated(bench_list_parse, quick),
                bench_import(quick),  # runs its own subprocesses
            ]
            print(f"contaazul: {sum(results)}/{len(results)} targets met")
        else:
            # Each client's figures live in its own script; run it as its own process so
            # one client's warm caches never flatter another's.
            script = Path(__file__).with_name(f"{name.replace('-', '_')}_overhead.py")
            flags = [a for a in sys.argv[1:] if a.startswith("-")]
            subprocess.run([sys.executable, str(script), *flags], check=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
