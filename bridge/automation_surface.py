"""What a system (Auvo, or an ERP through its ``ErpKind``) offers automations: the records a
trigger can watch and the actions it can take, each with the model whose fields the
automation's paths are checked against, and the I/O that reads those records and performs
those actions (``AutomationIO``). Each system declares its own beside its adapter, so
``bridge.automations`` names no system but Auvo and reads the ERPs from the registry.

This module holds values and protocols only and imports no model: the classes are given by
the module declaring a surface, which the bridge loads only when that system is used."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

import attrs

if TYPE_CHECKING:
    from pydantic import BaseModel

    from .automations.declare import Action

__all__ = ["AutomationIO", "AutomationSurface", "LookupFailed", "Observed", "Writes"]


class LookupFailed(LookupError):
    """A lookup found nothing (no product with that code, say): the action fails with this
    reason, and the record is tried again on later passes."""


@attrs.frozen
class Observed:
    """A trigger record as a system read it: its id (as text), the record (an instance of
    the surface's model for it) and, when the record says so, when it was created."""

    id: str
    record: BaseModel
    created_at: datetime | None = None


class AutomationIO(Protocol):
    """What one system does for automations, over the pass's counted client (every call
    counts in the report's API calls and goes through the client's rate limits)."""

    def changed(self, record: str, since: datetime | None) -> Iterator[Observed]:
        """The records of kind ``record`` (a key of the surface's ``records``) changed at or
        after ``since`` through the system's own change filter (every record when
        ``None``), read lazily page by page."""

    def read(self, record: str, ident: str) -> Observed | None:
        """One record by id; ``None`` when the system has no such record (any more)."""

    def reserve(self, action: Action, held: Collection[str]) -> str | None:
        """The key the record ``action`` creates will be held under, taken before the create
        (the runner records it first: a sale's or a contract's number), never one of
        ``held``; ``None`` for an action whose record needs none (most)."""

    def find(self, action: Action, reference: str, reserved: str | None) -> str | None:
        """The id of the record an earlier attempt of ``action`` (a create) made carrying
        ``reference`` (with ``reserved``: the one record under that key, in one read;
        ``bridge.domain.ReservationTaken`` when another record holds the key); ``None`` when
        there is none. An update or ``set_status`` answers ``None``: writing the same values
        again is harmless."""

    def act(
        self, action: Action, payload: Mapping[str, Any], reference: str, reserved: str | None
    ) -> str:
        """Perform ``action`` with ``payload`` (the mapped fields, by the wire names of the
        action's model), putting ``reference`` where ``find`` looks for it (and creating
        under ``reserved`` when given); returns the id of the record created or written. An
        update and ``set_status`` take the record's id from the payload's ``id``. A bad
        payload raises before any request (the client's own validation error)."""

    def lookup(self, what: str, key: Any, take: str) -> Any:
        """``take`` (a wire field, ``id`` by default) of the ``product`` or ``service``
        whose code is ``key``; ``LookupFailed`` when there is none."""


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
    customers: Mapping[str, str] = attrs.field(factory=dict)
    """A record -> the wire path of its customer's id in this system (``cliente.id``): what
    a ``customer`` lookup without ``by`` follows."""
    volatile: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    """A record -> the wire fields the system recomputes without anyone editing the record
    (a person's running totals): left out of its version, so they alone are no change."""
    written_by_streams: Mapping[str, str] = attrs.field(factory=dict)
    """A record -> the kind of the streams' links whose ERP side is such a record (a sale
    the tasks stream billed: ``sale``): a record the bridge wrote is no change to act on."""
    io: Callable[[Any], AutomationIO] | None = None
    """The system's ``AutomationIO`` over its pass adapter (``AuvoSide`` or the ERP's
    ``ErpPort``)."""

    @property
    def offered(self) -> bool:
        """Whether automations can use the system at all."""
        return bool(self.records or self.actions)
