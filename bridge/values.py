"""Checks for setting values that both ``bridge.config`` and each ERP's own settings use
(and automations, for their durations): every error names the setting, and never shows a
credential."""

from __future__ import annotations

import math
import os
import re
import typing
from collections.abc import Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import attrs

from sdkcore.redact import register_secret

from .errors import ConfigError

__all__ = [
    "MAX_DURATION",
    "SYNC_WITHOUT_CLIENT",
    "Secret",
    "described",
    "holds_secret",
    "loopback_redirect_setting",
    "parse_duration",
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


def holds_secret(field: attrs.Attribute[Any]) -> bool:
    """Whether a settings field is typed ``Secret`` (or ``Secret | None``): read from its
    annotation as written, since the settings modules postpone them, or as a type."""
    annotation: object = field.type  # typed a class, but text when postponed
    if isinstance(annotation, str):
        return "Secret" in (part.strip() for part in annotation.split("|"))
    return Secret in (annotation, *typing.get_args(annotation))


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


_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}
MAX_DURATION = timedelta(days=3650)
"""Ten years: longer than any setting means, and short enough that a typo or ``inf`` fails
here instead of as an overflow in date arithmetic later."""


def parse_duration(value: object, setting: str, *, minimum: timedelta = timedelta(0)) -> timedelta:
    """``"10m"``, ``"30d"``, ``"90s"``, ``"1.5h"``, a number of seconds, or a timedelta,
    from ``minimum`` to ``MAX_DURATION``; NaN, infinities and negatives are refused."""
    seconds: float
    if isinstance(value, timedelta):
        seconds = value.total_seconds()
    elif isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ConfigError(
                setting, f"{value!r} is not a duration; use a number with ms, s, m, h, d or w"
            )
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    elif isinstance(value, int | float) and not isinstance(value, bool):
        seconds = value
    else:
        raise ConfigError(
            setting,
            f"must be a duration like '10m', '30d' or a number of seconds, not {described(value)}",
        )
    if isinstance(seconds, float) and not math.isfinite(seconds):
        raise ConfigError(setting, f"must be a finite duration, not {value!r}")
    if seconds < 0:
        raise ConfigError(setting, f"{value!r} is negative; a duration is 0 or more")
    if seconds > MAX_DURATION.total_seconds():
        raise ConfigError(setting, f"{value!r} is more than 10 years")
    duration = value if isinstance(value, timedelta) else timedelta(seconds=seconds)
    if duration < minimum:
        raise ConfigError(setting, f"{value!r} is too short: must be at least {_show(minimum)}")
    return duration


def _show(duration: timedelta) -> str:
    return f"{duration.total_seconds():g}s"


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
