"""Automations in the bridge's settings: ``[[automations]]`` in the TOML (or
``BridgeConfig(automations=...)`` from Python) are read, then checked against Auvo's and the
config's ERP's models as the config is made. Every kind of mistake is a ``ConfigError``
naming the automation, where in it and why; a settings file without automations does not
load ``bridge.automations`` at all."""

from __future__ import annotations

import re
import subprocess
import sys
from datetime import timedelta

import pytest

import bridge.config
import bridge.values
from bridge import BridgeConfig, ConfigError
from bridge.automations import Action, Automation, Condition, Trigger, surface, systems
from bridge.demo import demo_config
from bridge.erp.registry import erp_kind, erp_names

from ..conftest import erp_table

OFFERING = [name for name in erp_names() if erp_kind(name).automations.offered]
"""The registry's ERPs an automation can use."""
ERP = OFFERING[0]

VISIT = """
[[automations]]
name = "finished installation -> follow-up visit"
trigger = { system = "auvo", record = "task", field = "finished", to = true, lookback = "7d" }
filters = [ ["taskType", "=", 7], ["customerId", "is not empty"] ]
action = { system = "auvo", do = "create_task" }

[automations.map]
customerId = "{customerId}"
taskType = 8
taskDate = "{taskDate|date:%Y-%m-%dT08:00:00}"
orientation = "Retorno da tarefa {taskID}"
"""


def settings(*automations: str, erp: str = ERP) -> str:
    return erp_table(erp) + "".join(automations)


def refused(text: str, erp: str = ERP) -> str:
    """The message of the ``ConfigError`` loading ``text`` raises."""
    with pytest.raises(ConfigError) as info:
        BridgeConfig.from_toml(settings(text, erp=erp))
    return str(info.value)


def visit(**changes: tuple[str, str]) -> str:
    """``VISIT`` with each ``(old, new)`` of ``changes`` replaced (the keywords only say
    what each change is for)."""
    text = VISIT
    for old, new in changes.values():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# -- read and checked ------------------------------------------------------------------------


def test_a_settings_file_holds_its_automations_in_order() -> None:
    second = VISIT.replace("finished installation -> follow-up visit", "second")
    config = BridgeConfig.from_toml(settings(VISIT, second))
    assert [a.name for a in config.automations] == [
        "finished installation -> follow-up visit",
        "second",
    ]
    first = config.automations[0]
    assert first.trigger == Trigger(
        "auvo", "task", field="finished", to=True, lookback=timedelta(days=7)
    )
    assert first.action == Action("auvo", "create_task")
    assert [target for target, _ in first.field_map.entries] == [
        "customerId",
        "taskType",
        "taskDate",
        "orientation",
    ]


def test_without_automations_there_are_none() -> None:
    assert BridgeConfig.from_toml(settings()).automations == ()
    assert demo_config(ERP).automations == ()


def test_python_automations_are_checked_as_the_files_are() -> None:
    automation = Automation(
        "python",
        trigger=Trigger("auvo", "task", field="finished", to=True),
        filters=[Condition("taskTipe", "=", 7)],
        action=Action("auvo", "create_task"),
    )
    with pytest.raises(ConfigError, match=re.escape("automation 'python': filters")) as info:
        demo_config(ERP, automations=[automation])
    assert "'taskType'" in str(info.value)
    fine = Automation(
        "python", trigger=automation.trigger, action=automation.action, field_map={"taskType": 8}
    )
    assert demo_config(ERP, automations=[fine]).automations == (fine,)


def test_automations_from_python_must_be_automations() -> None:
    with pytest.raises(ConfigError, match=re.escape("automations[0]: must be a bridge.Automation")):
        demo_config(ERP, automations=[{"name": "a table"}])
    with pytest.raises(ConfigError, match=re.escape("must be a list of bridge.Automation")):
        demo_config(ERP, automations="visit")


@pytest.mark.parametrize("erp", OFFERING)
def test_an_automation_between_auvo_and_the_configs_erp_loads(erp: str) -> None:
    offered = surface(erp, "trigger.system")
    record = next(iter(offered.records))
    action = next(kind for kind, writes in offered.actions.items() if writes is not None)
    text = f"""
[[automations]]
name = "auvo customer -> {erp}"
trigger = {{ system = "auvo", record = "customer", on = "created" }}
action = {{ system = "{erp}", do = "{action}" }}

[[automations]]
name = "{erp} -> auvo task"
trigger = {{ system = "{erp}", record = "{record}", on = "changed" }}
action = {{ system = "auvo", do = "create_task" }}
"""
    config = BridgeConfig.from_toml(settings(text, erp=erp))
    assert [a.action.system for a in config.automations] == [erp, "auvo"]


def test_parse_duration_moved_to_values_and_config_still_has_it() -> None:
    assert bridge.config.parse_duration is bridge.values.parse_duration
    assert bridge.config.MAX_DURATION is bridge.values.MAX_DURATION
    assert bridge.config.parse_duration("90s", "x") == timedelta(seconds=90)


def test_a_file_without_automations_does_not_load_them() -> None:
    """Loading stays as cheap as before for a file with none; one with some loads them."""
    code = (
        "import sys\n"
        "from bridge.config import BridgeConfig\n"
        "BridgeConfig.from_toml(sys.argv[1])\n"
        "print(any(m.startswith('bridge.automations') for m in sys.modules))\n"
    )

    def loads_them(text: str) -> str:
        run = [sys.executable, "-c", code, text]
        return subprocess.run(run, capture_output=True, text=True, check=True, timeout=60).stdout

    assert loads_them(settings()) == "False\n"
    assert loads_them(settings(VISIT)) == "True\n"


# -- each kind of mistake --------------------------------------------------------------------

NAME = "automation 'finished installation -> follow-up visit'"


def test_an_unknown_system_lists_the_systems() -> None:
    message = refused(visit(system=('system = "auvo", record', 'system = "omie", record')))
    shown = ", ".join(systems())
    assert message == f"{NAME}: trigger.system: 'omie' is not one of {shown}"


def test_an_unknown_record_lists_the_systems_records() -> None:
    message = refused(visit(record=('record = "task"', 'record = "invoice"')))
    assert message == f"{NAME}: trigger.record: 'invoice' is not one of customer, task, quotation"


def test_an_unknown_action_lists_the_systems_actions() -> None:
    message = refused(visit(do=('do = "create_task"', 'do = "send_email"')))
    assert message.startswith(f"{NAME}: action.do: 'send_email' is not one of ")
    assert all(kind in message for kind in surface("auvo", "action.system").actions)


@pytest.mark.parametrize(
    ("old", "new", "where", "wrong", "close"),
    [
        ('["taskType", "="', '["taskTipe", "="', "filters", "taskTipe", "taskType"),
        ('"{customerId}"', '"{customerld}"', "map.customerId", "customerld", "customerId"),
        ("orientation = ", "orientaton = ", "map.orientaton", "orientaton", "orientation"),
        ('field = "finished"', 'field = "finishd"', "trigger.field", "finishd", "finished"),
    ],
    ids=["filter", "map source", "map destination", "trigger field"],
)
def test_a_wrong_field_path_names_the_automation_the_path_and_close_names(
    old: str, new: str, where: str, wrong: str, close: str
) -> None:
    message = refused(visit(path=(old, new)))
    assert message.startswith(f"{NAME}: {where}"), message
    assert f"has no field {wrong!r}" in message
    assert f"did you mean {close!r}" in message


def test_a_bad_operator_lists_the_operators() -> None:
    message = refused(visit(op=('["taskType", "=", 7]', '["taskType", "=~", 7]')))
    assert message.startswith(f"{NAME}: filters[0]: unknown operator '=~'; use one of =, !=, in")


def test_a_value_a_field_could_never_hold_is_refused() -> None:
    message = refused(visit(value=('["taskType", "=", 7]', '["latitude", ">", "north"]')))
    assert message.startswith(f"{NAME}: filters")
    assert "'north' is not an amount" in message


def test_a_bad_template_transform_lists_the_transforms() -> None:
    message = refused(visit(transform=("|date:%Y-%m-%dT08:00:00", "|shout")))
    assert message.startswith(f"{NAME}: map.taskDate: template '{{taskDate|shout}}': ")
    assert "unknown transform 'shout'; use one of date, " in message


def test_two_automations_with_one_name_are_refused() -> None:
    assert refused(VISIT + VISIT) == f"{NAME}: name: two automations have this name"


def test_an_automation_without_a_name_is_refused() -> None:
    message = refused(visit(name=('name = "finished installation -> follow-up visit"\n', "")))
    assert message == "automation: automations[0].name: every automation needs a name"


@pytest.mark.parametrize("lookback", ['"ever"', '"-3d"', "true"])
def test_a_lookback_that_is_no_duration_is_refused(lookback: str) -> None:
    message = refused(visit(lookback=('lookback = "7d"', f"lookback = {lookback}")))
    assert message.startswith(f"{NAME}: trigger.lookback: ")


def test_automations_written_as_one_table_are_refused() -> None:
    message = refused('\n[automations]\nname = "one"\n')
    assert message == "automation: automations: write each one as [[automations]]"


@pytest.mark.parametrize("side", ["trigger", "action"])
def test_an_erp_that_is_not_the_configs_is_refused(side: str) -> None:
    if len(OFFERING) < 2:
        pytest.skip("one ERP offers automations: there is no other to name")
    mine, other = OFFERING[0], OFFERING[1]
    offered = surface(other, f"{side}.system")
    if side == "trigger":
        record = next(iter(offered.records))
        trigger = f'{{ system = "{other}", record = "{record}" }}'
        action = '{ system = "auvo", do = "create_task" }'
    else:
        kind = next(kind for kind, writes in offered.actions.items() if writes is not None)
        trigger = '{ system = "auvo", record = "task", on = "created" }'
        action = f'{{ system = "{other}", do = "{kind}" }}'
    text = f"""
[[automations]]
name = "across"
trigger = {trigger}
action = {action}
"""
    assert refused(text, erp=mine) == (
        f"automation 'across': {side}.system: '{other}' is not this config's ERP "
        f"(erp.kind = '{mine}'); use 'auvo' or '{mine}'"
    )


@pytest.mark.parametrize("erp", [name for name in erp_names() if name not in OFFERING])
def test_an_erp_that_offers_no_automations_is_no_system(erp: str) -> None:
    """Its config may still hold automations from Auvo to Auvo."""
    assert BridgeConfig.from_toml(settings(VISIT, erp=erp)).automations
    message = refused(visit(system=('system = "auvo", do', f'system = "{erp}", do')), erp=erp)
    assert message.startswith(f"{NAME}: action.system: '{erp}' is not one of ")
