"""Clients built from a ``BridgeConfig``'s credentials, for when none are injected."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

from auvo import Auvo

from .config import BridgeConfig
from .erp.port import ErpClient
from .values import required_secret

if TYPE_CHECKING:
    from sdkcore.auth import TokenStore

__all__ = ["auvo_client", "erp_client", "ready_clients"]


@contextlib.contextmanager
def ready_clients(
    config: BridgeConfig, auvo: Auvo | None, erp: ErpClient | None
) -> Iterator[tuple[Auvo, ErpClient]]:
    """``(auvo, erp)``: the clients given, or ones built from the config's credentials,
    which are closed on leaving (the caller's own clients are left open)."""
    with contextlib.ExitStack() as owned:
        if auvo is None:
            auvo = owned.enter_context(auvo_client(config))
        if erp is None:
            erp = owned.enter_context(erp_client(config))
        yield auvo, erp


def auvo_client(config: BridgeConfig) -> Auvo:
    """Auvo's client at ``auvo.base_url`` (when not given: ``AUVO_BASE_URL``, else Auvo's)."""
    return Auvo(
        required_secret(config.auvo_api_key, "auvo.api_key"),
        required_secret(config.auvo_api_token, "auvo.api_token"),
        base_url=config.auvo_base_url,
    )


def erp_client(config: BridgeConfig, token_store: TokenStore | None = None) -> ErpClient:
    """The ERP's client, built by its kind from its settings, at ``erp.base_url`` (when not
    given: its client's environment variable, else the ERP's own URL); an ERP authorised
    with OAuth keeps its tokens in ``token_store`` (``None``: in ``erp.token_file``), so a
    fleet keeps every tenant's in one database (``bridge.fleet.PostgresTokenStores``)."""
    return config.erp_kind.client(config.erp_settings, config.erp_base_url, token_store)
