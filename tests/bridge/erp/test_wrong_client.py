"""An ERP kind handed another ERP's client or settings says which class it wanted."""

from __future__ import annotations

import pytest

from bridge.adapters import CallCounter
from bridge.erp.port import ErpKind
from bridge.erp.registry import erp_kind, erp_names


def another_kind(name: str) -> ErpKind:
    """A registered ERP other than ``name`` (the test skips when there is none)."""
    others = [other for other in erp_names() if other != name]
    if not others:
        pytest.skip("only one ERP is registered: there is no other ERP's client to pass")
    return erp_kind(others[0])


@pytest.mark.parametrize("name", erp_names())
def test_another_erps_client_is_a_type_error_naming_the_wanted_class(name: str) -> None:
    kind = erp_kind(name)
    wrong = another_kind(name).fake.make(None, False).client()
    try:
        with pytest.raises(TypeError, match=rf"erp\.kind is {name}: pass a \w+\.\w+, not "):
            kind.adapter(wrong, CallCounter())
    finally:
        wrong.close()


@pytest.mark.parametrize("name", erp_names())
def test_another_erps_settings_are_a_type_error_naming_the_wanted_class(name: str) -> None:
    kind = erp_kind(name)
    wrong = another_kind(name).settings()
    with pytest.raises(TypeError, match=rf"erp\.kind is {name}: its settings are \w+, not "):
        kind.client(wrong)
