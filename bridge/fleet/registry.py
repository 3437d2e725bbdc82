"""``TenantRegistry``: the companies a fleet syncs, each a name, its settings file (the
bridge's own TOML, automations included) and whether it is paused, kept in PostgreSQL.

A tenant's settings keep references only: every credential is ``env:NAME``, read from the
environment of the worker that runs the tenant, so the database never holds a secret but
the OAuth tokens (``bridge.fleet.tokens``). The settings file is stored without its
comments, where a credential may lie commented out."""

from __future__ import annotations

import re
import tomllib
from datetime import UTC, datetime

import attrs

from ..config import SECTIONS, BridgeConfig
from ..erp.registry import erp_kinds
from ..errors import ConfigError
from ..values import Secret, holds_secret
from .database import Database
from .tokens import token_key

__all__ = [
    "Tenant",
    "TenantError",
    "TenantExists",
    "TenantRegistry",
    "UnknownTenant",
    "check_tenant_name",
    "credential_settings",
    "secret_references",
    "without_comments",
]

_TENANT_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,62}")


class TenantError(Exception):
    """A tenant named that cannot be what is asked (none by that name, or one already)."""


class UnknownTenant(TenantError, LookupError):
    """No tenant has that name."""


class TenantExists(TenantError):
    """A tenant already has that name."""


@attrs.frozen
class Tenant:
    """One company of the fleet: its settings file (without comments), and whether it
    runs."""

    name: str
    config_text: str
    paused: bool
    added_at: datetime
    updated_at: datetime

    def config(self, source: str | None = None) -> BridgeConfig:
        """Its settings as a sync runs them (``tenant`` is its name); a ``ConfigError`` when
        they no longer load (a later release may check them more strictly), its message
        starting with ``source`` (default: "the settings of tenant NAME")."""
        return _checked_config(
            self.name, self.config_text, source or f"the settings of tenant {self.name}"
        )


def check_tenant_name(name: str) -> str:
    """``name`` when it may name a tenant; a ``ConfigError`` on ``tenant`` saying why not.
    The name goes into workflow ids and token keys (``<tenant>/<api>``), so it is kept to
    letters, digits, ``.``, ``_`` and ``-``."""
    if not isinstance(name, str) or not _TENANT_NAME.fullmatch(name):
        raise ConfigError(
            "tenant",
            f"{name!r} is not a tenant name: use 1 to 63 letters, digits, '.', '_' or '-', "
            "starting with a letter or digit",
        )
    return name


def secret_references(config: BridgeConfig) -> dict[str, Secret]:
    """Every credential the config gives, by its setting's name in the file
    (``auvo.api_key``, ``erp.client_secret``, ...)."""
    found: dict[str, Secret] = {}
    for field in attrs.fields(BridgeConfig):
        value = getattr(config, field.name)
        if isinstance(value, Secret):
            section, _, key = field.name.partition("_")
            if key not in SECTIONS.get(section, frozenset()):
                raise AssertionError(f"BridgeConfig.{field.name} is in no section of the file")
            found[f"{section}.{key}"] = value
    for field in attrs.fields(type(config.erp_settings)):
        value = getattr(config.erp_settings, field.name)
        if isinstance(value, Secret):
            found[f"erp.{field.name}"] = value
    return found


def credential_settings() -> frozenset[str]:
    """Every setting of a settings file that holds a credential (``auvo.api_key``,
    ``erp.client_secret``, ...): Auvo's and those of every registered ERP, whichever ERP a
    file names, since the loader lets another ERP's keys through."""
    found = {
        field.name.replace("_", ".", 1)  # auvo_api_key is auvo.api_key
        for field in attrs.fields(BridgeConfig)
        if holds_secret(field)
    }
    for kind in erp_kinds():
        found.update(f"erp.{f.name}" for f in attrs.fields(kind.settings) if holds_secret(f))
    return frozenset(found)


def _refuse_literal_secrets(text: str) -> None:
    """A ``ConfigError`` naming the first credential setting in the file (TOML already
    checked) that is not ``env:NAME``; its value is never quoted."""
    tables = tomllib.loads(text)
    for setting in sorted(credential_settings()):
        table, key = setting.split(".")
        written = tables.get(table, {}).get(key)
        if written is not None and not (isinstance(written, str) and written.startswith("env:")):
            raise ConfigError(
                setting,
                "is written in the file; a tenant's settings keep only references: write "
                "env:NAME and set NAME in the workers' environment",
            )


_STRING_OR_COMMENT_START = re.compile(r"[\"'#]")


def without_comments(text: str) -> str:
    """The TOML ``text`` (already known to parse) with its comments taken out and every line
    kept (so a line number is still the file's); its values are untouched."""
    kept: list[str] = []
    at = 0
    while (found := _STRING_OR_COMMENT_START.search(text, at)) is not None:
        start = found.start()
        if text[start] == "#":
            kept.append(text[at:start].rstrip(" \t"))
            newline = text.find("\n", start)
            at = len(text) if newline < 0 else newline
            continue
        end = _string_end(text, start)
        kept.append(text[at:end])
        at = end
    kept.append(text[at:])
    return "".join(kept)


def _string_end(text: str, start: int) -> int:
    """Where the TOML string opening at ``start`` ends: basic or literal, on one line or
    many (whose closing quotes may follow one or two quotes of the value)."""
    quote = text[start]
    escapes = quote == '"'
    if text.startswith(quote * 3, start):
        at = start + 3
        while True:
            if escapes and text[at] == "\\":
                at += 2
                continue
            if text.startswith(quote * 3, at):
                run = at
                while run < len(text) and text[run] == quote and run - at < 5:
                    run += 1
                return run
            at += 1
    at = start + 1
    while text[at] != quote:
        at += 2 if escapes and text[at] == "\\" else 1
    return at + 1


def _checked_config(name: str, text: str, source: str) -> BridgeConfig:
    """The tenant's config, as its sync runs it (``tenant`` = the tenant's name)."""
    config = BridgeConfig.from_toml(text, source)  # each error names its setting
    written = tomllib.loads(text).get("tenant")
    if written is not None and written != name:
        raise ConfigError(
            "tenant",
            f"the file names tenant {written!r}, added as {name!r}: leave tenant out (the "
            "registry's name is the tenant's) or make them match",
        )
    return config if config.tenant == name else attrs.evolve(config, tenant=name)


def _now() -> str:
    return datetime.now(UTC).isoformat()


_COLUMNS = "name, config, paused, added_at, updated_at"


def _tenant(row: tuple[object, ...]) -> Tenant:
    name, text, paused, added_at, updated_at = row
    return Tenant(
        str(name),
        str(text),
        bool(paused),
        datetime.fromisoformat(str(added_at)),
        datetime.fromisoformat(str(updated_at)),
    )


class TenantRegistry:
    """The fleet's tenants in the PostgreSQL database at ``dsn`` (the store's: its
    migrations make the table)."""

    def __init__(self, dsn: str) -> None:
        self._db = Database(dsn)

    @property
    def dsn(self) -> str:
        """Where the registry is (the store's database), for the fleet's other tables."""
        return self._db.dsn

    def add(
        self, name: str, config_text: str, *, source: str | None = None, replace: bool = False
    ) -> Tenant:
        """Add the tenant ``name`` with this settings file, active. The file is checked
        first, as a sync would load it (``ConfigError`` naming the setting; ``source``
        names the text in those errors), and a credential written in it is refused: it
        must be ``env:NAME``, in another ERP's settings too (``credential_settings``). The
        text is stored without its comments. ``TenantExists`` when the name is taken, unless
        ``replace``: then its settings are replaced, its tokens, state and pause kept."""
        check_tenant_name(name)
        _checked_config(name, config_text, source or f"the settings of tenant {name}")
        stored = without_comments(config_text)
        _refuse_literal_secrets(stored)
        now = _now()
        upsert = "DO UPDATE SET config = excluded.config, updated_at = excluded.updated_at"
        rows = self._db.rows(
            f"INSERT INTO tenants ({_COLUMNS}) VALUES (%s, %s, 0, %s, %s) "
            f"ON CONFLICT (name) {upsert if replace else 'DO NOTHING'} RETURNING {_COLUMNS}",
            (name, stored, now, now),
        )
        if not rows:
            raise TenantExists(
                f"a tenant named {name!r} is already there (tenants add --replace replaces its "
                "settings)"
            )
        return _tenant(rows[0])

    def get(self, name: str) -> Tenant:
        """The tenant ``name``; ``UnknownTenant`` when there is none."""
        rows = self._db.rows(f"SELECT {_COLUMNS} FROM tenants WHERE name = %s", (name,))
        if not rows:
            raise _unknown(name)
        return _tenant(rows[0])

    def list(self) -> list[Tenant]:
        """Every tenant, by name."""
        return [_tenant(r) for r in self._db.rows(f"SELECT {_COLUMNS} FROM tenants ORDER BY name")]

    def config(self, name: str) -> BridgeConfig:
        """The tenant's settings as a sync runs them (``tenant`` is its name)."""
        return self.get(name).config()

    def pause(self, name: str) -> Tenant:
        """Skip the tenant's passes (a pass under way finishes) until ``resume``; with
        Temporal, ``schedules sync`` pauses its schedule too."""
        return self._set_paused(name, paused=True)

    def resume(self, name: str) -> Tenant:
        """Run the tenant's passes again; with Temporal, its schedule starts them once
        ``schedules sync`` resumes it."""
        return self._set_paused(name, paused=False)

    def _set_paused(self, name: str, *, paused: bool) -> Tenant:
        rows = self._db.rows(
            f"UPDATE tenants SET paused = %s, updated_at = %s WHERE name = %s RETURNING {_COLUMNS}",
            (int(paused), _now(), name),
        )
        if not rows:
            raise _unknown(name)
        return _tenant(rows[0])

    def remove(self, name: str) -> None:
        """Forget the tenant, its OAuth tokens and its rate-limit state. What the store
        remembers of its syncs (links, sales made) stays, so adding it again later never
        makes a sale twice."""
        with self._db.transaction() as run:
            if not run("DELETE FROM tenants WHERE name = %s RETURNING name", (name,)):
                raise _unknown(name)
            every_key = token_key(name, "")
            run("DELETE FROM tenant_tokens WHERE starts_with(store_key, %s)", (every_key,))
            run("DELETE FROM rate_limits WHERE tenant = %s", (name,))

    def close(self) -> None:
        self._db.close()

    def __repr__(self) -> str:
        return "TenantRegistry(<dsn>)"


def _unknown(name: str) -> UnknownTenant:
    return UnknownTenant(f"no tenant is named {name!r} (tenants list shows them)")
