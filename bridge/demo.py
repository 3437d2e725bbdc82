"""The demo: fake Auvo and a fake ERP, seeded so a first sync has work to do."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from auvo.testing import FakeAuvo
from sdkcore.dates import SAO_PAULO

from .config import BridgeConfig
from .erp.port import ErpClient
from .erp.registry import DEFAULT_ERP, erp_kind
from .report import SyncReport

__all__ = ["SEEDED_FAILURE", "demo_config", "explain", "seed_auvo", "seed_erp"]

FILTER = "00000000-0000-0000-0000-000000000001"  # the fake's "Filtro de ar"
GAS = "00000000-0000-0000-0000-000000000002"
COMPRESSOR = "00000000-0000-0000-0000-000000000003"  # not sold by the ERP: a dead letter
LABOUR = "11111111-1111-1111-1111-111111111111"  # "Mão de obra"
TRAVEL = "22222222-2222-2222-2222-222222222222"  # "Deslocamento"

SEEDED_FAILURE = "task:505"
"""The task the demo seeds to fail: it sells the compressor, which no ERP's catalog has."""


def demo_config(erp: str = DEFAULT_ERP, **changes: Any) -> BridgeConfig:
    """The demo tenant's settings on ``erp``, with what its fake needs (``changes`` win)."""
    values: dict[str, Any] = {
        "erp": erp,
        "tenant": "demo",
        "customers_direction": "both",
        "quotations_enabled": True,
        **erp_kind(erp).fake.demo_settings,
    }
    values.update(changes)
    return BridgeConfig(**values)


def _local(moment: datetime) -> str:
    return moment.astimezone(SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")


def _product(guid: str, name: str, quantity: str, price: str) -> dict[str, Any]:
    total = Decimal(quantity) * Decimal(price)
    return {
        "productId": guid,
        "name": name,
        "quantity": quantity,
        "unitaryValue": price,
        "totalValue": f"{total:.2f}",
    }


def _service(guid: str, name: str, quantity: str, price: str) -> dict[str, Any]:
    total = Decimal(quantity) * Decimal(price)
    return {
        "id": guid,
        "name": name,
        "quantity": quantity,
        "unitaryValue": price,
        "totalValue": f"{total:.2f}",
    }


def seed_auvo(fake: FakeAuvo, now: datetime | None = None, tasks: int = 8) -> None:
    """Tasks in every status dated within the week before ``now``, most with values."""
    now = now or datetime.now(UTC)
    statuses = ((5, "manual"), (5, "auto"), (1, None), (4, None), (6, None), (5, "manual"))
    for n in range(tasks):
        status, finished_by = statuses[n % len(statuses)]
        when = now - timedelta(days=1 + n % 6, hours=n)
        products: list[dict[str, Any]] = []
        services: list[dict[str, Any]] = []
        costs: list[dict[str, Any]] = []
        if n % 4 in (0, 1):
            products.append(_product(FILTER, "Filtro de ar", "2", "45.90"))
        if n % 4 in (0, 2):
            services.append(_service(LABOUR, "Mão de obra", "1.5", "150.00"))
            costs.append({"additionalCostId": "1", "name": "Estacionamento", "unitaryValue": 12})
        if n == 5:
            products = [_product(COMPRESSOR, "Compressor", "1", "2500.00")]
        fake.add(
            "tasks",
            {
                "taskID": 500 + n,
                "externalId": f"D-{n}",
                "idUserFrom": 1,
                "idUserTo": 2,
                "customerId": 1 + n % 3,
                "taskType": 1 + n % 3,
                "taskDate": _local(when),
                "creationDate": _local(when - timedelta(days=1)),
                "dateLastUpdate": _local(when + timedelta(hours=2)),
                "finished": finished_by is not None,
                "taskStatus": status,
                "products": products,
                "services": services,
                "additionalCosts": costs,
                "_finishedBy": finished_by,
            },
        )


def seed_erp(erp: str, client: ErpClient) -> None:
    """Through ``client`` (of ``erp``'s fake): an ERP catalog that sells what the demo tasks
    use, and a customer of each kind."""
    erp_kind(erp).fake.seed_demo(client)


def explain(first: SyncReport, second: SyncReport) -> list[str]:
    """What a person should read in the demo's two reports: the failure it seeds on purpose,
    and what the second pass did, in words that agree with the reports above them."""
    lines = []
    if SEEDED_FAILURE in _failures(first):
        lines += [
            f"{SEEDED_FAILURE} failed on purpose: the demo's task sells a compressor the ERP's",
            "catalog does not have (ItemNotSellable). The bridge dead-lettered it and tries it",
            "again on later passes: once the item exists in the ERP, a pass bills it. Until",
            "then each pass is partial, and `python -m bridge sync` exits 1.",
        ]
    changed = "nothing changed" if not second.changed else f"{second.changed} changes"
    again = _failures(second)
    if SEEDED_FAILURE in again:
        changed += f"; {SEEDED_FAILURE} failed again, as seeded (still dead-lettered)"
    others = [ref for ref in again if ref != SEEDED_FAILURE]
    if others:
        changed += f"; also failed: {', '.join(others)}"
    return [*lines, f"second pass: {changed}"]


def _failures(report: SyncReport) -> list[str]:
    return [error["ref"] for stream in report.streams.values() for error in stream.errors]
