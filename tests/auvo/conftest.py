from __future__ import annotations

import base64
import json
from collections.abc import Callable
from typing import Any

import pytest

from auvo import AsyncAuvo, Auvo
from auvo.testing import FakeAuvo
from sdkcore.clock import FakeClock

from ..runner import Runner

KEY = "key-0123456789abcdef"
TOKEN = "tok-0123456789abcdef"
BASE = "https://api.auvo.com.br/v2"


def jwt(exp: float) -> str:
    def part(data: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")

    return f"{part({'alg': 'RS256'})}.{part({'exp': int(exp)})}.signature"


def login_body(token: str) -> dict[str, Any]:
    return {"result": {"authenticated": True, "accessToken": token, "message": "OK"}}


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return request.param == "async"


@pytest.fixture
def make_client(is_async: bool, clock: FakeClock) -> Callable[..., Runner]:
    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("rate_limiter", False)
        cls = AsyncAuvo if is_async else Auvo
        return Runner(cls(api_key=KEY, api_token=TOKEN, **kwargs), is_async)

    return make


@pytest.fixture
def fake(clock: FakeClock) -> FakeAuvo:
    return FakeAuvo(clock=clock)


@pytest.fixture
def on_fake(fake: FakeAuvo, is_async: bool, clock: FakeClock) -> Runner:
    client = fake.async_client(clock=clock) if is_async else fake.client(clock=clock)
    return Runner(client, is_async)
