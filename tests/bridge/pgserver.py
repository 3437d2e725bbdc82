"""A throwaway PostgreSQL cluster for the store tests: initdb in a temp dir, started on a free
127.0.0.1 port with its unix socket in that dir, stopped and removed at the end.

The binaries come from ``PONTE_PG_BIN`` (a directory) when set, else ``PATH``, else
``/usr/lib/postgresql/<version>/bin``. PostgreSQL refuses to run as root, so under root the
cluster belongs to the ``postgres`` system user (run through ``runuser``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

__all__ = ["PostgresUnavailable", "find_bin", "postgres_server"]

USER = "ponte"


class PostgresUnavailable(RuntimeError):
    """No usable PostgreSQL binaries (or no unprivileged user to run them as root)."""


def find_bin() -> Path:
    """The directory holding ``initdb`` and ``pg_ctl``."""
    candidates: list[Path] = []
    if os.environ.get("PONTE_PG_BIN"):  # when set, the only place looked at
        candidates.append(Path(os.environ["PONTE_PG_BIN"]))
    else:
        on_path = shutil.which("pg_ctl")
        if on_path:
            candidates.append(Path(on_path).resolve().parent)
        candidates += sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
    for directory in candidates:
        if (directory / "initdb").is_file() and (directory / "pg_ctl").is_file():
            return directory
    raise PostgresUnavailable(
        "PostgreSQL binaries (initdb, pg_ctl) not found on PATH, in PONTE_PG_BIN or in "
        "/usr/lib/postgresql/*/bin"
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _runner() -> tuple[list[str], str | None]:
    """The command prefix to run PostgreSQL binaries, and the user that will own the files."""
    if os.geteuid() != 0:
        return [], None
    runuser = shutil.which("runuser")
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        runuser = None
    if runuser is None:
        raise PostgresUnavailable(
            "running as root, and no 'postgres' user with runuser to start PostgreSQL as"
        )
    return [runuser, "-u", "postgres", "--"], "postgres"


@contextlib.contextmanager
def postgres_server() -> Iterator[str]:
    """Start a cluster; yields a DSN to its ``postgres`` database (superuser ``ponte``)."""
    bindir = find_bin()
    prefix, owner = _runner()
    root = Path(tempfile.mkdtemp(prefix="ponte-pg-"))
    if owner is not None:
        shutil.chown(root, owner)
    data, log = root / "data", root / "server.log"
    port = _free_port()

    def run(*args: str) -> None:
        result = subprocess.run(
            [*prefix, *args], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode:
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}\n{tail}")

    try:
        run(
            str(bindir / "initdb"),
            "-D",
            str(data),
            "-U",
            USER,
            "--auth=trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = (
            f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off"
        )
        run(str(bindir / "pg_ctl"), "-D", str(data), "-l", str(log), "-o", options, "-w", "start")
        try:
            yield f"host=127.0.0.1 port={port} user={USER} dbname=postgres"
        finally:
            run(str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
