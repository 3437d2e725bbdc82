from __future__ import annotations

from datetime import timedelta

import pytest

from bridge import BridgeConfig, ConfigError
from bridge.config import flat_setting_name
from bridge.erp.registry import erp_kind, erp_names

from .conftest import ANY_ERP, erp_table


def test_defaults() -> None:
    config = BridgeConfig(erp=ANY_ERP)
    assert config.poll_interval == timedelta(minutes=10)
    assert config.initial_lookback == timedelta(days=30)
    assert config.terms.days == (0,)
    assert config.financial_account is None


@pytest.mark.parametrize(
    ("text", "setting", "allowed"),
    [
        ('[erp]\nkind = "omie"', "erp.kind", ", ".join(erp_names())),
        (erp_table() + '[customers]\ndirection = "up"', "customers.direction", "both"),
        (erp_table() + '[tasks]\nstatus = "done"', "tasks.status", "finished_manually"),
        (
            erp_table() + '[schedule]\npoll_interval = "soon"',
            "schedule.poll_interval",
            "m",
        ),
        (erp_table() + 'payment_terms = "x"', "erp.payment_terms", "30 60 90"),
        (erp_table() + "colour = 1", "erp.colour", "financial_account"),
    ],
)
def test_errors_name_the_setting_and_allowed_values(text: str, setting: str, allowed: str) -> None:
    with pytest.raises(ConfigError) as info:
        BridgeConfig.from_toml(text)
    assert info.value.setting == setting
    assert allowed in str(info.value)


def test_immutable() -> None:
    config = BridgeConfig(erp=ANY_ERP)
    with pytest.raises(AttributeError):
        config.erp = "another"  # type: ignore[misc]


def _flat_values(name: str) -> dict[str, object]:
    """A value for each of the kind's own settings, under its flat name ``<kind>_<setting>``:
    its default, or an ``env:`` reference where it has none (every one is text)."""
    defaults = erp_kind(name).settings()
    return {
        flat_setting_name(name, key): getattr(defaults, key) or f"env:PONTE_{key.upper()}"
        for key in sorted(erp_kind(name).settings.names())
    }


@pytest.mark.parametrize("name", erp_names())
def test_an_erp_setting_is_given_and_read_by_its_flat_name(name: str) -> None:
    """The names ``BridgeConfig`` had before ``erp_settings`` (``<kind>_<setting>``) still
    work: given, they fill ``erp_settings``; read, they give its values."""
    kind = erp_kind(name)
    flat = _flat_values(name)
    config = BridgeConfig(erp=name, **kind.fake.demo_settings, **flat)
    prefix = flat_setting_name(name, "")
    expected = kind.settings(**{key.removeprefix(prefix): v for key, v in flat.items()})
    assert config.erp_settings == expected
    for key in kind.settings.names():
        assert getattr(config, flat_setting_name(name, key)) == getattr(expected, key)


@pytest.mark.parametrize("name", erp_names())
def test_a_flat_setting_with_erp_settings_too_is_refused(name: str) -> None:
    kind = erp_kind(name)
    field, value = next(iter(_flat_values(name).items()))
    with pytest.raises(ConfigError) as raised:
        BridgeConfig(
            erp=name, erp_settings=kind.settings(), **kind.fake.demo_settings, **{field: value}
        )
    assert raised.value.setting == field


@pytest.mark.parametrize(
    ("name", "other"), [(a, b) for a in erp_names() for b in erp_names() if a != b]
)
def test_another_erps_flat_setting_is_refused_and_not_read(name: str, other: str) -> None:
    field, value = next(iter(_flat_values(other).items()))
    demo = erp_kind(name).fake.demo_settings
    with pytest.raises(ConfigError) as raised:
        BridgeConfig(erp=name, **demo, **{field: value})
    assert raised.value.setting == field
    assert other in str(raised.value)
    config = BridgeConfig(erp=name, **demo)
    with pytest.raises(AttributeError, match=field):
        getattr(config, field)
    with pytest.raises(AttributeError, match="no attribute"):
        getattr(config, flat_setting_name(name, "no_such_setting"))
