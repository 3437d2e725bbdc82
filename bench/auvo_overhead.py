"""Auvo SDK overhead as ratios against baselines measured in the same run.

    python bench/auvo_overhead.py [--quick]

Prints:
  1. ``auvo.customers.get`` vs raw ``httpx.Client.get`` + ``json.loads`` on the same
     in-process transport (target <= 1.25);
  2. reference rows, no target: the page's tasks parsed into the same models with every
     amount a float and every datetime naive (what the page costs before any ``Decimal``
     is built or any time zone attached), then with plain ``Decimal`` amounts (which would
     read ``"1.250"`` wrongly, so the client cannot use them), then with those datetimes
     zoned to São Paulo, then as the client types them;
  3. parsing a 100-task page into models, as ``tasks.list`` does, vs ``json.loads`` alone
     (target <= 2.0: every value on the page is typed eagerly, and pydantic-core's own
     ``Decimal`` and zoned datetimes cost most of that);
  4. the client's own rules: that page time over the plain-``Decimal``, zoned reference
     row (target <= 1.15). The page also reads its envelope, which the reference does not.
All page figures come from one process, their batches taken in turn, so a busy machine
slows each of them alike and the ratios hold.
The client's rate limiter is off (it exists to wait; waiting is not overhead) and the
client is logged in before timing (one login per 30 minutes is not per-request cost).
Figures are medians of repeated batches; ratios, not seconds, are what to compare.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Annotated, Any

import httpx
from pydantic import BaseModel, Field, TypeAdapter, create_model
from pydantic.fields import FieldInfo

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "bench"))

from timing import isolated, median_time, medians_in_turn  # noqa: E402

from auvo import Auvo  # noqa: E402
from auvo._envelope import read_page  # noqa: E402
from auvo._types import AuvoModel  # noqa: E402
from auvo.models import Task  # noqa: E402
from sdkcore.models import AmountReader  # noqa: E402

CUSTOMER = {
    "id": 42,
    "externalId": "906",
    "description": "Terêscio",
    "cpfCnpj": "90614997000162",
    "phoneNumber": ["5566123123"],
    "email": ["terenscio@customer.com"],
    "manager": "Oristides",
    "note": "nothing to say",
    "address": "lake yululu",
    "latitude": -16.6872086111083,
    "longitude": -49.2995542287827,
    "groupsId": [1],
    "segmentId": 1,
    "active": True,
    "creationDate": "2019-04-15T15:00:00",
    "dateLastUpdate": "2020-04-23T15:57:08",
    "contacts": [{"id": 1, "name": "contact", "email": "c@example.com", "phone": ""}],
}


def task(i: int) -> dict[str, object]:
    """A task as the live list answers it, with one product and one service."""
    return {
        "taskID": i,
        "externalId": str(i),
        "idUserFrom": 123,
        "userFromName": "Paulo",
        "idUserTo": 124,
        "userToName": "Bruno",
        "customerId": 456,
        "customerExternalId": "10",
        "customerDescription": "Customer x",
        "taskType": 23,
        "taskTypeDescription": "Manutenção",
        "creationDate": "2024-03-23T14:10:35",
        "taskDate": "2024-03-23T18:00:00",
        "latitude": -16.6872086111083,
        "longitude": -49.2995542287827,
        "address": "avenue X",
        "orientation": "Check the unit",
        "priority": 1,
        "deliveredOnSmarthPhone": True,
        "deliveredDate": "2024-03-23T14:11:31",
        "finished": True,
        "report": "ok",
        "visualized": True,
        "visualizedDate": "2024-03-23T14:12:00",
        "checkIn": True,
        "checkInDate": "2024-03-23T18:05:00",
        "checkOut": True,
        "checkOutDate": "2024-03-23T18:10:00",
        "checkinType": 1,
        "equipmentsId": [109638],
        "keyWords": [],
        "inputedKm": 10,
        "adoptedKm": 11,
        "attachments": [],
        "questionnaires": [],
        "signatureUrl": "",
        "checkInDistance": 0,
        "checkOutDistance": 0,
        "sendSatisfactionSurvey": False,
        "survey": "",
        "taskUrl": "https://app.auvo.com.br/informacoes/tarefa/x",
        "pendency": "",
        "dateLastUpdate": "2024-03-23T18:10:00",
        "ticketId": 0,
        "ticketTitle": "",
        "signatureName": "",
        "signatureDocument": "",
        "expense": "1.250,00",
        "duration": "00:05:00",
        "durationDecimal": "0,08",
        "displacementStart": "",
        "products": [
            {
                "productId": "63867f52-b262-410a-a409-cc25ba92ded1",
                "code": "456",
                "name": "Filtro",
                "quantity": 1.0,
                "unitaryValue": 45.9,
                "totalValue": 45.9,
                "userResponsible": "0ca67abc",
                "userResponsibleCode": 123,
                "dateRegister": "2024-03-23T18:08:00",
                "dateEdit": "2024-03-23T18:08:00",
                "discount": {"value": 0.0, "type": "Valor"},
            }
        ],
        "services": [
            {
                "id": "45c57e85-d5b8-4224-b430-0e80163eb7e6",
                "name": "Mão de obra",
                "quantity": 1.0,
                "unitaryValue": 150.0,
                "totalValue": 150.0,
                "userResponsible": "0ca67abc",
                "userResponsibleCode": 123,
                "dateRegister": "2024-03-23T18:09:00",
                "dateEdit": "2024-03-23T18:09:00",
                "discount": {"value": 0.0, "type": "Valor"},
            }
        ],
        "additionalCosts": [],
        "summary": {
            "totalProducts": 45.9,
            "totalServices": 150.0,
            "totalAdditionalCosts": 0.0,
            "totalValue": 195.9,
            "discount": {"value": 0.0, "type": "Valor"},
        },
        "estimatedDuration": "00:00:00",
        "financialCategory": "",
        "taskStatus": 5,
    }


def report(label: str, ours: float, base: float, target: float) -> bool:
    ratio = ours / base
    ok = ratio <= target
    print(
        f"{label:<52} ours {ours * 1e6:9.1f} us  base {base * 1e6:9.1f} us  "
        f"ratio {ratio:5.2f}  target <= {target:<4}  {'ok' if ok else 'MISSED'}"
    )
    return ok


def bench_get(quick: bool) -> bool:
    body = json.dumps({"result": CUSTOMER}).encode()
    login = json.dumps({"result": {"authenticated": True, "accessToken": "t" * 40}}).encode()

    def handler(request: httpx.Request) -> httpx.Response:
        content = login if request.url.path.endswith("/login/") else body
        return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})

    transport = httpx.MockTransport(handler)
    raw = httpx.Client(transport=transport, base_url="https://api.auvo.com.br/v2")
    headers = {"Authorization": "Bearer " + "t" * 40, "Accept": "application/json"}
    client = Auvo("key", "token", transport=transport, rate_limiter=False)
    client.login()

    def baseline() -> object:
        return json.loads(raw.get("/customers/42", headers=headers).content)

    def ours() -> object:
        return client.customers.get(42)

    batch, repeats = (200, 5) if quick else (1000, 21)
    base = median_time(baseline, batch, repeats)
    mine = median_time(ours, batch, repeats)
    return report("auvo customers.get vs httpx.get + json.loads", mine, base, 1.25)


def _retyped(model: type[BaseModel], money: Any, naive: bool, cache: dict[type, Any]) -> Any:
    """``model`` and the models it nests, with amounts as ``money`` (text kept as text) and,
    if ``naive``, datetimes without a zone."""
    if model in cache:
        return cache[model]
    fields: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        annotation: Any = info.rebuild_annotation()
        if any(isinstance(meta, AmountReader) for meta in info.metadata):
            annotation = Annotated[money | str | None, Field(union_mode="left_to_right")]
        elif naive and "_aware" in repr(info.annotation):  # LocalDateTime's union
            annotation = datetime | None
        else:
            for arg in getattr(info.annotation, "__args__", ()):
                inner = getattr(arg, "__args__", (arg,))[0]
                if isinstance(inner, type) and issubclass(inner, AuvoModel):
                    nested = _retyped(inner, money, naive, cache)
                    annotation = (nested if inner is arg else list[nested]) | None  # type: ignore[valid-type]
        alias = FieldInfo(
            default=info.default, alias=info.alias, validation_alias=info.validation_alias
        )
        fields[name] = (annotation, alias)
    cache[model] = create_model(model.__name__, __base__=AuvoModel, **fields)
    return cache[model]


def page_payload() -> bytes:
    return json.dumps(
        {
            "result": {
                "entityList": [task(i) for i in range(100)],
                "pagedSearchReturnData": {
                    "order": 0,
                    "pageSize": 100,
                    "page": 1,
                    "totalItems": 250,
                },
                "links": [{"href": "x", "rel": "nextPage", "method": "GET"}],
            }
        }
    ).encode()


ZONED_DECIMAL = "amounts as plain Decimal, datetimes zoned"


def bench_page(quick: bool) -> list[bool]:
    payload = page_payload()
    response = httpx.Response(
        200, content=payload, request=httpx.Request("GET", "https://api.auvo.com.br/v2/tasks/")
    )
    tasks = json.dumps([task(i) for i in range(100)]).encode()
    timed: dict[str, Callable[[], object]] = {
        "json.loads": lambda: json.loads(payload),
        "page": lambda: read_page(Task, response, 1, 100),
    }
    for money, naive in ((float, True), (Decimal, True), (Decimal, False)):
        retyped = _retyped(Task, money, naive, {})
        fields = retyped.model_fields
        # A renamed type would leave the reference measuring the client's own models.
        assert fields["expense"].annotation != Task.model_fields["expense"].annotation
        assert not naive or fields["task_date"].annotation == datetime | None
        reference: TypeAdapter[list[Any]] = TypeAdapter(list[retyped])  # type: ignore[valid-type]
        label = f"amounts as plain {money.__name__}, datetimes {'naive' if naive else 'zoned'}"
        timed[label] = partial(reference.validate_json, tasks)
    client_typed = TypeAdapter(list[Task])
    timed["the same, as the client types it"] = lambda: client_typed.validate_json(tasks)

    batch, repeats = (5, 5) if quick else (20, 21)
    times = medians_in_turn(timed, batch, repeats)
    base = times.pop("json.loads")
    page = times.pop("page")
    for label, seconds in times.items():
        print(f"  reference: {label:<45} ratio {seconds / base:5.2f}")
    return [
        report("auvo parse a 100-task page vs json.loads", page, base, 2.0),
        report(
            "auvo own rules: page vs plain-Decimal zoned reference",
            page,
            times[ZONED_DECIMAL],
            1.15,
        ),
    ]


def main() -> int:
    quick = "--quick" in sys.argv
    results = [isolated(bench_get, quick), *isolated(bench_page, quick)]
    print(f"{sum(results)}/{len(results)} targets met")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
