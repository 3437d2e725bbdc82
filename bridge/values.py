"""Checks for setting values that both ``bridge.config`` and each ERP's own settings use:
every error names the setting, and never shows a credential."""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import attrs

from sdkcore.redact import register_secret

from .errors import ConfigError

__all__ = [
    "SYNC_WITHOUT_CLIENT",
    "Secret",
    "described",
    "loopback_redirect_setting",
    "required_secret",
    "secret_setting",
    "text_setting",
]

Validator = Callable[[Any, Any, Any], None]
"""The shape of an attrs validator: ``(instance, attribute, value)``."""


@attrs.frozen(repr=False)
class Secret:
    """A credential: a literal or ``env:NAME``. Its value never appears in ``repr``."""

    raw: str

    def value(self, setting: str = "secret") -> str:
        if self.raw.startswith("env:"):
            name = self.raw[4:].strip()
            found = os.environ.get(name)
            if not found:
                raise ConfigError(setting, f"environment variable {name} is not set")
            return found
        return self.raw

    def __repr__(self) -> str:
        return f"Secret({self.raw!r})" if self.raw.startswith("env:") else "Secret('***')"


def described(value: object) -> str:
    """What a wrong value is, in the file's terms (the value itself may be a secret)."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    if value is None:
        return "nothing"
    return f"a {type(value).__name__}"


def secret_setting(setting: str) -> Callable[[object], Secret | None]:
    """An attrs converter for the credential ``setting``: text or ``env:NAME`` (or nothing)."""

    def convert(value: object) -> Secret | None:
        if value is None or isinstance(value, Secret):
            return value
        if not isinstance(value, str):
            raise ConfigError(setting, f"must be text or 'env:NAME', not {described(value)}")
        return Secret(value)

    return convert


def text_setting(setting: str, *, optional: bool = False) -> Validator:
    """An attrs validator: text that is not blank (or ``None``, when ``optional``)."""

    def check(instance: object, attribute: object, value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise ConfigError(setting, f"must be text, not {described(value)}")
        if not value.strip():
            raise ConfigError(setting, "must not be empty")

    return check


def loopback_redirect_setting(setting: str, title: str) -> Validator:
    """An attrs validator: the redirect URI of ``title``'s OAuth app, which must be the
    callback ``python -m bridge authorize`` serves on this machine (plain http, on
    ``127.0.0.1`` or ``localhost``)."""

    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, str):
            raise ConfigError(setting, f"must be text, not {described(value)}")
        try:
            parts = urlsplit(value)
        except ValueError as exc:  # e.g. "Invalid IPv6 URL": a bracket left open
            raise ConfigError(setting, f"{value!r} is not a URL: {exc}") from None
        if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
            raise ConfigError(
                setting,
                f"{value!r} must be http://127.0.0.1:<port>/<path> (the local callback server), "
                f"as registered in the {title} app",
            )
        try:
            parts.port  # noqa: B018 - reading it validates the port
        except ValueError:
            raise ConfigError(setting, f"{value!r} has an invalid port") from None

    return check


SYNC_WITHOUT_CLIENT = "when no client is passed to sync()"
"""``required_secret``'s default ``needed``: a client is built from the settings."""


def required_secret(secret: Secret | None, setting: str, needed: str = SYNC_WITHOUT_CLIENT) -> str:
    """The credential's value, for building a client (``needed`` says what for, in the error
    when it is missing); masked in every log, error, report and store row from now on."""
    if secret is None:
        raise ConfigError(setting, f"is required {needed}")
    value = secret.value(setting)
    register_secret(value)
    return value
