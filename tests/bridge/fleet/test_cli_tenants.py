"""``python -m bridge tenants ...`` on a real PostgreSQL: each command's output and exit
status, an ``error:`` line (never a traceback) for what a person can fix, and no credential
printed, ever."""

from __future__ import annotations

import json
import socket
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from bridge.cli import main
from bridge.erp.registry import erp_kind
from bridge.fleet import PostgresTokenStores, TenantRegistry, token_key
from sdkcore.auth import FileTokenStore, TokenSet

from .fleetdb import OAUTH_ERPS, fresh_database, secret_settings, settings_toml

ERP = OAUTH_ERPS[0]
"""An ERP authorised with OAuth, whose tokens ``tenants add`` moves into the store."""

SYNC = "with Temporal, run `python -m bridge schedules sync` to"


def _reference(setting: str) -> str:
    return "env:ACME_" + setting.replace(".", "_").upper()


@pytest.fixture
def dsn(postgres_dsn: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.delenv("PONTE_STORE", raising=False)
    with fresh_database(postgres_dsn) as fresh:
        yield fresh


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    """Tenant acme's settings: every credential a reference, the token file in tmp_path."""
    erp = {name: _reference(f"erp.{name}") for name in secret_settings(ERP)}
    tables: dict[str, dict[str, object]] = {
        "auvo": {"api_key": _reference("auvo.api_key"), "api_token": _reference("auvo.api_token")},
        "erp": {
            "kind": ERP,
            **erp_kind(ERP).fake.demo_settings,
            **erp,
            "token_file": str(tmp_path / "tokens.json"),
        },
    }
    path = tmp_path / "acme.toml"
    path.write_text(settings_toml(tables), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["tenants", *argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def test_add_list_pause_resume_remove(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    assert status == 0
    assert out.splitlines()[0] == f"added tenant acme: active, erp {ERP}, every 600s"
    assert "tokens: none yet; run `python -m bridge authorize --config" in out
    assert out.splitlines()[-1] == f"{SYNC} schedule its passes"
    assert _run(capsys, "add", "beta", "--config", str(settings), "--store", dsn)[0] == 0
    assert _run(capsys, "pause", "beta", "--store", dsn)[1].splitlines() == [
        "tenant beta is paused (tenants resume beta runs it again)",
        f"its passes are skipped from now on; {SYNC} pause its schedule too",
    ]
    status, out, _ = _run(capsys, "list", "--store", dsn)
    assert (status, out.splitlines()) == (
        0,
        [f"acme  active, erp {ERP}, every 600s", f"beta  paused, erp {ERP}, every 600s"],
    )
    status, out, _ = _run(capsys, "list", "--json", "--store", dsn)
    assert [(t["name"], t["status"], t["erp"]) for t in json.loads(out)] == [
        ("acme", "active", ERP),
        ("beta", "paused", ERP),
    ]
    assert _run(capsys, "resume", "beta", "--store", dsn)[1].splitlines() == [
        "tenant beta is active",
        f"{SYNC} resume its schedule: until then no scheduled pass starts",
    ]
    status, out, _ = _run(capsys, "remove", "beta", "--store", dsn)
    assert (status, out.startswith("removed tenant beta")) == (0, True)
    assert out.splitlines()[-1] == f"its passes are skipped from now on; {SYNC} delete its schedule"
    assert [t.name for t in TenantRegistry(dsn).list()] == ["acme"]


def test_the_store_may_come_from_the_environment(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PONTE_STORE", dsn)
    assert _run(capsys, "add", "acme", "--config", str(settings))[0] == 0
    assert _run(capsys, "list")[1].startswith("acme  active")


def test_show_gives_references_and_never_a_credential(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = ["auvo.api_key", "auvo.api_token", *(f"erp.{s}" for s in secret_settings(ERP))]
    set_here = credentials[::2]  # every other one is set in this environment
    for setting in set_here:
        monkeypatch.setenv(_reference(setting).removeprefix("env:"), f"value-of-{setting}")
    _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    tokens = PostgresTokenStores(dsn)
    tokens.for_key(token_key("acme", ERP)).save(
        TokenSet("access-token-value", "refresh-token-value", expires_at=4_000_000_000.0)
    )
    tokens.close()
    status, out, _ = _run(capsys, "show", "acme", "--store", dsn)
    assert status == 0
    for setting in credentials:
        where = "set" if setting in set_here else "not set"
        assert f"{setting} = {_reference(setting)} ({where} in this environment)" in out
    assert f"{ERP} tokens: stored, the access token expires at 2096-10-02T07:06:40+00:00" in out
    status, shown, _ = _run(capsys, "show", "acme", "--json", "--store", dsn)
    data = json.loads(shown)
    assert data["credentials"] == {
        setting: {"reference": _reference(setting), "set_here": setting in set_here}
        for setting in credentials
    }
    assert data["erp_tokens"] == {
        "stored": True,
        "access_token_expires_at": "2096-10-02T07:06:40+00:00",
    }
    for secret in ("value-of-", "access-token-value", "refresh-token-value"):
        assert secret not in out + shown


def test_add_moves_the_tokens_authorize_saved_into_the_store(
    dsn: str, settings: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    authorized = TokenSet("at-1", "rt-1", expires_at=time.time() + 3600)
    FileTokenStore(tmp_path / "tokens.json").save(authorized)
    status, out, _ = _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    assert status == 0
    assert f"tokens: moved from {tmp_path / 'tokens.json'} into the store" in out
    stored = PostgresTokenStores(dsn).for_key(token_key("acme", ERP))
    assert stored.load() == authorized
    # The fleet rotates them; the file's pair is spent: replacing the settings keeps the
    # store's.
    rotated = TokenSet("at-2", "rt-2", expires_at=time.time() + 3600)
    stored.save(rotated)
    status, out, _ = _run(
        capsys, "add", "acme", "--config", str(settings), "--replace", "--store", dsn
    )
    assert status == 0
    assert out.splitlines() == [
        f"replaced the settings of tenant acme: active, erp {ERP}, every 600s",
        f"tokens: the store's {ERP} tokens are kept",
        f"its next pass runs these settings; {SYNC} apply its poll_interval",
    ]
    assert stored.load() == rotated


def test_replace_on_a_new_name_says_added(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ("add", "acme", "--config", str(settings), "--replace", "--store", dsn)
    status, out, _ = _run(capsys, *argv)
    assert status == 0
    assert out.splitlines()[0] == f"added tenant acme: active, erp {ERP}, every 600s"
    assert out.splitlines()[-1] == f"{SYNC} schedule its passes"


def test_a_tenant_whose_settings_no_longer_load_is_shown_with_the_reason(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Settings a release checks more strictly than the one that added them: that tenant's
    row says why, the others are listed, and the status is 1."""
    for name in ("acme", "beta", "gamma"):
        _run(capsys, "add", name, "--config", str(settings), "--store", dsn)
    _run(capsys, "pause", "beta", "--store", dsn)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(
            "UPDATE tenants SET config = config || '[schedule]\npoll_interval = \"0s\"\n' "
            "WHERE name = 'beta'"
        )
    reason = "schedule.poll_interval: "
    status, out, err = _run(capsys, "list", "--store", dsn)
    assert (status, err) == (1, "")
    lines = out.splitlines()
    assert lines[0::2] == [
        f"acme  active, erp {ERP}, every 600s",
        f"gamma  active, erp {ERP}, every 600s",
    ]
    assert lines[1].startswith(f"beta  paused, settings invalid: {reason}")
    status, out, _ = _run(capsys, "list", "--json", "--store", dsn)
    listed = json.loads(out)
    assert status == 1
    assert [(t["name"], t["erp"], t["settings_invalid"]) for t in listed[0::2]] == [
        ("acme", ERP, None),
        ("gamma", ERP, None),
    ]
    assert listed[1]["status"] == "paused"
    assert (listed[1]["erp"], listed[1]["poll_interval_seconds"]) == (None, None)
    assert listed[1]["settings_invalid"].startswith(reason)
    status, out, _ = _run(capsys, "show", "beta", "--store", dsn)
    assert status == 1
    assert out.splitlines()[0].startswith(f"tenant beta: paused, settings invalid: {reason}")
    assert out.splitlines()[1].startswith("added ")
    status, out, _ = _run(capsys, "show", "beta", "--json", "--store", dsn)
    assert status == 1
    assert json.loads(out)["settings_invalid"].startswith(reason)
    assert _run(capsys, "show", "acme", "--store", dsn)[0] == 0


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["show", "ghost"], "error: no tenant is named 'ghost' (tenants list shows them)"),
        (["pause", "ghost"], "error: no tenant is named 'ghost'"),
        (["remove", "ghost"], "error: no tenant is named 'ghost'"),
        (["add", "a/b", "--config", "{settings}"], "error: tenant: 'a/b' is not a tenant name"),
        (["add", "acme", "--config", "{missing}"], "error: --config: no settings file at"),
    ],
)
def test_what_a_person_can_fix_is_one_error_line(
    dsn: str,
    settings: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    message: str,
) -> None:
    filled = [a.format(settings=settings, missing=tmp_path / "none.toml") for a in argv]
    status, out, err = _run(capsys, *filled, "--store", dsn)
    assert (status, out) == (2, "")
    assert err.startswith(message)
    assert len(err.splitlines()) == 1


def test_a_name_is_added_once(dsn: str, settings: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    status, _, err = _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    assert (status, err) == (
        2,
        "error: a tenant named 'acme' is already there (tenants add --replace replaces its "
        "settings)\n",
    )


def test_a_credential_written_in_the_file_is_refused_by_setting(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    setting = f"erp.{secret_settings(ERP)[-1]}"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace(f'"{_reference(setting)}"', '"plain-secret-1"'), "utf-8")
    status, _, err = _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    assert status == 2
    assert err.startswith(f"error: {setting}: is written in the file;")
    assert "plain-secret-1" not in err
    assert TenantRegistry(dsn).list() == []


def test_a_setting_a_sync_would_refuse_is_named(
    dsn: str, settings: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.write_text(settings.read_text(encoding="utf-8") + "[schedule]\npoll_interval = 0\n")
    status, _, err = _run(capsys, "add", "acme", "--config", str(settings), "--store", dsn)
    assert status == 2
    assert err.startswith("error: schedule.poll_interval: ")


@pytest.mark.parametrize(
    ("store", "message"),
    [
        (None, "error: --store: the tenants live in a PostgreSQL store: pass --store DSN or set "),
        ("bridge.sqlite3", "error: --store: the tenants live in PostgreSQL: give a postgresql://"),
    ],
)
def test_the_store_must_be_a_postgresql_one(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    store: str | None,
    message: str,
) -> None:
    monkeypatch.delenv("PONTE_STORE", raising=False)
    status, _, err = _run(capsys, "list", *(["--store", store] if store else []))
    assert status == 2
    assert err.startswith(message)


def test_a_store_that_cannot_be_reached_is_said_so_without_its_password(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    dsn = f"postgresql://ponte:hunter2-pw@127.0.0.1:{port}/fleet?connect_timeout=3"
    status, _, err = _run(capsys, "list", "--store", dsn)
    assert status == 2
    assert err.startswith("error: cannot use the store: ")
    assert "hunter2-pw" not in err
