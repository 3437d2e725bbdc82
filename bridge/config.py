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

import os
import sys
import tomllib
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from sdkcore.client import check_base_url

from .erp.port import ErpKind, ErpSettings
from .erp.registry import DEFAULT_ERP, erp_kind, erp_kinds, erp_names
from .errors import ConfigError
from .terms import PaymentTerms
from .values import (
    MAX_DURATION,
    Secret,
    Validator,
    described,
    parse_duration,
    secret_setting,
    text_setting,
)

if TYPE_CHECKING:
    from .automations.declare import Automation

__all__ = [
    "CUSTOMER_DIRECTIONS",
    "ERP_KINDS",
    "MAX_DURATION",
    "MIN_POLL_INTERVAL",
    "SECTIONS",
    "SHARED_ERP_KEYS",
    "TASK_STATUSES",
    "BridgeConfig",
    "ConfigError",
    "Secret",
    "flat_setting_name",
    "load_config",
    "parse_duration",
]

ERP_KINDS = erp_names()
"""Every ``erp.kind``, as the registry (``bridge.erp.registry``) lists them."""
CUSTOMER_DIRECTIONS = ("auvo_to_erp", "erp_to_auvo", "both")
TASK_STATUSES = (
    "all",
    "not_finished",
    "finished_automatically",
    "finished_manually",
    "finished_automatically_or_manually",
)
MIN_POLL_INTERVAL = timedelta(seconds=1)
"""Shorter starts passes back to back (zero ran 310 passes in three seconds)."""
DEFAULT_LOCK_LEASE = timedelta(seconds=30)
"""How long a tenant's lock outlives its run's last heartbeat (``schedule.lock_lease``,
``bridge.lease``): the longest a run that died without cleaning up blocks its tenant."""
MIN_LOCK_LEASE = timedelta(seconds=1)
"""Shorter would have the heartbeat (every third of the lease) race the database."""


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


def _auvo_api_key(value: object) -> Secret | None:
    return secret_setting("auvo.api_key")(value)


def _auvo_api_token(value: object) -> Secret | None:
    return secret_setting("auvo.api_token")(value)


def _auvo_webhook_secret(value: object) -> Secret | None:
    return secret_setting("auvo.webhook_secret")(value)


def _base_url(value: object, setting: str) -> str | None:
    """``None``, or the base URL of an API as its client takes it (https, or plain http to a
    loopback address only, where the fakes are served), without its trailing slash."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(
            setting, f"must be a URL like 'https://api.example.com', not {described(value)}"
        )
    try:
        return check_base_url(value)
    except ValueError as exc:  # the client's own rule, in its own words
        raise ConfigError(setting, str(exc)) from None


def _auvo_base_url(value: object) -> str | None:
    return _base_url(value, "auvo.base_url")


def _erp_base_url(value: object) -> str | None:
    return _base_url(value, "erp.base_url")


def _names(value: object) -> tuple[str, ...] | None:
    if value is None:
        return None
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple) or not all(isinstance(n, str) for n in names):
        raise ConfigError(
            "tasks.task_types",
            f"must be a task type's name or a list of names, not {described(value)}",
        )
    if not names:
        raise ConfigError("tasks.task_types", "is an empty list; leave it out for every type")
    if not all(n.strip() for n in names):
        raise ConfigError("tasks.task_types", "has an empty name")
    return tuple(names)


def _flag(setting: str) -> Validator:
    def check(instance: object, attribute: object, value: object) -> None:
        if not isinstance(value, bool):
            raise ConfigError(setting, f"{value!r} is not one of true, false")

    return check


def _check_terms(instance: object, attribute: object, value: object) -> None:
    if not isinstance(value, str):
        raise ConfigError(
            "erp.payment_terms", f"must be text like '30 60 90', not {described(value)}"
        )
    terms = PaymentTerms.parse(value, "erp.payment_terms")
    if max(terms.days) > MAX_DURATION.days:
        raise ConfigError("erp.payment_terms", f"{value!r} has an installment beyond 10 years")


def _automations(value: object) -> tuple[Automation, ...]:
    if not isinstance(value, list | tuple):
        raise ConfigError(
            "automations", f"must be a list of bridge.Automation, not {described(value)}"
        )
    return tuple(value)


def _check_automations(config: BridgeConfig, attribute: object, value: object) -> None:
    """Each automation's systems are Auvo and this config's ERP, and every path it names is
    in their models; no two share a name. Loaded only when there are automations."""
    if not value:
        return
    from .automations.check import check, check_names
    from .automations.declare import Automation

    assert isinstance(value, tuple)  # _automations made it one
    for index, automation in enumerate(value):
        if not isinstance(automation, Automation):
            raise ConfigError(
                f"automations[{index}]", f"must be a bridge.Automation, not {described(automation)}"
            )
        for side, system in (
            ("trigger", automation.trigger.system),
            ("action", automation.action.system),
        ):
            _check_system(automation.name, side, system, config.erp)
        check(automation)
    check_names(value)


def _check_system(name: str, side: str, system: object, erp: str) -> None:
    """Refuse an automation's ``side`` (trigger or action) in another ERP than this config's
    ``erp``; Auvo and any other name pass (the automation's own checks list the systems)."""
    from .automations.errors import AutomationError
    from .automations.systems import AUVO

    if system not in (AUVO, erp) and system in erp_names():
        raise AutomationError(
            name,
            f"{side}.system",
            f"{system!r} is not this config's ERP (erp.kind = {erp!r}); use {AUVO!r} or {erp!r}",
        )


def _check_systems_first(tables: object, erp: str) -> None:
    """Each ``[[automations]]`` table's systems, before the automation is read: an action in
    another ERP is said to be one, not an action this ERP lacks. A table without a name is
    left to the reading, which says so."""
    for table in tables if isinstance(tables, list) else ():
        name = table.get("name") if isinstance(table, dict) else None
        if not isinstance(name, str) or not name.strip():
            continue
        for side in ("trigger", "action"):
            given = table.get(side)
            if isinstance(given, dict):
                _check_system(name, side, given.get("system"), erp)


def _default_erp_settings(config: BridgeConfig) -> ErpSettings:
    return erp_kind(config.erp).settings()


def _check_erp_settings(config: BridgeConfig, attribute: object, value: object) -> None:
    kind = erp_kind(config.erp)
    if not isinstance(value, kind.settings):
        raise ConfigError(
            "erp.kind", f"is {kind.name}, but the ERP settings given are {type(value).__name__}"
        )


def flat_setting_name(kind_name: str, setting: str) -> str:
    """The flat name of an ERP's own setting in ``BridgeConfig``, ``<kind>_<setting>``, its
    kind's name written as a Python identifier (a hyphen becomes an underscore)."""
    return f"{kind_name.replace('-', '_')}_{setting}"


def _erp_field(name: str) -> tuple[ErpKind, str] | None:
    """``(kind, setting)`` when ``name`` is ``<kind>_<setting>``: a registered kind's name and
    a field of its settings class (the flat names ``BridgeConfig`` had before
    ``erp_settings``). Only a kind whose name ``name`` starts with is loaded."""
    for kind_name in erp_names():
        setting = name.removeprefix(flat_setting_name(kind_name, ""))
        if setting == name:
            continue
        kind = erp_kind(kind_name)
        if setting in kind.settings.names():
            return kind, setting
    return None


def _check_not_renamed(kind: ErpKind, settings: list[str]) -> None:
    """A ``ConfigError`` when ``settings`` (as written) hold one this kind's name took
    before it was renamed: the config means the ERP the name used to name."""
    if kind.renamed is None:
        return
    prefixes = ("erp.", flat_setting_name(kind.name, ""))
    former = [
        name
        for name in settings
        if any(name.startswith(p) and name[len(p) :] in kind.renamed.settings for p in prefixes)
    ]
    if former:
        raise ConfigError(
            "erp.kind", f"{kind.name!r} with {', '.join(former)}: {kind.renamed.advice}"
        )


def _erp_settings_from_fields(args: tuple[Any, ...], values: dict[str, Any]) -> dict[str, Any]:
    """``values`` with each ``<kind>_<setting>`` keyword gathered into ``erp_settings``.

    Refused, naming the keyword: one whose kind is not the config's ``erp``, and any of them
    given with ``erp_settings`` (two sources for one setting); and one a renamed kind took
    before (``ErpKind.renamed``)."""
    positional = [f.name for f in attrs.fields(BridgeConfig) if f.init][: len(args)]
    given = dict(zip(positional, args, strict=False)) | values
    named = given.get("erp", DEFAULT_ERP)
    if named in erp_names():
        _check_not_renamed(erp_kind(named), list(values))
    fields = {name: _erp_field(name) for name in values}
    flat = {name: field for name, field in fields.items() if field is not None}
    if not flat:
        return values
    kind = erp_kind(given.get("erp", DEFAULT_ERP))
    own: dict[str, Any] = {}
    for name, (field_kind, setting) in flat.items():
        if field_kind.name != kind.name:
            raise ConfigError(
                name, f"is a setting of {field_kind.name}; this config's erp is {kind.name}"
            )
        if "erp_settings" in given:
            raise ConfigError(
                name,
                f"give {kind.name}'s settings in erp_settings or as {kind.name}_<setting>, "
                "not both",
            )
        own[setting] = values[name]
    rest = {name: value for name, value in values.items() if name not in flat}
    return rest | {"erp_settings": kind.settings(**own)}


class _FlatErpFields(type):
    """Lets ``BridgeConfig`` take an ERP's settings as ``<kind>_<setting>`` keywords, the
    names it had before ``erp_settings``; attrs' own ``__init__`` (and its typed signature)
    does the rest."""

    def __call__(cls, *args: Any, **values: Any) -> Any:
        return super().__call__(*args, **_erp_settings_from_fields(args, values))


@attrs.frozen
class BridgeConfig(metaclass=_FlatErpFields):
    """One tenant's integration: credentials, the ERP, and the sync rules of the guides.

    ``erp`` is the ERP's kind (``bridge.erp.registry``); ``erp_settings`` its own settings,
    an instance of its settings class (``erp_kind.settings``; default: that class's
    defaults). Each of those settings may also be given and read as ``<kind>_<setting>``
    (``erp`` and ``token_file`` make ``<erp>_token_file``), as before ``erp_settings``."""

    erp: str = attrs.field(default=DEFAULT_ERP)
    tenant: str = attrs.field(default="default", validator=text_setting("tenant"))
    auvo_api_key: Secret | None = attrs.field(default=None, converter=_auvo_api_key)
    auvo_api_token: Secret | None = attrs.field(default=None, converter=_auvo_api_token)
    erp_settings: ErpSettings = attrs.field(
        default=attrs.Factory(_default_erp_settings, takes_self=True), validator=_check_erp_settings
    )
    financial_account: str | None = attrs.field(
        default=None, validator=text_setting("erp.financial_account", optional=True)
    )
    payment_terms: str = attrs.field(default="0", validator=_check_terms)
    customers_direction: str = "auvo_to_erp"
    tasks_enabled: bool = attrs.field(default=True, validator=_flag("tasks.enabled"))
    tasks_status: str = "finished_automatically_or_manually"
    tasks_task_types: tuple[str, ...] | None = attrs.field(default=None, converter=_names)
    tasks_customer_group: str | None = attrs.field(
        default=None, validator=text_setting("tasks.customer_group", optional=True)
    )
    # The wide pass: how often, and how far before and after the run it reads tasks.
    tasks_wide_every: timedelta = attrs.field(default=timedelta(days=1), converter=_wide_every)
    tasks_wide_back: timedelta = attrs.field(default=timedelta(days=180), converter=_wide_back)
    tasks_wide_ahead: timedelta = attrs.field(default=timedelta(days=30), converter=_wide_ahead)
    quotations_enabled: bool = attrs.field(default=False, validator=_flag("quotations.enabled"))
    quotations_status: str = attrs.field(
        default="Aprovado", validator=text_setting("quotations.status")
    )
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
    # Last, so the fields before keep their positions.
    auvo_base_url: str | None = attrs.field(default=None, converter=_auvo_base_url)
    """Where the Auvo API is (``None``: ``AUVO_BASE_URL``, else Auvo's own)."""
    erp_base_url: str | None = attrs.field(default=None, converter=_erp_base_url)
    """Where the ERP's API is (``None``: its client's environment variable, else the ERP's
    own); for an ERP authorised in a browser, its OAuth pages too."""
    automations: tuple[Automation, ...] = attrs.field(
        default=(), converter=_automations, validator=_check_automations
    )
    """``[[automations]]``: each checked against Auvo's and this ERP's models as the config
    is made (``bridge.automations``)."""
    auvo_webhook_secret: Secret | None = attrs.field(default=None, converter=_auvo_webhook_secret)
    """The secret in the path of the tenant's Auvo deliveries to the fleet's webhook
    receiver (``python -m bridge webhooks``); ``None``: it takes none for the tenant."""

    def __attrs_post_init__(self) -> None:
        kind = erp_kind(self.erp)
        _choice(self.customers_direction, "customers.direction", CUSTOMER_DIRECTIONS)
        _choice(self.tasks_status, "tasks.status", TASK_STATUSES)
        if kind.account_required and not self.financial_account:
            raise ConfigError(
                "erp.financial_account",
                f"is required for {kind.title}: the name of a {kind.account_label} as typed there",
            )

    @property
    def erp_kind(self) -> ErpKind:
        """The ERP's registry record: its settings, client, adapter and fake."""
        return erp_kind(self.erp)

    def __getattr__(self, name: str) -> Any:
        """``config.<kind>_<setting>``: the ERP's own setting, under its flat name (``Any``:
        typed as the setting is, which depends on the kind)."""
        field = None if name.startswith("_") else _erp_field(name)
        if field is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        kind, setting = field
        if kind.name != self.erp:
            raise AttributeError(
                f"{name} is a setting of {kind.name}; this config's erp is {self.erp}"
            )
        return getattr(self.erp_settings, setting)

    @property
    def terms(self) -> PaymentTerms:
        return PaymentTerms.parse(self.payment_terms, "erp.payment_terms")

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> BridgeConfig:
        """From the nested form of the TOML file (``[auvo]``, ``[erp]``, ...)."""
        known = {"tenant", "erp", *SECTIONS}
        for key in data:
            if key not in known and key != "automations":
                raise ConfigError(
                    key,
                    "unknown section; besides [[automations]], expected one of "
                    + ", ".join(sorted(known)),
                )
        tables = {name: _section(data, name, set(keys)) for name, keys in SECTIONS.items()}
        auvo, customers, tasks = tables["auvo"], tables["customers"], tables["tasks"]
        quotations, catalog, schedule = tables["quotations"], tables["catalog"], tables["schedule"]
        erp = _erp_section(data)
        kind = erp_kind(erp.get("kind", DEFAULT_ERP))
        _check_not_renamed(kind, [f"erp.{key}" for key in erp])
        values: dict[str, Any] = {
            "tenant": data.get("tenant", "default"),
            "erp": kind.name,
            "erp_settings": kind.settings.from_table(erp),
            "auvo_api_key": auvo.get("api_key"),
            "auvo_api_token": auvo.get("api_token"),
            "auvo_base_url": auvo.get("base_url"),
            "auvo_webhook_secret": auvo.get("webhook_secret"),
            "erp_base_url": erp.get("base_url"),
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
        if "automations" in data:  # bridge.automations loads only for a file that has some
            from .automations.toml import automations_from_toml

            _check_systems_first(data["automations"], kind.name)
            values["automations"] = automations_from_toml(data, read_duration=parse_duration)
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


SECTIONS: dict[str, frozenset[str]] = {
    "auvo": frozenset({"api_key", "api_token", "base_url", "webhook_secret"}),
    "customers": frozenset({"direction"}),
    "tasks": frozenset(
        {
            "enabled",
            "status",
            "task_types",
            "customer_group",
            "wide_every",
            "wide_back",
            "wide_ahead",
        }
    ),
    "quotations": frozenset({"enabled", "status"}),
    "catalog": frozenset({"enabled"}),
    "schedule": frozenset(
        {"poll_interval", "initial_lookback", "bookmark_lookback", "lock_wait", "lock_lease"}
    ),
}
"""The settings file's tables but ``[erp]`` (``SHARED_ERP_KEYS`` and each ERP's settings),
and the keys of each; ``tenant`` is the one top-level key."""

SHARED_ERP_KEYS = frozenset({"kind", "base_url", "financial_account", "payment_terms"})
"""The ``[erp]`` keys of every ERP; each kind's settings class adds its own."""


def _erp_section(data: dict[str, Any]) -> dict[str, Any]:
    """The ``[erp]`` table. A key of another ERP's is let through (and ignored), as a file
    switched from one ERP to another may keep the first one's settings."""
    section = data.get("erp", {})
    kind = section.get("kind", DEFAULT_ERP) if isinstance(section, dict) else None
    own = erp_kind(kind).settings.names() if kind in erp_names() else frozenset()
    if isinstance(section, dict) and all(key in SHARED_ERP_KEYS | own for key in section):
        return section
    every = set(SHARED_ERP_KEYS).union(*(other.settings.names() for other in erp_kinds()))
    return _section(data, "erp", every)


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
            "--config", f"no settings file at {path} (python -m bridge init writes one to start)"
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
