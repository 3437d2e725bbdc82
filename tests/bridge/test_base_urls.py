"""``[auvo] base_url`` and ``[erp] base_url``: settings like the others (checked when read,
plain http only to loopback), used by the clients the bridge builds and by ``authorize``,
and ahead of the clients' own environment variables, which keep working without them."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from auvo import Auvo
from auvo.testing import FakeAuvo
from bridge import SQLiteStore, load_config, sync
from bridge.authorize import authorize
from bridge.clients import auvo_client, erp_client
from bridge.config import BridgeConfig, ConfigError
from bridge.erp.registry import erp_kind, erp_kinds, erp_names
from sdkcore.auth import FileTokenStore
from sdkcore.client import SyncAPIClient
from sdkcore.testing import FakeAPI, FakeServer

from .conftest import ANY_ERP, erp_table
from .erp.drivers import driver

CLOSED = "http://127.0.0.1:9"  # the discard port: nothing listens, so a call there fails
SECTIONS = ["auvo", "erp"]


def _with_base_url(section: str, value: str) -> str:
    line = f"base_url = {value}\n"
    if section == "erp":
        return erp_table().replace("[erp]\n", "[erp]\n" + line)
    return erp_table() + f"[auvo]\n{line}"


@pytest.mark.parametrize("section", SECTIONS)
def test_a_base_url_is_read_from_its_section(section: str) -> None:
    config = BridgeConfig.from_toml(_with_base_url(section, '"http://127.0.0.1:8101/v2/"'))
    assert getattr(config, f"{section}_base_url") == "http://127.0.0.1:8101/v2"
    assert BridgeConfig.from_toml(erp_table()).auvo_base_url is None  # the default: none
    https = BridgeConfig(**{"erp": ANY_ERP, f"{section}_base_url": "https://api.example.com"})
    assert getattr(https, f"{section}_base_url") == "https://api.example.com"


@pytest.mark.parametrize("section", SECTIONS)
@pytest.mark.parametrize(
    ("value", "says"),
    [
        ('"http://api.example.com"', "http is for loopback only"),
        ('"ftp://127.0.0.1/"', "https://"),
        ('"api.example.com"', "https://"),
        ('""', "https://"),
        ("8101", "not a number"),
        ("true", "not true/false"),
    ],
)
def test_a_bad_base_url_names_its_setting(section: str, value: str, says: str) -> None:
    with pytest.raises(ConfigError) as raised:
        BridgeConfig.from_toml(_with_base_url(section, value))
    assert raised.value.setting == f"{section}.base_url"
    assert says in str(raised.value)


def _client_of(api: FakeAPI) -> tuple[type[SyncAPIClient], str]:
    """The class of the package's client for the fake ``api``, and its default base URL."""
    client = api.client()  # type: ignore[attr-defined]
    try:
        return type(client), str(client.base_url)
    finally:
        client.close()


def _served(api: FakeAPI) -> tuple[FakeServer, str]:
    """``api`` served over HTTP, and its base URL: at the path of the real API's, as the
    fake routes the vendor's own paths."""
    server = FakeServer(api).start()
    return server, server.url + urlsplit(_client_of(api)[1]).path


def _settings_file(
    folder: Path, erp: str, api: Any, auvo_url: str | None = None, erp_url: str | None = None
) -> Path:
    """A settings file with FakeAuvo's credentials and ``api``'s, and the base URLs given."""
    auvo = FakeAuvo()
    auvo_lines = ["[auvo]", f'api_key = "{auvo.api_key}"', f'api_token = "{auvo.api_token}"']
    erp_lines = [erp_table(erp).rstrip("\n")]
    erp_lines += [
        f'{key} = "{value}"' for key, value in driver(erp).settings_for(api, folder).items()
    ]
    if auvo_url is not None:
        auvo_lines.append(f'base_url = "{auvo_url}"')
    if erp_url is not None:
        erp_lines.append(f'base_url = "{erp_url}"')
    path = folder / "bridge.toml"
    path.write_text("\n".join(auvo_lines + erp_lines) + "\n")
    return path


@pytest.mark.parametrize("erp", erp_names())
def test_sync_reaches_the_base_urls_of_the_settings_before_the_environment(
    erp: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_auvo = FakeAuvo()
    fake_erp = erp_kind(erp).fake.make(None, False).api
    auvo_server, auvo_url = _served(fake_auvo)
    erp_server, erp_url = _served(fake_erp)
    try:
        path = _settings_file(tmp_path, erp, fake_erp, auvo_url, erp_url)
        config = load_config(path)
        # The clients' own variables point nowhere: the settings win over them.
        monkeypatch.setenv(Auvo.base_url_env or "", CLOSED)
        monkeypatch.setenv(_client_of(fake_erp)[0].base_url_env or "", CLOSED)
        with auvo_client(config) as auvo, erp_client(config) as client:
            assert (auvo.base_url, client.base_url) == (auvo_url, erp_url)
        report = sync(config, SQLiteStore(tmp_path / "bridge.sqlite3"))
    finally:
        auvo_server.stop()
        erp_server.stop()
    assert report.status == "ok", report.table()
    assert fake_auvo.requests
    assert fake_erp.requests


@pytest.mark.parametrize("erp", erp_names())
def test_without_base_urls_the_clients_own_variables_still_work(
    erp: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake_erp = erp_kind(erp).fake.make(None, False).api
    config = load_config(_settings_file(tmp_path, erp, fake_erp))
    assert (config.auvo_base_url, config.erp_base_url) == (None, None)
    auvo_variable, erp_variable = Auvo.base_url_env, _client_of(fake_erp)[0].base_url_env
    assert auvo_variable
    assert erp_variable
    monkeypatch.setenv(auvo_variable, "http://127.0.0.1:8101/v2")
    monkeypatch.setenv(erp_variable, "http://127.0.0.1:8102/api")
    with auvo_client(config) as auvo, erp_client(config) as client:
        assert (auvo.base_url, client.base_url) == (
            "http://127.0.0.1:8101/v2",
            "http://127.0.0.1:8102/api",
        )


OAUTH_KINDS = [kind.name for kind in erp_kinds() if kind.authorization is not None]


@pytest.mark.parametrize("erp", OAUTH_KINDS)
def test_authorize_goes_to_the_erp_base_url(erp: str, tmp_path: Path) -> None:
    """With ``[erp] base_url`` (a fake served on loopback), the authorization page and the
    code exchange are the fake's: the tokens saved are ones it issued, over real HTTP."""
    fake_erp = erp_kind(erp).fake.make(None, False).api
    server, base_url = _served(fake_erp)
    settings = driver(erp).settings_for(fake_erp, tmp_path)
    token_file = settings["token_file"]
    Path(token_file).unlink()  # authorize writes it
    config = BridgeConfig(
        erp=erp,
        erp_base_url=base_url,
        **erp_kind(erp).fake.demo_settings,
        erp_settings=erp_kind(erp).settings.from_table(
            settings | {"redirect_uri": "http://127.0.0.1:0/callback"}
        ),
    )
    pages: list[str] = []

    def browse(url: str) -> None:  # the owner approves; the browser follows the redirect
        pages.append(url)
        httpx.get(url, follow_redirects=True, timeout=10).raise_for_status()

    try:
        lines: list[str] = []
        tokens = authorize(config, browser=browse, announce=lines.append, timeout=30)
    finally:
        server.stop()
    [page] = pages
    assert page.startswith(base_url + "/")
    saved = FileTokenStore(token_file).load()
    assert saved is not None
    assert saved.access_token == tokens.access_token
    assert any(r.path.endswith("/token") and r.method == "POST" for r in fake_erp.requests)
