"""The data a fresh ``FakeAuvo`` starts with: a small field-service company."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._fake import FakeAuvo


def _task(
    ident: int, day: int, customer: int, status: int, finished_by: str | None, **extra: Any
) -> dict[str, Any]:
    finished = finished_by is not None
    task = {
        "taskID": ident,
        "externalId": f"T-{ident}",
        "idUserFrom": 1,
        "idUserTo": 2,
        "userFromName": "Ana Admin",
        "userToName": "Bruno Técnico",
        "customerId": customer,
        "customerDescription": f"Cliente {customer}",
        "taskType": 1,
        "taskTypeDescription": "Manutenção preventiva",
        "creationDate": f"2024-01-{day:02d}T07:00:00",
        "taskDate": f"2024-01-{day:02d}T09:30:00",
        "latitude": -16.6872,
        "longitude": -49.2995,
        "address": "Rua 1, Goiânia - GO",
        "orientation": "Verificar o equipamento",
        "priority": 2,
        "finished": finished,
        "checkIn": status >= 3,
        "checkInDate": f"2024-01-{day:02d}T09:35:00" if status >= 3 else "",
        "checkOut": status >= 4,
        "checkOutDate": f"2024-01-{day:02d}T10:40:00" if status >= 4 else "",
        "deliveredDate": "0001-01-01T00:00:00",
        "dateLastUpdate": f"2024-01-{day:02d}T11:00:00",
        "expense": "1.250,50",
        "products": [],
        "services": [],
        "additionalCosts": [],
        "taskStatus": status,
        "_finishedBy": finished_by,
    }
    task.update(extra)
    return task


def seed(fake: FakeAuvo) -> None:
    add = fake.add
    add(
        "users",
        {
            "userId": 1,
            "externalId": "U1",
            "name": "Ana Admin",
            "login": "ana",
            "userType": {"userTypeId": 3, "description": "Administrator"},
        },
    )
    add(
        "users",
        {
            "userId": 2,
            "externalId": "U2",
            "name": "Bruno Técnico",
            "login": "bruno",
            "userType": {"userTypeId": 1, "description": "User"},
        },
    )
    add(
        "teams",
        {
            "id": 1,
            "description": "Campo",
            "teamUsers": ["Bruno Técnico"],
            "teamManagers": ["Ana Admin"],
            "creationDate": "2023-01-01T08:00:00",
        },
    )
    add("customergroups", {"id": 1, "description": "Contratos"})
    add("customergroups", {"id": 2, "description": "Avulsos"})
    for ident, name, groups, doc in (
        (1, "Padaria Pão Quente", [1], "12345678000190"),
        (2, "Clínica Boa Saúde", [1], "98765432000110"),
        (3, "Maria da Silva", [2], "12345678909"),
    ):
        add(
            "customers",
            {
                "id": ident,
                "externalId": f"C{ident}",
                "description": name,
                "cpfCnpj": doc,
                "phoneNumber": ["62999990000"],
                "email": [f"cliente{ident}@example.com"],
                "address": "Rua 1, Goiânia - GO",
                "groupsId": groups,
                "segmentId": 1,
                "active": True,
                "creationDate": "2023-06-01T08:00:00",
                "dateLastUpdate": f"2023-12-{10 + ident:02d}T08:00:00",
                "contacts": [],
            },
        )
    add("segments", {"id": 1, "description": "Comércio", "registrationDate": "2023-01-01T08:00:00"})
    add("keywords", {"id": 1, "description": "urgente"})
    add("keywords", {"id": 2, "description": "garantia"})
    for ident, name in ((1, "Manutenção preventiva"), (2, "Instalação"), (3, "Visita técnica")):
        add(
            "tasktypes",
            {
                "id": ident,
                "description": name,
                "active": True,
                "creationDate": "2023-01-01T08:00:00",
                "standardTime": "01:00:00",
            },
        )
    add(
        "questionnaires",
        {
            "id": 1,
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
    add("productcategories", {"id": 1, "externalId": "PC1", "description": "Peças"})
    for ident, name, price, cost in (
        (1, "Filtro de ar", "45,90", "20,00"),
        (2, "Gás R-410A", "$120.00", "80.00"),
        (3, "Compressor", "2.500,00", "1.800,00"),
    ):
        add(
            "products",
            {
                "id": ident,
                "code": str(ident),
                "productId": f"00000000-0000-0000-0000-00000000000{ident}",
                "externalId": f"P{ident}",
                "name": name,
                "categoryId": 1,
                "unitaryValue": price,
                "unitaryCost": cost,
                "minimumStock": "5",
                "totalStock": 50,
                "active": True,
                "employeesStock": [],
            },
        )
    for guid, title, price in (
        ("11111111-1111-1111-1111-111111111111", "Mão de obra", "150.00"),
        ("22222222-2222-2222-2222-222222222222", "Deslocamento", "35.50"),
    ):
        add("services", {"id": guid, "title": title, "price": price, "active": True})
    statuses = ((1, None), (2, None), (3, None), (4, None), (5, "auto"), (5, "manual"), (6, None))
    for offset, (status, finished_by) in enumerate(statuses):
        add("tasks", _task(100 + offset, 3 + offset * 4, 1 + offset % 3, status, finished_by))
    add(
        "quotations",
        {
            "publicId": 1,
            "customerId": 1,
            "customerName": "Padaria Pão Quente",
            "taskID": 104,
            "descount": "0,00",
            "requesterUserId": 1,
            "registerDate": "2024-01-02T10:00:00",
            "requestDate": "2024-01-02T10:00:00",
            "products": [{"productId": 1, "amout": 2, "UnitaryValue": "45,90"}],
            "summary": {
                "totalProducts": 91.8,
                "totalServices": 0,
                "netTotalValue": 91.8,
                "grossTotalValue": 91.8,
                "discount": {"type": "Monetario", "value": 0},
            },
            "CurrentStage": {"id": 1, "description": "Aprovado", "position": 2},
        },
    )
    add(
        "quotations",
        {
            "publicId": 2,
            "customerId": 2,
            "customerName": "Clínica Boa Saúde",
            "descount": "$0.00",
            "requestDate": "2024-01-05T10:00:00",
            "products": [{"productId": 3, "amout": 1, "UnitaryValue": "2.500,00"}],
            "CurrentStage": {"id": 2, "description": "Em análise", "position": 1},
        },
    )
    add("expensetypes", {"id": 1, "description": "Combustível"})
    add(
        "expenses",
        {
            "id": 1,
            "userToId": 2,
            "typeId": 1,
            "date": "2024-01-05T12:00:00",
            "amount": 150.25,
            "description": "Gasolina",
        },
    )
    add("equipmentcategories", {"id": 1, "description": "Ar-condicionado"})
    add(
        "equipments",
        {
            "id": 1,
            "name": "Split 12000",
            "associatedCustomerId": 1,
            "categoryId": 1,
            "active": True,
        },
    )
    add("tickets", {"id": 1, "title": "Ar pingando", "customerId": 1, "priority": 2})
    add(
        "serviceorders",
        {
            "id": "48786aad-e3f8-4245-8934-ce983520c38c",
            "projectCode": 1,
            "customerId": 1,
            "description": "Contrato anual",
        },
    )
    add(
        "gps",
        {
            "userId": 2,
            "positionDate": "2024-01-05T09:00:00",
            "latitude": -16.68,
            "longitude": -49.29,
        },
    )
    add("satisfactionsurveys", {"id": 1, "taskID": 104, "answerDescription": "Ótimo"})
