from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from sdkcore.redact import isolated_secrets

REPO = Path(__file__).resolve().parent.parent


def specs_root() -> Path:
    return Path(os.environ.get("PONTE_SPECS_DIR", REPO.parent / "shared" / "specs"))


def seeds_root() -> Path:
    return Path(os.environ.get("PONTE_SEEDS_DIR", REPO.parent / "shared" / "seeds"))


@pytest.fixture(scope="session")
def specs_dir() -> Path:
    root = specs_root()
    if not root.is_dir():
        pytest.skip(f"vendor specs not found at {root} (set PONTE_SPECS_DIR)")
    return root


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    root = seeds_root()
    if not root.is_dir():
        pytest.skip(f"seed documents not found at {root} (set PONTE_SEEDS_DIR)")
    return root


@pytest.fixture(autouse=True)
def _forget_registered_secrets() -> Iterator[None]:
    """Each test's credentials are masked during that test only: tests build tokens from
    arbitrary text ("aaaaaaaa", a field name), which would otherwise mask later tests' text."""
    with isolated_secrets():
        yield
