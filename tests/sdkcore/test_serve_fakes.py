"""``python -m <package>.testing serve`` for the three fakes: real HTTP on loopback, one line
in one format naming the base URL and the credentials (or ``export`` lines with ``--env``),
a seed, and a clean stop on Ctrl-C or SIGTERM."""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

import pytest

from auvo import Auvo
from bling import Bling
from contaazul import ContaAzul
from sdkcore.client import SyncAPIClient

LINE = re.compile(
    r"serving on (?P<url>http://127\.0\.0\.1:\d+) fake=(?P<fake>\w+)"
    r" base_url=(?P<base_url>\S+)(?P<rest>( \w+=\S+)+)"
)
"""The one line every fake prints: a script splits its ``key=value`` words, a person reads
where the fake is and what to send."""


def _auvo(settings: Mapping[str, str]) -> SyncAPIClient:
    return Auvo(settings["api_key"], settings["api_token"], base_url=settings["base_url"])


def _contaazul(settings: Mapping[str, str]) -> SyncAPIClient:
    return ContaAzul(
        settings["application_token"], settings["company_token"], base_url=settings["base_url"]
    )


def _bling(settings: Mapping[str, str]) -> SyncAPIClient:
    return Bling(access_token=settings["access_token"], base_url=settings["base_url"])


def _auvo_from_env() -> SyncAPIClient:
    return Auvo()


def _contaazul_from_env() -> SyncAPIClient:
    return ContaAzul()


def _bling_from_env() -> SyncAPIClient:
    return Bling()


def _first_auvo_customer(client: Any) -> str:
    return str(next(iter(client.customers.list())).name)


def _first_contaazul_account(client: Any) -> str:
    return str(next(iter(client.bank_accounts.list())).id)  # the seed picks the ids


def _first_bling_product(client: Any) -> str:
    return str(next(iter(client.produtos.list())).nome)


# package, the path of its API on the server, its credentials, a client from the settings
# printed, one from the environment alone, and a record the seed decides.
FAKES = [
    pytest.param(
        "auvo",
        "/v2",
        {"api_key", "api_token"},
        _auvo,
        _auvo_from_env,
        _first_auvo_customer,
        id="auvo",
    ),
    pytest.param(
        "contaazul",
        "",
        {"application_token", "company_token"},
        _contaazul,
        _contaazul_from_env,
        _first_contaazul_account,
        id="contaazul",
    ),
    pytest.param(
        "bling",
        "/Api/v3",
        {"client_id", "client_secret", "access_token"},
        _bling,
        _bling_from_env,
        _first_bling_product,
        id="bling",
    ),
]


@contextmanager
def served(
    package: str, *options: str, lines: int = 1
) -> Iterator[tuple[subprocess.Popen[str], list[str]]]:
    """The fake served by ``python -m <package>.testing serve --port 0 ...``, and the first
    ``lines`` it printed once listening; stopped (SIGTERM) if the test did not stop it."""
    command = [sys.executable, "-m", f"{package}.testing", "serve", "--port", "0", *options]
    process = subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True
    )
    try:
        assert process.stdout is not None
        yield process, [process.stdout.readline().rstrip("\n") for _ in range(lines)]
    finally:
        if process.poll() is None:
            process.terminate()
        process.communicate(timeout=10)


def _stop(process: subprocess.Popen[str], signum: int) -> tuple[int, str, str]:
    process.send_signal(signum)
    out, err = process.communicate(timeout=10)
    return process.returncode, out, err


def _settings(line: str) -> dict[str, str]:
    match = LINE.fullmatch(line)
    assert match, f"not the one-line format: {line!r}"
    return dict(word.split("=", 1) for word in line.split()[3:])


@pytest.mark.parametrize(
    ("package", "api_path", "credentials", "client", "from_env", "seeded"), FAKES
)
def test_serve_prints_one_line_that_reaches_the_fake_and_stops_cleanly_on_ctrl_c(
    package: str,
    api_path: str,
    credentials: set[str],
    client: Callable[[Mapping[str, str]], SyncAPIClient],
    from_env: Callable[[], SyncAPIClient],
    seeded: Callable[[Any], str],
) -> None:
    with served(package, "--host", "127.0.0.1") as (process, [line]):
        match = LINE.fullmatch(line)
        assert match, f"not the one-line format: {line!r}"
        settings = _settings(line)
        assert settings["fake"] == package
        assert settings["base_url"] == match["url"] + api_path
        assert set(settings) == {"fake", "base_url", *credentials}
        with client(settings) as api:
            assert seeded(api)  # the printed base URL and credentials reach the seeded fake
        code, rest, errors = _stop(process, signal.SIGINT)
    assert code == 0
    assert errors == ""  # no traceback
    assert rest == ""  # one line, nothing more


@pytest.mark.parametrize(
    ("package", "api_path", "credentials", "client", "from_env", "seeded"), FAKES
)
def test_serve_env_prints_exports_the_client_reads(
    package: str,
    api_path: str,
    credentials: set[str],
    client: Callable[[Mapping[str, str]], SyncAPIClient],
    from_env: Callable[[], SyncAPIClient],
    seeded: Callable[[Any], str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with served(package, "--env", lines=len(credentials) + 1) as (process, lines):
        exports = {}
        for line in lines:
            name, _, value = line.removeprefix("export ").partition("=")
            assert line.startswith("export "), lines
            [exports[name]] = shlex.split(value)
        assert set(exports) == {f"{package.upper()}_{key.upper()}" for key in credentials} | {
            f"{package.upper()}_BASE_URL"
        }
        for name, value in exports.items():
            monkeypatch.setenv(name, value)
        with from_env() as api:  # the client's own variables: sourcing the lines is enough
            assert seeded(api)
        code, _, errors = _stop(process, signal.SIGTERM)
    assert code == 0
    assert errors == ""


@pytest.mark.parametrize(
    ("package", "api_path", "credentials", "client", "from_env", "seeded"), FAKES
)
def test_serve_seed_picks_the_fakes_data(
    package: str,
    api_path: str,
    credentials: set[str],
    client: Callable[[Mapping[str, str]], SyncAPIClient],
    from_env: Callable[[], SyncAPIClient],
    seeded: Callable[[Any], str],
) -> None:
    seen = {}
    for seed in ("0", "1", "1"):
        with served(package, "--seed", seed) as (_, [line]), client(_settings(line)) as api:
            seen.setdefault(seed, set()).add(seeded(api))
    assert len(seen["1"]) == 1  # the same seed, the same data
    assert seen["0"] != seen["1"]


def test_a_port_taken_is_one_error_line_not_a_traceback() -> None:
    with served("auvo") as (_, [line]):
        port = _settings(line)["base_url"].split(":")[2].split("/")[0]
        result = subprocess.run(
            [sys.executable, "-m", "contaazul.testing", "serve", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
            env=os.environ.copy(),
        )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith("error: cannot serve on 127.0.0.1:" + port)
    assert "Traceback" not in result.stderr
