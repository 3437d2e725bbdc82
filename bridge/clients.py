"""Clients built from a ``BridgeConfig``'s credentials, for when none are injected."""

from __future__ import annotations

from typing import Any

from .config import BridgeConfig, ConfigError, Secret

__all__ = ["auvo_client", "erp_client"]


def _need(secret: Secret | None, setting: str) -> str:
    if secret is None:
        raise ConfigError(setting, "is required when no client is passed to sync()")
    return secret.value(setting)


def auvo_client(config: BridgeConfig) -> Any:
    from auvo import Auvo

    return Auvo(
        _need(config.auvo_api_key, "auvo.api_key"), _need(config.auvo_api_token, "auvo.api_token")
    )


def erp_client(config: BridgeConfig) -> Any:
    if config.erp == "contaazul":
        from contaazul import ContaAzul

        return ContaAzul(
            _need(config.contaazul_application_token, "erp.application_token"),
            _need(config.contaazul_company_token, "erp.company_token"),
        )
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
