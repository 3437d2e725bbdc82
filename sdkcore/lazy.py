"""Lazy package attributes (PEP 562), so ``import <package>`` costs little until used.

pydantic does the same for ``import pydantic``; here it keeps a cold ``import contaazul``
from loading pydantic's model machinery and every model before the first call needs them.

A package declares each export once, in its ``if TYPE_CHECKING:`` block, as the re-export
idiom type checkers read (``from .errors import APIError as APIError``; ``from .models
import *`` for a module whose ``__all__`` is all public). At run time ``lazy_exports``
reads that same block from the package's source, so the names type checkers see, the
names ``__getattr__`` serves and ``__all__`` cannot drift apart.
"""

from __future__ import annotations

import importlib
import re
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["declared_exports", "lazy_exports"]

# A regex, not ``ast``: importing and running ``ast`` would cost a cold import more than
# the whole package. A test checks this reading against ``ast`` for every package.
_BLOCK = re.compile(r"^if TYPE_CHECKING:\n((?:[ \t]+.*\n|[ \t]*\n)+)", re.MULTILINE)
_FROM_IMPORT = re.compile(r"from\s+([.\w]+)\s+import\s+(\([^)]*\)|[^\n]*)")
_COMMENT = re.compile(r"#[^\n]*")


def declared_exports(source: str) -> tuple[dict[str, str], tuple[str, ...]]:
    """The exports declared in ``source``'s ``if TYPE_CHECKING:`` block: a map of public
    name to the module it comes from, and the modules re-exported with ``import *``.

    Only ``from m import name as name`` (or ``*``) counts: a plain ``from m import name``
    is a private import for type checkers, so it is not exported here either."""
    block = _BLOCK.search(source)
    if block is None:
        raise ValueError("no `if TYPE_CHECKING:` block declares the exports")
    names: dict[str, str] = {}
    stars: list[str] = []
    for module, imported in _FROM_IMPORT.findall(_COMMENT.sub("", block.group(1))):
        for item in imported.strip("()").split(","):
            parts = item.split()
            if parts == ["*"]:
                stars.append(module)
            elif len(parts) == 3 and parts[1] == "as" and parts[0] == parts[2]:
                names[parts[2]] = module
    return names, tuple(stars)


def lazy_exports(package: str) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``, serving the exports its
    ``if TYPE_CHECKING:`` block declares (see the module docstring); ``__all__`` is served
    too, so ``from package import *`` exports exactly those names."""
    # The loader reads the source wherever it lives: a folder, a wheel unpacked, a zip.
    loader = sys.modules[package].__spec__.loader  # type: ignore[union-attr]
    get_source = getattr(loader, "get_source", None)
    source = get_source(package) if get_source is not None else None
    if source is None:
        raise ImportError(
            f"{package} is installed without its .py sources, which declare its exports; "
            "install it with them (PyInstaller: collect the package as source)"
        )
    exports, stars = declared_exports(source)

    def public_names() -> list[str]:
        names = set(exports)
        for star in stars:
            names.update(importlib.import_module(star, package).__all__)
        return sorted(names)

    def __getattr__(name: str) -> Any:
        if name == "__all__":
            value: Any = public_names()
        elif name in exports:
            value = getattr(importlib.import_module(exports[name], package), name)
        else:
            for star in stars:
                module = importlib.import_module(star, package)
                if name in module.__all__:
                    value = getattr(module, name)
                    break
            else:
                raise AttributeError(f"module {package!r} has no attribute {name!r}")
        setattr(sys.modules[package], name, value)  # later lookups skip this hook
        return value

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(public_names()))

    return __getattr__, __dir__
