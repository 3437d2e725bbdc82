"""Conta Azul's ``AutomationIO`` (today's API) against ``FakeContaAzul``: triggers read
through the lists' ``data_alteracao_de`` (people then by id), sales and contracts created
under a reserved number and found under it by their marker, people by their ``codigo``,
``set_status`` where Conta Azul has a way to set one, lookups by code, payloads refused
before any request, and every call counted. Seed 0: sales 1 and 2, no contract, products
P-FILTRO..., services S-INST..., accounts BB and Caixinha."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import httpx
import pytest

from bridge.adapters import CallCounter
from bridge.automation_surface import AutomationIO, LookupFailed, Writes
from bridge.automations import Action, Trigger, check
from bridge.automations.declare import Automation
from bridge.domain import ReservationTaken
from bridge.erp.contaazul import KIND, ContaAzulERP, PessoaAlteracao
from bridge.erp.contaazul_automations import reference_code
from bridge.erp.contaazul_records import VendaComItens
from contaazul.v2.models import ContaAReceber, Pessoa
from contaazul.v2.testing import FakeContaAzul
from contaazul.v2.testing._sales import sale_total
from sdkcore import APITimeoutError, RequestValidationError
from sdkcore.clock import FakeClock

from ..test_faults import lose_response

CUSTOMER = Action("contaazul", "create_customer")
UPDATE = Action("contaazul", "update_customer")
SALE = Action("contaazul", "create_sale")
CONTRACT = Action("contaazul", "create_contract")
SALE_DAY = date(2025, 3, 3)
CPF = "529.982.247-25"


class Desk:
    """The fake, and the IO over a pass's adapter whose calls ``calls`` counts."""

    def __init__(self) -> None:
        self.clock = FakeClock(start=1_750_000_000.0)
        self.fake = FakeContaAzul(clock=self.clock, rate_limited=False)
        self.client = self.fake.client(rate_limiter=False)
        self.erp = ContaAzulERP(self.client, CallCounter())
        assert KIND.automations.io is not None
        self.io: AutomationIO = KIND.automations.io(self.erp)

    @property
    def calls(self) -> int:
        return self.erp.calls["contaazul"]

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), UTC)

    def person(self, index: int = 0) -> str:
        return str(list(self.fake.data["pessoas"])[index])

    def item(self, table: str, code: str) -> str:
        field = "codigo_sku" if table == "produtos" else "codigo"
        return str(next(i["id"] for i in self.fake.data[table].values() if i.get(field) == code))

    def sale(self, **extra: Any) -> dict[str, Any]:
        """Two air filters (179.80) paid at once into BB, for the first customer."""
        return {
            "id_cliente": self.person(),
            "situacao": "APROVADO",
            "data_venda": SALE_DAY,
            "itens": [
                {"id": self.item("produtos", "P-FILTRO"), "quantidade": "2", "valor": "89.90"}
            ],
            "condicao_pagamento": {
                "opcao_condicao_pagamento": "À vista",
                "id_conta_financeira": self.fake.account_named("BB")["id"],
                "parcelas": [{"data_vencimento": SALE_DAY, "valor": Decimal("179.80")}],
            },
            **extra,
        }

    def contract(self, **terms: Any) -> dict[str, Any]:
        """A yearly maintenance contract for the first customer."""
        return {
            "id_cliente": self.person(),
            "observacoes": "Manutenção anual",
            "termos": {
                "tipo_frequencia": "ANUAL",
                "tipo_expiracao": "DATA",
                "data_inicio": date(2025, 4, 1),
                "data_fim": date(2026, 3, 31),
                "intervalo_frequencia": 1,
                "dia_emissao_venda": 1,
                **terms,
            },
            "condicao_pagamento": {
                "tipo_pagamento": "BOLETO_BANCARIO",
                "dia_vencimento": 10,
                "primeira_data_vencimento": date(2025, 4, 10),
            },
            "itens": [
                {"id": self.item("servicos", "S-HIGIENE"), "quantidade": 1, "valor": "180.00"}
            ],
        }

    def receivable(self, due: date, value: str = "80.00") -> str:
        """A receivable of one installment due on ``due`` (created by a person, not counted);
        the installment's id."""
        account = self.fake.account_named("BB")["id"]
        before = set(self.fake.data["parcelas"])
        self.client.contas_a_receber.create(
            {
                "data_competencia": due,
                "valor": Decimal(value),
                "observacao": "OS 12",
                "descricao": "Visita técnica",
                "contato": self.person(1),
                "conta_financeira": account,
                "condicao_pagamento": {
                    "parcelas": [
                        {
                            "descricao": "1/1",
                            "nota": "-",
                            "data_vencimento": due,
                            "conta_financeira": account,
                            "detalhe_valor": {"valor_bruto": Decimal(value)},
                        }
                    ]
                },
            },
            wait=True,
        )
        (installment,) = set(self.fake.data["parcelas"]) - before
        return str(installment)

    def sales_under(self, number: int) -> list[dict[str, Any]]:
        return [s for s in self.fake.data["vendas"].values() if s["numero"] == number]


@pytest.fixture
def desk() -> Desk:
    return Desk()


# -- the declaration ------------------------------------------------------------------------


def test_the_declaration_gives_the_io_the_customer_paths_and_an_update_with_an_id() -> None:
    surface = KIND.automations
    assert surface.customers == {
        "pessoa": "id",
        "venda": "cliente.id",
        "conta_receber": "cliente.id",
    }
    assert surface.actions["update_customer"] == Writes("pessoa", PessoaAlteracao)
    update = Automation(
        "new e-mail",
        trigger=Trigger("contaazul", "pessoa"),
        field_map={"id": "{id}", "email": "{email}"},
        action=UPDATE,
    )
    check(update)  # the person's id is a field the update's map may fill


# -- triggers -------------------------------------------------------------------------------


def test_changed_people_since_through_the_list_then_each_by_id(desk: Desk) -> None:
    assert len(list(desk.io.changed("pessoa", None))) == len(desk.fake.data["pessoas"])
    desk.clock.advance(60)
    since = desk.now()  # in UTC: the client sends it as São Paulo's local time
    desk.clock.advance(60)
    desk.client.pessoas.patch(desk.person(2), {"email": "ana@nova.example"})

    before = desk.calls
    (person,) = desk.io.changed("pessoa", since)
    assert person.id == desk.person(2)
    assert isinstance(person.record, Pessoa)
    assert person.record.email == "ana@nova.example"
    assert person.record.perfis is not None  # the whole person: profiles as records
    assert person.record.perfis[0].tipo_perfil == "Cliente"
    assert person.created_at == person.record.criado_em is not None
    assert desk.calls - before == 2  # a page of the list, then the person by id
    assert list(desk.io.changed("pessoa", desk.now() + timedelta(seconds=1))) == []


def test_changed_sales_and_receivables_since(desk: Desk) -> None:
    due = desk.receivable(date(2025, 3, 10))
    desk.clock.advance(60)
    since = desk.now()
    desk.clock.advance(60)
    created = desk.client.vendas.create(desk.sale(numero=40)).id
    later = desk.receivable(date(2031, 1, 10))

    before = desk.calls
    (sale,) = desk.io.changed("venda", since)
    assert (sale.id, type(sale.record)) == (created, VendaComItens)
    assert isinstance(sale.record, VendaComItens)
    assert (sale.record.numero, sale.record.total) == (40, Decimal("179.80"))
    assert sale.record.cliente is not None
    assert sale.record.cliente.id == desk.person()
    assert sale.created_at == sale.record.criado_em is not None
    # The sale's items, which its list row does not name, so a filter can ask for one.
    assert [item.id_item for item in sale.record.itens_da_venda] == [
        desk.item("produtos", "P-FILTRO")
    ]
    assert desk.calls - before == 2  # a page of the list, then the sale's items

    (receivable,) = desk.io.changed("conta_receber", since)
    assert receivable.id == later
    assert isinstance(receivable.record, ContaAReceber)
    assert receivable.record.total == Decimal("80.00")
    assert receivable.created_at == receivable.record.data_criacao is not None
    assert {o.id for o in desk.io.changed("conta_receber", None)} == {due, later}


def test_changed_is_lazy_page_by_page(desk: Desk) -> None:
    people = desk.io.changed("pessoa", None)
    sales = desk.io.changed("venda", None)
    assert desk.calls == 0
    assert next(people).id == desk.person(0)
    assert desk.calls == 2
    next(sales)
    assert desk.calls == 4  # a page of sales, then the first sale's items


def test_read_gives_the_record_changed_gives_and_none_when_gone(desk: Desk) -> None:
    installment = desk.receivable(date(2025, 3, 10))
    for record in ("pessoa", "venda", "conta_receber"):
        for observed in desk.io.changed(record, None):
            read = desk.io.read(record, observed.id)
            assert read is not None
            assert read == observed  # the same record, however it was read: one version
    gone = {
        "venda": next(desk.io.changed("venda", None)).id,
        "pessoa": desk.person(3),
        "conta_receber": installment,
    }
    desk.client.vendas.delete_many([gone["venda"]])
    del desk.fake.data["pessoas"][gone["pessoa"]]
    del desk.fake.data["parcelas"][installment]  # no endpoint deletes one
    before = desk.calls
    for record, ident in gone.items():
        assert desk.io.read(record, ident) is None
    assert desk.calls - before == 3  # each 404 is an answer: counted
    with pytest.raises(ValueError, match="watch pessoa, venda, conta_receber, not 'nota'"):
        desk.io.read("nota", "1")
    with pytest.raises(ValueError, match="not 'contrato'"):
        desk.io.changed("contrato", None)


# -- sales and contracts under a reserved number ------------------------------------------------


def test_a_sale_is_created_under_the_reserved_number_and_found_under_it(desk: Desk) -> None:
    reference = "auto:venda instalação:7@0123456789abcdef"
    reserved = desk.io.reserve(SALE, frozenset({"5", "contrato:40", "ignored"}))
    assert reserved == "6"  # past the numbers other pending creates hold; contracts apart
    assert desk.io.find(SALE, reference, reserved) is None
    created = desk.io.act(SALE, desk.sale(observacoes="Instalar na sala"), reference, reserved)
    (sale,) = desk.sales_under(6)
    assert sale["id"] == created
    assert sale["observacoes"] == f"Instalar na sala [ponte:{reference}]"
    assert desk.io.find(SALE, reference, reserved) == created
    assert desk.io.find(SALE, reference, None) is None  # no number: nothing to read
    assert desk.io.reserve(UPDATE, frozenset()) is None


def test_a_sale_whose_answer_is_lost_is_found_under_its_number(desk: Desk) -> None:
    reference = "auto:lost:1@1111111111111111"
    reserved = desk.io.reserve(SALE, frozenset())
    lost = lose_response(desk.fake, "POST", "/v1/venda", httpx.ReadTimeout("lost"))
    with pytest.raises(APITimeoutError):
        desk.io.act(SALE, desk.sale(), reference, reserved)
    assert lost
    found = desk.io.find(SALE, reference, reserved)
    assert found is not None
    assert [s["id"] for s in desk.sales_under(3)] == [found]


def test_another_sale_under_the_number_is_reservation_taken(desk: Desk) -> None:
    reserved = desk.io.reserve(SALE, frozenset())
    desk.client.vendas.create(desk.sale(numero=int(str(reserved))))  # a person took it
    with pytest.raises(ReservationTaken, match="sale number 3 holds another sale"):
        desk.io.find(SALE, "auto:taken:1@2222222222222222", reserved)


def test_a_number_the_map_gives_is_read_before_the_create(desk: Desk) -> None:
    reference = "auto:numbered:1@3333333333333333"
    reserved = desk.io.reserve(SALE, frozenset())
    lose_response(desk.fake, "POST", "/v1/venda", httpx.ReadTimeout("lost"))
    with pytest.raises(APITimeoutError):
        desk.io.act(SALE, desk.sale(numero=70), reference, reserved)
    assert desk.io.find(SALE, reference, reserved) is None  # nothing under the reserved 3
    again = desk.io.act(SALE, desk.sale(numero=70), reference, reserved)
    assert [s["id"] for s in desk.sales_under(70)] == [again]  # found, not made twice
    desk.client.vendas.create(desk.sale(numero=71))
    with pytest.raises(ReservationTaken, match="number 71 holds another sale"):
        desk.io.act(SALE, desk.sale(numero=71), reference, reserved)


def test_a_contract_is_created_under_its_own_numbers_and_found(desk: Desk) -> None:
    reference = "auto:manutenção anual:501@4444444444444444"
    reserved = desk.io.reserve(CONTRACT, frozenset({"9", "contrato:4"}))
    assert reserved == "contrato:5"  # the sale number 9 is no contract's
    assert desk.io.find(CONTRACT, reference, reserved) is None
    lose_response(desk.fake, "POST", "/v1/contratos", httpx.ReadTimeout("lost"))
    with pytest.raises(APITimeoutError):
        desk.io.act(CONTRACT, desk.contract(), reference, reserved)
    found = desk.io.find(CONTRACT, reference, reserved)
    (contract,) = desk.fake.data["contratos"].values()
    assert found == contract["id"]
    assert contract["termos"]["numero"] == 5
    assert contract["observacoes"] == f"Manutenção anual [ponte:{reference}]"
    with pytest.raises(ReservationTaken, match="contract number 5 holds another contract"):
        desk.io.find(CONTRACT, "auto:other:1@5555555555555555", reserved)
    theirs = desk.io.act(CONTRACT, desk.contract(numero=8), "auto:x:2@6", "contrato:6")
    assert desk.fake.data["contratos"][theirs]["termos"]["numero"] == 8  # the map's number


# -- people ---------------------------------------------------------------------------------


def test_a_customer_is_created_with_its_reference_code_and_found_by_it(desk: Desk) -> None:
    reference = "auto:novo cliente:77@0123456789abcdef"
    digest = hashlib.sha256(reference.encode()).hexdigest()
    assert reference_code(reference) == f"ponte-{digest[:14]}"
    assert len(reference_code(reference)) == 20  # the most codigo holds
    assert desk.io.find(CUSTOMER, reference, None) is None
    payload = {"nome": "Frio Bom", "tipo_pessoa": "Física", "cpf": CPF}
    created = desk.io.act(CUSTOMER, payload, reference, None)
    person = desk.fake.data["pessoas"][created]
    assert person["codigo"] == reference_code(reference)
    assert person["perfis"] == [{"tipo_perfil": "Cliente"}]
    assert desk.io.find(CUSTOMER, reference, None) == created
    assert desk.io.find(CUSTOMER, reference + "0", None) is None
    assert desk.io.reserve(CUSTOMER, frozenset()) is None


def test_a_customer_whose_answer_is_lost_is_found(desk: Desk) -> None:
    reference = "auto:lost:2@7777777777777777"
    lose_response(desk.fake, "POST", "/v1/pessoas", httpx.ReadTimeout("lost"))
    with pytest.raises(APITimeoutError):
        desk.io.act(CUSTOMER, {"nome": "Perdido", "tipo_pessoa": "Física"}, reference, None)
    found = desk.io.find(CUSTOMER, reference, None)
    assert found is not None
    assert desk.fake.data["pessoas"][found]["nome"] == "Perdido"


def test_update_patches_only_the_mapped_fields(desk: Desk) -> None:
    ident = desk.person()
    whole = dict(desk.fake.data["pessoas"][ident])
    payload = {"id": ident, "email": "maria@nova.example"}
    assert desk.io.act(UPDATE, payload, "unused", None) == ident
    person = desk.fake.data["pessoas"][ident]
    assert person["email"] == "maria@nova.example"
    assert {k: v for k, v in person.items() if k not in ("email", "_alterado")} == {
        k: v for k, v in whole.items() if k not in ("email", "_alterado")
    }
    assert [(r.method, r.path) for r in desk.fake.requests[-1:]] == [
        ("PATCH", f"/v1/pessoas/{ident}")
    ]
    assert desk.io.find(UPDATE, "unused", None) is None


# -- set_status -----------------------------------------------------------------------------


def test_set_status_activates_and_inactivates_a_person(desk: Desk) -> None:
    ident = desk.person(1)
    inactive = Action("contaazul", "set_status", record="pessoa", status="inativo")
    assert desk.io.act(inactive, {"id": ident}, "unused", None) == ident
    assert desk.fake.data["pessoas"][ident]["ativo"] is False
    active = Action("contaazul", "set_status", record="pessoa", status="ATIVO")
    desk.io.act(active, {"id": ident}, "unused", None)
    assert desk.fake.data["pessoas"][ident]["ativo"] is True
    assert desk.calls == 2
    assert desk.io.find(active, "unused", None) is None


def test_set_status_of_a_sale_sends_it_back_whole_with_the_new_situacao(desk: Desk) -> None:
    extra = {
        "composicao_de_valor": {"frete": "10.00", "desconto": {"tipo": "VALOR", "valor": "5.00"}},
        "condicao_pagamento": {
            "opcao_condicao_pagamento": "30, 60",
            "id_conta_financeira": desk.fake.account_named("BB")["id"],
            "parcelas": [
                {"data_vencimento": date(2025, 4, 2), "valor": "92.40", "descricao": "1/2"},
                {"data_vencimento": date(2025, 5, 2), "valor": "92.40", "descricao": "2/2"},
            ],
        },
    }
    created = desk.io.act(SALE, desk.sale(**extra), "auto:faturar:1@8888888888888888", "9")
    before = dict(desk.fake.data["vendas"][created])
    billed = Action("contaazul", "set_status", record="venda", status="FATURADO")
    calls = desk.calls
    assert desk.io.act(billed, {"id": created}, "unused", None) == created
    assert desk.calls - calls == 4  # the sale, its list row (the date), its items; the PUT
    sale = desk.fake.data["vendas"][created]
    assert (sale["situacao"], sale["versao"]) == ("FATURADO", before["versao"] + 1)
    assert sale_total(sale) == sale_total(before) == Decimal("184.80")
    for field in ("numero", "id_cliente", "data_venda", "observacoes"):
        assert sale[field] == before[field], field
    assert [(i["id"], i["quantidade"], i["valor"]) for i in sale["itens"]] == [
        (i["id"], i["quantidade"], i["valor"]) for i in before["itens"]
    ]
    for field in ("opcao_condicao_pagamento", "id_conta_financeira", "parcelas"):
        assert sale["condicao_pagamento"][field] == before["condicao_pagamento"][field], field
    calls = desk.calls
    desk.io.act(billed, {"id": created}, "unused", None)
    assert desk.calls - calls == 1  # already billed: read, nothing written
    assert desk.fake.data["vendas"][created]["versao"] == before["versao"] + 1


# -- lookups --------------------------------------------------------------------------------


def test_lookups_by_code(desk: Desk) -> None:
    assert desk.io.lookup("product", "P-FILTRO", "id") == desk.item("produtos", "P-FILTRO")
    assert desk.io.lookup("service", "S-INST", "preco") == Decimal("350.00")
    assert desk.calls == 2
    assert desk.io.lookup("product", "P-FILTRO", "valor_venda") == Decimal("89.90")
    with pytest.raises(LookupFailed):
        desk.io.lookup("service", "S-NONE", "id")
    with pytest.raises(LookupFailed):
        desk.io.lookup("service", "S-NONE", "id")
    assert desk.calls == 3  # a code, found or not, is read once a pass


@pytest.mark.parametrize(
    ("what", "key", "take", "reason"),
    [
        ("product", "NOPE", "id", "no Conta Azul product has the code 'NOPE'"),
        ("product", "P-FILT", "id", "no Conta Azul product has the code 'P-FILT'"),
        ("service", "P-FILTRO", "id", "no Conta Azul service has the code 'P-FILTRO'"),
        ("product", "  ", "id", "no code to find a Conta Azul product by"),
        ("product", None, "id", "no code to find a Conta Azul product by"),
        (
            "product",
            "P-FILTRO",
            "valor_vnda",
            "no field 'valor_vnda' (did you mean 'valor_venda'?)",
        ),
        ("product", "P-FILTRO", "codigo_ean", "the Conta Azul product 'P-FILTRO' ("),
        ("customer", "1", "id", "Conta Azul looks up a product or a service, not a customer"),
    ],
)
def test_a_lookup_that_finds_nothing_says_why(
    desk: Desk, what: str, key: Any, take: str, reason: str
) -> None:
    with pytest.raises(LookupFailed, match=re.escape(reason)):
        desk.io.lookup(what, key, take)


def test_an_inactive_or_doubled_code_is_not_looked_up(desk: Desk) -> None:
    desk.fake.data["produtos"][desk.item("produtos", "P-TUBO")]["status"] = "INATIVO"
    with pytest.raises(LookupFailed, match=r"product 'P-TUBO' \(.+\) is not active"):
        desk.io.lookup("product", "P-TUBO", "id")
    for _ in range(2):
        desk.client.servicos.create({"descricao": "Outro", "codigo": "DUP"})
    with pytest.raises(LookupFailed, match="2 active Conta Azul services have the code 'DUP'"):
        desk.io.lookup("service", "DUP", "id")


# -- refused before any request -------------------------------------------------------------

RECEIVABLE_STATUS = Action("contaazul", "set_status", record="conta_receber", status="QUITADO")
BAD_PAYLOADS = [
    (CUSTOMER, {"nome": "X", "tipo_pessoa": "Física", "nomee": "Y"}, "nomee", "no field"),
    (CUSTOMER, {"nome": "X"}, "tipo_pessoa", "is required to create this record"),
    (CUSTOMER, {"nome": "X", "tipo_pessoa": "Física", "cpf": "123.456.789-00"}, "cpf", "CPF"),
    (CUSTOMER, {"nome": "X", "codigo": "C9"}, "codigo", "keeps the automation's reference"),
    (SALE, {"situacao": "APROVADO"}, "condicao_pagamento", "is required"),
    (SALE, {"cliente": "X"}, "cliente", "no field"),
    (SALE, {"itens": [{"quantidade": "dois"}]}, "itens.0.quantidade", ""),
    (CONTRACT, {"id_cliente": "X"}, "condicao_pagamento", "is required"),
    (UPDATE, {"email": "x@y.z"}, "id", "needs the id of the Conta Azul record"),
    (UPDATE, {"id": "abc"}, "id", "changes nothing"),
    (UPDATE, {"id": "abc", "cpf": "111.111.111-10", "tipo_pessoa": "Física"}, "cpf", "CPF"),
    (
        Action("contaazul", "set_status", record="venda", status="PAGO"),
        {"id": "abc"},
        "status",
        "one of EM_ANDAMENTO, APROVADO, FATURADO, CANCELADO, not 'PAGO'",
    ),
    (
        Action("contaazul", "set_status", record="pessoa", status="INATIVO"),
        {"id": "abc", "nome": "X"},
        "nome",
        "sends only the record's id",
    ),
    (
        RECEIVABLE_STATUS,
        {"id": "abc"},
        "record",
        "no endpoint that sets a conta_receber's status (a receivable's follows from the "
        "payments recorded on it); set_status sets a pessoa's (ATIVO, INATIVO); "
        "a venda's (EM_ANDAMENTO, APROVADO, FATURADO, CANCELADO)",
    ),
]


@pytest.mark.parametrize(("action", "payload", "field", "reason"), BAD_PAYLOADS)
def test_a_bad_payload_is_refused_before_any_request(
    desk: Desk, action: Action, payload: dict[str, Any], field: str, reason: str
) -> None:
    before = len(desk.fake.requests)
    with pytest.raises(RequestValidationError) as refused:
        desk.io.act(action, payload, "auto:bad:1@2222222222222222", "3")
    assert refused.value.field == field
    assert reason in refused.value.reason
    assert len(desk.fake.requests) == before
    assert desk.calls == 0


def test_a_bad_payload_with_its_own_number_is_refused_before_the_read(desk: Desk) -> None:
    with pytest.raises(RequestValidationError, match="itens"):
        desk.io.act(SALE, desk.sale(numero=80, itens=None), "auto:bad:2@1", "3")
    assert desk.fake.requests == []


def test_every_request_is_counted_once(desk: Desk) -> None:
    reference = "auto:count:1@9999999999999999"
    list(desk.io.changed("pessoa", None))
    list(desk.io.changed("conta_receber", None))
    desk.io.read("venda", "00000000-0000-4000-8000-000000000000")
    reserved = desk.io.reserve(SALE, frozenset())
    created = desk.io.act(SALE, desk.sale(), reference, reserved)
    desk.io.find(SALE, reference, reserved)
    desk.io.read("venda", created)  # by id, the list under its number, its items
    customer = desk.io.act(CUSTOMER, {"nome": "Contada", "tipo_pessoa": "Física"}, reference, None)
    desk.io.find(CUSTOMER, reference, None)
    desk.io.act(UPDATE, {"id": customer, "email": "c@example.com"}, "unused", None)
    desk.io.lookup("service", "S-VISITA", "id")
    people = len(desk.fake.data["pessoas"]) - 1  # the one created later was not listed
    expected = (1 + people) + 1 + 1 + 1 + 1 + (1 + 1) + 3 + 1 + (1 + 1) + 1 + 1
    assert desk.calls == len(desk.fake.requests) == expected


def test_a_persons_running_totals_are_no_change_to_its_version() -> None:
    from bridge.automations import surface
    from bridge.automations.run import version_of

    volatile = surface("contaazul", "trigger.system").volatile["pessoa"]
    person = {"id": "p-1", "nome": "Oficina", "atrasos_recebimentos": 0, "pagamentos_mes_atual": 0}
    paid = person | {"atrasos_recebimentos": 1250.4, "pagamentos_mes_atual": 99}
    assert version_of(person, volatile) == version_of(paid, volatile)
    assert version_of(person | {"nome": "Oficina Boa"}, volatile) != version_of(person, volatile)


def test_a_date_field_reaches_the_filters_as_a_date() -> None:
    from bridge.automations import Condition
    from bridge.automations.conditions import passes
    from bridge.automations.paths import as_record

    receivable = as_record(
        ContaAReceber.model_validate({"id": "r1", "data_vencimento": "2025-05-10"})
    )
    assert receivable["data_vencimento"] == date(2025, 5, 10)
    for op, value in (("=", "10/05/2025"), ("in", ["2025-05-10"]), (">=", "2025-05-10")):
        assert passes(Condition("data_vencimento", op, value), receivable), op
    assert not passes(Condition("data_vencimento", "!=", "10/05/2025"), receivable)
