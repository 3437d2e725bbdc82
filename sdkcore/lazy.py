"""Lazy package attributes (PEP 562), so ``import <package>`` costs little until used.

pydantic does the same for ``import pydantic``; here it keeps a cold ``import contaazul``
from loading pydantic's model machinery and every model before the first call needs them.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(
    package: str,
    exports: Mapping[str, str],
    fallback: Iterable[str] = (),
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """``__getattr__`` and ``__dir__`` for ``package``: ``exports`` maps a name to the
    submodule (relative, like ``".errors"``) that defines it; names not listed are looked
    up in the ``fallback`` submodules in order."""
    fallbacks = tuple(fallback)

    def __getattr__(name: str) -> Any:
        modules = [exports[name]] if name in exports else list(fallbacks)
        for module_name in modules:
            module = importlib.import_module(module_name, package)
            if hasattr(module, name):
                value = getattr(module, name)
                setattr(sys.modules[package], name, value)  # later lookups skip this hook
                return value
        raise AttributeError(f"module {package!r} has no attribute {name!r}")

    def __dir__() -> list[str]:
        return sorted(set(vars(sys.modules[package])) | set(exports))

    return __getattr__, __dir__
