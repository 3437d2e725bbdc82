"""Page parse cost as instruction counts (valgrind's callgrind), for a machine too noisy to time.

    python bench/page_instructions.py [--repo PATH] [--times N] [--collector]

For each page (Conta Azul's 1,000 customers, Conta Azul v2's 100 sales, Bling's 100
contatos, Auvo's 100 tasks) it runs one process that parses the page N times and one that
parses it none, under ``valgrind --tool=callgrind``, and divides the difference by the same
difference for ``json.loads`` of that page: a ratio like ``bench/overhead.py``'s, repeatable
to a fraction of a percent whatever else the machine runs. ``--repo`` measures another
checkout (an older commit, say) with the same payloads. The garbage collector is off unless
``--collector``: then the collections the parses set off are counted too (give ``--times``
in the hundreds, so that the rare full collections land in proportion).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
PAGES = ("contaazul", "contaazul-v2", "bling", "auvo")


def _payload(page: str) -> bytes:
    import auvo_overhead
    import bling_overhead
    import contaazul_v2_overhead
    import overhead

    if page == "contaazul":
        return json.dumps([{**overhead.CUSTOMER, "id": i} for i in range(1000)]).encode()
    if page == "contaazul-v2":
        return contaazul_v2_overhead.page_payload()
    if page == "bling":
        return bling_overhead.page_payload()
    return json.dumps([auvo_overhead.task(i) for i in range(100)]).encode()


def _parser(page: str) -> Callable[[bytes], object]:
    from pydantic import TypeAdapter

    if page == "contaazul":
        from contaazul.models import Customer

        return TypeAdapter(list[Customer]).validate_json
    if page == "contaazul-v2":
        from contaazul.v2._paging import _envelope_adapter
        from contaazul.v2.models import Venda
        from sdkcore.bodies import json_reader

        # What ca.vendas.list reads each page with, its scan for long numbers included.
        return json_reader(_envelope_adapter(Venda))
    if page == "bling":
        from bling import ContatoResumo

        return TypeAdapter(dict[str, list[ContatoResumo]]).validate_json
    from auvo.models import Task

    return TypeAdapter(list[Task]).validate_json


def _child(repo: Path, page: str, what: str, times: int, collector: bool) -> None:
    sys.path[:0] = [str(repo), str(repo / "bench")]
    payload = _payload(page)
    parse = _parser(page)
    parse(payload)  # schemas built and caches warm before counting starts
    json.loads(payload)
    gc.collect()
    if not collector:
        gc.disable()  # a collection landing in one run and not the other is not the parse's
    for _ in range(times):
        if what == "parse":
            parse(payload)
        else:
            json.loads(payload)


def _instructions(repo: Path, page: str, what: str, times: int, collector: bool) -> int:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "callgrind.out"
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                f"--callgrind-out-file={out}",
                sys.executable,
                __file__,
                "--child",
                str(repo),
                page,
                what,
                str(times),
                "collector" if collector else "no-collector",
            ],
            check=True,
            capture_output=True,
            env={**os.environ, "PYTHONHASHSEED": "0"},
        )
        summary = re.search(r"^summary: (\d+)", out.read_text(), re.MULTILINE)
        if summary is None:
            raise RuntimeError(f"no summary in callgrind's output for {page} {what}")
        return int(summary.group(1))


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        _, _, repo, page, what, times, collector = sys.argv
        _child(Path(repo), page, what, int(times), collector == "collector")
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repo", type=Path, default=HERE.parent)
    parser.add_argument("--times", type=int, default=10)
    parser.add_argument("--pages", nargs="+", choices=PAGES, default=list(PAGES))
    parser.add_argument(
        "--collector",
        action="store_true",
        help="keep the garbage collector on and count its instructions too (use --times 400)",
    )
    args = parser.parse_args()
    for page in args.pages:
        costs = {}
        for what in ("parse", "loads"):
            base = _instructions(args.repo, page, what, 0, args.collector)
            ran = _instructions(args.repo, page, what, args.times, args.collector)
            costs[what] = ran - base
        ratio = costs["parse"] / costs["loads"]
        print(
            f"{page:10s} page parse vs json.loads, instructions per run: "
            f"{costs['parse'] // args.times:>12,} vs {costs['loads'] // args.times:>12,}"
            f"  ratio {ratio:.2f}"
        )


if __name__ == "__main__":
    main()
