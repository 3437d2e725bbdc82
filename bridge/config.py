"""``BridgeConfig``: what the guides' settings page holds, immutable, from TOML or Python.

Every error names the setting and, for a choice, the values it allows. Secrets may be given
as ``env:NAME`` and are read from the environment when a client is built, never printed.
"""

from __future__ import annotations

import os
import re
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from .terms import PaymentTerms

__all__ = [
    "CUSTOMER_DIRECTIONS",
    "ERP_KINDS",
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


def parse_duration(value: object, setting: str) -> timedelta:
    """``"10m"``, ``"30d"``, ``"90s"``, ``"1.5h"``, a number of seconds, or a timedelta."""
    if isinstance(value, timedelta):
        return value
    if isinstance(value, bool):
        raise ConfigError(setting, "must be a duration like '10m', '30d' or seconds")
    if isinstance(value, int | float):
        return timedelta(seconds=value)
    match = _DURATION.match(str(value))
    if not match:
        raise ConfigError(
            setting, f"{value!r} is not a duration; use a number with ms, s, m, h, d or w"
        )
    return timedelta(seconds=float(match.group(1)) * _UNITS[match.group(2)])


def _poll_interval(value: object) -> timedelta:
    return parse_duration(value, "schedule.poll_interval")


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


def _choice(value: object, setting: str, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise ConfigError(setting, f"{value!r} is not one of {', '.join(allowed)}")
    return str(value)


def _secret(value: object) -> Secret | None:
    if value is None or isinstance(value, Secret):
        return value
    return Secret(str(value))


def _names(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)  # type: ignore[attr-defined]


def _check_redirect(instance: object, attribute: object, value: str) -> None:
    parts = urlsplit(value)
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


def _check_terms(instance: object, attribute: object, value: str) -> None:
    PaymentTerms.parse(value, "erp.payment_terms")


@attrs.frozen
class BridgeConfig:
    """One tenant's integration: credentials, the ERP, and the sync rules of the guides."""

    erp: str = attrs.field(default="contaazul")
    tenant: str = "default"
    auvo_api_key: Secret | None = attrs.field(default=None, converter=_secret)
    auvo_api_token: Secret | None = attrs.field(default=None, converter=_secret)
    contaazul_application_token: Secret | None = attrs.field(default=None, converter=_secret)
    contaazul_company_token: Secret | None = attrs.field(default=None, converter=_secret)
    bling_client_id: Secret | None = attrs.field(default=None, converter=_secret)
    bling_client_secret: Secret | None = attrs.field(default=None, converter=_secret)
    bling_token_file: str = "bling-tokens.json"
    bling_redirect_uri: str = attrs.field(
        default="http://127.0.0.1:8765/callback", validator=_check_redirect
    )
    financial_account: str | None = None
    payment_terms: str = attrs.field(default="0", validator=_check_terms)
    customers_direction: str = "auvo_to_erp"
    tasks_enabled: bool = True
    tasks_status: str = "finished_automatically_or_manually"
    tasks_task_types: tuple[str, ...] | None = attrs.field(default=None, converter=_names)
    tasks_customer_group: str | None = None
    # The wide pass: how often, and how far before and after the run it reads tasks.
    tasks_wide_every: timedelta = attrs.field(default=timedelta(days=1), converter=_wide_every)
    tasks_wide_back: timedelta = attrs.field(default=timedelta(days=180), converter=_wide_back)
    tasks_wide_ahead: timedelta = attrs.field(default=timedelta(days=30), converter=_wide_ahead)
    quotations_enabled: bool = False
    quotations_status: str = "Aprovado"
    catalog_enabled: bool = True
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

    def __attrs_post_init__(self) -> None:
        _choice(self.erp, "erp.kind", ERP_KINDS)
        _choice(self.customers_direction, "customers.direction", CUSTOMER_DIRECTIONS)
        _choice(self.tasks_status, "tasks.status", TASK_STATUSES)
        if self.erp == "contaazul" and not self.financial_account:
            raise ConfigError(
                "erp.financial_account",
                "is required for Conta Azul: the name of a financial account as typed there",
            )
        if not self.tenant.strip():
            raise ConfigError("tenant", "must not be empty")

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
            {"poll_interval", "initial_lookback", "bookmark_lookback", "lock_wait"},
        )
        values: dict[str, Any] = {
            "tenant": data.get("tenant", "default"),
            "erp": erp.get("kind", "contaazul"),
            "auvo_api_key": auvo.get("api_key"),
            "auvo_api_token": auvo.get("api_token"),
            "financial_account": erp.get("financial_account"),
            "payment_terms": str(erp.get("payment_terms", "0")),
            "customers_direction": customers.get("direction", "auvo_to_erp"),
            "tasks_enabled": _bool(tasks.get("enabled", True), "tasks.enabled"),
            "tasks_status": tasks.get("status", "finished_automatically_or_manually"),
            "tasks_task_types": tasks.get("task_types"),
            "tasks_customer_group": tasks.get("customer_group"),
            "quotations_enabled": _bool(quotations.get("enabled", False), "quotations.enabled"),
            "quotations_status": quotations.get("status", "Aprovado"),
            "catalog_enabled": _bool(catalog.get("enabled", True), "catalog.enabled"),
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
        for key in ("poll_interval", "initial_lookback", "bookmark_lookback", "lock_wait"):
            if key in schedule:
                values[key] = schedule[key]
        for key in ("wide_every", "wide_back", "wide_ahead"):
            if key in tasks:
                values[f"tasks_{key}"] = tasks[key]
        return cls(**values)

    @classmethod
    def from_toml(cls, text: str) -> BridgeConfig:
        """Parse the TOML form (see ``docs/bridge.md``)."""
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("file", f"not valid TOML: {exc}") from None
        return cls.from_mapping(data)


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


def _bool(value: object, setting: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(setting, f"{value!r} is not one of true, false")
    return value


def load_config(path: str | os.PathLike[str]) -> BridgeConfig:
    """Read a TOML file into a ``BridgeConfig``."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(
            "--config", f"no settings file at {path} (docs/bridge.md shows one to start from)"
        ) from None
    return BridgeConfig.from_toml(text)
