"""``bridge``: Auvo integrated with an ERP (one of ``bridge.erp.registry``) as a library, a
CLI and a polling loop, with no duplicates and nothing lost."""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports
from sdkcore.logs import install_log_filter as _install_log_filter

if TYPE_CHECKING:
    from sdkcore import __version__ as __version__

    from .automations import (
        Action as Action,
        AllOf as AllOf,
        AnyOf as AnyOf,
        Automation as Automation,
        AutomationError as AutomationError,
        Condition as Condition,
        Const as Const,
        Each as Each,
        Lookup as Lookup,
        Source as Source,
        Trigger as Trigger,
    )
    from .config import (
        BridgeConfig as BridgeConfig,
        ConfigError as ConfigError,
        load_config as load_config,
    )
    from .credentials import CredentialsRejected as CredentialsRejected
    from .engine import replay as replay, sync as sync
    from .fleet import (
        PostgresRateLimits as PostgresRateLimits,
        PostgresTokenStores as PostgresTokenStores,
        TenantRegistry as TenantRegistry,
    )
    from .loop import ProgressLine as ProgressLine, poll as poll
    from .report import (
        AutomationReport as AutomationReport,
        StreamReport as StreamReport,
        SyncReport as SyncReport,
    )
    from .store import SQLiteStore as SQLiteStore, Store as Store, TenantBusy as TenantBusy
    from .store.postgres import PostgresStore as PostgresStore  # psycopg: an optional extra

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)

# Mask credentials in the records of the loggers that exist now; the bridge's own modules
# attach the same filter to theirs as they load (sdkcore.logs.module_logger).
_install_log_filter()
