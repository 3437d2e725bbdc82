"""Conta Azul as the bridge's ERP, on today's API (``contaazul.v2``: api-v2, OAuth 2): the
adapter (one sale per Auvo sale, products and services together), its settings, its
client, its OAuth app, its fake, and its registry record ``KIND``.

A sale needs a ``numero`` the API hands out (``/v1/venda/proximo-numero``), and the sale
list carries neither the sale's observations nor anything the bridge could mark, so a sale
cannot be searched by the bridge's reference: the number is reserved before the create and
recorded in the store with the intent (``ErpPort.reserve_sale``), and a rerun reads the one
sale under it. The next number holds nothing, so a reservation skips the numbers other
pending sales of the tenant hold. A sale under the number is this one only when its
customer, date and total are this sale's (and its observations, when the list carries them,
this reference): else the number was taken meanwhile and the sale gets a new one. When the
read finds no sale under the number, the create is sent again under the same number: this
relies on Conta Azul refusing a second sale under a ``numero`` (a 400), so a sale that
landed but is not searchable yet is refused, not made twice; the refusal dead-letters the
sale and the next pass reads again. Everything the API would refuse without a sale (an
inactive item, a total of zero) is refused before a number is reserved. The reference
still travels in ``observacoes`` as ``[ponte:<reference>]``, for people reading the sale.

A customer with neither CPF/CNPJ nor e-mail carries the bridge's reference the same way in
``observacao``, which the people list answers (as ``observacoes_gerais``). Its phone is
``telefone_comercial``, else ``telefone_celular``, as the people list's ``telefone`` answers
it; the bridge writes ``telefone_comercial``, so what it wrote is what it reads back.

The documented API this kind named before issue 14 is ``contaazul-pub``
(``bridge.erp.contaazul_pub``); a config of this kind with that API's tokens is refused
with a sentence saying so (``ErpKind.renamed``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Protocol, TypedDict, TypeVar

import attrs

from contaazul.v2 import ContaAzul, ContaAzulOAuth
from contaazul.v2.models import (
    ComposicaoValorVendaCriacao,
    CondicaoPagamentoVendaCriacao,
    ContaAReceber,
    ContratoCriacao,
    DescontoVendaCriacao,
    ItemVendaCriacao,
    ParcelaVendaCriacao,
    PerfilPessoa,
    Pessoa,
    PessoaAtualizacao,
    ProdutoResumo,
    Servico,
    ServicoAtualizacao,
    Venda,
    VendaCriacao,
)
from sdkcore import NotFoundError
from sdkcore.client import env
from sdkcore.clock import Clock
from sdkcore.money import lines_total
from sdkcore.transport import BaseTransport

from ..adapters import CallCounter
from ..automation_surface import AutomationIO, AutomationSurface, Statuses, Writes
from ..domain import (
    ZERO,
    CustomerData,
    ErpCustomer,
    ErpItem,
    FinancialAccount,
    ItemNotSellable,
    PlannedSale,
    ReservationTaken,
    SaleDraft,
    digits,
)
from ..terms import PaymentTerms
from ..values import (
    Secret,
    loopback_redirect_setting,
    secret_setting,
    text_setting,
)
from .contaazul_records import VendaComItens
from .port import (
    LOOPBACK_REDIRECT_URI,
    ErpAdapter,
    ErpClient,
    ErpKind,
    ErpSettings,
    FakeErpKind,
    KindRenamed,
    OAuthApp,
    client_of,
    default_pace,
    list_reads,
    oauth_app,
    oauth_client,
    settings_of,
)

if TYPE_CHECKING:
    from contaazul.v2.models import PessoaResumo
    from contaazul.v2.testing import FakeContaAzul
    from sdkcore.auth import TokenStore

__all__ = ["KIND", "ContaAzulERP", "ContaAzulSettings", "PessoaAlteracao", "marker"]

CUSTOMER_PROFILE = "Cliente"
"""The profile of the people the bridge reads and makes (a person may also be a supplier)."""
SALE_STATE = "APROVADO"
"""A billed task or quotation is a sale made, not one in negotiation (``EM_ANDAMENTO``)."""
SPOT_PAYMENT = "À vista"


def marker(reference: str) -> str:
    return f"[ponte:{reference}]"


def _reference_in(text: str | None) -> str:
    """The reference of the first marker in ``text``; ``""`` without one."""
    start = marker("")[:-1]
    _, found, tail = (text or "").partition(start)
    reference, closed, _rest = tail.partition("]")
    return reference if found and closed else ""


def _customer(record: PessoaResumo | Pessoa, phone: str | None, notes: str | None) -> ErpCustomer:
    data = CustomerData(
        name=record.nome or "",
        document=digits(record.documento),
        email=(record.email or "").strip().lower(),
        phone=digits(phone),
    )
    return ErpCustomer(str(record.id), data, _reference_in(notes))


def payment_option(terms: PaymentTerms) -> str:
    """``condicao_pagamento.opcao_condicao_pagamento`` for ``terms``: "À vista" for one
    installment on the sale date, else the days ("30, 60, 90")."""
    if terms.days == (0,):
        return SPOT_PAYMENT
    return ", ".join(str(day) for day in terms.days)


def _discount(sale: PlannedSale) -> Decimal:
    """The sale's discount and its lines' together: Conta Azul takes one, on the sale."""
    return sale.discount + sum((line.discount for line in sale.lines), ZERO)


def sale_total(sale: PlannedSale) -> Decimal:
    """The sale's total as Conta Azul computes it: the items (``lines_total``) less the
    discount, plus the additional costs (its ``frete``). Installments split this figure, so
    they add up to its cent even when line totals round apart; the sale list answers it."""
    items = lines_total((line.quantity, line.unit_price) for line in sale.lines)
    return items - _discount(sale) + sale.extra


class _Numbered(Protocol):
    """A record listed under a number (a sale, a contract)."""

    @property
    def id(self) -> str | None: ...


_NumberedT = TypeVar("_NumberedT", bound=_Numbered)


def _phone(record: Pessoa) -> str | None:
    """The person's phone as the people list answers it (``PessoaResumo.telefone``)."""
    return record.telefone_comercial or record.telefone_celular


class ContaAzulERP(ErpAdapter[ContaAzul]):
    """``ErpPort`` over a ready ``contaazul.v2.ContaAzul`` client."""

    name = "contaazul"
    title = "Conta Azul"
    credentials_fix = (
        "authorise the app again with `python -m bridge authorize --config {settings}` "
        "(if Conta Azul refuses that too, check erp.client_id and erp.client_secret)"
    )
    account_label = "conta financeira"

    # -- customers ------------------------------------------------------------------------

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]:
        pager = self.client.pessoas.list(
            tipo_perfil=CUSTOMER_PROFILE, data_alteracao_de=modified_since
        )
        for record in self.records(pager):
            if record.id is not None:
                yield _customer(record, record.telefone, record.observacoes_gerais)

    def customer(self, erp_id: str) -> ErpCustomer | None:
        try:
            record = self.counted(self.client.pessoas.get(erp_id))
        except NotFoundError:
            return None
        return _customer(record, _phone(record), record.observacao)

    @staticmethod
    def _fields(data: CustomerData) -> dict[str, Any]:
        company = len(data.document) == 14
        return {
            "nome": data.name,
            "tipo_pessoa": "Jurídica" if company else "Física",
            "cnpj" if company else "cpf": data.document or None,
            "email": data.email or None,
            "telefone_comercial": data.phone or None,  # the field read first (_phone)
        }

    def _create_customer(self, data: CustomerData, reference: str) -> str:
        fields = self._fields(data)
        if reference:
            fields["observacao"] = marker(reference)
        return self.create_person(PessoaAtualizacao(**fields))

    def create_person(self, person: PessoaAtualizacao) -> str:
        """Create ``person`` as a customer (the ``Cliente`` profile, unless it names its
        profiles); its id."""
        if person.perfis is None:
            person.perfis = [PerfilPessoa(tipo_perfil=CUSTOMER_PROFILE)]
        return str(self.counted(self.client.pessoas.create(person)).id)

    def update_customer(self, erp_id: str, data: CustomerData) -> None:
        # A partial update: a full one (PUT) is validated as a whole record, and may demand
        # fields the person never had (a birth date, a registration) that Auvo cannot give.
        changes = {key: value for key, value in self._fields(data).items() if value is not None}
        self.counted(self.client.pessoas.patch(erp_id, PessoaAtualizacao(**changes)))

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        # The list filters by id too: one short page, whatever else changed.
        pager = self.client.pessoas.list(data_alteracao_de=moment, ids=[erp_id])
        return any(str(record.id) == erp_id for record in self.records(pager))

    # -- catalog --------------------------------------------------------------------------

    def _read_items(self) -> Iterator[ErpItem]:
        for p in self.records(self.client.produtos.list()):
            yield ErpItem(
                str(p.id),
                "product",
                p.nome or "",
                p.codigo_sku or "",
                p.valor_venda or ZERO,
                active=(p.status or "ATIVO") == "ATIVO",
            )
        for s in self.records(self.client.servicos.list()):
            yield ErpItem(
                str(s.id),
                "service",
                s.descricao or "",
                s.codigo or "",
                s.preco or ZERO,
                active=(s.status or "ATIVO") == "ATIVO",
            )

    def financial_accounts(self) -> list[FinancialAccount]:
        # "Caixinha" accounts are left out of the list unless asked for.
        pager = self.client.contas_financeiras.list(mostrar_caixinha=True)
        return [
            FinancialAccount(str(a.id), a.nome or "")
            for a in self.records(pager)
            if a.id is not None and a.ativo is not False
        ]

    # -- sales ----------------------------------------------------------------------------

    def plan_sales(self, draft: SaleDraft) -> list[PlannedSale]:
        # Checked before a number is reserved: a sale the API would refuse takes none.
        if not draft.lines:  # Conta Azul refuses a sale without items: say so without a call
            raise ItemNotSellable(
                "Conta Azul needs at least one item in a sale; this one has only additional costs"
            )
        sale = PlannedSale(draft.reference, draft, draft.lines, draft.extra, draft.discount)
        self._sold_items(sale)
        total = sale_total(sale)
        if total <= 0:
            raise ItemNotSellable(f"Conta Azul refuses a sale of total {total} (not positive)")
        return [sale]

    def _sold_items(self, sale: PlannedSale) -> list[ErpItem]:
        """The catalog item of each line; ``ItemNotSellable`` for one missing or inactive."""
        items = []
        for line in sale.lines:
            item = self.item(line.kind, line.erp_item_id)
            if item is None or not item.active:
                raise ItemNotSellable(f"{line.kind} {line.erp_item_id} is not active in Conta Azul")
            items.append(item)
        return items

    def reserve_sale(self, sale: PlannedSale, held: Collection[str] = frozenset()) -> str | None:
        return self.reserve_number(self.client.vendas.next_number, held, "sale")

    def reserve_number(
        self, next_number: Callable[[], int | None], held: Collection[str], what: str
    ) -> str:
        """The number ``next_number`` (``vendas.next_number``, ``contratos.next_number``)
        answers, past every number ``held`` (the decimal keys among them)."""
        number = self.counted(next_number())
        if number is None:
            raise ItemNotSellable(f"Conta Azul gave no next {what} number")
        # The next number is only the highest record's plus one: a record whose create
        # failed still holds its number, which the API does not know about.
        return str(max([number, *(int(key) + 1 for key in held if key.isdecimal())]))

    def find_sale(self, sale: PlannedSale, reserved: str | None = None) -> str | None:
        if reserved is None:
            return None  # the list cannot be searched by the reference: nothing to read
        return self.sale_under(reserved, lambda venda: self._is_this_sale(venda, sale))

    def sale_under(self, number: str, is_this: Callable[[Venda], bool]) -> str | None:
        """The id of the sale under ``number`` that ``is_this``, in one read (``held_under``)."""
        listed = self.records(self.client.vendas.list(numeros=[int(number)]))
        taken = f"Conta Azul sale number {number} holds another sale"
        return self.held_under(listed, is_this, taken)

    @staticmethod
    def held_under(
        listed: Iterable[_NumberedT], is_this: Callable[[_NumberedT], bool], taken: str
    ) -> str | None:
        """The id of the record of ``listed`` (those under a reserved number) that
        ``is_this``; ``None`` when none is listed; ``ReservationTaken(taken)`` when only
        others are (a person used the number meanwhile)."""
        others = False
        for record in listed:
            if is_this(record):
                return str(record.id)
            others = True
        if others:
            raise ReservationTaken(taken)
        return None

    @staticmethod
    def noted(notes: str | None, reference: str) -> str:
        """``notes`` followed by the marker of ``reference``: how a sale or a contract the
        bridge makes carries its reference."""
        return f"{notes or ''} {marker(reference)}".strip()

    @staticmethod
    def carries(notes: object, reference: str) -> bool:
        """Whether ``notes`` (a record's observations) carry the marker of ``reference``."""
        return isinstance(notes, str) and marker(reference) in notes

    @staticmethod
    def _is_this_sale(venda: Venda, sale: PlannedSale) -> bool:
        """Whether the listed ``venda`` is ``sale``: the number was only free when reserved,
        so a person or another sale may have taken it since."""
        draft = sale.draft
        customer = venda.cliente.id if venda.cliente is not None else None
        # The list documents no observations; read them when an answer carries them anyway.
        notes = (venda.model_extra or {}).get("observacoes")
        reference = _reference_in(notes) if isinstance(notes, str) else ""
        return (
            customer == draft.customer_erp_id
            and venda.data == draft.sale_date
            and venda.total == sale_total(sale)
            and reference in ("", sale.reference)
        )

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        return iter(())  # the sale list carries no reference (KIND.sales_searchable)

    def create_sale(self, sale: PlannedSale, reserved: str | None = None) -> str:
        if reserved is None:
            raise ValueError("a Conta Azul sale is created under a reserved number")
        draft = sale.draft
        itens = [
            ItemVendaCriacao(
                id=line.erp_item_id,
                quantidade=line.quantity,
                valor=line.unit_price,
                descricao=line.description or item.name,
            )
            for line, item in zip(sale.lines, self._sold_items(sale), strict=True)
        ]
        total = sale_total(sale)
        discount = _discount(sale)
        composition = ComposicaoValorVendaCriacao(
            frete=sale.extra or None,
            desconto=DescontoVendaCriacao(tipo="VALOR", valor=discount) if discount else None,
        )
        terms = draft.terms.fitting(total)
        parcelas = [
            ParcelaVendaCriacao(data_vencimento=day, valor=value)
            for day, value in terms.schedule(total, draft.sale_date)
        ]
        venda = VendaCriacao(
            id_cliente=draft.customer_erp_id,
            numero=int(reserved),
            situacao=SALE_STATE,
            data_venda=draft.sale_date,
            observacoes=self.noted(draft.notes, sale.reference),
            itens=itens,
            composicao_de_valor=composition if sale.extra or discount else None,
            condicao_pagamento=CondicaoPagamentoVendaCriacao(
                opcao_condicao_pagamento=payment_option(terms),
                id_conta_financeira=draft.account_id,
                parcelas=parcelas,
            ),
        )
        return str(self.counted(self.client.vendas.create(venda)).id)


# -- settings, client and authorisation -------------------------------------------------


def _client_id(value: object) -> Secret | None:
    return secret_setting("erp.client_id")(value)


def _client_secret(value: object) -> Secret | None:
    return secret_setting("erp.client_secret")(value)


@attrs.frozen
class ContaAzulSettings(ErpSettings):
    """``[erp]`` for Conta Azul: the OAuth app's credentials (from Conta Azul's application
    manager), where the company's tokens are kept, and the redirect URL registered in the
    app (the local callback of ``authorize``)."""

    client_id: Secret | None = attrs.field(default=None, converter=_client_id)
    client_secret: Secret | None = attrs.field(default=None, converter=_client_secret)
    token_file: str = attrs.field(
        default="contaazul-tokens.json", validator=text_setting("erp.token_file")
    )
    redirect_uri: str = attrs.field(
        default=LOOPBACK_REDIRECT_URI,
        validator=loopback_redirect_setting("erp.redirect_uri", ContaAzulERP.title),
    )


def _own_settings(settings: ErpSettings) -> ContaAzulSettings:
    return settings_of(ContaAzulSettings, ContaAzulERP.name, settings)


class _OAuthURLs(TypedDict, total=False):
    authorize_url: str
    token_url: str


def _oauth_urls(base_url: str | None) -> _OAuthURLs:
    """``ContaAzulOAuth``'s URLs for the API at ``base_url`` (given, or in the client's
    environment variable): under it, where the fake serves them, unless it is Conta Azul's
    own API, whose authorization server is its own host (the ``ContaAzulOAuth`` defaults)."""
    own_api = ContaAzul.default_base_url
    api = (base_url or env(ContaAzul.base_url_env or "") or own_api).rstrip("/")
    if api == own_api:
        return {}
    return {"authorize_url": f"{api}/oauth2/authorize", "token_url": f"{api}/oauth2/token"}


def _client(
    settings: ErpSettings, base_url: str | None = None, token_store: TokenStore | None = None
) -> ContaAzul:
    own = _own_settings(settings)
    return oauth_client(
        own, base_url, ContaAzulOAuth, ContaAzul, _oauth_urls(base_url), token_store
    )


def _authorization(settings: ErpSettings, base_url: str | None) -> OAuthApp:
    return oauth_app(_own_settings(settings), ContaAzulOAuth, _oauth_urls(base_url))


def _own_client(client: ErpClient) -> ContaAzul:
    return client_of(ContaAzul, ContaAzulERP.name, client)


def _adapter(client: ErpClient, calls: CallCounter) -> ContaAzulERP:
    return ContaAzulERP(_own_client(client), calls)


# -- the fake ---------------------------------------------------------------------------


@attrs.frozen
class _Fake:
    """``contaazul.v2.testing.FakeContaAzul`` as ``FakeErp``: the sales it was seeded with
    are the company's own, never the bridge's, and are left out of ``sales``."""

    api: FakeContaAzul
    seeded_sales: frozenset[str]

    def client(self, **options: Any) -> ContaAzul:
        return self.api.client(**options)

    def _bridge_sales(self) -> list[dict[str, Any]]:
        return [sale for sale in self.api.sales() if sale["id"] not in self.seeded_sales]

    def sales(self) -> Counter[str]:
        return Counter(_reference_in(sale.get("observacoes")) for sale in self._bridge_sales())

    def minimum_reads(self) -> int:
        lists = sum(list_reads(len(self.api.data[root])) for root in ("produtos", "servicos"))
        customers = [
            person
            for person in self.api.data["pessoas"].values()
            if any(p.get("tipo_perfil") == CUSTOMER_PROFILE for p in person.get("perfis") or [])
        ]
        # the financial accounts; and the number each sale is created under
        return lists + list_reads(len(customers)) + 1 + len(self._bridge_sales())

    def credentials(self) -> dict[str, str]:
        return {"access_token": self.api.access_token}


def _make_fake(clock: Clock | None, rate_limited: bool) -> _Fake:
    from contaazul.v2.testing import FakeContaAzul

    api = FakeContaAzul(clock=clock, rate_limited=rate_limited)
    return _Fake(api, frozenset(api.data["vendas"]))


def _remote_client(
    credentials: Mapping[str, str], transport: BaseTransport, **options: Any
) -> ContaAzul:
    return ContaAzul(access_token=credentials["access_token"], transport=transport, **options)


def _seed_demo(client: ErpClient) -> None:
    # The fake already sells "Filtro de ar" and has customers; add the Auvo service.
    _own_client(client).servicos.create(
        ServicoAtualizacao(descricao="Mão de obra", preco=Decimal("150.00"), status="ATIVO")
    )


class PessoaAlteracao(PessoaAtualizacao):
    """What ``update_customer`` fills: the ``id`` of the person to change, and the fields it
    changes (``PessoaAtualizacao``'s, sent as a PATCH)."""

    id: str | None = None


def _automation_io(erp: ContaAzulERP) -> AutomationIO:
    from .contaazul_automations import ContaAzulAutomations  # loaded with a first automation

    return ContaAzulAutomations(erp, AUTOMATIONS)


AUTOMATIONS = AutomationSurface(
    records={"pessoa": Pessoa, "venda": VendaComItens, "conta_receber": ContaAReceber},
    actions={
        "create_customer": Writes("pessoa", PessoaAtualizacao),
        "update_customer": Writes("pessoa", PessoaAlteracao),
        "create_sale": Writes("venda", VendaCriacao),
        "create_contract": Writes("contrato", ContratoCriacao),
        "set_status": None,
    },
    customers={"pessoa": "id", "venda": "cliente.id", "conta_receber": "cliente.id"},
    volatile={
        "pessoa": frozenset(
            {
                "atrasos_pagamentos",
                "atrasos_recebimentos",
                "pagamentos_mes_atual",
                "recebimentos_mes_atual",
            }
        )
    },
    written_by_streams={"venda": "sale"},
    reserved_fields={"create_customer": frozenset({"codigo"})},
    statuses={
        "pessoa": Statuses(("ATIVO", "INATIVO")),
        "venda": Statuses(("EM_ANDAMENTO", "APROVADO", "FATURADO", "CANCELADO")),
    },
    lookups={"product": ProdutoResumo, "service": Servico},
    io=_automation_io,
)
"""What automations watch and do here: people, sales and receivables; the bodies the
client sends for people, sales and contracts (``bridge.erp.contaazul_automations``). A
person created keeps the automation's reference in ``codigo``, which the people list
filters by. ``set_status`` sets a person active or inactive and a sale's situação (the
edit's ``situacao`` in sales-openapi.yml); a receivable's status follows from the payments
recorded on it."""


KIND = ErpKind(
    name=ContaAzulERP.name,
    title=ContaAzulERP.title,
    settings=ContaAzulSettings,
    client=_client,
    adapter=_adapter,
    fake=FakeErpKind(
        make=_make_fake,
        seed_demo=_seed_demo,
        remote_client=_remote_client,
        rate_limit=default_pace(ContaAzul),
        demo_settings={"financial_account": "Caixinha"},
    ),
    customer_fields=("name", "document", "email", "phone"),
    account_required=True,
    account_label=ContaAzulERP.account_label,
    authorization=_authorization,
    sales_searchable=False,
    renamed=KindRenamed(
        frozenset({"application_token", "company_token"}),
        'kind "contaazul" is now Conta Azul\'s current API (api-v2, OAuth 2); '
        "application_token and company_token belong to its documented API, whose kind was "
        'renamed "contaazul-pub". Write kind = "contaazul-pub" to keep that API, or move to '
        "the current one with a new store (or tenant), since the old links hold the documented "
        "API's integer ids: give client_id and client_secret (a Conta Azul app) instead and "
        "run `python -m bridge authorize`",
    ),
    automations=AUTOMATIONS,
)
