"""Checking an automation against the systems' models before it runs, and the catalogue of
a model's field paths. Both read the pydantic models themselves (wire names, types), so
neither can drift from what the clients send and receive.

A wrong path fails with the automation's name, the path and the closest valid ones
(``difflib``). So does what would load and then never match, or fail only when the action
runs: a value a field could never equal (text that is no amount against an amount field,
anything but ``true``/``false`` against a boolean), an operator the field's values cannot
answer (``>`` on a boolean, ``contains`` on a number), a map that writes a field the system
fills itself (read-only in the model, or reserved by the action), a lookup's ``take`` that
names no field of what it finds, and a ``set_status`` the system cannot do. Fields a model
only keeps as extras are not in the catalogue and are refused: a typo would otherwise never
match anything.
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any, Final

import attrs
from pydantic import BaseModel
from pydantic.functional_validators import AfterValidator, PlainValidator, WrapValidator

from sdkcore.models import APIModel

from ..automation_surface import AutomationSurface
from .conditions import ORDERING, AllOf, AnyOf, Condition, Filter, Op
from .declare import Automation, Each, FieldMap, Lookup, Source
from .errors import AutomationError
from .paths import ANY_INDEX, FieldPath, parse_path
from .readings import as_amount, as_day
from .systems import surface
from .templates import Template

__all__ = ["CatalogueField", "Shape", "catalogue", "check", "check_names", "shape_of"]

BOOLEAN: Final = "boolean"
AMOUNT: Final = "amount"
DAY: Final = "day"
TEXT: Final = "text"
LIST: Final = "list"
TABLE: Final = "table"
OTHER: Final = "other"
"""What a field's values are, as filters compare them (``bridge.automations.conditions``):
a boolean equals only a boolean and has no order, numbers are amounts, dates and instants
are days; ``other`` is a value the checks cannot reason about."""

_NO_VALUE = frozenset({Op.IS_EMPTY, Op.IS_NOT_EMPTY})


@attrs.define(eq=False)
class Shape:
    """What a field holds, as the checks need it: a label for people (the type as declared,
    what a write may give), the fields of a table (wire name -> (Python name, shape)), the
    item of a list, whether anything goes below (``dict``/``Any``), the kinds of value a
    record read holds (``holds``: after the model's validators, so an integer read from
    text is an amount), and the wire names of the fields the system sets (read-only)."""

    label: str
    fields: dict[str, tuple[str, Shape]] | None = None
    item: Shape | None = None
    open: bool = False
    holds: frozenset[str] = frozenset({OTHER})
    set_by_system: frozenset[str] = frozenset()
    reads: str | None = None
    """What a record read holds, in words, when the validators make it other than
    ``label`` (an integer read from "integer or text")."""

    @property
    def read_label(self) -> str:
        return self.reads or self.label

    def only(self, *kinds: str) -> bool:
        """Whether every value the field holds is of one of ``kinds`` (never for an open
        field)."""
        return not self.open and self.holds <= frozenset(kinds)

    def may_hold(self, *kinds: str) -> bool:
        """Whether a value of the field may be of one of ``kinds`` (always for an open field
        or one holding what the checks cannot reason about)."""
        return self.open or OTHER in self.holds or bool(self.holds & frozenset(kinds))


_SCALARS: Mapping[type, tuple[str, str]] = {
    bool: ("boolean", BOOLEAN),
    int: ("integer", AMOUNT),
    float: ("number", AMOUNT),
    Decimal: ("decimal", AMOUNT),
    str: ("text", TEXT),
    datetime: ("datetime", DAY),
    date: ("date", DAY),
}
_MODELS: dict[type[BaseModel], Shape] = {}


def _scalar(value_type: type) -> tuple[str, str] | None:
    """The label and the kind of a scalar type; ``None`` for any other."""
    for scalar, described in _SCALARS.items():  # bool before int, datetime before date
        if issubclass(value_type, scalar):
            return described
    return None


def _kind(value_type: type) -> str:
    described = _scalar(value_type)
    return OTHER if described is None else described[1]


def shape_of(annotation: Any) -> Shape:
    """The ``Shape`` of a type annotation (a model class included)."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        declared, *metadata = typing.get_args(annotation)
        shape = shape_of(declared)
        held = _validated(metadata)
        if held is not None:  # what the validator answers is what a record holds
            open_ = shape.open or held.open
            return attrs.evolve(shape, open=open_, holds=held.holds, reads=held.read_label)
        return shape
    if origin is typing.Union or origin is types.UnionType:
        members = [arg for arg in typing.get_args(annotation) if arg is not type(None)]
        return _union([shape_of(member) for member in members])
    if origin in (list, tuple, set, frozenset, Sequence, Iterable):
        args = [arg for arg in typing.get_args(annotation) if arg is not Ellipsis]
        item = shape_of(args[0]) if args else Shape("any", open=True)
        label = "list of tables" if item.fields is not None else f"list of {item.label}"
        return Shape(label, item=item, holds=frozenset({LIST}))
    if annotation is Any or origin in (dict, Mapping) or annotation in (dict, object):
        return Shape("table", open=True)
    if origin is typing.Literal:
        values = typing.get_args(annotation)
        kinds = frozenset(_kind(type(value)) for value in values)
        return Shape("one of " + ", ".join(map(repr, values)), holds=kinds)
    if isinstance(annotation, type):
        if issubclass(annotation, BaseModel):
            return _model_shape(annotation)
        if issubclass(annotation, Enum):
            shown = ", ".join(repr(member.value) for member in annotation)
            return Shape("one of " + shown, holds=frozenset({_kind(annotation)}))
        described = _scalar(annotation)
        if described is not None:
            return Shape(described[0], holds=frozenset({described[1]}))
        return Shape(annotation.__name__)
    return Shape("any", open=True)


def _validated(metadata: Iterable[object]) -> Shape | None:
    """The shape of what the last validator among ``metadata`` that replaces the value
    answers, by its return annotation; ``None`` when none says."""
    held = None
    for item in metadata:
        if isinstance(item, AfterValidator | PlainValidator | WrapValidator):
            try:
                answer = typing.get_type_hints(item.func).get("return")
            except (NameError, TypeError):  # a hint that cannot be resolved says nothing
                answer = None
            if answer is not None:
                held = shape_of(answer)
    return held


def _union(members: list[Shape]) -> Shape:
    if len(members) == 1:
        return members[0]
    fields: dict[str, tuple[str, Shape]] = {}
    for member in members:
        fields |= member.fields or {}
    items = [member.item for member in members if member.item is not None]
    read = dict.fromkeys(member.read_label for member in members)
    return Shape(
        " or ".join(member.label for member in members),
        fields=fields if any(member.fields is not None for member in members) else None,
        item=items[0] if items else None,
        open=any(member.open for member in members),
        holds=frozenset().union(*(member.holds for member in members)),
        set_by_system=frozenset().union(*(member.set_by_system for member in members)),
        reads=" or ".join(read) if any(member.reads for member in members) else None,
    )


def wire_name(name: str, model: type[BaseModel]) -> str:
    field = model.model_fields[name]
    return field.serialization_alias or field.alias or name


def _model_shape(model: type[BaseModel]) -> Shape:
    known = _MODELS.get(model)
    if known is not None:
        return known
    read_only = model.read_only_fields() if issubclass(model, APIModel) else frozenset()
    shape = Shape(
        "table",
        fields={},
        holds=frozenset({TABLE}),
        set_by_system=frozenset(wire_name(name, model) for name in read_only),
    )
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
    """Why ``value`` could never equal a value of ``shape`` (None: it could)."""
    field = shape.read_label
    if shape.only(BOOLEAN) and not isinstance(value, bool):
        return (
            f"{value!r} is not a boolean, and the field is {field}: write true or false, unquoted"
        )
    if shape.only(AMOUNT) and (isinstance(value, bool) or as_amount(value) is None):
        return f"{value!r} is not an amount, and the field is {field}"
    if shape.only(DAY) and as_day(value) is None:
        return f"{value!r} is not a date, and the field is {field}"
    if isinstance(value, bool) and not shape.may_hold(BOOLEAN):
        return f"{value!r} equals only a boolean, and the field is {field}"
    return None


def _answerable(op: Op, value: object, shape: Shape) -> str | None:
    """Why ``op`` with ``value`` could never hold for a field of ``shape`` (None: it could),
    besides ``value`` itself (``_comparable``)."""
    if op in ORDERING:
        if not shape.may_hold(AMOUNT, DAY, TEXT):
            return f"the field is {shape.read_label}, which has no order"
        if shape.only(TEXT) and as_amount(value) is None and as_day(value) is None:
            return f"text is ordered only as amounts or dates, and {value!r} is neither"
    if op is Op.CONTAINS:
        if not shape.may_hold(TEXT, LIST):
            return f"the field is {shape.read_label}; contains looks in text or a list"
        if shape.only(LIST) and shape.item is not None:
            return _comparable(value, shape.item)
    return None


# -- checking an automation --------------------------------------------------------------------


@attrs.frozen
class _Checker:
    automation: Automation
    trigger: Shape
    trigger_name: str
    action: Shape
    action_name: str
    offered: AutomationSurface
    """What the action's system offers: its reserved fields, statuses and lookups."""

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
            if item.op in _NO_VALUE:
                return
            values = item.value if item.op in (Op.IN, Op.NOT_IN) else [item.value]
            for value in values:
                # contains compares with the text or the items, not with the field
                equals = None if item.op is Op.CONTAINS else _comparable(value, shape)
                problem = _answerable(item.op, value, shape) or equals
                if problem:
                    raise self.fail(where, f"{item.path.text} {item.op.value}: {problem}")

    def field_map(
        self, field_map: FieldMap, where: str, source: Shape, target: Shape, top: bool
    ) -> None:
        for name, entry in field_map.entries:
            here = f"{where}.{name}"
            destination = self.target(parse_path(name), here, target)
            self.writable(name, here, target, top)
            if isinstance(entry, Source):
                self.source(entry.path, here, source)
            elif isinstance(entry, Template):
                for placeholder in entry.placeholders:
                    self.source(placeholder.path, here, source)
            elif isinstance(entry, Lookup):
                if entry.by is not None:
                    self.source(entry.by, here, source)
                self.lookup(entry, here)
            elif isinstance(entry, Each):
                items = self.source(entry.path, here, source)
                if destination.item is None and not destination.open:
                    raise self.fail(here, f"each makes a list, and {name!r} is {destination.label}")
                inner = destination.item or Shape("any", open=True)
                self.field_map(entry.map, f"{here}.map", items, inner, top=False)

    def writable(self, name: str, here: str, target: Shape, top: bool) -> None:
        """Refuse a destination the system fills itself: one the action reserves (``top``:
        a field of the action's record, not of an item under ``each``), or one the model
        marks read-only but the record's own ``id``, by which an update or ``set_status``
        names the record (a create reserves it)."""
        action = self.automation.action
        steps = name.split(".")
        if top and steps[0] in self.offered.reserved_fields.get(action.kind, ()):
            python = (target.fields or {}).get(steps[0], ("",))[0]
            why = (
                f"is the id {action.system} gives the new {action.target}"
                if python == "id"
                else f"carries the automation's reference, by which a {action.kind} whose "
                "answer was lost is found again"
            )
            raise self.fail(here, f"{steps[0]!r} {why}; a map cannot write it")
        shape = target
        for index, step in enumerate(steps):
            if shape.open or shape.fields is None:
                return
            python, below = shape.fields[step]
            if step in shape.set_by_system and not (top and index == 0 and python == "id"):
                where = ".".join(steps[: index + 1])
                raise self.fail(
                    here, f"{where!r} is set by {action.system} itself; a map cannot write it"
                )
            shape = below

    def lookup(self, lookup: Lookup, here: str) -> None:
        """Refuse a lookup the action's system cannot make, or a ``take`` naming no field
        of what it finds (a customer lookup gives the linked id: ``Lookup`` sees to it)."""
        if lookup.record == "customer":
            return
        system = self.automation.action.system
        model = self.offered.lookups.get(lookup.record)
        if model is None:
            offered = " or a ".join(self.offered.lookups) or "nothing"
            raise self.fail(
                f"{here}.lookup", f"{system} looks up a {offered} by code, not a {lookup.record}"
            )
        shape = _model_shape(model)
        if lookup.take not in (shape.fields or {}):
            hint = _suggestions(lookup.take, shape, "")
            raise self.fail(
                f"{here}.take",
                f"{lookup.take!r}: {system} {lookup.record} ({model.__name__}) has no field "
                f"{lookup.take!r}{hint}",
            )

    def status(self) -> None:
        """Refuse a ``set_status`` on a record, or to a status, the system cannot set."""
        action = self.automation.action
        if self.offered.actions.get(action.kind) is not None:
            return  # not set_status: the action writes a record through its map
        statuses = self.offered.statuses.get(action.target)
        if statuses is None:
            settable = " or a ".join(self.offered.statuses)
            reason = (
                f"{action.system} sets the status of a {settable}, not of a {action.target}"
                if settable
                else f"{action.system} sets no record's status"
            )
            raise self.fail("action.record", reason)
        if statuses.pick(action.status) is None:
            raise self.fail(
                "action.status", f"a {action.target}'s status is {statuses}, not {action.status!r}"
            )

    def run(self) -> None:
        trigger = self.automation.trigger
        if trigger.field is not None:
            shape = self.source(trigger.field, "trigger.field")
            problem = None if trigger.to is None else _comparable(trigger.to, shape)
            if problem:
                raise self.fail("trigger.to", problem)
        top = self.automation.filters
        if isinstance(top, AllOf):  # a list of conditions, as written: filters[0], ...
            for index, inner in enumerate(top.filters):
                self.filters(inner, f"filters[{index}]")
        else:
            self.filters(top, "filters")
        self.status()
        self.field_map(self.automation.field_map, "map", self.trigger, self.action, top=True)


def check(
    automation: Automation,
    *,
    trigger_model: type[BaseModel] | None = None,
    action_model: type[BaseModel] | None = None,
) -> None:
    """Check ``automation`` against the systems' models and declarations: the trigger's
    field and ``to``, the filters' and the map's sources against ``trigger_model`` (the
    model of ``automation.trigger.record``), the map's destinations against
    ``action_model`` (the model the action writes) and what the action's system declares
    (``AutomationSurface``: reserved fields, statuses, lookups). Either model left out is
    the one its system declares (``Trigger.model``, ``Action.model``). Functions given from
    Python are not looked into."""
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
        surface(action.system, "action.system"),
    ).run()


def check_names(automations: Iterable[Automation]) -> None:
    """Refuse two automations with one name: the name keys bookmarks and what has acted."""
    seen: set[str] = set()
    for automation in automations:
        if automation.name in seen:
            raise AutomationError(automation.name, "name", "two automations have this name")
        seen.add(automation.name)
