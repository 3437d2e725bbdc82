from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from contaazul import AsyncContaAzul, ContaAzul
from sdkcore.clock import FakeClock

from ..runner import Runner

APP = "app-0000013e-6ac3-bf2b-0000-00569b9a1af2"
COMPANY = "co-0000013e-6ba7-7797-0000-00470355d8b2"
BASE = "https://api.contaazul.com.br"


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(params=["sync", "async"])
def make_client(request: pytest.FixtureRequest, clock: FakeClock) -> Callable[..., Runner]:
    is_async = request.param == "async"

    def make(**kwargs: Any) -> Runner:
        kwargs.setdefault("clock", clock)
        cls = AsyncContaAzul if is_async else ContaAzul
        return Runner(cls(application_token=APP, company_token=COMPANY, **kwargs), is_async)

    return make
