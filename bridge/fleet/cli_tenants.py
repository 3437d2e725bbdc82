"""``python -m bridge tenants add|list|show|pause|resume|remove``: the fleet's tenants in
the PostgreSQL store (``--store DSN``, else ``PONTE_STORE``).

Exit status: 0 done; 2 a setting or name to fix (a bad settings file, a literal secret, a
name taken or unknown, no store given, the store unreachable); 1 the store failed in the
middle of the work, or ``list``/``show`` found settings that no longer load (a release may
check them more strictly than the one that added them), each shown with the reason.
Credentials are never printed: ``show`` gives their references.

The commands change the registry only: with Temporal, ``python -m bridge schedules sync``
brings the schedules in line, and each change says so."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sdkcore.auth import FileTokenStore, TokenSet
from sdkcore.redact import redact_text

from ..config import BridgeConfig, load_config
from ..errors import ConfigError
from .registry import Tenant, TenantError, TenantRegistry, secret_references
from .tokens import PostgresTokenStores, token_key

__all__ = ["STORE_ENV", "add_tenants_parser", "run_tenants"]

STORE_ENV = "PONTE_STORE"
"""The environment variable naming the fleet's PostgreSQL store when ``--store`` is not
given."""

_SCHEDULES_SYNC = "python -m bridge schedules sync"

_EPILOG = (
    "Exit status: 0 done; 2 a setting, a name or a store to fix; 1 the store failed mid-way, "
    "or list/show found a tenant whose settings no longer load (shown as 'settings invalid: "
    f"REASON'). The commands change the registry: with Temporal, run `{_SCHEDULES_SYNC}` "
    "after them to bring the schedules in line."
)


def add_tenants_parser(
    sub: Any, after: argparse.ArgumentParser, formatter: type[argparse.HelpFormatter]
) -> None:
    """``tenants`` and its commands, on the bridge's command parser ``sub``."""
    text = "the fleet's tenants in the PostgreSQL store: add, list, show, pause, resume, remove"
    group = sub.add_parser(
        "tenants", help=text, description=text, epilog=_EPILOG, formatter_class=formatter
    )
    commands = group.add_subparsers(dest="tenants_command", required=True, metavar="COMMAND")

    def command(name: str, text: str, *, named: bool = True) -> argparse.ArgumentParser:
        cmd: argparse.ArgumentParser = commands.add_parser(
            name, help=text, description=text, parents=[after], formatter_class=formatter
        )
        if named:
            cmd.add_argument("name", metavar="NAME", help="the tenant's name")
        cmd.add_argument(
            "--store",
            metavar="DSN",
            help=f"the PostgreSQL store: a postgresql:// URL or a libpq DSN (default: "
            f"${STORE_ENV})",
        )
        return cmd

    add = command(
        "add",
        "add a tenant with its settings file, checked as a sync loads it and stored without "
        "its comments; its credentials must be env:NAME references, and the ERP's OAuth "
        "tokens in the file's erp.token_file move into the store; schedules sync schedules it",
    )
    add.add_argument("--config", required=True, metavar="FILE", help="the TOML settings file")
    add.add_argument(
        "--replace",
        action="store_true",
        help="replace the settings of a tenant already there (its tokens, state and pause "
        "stay); its next pass runs them, and schedules sync applies a new poll_interval",
    )
    listing = command("list", "every tenant: status, ERP, poll interval", named=False)
    listing.add_argument("--json", action="store_true", help="print JSON")
    show = command(
        "show", "one tenant: status, ERP, schedule, credentials' references, OAuth tokens"
    )
    show.add_argument("--json", action="store_true", help="print JSON")
    command(
        "pause",
        "skip the tenant's passes until resume (a pass under way finishes); schedules sync "
        "pauses its schedule",
    )
    command(
        "resume",
        "run the tenant's passes again; its schedule starts them once schedules sync resumes it",
    )
    command(
        "remove",
        "forget the tenant, its OAuth tokens and its rate limits; what the store remembers "
        "of its syncs stays, so adding it again never makes a sale twice; schedules sync "
        "deletes its schedule",
    )


def run_tenants(args: argparse.Namespace) -> int:
    """Run the ``tenants`` command ``args`` names; returns the exit status."""
    from ..loop import store_errors

    try:
        registry = TenantRegistry(_dsn(args))
    except (ConfigError, ImportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        return _COMMANDS[args.tenants_command](args, registry)
    except (ConfigError, TenantError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except store_errors() as exc:
        return _store_failed(exc)
    finally:
        registry.close()


def _store_failed(exc: BaseException) -> int:
    lines = str(exc).strip().splitlines()  # psycopg adds hints on further lines
    reason = redact_text(lines[0]) if lines else type(exc).__name__
    if type(exc).__name__ == "OperationalError":  # refused, down, no such database
        print(f"error: cannot use the store: {reason}", file=sys.stderr)
        return 2
    print(f"error: the store failed: {reason}", file=sys.stderr)
    return 1


def _dsn(args: argparse.Namespace) -> str:
    dsn: str | None = args.store or os.environ.get(STORE_ENV)
    if not dsn:
        raise ConfigError(
            "--store",
            f"the tenants live in a PostgreSQL store: pass --store DSN or set {STORE_ENV}",
        )
    if not dsn.startswith(("postgres://", "postgresql://")) and "=" not in dsn:
        raise ConfigError(
            "--store",
            "the tenants live in PostgreSQL: give a postgresql:// URL or a libpq DSN "
            "('host=... dbname=...'), not a SQLite path",
        )
    return dsn


# -- the commands ---------------------------------------------------------------------------


def _add(args: argparse.Namespace, registry: TenantRegistry) -> int:
    load_config(args.config)  # a missing or unreadable file, named as such
    text = Path(args.config).read_bytes().decode("utf-8-sig")
    tenant = registry.add(args.name, text, source=args.config, replace=args.replace)
    config = tenant.config()
    replaced = tenant.updated_at != tenant.added_at  # an insert sets both to one instant
    verb = "replaced the settings of" if replaced else "added"
    print(f"{verb} tenant {tenant.name}: {_summary(tenant, config)}")
    if config.erp_kind.authorization is not None:
        print(_import_tokens(registry, tenant.name, config, args))
    if replaced:
        print(f"its next pass runs these settings; {_schedules_hint('apply its poll_interval')}")
    else:
        print(_schedules_hint("schedule its passes"))
    return 0


def _import_tokens(
    registry: TenantRegistry, name: str, config: BridgeConfig, args: argparse.Namespace
) -> str:
    """Move the ERP's tokens from the file ``authorize`` wrote into the store, unless the
    store has some: the fleet may have rotated those, and the file's would be spent."""
    token_file = str(getattr(config.erp_settings, "token_file", ""))
    tokens = PostgresTokenStores(registry.dsn)
    try:
        store = tokens.for_key(token_key(name, config.erp))
        with store.lock():
            if store.load() is not None:
                return f"tokens: the store's {config.erp} tokens are kept"
            found = FileTokenStore(token_file).load() if token_file else None
            if found is None:
                return (
                    f"tokens: none yet; run `python -m bridge authorize --config {args.config}`, "
                    f"then `tenants add {name} --config {args.config} --replace` to move them in"
                )
            store.save(found)
    finally:
        tokens.close()
    return (
        f"tokens: moved from {token_file} into the store, which refreshes them from now on; "
        "delete the file, so no other run spends its refresh token"
    )


def _list(args: argparse.Namespace, registry: TenantRegistry) -> int:
    listed = [(tenant, _loaded(tenant)) for tenant in registry.list()]
    if args.json:
        print(json.dumps([_tenant_json(t, config) for t, config in listed], indent=2))
    elif not listed:
        print("no tenants (tenants add NAME --config FILE adds one)")
    else:
        print("\n".join(f"{tenant.name}  {_summary(tenant, config)}" for tenant, config in listed))
    return 1 if any(isinstance(config, ConfigError) for _, config in listed) else 0


def _show(args: argparse.Namespace, registry: TenantRegistry) -> int:
    tenant = registry.get(args.name)
    config = _loaded(tenant)
    shown = _tenant_json(tenant, config) | {
        "added_at": tenant.added_at.isoformat(timespec="seconds"),
        "updated_at": tenant.updated_at.isoformat(timespec="seconds"),
    }
    if not isinstance(config, ConfigError):
        shown |= _settings_json(registry, config)
    if args.json:
        print(json.dumps(shown, indent=2))
    else:
        print(f"tenant {tenant.name}: {_summary(tenant, config)}")
        print(f"added {shown['added_at']}, changed {shown['updated_at']}")
        if not isinstance(config, ConfigError):
            print(f"automations: {', '.join(shown['automations']) or 'none'}")
            for setting, reference in shown["credentials"].items():
                where = "set" if reference["set_here"] else "not set"
                print(f"{setting} = {reference['reference']} ({where} in this environment)")
            if "erp_tokens" in shown:
                print(f"{config.erp} tokens: {_tokens_text(shown['erp_tokens'])}")
    return 1 if isinstance(config, ConfigError) else 0


def _settings_json(registry: TenantRegistry, config: BridgeConfig) -> dict[str, Any]:
    """What ``show`` tells of settings that load: automations, credentials' references and
    the ERP's OAuth tokens (when it has some)."""
    shown: dict[str, Any] = {
        "automations": [automation.name for automation in config.automations],
        "credentials": {
            setting: {"reference": secret.raw, "set_here": _set_here(secret.raw)}
            for setting, secret in secret_references(config).items()
        },
    }
    if config.erp_kind.authorization is not None:
        shown["erp_tokens"] = _tokens_json(_stored_tokens(registry, config))
    return shown


def _pause(args: argparse.Namespace, registry: TenantRegistry) -> int:
    registry.pause(args.name)
    print(f"tenant {args.name} is paused (tenants resume {args.name} runs it again)")
    print(f"its passes are skipped from now on; {_schedules_hint('pause its schedule too')}")
    return 0


def _resume(args: argparse.Namespace, registry: TenantRegistry) -> int:
    registry.resume(args.name)
    print(f"tenant {args.name} is active")
    print(f"{_schedules_hint('resume its schedule')}: until then no scheduled pass starts")
    return 0


def _remove(args: argparse.Namespace, registry: TenantRegistry) -> int:
    registry.remove(args.name)
    print(
        f"removed tenant {args.name} with its OAuth tokens and rate limits; the store keeps "
        "what it synced"
    )
    print(f"its passes are skipped from now on; {_schedules_hint('delete its schedule')}")
    return 0


def _schedules_hint(change: str) -> str:
    """The line after a change to the registry: a Temporal schedule follows the registry
    only when ``schedules sync`` runs, while each pass reads the registry when it starts
    (so a paused or removed tenant's passes are skipped at once)."""
    return f"with Temporal, run `{_SCHEDULES_SYNC}` to {change}"


_COMMANDS: dict[str, Callable[[argparse.Namespace, TenantRegistry], int]] = {
    "add": _add,
    "list": _list,
    "show": _show,
    "pause": _pause,
    "resume": _resume,
    "remove": _remove,
}


# -- what is printed ------------------------------------------------------------------------


def _status(tenant: Tenant) -> str:
    return "paused" if tenant.paused else "active"


def _interval(config: BridgeConfig) -> str:
    return f"{config.poll_interval.total_seconds():g}s"


def _loaded(tenant: Tenant) -> BridgeConfig | ConfigError:
    """The tenant's settings, or why they no longer load: one tenant's is no reason not to
    show the others."""
    try:
        return tenant.config()
    except ConfigError as exc:
        return exc


def _summary(tenant: Tenant, config: BridgeConfig | ConfigError) -> str:
    if isinstance(config, ConfigError):
        return f"{_status(tenant)}, settings invalid: {config}"
    return f"{_status(tenant)}, erp {config.erp}, every {_interval(config)}"


def _tenant_json(tenant: Tenant, config: BridgeConfig | ConfigError) -> dict[str, Any]:
    shown = {"name": tenant.name, "status": _status(tenant)}
    if isinstance(config, ConfigError):
        return shown | {"erp": None, "poll_interval_seconds": None, "settings_invalid": str(config)}
    return shown | {
        "erp": config.erp,
        "poll_interval_seconds": config.poll_interval.total_seconds(),
        "settings_invalid": None,
    }


def _set_here(reference: str) -> bool:
    return bool(os.environ.get(reference.removeprefix("env:").strip()))


def _stored_tokens(registry: TenantRegistry, config: BridgeConfig) -> TokenSet | None:
    tokens = PostgresTokenStores(registry.dsn)
    try:
        return tokens.for_key(token_key(config.tenant, config.erp)).load()
    finally:
        tokens.close()


def _expiry(tokens: TokenSet) -> str | None:
    if tokens.expires_at is None:
        return None
    return datetime.fromtimestamp(tokens.expires_at, UTC).isoformat(timespec="seconds")


def _tokens_json(tokens: TokenSet | None) -> dict[str, Any]:
    if tokens is None:
        return {"stored": False}
    return {"stored": True, "access_token_expires_at": _expiry(tokens)}


def _tokens_text(tokens: dict[str, Any]) -> str:
    """``_tokens_json``'s in words."""
    if not tokens["stored"]:
        return "none stored (tenants add moves in those authorize saved)"
    expiry = tokens["access_token_expires_at"]
    return "stored" + (f", the access token expires at {expiry}" if expiry else "")
