"""What the SDK's logging tells a user: ``PONTE_LOG`` prints each line once, refuses a level
it does not know, and each retry is one line naming the method, the masked URL, what went
wrong and the wait."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from auvo.testing import FakeAuvo
from bling.testing import FakeBling
from contaazul.testing import FakeContaAzul
from sdkcore import APIStatusError, FakeClock, RetryPolicy, SDKError, logs as sdk_logs
from sdkcore.testing.fake import FakeAPI, Fault

from ..conftest import REPO
from ..runner import Runner

SECRET = "retry-line-secret-0123456789"
STEADY = RetryPolicy(initial_backoff=1.5, max_backoff=1.5)
"""Every backoff 1.5 s, so a line's wait is known."""

# Each ERP's fake and a GET its fake answers: the package is the logger's name.
ERPS: dict[str, tuple[Callable[[], FakeAPI], str]] = {
    "contaazul": (FakeContaAzul, "/pub/bank/account/"),
    "bling": (FakeBling, "/contatos/1001"),
    "auvo": (FakeAuvo, "/customers/"),
}


def _run_python(code: str, argument: str, ponte_log: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PONTE_LOG": ponte_log}
    return subprocess.run(
        [sys.executable, "-c", code, argument],
        cwd=REPO,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )


APP_FORMAT = "APP %(levelname)s %(name)s: %(message)s"
ONE_REQUEST = """
import logging, sys
from contaazul.testing import FakeContaAzul

when = sys.argv[-1]
if when == "before the client":
    logging.basicConfig(format={fmt!r})
with FakeContaAzul().client() as ca:
    if when == "after the client":
        logging.basicConfig(format={fmt!r})
    ca.request("GET", "/pub/bank/account/")
"""


@pytest.mark.parametrize(
    "when", ["nowhere", "before the client", "after the client"], ids=lambda w: w.replace(" ", "-")
)
def test_ponte_log_debug_prints_each_line_once(when: str) -> None:
    """The application configured logging (as the bridge CLI does) before or after the
    client was built, or not at all: each request line reaches stderr once."""
    stderr = _run_python(ONE_REQUEST.format(fmt=APP_FORMAT), when, "debug").stderr.splitlines()
    requests = [line for line in stderr if "request GET" in line]
    responses = [line for line in stderr if "response GET" in line and "status=200" in line]
    assert len(requests) == 1, stderr
    assert len(responses) == 1, stderr
    if when != "nowhere":  # the application's handler prints it, in the application's format
        assert requests[0].startswith("APP DEBUG contaazul: request GET"), requests


@pytest.mark.parametrize("value", ["verbose", "DEBUGGING", "10", "warn"])
@pytest.mark.parametrize("erp", list(ERPS))
def test_an_unknown_ponte_log_level_is_an_error(
    erp: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_fake, _ = ERPS[erp]
    monkeypatch.setenv("PONTE_LOG", value)
    with pytest.raises(sdk_logs.LogLevelError) as refused:
        make_fake().client()  # type: ignore[attr-defined]
    message = str(refused.value)
    assert f"PONTE_LOG={value!r}" in message
    assert "debug, info, warning" in message
    assert isinstance(refused.value, SDKError)
    assert isinstance(refused.value, ValueError)


@pytest.mark.parametrize("value", ["", "  ", " Warning "])
def test_an_empty_or_known_ponte_log_level_builds_a_client(
    value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PONTE_LOG", value)
    logger = logging.getLogger("contaazul")
    handlers, level = list(logger.handlers), logger.level
    try:
        with FakeContaAzul().client() as ca:
            assert ca.request("GET", "/pub/bank/account/")
    finally:
        logger.handlers[:] = handlers
        logger.setLevel(level)
        sdk_logs._configured.discard("contaazul")


# -- the retry line ----------------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return bool(request.param == "async")


def _client(fake: FakeAPI, is_async: bool, **options: Any) -> Runner:
    options.setdefault("clock", FakeClock())
    options.setdefault("rate_limiter", False)
    make = fake.async_client if is_async else fake.client  # type: ignore[attr-defined]
    return Runner(make(**options), is_async)


def _retry_lines(caplog: pytest.LogCaptureFixture, package: str) -> list[str]:
    return [
        record.getMessage()
        for record in caplog.records
        if record.name == package and "retry" in record.getMessage()
    ]


@pytest.fixture
def info_logs(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> pytest.LogCaptureFixture:
    monkeypatch.delenv("PONTE_LOG", raising=False)
    for package in ERPS:
        caplog.set_level(logging.INFO, logger=package)
    return caplog


@pytest.mark.parametrize("erp", list(ERPS))
def test_a_retry_after_a_status_names_method_masked_url_status_and_wait(
    erp: str, is_async: bool, info_logs: pytest.LogCaptureFixture
) -> None:
    make_fake, path = ERPS[erp]
    fake = make_fake()
    run = _client(fake, is_async, max_retries=2)
    full_path = urlsplit(run.client.base_url).path + path
    fake.fail_next(Fault(status=503, headers={"Retry-After": "2"}, path_prefix=full_path), 3)
    with pytest.raises(APIStatusError):
        run.request("GET", path, params={"client_secret": SECRET})
    lines = _retry_lines(info_logs, erp)
    assert len(lines) == 2, lines
    url = f"{run.client.base_url}{path}?client_secret=***"
    for number, line in enumerate(lines, start=1):
        assert line == f"retrying GET {url} in 2.00 s (retry {number} of 2) after status 503"
        assert SECRET not in line


@pytest.mark.parametrize("erp", list(ERPS))
def test_a_retry_after_a_connection_error_names_it_and_the_wait(
    erp: str, is_async: bool, info_logs: pytest.LogCaptureFixture
) -> None:
    make_fake, path = ERPS[erp]
    fake = make_fake()
    run = _client(fake, is_async, retry_policy=STEADY)
    full_path = urlsplit(run.client.base_url).path + path
    refused = httpx.ConnectError("[Errno 111] Connection refused")
    fake.fail_next(Fault(exception=refused, path_prefix=full_path))
    run.request("GET", path)
    lines = _retry_lines(info_logs, erp)
    expected = (
        f"retrying GET {run.client.base_url}{path} in 1.50 s (retry 1 of 2) "
        "after ConnectError: [Errno 111] Connection refused"
    )
    assert lines == [expected]


def test_a_retry_after_a_throttled_login_names_the_token_request(
    is_async: bool, info_logs: pytest.LogCaptureFixture
) -> None:
    fake = FakeAuvo()
    run = _client(fake, is_async, retry_policy=STEADY)
    login = urlsplit(run.client.base_url).path + "/login"
    fake.fail_next(Fault(403, {"error": "Rate limit temporarily exceeded"}, path_prefix=login))
    run.request("GET", "/customers/")
    lines = _retry_lines(info_logs, "auvo")
    assert lines == [
        f"retrying GET {run.client.base_url}/customers/ in 1.50 s (retry 1 of 2) "
        "after its token request got status 403 (rate limited)"
    ]


def test_a_retry_after_auvo_throttles_says_its_403_means_rate_limited(
    is_async: bool, info_logs: pytest.LogCaptureFixture
) -> None:
    fake = FakeAuvo()
    run = _client(fake, is_async)
    run.request("GET", "/customers/")  # logged in: the throttle below meets the GET itself
    fake.throttle_next()
    run.request("GET", "/customers/")
    [line] = _retry_lines(info_logs, "auvo")
    assert line.startswith(f"retrying GET {run.client.base_url}/customers/ in ")
    assert line.endswith(" s (retry 1 of 2) after status 403 (rate limited)")
