"""``python -m contaazul demo``: a walkthrough of the client against the bundled fake.

Creates customers and a service sale with installments and taxes, lists what changed
since a moment, and prints two reports. Nothing leaves this machine.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import TextIO

from sdkcore.clock import FakeClock
from sdkcore.dates import SAO_PAULO
from sdkcore.logs import LogLevelError, level_from_environment

from . import (
    ContaAzul,
    Customer,
    Deal,
    DealItem,
    Task,
    deal_total,
    installments,
    net_of_taxes,
    taxes,
)


def demo(
    ca: ContaAzul,
    now: Callable[[], datetime],
    wait: Callable[[float], None],
    out: TextIO | None = None,
) -> None:
    """The walkthrough; ``now`` and ``wait`` are the fake's clock, so nothing sleeps."""

    def say(text: str = "") -> None:
        print(text, file=out or sys.stdout)

    say("== Conta Azul walkthrough (fake API, in process) ==")
    accounts = {a.name: a.id for a in ca.bank_accounts.list()}
    say(f"bank accounts: {', '.join(sorted(str(n) for n in accounts))}")
    sale_type = next(t for t in ca.deal_types.list() if t.operation == "S")

    first = ca.customers.create(
        Customer(name="Oficina Silva Ltda", document_number="83.575.050/0001-24", kind="ENTITY")
    )
    say(f"created customer #{first.id} at {first.location}")
    wait(60)  # If-Modified-Since has one-second resolution
    moment = now()
    wait(60)
    second = ca.customers.create(Customer(name="Maria Souza", email="maria@example.com"))
    say(f"created customer #{second.id}")

    service = ca.services.create(Task(name="Manutenção preventiva", rate=Decimal("350.00")))
    items = [DealItem(item_id=service.id, quantity=Decimal("4"), rate=Decimal("350.00"))]
    draft = Deal(contact_id=second.id, deal_type_id=sale_type.id, items=items)
    total = deal_total(draft)
    withheld = taxes({"ISS": 2, "COFINS": 3}, total)
    payable = net_of_taxes(total, withheld)
    plan = installments(payable, "30 60 90", now().date())
    sale = ca.service_sales.create(
        draft.model_copy(
            update={
                "bank_account_id": accounts.get("Caixinha"),
                "payments": plan,
                "taxes": withheld,
            }
        )
    )
    say(
        f"service sale #{sale.id}: total {total}, "
        f"taxes withheld {total - payable}, payable {payable}"
    )
    for payment in plan:
        say(f"  {payment.observation}: {payment.payment_date} R$ {payment.value}")

    changed = [c.name for c in ca.customers.list(modified_since=moment)]
    say(f"customers changed since {moment.astimezone(SAO_PAULO):%Y-%m-%d %H:%M:%S}: {changed}")

    say("")
    say("== report: monthly sales by customer ==")
    for row in ca.reports.monthly_sales():
        who = row.customer.name if row.customer else "-"
        say(f"  {row.month:%Y-%m}  {who:<24} R$ {row.value:>10}")
    say("== report: revenues by category ==")
    names = {c.id: c.description for c in ca.finance_categories.list()}
    for month in ca.reports.revenues_by_category():
        for part in month.categories or []:
            label = names.get(part.category_id, part.category_id)
            say(f"  {month.date:%Y-%m}  {label!s:<24} R$ {part.sum:>10}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m contaazul")
    parser.add_argument("command", choices=["demo"])
    parser.parse_args(argv)
    try:
        level_from_environment()  # the client reads PONTE_LOG: a bad value is one line here
    except LogLevelError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from .testing import FakeContaAzul

    clock = FakeClock(start=datetime.now(UTC).timestamp())
    fake = FakeContaAzul(clock=clock)
    with fake.client() as ca:
        demo(ca, lambda: datetime.fromtimestamp(clock.time(), UTC), clock.advance)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
