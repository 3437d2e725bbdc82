"""The base every API model extends, and the field types for money, dates and instants."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from difflib import get_close_matches
from functools import cache
from typing import Annotated, Any, ClassVar, Self

import attrs
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
    PlainSerializer,
    ValidationError as PydanticValidationError,
)
from pydantic.fields import FieldInfo
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema as cs

from .dates import (
    SAO_PAULO,
    format_local,
    from_epoch_ms,
    is_no_date,
    parse_date,
    parse_instant,
    to_epoch_ms,
)
from .errors import RequestValidationError
from .money import money_to_json_number, parse_money
from .wire import camel_case, field_wire_name


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


READ_ONLY = _Marker("READ_ONLY")
"""Field metadata: the server sets it; requests never send it."""

REQUIRED_ON_CREATE = _Marker("REQUIRED_ON_CREATE")
"""Field metadata: a create must carry it (optional on read, where servers omit it)."""


def _lenient(parse: Callable[[Any], Any], what: str) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        try:
            return parse(value)
        except ValueError as exc:
            raise PydanticCustomError(f"ponte_{what}", "{reason}", {"reason": str(exc)}) from None

    return validate


def _optional(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if value is None or is_no_date(value):
            return None
        return parse(value)

    return validate


def _empty_to_none(parse: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def validate(value: Any) -> Any:
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return parse(value)

    return validate


_parse_money = _lenient(parse_money, "money")
_parse_date = _lenient(parse_date, "date")
_parse_instant = _lenient(parse_instant, "instant")


def _epoch_ms_instant(value: Any) -> datetime:
    # A field that says "milliseconds" is read as such, even below the guessing threshold
    # (dates before March 1973 would otherwise be taken for seconds).
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_epoch_ms(value)
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return from_epoch_ms(int(value))
    return parse_instant(value)


_parse_epoch_ms = _lenient(_epoch_ms_instant, "instant")


@attrs.frozen(kw_only=True)
class AmountReader:
    """How every client reads an amount: a JSON number becomes a ``Decimal`` inside
    pydantic-core (its shortest digits: ``140.0`` is ``Decimal("140")``), while JSON text
    and every Python value go through ``parse_money``.

    pydantic-core reads a JSON fraction as a double, which keeps 15 significant digits: a
    body with a longer number is read by ``exact_json`` instead, through ``parse_money``
    and the number's own text (``ExactFloat``), so an amount is exact whatever its length.

    A union would let ``Decimal`` read text that ``parse_money`` refused, and take
    ``"1.250"`` for 1.25 where a Brazilian body may mean 1250; so the JSON type picks the
    one reader. The discriminator is ``type`` itself, a C call: a Python function there cost
    about a third of each amount's parse. With ``optional``, ``null`` and blank text are
    ``None``; with ``as_text``, the amount is written back as text rather than a number.
    """

    optional: bool
    as_text: bool = False

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> cs.CoreSchema:
        read = _empty_to_none(_parse_money) if self.optional else _parse_money
        # A JSON fraction reaches here as a double, exact up to 15 significant digits;
        # exact_json sends a body with a longer number to the Python reader instead.
        number = cs.decimal_schema()
        by_json_type: dict[Any, cs.CoreSchema] = {
            float: number,
            int: number,
            str: cs.no_info_after_validator_function(read, cs.str_schema()),
        }
        if self.optional:
            by_json_type[type(None)] = cs.none_schema()
        return cs.json_or_python_schema(
            json_schema=cs.tagged_union_schema(
                by_json_type,
                discriminator=type,
                custom_error_type="ponte_money",
                custom_error_message="an amount is a number or text",
            ),
            python_schema=cs.no_info_plain_validator_function(read),
            serialization=cs.plain_serializer_function_ser_schema(
                str if self.as_text else money_to_json_number, when_used="json-unless-none"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: cs.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # What the wire carries, not how it is read: a number or text in, one of them out.
        wire: cs.CoreSchema
        if handler.mode == "serialization":
            wire = cs.str_schema() if self.as_text else cs.float_schema()
        else:
            wire = cs.decimal_schema()
        return handler(cs.nullable_schema(wire) if self.optional else wire)


# Year 1 is left to the Python readers: .NET's "no date" (0001-01-01) is written in it.
_AFTER_NO_DAY = date(1, 1, 1)
_ISO_DAY = r"^\d{4}-\d{2}-\d{2}$"  # pydantic-core also reads digits as epoch time, in UTC
_AFTER_NO_INSTANT = datetime(1, 1, 2)
_combine = datetime.combine


def _in_sao_paulo(value: datetime) -> datetime:
    return _combine(value, value.time(), SAO_PAULO)  # in_zone, inlined: it runs per field


@attrs.frozen(kw_only=True)
class TimeReader:
    """How every client reads a date or an instant from JSON: the common shapes in
    pydantic-core, the rest in Python.

    ``yyyy-mm-dd`` (a date) and naive ISO text (an instant, then zoned to São Paulo) are
    read in Rust; every other value (``dd/mm/yyyy``, epoch numbers, offsets, ``""`` and
    ``0001-01-01``) falls through to ``parse_date``/``parse_instant``, which read it as
    they always have, and so does every Python value. On a page of 100 Conta Azul sales
    (two dates, two instants each) the Python readers alone cost 0.85 of ``json.loads`` of
    the page; this way the four cost 0.13. ``optional`` reads ``null`` and the "no date"
    markers as ``None``.
    """

    instant: bool
    optional: bool

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> cs.CoreSchema:
        read = _parse_instant if self.instant else _parse_date
        if self.optional:
            read = _optional(read)
        # Only naive ISO text is read here: an offset or epoch digits, which pydantic-core
        # reads too, are left to parse_instant/parse_date, whose rules for them differ.
        fast = (
            cs.no_info_after_validator_function(
                _in_sao_paulo,
                cs.datetime_schema(strict=True, tz_constraint="naive", gt=_AFTER_NO_INSTANT),
            )
            if self.instant
            else cs.chain_schema(
                [cs.str_schema(pattern=_ISO_DAY), cs.date_schema(gt=_AFTER_NO_DAY)]
            )
        )
        what = "an instant" if self.instant else "a date"
        from_json: cs.CoreSchema = cs.union_schema(
            [fast, cs.no_info_plain_validator_function(read)],
            mode="left_to_right",
            custom_error_type=f"ponte_{'instant' if self.instant else 'date'}",
            custom_error_message=f"not {what}: ISO 8601 or dd/mm/yyyy text, or epoch time",
        )
        if self.optional:  # null ahead of the union: no failed attempt on each null
            from_json = cs.nullable_schema(from_json)
        return cs.json_or_python_schema(
            json_schema=from_json,
            python_schema=cs.no_info_before_validator_function(read, handler(source)),
        )

    def __get_pydantic_json_schema__(
        self, schema: cs.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # What the wire carries, not how it is read.
        wire = cs.datetime_schema() if self.instant else cs.date_schema()
        return handler(cs.nullable_schema(wire) if self.optional else wire)


Money = Annotated[Decimal, AmountReader(optional=False)]
"""Decimal amount; accepts numbers and Brazilian/US-formatted text; a JSON number on the wire."""
MoneyText = Annotated[Decimal, AmountReader(optional=False, as_text=True)]
"""Decimal amount that travels as a string (APIs that want ``"12.50"``)."""
OptionalMoney = Annotated[Decimal | None, AmountReader(optional=True)]
"""``Money`` or ``None``: ``null`` and blank text read as ``None``."""

Date = Annotated[
    date,
    TimeReader(instant=False, optional=False),
    PlainSerializer(date.isoformat, when_used="json"),
]
"""Calendar date; accepts ISO, dd/mm/yyyy and epoch numbers; ``yyyy-mm-dd`` on the wire."""
OptionalDate = Annotated[
    date | None,
    TimeReader(instant=False, optional=True),
    PlainSerializer(lambda d: d.isoformat() if d else None, when_used="json"),
]

Instant = Annotated[datetime, TimeReader(instant=True, optional=False)]
"""Aware datetime; naive input is America/Sao_Paulo. ISO 8601 with offset on the wire."""
OptionalInstant = Annotated[datetime | None, TimeReader(instant=True, optional=True)]
LocalInstant = Annotated[
    datetime,
    TimeReader(instant=True, optional=False),
    PlainSerializer(format_local, when_used="json"),
]
"""Aware datetime that travels as naive São Paulo ``yyyy-mm-dd hh:MM:ss``."""
EpochMsInstant = Annotated[
    datetime, BeforeValidator(_parse_epoch_ms), PlainSerializer(to_epoch_ms, when_used="json")
]
"""Aware datetime that travels as epoch milliseconds."""
OptionalEpochMsInstant = Annotated[
    datetime | None,
    BeforeValidator(_optional(_parse_epoch_ms)),
    PlainSerializer(lambda d: to_epoch_ms(d) if d else None, when_used="json"),
]


class APIModel(BaseModel):
    """Base for every request and response model.

    Wire names are aliases, and "not set" stays apart from ``None`` so a write sends only
    what the caller set. A model read from an answer keeps the fields it does not know
    (``extra="allow"``) and sends them back on a write; a model built in Python (``Model(...)``,
    ``Model.coerce(dict)``) is a request, and refuses a name that is neither a field nor its
    wire name. Values are checked on construction and on assignment; a bad one raises
    ``RequestValidationError`` naming the field.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        validate_assignment=True,
        ser_json_inf_nan="strings",
        protected_namespaces=(),
        # Schemas are built on first use, not at import: a cold import stays cheap.
        defer_build=True,
    )

    _wire_exclude: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, /, **data: Any) -> None:
        try:
            super().__init__(**data)
        except PydanticValidationError as exc:
            raise _request_error(exc) from None
        _refuse_unknown_names(self, "", _models_in(data.values()))

    # Marked as pydantic's own: otherwise pydantic-core would call this hook back for every
    # nested record of an answer. Reads (model_validate*, TypeAdapter) never come through it.
    __init__.__pydantic_base_init__ = True  # type: ignore[attr-defined]

    def __setattr__(self, name: str, value: Any) -> None:
        fields = type(self).model_fields
        if name not in fields:
            if not name.startswith("_") and name not in (self.__pydantic_extra__ or {}):
                # Only a field the server sent may be set beyond the model's own.
                raise RequestValidationError(name, _no_such_field(type(self), name, fields))
            super().__setattr__(name, value)
            return
        before = self.__dict__[name]
        was_set = name in self.model_fields_set
        try:
            super().__setattr__(name, value)
        except PydanticValidationError as exc:
            raise _request_error(exc) from None
        try:
            _refuse_unknown_names(
                self.__dict__[name], field_wire_name(type(self), name), _models_in([value])
            )
        except RequestValidationError:
            self.__dict__[name] = before
            if not was_set:
                self.model_fields_set.discard(name)
            raise

    @classmethod
    def read_only_fields(cls) -> frozenset[str]:
        return _fields_with(cls, READ_ONLY)

    @classmethod
    def required_on_create(cls) -> frozenset[str]:
        return _fields_with(cls, REQUIRED_ON_CREATE)

    def to_wire(self, *, for_create: bool = False) -> dict[str, Any]:
        """The JSON body for a write: aliases, only fields the caller set, never read-only ones."""
        if for_create:
            self.check_required()
        return _dump_for_write(self)

    def check_required(self, path: str = "") -> None:
        """Raise ``RequestValidationError`` naming the first required field left empty."""
        for name in sorted(self.required_on_create()):
            value = getattr(self, name, None)
            label = f"{path}{field_wire_name(type(self), name)}"
            if value is None or (isinstance(value, str | list) and len(value) == 0):
                raise RequestValidationError(label, "is required to create this record")
        for name in type(self).model_fields:
            value = getattr(self, name, None)
            alias = field_wire_name(type(self), name)
            if isinstance(value, APIModel):
                value.check_required(f"{path}{alias}.")
            elif isinstance(value, list):
                for index, item in enumerate(value):
                    if isinstance(item, APIModel):
                        item.check_required(f"{path}{alias}[{index}].")

    @classmethod
    def coerce(cls, value: Self | dict[str, Any]) -> Self:
        """Accept a model or a plain dict (wire or Python names) from a caller."""
        if isinstance(value, cls):
            return value
        if isinstance(value, dict):
            return cls(**value)
        raise RequestValidationError(cls.__name__, f"expected {cls.__name__} or dict")


class CamelModel(APIModel):
    """An ``APIModel`` whose wire names are the camelCase of its field names.

    A field gives an alias only where its wire name is something else (``taskID``,
    ``grupoDRE``). The generator runs as the class is defined and builds no schema.
    """

    model_config = ConfigDict(alias_generator=camel_case)


def field_of(location: Iterable[int | str]) -> str:
    """The field a pydantic error's ``loc`` names, dotted; the validator steps pydantic puts
    in it for a union or a function (``function-after[...]``) are not fields, and go."""
    steps = [str(step) for step in location if not _VALIDATOR_STEP.search(str(step))]
    return ".".join(steps) or "body"


_VALIDATOR_STEP = re.compile(r"[\[\]()]")


def _request_error(exc: PydanticValidationError) -> RequestValidationError:
    errors = exc.errors()
    first = errors[0]
    field = field_of(first["loc"])
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return RequestValidationError(field, first["msg"] + more)


# Most values are plain; one set lookup passes them by, where isinstance against a model
# class would go through its metaclass's __instancecheck__ for each.
_LEAVES = frozenset({str, int, float, bool, type(None), Decimal, date, datetime})
_CONTAINERS = (dict, list, tuple)


def _models_in(values: Iterable[Any]) -> frozenset[int]:
    """The ids of the models a caller handed in, however deep in its dicts and lists.

    Those were built (or read) before and keep their own unknown fields; a model that is not
    among them was built from a caller's dict just now.
    """
    found: set[int] = set()
    pending = list(values)
    while pending:
        value = pending.pop()
        if type(value) in _LEAVES:
            continue
        if isinstance(value, BaseModel):
            found.add(id(value))
        elif isinstance(value, dict):
            pending.extend(value.values())
        elif isinstance(value, _CONTAINERS):
            pending.extend(value)
    return frozenset(found)


def _refuse_unknown_names(value: Any, path: str, handed_in: frozenset[int]) -> None:
    """Refuse the first name, in a model built from a caller's dicts, that it has no field for.

    Such a name landed in ``__pydantic_extra__`` (the config keeps unknown fields, for reads).
    """
    if isinstance(value, APIModel):
        if id(value) in handed_in:
            return
        model = type(value)
        for name in value.__pydantic_extra__ or {}:
            label = f"{path}.{name}" if path else name
            raise RequestValidationError(label, _no_such_field(model, name, _known_names(model)))
        for name, item in value.__dict__.items():  # the fields; extras live apart
            if type(item) not in _LEAVES:
                wire = field_wire_name(model, name)
                _refuse_unknown_names(item, f"{path}.{wire}" if path else wire, handed_in)
    elif isinstance(value, dict):
        for key, item in value.items():
            if type(item) not in _LEAVES:
                _refuse_unknown_names(item, f"{path}[{key!r}]", handed_in)
    elif isinstance(value, _CONTAINERS):
        for index, item in enumerate(value):
            if type(item) not in _LEAVES:
                _refuse_unknown_names(item, f"{path}[{index}]", handed_in)


@cache
def _known_names(model: type[BaseModel]) -> tuple[str, ...]:
    """Every name a caller may build ``model`` with: field names and their wire names."""
    names = dict.fromkeys(model.model_fields)
    names.update(dict.fromkeys(field_wire_name(model, name) for name in model.model_fields))
    return tuple(names)


def _no_such_field(model: type[BaseModel], name: str, known: Iterable[str]) -> str:
    reason = f"{model.__name__} has no field {name!r}"
    closest = get_close_matches(name, list(known), n=1)
    return f"{reason} (did you mean {closest[0]!r}?)" if closest else reason


def _dump_for_write(model: BaseModel) -> dict[str, Any]:
    out: dict[str, Any] = {}
    read_only = model.read_only_fields() if isinstance(model, APIModel) else frozenset()
    fields = type(model).model_fields
    for name in model.model_fields_set:
        if name in read_only or name not in fields:
            continue
        value = getattr(model, name)
        out[field_wire_name(type(model), name)] = _wire_value(model, name, value)
    for key, value in (model.__pydantic_extra__ or {}).items():
        out[key] = _plain(value)
    return out


def _wire_value(model: BaseModel, name: str, value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _dump_for_write(value)
    if isinstance(value, list) and value and isinstance(value[0], BaseModel):
        return [_dump_for_write(v) if isinstance(v, BaseModel) else _plain(v) for v in value]
    return model.model_dump(mode="json", include={name}, by_alias=True)[
        field_wire_name(type(model), name)
    ]


def _plain(value: Any) -> Any:
    if isinstance(value, BaseModel):
        return _dump_for_write(value)
    if isinstance(value, Decimal):
        return money_to_json_number(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


@cache
def _fields_with(cls: type[BaseModel], marker: _Marker) -> frozenset[str]:
    return frozenset(name for name, info in cls.model_fields.items() if _has(info, marker))


def _has(info: FieldInfo, marker: _Marker) -> bool:
    return any(m is marker for m in info.metadata)
