"""What a system (Auvo, or an ERP through its ``ErpKind``) offers automations: the records a
trigger can watch and the actions it can take, each with the model whose fields the
automation's paths are checked against. Each system declares its own beside its adapter, so
``bridge.automations`` names no system but Auvo and reads the ERPs from the registry.

This module holds values only and imports no model: the classes are given by the module
declaring a surface, which the bridge loads only when that system is used."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["AutomationSurface", "Writes"]


@attrs.frozen
class Writes:
    """What an action's field map fills: ``record`` (in the system's own vocabulary, as the
    trigger records are named) through the fields of ``model`` (the body the client sends)."""

    record: str
    model: type[BaseModel]


@attrs.frozen
class AutomationSurface:
    """A system's triggers and actions, each by the name an automation gives it."""

    records: Mapping[str, type[BaseModel]] = attrs.field(factory=dict)
    """A record a trigger can watch -> the model the trigger reads it as."""
    actions: Mapping[str, Writes | None] = attrs.field(factory=dict)
    """An action -> what its map writes; ``None`` for an action that sets a field of a record
    the automation names, one of ``records`` (``set_status``)."""

    @property
    def offered(self) -> bool:
        """Whether automations can use the system at all."""
        return bool(self.records or self.actions)
