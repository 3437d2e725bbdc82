"""The nine OpenAPI files of Conta Azul's api-v2, read once, and where they disagree with
the API, recorded once for every test that serves or checks them. Each correction says what
the file claims and why the API (or the file's own examples) says otherwise.

The files are read from ``$PONTE_SPECS_DIR/contaazul-api-v2`` (default ``../shared/specs``
beside the repository); they are never copied into the repository.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import yaml  # type: ignore[import-untyped, unused-ignore]

REPO = Path(__file__).resolve().parents[2]

SPEC_FILES = (
    "acquittance-openapi.yml",
    "charge-openapi.yml",
    "contracts-openapi.yml",
    "financial-openapi.yml",
    "inventory-openapi.yml",
    "proposal-openapi.yml",
    "protocol-openapi.yml",
    "sales-openapi.yml",
    "scheduled-sales-openapi.yml",
)

HTTP_METHODS = ("get", "put", "post", "delete", "patch")


def specs_dir() -> Path:
    root = os.environ.get("PONTE_SPECS_DIR")
    return (Path(root) if root else REPO.parent / "shared" / "specs") / "contaazul-api-v2"


class _TextDates(yaml.SafeLoader):  # type: ignore[misc, unused-ignore]
    """YAML without implicit timestamps: ``2024-01-01`` in an example stays the text the
    JSON body would carry, as it does for Prism, which reads the file as JSON Schema."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@functools.cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as stream:
        return yaml.load(stream, Loader=_TextDates)  # type: ignore[no-any-return]


def load_spec(name: str) -> dict[str, Any]:
    """The spec file ``name`` as the vendor wrote it (a fresh copy: callers may change it)."""
    return copy.deepcopy(_load(specs_dir() / name))


def spec_operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """``(METHOD, path, operation)`` for every operation of ``spec``."""
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield method.upper(), path, item[method]


# -- corrections --------------------------------------------------------------------------

Correction = Callable[[dict[str, Any]], None]

LOCAL_DATE_TIME = r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?$"
"""A date and time without an offset, as the São Paulo local times of the query."""


def local_date_time_queries(spec: dict[str, Any]) -> None:
    """Every ``date-time`` query parameter is described as "ISO 8601, São Paulo/GMT-3" and
    exemplified without an offset (``2026-01-01T23:59:59``), which is what the client sends;
    JSON Schema's ``date-time`` is RFC 3339 and demands an offset, so the files would refuse
    their own examples. The format becomes a pattern of a local date and time."""
    for method, path, operation in spec_operations(spec):
        for parameter in operation.get("parameters", []):
            schema = parameter.get("schema", {})
            if parameter.get("in") != "query" or schema.get("format") != "date-time":
                continue
            example = str(parameter.get("example", schema.get("example", "")))
            if not re.fullmatch(LOCAL_DATE_TIME, example):
                raise AssertionError(
                    f"{method} {path} {parameter['name']}: example {example!r} is not a local "
                    "date-time; the correction's premise no longer holds"
                )
            del schema["format"]
            schema["pattern"] = LOCAL_DATE_TIME


CORRECTIONS: dict[str, tuple[Correction, ...]] = {
    "financial-openapi.yml": (local_date_time_queries,),
    "sales-openapi.yml": (local_date_time_queries,),
}
"""Per spec file, the corrections applied in order to a copy of it (each says why)."""


def corrected_spec(name: str) -> dict[str, Any]:
    """The spec file ``name`` with its corrections applied, as Prism is given it."""
    spec = load_spec(name)
    for correct in CORRECTIONS.get(name, ()):
        correct(spec)
    return spec
