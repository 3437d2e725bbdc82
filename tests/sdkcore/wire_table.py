"""The wire names of every model of the three clients, as one JSON-ready table.

For each pydantic model with fields defined in ``contaazul``, ``bling`` or ``auvo``
(generic parametrisations aside), and each of its fields: the keys a parse accepts, in the order
pydantic tries them, and the key a serialisation writes.

``wire_names_before.json`` was written by this module from the commit before the alias
generator (``python tests/sdkcore/wire_table.py OUT.json`` run in a clean export of that
commit); ``test_wire_names.py`` holds today's models to it.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import sys
from pathlib import Path
from typing import Any

from pydantic import AliasChoices, AliasPath, BaseModel
from pydantic.fields import FieldInfo

CLIENTS = ("contaazul", "bling", "auvo")

WireKey = str | list[str | int]
Table = dict[str, dict[str, dict[str, Any]]]


def _import_all(package: str) -> None:
    root = importlib.import_module(package)
    for module in pkgutil.walk_packages(root.__path__, prefix=f"{package}."):
        if module.name.rsplit(".", 1)[-1] != "__main__":  # importing it would run the CLI
            importlib.import_module(module.name)


def _models() -> list[type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    pending: list[type[BaseModel]] = BaseModel.__subclasses__()
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        # contaazul.v2 came after the table was recorded; its fields are its wire names.
        is_ours = cls.__module__.split(".", 1)[0] in CLIENTS and ".v2" not in cls.__module__
        is_parametrised = cls.__pydantic_generic_metadata__["origin"] is not None
        if is_ours and not is_parametrised and cls.model_fields:  # field-less bases may move
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return [found[key] for key in sorted(found)]


def _key(choice: str | AliasPath) -> WireKey:
    return choice if isinstance(choice, str) else list(choice.path)


def _accepted(name: str, info: FieldInfo, by_name: bool) -> list[WireKey]:
    chosen = info.validation_alias
    if isinstance(chosen, AliasChoices):
        keys = [_key(choice) for choice in chosen.choices]
    elif chosen is not None:
        keys = [_key(chosen)]
    else:
        keys = [info.alias or name]
    if by_name and name not in keys:
        keys.append(name)
    return keys


def _by_name(model: type[BaseModel]) -> bool:
    config = model.model_config
    return bool(config.get("populate_by_name") or config.get("validate_by_name"))


def wire_table() -> Table:
    """``{"module.Model": {"field": {"accepts": [...], "sends": "..."}}}`` for every model."""
    for package in CLIENTS:
        _import_all(package)
    table: Table = {}
    for model in _models():
        by_name = _by_name(model)
        table[f"{model.__module__}.{model.__qualname__}"] = {
            name: {
                "accepts": _accepted(name, info, by_name),
                "sends": info.serialization_alias or info.alias or name,
            }
            for name, info in model.model_fields.items()
        }
    return table


def to_json(table: Table) -> str:
    """One model a line, so a diff names the model that changed."""
    lines = [
        f"{json.dumps(model)}: {json.dumps(fields, sort_keys=True, separators=(',', ':'))}"
        for model, fields in sorted(table.items())
    ]
    return "{\n" + ",\n".join(lines) + "\n}\n"


if __name__ == "__main__":
    sys.path.insert(0, str(Path.cwd()))  # the models of the tree we run in, not the installed ones
    Path(sys.argv[1]).write_text(to_json(wire_table()))
