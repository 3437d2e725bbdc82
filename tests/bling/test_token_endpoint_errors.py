"""Bling's token endpoint failing is a server error or a throttle, not bad credentials.

A 502, 503 or 429 from ``/oauth/token`` says nothing about the refresh token: the client
waits and refreshes again (its API request was never sent, so this is safe for a POST
too), and a refresh by hand raises ``ServerError`` or ``RateLimitError`` (with the
server's ``Retry-After``), never the ``AuthenticationError`` that means "authorise again".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from bling import AuthenticationError, RateLimitError, ServerError, TokenSet
from bling.testing import FakeBling
from sdkcore import MemoryTokenStore
from sdkcore.clock import FakeClock
from sdkcore.testing import Fault

from ..runner import Runner

TOKEN_PATH = "/Api/v3/oauth/token"
FAILURES = {
    "502": Fault(502, raw=b"<html><body>502 Bad Gateway</body></html>", path_prefix=TOKEN_PATH),
    "503": Fault(503, {"error": "temporarily_unavailable"}, path_prefix=TOKEN_PATH),
    "429": Fault(
        429,
        {"error": {"type": "TOO_MANY_REQUESTS", "message": "Limite de requisições"}},
        {"Retry-After": "7"},
        path_prefix=TOKEN_PATH,
    ),
}


def _stale_client(fake: FakeBling, clock: FakeClock, is_async: bool) -> tuple[Runner, TokenSet]:
    oauth = fake.oauth(clock=clock)
    tokens = oauth.exchange_code(fake.issue_code())
    store = MemoryTokenStore(tokens)
    kwargs: dict[str, Any] = {
        "oauth": oauth,
        "token_store": store,
        "clock": clock,
        "rate_limiter": False,
    }
    client = fake.async_client(**kwargs) if is_async else fake.client(**kwargs)
    clock.advance(6 * 3600)  # the access token has expired: the next call refreshes first
    return Runner(client, is_async), tokens


CALLS: dict[str, Callable[[Any], Any]] = {
    "GET": lambda bling: bling.contatos.get(1001),
    "POST": lambda bling: bling.contatos.create({"nome": "Nova", "tipo": "F"}),
}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("method", list(CALLS))
@pytest.mark.parametrize("failure", list(FAILURES))
def test_a_failing_token_endpoint_is_retried(
    fake: FakeBling, clock: FakeClock, failure: str, method: str, is_async: bool
) -> None:
    run, _tokens = _stale_client(fake, clock, is_async)
    fake.fail_next(FAILURES[failure])
    assert run(CALLS[method](run.client))
    assert fake.token_calls == 2  # the exchange, the failed refresh; then the retried one
    assert fake.refreshes == 1
    assert not fake._faults
    if failure == "429":
        assert 7 in clock.sleeps  # the server's Retry-After, waited out on the clock


@pytest.mark.parametrize("failure", ["502", "503"])
def test_a_token_endpoint_that_keeps_failing_ends_in_server_error(
    fake: FakeBling, clock: FakeClock, failure: str
) -> None:
    run, tokens = _stale_client(fake, clock, is_async=False)
    fake.fail_next(FAILURES[failure], 3)
    with pytest.raises(ServerError) as caught:
        run.client.contatos.get(1001)
    assert caught.value.status_code == int(failure)
    assert not isinstance(caught.value, AuthenticationError)
    assert str(tokens.refresh_token) not in str(caught.value)
    assert not fake._faults  # the first try and two retries


@pytest.mark.parametrize(
    ("failure", "cls", "retry_after"),
    [("502", ServerError, None), ("503", ServerError, None), ("429", RateLimitError, 7.0)],
)
def test_a_refresh_by_hand_is_classified_by_status(
    fake: FakeBling,
    clock: FakeClock,
    failure: str,
    cls: type[Exception],
    retry_after: float | None,
) -> None:
    oauth = fake.oauth(clock=clock)
    tokens = oauth.exchange_code(fake.issue_code())
    fake.fail_next(FAILURES[failure])
    with pytest.raises(cls) as caught:
        oauth.refresh(tokens)
    error: Any = caught.value
    assert type(error) is cls
    assert error.status_code == int(failure)
    assert error.retry_after == retry_after
    assert str(tokens.refresh_token) not in str(error)
    assert oauth.refresh(tokens).access_token  # the refresh token is still good
