"""Checking an automation against the systems' models before it runs, and the catalogue of
a model's field paths. Both read the pydantic models themselves (wire names, types), so
neither can drift from what the clients send and receive.

A wrong path fails with the automation's name, the path and the closest valid ones
(``difflib``); a value a condition compares with a field it could never match (text that is
no amount against an amount field) fails too. Fields a model only keeps as extras are not
in the catalogue and are refused: a typo would otherwise never match anything.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs
from pydantic import BaseModel

from .conditions import AllOf, AnyOf, Condition, Filter, Op
from .declare import Automation, Each, FieldMap, Lookup, Source
from .errors import AutomationError
from .paths import ANY_INDEX, FieldPath, parse_path
from .readings import as_amount, as_day
from .templates import Template

__all__ = ["CatalogueField", "Shape", "catalogue", "check", "check_names", "shape_of"]

_NO_ORDER = frozenset({Op.CONTAINS, Op.IS_EMPTY, Op.IS_NOT_EMPTY})


@attrs.define(eq=False)
class Shape:
    """What a field holds, as the checks need it: a label for people, the fields of a table
    (wire name -> (Python name, shape)), the item of a list, whether anything goes below
    (``dict``/``Any``), and how its values compare ("amount", "day" or None)."""

    label: str
    fields: dict[str, tuple[str, Shape]] | None = None
    item: Shape | None = None
    open: bool = False
    reading: str | None = None


_SCALARS: Mapping[type, tuple[str, str | None]] = {
    bool: ("boolean", None),
    int: ("integer", "amount"),
    float: ("number", "amount"),
    Decimal: ("decimal", "amount"),
    str: ("text", None),
    datetime: ("datetime", "day"),
    date: ("date", "day"),
}
_MODELS: dict[type[BaseModel], Shape] = {}


def shape_of(annotation: Any) -> Shape:
    """The ``Shape`` of a type annotation (a model class included)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return shape_of(typing.get_args(annotation)[0])
    if origin is typing.Union or origin is types.UnionType:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _union([shape_of(member) for member in members])
    if origin in (list, tuple, set, frozenset, Sequence, Iterable):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        item = shape_of(args[0]) if args else Shape("any", open=True)
        label = "list of tables" if item.fields is not None else f"list of {item.label}"
        return Shape(label, item=item)
    if annotation is Any or origin in (dict, Mapping) or annotation in (dict, object):
        return Shape("table", open=True)
    if origin is typing.Literal:
        return Shape("one of " + ", ".join(map(repr, typing.get_args(annotation))))
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _model_shape(annotation)
        if issubclass(annotation, Enum):
            return Shape("one of " + ", ".join(repr(member.value) for member in annotation))
        for scalar, (label, reading) in _SCALARS.items():  # bool before int, datetime first
            if issubclass(annotation, scalar):
                return Shape(label, reading=reading)
        return Shape(annotation.__name__)
    return Shape("any", open=True)


def _union(members: list[Shape]) -> Shape:
    if len(members) == 1:
        return members[0]
    fields: dict[str, tuple[str, Shape]] = {}
    for member in members:
        fields |= member.fields or {}
    items = [member.item for member in members if member.item is not None]
    readings = {member.reading for member in members}
    return Shape(
        " or ".join(member.label for member in members),
        fields=fields if any(member.fields is not None for member in members) else None,
        item=items[0] if items else None,
        open=any(member.open for member in members),
        reading=readings.pop() if len(readings) == 1 else None,
    )


def wire_name(name: str, model: type[BaseModel]) -> str:
    field = model.model_fields[name]
    return field.serialization_alias or field.alias or name


def _model_shape(model: type[BaseModel]) -> Shape:
    known = _MODELS.get(model)
    if known is not None:
        return known
    shape = Shape("table", fields={})
    _MODELS[model] = shape  # first, so a model that contains itself ends here
    assert shape.fields is not None
    for name, field in model.model_fields.items():
        shape.fields[wire_name(name, model)] = (name, shape_of(field.annotation))
    return shape


# -- the catalogue ---------------------------------------------------------------------------


@attrs.frozen
class CatalogueField:
    """One path of a model, by wire names (``itens[*].codigo``), and its type in words."""

    path: str
    type: str


def catalogue(model: type[BaseModel]) -> tuple[CatalogueField, ...]:
    """Every field path of ``model`` with its type, in declaration order, through tables
    and lists (``[*]``); a table that contains itself is listed once."""
    root = _model_shape(model)
    return tuple(_walk(root, "", (id(root),)))


def _walk(shape: Shape, prefix: str, seen: tuple[object, ...]) -> Iterator[CatalogueField]:
    for wire, (_name, child) in (shape.fields or {}).items():
        path = f"{prefix}{wire}"
        yield CatalogueField(path, child.label)
        yield from _below(child, path, seen)


def _below(shape: Shape, path: str, seen: tuple[object, ...]) -> Iterator[CatalogueField]:
    if id(shape) in seen:
        return
    if shape.fields:
        yield from _walk(shape, f"{path}.", (*seen, id(shape)))
    elif shape.item is not None and (shape.item.fields or shape.item.item):
        yield CatalogueField(f"{path}[*]", shape.item.label)
        yield from _below(shape.item, f"{path}[*]", seen)


# -- checking paths ----------------------------------------------------------------------------


def _suggestions(wanted: str, shape: Shape, prefix: str) -> str:
    names = list(shape.fields or {})
    python_names = {python: wire for wire, (python, _) in (shape.fields or {}).items()}
    if wanted in python_names and python_names[wanted] != wanted:
        return f"; it is {prefix}{python_names[wanted]!r} by its wire name"
    close = difflib.get_close_matches(wanted, names, n=3, cutoff=0.6)
    if not close:
        close = difflib.get_close_matches(wanted.lower(), [n.lower() for n in names], n=3)
        close = [name for name in names if name.lower() in close]
    if close:
        return "; did you mean " + ", ".join(repr(f"{prefix}{name}") for name in close) + "?"
    return "; its fields are " + ", ".join(names[:12]) + (", ..." if len(names) > 12 else "")


def resolve_path(path: FieldPath, shape: Shape, what: str) -> Shape:
    """The shape ``path`` reaches in ``shape``; a ``ValueError`` with the closest names when
    it reaches nothing. ``what`` names the model in the message."""
    prefix = ""
    for step in path.steps:
        if shape.open:
            return Shape("any", open=True)
        if isinstance(step, str) and step != ANY_INDEX:
            if shape.item is not None and shape.fields is None:
                raise ValueError(
                    f"{path.text!r}: {prefix.rstrip('.')!r} is a list; "
                    f"write {prefix.rstrip('.')}[*].{step} or [0]"
                )
            fields = shape.fields or {}
            if step not in fields:
                where = f" under {prefix.rstrip('.')!r}" if prefix else ""
                hint = _suggestions(step, shape, prefix)
                raise ValueError(f"{path.text!r}: {what} has no field {step!r}{where}{hint}")
            shape = fields[step][1]
            prefix = f"{prefix}{step}."
        else:
            if shape.item is None:
                raise ValueError(f"{path.text!r}: {prefix.rstrip('.')!r} is not a list")
            shape = shape.item
            prefix = f"{prefix.rstrip('.')}[{step}]."
    return shape


def _comparable(value: object, shape: Shape) -> str | None:
    """Why ``value`` could never match a field of ``shape`` (None: it could)."""
    if shape.reading == "amount" and (isinstance(value, bool) or as_amount(value) is None):
        return f"{value!r} is not an amount, and the field is {shape.label}"
    if shape.reading == "day" and as_day(value) is None:
        return f"{value!r} is not a date, and the field is {shape.label}"
    return None


# -- checking an automation --------------------------------------------------------------------


@attrs.frozen
class _Checker:
    automation: Automation
    trigger: Shape
    trigger_name: str
    action: Shape
    action_name: str

    def fail(self, where: str, reason: str) -> AutomationError:
        return AutomationError(self.automation.name, where, reason)

    def source(self, path: FieldPath, where: str, shape: Shape | None = None) -> Shape:
        try:
            return resolve_path(path, shape or self.trigger, self.trigger_name)
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None

    def target(self, path: FieldPath, where: str, shape: Shape | None = None) -> Shape:
        try:
            return resolve_path(path, shape or self.action, self.action_name)
        except ValueError as exc:
            raise self.fail(where, str(exc)) from None

    def filters(self, item: Filter, where: str) -> None:
        if isinstance(item, AllOf | AnyOf):
            word = "all" if isinstance(item, AllOf) else "any"
            for index, inner in enumerate(item.filters):
                self.filters(inner, f"{where}.{word}[{index}]")
        elif isinstance(item, Condition):
            shape = self.source(item.path, where)
            if item.op in _NO_ORDER:
                return
            values = item.value if item.op in (Op.IN, Op.NOT_IN) else [item.value]
            for value in values:
                problem = _comparable(value, shape)
                if problem:
                    raise self.fail(where, f"{item.path.text} {item.op.value}: {problem}")

    def field_map(self, field_map: FieldMap, where: str, source: Shape, target: Shape) -> None:
        for name, entry in field_map.entries:
            here = f"{where}.{name}"
            destination = self.target(parse_path(name), here, target)
            if isinstance(entry, Source):
                self.source(entry.path, here, source)
            elif isinstance(entry, Template):
                for placeholder in entry.placeholders:
                    self.source(placeholder.path, here, source)
            elif isinstance(entry, Lookup) and entry.by is not None:
                self.source(entry.by, here, source)
            elif isinstance(entry, Each):
                items = self.source(entry.path, here, source)
                if destination.item is None and not destination.open:
                    raise self.fail(here, f"each makes a list, and {name!r} is {destination.label}")
                inner = destination.item or Shape("any", open=True)
                self.field_map(entry.map, f"{here}.map", items, inner)

    def run(self) -> None:
        trigger = self.automation.trigger
        if trigger.field is not None:
            shape = self.source(trigger.field, "trigger.field")
            problem = _comparable(trigger.to, shape)
            if problem:
                raise self.fail("trigger.to", problem)
        top = self.automation.filters
        if isinstance(top, AllOf):  # a list of conditions, as written: filters[0], ...
            for index, inner in enumerate(top.filters):
                self.filters(inner, f"filters[{index}]")
        else:
            self.filters(top, "filters")
        self.field_map(self.automation.field_map, "map", self.trigger, self.action)


def check(
    automation: Automation,
    *,
    trigger_model: type[BaseModel] | None = None,
    action_model: type[BaseModel] | None = None,
) -> None:
    """Check every path of ``automation``: the trigger's field, the filters' and the map's
    sources against ``trigger_model`` (the model of ``automation.trigger.record``), the
    map's destinations against ``action_model`` (the model the action writes). Either
    left out is the one its system declares (``Trigger.model``, ``Action.model``).
    Functions given from Python are not looked into."""
    trigger = automation.trigger
    action = automation.action
    trigger_model = trigger_model or trigger.model
    action_model = action_model or action.model
    _Checker(
        automation,
        _model_shape(trigger_model),
        f"{trigger.system} {trigger.record} ({trigger_model.__name__})",
        _model_shape(action_model),
        f"{action.system} {action.target} ({action_model.__name__})",
    ).run()


def check_names(automations: Iterable[Automation]) -> None:
    """Refuse two automations with one name: the name keys bookmarks and what has acted."""
    seen: set[str] = set()
    for automation in automations:
        if automation.name in seen:
            raise AutomationError(automation.name, "name", "two automations have this name")
        seen.add(automation.name)
