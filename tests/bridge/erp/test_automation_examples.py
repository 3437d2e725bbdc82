"""The four automations shipped in ``docs/examples/automations/``, each file loaded as it is
into a settings file of its ERP and run end to end on the package fakes through the
engine ``bridge.sync`` runs: the real streams, store and each system's automation I/O, no
test doubles. For each: a record the trigger and filters take and one they refuse, the exact
record the action makes, nothing more on the next pass (exactly once), and a ``try`` that
writes nothing anywhere. The bridge has no async engine, so "sync and async where both
exist" is sync here.

The fakes and the passes share a ``FakeClock`` started at the real time, so what a pass
reads does not hang on how long the machine took between two lines of a test (a customer
the customers stream made in one pass was read by the automation in that pass or the next,
as the load had it, when the passes ran on the real clock). The clock is moved on before
the test makes its records: Auvo stamps a record's creation to the second, and a customer
made within the second the first pass started would be taken for one made before it
(``test_a_record_created_in_the_second_the_first_pass_started_counts_as_created``).

The tests live here because they name the ERPs (``test_seam.py``)."""

from __future__ import annotations

import contextlib
import copy
import sqlite3
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import bridge
from auvo import Customer, Task
from bridge.automations.declare import Const
from bridge.automations.run import Trial, try_automation
from bridge.config import BridgeConfig
from bridge.engine import run
from bridge.report import AutomationReport
from contaazul.v2.models import (
    CondicaoPagamentoVendaCriacao,
    ItemVendaCriacao,
    ParcelaVendaCriacao,
    VendaCriacao,
)
from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO

from ..conftest import World, erp_table, make_world

EXAMPLES = Path(__file__).resolve().parents[3] / "docs" / "examples" / "automations"
STORE = "bridge.sqlite3"
TENANT = "demo"

BLING_ORDER = "bling-order-to-auvo-task.toml"
CONTAAZUL_SALE = "contaazul-sale-to-auvo-task.toml"
AUVO_TASK = "auvo-task-to-contaazul-contract.toml"
AUVO_CUSTOMER = "auvo-customer-to-bling-contact.toml"

# Valid CNPJs (the clients refuse a document whose check digits are wrong).
A_CNPJ = "11.222.333/0001-81"
ANOTHER_CNPJ = "45.723.174/0001-10"


# -- a world per example -----------------------------------------------------------------


def world_of(erp: str, folder: Path) -> tuple[World, FakeClock]:
    """The seeded fakes of Auvo and ``erp`` and a store, on one clock started now."""
    clock = FakeClock(start=time.time())
    return make_world(erp, folder, name=STORE, clock=clock), clock


def configured(world: World, folder: Path, example: str, settings: str = "") -> BridgeConfig:
    """The settings file a tenant would write: its ERP, ``settings`` (TOML tables), and the
    shipped example appended as it is; loaded as ``python -m bridge`` loads one."""
    path = folder / "bridge.toml"
    shipped = (EXAMPLES / example).read_text(encoding="utf-8")
    text = "\n".join([f'tenant = "{TENANT}"', erp_table(world.erp, folder), settings, shipped])
    path.write_text(text, encoding="utf-8")
    return bridge.load_config(path)


def one_pass(world: World, config: BridgeConfig) -> AutomationReport:
    """A pass of the engine ``bridge.sync`` runs, on the fakes and on their clock (as one
    clock stamps records and passes in production, give or take the skew the overlap
    absorbs); the report of the config's one automation."""
    (automation,) = config.automations
    clock = world.auvo.clock
    report = run(
        config,
        world.store,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        now=lambda: fake_now(clock),
    )
    return report.automations[automation.name]


def counts(report: AutomationReport) -> tuple[int, int, int, int, int]:
    """Seen, filtered, acted, skipped, failed."""
    return report.seen, report.filtered, report.acted, report.skipped, report.failed


def fake_now(clock: FakeClock) -> datetime:
    return datetime.fromtimestamp(clock.time(), UTC)


def acted_for(world: World, config: BridgeConfig) -> dict[str, str]:
    """Each trigger record the automation acted on -> the id of the record it made (the
    links the write protocol keeps, one per record version)."""
    (automation,) = config.automations
    links = world.store.links(TENANT, f"automation:{automation.name}")
    return {link.auvo_id.partition("@")[0]: link.erp_id for link in links}


def store_rows(folder: Path) -> list[str]:
    """Every row of the store, as SQL."""
    with contextlib.closing(sqlite3.connect(folder / STORE)) as connection:
        return list(connection.iterdump())


@contextlib.contextmanager
def tried(
    world: World, config: BridgeConfig, folder: Path, since: datetime
) -> Iterator[dict[str, Trial]]:
    """``try`` of the config's automation over what changed since ``since``, by record id;
    after it, checks that neither fake was sent a write and that the fakes' records and the
    store are as they were."""
    (automation,) = config.automations
    before = copy.deepcopy((world.auvo.data, world.fake_erp.data)), store_rows(folder)
    world.auvo.requests.clear()
    world.fake_erp.requests.clear()
    trials = try_automation(
        config,
        world.store,
        automation.name,
        auvo=world.auvo.client(),
        erp=world.erp_client,
        since=since,
        limit=100,
    )
    yield {trial.record_id: trial for trial in trials}
    sent = [*world.auvo.requests, *world.fake_erp.requests]
    assert [f"{r.method} {r.path}" for r in sent if r.method != "GET"] == []
    assert ((world.auvo.data, world.fake_erp.data), store_rows(folder)) == before


def judged(trial: Trial) -> tuple[bool, bool, str | None]:
    return trial.fires, trial.passes, trial.error


# -- 1. a Bling order reaching a status -> an Auvo task ---------------------------------------

ORDER_TO_TASK = "bling order -> auvo installation"


def bling_item(codigo: str, descricao: str, quantidade: str, valor: str) -> dict[str, Any]:
    return {
        "codigo": codigo,
        "descricao": descricao,
        "quantidade": Decimal(quantidade),
        "valor": Decimal(valor),
    }


def test_a_bling_order_reaching_the_status_schedules_one_auvo_visit(tmp_path: Path) -> None:
    world, clock = world_of("bling", tmp_path)
    config = configured(world, tmp_path, BLING_ORDER)
    assert [a.name for a in config.automations] == [ORDER_TO_TASK]
    bling = world.erp_client
    assert one_pass(world, config).acted == 0  # the first pass marks where the watch starts

    clock.advance(5)
    since = fake_now(clock)
    contact = bling.contatos.create(
        {"nome": "Frio Bom Ltda", "tipo": "J", "numeroDocumento": A_CNPJ}
    ).id
    delivery = (since + timedelta(days=10)).date()
    items = [
        bling_item("SPL-9", "Split 9000 BTU", "2", "1899.00"),
        bling_item("INST", "Instalação de split", "1", "350.00"),
    ]
    order = bling.pedidos_vendas.create(
        {"contato": {"id": contact}, "dataPrevista": delivery, "itens": items}
    ).id
    other = bling.pedidos_vendas.create(
        {"contato": {"id": contact}, "dataPrevista": delivery, "itens": items[:1]}
    ).id
    undated = bling.pedidos_vendas.create({"contato": {"id": contact}, "itens": items[1:]}).id
    # Seen "Em aberto" (6): none has reached the status yet.
    assert counts(one_pass(world, config)) == (3, 3, 0, 0, 0)

    bling.pedidos_vendas.alterar_situacao(order, 9)
    bling.pedidos_vendas.alterar_situacao(other, 15)  # another status: the trigger stays
    bling.pedidos_vendas.alterar_situacao(undated, 9)  # no expected date: the filter refuses
    number = world.fake_erp.data["pedidos/vendas"][order]["numero"]
    orientation = (
        f"Pedido Bling {number}. Itens: Split 9000 BTU / Instalação de split. "
        "Quantidades, na mesma ordem: 2 / 1."
    )
    tasks_before = set(world.auvo.data["tasks"])
    customers_before = set(world.auvo.data["customers"])
    with tried(world, config, tmp_path, since) as trials:
        assert judged(trials[str(order)]) == (True, True, None)
        assert trials[str(order)].payload == {  # the customer would be created: left out
            "idUserFrom": 1,
            "idUserTo": 2,
            "taskType": 2,
            "taskDate": f"{delivery.isoformat()}T08:00:00",
            "orientation": orientation,
        }
        assert judged(trials[str(other)]) == (False, True, None)  # does not fire: no act
        assert judged(trials[str(undated)]) == (True, False, None)

    assert counts(one_pass(world, config)) == (3, 2, 1, 0, 0)
    (made,) = set(world.auvo.data["tasks"]) - tasks_before
    (customer_id,) = set(world.auvo.data["customers"]) - customers_before
    customer = world.auvo.data["customers"][customer_id]
    assert (customer["description"], customer["cpfCnpj"]) == ("Frio Bom Ltda", "11222333000181")
    link = world.store.find_link_by_erp(TENANT, "customer", str(contact))
    assert link is not None
    assert link.auvo_id == customer_id  # created in Auvo first, and linked
    task = world.auvo.data["tasks"][made]
    assert acted_for(world, config) == {str(order): made}
    assert {key: task[key] for key in ("customerId", "idUserFrom", "idUserTo", "taskType")} == {
        "customerId": int(customer_id),
        "idUserFrom": 1,
        "idUserTo": 2,
        "taskType": 2,
    }
    assert (task["taskDate"], task["orientation"]) == (
        f"{delivery.isoformat()}T08:00:00",
        orientation,
    )
    assert task["externalId"].startswith("auto-")  # the reference a lost answer is found by

    assert counts(one_pass(world, config)) == (0, 0, 0, 0, 0)
    assert set(world.auvo.data["tasks"]) == tasks_before | {made}


# -- 2. a Conta Azul sale of services -> an Auvo task ------------------------------------------

SALE_TO_TASK = "contaazul installation sale -> auvo visit"
TASKS_OFF = "[tasks]\nenabled = false\n"


def catalog_id(world: World, table: str, code_field: str, code: str) -> str:
    return next(str(k) for k, v in world.fake_erp.data[table].items() if v.get(code_field) == code)


def person_id(world: World, name: str) -> str:
    return next(str(k) for k, v in world.fake_erp.data["pessoas"].items() if v.get("nome") == name)


def conta_azul_sale(
    world: World, customer: str, situacao: str, day: date, items: list[tuple[str, str, str]]
) -> str:
    """A sale made in Conta Azul (through its API: a person's, for the bridge) paid at once."""
    client = world.erp_client
    lines = [ItemVendaCriacao(id=i, quantidade=Decimal(q), valor=Decimal(v)) for i, q, v in items]
    total = sum((Decimal(q) * Decimal(v) for _, q, v in items), Decimal(0))
    payment = CondicaoPagamentoVendaCriacao(
        opcao_condicao_pagamento="À vista",
        parcelas=[ParcelaVendaCriacao(data_vencimento=day, valor=total)],
    )
    sale = VendaCriacao(
        id_cliente=customer,
        numero=client.vendas.next_number(),
        situacao=situacao,
        data_venda=day,
        itens=lines,
        condicao_pagamento=payment,
    )
    return str(client.vendas.create(sale).id)


def test_an_approved_conta_azul_sale_of_services_schedules_one_auvo_visit(
    tmp_path: Path,
) -> None:
    world, clock = world_of("contaazul", tmp_path)
    config = configured(world, tmp_path, CONTAAZUL_SALE, TASKS_OFF)
    assert [a.name for a in config.automations] == [SALE_TO_TASK]
    assert one_pass(world, config).acted == 0

    clock.advance(5)
    since = fake_now(clock)
    customer = person_id(world, "Oficina Boa Ltda")
    service = catalog_id(world, "servicos", "codigo", "S-INST")
    product = catalog_id(world, "produtos", "codigo_sku", "P-FILTRO")
    day = date(2026, 12, 15)
    installed = conta_azul_sale(
        world, customer, "APROVADO", day, [(service, "1", "350.00"), (product, "2", "45.90")]
    )
    parts_only = conta_azul_sale(world, customer, "APROVADO", day, [(product, "2", "45.90")])
    in_talks = conta_azul_sale(world, customer, "EM_ANDAMENTO", day, [(service, "1", "350.00")])
    visit = catalog_id(world, "servicos", "codigo", "S-VISITA")
    other_service = conta_azul_sale(world, customer, "APROVADO", day, [(visit, "1", "120.00")])
    number = world.fake_erp.data["vendas"][installed]["numero"]
    orientation = f"Venda {number} do Conta Azul, aprovada: R$ 441.80 para Oficina Boa Ltda."
    tasks_before = set(world.auvo.data["tasks"])
    customers_before = set(world.auvo.data["customers"])
    with tried(world, config, tmp_path, since) as trials:
        assert judged(trials[installed]) == (True, True, None)
        assert trials[installed].payload == {  # the customer would be created: left out
            "idUserFrom": 1,
            "idUserTo": 2,
            "taskType": 3,
            "taskDate": "2026-12-15T08:00:00",
            "orientation": orientation,
        }
        assert judged(trials[parts_only]) == (True, False, None)  # no service: filtered
        assert judged(trials[other_service]) == (True, False, None)  # another service
        assert judged(trials[in_talks]) == (False, True, None)  # not approved: no act

    assert counts(one_pass(world, config)) == (4, 3, 1, 0, 0)
    (made,) = set(world.auvo.data["tasks"]) - tasks_before
    (customer_id,) = set(world.auvo.data["customers"]) - customers_before
    auvo_customer = world.auvo.data["customers"][customer_id]
    assert auvo_customer["description"] == "Oficina Boa Ltda"
    assert auvo_customer["externalId"] == f"contaazul:{customer}"  # as the customers stream
    link = world.store.find_link_by_erp(TENANT, "customer", customer)
    assert link is not None
    assert link.auvo_id == customer_id
    assert acted_for(world, config) == {installed: made}
    task = world.auvo.data["tasks"][made]
    assert {key: task[key] for key in ("customerId", "idUserFrom", "idUserTo", "taskType")} == {
        "customerId": int(customer_id),
        "idUserFrom": 1,
        "idUserTo": 2,
        "taskType": 3,
    }
    assert (task["taskDate"], task["orientation"]) == ("2026-12-15T08:00:00", orientation)

    assert counts(one_pass(world, config)) == (0, 0, 0, 0, 0)
    assert set(world.auvo.data["tasks"]) == tasks_before | {made}


# -- 3. a finished Auvo maintenance task -> a yearly Conta Azul contract ----------------------

TASK_TO_CONTRACT = "finished auvo maintenance -> contaazul yearly contract"


def plan_service(config: BridgeConfig) -> str:
    """The Conta Azul service the example's contract sells (a constant of its map)."""
    (automation,) = config.automations
    entries = dict(automation.field_map.entries)
    items = entries["itens"]
    assert isinstance(items, Const)
    (item,) = items.value
    return str(item["id"])


def auvo_task(world: World, task_type: int, when: datetime) -> str:
    """A task booked in Auvo for the customer 2 ("Clínica Boa Saúde")."""
    task = Task.model_validate(
        {
            "idUserFrom": 1,
            "idUserTo": 2,
            "customerId": 2,
            "taskType": task_type,
            "taskDate": when.strftime("%Y-%m-%dT%H:%M:%S"),
            "orientation": "Manutenção do split da recepção",
        }
    )
    return str(world.auvo.client().tasks.create(task).id)


def finish(world: World, clock: FakeClock, task_id: str) -> None:
    """Check the task out as a technician does in Auvo's app (no API call finishes one)."""
    record = world.auvo.data["tasks"][task_id]
    changed = datetime.fromtimestamp(clock.time(), SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")
    record.update(finished=True, taskStatus=5, _finishedBy="manual", dateLastUpdate=changed)


def test_a_finished_maintenance_task_opens_one_yearly_conta_azul_contract(
    tmp_path: Path,
) -> None:
    world, clock = world_of("contaazul", tmp_path)
    config = configured(world, tmp_path, AUVO_TASK)
    assert [a.name for a in config.automations] == [TASK_TO_CONTRACT]
    plan = plan_service(config)
    world.fake_erp.insert(  # the service the example names, as the tenant has it
        "servicos",
        {
            "id": plan,
            "codigo": "S-PLANO",
            "descricao": "Plano anual de manutenção",
            "preco": Decimal("1200.00"),
            "status": "ATIVO",
            "tipo_servico": "PRESTADO",
        },
    )
    assert one_pass(world, config).acted == 0  # the customers stream links customer 2 too

    clock.advance(5)
    since = fake_now(clock)
    visit_day = since.astimezone(SAO_PAULO).replace(hour=9, minute=0, second=0, microsecond=0)
    maintenance = auvo_task(world, 1, visit_day)
    other_visit = auvo_task(world, 3, visit_day + timedelta(hours=5))
    assert counts(one_pass(world, config)) == (2, 2, 0, 0, 0)  # booked, not finished

    clock.advance(60)
    finish(world, clock, maintenance)
    finish(world, clock, other_visit)  # finished, but of another type: the filter refuses
    link = world.store.get_link(TENANT, "customer", "2")
    assert link is not None
    day = visit_day.date().isoformat()
    expected = {
        "id_cliente": link.erp_id,
        "data_emissao": day,
        "observacoes": f"Plano anual de manutenção, aberto pela tarefa {maintenance} do Auvo.",
        "itens": [{"id": plan, "quantidade": 1, "valor": "1200.00"}],
        "termos": {
            "data_inicio": day,
            "data_fim": day,
            "tipo_frequencia": "ANUAL",
            "intervalo_frequencia": 1,
            "tipo_expiracao": "NUNCA",
            "dia_emissao_venda": 10,
        },
        "condicao_pagamento": {
            "tipo_pagamento": "BOLETO_BANCARIO",
            "dia_vencimento": 10,
            "primeira_data_vencimento": day,
        },
    }
    with tried(world, config, tmp_path, since) as trials:
        assert judged(trials[maintenance]) == (True, True, None)
        assert trials[maintenance].payload == expected  # the customer is linked already
        assert judged(trials[other_visit]) == (True, False, None)

    number = world.erp_client.contratos.next_number()
    assert counts(one_pass(world, config)) == (2, 1, 1, 0, 0)
    (contract_id,) = world.fake_erp.data["contratos"]
    assert acted_for(world, config) == {maintenance: contract_id}
    contract = world.fake_erp.data["contratos"][contract_id]
    assert contract["id_cliente"] == link.erp_id
    assert str(contract["data_emissao"]) == day
    assert contract["observacoes"].startswith(expected["observacoes"] + " [ponte:auto-")
    (item,) = contract["itens"]
    assert (item["id"], Decimal(item["quantidade"]), Decimal(item["valor"])) == (
        plan,
        Decimal(1),
        Decimal("1200.00"),
    )
    terms = {key: str(value) for key, value in contract["termos"].items()}
    assert terms == {**{k: str(v) for k, v in expected["termos"].items()}, "numero": str(number)}
    payment = {key: str(value) for key, value in contract["condicao_pagamento"].items()}
    assert payment == {k: str(v) for k, v in expected["condicao_pagamento"].items()}

    assert counts(one_pass(world, config)) == (0, 0, 0, 0, 0)
    assert list(world.fake_erp.data["contratos"]) == [contract_id]


# -- 4. an Auvo customer in a group -> a Bling contact with a contact type -------------------

CUSTOMER_TO_CONTACT = "auvo contract customer -> bling contact"
CUSTOMERS_FROM_ERP = '[customers]\ndirection = "erp_to_auvo"\n'
CONTRACT_CUSTOMERS = 1
"""The Auvo customer group the example takes ("Contratos" in the fake)."""
TAG = {"id": 1234, "descricao": "Contrato Auvo"}


def auvo_customer(world: World, name: str, document: str | None, group: int) -> str:
    fields: dict[str, Any] = {
        "description": name,
        "email": [f"compras@{name.split()[0].lower()}.com.br"],
        "phoneNumber": ["62988887777"],
        "groupsId": [group],
    }
    if document is not None:
        fields["cpfCnpj"] = document
    return str(world.auvo.client().customers.create(Customer.model_validate(fields)).id)


def test_an_auvo_customer_of_the_group_becomes_one_tagged_bling_contact(tmp_path: Path) -> None:
    world, clock = world_of("bling", tmp_path)
    config = configured(world, tmp_path, AUVO_CUSTOMER, CUSTOMERS_FROM_ERP)
    assert [a.name for a in config.automations] == [CUSTOMER_TO_CONTACT]
    assert one_pass(world, config).acted == 0

    clock.advance(5)
    since = fake_now(clock)
    hotel = auvo_customer(world, "Hotel Serra Azul", ANOTHER_CNPJ, CONTRACT_CUSTOMERS)
    walk_in = auvo_customer(world, "Escola Aprender", A_CNPJ, CONTRACT_CUSTOMERS + 1)
    no_document = auvo_customer(world, "Bar do Zé", None, CONTRACT_CUSTOMERS)
    expected = {
        "nome": "Hotel Serra Azul",
        "numeroDocumento": "45723174000110",
        "email": "compras@hotel.com.br",
        "telefone": "62988887777",
        "tiposContato": [TAG],
    }
    with tried(world, config, tmp_path, since) as trials:
        assert judged(trials[hotel]) == (True, True, None)
        assert trials[hotel].payload == expected
        assert judged(trials[walk_in]) == (True, False, None)  # another group
        assert judged(trials[no_document]) == (True, False, None)  # no CPF/CNPJ

    contacts_before = set(world.fake_erp.data["contatos"])
    assert counts(one_pass(world, config)) == (3, 2, 1, 0, 0)
    (made,) = set(world.fake_erp.data["contatos"]) - contacts_before
    assert acted_for(world, config) == {hotel: str(made)}
    contact = world.fake_erp.data["contatos"][made]
    assert {key: contact[key] for key in expected} == expected
    assert contact["tipo"] == "J"  # from the CNPJ
    assert contact["codigo"].startswith("auto-")  # the reference a lost answer is found by
    tagged = world.erp_client.contatos.list(id_tipo_contato=TAG["id"])
    assert [c.id for c in tagged] == [made]  # Bling's contact list filters by the type

    customers = set(world.auvo.data["customers"])
    assert counts(one_pass(world, config)) == (0, 0, 0, 0, 0)
    assert set(world.fake_erp.data["contatos"]) == contacts_before | {made}
    # The customers stream (erp_to_auvo) meets the new contact and links it to the Auvo
    # customer it came from (same CNPJ) instead of copying it back.
    assert set(world.auvo.data["customers"]) == customers
    link = world.store.get_link(TENANT, "customer", hotel)
    assert link is not None
    assert link.erp_id == str(made)


# -- gaps ------------------------------------------------------------------------------------


# Auvo stamps creation to the second: a customer made in the first pass's own second is new.
def test_a_record_created_in_the_second_the_first_pass_started_counts_as_created(
    tmp_path: Path,
) -> None:
    clock = FakeClock(start=float(int(time.time())) + 0.25)
    world = make_world("bling", tmp_path, name=STORE, clock=clock)
    config = configured(world, tmp_path, AUVO_CUSTOMER, CUSTOMERS_FROM_ERP)

    def now() -> datetime:
        return fake_now(clock)

    auvo, erp = world.auvo.client(), world.erp_client
    run(config, world.store, auvo=auvo, erp=erp, now=now)  # starts at .25 s past the second
    clock.advance(0.5)
    hotel = auvo_customer(world, "Hotel Serra Azul", ANOTHER_CNPJ, CONTRACT_CUSTOMERS)
    clock.advance(60)
    report = run(config, world.store, auvo=auvo, erp=erp, now=now)
    assert report.automations[CUSTOMER_TO_CONTACT].acted == 1
    assert hotel in acted_for(world, config)


# A sale the tasks stream billed is the bridge's own write: no change to act on.
def test_the_sales_the_bridge_bills_from_auvo_tasks_open_no_auvo_task(tmp_path: Path) -> None:
    world, _ = world_of("contaazul", tmp_path)
    config = configured(world, tmp_path, CONTAAZUL_SALE)  # the tasks stream on, as by default
    assert config.tasks_enabled
    billed = one_pass(world, config)
    assert any(link.erp_id for link in world.store.links(TENANT, "sale"))  # sales were billed
    assert billed.acted == 0


def test_a_conta_azul_sale_trigger_can_name_the_services_it_sells() -> None:
    from bridge.automations import catalogue, surface

    venda = surface("contaazul", "trigger.system").records["venda"]
    paths = {field.path for field in catalogue(venda)}
    assert any("[*]." in path and path.endswith(("id_item", "nome")) for path in paths), paths


def test_a_replay_after_a_persons_edit_does_not_act_again(tmp_path: Path) -> None:
    """Example 1 acted on an order; a person then edited the order's notes (its situação
    still 9): a replay over that span finds the order acted on as it is, and opens no
    second visit."""
    from bridge.engine import replay

    world, clock = world_of("bling", tmp_path)
    config = configured(world, tmp_path, BLING_ORDER)
    (automation,) = config.automations
    bling = world.erp_client
    one_pass(world, config)
    clock.advance(5)
    start = fake_now(clock)
    contact = bling.contatos.create(
        {"nome": "Frio Bom Ltda", "tipo": "J", "numeroDocumento": A_CNPJ}
    ).id
    order = bling.pedidos_vendas.create(
        {
            "contato": {"id": contact},
            "dataPrevista": (start + timedelta(days=10)).date(),
            "itens": [bling_item("SPL-9", "Split", "1", "10.00")],
        }
    ).id
    one_pass(world, config)
    clock.advance(60)
    bling.pedidos_vendas.alterar_situacao(order, 9)
    before = set(world.auvo.data["tasks"])
    one_pass(world, config)
    assert len(set(world.auvo.data["tasks"]) - before) == 1
    clock.advance(60)
    edited = bling.pedidos_vendas.get(order)
    bling.pedidos_vendas.update(order, edited.model_copy(update={"observacoes": "portão azul"}))
    one_pass(world, config)
    report = replay(
        config,
        world.store,
        automation.name,
        start - timedelta(hours=1),
        auvo=world.auvo.client(),
        erp=world.erp_client,
    )
    assert report.automations[automation.name].acted == 0
    assert len(set(world.auvo.data["tasks"]) - before) == 1
