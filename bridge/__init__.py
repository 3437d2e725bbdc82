"""``bridge``: Auvo integrated with an ERP (one of ``bridge.erp.registry``) as a library, a
CLI and a polling loop, with no duplicates and nothing lost."""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports
from sdkcore.logs import install_log_filter as _install_log_filter

if TYPE_CHECKING:
    from sdkcore import __version__ as __version__

    from .config import (
        BridgeConfig as BridgeConfig,
        ConfigError as ConfigError,
        load_config as load_config,
    )
    from .credentials import CredentialsRejected as CredentialsRejected
    from .engine import sync as sync
    from .loop import ProgressLine as ProgressLine, poll as poll
    from .report import StreamReport as StreamReport, SyncReport as SyncReport
    from .store import SQLiteStore as SQLiteStore, Store as Store, TenantBusy as TenantBusy
    from .store.postgres import PostgresStore as PostgresStore  # psycopg: an optional extra

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)

# Mask credentials in the records of the loggers that exist now; the bridge's own modules
# attach the same filter to theirs as they load (sdkcore.logs.module_logger).
_install_log_filter()
