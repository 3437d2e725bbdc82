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


# -- what would load and then never match, or fail only when the action runs ------------------


@pytest.mark.parametrize("to", ['"true"', "1", '"yes"'])
def test_a_trigger_to_that_is_no_boolean_on_a_boolean_field_is_refused(to: str) -> None:
    """A boolean equals only a boolean: ``to = "true"`` would never fire."""
    message = refused(visit(to=("to = true", f"to = {to}")))
    assert message.startswith(f"{NAME}: trigger.to: ")
    assert "is not a boolean, and the field is boolean: write true or false, unquoted" in message


def test_a_field_trigger_without_to_loads_on_any_field() -> None:
    """Without ``to`` any change fires: there is no value to compare (an amount field too)."""
    text = visit(field=('field = "finished", to = true', 'field = "latitude"'))
    (automation,) = BridgeConfig.from_toml(settings(text)).automations
    assert automation.trigger.to is None


@pytest.mark.parametrize("value", ['"yes"', '"true"', "1"])
def test_a_condition_on_a_boolean_with_no_boolean_is_refused(value: str) -> None:
    message = refused(visit(value=('["taskType", "=", 7]', f'["finished", "=", {value}]')))
    assert message.startswith(f"{NAME}: filters[0]: finished =: ")
    assert "is not a boolean" in message


def test_a_boolean_against_a_text_field_is_refused() -> None:
    message = refused(visit(value=('["taskType", "=", 7]', '["orientation", "=", true]')))
    assert (
        message
        == f"{NAME}: filters[0]: orientation =: True equals only a boolean, and the field is text"
    )


def test_contains_on_an_integer_field_is_refused() -> None:
    """``taskType`` is declared "integer or text", but text only ever reads as an integer
    (or nothing): the check goes by what a record read holds."""
    message = refused(visit(value=('["taskType", "=", 7]', '["taskType", "contains", "7"]')))
    assert message == (
        f"{NAME}: filters[0]: taskType contains: the field is integer; "
        "contains looks in text or a list"
    )
    fine = visit(value=('["taskType", "=", 7]', '["orientation", "contains", "filtro"]'))
    assert BridgeConfig.from_toml(settings(fine)).automations


@pytest.mark.parametrize(
    ("condition", "reason"),
    [
        ('["finished", ">", 1]', "finished >: the field is boolean, which has no order"),
        (
            '["orientation", ">", "M"]',
            "orientation >: text is ordered only as amounts or dates, and 'M' is neither",
        ),
    ],
    ids=["boolean", "text"],
)
def test_an_order_a_field_cannot_have_is_refused(condition: str, reason: str) -> None:
    message = refused(visit(value=('["taskType", "=", 7]', condition)))
    assert message == f"{NAME}: filters[0]: {reason}"


def test_a_lookup_take_that_names_no_field_of_what_it_finds_is_refused() -> None:
    lookup = '{ lookup = "product", by = "externalId", take = "nmae" }'
    message = refused(visit(lookup=('customerId = "{customerId}"', f"customerId = {lookup}")))
    assert message.startswith(f"{NAME}: map.customerId.take: 'nmae': auvo product (Product) ")
    assert message.endswith("has no field 'nmae'; did you mean 'name'?")


def test_a_customer_lookup_takes_nothing_but_the_id() -> None:
    lookup = '{ lookup = "customer", take = "name" }'
    message = refused(visit(lookup=('customerId = "{customerId}"', f"customerId = {lookup}")))
    assert message == (
        f"{NAME}: map.customerId.take: a customer lookup gives the id of the linked customer, "
        "not its 'name'"
    )


@pytest.mark.parametrize(
    ("entry", "reason"),
    [
        ("taskID = 5", "'taskID' is the id auvo gives the new task; a map cannot write it"),
        (
            'externalId = "{externalId}"',
            "'externalId' carries the automation's reference, by which a create_task whose "
            "answer was lost is found again; a map cannot write it",
        ),
    ],
    ids=["the new record's id", "the reference's field"],
)
def test_a_map_to_a_field_the_action_keeps_for_itself_is_refused(entry: str, reason: str) -> None:
    message = refused(visit(entry=("taskType = 8", f"taskType = 8\n{entry}")))
    name = entry.split(" ")[0]
    assert message == f"{NAME}: map.{name}: {reason}"


def test_a_map_to_a_field_the_system_sets_is_refused() -> None:
    """The models mark what the server sets (``sdkcore.models.READ_ONLY``)."""
    customer = visit(
        action=('do = "create_task"', 'do = "update_customer"'),
        map=(
            'customerId = "{customerId}"\ntaskType = 8\n'
            'taskDate = "{taskDate|date:%Y-%m-%dT08:00:00}"\n'
            'orientation = "Retorno da tarefa {taskID}"\n',
            'id = "{customerId}"\ncreationDate = "{taskDate}"\n',
        ),
    )
    assert refused(customer) == (
        f"{NAME}: map.creationDate: 'creationDate' is set by auvo itself; a map cannot write it"
    )


CUSTOMER_ID = '\n[automations.map]\nid = "{customerId}"\n'


def set_status(record: str = "customer", status: str = '"inactive"') -> str:
    """``VISIT`` acting as ``set_status`` on Auvo's ``record`` with ``status``."""
    text = VISIT.split("[automations.map]")[0].replace(
        'action = { system = "auvo", do = "create_task" }',
        f'action = {{ system = "auvo", do = "set_status", record = "{record}", '
        f"status = {status} }}",
    )
    return text + CUSTOMER_ID


def test_a_set_status_the_system_can_do_loads() -> None:
    for status in ('"inactive"', '" Active "', "false"):
        assert BridgeConfig.from_toml(settings(set_status(status=status))).automations


@pytest.mark.parametrize(
    ("record", "status", "where", "reason"),
    [
        (
            "task",
            '"finished"',
            "action.record",
            "auvo sets the status of a customer, not of a task",
        ),
        (
            "customer",
            '"gone"',
            "action.status",
            "a customer's status is 'active' or 'inactive', or true or false, not 'gone'",
        ),
        (
            "customer",
            "1",
            "action.status",
            "a customer's status is 'active' or 'inactive', or true or false, not 1",
        ),
    ],
    ids=["a record it cannot set", "no such status", "a number for a flag"],
)
def test_a_set_status_the_system_cannot_do_is_refused(
    record: str, status: str, where: str, reason: str
) -> None:
    assert refused(set_status(record, status)) == f"{NAME}: {where}: {reason}"


@pytest.mark.parametrize("side", ["trigger", "action"])
def test_another_erp_is_named_as_such_before_what_it_lacks(side: str) -> None:
    """An action (or record) only Auvo has, in another ERP: the message is the system's."""
    if len(OFFERING) < 2:
        pytest.skip("one ERP offers automations: there is no other to name")
    mine, other = OFFERING[0], OFFERING[1]
    old, new = {
        "trigger": ('trigger = { system = "auvo"', f'trigger = {{ system = "{other}"'),
        "action": ('action = { system = "auvo"', f'action = {{ system = "{other}"'),
    }[side]
    assert refused(visit(system=(old, new)), erp=mine) == (
        f"{NAME}: {side}.system: '{other}' is not this config's ERP (erp.kind = '{mine}'); "
        f"use 'auvo' or '{mine}'"
    )
