"""Bling's ``AutomationIO`` against ``FakeBling``: triggers read through Bling's change
filters (then each record by id: the lists carry a summary), actions carry their reference
where the lists find it again, lookups by code, and every call counted. Seed 0: contatos
1001-1003, produtos 2001 (P-FILTRO), 2002 (S-INST) and 2003 (S-VISITA)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from bling import Contato, PedidoVenda, Produto
from bling.testing import FakeBling
from bridge.adapters import CallCounter
from bridge.automation_surface import AutomationIO, LookupFailed
from bridge.automations import Action
from bridge.erp.bling import KIND, BlingERP
from sdkcore import APITimeoutError, RequestValidationError
from sdkcore.clock import FakeClock

from ..test_faults import lose_response

CNPJ = "12.345.678/0001-95"
CUSTOMER = Action("bling", "create_customer")
UPDATE = Action("bling", "update_customer")
SALE = Action("bling", "create_sale")


class Side:
    """The fake, and the IO over a pass's adapter whose calls ``calls`` counts."""

    def __init__(self) -> None:
        self.clock = FakeClock(start=1_750_000_000.0)
        self.fake = FakeBling(clock=self.clock, rate_limit=None)
        self.client = self.fake.client(clock=self.clock, rate_limiter=False)
        self.adapter = BlingERP(self.client, CallCounter())
        assert KIND.automations.io is not None
        self.io: AutomationIO = KIND.automations.io(self.adapter)

    @property
    def calls(self) -> int:
        return self.adapter.calls["bling"]

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), UTC)

    def sale(self, customer: int = 1002, **extra: Any) -> dict[str, Any]:
        item = {"produto": {"id": 2001}, "quantidade": Decimal("2"), "valor": Decimal("89.90")}
        return {"contato": {"id": customer}, "itens": [item], **extra}


@pytest.fixture
def bling() -> Side:
    return Side()


def test_the_declaration_gives_the_io_and_the_customer_paths() -> None:
    assert KIND.automations.customers == {"contato": "id", "pedido_venda": "contato.id"}


def test_changed_reads_what_changed_since_through_bling_s_filter(bling: Side) -> None:
    assert [o.id for o in bling.io.changed("contato", None)] == ["1001", "1002", "1003"]
    bling.clock.advance(60)
    since = bling.now()  # in UTC: sent as São Paulo's local time
    bling.clock.advance(60)
    current = bling.client.contatos.get(1002)
    bling.client.contatos.update(1002, current.model_copy(update={"nome": "Oficina Ótima"}))
    bling.client.produtos.patch(2003, {"preco": Decimal("130.00")})
    order = int(bling.client.pedidos_vendas.create(bling.sale()))

    before = bling.calls
    (contato,) = bling.io.changed("contato", since)
    assert contato.id == "1002"
    assert isinstance(contato.record, Contato)
    assert contato.record.nome == "Oficina Ótima"
    assert contato.record.email == "compras@boa.com"  # from the record read by id
    assert contato.created_at is None  # Bling's records do not say when they were made
    assert bling.calls - before == 2  # a page of the list, then the record

    (pedido,) = bling.io.changed("pedido_venda", since)
    assert pedido.id == str(order)
    assert isinstance(pedido.record, PedidoVenda)
    assert pedido.record.itens is not None
    assert pedido.record.itens[0].quantidade == Decimal("2")
    (produto,) = bling.io.changed("produto", since)
    assert isinstance(produto.record, Produto)
    assert (produto.id, produto.record.preco) == ("2003", Decimal("130.00"))
    assert list(bling.io.changed("produto", bling.now() + timedelta(seconds=1))) == []


def test_changed_is_lazy_page_by_page(bling: Side) -> None:
    changes = bling.io.changed("contato", None)
    assert bling.calls == 0
    assert next(changes).id == "1001"
    assert bling.calls == 2


def test_read_one_record_and_none_when_gone(bling: Side) -> None:
    found = bling.io.read("contato", "1001")
    assert found is not None
    assert isinstance(found.record, Contato)
    assert found.record.endereco is not None  # the whole record
    bling.client.contatos.delete(1003)
    assert bling.io.read("contato", "1003") is None
    assert bling.calls == 2  # the 404 is an answer: counted
    assert bling.io.read("produto", "not-an-id") is None
    assert bling.calls == 2
    with pytest.raises(ValueError, match="watch contato, pedido_venda, produto, not 'nota'"):
        bling.io.read("nota", "1")


def test_a_customer_created_then_found_by_its_reference(bling: Side) -> None:
    reference = "auto:novo cliente:77@0123456789abcdef"
    assert bling.io.find(CUSTOMER, reference, None) is None
    created = bling.io.act(CUSTOMER, {"nome": "Frio Bom", "numeroDocumento": CNPJ}, reference, None)
    record = bling.fake.data["contatos"][int(created)]
    assert (record["codigo"], record["tipo"]) == (reference, "J")  # tipo from the CNPJ
    assert bling.io.find(CUSTOMER, reference, None) == created
    assert bling.io.find(CUSTOMER, reference + "0", None) is None
    assert bling.io.reserve(CUSTOMER, frozenset()) is None
    bling.client.contatos.alterar_situacao(int(created), "I")
    assert bling.io.find(CUSTOMER, reference, None) == created  # inactive, still found


def test_a_sale_created_then_found_by_its_reference(bling: Side) -> None:
    reference = "auto:pedido:5@00ff00ff00ff00ff"
    created = bling.io.act(SALE, bling.sale(observacoes="via automação"), reference, None)
    order = bling.fake.data["pedidos/vendas"][int(created)]
    assert (order["numeroLoja"], order["observacoes"]) == (reference, "via automação")
    assert bling.io.find(SALE, reference, None) == created
    assert bling.io.find(SALE, "auto:pedido:5@other", None) is None


@pytest.mark.parametrize(
    ("action", "path", "payload"),
    [
        (CUSTOMER, "/Api/v3/contatos", {"nome": "Perdido", "tipo": "F"}),
        (SALE, "/Api/v3/pedidos/vendas", None),
    ],
)
def test_a_create_whose_answer_is_lost_is_found(
    bling: Side, action: Action, path: str, payload: dict[str, Any] | None
) -> None:
    reference = "auto:lost:1@1111111111111111"
    lost = lose_response(bling.fake, "POST", path, httpx.ReadTimeout("lost"))
    with pytest.raises(APITimeoutError):
        bling.io.act(action, payload or bling.sale(), reference, None)
    assert lost
    found = bling.io.find(action, reference, None)
    assert found is not None
    table = "contatos" if action is CUSTOMER else "pedidos/vendas"
    assert int(found) in bling.fake.data[table]


def test_update_writes_the_mapped_fields_over_the_contact(bling: Side) -> None:
    payload = {
        "id": "1001",
        "email": "maria@nova.example",
        "endereco": {"geral": {"cep": "02000-000"}},
    }
    assert bling.io.act(UPDATE, payload, "unused", None) == "1001"
    contato = bling.fake.data["contatos"][1001]
    assert contato["email"] == "maria@nova.example"
    assert contato["endereco"]["geral"]["cep"] == "02000-000"
    assert contato["endereco"]["geral"]["endereco"] == "Rua A"  # kept: objects merge
    assert (contato["nome"], contato["telefone"]) == ("Maria Souza", "(11) 3333-4444")
    assert bling.calls == 2  # read, then written whole (Bling's PUT clears what it lacks)
    assert bling.io.find(UPDATE, "unused", None) is None


def test_set_status_of_an_order_and_of_a_contact(bling: Side) -> None:
    order = bling.client.pedidos_vendas.create(bling.sale())
    to_nine = Action("bling", "set_status", record="pedido_venda", status=9)
    assert bling.io.act(to_nine, {"id": order}, "unused", None) == str(order)
    assert bling.fake.data["pedidos/vendas"][int(order)]["situacao"]["id"] == 9
    inactive = Action("bling", "set_status", record="contato", status="I")
    assert bling.io.act(inactive, {"id": 1003}, "unused", None) == "1003"
    assert bling.fake.data["contatos"][1003]["situacao"] == "I"
    assert bling.calls == 2
    assert bling.io.find(inactive, "unused", None) is None


def test_lookups_by_code(bling: Side) -> None:
    assert bling.io.lookup("product", "P-FILTRO", "id") == 2001
    assert bling.io.lookup("service", "S-INST", "preco") == Decimal("350.00")
    assert bling.calls == 2
    assert bling.io.lookup("product", "P-FILTRO", "preco") == Decimal("89.90")
    assert bling.calls == 2  # a code is read once a pass
    assert bling.io.lookup("product", "P-FILTRO", "unidade") == "UN"  # not in the list
    assert bling.calls == 3  # so the product is read by id, once
    assert bling.io.lookup("product", "P-FILTRO", "unidade") == "UN"
    assert bling.calls == 3


@pytest.mark.parametrize(
    ("what", "key", "take", "reason"),
    [
        ("product", "NOPE", "id", "no Bling product has the code 'NOPE'"),
        (
            "product",
            "S-VISITA",
            "id",
            "the Bling code 'S-VISITA' is a service (2003), not a product",
        ),
        ("service", "P-FILTRO", "id", "'P-FILTRO' is a product (2001), not a service"),
        ("product", "  ", "id", "no code to find a Bling product by"),
        ("product", None, "id", "no code to find a Bling product by"),
        ("product", "P-FILTRO", "nomee", "no field 'nomee' (did you mean 'nome'?)"),
        ("product", "P-FILTRO", "gtin", "the Bling product 'P-FILTRO' (2001) has no gtin"),
        ("customer", "1", "id", "Bling looks up a product or a service, not a customer"),
    ],
)
def test_a_lookup_that_finds_nothing_says_why(
    bling: Side, what: str, key: Any, take: str, reason: str
) -> None:
    with pytest.raises(LookupFailed, match=re.escape(reason)):
        bling.io.lookup(what, key, take)


def test_an_inactive_or_doubled_code_is_not_looked_up(bling: Side) -> None:
    bling.client.produtos.patch(2001, {"situacao": "I"})
    with pytest.raises(LookupFailed, match=r"the Bling product 'P-FILTRO' \(2001\) is not active"):
        bling.io.lookup("product", "P-FILTRO", "id")
    for _ in range(2):
        bling.client.produtos.create(
            {"nome": "Outro", "codigo": "DUP", "tipo": "P", "situacao": "A"}
        )
    with pytest.raises(LookupFailed, match="2 active Bling products have the code 'DUP'"):
        bling.io.lookup("product", "DUP", "id")


BAD_PAYLOADS = [
    (CUSTOMER, {"nome": "X", "nomee": "Y"}, "nomee", "Contato has no field 'nomee'"),
    (CUSTOMER, {"tipo": "F"}, "nome", "is required to create this record"),
    (CUSTOMER, {"nome": "X", "numeroDocumento": "123.456.789-00"}, "numeroDocumento", "valid"),
    (CUSTOMER, {"nome": "X", "codigo": "C9"}, "codigo", "keeps the automation's reference"),
    (SALE, {"contato": {"id": 1002}}, "itens", "needs at least one item"),
    (SALE, {"contato": {"id": 1002}, "itens": [], "numeroLoja": "X"}, "numeroLoja", "reference"),
    (SALE, {"itens": [{"quantidade": "dois"}]}, "itens.0.quantidade", ""),
    (UPDATE, {"email": "x@y.z"}, "id", "needs the id of the Bling record"),
    (UPDATE, {"id": "abc", "nome": "X"}, "id", "'abc' is not the id of a Bling record"),
    (UPDATE, {"id": 1001, "numeroDocumento": "111.111.111-10"}, "numeroDocumento", "valid"),
    (UPDATE, {"id": 1001, "tiposContatos": []}, "tiposContatos", "did you mean 'tiposContato'"),
    (
        Action("bling", "set_status", record="pedido_venda", status="aprovado"),
        {"id": 1},
        "status",
        "'aprovado' is not the id of a situação",
    ),
    (
        Action("bling", "set_status", record="contato", status="X"),
        {"id": 1001},
        "status",
        "one of A, I, E, S",
    ),
    (
        Action("bling", "set_status", record="contato", status="I"),
        {"id": 1001, "nome": "X"},
        "nome",
        "sends only the record's id",
    ),
    (
        Action("bling", "set_status", record="produto", status="I"),
        {"id": 2001},
        "record",
        "situação of a pedido_venda or a contato, not of a produto",
    ),
]


@pytest.mark.parametrize(("action", "payload", "field", "reason"), BAD_PAYLOADS)
def test_a_bad_payload_is_refused_before_any_request(
    bling: Side, action: Action, payload: dict[str, Any], field: str, reason: str
) -> None:
    before = len(bling.fake.requests)
    with pytest.raises(RequestValidationError) as refused:
        bling.io.act(action, payload, "auto:bad:1@2222222222222222", None)
    assert refused.value.field == field
    assert reason in refused.value.reason
    assert len(bling.fake.requests) == before
    assert bling.calls == 0


def test_every_request_is_counted_once(bling: Side) -> None:
    reference = "auto:count:1@3333333333333333"
    list(bling.io.changed("contato", None))
    bling.io.read("pedido_venda", "404")
    created = bling.io.act(CUSTOMER, {"nome": "Contada", "tipo": "F"}, reference, None)
    bling.io.find(CUSTOMER, reference, None)
    bling.io.act(UPDATE, {"id": created, "email": "c@example.com"}, "unused", None)
    bling.io.act(SALE, bling.sale(int(created)), reference, None)
    bling.io.lookup("service", "S-VISITA", "unidade")
    assert bling.calls == len(bling.fake.requests) == bling.fake.api_calls
    assert bling.calls == 4 + 1 + 1 + 1 + 2 + 1 + 2
