"""The webhook secret a client is built with is masked from the start."""

from __future__ import annotations

import pytest

from bling import AsyncBling, Bling
from sdkcore.redact import mask_secrets

SECRET = "bling-webhook-secret-0123456789"


@pytest.mark.parametrize("client_class", [Bling, AsyncBling])
def test_the_webhook_secret_is_masked_before_webhooks_is_used(
    client_class: type[Bling] | type[AsyncBling],
) -> None:
    client_class(access_token="access-token-0123456789", webhook_secret=SECRET)
    assert SECRET not in mask_secrets(f"the server said: bad secret {SECRET}")
