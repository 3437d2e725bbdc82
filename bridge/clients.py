"""Clients built from a ``BridgeConfig``'s credentials, for when none are injected."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from sdkcore.errors import RequestValidationError
from sdkcore.redact import register_secret

from .config import BridgeConfig, ConfigError, Secret

__all__ = ["auvo_client", "erp_client", "ready_clients"]

# The header each Conta Azul setting travels in, as a refused header names it.
_CONTAAZUL_HEADERS = {
    "ExternalApplicationToken": "erp.application_token",
    "CompanyToken": "erp.company_token",
}


@contextlib.contextmanager
def ready_clients(config: BridgeConfig, auvo: Any, erp: Any) -> Iterator[tuple[Any, Any]]:
    """``(auvo, erp)``: the clients given, or ones built from the config's credentials,
    which are closed on leaving (the caller's own clients are left open)."""
    with contextlib.ExitStack() as owned:
        if auvo is None:
            auvo = owned.enter_context(auvo_client(config))
        if erp is None:
            erp = owned.enter_context(erp_client(config))
        yield auvo, erp


def _need(secret: Secret | None, setting: str) -> str:
    if secret is None:
        raise ConfigError(setting, "is required when no client is passed to sync()")
    value = secret.value(setting)
    register_secret(value)  # masked in every log, error, report and store row from now on
    return value


def auvo_client(config: BridgeConfig) -> Any:
    from auvo import Auvo

    return Auvo(
        _need(config.auvo_api_key, "auvo.api_key"), _need(config.auvo_api_token, "auvo.api_token")
    )


def erp_client(config: BridgeConfig) -> Any:
    if config.erp == "contaazul":
        from contaazul import ContaAzul

        try:
            return ContaAzul(
                _need(config.contaazul_application_token, "erp.application_token"),
                _need(config.contaazul_company_token, "erp.company_token"),
            )
        except RequestValidationError as exc:  # a token no HTTP header can carry
            setting = _CONTAAZUL_HEADERS.get(exc.field)
            if setting is None:
                raise
            raise ConfigError(setting, exc.reason) from None
    from bling import Bling, BlingOAuth
    from sdkcore.auth import FileTokenStore

    oauth = BlingOAuth(
        _need(config.bling_client_id, "erp.client_id"),
        _need(config.bling_client_secret, "erp.client_secret"),
    )
    return Bling(
        oauth=oauth,
        token_store=FileTokenStore(config.bling_token_file),
    )
