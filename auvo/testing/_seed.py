"""The data a fresh ``FakeAuvo`` starts with: a small field-service company.

``seed=0`` is the reference set (the ids and names the docs and the bridge demo use); any
other seed draws other ids, people, customers, items and amounts from the same pools, as
valid. Every date is relative to the fake's clock, in naive Brasília time as Auvo sends
it: tasks, quotations, expenses, tickets and positions fall within the week before it.
"""

from __future__ import annotations

import random
import unicodedata
import uuid
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from sdkcore.money import CENT
from sdkcore.testing.documents import random_cnpj, random_cpf

if TYPE_CHECKING:
    from ._fake import FakeAuvo

T = TypeVar("T")

ADMINS = ("Ana Admin", "Carla Gestora", "Diego Supervisor")
TECHNICIANS = ("Bruno Técnico", "Eduardo Campos", "Fernanda Lima", "Gustavo Reis")
COMPANIES = (
    "Padaria Pão Quente",
    "Clínica Boa Saúde",
    "Mercado Bom Preço",
    "Hotel Serra Azul",
    "Escola Aprender",
    "Restaurante Sabor Goiano",
)
PEOPLE = ("Maria da Silva", "João Pereira", "Luiza Almeida", "Rafael Souza")
# Valid check digits: the SDKs refuse to write a CPF or CNPJ without them (the bridge copies
# these customers into the ERP).
REFERENCE_DOCUMENTS = ("12345679000130", "98765432000198", "12345678909")
# name, price, cost
PRODUCTS = (
    ("Filtro de ar", "45.90", "20.00"),
    ("Gás R-410A", "120.00", "80.00"),
    ("Compressor", "2500.00", "1800.00"),
    ("Capacitor 35 µF", "38.50", "15.00"),
    ("Controle remoto universal", "59.90", "25.00"),
    ("Tubo de cobre 1/4", "32.00", "18.50"),
)
REFERENCE_PRODUCT_IDS = tuple(f"00000000-0000-0000-0000-00000000000{n}" for n in (1, 2, 3))
SERVICES = (
    ("Mão de obra", "150.00"),
    ("Deslocamento", "35.50"),
    ("Limpeza de split", "120.00"),
    ("Carga de gás", "180.00"),
)
REFERENCE_SERVICE_IDS = (
    "11111111-1111-1111-1111-111111111111",
    "22222222-2222-2222-2222-222222222222",
)
REFERENCE_PROJECT_ID = "48786aad-e3f8-4245-8934-ce983520c38c"
TASK_TYPES = ("Manutenção preventiva", "Instalação", "Visita técnica")
# taskStatus and how a finished task was finished: one task of each
STATUSES = ((1, None), (2, None), (3, None), (4, None), (5, "auto"), (5, "manual"), (6, None))
# days before today and time of day of each reference task
REFERENCE_SCHEDULE = (
    (6, 9, 30),
    (5, 9, 30),
    (4, 9, 30),
    (3, 9, 30),
    (2, 9, 30),
    (1, 9, 30),
    (1, 14, 0),
)
QUOTATION_STAGES = (
    {"id": 1, "description": "Aprovado", "position": 2, "changeStock": True},
    {"id": 2, "description": "Em análise", "position": 1, "changeStock": False},
    {"id": 3, "description": "Recusado", "position": 3, "isCancelled": True},
)


def _br(value: Decimal) -> str:
    """``2.500,00``: how Auvo writes most amounts."""
    return f"{value:,.2f}".translate(str.maketrans(",.", ".,"))


def _dollar(value: Decimal) -> str:
    return f"${value:.2f}"


def _plain(value: Decimal) -> str:
    return f"{value:.2f}"


def _text(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S")


def _login(name: str) -> str:
    first = name.split()[0].lower()
    return unicodedata.normalize("NFKD", first).encode("ascii", "ignore").decode()


@attrs.define
class _Draw:
    """The reference values for seed 0, and draws from ``rng`` for any other seed."""

    seed: int
    today: date
    rng: random.Random = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    @property
    def reference(self) -> bool:
        return self.seed == 0

    def pick(self, pool: Sequence[T], count: int) -> list[T]:
        return list(pool[:count]) if self.reference else self.rng.sample(list(pool), count)

    def shift(self) -> int:
        """How far this seed moves a collection's ids (new records start at 10 000)."""
        return 0 if self.reference else self.rng.randrange(1, 90) * 100

    def amount(self, text: str) -> Decimal:
        value = Decimal(text)
        if self.reference:
            return value
        return (value * Decimal(self.rng.randint(80, 125)) / 100).quantize(CENT)

    def guid(self, reference: str) -> str:
        return reference if self.reference else str(uuid.UUID(int=self.rng.getrandbits(128)))

    def at(self, days_before: int, hour: int, minute: int = 0) -> datetime:
        """A naive Brasília time ``days_before`` today (1 to 6 stays within the week)."""
        return datetime.combine(self.today - timedelta(days=days_before), time(hour, minute))

    def schedule(self) -> list[datetime]:
        if self.reference:
            return [self.at(*when) for when in REFERENCE_SCHEDULE]
        times = [
            self.at(self.rng.randint(1, 6), self.rng.randint(7, 16), self.rng.choice((0, 15, 30)))
            for _ in STATUSES
        ]
        return sorted(times)


def populate(fake: FakeAuvo, seed: int = 0, *, tasks: bool = True) -> None:
    """Fill an empty ``fake`` with the data set of ``seed``, dated back from its clock's now;
    ``tasks=False`` leaves out the tasks and what refers to them (surveys)."""
    now = fake._now().replace(second=0, microsecond=0)
    draw = _Draw(seed, now.date())
    add = fake.add
    long_ago = _text(draw.at(365, 8))

    # -- people and reference data ------------------------------------------------------
    user_base = draw.shift()
    admin, technician = draw.pick(ADMINS, 1)[0], draw.pick(TECHNICIANS, 1)[0]
    admin_id, technician_id = 1 + user_base, 2 + user_base
    for ident, name, kind, label in (
        (admin_id, admin, 3, "Administrator"),
        (technician_id, technician, 1, "User"),
    ):
        add(
            "users",
            {
                "userId": ident,
                "externalId": f"U{ident}",
                "name": name,
                "login": _login(name),
                "smartphoneNumber": f"6299999{ident:04d}",
                "userType": {"userTypeId": kind, "description": label},
            },
        )
    team = add(
        "teams",
        {
            "id": 1 + draw.shift(),
            "description": "Campo",
            "teamUsers": [technician],
            "teamManagers": [admin],
            "creationDate": long_ago,
        },
    )
    group_base = draw.shift()
    contracts, walk_ins = 1 + group_base, 2 + group_base
    add("customergroups", {"id": contracts, "description": "Contratos"})
    add("customergroups", {"id": walk_ins, "description": "Avulsos"})
    segment = add(
        "segments",
        {"id": 1 + draw.shift(), "description": "Comércio", "registrationDate": long_ago},
    )
    keyword_base = draw.shift()
    urgent = add("keywords", {"id": 1 + keyword_base, "description": "urgente"})
    add("keywords", {"id": 2 + keyword_base, "description": "garantia"})
    type_base = draw.shift()
    for n, name in enumerate(TASK_TYPES, start=1):
        add(
            "tasktypes",
            {
                "id": n + type_base,
                "description": name,
                "active": True,
                "creationDate": long_ago,
                "standardTime": "01:00:00",
            },
        )
    checklist = add(
        "questionnaires",
        {
            "id": 1 + draw.shift(),
            "description": "Checklist",
            "questions": [
                {
                    "id": 1,
                    "answerType": 2,
                    "description": "Equipamento ligado?",
                    "requiredAnswer": True,
                }
            ],
        },
    )

    # -- customers ------------------------------------------------------------------------
    customer_base = draw.shift()
    names = [*draw.pick(COMPANIES, 2), draw.pick(PEOPLE, 1)[0]]
    customers: list[dict[str, Any]] = []
    for n, name in enumerate(names, start=1):
        ident = n + customer_base
        if draw.reference:
            document = REFERENCE_DOCUMENTS[n - 1]
        else:
            document = random_cnpj(draw.rng) if n < 3 else random_cpf(draw.rng)
        customers.append(
            add(
                "customers",
                {
                    "id": ident,
                    "externalId": f"C{ident}",
                    "description": name,
                    "cpfCnpj": document,
                    "phoneNumber": [f"629999{ident:05d}"],
                    "email": [f"cliente{ident}@example.com"],
                    "address": "Rua 1, Goiânia - GO",
                    "groupsId": [contracts] if n < 3 else [walk_ins],
                    "segmentId": segment["id"],
                    "active": True,
                    "creationDate": _text(draw.at(180, 8)),
                    "dateLastUpdate": _text(draw.at(4 - n, 8)),
                    "contacts": [],
                },
            )
        )

    # -- catalog --------------------------------------------------------------------------
    category = add(
        "productcategories", {"id": 1 + draw.shift(), "externalId": "PC1", "description": "Peças"}
    )
    product_base = draw.shift()
    price_formats, cost_formats = (_br, _dollar, _br), (_br, _plain, _br)
    products: list[tuple[dict[str, Any], Decimal]] = []
    for n, (name, base_price, base_cost) in enumerate(draw.pick(PRODUCTS, 3), start=1):
        ident = n + product_base
        value = draw.amount(base_price)
        record = add(
            "products",
            {
                "id": ident,
                "code": str(ident),
                "productId": draw.guid(REFERENCE_PRODUCT_IDS[n - 1]),
                "externalId": f"P{ident}",
                "name": name,
                "categoryId": category["id"],
                "unitaryValue": price_formats[n - 1](value),
                "unitaryCost": cost_formats[n - 1](draw.amount(base_cost)),
                "minimumStock": "5",
                "totalStock": 50 if n < 3 else 2,
                "active": True,
                "employeesStock": [],
            },
        )
        products.append((record, value))
    for n, (title, base_price) in enumerate(draw.pick(SERVICES, 2)):
        add(
            "services",
            {
                "id": draw.guid(REFERENCE_SERVICE_IDS[n]),
                "title": title,
                "price": _plain(draw.amount(base_price)),
                "active": True,
            },
        )

    # -- tasks: one in each status, within the week before now -------------------------------
    task_base = draw.shift()
    task_records: list[dict[str, Any]] = []
    for n, ((status, finished_by), when) in enumerate(zip(STATUSES, draw.schedule(), strict=True)):
        customer = customers[n % 3] if draw.reference else draw.rng.choice(customers)
        task = _task(100 + n + task_base, when, status, finished_by, draw.amount("1250.50"))
        task.update(
            {
                "idUserFrom": admin_id,
                "idUserTo": technician_id,
                "userFromName": admin,
                "userToName": technician,
                "customerId": customer["id"],
                "customerDescription": customer["description"],
                "taskType": 1 + type_base,
                "taskTypeDescription": TASK_TYPES[0],
                "priority": 1 + n % 3,
            }
        )
        if status == 4:
            task["pendency"] = "Aguardando peça"
            task["keyWords"] = [str(urgent["id"])]
            task["keyWordsDescriptions"] = [urgent["description"]]
        if finished_by is not None:
            task["questionnaires"] = [
                {
                    "itemId": str(n),
                    "questionnaireId": checklist["id"],
                    "questionnaireDescription": checklist["description"],
                    "answers": [],
                }
            ]
        task_records.append(add("tasks", task) if tasks else task)

    # -- quotations in several stages ---------------------------------------------------------
    quotation_base = draw.shift()
    for n, (customer, requester, (product, price), quantity, stage, when) in enumerate(
        (
            (customers[0], admin_id, products[0], 2, 0, draw.at(5, 10)),
            (customers[1], admin_id, products[0], 1, 1, draw.at(2, 10)),
            (customers[2], technician_id, products[1], 3, 2, draw.at(1, 15)),
        ),
        start=1,
    ):
        total = price * quantity
        quotation: dict[str, Any] = {
            "publicId": n + quotation_base,
            "customerId": customer["id"],
            "customerName": customer["description"],
            "descount": (_br, _dollar, _br)[n - 1](Decimal("0.00")),
            "requesterUserId": requester,
            "registerDate": _text(when),
            "requestDate": _text(when),
            "products": [
                {"productId": product["id"], "amout": quantity, "UnitaryValue": _br(price)}
            ],
            "CurrentStage": dict(QUOTATION_STAGES[stage]),
        }
        if n != 2:
            quotation["summary"] = {
                "totalProducts": float(total),
                "totalServices": 0,
                "netTotalValue": float(total),
                "grossTotalValue": float(total),
                "discount": {"type": "Monetario", "value": 0},
            }
        if n == 1 and tasks:
            quotation["taskID"] = task_records[4]["taskID"]
        add("quotations", quotation)

    # -- expenses, equipment, tickets, projects, positions, surveys -------------------------
    expense_type_base = draw.shift()
    add("expensetypes", {"id": 1 + expense_type_base, "description": "Combustível"})
    add("expensetypes", {"id": 2 + expense_type_base, "description": "Alimentação"})
    expense_base = draw.shift()
    for n, (user, kind, when, spent, text) in enumerate(
        (
            (technician_id, 1, draw.at(2, 12), "150.25", "Gasolina"),
            (admin_id, 2, draw.at(4, 12, 30), "42.90", "Almoço"),
        ),
        start=1,
    ):
        add(
            "expenses",
            {
                "id": n + expense_base,
                "userToId": user,
                "typeId": kind + expense_type_base,
                "date": _text(when),
                "amount": float(draw.amount(spent)),
                "description": text,
            },
        )
    equipment_category = add(
        "equipmentcategories", {"id": 1 + draw.shift(), "description": "Ar-condicionado"}
    )
    equipment_base = draw.shift()
    split = add(
        "equipments",
        {
            "id": 1 + equipment_base,
            "externalId": f"E{1 + equipment_base}",
            "name": "Split 12000",
            "identifier": f"SPL-{1 + equipment_base:04d}",
            "parentEquipmentId": 0,
            "associatedCustomerId": customers[0]["id"],
            "associatedUserId": 0,
            "categoryId": equipment_category["id"],
            "active": True,
        },
    )
    add(
        "equipments",
        {
            "id": 2 + equipment_base,
            "externalId": f"E{2 + equipment_base}",
            "name": "Condensadora 12000",
            "identifier": f"CND-{2 + equipment_base:04d}",
            "parentEquipmentId": split["id"],
            "associatedCustomerId": customers[1]["id"],
            "associatedUserId": technician_id,
            "categoryId": equipment_category["id"],
            "active": False,
        },
    )
    ticket_base = draw.shift()
    for n, (title, customer, status_type, responsible, when) in enumerate(
        (
            ("Ar pingando", customers[0], "Abertura", technician_id, draw.at(3, 8, 15)),
            ("Barulho no compressor", customers[2], "Encerramento", admin_id, draw.at(6, 16)),
        ),
        start=1,
    ):
        add(
            "tickets",
            {
                "id": n + ticket_base,
                "title": title,
                "customerId": customer["id"],
                "customerName": customer["description"],
                "priority": 2,
                "teamId": team["id"],
                "userCreatorId": admin_id,
                "userResponsableId": responsible,
                "statusType": status_type,
                "creationDate": _text(when),
                "taskIDs": [],
            },
        )
    add(
        "serviceorders",
        {
            "id": draw.guid(REFERENCE_PROJECT_ID),
            "projectCode": 1 + draw.shift(),
            "externalCode": "OS-1",
            "customerId": customers[0]["id"],
            "customerName": customers[0]["description"],
            "description": "Contrato anual",
            "priority": 2,
            "keywords": [{"id": urgent["id"], "name": urgent["description"]}],
            "equipments": [{"id": split["id"], "name": split["name"]}],
        },
    )
    add(
        "gps",
        {
            "userId": technician_id,
            "positionDate": _text((now - timedelta(minutes=20)).replace(tzinfo=None)),
            "latitude": -16.68,
            "longitude": -49.29,
        },
    )
    add(
        "gps",
        {
            "userId": admin_id,
            "positionDate": _text(draw.at(1, 17, 30)),
            "latitude": -16.70,
            "longitude": -49.27,
        },
    )
    survey_base = draw.shift()
    for n, task in enumerate(task_records[4:6] if tasks else [], start=1):
        add(
            "satisfactionsurveys",
            {
                "id": n + survey_base,
                "taskID": task["taskID"],
                "answerDescription": ("Ótimo", "Bom")[n - 1],
                "email": f"cliente{task['customerId']}@example.com",
            },
        )


def _task(
    ident: int, when: datetime, status: int, finished_by: str | None, expense: Decimal
) -> dict[str, Any]:
    """A task dated ``when`` (naive Brasília), its check-in and out following the status."""
    checked_in, checked_out = status >= 3, status >= 4
    return {
        "taskID": ident,
        "externalId": f"T-{ident}",
        "creationDate": _text(when - timedelta(hours=2, minutes=30)),
        "taskDate": _text(when),
        "latitude": -16.6872,
        "longitude": -49.2995,
        "address": "Rua 1, Goiânia - GO",
        "orientation": "Verificar o equipamento",
        "finished": finished_by is not None,
        "checkIn": checked_in,
        "checkInDate": _text(when + timedelta(minutes=5)) if checked_in else "",
        "checkOut": checked_out,
        "checkOutDate": _text(when + timedelta(minutes=70)) if checked_out else "",
        "deliveredDate": "0001-01-01T00:00:00",
        "dateLastUpdate": _text(when + timedelta(minutes=90)),
        "expense": _br(expense),
        "products": [],
        "services": [],
        "additionalCosts": [],
        "keyWords": [],
        "pendency": "",
        "taskStatus": status,
        "_finishedBy": finished_by,
    }
