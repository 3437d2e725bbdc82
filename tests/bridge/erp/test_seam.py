"""One seam per ERP: nothing outside ``bridge/erp/`` names an ERP, and every registered kind
is complete (its module, its record, its test driver).

The rule the name check applies: a kind is named by its ``name`` (``erp.kind``) or its
``title`` (as people write it), in any case and any spelling of the words (``ContaAzulERP``,
``conta_azul``, ``"Conta Azul"``, ``FakeBling``): the text is split into words (at case
changes, digits, underscores and other separators) and a kind's words may not appear in a
row. A word that merely contains a name (``doubling``) is no match. Code, strings, comments
and docstrings all count.

Where it applies: every module of ``bridge/`` outside ``bridge/erp/``; the bridge's tests
outside ``tests/bridge/erp/`` (where each ERP's own tests and its driver live); and
``bench/bridge.py`` with the fakes it serves (``bench/_remote_fakes.py``). Those read the
registry (``bridge.erp.registry``) instead. The registry's own module names each kind once,
by design: it is the one line per ERP.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bridge.erp.port import ErpKind, ErpSettings
from bridge.erp.registry import ERP_MODULES, erp_kind, erp_kinds, erp_names

from .drivers import DRIVERS

ROOT = Path(__file__).resolve().parents[3]
_WORD = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


def _forbidden() -> list[tuple[str, tuple[str, ...]]]:
    spellings = []
    for kind in erp_kinds():
        for text in (kind.name, kind.title):
            spellings.append((text, tuple(_words(text))))
    return spellings


def _names_in(text: str) -> set[str]:
    words = _words(text)
    found = set()
    for spelling, wanted in _forbidden():
        size = len(wanted)
        if any(tuple(words[i : i + size]) == wanted for i in range(len(words) - size + 1)):
            found.add(spelling)
    return found


def _checked_files() -> list[Path]:
    bridge = [p for p in (ROOT / "bridge").rglob("*.py") if p.parts[len(ROOT.parts) + 1] != "erp"]
    tests_root = ROOT / "tests" / "bridge"
    tests = [p for p in tests_root.rglob("*.py") if p.parts[len(tests_root.parts)] != "erp"]
    benches = [ROOT / "bench" / "bridge.py", ROOT / "bench" / "_remote_fakes.py"]
    return sorted(bridge + tests + benches)


def test_the_rule_splits_words_as_the_docstring_says() -> None:
    assert _words("ContaAzulERP conta_azul FakeBling doubling") == [
        *("conta", "azul", "erp", "conta", "azul", "fake", "bling", "doubling")
    ]


@pytest.mark.parametrize("path", _checked_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_outside_the_seam_names_an_erp(path: Path) -> None:
    assert _names_in(path.read_text(encoding="utf-8")) == set()


def test_the_check_would_find_a_name() -> None:
    for kind in erp_kinds():
        assert kind.title in _names_in(f"x = {kind.title!r}  # {kind.title}")
        assert kind.name in _names_in(f'if config.erp == "{kind.name}":')


@pytest.mark.parametrize("name", erp_names())
def test_every_kind_is_complete(name: str) -> None:
    kind = erp_kind(name)
    assert isinstance(kind, ErpKind)
    assert ERP_MODULES[name] == f"bridge.erp.{name}"
    assert issubclass(kind.settings, ErpSettings)
    assert kind.settings.names().isdisjoint({"kind", "financial_account", "payment_terms"})
    assert set(kind.customer_fields) <= {"name", "document", "email", "phone", "address"}
    assert name in DRIVERS, f"tests/bridge/erp/drivers.py has no driver for {name}"
