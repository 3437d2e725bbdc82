"""Deliveries to the webhook listener: which nudge ``bridge.poll``, which are refused, and
where ``run`` listens. Real HTTP on loopback (abuse is ``test_webhook_listener``'s)."""

from __future__ import annotations

import argparse
import json
import threading
from collections.abc import Iterator

import httpx
import pytest

from bridge.cli import _listener
from bridge.config import ConfigError
from bridge.webhook_listener import MAX_DELIVERY_BYTES, WebhookListener


def delivery(entity_type: str) -> bytes:
    result = {"EntityType": entity_type, "Action": "Alteracao", "EntityId": 23, "Entities": []}
    return json.dumps({"result": result}).encode()


@pytest.fixture
def listening() -> Iterator[tuple[WebhookListener, threading.Event]]:
    wake = threading.Event()
    with WebhookListener(wake, path="/auvo/s3cret") as listener:
        yield listener, wake


def test_a_task_delivery_nudges(listening: tuple[WebhookListener, threading.Event]) -> None:
    listener, wake = listening
    answer = httpx.post(listener.url, content=delivery("Tarefas"))
    assert answer.status_code == 202
    assert wake.is_set()


@pytest.mark.parametrize(
    ("body", "status"),
    [(delivery("Usuarios"), 200), (b"not json", 400), (b'{"result": {"Action": "x"}}', 400)],
)
def test_what_does_not_nudge(
    listening: tuple[WebhookListener, threading.Event], body: bytes, status: int
) -> None:
    listener, wake = listening
    assert httpx.post(listener.url, content=body).status_code == status
    assert not wake.is_set()


def test_other_paths_methods_and_sizes_are_refused(
    listening: tuple[WebhookListener, threading.Event],
) -> None:
    listener, wake = listening
    base = listener.url.removesuffix(listener.path)
    assert httpx.post(base + "/auvo", content=delivery("Tarefas")).status_code == 404
    assert httpx.get(listener.url).status_code == 405
    big = b" " * (MAX_DELIVERY_BYTES + 1)
    assert httpx.post(listener.url, content=big).status_code == 413
    assert not wake.is_set()


def test_run_listens_where_it_is_told() -> None:
    wake = threading.Event()
    args = argparse.Namespace(webhook="127.0.0.1:0", webhook_path="/hook")
    listener = _listener(args, wake)
    assert listener is not None
    try:
        assert httpx.post(listener.url, content=delivery("Cliente")).status_code == 202
        assert wake.is_set()
    finally:
        listener.stop()
    assert _listener(argparse.Namespace(webhook=None, webhook_path="/auvo"), wake) is None


def test_run_refuses_a_webhook_address_without_a_port() -> None:
    args = argparse.Namespace(webhook="localhost", webhook_path="/auvo")
    with pytest.raises(ConfigError, match="HOST:PORT"):
        _listener(args, threading.Event())


def test_run_takes_the_secret_from_the_settings_when_no_option_names_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from bridge.config import BridgeConfig

    from .conftest import ANY_ERP, erp_table

    monkeypatch.setenv("TEST_AUVO_HOOK_SECRET", "s3cr3t-from-settings")
    auvo = '[auvo]\napi_key = "k"\napi_token = "t"\nwebhook_secret = "env:TEST_AUVO_HOOK_SECRET"\n'
    config = BridgeConfig.from_toml(auvo + erp_table(ANY_ERP))
    wake = threading.Event()
    args = argparse.Namespace(webhook="127.0.0.1:0", webhook_path="/auvo", webhook_secret_env=None)
    listener = _listener(args, wake, config)
    assert listener is not None
    try:
        base = listener.url.removesuffix("/s3cr3t-from-settings")
        assert httpx.post(base, content=delivery("Tarefas")).status_code == 401
        assert not wake.is_set()
        assert httpx.post(listener.url, content=delivery("Tarefas")).status_code == 202
        assert wake.is_set()
    finally:
        listener.stop()
