"""The coverage table of docs/contaazul-v2.md, rendered from the table of ``test_coverage``:
operation id | method and path | client method | what it returns (read from the method's
annotations). ``python -m tests.contaazul_v2.coverage_table`` prints it; paste it between
the page's ``<!-- coverage:start -->`` and ``<!-- coverage:end -->`` markers, where a test
checks it stays current.
"""

from __future__ import annotations

import inspect
import types
import typing
from collections.abc import Generator, Mapping
from typing import TYPE_CHECKING, Any

from contaazul.v2 import ContaAzul
from sdkcore.client import Call
from sdkcore.endpoints import paged
from sdkcore.paging import Page

from .spec_corrections import SPEC_FILES, load_spec, spec_operations

if TYPE_CHECKING:
    from .test_coverage import Covers

START = "<!-- coverage:start -->"
END = "<!-- coverage:end -->"
HEADER = "| Operation id | Method and path | Client method | Returns |\n|---|---|---|---|"


def render(
    spec_table: Mapping[tuple[str, str], Covers],
    portal_table: Mapping[tuple[str, str], Covers],
    specs: Mapping[str, dict[str, Any]],
) -> str:
    """The markdown table: the spec files' operations in the table's order, then the
    portal's. An operation both contract files describe shows both operation ids."""
    ids: dict[tuple[str, str], list[str]] = {}
    for spec in specs.values():
        for method, path, operation in spec_operations(spec):
            known = ids.setdefault((method, path), [])
            if operation["operationId"] not in known:
                known.append(operation["operationId"])
    rows = [HEADER]
    for (method, path), call in spec_table.items():
        operation_ids = " / ".join(f"`{name}`" for name in ids[(method, path)])
        rows.append(_row(operation_ids, method, path, call))
    for (method, path), call in portal_table.items():
        rows.append(_row(f"portal: {call.source}", method, path, call))
    return "\n".join(rows) + "\n"


def _row(operation_id: str, method: str, path: str, call: Covers) -> str:
    return f"| {operation_id} | `{method} {path}` | `{call.name}` | {returns(call)} |"


def returns(call: Covers) -> str:
    """What ``call``'s method gives back, from its builder's return annotation."""
    resource = _resource_class(call.resource)
    descriptor = inspect.getattr_static(resource, call.method)
    hint = typing.get_type_hints(descriptor.build)["return"]
    if isinstance(descriptor, paged):
        return f"pager of {_describe(_page_item(hint))}"
    return _describe(_result(hint))


def _resource_class(name: str) -> type[Any]:
    getter = inspect.getattr_static(ContaAzul, name).func  # a cached_property
    cls = typing.get_origin(typing.get_type_hints(getter)["return"])
    assert isinstance(cls, type), f"ContaAzul.{name} is not a resource"
    return cls


def _result(hint: Any) -> Any:
    """``X`` of ``Call[X]``, of a flow returning ``X``, or of either (``Step[X]``)."""
    origin = typing.get_origin(hint)
    if origin is Call:
        return typing.get_args(hint)[0]
    if origin is Generator:
        return typing.get_args(hint)[2]
    if origin in (typing.Union, types.UnionType):
        calls = [arg for arg in typing.get_args(hint) if typing.get_origin(arg) is Call]
        if calls:
            return _result(calls[0])
    raise TypeError(f"not a builder's return type: {hint!r}")


def _page_item(hint: Any) -> Any:
    """``X`` of a ``PageFetcher[X]`` (a function of the page number to ``Step[Page[X]]``)."""
    page = _result(typing.get_args(hint)[-1])
    assert typing.get_origin(page) is Page, f"not a page: {page!r}"
    return typing.get_args(page)[0]


def _describe(hint: Any) -> str:
    if hint is None or hint is type(None):
        return "`None`"
    origin = typing.get_origin(hint)
    if origin is list:
        return f"list of {_describe(typing.get_args(hint)[0])}"
    if origin in (typing.Union, types.UnionType):
        return " or ".join(_describe(arg) for arg in typing.get_args(hint))
    if isinstance(hint, type):
        return f"`{hint.__name__}`"
    raise TypeError(f"no description for {hint!r}")


def main() -> None:
    from .test_coverage import PORTAL, SPEC

    print(render(SPEC, PORTAL, {name: load_spec(name) for name in SPEC_FILES}), end="")


if __name__ == "__main__":
    main()
