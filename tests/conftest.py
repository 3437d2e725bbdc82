from __future__ import annotations

import os
from pathlib import Path

import pytest

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
