"""A write the other side refused (4xx, 5xx, timeout, rate limit) is tried again on a later
pass, in every stream that writes, on both ERPs: once writes are accepted again, the passes
that follow leave both systems exactly as a fault-free run of the same story leaves them,
with no dead letter the clean run does not have. Retries are paced per record."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import httpx
import pytest

from auvo.testing._fake import RATE_LIMITED
from bridge.context import Context, record_failed
from bridge.engine import run
from bridge.erp.registry import erp_names
from bridge.report import SyncReport
from bridge.retries import RETRY_CAP, retry_due
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import Fault

from .conftest import World, make_world
from .erp.drivers import driver

AUVO_REFUSED = {"message": "The request is invalid."}
# Dropped keys: ids and numbers each side hands out in the order it is written to, and
# timestamps; what is left is what a person sees.
VOLATILE = {"id", "productId", "code", "numero", "deal_number", "_inclusao", "_alteracao"}
VOLATILE |= {"creationDate", "dateLastUpdate"}


@attrs.define
class Story:
    """One write to refuse: ``side`` and ``method`` on ``path``, with what sets it up."""

    side: str  # "auvo" | "erp"
    method: str
    path: str  # a key of the ERP driver's paths, or an Auvo path
    before: Callable[[World], None] = lambda world: None  # before the first pass
    between: Callable[[World], None] | None = None  # after a clean first pass: the edit
    config: dict[str, Any] = attrs.field(factory=dict)


def _add_erp_item(world: World, kind: str) -> None:
    driver(world.erp).add_item(world, kind)


def _reprice_erp_product(world: World) -> None:
    driver(world.erp).reprice_product(world)


def _rename_in_auvo(world: World) -> None:
    record = world.auvo.data["customers"]["1"]
    record["description"] = "Padaria Pão Quente e Confeitaria"
    moment = datetime.fromtimestamp(world.auvo.clock.time(), SAO_PAULO)
    record["dateLastUpdate"] = moment.strftime("%Y-%m-%dT%H:%M:%S")


def _rename_in_erp(world: World) -> None:
    """The customer only the ERP had (the bridge created it in Auvo) gets a new name."""
    driver(world.erp).rename_demo_only_customer(world)


STORIES = {
    "catalog-product-create": Story(
        "auvo", "POST", "/v2/products", before=lambda w: _add_erp_item(w, "product")
    ),
    "catalog-service-create": Story(
        "auvo", "POST", "/v2/services", before=lambda w: _add_erp_item(w, "service")
    ),
    "catalog-product-update": Story("auvo", "PATCH", "/v2/products", between=_reprice_erp_product),
    "customer-create-in-erp": Story("erp", "POST", "customers"),
    "customer-create-in-auvo": Story("auvo", "POST", "/v2/customers"),
    # the ERP's own method for an update of a customer (PUT, or PATCH): its driver says
    "customer-update-in-erp": Story("erp", "UPDATE", "customers", between=_rename_in_auvo),
    "customer-update-in-auvo": Story("auvo", "PATCH", "/v2/customers", between=_rename_in_erp),
    "task-sale": Story("erp", "POST", "sales"),
    "quotation-sale": Story("erp", "POST", "sales", config={"tasks_enabled": False}),
}
FAULTS = ("4xx", "5xx", "timeout", "429")


def _fault(world: World, story: Story, kind: str) -> Fault:
    path = driver(world.erp).paths[story.path] if story.side == "erp" else story.path
    method = driver(world.erp).customer_update if story.method == "UPDATE" else story.method
    where = {"method": method, "path_prefix": path}
    if kind == "timeout":
        return Fault(exception=httpx.ReadTimeout("timed out"), **where)
    if kind == "5xx":
        return Fault(503, {"message": "Service Unavailable"}, **where)
    if story.side == "auvo":
        # Auvo throttles with a 403 "Rate limit temporarily exceeded".
        if kind == "429":
            return Fault(403, RATE_LIMITED, **where)
        return Fault(400, AUVO_REFUSED, **where)
    erp = driver(world.erp)
    body = erp.throttled if kind == "429" else erp.refused
    return Fault(429 if kind == "429" else 400, body, **where)


class Passes:
    """Passes of one world on a simulated clock, a poll interval apart."""

    def __init__(self, world: World, clock: FakeClock, config: dict[str, Any]) -> None:
        self.world, self.clock, self.config = world, clock, world.config(**config)

    def once(self) -> SyncReport:
        world, clock = self.world, self.clock
        report = run(
            self.config,
            world.store,
            auvo=world.auvo.client(clock=clock),
            erp=world.erp_client,
            now=lambda: datetime.fromtimestamp(clock.time(), UTC),
        )
        clock.advance(self.config.poll_interval.total_seconds())
        return report

    def settle(self, passes: int = 6) -> SyncReport:
        """Enough passes for a record refused three times to be tried again (the waits
        after its failures: none, one interval, two), the last of which changes nothing."""
        for _ in range(passes):
            last = self.once()
        assert last.changed == 0, last.to_dict()
        return last


def _story(erp: str, tmp_path: Path, name: str, story: Story, fault: str | None) -> World:
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, name, clock=clock)
    story.before(world)
    passes = Passes(world, clock, story.config)
    if story.between is not None:
        passes.settle()
        story.between(world)
    if fault is not None:
        world_fault = _fault(world, story, fault)
        (world.auvo if story.side == "auvo" else world.fake_erp).fail_next(world_fault, 3)
        first = passes.once()
        assert first.failed, "the refused write was not reported"
    passes.settle()
    assert not world.auvo._faults, "a fault never fired"
    assert not world.fake_erp._faults, "a fault never fired"
    return world


def _customer_names(world: World) -> dict[int, str]:
    return {ident: name for ident, name, _ in driver(world.erp).customers(world)}


def _plain(value: Any, names: dict[int, str], erp: str) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            if key == "contact_id" or (key == "contato" and isinstance(item, dict)):
                ident = item if key == "contact_id" else item.get("id")
                out[key] = names.get(int(ident), f"unknown {ident}")
            elif key == "externalId" and isinstance(item, str) and item.startswith(erp + ":"):
                rest = item.split(":", 1)[1]
                out[key] = f"{erp}:{names[int(rest)]}" if rest.isdigit() else item
            elif key not in VOLATILE:
                out[key] = _plain(item, names, erp)
        return out
    if isinstance(value, list):
        return sorted(
            (_plain(v, names, erp) for v in value), key=lambda v: json.dumps(v, default=str)
        )
    return value


def state(world: World) -> dict[str, Any]:
    """Both systems as a person sees them, and the store's dead letters."""
    names = _customer_names(world)
    erp = driver(world.erp).records(world, as_json=True)
    auvo = {k: list(world.auvo.data[k].values()) for k in ("customers", "products", "services")}
    letters = sorted((d.stream, d.ref) for d in world.store.dead_letters("demo"))
    return {
        "erp": _plain(erp, names, world.erp),
        "auvo": _plain(auvo, names, world.erp),
        "dead_letters": letters,
    }


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize("story", list(STORIES))
@pytest.mark.parametrize("fault", FAULTS)
def test_a_refused_write_is_retried_until_both_sides_match_a_clean_run(
    erp: str, story: str, fault: str, tmp_path: Path
) -> None:
    clean = state(_story(erp, tmp_path, "clean.sqlite3", STORIES[story], None))
    faulted = state(_story(erp, tmp_path, "faulted.sqlite3", STORIES[story], fault))
    assert faulted == clean


# -- pacing ---------------------------------------------------------------------------------


def _context(world: World, moment: datetime) -> Context:
    from bridge.adapters import CallCounter
    from bridge.auvo_side import AuvoSide

    config = world.config()
    report = SyncReport("demo", world.erp, "r", moment)
    erp = config.erp_kind.adapter(world.erp_client, CallCounter())
    return Context(config, world.store, AuvoSide(world.auvo.client()), erp, report, moment)


@pytest.mark.parametrize("erp", erp_names())
def test_a_record_that_keeps_failing_is_retried_less_and_less_often(
    erp: str, tmp_path: Path
) -> None:
    world = make_world(erp, tmp_path)
    poll = world.config().poll_interval
    moment = datetime(2025, 3, 1, 12, tzinfo=UTC)
    waits = []
    for _ in range(12):
        ctx = _context(world, moment)
        record_failed(ctx, ctx.report.stream("tasks"), "tasks", "task:9", RuntimeError("boom"))
        [letter] = world.store.dead_letters("demo", "tasks")
        assert letter.next_at is not None
        waits.append(letter.next_at - moment)
        assert retry_due(ctx, letter) == (letter.next_at <= moment)
        moment = letter.next_at
    # The next pass tries a fresh failure again; then the wait doubles, up to a day.
    assert waits[:4] == [timedelta(0), poll, 2 * poll, 4 * poll]
    assert max(waits) == RETRY_CAP == timedelta(days=1)
    assert waits[-1] == RETRY_CAP


@pytest.mark.parametrize("erp", erp_names())
def test_a_task_that_keeps_failing_waits_its_turn(erp: str, tmp_path: Path) -> None:
    """The compressor no ERP sells: its task is tried on the next pass, then less often."""
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, clock=clock)
    passes = Passes(world, clock, {"quotations_enabled": False})
    tried = []
    for _ in range(6):
        report = passes.once()
        tried.append("task:505" in {e["ref"] for e in report.streams["tasks"].errors})
    # The next pass tries it again, then it waits one interval (pass 3 is due), then two
    # (pass 4 is skipped), then four.
    assert tried == [True, True, True, False, True, False]
    [letter] = world.store.dead_letters("demo", "tasks")
    assert letter.attempts == 4


@pytest.mark.parametrize("erp", erp_names())
def test_a_quotation_refused_at_its_stage_is_billed_after_it_moved_on(
    erp: str, tmp_path: Path
) -> None:
    """The sale of an approved quotation got a server error; before the next pass someone
    moved the quotation on to the next stage. It qualified when it failed: it is billed."""
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, clock=clock)
    passes = Passes(world, clock, {"tasks_enabled": False})
    world.fake_erp.fail_next(Fault(503, method="POST", path_prefix=driver(erp).paths["sales"]))
    first = passes.once()
    assert "quotation:1" in {e["ref"] for e in first.streams["quotations"].errors}
    quotations = world.auvo.data["quotations"]
    approved = dict(quotations["1"], publicId=9, products=[], summary=None)
    world.auvo.add("quotations", approved)  # nothing to bill: the stage still exists
    quotations["1"]["CurrentStage"] = {"id": 4, "description": "Executado", "position": 4}
    passes.settle(3)
    assert {ref.split(":")[1] for ref in world.sales()} == {"1"}
    assert world.store.dead_letters("demo") == []


def test_the_store_keeps_when_a_dead_letter_is_due(any_store: Any) -> None:
    moment = datetime(2025, 3, 1, 12, tzinfo=UTC)
    any_store.dead_letter("t", "tasks", "task:1", "boom")  # a letter without a turn: due now
    any_store.dead_letter("t", "tasks", "task:2", "boom", moment)
    any_store.dead_letter("t", "tasks", "task:2", "again", moment + timedelta(hours=1))
    first, second = any_store.dead_letters("t", "tasks")
    assert first.next_at is None
    assert (second.reason, second.attempts) == ("again", 2)
    assert second.next_at == moment + timedelta(hours=1)
    assert any_store.get_dead_letter("t", "tasks", "task:2") == second
    assert any_store.get_dead_letter("t", "tasks", "task:3") is None
    assert any_store.get_dead_letter("u", "tasks", "task:2") is None
