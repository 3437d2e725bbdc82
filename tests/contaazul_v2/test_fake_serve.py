"""``python -m contaazul.v2.testing serve``: the fake over real HTTP, the API and its OAuth
server on one port, announced in the one line every package's fake prints.

(``tests/sdkcore/test_serve_fakes.py`` parametrises over one-word package names and
``<PACKAGE>_<NAME>`` variables; ``contaazul.v2`` has neither, so it is checked here with the
same helpers.)"""

from __future__ import annotations

import shlex
import signal
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from contaazul.v2 import ContaAzul, ContaAzulOAuth

from ..sdkcore.test_serve_fakes import _stop, served

LINE_START = "serving on http://127.0.0.1:"


def _settings(line: str) -> dict[str, str]:
    assert line.startswith(LINE_START), line
    return dict(word.split("=", 1) for word in line.split()[3:])


def test_serve_line_reaches_the_api_and_the_oauth_server() -> None:
    with served("contaazul.v2") as (process, [line]):
        settings = _settings(line)
        assert set(settings) == {"fake", "base_url", "client_id", "client_secret", "access_token"}
        assert settings["fake"] == "contaazul.v2"
        url = settings["base_url"]
        with ContaAzul(access_token=settings["access_token"], base_url=url) as ca:
            assert ca.vendas.next_number() == 3
            assert ca.contas_financeiras.find_by_name("Caixinha").tipo == "CAIXINHA"
        oauth = ContaAzulOAuth(
            settings["client_id"],
            settings["client_secret"],
            "http://127.0.0.1/callback",
            authorize_url=url + "/login",
            token_url=url + "/oauth2/token",
        )
        page, state = oauth.authorization_url()
        answer = httpx.get(page, follow_redirects=False)
        query = parse_qs(urlsplit(answer.headers["Location"]).query)
        tokens = oauth.exchange_code(
            query["code"][0], state=query["state"][0], expected_state=state
        )
        with ContaAzul(access_token=tokens.access_token, base_url=url) as ca:
            assert ca.vendas.next_number() == 3
        code, rest, errors = _stop(process, signal.SIGINT)
    assert code == 0
    assert errors == ""
    assert rest == ""


def test_serve_env_exports_what_the_client_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    with served("contaazul.v2", "--env", lines=4) as (process, lines):
        exports = {}
        for line in lines:
            assert line.startswith("export "), lines
            name, _, value = line.removeprefix("export ").partition("=")
            [exports[name]] = shlex.split(value)
        assert set(exports) == {
            "CONTAAZUL_V2_BASE_URL",
            "CONTAAZUL_V2_ACCESS_TOKEN",
            "CONTAAZUL_CLIENT_ID",
            "CONTAAZUL_CLIENT_SECRET",
        }
        for name, value in exports.items():
            monkeypatch.setenv(name, value)
        with ContaAzul() as ca:
            assert ca.vendas.next_number() == 3
        code, _, errors = _stop(process, signal.SIGTERM)
    assert code == 0
    assert errors == ""


def test_serve_seed_picks_the_data() -> None:
    seen: dict[str, set[str]] = {}
    for seed in ("0", "1", "1"):
        with served("contaazul.v2", "--seed", seed) as (_, [line]):
            settings = _settings(line)
            with ContaAzul(
                access_token=settings["access_token"], base_url=settings["base_url"]
            ) as ca:
                seen.setdefault(seed, set()).add(str(next(iter(ca.pessoas.list())).id))
    assert len(seen["1"]) == 1
    assert seen["0"] != seen["1"]
