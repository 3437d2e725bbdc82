"""One seam per ERP: nothing outside ``bridge/erp/`` names an ERP, and every registered kind
is complete (its module, its record, its test driver).

The rule the name check applies: a kind is named by its ``name`` (``erp.kind``) or its
``title`` (as people write it), in any case and any spelling of the words (``ContaAzulERP``,
``conta_azul``, ``"Conta Azul"``, ``FakeBling``): the text is split into words (at case
changes, digits, underscores and other separators) and a kind's words may not appear in a
row. A word that merely contains a name (``doubling``) is no match. Code, strings, comments
and docstrings all count.

Where it applies: every module of ``bridge/`` outside ``bridge/erp/``; the bridge's tests
outside ``tests/bridge/erp/`` (where each ERP's own tests and its driver live); and
``bench/bridge.py`` with the fakes it serves (``bench/_remote_fakes.py``). Those read the
registry (``bridge.erp.registry``) instead. The registry's own module names each kind once,
by design: it is the one line per ERP.

The test modules directly in ``tests/`` attack the clients and the bridge alike, so there
the rule applies to their bridge code: each top-level statement that uses a name imported
from ``bridge`` or names a bridge module in a string (``"-m", "bridge"``), and every
top-level statement (helper, constant, fixture, import) that such code uses in turn. A client
test beside them may name its client; the clients' own tests (``tests/<package>/``) are
not checked.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from bridge.erp.port import ErpKind, ErpSettings
from bridge.erp.registry import ERP_MODULES, erp_kind, erp_kinds, erp_names

from .drivers import DRIVERS

ROOT = Path(__file__).resolve().parents[3]
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _forbidden() -> list[tuple[str, tuple[str, ...]]]:
    spellings = []
    for kind in erp_kinds():
        for text in (kind.name, kind.title):
            spellings.append((text, tuple(_words(text))))
    return spellings


def _names_in(text: str) -> set[str]:
    words = _words(text)
    found = set()
    for spelling, wanted in _forbidden():
        size = len(wanted)
        if any(tuple(words[i : i + size]) == wanted for i in range(len(words) - size + 1)):
            found.add(spelling)
    return found


def _checked_files() -> list[Path]:
    bridge = [p for p in (ROOT / "bridge").rglob("*.py") if p.parts[len(ROOT.parts) + 1] != "erp"]
    tests_root = ROOT / "tests" / "bridge"
    tests = [p for p in tests_root.rglob("*.py") if p.parts[len(tests_root.parts)] != "erp"]
    benches = [ROOT / "bench" / "bridge.py", ROOT / "bench" / "_remote_fakes.py"]
    return sorted(bridge + tests + benches)


def _mixed_test_files() -> list[Path]:
    """The test modules directly in ``tests/``: client and bridge tests side by side."""
    return sorted((ROOT / "tests").glob("*.py"))


def _is_bridge_module(name: str) -> bool:
    return name == "bridge" or name.startswith("bridge.")


def _names_bound(statement: ast.stmt) -> set[str]:
    if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return {statement.name}
    if isinstance(statement, ast.Import | ast.ImportFrom):
        return {(alias.asname or alias.name).partition(".")[0] for alias in statement.names}
    targets = [node for node in ast.walk(statement) if isinstance(node, ast.Name)]
    return {node.id for node in targets if isinstance(node.ctx, ast.Store)}


def _names_used(statement: ast.stmt) -> set[str]:
    """Names read, and parameter names (a fixture is used by naming it as a parameter)."""
    used = set()
    for node in ast.walk(statement):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            used.add(node.id)
        elif isinstance(node, ast.arg):
            used.add(node.arg)
    return used


def _imports_the_bridge(statement: ast.stmt) -> bool:
    if isinstance(statement, ast.ImportFrom):
        return statement.level == 0 and _is_bridge_module(statement.module or "")
    if isinstance(statement, ast.Import):
        return any(_is_bridge_module(alias.name) for alias in statement.names)
    return False


def _names_a_bridge_module(statement: ast.stmt) -> bool:
    return any(
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _is_bridge_module(node.value)
        for node in ast.walk(statement)
    )


def _bridge_code(source: str) -> Iterator[str]:
    """The source of a mixed test module's bridge code, statement by statement (the rule in
    the module docstring), decorators included."""
    statements = ast.parse(source).body
    bridge_names = set().union(*(_names_bound(s) for s in statements if _imports_the_bridge(s)))
    checked = [s for s in statements if _names_used(s) & bridge_names or _names_a_bridge_module(s)]
    wanted = set().union(*(_names_used(s) for s in checked))
    while True:
        more = [s for s in statements if s not in checked and _names_bound(s) & wanted]
        if not more:
            break
        checked += more
        wanted |= set().union(*(_names_used(s) for s in more))
    lines = source.splitlines()
    for statement in checked:
        decorators = getattr(statement, "decorator_list", [])
        first = min([statement.lineno, *(d.lineno for d in decorators)])
        yield "\n".join(lines[first - 1 : statement.end_lineno])


def test_the_rule_splits_words_as_the_docstring_says() -> None:
    assert _words("ContaAzulERP conta_azul FakeBling doubling") == [
        *("conta", "azul", "erp", "conta", "azul", "fake", "bling", "doubling")
    ]


@pytest.mark.parametrize("path", _checked_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_the_seam_names_an_erp(path: Path) -> None:
    assert _names_in(path.read_text(encoding="utf-8")) == set()


@pytest.mark.parametrize("path", _mixed_test_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_bridge_test_beside_the_client_tests_names_an_erp(path: Path) -> None:
    found = {
        name for code in _bridge_code(path.read_text(encoding="utf-8")) for name in _names_in(code)
    }
    assert found == set()


def test_the_check_would_find_a_name() -> None:
    for kind in erp_kinds():
        assert kind.title in _names_in(f"x = {kind.title!r}  # {kind.title}")
        assert kind.name in _names_in(f'if config.erp == "{kind.name}":')


def _mixed_module(client_name: str, constant: str, cli_argument: str) -> str:
    """A mixed test module: a client test naming ``client_name``, a bridge test reading
    ``constant`` through a helper, and a CLI test passing ``cli_argument``."""
    return "\n".join(
        [
            "import subprocess",
            "from bridge.demo import demo_config",
            f"from {client_name.partition('-')[0]}.testing import Fake",  # its package
            f"KIND = {constant!r}",
            "def test_the_client():",
            f"    Fake().get({client_name!r})  # a client's own test may name it",
            "def helper():",
            "    return KIND",
            "def test_the_bridge():",
            "    demo_config(helper())",
            "def test_the_cli():",
            f'    subprocess.run(["-m", "bridge", "--kind", "{cli_argument}"])',
        ]
    )


@pytest.mark.parametrize("name", erp_names())
def test_the_check_finds_a_name_in_a_mixed_modules_bridge_code_only(name: str) -> None:
    def found(module: str) -> set[str]:
        return {spelling for code in _bridge_code(module) for spelling in _names_in(code)}

    assert found(_mixed_module(name, "neutral", "neutral")) == set()
    assert name in found(_mixed_module(name, name, "neutral"))  # in a helper bridge code uses
    assert name in found(_mixed_module(name, "neutral", name))  # in a run of ``-m bridge``


@pytest.mark.parametrize("name", erp_names())
def test_every_kind_is_complete(name: str) -> None:
    kind = erp_kind(name)
    assert isinstance(kind, ErpKind)
    assert ERP_MODULES[name] == f"bridge.erp.{name.replace('-', '_')}"
    assert issubclass(kind.settings, ErpSettings)
    assert kind.settings.names().isdisjoint({"kind", "financial_account", "payment_terms"})
    assert set(kind.customer_fields) <= {"name", "document", "email", "phone", "address"}
    assert name in DRIVERS, f"tests/bridge/erp/drivers.py has no driver for {name}"
