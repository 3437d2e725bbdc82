"""Every name a setting gives (task types, customer group, quotation stage, financial
account) is looked up in the live systems before the first stream of a pass, dry runs too:
a name that is not there is a ``ConfigError`` naming the setting, the name and the names
that are there, raised before anything is written. A read that fails is not a
``ConfigError``: the streams that need it fail, the pass goes on.

Names match as a person reads them: exactly (surrounding and repeated spaces aside) or,
failing that, ignoring case and accents when only one name matches that way.
"""

from __future__ import annotations

from typing import Any

import pytest

import bridge
from bridge import ConfigError
from bridge.erp.registry import erp_kind
from sdkcore.testing import FakeAPI, Fault

from .conftest import World
from .erp.drivers import driver

WRITES = {"POST", "PUT", "PATCH", "DELETE"}


def _writes(fake: FakeAPI) -> list[str]:
    """Write requests, less the logins and token exchanges (they change no record)."""
    return [
        f"{r.method} {r.path}"
        for r in fake.requests
        if r.method in WRITES and not any(w in r.path.lower() for w in ("login", "oauth", "token"))
    ]


def sync(world: World, dry_run: bool = False, **changes: Any) -> bridge.SyncReport:
    return bridge.sync(
        world.config(**changes),
        world.store,
        dry_run=dry_run,
        auvo=world.auvo.client(),
        erp=world.erp_client,
    )


def _failures(report: bridge.SyncReport, stream: str) -> list[str]:
    return [error["ref"] for error in report.streams[stream].errors]


def _task_types(world: World) -> list[str]:
    return [t.description or "" for t in world.auvo.client().task_types.list()]


def _groups(world: World) -> list[str]:
    return [g.description or "" for g in world.auvo.client().customer_groups.list()]


def _stages(world: World) -> list[str]:
    return sorted(
        {
            q.current_stage.description
            for q in world.auvo.client().quotations.list()
            if q.current_stage and q.current_stage.description
        }
    )


def _demo_names_an_account(world: World) -> bool:
    return "financial_account" in erp_kind(world.erp).fake.demo_settings


def _accounts(world: World) -> list[str]:
    return list(driver(world.erp).accounts(world))


BAD_NAMES = [
    # setting, the config change, the bad name, where the names that exist come from
    ("tasks.task_types", "tasks_task_types", ["Manutencao"], _task_types),
    ("tasks.customer_group", "tasks_customer_group", "Contrato", _groups),
    ("quotations.status", "quotations_status", "Aprovada", _stages),
    ("erp.financial_account", "financial_account", "Cofre", _accounts),
]


@pytest.mark.parametrize("dry_run", [False, True], ids=["pass", "dry run"])
@pytest.mark.parametrize(
    ("setting", "attribute", "value", "existing"), BAD_NAMES, ids=[b[0] for b in BAD_NAMES]
)
def test_a_name_that_does_not_exist_fails_before_any_write(
    world: World, setting: str, attribute: str, value: Any, existing: Any, dry_run: bool
) -> None:
    names = existing(world)
    assert names, "the fakes hold names to list"
    world.auvo.requests.clear()
    world.fake_erp.requests.clear()
    with pytest.raises(ConfigError) as raised:
        sync(world, dry_run=dry_run, **{attribute: value})
    message = str(raised.value)
    assert raised.value.setting == setting
    bad = value[0] if isinstance(value, list) else value
    assert f"named {bad!r}" in message
    for name in names:
        assert repr(name) in message, message  # the error lists the names that exist
    assert _writes(world.auvo) == []
    assert _writes(world.fake_erp) == []
    assert world.store.last_run("demo") is None
    assert not world.sales()


def test_every_bad_task_type_is_named(world: World) -> None:
    with pytest.raises(ConfigError) as raised:
        sync(world, tasks_task_types=["Instalação", "Manutencao", "Vistoria"])
    message = str(raised.value)
    assert "'Manutencao'" in message
    assert "'Vistoria'" in message
    assert "named 'Instalação'" not in message


def test_a_typo_in_the_quotation_stage_no_longer_bills_nothing_silently(world: World) -> None:
    with pytest.raises(ConfigError, match=r"quotations\.status.*'Aprovdo'.*'Aprovado'"):
        sync(world, tasks_enabled=False, quotations_status="Aprovdo")
    assert not world.sales()
    report = sync(world, tasks_enabled=False, quotations_status="Aprovado")
    assert report.streams["quotations"].created >= 1


def test_names_match_ignoring_case_accents_and_spacing(world: World) -> None:
    exact = sync(world, tasks_task_types=["Instalação"], quotations_status="Aprovado")
    billed = set(world.sales())
    assert exact.streams["tasks"].created >= 1
    assert exact.streams["quotations"].created >= 1
    world.store = bridge.SQLiteStore(":memory:")  # a first pass again: the sales exist
    loose = sync(
        world,
        tasks_task_types=["  instalacao "],
        tasks_customer_group="contratos",
        quotations_status="APROVADO",
        financial_account=(_accounts(world)[0].upper() if _demo_names_an_account(world) else None),
    )
    assert loose.failed == exact.failed
    assert set(world.sales()) == billed  # the same tasks and quotations, found again


def test_two_names_that_differ_only_in_case_or_accents_must_be_written_exactly(
    world: World,
) -> None:
    world.auvo.add("tasktypes", {"description": "INSTALACAO"})
    with pytest.raises(ConfigError) as raised:
        sync(world, tasks_task_types=["instalacao"])
    assert raised.value.setting == "tasks.task_types"
    assert "'Instalação'" in str(raised.value)
    assert "'INSTALACAO'" in str(raised.value)
    sync(world, tasks_task_types=["Instalação"])  # exact wins


def test_task_types_of_the_same_name_are_all_selected(world: World) -> None:
    # Tasks 500 and 506 are of type 1 and billable; 506 moves to a second type of that name.
    first = world.auvo.data["tasktypes"]["1"]
    twin = world.auvo.add("tasktypes", {"description": first["description"]})
    world.auvo.data["tasks"]["506"]["taskType"] = twin["id"]
    sync(world, tasks_task_types=[first["description"]], quotations_enabled=False)
    billed = {ref.split(":")[1] for ref in world.sales() if ref.startswith("task:")}
    assert billed == {"500", "506"}


def test_disabled_streams_are_not_checked(world: World) -> None:
    report = sync(
        world,
        tasks_enabled=False,
        tasks_task_types=["Nope"],
        tasks_customer_group="Nope",
        quotations_enabled=False,
        quotations_status="Nope",
    )
    assert "tasks" not in report.streams
    assert "quotations" not in report.streams


def test_without_any_quotation_the_stage_cannot_be_checked(world: World) -> None:
    world.auvo.data["quotations"].clear()
    report = sync(world, quotations_status="Aprovdo")  # Auvo lists no stages: nothing to say
    assert report.streams["quotations"].created == 0
    assert not _failures(report, "quotations")


def test_the_names_are_read_once_per_pass(world: World) -> None:
    world.auvo.requests.clear()
    sync(world, tasks_task_types=["Instalação"], tasks_customer_group="Contratos")
    paths = [r.path.lower().rstrip("/") for r in world.auvo.requests if r.method == "GET"]
    assert paths.count("/v2/tasktypes") == 1
    assert paths.count("/v2/customergroups") == 1


@pytest.mark.parametrize(
    ("path", "failed", "ran"),
    [
        ("/v2/taskTypes", "tasks", "quotations"),
        ("/v2/customerGroups", "tasks", "quotations"),
        ("/v2/quotations", "quotations", "tasks"),
    ],
)
def test_a_failed_read_fails_the_streams_that_need_it_not_the_pass(
    world: World, path: str, failed: str, ran: str
) -> None:
    world.auvo.fail_next(Fault(404, method="GET", path_prefix=path))
    report = sync(world, tasks_task_types=["Instalação"], tasks_customer_group="Contratos")
    assert report.status == "partial"
    assert _failures(report, failed) == [f"stream:{failed}"]
    assert not _failures(report, ran)
    assert report.streams["catalog"].failed == 0
    again = sync(world, tasks_task_types=["Instalação"], tasks_customer_group="Contratos")
    assert not _failures(again, failed)  # read again on the next pass


def test_a_failed_account_read_fails_the_selling_streams(world: World) -> None:
    accounts = driver(world.erp).paths["accounts"]
    name = _accounts(world)[0]
    world.fake_erp.fail_next(Fault(404, method="GET", path_prefix=accounts))
    report = sync(world, financial_account=name)
    assert report.status == "partial"
    for stream in ("tasks", "quotations"):
        assert _failures(report, stream) == [f"stream:{stream}"]


# -- the rule ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("wanted", "names", "found"),
    [
        ("Instalação", ["Instalação", "Visita"], "Instalação"),
        ("instalacao", ["Instalação", "Visita"], "Instalação"),
        ("  INSTALAÇÃO  ", ["Instalação"], "Instalação"),
        ("Visita  técnica", ["Visita técnica"], "Visita técnica"),
        ("Instalação", ["Instalação", "INSTALACAO"], "Instalação"),  # exact wins
        ("Instalacao", ["Instalação", "INSTALACAO"], None),  # two loose matches: ambiguous
        ("Instala", ["Instalação"], None),  # no prefixes, no guesses
        ("Manutencao", ["Manutenção preventiva"], None),
    ],
)
def test_match_name(wanted: str, names: list[str], found: str | None) -> None:
    from bridge.preflight import match_name

    if found is None:
        with pytest.raises(LookupError):
            match_name(wanted, names)
    else:
        assert match_name(wanted, names) == found


def test_a_stage_no_quotation_reached_yet_fails_only_the_quotations_stream(world: World) -> None:
    # Unlike any stage in use, so no typo: perhaps no quotation got there yet. Saying so on
    # every pass is loud enough; stopping the tasks with it would stop the billing too.
    report = sync(world, quotations_status="Faturar")
    (error,) = report.streams["quotations"].errors
    assert error["ref"] == "stream:quotations"
    assert "StageNotSeen" in error["error"]
    assert "'Faturar'" in error["error"]
    assert "'Aprovado'" in error["error"]  # the stages in use are listed
    assert report.streams["tasks"].created >= 1
    assert report.status == "partial"
