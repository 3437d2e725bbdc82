"""Every setting's value is checked when the settings are read: a wrong type, a duration
that is zero where zero makes no sense, negative, NaN, infinite or beyond ten years, a file
that is not UTF-8 or not TOML. Each is a ``ConfigError`` naming the setting (or the file),
and the CLI prints it as one line, never a traceback."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from bridge import BridgeConfig, ConfigError, load_config
from bridge.cli import main
from bridge.config import flat_setting_name
from bridge.erp.registry import erp_kinds

from .conftest import ANY_ERP, erp_table

BASE = erp_table()

# setting -> (the TOML the setting goes into, its section)
SETTINGS: dict[str, tuple[str, str | None]] = {
    "tenant": (BASE, None),
    "auvo.api_key": (BASE, "auvo"),
    "auvo.api_token": (BASE, "auvo"),
    "erp.kind": ("", "erp"),
    "erp.financial_account": (BASE, "erp"),
    "erp.payment_terms": (BASE, "erp"),
    "customers.direction": (BASE, "customers"),
    "tasks.enabled": (BASE, "tasks"),
    "tasks.status": (BASE, "tasks"),
    "tasks.task_types": (BASE, "tasks"),
    "tasks.customer_group": (BASE, "tasks"),
    "tasks.wide_every": (BASE, "tasks"),
    "tasks.wide_back": (BASE, "tasks"),
    "tasks.wide_ahead": (BASE, "tasks"),
    "quotations.enabled": (BASE, "quotations"),
    "quotations.status": (BASE, "quotations"),
    "catalog.enabled": (BASE, "catalog"),
    "schedule.poll_interval": (BASE, "schedule"),
    "schedule.initial_lookback": (BASE, "schedule"),
    "schedule.bookmark_lookback": (BASE, "schedule"),
    "schedule.lock_wait": (BASE, "schedule"),
}

# Each ERP's own settings (all text), in a file of that ERP.
ERP_SETTINGS = {
    f"erp.{key}": erp_table(kind.name)
    for kind in erp_kinds()
    for key in sorted(kind.settings.names())
}
SETTINGS.update({setting: (base, "erp") for setting, base in ERP_SETTINGS.items()})

DURATIONS = [s for s in SETTINGS if s.startswith(("schedule.", "tasks.wide"))]
TEXTS = [
    "tenant",
    "auvo.api_key",
    "auvo.api_token",
    *ERP_SETTINGS,
    "erp.financial_account",
    "tasks.customer_group",
    "quotations.status",
]
FLAGS = ["tasks.enabled", "quotations.enabled", "catalog.enabled"]
CHOICES = ["erp.kind", "customers.direction", "tasks.status"]

# Not a duration whatever the setting: (TOML value, what the message says)
BAD_DURATIONS = [
    ("-1", "negative"),
    ("-0.5", "negative"),
    ('"-5m"', "not a duration"),
    ("nan", "finite"),
    ("inf", "finite"),
    ("-inf", "finite"),
    ("1e300", "10 years"),
    ('"99999999999999999999d"', "10 years"),
    ('"3651d"', "10 years"),
    ("99999999999999999999", "10 years"),
    ("true", "duration"),
    ("[1]", "duration"),
    ("{ minutes = 5 }", "duration"),
    ("1979-05-27", "duration"),
]
# A value of another type, for each kind of setting
WRONG_TYPES: dict[str, list[str]] = {
    "text": ["1", "1.5", "true", '["a"]', "{ a = 1 }", "1979-05-27"],
    "flag": ['"yes"', '"true"', "1", "0", '["true"]'],
    "choice": ["1", "true", f'["{ANY_ERP}"]'],
    "tasks.task_types": ["1", "true", "[1, 2]", '["a", 1]', "{ a = 1 }", "[]", '[""]'],
    "erp.payment_terms": ["true", "1.5", "[30, 60]", "-30", '"99999"'],
}


def _toml(setting: str, value: str) -> str:
    base, section = SETTINGS[setting]
    key = setting.rsplit(".", 1)[-1]
    if section is None:
        return f"{key} = {value}\n{base}"
    if section == "erp" and "[erp]" in base:
        return base.replace("[erp]\n", f"[erp]\n{key} = {value}\n")
    return f"{base}[{section}]\n{key} = {value}\n"


def _refused(setting: str, value: str) -> ConfigError:
    with pytest.raises(ConfigError) as raised:
        BridgeConfig.from_toml(_toml(setting, value))
    assert raised.value.setting == setting, str(raised.value)
    assert str(raised.value).startswith(f"{setting}: ")
    return raised.value


def _cases() -> list[Any]:
    cases = []
    for setting in DURATIONS:
        cases += [pytest.param(setting, v, why, id=f"{setting}={v}") for v, why in BAD_DURATIONS]
    for setting in TEXTS:
        cases += [pytest.param(setting, v, "", id=f"{setting}={v}") for v in WRONG_TYPES["text"]]
    for setting in FLAGS:
        cases += [pytest.param(setting, v, "", id=f"{setting}={v}") for v in WRONG_TYPES["flag"]]
    for setting in CHOICES:
        cases += [pytest.param(setting, v, "", id=f"{setting}={v}") for v in WRONG_TYPES["choice"]]
    for setting in ("tasks.task_types", "erp.payment_terms"):
        cases += [pytest.param(setting, v, "", id=f"{setting}={v}") for v in WRONG_TYPES[setting]]
    cases += [
        pytest.param(s, '""', "empty", id=f"{s}=''")
        for s in ("tenant", "tasks.customer_group", "quotations.status")
    ]
    return cases


def test_the_table_covers_every_setting() -> None:
    covered = set(DURATIONS) | set(TEXTS) | set(FLAGS) | set(CHOICES)
    covered |= {"tasks.task_types", "erp.payment_terms"}
    assert covered == set(SETTINGS)


@pytest.mark.parametrize(("setting", "value", "why"), _cases())
def test_a_bad_value_names_its_setting(setting: str, value: str, why: str) -> None:
    error = _refused(setting, value)
    assert why in str(error)


@pytest.mark.parametrize("value", ["0", '"0s"', '"0m"', "0.0", '"0.5s"', '"500ms"'])
def test_poll_interval_of_less_than_a_second_is_refused(value: str) -> None:
    # Zero ran 310 passes in three seconds.
    assert "at least 1s" in str(_refused("schedule.poll_interval", value))


@pytest.mark.parametrize(
    ("setting", "value", "expected"),
    [
        ("schedule.poll_interval", '"1s"', timedelta(seconds=1)),
        ("schedule.poll_interval", '"3650d"', timedelta(days=3650)),
        ("schedule.lock_wait", "0", timedelta(0)),  # do not wait for a busy tenant
        ("schedule.bookmark_lookback", '"0s"', timedelta(0)),
        ("schedule.initial_lookback", "0", timedelta(0)),
        ("tasks.wide_every", "0", timedelta(0)),  # every pass is a wide one
        ("tasks.wide_back", '"0d"', timedelta(0)),
        ("tasks.wide_ahead", "0", timedelta(0)),
        ("schedule.initial_lookback", '"520w"', timedelta(weeks=520)),
    ],
)
def test_the_bounds_themselves_are_accepted(setting: str, value: str, expected: timedelta) -> None:
    config = BridgeConfig.from_toml(_toml(setting, value))
    attribute = setting.split(".", 1)[1]
    attribute = f"tasks_{attribute}" if setting.startswith("tasks.") else attribute
    assert getattr(config, attribute) == expected


def test_good_values_of_every_kind_still_load() -> None:
    config = BridgeConfig.from_toml(
        BASE
        + 'payment_terms = 30\n[tasks]\ntask_types = "Instalação"\ncustomer_group = "Contratos"\n'
    )
    assert config.tasks_task_types == ("Instalação",)
    assert config.terms.days == (30,)


@pytest.mark.parametrize(
    ("changes", "setting"),
    [
        ({"poll_interval": timedelta(0)}, "schedule.poll_interval"),
        ({"poll_interval": float("nan")}, "schedule.poll_interval"),
        ({"initial_lookback": timedelta(days=-1)}, "schedule.initial_lookback"),
        ({"bookmark_lookback": -5}, "schedule.bookmark_lookback"),
        ({"lock_wait": float("inf")}, "schedule.lock_wait"),
        ({"tasks_wide_back": timedelta.max}, "tasks.wide_back"),
        ({"tasks_wide_every": 10**30}, "tasks.wide_every"),
        ({"tenant": 5}, "tenant"),
        ({"tasks_enabled": "no"}, "tasks.enabled"),
        ({"quotations_enabled": 1}, "quotations.enabled"),
        ({"catalog_enabled": None}, "catalog.enabled"),
        ({"tasks_customer_group": ["Contratos"]}, "tasks.customer_group"),
        ({"quotations_status": 3}, "quotations.status"),
        ({"tasks_task_types": 3}, "tasks.task_types"),
        ({"financial_account": 7}, "erp.financial_account"),
        ({"payment_terms": "36500"}, "erp.payment_terms"),
        # each ERP's own settings, by their flat names (``<kind>_<setting>``), on that ERP
        *(
            (
                {
                    "erp": kind.name,
                    **kind.fake.demo_settings,
                    flat_setting_name(kind.name, key): 8765,
                },
                f"erp.{key}",
            )
            for kind in erp_kinds()
            for key in sorted(kind.settings.names())
        ),
    ],
)
def test_python_callers_get_the_same_checks(changes: dict[str, Any], setting: str) -> None:
    with pytest.raises(ConfigError) as raised:
        BridgeConfig(**({"erp": ANY_ERP} | changes))
    assert raised.value.setting == setting


# -- the file ---------------------------------------------------------------------------


def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bridge.toml"
    path.write_bytes(BASE.encode() + b'financial_account = "Caixa Econ\xf4mica"\n')
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.setting == str(path)
    assert "UTF-8" in str(raised.value)
    assert "line 3" in str(raised.value)


def test_invalid_toml_is_named_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text(BASE + "payment_terms = 30 60\n", encoding="utf-8")
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    assert raised.value.setting == str(path)
    assert "not valid TOML" in str(raised.value)
    assert "line 3" in str(raised.value)


def test_a_byte_order_mark_is_fine(tmp_path: Path) -> None:
    path = tmp_path / "bridge.toml"
    path.write_bytes("\ufeff".encode() + BASE.encode())
    assert load_config(path).erp == ANY_ERP


def test_a_directory_is_not_a_settings_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as raised:
        load_config(tmp_path)
    assert raised.value.setting == str(tmp_path)


@pytest.mark.parametrize(
    ("content", "setting"),
    [
        (BASE.encode() + b'financial_account = "Caixa Econ\xf4mica"\n', "{path}"),
        (BASE.encode() + b"payment_terms = 30 60\n", "{path}"),
        (BASE.encode() + b"[schedule]\npoll_interval = nan\n", "schedule.poll_interval"),
        (BASE.encode() + b"[schedule]\npoll_interval = 0\n", "schedule.poll_interval"),
        (BASE.encode() + b"[schedule]\nlock_wait = 1e400\n", "schedule.lock_wait"),
        (b"tenant = 1\n" + BASE.encode(), "tenant"),
        (BASE.encode() + b"[tasks]\ntask_types = 12\n", "tasks.task_types"),
        (BASE.encode() + b'[tasks]\nenabled = "no"\n', "tasks.enabled"),
    ],
)
@pytest.mark.parametrize("command", ["sync", "run", "status"])
def test_the_cli_prints_one_line_and_exits_non_zero(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    content: bytes,
    setting: str,
    command: str,
) -> None:
    path = tmp_path / "bridge.toml"
    path.write_bytes(content)
    code = main([command, "--config", str(path), "--store", str(tmp_path / "s.db")])
    err = capsys.readouterr().err
    assert code != 0
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {setting.format(path=path)}: ")
