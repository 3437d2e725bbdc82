"""``bridge authorize`` against FakeBling's OAuth endpoints, with a simulated browser: it
follows Bling's authorize page to the 302 and delivers the redirect to the callback server."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest

from bling.testing import FakeBling
from bridge import BridgeConfig, ConfigError
from bridge.authorize import AuthorizationFailed, authorize
from bridge.cli import main
from sdkcore.auth import FileTokenStore


def _config(fake: FakeBling, tmp_path: Path, **changes: Any) -> BridgeConfig:
    values: dict[str, Any] = {
        "erp": "bling",
        "bling_client_id": fake.client_id,
        "bling_client_secret": fake.client_secret,
        "bling_token_file": str(tmp_path / "tokens.json"),
        "bling_redirect_uri": "http://127.0.0.1:0/callback",  # any free port
    }
    values.update(changes)
    return BridgeConfig(**values)


def browser_for(fake: FakeBling, tamper: Any = None) -> Any:
    """A browser that approves on Bling's page and follows the redirect to the callback."""
    visits: list[httpx.Response] = []

    def browse(url: str) -> None:
        with httpx.Client(transport=fake.transport) as bling:
            page = bling.get(url)  # the owner clicks "authorize": a 302 to the callback
        assert page.status_code == 302
        location = page.headers["location"]
        if tamper is not None:
            location = tamper(location)
        with httpx.Client() as local:  # the real callback server on 127.0.0.1
            visits.append(local.get(location))

    browse.visits = visits  # type: ignore[attr-defined]
    return browse


def test_authorize_saves_tokens_that_work(tmp_path: Path) -> None:
    fake = FakeBling(rate_limit=None)
    config = _config(fake, tmp_path)
    browser = browser_for(fake)
    lines: list[str] = []
    tokens = authorize(config, browser=browser, announce=lines.append, transport=fake.transport)
    [answer] = browser.visits
    assert answer.status_code == 200
    assert "close this tab" in answer.text
    saved = FileTokenStore(config.bling_token_file).load()
    assert saved is not None
    assert saved.refresh_token == tokens.refresh_token
    assert stat.S_IMODE(os.stat(config.bling_token_file).st_mode) == 0o600
    client = fake.client(oauth=fake.oauth(), token_store=FileTokenStore(config.bling_token_file))
    assert next(iter(client.produtos.list().pages()))  # the saved tokens work
    assert "redirect_uri=http%3A%2F%2F127.0.0.1%3A" in lines[0]
    assert "client_secret" not in "".join(lines)
    assert fake.client_secret not in json.dumps(lines)


def test_a_forged_state_is_refused_and_the_real_redirect_still_counts(tmp_path: Path) -> None:
    fake = FakeBling(rate_limit=None)
    config = _config(fake, tmp_path)
    forged: list[httpx.Response] = []

    def browse(url: str) -> None:
        def forge(location: str) -> str:
            head, _, _ = location.partition("state=")
            with httpx.Client() as local:
                forged.append(local.get(head + "state=forged"))
            return location

        browser_for(fake, tamper=forge)(url)

    authorize(config, browser=browse, announce=lambda _: None, transport=fake.transport)
    assert [r.status_code for r in forged] == [400]
    assert "does not match" in forged[0].text
    assert FileTokenStore(config.bling_token_file).load() is not None


def test_denied_and_timeout(tmp_path: Path) -> None:
    fake = FakeBling(rate_limit=None)
    config = _config(fake, tmp_path)

    def deny(url: str) -> None:
        state = httpx.URL(url).params["state"]
        redirect = httpx.URL(url).params["redirect_uri"]
        with httpx.Client() as local:
            local.get(f"{redirect}?error=access_denied&state={state}")

    with pytest.raises(AuthorizationFailed, match="access_denied"):
        authorize(config, browser=deny, announce=lambda _: None, transport=fake.transport)
    with pytest.raises(AuthorizationFailed, match="no authorization arrived"):
        authorize(config, browser=None, announce=lambda _: None, timeout=0.2)
    assert not Path(config.bling_token_file).exists()


def test_config_checks(tmp_path: Path) -> None:
    fake = FakeBling(rate_limit=None)
    with pytest.raises(ConfigError, match=r"erp\.redirect_uri"):
        _config(fake, tmp_path, bling_redirect_uri="https://example.com/callback")
    with pytest.raises(ConfigError, match=r"authorize is for .*bling; .* is contaazul-pub"):
        authorize(BridgeConfig(erp="contaazul-pub", financial_account="BB"), browser=None)
    text = (
        '[erp]\nkind = "bling"\nclient_id = "a"\nclient_secret = "b"\n'
        'redirect_uri = "http://localhost:9999/cb"\n'
    )
    assert BridgeConfig.from_toml(text).bling_redirect_uri == "http://localhost:9999/cb"


def test_cli_authorize_times_out_cleanly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text(
        '[erp]\nkind = "bling"\nclient_id = "id"\nclient_secret = "secret"\n'
        f'token_file = "{tmp_path / "t.json"}"\nredirect_uri = "http://127.0.0.1:0/cb"\n',
        encoding="utf-8",
    )
    code = main(["authorize", "--config", str(path), "--no-browser", "--timeout", "0.2"])
    out = capsys.readouterr()
    assert code == 1
    assert "oauth/authorize?" in out.out
    assert "no authorization arrived" in out.err
    assert not (tmp_path / "bridge.sqlite3").exists()
    assert not [t for t in threading.enumerate() if t.name == "bridge-oauth"]
