"""The Bling side of the bridge: what only Bling does (one sales order per Auvo sale, its
OAuth app's settings, its token file and the fix a refusal names)."""

from __future__ import annotations

import json
import logging
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import bridge
import bridge.cli
import bridge.clients
from bridge import BridgeConfig, ConfigError, CredentialsRejected
from bridge.cli import main
from bridge.erp.bling import BlingSettings
from sdkcore.auth import FileTokenStore
from sdkcore.clock import FakeClock

from .. import test_config_values as config_values
from ..conftest import make_world
from ..test_operations import cli, only_error, write_settings
from ..test_sync import sync


def test_bling_one_order_with_reference(tmp_path: Path) -> None:
    world = make_world("bling", tmp_path)
    sync(world, payment_terms="30 60 90")
    orders = list(world.fake_erp.data["pedidos/vendas"].values())
    order = next(o for o in orders if o["numeroLoja"] == "task:500")
    assert len(order["itens"]) == 2
    assert len(order["parcelas"]) == 3
    total = sum(Decimal(str(p["valor"])) for p in order["parcelas"])
    items = sum(Decimal(str(i["quantidade"])) * Decimal(str(i["valor"])) for i in order["itens"])
    assert total == items + Decimal(str(order["outrasDespesas"]))


def test_settings_given_as_their_class_get_the_same_checks() -> None:
    with pytest.raises(ConfigError) as raised:
        BridgeConfig(erp="bling", erp_settings=BlingSettings(redirect_uri=8765))  # type: ignore[arg-type]
    assert raised.value.setting == "erp.redirect_uri"


def test_an_empty_token_file_is_refused() -> None:
    # The case test_config_values makes of every text setting that must not be empty.
    config_values.test_a_bad_value_names_its_setting("erp.token_file", '""', "empty")


@pytest.mark.parametrize("command", ["sync", "run", "status"])
def test_the_cli_prints_one_line_for_a_bad_redirect(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str
) -> None:
    content = b'[erp]\nkind = "bling"\nredirect_uri = 8765\n'
    config_values.test_the_cli_prints_one_line_and_exits_non_zero(
        tmp_path, capsys, content, "erp.redirect_uri", command
    )


def test_a_missing_bling_token_file_names_authorize(tmp_path: Path) -> None:
    world = make_world("bling", tmp_path)
    erp = world.fake_erp.client(
        oauth=world.fake_erp.oauth(), token_store=FileTokenStore(tmp_path / "none.json")
    )
    with pytest.raises(CredentialsRejected) as raised:
        bridge.sync(world.config(), world.store, auvo=world.auvo.client(), erp=erp)
    assert raised.value.system == "bling"
    assert "python -m bridge authorize" in str(raised.value)
    only_error(world.store)
    assert world.store.dead_letters("demo") == []


def test_the_cli_prints_one_line_and_exits_2_on_refused_credentials(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world("bling", tmp_path)
    settings = write_settings(tmp_path)
    no_tokens = world.fake_erp.client(
        oauth=world.fake_erp.oauth(), token_store=FileTokenStore(tmp_path / "none.json")
    )
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client())
    monkeypatch.setattr(bridge.clients, "erp_client", lambda config: no_tokens)
    assert main(cli(tmp_path, "sync")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("error: Bling")
    assert f"python -m bridge authorize --config {settings}" in lines[0]


@pytest.mark.parametrize(
    "content",
    ['{"access_tok', "[1, 2]", '{"refresh_token": "r"}', "null"],
    ids=["truncated", "a list", "no access token", "null"],
)
def test_an_unreadable_bling_token_file_stops_the_pass_naming_authorize(
    tmp_path: Path, content: str
) -> None:
    """Not one error per record and stream: the file is the credential, and `authorize`
    writes a good one."""
    world = make_world("bling", tmp_path)
    path = tmp_path / "tokens.json"
    path.write_text(content, encoding="utf-8")
    erp = world.fake_erp.client(oauth=world.fake_erp.oauth(), token_store=FileTokenStore(path))
    with pytest.raises(CredentialsRejected) as raised:
        bridge.sync(world.config(), world.store, auvo=world.auvo.client(), erp=erp)
    assert raised.value.system == "bling"
    assert "python -m bridge authorize" in str(raised.value)
    assert "tokens.json" in str(raised.value)
    saved = json.loads(world.store.last_run("demo") or "{}")
    assert saved["status"] == "credentials_rejected"
    assert all(not stream["errors"] for stream in saved["streams"].values())
    assert world.store.dead_letters("demo") == []


def test_the_cli_prints_one_line_for_a_corrupt_token_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    world = make_world("bling", tmp_path)
    settings = write_settings(tmp_path)
    path = tmp_path / "tokens.json"
    path.write_text('{"access_tok', encoding="utf-8")
    corrupt = world.fake_erp.client(oauth=world.fake_erp.oauth(), token_store=FileTokenStore(path))
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client())
    monkeypatch.setattr(bridge.clients, "erp_client", lambda config: corrupt)
    assert main(cli(tmp_path, "sync")) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert f"python -m bridge authorize --config {settings}" in lines[0]


def test_run_names_the_settings_file_in_the_fix(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`run` logs the command to type, as `sync` prints it: `--config <the file>`, not
    `--config your settings file`."""
    clock = FakeClock(start=time.time())
    world = make_world("bling", tmp_path, clock=clock)
    settings = write_settings(tmp_path)
    no_tokens = world.fake_erp.client(
        oauth=world.fake_erp.oauth(), token_store=FileTokenStore(tmp_path / "none.json")
    )
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client())
    monkeypatch.setattr(bridge.clients, "erp_client", lambda config: no_tokens)
    real_poll = bridge.cli.poll

    def one_pass(*args: Any, **kwargs: Any) -> int:
        return real_poll(*args, **kwargs, clock=clock, max_passes=1)

    monkeypatch.setattr(bridge.cli, "poll", one_pass)
    with caplog.at_level(logging.WARNING, logger="bridge"):
        assert main(cli(tmp_path, "run")) == 0
    (refused,) = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert f"python -m bridge authorize --config {settings}`" in refused
