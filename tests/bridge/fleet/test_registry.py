"""``TenantRegistry`` on a real PostgreSQL: tenants added, read, paused, resumed and removed;
settings checked as a sync loads them, credentials kept as references only."""

from __future__ import annotations

import json
import tomllib
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given, strategies as st

from auvo import Auvo
from bridge.config import BridgeConfig
from bridge.erp.registry import erp_kind, erp_names
from bridge.errors import ConfigError
from bridge.fleet import (
    PostgresRateLimits,
    PostgresTokenStores,
    TenantExists,
    TenantRegistry,
    UnknownTenant,
    token_key,
)
from bridge.fleet.registry import without_comments
from bridge.starter import starter_settings
from bridge.store import Link
from bridge.store.postgres import PostgresStore
from bridge.store.schema import MIGRATIONS
from sdkcore.auth import TokenSet

from ..conftest import ANY_ERP
from .fleetdb import fresh_database, secret_settings, settings_toml

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = sorted((ROOT / "docs" / "examples" / "automations").glob("*.toml"))


def _reference(setting: str) -> str:
    return "env:ACME_" + setting.replace(".", "_").upper()


def _settings(erp: str = ANY_ERP, literal: str | None = None) -> str:
    """Tenant acme's settings on ``erp``: every credential a reference, but ``literal``
    (a setting's name) written out."""
    tables: dict[str, dict[str, object]] = {
        "auvo": {"api_key": _reference("auvo.api_key"), "api_token": _reference("auvo.api_token")},
        "erp": {
            "kind": erp,
            **erp_kind(erp).fake.demo_settings,
            **{name: _reference(f"erp.{name}") for name in secret_settings(erp)},
        },
        "customers": {"direction": "erp_to_auvo"},
        "schedule": {"poll_interval": "5m"},
    }
    if literal is not None:
        table, key = literal.split(".")
        tables[table][key] = "s3cr3t-value"
    return settings_toml(tables)


def _example_erp(example: Path) -> str:
    """The ERP an example automation works with (its systems are Auvo and that ERP)."""
    automations = tomllib.loads(example.read_text(encoding="utf-8"))["automations"]
    systems = {a[end]["system"] for a in automations for end in ("trigger", "action")}
    (erp,) = systems - {"auvo"}
    return str(erp)


@pytest.fixture
def registry(postgres_dsn: str) -> Iterator[TenantRegistry]:
    with fresh_database(postgres_dsn) as dsn:
        opened = TenantRegistry(dsn)
        yield opened
        opened.close()


def test_a_tenant_is_added_read_and_listed(registry: TenantRegistry) -> None:
    added = registry.add("acme", _settings())
    assert (added.name, added.config_text, added.paused) == ("acme", _settings(), False)
    assert added.added_at == added.updated_at
    assert registry.get("acme") == added
    registry.add("beta", _settings())
    assert [t.name for t in registry.list()] == ["acme", "beta"]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda path: path.stem)
def test_the_config_comes_back_as_a_sync_runs_it(registry: TenantRegistry, example: Path) -> None:
    """Settings with automations (each shipped example, on its ERP) come back whole."""
    erp = _example_erp(example)
    text = _settings(erp) + "\n" + example.read_text(encoding="utf-8")
    registry.add("acme", text)
    config = registry.config("acme")
    assert config == attrs.evolve(BridgeConfig.from_toml(text), tenant="acme")
    assert config.tenant == "acme"
    assert config.poll_interval.total_seconds() == 300
    assert config.automations
    for name in secret_settings(erp):
        assert getattr(config.erp_settings, name).raw == _reference(f"erp.{name}")


def test_a_file_naming_its_own_tenant_must_name_this_one(registry: TenantRegistry) -> None:
    registry.add("acme", 'tenant = "acme"\n' + _settings())
    assert registry.config("acme").tenant == "acme"
    with pytest.raises(ConfigError, match="names tenant 'acme', added as 'beta'") as error:
        registry.add("beta", 'tenant = "acme"\n' + _settings())
    assert error.value.setting == "tenant"


def test_a_name_is_taken_once(registry: TenantRegistry) -> None:
    registry.add("acme", _settings())
    registry.pause("acme")
    with pytest.raises(TenantExists, match="'acme' is already there"):
        registry.add("acme", _settings().replace('"5m"', '"1m"'))
    assert registry.config("acme").poll_interval.total_seconds() == 300
    replaced = registry.add("acme", _settings().replace('"5m"', '"1m"'), replace=True)
    assert registry.config("acme").poll_interval.total_seconds() == 60
    assert replaced.paused  # replacing the settings keeps the pause
    assert replaced.updated_at > replaced.added_at


@pytest.mark.parametrize("name", ["", "acme/erp", "-acme", "a b", "x" * 64, "ação"])
def test_a_name_that_cannot_go_into_ids_and_keys_is_refused(
    registry: TenantRegistry, name: str
) -> None:
    with pytest.raises(ConfigError, match="is not a tenant name") as error:
        registry.add(name, _settings())
    assert error.value.setting == "tenant"


def test_an_unknown_name_is_said_so(registry: TenantRegistry) -> None:
    for action in (
        registry.get,
        registry.config,
        registry.pause,
        registry.resume,
        registry.remove,
    ):
        with pytest.raises(UnknownTenant, match="no tenant is named 'ghost'"):
            action("ghost")


@pytest.mark.parametrize(
    ("change", "setting"),
    [
        (('poll_interval = "5m"', 'poll_interval = "0s"'), "schedule.poll_interval"),
        (('direction = "erp_to_auvo"', 'direction = "sideways"'), "customers.direction"),
        (("[erp]", '[erp]\ncolour = "blue"'), "erp.colour"),
        (("[schedule]", "[schedule\n"), "the settings of tenant acme"),
    ],
)
def test_settings_a_sync_would_refuse_are_refused_by_name(
    registry: TenantRegistry, change: tuple[str, str], setting: str
) -> None:
    with pytest.raises(ConfigError) as error:
        registry.add("acme", _settings().replace(*change))
    assert error.value.setting == setting
    assert registry.list() == []


@pytest.mark.parametrize(
    ("erp", "setting"),
    [
        (erp, setting)
        for erp in erp_names()
        for setting in (
            "auvo.api_key",
            "auvo.api_token",
            *(f"erp.{s}" for s in secret_settings(erp)),
        )
    ],
)
def test_a_credential_written_in_the_file_is_refused(
    registry: TenantRegistry, erp: str, setting: str
) -> None:
    with pytest.raises(ConfigError, match="env:NAME") as error:
        registry.add("acme", _settings(erp, literal=setting))
    assert error.value.setting == setting
    assert "s3cr3t-value" not in str(error.value)
    assert registry.list() == []


def _loaded_anyway(erp: str, setting: str) -> bool:
    """Whether a config of ``erp`` may carry ``setting`` of another ERP's (ignored): a kind
    that was renamed refuses the settings its name took before."""
    renamed = erp_kind(erp).renamed
    return setting not in secret_settings(erp) and not (renamed and setting in renamed.settings)


@pytest.mark.parametrize(
    ("erp", "setting"),
    sorted(
        {
            (erp, f"erp.{setting}")
            for erp in erp_names()
            for other in erp_names()
            for setting in secret_settings(other)
            if _loaded_anyway(erp, setting)
        }
    ),
)
@pytest.mark.parametrize("literal", ['"s3cr3t-value"', "31337"])
def test_another_erps_credential_written_in_the_file_is_refused(
    registry: TenantRegistry, erp: str, setting: str, literal: str
) -> None:
    """The loader lets another ERP's keys through (a file switched between ERPs keeps them),
    but the text is stored whole: a credential there is refused all the same."""
    key = setting.removeprefix("erp.")
    text = _settings(erp).replace("[erp]\n", f"[erp]\n{key} = {literal}\n")
    assert BridgeConfig.from_toml(text).erp == erp  # a sync would load it
    with pytest.raises(ConfigError, match="env:NAME") as error:
        registry.add("acme", text)
    assert error.value.setting == setting
    assert literal.strip('"') not in str(error.value)
    assert registry.list() == []


def test_comments_are_not_stored(registry: TenantRegistry) -> None:
    """The text is stored without its comments, where a credential may lie commented out;
    every line stays, so an error's line number is still the file's."""
    text = _settings().replace(
        "[customers]\n",
        '# api_key = "s3cr3t-value"\n[customers] # s3cr3t-value\n',
    )
    added = registry.add("acme", text)
    assert "s3cr3t-value" not in added.config_text
    assert "#" not in added.config_text
    assert added.config_text.count("\n") == text.count("\n")
    assert registry.config("acme") == attrs.evolve(BridgeConfig.from_toml(text), tenant="acme")


@pytest.mark.parametrize(
    "text",
    [starter_settings(), *(path.read_text(encoding="utf-8") for path in EXAMPLES)],
    ids=["init", *(path.stem for path in EXAMPLES)],
)
def test_removing_comments_keeps_the_shipped_files_values(text: str) -> None:
    stripped = without_comments(text)
    assert tomllib.loads(stripped) == tomllib.loads(text)
    assert not any(line.lstrip().startswith("#") for line in stripped.splitlines())
    assert stripped.count("\n") == text.count("\n")


_TEXT = st.text(alphabet="a #\"'\\\n=[]", max_size=12)


def _written(value: str, style: int) -> str:
    """``value`` as a TOML string of one of the four kinds (the result may not be TOML: the
    test keeps the documents that are)."""
    if style == 0:
        return json.dumps(value)
    if style == 1:
        return f"'{value}'"
    if style == 2:
        return '"""' + value.replace("\\", "\\\\").replace('"', '\\"') + '"""'
    return f"'''{value}'''"


@given(
    st.lists(
        st.tuples(_TEXT, st.integers(0, 3), st.booleans(), st.booleans()), min_size=1, max_size=6
    )
)
def test_removing_comments_keeps_every_value(
    entries: list[tuple[str, int, bool, bool]],
) -> None:
    lines: list[str] = []
    for number, (value, style, commented, in_array) in enumerate(entries):
        written = _written(value, style)
        comment = " #SECRET" if commented else ""
        if in_array:
            lines.append(f"k{number} = [ # SECRET\n  {written},{comment}\n] #SECRET")
        else:
            lines.append(f"k{number} = {written}{comment}")
        lines.append("# SECRET = 'x'")
    text = "\n".join(lines) + "\n"
    try:
        parsed = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        assume(False)
    stripped = without_comments(text)
    assert tomllib.loads(stripped) == parsed
    # What is left of "SECRET" is inside values (a multi-line string may hold the lines
    # after its opening quotes).
    assert stripped.count("SECRET") == _occurrences("SECRET", parsed)
    assert stripped.count("\n") == text.count("\n")


def _occurrences(word: str, value: object) -> int:
    if isinstance(value, str):
        return value.count(word)
    if isinstance(value, dict):
        return sum(_occurrences(word, item) for item in value.values())
    if isinstance(value, list):
        return sum(_occurrences(word, item) for item in value)
    return 0


def test_pause_and_resume(registry: TenantRegistry) -> None:
    registry.add("acme", _settings())
    paused = registry.pause("acme")
    assert paused.paused
    assert registry.get("acme").paused
    assert not registry.resume("acme").paused
    assert not registry.get("acme").paused


def test_remove_forgets_the_tenant_its_tokens_and_limits_but_not_its_syncs(
    registry: TenantRegistry,
) -> None:
    tokens, limits = PostgresTokenStores(registry.dsn), PostgresRateLimits(registry.dsn)
    store = PostgresStore(registry.dsn)
    try:
        for name in ("a_b", "axb"):  # '_' would match any letter in a LIKE pattern
            registry.add(name, _settings())
            tokens.for_key(token_key(name, ANY_ERP)).save(TokenSet(f"at-{name}", "rt"))
            with Auvo("key", "token") as client:
                limits.save(name, {"auvo": client})
        store.save_link("a_b", Link("customer", "1", "99"))
        registry.remove("a_b")
        assert [t.name for t in registry.list()] == ["axb"]
        assert tokens.for_key(token_key("a_b", ANY_ERP)).load() is None
        assert tokens.for_key(token_key("axb", ANY_ERP)).load() == TokenSet("at-axb", "rt")
        rows = store._run("SELECT tenant FROM rate_limits ORDER BY tenant")
        assert rows == [("axb",)]
        assert store.get_link("a_b", "customer", "1") == Link("customer", "1", "99")
        assert store.version == len(MIGRATIONS)
        registry.add("a_b", _settings())  # and it may come back
    finally:
        tokens.close()
        limits.close()
        store.close()
