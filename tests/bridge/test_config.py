from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bridge import BridgeConfig, ConfigError, load_config

EXAMPLE = """
[auvo]
api_key = "env:AUVO_API_KEY"
api_token = "env:AUVO_API_TOKEN"

[erp]
kind = "contaazul"
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
    assert config.erp == "contaazul"
    assert config.customers_direction == "both"
    assert config.tasks_task_types == ("Atendimento Técnico Ativo",)
    assert config.poll_interval == timedelta(minutes=10)
    assert config.initial_lookback == timedelta(days=30)
    assert config.terms.days == (30, 60, 90)
    assert "literal-secret" not in repr(config)


def test_defaults() -> None:
    config = BridgeConfig(erp="bling")
    assert config.poll_interval == timedelta(minutes=10)
    assert config.initial_lookback == timedelta(days=30)
    assert config.terms.days == (0,)
    assert config.financial_account is None


@pytest.mark.parametrize(
    ("text", "setting", "allowed"),
    [
        ('[erp]\nkind = "omie"', "erp.kind", "contaazul, bling"),
        ('[erp]\nkind = "bling"\n[customers]\ndirection = "up"', "customers.direction", "both"),
        ('[erp]\nkind = "bling"\n[tasks]\nstatus = "done"', "tasks.status", "finished_manually"),
        (
            '[erp]\nkind = "bling"\n[schedule]\npoll_interval = "soon"',
            "schedule.poll_interval",
            "m",
        ),
        ('[erp]\nkind = "bling"\npayment_terms = "x"', "erp.payment_terms", "30 60 90"),
        ('[erp]\nkind = "contaazul"', "erp.financial_account", "Conta Azul"),
        ('[erp]\nkind = "bling"\ncolour = 1', "erp.colour", "financial_account"),
    ],
)
def test_errors_name_the_setting_and_allowed_values(text: str, setting: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        BridgeConfig.from_toml(text)
    assert info.value.setting == setting
    assert allowed in str(info.value)


def test_env_secrets(monkeypatch: pytest.MonkeyPatch) -> None:
    config = BridgeConfig.from_toml(EXAMPLE)
    assert config.auvo_api_key is not None
    monkeypatch.setenv("AUVO_API_KEY", "k-123")
    assert config.auvo_api_key.value() == "k-123"
    monkeypatch.delenv("AUVO_API_KEY")
    with pytest.raises(ConfigError, match="AUVO_API_KEY"):
        config.auvo_api_key.value("auvo.api_key")


def test_immutable() -> None:
    config = BridgeConfig(erp="bling")
    with pytest.raises(AttributeError):
        config.erp = "contaazul"  # type: ignore[misc]
