"""The commented starting settings file ``python -m bridge init`` writes: every section and
key, each with its default and a line on what it is for. Defaults are read from
``BridgeConfig`` and from each ERP's settings class, so the file never shows a stale one.

A line ``# key = value`` is the default (remove ``# `` to change it), or, where the note says
``example``, a value to start from for a key that is unset by default. A line without
``# `` in front is one a person must fill in; secrets start as ``env:NAME``, read from the
environment variable ``NAME``, so none need be written in the file."""

from __future__ import annotations

from datetime import timedelta

import attrs

from auvo import Auvo

from .config import CUSTOMER_DIRECTIONS, TASK_STATUSES, BridgeConfig
from .erp.port import ErpKind
from .erp.registry import DEFAULT_ERP, erp_kind, erp_kinds
from .values import holds_secret

__all__ = ["starter_settings"]


@attrs.frozen
class _Key:
    section: str  # "" for the top level
    name: str
    field: str | None  # the BridgeConfig field holding its default; None: no setting's
    note: str
    example: object = None  # for a key unset by default: a value to start from
    required: bool = False


_KEYS = (
    _Key("", "tenant", "tenant", "one name per company: the store keeps each tenant apart"),
    _Key("auvo", "api_key", "auvo_api_key", "required: Auvo's API key", required=True),
    _Key("auvo", "api_token", "auvo_api_token", "required: Auvo's API token", required=True),
    _Key(
        "auvo",
        "base_url",
        None,
        "Auvo's API; another address (a fake, a proxy): https, or http to this machine only",
    ),
    _Key(
        "auvo",
        "webhook_secret",
        "auvo_webhook_secret",
        "the secret in this tenant's Auvo webhook URL on `python -m bridge webhooks`",
        example="env:AUVO_WEBHOOK_SECRET",
    ),
    _Key(
        "erp",
        "financial_account",
        "financial_account",
        "the account sales are paid into, named as the ERP names it",
        example="Caixa",
    ),
    _Key(
        "erp",
        "payment_terms",
        "payment_terms",
        "days from the sale to each installment, e.g. '30 60 90'",
    ),
    _Key("customers", "direction", "customers_direction", " or ".join(CUSTOMER_DIRECTIONS)),
    _Key("tasks", "enabled", "tasks_enabled", "bill finished tasks as ERP sales"),
    _Key("tasks", "status", "tasks_status", "which tasks are billed: " + ", ".join(TASK_STATUSES)),
    _Key(
        "tasks",
        "task_types",
        "tasks_task_types",
        "unset: tasks of every type",
        example=("Instalação", "Manutenção"),
    ),
    _Key(
        "tasks",
        "customer_group",
        "tasks_customer_group",
        "unset: customers of every group",
        example="Contratos",
    ),
    _Key(
        "tasks",
        "wide_every",
        "tasks_wide_every",
        "how often a pass reads far back and ahead, for tasks finished late or early",
    ),
    _Key("tasks", "wide_back", "tasks_wide_back", "how far back such a wide pass reads"),
    _Key("tasks", "wide_ahead", "tasks_wide_ahead", "how far ahead such a wide pass reads"),
    _Key("quotations", "enabled", "quotations_enabled", "bill quotations that reach a stage"),
    _Key("quotations", "status", "quotations_status", "that stage, as Auvo names it"),
    _Key("catalog", "enabled", "catalog_enabled", "copy the ERP's products and services to Auvo"),
    _Key(
        "schedule",
        "poll_interval",
        "poll_interval",
        "from the start of one pass of `run` to the next",
    ),
    _Key("schedule", "initial_lookback", "initial_lookback", "how far back the first pass reads"),
    _Key(
        "schedule",
        "bookmark_lookback",
        "bookmark_lookback",
        "how much each pass reads again of the window before its bookmark",
    ),
    _Key(
        "schedule", "lock_wait", "lock_wait", "how long a pass waits for a tenant another run holds"
    ),
    _Key(
        "schedule",
        "lock_lease",
        "lock_lease",
        "how long the lock of a run that died blocks its tenant",
    ),
)

_ERP_BASE_URL = (
    '# base_url = "https://..."  # example: the ERP\'s API at another address (a fake, a '
    "proxy); unset: its own"
)
_HEADER = """\
# The bridge's settings, as `python -m bridge init` wrote them (docs/bridge.md explains
# each). A line "# key = value" shows the default: remove the "# " to change it. A line
# whose note says "example" shows a value to start from for a key unset by default. Fill
# in the lines marked "required"; a secret given as "env:NAME" is read from the
# environment variable NAME, so it need not be written here."""


def starter_settings() -> str:
    """The starting settings file's text, for ``DEFAULT_ERP`` (the other ERPs' own keys
    are listed in ``[erp]``, commented)."""
    defaults = {field.name: field.default for field in attrs.fields(BridgeConfig)}
    kind = erp_kind(DEFAULT_ERP)
    lines = [_HEADER]
    section = None
    for key in _KEYS:
        if key.section != section:
            section = key.section
            lines += ["", f"[{section}]"] if section else [""]
            if section == "erp":
                names = ", ".join(f"{k.name} ({k.title})" for k in erp_kinds())
                lines.append(f'kind = "{kind.name}"  # which ERP: {names}')
        if key.field is None:
            lines.append(_line(key.name, Auvo.default_base_url, key.note))
        elif key.required:  # Auvo's credentials
            lines.append(_required(key.name, key.note, secret=f"auvo_{key.name}"))
        elif key.name == "financial_account" and kind.account_required:
            lines.append(_required(key.name, f"required for {kind.title}: {key.note}"))
        elif defaults[key.field] is None:
            lines.append(_line(key.name, key.example, f"example; {key.note}"))
        else:
            lines.append(_line(key.name, defaults[key.field], key.note))
        if key.name == "payment_terms":  # then the ERP's own keys
            lines += _erp_keys(kind)
            lines.append(_ERP_BASE_URL)
            shown = kind.settings.names()
            for other in erp_kinds():
                if other.name != kind.name:
                    own = _erp_keys(other, instead_of=shown)
                    heading = f'# With kind = "{other.name}" ({other.title}), instead'
                    same = ": the keys above, with its own values (its own app's)"
                    lines.append(heading + (":" if own else same))
                    lines += own
                    shown |= other.settings.names()
    lines += _AUTOMATIONS
    return "\n".join(lines) + "\n"


_AUTOMATIONS = [
    "",
    "# Automations: when this happens in one system, do that in another (docs/automations.md;",
    "# `python -m bridge automations catalogue` lists what each system offers). For example:",
    "# [[automations]]",
    '#   name = "finished installation -> follow-up visit"',
    '#   trigger = { system = "auvo", record = "task", field = "finished", to = true }',
    '#   filters = [ ["taskType", "=", 7] ]',
    '#   action = { system = "auvo", do = "create_task" }',
    "#   [automations.map]",
    '#   customerId = "{customerId}"',
    '#   idUserFrom = "{idUserFrom}"',
    "#   taskType = 8",
    '#   orientation = "Retorno da tarefa {taskID}"',
]
"""A commented automation at the end of the starting file: the section exists, and its shape."""


def _erp_keys(kind: ErpKind, instead_of: frozenset[str] | None = None) -> list[str]:
    """An ERP's own keys; an ERP's base URL is written once, for every kind. With
    ``instead_of`` (the keys written already), the keys of a kind other than the file's:
    commented examples, each key written once (two kinds may share a name)."""
    lines = []
    for field in attrs.fields(kind.settings):
        if field.name == "base_url" or field.name in (instead_of or ()):
            continue
        words = field.name.replace("_", " ")
        note = field.metadata.get("help") or f"{kind.title}'s {words}"
        secret = f"{kind.name}_{field.name}".replace("-", "_")
        if instead_of is not None:  # no default of this file: a value to start from there
            value = f"env:{secret.upper()}" if holds_secret(field) else field.default
            lines.append(_line(field.name, value, f"example; {note}"))
        elif holds_secret(field):
            lines.append(_required(field.name, f"required: {note}", secret=secret))
        else:
            lines.append(_line(field.name, field.default, note))
    return lines


def _required(name: str, note: str, *, secret: str = "") -> str:
    """A key to fill in: a secret read from the environment variable named after ``secret``
    (``env:AUVO_API_KEY``), anything else empty."""
    value = f'"env:{secret.upper()}"' if secret else '""'
    return f"{name} = {value}  # {note}"


def _line(name: str, value: object, note: str) -> str:
    return f"# {name} = {_toml(value)}  # {note}"


def _toml(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, timedelta):
        return f'"{_duration(value)}"'
    if isinstance(value, tuple):
        return "[" + ", ".join(_toml(v) for v in value) + "]"
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _duration(value: timedelta) -> str:
    """A duration as ``parse_duration`` reads it, in the largest unit that is exact."""
    seconds = value.total_seconds()
    for unit, size in (("w", 604800), ("d", 86400), ("h", 3600), ("m", 60)):
        if seconds and seconds % size == 0:
            return f"{seconds // size:g}{unit}"
    return f"{seconds:g}s"
