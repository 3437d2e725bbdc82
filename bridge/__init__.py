"""``bridge``: Auvo integrated with an ERP (one of ``bridge.erp.registry``) as a library, a
CLI and a polling loop, with no duplicates and nothing lost."""

from __future__ import annotations

from typing import Any

from sdkcore.logs import install_log_filter as _install_log_filter

from .config import BridgeConfig, ConfigError, load_config
from .credentials import CredentialsRejected
from .engine import sync
from .loop import ProgressLine, poll
from .report import StreamReport, SyncReport
from .store import SQLiteStore, Store, TenantBusy

# The bridge's module loggers exist now: mask credentials in their records too.
_install_log_filter()

__all__ = [
    "BridgeConfig",
    "ConfigError",
    "CredentialsRejected",
    "PostgresStore",
    "ProgressLine",
    "SQLiteStore",
    "Store",
    "StreamReport",
    "SyncReport",
    "TenantBusy",
    "load_config",
    "poll",
    "sync",
]


def __getattr__(name: str) -> Any:
    if name == "PostgresStore":  # psycopg is an optional extra: import it on use only
        from .store.postgres import PostgresStore

        return PostgresStore
    raise AttributeError(f"module 'bridge' has no attribute {name!r}")
