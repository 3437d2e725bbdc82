"""Bling as the bridge's ERP: the adapter (one sales order per Auvo sale, services being
products of type S, the bridge's reference in ``numeroLoja``), its settings, its client, its
OAuth app, its fake, and its registry record ``KIND``.

The "financial account" is a forma de pagamento. A customer with neither CPF/CNPJ nor e-mail
carries the bridge's reference as its ``codigo`` (``ponte:<reference>``), which Bling's
``pesquisa`` searches."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

from bling import (
    Bling,
    BlingOAuth,
    Contato,
    ItemPedidoVenda,
    ParcelaPedidoVenda,
    PedidoVenda,
    Produto,
    Ref,
)
from bling.models import ContatoPedido, DescontoPedido
from bling.webhooks import SIGNATURE_HEADER, Webhooks
from sdkcore import NotFoundError
from sdkcore.client import env
from sdkcore.clock import Clock
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
    SaleDraft,
    digits,
)
from ..values import (
    Secret,
    loopback_redirect_setting,
    required_secret,
    secret_setting,
    text_setting,
)
from .port import (
    LOOPBACK_REDIRECT_URI,
    ErpAdapter,
    ErpClient,
    ErpKind,
    ErpSettings,
    FakeErpKind,
    OAuthApp,
    client_of,
    default_pace,
    list_reads,
    oauth_app,
    oauth_client,
    settings_of,
)

if TYPE_CHECKING:
    from bling.testing import FakeBling
    from sdkcore.auth import TokenStore

__all__ = ["KIND", "BlingERP", "BlingSettings"]

CODE_PREFIX = "ponte:"


def _customer(record: Any) -> ErpCustomer:
    extra = record.model_extra or {}
    email = getattr(record, "email", None) or extra.get("email") or ""
    phone = record.celular or record.telefone or ""
    data = CustomerData(
        name=record.nome or "",
        document=digits(record.numero_documento),
        email=str(email).strip().lower(),
        phone=digits(phone),
    )
    code = record.codigo or ""
    reference = code[len(CODE_PREFIX) :] if code.startswith(CODE_PREFIX) else ""
    return ErpCustomer(str(record.id), data, reference)


class BlingERP(ErpAdapter[Bling]):
    """``ErpPort`` over a ready ``bling.Bling`` client."""

    name = "bling"
    title = "Bling"
    credentials_fix = (
        "authorise the app again with `python -m bridge authorize --config {settings}` "
        "(if Bling refuses that too, check erp.client_id and erp.client_secret)"
    )
    account_label = "forma de pagamento"

    def __init__(self, client: Bling, calls: CallCounter | None = None) -> None:
        super().__init__(client, calls)
        self._default_forma: str | None = None

    # -- customers ------------------------------------------------------------------------

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]:
        for record in self.records(
            self.client.contatos.list(data_alteracao_inicial=modified_since)
        ):
            if record.id is not None:
                yield _customer(record)

    def customer(self, erp_id: str) -> ErpCustomer | None:
        try:
            return _customer(self.counted(self.client.contatos.get(int(erp_id))))
        except NotFoundError:
            return None

    @staticmethod
    def _fields(data: CustomerData) -> dict[str, Any]:
        return {
            "nome": data.name,
            "tipo": "J" if len(data.document) == 14 else "F",
            "numero_documento": data.document or None,
            "email": data.email or None,
            "celular": data.phone or None,
            "situacao": "A",
        }

    def _create_customer(self, data: CustomerData, reference: str) -> str:
        fields = self._fields(data)
        if reference:
            fields["codigo"] = CODE_PREFIX + reference
        return str(self.counted(self.client.contatos.create(Contato(**fields))).id)

    def update_customer(self, erp_id: str, data: CustomerData) -> None:
        current = self.counted(self.client.contatos.get(int(erp_id)))
        changes = {k: v for k, v in self._fields(data).items() if v is not None}
        self.counted(self.client.contatos.update(int(erp_id), current.model_copy(update=changes)))

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        # Bling filters by id too: one short page, whatever else changed.
        pager = self.client.contatos.list(data_alteracao_inicial=moment, ids_contatos=[int(erp_id)])
        return any(str(record.id) == erp_id for record in self.records(pager))

    # -- catalog --------------------------------------------------------------------------

    def _read_items(self) -> Iterator[ErpItem]:
        for p in self.records(self.client.produtos.list()):
            yield ErpItem(
                str(p.id),
                "service" if p.tipo == "S" else "product",
                p.nome or "",
                p.codigo or "",
                p.preco or ZERO,
                active=(p.situacao or "A") == "A",
            )

    def financial_accounts(self) -> list[FinancialAccount]:
        formas = self.counted(list(self.client.formas_pagamentos.list()))
        default = next((f for f in formas if f.padrao == 1), formas[0] if formas else None)
        if default is not None and default.id is not None:
            self._default_forma = str(default.id)
        return [FinancialAccount(str(f.id), f.descricao or "") for f in formas]

    # -- sales ----------------------------------------------------------------------------

    def plan_sales(self, draft: SaleDraft) -> list[PlannedSale]:
        if not draft.lines:  # Bling refuses an order without items: say so without a call
            raise ItemNotSellable(
                "Bling needs at least one item in a sales order; this one has only additional costs"
            )
        return [PlannedSale(draft.reference, draft, draft.lines, draft.extra, draft.discount)]

    def find_sale(self, sale: PlannedSale, reserved: str | None = None) -> str | None:
        pager = self.client.pedidos_vendas.list(numeros_lojas=[sale.reference])
        for pedido in self.records(pager):
            if pedido.numero_loja == sale.reference:
                return str(pedido.id)
        return None

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        for pedido in self.records(self.client.pedidos_vendas.list(data_inicial=day)):
            if pedido.numero_loja and pedido.id is not None:
                yield pedido.numero_loja, str(pedido.id)

    def create_sale(self, sale: PlannedSale, reserved: str | None = None) -> str:
        draft = sale.draft
        forma = draft.account_id or self._default_forma
        if forma is None:
            self.financial_accounts()
            forma = self._default_forma
        discount = sale.discount + sum((line.discount for line in sale.lines), ZERO)
        itens = []
        for line in sale.lines:
            item = self.item(line.kind, line.erp_item_id)
            if item is None or not item.active:
                raise ItemNotSellable(f"{line.kind} {line.erp_item_id} is not active in Bling")
            itens.append(
                ItemPedidoVenda(
                    produto=Ref(id=int(line.erp_item_id)),
                    codigo=item.code or None,
                    quantidade=line.quantity,
                    valor=line.unit_price,
                    descricao=line.description or item.name,
                )
            )
        parcelas = [
            ParcelaPedidoVenda(
                data_vencimento=day,
                valor=value,
                forma_pagamento=Ref(id=int(forma)) if forma else None,
            )
            for day, value in sale.payments()
        ]
        pedido = PedidoVenda(
            contato=ContatoPedido(id=int(draft.customer_erp_id)),
            numero_loja=sale.reference,
            data=draft.sale_date,
            itens=itens,
            parcelas=parcelas,
            outras_despesas=sale.extra or None,
            desconto=DescontoPedido(valor=discount, unidade="REAL") if discount else None,
            observacoes=draft.notes or None,
        )
        return str(self.counted(self.client.pedidos_vendas.create(pedido)).id)


# -- settings, client and authorisation -------------------------------------------------


def _client_id(value: object) -> Secret | None:
    return secret_setting("erp.client_id")(value)


def _client_secret(value: object) -> Secret | None:
    return secret_setting("erp.client_secret")(value)


@attrs.frozen
class BlingSettings(ErpSettings):
    """``[erp]`` for Bling: the OAuth app's credentials, where its tokens are kept, and the
    redirect URL registered in the app (the local callback of ``authorize``)."""

    client_id: Secret | None = attrs.field(default=None, converter=_client_id)
    client_secret: Secret | None = attrs.field(default=None, converter=_client_secret)
    token_file: str = attrs.field(
        default="bling-tokens.json", validator=text_setting("erp.token_file")
    )
    redirect_uri: str = attrs.field(
        default=LOOPBACK_REDIRECT_URI,
        validator=loopback_redirect_setting("erp.redirect_uri", BlingERP.title),
    )


def _own_settings(settings: ErpSettings) -> BlingSettings:
    return settings_of(BlingSettings, BlingERP.name, settings)


class _OAuthURLs(TypedDict, total=False):
    authorize_url: str
    token_url: str
    revoke_url: str


def _oauth_urls(base_url: str | None) -> _OAuthURLs:
    """``BlingOAuth``'s URLs for the API at ``base_url`` (given, or in ``BLING_BASE_URL``):
    under it, where Bling's fake serves them, unless it is Bling's own API, whose pages
    are on their own hosts (the ``BlingOAuth`` defaults)."""
    own_api = Bling.default_base_url
    api = (base_url or env(Bling.base_url_env or "") or own_api).rstrip("/")
    if api == own_api:
        return {}
    return {
        "authorize_url": f"{api}/oauth/authorize",
        "token_url": f"{api}/oauth/token",
        "revoke_url": f"{api}/oauth/revoke",
    }


def _client(
    settings: ErpSettings, base_url: str | None = None, token_store: TokenStore | None = None
) -> Bling:
    own = _own_settings(settings)
    return oauth_client(own, base_url, BlingOAuth, Bling, _oauth_urls(base_url), token_store)


def _authorization(settings: ErpSettings, base_url: str | None) -> OAuthApp:
    return oauth_app(_own_settings(settings), BlingOAuth, _oauth_urls(base_url))


def _own_client(client: ErpClient) -> Bling:
    return client_of(Bling, BlingERP.name, client)


def _adapter(client: ErpClient, calls: CallCounter) -> BlingERP:
    return BlingERP(_own_client(client), calls)


# -- the fake ---------------------------------------------------------------------------


@attrs.frozen
class _Fake:
    """``bling.testing.FakeBling`` as ``FakeErp``."""

    api: FakeBling

    def client(self, **options: Any) -> Bling:
        return self.api.client(**options)

    def sales(self) -> Counter[str]:
        orders = self.api.data["pedidos/vendas"].values()
        return Counter(str(p.get("numeroLoja") or "") for p in orders)

    def minimum_reads(self) -> int:
        reads = sum(list_reads(len(self.api.data[root])) for root in ("contatos", "produtos"))
        # the formas de pagamento; the orders already made, read once so every create is
        # searched first
        return reads + 1 + 1

    def credentials(self) -> dict[str, str]:
        return {"access_token": self.api.access_token, "webhook_secret": self.api.client_secret}


def _make_fake(clock: Clock | None, rate_limited: bool) -> _Fake:
    from bling.testing import FakeBling

    return _Fake(FakeBling(clock=clock, rate_limit=3 if rate_limited else None))


def _remote_client(
    credentials: Mapping[str, str], transport: BaseTransport, **options: Any
) -> Bling:
    return Bling(
        access_token=credentials["access_token"],
        webhook_secret=credentials["webhook_secret"],
        transport=transport,
        **options,
    )


def _seed_demo(client: ErpClient) -> None:
    # The Bling fake already sells "Filtro de ar" and two services; add the Auvo ones.
    _own_client(client).produtos.create(
        Produto(nome="Mão de obra", tipo="S", preco=Decimal("150.00"), situacao="A")
    )


@attrs.frozen
class _Deliveries:
    """Bling's webhook deliveries as ``run --webhook`` checks them (``ErpWebhooks``):
    ``bling.Webhooks`` verifies the signature (the app's client secret keys it) and reads
    the envelope."""

    webhooks: Webhooks
    signature_header: str = SIGNATURE_HEADER

    def signed(self, body: bytes, signature: str | None) -> bool:
        return self.webhooks.verify(body, signature)

    def event(self, body: bytes) -> str:
        delivery = self.webhooks.parse(body)  # a WebhookError, a ValueError, when it is none
        return f"{delivery.event or 'event'} {delivery.event_id}"


def _webhooks(settings: ErpSettings) -> _Deliveries:
    needed = "to check the signatures of webhook deliveries"
    secret = required_secret(_own_settings(settings).client_secret, "erp.client_secret", needed)
    return _Deliveries(Webhooks(secret))


def _automation_io(erp: BlingERP) -> AutomationIO:
    from .bling_automations import BlingAutomations  # loaded with the first automation

    return BlingAutomations(erp, AUTOMATIONS)


AUTOMATIONS = AutomationSurface(
    records={"contato": Contato, "pedido_venda": PedidoVenda, "produto": Produto},
    actions={
        "create_customer": Writes("contato", Contato),
        "update_customer": Writes("contato", Contato),
        "create_sale": Writes("pedido_venda", PedidoVenda),
        "set_status": None,
    },
    customers={"contato": "id", "pedido_venda": "contato.id"},
    written_by_streams={"pedido_venda": "sale"},
    reserved_fields={
        "create_customer": frozenset({"id", "codigo"}),
        "create_sale": frozenset({"id", "numeroLoja"}),
    },
    statuses={
        "pedido_venda": Statuses(numbered="a situação of Bling's sales module"),
        "contato": Statuses(("A", "I", "E", "S")),  # ativo, inativo, excluído, sem movimento
    },
    lookups={"product": Produto, "service": Produto},  # a service is a product of tipo S
    io=_automation_io,
)
"""What automations watch and do here: contacts, sales orders and products; Bling reads
and writes one model per record (``bling_automations`` says how). A contact created keeps
the automation's reference in ``codigo``, an order in ``numeroLoja``: the lists filter by
both."""


KIND = ErpKind(
    name=BlingERP.name,
    title=BlingERP.title,
    settings=BlingSettings,
    client=_client,
    adapter=_adapter,
    fake=FakeErpKind(
        make=_make_fake,
        seed_demo=_seed_demo,
        remote_client=_remote_client,
        rate_limit=default_pace(Bling),
    ),
    customer_fields=("name", "document", "email", "phone"),
    account_label=BlingERP.account_label,
    authorization=_authorization,
    automations=AUTOMATIONS,
    webhooks=_webhooks,
)
