"""Auvo's response envelopes (``{"result": ...}``) and the rule that says when paging stops."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Generic, NamedTuple, TypeVar

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from sdkcore import Page, RecordParseError, ResponseParseError
from sdkcore.bodies import exact_json, json_reader
from sdkcore.client import find_request_id, parse_with, salvage_records
from sdkcore.errors import redacted_excerpt
from sdkcore.redact import redact_text, redact_url
from sdkcore.transport import Response

from .models import Link, PageInfo

M = TypeVar("M", bound=BaseModel)


class Upserted(NamedTuple, Generic[M]):
    """What an upsert returns: the record and whether Auvo created it (201) or updated it."""

    record: M
    created: bool


class _One(BaseModel, Generic[M]):
    model_config = ConfigDict(extra="ignore")

    result: M | None = None


class _ListBody(BaseModel, Generic[M]):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    entity_list: list[M] | None = Field(None, alias="entityList")
    paging: PageInfo | None = Field(
        None, validation_alias=AliasChoices("pagedSearchReturnData", "pageInformation")
    )
    links: list[Link] | None = None


class _ListEnvelope(BaseModel, Generic[M]):
    model_config = ConfigDict(extra="ignore")

    # Left to right: a "smart" union weighs both shapes and costs a 100-task page ~10% more.
    result: _ListBody[M] | list[M] | None = Field(None, union_mode="left_to_right")


@cache
def _one(model: type[M]) -> type[_One[M]]:
    return _One[model]  # type: ignore[valid-type]


@cache
def _many(model: type[M]) -> type[_ListEnvelope[M]]:
    return _ListEnvelope[model]  # type: ignore[valid-type]


@cache
def _parse_one(model: type[M]) -> Callable[[Response], _One[M]]:
    return parse_with(json_reader(_one(model)))


@cache
def _parse_bare(model: type[M]) -> Callable[[Response], M]:
    return parse_with(json_reader(model))


@cache
def _parse_many(model: type[M]) -> Callable[[Response], _ListEnvelope[M]]:
    return parse_with(json_reader(_many(model)))


def read_entity(model: type[M], response: Response) -> M:
    """The entity in ``{"result": {...}}`` (or a bare entity, which Auvo sometimes sends)."""
    envelope: _One[M] = _parse_one(model)(response)
    if envelope.result is not None:
        return envelope.result
    entity: M = _parse_bare(model)(response)
    return entity


def entity_parser(model: type[M]) -> Callable[[Response], M]:
    def parse(response: Response) -> M:
        return read_entity(model, response)

    return parse


def optional_entity_parser(model: type[M]) -> Callable[[Response], M | None]:
    """For answers that may be empty (204) or carry the entity."""

    def parse(response: Response) -> M | None:
        if not response.content.strip():
            return None
        return read_entity(model, response)

    return parse


def upsert_parser(model: type[M]) -> Callable[[Response], Upserted[M]]:
    def parse(response: Response) -> Upserted[M]:
        return Upserted(read_entity(model, response), response.status_code == 201)

    return parse


def next_page(
    number: int,
    requested_size: int,
    count: int,
    paging: PageInfo | None,
    links: Sequence[Link] | None,
) -> int | None:
    """The next page number, or None when any signal says this was the last page.

    Signals: an empty or short page; a ``links`` list without ``nextPage``; ``totalItems``
    reached. ``totalItems = 0`` on a page with data means "unknown" (``/taskTypes`` does it).
    """
    size = paging.page_size if paging is not None and paging.page_size else requested_size
    if count == 0 or count < size:
        return None
    if links is not None and not any((link.rel or "").lower() == "nextpage" for link in links):
        return None
    total = paging.total_items if paging is not None else None
    if total and number * size >= total:
        return None
    return number + 1


# Where Auvo puts a record's id: most entities say "id", live tasks "taskID", users "userID".
RECORD_ID_KEYS = ("id", "taskID", "taskId", "userID", "userId")

_RAW_LIST: type[_ListEnvelope[Any]] = _ListEnvelope[Any]
# No target, so every body is looked at: the records are Any here, and the salvage writes
# them back out for the model, whose amounts want the numbers' digits.
_parse_raw_list = parse_with(exact_json(_RAW_LIST.model_validate_json, _RAW_LIST.model_validate))


def read_page(model: type[M], response: Response, number: int, page_size: int) -> Page[M]:
    """One page of a list answer: ``entityList`` with ``pagedSearchReturnData`` and ``links``.

    A record that does not fit ``model`` goes to ``Page.invalid`` and the others are kept;
    the paging signals still count it, so no page after it is skipped.

    An answer that is not a page (an empty body, no ``result``, a ``result`` without
    ``entityList``) raises ``ResponseParseError``: read as "no records, last page", it
    would end the listing and let a caller move its bookmark past records never read.
    """
    invalid: tuple[RecordParseError, ...] = ()
    try:
        envelope: _ListEnvelope[Any] = _parse_many(model)(response)
    except ResponseParseError as error:
        envelope, invalid = _salvage(model, response, number, error)
    body = envelope.result
    if body is None or (isinstance(body, _ListBody) and "entity_list" not in body.model_fields_set):
        raise not_a_page(response)
    if isinstance(body, list):
        count = len(body) + len(invalid)
        following = next_page(number, page_size, count, None, None)
        return Page(body, number, following, invalid=invalid)
    items = body.entity_list or []
    total = body.paging.total_items if body.paging is not None else None
    count = len(items) + len(invalid)
    following = next_page(number, page_size, count, body.paging, body.links)
    return Page(items, number=number, next_page=following, total=total or None, invalid=invalid)


def not_a_page(response: Response) -> ResponseParseError:
    what = "has no result" if b'"result"' not in response.content else "has no entityList"
    return ResponseParseError(
        f"the answer to a list is not a page: it {what}",
        status_code=response.status_code,
        method=response.request.method,
        url=redact_url(str(response.request.url)),
        body=redacted_excerpt(response.content, redact_text),
        request_id=find_request_id(response),
    )


def _salvage(
    model: type[M], response: Response, number: int, error: ResponseParseError
) -> tuple[_ListEnvelope[Any], tuple[RecordParseError, ...]]:
    """The page with its records read one by one, when the whole page did not fit: the
    records that fit stay, the others become ``RecordParseError``s. A page whose envelope
    itself does not fit raises the original error."""
    try:
        envelope = _parse_raw_list(response)
    except ResponseParseError:
        raise error from None
    body = envelope.result
    records = body if isinstance(body, list) else body.entity_list if body else None
    if not records:
        raise error
    fitting, misfits = salvage_records(
        response, records, json_reader(model), number, RECORD_ID_KEYS
    )
    if not misfits:
        raise error  # every record fits alone: what failed is not a record
    if isinstance(body, list):
        envelope.result = fitting
    elif body is not None:
        body.entity_list = fitting
    return envelope, misfits


def page_parser(model: type[M], number: int, page_size: int) -> Callable[[Response], Page[M]]:
    def parse(response: Response) -> Page[M]:
        return read_page(model, response, number, page_size)

    return parse
