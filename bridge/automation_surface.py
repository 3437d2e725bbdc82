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

__all__ = [
    "AutomationIO",
    "AutomationSurface",
    "LookupFailed",
    "Observed",
    "Statuses",
    "Writes",
]


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
class Statuses:
    """The statuses ``set_status`` can give one record: one of ``named``, as the system spells
    them (text is read regardless of case and surrounding spaces; with ``flags``, ``true``
    and ``false`` stand for the first and the second), or, when ``numbered`` says what they
    are, the id of one of the system's own statuses, which only the system can tell exist."""

    named: tuple[str, ...] = ()
    flags: bool = False
    numbered: str | None = None
    """What a numbered status is the id of ("a situação of the sales module")."""

    def pick(self, status: object) -> str | int | None:
        """The status ``status`` names, as ``named`` spells it (or the id, as an ``int``);
        ``None`` when it names none of them."""
        if isinstance(status, bool):
            return self.named[1 - status] if self.flags and len(self.named) == 2 else None
        if isinstance(status, str):
            text = status.strip()
            for name in self.named:
                if name.casefold() == text.casefold():
                    return name
            status = int(text) if text.isdecimal() else None
        if self.numbered and isinstance(status, int) and status > 0:
            return status
        return None

    def __str__(self) -> str:
        """The statuses in words, for messages."""
        shown = []
        if len(self.named) > 2:
            shown.append("one of " + ", ".join(map(repr, self.named)))
        elif self.named:
            shown.append(" or ".join(map(repr, self.named)))
        if self.flags:
            shown.append("true or false")
        if self.numbered:
            shown.append(f"the id of {self.numbered}")
        return ", or ".join(shown)


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
    reserved_fields: Mapping[str, frozenset[str]] = attrs.field(factory=dict)
    """An action -> the wire fields of its record it fills itself, which a map may not: the
    id the system gives a new record, and the field the automation's reference travels in
    (by which a create whose answer was lost is found again). Fields the system sets on
    every write are marked in the models instead (``sdkcore.models.READ_ONLY``)."""
    statuses: Mapping[str, Statuses] = attrs.field(factory=dict)
    """A record ``set_status`` can set -> the statuses it can give it; it sets no other."""
    lookups: Mapping[str, type[BaseModel]] = attrs.field(factory=dict)
    """What a lookup finds here by code (``product``, ``service``) -> the model whose wire
    fields its ``take`` names."""
    io: Callable[[Any], AutomationIO] | None = None
    """The system's ``AutomationIO`` over its pass adapter (``AuvoSide`` or the ERP's
    ``ErpPort``)."""

    @property
    def offered(self) -> bool:
        """Whether automations can use the system at all."""
        return bool(self.records or self.actions)
