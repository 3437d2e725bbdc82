"""The store's schema, as numbered migrations shared by SQLite and PostgreSQL."""

from __future__ import annotations

__all__ = ["MIGRATIONS"]

# Each entry is one migration: a list of statements valid in both SQLite and PostgreSQL.
# Instants are ISO-8601 text with an offset, so both engines store and compare them alike.
# Lock times are epoch seconds in DOUBLE PRECISION (PostgreSQL's REAL is 4 bytes: minutes off).
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE links (
            tenant TEXT NOT NULL, kind TEXT NOT NULL, auvo_id TEXT NOT NULL,
            erp_id TEXT NOT NULL, auvo_hash TEXT NOT NULL DEFAULT '',
            erp_hash TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, kind, auvo_id))""",
        "CREATE INDEX links_by_erp ON links (tenant, kind, erp_id)",
        """CREATE TABLE intents (
            tenant TEXT NOT NULL, ref TEXT NOT NULL, kind TEXT NOT NULL,
            status TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
            created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, ref))""",
        """CREATE TABLE changes (
            tenant TEXT NOT NULL, run_id TEXT NOT NULL, seq INTEGER NOT NULL,
            stream TEXT NOT NULL, ref TEXT NOT NULL, action TEXT NOT NULL,
            detail TEXT NOT NULL, at TEXT NOT NULL,
            PRIMARY KEY (tenant, run_id, seq))""",
        """CREATE TABLE dead_letters (
            tenant TEXT NOT NULL, stream TEXT NOT NULL, ref TEXT NOT NULL,
            reason TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 1,
            first_at TEXT NOT NULL, last_at TEXT NOT NULL,
            PRIMARY KEY (tenant, stream, ref))""",
        """CREATE TABLE bookmarks (
            tenant TEXT NOT NULL, stream TEXT NOT NULL, value TEXT NOT NULL,
            PRIMARY KEY (tenant, stream))""",
        """CREATE TABLE locks (
            tenant TEXT NOT NULL PRIMARY KEY, owner TEXT NOT NULL,
            expires_at DOUBLE PRECISION NOT NULL)""",
        """CREATE TABLE runs (
            tenant TEXT NOT NULL, run_id TEXT NOT NULL, started_at TEXT NOT NULL,
            report TEXT NOT NULL, PRIMARY KEY (tenant, run_id))""",
    ),
    # 2: who holds a tenant's lock (``status`` shows it, ``unlock`` checks it) and since when.
    (
        "ALTER TABLE locks ADD COLUMN host TEXT NOT NULL DEFAULT ''",
        "ALTER TABLE locks ADD COLUMN pid INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE locks ADD COLUMN acquired_at DOUBLE PRECISION NOT NULL DEFAULT 0",
    ),
    # 3: when a dead letter is tried again (a record that keeps failing is not hammered).
    ("ALTER TABLE dead_letters ADD COLUMN next_at TEXT",),
    # 4: the key an ERP holds a record under, taken before its create (a sale's number), so
    # a crash or a lost answer is recovered by reading that one record.
    ("ALTER TABLE intents ADD COLUMN reservation TEXT",),
    # 5: the pending intents, read before each reservation (the keys they still hold) without
    # a scan of every intent the tenant ever had.
    ("CREATE INDEX intents_by_status ON intents (tenant, status)",),
    # 6: what each automation last saw of each trigger record (its version, and the value of
    # the field its trigger watches), so a change is told from a record seen again.
    (
        """CREATE TABLE automation_seen (
            tenant TEXT NOT NULL, automation TEXT NOT NULL, record_id TEXT NOT NULL,
            version TEXT NOT NULL, state TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL,
            PRIMARY KEY (tenant, automation, record_id))""",
    ),
    # 7: a fleet of tenants in one database (``bridge.fleet``): each tenant's settings file
    # and whether it is paused, each API's OAuth tokens under "<tenant>/<api>" (a row, so
    # a refresh locks it), and the rate-limit buckets a tenant's last pass left.
    (
        """CREATE TABLE tenants (
            name TEXT NOT NULL PRIMARY KEY, config TEXT NOT NULL,
            paused INTEGER NOT NULL DEFAULT 0, added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE tenant_tokens (
            store_key TEXT NOT NULL PRIMARY KEY, tokens TEXT, updated_at TEXT NOT NULL)""",
        """CREATE TABLE rate_limits (
            tenant TEXT NOT NULL, api TEXT NOT NULL, buckets TEXT NOT NULL,
            updated_at TEXT NOT NULL, PRIMARY KEY (tenant, api))""",
    ),
    # 8: an action an automation decided on and has not seen finish, kept with what it saw,
    # so a retry finishes that one action even when the record changed in between.
    ("ALTER TABLE automation_seen ADD COLUMN pending TEXT",),
)
