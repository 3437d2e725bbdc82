"""The fleet's webhook receiver (``python -m bridge webhooks``): one HTTP endpoint for every
tenant's deliveries, each valid one asking for the tenant's pass now (``signal_tenant``).

- Auvo's: ``POST /auvo/<tenant>/<secret>`` (Auvo posts to a fixed URL and cannot add a
  header), or ``/auvo/<tenant>`` with the secret in an ``X-Webhook-Secret`` or bearer
  header. The secret is the tenant's ``[auvo] webhook_secret``, an ``env:NAME`` the
  receiver reads from its environment; a tenant without one takes no Auvo deliveries.
- The ERP's, for an ERP that signs them (its ``ErpKind.webhooks``): ``POST /erp/<tenant>``,
  let in by a signature made with that tenant's key from its settings.

A delivery is a nudge, never data: the pass reads both systems itself. A path that is no
tenant's, or a tenant that takes no such deliveries, gets a 404; a wrong secret or signature
a 401; both with an empty body. A paused tenant's delivery gets its 202 and asks for
nothing. Each tenant's deliveries are gathered for ``GATHER_SECONDS`` into one signal
(``PassRequests``): closing a day's tasks sends one delivery per task, and asks for one pass.

The limits, the parsing and the masking are the single-tenant listener's
(``bridge.webhook_listener``); logs show ``/auvo/***`` and ``/erp/***`` for the paths, and
never a secret, a signature or a delivery's record.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import attrs
from temporalio.client import Client

from sdkcore.logs import module_logger
from sdkcore.redact import MASK, redact_text, register_secret
from sdkcore.serving import BackgroundHTTPServer

from ..errors import ConfigError
from ..loop import store_errors
from ..webhook_listener import (
    CONNECTION_TIMEOUT_SECONDS,
    DEFAULT_ERP_PATH,
    DEFAULT_PATH,
    MAX_CONNECTIONS,
    ErpWebhooks,
    auvo_delivery,
    delivery_handler,
    erp_delivery,
    given_secret,
    secret_bytes,
    secret_matches,
)
from .registry import TenantRegistry, check_tenant_name
from .temporal import TASK_QUEUE, TenantSource, connect, signal_tenant
from .worker import _stop_signals

if TYPE_CHECKING:
    from ..config import BridgeConfig

__all__ = [
    "FLUSH_SECONDS",
    "GATHER_SECONDS",
    "TENANT_CACHE_SECONDS",
    "FleetWebhooks",
    "PassRequests",
    "receiving",
    "serve_webhooks",
]

log = module_logger(__name__)

GATHER_SECONDS = 2.0
"""How long a tenant's deliveries are gathered into one ``run_now`` signal."""
TENANT_CACHE_SECONDS = 5.0
"""How long the receiver goes by what it read of a tenant (paused or not, its keys) before
it reads the registry again: a burst of deliveries costs the database one read."""
FLUSH_SECONDS = 10.0
"""How long a stopping receiver waits for the signals it still has to send."""

_AUVO, _ERP = "auvo", "erp"


@attrs.frozen
class _Receiving:
    """What the receiver knows of a tenant, as read at ``read_at`` (monotonic seconds)."""

    paused: bool
    auvo_secret: bytes | None = attrs.field(repr=False)
    """``None``: the tenant takes no Auvo deliveries (no secret, or none readable)."""
    erp: ErpWebhooks | None = attrs.field(repr=False)
    """``None``: its ERP sends no webhooks, or its key cannot be read."""
    read_at: float


def _auvo_secret(name: str, config: BridgeConfig) -> bytes | None:
    secret = config.auvo_webhook_secret
    if secret is None:
        return None
    try:
        value = secret.value("auvo.webhook_secret")
        checked = secret_bytes(value)
    except ValueError as exc:  # its variable unset (a ConfigError), or not fit for a path
        log.warning("webhook: tenant %s takes no Auvo deliveries: %s", name, exc)
        return None
    register_secret(value)  # masked wherever it might turn up
    return checked


def _erp_checks(name: str, config: BridgeConfig) -> ErpWebhooks | None:
    kind = config.erp_kind
    if kind.webhooks is None:
        return None
    try:
        return kind.webhooks(config.erp_settings)
    except ConfigError as exc:  # its key's variable unset: Auvo's deliveries still come
        log.warning("webhook: tenant %s takes no %s deliveries: %s", name, kind.title, exc)
        return None


def _route(target: str) -> tuple[str, str, str | None] | None:
    """``(system, tenant, secret given in the path)`` of a request target, or ``None`` when
    it is none of ``/auvo/<tenant>``, ``/auvo/<tenant>/<secret>`` and ``/erp/<tenant>``."""
    parts = target.partition("?")[0].split("/")
    if len(parts) < 3 or parts[0]:
        return None
    where, name, rest = "/" + parts[1], parts[2], parts[3:]
    try:
        check_tenant_name(name)
    except ConfigError:
        return None
    if where == DEFAULT_PATH and len(rest) <= 1:
        return _AUVO, name, rest[0] if rest else None
    if where == DEFAULT_ERP_PATH and not rest:
        return _ERP, name, None
    return None


class FleetWebhooks(BackgroundHTTPServer):
    """Every tenant's webhook deliveries, on ``host:port``: each valid one for an active
    tenant calls ``ask(tenant)``. A context manager; ``port=0`` picks a free port. The
    tenants come from ``registry`` (``TenantRegistry``), each read again after
    ``fresh_for`` seconds."""

    def __init__(
        self,
        registry: TenantSource,
        ask: Callable[[str], None],
        host: str = "127.0.0.1",
        port: int = 0,
        *,
        timeout: float = CONNECTION_TIMEOUT_SECONDS,
        max_connections: int = MAX_CONNECTIONS,
        fresh_for: float = TENANT_CACHE_SECONDS,
    ) -> None:
        if timeout <= 0:
            raise ValueError(f"the webhook timeout must be positive seconds, got {timeout}")
        self.registry = registry
        self.ask = ask
        self.timeout = timeout
        self.fresh_for = fresh_for
        self._known: dict[str, _Receiving] = {}
        self._lock = threading.Lock()
        super().__init__(
            delivery_handler(self), host, port, timeout=timeout, max_connections=max_connections
        )

    def __repr__(self) -> str:
        return f"FleetWebhooks({self.url!r})"

    def redact(self, target: str) -> str:
        """A request target as logs show it: the route, the rest (tenant, secret) masked."""
        path, question, _ = target.partition("?")
        query = f"?{MASK}" if question else ""
        for route in (DEFAULT_PATH, DEFAULT_ERP_PATH):
            if path == route:
                return path + query
            if path.startswith(route + "/"):
                return f"{route}/{MASK}{query}"
        return f"/{MASK}{query}"

    def authorize(self, target: str, headers: Any) -> int | None:
        """``None`` when a POST to ``target`` may deliver; else 404 (no tenant of that name,
        or one that takes no such deliveries), 401 (Auvo's, without the tenant's secret) or
        503 (the registry cannot be read). An ERP's signature is checked in ``deliver``."""
        route = _route(target)
        if route is None:
            return 404
        system, name, in_path = route
        tenant = self._tenant(name)
        if isinstance(tenant, int):
            return tenant
        if system == _ERP:
            return None if tenant.erp is not None else 404
        if tenant.auvo_secret is None:
            return 404
        given = in_path if in_path is not None else given_secret(headers)
        if secret_matches(given, tenant.auvo_secret):
            return None
        log.info("webhook: refused an Auvo delivery for tenant %s: not its secret", name)
        return 401

    def deliver(self, target: str, headers: Any, body: bytes) -> int:
        """The status of a delivery ``authorize`` let through: 202 when it asked for a pass
        (or the tenant is paused), 200 for one no pass syncs, 401 for an ERP's not signed,
        400 for a body that is no delivery."""
        route = _route(target)
        if route is None:
            return 404
        system, name, _ = route
        tenant = self._tenant(name)
        if isinstance(tenant, int):
            return tenant
        if system == _AUVO:
            status, event = auvo_delivery(body)
        elif tenant.erp is None:  # its key gone since authorize read the tenant
            return 404
        else:
            signature = headers.get(tenant.erp.signature_header)
            status, event = erp_delivery(tenant.erp, body, signature, f"{DEFAULT_ERP_PATH}/{name}")
        if event is None:
            return status
        if tenant.paused:
            log.info("webhook: tenant %s: %s; paused, so no pass", name, event)
            return status
        log.info("webhook: tenant %s: %s; pass soon", name, event)
        self.ask(name)
        return status

    def _tenant(self, name: str) -> _Receiving | int:
        """What is known of tenant ``name``, read again when older than ``fresh_for``; else
        the status refusing its deliveries: 404 (none by that name, or its settings do not
        load) or 503 (the registry cannot be read)."""
        with self._lock:
            known = self._known.get(name)
        if known is not None and time.monotonic() - known.read_at < self.fresh_for:
            return known
        try:
            tenant = self.registry.get(name)
            config = self.registry.config(name)
        except LookupError:
            with self._lock:
                self._known.pop(name, None)
            return 404
        except ConfigError as exc:
            log.warning("webhook: tenant %s takes no deliveries: %s", name, exc)
            return 404
        except store_errors() as exc:
            log.warning("webhook: the registry cannot be read: %s", redact_text(str(exc)))
            return 503
        read = _Receiving(
            tenant.paused, _auvo_secret(name, config), _erp_checks(name, config), time.monotonic()
        )
        with self._lock:
            self._known[name] = read
        return read


class PassRequests:
    """Turns each tenant's deliveries into few ``run_now`` signals, sent by ``send`` on
    ``loop``. A tenant's first delivery opens a window of ``gather`` seconds; when it
    closes, one signal goes, however many deliveries came in it. A delivery after that opens
    another window: a pass under way then runs once more after it (what the tenant's
    workflow does with a signal), so a change it may have missed waits for no schedule."""

    def __init__(
        self,
        send: Callable[[str], Awaitable[object]],
        loop: asyncio.AbstractEventLoop,
        gather: float = GATHER_SECONDS,
    ) -> None:
        self._send = send
        self._loop = loop
        self._gather = gather
        self._waiting: dict[str, asyncio.TimerHandle] = {}  # touched on the loop only
        self._sending: set[asyncio.Task[None]] = set()

    def ask(self, tenant: str) -> None:
        """A pass of ``tenant`` soon; from any thread."""
        try:
            self._loop.call_soon_threadsafe(self._open, tenant)
        except RuntimeError:  # the loop closed: a delivery that came in as the receiver stopped
            log.warning("webhook: stopped before asking for tenant %s's pass", tenant)

    def _open(self, tenant: str) -> None:
        if tenant not in self._waiting:
            self._waiting[tenant] = self._loop.call_later(self._gather, self._close, tenant)

    def _close(self, tenant: str) -> None:
        del self._waiting[tenant]
        sending = self._loop.create_task(self._signal(tenant))
        self._sending.add(sending)
        sending.add_done_callback(self._sending.discard)

    async def _signal(self, tenant: str) -> None:
        try:
            await self._send(tenant)
        except Exception as exc:  # the cluster away: the tenant's schedule still comes
            log.warning(
                "webhook: could not ask for tenant %s's pass: %s", tenant, redact_text(str(exc))
            )
        else:
            log.debug("webhook: asked for tenant %s's pass", tenant)

    async def flush(self, timeout: float = FLUSH_SECONDS) -> None:
        """Send the signals still waiting now, and wait up to ``timeout`` seconds for every
        one under way: what a stopping receiver took, it asks for."""
        await asyncio.sleep(0)  # the asks already on their way to the loop arrive
        for tenant, timer in list(self._waiting.items()):
            timer.cancel()
            self._close(tenant)
        if self._sending:
            await asyncio.wait(set(self._sending), timeout=timeout)


@contextlib.asynccontextmanager
async def receiving(
    client: Client,
    registry: TenantSource,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    task_queue: str = TASK_QUEUE,
    gather: float = GATHER_SECONDS,
) -> AsyncIterator[FleetWebhooks]:
    """The receiver on ``host:port``, started, asking ``client``'s cluster for passes on
    ``task_queue``; on leaving it stops taking deliveries, then sends the signals it owes.
    ``OSError`` when it cannot listen there."""
    requests = PassRequests(
        lambda name: signal_tenant(client, name, task_queue), asyncio.get_running_loop(), gather
    )
    with FleetWebhooks(registry, requests.ask, host, port) as receiver:
        try:
            yield receiver
        finally:
            await asyncio.to_thread(receiver.stop)  # no delivery comes after the flush
            await requests.flush()


async def serve_webhooks(
    address: str,
    dsn: str,
    host: str,
    port: int,
    *,
    namespace: str = "default",
    task_queue: str = TASK_QUEUE,
    stop: asyncio.Event | None = None,
) -> None:
    """Take the deliveries of every tenant in the registry at ``dsn`` on ``host:port``,
    asking the Temporal cluster at ``address`` for their passes, until ``stop`` is set (by
    default: until SIGINT or SIGTERM)."""
    client = await connect(address, namespace)
    registry = TenantRegistry(dsn)
    try:
        with _stop_signals(stop) as stopping:
            async with receiving(client, registry, host, port, task_queue=task_queue) as receiver:
                log.warning(
                    "listening for webhooks at %s: Auvo's at %s/<tenant>/<secret>, the ERPs' "
                    "at %s/<tenant>",
                    receiver.url,
                    DEFAULT_PATH,
                    DEFAULT_ERP_PATH,
                )
                await stopping.wait()
                log.warning("stopping: sending the signals the deliveries taken ask for")
    finally:
        registry.close()
