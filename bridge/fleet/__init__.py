"""``bridge.fleet``: many tenants synced by many workers, with one PostgreSQL holding their
settings (``TenantRegistry``), their OAuth tokens (``PostgresTokenStores``) and their rate
limits between passes (``PostgresRateLimits``); ``tenant_clients`` builds a pass's clients
from all three. ``bridge.sync`` stays the unit of work; an engine schedules it."""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports

if TYPE_CHECKING:
    from .clients import tenant_clients as tenant_clients
    from .limits import PostgresRateLimits as PostgresRateLimits
    from .registry import (
        Tenant as Tenant,
        TenantError as TenantError,
        TenantExists as TenantExists,
        TenantRegistry as TenantRegistry,
        UnknownTenant as UnknownTenant,
    )
    from .tokens import PostgresTokenStores as PostgresTokenStores, token_key as token_key

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)
