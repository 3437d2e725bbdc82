"""Conta Azul sales under the faults the reserved ``numero`` must survive, on the adapter and
``FakeContaAzul``: a create that fails keeps its number from the next sale (the next number
the API hands out holds nothing), a sale under the number is this one only when its total is
this sale's, a sale the read does not show yet is not made twice, and a sale the API would
refuse takes no number. Also the amounts the API refuses (an installment of 0.00, a total of
zero) and the phone, read from the field the people list answers."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import attrs
import httpx
import pytest

from bridge import BridgeConfig, SQLiteStore, SyncReport
from bridge.adapters import CallCounter
from bridge.auvo_port import AuvoPort
from bridge.context import Context
from bridge.domain import CustomerData, ItemNotSellable, PlannedSale, SaleDraft, SaleLine
from bridge.erp.contaazul import ContaAzulERP
from bridge.store import Store
from bridge.terms import PaymentTerms
from contaazul.v2.testing import FakeContaAzul
from contaazul.v2.testing._sales import sale_total
from sdkcore import APITimeoutError, BadRequestError
from sdkcore.testing import FakeRequest, FakeResponse, Fault

from ..conftest import ANY_ERP

TENANT = "default"  # BridgeConfig's
SALE_DAY = date(2025, 3, 3)


@attrs.frozen
class Desk:
    """The adapter on a seeded fake, and a store: what one tenant's sales go through."""

    fake: FakeContaAzul
    erp: ContaAzulERP
    store: Store

    def write(self, sale: PlannedSale) -> tuple[str | None, str]:
        """One pass's write of ``sale`` (a new context, as the next pass has)."""
        now = datetime.now(UTC)
        report = SyncReport(TENANT, self.erp.name, "run", now)
        config = BridgeConfig(erp=ANY_ERP)
        context = Context(config, self.store, cast(AuvoPort, None), self.erp, report, now)
        return context.write_sale("tasks", sale)

    def draft(self, reference: str, price: str = "10.00", **values: Any) -> SaleDraft:
        """A sale of one product to the fake's first customer, on ``SALE_DAY``."""
        person = self.customer()
        product = next(
            p for p in self.fake.data["produtos"].values() if p.get("status", "ATIVO") == "ATIVO"
        )
        quantity = Decimal(values.pop("quantity", "1"))
        line = SaleLine("product", product["id"], "Filtro", quantity, Decimal(price))
        account = self.fake.account_named("BB")["id"]
        return SaleDraft(reference, person["id"], SALE_DAY, (line,), account_id=account, **values)

    def customer(self) -> dict[str, Any]:
        """The fake's first customer."""
        return next(
            p
            for p in self.fake.data["pessoas"].values()
            if any(x.get("tipo_perfil") == "Cliente" for x in p.get("perfis") or [])
        )

    def sale(self, reference: str, price: str = "10.00", **values: Any) -> PlannedSale:
        [planned] = self.erp.plan_sales(self.draft(reference, price, **values))
        return planned

    def ours(self) -> Counter[str]:
        """The fake's sales per bridge reference (the seeded ones carry none)."""
        marks = (str(s.get("observacoes") or "") for s in self.fake.sales())
        return Counter(m.rpartition("[ponte:")[2][:-1] for m in marks if "[ponte:" in m)

    def numero(self, reference: str) -> int:
        [sale] = [s for s in self.fake.sales() if f"[ponte:{reference}]" in str(s["observacoes"])]
        return int(sale["numero"])

    def asked(self, method: str, path: str) -> int:
        return sum(r.method == method and r.path == path for r in self.fake.requests)


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    fake = FakeContaAzul(rate_limited=False)
    erp = ContaAzulERP(fake.client(rate_limiter=False), CallCounter())
    return Desk(fake, erp, SQLiteStore(tmp_path / "store.sqlite3"))


CREATE_FAILURES = {
    "refused (400)": Fault(status=400, body={"code": 400, "message": "Requisição inválida"}),
    "server error (500)": Fault(status=500, body={"code": 500, "message": "Erro interno"}),
    "not sent": Fault(exception=httpx.ConnectError("connection refused")),
}
UNSENT_ATTEMPTS = 3
"""A create never sent is sent again (safe for any method): the client's tries in all."""


@pytest.mark.parametrize("failure", list(CREATE_FAILURES))
def test_a_failed_create_keeps_its_number_from_the_next_sale(desk: Desk, failure: str) -> None:
    """Sale A's create fails without making it; sale B, same customer and day, comes next.
    The API's next number is still A's: B must not get it, or A's retry finds B's sale
    under A's number and A is never made."""
    a, b = desk.sale("task:A"), desk.sale("task:B", price="99.00")
    fault = attrs.evolve(CREATE_FAILURES[failure], method="POST", path_prefix="/v1/venda")
    desk.fake.fail_next(fault, times=UNSENT_ATTEMPTS if fault.exception else 1)
    with pytest.raises(Exception):  # noqa: B017 - each failure raises its own error
        desk.write(a)
    held = desk.store.get_intent(TENANT, "task:A")
    assert held is not None
    assert held.reservation is not None
    assert desk.write(b)[1] == "created"
    assert desk.write(a)[1] == "created"
    assert desk.ours() == Counter({"task:A": 1, "task:B": 1})
    assert desk.numero("task:A") == int(held.reservation)  # created under the number it held
    assert desk.numero("task:B") != int(held.reservation)


def test_a_sale_under_the_number_with_another_total_is_not_this_one(desk: Desk) -> None:
    """The number was taken meanwhile by a sale to the same customer on the same day: its
    total tells it apart, and the sale is made under a new number."""
    a = desk.sale("task:A")
    number = desk.erp.reserve_sale(a)
    assert number is not None
    desk.store.record_intent(TENANT, "task:A", "sale")
    desk.store.record_reservation(TENANT, "task:A", number)
    # A person sells to the same customer on the same day under that number.
    theirs = desk.draft("theirs", price="55.00")
    desk.erp.create_sale(
        PlannedSale("theirs", theirs, theirs.lines, Decimal(0), Decimal(0)), number
    )
    assert desk.write(a)[1] == "created"
    assert desk.ours() == Counter({"task:A": 1, "theirs": 1})
    assert desk.numero("task:A") > int(number)


def test_a_sale_the_read_does_not_show_yet_is_not_made_twice(desk: Desk) -> None:
    """The create lands and its answer is lost; on the next pass the read under the number
    lags and shows nothing. The create goes out again under the same number, which Conta
    Azul refuses; the pass after reads the sale and links it: one sale."""
    a = desk.sale("task:A")
    original = desk.fake.handle

    def lose_the_answer(request: FakeRequest) -> FakeResponse:
        answer = original(request)
        if request.method == "POST" and request.path == "/v1/venda":
            raise httpx.ReadTimeout("answer lost")
        return answer

    desk.fake.handle = lose_the_answer  # type: ignore[method-assign]
    with pytest.raises(APITimeoutError):
        desk.write(a)
    desk.fake.handle = original  # type: ignore[method-assign]
    assert desk.ours() == Counter({"task:A": 1})

    def lagging_search(request: FakeRequest) -> FakeResponse:
        if request.method == "GET" and request.path == "/v1/venda/busca":
            made = desk.fake.data["vendas"]
            hidden = dict(made)
            made.clear()  # the search index has not caught up with the create yet
            try:
                return original(request)
            finally:
                made.update(hidden)
        return original(request)

    desk.fake.handle = lagging_search  # type: ignore[method-assign]
    with pytest.raises(BadRequestError, match="número"):  # the number is taken: by A itself
        desk.write(a)
    desk.fake.handle = original  # type: ignore[method-assign]
    assert desk.ours() == Counter({"task:A": 1})
    assert desk.asked("GET", "/v1/venda/proximo-numero") == 1  # no second number
    assert desk.write(a)[1] == "linked"
    assert desk.ours() == Counter({"task:A": 1})


def test_a_sale_the_api_would_refuse_takes_no_number(desk: Desk) -> None:
    """Refused before any call: a total of zero, an inactive item. No number is reserved,
    so none is left held."""
    with pytest.raises(ItemNotSellable, match="not positive"):
        desk.sale("task:A", discount=Decimal("10.00"))
    draft = desk.draft("task:B")
    desk.fake.data["produtos"][draft.lines[0].erp_item_id]["status"] = "INATIVO"
    next_pass = ContaAzulERP(desk.fake.client(rate_limiter=False), CallCounter())
    with pytest.raises(ItemNotSellable, match="not active"):
        next_pass.plan_sales(draft)
    assert desk.asked("GET", "/v1/venda/proximo-numero") == 0
    assert desk.store.pending_reservations(TENANT) == frozenset()


@pytest.mark.parametrize(
    ("price", "days", "installments", "option"),
    [
        ("0.02", (30, 60, 90), ["0.01", "0.01"], "30, 60"),
        ("0.01", (0, 30), ["0.01"], "À vista"),
        ("0.03", (30, 60, 90), ["0.01", "0.01", "0.01"], "30, 60, 90"),
    ],
)
def test_a_total_of_fewer_cents_than_installments_is_paid_in_fewer(
    desk: Desk, price: str, days: tuple[int, ...], installments: list[str], option: str
) -> None:
    """No installment of 0.00 (the API refuses one): the first installments only."""
    sale = desk.sale("task:A", price=price, terms=PaymentTerms(days))
    sale_id, outcome = desk.write(sale)
    assert (sale_id is not None, outcome) == (True, "created")
    made = desk.fake.data["vendas"][str(sale_id)]
    parcelas = made["condicao_pagamento"]["parcelas"]
    assert [Decimal(str(p["valor"])) for p in parcelas] == [Decimal(v) for v in installments]
    assert sum(Decimal(str(p["valor"])) for p in parcelas) == sale_total(made)
    assert made["condicao_pagamento"]["opcao_condicao_pagamento"] == option


def test_the_phone_is_the_one_the_people_list_answers(desk: Desk) -> None:
    """A person with both phones: the list and the read by id answer the same one, and the
    phone the bridge writes is the one both read back (no echo of a change never made)."""
    person = desk.customer()
    person["telefone_celular"] = "11999998888"
    person["telefone_comercial"] = "1133334444"
    desk.fake.touch(person)
    listed = {c.id: c for c in desk.erp.customers()}
    one = desk.erp.customer(person["id"])
    assert one is not None
    assert listed[person["id"]].data.phone == one.data.phone == "1133334444"
    data = CustomerData(name=one.data.name, document=one.data.document, phone="11912345678")
    desk.erp.update_customer(person["id"], data)
    again = desk.erp.customer(person["id"])
    assert again is not None
    assert again.data.phone == "11912345678"
    assert {c.id: c for c in desk.erp.customers()}[person["id"]].data.phone == "11912345678"
