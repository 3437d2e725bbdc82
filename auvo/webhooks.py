"""Reading what Auvo POSTs to a registered webhook."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError as PydanticValidationError

from sdkcore import SDKError
from sdkcore.bodies import loads_json

from .models import Customer, Task, User, WebhookEvent

ENTITY_MODELS: dict[str, type[Task] | type[Customer] | type[User]] = {
    "tarefas": Task,
    "tarefa": Task,
    "task": Task,
    "cliente": Customer,
    "clientes": Customer,
    "customer": Customer,
    "usuarios": User,
    "usuario": User,
    "user": User,
}


class WebhookParseError(SDKError, ValueError):
    """The body is not an Auvo webhook delivery."""


def parse_event(body: bytes | str) -> WebhookEvent:
    """A typed ``WebhookEvent`` from a delivery ``{"result": {"EntityType", "Action", ...}}``.

    ``entities`` become ``Task``, ``Customer`` or ``User`` by ``EntityType``; an entity type
    this SDK does not know keeps its entities as dicts. Anything else raises
    ``WebhookParseError`` saying what was wrong.
    """
    try:
        data = loads_json(body, exact=True)  # amounts read the digits of the body's numbers
    except (ValueError, TypeError) as exc:
        raise WebhookParseError(f"not an Auvo webhook: the body is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("result"), dict):
        raise WebhookParseError('not an Auvo webhook: expected {"result": {...}}')
    result: dict[str, Any] = data["result"]
    for key in ("EntityType", "Action"):
        if not any(k.lower() == key.lower() for k in result):
            raise WebhookParseError(f"not an Auvo webhook: the result has no {key}")
    entities: Any = next((v for k, v in result.items() if k.lower() == "entities"), [])
    if entities is None:
        entities = []
    if not isinstance(entities, list):
        raise WebhookParseError("not an Auvo webhook: Entities must be a list")
    entity_type = str(next(v for k, v in result.items() if k.lower() == "entitytype"))
    model = ENTITY_MODELS.get(entity_type.strip().lower())
    try:
        typed: list[Any] = [model.model_validate(e) if model else e for e in entities]
        fields = {k: v for k, v in result.items() if k.lower() != "entities"}
        event = WebhookEvent.model_validate(fields)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise WebhookParseError(f"not an Auvo webhook: {where}: {first['msg']}") from None
    # Already typed by EntityType: set as they are, not validated again against the union
    # (which would make an unknown type's dicts into Tasks).
    return event.model_copy(update={"entities": typed})
