"""202 + protocol: the create answers a protocol, and waiting polls it with backoff."""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given, strategies as st

from contaazul.v2 import ProtocolFailed, Protocolo, ProtocolTimeoutError
from contaazul.v2._protocol import (
    backoff_delays,
    create_with_protocol,
    protocol_call,
    wait_for_protocol,
)
from sdkcore import RequestValidationError
from sdkcore.client import PerCall
from sdkcore.clock import FakeClock
from sdkcore.endpoints import Step, run_async, run_sync

from ..runner import Runner
from .conftest import BASE

PROTOCOL_ID = "123e4567-e89b-12d3-a456-426614174000"
EVENT_ID = "9f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"
PROTOCOL_URL = f"{BASE}/v1/protocolo/{PROTOCOL_ID}"
RECEIVABLES_URL = f"{BASE}/v1/financeiro/eventos-financeiros/contas-a-receber"


def state(status: str, **more: Any) -> httpx.Response:
    return httpx.Response(200, json={"id": PROTOCOL_ID, "status": status, **more})


def drive(run: Runner, step: Step[Any]) -> Any:
    if run.is_async:
        return run(run_async(run.client, step))
    return run_sync(run.client, step)


def test_a_protocol_that_settles_is_returned_after_backing_off(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    with respx.mock(assert_all_called=True) as mock:
        route = mock.get(PROTOCOL_URL).mock(
            side_effect=[
                state("PENDING"),
                state("PENDING"),
                state("SUCCESS", evento_financeiro_id=EVENT_ID, resposta="ok"),
            ]
        )
        done = drive(run, wait_for_protocol(PerCall(), PROTOCOL_ID, first_delay=0.5))
    assert isinstance(done, Protocolo)
    assert (done.succeeded, done.evento_financeiro_id) == (True, EVENT_ID)
    assert route.call_count == 3
    assert clock.sleeps == [0.5, 1.0]


def test_a_failed_protocol_raises_with_its_reason(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    with respx.mock() as mock:
        mock.get(PROTOCOL_URL).mock(
            side_effect=[state("PENDING"), state("ERROR", resposta="Categoria inexistente.")]
        )
        with pytest.raises(ProtocolFailed) as caught:
            drive(run, wait_for_protocol(PerCall(), PROTOCOL_ID))
    failed = caught.value
    assert failed.reason == "Categoria inexistente."
    assert failed.protocolo.id == PROTOCOL_ID
    assert failed.protocolo.failed
    assert "Categoria inexistente." in str(failed)
    assert clock.sleeps == [0.5]


def test_a_protocol_that_never_settles_times_out_after_the_budget(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    with respx.mock() as mock:
        route = mock.get(PROTOCOL_URL).mock(return_value=state("PENDING"))
        flow = wait_for_protocol(PerCall(), PROTOCOL_ID, timeout_s=10, first_delay=0.5, max_delay=4)
        with pytest.raises(ProtocolTimeoutError) as caught:
            drive(run, flow)
    assert clock.sleeps == [0.5, 1.0, 2.0, 4.0, 2.5]
    assert route.call_count == len(clock.sleeps) + 1  # one last look at the deadline
    assert caught.value.waited == 10
    assert caught.value.protocolo.status == "PENDING"


def test_an_unknown_status_is_waited_on_like_pending(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    with respx.mock() as mock:
        mock.get(PROTOCOL_URL).mock(side_effect=[state("QUEUED"), state("success")])
        done = drive(run, wait_for_protocol(PerCall(), PROTOCOL_ID))
    assert done.status == "success"
    assert clock.sleeps == [0.5]


def accepted(status: str = "PENDING") -> httpx.Response:
    body = {"protocolo": PROTOCOL_ID, "status": status, "data_criacao": "2024-10-22T14:30:00Z"}
    return httpx.Response(202, json=body)


def create_options() -> Any:
    return PerCall().request("POST", RECEIVABLES_URL.removeprefix(BASE), json_body={"x": 1})


def test_a_create_answers_its_protocol_without_waiting(
    make_client: Callable[..., Runner],
) -> None:
    run = make_client()
    with respx.mock(assert_all_called=False) as mock:
        mock.post(RECEIVABLES_URL).mock(return_value=accepted())
        polled = mock.get(PROTOCOL_URL)
        created = drive(run, create_with_protocol(create_options(), PerCall(), wait=False))
    assert (created.id, created.status, created.settled) == (PROTOCOL_ID, "PENDING", False)
    assert created.data_criacao is not None
    assert created.data_criacao.utcoffset() is not None
    assert not polled.called


def test_a_create_with_wait_polls_until_settled(
    make_client: Callable[..., Runner], clock: FakeClock
) -> None:
    run = make_client()
    with respx.mock() as mock:
        mock.post(RECEIVABLES_URL).mock(return_value=accepted())
        mock.get(PROTOCOL_URL).mock(
            side_effect=[state("PENDING"), state("SUCCESS", evento_financeiro_id=EVENT_ID)]
        )
        done = drive(run, create_with_protocol(create_options(), PerCall(), wait=True))
    assert done.evento_financeiro_id == EVENT_ID
    # The 202 was the first look: the wait sleeps before each poll, the first one too.
    assert clock.sleeps == [0.5, 1.0]


def test_a_create_settled_at_once_is_not_polled(make_client: Callable[..., Runner]) -> None:
    run = make_client()
    with respx.mock(assert_all_called=False) as mock:
        mock.post(RECEIVABLES_URL).mock(return_value=accepted("SUCCESS"))
        polled = mock.get(PROTOCOL_URL)
        done = drive(run, create_with_protocol(create_options(), PerCall(), wait=True))
    assert done.succeeded
    assert not polled.called


def test_a_protocol_id_is_checked_before_it_goes_into_the_path() -> None:
    with pytest.raises(RequestValidationError, match="protocolo_id"):
        protocol_call(PerCall(), "../v1/pessoas")


def test_protocol_reads_both_the_202_and_the_get_shapes() -> None:
    from_get = Protocolo.model_validate_json(f'{{"id": "{PROTOCOL_ID}", "status": "ERROR"}}')
    from_202 = Protocolo.model_validate_json(f'{{"protocolo": "{PROTOCOL_ID}"}}')
    assert from_get.id == from_202.id == PROTOCOL_ID
    assert from_get.failed
    assert not from_202.settled


@given(
    first=st.floats(min_value=0.01, max_value=5),
    ceiling=st.floats(min_value=0.01, max_value=60),
    budget=st.floats(min_value=0, max_value=600),
)
def test_backoff_doubles_to_its_ceiling_and_spends_the_budget_exactly(
    first: float, ceiling: float, budget: float
) -> None:
    ceiling = max(ceiling, first)
    delays = backoff_delays(first, ceiling, budget)
    assert math.isclose(sum(delays), budget, abs_tol=1e-6)
    assert all(0 < d <= ceiling for d in delays)
    full = delays[:-1]
    assert all(b == min(a * 2, ceiling) for a, b in itertools.pairwise(full))
    assert len(delays) <= math.ceil(budget / first) + 1


def test_backoff_refuses_bounds_that_cannot_work() -> None:
    with pytest.raises(ValueError, match="first_delay"):
        backoff_delays(0, 1, 10)
    with pytest.raises(ValueError, match="first_delay"):
        backoff_delays(2, 1, 10)
