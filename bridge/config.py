"""``BridgeConfig``: what the guides' settings page holds, immutable, from TOML or Python.

Every error names the setting and, for a choice, the values it allows. Secrets may be given
as ``env:NAME`` and are read from the environment when a client is built, never printed.

Every value is checked here, whether it comes from the file or from Python: its type, and
for a duration that it is finite, not negative, at most ``MAX_DURATION`` and, for the poll
interval, at least a second. The names a setting gives (task types, customer group,
quotation stage, financial account) are checked against the live systems before each pass
(``bridge.preflight``).
"""

from __future__ import annotations

import math
import os
import re
import sys
import tomllib
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from .terms import PaymentTerms

__all__ = [
    "CUSTOMER_DIRECTIONS",
    "ERP_KINDS",
    "MAX_DURATION",
    "MIN_POLL_INTERVAL",
    "TASK_STATUSES",
    "BridgeConfig",
    "ConfigError",
    "Secret",
    "load_config",
    "parse_duration",
]

ERP_KINDS = ("contaazul", "bling")
CUSTOMER_DIRECTIONS = ("auvo_to_erp", "erp_to_auvo", "both")
TASK_STATUSES = (
    "all",
    "not_finished",
    "finished_automatically",
    "finished_manually",
    "finished_automatically_or_manually",
)
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)?\s*$")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800, None: 1}
MAX_DURATION = timedelta(days=3650)
"""Ten years: longer than any setting means, and short enough that a typo or ``inf`` fails
here instead of as an overflow in date arithmetic later."""
MIN_POLL_INTERVAL = timedelta(seconds=1)
"""Shorter starts passes back to back (zero ran 310 passes in three seconds)."""
DEFAULT_LOCK_LEASE = timedelta(seconds=30)
"""How long a tenant's lock outlives its run's last heartbeat (``schedule.lock_lease``,
``bridge.lease``): the longest a run that died without cleaning up blocks its tenant."""
MIN_LOCK_LEASE = timedelta(seconds=1)
"""Shorter would have the heartbeat (every third of the lease) race the database."""


class ConfigError(ValueError):
    """A setting is missing or has a value the bridge does not accept."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting


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


def _kind(value: object) -> str:
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
            f"must be a duration like '10m', '30d' or a number of seconds, not {_kind(value)}",
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


def _poll_interval(value: object) -> timedelta:
    return parse_duration(value, "schedule.poll_interval", minimum=MIN_POLL_INTERVAL)


def _initial_lookback(value: object) -> timedelta:
    return parse_duration(value, "schedule.initial_lookback")


def _bookmark_lookback(value: object) -> timedelta:
    return parse_duration(value, "schedule.bookmark_lookback")


def _wide_every(value: object) -> timedelta:
    return parse_duration(value, "tasks.wide_every")


def _wide_back(value: object) -> timedelta:
    return parse_duration(value, "tasks.wide_back")


def _wide_ahead(value: object) -> timedelta:
    return parse_duration(value, "tasks.wide_ahead")


def _lock_wait(value: object) -> timedelta:
    return parse_duration(value, "schedule.lock_wait")


def _lock_lease(value: object) -> timedelta:
    return parse_duration(value, "schedule.lock_lease", minimum=MIN_LOCK_LEASE)


def _choice(value: object, setting: str, allowed: tuple[str, ...]) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise ConfigError(setting, f"{value!r} is not one of {', '.join(allowed)}")
    return value


def _secret(value: object, setting: str) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    if not isinstance(value, str):
        raise ConfigError(setting, f"must be text or 'env:NAME', not {_kind(value)}")
    return Secret(value)


def _auvo_api_key(value: object) -> Secret | None:
    return _secret(value, "auvo.api_key")


def _auvo_api_token(value: object) -> Secret | None:
    return _secret(value, "auvo.api_token")


def _contaazul_application_token(value: object) -> Secret | None:
    return _secret(value, "erp.application_token")


def _contaazul_company_token(value: object) -> Secret | None:
    return _secret(value, "erp.company_token")


def _bling_client_id(value: object) -> Secret | None:
    return _secret(value, "erp.client_id")


def _bling_client_secret(value: object) -> Secret | None:
    return _secret(value, "erp.client_secret")


def _names(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise ConfigError(
            "tasks.task_types", f"must be a task type's name or a list of names, not {_kind(value)}"
        )
    if not names:
        raise ConfigError("tasks.task_types", "is an empty list; leave it out for every type")
    if not all(n.strip() for n in names):
        raise ConfigError("tasks.task_types", "has an empty name")
    return tuple(names)


_Validator = Callable[[Any, Any, Any], None]


def _text(setting: str, *, optional: bool = False) -> _Validator:
    """Text that is not blank (or ``None``, when ``optional``)."""

    def check(instance: object, attribute: object, value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, str):
            raise ConfigError(setting, f"must be text, not {_kind(value)}")
        if not value.strip():
            raise ConfigError(setting, "must not be empty")

    return check


def _flag(setting: str) -> _Validator:
    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, bool):
            raise ConfigError(setting, f"{value!r} is not one of true, false")

    return check


def _check_redirect(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise ConfigError("erp.redirect_uri", f"must be text, not {_kind(value)}")
    try:
        parts = urlsplit(value)
    except ValueError as exc:  # e.g. "Invalid IPv6 URL": a bracket left open
        raise ConfigError("erp.redirect_uri", f"{value!r} is not a URL: {exc}") from None
    if parts.scheme != "http" or parts.hostname not in ("127.0.0.1", "localhost"):
        raise ConfigError(
            "erp.redirect_uri",
            f"{value!r} must be http://127.0.0.1:<port>/<path> (the local callback server), "
            "as registered in the Bling app",
        )
    try:
        parts.port  # noqa: B018 - validates the port
    except ValueError:
        raise ConfigError("erp.redirect_uri", f"{value!r} has an invalid port") from None


def _check_terms(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise ConfigError("erp.payment_terms", f"must be text like '30 60 90', not {_kind(value)}")
    terms = PaymentTerms.parse(value, "erp.payment_terms")
    if max(terms.days) > MAX_DURATION.days:
        raise ConfigError("erp.payment_terms", f"{value!r} has an installment beyond 10 years")


@attrs.frozen
class BridgeConfig:
    """One tenant's integration: credentials, the ERP, and the sync rules of the guides."""

    erp: str = attrs.field(default="contaazul")
    tenant: str = attrs.field(default="default", validator=_text("tenant"))
    auvo_api_key: Secret | None = attrs.field(default=None, converter=_auvo_api_key)
    auvo_api_token: Secret | None = attrs.field(default=None, converter=_auvo_api_token)
    contaazul_application_token: Secret | None = attrs.field(
        default=None, converter=_contaazul_application_token
    )
    contaazul_company_token: Secret | None = attrs.field(
        default=None, converter=_contaazul_company_token
    )
    bling_client_id: Secret | None = attrs.field(default=None, converter=_bling_client_id)
    bling_client_secret: Secret | None = attrs.field(default=None, converter=_bling_client_secret)
    bling_token_file: str = attrs.field(
        default="bling-tokens.json", validator=_text("erp.token_file")
    )
    bling_redirect_uri: str = attrs.field(
        default="http://127.0.0.1:8765/callback", validator=_check_redirect
    )
    financial_account: str | None = attrs.field(
        default=None, validator=_text("erp.financial_account", optional=True)
    )
    payment_terms: str = attrs.field(default="0", validator=_check_terms)
    customers_direction: str = "auvo_to_erp"
    tasks_enabled: bool = attrs.field(default=True, validator=_flag("tasks.enabled"))
    tasks_status: str = "finished_automatically_or_manually"
    tasks_task_types: tuple[str, ...] | None = attrs.field(default=None, converter=_names)
    tasks_customer_group: str | None = attrs.field(
        default=None, validator=_text("tasks.customer_group", optional=True)
    )
    # The wide pass: how often, and how far before and after the run it reads tasks.
    tasks_wide_every: timedelta = attrs.field(default=timedelta(days=1), converter=_wide_every)
    tasks_wide_back: timedelta = attrs.field(default=timedelta(days=180), converter=_wide_back)
    tasks_wide_ahead: timedelta = attrs.field(default=timedelta(days=30), converter=_wide_ahead)
    quotations_enabled: bool = attrs.field(default=False, validator=_flag("quotations.enabled"))
    quotations_status: str = attrs.field(default="Aprovado", validator=_text("quotations.status"))
    catalog_enabled: bool = attrs.field(default=True, validator=_flag("catalog.enabled"))
    poll_interval: timedelta = attrs.field(
        default=timedelta(minutes=10),
        converter=_poll_interval,
    )
    initial_lookback: timedelta = attrs.field(
        default=timedelta(days=30),
        converter=_initial_lookback,
    )
    bookmark_lookback: timedelta = attrs.field(
        default=timedelta(minutes=5),
        converter=_bookmark_lookback,
    )
    lock_wait: timedelta = attrs.field(default=timedelta(0), converter=_lock_wait)
    lock_lease: timedelta = attrs.field(default=DEFAULT_LOCK_LEASE, converter=_lock_lease)

    def __attrs_post_init__(self) -> None:
        _choice(self.erp, "erp.kind", ERP_KINDS)
        _choice(self.customers_direction, "customers.direction", CUSTOMER_DIRECTIONS)
        _choice(self.tasks_status, "tasks.status", TASK_STATUSES)
        if self.erp == "contaazul" and not self.financial_account:
            raise ConfigError(
                "erp.financial_account",
                "is required for Conta Azul: the name of a financial account as typed there",
            )

    @property
    def terms(self) -> PaymentTerms:
        return PaymentTerms.parse(self.payment_terms, "erp.payment_terms")

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> BridgeConfig:
        """From the nested form of the TOML file (``[auvo]``, ``[erp]``, ...)."""
        known = {"tenant", "auvo", "erp", "customers", "tasks", "quotations", "catalog", "schedule"}
        for key in data:
            if key not in known:
                raise ConfigError(
                    key, f"unknown section; expected one of {', '.join(sorted(known))}"
                )
        auvo = _section(data, "auvo", {"api_key", "api_token"})
        erp = _section(
            data,
            "erp",
            {
                "kind",
                "application_token",
                "company_token",
                "client_id",
                "client_secret",
                "token_file",
                "redirect_uri",
                "financial_account",
                "payment_terms",
            },
        )
        customers = _section(data, "customers", {"direction"})
        tasks = _section(
            data,
            "tasks",
            {
                "enabled",
                "status",
                "task_types",
                "customer_group",
                "wide_every",
                "wide_back",
                "wide_ahead",
            },
        )
        quotations = _section(data, "quotations", {"enabled", "status"})
        catalog = _section(data, "catalog", {"enabled"})
        schedule = _section(
            data,
            "schedule",
            {"poll_interval", "initial_lookback", "bookmark_lookback", "lock_wait", "lock_lease"},
        )
        values: dict[str, Any] = {
            "tenant": data.get("tenant", "default"),
            "erp": erp.get("kind", "contaazul"),
            "auvo_api_key": auvo.get("api_key"),
            "auvo_api_token": auvo.get("api_token"),
            "financial_account": erp.get("financial_account"),
            "payment_terms": _terms_text(erp.get("payment_terms", "0")),
            "customers_direction": customers.get("direction", "auvo_to_erp"),
            "tasks_enabled": tasks.get("enabled", True),
            "tasks_status": tasks.get("status", "finished_automatically_or_manually"),
            "tasks_task_types": tasks.get("task_types"),
            "tasks_customer_group": tasks.get("customer_group"),
            "quotations_enabled": quotations.get("enabled", False),
            "quotations_status": quotations.get("status", "Aprovado"),
            "catalog_enabled": catalog.get("enabled", True),
        }
        if values["erp"] == "contaazul":
            values["contaazul_application_token"] = erp.get("application_token")
            values["contaazul_company_token"] = erp.get("company_token")
        else:
            values["bling_client_id"] = erp.get("client_id")
            values["bling_client_secret"] = erp.get("client_secret")
            values["bling_token_file"] = erp.get("token_file", "bling-tokens.json")
            if "redirect_uri" in erp:
                values["bling_redirect_uri"] = erp["redirect_uri"]
        for key in (
            "poll_interval",
            "initial_lookback",
            "bookmark_lookback",
            "lock_wait",
            "lock_lease",
        ):
            if key in schedule:
                values[key] = schedule[key]
        for key in ("wide_every", "wide_back", "wide_ahead"):
            if key in tasks:
                values[f"tasks_{key}"] = tasks[key]
        return cls(**values)

    @classmethod
    def from_toml(cls, text: str, source: str = "file") -> BridgeConfig:
        """Parse the TOML form (see ``docs/bridge.md``); ``source`` names the text in errors."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:  # its text ends with "(at line L, column C)"
            raise ConfigError(source, f"not valid TOML: {exc}") from None
        except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
            raise ConfigError(
                source,
                f"not valid TOML: a number has more than {sys.get_int_max_str_digits()} digits",
            ) from None
        except RecursionError:  # tomllib recurses once per level of nesting
            raise ConfigError(
                source, "not valid TOML: arrays or tables nested too deeply"
            ) from None
        return cls.from_mapping(data)


def _terms_text(value: object) -> object:
    """``payment_terms = 30`` means ``"30"``; any other value is checked as it is."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


def _section(data: dict[str, Any], name: str, allowed: set[str]) -> dict[str, Any]:
    section = data.get(name, {})
    if not isinstance(section, dict):
        raise ConfigError(name, "must be a table")
    for key in section:
        if key not in allowed:
            raise ConfigError(
                f"{name}.{key}", f"unknown setting; expected one of {', '.join(sorted(allowed))}"
            )
    return section


def load_config(path: str | os.PathLike[str]) -> BridgeConfig:
    """Read a UTF-8 TOML file into a ``BridgeConfig``. A file that cannot be read, is not
    UTF-8 or is not TOML is a ``ConfigError`` named after the file, with the line."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except FileNotFoundError:
        raise ConfigError(
            "--config", f"no settings file at {path} (docs/bridge.md shows one to start from)"
        ) from None
    except OSError as exc:
        raise ConfigError(source, f"cannot be read: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")  # a byte order mark, as some editors write, is fine
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            source, f"line {line} is not UTF-8 (byte 0x{raw[exc.start]:02x}); save it as UTF-8"
        ) from None
    return BridgeConfig.from_toml(text, source)
