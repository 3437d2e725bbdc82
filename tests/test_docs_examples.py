"""Every Python example in README.md and docs/*.md runs, and every name the docs show exists.

How a document's examples run (``test_doc_examples_run``):

- Its ```` ```python ```` blocks run in the order written, in one fresh module namespace per
  document: a block may use what an earlier block of the same document made (``ca``,
  ``config``). Documents share nothing, and each starts with new fakes.
- A block opts out only with ``<!-- not-run: reason -->`` on the line before its fence,
  for what no fake can play (an account owner in a browser, a loop that runs until a
  signal). ``test_not_run_example`` compiles each and reports it as a skip with its
  reason (``pytest -rs``); ``test_opt_outs_are_few`` keeps them rare.
- Nothing reaches the network. httpx's own transports, which every client builds when it is
  given no ``transport=``, hand each request to the fake of the host it names: Conta Azul's,
  Bling's and Auvo's default API hosts reach ``FakeContaAzul``, ``FakeBling`` and
  ``FakeAuvo``; any other host fails the block.
- The credentials the docs read from the environment (``CONTAAZUL_*``, ``AUVO_*``,
  ``BLING_*``) are the fakes'. A block that writes ``"..."`` for a credential and then
  sends a request fails with the fake's 403, so examples that send use the environment.
- Each document runs in its own temporary directory (also ``HOME``) holding the files the
  docs take as given: the configuration the docs show (their one ```` ```toml ```` block),
  under each name the examples pass to ``load_config``, and ``bling-tokens.json`` (what the
  account owner's authorisation leaves, from the fake).
- Top-level ``await``, ``async with`` and ``async for`` run in ``asyncio.run``.
- Every ``print`` a block shows outside an ``except`` clause prints at least once: an
  example whose loop finds nothing in the fakes shows nothing, and says nothing true.
- A coroutine left un-awaited (a sync call on an async client) fails the block.

``test_doc_names_exist``: every inline code span shaped like an attribute path rooted at a
package of the repository (a folder with ``py.typed``) or at a client the docs
name (``ca``, ``bling``, ``auvo``) resolves, on the package (importing submodules) or on a
client wired to its fake: ``ca.reports.monthly_sales()``, ``bling.pedidos_vendas.create``.
"""

from __future__ import annotations

import ast
import asyncio
import gc
import importlib
import inspect
import re
import signal
import sys
import tomllib
import types
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

import auvo
import bling
import contaazul
from auvo.testing import FakeAuvo
from bling.testing import FakeBling
from contaazul.testing import FakeContaAzul
from contaazul.v2 import ContaAzul as ContaAzulV2
from contaazul.v2.oauth import TOKEN_URL as CONTAAZUL_V2_TOKEN_URL
from contaazul.v2.testing import FakeContaAzul as FakeContaAzulV2
from sdkcore import FileTokenStore

REPO = Path(__file__).resolve().parent.parent
DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

FENCE = re.compile(r"^```(?P<lang>\S*)\s*$")
NOT_RUN = re.compile(r"^<!--\s*not-run:\s*(?P<reason>\S.*?)\s*-->$")
LOADS_CONFIG = re.compile(r"""load_config\(\s*["']([^"']+)["']""")
INLINE_CODE = re.compile(r"`([^`\n]+)`")
NAME_PATH = re.compile(r"^(?P<path>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)(?:\(.*\))?$")
TABLE_ROOT = re.compile(r"^`(?P<prefix>[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\.<\w+>(?:\(\))?`$")
METHOD_COLUMNS = frozenset({"method", "client"})
# The variable each client's page calls its client by, for tables that list its methods.
DOC_CLIENTS = {
    "docs/contaazul.md": "ca",
    "docs/contaazul-v2.md": "ca",
    "docs/bling.md": "bling",
    "docs/auvo.md": "auvo",
}
# A page whose client variable means another client than the shared one of that name.
DOC_CLIENT_OVERRIDES = {
    "docs/contaazul-v2.md": {"ca": "ca_v2"},
    "docs/bridge.md": {"ca": "ca_v2"},
}
PACKAGES = tuple(sorted(marker.parent.name for marker in REPO.glob("*/py.typed")))
# A file name (`settings.toml`) looks like an attribute path; its suffix tells it apart.
FILE_SUFFIXES = frozenset({"toml", "md", "py", "json", "sqlite3", "lock", "yml", "txt"})
# Opt-outs are for what no fake can play (a browser sign-in, a loop until stopped, a Celery
# app on PostgreSQL); more means the docs drifted again.
MAX_NOT_RUN = 4
BLING_TOKEN_FILE = "bling-tokens.json"
CONTAAZUL_TOKEN_FILE = "contaazul-tokens.json"
BLOCK_SECONDS = 60


@dataclass(frozen=True)
class Block:
    doc: Path
    line: int  # the first line of code, 1-based, as the doc numbers it
    source: str
    not_run: str | None  # the reason given by a `<!-- not-run: ... -->` marker

    @property
    def where(self) -> str:
        return f"{self.doc.relative_to(REPO)}:{self.line}"


def fenced_blocks(doc: Path) -> Iterator[tuple[str, int, list[str], str | None]]:
    """Each fenced block of ``doc``: its language, first code line, lines and opt-out."""
    lines = doc.read_text(encoding="utf-8").splitlines()
    index = 0
    while index < len(lines):
        opening = FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        before = next((text.strip() for text in reversed(lines[:index]) if text.strip()), "")
        marker = NOT_RUN.match(before)
        end = next(i for i in range(index + 1, len(lines)) if lines[i].startswith("```"))
        yield (
            opening["lang"],
            index + 2,
            lines[index + 1 : end],
            marker["reason"] if marker else None,
        )
        index = end + 1


def python_blocks(doc: Path) -> list[Block]:
    return [
        Block(doc, first, "\n".join(code) + "\n", reason)
        for lang, first, code, reason in fenced_blocks(doc)
        if lang == "python"
    ]


def prose_lines(doc: Path) -> Iterator[tuple[int, str]]:
    """The lines of ``doc`` outside fenced blocks, numbered from 1."""
    inside = False
    for number, text in enumerate(doc.read_text(encoding="utf-8").splitlines(), start=1):
        if FENCE.match(text) or (inside and text.startswith("```")):
            inside = not inside
            continue
        if not inside:
            yield number, text


def doc_id(doc: Path) -> str:
    return str(doc.relative_to(REPO))


# -- the world the examples run in -----------------------------------------------------------


@dataclass
class Fakes:
    contaazul: FakeContaAzul
    contaazul_v2: FakeContaAzulV2
    bling: FakeBling
    auvo: FakeAuvo

    def by_host(self) -> dict[str, httpx.MockTransport]:
        def host(url: str) -> str:
            return httpx.URL(url).host

        return {
            host(contaazul.ContaAzul.default_base_url): self.contaazul.transport,
            host(ContaAzulV2.default_base_url): self.contaazul_v2.transport,
            host(CONTAAZUL_V2_TOKEN_URL): self.contaazul_v2.transport,
            host(bling.Bling.default_base_url): self.bling.transport,
            host(auvo.Auvo.default_base_url): self.auvo.transport,
        }


class NetworkRefused(AssertionError):
    """A docs example reached for a host that no fake plays."""


@pytest.fixture
def fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Fakes:
    """New fakes behind httpx's own transports, their credentials in the environment, and a
    working directory with the files the docs take as given."""
    world = Fakes(FakeContaAzul(), FakeContaAzulV2(), FakeBling(), FakeAuvo())
    routes = world.by_host()

    def route(request: httpx.Request) -> httpx.MockTransport:
        if request.url.host not in routes:
            raise NetworkRefused(f"a docs example reached for {request.url}: no fake plays it")
        return routes[request.url.host]

    def handle(_self: httpx.HTTPTransport, request: httpx.Request) -> httpx.Response:
        return route(request).handle_request(request)

    async def handle_async(
        _self: httpx.AsyncHTTPTransport, request: httpx.Request
    ) -> httpx.Response:
        return await route(request).handle_async_request(request)

    monkeypatch.setattr(httpx.HTTPTransport, "handle_request", handle)
    monkeypatch.setattr(httpx.AsyncHTTPTransport, "handle_async_request", handle_async)

    environment = {
        "CONTAAZUL_APPLICATION_TOKEN": world.contaazul.application_token,
        "CONTAAZUL_COMPANY_TOKEN": world.contaazul.company_token,
        "CONTAAZUL_CLIENT_ID": world.contaazul_v2.client_id,
        "CONTAAZUL_CLIENT_SECRET": world.contaazul_v2.client_secret,
        "CONTAAZUL_V2_ACCESS_TOKEN": world.contaazul_v2.access_token,
        "AUVO_API_KEY": world.auvo.api_key,
        "AUVO_API_TOKEN": world.auvo.api_token,
        "BLING_CLIENT_ID": world.bling.client_id,
        "BLING_CLIENT_SECRET": world.bling.client_secret,
        "BLING_ACCESS_TOKEN": world.bling.access_token,
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for name in (
        "CONTAAZUL_BASE_URL",
        "CONTAAZUL_V2_BASE_URL",
        "BLING_BASE_URL",
        "AUVO_BASE_URL",
        "PONTE_LOG",
    ):
        monkeypatch.delenv(name, raising=False)

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))  # an example that writes under ~ stays here
    for name in loaded_config_files():
        (tmp_path / name).write_text(shown_config(), encoding="utf-8")
    tokens = world.bling.oauth().exchange_code(world.bling.issue_code())
    FileTokenStore(tmp_path / BLING_TOKEN_FILE).save(tokens)
    redirect = "https://yourapp.example/contaazul/callback"  # Conta Azul's exchange needs it
    oauth = world.contaazul_v2.oauth(redirect_uri=redirect)
    oauth.exchange_code(
        world.contaazul_v2.issue_code(redirect),
        store=FileTokenStore(tmp_path / CONTAAZUL_TOKEN_FILE),
    )
    return world


def shown_config() -> str:
    """The first ```toml block of the docs that is a whole settings file (docs/bridge.md's
    Configuration, with ``[auvo]``): the configuration their examples load. Blocks of
    ``[[automations]]`` alone show one part of a file; later whole files belong to the
    end-to-end walk, which ``tests/bridge/test_end_to_end_fakes.py`` runs."""
    blocks = [
        "\n".join(code) + "\n"
        for doc in DOCS
        for lang, _, code, _ in fenced_blocks(doc)
        if lang == "toml" and "[auvo]" in code
    ]
    assert blocks, "the docs should show a configuration file"
    return blocks[0]


def loaded_config_files() -> set[str]:
    """The file names the examples pass to ``load_config(...)``."""
    return {
        name
        for doc in DOCS
        for block in python_blocks(doc)
        for name in LOADS_CONFIG.findall(block.source)
    }


# -- running a block -------------------------------------------------------------------------


def shown_prints(tree: ast.AST) -> set[int]:
    """The lines of ``print(...)`` calls outside ``except`` clauses."""
    in_handlers = {
        id(node)
        for handler in ast.walk(tree)
        if isinstance(handler, ast.ExceptHandler)
        for node in ast.walk(handler)
    }
    return {
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "print"
        and id(node) not in in_handlers
    }


def compile_block(block: Block) -> types.CodeType:
    """The block compiled so that tracebacks name the doc and its line numbers."""
    padded = "\n" * (block.line - 1) + block.source
    code: types.CodeType = compile(
        padded, doc_id(block.doc), "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT
    )
    return code


@contextmanager
def time_limit(block: Block) -> Iterator[None]:
    """Fail a block that runs past ``BLOCK_SECONDS`` (a loop that never stops) rather than
    hang the suite; SIGALRM interrupts sleeps and waits in the main thread."""

    def expire(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"{block.where}: still running after {BLOCK_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, BLOCK_SECONDS)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def run_block(block: Block, namespace: dict[str, Any]) -> None:
    code = compile_block(block)
    expected = shown_prints(ast.parse("\n" * (block.line - 1) + block.source))
    printed: set[int] = set()

    def print_counted(*args: Any, **kwargs: Any) -> None:
        caller = inspect.currentframe()
        if caller is not None and caller.f_back is not None:
            printed.add(caller.f_back.f_lineno)
        print(*args, **kwargs)

    namespace["print"] = print_counted
    try:
        with warnings.catch_warnings(record=True) as caught, time_limit(block):
            warnings.simplefilter("always", RuntimeWarning)
            result = eval(code, namespace)
            if inspect.iscoroutine(result):
                asyncio.run(result)
            gc.collect()  # an un-awaited coroutine warns when it is collected
    finally:
        del namespace["print"]
    unawaited = [str(w.message) for w in caught if "never awaited" in str(w.message)]
    assert not unawaited, f"{block.where}: {unawaited}"
    silent = sorted(expected - printed)
    assert not silent, f"{block.where}: the print on line(s) {silent} never ran"


DOCS_WITH_PYTHON = [doc for doc in DOCS if python_blocks(doc)]


@pytest.mark.parametrize("doc", DOCS_WITH_PYTHON, ids=doc_id)
def test_doc_examples_run(
    fakes: Fakes, monkeypatch: pytest.MonkeyPatch, doc: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    module = types.ModuleType(f"docs_example_{doc.stem}")
    monkeypatch.setitem(sys.modules, module.__name__, module)
    for block in python_blocks(doc):
        if block.not_run is None:
            run_block(block, module.__dict__)
    capsys.readouterr()


NOT_RUN_BLOCKS = [block for doc in DOCS for block in python_blocks(doc) if block.not_run]


@pytest.mark.parametrize("block", NOT_RUN_BLOCKS, ids=lambda block: block.where)
def test_not_run_example(block: Block) -> None:
    """Each opted-out block is one skip in the summary, with its reason (``pytest -rs``);
    it still has to compile."""
    compile_block(block)
    pytest.skip(f"{block.where} is not run: {block.not_run}")


def test_opt_outs_are_few() -> None:
    listing = "\n".join(f"{block.where}: {block.not_run}" for block in NOT_RUN_BLOCKS)
    assert len(NOT_RUN_BLOCKS) <= MAX_NOT_RUN, f"more examples opted out than expected:\n{listing}"


# -- names the prose shows -------------------------------------------------------------------


def resolve_on_module(path: list[str]) -> bool:
    target: Any = importlib.import_module(path[0])
    for depth, name in enumerate(path[1:], start=1):
        if not hasattr(target, name):
            try:
                target = importlib.import_module(".".join(path[: depth + 1]))
            except ModuleNotFoundError:
                return False
            continue
        target = getattr(target, name)
    return True


def resolve_on_object(target: Any, path: list[str]) -> bool:
    for name in path:
        if not hasattr(target, name):
            return False
        target = getattr(target, name)
    return True


@pytest.fixture
def clients() -> Iterator[dict[str, Any]]:
    """The client each docs variable stands for, wired to its fake (nothing is sent)."""
    made = {
        "ca": FakeContaAzul().client(),
        "ca_v2": FakeContaAzulV2().client(),
        "bling": FakeBling().client(),
        "auvo": FakeAuvo().client(),
    }
    yield made
    for client in made.values():
        client.close()


def name_path(span: str) -> list[str] | None:
    """``span`` as an attribute path (call parentheses dropped), or None for other code."""
    shaped = NAME_PATH.match(span.strip())
    if shaped is None:
        return None
    path = shaped["path"].split(".")
    return None if path[-1] in FILE_SUFFIXES else path


def rooted_names(doc: Path, roots: set[str]) -> Iterator[tuple[int, list[str]]]:
    """Code spans of the prose and tables that are dotted paths starting at one of ``roots``."""
    for number, text in prose_lines(doc):
        for span in INLINE_CODE.findall(text):
            path = name_path(span)
            if path is not None and len(path) > 1 and path[0] in roots:
                yield number, path


def table_rows(doc: Path) -> Iterator[tuple[list[str], int, list[str]]]:
    """Each body row of each Markdown table: its table's header cells, line and cells."""
    header: list[str] | None = None
    for number, text in prose_lines(doc):
        if not text.startswith("|"):
            header = None
            continue
        cells = [cell.strip() for cell in text.strip().strip("|").split("|")]
        if header is None:
            header = cells
        elif not all(set(cell) <= set("-: ") for cell in cells):
            yield header, number, cells


def tabled_names(doc: Path, client_var: str) -> Iterator[tuple[int, list[str]]]:
    """Code spans of table columns that list a client's methods: a column headed "method"
    or "client", or headed by a code span such as `ca.<resource>` (its root is the
    client). Paths come rooted at the client variable."""
    for header, number, cells in table_rows(doc):
        for title, cell in zip(header, cells, strict=False):
            placeholder = TABLE_ROOT.match(title)
            if placeholder is not None:
                prefix = placeholder["prefix"].split(".")
            elif title.strip().lower() in METHOD_COLUMNS:
                prefix = [client_var]
            else:
                continue
            for span in INLINE_CODE.findall(cell):
                path = name_path(span)
                if path is not None:
                    yield number, path if path[0] == prefix[0] else [*prefix, *path]


def setting_names(table: dict[str, Any], prefix: str = "") -> Iterator[str]:
    """The dotted names of a TOML document's settings (``auvo.api_key``)."""
    for key, value in table.items():
        if isinstance(value, dict):
            yield from setting_names(value, f"{prefix}{key}.")
        else:
            yield prefix + key


def test_doc_names_exist(clients: dict[str, Any]) -> None:
    roots = set(PACKAGES) | set(clients)
    # `auvo.api_key` in the prose is the bridge's setting, as its errors name it
    settings = set(setting_names(tomllib.loads(shown_config())))
    missing = []
    checked = 0
    for doc in DOCS:
        shown = list(rooted_names(doc, roots))
        client_var = DOC_CLIENTS.get(doc_id(doc))
        if client_var is not None:
            shown += tabled_names(doc, client_var)
        for number, path in shown:
            if ".".join(path) in settings:
                continue
            checked += 1
            on_module = path[0] in PACKAGES and resolve_on_module(path)
            overrides = DOC_CLIENT_OVERRIDES.get(doc_id(doc), {})
            client = clients.get(overrides.get(path[0], path[0]))
            on_client = client is not None and resolve_on_object(client, path[1:])
            if not (on_module or on_client):
                missing.append(f"{doc_id(doc)}:{number}: {'.'.join(path)}")
    assert checked > 100, "the docs show dotted names; the search for them broke"
    assert not missing, "names the docs show that do not exist:\n" + "\n".join(missing)
