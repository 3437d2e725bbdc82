"""The tenant lock as a lease: short, and renewed by a heartbeat while its run lives, so a run
that dies without releasing it (``kill -9``, a lost machine) blocks its tenant for one
lease, not an hour, while a long pass keeps it as long as it runs."""

from __future__ import annotations

import threading

from sdkcore.logs import module_logger

from .config import DEFAULT_LOCK_LEASE
from .store import Store

__all__ = ["DEFAULT_LOCK_LEASE", "LockLease"]

log = module_logger(__name__)

BEATS_PER_LEASE = 3
"""Renewals per lease: a lease survives two missed beats in a row. Every host sharing a
store must keep its clock within a fraction of the lease (NTP does)."""


class LockLease:
    """Renews ``owner``'s lock on ``tenant`` every third of ``seconds`` from a daemon thread,
    through the store itself (a ``SQLStore`` serialises the thread's statements with the
    run's on its one connection, so SQLite's and psycopg's thread rules hold).

    ``lost`` turns true when a renewal finds the lock no longer ``owner``'s: someone ran
    ``python -m bridge unlock --force``, or the lease lapsed (the process stalled longer
    than a lease) and another run took it. The run then stops after the record in flight.
    """

    def __init__(self, store: Store, tenant: str, owner: str, seconds: float) -> None:
        self.store = store
        self.tenant = tenant
        self.owner = owner
        self.seconds = seconds
        self._stopped = threading.Event()
        self._lost = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"bridge-lease-{tenant}", daemon=True
        )

    def start(self) -> LockLease:
        self._thread.start()
        return self

    @property
    def lost(self) -> bool:
        return self._lost.is_set()

    def renew(self) -> bool:
        """Renew now; ``False`` (and ``lost`` from then on) once the lock is not ours."""
        if self.store.renew_lock(self.tenant, self.owner, self.seconds):
            return True
        if not self._stopped.is_set() and not self._lost.is_set():
            log.warning(
                "lost the lock on tenant %r (unlocked, or its lease lapsed and another run "
                "took it): stopping after the record in flight",
                self.tenant,
            )
        self._lost.set()
        return False

    def stop(self) -> None:
        """Stop renewing (the caller releases the lock next)."""
        self._stopped.set()
        if self._thread.is_alive():
            # Bounded: a renewal stuck on an unreachable database must not hold up the exit.
            self._thread.join(timeout=self.seconds)

    def _beat(self) -> None:
        while not self._stopped.wait(self.seconds / BEATS_PER_LEASE):
            try:
                if not self.renew():
                    return
            except Exception as exc:  # the database away for a moment: the next beat retries
                log.warning("could not renew the lock on tenant %r: %s", self.tenant, exc)
