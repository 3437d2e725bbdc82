"""``python -m bridge automations``: the catalogue read from the models, ``try`` on the fake
systems' real records (writing nothing), ``replay``, and the conditions a person meets (an
unknown name, a date that is none, a settings file with a mistake) as one ``error:`` line
and a non-zero exit status, never a traceback."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

import bridge.clients
from bridge.automations import catalogue, surface, systems
from bridge.cli import _since, main
from bridge.erp.registry import erp_kind, erp_names
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import Fault

from ..conftest import ANY_ERP, World, erp_table, make_world

OFFERING = [name for name in erp_names() if erp_kind(name).automations.offered]

VISIT = """
[[automations]]
name = "finished task -> follow-up"
trigger = { system = "auvo", record = "task", field = "finished", to = true, lookback = "30d" }
action = { system = "auvo", do = "create_task" }

[automations.map]
customerId = "{customerId}"
idUserFrom = "{idUserFrom}"
taskType = 8
orientation = "Retorno da tarefa {taskID}"
"""
NAME = "finished task -> follow-up"


def settings_file(folder: Path, *automations: str, erp: str = ANY_ERP) -> Path:
    path = folder / "bridge.toml"
    text = "\n".join(['tenant = "demo"', erp_table(erp, folder), *automations])
    path.write_text(text, encoding="utf-8")
    return path


def cli(folder: Path, *args: str) -> list[str]:
    return [
        "automations",
        *args,
        "--config",
        str(folder / "bridge.toml"),
        "--store",
        str(folder / "s.db"),
    ]


def failed_cleanly(capsys: pytest.CaptureFixture[str]) -> str:
    """The error line the command printed (and that it printed nothing else)."""
    printed = capsys.readouterr()
    assert printed.out == ""
    assert printed.err.startswith("error: "), printed.err
    assert "Traceback" not in printed.err
    return printed.err


# -- catalogue -------------------------------------------------------------------------------


def _fields(model: Any) -> list[dict[str, str]]:
    return [{"path": field.path, "type": field.type} for field in catalogue(model)]


def test_the_catalogue_lists_every_systems_triggers_and_actions_from_the_models(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)  # no settings file here: the catalogue needs none
    assert main(["automations", "catalogue", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert list(listing) == list(systems())
    for system, entry in listing.items():
        offered = surface(system, "trigger.system")
        assert list(entry["triggers"]) == list(offered.records)
        for record, model in offered.records.items():
            trigger = entry["triggers"][record]
            assert trigger["model"] == model.__name__
            assert trigger["customer"] == offered.customers.get(record)
            assert trigger["fields"] == _fields(model)
        assert list(entry["actions"]) == list(offered.actions)
        for kind, writes in offered.actions.items():
            action = entry["actions"][kind]
            if writes is None:
                assert action == {"records": list(offered.records), "takes": ["record", "status"]}
            else:
                assert action["record"] == writes.record
                assert action["fields"] == _fields(writes.model)


def test_the_catalogue_of_one_system_as_a_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["automations", "catalogue", "--system", "auvo"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "auvo"
    customer = surface("auvo", "trigger.system").customers.get("task")
    heading = f"  trigger task (Task{f'; its customer: {customer}' if customer else ''})"
    assert heading in lines
    assert "  action create_task: writes task (Task)" in lines
    assert "  action set_status: record (one of customer, task, quotation) and status" in lines
    fields = catalogue(surface("auvo", "trigger.system").records["task"])
    below = lines[lines.index(heading) + 1 :][: len(fields)]
    assert [line.split(maxsplit=1) for line in below] == [[f.path, f.type] for f in fields]


def test_the_catalogue_of_a_system_there_is_not(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["automations", "catalogue", "--system", "omie"]) == 2
    message = failed_cleanly(capsys)
    assert message == f"error: --system: 'omie' is not one of {', '.join(systems())}\n"


# -- conditions a person meets ---------------------------------------------------------------


@pytest.mark.parametrize("command", ["try", "replay"])
def test_an_unknown_automation_lists_those_there_are(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path, VISIT)
    assert main(cli(tmp_path, command, "finished task -> folow-up", "--since", "1d")) == 2
    message = failed_cleanly(capsys)
    assert message == (
        "error: automation 'finished task -> folow-up': no such automation in the config "
        "(it has 'finished task -> follow-up')\n"
    )


def test_a_settings_file_without_automations_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path)
    assert main(cli(tmp_path, "try", "anything")) == 2
    assert failed_cleanly(capsys).endswith("no such automation in the config (it has none)\n")


@pytest.mark.parametrize("command", ["try", "replay"])
@pytest.mark.parametrize("since", ["yesterday", "2024-13-01", "-3d", "2999-01-01"])
def test_a_since_that_is_no_date_nor_duration_is_refused(
    command: str, since: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path, VISIT)
    assert main(cli(tmp_path, command, "finished task -> follow-up", f"--since={since}")) == 2
    assert failed_cleanly(capsys).startswith(f"error: --since: {since!r} is ")


@pytest.mark.parametrize("command", ["try", "replay"])
def test_a_mistake_in_an_automation_is_a_config_error(
    command: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings_file(tmp_path, VISIT.replace("{customerId}", "{customerld}"))
    assert main(cli(tmp_path, command, "finished task -> follow-up", "--since", "1d")) == 2
    message = failed_cleanly(capsys)
    assert message.startswith("error: automation 'finished task -> follow-up': map.customerId: ")
    assert "did you mean 'customerId'" in message


def test_replay_needs_since(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    settings_file(tmp_path, VISIT)
    with pytest.raises(SystemExit) as done:
        main(cli(tmp_path, "replay", "finished task -> follow-up"))
    assert done.value.code == 2
    assert "--since" in capsys.readouterr().err


@pytest.mark.parametrize("limit", ["0", "-1", "ten"])
def test_try_needs_a_limit_of_one_or_more(
    limit: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(cli(tmp_path, "try", "x", "--limit", limit))
    assert done.value.code == 2
    assert "is not a whole number of 1 or more" in capsys.readouterr().err


# -- --since ---------------------------------------------------------------------------------

NOW = datetime(2024, 6, 10, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2024-05-31", datetime(2024, 5, 31, tzinfo=SAO_PAULO)),
        ("2024-05-31T08:30", datetime(2024, 5, 31, 8, 30, tzinfo=SAO_PAULO)),
        ("2024-05-31T08:30:00+00:00", datetime(2024, 5, 31, 8, 30, tzinfo=UTC)),
        ("7d", NOW - timedelta(days=7)),
        ("12h", NOW - timedelta(hours=12)),
        ("90", NOW - timedelta(seconds=90)),
    ],
)
def test_since_is_a_date_in_sao_paulo_or_an_offset_or_a_duration_back(
    text: str, moment: datetime
) -> None:
    assert _since(text, NOW) == moment


# -- try and replay on the fake systems ------------------------------------------------------


def customers_to(erp: str) -> str:
    """Each new Auvo customer made a customer of ``erp`` (its name only)."""
    return f"""
[[automations]]
name = "auvo customer -> erp"
trigger = {{ system = "auvo", record = "customer", on = "created", lookback = "30d" }}
action = {{ system = "{erp}", do = "create_customer" }}

[automations.map]
nome = "{{description}}"
"""


def on_fakes(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, erp: str = ANY_ERP) -> World:
    """A seeded world whose clients the CLI uses instead of those its settings would build,
    and a settings file with ``VISIT`` and an Auvo customer -> ``erp`` automation."""
    world = make_world(erp, tmp_path, name="s.db")
    monkeypatch.setattr(bridge.clients, "auvo_client", lambda config: world.auvo.client())
    fake = world.registered_fake
    monkeypatch.setattr(
        bridge.clients, "erp_client", lambda config: fake.client(rate_limiter=False)
    )
    settings_file(tmp_path, VISIT, customers_to(erp), erp=erp)
    world.auvo.requests.clear()  # the seeding's, not the CLI's
    world.fake_erp.requests.clear()
    return world


def finished(world: World) -> dict[str, dict[str, Any]]:
    """The fake's finished tasks by id: those ``VISIT`` fires on."""
    tasks = world.auvo.data["tasks"].values()
    return {str(task["taskID"]): task for task in tasks if task.get("finished")}


def written(world: World) -> list[str]:
    """Every request either fake was sent that was not a read."""
    requests = [*world.auvo.requests, *world.fake_erp.requests]
    return [f"{r.method} {r.path}" for r in requests if r.method != "GET"]


def test_try_prints_per_record_whether_it_fires_and_the_payload(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = on_fakes(monkeypatch, tmp_path)
    tasks = world.auvo.data["tasks"]
    assert main(cli(tmp_path, "try", NAME, "--limit", str(len(tasks)))) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == f"{NAME}: {len(tasks)} records of auvo task"
    heads = {line.split()[1]: line for line in lines if line.startswith("  task ")}
    assert set(heads) == {str(ident) for ident in tasks}
    fired = finished(world)
    for ident, line in heads.items():
        if ident in fired:
            assert line.endswith("fires, filters pass; auvo create_task would send:"), line
        else:
            assert line.endswith("the trigger does not fire"), line
    first = next(iter(fired))
    start = lines.index(heads[first]) + 1
    end = next(n for n in range(start, len(lines)) if lines[n] == "    }") + 1
    assert json.loads("\n".join(lines[start:end])) == {
        "customerId": fired[first]["customerId"],
        "idUserFrom": fired[first]["idUserFrom"],
        "taskType": 8,
        "orientation": f"Retorno da tarefa {first}",
    }


def test_try_as_json_and_its_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = on_fakes(monkeypatch, tmp_path)
    assert main(cli(tmp_path, "try", NAME, "--since", "30d", "--limit", "2", "--json")) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["automation"] == NAME
    assert datetime.fromisoformat(shown["since"]) < datetime.now(UTC) - timedelta(days=29)
    assert len(shown["records"]) == 2
    fired = finished(world)
    for trial in shown["records"]:
        assert set(trial) == {"record_id", "version", "fires", "passes", "payload", "error"}
        assert len(trial["version"]) == 16
        assert trial["fires"] is (trial["record_id"] in fired)
        assert trial["error"] is None
        if trial["fires"]:
            assert trial["payload"]["orientation"] == f"Retorno da tarefa {trial['record_id']}"
        else:
            assert trial["payload"] is None


@pytest.mark.parametrize("erp", OFFERING)
def test_try_an_action_in_the_erp(
    erp: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = on_fakes(monkeypatch, tmp_path, erp)
    # A created trigger takes the records created since --since: the seeds are years old.
    argv = cli(tmp_path, "try", "auvo customer -> erp", "--json", "--limit", "50")
    assert main([*argv, "--since", "2000-01-01"]) == 0
    trials = json.loads(capsys.readouterr().out)["records"]
    customers = world.auvo.data["customers"]
    assert {trial["record_id"] for trial in trials} == {str(ident) for ident in customers}
    for trial in trials:
        assert trial["payload"] == {"nome": customers[trial["record_id"]]["description"]}


def test_try_writes_nothing_and_makes_no_store(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = on_fakes(monkeypatch, tmp_path)
    before = copy.deepcopy(world.auvo.data), world.erp_customers(), world.sales()
    nowhere = tmp_path / "no-store-yet.db"
    argv = [*cli(tmp_path, "try", NAME)[:-1], str(nowhere)]
    assert main(argv) == 0
    assert main([*argv[:2], "auvo customer -> erp", *argv[3:]]) == 0
    assert not nowhere.exists()
    assert written(world) == []
    assert (world.auvo.data, world.erp_customers(), world.sales()) == before


def test_a_record_that_would_fail_is_shown_and_exits_1(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    on_fakes(monkeypatch, tmp_path)
    settings_file(tmp_path, VISIT.replace("{taskID}", "{taskID|date:%d/%m/%Y}"))
    assert main(cli(tmp_path, "try", NAME)) == 1
    out = capsys.readouterr().out
    assert "fires, filters pass; would fail: TemplateError: " in out


def test_try_when_a_system_cannot_be_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = on_fakes(monkeypatch, tmp_path)
    clock = FakeClock(start=datetime.now(UTC).timestamp())  # its retries wait on no real time
    monkeypatch.setattr(
        bridge.clients, "auvo_client", lambda config: world.auvo.client(clock=clock)
    )
    refused = Fault(exception=httpx.ConnectError("[Errno 111] Connection refused"))
    world.auvo.fail_next(refused, 10_000)
    assert main(cli(tmp_path, "try", NAME)) == 1
    message = failed_cleanly(capsys)
    assert message.startswith(f"error: {NAME!r} could not read its records: ")
    assert "Connection refused" in message


def test_try_with_a_base_url_the_client_refuses(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = settings_file(tmp_path, VISIT)
    auvo = '\n[auvo]\napi_key = "key"\napi_token = "token"\n'
    path.write_text(path.read_text(encoding="utf-8") + auvo, encoding="utf-8")
    monkeypatch.setenv("AUVO_BASE_URL", "http://auvo.example.com/v2")
    assert main(cli(tmp_path, "try", NAME)) == 2
    message = failed_cleanly(capsys)
    assert "http://" in message
    assert "auvo.example.com" in message


def test_replay_acts_once_per_record_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    world = on_fakes(monkeypatch, tmp_path)
    fired = finished(world)
    tasks = len(world.auvo.data["tasks"])
    assert main(cli(tmp_path, "replay", NAME, "--since", "30d", "--dry-run", "--json")) == 0
    dry = json.loads(capsys.readouterr().out)
    assert dry["dry_run"] is True
    assert len(dry["automations"][NAME]["planned"]) == len(fired)
    assert written(world) == []
    assert main(cli(tmp_path, "replay", NAME, "--since", "30d")) == 0
    table = capsys.readouterr().out.splitlines()
    row = next(line for line in table if line.startswith(NAME))
    assert row.split()[-3:] == [str(len(fired)), "0", "0"]  # acted, skipped, failed
    assert len(world.auvo.data["tasks"]) == tasks + len(fired)
    assert main(cli(tmp_path, "replay", NAME, "--since", "30d", "--json")) == 0
    again = json.loads(capsys.readouterr().out)["automations"][NAME]
    assert (again["acted"], again["skipped"], again["failed"]) == (0, len(fired), 0)
    assert len(world.auvo.data["tasks"]) == tasks + len(fired)
