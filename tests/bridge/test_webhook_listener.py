"""The webhook listener under abuse: bursts of deliveries, half-sent and malformed requests,
IPv6, and a secret that stays out of every log. Real sockets on loopback; the loop on
simulated time."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import itertools
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import httpx
import pytest

import bridge
import bridge.loop
from bridge.cli import _listener, _parser
from bridge.config import ConfigError
from bridge.webhook_listener import MAX_DELIVERY_BYTES, WebhookListener, WebhookPathTaken
from sdkcore.clock import FakeClock

from .conftest import ANY_ERP, make_world

SECRET = "k9Qw-webhook-SECRET-7f3a"


def delivery(entity_type: str = "Tarefas") -> bytes:
    result = {"EntityType": entity_type, "Action": "Alteracao", "EntityId": 23, "Entities": []}
    return json.dumps({"result": result}).encode()


def raw_post(path: str = "/auvo", body: bytes = b"", headers: str | None = None) -> bytes:
    if headers is None:
        headers = f"Content-Length: {len(body)}\r\n"
    return f"POST {path} HTTP/1.1\r\nHost: x\r\n{headers}\r\n".encode() + body


def exchange(listener: WebhookListener, request: bytes, *, family: int = socket.AF_INET) -> bytes:
    """Send ``request`` on a raw socket and read the answer until the server closes."""
    host, port = listener.address
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.settimeout(10)
        sock.connect((host, port))
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status_of(answer: bytes) -> int:
    assert answer.startswith(b"HTTP/1."), answer[:200]
    return int(answer.split(b" ", 2)[1])


# -- coalescing: a burst of deliveries starts one pass ----------------------------------------


class DeliveryClock(FakeClock):
    """A ``FakeClock`` on which webhook deliveries arrive at set moments. A sleep ends early
    at a delivery, as a real wait on ``wake`` does."""

    def __init__(self, wake: threading.Event, start: float) -> None:
        super().__init__(start)
        self.wake = wake
        self.due: list[float] = []
        self.arrived: list[float] = []

    def deliver(self, moments: list[float]) -> None:
        self.due = sorted(self.due + moments)
        self._arrive()

    def sleep(self, seconds: float) -> None:
        until = self.monotonic() + max(seconds, 0)
        if self.due and self.due[0] < until:
            until = max(self.due[0], self.monotonic())
        self.sleeps.append(until - self.monotonic())
        self.advance(until - self.monotonic())
        self._arrive()

    def _arrive(self) -> None:
        while self.due and self.due[0] <= self.monotonic():
            self.arrived.append(self.due.pop(0))
            self.wake.set()


def poll_with_deliveries(
    tmp_path: Path, deliveries: list[float], passes: int
) -> tuple[list[float], list[int], DeliveryClock]:
    """Poll on a ``DeliveryClock``; ``deliveries`` are seconds after the first pass ends.
    Returns each pass's start, the Auvo requests before each pass, and the clock."""
    wake = threading.Event()
    clock = DeliveryClock(wake, start=time.time())
    world = make_world(ANY_ERP, tmp_path, clock=clock)
    config = world.config(poll_interval=timedelta(minutes=10))
    starts: list[float] = []
    requests: list[int] = []

    def on_report(report: bridge.SyncReport) -> None:
        starts.append(report.started_at.timestamp())
        requests.append(len(world.auvo.requests))
        if len(starts) == 1:
            clock.deliver([clock.monotonic() + d for d in deliveries])

    auvo = world.auvo.client(clock=clock)
    ran = bridge.poll(
        config,
        world.store,
        auvo=auvo,
        erp=world.erp_client,
        wake=wake,
        clock=clock,
        on_report=on_report,
        max_passes=passes,
    )
    assert ran == passes
    return starts, requests, clock


def test_a_burst_of_200_deliveries_starts_one_pass(tmp_path: Path) -> None:
    burst = [i * 0.025 for i in range(200)]  # 200 deliveries over five seconds
    starts, requests, clock = poll_with_deliveries(tmp_path, burst, passes=3)
    assert len(clock.arrived) == 200
    # the second pass waits for the burst to end and answers all of it ...
    assert starts[1] >= clock.arrived[-1]
    assert starts[1] - clock.arrived[-1] <= bridge.loop.NUDGE_SETTLE_MAX_SECONDS
    # ... and the third runs on schedule: the burst brought one pass, not 200
    assert starts[2] - starts[1] >= 600
    per_pass = requests[0]
    assert requests[1] - requests[0] <= 2 * per_pass


def test_a_steady_trickle_of_deliveries_does_not_start_a_pass_each(tmp_path: Path) -> None:
    trickle = [3.0 * i for i in range(40)]  # one delivery every 3 s for two minutes
    starts, _, clock = poll_with_deliveries(tmp_path, trickle, passes=8)
    assert len(clock.arrived) == 40
    window = [s for s in starts[1:] if s <= clock.arrived[-1]]
    assert 1 <= len(window) <= 120 / bridge.loop.NUDGE_MIN_GAP_SECONDS + 1
    gaps = [b - a for a, b in itertools.pairwise(starts)]
    assert min(gaps) >= bridge.loop.NUDGE_MIN_GAP_SECONDS


def test_a_single_nudge_still_brings_a_pass_soon(tmp_path: Path) -> None:
    starts, _, clock = poll_with_deliveries(tmp_path, [100.0], passes=2)
    assert 0 < starts[1] - clock.arrived[0] <= bridge.loop.NUDGE_SETTLE_SECONDS + 1


# -- connections: timeouts and a bound --------------------------------------------------------


def test_200_half_sent_requests_hold_neither_200_threads_nor_the_listener() -> None:
    wake = threading.Event()
    before = threading.active_count()
    with WebhookListener(wake, timeout=0.5, max_connections=8) as listener:
        host, port = listener.address
        stalled = []
        peak = 0
        try:
            for _ in range(200):
                sock = socket.create_connection((host, port), timeout=10)
                sock.sendall(b"POST /auvo HTTP/1.1\r\nHost: x\r\nContent-Le")  # and nothing more
                stalled.append(sock)
                peak = max(peak, threading.active_count())
            # the listener still answers at once (503 while its slots are taken) ...
            answer = httpx.post(listener.url, content=delivery(), timeout=10)
            assert answer.status_code in (202, 503)
            # ... and takes the delivery once the stalled ones time out, though they stay open
            for _ in range(100):
                if answer.status_code == 202:
                    break
                wake.wait(0.1)
                answer = httpx.post(listener.url, content=delivery(), timeout=10)
            assert answer.status_code == 202
            assert wake.is_set()
            peak = max(peak, threading.active_count())
        finally:
            for sock in stalled:
                sock.close()
    # the serving thread plus at most eight connections, not one thread per connection
    assert peak <= before + 1 + 8


def test_a_request_trickled_a_byte_at_a_time_is_cut_off() -> None:
    with WebhookListener(threading.Event(), timeout=0.5) as listener:
        sock = socket.create_connection(listener.address, timeout=10)
        with sock:
            closed = False
            for byte in b"POST /auvo HTTP/1.1\r\nHost: x\r\n" + b"X-Pad: " + b"a" * 400:
                try:
                    sock.send(bytes([byte]))
                    sock.settimeout(0.05)
                    if sock.recv(1024) == b"":
                        closed = True
                        break
                except TimeoutError:
                    pass
                except OSError:
                    closed = True
                    break
            assert closed  # each byte came well inside the timeout; the whole did not


# -- malformed requests: a 4xx, never a traceback or a dropped connection ---------------------


@pytest.fixture
def listener(caplog: pytest.LogCaptureFixture) -> Iterator[WebhookListener]:
    caplog.set_level(logging.DEBUG)
    with WebhookListener(threading.Event(), timeout=2) as served:
        yield served
    assert "Traceback" not in caplog.text
    for record in caplog.records:
        assert record.exc_info is None, record.getMessage()


def nested(depth: int) -> bytes:
    return b'{"result": ' + b"[" * depth + b"]" * depth + b"}"


MALFORMED = {
    "bad content-length": raw_post(headers="Content-Length: ten\r\n") + b"0123456789",
    "negative content-length": raw_post(headers="Content-Length: -5\r\n"),
    "two content-lengths": raw_post(headers="Content-Length: 2\r\nContent-Length: 3\r\n") + b"{}",
    "no body": raw_post(headers=""),
    "empty body": raw_post(body=b""),
    "chunked": raw_post(headers="Transfer-Encoding: chunked\r\n") + b"2\r\n{}\r\n0\r\n\r\n",
    "shorter than said": raw_post(headers="Content-Length: 50\r\n") + b'{"a": 1}',
    "invalid json": raw_post(body=b"{not json"),
    "deeply nested json": raw_post(body=nested(100_000)),
    "not utf-8": raw_post(body=b'{"result": "\xff\xfe"}'),
    "bad request line": b"POST\r\n\r\n",
    "bad http version": b"POST /auvo HTTP/9\r\n\r\n",
    "absolute url": raw_post(path="http://evil/auvo", body=delivery()),
    "dot segments": raw_post(path="/x/../auvo", body=delivery()),
    "percent junk": raw_post(path="/auvo%zz?%zz=%", body=delivery()),
    "unknown method": b"BREW /auvo HTTP/1.1\r\nHost: x\r\n\r\n",
    "put": b"PUT /auvo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}",
    "header too long": b"POST /auvo HTTP/1.1\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
}


@pytest.mark.parametrize("request_bytes", MALFORMED.values(), ids=MALFORMED.keys())
def test_a_malformed_request_gets_a_4xx(listener: WebhookListener, request_bytes: bytes) -> None:
    answer = exchange(listener, request_bytes)
    assert 400 <= status_of(answer) < 500
    assert not listener.wake.is_set()


def test_a_non_ascii_path_is_not_found(listener: WebhookListener) -> None:
    answer = exchange(
        listener, b"POST /auvo\xff HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}"
    )
    assert status_of(answer) == 404


def test_a_query_string_is_ignored(listener: WebhookListener) -> None:
    answer = exchange(listener, raw_post(path="/auvo?source=auvo&x=%ff", body=delivery()))
    assert status_of(answer) == 202


def test_a_deeply_nested_body_is_refused_by_receive_itself() -> None:
    wake = threading.Event()
    with WebhookListener(wake) as served:
        assert served.receive(nested(100_000)) == 400
    assert not wake.is_set()


# -- IPv6 -------------------------------------------------------------------------------------


def ipv6_loopback() -> bool:
    if not socket.has_ipv6:
        return False
    try:
        with socket.socket(socket.AF_INET6, socket.SOCK_STREAM) as sock:
            sock.bind(("::1", 0))
    except OSError:
        return False
    return True


needs_ipv6 = pytest.mark.skipif(not ipv6_loopback(), reason="no IPv6 loopback here")


@needs_ipv6
def test_the_listener_serves_on_ipv6() -> None:
    wake = threading.Event()
    with WebhookListener(wake, "::1", 0) as served:
        assert served.url.startswith("http://[::1]:")
        assert status_of(exchange(served, raw_post(body=delivery()), family=socket.AF_INET6)) == 202
    assert wake.is_set()


@needs_ipv6
def test_run_takes_a_bracketed_ipv6_address() -> None:
    wake = threading.Event()
    args = _parser().parse_args(["run", "--webhook", "[::1]:0"])
    served = _listener(args, wake)
    assert served is not None
    try:
        assert served.url.startswith("http://[::1]:")
        assert httpx.post(served.url, content=delivery()).status_code == 202
    finally:
        served.stop()


@pytest.mark.parametrize(
    "address", ["::1:8765", "[::1]", "[::1]8765", "[::1:8765", "127.0.0.1:http", ":"]
)
def test_run_refuses_an_ambiguous_or_bad_address(address: str) -> None:
    args = argparse.Namespace(webhook=address, webhook_path="/auvo", webhook_secret_env=None)
    with pytest.raises(ConfigError, match="HOST:PORT"):
        _listener(args, threading.Event())


def test_run_takes_a_port_alone_on_loopback() -> None:
    args = argparse.Namespace(webhook=":0", webhook_path="/auvo", webhook_secret_env=None)
    served = _listener(args, threading.Event())
    assert served is not None
    try:
        assert served.url.startswith("http://127.0.0.1:")
    finally:
        served.stop()


# -- the secret -------------------------------------------------------------------------------


@pytest.fixture
def guarded(caplog: pytest.LogCaptureFixture) -> Iterator[WebhookListener]:
    caplog.set_level(logging.DEBUG)
    with WebhookListener(threading.Event(), path="/auvo", secret=SECRET, timeout=2) as served:
        yield served


def test_a_delivery_may_carry_the_secret_in_the_path(guarded: WebhookListener) -> None:
    assert guarded.url.endswith(f"/auvo/{SECRET}")  # the address to give Auvo
    assert httpx.post(guarded.url, content=delivery()).status_code == 202
    assert guarded.wake.is_set()


@pytest.mark.parametrize(
    "headers", [{"X-Webhook-Secret": SECRET}, {"Authorization": f"Bearer {SECRET}"}]
)
def test_a_delivery_may_carry_the_secret_in_a_header(
    guarded: WebhookListener, headers: dict[str, str]
) -> None:
    url = guarded.url.removesuffix("/" + SECRET)
    assert httpx.post(url, content=delivery(), headers=headers).status_code == 202
    assert guarded.wake.is_set()


@pytest.mark.parametrize(
    ("suffix", "headers", "status"),
    [
        ("", {}, 401),
        ("", {"X-Webhook-Secret": "wrong"}, 401),
        ("", {"Authorization": f"Basic {SECRET}"}, 401),
        ("", {"Authorization": f"Bearer {SECRET}x"}, 401),
        ("/wrong", {}, 404),
        (f"/{SECRET[:-1]}", {}, 404),
        (f"/{SECRET}/more", {}, 404),
        ("/x\u00e9", {}, 404),
    ],
)
def test_a_delivery_without_the_secret_is_refused_without_saying_why(
    guarded: WebhookListener, suffix: str, headers: dict[str, str], status: int
) -> None:
    url = guarded.url.removesuffix("/" + SECRET) + suffix
    answer = httpx.post(url, content=delivery(), headers=headers)
    assert answer.status_code == status
    assert answer.content == b""
    assert not guarded.wake.is_set()


def test_the_secret_never_reaches_a_log_or_a_repr(
    guarded: WebhookListener, caplog: pytest.LogCaptureFixture
) -> None:
    base = guarded.url.removesuffix("/" + SECRET)
    httpx.post(guarded.url, content=delivery())
    httpx.post(guarded.url + "?x=1", content=b"not json")
    httpx.post(guarded.url, content=nested(50_000))
    httpx.get(guarded.url)
    httpx.post(base, content=delivery(), headers={"X-Webhook-Secret": SECRET})
    httpx.post(base, content=delivery(), headers={"Authorization": f"Bearer {SECRET}"})
    httpx.post(base + "/" + SECRET + "/more", content=delivery())
    exchange(guarded, f"POST /auvo/{SECRET} HTTP/9\r\n\r\n".encode())
    exchange(guarded, f"GARBAGE /auvo/{SECRET}\r\n\r\n".encode())
    exchange(guarded, f"POST /auvo/{SECRET} HTTP/1.1\r\nContent-Length: x\r\n\r\n".encode())
    assert guarded.wake.is_set()
    # the listener's records (httpx, the client here, logs the URLs it was given)
    ours = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert ours  # the requests were logged, only not their secret
    for record in ours:
        assert SECRET not in record.getMessage()
        assert SECRET not in str(record.exc_info)
    assert SECRET not in repr(guarded)
    assert guarded.redacted_url.endswith("/auvo/***")


def test_the_startup_line_masks_the_secret(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("PONTE_TEST_WEBHOOK_SECRET", SECRET)
    args = _parser().parse_args(
        ["run", "--webhook", "127.0.0.1:0", "--webhook-secret-env", "PONTE_TEST_WEBHOOK_SECRET"]
    )
    served = _listener(args, threading.Event())
    assert served is not None
    try:
        path = f"/auvo/{SECRET}"  # a raw socket: httpx, as a client, logs the URLs it is given
        assert status_of(exchange(served, raw_post(path=path, body=delivery()))) == 202
    finally:
        served.stop()
    assert "listening for Auvo webhooks at http://127.0.0.1:" in caplog.text
    assert "/auvo/***" in caplog.text
    out = capsys.readouterr()
    assert SECRET not in caplog.text + out.out + out.err


def test_the_startup_line_masks_a_secret_put_in_the_path(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    args = argparse.Namespace(webhook="127.0.0.1:0", webhook_path=f"/auvo/{SECRET}")
    served = _listener(args, threading.Event())
    assert served is not None
    try:
        exchange(served, raw_post(path=f"/auvo/{SECRET}", body=delivery()))
    finally:
        served.stop()
    assert "/auvo/***" in caplog.text
    assert SECRET not in caplog.text


def test_a_missing_secret_variable_is_named_not_shown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PONTE_TEST_WEBHOOK_SECRET", raising=False)
    args = _parser().parse_args(
        ["run", "--webhook", "127.0.0.1:0", "--webhook-secret-env", "PONTE_TEST_WEBHOOK_SECRET"]
    )
    with pytest.raises(ConfigError, match="PONTE_TEST_WEBHOOK_SECRET is not set"):
        _listener(args, threading.Event())


@pytest.mark.parametrize("secret", ["", "has/slash", "has space", "q?x", "ünï"])
def test_a_secret_that_cannot_sit_in_a_url_path_is_refused(secret: str) -> None:
    with pytest.raises(ValueError, match="secret") as caught:
        WebhookListener(threading.Event(), secret=secret)
    if secret:
        assert secret not in str(caught.value)


def test_the_secret_is_not_in_a_refused_listener_error() -> None:
    with pytest.raises(ValueError) as caught:
        WebhookListener(threading.Event(), secret=SECRET + " ")
    assert SECRET not in str(caught.value)


# -- the ERP's deliveries: signed, on a path of their own -------------------------------------

ERP_KEY = "erp-signing-KEY-5d1c"


def erp_signature(body: bytes) -> str:
    return hmac.new(ERP_KEY.encode(), body, hashlib.sha256).hexdigest()


class SignedDeliveries:
    """An ERP's ``ErpWebhooks`` as the listener sees one: an HMAC of the body in a header,
    a JSON body naming its event."""

    signature_header = "X-Erp-Signature"

    def __init__(self) -> None:
        self.parsed: list[bytes] = []

    def signed(self, body: bytes, signature: str | None) -> bool:
        return signature is not None and hmac.compare_digest(signature, erp_signature(body))

    def event(self, body: bytes) -> str:
        self.parsed.append(body)
        envelope = json.loads(body)  # a ValueError when it is not JSON
        if not isinstance(envelope, dict) or not isinstance(envelope.get("event"), str):
            raise ValueError("no event named")
        return envelope["event"]


ERP_DELIVERY = json.dumps({"event": "order.updated", "data": {"id": 7}}).encode()


@pytest.fixture
def with_erp(
    caplog: pytest.LogCaptureFixture,
) -> Iterator[tuple[WebhookListener, SignedDeliveries]]:
    caplog.set_level(logging.DEBUG)
    erp = SignedDeliveries()
    with WebhookListener(threading.Event(), secret=SECRET, timeout=2, erp=erp) as served:
        yield served, erp


def post_erp(served: WebhookListener, body: bytes, signature: str | None) -> httpx.Response:
    assert served.erp_url is not None
    headers = {} if signature is None else {"X-Erp-Signature": signature}
    return httpx.post(served.erp_url, content=body, headers=headers)


def test_a_signed_erp_delivery_wakes(
    with_erp: tuple[WebhookListener, SignedDeliveries], caplog: pytest.LogCaptureFixture
) -> None:
    served, _ = with_erp
    assert served.erp_url == served.url.removesuffix(f"/auvo/{SECRET}") + "/erp"
    answer = post_erp(served, ERP_DELIVERY, erp_signature(ERP_DELIVERY))
    assert (answer.status_code, answer.content) == (202, b"")
    assert served.wake.is_set()
    assert "webhook: /erp order.updated; next pass soon" in caplog.text


@pytest.mark.parametrize(
    "signature",
    [None, "", "0" * 64, erp_signature(ERP_DELIVERY + b" "), erp_signature(ERP_DELIVERY)[:-1]],
    ids=["missing", "empty", "zeros", "of another body", "cut short"],
)
def test_an_erp_delivery_not_signed_is_refused_unread(
    with_erp: tuple[WebhookListener, SignedDeliveries], signature: str | None
) -> None:
    served, erp = with_erp
    answer = post_erp(served, ERP_DELIVERY, signature)
    assert (answer.status_code, answer.content) == (401, b"")
    assert not served.wake.is_set()
    assert erp.parsed == []  # nothing unsigned is parsed


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"data": {}}', nested(100_000)])
def test_a_signed_erp_body_that_is_no_delivery_is_a_400(
    with_erp: tuple[WebhookListener, SignedDeliveries], body: bytes
) -> None:
    served, _ = with_erp
    assert post_erp(served, body, erp_signature(body)).status_code == 400
    assert not served.wake.is_set()


def test_the_erp_path_keeps_the_limits_and_the_auvo_path_its_secret(
    with_erp: tuple[WebhookListener, SignedDeliveries],
) -> None:
    served, _ = with_erp
    big = b" " * (MAX_DELIVERY_BYTES + 1)
    assert post_erp(served, big, erp_signature(big)).status_code == 413
    erp_path = "/erp"
    chunked = f"Transfer-Encoding: chunked\r\nX-Erp-Signature: {erp_signature(b'{}')}\r\n"
    assert status_of(exchange(served, raw_post(erp_path, headers=chunked) + b"0\r\n\r\n")) == 411
    erp_url = served.erp_url or ""
    assert httpx.get(erp_url).status_code == 405
    assert not served.wake.is_set()
    # Auvo's path is as it was: its secret lets a delivery in, an ERP signature does not
    base = served.url.removesuffix("/" + SECRET)
    signed = {"X-Erp-Signature": erp_signature(delivery())}
    assert httpx.post(base, content=delivery(), headers=signed).status_code == 401
    assert httpx.post(erp_url + "/more", content=ERP_DELIVERY).status_code == 404
    assert not served.wake.is_set()
    assert httpx.post(served.url, content=delivery()).status_code == 202
    assert served.wake.is_set()


def test_without_an_erp_its_path_is_not_found() -> None:
    with WebhookListener(threading.Event()) as served:
        assert served.erp_url is None
        base = served.url.removesuffix(served.path)
        signed = {"X-Erp-Signature": erp_signature(ERP_DELIVERY)}
        assert httpx.post(base + "/erp", content=ERP_DELIVERY, headers=signed).status_code == 404
        assert not served.wake.is_set()


def test_neither_the_key_nor_a_signature_reaches_a_log(
    with_erp: tuple[WebhookListener, SignedDeliveries], caplog: pytest.LogCaptureFixture
) -> None:
    served, _ = with_erp
    good = erp_signature(ERP_DELIVERY)
    wrong = erp_signature(b"another body")
    post_erp(served, ERP_DELIVERY, good)
    post_erp(served, ERP_DELIVERY, wrong)
    post_erp(served, b"{not json", erp_signature(b"{not json"))
    exchange(served, f"POST /erp HTTP/9\r\nX-Erp-Signature: {good}\r\n\r\n".encode())
    ours = [r for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert any("/erp" in record.getMessage() for record in ours)
    for record in ours:
        for secret in (ERP_KEY, good, wrong, erp_signature(b"{not json")):
            assert secret not in record.getMessage()
    assert served.redact("/erp?sig=x") == "/erp?***"


@pytest.mark.parametrize("auvo_path", ["/erp", "/"])
def test_the_erp_path_cannot_be_auvos(auvo_path: str) -> None:
    secret = "erp" if auvo_path == "/" else None  # Auvo's path with its secret is /erp
    with pytest.raises(WebhookPathTaken, match="/erp is where the ERP's deliveries go"):
        WebhookListener(threading.Event(), path=auvo_path, secret=secret, erp=SignedDeliveries())
    with WebhookListener(threading.Event(), path=auvo_path, secret=secret) as served:
        assert served.url.endswith("/erp")  # no ERP deliveries: no clash
