"""The automations scenario of ``bench/bridge.py`` (issue 15), measured on the package fakes.

N trigger records (``--automation-records``, default 10,000): 80% Auvo tasks, 20% customers
of the ERP. Each ERP customer is also an Auvo customer with the same CNPJ, linked by the
customers stream in a pass before the measured one (as a running bridge has them); the tasks
are spread over those customers and over the two days before the measured pass, the ERP's
customers changed the day before it. Five automations watch them, three the tasks and two
the ERP's customers (each group shares one read of its list a pass):

  1. an installation that finishes is noted on its Auvo customer (update_customer);
  2. a removal without parts that finishes makes its Auvo customer inactive (set_status);
  3. a maintenance with parts that finishes becomes an ERP sale: its customer by a
     ``customer`` lookup, one item per part, each item's product by a ``product`` lookup of
     the part's code (20 codes in all);
  4. an ERP customer made inactive makes its Auvo customer inactive, for customers with a
     trade name (set_status);
  5. an active ERP customer with a trade name and a mobile that changes has the trade name
     noted on its Auvo customer (update_customer).

No automation writes what another watches, so the second pass has nothing new. Task n is of
type 1 + n % 3, finished unless n % 5 == 0, with a part when n is even; ERP customer n is
inactive when n % 4 == 0, has a trade name unless n % 3 == 0 and a mobile unless
n % 5 == 0. So the automations act on 26.7%, 13.3% and 13.3% of the tasks and 16.7% and 40%
of the customers. Rate limiters are off and the fakes share one simulated clock that moves only
between passes; the tasks, catalog and quotations streams are off. The figures are those of
the pass's automations: the engine's call to ``run_automations``, measured around it.

The minimum of calls is derived from the seeded records, with plain-Python versions of the
filters, never from the pass's counts: full pages (``PAGE`` records) of each trigger list,
read once; what the ERP's I/O must read per listed record (Bling and Conta Azul read each
customer by id: their lists carry a summary); one call per action the seeds make due (two
for a Conta Azul sale: the number it hands out is asked for first); one call per distinct
product code a lookup finds (a customer lookup finds the link the customers stream stored:
no call); logins and tokens: none (the linking pass, one poll interval before, logged in to
Auvo, whose tokens last 30 minutes; the ERP's client holds its token). The calls compared are
the pass report's ``api_calls`` for the automations and the logins or tokens the fakes
answered meanwhile (the report counts none); the requests the fakes answered are shown
beside them.

Time: every request goes through a transport that counts and times what the fake does with
it (reading the request, the handler, encoding the answer: what the network and the server
cost in production). The engine's own time is the automations' wall time less that: the
runner, the store (SQLite in memory) and the SDK clients building requests and reading
answers (the first pass also loads the automations' modules, once). Fake Auvo tests every
task against the filters for each page it serves, which a server's index does not: the
bench keeps each task's verdict until the next write (``measure``'s ``linear``), so the
fakes' time grows with the records, not with their square.
"""

from __future__ import annotations

import contextlib
import random
import time
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import attrs

from auvo import Auvo
from auvo.testing import FakeAuvo
from bling import Bling
from bling.models import Contato, Produto
from bridge import engine
from bridge.automations import Action, Automation, Condition, Lookup, Trigger
from bridge.automations.run import Replay
from bridge.auvo_side import AuvoSide
from bridge.context import Context
from bridge.demo import demo_config
from bridge.erp.port import ErpClient, list_reads
from bridge.erp.registry import erp_kind
from bridge.report import SyncReport
from bridge.store import SQLiteStore
from contaazul.v2 import ContaAzul
from sdkcore.clock import FakeClock
from sdkcore.dates import format_local
from sdkcore.testing.documents import random_cnpj
from sdkcore.transport import BaseTransport, Request, Response

__all__ = ["HALVES", "PAGE", "Figures", "Minimum", "Stage", "measure"]

PAGE = 100
"""Records a page of every list read here (Auvo's and the ERPs' default)."""
TASK_SHARE = Decimal("0.8")
"""The share of the trigger records that are Auvo tasks; the rest are the ERP's customers."""
OLD = timedelta(days=90)
"""How long before the measured pass the fakes' clock starts (their own seeds date from
then, and the Auvo customers)."""
LOOKBACK = timedelta(days=7)
"""How far back each automation's first pass reads."""
INTERVAL = timedelta(minutes=10)
"""Between the passes: the poll interval."""
INSTALLATION, MAINTENANCE, REMOVAL = 1, 2, 3
"""The task types the automations tell apart."""
PART_CODES = tuple(f"P-{n:02d}" for n in range(1, 21))
"""The codes of the parts tasks use, each a product in the ERP."""
FIRST_AUVO_CUSTOMER = 60_000
"""The Auvo id of the first seeded customer (the others follow)."""


# -- what the bench seeds --------------------------------------------------------------------


@attrs.frozen
class Company:
    """A customer held in the ERP and in Auvo under the same CNPJ (``seeded_company``)."""

    name: str
    document: str
    active: bool
    trade_name: str | None
    mobile: str | None
    auvo_id: int = 0
    erp_id: str = ""


@attrs.frozen
class SeededTask:
    ident: int
    customer: Company
    task_type: int
    finished: bool
    part: str | None


def seeded_company(n: int, document: str) -> Company:
    """ERP customer n: inactive when n % 4 == 0, a trade name unless n % 3 == 0, a mobile
    unless n % 5 == 0."""
    return Company(
        f"Cliente {n:05d} Ltda",
        document,
        active=n % 4 != 0,
        trade_name=f"Loja {n}" if n % 3 else None,
        mobile=f"62999{n:06d}" if n % 5 else None,
    )


def seeded_task(n: int, companies: Sequence[Company]) -> SeededTask:
    """Task n: of type 1 + n % 3, finished unless n % 5 == 0, a part when n is even."""
    part = PART_CODES[n % len(PART_CODES)] if n % 2 == 0 else None
    return SeededTask(200_000 + n, companies[(n * 7) % len(companies)], 1 + n % 3, n % 5 != 0, part)


# The filters as plain Python, over what was seeded: what each automation should act on.


def installation_done(task: SeededTask) -> bool:
    return task.finished and task.task_type == INSTALLATION


def removal_done(task: SeededTask) -> bool:
    return task.finished and task.task_type == REMOVAL and task.part is None


def maintenance_done(task: SeededTask) -> bool:
    return task.finished and task.task_type == MAINTENANCE and task.part is not None


def made_inactive(company: Company) -> bool:
    return not company.active and company.trade_name is not None


def trade_name_to_note(company: Company) -> bool:
    return company.active and company.trade_name is not None and company.mobile is not None


# -- the ERP's half ---------------------------------------------------------------------------


@attrs.frozen
class ErpHalf:
    """What the scenario needs in one ERP's own vocabulary: its customer record (the paths of
    its status, trade name and mobile, and the inactive status), the field map of a sale
    from a task, what its I/O costs, and how to seed it through its client."""

    customer: str
    status: str
    inactive: object
    active: object
    trade_name: str
    mobile: str
    sale: Mapping[str, object]
    """A sale from an Auvo task: its customer by a ``customer`` lookup, an item per part
    (``products[*]``) with its product by a ``product`` lookup of the part's ``code``."""
    reads_per_record: int
    """Calls the I/O makes per listed customer besides the list's pages."""
    calls_per_sale: int
    """Calls of one create_sale."""
    add_customers: Callable[[ErpClient, Sequence[Company]], list[str]]
    """Create the customers; their ids."""
    add_products: Callable[[ErpClient, Sequence[str]], None]
    """Create a product for each code."""


def _bling(client: ErpClient) -> Bling:
    assert isinstance(client, Bling)
    return client


def _bling_customers(client: ErpClient, companies: Sequence[Company]) -> list[str]:
    contatos = _bling(client).contatos
    made = (
        contatos.create(
            Contato(
                nome=company.name,
                tipo="J",
                numero_documento=company.document,
                situacao="A" if company.active else "I",
                fantasia=company.trade_name,
                celular=company.mobile,
            )
        )
        for company in companies
    )
    return [str(contato.id) for contato in made]


def _bling_products(client: ErpClient, codes: Sequence[str]) -> None:
    produtos = _bling(client).produtos
    for code in codes:
        produto = Produto(nome=f"Peça {code}", codigo=code, tipo="P", situacao="A", preco=45)
        produtos.create(produto)


BLING = ErpHalf(
    customer="contato",
    status="situacao",
    inactive="I",
    active="A",
    trade_name="fantasia",
    mobile="celular",
    sale={
        "contato": {"id": Lookup("customer")},
        "data": "{taskDate|date:%Y-%m-%d}",
        "observacoes": "Manutenção, tarefa Auvo {taskID}",
        "itens": {
            "each": "products[*]",
            "map": {
                "produto": {"id": {"lookup": "product", "by": "code"}},
                "descricao": "{name}",
                "quantidade": "{quantity}",
                "valor": "{unitaryValue}",
            },
        },
    },
    reads_per_record=1,
    calls_per_sale=1,
    add_customers=_bling_customers,
    add_products=_bling_products,
)


def _conta_azul(client: ErpClient) -> ContaAzul:
    assert isinstance(client, ContaAzul)
    return client


def _conta_azul_customers(client: ErpClient, companies: Sequence[Company]) -> list[str]:
    pessoas = _conta_azul(client).pessoas
    made = (
        pessoas.create(
            {
                "nome": company.name,
                "tipo_pessoa": "Jurídica",
                "cnpj": company.document,
                "nome_fantasia": company.trade_name,
                "telefone_celular": company.mobile,
                "ativo": company.active,
                "perfis": [{"tipo_perfil": "Cliente"}],
            }
        )
        for company in companies
    )
    return [str(pessoa.id) for pessoa in made]


def _conta_azul_products(client: ErpClient, codes: Sequence[str]) -> None:
    produtos = _conta_azul(client).produtos
    for code in codes:
        produto = {
            "nome": f"Peça {code}",
            "codigo_sku": code,
            "formato": "SIMPLES",
            "estoque": {"valor_venda": Decimal(45)},
            "dimensao": {},
        }
        produtos.create(produto)


def _paid_at_once(task: Mapping[str, Any]) -> list[dict[str, Any]]:
    """One instalment, due on the task's day, of the sum of its parts: a field map's Python
    function (Conta Azul wants the instalments to add up to the sale)."""
    parts = task.get("products") or []
    total = sum((Decimal(p["quantity"]) * Decimal(p["unitaryValue"]) for p in parts), Decimal(0))
    return [{"data_vencimento": str(task["taskDate"])[:10], "valor": total}]


CONTA_AZUL = ErpHalf(
    customer="pessoa",
    status="ativo",
    inactive=False,
    active=True,
    trade_name="nome_empresa",
    mobile="telefone_celular",
    sale={
        "id_cliente": Lookup("customer"),
        "situacao": "APROVADO",
        "data_venda": "{taskDate|date:%Y-%m-%d}",
        "observacoes": "Manutenção, tarefa Auvo {taskID}",
        "itens": {
            "each": "products[*]",
            "map": {
                "id": {"lookup": "product", "by": "code"},
                "descricao": "{name}",
                "quantidade": "{quantity}",
                "valor": "{unitaryValue}",
            },
        },
        "condicao_pagamento": {"opcao_condicao_pagamento": "À vista", "parcelas": _paid_at_once},
    },
    reads_per_record=1,
    calls_per_sale=2,
    add_customers=_conta_azul_customers,
    add_products=_conta_azul_products,
)

HALVES: Mapping[str, ErpHalf] = {"contaazul": CONTA_AZUL, "bling": BLING}
"""The ERPs the scenario runs on (an automation's ERP half is written in its vocabulary)."""


# -- the automations ----------------------------------------------------------------------------


def automations(erp: str, half: ErpHalf) -> tuple[Automation, ...]:
    finished = Trigger("auvo", "task", field="finished", to=True, lookback=LOOKBACK)
    return (
        Automation(
            "installation noted in Auvo",
            trigger=finished,
            filters=[Condition("taskType", "=", INSTALLATION)],
            field_map={
                "id": "{customerId}",
                "note": "Instalação concluída em {taskDate|date:%d/%m/%Y} (tarefa {taskID})",
            },
            action=Action("auvo", "update_customer"),
        ),
        Automation(
            "removal deactivates the Auvo customer",
            trigger=finished,
            filters=[Condition("taskType", "=", REMOVAL), Condition("products", "is empty")],
            field_map={"id": "{customerId}"},
            action=Action("auvo", "set_status", record="customer", status="inactive"),
        ),
        Automation(
            "maintenance with parts billed in the ERP",
            trigger=finished,
            filters=[
                Condition("taskType", "=", MAINTENANCE),
                Condition("products", "is not empty"),
            ],
            field_map=half.sale,
            action=Action(erp, "create_sale"),
        ),
        Automation(
            "inactive in the ERP, inactive in Auvo",
            trigger=Trigger(
                erp, half.customer, field=half.status, to=half.inactive, lookback=LOOKBACK
            ),
            filters=[Condition(half.trade_name, "is not empty")],
            field_map={"id": Lookup("customer")},
            action=Action("auvo", "set_status", record="customer", status="inactive"),
        ),
        Automation(
            "ERP trade name noted in Auvo",
            trigger=Trigger(erp, half.customer, on="changed", lookback=LOOKBACK),
            filters=[
                Condition(half.status, "=", half.active),
                Condition(half.trade_name, "is not empty"),
                Condition(half.mobile, "is not empty"),
            ],
            field_map={
                "id": Lookup("customer"),
                "note": f"Nome fantasia no ERP: {{{half.trade_name}}}",
            },
            action=Action("auvo", "update_customer"),
        ),
    )


def expected_actions(tasks: Sequence[SeededTask], companies: Sequence[Company]) -> list[int]:
    """How many records each automation should act on, in the order declared."""
    return [
        sum(map(installation_done, tasks)),
        sum(map(removal_done, tasks)),
        sum(map(maintenance_done, tasks)),
        sum(map(made_inactive, companies)),
        sum(map(trade_name_to_note, companies)),
    ]


# -- measuring ---------------------------------------------------------------------------------


class Meter(BaseTransport):
    """A fake's transport that counts the requests it answers (logins and tokens apart) and
    the time it spends on them."""

    def __init__(self, inner: BaseTransport) -> None:
        self.inner = inner
        self.calls = 0
        self.auth = 0
        self.seconds = 0.0

    def handle_request(self, request: Request) -> Response:
        began = time.perf_counter()
        response = self.inner.handle_request(request)
        self.seconds += time.perf_counter() - began
        path = request.url.path
        if path.lower().rstrip("/").endswith("/login") or "/oauth/" in path:
            self.auth += 1
        else:
            self.calls += 1
        return response

    def reading(self) -> tuple[int, int, float]:
        return self.calls, self.auth, self.seconds


@attrs.define
class Stage:
    """The automations of one pass: the API calls its report counts, per system; the
    requests the fakes answered (``auth`` of them logins or tokens) and the time they took;
    the wall time."""

    calls: Counter[str] = attrs.field(factory=Counter)
    answered: int = 0
    auth: int = 0
    fake_seconds: dict[str, float] = attrs.field(factory=dict)
    seconds: float = 0.0

    @property
    def fakes(self) -> float:
        """Seconds the fakes took, all together."""
        return sum(self.fake_seconds.values())


@contextlib.contextmanager
def measured_stages(meters: Mapping[str, Meter]) -> Iterator[list[Stage]]:
    """Each pass's automations, measured while inside: the engine's ``run_automations`` is
    wrapped, and put back after."""
    stages: list[Stage] = []
    original: Callable[[Context, Replay | None], None] = vars(engine)["run_automations"]

    def measured(ctx: Context, replay: Replay | None = None) -> None:
        stage = Stage()
        stages.append(stage)
        assert isinstance(ctx.auvo, AuvoSide)
        calls = Counter(ctx.auvo.calls)  # the pass's counter, shared by every adapter
        before = [meter.reading() for meter in meters.values()]
        began = time.perf_counter()
        try:
            original(ctx, replay)
        finally:
            stage.seconds = time.perf_counter() - began
            stage.calls = Counter(ctx.auvo.calls)
            stage.calls.subtract(calls)
            for (name, meter), (answered, auth, seconds) in zip(
                meters.items(), before, strict=True
            ):
                stage.answered += meter.calls - answered
                stage.auth += meter.auth - auth
                stage.fake_seconds[name] = meter.seconds - seconds

    vars(engine)["run_automations"] = measured
    try:
        yield stages
    finally:
        vars(engine)["run_automations"] = original


@attrs.frozen
class World:
    clock: FakeClock
    fake_auvo: FakeAuvo
    auvo: Auvo
    erp: ErpClient
    meters: Mapping[str, Meter]
    companies: tuple[Company, ...]
    tasks: tuple[SeededTask, ...]


def build_world(erp: str, half: ErpHalf, records: int) -> World:
    """The fakes on one simulated clock, seeded as the module's docstring says, and metered
    clients of each (rate limiters off). The clock ends one poll interval before the
    measured pass, when the pass that links the customers runs."""
    clock = FakeClock(start=time.time() - OLD.total_seconds())
    fake_auvo = FakeAuvo(clock=clock, seeded_tasks=False)
    fake = erp_kind(erp).fake.make(clock, False)
    seeding = fake.client(rate_limiter=False, clock=clock)
    tasks_count = int(records * TASK_SHARE)
    rng = random.Random(15)
    documents: set[str] = set()
    while len(documents) < max(1, records - tasks_count):
        documents.add(random_cnpj(rng))
    planned = [seeded_company(n, cnpj) for n, cnpj in enumerate(sorted(documents))]
    old = format_local(datetime.fromtimestamp(clock.time(), UTC))
    for n, company in enumerate(planned):
        fake_auvo.add(
            "customers",
            {
                "id": FIRST_AUVO_CUSTOMER + n,
                "description": company.name,
                "cpfCnpj": company.document,
                "active": True,
                "creationDate": old,
                "dateLastUpdate": old,
            },
        )
    half.add_products(seeding, PART_CODES)
    clock.advance((OLD - timedelta(days=1)).total_seconds())
    erp_ids = half.add_customers(seeding, planned)
    companies = tuple(
        attrs.evolve(company, auvo_id=FIRST_AUVO_CUSTOMER + n, erp_id=erp_id)
        for n, (company, erp_id) in enumerate(zip(planned, erp_ids, strict=True))
    )
    tasks = tuple(seeded_task(n, companies) for n in range(tasks_count))
    clock.advance((timedelta(days=1) - INTERVAL).total_seconds())
    pass_at = datetime.fromtimestamp(clock.time(), UTC) + INTERVAL
    for n, task in enumerate(tasks):
        when = pass_at - timedelta(hours=1) - timedelta(hours=47) * n / max(1, tasks_count)
        fake_auvo.add("tasks", auvo_task(task, when))
    meters = {"auvo": Meter(fake_auvo.transport), erp: Meter(fake.api.transport)}
    auvo_client = Auvo(
        fake_auvo.api_key,
        fake_auvo.api_token,
        transport=meters["auvo"],
        clock=clock,
        rate_limiter=False,
    )
    erp_client = erp_kind(erp).fake.remote_client(
        fake.credentials(), meters[erp], clock=clock, rate_limiter=False
    )
    return World(clock, fake_auvo, auvo_client, erp_client, meters, companies, tasks)


def auvo_task(task: SeededTask, when: datetime) -> dict[str, Any]:
    """``task`` as fake Auvo holds it, dated, created and last changed at ``when``."""
    local = format_local(when)
    record: dict[str, Any] = {
        "taskID": task.ident,
        "idUserFrom": 1,
        "idUserTo": 2,
        "customerId": task.customer.auvo_id,
        "taskType": task.task_type,
        "taskDate": local,
        "creationDate": local,
        "dateLastUpdate": local,
        "finished": task.finished,
        "taskStatus": 5 if task.finished else 1,
        "products": [],
        "services": [],
        "additionalCosts": [],
    }
    if task.part is not None:
        line = {"code": task.part, "name": f"Peça {task.part}", "quantity": "1"}
        record["products"] = [{**line, "productId": task.part, "unitaryValue": "45.00"}]
    if task.finished:
        record["_finishedBy"] = "manual"
    return record


@attrs.frozen
class Minimum:
    """The fewest calls the automations of the first pass can make, by what they are for."""

    lists: int
    reads: int
    actions: int
    lookups: int
    logins: int = 0

    @property
    def total(self) -> int:
        return self.lists + self.reads + self.actions + self.lookups + self.logins


def pages(count: int) -> int:
    return list_reads(count, PAGE)


def minimum(world: World, half: ErpHalf) -> Minimum:
    """From the seeded records: see the module's docstring."""
    tasks, companies = world.tasks, world.companies
    sold = [task for task in tasks if maintenance_done(task)]
    return Minimum(
        lists=pages(len(tasks)) + pages(len(companies)),
        reads=half.reads_per_record * len(companies),
        actions=sum(expected_actions(tasks, companies)) + (half.calls_per_sale - 1) * len(sold),
        lookups=len({task.part for task in sold}),
    )


@attrs.frozen
class Figures:
    """What ``measure`` found: the seeds, the minimum, and the automations of each pass."""

    tasks: int
    customers: int
    minimum: Minimum
    first: Stage
    second: Stage
    reports: tuple[SyncReport, SyncReport]
    expected: list[int]
    linked: int
    """Customers the customers stream linked before the measured pass."""

    @property
    def records(self) -> int:
        return self.tasks + self.customers


def measure(
    erp: str, records: int, linear: Callable[[FakeAuvo], Callable[[], None]] | None = None
) -> Figures:
    """A pass of the streams alone (the customers stream links the customers), then a first
    pass of the five automations over ``records`` trigger records and a second one with no
    changes, each measured around its automations. ``linear`` makes fake Auvo's task list
    linear in the tasks, as a server's index would, and returns what undoes it."""
    half = HALVES[erp]
    world = build_world(erp, half, records)
    undo = linear(world.fake_auvo) if linear is not None else None
    try:
        return _measure(erp, half, world)
    finally:
        if undo is not None:
            undo()


def _measure(erp: str, half: ErpHalf, world: World) -> Figures:
    config = demo_config(
        erp,
        automations=automations(erp, half),
        tasks_enabled=False,
        catalog_enabled=False,
        quotations_enabled=False,
        customers_direction="erp_to_auvo",
        poll_interval=INTERVAL,
    )
    store = SQLiteStore(":memory:")

    def now() -> datetime:
        return datetime.fromtimestamp(world.clock.time(), UTC)

    def run() -> SyncReport:
        return engine.run(config, store, auvo=world.auvo, erp=world.erp, now=now)

    engine.run(attrs.evolve(config, automations=()), store, auvo=world.auvo, erp=world.erp, now=now)
    linked = sum(
        store.find_link_by_erp(config.tenant, "customer", company.erp_id) is not None
        for company in world.companies
    )
    world.clock.advance(INTERVAL.total_seconds())
    with measured_stages(world.meters) as stages:
        first = run()
        world.clock.advance(INTERVAL.total_seconds())
        second = run()
    store.close()
    return Figures(
        len(world.tasks),
        len(world.companies),
        minimum(world, half),
        stages[0],
        stages[1],
        (first, second),
        expected_actions(world.tasks, world.companies),
        linked,
    )
