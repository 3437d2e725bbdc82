"""``python -m bridge authorize`` on ``kind = "contaazul"`` end to end: FakeContaAzul served
over HTTP on loopback, the command in its own process, a browser played by httpx (it follows
the login page's redirect to the callback), and the saved tokens then used by the bridge's
own client for the kind. Also the sentence a missing app credential gets from this command."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from bridge import BridgeConfig, ConfigError
from bridge.authorize import authorize
from bridge.erp.registry import erp_kind
from contaazul.v2 import ContaAzul
from contaazul.v2.testing import FakeContaAzul
from sdkcore.testing.server import FakeServer

ROOT = Path(__file__).resolve().parents[3]
WAIT = 60.0
"""Seconds for the command to print its page, and to finish once the redirect came."""


def _settings(folder: Path, api: str, fake: FakeContaAzul) -> Path:
    path = folder / "contaazul.toml"
    path.write_text(
        "[erp]\n"
        'kind = "contaazul"\n'
        f'base_url = "{api}"\n'
        f'client_id = "{fake.client_id}"\n'
        'client_secret = "env:CONTAAZUL_CLIENT_SECRET"\n'
        f'token_file = "{folder / "contaazul-tokens.json"}"\n'
        'redirect_uri = "http://127.0.0.1:0/callback"\n'  # any free port
        'financial_account = "Caixinha"\n',
        encoding="utf-8",
    )
    return path


def test_the_command_saves_tokens_the_bridge_then_uses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = FakeContaAzul(rate_limited=False)
    with FakeServer(fake) as server:
        api = server.url.rstrip("/")
        path = _settings(tmp_path, api, fake)
        environment = {**os.environ, "CONTAAZUL_CLIENT_SECRET": fake.client_secret}
        command = [sys.executable, "-m", "bridge", "authorize", "--config", str(path)]
        with subprocess.Popen(
            [*command, "--no-browser", "--timeout", str(WAIT)],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        ) as process:
            assert process.stdout is not None
            assert process.stdout.readline() == "Open this page and authorize the app:\n"
            page = process.stdout.readline().strip()
            waiting = process.stdout.readline()
            # The owner approves on Conta Azul's page, which redirects to the callback.
            answer = httpx.get(page, follow_redirects=True, timeout=WAIT)
            out, err = process.communicate(timeout=WAIT)
        assert page.startswith(f"{api}/oauth2/authorize?")
        assert "Waiting for Conta Azul's redirect to http://127.0.0.1:" in waiting
        assert (answer.status_code, "<h1>Authorized</h1>" in answer.text) == (200, True)
        assert (process.returncode, err) == (0, "")
        token_file = tmp_path / "contaazul-tokens.json"
        assert out == f"Tokens saved to {token_file}\n"
        assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
        assert fake.client_secret not in out + page + waiting

        monkeypatch.setenv("CONTAAZUL_CLIENT_SECRET", fake.client_secret)
        config = BridgeConfig.from_toml(path.read_text(encoding="utf-8"))
        client = erp_kind("contaazul").client(config.erp_settings, api)
        assert isinstance(client, ContaAzul)
        with client:
            accounts = client.contas_financeiras.list(mostrar_caixinha=True)
            assert "Caixinha" in {account.nome for account in accounts}


def test_authorize_without_the_app_secret_says_what_it_is_for(tmp_path: Path) -> None:
    config = BridgeConfig.from_toml(
        '[erp]\nkind = "contaazul"\nclient_id = "id"\nfinancial_account = "Caixinha"\n'
    )
    with pytest.raises(ConfigError, match="is required to authorize the app") as raised:
        authorize(config, browser=None, announce=lambda _: None, timeout=0.1)
    assert raised.value.setting == "erp.client_secret"
    assert "sync()" not in str(raised.value)
