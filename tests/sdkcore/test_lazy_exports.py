"""Each package declares an export once (its ``if TYPE_CHECKING:`` block) and loads it
lazily: what type checkers see, what ``__getattr__`` serves and ``__all__`` agree."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from sdkcore.lazy import declared_exports

PACKAGES = ["sdkcore", "contaazul", "contaazul.v2", "bling", "auvo", "bridge"]


def _exports_by_ast(source: str) -> tuple[dict[str, str], list[str]]:
    """The same reading as ``declared_exports``, done the slow, certain way."""
    tree = ast.parse(source)
    block = next(
        node
        for node in tree.body
        if isinstance(node, ast.If)
        and isinstance(node.test, ast.Name)
        and node.test.id == "TYPE_CHECKING"
    )
    names: dict[str, str] = {}
    stars: list[str] = []
    for node in block.body:
        assert isinstance(node, ast.ImportFrom), ast.dump(node)
        module = "." * node.level + (node.module or "")
        for alias in node.names:
            if alias.name == "*":
                stars.append(module)
            else:
                assert alias.asname == alias.name, f"{alias.name} is imported, not exported"
                names[alias.name] = module
    return names, stars


def _source(package: str) -> str:
    module = importlib.import_module(package)
    assert module.__file__ is not None
    return Path(module.__file__).read_text(encoding="utf-8")


@pytest.mark.parametrize("package", PACKAGES)
def test_the_runtime_reads_the_same_exports_type_checkers_read(package: str) -> None:
    names, stars = declared_exports(_source(package))
    expected_names, expected_stars = _exports_by_ast(_source(package))
    assert names == expected_names
    assert list(stars) == expected_stars
    assert len(names) > 10


@pytest.mark.parametrize("package", PACKAGES)
def test_every_declared_name_resolves_and_all_lists_exactly_them(package: str) -> None:
    module = importlib.import_module(package)
    names, stars = declared_exports(_source(package))
    starred = {name for star in stars for name in importlib.import_module(star, package).__all__}
    assert sorted(module.__all__) == sorted(set(names) | starred)
    for name in module.__all__:
        assert getattr(module, name) is not None, name
    assert set(names) <= set(dir(module))


@pytest.mark.parametrize("package", PACKAGES)
def test_an_unknown_name_is_an_attribute_error(package: str) -> None:
    module = importlib.import_module(package)
    with pytest.raises(AttributeError, match="no attribute 'NoSuchName'"):
        module.NoSuchName  # noqa: B018


def test_star_import_gives_the_declared_names() -> None:
    namespace: dict[str, object] = {}
    exec("from auvo import *", namespace)
    import auvo

    assert set(auvo.__all__) <= set(namespace)
    assert "Task" in namespace
    assert "Auvo" in namespace


def test_a_plain_import_in_the_block_is_not_an_export() -> None:
    source = (
        "if TYPE_CHECKING:\n"
        "    from .a import (\n"
        "        Kept as Kept,  # a comment, with a comma\n"
        "        private,\n"
        "    )\n"
        "    from .b import Other as Other\n"
        "    from .c import *  # noqa: F403\n"
        "\n"
        "x = 1\n"
    )
    assert declared_exports(source) == ({"Kept": ".a", "Other": ".b"}, (".c",))


def test_a_package_without_the_block_is_refused() -> None:
    with pytest.raises(ValueError, match="TYPE_CHECKING"):
        declared_exports("from .a import A\n")


@pytest.mark.parametrize("package", ["contaazul", "bling", "auvo"])
def test_a_cold_import_loads_neither_pydantic_nor_httpx(package: str) -> None:
    probe = (
        f"import sys, {package}; "
        "print(sorted(m for m in ('pydantic', 'httpx') if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def _run(code: str, path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(path)!r}); {code}"],
        capture_output=True,
        text=True,
        cwd=path.parent,
    )


def test_a_package_imported_from_a_zip_reads_its_exports(tmp_path: Path) -> None:
    import zipfile

    import sdkcore

    assert sdkcore.__file__ is not None
    root = Path(sdkcore.__file__).parent
    archive = tmp_path / "sdk.zip"
    with zipfile.ZipFile(archive, "w") as zipped:
        for source in root.rglob("*.py"):
            zipped.write(source, Path("sdkcore") / source.relative_to(root))
    done = _run("import sdkcore; print(sdkcore.__file__, sdkcore.APIError.__name__)", archive)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(archive / "sdkcore" / "__init__.py"), "APIError"]


def test_a_package_without_sources_says_what_is_missing(tmp_path: Path) -> None:
    import compileall
    import shutil

    import sdkcore

    assert sdkcore.__file__ is not None
    copy = tmp_path / "site" / "sdkcore"
    shutil.copytree(
        Path(sdkcore.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__")
    )
    assert compileall.compile_dir(copy, legacy=True, quiet=1)
    for source in copy.rglob("*.py"):
        source.unlink()
    done = _run("import sdkcore", copy.parent)
    assert done.returncode != 0
    assert "installed without its .py sources" in done.stderr


@pytest.mark.parametrize("package", PACKAGES)
def test_dir_lists_every_exported_name(package: str) -> None:
    module = importlib.import_module(package)
    assert set(module.__all__) <= set(dir(module))
