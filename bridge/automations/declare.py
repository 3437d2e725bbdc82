"""An automation as values: ``Automation(name, trigger, filters, field_map, action)``.

Everything here is checked as it is built (from TOML through ``bridge.automations.toml`` or
from Python), and fails with an ``AutomationError`` naming the automation, where in it and
why. The systems, their records and their actions are each system's own (see
``bridge.automations.systems``); the field paths are checked against the systems' models by
``bridge.automations.check``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Final, TypeAlias

import attrs

from .conditions import AllOf, AnyOf, Condition, Filter
from .errors import AutomationError
from .paths import ANY_INDEX, FieldPath, PathError, Record, parse_path
from .systems import surface
from .templates import Placeholder, Template, parse_template

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = [
    "LOOKUPS",
    "Action",
    "Automation",
    "Const",
    "Each",
    "Event",
    "FieldMap",
    "Lookup",
    "MapEntry",
    "Source",
    "Trigger",
    "map_entry",
]

LOOKUPS: Final = ("customer", "product", "service")
"""What a ``Lookup`` finds in the action's system: the customer the bridge linked to the
trigger record's customer, or a product or service by its code."""


def _choice(value: object, what: str, allowed: Iterable[str]) -> str:
    options = tuple(allowed)
    if value not in options:
        raise AutomationError(None, what, f"{value!r} is not one of {', '.join(options)}")
    return str(value)


def _field_path(value: object, where: str) -> FieldPath:
    if isinstance(value, FieldPath):
        return value
    if not isinstance(value, str):
        raise AutomationError(None, where, f"a field path is text, not {type(value).__name__}")
    try:
        return parse_path(value)
    except PathError as exc:
        raise AutomationError(None, where, f"field path {value!r}: {exc}") from None


def _source_path(value: object) -> FieldPath:
    return _field_path(value, "")


def _lookup_by(value: object) -> FieldPath | None:
    return None if value is None else _field_path(value, "lookup.by")


def _each_path(value: object) -> FieldPath:
    return _field_path(value, "each")


class Event(StrEnum):
    CREATED = "created"
    CHANGED = "changed"
    FIELD_CHANGED = "field_changed"


def _event(value: object) -> Event:
    return Event(_choice(value, "trigger.on", [event.value for event in Event]))


def _lookback(value: object) -> timedelta | None:
    if value is not None and not isinstance(value, timedelta):
        raise AutomationError(None, "trigger.lookback", "must be a duration (a timedelta)")
    if value is not None and value < timedelta(0):
        raise AutomationError(None, "trigger.lookback", "must not be negative")
    return value


@attrs.frozen(init=False)
class Trigger:
    """What starts an automation: a ``record`` of ``system`` created, changed, or with
    ``field`` changed (to ``to``, when given). ``on`` follows from ``field`` when left out.
    A first run reads ``lookback`` into the past (``None``: only what changes from now on).
    """

    system: str = attrs.field()
    record: str = attrs.field()
    on: Event = attrs.field(converter=_event)
    field: FieldPath | None
    to: Any
    lookback: timedelta | None = attrs.field(converter=_lookback)

    def __init__(
        self,
        system: str,
        record: str,
        on: Event | str | None = None,
        field: FieldPath | str | None = None,
        to: Any = None,
        lookback: timedelta | None = None,
    ) -> None:
        path = None if field is None else _field_path(field, "trigger.field")
        if on is None:
            on = Event.CHANGED if path is None else Event.FIELD_CHANGED
        self.__attrs_init__(system, record, on, path, to, lookback)

    @system.validator
    def _check_system(self, attribute: object, value: object) -> None:
        surface(value, "trigger.system")

    @record.validator
    def _check_record(self, attribute: object, value: object) -> None:
        _choice(value, "trigger.record", surface(self.system, "trigger.system").records)

    def __attrs_post_init__(self) -> None:
        if self.on is Event.FIELD_CHANGED and self.field is None:
            raise AutomationError(None, "trigger", "on = 'field_changed' needs a field")
        if self.on is not Event.FIELD_CHANGED and (self.field or self.to is not None):
            raise AutomationError(
                None, "trigger", f"field and to go with on = 'field_changed', not {self.on!r}"
            )

    @property
    def model(self) -> type[BaseModel]:
        """The model the trigger reads its record as, from the system's own declaration."""
        return surface(self.system, "trigger.system").records[self.record]


@attrs.frozen
class Action:
    """What an automation does in ``system``: ``kind`` (``create_task``, ...). ``set_status``
    also names the ``record`` it sets and the ``status``; the others write the record the
    system declares for them (its ``AutomationSurface.actions``)."""

    system: str = attrs.field()
    kind: str = attrs.field()
    record: str | None = None
    status: Any = None

    @system.validator
    def _check_system(self, attribute: object, value: object) -> None:
        surface(value, "action.system")

    @kind.validator
    def _check_kind(self, attribute: object, value: object) -> None:
        _choice(value, "action.do", surface(self.system, "action.system").actions)

    def __attrs_post_init__(self) -> None:
        offered = surface(self.system, "action.system")
        writes = offered.actions[self.kind]
        if writes is None:
            _choice(self.record, "action.record", offered.records)
            if self.status is None:
                raise AutomationError(None, "action.status", "set_status needs the status")
            return
        if self.record not in (None, writes.record):
            raise AutomationError(None, "action.record", f"{self.kind} writes {writes.record!r}")
        if self.status is not None:
            raise AutomationError(None, "action.status", "only set_status takes a status")
        object.__setattr__(self, "record", writes.record)

    @property
    def target(self) -> str:
        """The record the action writes."""
        assert self.record is not None  # set in __attrs_post_init__
        return self.record

    @property
    def model(self) -> type[BaseModel]:
        """The model the action's map fills, from the system's own declaration (for
        ``set_status``, the model of the record it sets)."""
        offered = surface(self.system, "action.system")
        writes = offered.actions[self.kind]
        return offered.records[self.target] if writes is None else writes.model


@attrs.frozen
class Source:
    """Copy the value at ``path`` as it is (an amount stays a ``Decimal``): ``"{total}"``."""

    path: FieldPath = attrs.field(converter=_source_path)


@attrs.frozen
class Const:
    """A fixed value: ``"Instalação"``, ``9``, ``true``."""

    value: Any


@attrs.frozen
class Lookup:
    """The value ``take`` of a record found in the action's system: ``customer`` (the id of
    the one the bridge linked to the trigger's customer, or to the value at ``by``), or a
    field of the ``product`` or ``service`` whose code is the value at ``by``. Resolved when
    the action runs, by the resolver the runner is given."""

    record: str = attrs.field()
    by: FieldPath | None = attrs.field(default=None, converter=_lookup_by)
    take: str = attrs.field(default="id")

    @record.validator
    def _check_record(self, attribute: object, value: object) -> None:
        _choice(value, "lookup", LOOKUPS)

    @take.validator
    def _check_take(self, attribute: object, value: object) -> None:
        if not isinstance(value, str) or not value:
            raise AutomationError(None, "take", f"names a field (text), not {value!r}")

    def __attrs_post_init__(self) -> None:
        if self.record != "customer" and self.by is None:
            raise AutomationError(None, "lookup", f"a {self.record} lookup needs by = PATH")
        if self.record == "customer" and self.take != "id":
            raise AutomationError(
                None,
                "take",
                f"a customer lookup gives the id of the linked customer, not its {self.take!r}",
            )


def _field_map(value: object) -> FieldMap:
    return FieldMap.of(value)


@attrs.frozen
class Each:
    """A list in the payload, one item per value at ``path`` (``itens[*]``), each mapped by
    ``map`` with paths relative to that item."""

    path: FieldPath = attrs.field(converter=_each_path)
    map: FieldMap = attrs.field(converter=_field_map)

    def __attrs_post_init__(self) -> None:
        if not self.path.has_wildcard:
            raise AutomationError(None, "each", f"{self.path.text!r} needs a [*] over a list")


MapFunction: TypeAlias = Callable[[Record], Any]
MapEntry: TypeAlias = Source | Const | Template | Lookup | Each | MapFunction
"""Where a destination field's value comes from; a function of the record from Python."""


def map_entry(value: object) -> MapEntry:
    """A declared value as a ``MapEntry``: text is a template (``"{path}"`` alone is a
    ``Source``, text without placeholders a ``Const``), ``{lookup = ...}`` a ``Lookup``,
    ``{each = ..., map = ...}`` an ``Each``, anything else a ``Const``."""
    if isinstance(value, Source | Const | Template | Lookup | Each):
        return value
    if isinstance(value, str):
        template = parse_template(value)
        if not template.placeholders:
            return Const(template.parts[0] if template.parts else "")
        only = template.parts[0]
        if len(template.parts) == 1 and isinstance(only, Placeholder) and not only.transforms:
            return Source(only.path)
        return template
    if isinstance(value, Mapping) and "lookup" in value:
        _no_other_keys(value, {"lookup", "by", "take"})
        return Lookup(value["lookup"], value.get("by"), value.get("take", "id"))
    if isinstance(value, Mapping) and "each" in value:
        _no_other_keys(value, {"each", "map"})
        return Each(value["each"], value.get("map", {}))
    if callable(value) and not isinstance(value, type):
        return value
    return Const(value)


def _no_other_keys(table: Mapping[str, Any], allowed: set[str]) -> None:
    for key in table:
        if key not in allowed:
            shown = ", ".join(sorted(allowed))
            raise AutomationError(None, "", f"unknown key {key!r}; expected {shown}")


def _is_spec(value: object) -> bool:
    return isinstance(value, Mapping) and ("lookup" in value or "each" in value)


def _flatten(table: Mapping[str, Any], prefix: str = "") -> list[tuple[str, Any]]:
    """``{"contato": {"id": ...}}`` as ``[("contato.id", ...)]``; lookup and each tables are
    values, not nesting."""
    flat: list[tuple[str, Any]] = []
    for key, value in table.items():
        if not isinstance(key, str) or not key:
            raise AutomationError(None, "map", f"a destination field is text, not {key!r}")
        target = f"{prefix}{key}"
        if isinstance(value, Mapping) and not _is_spec(value):
            flat.extend(_flatten(value, f"{target}."))
        else:
            flat.append((target, value))
    return flat


@attrs.frozen
class FieldMap:
    """Destination field (a dotted path in the action's record) -> where its value comes
    from, in the order declared."""

    entries: tuple[tuple[str, MapEntry], ...] = ()

    @classmethod
    def of(cls, value: object) -> FieldMap:
        """A ``FieldMap`` from itself or a mapping (nested tables are dotted paths)."""
        if isinstance(value, FieldMap):
            return value
        if not isinstance(value, Mapping):
            raise AutomationError(None, "map", f"must be a table, not {type(value).__name__}")
        entries = []
        for target, raw in _flatten(value):
            try:
                steps = parse_path(target).steps
                if not all(isinstance(step, str) and step != ANY_INDEX for step in steps):
                    raise PathError("a destination is field names joined with dots")
                entries.append((target, map_entry(raw)))
            except PathError as exc:
                raise AutomationError(None, f"map.{target}", str(exc)) from None
            except AutomationError as exc:
                raise exc.within(None, f"map.{target}") from None
        targets = [target for target, _ in entries]
        for index, target in enumerate(targets):
            for other in targets[index + 1 :]:
                if (
                    other == target
                    or other.startswith(f"{target}.")
                    or target.startswith(f"{other}.")
                ):
                    raise AutomationError(None, f"map.{other}", f"{target!r} is mapped too")
        return cls(tuple(entries))


def _filters(value: object) -> Filter:
    """``filters=``: one filter, or a list of them (all must hold)."""
    if isinstance(value, list | tuple):
        return AllOf(*value)
    if isinstance(value, Condition | AllOf | AnyOf) or callable(value):
        return value
    raise AutomationError(None, "filters", f"not a filter: {value!r}")


def _name(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise AutomationError(None, "name", "every automation needs a name (text)")
    return value


@attrs.frozen(init=False)
class Automation:
    """``trigger`` -> ``filters`` -> ``field_map`` -> ``action``, under a unique ``name``
    (the name keys its bookmarks and exactly-once records: keep it when editing the rest).

    ``filters`` is a ``Condition``, an ``AllOf``/``AnyOf`` group, a function of the record,
    or a list of them (all must hold); ``field_map`` a ``FieldMap`` or a mapping of
    destination fields to values (see ``map_entry``).
    """

    name: str = attrs.field(converter=_name)
    trigger: Trigger
    action: Action
    filters: Filter = attrs.field(converter=_filters)
    field_map: FieldMap = attrs.field(converter=_field_map)

    def __init__(
        self,
        name: str,
        *,
        trigger: Trigger,
        filters: Filter | Iterable[Filter] = (),
        field_map: FieldMap | Mapping[str, object] | None = None,
        action: Action,
    ) -> None:
        try:
            self.__attrs_init__(name, trigger, action, filters, field_map or {})
        except AutomationError as exc:
            raise exc.within(name if isinstance(name, str) else None, "") from None
