"""Type-checks one file the way ``make typecheck`` does, for tests of what mypy infers."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def assert_mypy_strict_accepts(path: Path) -> None:
    """``mypy --strict`` with the project's settings finds nothing in ``path``.

    In a process of its own: mypy raises the interpreter's recursion limit for good, and
    other tests rely on the default one (a TOML file nested too deep must fail to parse)."""
    pytest.importorskip("mypy")
    checked = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--config-file",
            str(REPO / "pyproject.toml"),
            "--no-error-summary",
            str(path),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
