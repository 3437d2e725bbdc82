"""The named filters of each list, mapped to Auvo's ``paramFilter`` keys (pure functions)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

from sdkcore import RequestValidationError
from sdkcore.query import comma_list

from ._calls import window_end, window_start
from .models import Webhook

WEBHOOK_ENTITIES = {
    "1": "user",
    "user": "user",
    "users": "user",
    "usuarios": "user",
    "usuario": "user",
    "4": "task",
    "task": "task",
    "tasks": "task",
    "tarefas": "task",
    "tarefa": "task",
    "7": "customer",
    "customer": "customer",
    "customers": "customer",
    "cliente": "customer",
    "clientes": "customer",
}
WEBHOOK_ACTIONS = {
    "1": "inclusao",
    "inclusao": "inclusao",
    "inclusão": "inclusao",
    "2": "alteracao",
    "alteracao": "alteracao",
    "alteração": "alteracao",
    "3": "exclusao",
    "exclusao": "exclusao",
    "exclusão": "exclusao",
}


def customer_filters(
    modified_since: datetime | None,
    group_id: int | None,
    external_ids: Iterable[str] | str | None,
    name: str | None,
    segment_id: int | None,
    active: bool | None,
    created_since: datetime | None,
) -> dict[str, Any]:
    return {
        "dateLastUpdate": modified_since,
        "groupId": group_id,
        "externalId": comma_list(external_ids),
        "description": name,
        "segmentId": segment_id,
        "active": active,
        "creationDate": created_since,
    }


def task_filters(
    status: int | None,
    task_type_id: int | None,
    customer_group_id: int | None,
    modified_since: datetime | None,
    customer_id: int | None,
    user_to_id: int | None,
    team_id: int | None,
    external_ids: Iterable[str] | str | None,
    keyword_ids: Iterable[int] | str | None,
) -> dict[str, Any]:
    return {
        "status": None if status is None else int(status),
        "type": task_type_id,
        "customerGroupId": customer_group_id,
        "dateLastUpdate": modified_since,
        "customerId": customer_id,
        "idUserTo": user_to_id,
        "teamId": team_id,
        "externalId": comma_list(external_ids),
        "tags": comma_list(keyword_ids),
    }


def task_range(start: datetime | date, end: datetime | date) -> tuple[datetime, datetime]:
    if start is None or end is None:
        raise RequestValidationError("start", "the task search needs start and end")
    first, last = window_start(start), window_end(end)
    if last < first:
        raise RequestValidationError("end", "must not be before start")
    return first, last


def user_filters(
    name: str | None, user_type: int | None, external_ids: Iterable[str] | str | None
) -> dict[str, Any]:
    return {"name": name, "userType": user_type, "externalId": comma_list(external_ids)}


def product_filters(
    name: str | None,
    external_id: str | None,
    category_id: int | None,
    active: bool | None,
    below_minimum_stock: bool | None,
) -> dict[str, Any]:
    return {
        "name": name,
        "externalId": external_id,
        "categoryId": category_id,
        "active": active,
        "lowerThanMinimumStock": below_minimum_stock,
    }


def service_filters(title: str | None, active: bool | None) -> dict[str, Any]:
    return {"title": title, "active": active}


def quotation_filters(
    requested_from: datetime | date | None,
    requested_to: datetime | date | None,
    customer_ids: Iterable[int] | None,
    user_ids: Iterable[int] | None,
    product_ids: Iterable[int] | None,
    stage: str | None,
) -> dict[str, Any]:
    return {
        "requestStartDate": None if requested_from is None else window_start(requested_from),
        "requestEndDate": None if requested_to is None else window_end(requested_to),
        "customersId": None if customer_ids is None else list(customer_ids),
        "usersId": None if user_ids is None else list(user_ids),
        "productsId": None if product_ids is None else list(product_ids),
        "CurrentStage": stage,
    }


def expense_filters(
    start: datetime | date, end: datetime | date, user_to_id: int | None, type_id: int | None
) -> dict[str, Any]:
    first, last = task_range(start, end)
    return {"startDate": first, "endDate": last, "userToId": user_to_id, "type": type_id}


def gps_filters(
    day: datetime | date, user_id: int | None, last_known_only: bool | None
) -> dict[str, Any]:
    return {"date": window_start(day), "userId": user_id, "getLastKnowPosition": last_known_only}


def survey_filters(task_ids: Iterable[int], email: str | None) -> dict[str, Any]:
    ids = list(task_ids)
    if not ids:
        raise RequestValidationError("task_ids", "give at least one task id")
    return {"taskID": ids, "email": email}


def equipment_filters(
    name: str | None,
    external_id: str | None,
    customer_id: int | None,
    category_id: int | None,
    identifier: str | None,
    active: bool | None,
) -> dict[str, Any]:
    return {
        "name": name,
        "externalId": external_id,
        "associatedCustomerId": customer_id,
        "categoryId": category_id,
        "identifier": identifier,
        "active": active,
    }


def ticket_filters(
    start: datetime | date | None, end: datetime | date | None, ids: Iterable[int] | None
) -> dict[str, Any]:
    return {
        "startDate": None if start is None else window_start(start),
        "endDate": None if end is None else window_end(end),
        "ids": comma_list(ids),
    }


def webhook_filters(entity: str | None, action: str | None, active: bool | None) -> dict[str, Any]:
    return {"entity": entity, "action": action, "active": active}


def _norm(table: dict[str, str], value: object) -> str:
    text = str(value).strip().lower()
    return table.get(text, text)


def same_hook(hook: Webhook, entity: str, action: str, target_url: str) -> bool:
    """Whether a registered hook already does what a registration asks for."""
    return (
        _norm(WEBHOOK_ENTITIES, hook.entity or "") == _norm(WEBHOOK_ENTITIES, entity)
        and _norm(WEBHOOK_ACTIONS, hook.action or "") == _norm(WEBHOOK_ACTIONS, action)
        and (hook.target_url or "").strip() == target_url.strip()
    )


def webhook_body(entity: str, action: str, target_url: str, active: bool) -> dict[str, Any]:
    for field, value in (("entity", entity), ("action", action), ("target_url", target_url)):
        if not value or not str(value).strip():
            raise RequestValidationError(field, "is required to register a webhook")
    if not target_url.startswith(("https://", "http://")):
        raise RequestValidationError("target_url", "must be an http(s) URL")
    return {"entity": entity, "action": action, "targetUrl": target_url, "active": active}
