from __future__ import annotations

import json
from pathlib import Path

import pytest

from bridge import SQLiteStore
from bridge.cli import main
from bridge.erp.registry import erp_names

from .conftest import erp_table


@pytest.mark.parametrize("erp", erp_names())
def test_demo_json_prints_two_reports(erp: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--erp", erp, "--json"]) == 0
    first, second = json.loads(capsys.readouterr().out)
    for stream in ("catalog", "customers", "tasks", "quotations"):
        assert {"created", "updated", "linked", "skipped", "failed"} <= set(
            first["streams"][stream]
        )
    assert first["streams"]["tasks"]["created"] == 3
    assert all(s["created"] + s["updated"] + s["linked"] == 0 for s in second["streams"].values())


def test_demo_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo"]) == 0
    assert "second pass: nothing changed" in capsys.readouterr().out


def test_config_errors_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text('[erp]\nkind = "omie"\n', encoding="utf-8")
    assert main(["status", "--config", str(path), "--store", str(tmp_path / "s.db")]) == 2
    assert "erp.kind" in capsys.readouterr().err


def test_status_and_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text(erp_table(), encoding="utf-8")
    store = str(tmp_path / "s.db")
    SQLiteStore(store).close()  # status reads a store; it no longer makes an empty one
    assert main(["status", "--config", str(path), "--store", store, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["last_run"] is None
    assert main(["report", "--config", str(path), "--store", store]) == 1


def test_a_missing_settings_file_is_named_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nowhere.toml"
    assert main(["sync", "--config", str(missing)]) != 0
    assert str(missing) in capsys.readouterr().err
