"""The ERP port on Bling: one sales order per Auvo sale, services being products of type S,
the bridge's reference in ``numeroLoja``. The "financial account" is a forma de pagamento."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bling import Bling, Contato, ItemPedidoVenda, ParcelaPedidoVenda, PedidoVenda, Ref
from bling.models import ContatoPedido, DescontoPedido

from .ports import (
    CallCounter,
    CustomerData,
    CustomerIndex,
    ErpCustomer,
    ErpItem,
    FinancialAccount,
    ItemNotSellable,
    PlannedSale,
    SaleDraft,
    digits,
)

__all__ = ["BlingERP"]

SERVICE = "bling"
ZERO = Decimal("0")


def _customer_data(record: Any) -> CustomerData:
    extra = record.model_extra or {}
    email = getattr(record, "email", None) or extra.get("email") or ""
    phone = record.celular or record.telefone or ""
    return CustomerData(
        name=record.nome or "",
        document=digits(record.numero_documento),
        email=str(email).strip().lower(),
        phone=digits(phone),
    )


class BlingERP:
    """``ErpPort`` over a ready ``bling.Bling`` client."""

    name = "bling"
    account_label = "forma de pagamento"

    def __init__(self, client: Bling, calls: CallCounter | None = None) -> None:
        self.client = client
        self.calls = calls if calls is not None else CallCounter()
        self._index = CustomerIndex(self.customers)
        self._items: dict[tuple[str, str], ErpItem] | None = None
        self._default_forma: str | None = None

    # -- customers ------------------------------------------------------------------------

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]:
        pager = self.client.contatos.list(data_alteracao_inicial=modified_since)
        for page in pager.pages():
            self.calls.hit(SERVICE)
            for record in page:
                if record.id is not None:
                    yield ErpCustomer(str(record.id), _customer_data(record))

    def find_customer(self, document: str, email: str) -> ErpCustomer | None:
        return self._index.find(document, email)

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

    def create_customer(self, data: CustomerData) -> str:
        try:
            created = self.client.contatos.create(Contato(**self._fields(data)))
        except BaseException:
            self._index.forget()  # the create may have landed: the next search reads again
            raise
        self.calls.hit(SERVICE)
        self._index.add(ErpCustomer(str(int(created)), data))
        return str(int(created))

    def update_customer(self, erp_id: str, data: CustomerData) -> None:
        current = self.client.contatos.get(int(erp_id))
        self.calls.hit(SERVICE)
        changes = {k: v for k, v in self._fields(data).items() if v is not None}
        self.client.contatos.update(int(erp_id), current.model_copy(update=changes))
        self.calls.hit(SERVICE)

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        pager = self.client.contatos.list(data_alteracao_inicial=moment, ids_contatos=[int(erp_id)])
        for page in pager.pages():
            self.calls.hit(SERVICE)
            if any(str(record.id) == erp_id for record in page):
                return True
        return False

    # -- catalog --------------------------------------------------------------------------

    def _load_items(self) -> dict[tuple[str, str], ErpItem]:
        if self._items is None:
            items: dict[tuple[str, str], ErpItem] = {}
            for page in self.client.produtos.list().pages():
                self.calls.hit(SERVICE)
                for p in page:
                    kind = "service" if p.tipo == "S" else "product"
                    item = ErpItem(
                        str(p.id),
                        kind,
                        p.nome or "",
                        p.codigo or "",
                        p.preco or ZERO,
                        active=(p.situacao or "A") == "A",
                    )
                    items[(kind, item.id)] = item
            self._items = items
        return self._items

    def products(self) -> Iterator[ErpItem]:
        return iter([i for i in self._load_items().values() if i.kind == "product"])

    def services(self) -> Iterator[ErpItem]:
        return iter([i for i in self._load_items().values() if i.kind == "service"])

    def item(self, kind: str, erp_id: str) -> ErpItem | None:
        return self._load_items().get((kind, erp_id))

    def financial_accounts(self) -> list[FinancialAccount]:
        formas = list(self.client.formas_pagamentos.list())
        self.calls.hit(SERVICE)
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

    def find_sale(self, sale: PlannedSale) -> str | None:
        pager = self.client.pedidos_vendas.list(numeros_lojas=[sale.reference])
        for page in pager.pages():
            self.calls.hit(SERVICE)
            for pedido in page:
                if pedido.numero_loja == sale.reference:
                    return str(pedido.id)
        return None

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        for page in self.client.pedidos_vendas.list(data_inicial=day).pages():
            self.calls.hit(SERVICE)
            for pedido in page:
                if pedido.numero_loja and pedido.id is not None:
                    yield pedido.numero_loja, str(pedido.id)

    def create_sale(self, sale: PlannedSale) -> str:
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
        created = self.client.pedidos_vendas.create(pedido)
        self.calls.hit(SERVICE)
        return str(int(created))
