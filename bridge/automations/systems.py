"""The systems an automation reads from and acts on: Auvo, and every ERP of the registry
whose ``ErpKind`` offers automations. Each declares its records and actions beside its
adapter (``AutomationSurface``); this module only finds them, loading a system's module when
that system is first named."""

from __future__ import annotations

from typing import Final

from ..automation_surface import AutomationSurface
from ..erp.registry import erp_kind, erp_names
from .errors import AutomationError

__all__ = ["AUVO", "surface", "systems"]

AUVO: Final = "auvo"
"""Auvo's name in an automation's ``system``; an ERP's is its ``erp.kind``."""


def _auvo_surface() -> AutomationSurface:
    from ..auvo_side import AUTOMATIONS  # the Auvo client loads with its first automation

    return AUTOMATIONS


def _erp_surface(name: str) -> AutomationSurface:
    return erp_kind(name).automations


def systems() -> tuple[str, ...]:
    """Every system automations can use: the registry's ERPs that offer them, then Auvo.
    Loads every ERP's module, so it is read for listings and error messages only."""
    offered = [name for name in erp_names() if _erp_surface(name).offered]
    return (*offered, AUVO)


def surface(system: object, where: str) -> AutomationSurface:
    """What ``system`` offers automations; an ``AutomationError`` at ``where`` listing the
    systems when it is none of them."""
    if system == AUVO:
        return _auvo_surface()
    if isinstance(system, str) and system in erp_names():
        found = _erp_surface(system)
        if found.offered:
            return found
    raise AutomationError(None, where, f"{system!r} is not one of {', '.join(systems())}")
