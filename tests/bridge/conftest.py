from __future__ import annotations

import os
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import attrs
import pytest

from auvo.testing import FakeAuvo
from bridge import SQLiteStore
from bridge.demo import demo_config, seed_auvo, seed_erp
from bridge.erp.port import FakeErp
from bridge.erp.registry import erp_kind, erp_kinds, erp_names
from bridge.store import Store

from .erp.drivers import driver

StoreFactory = Callable[[], Store]

ANY_ERP = next(kind.name for kind in erp_kinds() if not kind.account_required)
"""For a test that needs some ERP, not a particular one (the CLI's, a subprocess's): the
first registered that needs no setting but its kind."""


def erp_table(erp: str = ANY_ERP, folder: Path | None = None) -> str:
    """The ``[erp]`` table of a settings file for ``erp``, with what its demo needs, and
    its files (a token file) in ``folder`` when one is given."""
    settings = dict(erp_kind(erp).fake.demo_settings)
    if folder is not None:
        settings |= driver(erp).files_in(folder)
    lines = [f'kind = "{erp}"', *(f'{key} = "{value}"' for key, value in settings.items())]
    return "[erp]\n" + "\n".join(lines) + "\n"


@attrs.define
class World:
    """Fake Auvo, a fake ERP and a store: one tenant's whole environment."""

    erp: str
    auvo: FakeAuvo
    fake_erp: Any  # the ERP package's fake (FakeErp.api): its records, faults and requests
    erp_client: Any
    store: Any  # a Store; SQLiteStore unless a test passes another
    registered_fake: FakeErp  # fake_erp as its registry kind wraps it (its sales, its reads)

    def config(self, **changes: Any) -> Any:
        return demo_config(self.erp, **changes)

    def sales(self) -> Counter[str]:
        """ERP sales per bridge reference."""
        return self.registered_fake.sales()

    def erp_customers(self) -> Counter[str]:
        """ERP customers per document (digits) or, without one, per name."""
        rows = [(doc, name) for _, name, doc in driver(self.erp).customers(self)]
        return Counter("".join(ch for ch in doc if ch.isdigit()) or name for doc, name in rows)

    def auvo_customers(self) -> Counter[str]:
        """Auvo customers per document (digits) or, without one, per name."""
        out: Counter[str] = Counter()
        for c in self.auvo.data["customers"].values():
            doc = "".join(ch for ch in str(c.get("cpfCnpj") or "") if ch.isdigit())
            out[doc or str(c.get("description"))] += 1
        return out


def make_world(
    erp: str,
    tmp_path: Any,
    name: str = "bridge.sqlite3",
    store: Store | None = None,
    clock: Any = None,
) -> World:
    """A seeded world; with ``clock`` the fakes and the ERP client share it (give it a start
    near now: the seeded tasks are dated in the week before it)."""
    extra: dict[str, Any] = {} if clock is None else {"clock": clock}
    auvo = FakeAuvo(seeded_tasks=False, **extra)  # the demo brings its own tasks (500-507)
    now = None if clock is None else datetime.fromtimestamp(clock.time(), UTC)
    seed_auvo(auvo, now=now)
    fake = erp_kind(erp).fake.make(clock, False)
    client = fake.client(rate_limiter=False, **extra)
    seed_erp(erp, client)
    return World(erp, auvo, fake.api, client, store or SQLiteStore(tmp_path / name), fake)


@pytest.fixture(params=erp_names())
def world(request: pytest.FixtureRequest, tmp_path: Any) -> World:
    return make_world(request.param, tmp_path)


@pytest.fixture(scope="session")
def postgres_dsn() -> Iterator[str]:
    """A DSN to a throwaway PostgreSQL server for the whole session. Skips when PostgreSQL
    is not installed, except under CI (``CI=true``), where that is a failure."""
    from .pgserver import PostgresUnavailable, postgres_server

    try:
        try:
            import psycopg  # noqa: F401
        except ImportError as exc:
            raise PostgresUnavailable("psycopg 3 is not installed (the dev extra)") from exc
        server = postgres_server()
        dsn = server.__enter__()
    except PostgresUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI: {exc}")
        pytest.skip(f"PostgreSQL store tests need a local PostgreSQL: {exc}")
    try:
        yield dsn
    finally:
        server.__exit__(None, None, None)


@pytest.fixture(params=["sqlite", "postgres"])
def store_factory(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreFactory]:
    """Opens stores on one fresh database (SQLite file, or a new PostgreSQL database)."""
    opened: list[Store] = []
    if request.param == "sqlite":

        def open_sqlite() -> Store:
            opened.append(SQLiteStore(tmp_path / "store.sqlite3"))
            return opened[-1]

        yield open_sqlite
    else:
        import psycopg

        from bridge.store.postgres import PostgresStore

        admin_dsn = request.getfixturevalue("postgres_dsn")
        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {name}")
        dsn = admin_dsn.replace("dbname=postgres", f"dbname={name}")

        def open_postgres() -> Store:
            opened.append(PostgresStore(dsn))
            return opened[-1]

        yield open_postgres
        for store in opened:
            store.close()
        opened.clear()
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
    for store in opened:
        store.close()


@pytest.fixture
def any_store(store_factory: StoreFactory) -> Store:
    """A fresh store of each kind: SQLite and PostgreSQL."""
    return store_factory()
