"""A review's attacks on the webhook listener: Content-Length values that pass a naive digit
check but not ``int()``, an address that cannot be listened on, and an IPv6 address with a
scope id. Real sockets on loopback."""

from __future__ import annotations

import argparse
import logging
import socket
import threading
from pathlib import Path

import pytest

from bridge.cli import _listener, main
from bridge.config import ConfigError
from bridge.webhook_listener import WebhookListener

from .conftest import erp_table
from .test_webhook_listener import delivery, exchange, raw_post, status_of


@pytest.fixture
def listener() -> WebhookListener:
    with WebhookListener(threading.Event(), timeout=5) as served:
        yield served


ODD_LENGTHS = {
    "superscript two (a Latin-1 byte, and isdigit)": b"\xb2",
    "superscript digits": "¹²".encode("latin-1"),
    "5000 digits": b"9" * 5000,
    "5000 zeros then 5": b"0" * 5000 + b"5",
}


@pytest.mark.parametrize("length", ODD_LENGTHS.values(), ids=list(ODD_LENGTHS))
def test_a_content_length_int_cannot_read_is_a_4xx_not_a_logged_traceback(
    listener: WebhookListener, length: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    request = b"POST /auvo HTTP/1.1\r\nHost: x\r\n"
    request += b"Content-Length: " + length + b"\r\n\r\n" + delivery()
    with caplog.at_level(logging.DEBUG, logger="bridge"):
        answer = exchange(listener, request)
    assert 400 <= status_of(answer) < 500
    assert not listener.wake.is_set()
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]


def test_leading_zeros_in_a_content_length_are_still_the_number(
    listener: WebhookListener,
) -> None:
    body = delivery()
    request = raw_post(body=body, headers=f"Content-Length: 000{len(body)}\r\n")
    assert status_of(exchange(listener, request)) == 202


def _busy_port() -> socket.socket:
    taken = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    taken.bind(("127.0.0.1", 0))
    taken.listen()
    return taken


def test_an_address_that_cannot_be_listened_on_is_a_config_error() -> None:
    with _busy_port() as taken:
        port = taken.getsockname()[1]
        args = argparse.Namespace(
            webhook=f"127.0.0.1:{port}", webhook_path="/auvo", webhook_secret_env=None
        )
        with pytest.raises(ConfigError) as raised:
            _listener(args, threading.Event())
    assert raised.value.setting == "--webhook"
    assert f"127.0.0.1:{port}" in str(raised.value)


@pytest.mark.parametrize("address", ["busy", "nosuchhost.invalid:8765"])
def test_run_prints_one_error_line_when_it_cannot_listen(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], address: str
) -> None:
    config = tmp_path / "bridge.toml"
    config.write_text(erp_table(), encoding="utf-8")
    with _busy_port() as taken:
        if address == "busy":
            address = f"127.0.0.1:{taken.getsockname()[1]}"
        status = main(["run", "--config", str(config), "--store", ":memory:", "--webhook", address])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: --webhook: ")
    assert "Traceback" not in err


def _link_local() -> str | None:
    """A link-local IPv6 address of this host with its zone (``fe80::1%eth0``), if any."""
    try:
        lines = Path("/proc/net/if_inet6").read_text().splitlines()
    except OSError:
        return None
    for line in lines:
        hex_address, _, _, scope, _, interface = line.split()
        if scope == "20":  # link scope
            groups = [hex_address[i : i + 4] for i in range(0, 32, 4)]
            text = socket.inet_ntop(socket.AF_INET6, bytes.fromhex("".join(groups)))
            return f"{text}%{interface}"
    return None


LINK_LOCAL = _link_local()


@pytest.mark.skipif(LINK_LOCAL is None, reason="no link-local IPv6 address here")
def test_the_listener_serves_on_an_ipv6_address_with_a_scope_id() -> None:
    assert LINK_LOCAL is not None
    wake = threading.Event()
    with WebhookListener(wake, LINK_LOCAL) as served:
        host, port = served.address
        assert host == LINK_LOCAL
        zone = LINK_LOCAL.partition("%")[2]
        assert f"%25{zone}]:{port}/auvo" in served.url  # RFC 6874: the zone's % escaped
        where = socket.getaddrinfo(host, port, socket.AF_INET6, socket.SOCK_STREAM)[0][4]
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.settimeout(10)
            sock.connect(where)
            sock.sendall(raw_post(body=delivery()))
            answer = b"".join(iter(lambda: sock.recv(65536), b""))
    assert status_of(answer) == 202
    assert wake.is_set()
