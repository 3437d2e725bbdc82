"""Adversarial checks of the retry, identity and ambiguity rules, on both ERPs: a conflict
whose winning write was refused, a crash right after a customer is linked to a record that
differs, a customer search whose read failed half-way, a failed task deleted in Auvo, and
hypothesis over random faults (4xx, 5xx, timeout, rate limit, an answer lost after the server
acted, a crash after any protocol step) across passes, every customer direction and random
renames on both sides: the fault-free passes that follow must leave both systems as a clean
run leaves them, with no dead letter it does not have and a last pass that writes nothing."""

from __future__ import annotations

import contextlib
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bridge.context import STEPS
from bridge.engine import run
from bridge.erp.registry import erp_names
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeRequest, FakeResponse, Fault

from .conftest import World, make_world
from .erp.drivers import driver
from .test_retries_everywhere import Passes, Story, _add_erp_item, _fault, state

AUVO_PADARIA = "1"  # a seeded Auvo customer the first pass links or creates in the ERP


def _local_now(world: World) -> str:
    moment = datetime.fromtimestamp(world.auvo.clock.time(), SAO_PAULO)
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _rename_erp_customer(world: World, erp_id: str, name: str) -> None:
    driver(world.erp).rename_customer(world, erp_id, name)


def _erp_name(world: World, erp_id: str) -> str:
    return driver(world.erp).customer_name(world, erp_id)


def _conflict(erp: str, tmp_path: Path, name: str, refuse: bool) -> World:
    """Both sides rename one linked customer, the ERP a minute later; the pass that sees the
    conflict comes ten minutes after that (out of the next pass's lookback), and with
    ``refuse`` Auvo refuses the update that carries the ERP's (winning) name."""
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, name, clock=clock)
    passes = Passes(world, clock, {"quotations_enabled": False})
    passes.settle(3)
    link = world.store.get_link("demo", "customer", AUVO_PADARIA)
    assert link is not None
    record = world.auvo.data["customers"][AUVO_PADARIA]
    record["description"] = "Padaria (Auvo)"
    record["dateLastUpdate"] = _local_now(world)
    clock.advance(60)
    _rename_erp_customer(world, link.erp_id, "Padaria (ERP, later)")
    clock.advance(600)
    if refuse:
        world.auvo.fail_next(
            Fault(503, {"message": "down"}, method="PATCH", path_prefix="/v2/customers"), 3
        )
        first = passes.once()
        assert "customer:1" in {e["ref"] for e in first.streams["customers"].errors}
    passes.settle()
    assert _erp_name(world, link.erp_id) == "Padaria (ERP, later)"
    return world


@pytest.mark.parametrize("erp", erp_names())
def test_a_refused_conflict_write_keeps_the_later_change(erp: str, tmp_path: Path) -> None:
    """The ERP's later rename won the conflict, but Auvo refused its update: the retry must
    still apply the ERP's name to Auvo, not push Auvo's older name over the ERP's."""
    clean = state(_conflict(erp, tmp_path, "clean.sqlite3", refuse=False))
    faulted = state(_conflict(erp, tmp_path, "faulted.sqlite3", refuse=True))
    assert faulted == clean


@pytest.mark.parametrize("erp", erp_names())
def test_a_failed_task_deleted_in_auvo_is_not_retried_forever(erp: str, tmp_path: Path) -> None:
    """The compressor task fails (no ERP sells it), then someone deletes it in Auvo: there is
    nothing left to bill, so its dead letter goes, as a deleted customer's or quotation's
    does, instead of costing a call a day for ever."""
    clock = FakeClock(start=time.time())
    world = make_world(erp, tmp_path, clock=clock)
    passes = Passes(world, clock, {"quotations_enabled": False})
    passes.once()
    assert [d.ref for d in world.store.dead_letters("demo")] == ["task:505"]
    del world.auvo.data["tasks"]["505"]
    report = passes.once()
    assert "task:505" not in {e["ref"] for e in report.streams["tasks"].errors}
    assert world.store.dead_letters("demo") == []


# -- random fault sequences -------------------------------------------------------------------

START = float(int(time.time()) // 3600 * 3600)  # one start for the clean and faulted runs
SIDES_TARGETS: dict[str, tuple[str, str, str]] = {
    # name: (side, method, path or a key of the ERP driver's paths)
    "auvo-customer-create": ("auvo", "POST", "/v2/customers"),
    "auvo-customer-patch": ("auvo", "PATCH", "/v2/customers"),
    "auvo-customer-read": ("auvo", "GET", "/v2/customers"),
    "auvo-product-create": ("auvo", "POST", "/v2/products"),
    "auvo-service-create": ("auvo", "POST", "/v2/services"),
    "auvo-tasks-read": ("auvo", "GET", "/v2/tasks"),
    "auvo-quotations-read": ("auvo", "GET", "/v2/quotations"),
    "erp-customer-create": ("erp", "POST", "customers"),
    "erp-customer-read": ("erp", "GET", "customers"),
    "erp-sale-create": ("erp", "POST", "sales"),
    "erp-sale-read": ("erp", "GET", "sales"),
}
FAULT_KINDS = ("4xx", "5xx", "timeout", "429", "lost")
fault_spec = st.tuples(
    st.sampled_from(sorted(SIDES_TARGETS)),
    st.sampled_from(FAULT_KINDS),
    st.integers(min_value=1, max_value=3),
)
crash_spec = st.none() | st.tuples(
    st.integers(min_value=0, max_value=1),  # the pass
    st.sampled_from(STEPS),
    st.integers(min_value=1, max_value=8),  # the n-th step of that kind in the pass
)
# A rename on one side (of a customer linked by then), and the minutes before the next one.
edit_spec = st.tuples(
    st.sampled_from(["auvo", "erp"]),
    st.integers(min_value=0, max_value=3),
    st.integers(min_value=0, max_value=20),
)


class Crash(BaseException):
    """The process dies at a step of the write protocol: nothing after it runs."""


def _scenario_world(erp: str, folder: Path) -> tuple[World, FakeClock]:
    """The demo, plus a product and a service only the ERP sells (the catalog writes them to
    Auvo) and a customer on each side with neither CPF/CNPJ nor e-mail."""
    clock = FakeClock(start=START)
    world = make_world(erp, folder, clock=clock)
    now = datetime.fromtimestamp(clock.time(), UTC)
    two_days = (now - timedelta(days=2)).astimezone(SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")
    world.auvo.add(
        "customers",
        {"id": 50, "description": "Seu Joaquim", "creationDate": two_days}
        | {"dateLastUpdate": two_days},
    )
    driver(erp).add_customer(world, "Dona Rosa")
    _add_erp_item(world, "product")
    _add_erp_item(world, "service")
    return world, clock


def _inject(world: World, name: str, kind: str, times: int) -> Callable[[], None]:
    """Script ``times`` faults of ``kind`` on the target ``name``; returns what undoes it."""
    side, method, path = SIDES_TARGETS[name]
    fake = world.auvo if side == "auvo" else world.fake_erp
    prefix = driver(world.erp).paths[path] if side == "erp" else path
    if kind == "lost":  # the server acts, then the answer is lost
        original = fake.handle
        left = [times]

        def handle(request: FakeRequest) -> FakeResponse:
            response = original(request)
            if left[0] and request.method == method and request.path.startswith(prefix):
                left[0] -= 1
                raise httpx.ReadTimeout("lost")
            return response

        fake.handle = handle  # type: ignore[method-assign]
        return lambda: setattr(fake, "handle", original)
    story = Story(side, method, path)
    fake.fail_next(_fault(world, story, kind), times)
    return fake._faults.clear


class _Killer:
    """Kills pass ``number`` at the ``crash[2]``-th protocol step ``crash[1]``, when
    ``crash[0]`` is that pass."""

    def __init__(self, number: int, crash: tuple[int, str, int] | None) -> None:
        self.number, self.crash = number, crash
        self.steps: Counter[str] = Counter()

    def hook(self, step: str, ref: str) -> None:
        self.steps[step] += 1
        if self.crash == (self.number, step, self.steps[step]):
            raise Crash(f"{step} {ref}")


def _pass_that_may_crash(
    world: World, clock: FakeClock, passes: Passes, hook: Callable[[str, str], None]
) -> None:
    """One pass with ``hook``; a ``Crash`` ends it as a killed process would."""
    with contextlib.suppress(Crash):
        try:
            run(
                passes.config,
                world.store,
                auvo=world.auvo.client(clock=clock),
                erp=world.erp_client,
                hook=hook,
                now=lambda: datetime.fromtimestamp(clock.time(), UTC),
            )
        finally:
            clock.advance(passes.config.poll_interval.total_seconds())


def _edit(world: World, clock: FakeClock, side: str, pick: int, minutes: int) -> None:
    """Rename the ``pick``-th Auvo customer (by id) on ``side`` (in the ERP: its counterpart,
    when linked), then let ``minutes`` go by."""
    keys = sorted(world.auvo.data["customers"], key=int)
    key = keys[pick % len(keys)]
    link = world.store.get_link("demo", "customer", key)
    if side == "auvo":
        record = world.auvo.data["customers"][key]
        record["description"] = f"{record['description']} (Auvo {clock.time():.0f})"
        moment = datetime.fromtimestamp(clock.time(), SAO_PAULO)
        record["dateLastUpdate"] = moment.strftime("%Y-%m-%dT%H:%M:%S")
    else:
        ids = sorted(_erp_ids(world), key=int)
        ident = link.erp_id if link is not None else ids[pick % len(ids)]
        _rename_erp_customer(world, ident, f"{_erp_name(world, ident)} (ERP {clock.time():.0f})")
    clock.advance(60 * minutes)


def _erp_ids(world: World) -> list[str]:
    return [str(ident) for ident, _, _ in driver(world.erp).customers(world)]


def _outcome(
    erp: str,
    direction: str,
    faults: list[list[tuple[str, str, int]]],
    crash: tuple[int, str, int] | None,
    edits: tuple[tuple[str, int, int], ...] = (),
) -> dict[str, Any]:
    """Both systems after faulted passes (``faults[n]`` scripted for pass ``n``; ``crash``
    kills pass ``crash[0]`` at its ``crash[2]``-th protocol step ``crash[1]``), then
    fault-free passes. With ``edits``, a clean sync and those renames come first."""
    with tempfile.TemporaryDirectory() as folder:
        world, clock = _scenario_world(erp, Path(folder))
        config = {"customers_direction": direction}
        passes = Passes(world, clock, config)
        if edits:
            passes.settle(3)
            for edit in edits:
                _edit(world, clock, *edit)
        for n, scripted in enumerate(faults):
            undo = [_inject(world, *spec) for spec in scripted]
            killer = _Killer(n, crash)
            try:
                _pass_that_may_crash(world, clock, passes, killer.hook)
            finally:
                for step in undo:
                    step()
        passes.settle(7)
        result = state(world)
        world.store.close()
        return result


CLEAN: dict[tuple[Any, ...], dict[str, Any]] = {}


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(
    erp=st.sampled_from(erp_names()),
    direction=st.sampled_from(["auvo_to_erp", "erp_to_auvo", "both"]),
    faults=st.lists(st.lists(fault_spec, max_size=3), min_size=1, max_size=2),
    crash=crash_spec,
    edits=st.lists(edit_spec, max_size=3).map(tuple),
)
def test_random_faults_then_clean_passes_end_as_a_clean_run(
    erp: str,
    direction: str,
    faults: list[list[tuple[str, str, int]]],
    crash: tuple[int, str, int] | None,
    edits: tuple[tuple[str, int, int], ...],
) -> None:
    key = (erp, direction, edits)
    if key not in CLEAN:
        CLEAN[key] = _outcome(erp, direction, [], None, edits)
    assert _outcome(erp, direction, faults, crash, edits) == CLEAN[key]


@pytest.mark.parametrize("erp", erp_names())
def test_a_customer_search_whose_read_failed_never_answers_not_there(erp: str) -> None:
    """The ERP refuses the customer list once: the customer being searched fails, and the
    next customer's search in the same pass must read again, not take the half-read (empty)
    index for "the ERP has no such customer" and create a duplicate."""
    faults = [[("erp-customer-read", "4xx", 1)]]
    clean = _outcome(erp, "auvo_to_erp", [], None)
    assert _outcome(erp, "auvo_to_erp", faults, None) == clean


def _crashed_at(erp: str, direction: str, step: str, ref: str | None) -> dict[str, Any]:
    """Both systems after a first pass killed right after ``step`` of ``ref`` (none with
    ``None``), then fault-free passes."""
    with tempfile.TemporaryDirectory() as folder:
        world, clock = _scenario_world(erp, Path(folder))
        passes = Passes(world, clock, {"customers_direction": direction})

        def hook(at: str, what: str) -> None:
            if (at, what) == (step, ref):
                raise Crash(f"{at} {what}")

        _pass_that_may_crash(world, clock, passes, hook)
        passes.settle(4)
        result = state(world)
        world.store.close()
        return result


@pytest.mark.parametrize("erp", erp_names())
@pytest.mark.parametrize("direction", ["auvo_to_erp", "both"])
def test_a_crash_right_after_linking_a_customer_that_differs_pushes_nothing(
    erp: str, direction: str
) -> None:
    """The Auvo customer is linked to an ERP customer found by its CNPJ under another name;
    the process dies right after the link is saved. The link must already say what the ERP
    holds, or the next pass takes the difference for an ERP change and renames the customer
    in Auvo (``both``) where a clean run leaves both names alone."""
    clean = _crashed_at(erp, direction, "link", None)
    assert _crashed_at(erp, direction, "link", "customer:2") == clean
