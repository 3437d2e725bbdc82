"""What the commerce resources (people, services, products, sales, quotations, contracts)
share beyond ``_finance_calls``: writes checked before sending, id batches, bodies of bytes.

Pure functions, no I/O: the resources build ``Call``s with them and the client sends.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pydantic import TypeAdapter

from sdkcore.client import Call, PerCall, parse_nothing, parse_with
from sdkcore.errors import RequestValidationError
from sdkcore.models import APIModel
from sdkcore.transport import Response
from sdkcore.write_checks import check_outgoing

from ._finance_calls import segment

M = TypeVar("M", bound=APIModel)
T = TypeVar("T")


def send_record(
    per_call: PerCall,
    method: str,
    path: str,
    request_model: type[M],
    record: M | dict[str, Any],
    parse: Callable[[Response], T],
    *,
    whole: bool,
) -> Call[T]:
    """``method path`` with ``record`` (a model or a dict) as the body, checked first: its
    documents, lengths and signs always, its required fields when the body is ``whole``
    (a create or a PUT). A partial body (a PATCH) sends only the fields set."""
    model = request_model.coerce(record)
    check_outgoing(model)
    body = model.to_wire(for_create=whole)
    return Call(per_call.request(method, path, json_body=body), parse)


def id_batch(ids: str | Sequence[str], field: str, *, most: int) -> list[str]:
    """``ids`` (one or several) as a batch call sends them: 1 to ``most``, each checked."""
    batch = [ids] if isinstance(ids, str) else list(ids)
    if not 1 <= len(batch) <= most:
        raise RequestValidationError(field, f"takes 1 to {most} ids, got {len(batch)}")
    return [segment(value, f"{field}[{index}]") for index, value in enumerate(batch)]


def comma_list(values: str | Sequence[object] | None) -> str | None:
    """A filter the API takes as one comma-separated value (``documentos=1,2``)."""
    if values is None or isinstance(values, str):
        return values
    return ",".join(str(value) for value in values)


def parse_bytes(response: Response) -> bytes:
    """The body as it came (a PDF)."""
    return response.content


_NUMBER: TypeAdapter[int | None] = TypeAdapter(int | None)

parse_number = parse_with(_NUMBER.validate_json)
"""A bare JSON integer (``4512645``), or ``None`` for ``null``."""


__all__ = ["comma_list", "id_batch", "parse_bytes", "parse_nothing", "parse_number", "send_record"]
