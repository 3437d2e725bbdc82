"""The CLI tells the truth (issue 13, "The CLI"): one status that the header, the JSON
report and the exit status agree on; no traceback for a condition a person can meet; flags
where people type them, help that reads as text, and a starting settings file the installed
package writes; progress with a total, a rate and the time left; dry runs that list what
they would write.

The passes run in process on the fakes: the clients the CLI builds from its settings are
replaced by the world's (as ``operations_driver.py`` does in a subprocess)."""

from __future__ import annotations

import importlib
import importlib.util
import io
import json
import re
import socket
import sys
import time
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
import pytest

import bridge
import bridge.clients
import sdkcore
from bridge import BridgeConfig, ConfigError, ProgressLine, SQLiteStore, StreamReport, SyncReport
from bridge.cli import main
from bridge.erp.registry import DEFAULT_ERP, erp_kind, erp_names
from sdkcore.clock import FakeClock
from sdkcore.testing import Fault

from .conftest import ANY_ERP, World, erp_table, make_world

SEEDED_FAILURE = "task:505"  # the demo's compressor, which no ERP's fake sells


# -- helpers ---------------------------------------------------------------------------------


def settings_file(tmp_path: Path, *extra: str) -> Path:
    path = tmp_path / "bridge.toml"
    lines = ['tenant = "demo"', erp_table(folder=tmp_path), "[customers]", 'direction = "both"']
    lines += ["[quotations]", "enabled = true"]
    path.write_text("\n".join([*lines, *extra]) + "\n", encoding="utf-8")
    return path


def cli(tmp_path: Path, *args: str) -> list[str]:
    return [*args, "--config", str(tmp_path / "bridge.toml"), "--store", str(tmp_path / "s.db")]


def use_world(
    monkeypatch: pytest.MonkeyPatch, world: World, clock: FakeClock | None = None
) -> None:
    """The clients the CLI builds from the settings are the world's fakes instead."""
    timing: dict[str, Any] = {} if clock is None else {"clock": clock}
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client(**timing))
    fake = world.registered_fake  # a client per pass: the CLI closes those it builds
    monkeypatch.setattr(
        bridge.clients, "erp_client", lambda config: fake.client(rate_limiter=False, **timing)
    )


@pytest.fixture
def world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    settings_file(tmp_path)
    made = make_world(ANY_ERP, tmp_path, name="s.db")
    use_world(monkeypatch, made)
    return made


def without_the_seeded_failure(world: World) -> None:
    world.auvo.data["tasks"].pop(SEEDED_FAILURE.split(":")[1])


def unreachable(world: World) -> None:
    """Every request to either side fails to connect, as with a base URL nothing serves."""
    refused = Fault(exception=httpx.ConnectError("[Errno 111] Connection refused"))
    world.auvo.fail_next(refused, 10_000)
    world.fake_erp.fail_next(refused, 10_000)


def run_main(argv: list[str]) -> int:
    """``main(argv)``, failing the test (not the session) if a KeyboardInterrupt escapes."""
    try:
        return main(argv)
    except KeyboardInterrupt:
        pytest.fail("a KeyboardInterrupt reached the caller: Python prints a traceback")


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as done:
        main([*argv, "--help"])
    assert done.value.code == 0
    return capsys.readouterr().out


COMMANDS = ["sync", "run", "status", "unlock", "report", "retry-failed", "authorize", "demo"]


# -- 1. one status: header, JSON and exit status agree -------------------------------------


def test_a_pass_with_failed_records_is_partial_in_the_header_the_json_and_the_exit_status(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(cli(tmp_path, "sync")) == 1
    header = capsys.readouterr().out.splitlines()[0]
    assert re.search(r": partial, [\d.]+ s$", header), header
    assert run_main(cli(tmp_path, "sync", "--json")) == 1
    printed = json.loads(capsys.readouterr().out)
    assert printed["status"] == "partial"
    assert [e["ref"] for e in printed["streams"]["tasks"]["errors"]] == [SEEDED_FAILURE]
    saved = json.loads(SQLiteStore(tmp_path / "s.db").last_run("demo") or "{}")
    assert saved["status"] == "partial"


def test_every_status_has_its_exit_status() -> None:
    from bridge.cli import EXIT_STATUS
    from bridge.report import STATUSES

    assert set(EXIT_STATUS) == set(STATUSES)
    assert [status for status, code in EXIT_STATUS.items() if code == 0] == ["ok"]


def test_a_pass_with_nothing_failed_is_ok_and_exits_0(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    without_the_seeded_failure(world)
    assert run_main(cli(tmp_path, "sync", "--json")) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "ok"


def test_a_pass_whose_every_stream_failed_is_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path)
    clock = FakeClock(start=time.time())  # the clients' retries wait on it
    world = make_world(ANY_ERP, tmp_path, name="s.db", clock=clock)
    use_world(monkeypatch, world, clock)
    unreachable(world)
    assert run_main(cli(tmp_path, "sync")) == 1
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    lines = captured.out.splitlines()
    assert re.search(r": failed, [\d.]+ s$", lines[0]), lines[0]
    assert any("Connection refused" in line for line in lines)
    saved = json.loads(SQLiteStore(tmp_path / "s.db").last_run("demo") or "{}")
    assert saved["status"] == "failed"


def test_the_demo_explains_the_failure_it_seeds_and_its_second_pass_says_so(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run_main(["demo"]) == 0
    out = capsys.readouterr().out
    second = next(line for line in out.splitlines() if line.startswith("second pass:"))
    # "nothing changed" alone would contradict the failure listed just above it.
    assert SEEDED_FAILURE in second, second
    assert "on purpose" in out
    assert "dead-lettered" in out


# -- 2. no traceback for an expected condition ---------------------------------------------


@pytest.mark.parametrize("command", ["demo", "status"])
def test_ctrl_c_outside_a_pass_stops_with_one_line(
    command: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    settings_file(tmp_path)
    SQLiteStore(tmp_path / "s.db").close()

    def interrupted(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr("bridge.cli.run_pass", interrupted)
    monkeypatch.setattr("bridge.store.SQLiteStore.last_run", interrupted)
    argv = ["demo"] if command == "demo" else cli(tmp_path, command)
    assert run_main(argv) == 130
    err = capsys.readouterr().err
    assert err.startswith("error: interrupted"), err


def test_a_plain_http_base_url_is_an_error_not_a_traceback(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path, "[auvo]", 'api_key = "key"', 'api_token = "token"')
    monkeypatch.setenv("AUVO_BASE_URL", "http://auvo.example.com/v2")
    assert run_main(cli(tmp_path, "sync")) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: "), err
    assert "http://" in err
    assert "auvo.example.com" in err


def test_a_store_without_its_optional_dependency_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the extra were not installed
    argv = ["status", "--config", str(tmp_path / "bridge.toml")]
    assert run_main([*argv, "--store", "postgresql://bridge@127.0.0.1/bridge"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: "), err
    assert "pip install 'ponte-sdk[postgres]'" in err


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_an_unreachable_database_is_one_line_without_its_password(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("psycopg")
    settings_file(tmp_path)
    dsn = f"postgresql://bridge:s3cr3t-pw@127.0.0.1:{_closed_port()}/bridge?connect_timeout=5"
    argv = ["status", "--config", str(tmp_path / "bridge.toml"), "--store", dsn]
    assert run_main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: cannot open the store"), err
    assert len(err.strip().splitlines()) == 1, err
    assert "s3cr3t-pw" not in err


@pytest.mark.parametrize("command", ["status", "report", "unlock"])
def test_a_store_that_does_not_exist_is_refused_not_created(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path)
    missing = tmp_path / "typo.db"
    argv = ["--config", str(tmp_path / "bridge.toml"), "--store", str(missing)]
    assert run_main([command, *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: --store:"), err
    assert str(missing) in err
    assert not missing.exists()


def _demo_commands() -> list[str]:
    """``bridge`` and every registered ERP's package with a ``python -m <package> demo``
    (a kind is named after its package, a variant of it after a hyphen)."""
    names = dict.fromkeys(name.partition("-")[0] for name in erp_names())
    packages = [name for name in names if importlib.util.find_spec(f"{name}.__main__")]
    return ["bridge", *packages]


@pytest.mark.parametrize("package", _demo_commands())
def test_an_unknown_ponte_log_level_is_one_error_line(
    package: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PONTE_LOG", "verbose")
    entry: Callable[[list[str]], int] = importlib.import_module(f"{package}.__main__").main
    try:
        code = entry(["demo"])
    except sdkcore.SDKError as exc:
        pytest.fail(f"raised {exc!r}: a traceback")
    assert code == 2
    err = capsys.readouterr().err
    assert err.startswith("error: PONTE_LOG='verbose' is not a log level"), err


# -- 3. flags, help, and a starting settings file -------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_global_options_work_before_and_after_the_command(
    where: str, world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    SQLiteStore(tmp_path / "s.db").close()
    argv = ["-v", *cli(tmp_path, "status")] if where == "before" else cli(tmp_path, "status", "-v")
    assert run_main(argv) == 0


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert bridge.__version__ == sdkcore.__version__
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"ponte-bridge {sdkcore.__version__}\n"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_help_is_plain_text(command: str | None, capsys: pytest.CaptureFixture[str]) -> None:
    text = help_text(capsys, *([command] if command else []))
    assert "``" not in text
    assert ":class:" not in text
    assert ":func:" not in text


def test_help_shows_the_defaults(capsys: pytest.CaptureFixture[str]) -> None:
    def help_of(*argv: str) -> str:  # its lines joined: a default may wrap
        return " ".join(help_text(capsys, *argv).split())

    sync = help_of("sync")
    assert "(default: bridge.toml)" in sync
    assert "(default: bridge.sqlite3)" in sync
    assert "(default: 300" in help_of("authorize")
    assert f"(default: {DEFAULT_ERP})" in help_of("demo")
    assert "(default: bridge.toml)" in help_of("init")


@pytest.mark.parametrize(
    ("argv0", "prog"),
    [
        ("/usr/local/bin/ponte-bridge", "ponte-bridge"),
        ("/x/bridge/__main__.py", "python -m bridge"),
    ],
)
def test_help_names_the_program_as_it_was_started(
    argv0: str, prog: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", [argv0])
    assert help_text(capsys).startswith(f"usage: {prog} ")
    assert help_text(capsys, "sync").startswith(f"usage: {prog} sync ")


def test_status_and_report_print_for_a_person_and_json_when_asked(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(cli(tmp_path, "sync")) == 1
    capsys.readouterr()

    assert run_main(cli(tmp_path, "status")) == 0
    status = capsys.readouterr().out
    assert "{" not in status, status  # no Python reprs
    assert "None" not in status, status
    assert re.search(r"^last run: \S+ partial", status, re.M), status
    assert f"{SEEDED_FAILURE}: ItemNotSellable" in status
    assert run_main(cli(tmp_path, "status", "--json")) == 0
    assert json.loads(capsys.readouterr().out)["dead_letters"] == 1

    assert run_main(cli(tmp_path, "report")) == 0
    report = capsys.readouterr().out
    assert report.startswith("bridge sync demo -> "), report
    assert f"tasks: failed {SEEDED_FAILURE}: ItemNotSellable" in report
    assert run_main(cli(tmp_path, "report", "--json")) == 0
    assert json.loads(capsys.readouterr().out)["status"] == "partial"


def test_the_missing_settings_hint_names_init_which_writes_a_start(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_main(["sync"]) == 2
    err = capsys.readouterr().err
    assert "python -m bridge init" in err, err
    assert run_main(["init"]) == 0
    written = (tmp_path / "bridge.toml").read_text(encoding="utf-8")
    assert "bridge.toml" in capsys.readouterr().out
    assert run_main(["init"]) == 1  # never over a file without --force
    assert "--force" in capsys.readouterr().err
    (tmp_path / "bridge.toml").write_text("tenant = 'mine'\n", encoding="utf-8")
    assert run_main(["init", "--force"]) == 0
    assert (tmp_path / "bridge.toml").read_text(encoding="utf-8") == written
    assert run_main(["init", str(tmp_path / "other.toml")]) == 0
    assert (tmp_path / "other.toml").read_text(encoding="utf-8") == written


def _accepted_keys() -> dict[str, set[str]]:
    """Every key the settings file accepts, by section (``""``: top level), as the loader's
    own errors list them."""
    with pytest.raises(ConfigError) as top:
        BridgeConfig.from_mapping({"no_such_section": 1})
    names = str(top.value).rpartition("expected one of ")[2].split(", ")
    keys: dict[str, set[str]] = {"": {n for n in names if n == "tenant"}}
    for section in (n for n in names if n != "tenant"):
        with pytest.raises(ConfigError) as unknown:
            BridgeConfig.from_mapping({section: {"no_such_key": 1}})
        keys[section] = set(str(unknown.value).rpartition("expected one of ")[2].split(", "))
    return keys


def _keys_in(text: str) -> dict[str, set[str]]:
    """The keys a template shows by section, set or commented out."""
    found: dict[str, set[str]] = {"": set()}
    section = ""
    for line in text.splitlines():
        if header := re.fullmatch(r"\[(\w+)\]", line):
            section = header.group(1)
            found.setdefault(section, set())
        elif key := re.match(r"#? ?(\w+) = ", line):
            found[section].add(key.group(1))
    return found


def _uncommented(text: str) -> str:
    """Every default shown set: each commented ``key = value`` line, except examples and the
    base URLs (their default is the client's own address, not a value of the settings)."""
    lines = text.splitlines()
    for n, line in enumerate(lines):
        if re.match(r"# (?!base_url )\w+ = ", line) and "  # example" not in line:
            lines[n] = line.removeprefix("# ")
    return "\n".join(lines)


def test_init_writes_every_key_with_its_real_default(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bridge.toml"
    assert run_main(["init", str(path)]) == 0
    text = path.read_text(encoding="utf-8")
    shown = _keys_in(text)
    for section, keys in _accepted_keys().items():
        assert keys <= shown.get(section, set()), (section, keys - shown.get(section, set()))
    assert {"auvo", "erp"} <= {s for s, keys in shown.items() if "base_url" in keys}
    assert all(
        line.startswith(("#", "[")) or not line.strip() or "  # " in line
        for line in text.splitlines()
    ), "every set key has its one-line comment"
    # As written, once a person fills in what is required: the defaults apply.
    required = erp_kind(DEFAULT_ERP).account_required
    filled = text.replace('financial_account = ""', 'financial_account = "Caixa"')
    as_written = BridgeConfig.from_toml(filled if required else text)
    # Every default shown, set: the same config, so each default shown is the real one.
    assert BridgeConfig.from_toml(_uncommented(filled)) == as_written
    tomllib.loads(text)


# -- 4. progress: total, rate, time left; plain lines in a pipe ----------------------------


def _drive(line: ProgressLine, stream: StreamReport, now: list[float], records: int) -> None:
    for _ in range(records):
        now[0] += 0.5
        stream.created += 1
        line(stream)


def test_progress_shows_the_total_a_rate_and_the_time_left() -> None:
    out = io.StringIO()
    now = [0.0]
    line = ProgressLine(out, tty=True, monotonic=lambda: now[0])
    stream = StreamReport("customers")
    stream.total = 100
    _drive(line, stream, now, 41)
    last = out.getvalue().rpartition("\r\x1b[2K")[2]
    assert "customers: 41 of 100 records" in last, last
    assert "41%" in last
    assert "2.0/s" in last  # a record every half second
    assert "30 s left" in last  # 59 records at 2 a second


def test_progress_without_a_total_shows_a_rate_and_no_estimate() -> None:
    out = io.StringIO()
    now = [0.0]
    line = ProgressLine(out, tty=True, monotonic=lambda: now[0])
    _drive(line, StreamReport("tasks"), now, 9)
    last = out.getvalue().rpartition("\r\x1b[2K")[2]
    assert "2.0/s" in last
    assert "left" not in last
    assert " of " not in last


def test_progress_in_a_pipe_is_plain_periodic_lines_with_the_same_facts() -> None:
    out = io.StringIO()
    now = [0.0]
    line = ProgressLine(out, tty=False, log_every=10, monotonic=lambda: now[0])
    stream = StreamReport("customers")
    stream.total = 100
    _drive(line, stream, now, 99)
    lines = out.getvalue().splitlines()
    assert len(lines) == 4  # every 10 s of 49.5
    assert all("\r" not in text and "\x1b" not in text for text in lines)
    assert "customers: 80 of 100 records" in lines[-1]
    assert "10 s left" in lines[-1]


def test_the_streams_that_know_their_total_give_it(tmp_path: Path) -> None:
    world = make_world(ANY_ERP, tmp_path)
    totals: dict[str, int | None] = {}

    def progress(stream: StreamReport) -> None:
        totals[stream.name] = stream.total

    bridge.sync(
        world.config(),
        world.store,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        progress=progress,
    )
    for known in ("catalog", "customers"):
        assert (totals[known] or 0) > 0, totals


# -- 5. a dry run lists what it would write -------------------------------------------------


def _planned(report: SyncReport) -> list[tuple[str, str, str]]:
    return [
        (p["ref"], p["target"], p["action"]) for s in report.streams.values() for p in s.planned
    ]


def test_a_dry_run_lists_each_record_its_target_and_the_action(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run_main(cli(tmp_path, "sync", "--dry-run", "--json")) == 1  # task 505 fails
    printed = json.loads(capsys.readouterr().out)
    assert printed["status"] == "partial"
    assert world.sales() == {}  # nothing written
    streams = printed["streams"]
    sales = {  # tasks and quotations
        (p["ref"], p["target"], name)
        for name in ("tasks", "quotations")
        for p in streams[name]["planned"]
        if p["action"] == "create"
    }
    customers = streams["customers"]["planned"]
    assert {p["action"] for p in customers} <= {"create", "update", "link"}
    assert any(p["target"] == "auvo customer" for p in customers), customers
    assert any(p["target"] == f"{world.erp} customer" for p in customers), customers
    catalog = streams["catalog"]
    changed = sum(catalog[count] for count in ("created", "updated", "linked"))
    assert len(catalog["planned"]) == changed > 0

    assert run_main(cli(tmp_path, "sync", "--dry-run")) == 1
    text = capsys.readouterr().out
    assert "(dry run): partial" in text.splitlines()[0]
    for ref, target, name in sales:
        assert f"  {name}: would create {target} {ref}" in text, text

    # What the dry run listed is what a real pass then writes. (A quotation whose item is
    # linked by the catalog stream fails in a dry run, which makes no links: not listed.)
    assert run_main(cli(tmp_path, "sync")) == 1
    made = set(world.sales())
    assert {ref for ref, _, name in sales if name == "tasks"} == {
        ref for ref in made if ref.startswith("task:")
    }
    assert {ref for ref, _, _ in sales} <= made
    assert {target for _, target, _ in sales} == {f"{world.erp} sale"}


def test_a_real_pass_plans_nothing(world: World) -> None:
    report = bridge.sync(
        world.config(), world.store, auvo=world.auvo.client(), erp=world.erp_client
    )
    assert report.changed > 0
    assert all(s["planned"] == [] for s in report.to_dict()["streams"].values())
