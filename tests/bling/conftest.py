from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from bling import AsyncBling, Bling
from bling.testing import FakeBling
from sdkcore.clock import FakeClock

from ..runner import Runner

BASE = "https://api.bling.com.br/Api/v3"
TOKEN_URL = "https://api.bling.com.br/Api/v3/oauth/token"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def fake(clock: FakeClock) -> FakeBling:
    return FakeBling(clock=clock, rate_limit=None)


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest, clock: FakeClock) -> Callable[..., Runner]:
    """Build a sync or async client (same kwargs) wrapped in a ``Runner``."""
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("rate_limiter", False)
        if "oauth" not in kwargs:
            kwargs.setdefault("access_token", "test-access-token-0123456789")
        cls = AsyncBling if is_async else Bling
        return Runner(cls(**kwargs), is_async)

    return make


@pytest.fixture(params=["sync", "async"])
def on_fake(
    request: pytest.FixtureRequest, fake: FakeBling, clock: FakeClock
) -> Callable[..., Runner]:
    """A sync or async client on the fake."""
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("rate_limiter", False)
        client = fake.async_client(**kwargs) if is_async else fake.client(**kwargs)
        return Runner(client, is_async)

    return make


@pytest.fixture(scope="session")
def spec(specs_dir: Path) -> dict[str, Any]:
    path = specs_dir / "bling-v3" / "openapi.json"
    if not path.is_file():
        pytest.skip(f"Bling's OpenAPI description not found at {path}")
    return json.loads(path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
