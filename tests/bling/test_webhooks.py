from __future__ import annotations

import json
import threading

import pytest
from hypothesis import given, strategies as st

from bling import Bling, BlingOAuth, Deduplicator, PedidoVenda, WebhookError, WebhookSignatureError
from bling.webhooks import Webhooks, signature

SECRET = "client-secret-for-webhooks"
BODY = json.dumps(
    {
        "eventId": "01945027-150d-72f3-ab10-ba5bb2a3ba4a",
        "date": "2024-12-18T13:51:33Z",
        "version": "v1",
        "event": "order.created",
        "companyId": "d4475854366a36c86a37e792f9634a51",
        "data": {"id": 12345678, "numero": 77, "total": 10.5, "contato": {"id": 1}},
    }
).encode()


def test_verify_accepts_the_right_signature_only() -> None:
    hooks = Webhooks(SECRET)
    good = signature(BODY, SECRET)
    assert good.startswith("sha256=")
    assert hooks.verify(BODY, good)
    assert hooks.verify(BODY.decode(), good.upper().replace("SHA256=", "sha256="))
    assert hooks.verify(BODY, good.removeprefix("sha256="))
    assert not hooks.verify(BODY + b" ", good)
    assert not hooks.verify(BODY, signature(BODY, "other-secret"))
    assert not hooks.verify(BODY, None)
    assert not hooks.verify(BODY, "")


def test_parse_into_a_typed_event() -> None:
    event = Webhooks(SECRET).construct_event(BODY, signature(BODY, SECRET))
    assert event.event_id == "01945027-150d-72f3-ab10-ba5bb2a3ba4a"
    assert event.resource == "order"
    assert event.action == "created"
    assert event.company_id == "d4475854366a36c86a37e792f9634a51"
    assert event.date is not None
    assert event.date.tzinfo is not None
    record = event.record
    assert isinstance(record, PedidoVenda)
    assert record.numero == 77
    unknown = Webhooks(SECRET).parse(
        json.dumps({"eventId": "x", "event": "stock.updated", "data": {"a": 1}})
    )
    assert unknown.record is None
    assert unknown.data == {"a": 1}


def test_bad_deliveries_raise() -> None:
    hooks = Webhooks(SECRET)
    with pytest.raises(WebhookSignatureError):
        hooks.construct_event(BODY, "sha256=00")
    with pytest.raises(WebhookError, match="envelope"):
        hooks.parse(b'{"no": "eventId"}')
    with pytest.raises(WebhookError, match="secret"):
        Webhooks(None).verify(BODY, "sha256=00")


def test_client_webhooks_use_the_apps_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    oauth = BlingOAuth("cid", SECRET)
    assert Bling(oauth=oauth).webhooks.verify(BODY, signature(BODY, SECRET))
    assert Bling("t-0123456789abcdef", webhook_secret=SECRET).webhooks.verify(
        BODY, signature(BODY, SECRET)
    )
    monkeypatch.setenv("BLING_CLIENT_SECRET", SECRET)
    assert Bling("t-0123456789abcdef").webhooks.verify(BODY, signature(BODY, SECRET))
    assert SECRET not in repr(Bling("t-0123456789abcdef").webhooks)


def test_deduplicator_drops_repeats_and_forgets_the_oldest() -> None:
    hooks = Webhooks(SECRET)
    event = hooks.parse(BODY)
    dedupe = Deduplicator(capacity=2)
    assert dedupe.first_time(event)
    assert not dedupe.first_time(event)
    assert list(dedupe.fresh([event, event])) == []
    assert dedupe.first_time("b")
    assert dedupe.first_time("c")
    assert len(dedupe) == 2
    assert dedupe.first_time(event)  # evicted, so seen as new
    with pytest.raises(ValueError, match="capacity"):
        Deduplicator(0)


def test_deduplicator_is_thread_safe() -> None:
    dedupe = Deduplicator()
    wins: list[bool] = []
    barrier = threading.Barrier(16)

    def work() -> None:
        barrier.wait()
        wins.append(dedupe.first_time("same-id"))

    threads = [threading.Thread(target=work) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert wins.count(True) == 1


@given(body=st.binary(max_size=512), secret=st.text(min_size=1, max_size=40))
def test_signature_round_trip(body: bytes, secret: str) -> None:
    hooks = Webhooks(secret)
    assert hooks.verify(body, signature(body, secret))
    assert not hooks.verify(body + b"x", signature(body, secret))
