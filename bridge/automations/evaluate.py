"""An automation applied to one record, without I/O: does its trigger fire, do its filters
pass, and what payload would its action send. Lookups go through the resolver the caller
gives, which is where the links store and the clients come in."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from .conditions import equal, passes
from .declare import Automation, Const, Each, Event, FieldMap, Lookup, MapEntry, Source, Trigger
from .paths import Record, as_record
from .readings import is_empty
from .templates import Template

__all__ = [
    "LookupResolver",
    "build_payload",
    "field_change_fires",
    "filters_pass",
    "trigger_fires",
]


class LookupResolver(Protocol):
    """Finds a ``Lookup`` in the action's system. ``record`` is the one the lookup is made
    from (the trigger record, or an item under ``Each``), ``key`` the value at ``lookup.by``
    (``None`` without one). Raise to fail the action with a reason."""

    def __call__(self, lookup: Lookup, record: Record, key: Any) -> Any: ...


def trigger_fires(trigger: Trigger, before: object | None, after: object) -> bool:
    """Whether a record seen as ``after`` (``before`` its last version the bridge saw, or
    ``None`` for a record new to it) starts the automation."""
    if trigger.on is Event.CREATED:
        return before is None
    if trigger.on is Event.CHANGED:
        return True  # the runner only hands over records whose version moved
    assert trigger.field is not None
    now = trigger.field.value(as_record(after))
    if before is None:
        return field_change_fires(trigger, now)
    return field_change_fires(trigger, now, trigger.field.value(as_record(before)))


_FIRST_SIGHT: Any = object()


def field_change_fires(trigger: Trigger, now: object, then: object = _FIRST_SIGHT) -> bool:
    """Whether the watched field's value ``now`` starts a ``field_changed`` trigger, given
    its value ``then`` when the record was last seen (left out: a record new to it). Both
    read alike (both from a model, or both as JSON)."""
    first_sight = then is _FIRST_SIGHT
    if trigger.to is None:  # any change of the field; a new record, once it has a value
        return not is_empty(now) if first_sight else now != then
    return equal(now, trigger.to) and (first_sight or not equal(then, trigger.to))


def filters_pass(automation: Automation, record: object) -> bool:
    """Whether ``record`` (a mapping, or a model read by wire names) passes the filters."""
    return passes(automation.filters, as_record(record))


def build_payload(
    field_map: FieldMap | Automation, record: object, resolve: LookupResolver
) -> dict[str, Any]:
    """The action's payload for ``record``: each destination field (dotted paths nest) from
    its entry. A ``Source`` that finds nothing leaves its field out, so the action never
    sends ``null`` for what the record did not have."""
    entries = field_map.field_map if isinstance(field_map, Automation) else field_map
    source = as_record(record)
    payload: dict[str, Any] = {}
    for target, entry in entries.entries:
        value = _value(entry, source, resolve)
        if value is not None:
            _put(payload, target.split("."), value)
    return payload


def _value(entry: MapEntry, record: Record, resolve: LookupResolver) -> Any:
    if isinstance(entry, Source):
        return entry.path.value(record)
    if isinstance(entry, Const):
        return entry.value
    if isinstance(entry, Template):
        return entry.render(record)
    if isinstance(entry, Lookup):
        key = None if entry.by is None else entry.by.value(record)
        return resolve(entry, record, key)
    if isinstance(entry, Each):
        return [build_payload(entry.map, item, resolve) for item in entry.path.values(record)]
    function: Callable[[Record], Any] = entry
    return function(record)


def _put(payload: dict[str, Any], steps: list[str], value: Any) -> None:
    for step in steps[:-1]:
        payload = payload.setdefault(step, {})
    payload[steps[-1]] = value
