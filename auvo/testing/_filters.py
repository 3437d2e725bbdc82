"""The ``paramFilter`` keys each ``FakeAuvo`` list honours, as the blueprint documents them.

Keys are matched case-insensitively, as Auvo reads them. A key the blueprint does not
document for a list is ignored, as Auvo ignores it. Each check turns one filter value into
a predicate on stored records (wire names), or answers 400 when the value is unreadable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from sdkcore.dates import SAO_PAULO
from sdkcore.money import parse_money
from sdkcore.testing import HTTPFault

from .._queries import WEBHOOK_ACTIONS, WEBHOOK_ENTITIES

Record = dict[str, Any]
Predicate = Callable[[Record], bool]


@attrs.frozen
class Context:
    """What a check may consult: the key as sent, every filter of the request, the data."""

    key: str
    filters: Mapping[str, Any]
    data: Mapping[str, Mapping[str, Record]]

    def option(self, name: str) -> Any:
        key = find_key(self.filters, name)
        return None if key is None else self.filters[key]

    def bad(self, value: Any) -> HTTPFault:
        return HTTPFault(400, {self.key: [f"The value '{value}' is not valid."]})


Check = Callable[[Context, Any], Predicate]


# -- values ----------------------------------------------------------------------------------


def parse_local(text: Any) -> datetime | None:
    """An aware instant from Auvo's naive Brasília text; ``None`` for no date."""
    if not isinstance(text, str) or not text or text.startswith("0001-"):
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=SAO_PAULO)


def find_key(record: Mapping[str, Any], name: str) -> str | None:
    lowered = name.lower()
    return next((k for k in record if k.lower() == lowered), None)


def _field(record: Record, name: str) -> Any:
    key = find_key(record, name)
    return None if key is None else record[key]


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().lower()


def _values(value: Any) -> set[str]:
    """A list filter: a JSON array or Auvo's "separated by comma" text."""
    items: Iterable[Any] = value if isinstance(value, list | tuple) else str(value).split(",")
    return {_text(v) for v in items if _text(v)}


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return bool(value)
    return {"true": True, "1": True, "false": False, "0": False}.get(_text(value))


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def _money(value: Any) -> Decimal | None:
    try:
        return parse_money(value)
    except (ValueError, TypeError):
        return None


# -- checks ----------------------------------------------------------------------------------


def same(*fields: str) -> Check:
    """Equal (case-insensitive text) to any of ``fields``; records without them never match."""

    def check(ctx: Context, value: Any) -> Predicate:
        wanted = _values(value) if isinstance(value, list) else {_text(value)}
        return lambda r: any((v := _field(r, f)) is not None and _text(v) in wanted for f in fields)

    return check


def among(field: str) -> Check:
    """One of several values, given as a JSON array or as text separated by commas."""

    def check(ctx: Context, value: Any) -> Predicate:
        wanted = _values(value)
        return lambda r: (v := _field(r, field)) is not None and _text(v) in wanted

    return check


def contains(field: str) -> Check:
    def check(ctx: Context, value: Any) -> Predicate:
        wanted = _text(value)
        return lambda r: wanted in _text(_field(r, field) or "")

    return check


def digits(field: str) -> Check:
    def check(ctx: Context, value: Any) -> Predicate:
        wanted = _digits(value)
        return lambda r: bool(wanted) and _digits(_field(r, field)) == wanted

    return check


def flag(field: str, default: bool = True) -> Check:
    """A boolean filter; a record without the field counts as ``default`` (Auvo's default)."""

    def check(ctx: Context, value: Any) -> Predicate:
        wanted = _bool(value)
        if wanted is None:
            raise ctx.bad(value)

        def keep(record: Record) -> bool:
            actual = _field(record, field)
            return (default if actual is None else _bool(actual)) is wanted

        return keep

    return check


def _bound(ctx: Context, value: Any) -> datetime:
    bound = parse_local(value) if isinstance(value, str) else None
    if bound is None:
        raise ctx.bad(value)
    return bound


def since(field: str) -> Check:
    """On or after the instant (Auvo's date filters include their bounds)."""

    def check(ctx: Context, value: Any) -> Predicate:
        bound = _bound(ctx, value)
        return lambda r: (m := parse_local(_field(r, field))) is not None and m >= bound

    return check


def until(field: str) -> Check:
    def check(ctx: Context, value: Any) -> Predicate:
        bound = _bound(ctx, value)
        return lambda r: (m := parse_local(_field(r, field))) is not None and m <= bound

    return check


def any_of(field: str, key: str | None = None) -> Check:
    """A record's list (of ids, or of objects with ``key``) holds one of the values."""

    def check(ctx: Context, value: Any) -> Predicate:
        wanted = _values(value)

        def keep(record: Record) -> bool:
            items = _field(record, field) or []
            for item in items if isinstance(items, list) else [items]:
                ident = _field(item, key) if key and isinstance(item, dict) else item
                if ident is not None and _text(ident) in wanted:
                    return True
            return False

        return keep

    return check


def ignored(ctx: Context, value: Any) -> Predicate:
    """A documented key that selects what each record carries, not which records."""
    return lambda r: True


def _task_status(ctx: Context, value: Any) -> Predicate:
    try:
        code = int(value)
    except (TypeError, ValueError):
        raise ctx.bad(value) from None

    def keep(task: Record) -> bool:
        finished = bool(task.get("finished"))
        automatic = task.get("_finishedBy") == "auto"
        return {
            0: not finished,
            1: finished and automatic,
            2: finished and not automatic,
            3: finished,
            5: bool(task.get("pendency")),
            6: finished or bool(task.get("checkIn")),
        }.get(code, True)  # 4: all

    return keep


def _group_members(data: Mapping[str, Mapping[str, Record]], group: Any) -> set[str]:
    return {
        _text(c.get("id"))
        for c in data["customers"].values()
        if _text(group) in {_text(g) for g in c.get("groupsId") or []}
    }


def in_group(field: str) -> Check:
    """The record's customer belongs to the customer group."""

    def check(ctx: Context, value: Any) -> Predicate:
        members = _group_members(ctx.data, value)
        return lambda r: _text(_field(r, field)) in members

    return check


def _team_users(ctx: Context, value: Any) -> Predicate:
    wanted = _values(value)
    names = {
        name
        for team in ctx.data["teams"].values()
        if _text(team.get("id")) in wanted
        for name in team.get("teamUsers") or []
    }
    users = {_text(u.get("userId")) for u in ctx.data["users"].values() if u.get("name") in names}
    return lambda r: _text(r.get("idUserTo")) in users


def _user_type(ctx: Context, value: Any) -> Predicate:
    wanted = _text(value)

    def keep(user: Record) -> bool:
        kind = user.get("userType")
        code = kind.get("userTypeId") if isinstance(kind, dict) else kind
        return _text(code) == wanted

    return keep


def _questionnaire_tasks(ctx: Context, value: Any) -> Predicate:
    tasks = _values(value)
    used = {
        _text(answer.get("questionnaireId"))
        for task in ctx.data["tasks"].values()
        if _text(task.get("taskID")) in tasks
        for answer in task.get("questionnaires") or []
    }
    return lambda r: _text(r.get("id")) in used


def _below_minimum(ctx: Context, value: Any) -> Predicate:
    wanted = _bool(value)
    if wanted is None:
        raise ctx.bad(value)

    def keep(product: Record) -> bool:
        stock, minimum = _money(product.get("totalStock")), _money(product.get("minimumStock"))
        below = stock is not None and minimum is not None and stock < minimum
        return below is wanted

    return keep


def _price(ctx: Context, value: Any) -> Predicate:
    wanted = _money(value)
    if wanted is None:
        raise ctx.bad(value)
    return lambda r: _money(r.get("price")) == wanted


def _webhook(field: str, names: Mapping[str, str]) -> Check:
    """Entity and action by name or code, as registrations accept both."""

    def norm(value: Any) -> str:
        return names.get(_text(value), _text(value))

    def check(ctx: Context, value: Any) -> Predicate:
        wanted = norm(value)
        return lambda r: norm(_field(r, field) or "") == wanted

    return check


def _gps_day(ctx: Context, value: Any) -> Predicate:
    """Positions of that Brasília day; with ``getLastKnowPosition``, the last one up to it."""
    day = _bound(ctx, value).astimezone(SAO_PAULO).replace(hour=0, minute=0, second=0)
    end = day + timedelta(days=1)
    last_known = _bool(ctx.option("getLastKnowPosition")) is True

    def keep(position: Record) -> bool:
        moment = parse_local(position.get("positionDate"))
        if moment is None:
            return False
        return moment < end if last_known else day <= moment < end

    return keep


def _stage(ctx: Context, value: Any) -> Predicate:
    """``CurrentStage`` is the stage's name."""
    wanted = _text(value)

    def keep(quotation: Record) -> bool:
        stage = _field(quotation, "currentStage")
        name = stage.get("description") if isinstance(stage, dict) else stage
        return name is not None and _text(name) == wanted

    return keep


TICKET_STATUS = {
    "1": "normal",
    "2": "abertura",
    "3": "pausa",
    "4": "cancelamento",
    "5": "encerramento",
    "6": "aguardandoatendente",
    "7": "aguardandocliente",
}


def _ticket_status(ctx: Context, value: Any) -> Predicate:
    """By code (1-7) or name, against the ticket's ``statusType``."""

    def norm(text: str) -> str:
        return TICKET_STATUS.get(text, text)

    wanted = {norm(v) for v in _values(value)}
    return lambda r: norm(_text(r.get("statusType"))) in wanted


def _customer_document(ctx: Context, value: Any) -> Predicate:
    wanted = _digits(value)
    customers = {
        _text(c.get("id"))
        for c in ctx.data["customers"].values()
        if _digits(c.get("cpfCnpj")) == wanted
    }
    return lambda r: _text(r.get("customerId")) in customers


# -- the lists -------------------------------------------------------------------------------

_ID_AND_DESCRIPTION: dict[str, Check] = {"id": same("id"), "description": contains("description")}
_CATEGORY: dict[str, Check] = {**_ID_AND_DESCRIPTION, "externalid": among("externalId")}
_TASKS: dict[str, Check] = {
    "taskid": among("taskID"),
    "iduserto": same("idUserTo"),
    "startdate": since("taskDate"),
    "enddate": until("taskDate"),
    "datelastupdate": since("dateLastUpdate"),
    "customerid": same("customerId"),
    "teamid": _team_users,
    "type": same("taskType"),
    "customergroupid": in_group("customerId"),
    "status": _task_status,
    "orientation": contains("orientation"),
    "tags": any_of("keyWords"),
    "priority": same("priority"),
    "externalid": among("externalId"),
}

FILTERS: dict[str, dict[str, Check]] = {
    "users": {
        "userid": same("userId"),
        "name": contains("name"),
        "smartphonenumber": digits("smartphoneNumber"),
        "usertype": _user_type,
        "externalid": among("externalId"),
    },
    "tasks": _TASKS,
    "getdeletedtasks": _TASKS,
    "customers": {
        "id": same("id"),
        "description": contains("description"),
        "segmentid": same("segmentId"),
        "creationdate": since("creationDate"),
        "datelastupdate": since("dateLastUpdate"),
        "groupid": any_of("groupsId"),
        "active": flag("active"),
        "externalid": among("externalId"),
    },
    "customergroups": _ID_AND_DESCRIPTION,
    "teams": _ID_AND_DESCRIPTION,
    "tasktypes": _ID_AND_DESCRIPTION,
    "segments": _ID_AND_DESCRIPTION,
    "keywords": _ID_AND_DESCRIPTION,
    "expensetypes": _ID_AND_DESCRIPTION,
    "questionnaires": {"id": same("id"), "taskids": _questionnaire_tasks},
    "webhooks": {
        "id": same("id"),
        "entity": _webhook("entity", WEBHOOK_ENTITIES),
        "action": _webhook("action", WEBHOOK_ACTIONS),
        "active": flag("active"),
    },
    "expenses": {
        "id": same("id"),
        "description": contains("description"),
        "startdate": since("date"),
        "enddate": until("date"),
        "usertoid": same("userToId"),
        "type": same("typeId"),
    },
    "gps": {"date": _gps_day, "userid": same("userId"), "getlastknowposition": ignored},
    "satisfactionsurveys": {"taskid": among("taskID"), "email": same("email")},
    "equipmentcategories": _CATEGORY,
    "equipments": {
        "name": contains("name"),
        "externalid": among("externalId"),
        "parentequipmentid": same("parentEquipmentId"),
        "associatedcustomerid": same("associatedCustomerId"),
        "associateduserid": same("associatedUserId"),
        "categoryid": same("categoryId"),
        "identifier": same("identifier"),
        "active": flag("active"),
    },
    "productcategories": _CATEGORY,
    "products": {
        "name": contains("name"),
        "externalid": among("externalId"),
        "associatedequipmentid": same("associatedEquipmentId"),
        "id": same("id", "code"),
        "categoryid": same("categoryId"),
        "active": flag("active"),
        "lowerthanminimumstock": _below_minimum,
    },
    "quotations": {
        "publicid": same("publicId"),
        "requeststartdate": since("requestDate"),
        "requestenddate": until("requestDate"),
        "usersid": among("requesterUserId"),
        "customersid": among("customerId"),
        "productsid": any_of("products", "productId"),
        "currentstage": _stage,
    },
    "tickets": {
        "ids": among("id"),
        "startdate": since("creationDate"),
        "enddate": until("creationDate"),
        "status": _ticket_status,
        "responsableusersids": among("userResponsableId"),
        "teamid": among("teamId"),
        "customergroupid": in_group("customerId"),
        "openingresponsableusersid": among("userCreatorId"),
        "searchtasks": ignored,
        "searchmodifications": ignored,
        "searchinteractions": ignored,
        "searchcustomfields": ignored,
    },
    "services": {
        "title": contains("title"),
        "description": contains("description"),
        "price": _price,
        "active": flag("active"),
        "fiscalserviceid": same("fiscalServiceId"),
    },
    "serviceorders": {
        "projectcodes": among("projectCode"),
        "externalcodes": among("externalCode"),
        "description": contains("description"),
        "keywordcode": any_of("keywords", "id"),
        "cpfcnpj": _customer_document,
        "statusid": same("statusId"),
        "equipmentcode": any_of("equipments", "id"),
        "clientcode": same("customerId"),
        "clientgroupcode": in_group("customerId"),
    },
}
"""Per list, the blueprint's ``paramFilter`` keys (lower-cased) and how each selects."""

UNMODELLED: dict[str, tuple[str, ...]] = {
    "tickets": ("Origems",),  # a ticket's origin is not in its documented body
    "serviceorders": ("StartDateDuration", "EndDateDuration"),  # nor a project's duration
}
"""Documented keys this fake ignores: the records it serves have no field to match."""

REQUIRED: dict[str, tuple[str, ...]] = {
    "tasks": ("startDate", "endDate"),
    "getdeletedtasks": ("startDate", "endDate"),
    "expenses": ("startDate", "endDate"),
    "gps": ("date",),
    "satisfactionsurveys": ("taskID",),
}


def missing_required(name: str, filters: Mapping[str, Any]) -> list[str]:
    return [key for key in REQUIRED.get(name, ()) if find_key(filters, key) is None]


def selector(
    name: str, filters: Mapping[str, Any], data: Mapping[str, Mapping[str, Record]]
) -> Predicate:
    """One predicate for every filter of a request to the list ``name``."""
    known = FILTERS.get(name, {})
    checks: list[Predicate] = []
    for key, value in filters.items():
        check = known.get(key.lower())
        if check is None or value is None or value in ("", []):
            continue
        checks.append(check(Context(key, filters, data), value))
    return lambda record: all(check(record) for check in checks)
