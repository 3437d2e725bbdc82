"""The registry: one line per ERP, naming the module that holds its ``ErpKind`` (as
``KIND``). A module is imported when its kind is first asked for, so the bridge loads only
the ERP client it uses."""

from __future__ import annotations

import importlib

from ..errors import ConfigError
from .port import ErpKind

__all__ = ["DEFAULT_ERP", "ERP_MODULES", "erp_kind", "erp_kinds", "erp_names"]

ERP_MODULES = {
    "contaazul": "bridge.erp.contaazul",
    "bling": "bridge.erp.bling",
    "contaazul-pub": "bridge.erp.contaazul_pub",
}
"""``erp.kind`` -> the module of its ``ErpKind``."""

DEFAULT_ERP = "contaazul"
"""``erp.kind`` when the settings give none."""


def erp_names() -> tuple[str, ...]:
    """Every ``erp.kind`` the bridge knows, without loading any ERP."""
    return tuple(ERP_MODULES)


def erp_kind(name: object) -> ErpKind:
    """The ERP called ``name``; ``ConfigError`` on ``erp.kind`` for any other value."""
    if not isinstance(name, str) or name not in ERP_MODULES:
        raise ConfigError("erp.kind", f"{name!r} is not one of {', '.join(ERP_MODULES)}")
    kind = importlib.import_module(ERP_MODULES[name]).KIND
    if not isinstance(kind, ErpKind) or kind.name != name:
        raise TypeError(f"{ERP_MODULES[name]}.KIND is not the ErpKind of {name!r}")
    return kind


def erp_kinds() -> tuple[ErpKind, ...]:
    """Every registered ERP (loads them all)."""
    return tuple(erp_kind(name) for name in ERP_MODULES)
