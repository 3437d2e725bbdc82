"""``bridge`` reads top-down: its modules' imports form no circle.

The graph is built with ``ast`` from every module of ``bridge/``: ``import`` and
``from ... import`` statements at any depth, the ones inside functions included (a local
import is still a dependency, only a later one). Imports under ``if TYPE_CHECKING:`` are
left out: they exist for annotations only and never run. An import of a package counts as
an import of its ``__init__``; ``from package import name`` counts the submodule when
``name`` is one.
"""

from __future__ import annotations

import ast
import sys
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "bridge"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    return {_module_name(path): path for path in PACKAGE.rglob("*.py")}


def _is_type_checking(node: ast.If) -> bool:
    test = node.test
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _imports(tree: ast.AST) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement, at any depth, but for those under ``if TYPE_CHECKING:``."""
    found: list[ast.Import | ast.ImportFrom] = []
    pending: list[ast.AST] = [tree]
    while pending:
        node = pending.pop()
        if isinstance(node, ast.If) and _is_type_checking(node):
            pending.extend(node.orelse)
            continue
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.append(node)
        pending.extend(ast.iter_child_nodes(node))
    return found


def _resolve(module: str, path: Path, node: ast.ImportFrom) -> str:
    if node.level == 0:
        return node.module or ""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    base = package[: len(package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def import_graph() -> dict[str, set[str]]:
    """Each ``bridge`` module -> the ``bridge`` modules it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            else:
                target = _resolve(name, path, node)
                targets = [target]
                targets += [f"{target}.{alias.name}" for alias in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name}
    return graph


def test_the_graph_sees_imports_at_every_depth() -> None:
    graph = import_graph()
    assert "bridge.context" in graph["bridge.engine"]
    assert "bridge.clients" in graph["bridge.engine"]  # imported inside ready()
    assert "bridge.erp.registry" in graph["bridge.config"]


def test_bridge_has_no_import_circle() -> None:
    graph = import_graph()
    try:
        order = list(TopologicalSorter(graph).static_order())
    except CycleError as exc:
        raise AssertionError(f"an import circle in bridge: {' -> '.join(exc.args[1])}") from None
    assert set(order) == set(graph)


def _packages(path: Path) -> set[str]:
    """The top-level packages a module imports (absolute imports only)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in _imports(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0:
            roots.add((node.module or "").split(".")[0])
        elif isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
    return roots


def _client_packages() -> set[str]:
    """The API clients' packages: what the Auvo adapter and the ERP modules import beyond
    the standard library, the shared core and attrs."""
    modules = _modules()
    adapters = ["bridge.auvo_side"]
    adapters += [name for name in modules if name.startswith("bridge.erp.")]
    common = set(sys.stdlib_module_names) | {"__future__", "attrs", "bridge", "sdkcore"}
    return set().union(*(_packages(modules[name]) for name in adapters)) - common


def test_streams_sit_below_the_engine_and_see_no_client() -> None:
    graph = import_graph()
    clients = _client_packages()
    assert "auvo" in clients
    assert len(clients) > 1  # Auvo's and at least one ERP's
    streams = [name for name in graph if name.startswith("bridge.streams")]
    assert streams
    for name in streams:
        assert "bridge.engine" not in graph[name], name
        assert _packages(_modules()[name]).isdisjoint(clients), name
