"""The bridge on Conta Azul's documented API (``kind = "contaazul-pub"``): what only it does
(a product sale and a service sale per Auvo sale, a required financial account, its
tokens). Until issue 14 this kind was ``contaazul``: these tests moved with it."""

from __future__ import annotations

import itertools
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import bridge
from bridge import BridgeConfig, ConfigError, CredentialsRejected, SyncReport, load_config
from sdkcore.clock import FakeClock
from sdkcore.dates import format_local

from ..conftest import make_world
from ..test_loop import poll_on
from ..test_operations import only_error
from ..test_sync import sync

EXAMPLE = """
[auvo]
api_key = "env:AUVO_API_KEY"
api_token = "env:AUVO_API_TOKEN"

[erp]
kind = "contaazul-pub"
application_token = "env:CONTAAZUL_APPLICATION_TOKEN"
company_token = "literal-secret"
financial_account = "Caixinha"
payment_terms = "30 60 90"

[customers]
direction = "both"

[tasks]
enabled = true
status = "finished_manually"
task_types = ["Atendimento Técnico Ativo"]
customer_group = "Contratos"

[quotations]
enabled = false
status = "Aprovado"

[schedule]
poll_interval = "10m"
initial_lookback = "30d"
"""


def test_the_issue_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.erp == "contaazul-pub"
    assert config.customers_direction == "both"
    assert config.tasks_task_types == ("Atendimento Técnico Ativo",)
    assert config.poll_interval == timedelta(minutes=10)
    assert config.initial_lookback == timedelta(days=30)
    assert config.terms.days == (30, 60, 90)
    assert "literal-secret" not in repr(config)


def test_env_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    config = BridgeConfig.from_toml(EXAMPLE)
    assert config.auvo_api_key is not None
    monkeypatch.setenv("AUVO_API_KEY", "k-123")
    assert config.auvo_api_key.value() == "k-123"
    monkeypatch.delenv("AUVO_API_KEY")
    with pytest.raises(ConfigError, match="AUVO_API_KEY"):
        config.auvo_api_key.value("auvo.api_key")


def test_contaazul_splits_products_and_services(tmp_path: Path) -> None:
    world = make_world("contaazul-pub", tmp_path)
    sync(world)
    refs = set(world.sales())
    assert "task:500:products" in refs
    assert "task:500:services" in refs
    for deal in world.fake_erp.records("service_sale"):
        paid = sum(p.value for p in deal.payments)
        assert paid == deal.total  # to the cent, in Decimal


def test_unknown_financial_account_lists_names(tmp_path: Path) -> None:
    world = make_world("contaazul-pub", tmp_path)
    with pytest.raises(ConfigError, match="'BB', 'Caixinha'"):
        sync(world, financial_account="Cofre")


def test_contaazul_requires_a_financial_account() -> None:
    with pytest.raises(ConfigError, match="financial_account"):
        BridgeConfig(erp="contaazul-pub", financial_account=None)
    assert BridgeConfig(erp="bling").financial_account is None


def test_the_required_account_is_named_with_the_erp() -> None:
    with pytest.raises(ConfigError) as info:
        BridgeConfig.from_toml('[erp]\nkind = "contaazul-pub"')
    assert info.value.setting == "erp.financial_account"
    assert "Conta Azul" in str(info.value)


def test_credentials_revoked_mid_pass_stop_it_at_the_next_record(tmp_path: Path) -> None:
    world = make_world("contaazul-pub", tmp_path)

    def revoke(stream: Any) -> None:
        if stream.name == "tasks":
            world.fake_erp._company_tokens.clear()  # the company revoked the token

    with pytest.raises(CredentialsRejected) as raised:
        bridge.sync(
            world.config(),
            world.store,
            auvo=world.auvo.client(),
            erp=world.erp_client,
            progress=revoke,
        )
    assert raised.value.system == "contaazul-pub"
    assert "erp.application_token" in str(raised.value)
    only_error(world.store)
    assert [letter for letter in world.store.dead_letters("demo") if "Auth" in letter.reason] == []


# A loop test whose figures are Conta Azul's (a product sale apart).
def test_passes_start_one_interval_apart_and_pick_up_new_work(tmp_path: Path) -> None:
    clock = FakeClock(start=time.time())
    world = make_world("contaazul-pub", tmp_path, clock=clock)
    config = world.config(poll_interval=timedelta(minutes=10))
    starts: list[float] = []
    reports: list[SyncReport] = []

    def on_report(report: SyncReport) -> None:
        reports.append(report)
        starts.append(report.started_at.timestamp())
        if len(reports) == 1:  # a task finishes between the first and the second pass
            task = dict(world.auvo.data["tasks"]["500"], taskID=900)
            moment = datetime.fromtimestamp(clock.time() + 60, UTC)
            task["dateLastUpdate"] = format_local(moment, sep="T")
            world.auvo.add("tasks", task)

    passes = poll_on(world, config, clock, on_report=on_report, max_passes=3)
    assert passes == 3
    assert [b - a for a, b in itertools.pairwise(starts)] == [600.0, 600.0]
    assert reports[0].streams["tasks"].created == 3
    assert reports[1].streams["tasks"].created == 1
    assert world.sales()["task:900:products"] == 1
    assert reports[2].changed == 0
    # no wait after the last pass: the loop returns as soon as it is done
    assert clock.time() - starts[-1] < 600


def test_the_cli_names_the_setting_of_a_token_no_header_can_carry(tmp_path: Path) -> None:
    """A token no HTTP header can carry stops the CLI with one line naming its setting, never
    the token (the header is Conta Azul's, so the test moved here from the secrets review)."""
    typed = "pasted-company-token-1234\u00a0"
    config = tmp_path / "bridge.toml"
    config.write_text(
        '[auvo]\napi_key = "auvo-key-12345678"\napi_token = "auvo-token-12345678"\n'
        '[erp]\nkind = "contaazul-pub"\napplication_token = "app-token-12345678"\n'
        f'company_token = "{typed}"\nfinancial_account = "Caixa"\n',
        encoding="utf-8",
    )
    done = subprocess.run(
        [sys.executable, "-m", "bridge", "sync", "--config", str(config)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith("error: erp.company_token: the credential has a character")
    assert typed.strip() not in done.stdout + done.stderr
