"""Bling's webhook deliveries nudge ``run``: ``run --webhook`` takes them at ``/erp`` beside
Auvo's, lets in only those signed with the app's client secret (``X-Bling-Signature-256``),
and logs neither the secret nor a signature. Real HTTP on loopback."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

import bridge.cli
from bling.webhooks import SIGNATURE_HEADER, signature
from bridge import BridgeConfig, ConfigError
from bridge.cli import _listener, _parser, main
from bridge.webhook_listener import WebhookListener

from ..test_webhook_listener import delivery

CLIENT_SECRET = "bling-app-SECRET-93fd0a"
AUVO_SECRET = "auvo-path-SECRET-1b7e"

ORDER_UPDATED = json.dumps(
    {
        "eventId": "01945f9c-8a1e-7b0c-9d3f-5e6a7b8c9d0e",
        "date": "2025-01-14T10:32:07Z",
        "version": "v1",
        "event": "order.updated",
        "companyId": "d9a8f7e6c5b4a3f2e1d0c9b8a7f6e5d4",
        "data": {"id": 12345678, "numero": 1042, "situacao": {"id": 9, "valor": 1}},
    }
).encode()


def _config(**changes: Any) -> BridgeConfig:
    values: dict[str, Any] = {
        "erp": "bling",
        "bling_client_id": "bling-app-id",
        "bling_client_secret": CLIENT_SECRET,
    }
    return BridgeConfig(**values | changes)


@pytest.fixture
def served(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> Iterator[WebhookListener]:
    """What ``run --webhook 127.0.0.1:0 --webhook-secret-env ...`` listens with for Bling."""
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("PONTE_TEST_AUVO_SECRET", AUVO_SECRET)
    argv = ["run", "--webhook", "127.0.0.1:0", "--webhook-secret-env", "PONTE_TEST_AUVO_SECRET"]
    listener = _listener(_parser().parse_args(argv), threading.Event(), _config())
    assert listener is not None
    try:
        yield listener
    finally:
        listener.stop()


def post(listener: WebhookListener, body: bytes, signed: str | None) -> httpx.Response:
    assert listener.erp_url is not None
    headers = {} if signed is None else {SIGNATURE_HEADER: signed}
    return httpx.post(listener.erp_url, content=body, headers=headers)


def test_the_address_to_register_with_bling_is_erp_and_logged(
    served: WebhookListener, caplog: pytest.LogCaptureFixture
) -> None:
    assert served.erp_url == served.url.removesuffix(f"/auvo/{AUVO_SECRET}") + "/erp"
    started = [record.getMessage() for record in caplog.get_records("setup")]
    assert f"listening for Bling webhooks at {served.erp_url}" in started


def test_a_signed_bling_delivery_wakes(
    served: WebhookListener, caplog: pytest.LogCaptureFixture
) -> None:
    answer = post(served, ORDER_UPDATED, signature(ORDER_UPDATED, CLIENT_SECRET))
    assert (answer.status_code, answer.content) == (202, b"")
    assert served.wake.is_set()
    assert "webhook: /erp order.updated 01945f9c-8a1e-7b0c-9d3f-5e6a7b8c9d0e" in caplog.text


@pytest.mark.parametrize(
    "signed",
    [
        None,
        "",
        signature(ORDER_UPDATED, "another-app-secret"),
        signature(ORDER_UPDATED + b"\n", CLIENT_SECRET),
        signature(ORDER_UPDATED, CLIENT_SECRET).removeprefix("sha256=")[:-2],
    ],
    ids=["missing", "empty", "another app's", "of another body", "cut short"],
)
def test_a_delivery_bling_did_not_sign_is_a_bare_401_and_does_not_wake(
    served: WebhookListener, signed: str | None
) -> None:
    answer = post(served, ORDER_UPDATED, signed)
    assert (answer.status_code, answer.content) == (401, b"")  # no reason given
    assert not served.wake.is_set()


@pytest.mark.parametrize(
    "body",
    [b"{not json", b"[]", json.dumps({"event": "order.updated", "data": {}}).encode()],
    ids=["not json", "not an object", "no eventId"],
)
def test_a_signed_body_that_is_no_bling_delivery_is_a_400(
    served: WebhookListener, body: bytes
) -> None:
    assert post(served, body, signature(body, CLIENT_SECRET)).status_code == 400
    assert not served.wake.is_set()


def test_auvos_path_is_unchanged_beside_it(served: WebhookListener) -> None:
    base = served.url.removesuffix("/" + AUVO_SECRET)
    assert httpx.post(base, content=delivery()).status_code == 401  # no secret
    assert not served.wake.is_set()
    assert httpx.post(served.url, content=delivery()).status_code == 202
    assert served.wake.is_set()


def test_neither_the_client_secret_nor_a_signature_is_logged(
    served: WebhookListener, caplog: pytest.LogCaptureFixture
) -> None:
    good = signature(ORDER_UPDATED, CLIENT_SECRET)
    wrong = signature(ORDER_UPDATED, "another-app-secret")
    post(served, ORDER_UPDATED, good)
    post(served, ORDER_UPDATED, wrong)
    post(served, b"{not json", signature(b"{not json", CLIENT_SECRET))
    ours = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any("/erp" in record.getMessage() for record in ours)
    for record in ours:
        text = record.getMessage() + str(record.exc_info)
        for secret in (CLIENT_SECRET, AUVO_SECRET, good, wrong, good.removeprefix("sha256=")):
            assert secret not in text
    assert CLIENT_SECRET not in repr(served) + served.redacted_url


def test_without_the_client_secret_only_auvo_is_served(caplog: pytest.LogCaptureFixture) -> None:
    args = _parser().parse_args(["run", "--webhook", "127.0.0.1:0"])
    listener = _listener(args, threading.Event(), _config(bling_client_secret=None))
    assert listener is not None
    try:
        assert listener.erp_url is None
    finally:
        listener.stop()
    assert "not listening for Bling webhooks: erp.client_secret: is required" in caplog.text


def test_auvo_cannot_be_given_the_erp_path() -> None:
    args = _parser().parse_args(["run", "--webhook", "127.0.0.1:0", "--webhook-path", "/erp"])
    with pytest.raises(ConfigError) as raised:
        _listener(args, threading.Event(), _config())
    assert raised.value.setting == "--webhook-path"


def test_run_serves_bling_deliveries_to_the_poll_it_wakes(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python -m bridge run --webhook`` end to end, up to the poll (whose waking the
    listener tests cover): a signed delivery sets the ``wake`` the poll was given."""
    caplog.set_level(logging.INFO)
    settings = tmp_path / "bridge.toml"
    settings.write_text(
        "[erp]\n"
        'kind = "bling"\n'
        'client_id = "bling-app-id"\n'
        f'client_secret = "{CLIENT_SECRET}"\n'
        f'token_file = "{tmp_path / "tokens.json"}"\n',
        encoding="utf-8",
    )
    woken: list[bool] = []

    def poll(*args: Any, wake: threading.Event, **kwargs: Any) -> int:
        [line] = [r.getMessage() for r in caplog.records if "Bling webhooks at" in r.getMessage()]
        url = line.rpartition(" at ")[2]
        signed = signature(ORDER_UPDATED, CLIENT_SECRET)
        answer = httpx.post(url, content=ORDER_UPDATED, headers={SIGNATURE_HEADER: signed})
        woken.append(answer.status_code == 202 and wake.is_set())
        return 0

    monkeypatch.setattr(bridge.cli, "poll", poll)
    argv = ["run", "--config", str(settings), "--store", ":memory:", "--webhook", ":0"]
    assert main(argv) == 0
    assert woken == [True]
