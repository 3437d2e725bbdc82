"""Automations in the bridge's TOML, and back::

    [[automations]]
    name = "finished installation -> follow-up visit"
    trigger = { system = "auvo", record = "task", field = "finished", to = true }
    filters = [ ["taskType", "=", 7], ["customerId", "is not empty"] ]
    action = { system = "auvo", do = "create_task" }

    [automations.map]
    customerId = "{customerId}"
    taskType = 8
    taskDate = "{taskDate|date:%Y-%m-%dT08:00:00}"
    orientation = "Retorno da tarefa {taskID}: {services[*].name|join:, }"

The trigger fires when a task's ``finished`` becomes true (``on = "created"`` or
``"changed"`` instead of a field: on every new or changed record). A ``system`` is ``auvo``
or an ERP's ``erp.kind``; its records and actions are its own. A condition is
``[path, operator, value]`` (``[path, "is empty"]`` without a value);
``filters`` is a list of them (all must hold) or a group ``{ all = [...] }`` /
``{ any = [...] }``, whose items may be groups again.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

from .check import check_names
from .conditions import AllOf, AnyOf, Condition, Filter
from .declare import Action, Automation, Const, Each, FieldMap, Lookup, MapEntry, Source, Trigger
from .errors import AutomationError
from .templates import Template

__all__ = ["automations_from_toml", "automations_to_toml"]

ReadDuration = Callable[[object, str], timedelta]
"""``bridge.config.parse_duration``'s shape: a value and the setting it is for."""

_KEYS = frozenset({"name", "trigger", "filters", "action", "map"})
_TRIGGER_KEYS = frozenset({"system", "record", "on", "field", "to", "lookback"})
_ACTION_KEYS = frozenset({"system", "do", "record", "status"})
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _table(value: object, where: str, allowed: frozenset[str]) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise AutomationError(None, where, "must be a table, as in { system = ..., ... }")
    for key in value:
        if key not in allowed:
            expected = ", ".join(sorted(allowed))
            raise AutomationError(None, where, f"unknown key {key!r}; expected {expected}")
    return value


def _filter(value: object, where: str) -> Filter:
    """``[path, op, value]``, ``[path, op]`` or ``{ all = [...] }``/``{ any = [...] }``."""
    if isinstance(value, list):
        if len(value) not in (2, 3):
            raise AutomationError(
                None,
                where,
                f"a condition is [path, operator, value] or [path, operator], not {value!r}",
            )
        try:
            return Condition(*value)
        except AutomationError as exc:
            raise exc.within(None, where) from None
    if isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in ("all", "any"):
        word, items = next(iter(value.items()))
        if not isinstance(items, list):
            raise AutomationError(None, f"{where}.{word}", "must be a list of conditions")
        inner = [_filter(item, f"{where}.{word}[{index}]") for index, item in enumerate(items)]
        return AllOf(*inner) if word == "all" else AnyOf(*inner)
    raise AutomationError(
        None,
        where,
        f"expected [path, operator, value] or {{ all = [...] }} / {{ any = [...] }}, not {value!r}",
    )


def _filters(value: object) -> Filter:
    if isinstance(value, list) and not (value and isinstance(value[0], str)):
        return AllOf(*(_filter(item, f"filters[{index}]") for index, item in enumerate(value)))
    return _filter(value, "filters")


def _trigger(value: object, read_duration: ReadDuration) -> Trigger:
    table = _table(value, "trigger", _TRIGGER_KEYS)
    for key in ("system", "record"):
        if key not in table:
            raise AutomationError(None, "trigger", f"needs {key}")
    lookback = table.get("lookback")
    return Trigger(
        table["system"],
        table["record"],
        table.get("on"),
        table.get("field"),
        table.get("to"),
        None if lookback is None else read_duration(lookback, "trigger.lookback"),
    )


def _action(value: object) -> Action:
    table = _table(value, "action", _ACTION_KEYS)
    for key in ("system", "do"):
        if key not in table:
            raise AutomationError(None, "action", f"needs {key}")
    return Action(table["system"], table["do"], table.get("record"), table.get("status"))


def _automation(value: object, index: int, read_duration: ReadDuration) -> Automation:
    if not isinstance(value, Mapping):
        raise AutomationError(None, f"automations[{index}]", "must be a table")
    name = value.get("name")
    if not isinstance(name, str) or not name.strip():
        raise AutomationError(None, f"automations[{index}].name", "every automation needs a name")
    try:
        _table(value, "", _KEYS)
        for key in ("trigger", "action"):
            if key not in value:
                raise AutomationError(None, "", f"needs {key} = {{ system = ..., ... }}")
        return Automation(
            name,
            trigger=_trigger(value["trigger"], read_duration),
            filters=_filters(value.get("filters", [])),
            field_map=FieldMap.of(value.get("map", {})),
            action=_action(value["action"]),
        )
    except AutomationError as exc:
        raise exc.within(name, "") from None
    except ValueError as exc:  # read_duration's ConfigError names its setting already
        raise AutomationError(name, "", str(exc)) from None


def automations_from_toml(
    data: Mapping[str, Any], *, read_duration: ReadDuration
) -> tuple[Automation, ...]:
    """The ``[[automations]]`` of a parsed settings file (``tomllib.loads``'s value), in
    order; names must be unique. ``read_duration`` reads ``trigger.lookback`` the way the
    rest of the file's durations are read (``bridge.config.parse_duration``)."""
    tables = data.get("automations", [])
    if not isinstance(tables, list):
        raise AutomationError(None, "automations", "write each one as [[automations]]")
    automations = tuple(
        _automation(table, index, read_duration) for index, table in enumerate(tables)
    )
    check_names(automations)
    return automations


# -- writing ---------------------------------------------------------------------------------


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    # JSON's escapes are TOML's, but for DEL, which TOML wants escaped too.
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def _value(value: Any, where: str) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and math.isfinite(value):
        return repr(value)
    if isinstance(value, Decimal):
        return _string(f"{value:f}")
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_value(item, where) for item in value) + "]"
    if isinstance(value, Mapping):
        pairs = (f"{_key(key)} = {_value(item, where)}" for key, item in value.items())
        return "{ " + ", ".join(pairs) + " }"
    raise ValueError(f"{where}: {value!r} cannot be written as TOML")


def _duration(value: timedelta) -> str:
    seconds = value.total_seconds()
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{int(seconds // size)}{unit}"
    return f"{seconds:g}s"


def _filter_value(item: Filter, where: str) -> Any:
    if isinstance(item, Condition):
        return [item.path.text, item.op.value, *([item.value] if item.has_value else [])]
    if isinstance(item, AllOf | AnyOf):
        word = "all" if isinstance(item, AllOf) else "any"
        return {word: [_filter_value(inner, where) for inner in item.filters]}
    raise ValueError(f"{where}: a Python function cannot be written as TOML")


def _entry_value(entry: MapEntry, where: str) -> Any:
    if isinstance(entry, Source):
        return "{" + entry.path.text + "}"
    if isinstance(entry, Template):
        return entry.text()
    if isinstance(entry, Const):
        if isinstance(entry.value, str):
            return entry.value.replace("{", "{{").replace("}", "}}")
        if isinstance(entry.value, Mapping):
            raise ValueError(f"{where}: map each field of a table constant on its own")
        return entry.value
    if isinstance(entry, Lookup):
        table: dict[str, Any] = {"lookup": entry.record}
        if entry.by is not None:
            table["by"] = entry.by.text
        if entry.take != "id":
            table["take"] = entry.take
        return table
    if isinstance(entry, Each):
        return {"each": entry.path.text, "map": _map_value(entry.map, where)}
    raise ValueError(f"{where}: a Python function cannot be written as TOML")


def _map_value(field_map: FieldMap, where: str) -> dict[str, Any]:
    return {target: _entry_value(entry, f"{where}.{target}") for target, entry in field_map.entries}


def _automation_lines(automation: Automation) -> Iterable[str]:
    where = f"automation {automation.name!r}"
    trigger = automation.trigger
    trigger_table: dict[str, Any] = {"system": trigger.system, "record": trigger.record}
    if trigger.field is None:
        trigger_table["on"] = trigger.on.value
    else:  # on = "field_changed" goes without saying
        trigger_table["field"] = trigger.field.text
        if trigger.to is not None:
            trigger_table["to"] = trigger.to
    if trigger.lookback is not None:
        trigger_table["lookback"] = _duration(trigger.lookback)
    action = automation.action
    action_table: dict[str, Any] = {"system": action.system, "do": action.kind}
    if action.status is not None:
        action_table |= {"record": action.record, "status": action.status}
    yield "[[automations]]"
    yield f"name = {_string(automation.name)}"
    yield f"trigger = {_value(trigger_table, where)}"
    yield f"filters = {_value(_filter_value(automation.filters, where), where)}"
    yield f"action = {_value(action_table, where)}"
    if automation.field_map.entries:
        yield ""
        yield "[automations.map]"
        for target, value in _map_value(automation.field_map, f"{where}: map").items():
            yield f"{_key(target)} = {_value(value, where)}"


def automations_to_toml(automations: Iterable[Automation]) -> str:
    """TOML that ``automations_from_toml`` reads back as the same automations. Python
    functions (as filters or map entries) cannot be written and raise ``ValueError``."""
    blocks = ["\n".join(_automation_lines(automation)) for automation in automations]
    return "\n\n".join(blocks) + ("\n" if blocks else "")
