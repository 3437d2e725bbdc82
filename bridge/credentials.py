"""Credentials a system refused. Every later call would be refused alike, so the pass stops
at once with one error that names the system and the fix, instead of failing (and
dead-lettering) each record and stream in turn."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sdkcore import AuthenticationError
from sdkcore.redact import redact_text

from .adapters import CountedClient

if TYPE_CHECKING:
    from .report import SyncReport

__all__ = ["CredentialsRejected", "credentials_rejected"]

SETTINGS_PLACEHOLDER = "{settings}"


class CredentialsRejected(RuntimeError):
    """Auvo or the ERP refused the bridge's credentials (wrong, revoked or missing), so the
    pass stopped at once. ``system`` is ``"auvo"``, the ERP's kind, or ``"unknown"``;
    ``report`` is the stopped pass's report (saved to the store unless a dry run)."""

    def __init__(self, system: str, title: str, reason: str, fix: str) -> None:
        self.system = system
        self.title = title
        self.reason = redact_text(reason)  # a server may quote a credential back
        self.fix = fix
        self.report: SyncReport | None = None
        super().__init__(self.explain())

    def explain(self, settings: str = "your settings file") -> str:
        """The message, naming ``settings`` (the path, when the caller knows it) in the fix."""
        fix = self.fix.replace(SETTINGS_PLACEHOLDER, settings)
        return f"{self.title} refused the bridge's credentials ({self.reason}): {fix}"


def credentials_rejected(exc: BaseException) -> CredentialsRejected | None:
    """``exc`` as a ``CredentialsRejected`` when it says credentials were refused (an
    ``AuthenticationError``, which includes ``ReauthorizationRequired``), else ``None``."""
    if isinstance(exc, CredentialsRejected):
        return exc
    if not isinstance(exc, AuthenticationError):
        return None
    side = _side_that_raised(exc)
    if side is None:
        fix = f"check the Auvo and ERP credentials in {SETTINGS_PLACEHOLDER}"
        return CredentialsRejected("unknown", "Auvo or the ERP", exc.message, fix)
    return CredentialsRejected(side.name, side.title, exc.message, side.credentials_fix)


def _side_that_raised(exc: BaseException) -> CountedClient[object] | None:
    """The innermost Auvo side or ERP adapter the exception passed through: every call the
    streams make goes through one, so the traceback tells which system refused, whatever
    the error's URL (a token file read fails before any request has one)."""
    found: CountedClient[object] | None = None
    trace = exc.__traceback__
    while trace is not None:
        candidate = trace.tb_frame.f_locals.get("self")
        if isinstance(candidate, CountedClient):
            found = candidate
        trace = trace.tb_next
    return found
