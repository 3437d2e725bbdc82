"""``bling.Created`` keeps the constructor it had: ``Created(id, data)``, its warnings read
from the body's ``alertas`` (or ``warnings``) when not given."""

from __future__ import annotations

from bling import Created
from sdkcore.ids import Created as SharedCreated


def test_bling_created_still_takes_the_body_second_and_reads_its_alertas() -> None:
    body = {"id": 5, "alertas": ["estoque baixo"]}
    created = Created(5, body)
    assert isinstance(created, SharedCreated)
    assert created == 5
    assert created.data == body
    assert created.location is None
    assert created.alertas == created.warnings == ["estoque baixo"]


def test_a_single_warning_or_the_english_key_is_a_list_too() -> None:
    assert Created(5, {"warnings": "one"}).alertas == ["one"]
    assert Created(5).alertas == []
    assert Created(5, {"alertas": ["x"]}, warnings=["given"]).alertas == ["given"]
