"""Pure request builders for the Auvo API: each rule of the API lives here once.

Resources return what these build; ``sdkcore.endpoints`` sends it, sync or async.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from functools import cache
from typing import Any, Generic, TypeVar

import attrs

from sdkcore import SAO_PAULO, Call, Page, RequestValidationError
from sdkcore.client import PerCall, one_record, parse_nothing
from sdkcore.endpoints import Flow, PageFetcher, Step
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.paging import no_page
from sdkcore.transport import Response
from sdkcore.wire import field_wire_name, wire_names
from sdkcore.write_checks import check_field, check_outgoing

from ._envelope import (
    Upserted,
    entity_parser,
    optional_entity_parser,
    page_parser,
    upsert_parser,
)
from ._types import AuvoModel, json_value

M = TypeVar("M", bound=AuvoModel)
T = TypeVar("T")

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 100
DEFAULT_TASK_WINDOW = timedelta(days=7)
WINDOW_STRIDE = 1_000_000
"""``tasks.list`` page numbers are ``window * WINDOW_STRIDE + page``, so they resume too."""


@attrs.frozen
class Endpoint(Generic[M]):
    """One collection of the API: its path and its model."""

    path: str
    model: type[M]
    always_filter: bool = True  # several lists answer 400 without one; "{}" is harmless
    list_suffix: str = "/"  # the blueprint lists "/customers/" but "/serviceorders"

    @property
    def list_path(self) -> str:
        return self.path + self.list_suffix


record_id = PATH_SEGMENT_ID
"""Auvo's record ids are numbers, or GUIDs for services and service orders."""


# -- reading ------------------------------------------------------------------------------


def get_call(ep: Endpoint[M], id: int | str, per: PerCall) -> Call[M]:
    """A GET of one record; an answer with none of its fields is a ``ResponseParseError``."""
    path = f"{ep.path}/{record_id(id)}"
    return Call(per.request("GET", path), _record_parser(ep.model))


@cache
def _record_parser(model: type[M]) -> Callable[[Response], M]:
    return one_record(entity_parser(model))


def param_filter(filters: Mapping[str, Any], always: bool = False) -> str | None:
    """Auvo's ``paramFilter``: a JSON object in the query string, without the unset keys."""
    body = {k: json_value(v) for k, v in filters.items() if v is not None}
    if not body and not always:
        return None
    return json.dumps(body, ensure_ascii=False, separators=(",", ":"))


@attrs.frozen
class ListQuery:
    """The query of a list: ``paramFilter``, ``pageSize``, ``order`` and ``selectfields``."""

    filters: Mapping[str, Any]
    page_size: int = DEFAULT_PAGE_SIZE
    order: str = "asc"
    select_fields: str | None = None
    always_filter: bool = False

    def params(self, page: int) -> dict[str, Any]:
        params: dict[str, Any] = {
            "paramFilter": param_filter(self.filters, self.always_filter),
            "page": page,
            "pageSize": self.page_size,
            "order": self.order,
        }
        if self.select_fields is not None:
            params["selectfields"] = self.select_fields
        return params

    def with_filters(self, **changes: Any) -> ListQuery:
        return attrs.evolve(self, filters={**self.filters, **changes})


def list_query(
    ep: Endpoint[M],
    known: Mapping[str, Any],
    filters: Mapping[str, Any] | None,
    *,
    order: str = "asc",
    select_fields: Iterable[str] | None = None,
    page_size: int = DEFAULT_PAGE_SIZE,
    always_filter: bool | None = None,
) -> ListQuery:
    """Build a list query from a method's named filters (wire keys) and free ``filters``."""
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        raise RequestValidationError("page_size", f"must be between 1 and {MAX_PAGE_SIZE}")
    normalised_order = str(order).lower()
    if normalised_order not in ("asc", "desc", "0", "1"):
        raise RequestValidationError("order", "must be 'asc' or 'desc'")
    merged = dict(known)
    for key, value in (filters or {}).items():
        merged[wire_names(ep.model, [key], unknown="keep")[0]] = value
    fields = None
    if select_fields is not None:
        fields = ",".join(wire_names(ep.model, select_fields, unknown="keep"))
    always = ep.always_filter if always_filter is None else always_filter
    return ListQuery(merged, page_size, normalised_order, fields, always)


def page_call(ep: Endpoint[M], query: ListQuery, page: int, per: PerCall) -> Call[Page[M]]:
    options = per.request("GET", ep.list_path, params=query.params(page))
    return Call(options, page_parser(ep.model, page, query.page_size))


def unpaged_call(ep: Endpoint[M], query: ListQuery, per: PerCall) -> Call[Page[M]]:
    """A list Auvo answers all at once (customer groups): only ``paramFilter``."""
    params = {"paramFilter": param_filter(query.filters, query.always_filter)}
    options = per.request("GET", ep.list_path, params=params)
    return Call(options, page_parser(ep.model, 1, MAX_PAGE_SIZE))


def group_clients_call(group_id: int | str, per: PerCall) -> Call[Page[Any]]:
    from .models import Customer

    path = f"/customerGroups/{record_id(group_id, 'group_id')}/clients/"
    return Call(per.request("GET", path), page_parser(Customer, 1, MAX_PAGE_SIZE))


def team_users_endpoint(team_id: int | str) -> Endpoint[Any]:
    from .models import TeamUser

    return Endpoint(f"/teams/{record_id(team_id, 'team_id')}/users", TeamUser, always_filter=False)


def paged_calls(ep: Endpoint[M], query: ListQuery, per: PerCall) -> PageFetcher[M]:
    """Page ``n`` of a list is a ``page=n`` request of the same query."""

    def fetch(number: int) -> Call[Page[M]]:
        return page_call(ep, query, number, per)

    return fetch


def first_match(fetch: PageFetcher[T], match: Callable[[T], bool]) -> Flow[T | None]:
    """Walk a list page by page until an item matches (a flow: one request a page)."""
    number: int | None = 1
    while number is not None:
        step = fetch(number)
        page: Page[T] = (yield step) if isinstance(step, Call) else (yield from step)
        for item in page.items:
            if match(item):
                return item
        page.check()  # a misfit record may be the one sought: say so, never "not found"
        number = page.next_page
    return None


def only_page(page: Page[T] | None, number: int) -> Page[T]:
    """The one page of an unpaged list; any later page is empty."""
    if page is None or number != 1:
        return Page([], number=number, next_page=None, total=None)
    return attrs.evolve(page, number=1, next_page=None, total=len(page.items))


def single_page(call: Call[Page[T]]) -> PageFetcher[T]:
    """A list Auvo answers all at once: page 1 is the call, any later page is empty and
    sent nowhere."""

    def as_only_page(response: Response) -> Page[T]:
        return only_page(call.parse(response), 1)

    def fetch(number: int) -> Step[Page[T]]:
        return Call(call.options, as_only_page) if number == 1 else no_page(number)

    return fetch


# -- writing ------------------------------------------------------------------------------


def _body(ep: Endpoint[M], record: M | Mapping[str, Any], *, for_create: bool) -> dict[str, Any]:
    model = ep.model.coerce(dict(record) if isinstance(record, Mapping) else record)
    body = model.to_wire(for_create=for_create)
    check_outgoing(model)
    return body


def _id_keys(model: type[AuvoModel]) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*wire_names(model, ["id"], unknown="keep"), "id")))


def create_call(
    ep: Endpoint[M],
    record: M | Mapping[str, Any],
    per: PerCall,
    *,
    renames: Mapping[str, str] | None = None,
) -> Call[M]:
    """POST a new record; ids are the server's to give, so they are never sent."""
    renames = renames or {}
    try:
        body = _body(ep, record, for_create=True)
    except RequestValidationError as exc:  # name the field as the create sends it
        if exc.field not in renames:
            raise
        raise RequestValidationError(renames[exc.field], exc.reason) from None
    for key in _id_keys(ep.model):
        body.pop(key, None)
    for old, new in renames.items():
        if old in body:
            body[new] = body.pop(old)
    return Call(per.request("POST", ep.path + "/", json_body=body), entity_parser(ep.model))


def upsert_call(ep: Endpoint[M], record: M | Mapping[str, Any], per: PerCall) -> Call[Upserted[M]]:
    """PUT on the collection: Auvo updates the record with this ``id`` or ``externalId``,
    or creates it (answering 201)."""
    body = _body(ep, record, for_create=False)
    ident = None
    for key in _id_keys(ep.model):
        if key in body:
            ident = body.pop(key)
    if ident is not None:
        body["id"] = ident
    if body.get("id") is None and not body.get("externalId"):
        raise RequestValidationError(
            "id", "an upsert needs id or external_id to find the record to update"
        )
    return Call(per.request("PUT", ep.path + "/", json_body=body), upsert_parser(ep.model))


def json_patch(
    model: type[AuvoModel], changes: Mapping[str, Any] | Sequence[Mapping[str, Any]]
) -> list[dict[str, Any]]:
    """A JSON Patch document from ``{"field": value}`` (Python or wire names) or from ready
    operations. Auvo wants paths without the leading slash."""
    if isinstance(changes, Mapping):
        ops: list[dict[str, Any]] = [
            {"op": "replace", "path": name, "value": value} for name, value in changes.items()
        ]
    else:
        ops = [dict(op) for op in changes]
    if not ops:
        raise RequestValidationError("changes", "nothing to change")
    out = []
    for op in ops:
        path = str(op.get("path") or "").lstrip("/")
        if not path:
            raise RequestValidationError("changes", f"a patch operation needs a path: {op}")
        head, _, rest = path.partition("/")
        wire = wire_names(model, [head], unknown="keep")[0]
        path = wire + (f"/{rest}" if rest else "")
        operation = {"op": str(op.get("op") or "replace"), "path": path}
        if operation["op"] not in ("remove",):
            if not rest:
                _check_patched(model, wire, op.get("value"))
            operation["value"] = json_value(op.get("value"))
        for extra in ("from",):
            if extra in op:
                operation[extra] = str(op[extra]).lstrip("/")
        out.append(operation)
    return out


def _check_patched(model: type[AuvoModel], wire: str, value: Any) -> None:
    """A field a JSON Patch replaces is checked as a create would check it."""
    for name in model.model_fields:
        if field_wire_name(model, name) == wire:
            check_field(model.model_construct(), name, value, wire)


def patch_call(
    ep: Endpoint[M],
    id: int | str,
    changes: Mapping[str, Any] | Sequence[Mapping[str, Any]],
    per: PerCall,
) -> Call[M]:
    body = json_patch(ep.model, changes)
    path = f"{ep.path}/{record_id(id)}"
    return Call(per.request("PATCH", path, json_body=body), entity_parser(ep.model))


def delete_call(ep: Endpoint[Any], id: int | str, per: PerCall) -> Call[None]:
    return Call(per.request("DELETE", f"{ep.path}/{record_id(id)}"), parse_nothing)


def action_call(method: str, path: str, body: Any, model: type[M], per: PerCall) -> Call[M]:
    """Any other action: a sub-resource write, an attachment update, a webhook."""
    return Call(per.request(method, path, json_body=body), entity_parser(model))


def optional_action_call(
    method: str, path: str, body: Any, model: type[M], per: PerCall
) -> Call[M | None]:
    """An action Auvo may answer with 204 and no body, or with the entity."""
    return Call(per.request(method, path, json_body=body), optional_entity_parser(model))


def delete_items_call(path: str, ids: Iterable[str], field: str, per: PerCall) -> Call[None]:
    values = [record_id(v, field) for v in ids]
    if not values:
        raise RequestValidationError(field, "give at least one id to remove")
    return Call(per.request("DELETE", path, json_body=values), parse_nothing)


def attachments_body(attachments: Iterable[Any], remove_all_inserted_by_me: bool) -> dict[str, Any]:
    from .models import AttachmentUpload

    files = [AttachmentUpload.coerce(a).to_wire() for a in attachments]
    for index, item in enumerate(files):
        if not item.get("name") or "." not in str(item["name"]):
            raise RequestValidationError(
                f"attachments[{index}].name", "must name the file with its type (my_file.pdf)"
            )
        if not item.get("file"):
            raise RequestValidationError(f"attachments[{index}].file", "base64 content needed")
    return {"removeAllAttachmentsInsertedByMe": remove_all_inserted_by_me, "attachments": files}


def expense_attachment_body(attachment: str, delete_attachment: bool) -> dict[str, Any]:
    if not attachment:
        raise RequestValidationError("attachment", "base64 content needed")
    return {"deleteAttachment": delete_attachment, "attachment": attachment}


def employee_stock_body(user_id: int, product_id: int | str, amount: Any) -> dict[str, Any]:
    from sdkcore.money import parse_money

    try:
        quantity = parse_money(amount)
    except ValueError as exc:
        raise RequestValidationError("amount", str(exc)) from None
    return {"userId": user_id, "productId": product_id, "amount": json_value(quantity)}


def items_body(key: str, model: type[AuvoModel], items: Iterable[Any]) -> dict[str, Any]:
    """``{"taskProducts": [...]}`` and friends, decimals as strings, required ids checked."""
    out = []
    for index, item in enumerate(items):
        coerced = model.coerce(item)
        try:
            coerced.check_required()
            check_outgoing(coerced)
        except RequestValidationError as exc:
            raise RequestValidationError(f"{key}[{index}].{exc.field}", exc.reason) from None
        out.append(coerced.to_wire())
    if not out:
        raise RequestValidationError(key, "give at least one item")
    return {key: out}


# -- time windows for the task search -----------------------------------------------------


def window_start(value: datetime | date) -> datetime:
    """A window's first instant: a date means its midnight, in Brasília."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=SAO_PAULO)
        return moment.replace(microsecond=0)
    return datetime.combine(value, time(0, 0, 0), SAO_PAULO)


def window_end(value: datetime | date) -> datetime:
    """A window's last instant (inclusive): a date means its last second, in Brasília."""
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=SAO_PAULO)
        return moment.replace(microsecond=0)
    return datetime.combine(value, time(23, 59, 59), SAO_PAULO)


def split_window(
    start: datetime, end: datetime, step: timedelta
) -> list[tuple[datetime, datetime]]:
    """Cut ``[start, end]`` (both inclusive, whole seconds) into windows at most ``step`` long.

    Auvo's ``startDate``/``endDate`` filters include both ends, so windows never share a
    second: each runs to one second before the next begins and every task falls in one.
    """
    if end < start:
        raise RequestValidationError("end", "must not be before start")
    if step < timedelta(seconds=1):
        raise RequestValidationError("window", "must be at least one second")
    windows = []
    cursor = start
    while cursor <= end:
        last = min(cursor + step - timedelta(seconds=1), end)
        windows.append((cursor, last))
        cursor = last + timedelta(seconds=1)
    return windows


def window_filters(window: tuple[datetime, datetime]) -> dict[str, datetime]:
    return {"startDate": window[0], "endDate": window[1]}


def windowed_page(page: Page[M], window: int, windows: int, number: int) -> Page[M]:
    """Renumber a page of one window into the whole search's page numbers."""
    if page.next_page is not None:
        following: int | None = window * WINDOW_STRIDE + page.next_page
    elif window + 1 < windows:
        following = (window + 1) * WINDOW_STRIDE + 1
    else:
        following = None
    return attrs.evolve(page, number=number, next_page=following, total=None)


def split_page_number(number: int, windows: int) -> tuple[int, int]:
    window, page = divmod(number, WINDOW_STRIDE)
    if not 0 <= window < windows or page < 1:
        raise RequestValidationError("start", f"no page {number} in this search")
    return window, page


def windowed_call(
    ep: Endpoint[M],
    query: ListQuery,
    windows: Sequence[tuple[datetime, datetime]],
    number: int,
    per: PerCall,
) -> Call[Page[M]]:
    """The call for page ``number`` of a split search, answering with that page number."""
    window, page = split_page_number(number, len(windows))
    call = page_call(ep, query.with_filters(**window_filters(windows[window])), page, per)

    def parse(response: Response) -> Page[M]:
        return windowed_page(call.parse(response), window, len(windows), number)

    return Call(call.options, parse)


def windowed_calls(
    ep: Endpoint[M], query: ListQuery, windows: Sequence[tuple[datetime, datetime]], per: PerCall
) -> PageFetcher[M]:
    """The pages of a search split into ``windows``, numbered so they resume anywhere."""

    def fetch(number: int) -> Call[Page[M]]:
        return windowed_call(ep, query, windows, number, per)

    return fetch


__all__ = [
    "DEFAULT_PAGE_SIZE",
    "DEFAULT_TASK_WINDOW",
    "Endpoint",
    "ListQuery",
    "Upserted",
    "split_window",
]
