"""A flow may yield ``Wait(seconds)``: the client sleeps on its own clock and resumes the flow."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sdkcore import Call, FakeClock, Page, RequestOptions
from sdkcore.client import Resource
from sdkcore.endpoints import Flow, PageFetcher, Wait, endpoint, paged

from ..runner import Runner

HOUR = 3600.0


def _json(response: httpx.Response) -> Any:
    return response.json()


def _get(path: str) -> Call[Any]:
    return Call(RequestOptions("GET", path), _json)


class Polling(Resource[Any]):
    @endpoint
    def poll(self, waits: tuple[float, ...]) -> Flow[list[Any]]:
        """One request, then for each wait: pause, then one more request."""
        seen: list[Any] = [(yield _get("/poll/0"))]
        for number, seconds in enumerate(waits, start=1):
            seen.append((yield Wait(seconds)))  # what a Wait sends back: None
            seen.append((yield _get(f"/poll/{number}")))
        return seen

    @endpoint
    def only_waits(self) -> Flow[str]:
        yield Wait(1.5)
        yield Wait(HOUR)
        return "slept"

    @paged
    def slow_pages(self) -> PageFetcher[int]:
        def fetch(number: int) -> Flow[Page[int]]:
            if number > 1:
                yield Wait(float(number))
            answer = yield _get(f"/page/{number}")
            return Page([answer["n"]], number, number + 1 if number < 3 else None)

        return fetch


def _timed(clock: FakeClock, stamps: list[tuple[str, float]]) -> Callable[..., httpx.Response]:
    """A transport step that notes the path and the fake time of each request."""

    def answer(request: httpx.Request) -> httpx.Response:
        stamps.append((request.url.path, clock.monotonic()))
        number = int(request.url.path.rsplit("/", 1)[1])
        return httpx.Response(200, json={"n": number})

    return answer


@pytest.fixture
def stamps() -> list[tuple[str, float]]:
    return []


@pytest.fixture
def polling(
    make_client: Callable[..., Runner],
    scripted: Any,
    clock: FakeClock,
    stamps: list[tuple[str, float]],
) -> tuple[Runner, Polling]:
    run = make_client(scripted(default=_timed(clock, stamps)), rate_limiter=False)
    return run, Polling(run.client)


def test_waits_sleep_on_the_client_clock_in_order(
    polling: tuple[Runner, Polling], clock: FakeClock, stamps: list[tuple[str, float]]
) -> None:
    run, resource = polling
    start, real_start = clock.monotonic(), time.monotonic()

    seen = run(resource.poll((0.5, 2.0, HOUR)))

    assert clock.sleeps == [0.5, 2.0, HOUR]
    # Each request went out after the waits before it, and only after them.
    assert stamps == [
        ("/poll/0", start),
        ("/poll/1", start + 0.5),
        ("/poll/2", start + 2.5),
        ("/poll/3", start + 2.5 + HOUR),
    ]
    assert seen == [{"n": 0}, None, {"n": 1}, None, {"n": 2}, None, {"n": 3}]
    assert time.monotonic() - real_start < 60  # an hour of fake waiting took no real hour


def test_a_flow_of_waits_alone(
    polling: tuple[Runner, Polling], clock: FakeClock, stamps: list[tuple[str, float]]
) -> None:
    run, resource = polling
    assert run(resource.only_waits()) == "slept"
    assert clock.sleeps == [1.5, HOUR]
    assert stamps == []


def test_raw_answer_of_a_flow_with_waits_is_its_last_response(
    polling: tuple[Runner, Polling], clock: FakeClock
) -> None:
    run, _ = polling
    raw = run(Polling(run.client.with_raw_response).poll((0.25,)))
    assert raw.status_code == 200
    assert raw.parsed == [{"n": 0}, None, {"n": 1}]
    assert raw.http_response.url.path == "/poll/1"
    assert clock.sleeps == [0.25]


def test_pages_may_wait_before_they_are_fetched(
    polling: tuple[Runner, Polling], clock: FakeClock, stamps: list[tuple[str, float]]
) -> None:
    run, resource = polling
    start = clock.monotonic()
    assert run.items(resource.slow_pages()) == [1, 2, 3]
    assert clock.sleeps == [2.0, 3.0]
    assert stamps == [("/page/1", start), ("/page/2", start + 2.0), ("/page/3", start + 5.0)]


def test_raw_pages_wait_too(polling: tuple[Runner, Polling], clock: FakeClock) -> None:
    run, _ = polling
    pages = run.pages(Polling(run.client.with_raw_response).slow_pages())
    assert [page.parsed.items for page in pages] == [[1], [2], [3]]
    assert clock.sleeps == [2.0, 3.0]


@pytest.mark.parametrize("seconds", [-1.0, float("nan"), float("inf"), "1"])
def test_a_wait_needs_finite_non_negative_seconds(seconds: Any) -> None:
    with pytest.raises(ValueError, match="finite number of seconds"):
        Wait(seconds)


def test_wait_is_a_frozen_value() -> None:
    assert Wait(0) == Wait(0.0)
    with pytest.raises(AttributeError):
        Wait(1.0).seconds = 2.0  # type: ignore[misc]
