"""No credential of any client leaves the process: not in a log line of any logger at any
level (httpx's and httpcore's included), an exception's text or repr, a report, the store
or the CLI's output.

Every logger is captured at DEBUG through whole scenarios over real HTTP on 127.0.0.1, then
every captured text is searched for each secret, its URL-encoded forms and any 12-character
piece of it (a truncated excerpt must not leak half a token either).
"""

from __future__ import annotations

import argparse
import base64
import json
import logging
import sqlite3
import threading
import urllib.request
from collections.abc import Iterator
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

import pytest
from hypothesis import given, strategies as st

import bridge
from auvo import Auvo
from auvo.testing import FakeAuvo
from bling import Bling, BlingOAuth
from bling.testing import FakeBling
from bridge.cli import _listener, main as cli_main
from bridge.demo import demo_config, seed_auvo, seed_erp
from bridge.engine import run
from bridge.erp.port import FakeErp
from bridge.erp.registry import erp_kind, erp_names
from contaazul import ContaAzul
from contaazul.testing import FakeContaAzul
from sdkcore import APIError, FieldError, MemoryTokenStore, TokenSet
from sdkcore.redact import MASK, mask_secrets, redact_text, register_secret
from sdkcore.testing.fake import Fault
from sdkcore.testing.server import FakeServer

from .bridge.erp.drivers import driver

# Secrets a user would configure; "+" and "/" make their URL-encoded forms differ.
AUVO_KEY = "auvokey+Q7/zX9wK2mV4nB6"
AUVO_TOKEN = "auvotok/R3+pL8nJ6cT1hG5"
WRONG_KEY = "typokey+H5/bN2vC8xZ0kE3"
WRONG_TOKEN = "typotok/M4+qW7eR1tY3uI9"
BLING_SECRET = "blingsec+S9/dF3gH6jK2lP8"
WRONG_BLING_SECRET = "blingtypo/A1+sD4fG7hJ0zQ"
WEBHOOK_PATH = "/hook-Zx8Cv5Bn2Mq7Lp4Rt6"


class Secrets:
    """The secret values a scenario handled, and how to look for them in a text."""

    def __init__(self) -> None:
        self.values: dict[str, bool] = {}  # value -> also look for its 12-character pieces

    def add(self, value: str | None, pieces: bool = True) -> None:
        if value:
            self.values[value] = pieces

    def leaks(self, text: str) -> list[str]:
        found = []
        for value, pieces in self.values.items():
            forms = {value, quote(value, safe=""), quote_plus(value), quote(value)}
            if pieces:
                forms |= {value[i : i + 12] for i in range(len(value) - 11)}
            found += [f"{form!r} (of {value[:6]}...)" for form in forms if form in text]
        return found


class Capture(logging.Handler):
    """Every record of every logger, formatted with its traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def capture(monkeypatch: pytest.MonkeyPatch) -> Iterator[Capture]:
    monkeypatch.delenv("PONTE_LOG", raising=False)
    root = logging.getLogger()
    handler = Capture()
    level = root.level
    root.setLevel(logging.DEBUG)
    root.addHandler(handler)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def error_texts(exc: BaseException) -> list[str]:
    """Everything an exception shows or keeps."""
    texts = [str(exc), repr(exc)]
    if isinstance(exc, APIError):
        texts += [exc.message, str(exc.url), exc.body_excerpt, str(exc.code), repr(exc.details)]
        texts += [f"{e.field} {e.message} {e.code}" for e in exc.field_errors]
    return texts


def assert_no_leaks(secrets: Secrets, texts: list[str], where: str) -> None:
    found = [(text[:300], leak) for text in texts for leak in secrets.leaks(text)]
    assert not found, f"secrets leaked into {where}: {found[:5]}"


def echoing_body(*secrets: str) -> dict[str, Any]:
    """An error body that quotes the credentials back, as some servers do."""
    quoted = " ".join(secrets)
    return {
        "message": f"invalid credentials {quoted}",
        "errors": [{"field": "token", "message": f"the token {quoted} is not valid"}],
        "details": {"received": {"Authorization": f"Bearer {secrets[0]}"}, "echo": [quoted]},
    }


def sent_credentials(fake: FakeErp) -> list[str]:
    """The fake's credentials its client sent in a request header so far: what a server
    could quote back."""
    headers = " ".join(value for request in fake.api.requests for value in request.headers.values())
    sent = [value for value in fake.credentials().values() if value in headers]
    assert sent, "the client sent none of the fake's credentials"
    return sent


# -- the scenarios -----------------------------------------------------------------------------


def test_auvo_login_calls_and_failures_leak_nothing(capture: Capture) -> None:
    secrets = Secrets()
    for value in (AUVO_KEY, AUVO_TOKEN, WRONG_KEY, WRONG_TOKEN):
        secrets.add(value)
    fake = FakeAuvo(api_key=AUVO_KEY, api_token=AUVO_TOKEN)
    errors: list[BaseException] = []
    with FakeServer(fake) as server:
        base = server.url + "/v2"
        with Auvo(AUVO_KEY, AUVO_TOKEN, base_url=base, rate_limiter=False, max_retries=0) as auvo:
            tokens = auvo.login()
            secrets.add(tokens.access_token, pieces=False)
            list(islice(auvo.customers.list(), 3))
            fake.expire_tokens()  # a 401, then a new login
            list(islice(auvo.customers.list(), 3))
            fake.fail_next(Fault(status=500, body=echoing_body(AUVO_TOKEN, AUVO_KEY)))
            with pytest.raises(APIError) as failed:
                list(auvo.customers.list())
            errors.append(failed.value)
            fake.fail_next(Fault(status=400, body=echoing_body(AUVO_TOKEN, AUVO_KEY)))
            with pytest.raises(APIError) as rejected:
                list(auvo.customers.list())
            errors.append(rejected.value)
            for access in fake.tokens:
                secrets.add(access, pieces=False)
        for key, token in ((WRONG_KEY, AUVO_TOKEN), (AUVO_KEY, WRONG_TOKEN)):
            with Auvo(key, token, base_url=base, rate_limiter=False, max_retries=0) as wrong:
                with pytest.raises(APIError) as denied:
                    wrong.login()
                errors.append(denied.value)
                with pytest.raises(APIError) as denied:
                    list(wrong.customers.list())
                errors.append(denied.value)
                errors.append(ValueError(f"{wrong!r} {wrong._auth!r}"))
    assert any(line.startswith("httpx ") for line in capture.lines)
    assert any(line.startswith("httpcore") for line in capture.lines)
    assert_no_leaks(secrets, capture.lines, "the logs")
    assert_no_leaks(secrets, [t for e in errors for t in error_texts(e)], "the exceptions")


def test_contaazul_calls_key_request_and_echoed_tokens_leak_nothing(capture: Capture) -> None:
    fake = FakeContaAzul()
    secrets = Secrets()
    secrets.add(fake.application_token)
    secrets.add(fake.company_token)
    errors: list[BaseException] = []
    with FakeServer(fake) as server:
        with ContaAzul(
            fake.application_token,
            fake.company_token,
            base_url=server.url,
            rate_limiter=False,
            max_retries=0,
        ) as client:
            attempt = client.connect("https://example.test/back")
            secrets.add(attempt.public_token)
            list(islice(client.customers.list(), 3))
            fake.fail_next(
                Fault(status=422, body=echoing_body(fake.company_token, fake.application_token))
            )
            with pytest.raises(APIError) as rejected:
                list(client.customers.list())
            errors.append(rejected.value)
            assert rejected.value.field_errors  # the field error quoting the token was read
            fake.fail_next(Fault(status=500, body=echoing_body(fake.application_token)))
            with pytest.raises(APIError) as failed:
                client.connect("https://example.test/back")
            errors.append(failed.value)
        typo = fake.company_token[::-1]
        secrets.add(typo)
        with ContaAzul(
            fake.application_token, typo, base_url=server.url, rate_limiter=False, max_retries=0
        ) as wrong:
            with pytest.raises(APIError) as denied:
                list(wrong.customers.list())
            errors.append(denied.value)
    assert any("requestkey" in line for line in capture.lines)  # httpx logged the key request
    assert_no_leaks(secrets, capture.lines, "the logs")
    assert_no_leaks(secrets, [t for e in errors for t in error_texts(e)], "the exceptions")


def test_bling_oauth_refresh_and_failures_leak_nothing(capture: Capture) -> None:
    fake = FakeBling(rate_limit=None)
    fake.client_secret = BLING_SECRET
    secrets = Secrets()
    secrets.add(BLING_SECRET)
    secrets.add(WRONG_BLING_SECRET)
    basic = base64.b64encode(f"{fake.client_id}:{BLING_SECRET}".encode()).decode()
    secrets.add(basic)
    errors: list[BaseException] = []
    with FakeServer(fake) as server:
        token_url = server.url + "/Api/v3/oauth/token"
        oauth = BlingOAuth(fake.client_id, BLING_SECRET, token_url=token_url)
        code = fake.issue_code()
        secrets.add(code)
        tokens = oauth.exchange_code(code)
        secrets.add(tokens.access_token)
        secrets.add(tokens.refresh_token)
        store = MemoryTokenStore(tokens)
        base = server.url + "/Api/v3"
        with Bling(oauth=oauth, token_store=store, base_url=base, rate_limiter=False) as client:
            client.contatos.get(1001)
            fake.expire_access_tokens()
            client.contatos.get(1001)  # a 401, a refresh with the rotating refresh token
            renewed = store.load()
            assert renewed is not None
            assert renewed.access_token != tokens.access_token
            secrets.add(renewed.access_token)
            secrets.add(renewed.refresh_token)
            fault = Fault(
                status=400,
                body={
                    "error": {
                        "type": "VALIDATION_ERROR",
                        "message": f"bad header Authorization: Basic {basic}",
                        "description": f"token {renewed.access_token} refused",
                        "fields": [
                            {"code": 1, "element": "token", "msg": f"{renewed.refresh_token} !"}
                        ],
                    }
                },
            )
            fake.fail_next(fault)
            with pytest.raises(APIError) as rejected:
                client.contatos.get(1001)
            errors.append(rejected.value)
        wrong = BlingOAuth(fake.client_id, WRONG_BLING_SECRET, token_url=token_url)
        with pytest.raises(APIError) as denied:
            wrong.exchange_code(fake.issue_code())
        errors.append(denied.value)
        with pytest.raises(APIError) as denied:
            oauth.refresh(tokens)  # the refresh token was used up: invalid_grant
        errors.append(denied.value)
        errors.append(ValueError(repr(wrong)))
    assert_no_leaks(secrets, capture.lines, "the logs")
    assert_no_leaks(secrets, [t for e in errors for t in error_texts(e)], "the exceptions")


@pytest.mark.parametrize("erp", erp_names())
def test_a_bridge_pass_keeps_no_secret_in_report_store_or_logs(
    erp: str, tmp_path: Path, capture: Capture
) -> None:
    auvo_fake = FakeAuvo(api_key=AUVO_KEY, api_token=AUVO_TOKEN, seeded_tasks=False)
    seed_auvo(auvo_fake)
    secrets = Secrets()
    secrets.add(AUVO_KEY)
    secrets.add(AUVO_TOKEN)
    registered_fake = erp_kind(erp).fake.make(None, False)
    erp_fake = registered_fake.api
    erp_client = registered_fake.client(rate_limiter=False, max_retries=0)
    for credential in registered_fake.credentials().values():
        secrets.add(credential)
    seed_erp(erp, erp_client)
    credentials = sent_credentials(registered_fake)
    # Every write the ERP answers with an error quoting the credentials back.
    erp_fake.fail_next(Fault(status=400, body=echoing_body(*credentials), method="POST"), times=50)

    def hook(step: str, ref: str) -> None:
        if step == "search" and ref.startswith("customer"):
            raise RuntimeError(f"the store said no to {' '.join(credentials)}")

    store = bridge.SQLiteStore(tmp_path / "bridge.sqlite3")
    with FakeServer(auvo_fake) as server:
        auvo = Auvo(AUVO_KEY, AUVO_TOKEN, base_url=server.url + "/v2", rate_limiter=False)
        with auvo:
            report = run(demo_config(erp), store, auvo=auvo, erp=erp_client, hook=hook)
    assert report.failed  # the faults and the hook did fail records
    rows = dump_sqlite(tmp_path / "bridge.sqlite3")
    texts = [report.to_json(), report.table(), str(report), *rows]
    assert_no_leaks(secrets, texts, "the report and the store")
    assert_no_leaks(secrets, capture.lines, "the logs")


def dump_sqlite(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        tables = [r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return [repr(row) for t in tables for row in db.execute(f'SELECT * FROM "{t}"')]


@pytest.mark.parametrize("erp", erp_names())
def test_the_cli_prints_and_stores_no_secret(
    erp: str,
    tmp_path: Path,
    capture: Capture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    auvo_fake = FakeAuvo(api_key=AUVO_KEY, api_token=AUVO_TOKEN, seeded_tasks=False)
    seed_auvo(auvo_fake)
    kind = erp_kind(erp)
    registered_fake = kind.fake.make(None, False)
    erp_fake = registered_fake.api
    erp_client = registered_fake.client(rate_limiter=False)
    seed_erp(erp, erp_client)
    credentials = sent_credentials(registered_fake)
    secrets = Secrets()
    for value in (AUVO_KEY, AUVO_TOKEN, *registered_fake.credentials().values()):
        secrets.add(value)
    settings = {**kind.fake.demo_settings, **driver(erp).settings_for(erp_fake, tmp_path)}
    config = tmp_path / "bridge.toml"
    config.write_text(
        f'tenant = "acme"\n[auvo]\napi_key = "{AUVO_KEY}"\napi_token = "{AUVO_TOKEN}"\n'
        f'[erp]\nkind = "{erp}"\n' + "".join(f'{k} = "{v}"\n' for k, v in settings.items()),
        encoding="utf-8",
    )
    store = str(tmp_path / "cli.sqlite3")
    erp_fake.fail_next(Fault(status=400, body=echoing_body(*credentials), method="POST"), times=50)
    client_class = type(erp_client)
    assert client_class.base_url_env is not None  # where the CLI's client is pointed at the fake
    erp_path = urlsplit(client_class.default_base_url).path
    outputs: list[str] = []
    with FakeServer(auvo_fake) as auvo_server, FakeServer(erp_fake) as erp_server:
        monkeypatch.setenv("AUVO_BASE_URL", auvo_server.url + "/v2")
        monkeypatch.setenv(client_class.base_url_env, erp_server.url + erp_path)
        common = ["--config", str(config), "--store", store]
        for argv in (
            ["-v", "sync", *common],
            ["sync", *common, "--json"],
            ["retry-failed", *common],
            ["status", *common],
            ["report", *common],
            ["report", *common, "--json"],
        ):
            cli_main(argv)
            out = capsys.readouterr()
            outputs += [out.out, out.err]
    assert any("failed" in text for text in outputs)
    assert_no_leaks(secrets, outputs, "the CLI's output")
    assert_no_leaks(secrets, dump_sqlite(Path(store)), "the store")
    assert_no_leaks(secrets, capture.lines, "the logs")


def test_the_webhook_listener_does_not_log_its_secret_path(capture: Capture) -> None:
    secrets = Secrets()
    secrets.add(WEBHOOK_PATH.lstrip("/"))
    args = argparse.Namespace(webhook="127.0.0.1:0", webhook_path=WEBHOOK_PATH)
    wake = threading.Event()
    listener = _listener(args, wake)
    assert listener is not None
    try:
        delivery = urllib.request.Request(
            listener.url,
            data=json.dumps(
                {"result": {"EntityType": "Task", "Action": "Update", "Entities": []}}
            ).encode(),
            method="POST",
        )
        with urllib.request.urlopen(delivery) as answer:
            assert answer.status == 202
        assert wake.is_set()
    finally:
        listener.stop()
    assert any("webhook" in line for line in capture.lines)
    assert_no_leaks(secrets, capture.lines, "the logs")


def test_the_webhook_secret_is_masked_wherever_it_is_logged(
    capture: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    secret = "whsec-" + "Yh6Tg3Rf9Ed2Ws5"
    monkeypatch.setenv("PONTE_TEST_WEBHOOK_SECRET", secret)
    args = argparse.Namespace(
        webhook="127.0.0.1:0", webhook_path="/auvo", webhook_secret_env="PONTE_TEST_WEBHOOK_SECRET"
    )
    listener = _listener(args, threading.Event())
    assert listener is not None
    try:
        assert secret in listener.url  # the address to give Auvo holds it...
        logging.getLogger("bridge").warning("a proxy forwarded %s", listener.url)
    finally:
        listener.stop()
    assert _only(secret).leaks("\n".join(capture.lines)) == []  # ...no log line does
    assert redact_text(f"seen {secret}") == f"seen {MASK}"


# -- the registry and the filter -----------------------------------------------------------------


def test_a_registered_secret_is_masked_in_any_text_and_its_url_encoded_forms() -> None:
    from sdkcore.redact import register_secret

    secret = "reg+secret/" + "Kq2Wm9Xv4Lp7"
    register_secret(secret)
    text = f"a {secret} b {quote(secret, safe='')} c {quote_plus(secret)}"
    masked = redact_text(text)
    assert _only(secret).leaks(masked) == []
    assert masked.count(MASK) == 3


def test_too_short_values_are_not_registered() -> None:
    from sdkcore.redact import register_secret

    register_secret("ab")
    assert redact_text("a tab b") == "a tab b"


def test_the_registry_is_bounded_but_keeps_given_credentials() -> None:
    from sdkcore.redact import ROTATING_LIMIT, register_secret

    given = "given-credential-" + "Zr8Tq3Ys1Wn6"
    register_secret(given)
    rotating = [f"rotating-{i:06d}-Hx5Jb2Nc" for i in range(ROTATING_LIMIT + 10)]
    for token in rotating:
        register_secret(token, rotating=True)
    text = f"{given} {rotating[0]} {rotating[-1]}"
    masked = redact_text(text)
    assert given not in masked
    assert rotating[-1] not in masked
    assert rotating[0] in masked  # the oldest rotating token fell out of the window


def test_the_registry_is_thread_safe() -> None:
    from sdkcore.redact import register_secret

    values = [f"threaded-{i:04d}-Pq7Rs2Tu" for i in range(200)]

    def add(part: list[str]) -> None:
        for value in part:
            register_secret(value, rotating=True)
            redact_text(value)

    threads = [threading.Thread(target=add, args=(values[i::4],)) for i in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert all(redact_text(v) == MASK for v in values[-100:])


def test_the_log_filter_masks_httpx_httpcore_and_package_records(capture: Capture) -> None:
    import sdkcore  # noqa: F401  (importing a client package installs the filter)
    from sdkcore.redact import register_secret

    secret = "filtered-" + "Gh4Jk8Lm2Nb"
    register_secret(secret)
    for name in ("httpx", "httpcore.http11", "httpcore.connection", "sdkcore", "bridge.engine"):
        logging.getLogger(name).info("GET http://h/login/?apiKey=%s&x=1 %s", "plain", secret)
    try:
        raise ValueError(f"boom {secret}")
    except ValueError:
        logging.getLogger("auvo").exception("failed")
    assert len(capture.lines) == 6
    for line in capture.lines:
        assert secret not in line
        assert "plain" not in line


def test_errors_mask_registered_secrets_in_field_errors_and_details() -> None:
    from sdkcore.redact import register_secret

    secret = "echoed-" + "Vb3Nm6Qw9Er"
    register_secret(secret)
    err = APIError(
        f"no {secret}",
        body=f"body {secret}",
        field_errors=[FieldError("token", f"{secret} is wrong")],
        details={"a": [f"x {secret}"], "b": {"c": secret}, "code": "KEEP"},
    )
    assert all(secret not in text for text in error_texts(err))
    assert err.details["code"] == "KEEP"


def test_a_token_set_registers_its_tokens() -> None:
    tokens = TokenSet(access_token="ts-access-" + "Yu7Io4Pa1", refresh_token="ts-ref-" + "Sd8Fg5")
    text = redact_text(f"{tokens.access_token} {tokens.refresh_token}")
    assert tokens.access_token not in text
    assert tokens.refresh_token is not None
    assert tokens.refresh_token not in text


def _only(secret: str) -> Secrets:
    found = Secrets()
    found.add(secret)
    return found


def test_a_secret_cut_by_the_body_excerpt_is_masked_whole() -> None:
    from sdkcore.errors import BODY_EXCERPT_LIMIT
    from sdkcore.redact import register_secret

    secret = "straddling-" + "Wq5Er8Ty1Ui4Op7As"
    register_secret(secret)
    body = "x" * (BODY_EXCERPT_LIMIT - 20) + secret + " tail" * 200
    err = APIError("refused", body=body)
    assert _only(secret).leaks(err.body_excerpt) == []
    assert err.body_excerpt.endswith("…")


@given(
    prefix=st.text(max_size=40),
    suffix=st.text(max_size=40),
    secret=st.text(
        alphabet=st.characters(min_codepoint=33, max_codepoint=0x2FF), min_size=8, max_size=40
    ),
)
def test_a_registered_secret_is_masked_wherever_it_sits(
    prefix: str, suffix: str, secret: str
) -> None:
    register_secret(secret)
    masked = mask_secrets(prefix + secret + suffix)
    assert secret not in masked
    assert MASK in masked


def test_a_registered_value_equal_to_a_field_name_does_not_unmask_the_field() -> None:
    # Seen when tests built tokens from field names: the name was masked first, and the
    # field, no longer named like a secret, kept its value in clear.
    register_secret("accessToken")
    body = '{"accessToken":"eyJhbGciOiJSUzI1NiJ9.unregistered-token"}'
    assert "unregistered-token" not in redact_text(body)
