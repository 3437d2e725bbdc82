"""Fixtures of the ``contaazul.v2`` tests: a frozen clock, sync and async clients on a
mocked transport (``make_client``) or on the stateful fake (``fake``, ``on_fake``)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pytest

from contaazul.v2 import AsyncContaAzul, ContaAzul
from sdkcore.clock import FakeClock

from ..runner import Runner

if TYPE_CHECKING:
    from contaazul.v2.testing import FakeContaAzul

BASE = "https://api-v2.contaazul.com"
TOKEN_URL = "https://auth.contaazul.com/oauth2/token"
ACCESS_TOKEN = "test-v2-access-token-0123456789"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest, clock: FakeClock) -> Callable[..., Runner]:
    """Build a sync or async client (same kwargs) wrapped in a ``Runner``; no rate limiter
    unless asked, and a ready access token unless ``oauth=`` is given."""
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("rate_limiter", False)
        if "oauth" not in kwargs:
            kwargs.setdefault("access_token", ACCESS_TOKEN)
        cls = AsyncContaAzul if is_async else ContaAzul
        return Runner(cls(**kwargs), is_async)

    return make


@pytest.fixture
def fake(clock: FakeClock) -> FakeContaAzul:
    """The stateful fake, on the test's clock, with its rate limit off."""
    from contaazul.v2.testing import FakeContaAzul

    return FakeContaAzul(clock=clock, rate_limited=False)


@pytest.fixture(params=["sync", "async"])
def on_fake(
    request: pytest.FixtureRequest, fake: FakeContaAzul, clock: FakeClock
) -> Callable[..., Runner]:
    """A sync or async client on the fake."""
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        kwargs.setdefault("rate_limiter", False)
        client = fake.async_client(**kwargs) if is_async else fake.client(**kwargs)
        return Runner(client, is_async)

    return make
