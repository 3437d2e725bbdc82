"""The wire-name rule the clients share.

A field's wire name is the camelCase of its Python name (``numero_documento`` ->
``numeroDocumento``) unless the field names its own with an alias; and callers may name
fields either way, so ``wire_names`` turns Python or wire names into the names sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel

from .errors import RequestValidationError

__all__ = ["camel_case", "field_wire_name", "wire_names"]


def camel_case(python_name: str) -> str:
    """``numero_documento`` -> ``numeroDocumento``; a name without ``_`` stays as it is.

    The alias generator of ``CamelModel``: it runs once per field when a model class is
    defined, never at validation, and builds no schema.
    """
    head, *rest = python_name.split("_")
    return head + "".join(word[:1].upper() + word[1:] for word in rest)


def field_wire_name(model: type[BaseModel], name: str) -> str:
    """The key a model's field is sent under."""
    info = model.model_fields[name]
    return info.serialization_alias or info.alias or name


def wire_names(
    model: type[BaseModel], names: Iterable[str], *, unknown: Literal["keep", "refuse"]
) -> list[str]:
    """Python or wire field names of ``model`` as the wire names it sends.

    A name that is neither is passed on as given (``unknown="keep"``, for APIs that take
    fields the model does not list) or refused with ``RequestValidationError`` naming the
    fields there are (``unknown="refuse"``).
    """
    fields = model.model_fields
    out: list[str] = []
    for name in names:
        if name in fields:
            out.append(field_wire_name(model, name))
            continue
        if unknown == "refuse":
            sent = {field_wire_name(model, field) for field in fields}
            if name not in sent:
                known = ", ".join(sorted(sent))
                raise RequestValidationError(
                    "fields", f"{model.__name__} has no field {name!r} ({known})"
                )
        out.append(name)
    return out
