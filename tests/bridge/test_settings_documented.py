"""The settings page tells the truth: ``docs/bridge.md``'s Configuration example is a valid
settings file holding every table and key the bridge reads (each ERP's own keys named on the
page), and the three places that describe a dry run (the README, ``docs/bridge.md`` and the
CLI's help) say the same thing."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from bridge.config import SECTIONS, SHARED_ERP_KEYS, BridgeConfig
from bridge.erp.registry import erp_kind, erp_names

REPO = Path(__file__).resolve().parents[2]
PAGE = REPO / "docs" / "bridge.md"


def configuration() -> str:
    """The page's Configuration section."""
    text = PAGE.read_text(encoding="utf-8")
    start = text.index("## Configuration\n")
    return text[start : text.index("\n## ", start + 1)]


def example() -> dict[str, object]:
    """The settings file the Configuration section shows (its first ``toml`` block)."""
    block = re.search(r"```toml\n(.*?)```", configuration(), re.S)
    assert block, "the Configuration section shows no settings file"
    return tomllib.loads(block[1])


def test_the_example_is_a_valid_settings_file() -> None:
    BridgeConfig.from_mapping(example())


@pytest.mark.parametrize("table", sorted(SECTIONS))
def test_the_example_shows_every_table_and_its_keys(table: str) -> None:
    shown = example()
    assert table in shown, f"[{table}] is not in the Configuration example"
    section = shown[table]
    assert isinstance(section, dict)
    assert sorted(SECTIONS[table] - set(section)) == []


def test_the_example_shows_the_erp_keys_every_erp_has() -> None:
    erp = example()["erp"]
    assert isinstance(erp, dict)
    assert sorted(SHARED_ERP_KEYS - set(erp)) == []


@pytest.mark.parametrize("kind", erp_names())
def test_the_section_names_each_erps_own_keys(kind: str) -> None:
    """In the example (for the ERP it shows) or in the text (`` `key` ``)."""
    text = configuration()
    erp = example()["erp"]
    assert isinstance(erp, dict)
    keys = erp_kind(kind).settings.names()
    assert sorted(key for key in keys if key not in erp and f"`{key}`" not in text) == []


def _after(marker: str, text: str) -> str:
    """The words after ``marker`` to the end of its line and of the comment lines that follow
    it (a comment wrapped in a code block), spaces normalised."""
    lines = text.splitlines()
    at = next(n for n, line in enumerate(lines) if marker in line)
    words = [lines[at].split(marker, 1)[1]]
    for line in lines[at + 1 :]:
        if not line.lstrip().startswith("#"):
            break
        words.append(line.lstrip().removeprefix("#"))
    return " ".join(" ".join(words).strip(" :").split())


def _cli_help(command: str) -> str:
    """The help of ``--dry-run`` in ``python -m bridge <command> --help``, unwrapped."""
    shown = subprocess.run(
        [sys.executable, "-m", "bridge", command, "--help"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    option = re.search(r"--dry-run\s+(.*?)(?=\n\s*-|\Z)", shown, re.S)
    assert option, shown
    text = " ".join(option[1].split())
    return re.sub(r"\s*\(default: [^)]*\)$", "", text)  # argparse's own addition


def test_the_three_descriptions_of_a_dry_run_say_the_same() -> None:
    readme = _after("dry_run=True", (REPO / "README.md").read_text(encoding="utf-8"))
    page = _after("dry_run=True", PAGE.read_text(encoding="utf-8"))
    cli = {command: _cli_help(command) for command in ("sync", "retry-failed")}
    assert {readme, page, *cli.values()} == {readme}, (readme, page, cli)
