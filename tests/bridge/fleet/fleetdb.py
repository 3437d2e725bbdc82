"""A fresh PostgreSQL database per test on the session's server (``postgres_dsn``), the
helper processes of the cross-process tests, and settings files for any registered ERP."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import uuid
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import attrs

from bridge.erp.port import FakeErp
from bridge.erp.registry import erp_kind, erp_kinds
from bridge.values import holds_secret

HERE = Path(__file__).resolve().parent


@contextlib.contextmanager
def fresh_database(admin_dsn: str) -> Iterator[str]:
    """A DSN to a new, empty database, dropped afterwards."""
    import psycopg

    name = "fleet_" + uuid.uuid4().hex[:12]
    with psycopg.connect(admin_dsn, autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    try:
        yield admin_dsn.replace("dbname=postgres", f"dbname={name}")
    finally:
        with psycopg.connect(admin_dsn, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


OAUTH_ERPS = tuple(kind.name for kind in erp_kinds() if kind.authorization is not None)
"""The ERPs authorised with OAuth: their tokens rotate, and live in the fleet's store."""


def secret_settings(erp: str) -> list[str]:
    """The ``[erp]`` settings of ``erp`` that hold a credential."""
    return [f.name for f in attrs.fields(erp_kind(erp).settings) if holds_secret(f)]


def api_path(fake: FakeErp) -> str:
    """Where the fake serves the vendor's API: the path of its client's base URL."""
    with fake.client(rate_limiter=False) as client:
        return urlsplit(str(client.base_url)).path


def settings_toml(tables: dict[str, dict[str, object]]) -> str:
    """A settings file of these tables (values are text, numbers or true/false)."""
    lines: list[str] = []
    for table, values in tables.items():
        lines.append(f"[{table}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
    return "\n".join(lines) + "\n"


class Helper:
    """A helper script in its own Python process: it prepares (imports, connects, builds
    its client), prints ``ready``, waits for ``go`` on its input, does its work and prints
    one line of JSON. Starting several and then saying ``go`` to each runs them at once."""

    def __init__(self, script: str, *args: str) -> None:
        self.script = script
        self.process = subprocess.Popen(
            [sys.executable, str(HERE / script), *args],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        if self._line() != "ready":
            raise AssertionError(f"{script} did not start:\n{self._failure()}")

    def _line(self) -> str:
        assert self.process.stdout is not None
        return self.process.stdout.readline().strip()

    def _failure(self) -> str:
        self.process.kill()
        _, err = self.process.communicate(timeout=30)
        return err

    def go(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write("go\n")
        self.process.stdin.flush()

    def result(self) -> Any:
        """What the work printed, as soon as it is printed (the process ends on its own)."""
        line = self._line()
        if not line:
            raise AssertionError(f"{self.script} failed:\n{self._failure()}")
        return json.loads(line)

    def __enter__(self) -> Helper:
        return self

    def __exit__(self, *exc_info: object) -> None:
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate()


def run_together(helpers: Sequence[Helper]) -> list[Any]:
    """Say ``go`` to every helper at once; their results, in order."""
    for helper in helpers:
        helper.go()
    return [helper.result() for helper in helpers]
