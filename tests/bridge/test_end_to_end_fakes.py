"""``docs/bridge.md``, "End to end against the fakes", run as written: its shell sessions in
one ``bash`` (the three fakes served over HTTP, ``authorize``, ``sync``), its settings files
saved where it says, and every command's output compared with the page's (``...`` stands
for what changes from run to run, as in doctest). Only the loopback ports are swapped for
free ones; nothing leaves the machine."""

from __future__ import annotations

import contextlib
import doctest
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import attrs
import pytest

from bridge.erp.registry import erp_names

DOC = Path(__file__).resolve().parents[2] / "docs" / "bridge.md"
SECTION = "## End to end against the fakes"
PORTS = ("8101", "8102", "8103", "8765")
"""The page's ports: the three fakes and the OAuth callback of ``authorize``."""
STEP = "@@ponte-doc-step@@"
PACKAGES = ["auvo", "ponte", *erp_names()]
NOT_THE_READERS = re.compile(rf"^({'|'.join(PACKAGES).upper()})_|^PYTHONUNBUFFERED$")
"""Variables a developer's or CI's shell may hold and a reader's does not: the clients' and
the bridge's settings, and unbuffered output (which would hide a line printed unflushed)."""

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="the page's shell is bash")


@attrs.frozen
class Command:
    line: str
    expected: str


@attrs.frozen
class SettingsFile:
    name: str
    text: str


def section(text: str) -> str:
    """The section's text, up to the next section of its level."""
    assert SECTION + "\n" in text, f"{DOC.name} has no section {SECTION!r}"
    start = text.index(SECTION + "\n")
    end = text.find("\n## ", start + len(SECTION))
    return text[start : end if end >= 0 else len(text)]


def steps(text: str) -> Iterator[Command | SettingsFile]:
    """The section's ``console`` blocks as commands and their outputs, and its ``toml``
    blocks as the files the prose before each names (the last `` `name.toml` `` in it)."""
    previous_end = 0
    for block in re.finditer(r"```(?P<lang>\w+)\n(?P<body>.*?)```", text, re.S):
        prose, previous_end = text[previous_end : block.start()], block.end()
        if block["lang"] == "toml":
            named = re.findall(r"`([\w.-]+\.toml)`", prose)
            assert named, f"no file named before the settings block: {prose!r}"
            yield SettingsFile(named[-1], block["body"])
        elif block["lang"] == "console":
            yield from _commands(block["body"])


def _commands(body: str) -> Iterator[Command]:
    line: str | None = None
    output: list[str] = []
    for text in body.splitlines():
        if text.startswith("$ "):
            if line is not None:
                yield Command(line, "".join(o + "\n" for o in output))
            line, output = text[2:], []
        else:
            output.append(text)
    if line is not None:
        yield Command(line, "".join(o + "\n" for o in output))


def free_ports(count: int) -> list[str]:
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [str(sock.getsockname()[1]) for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def with_ports(text: str, ports: dict[str, str]) -> str:
    """``text`` with each of the page's ports, after ``127.0.0.1:`` or ``--port ``, swapped."""
    pattern = r"(?<=127\.0\.0\.1:)({0})\b|(?<=--port )({0})\b".format("|".join(ports))
    return re.sub(pattern, lambda m: ports[m[0]], text)


def script(plan: list[Command | SettingsFile]) -> str:
    """One bash session: each command's standard output after a marker line."""
    lines = []
    for step in plan:
        if isinstance(step, SettingsFile):
            lines += [f"cat > {step.name} <<'PONTE_EOF'", step.text.rstrip("\n"), "PONTE_EOF"]
        else:
            lines += [f"echo {STEP}", step.line]
    return "\n".join(lines) + "\n"


def test_the_page_runs_as_written(tmp_path: Path) -> None:
    ports = dict(zip(PORTS, free_ports(len(PORTS)), strict=True))
    plan = list(steps(with_ports(section(DOC.read_text(encoding="utf-8")), ports)))
    commands = [step for step in plan if isinstance(step, Command)]
    assert any(c.line.startswith("python -m bridge sync") for c in commands)
    environment = {k: v for k, v in os.environ.items() if not NOT_THE_READERS.match(k)}
    environment["PATH"] = os.path.dirname(sys.executable) + os.pathsep + environment["PATH"]
    session = subprocess.Popen(
        ["bash", "-c", script(plan)],
        cwd=tmp_path,
        env=environment,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the fakes it starts are in its group: stopped below
    )
    try:
        out, errors = session.communicate(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(session.pid, signal.SIGTERM)
    outputs = out.split(STEP + "\n")[1:]
    assert len(outputs) == len(commands), (out, errors)
    checker = doctest.OutputChecker()
    for command, got in zip(commands, outputs, strict=True):
        assert checker.check_output(command.expected, got, doctest.ELLIPSIS), (
            f"$ {command.line}\n"
            + checker.output_difference(doctest.Example(command.line, command.expected), got, 0)
        )
    assert "Traceback" not in errors, errors
