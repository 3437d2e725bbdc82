"""The ERP port on Bling: one sales order per Auvo sale, services being products of type S,
the bridge's reference in ``numeroLoja``. The "financial account" is a forma de pagamento.
A customer with neither CPF/CNPJ nor e-mail carries the bridge's reference as its
``codigo`` (``ponte:<reference>``), which Bling's ``pesquisa`` searches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from bling import Bling, Contato, ItemPedidoVenda, ParcelaPedidoVenda, PedidoVenda, Ref
from bling.models import ContatoPedido, DescontoPedido
from sdkcore import NotFoundError

from .ports import (
    CallCounter,
    CustomerData,
    ErpAdapter,
    ErpCustomer,
    ErpItem,
    FinancialAccount,
    ItemNotSellable,
    PlannedSale,
    SaleDraft,
    digits,
)

__all__ = ["BlingERP"]

ZERO = Decimal("0")
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
        return str(int(self.counted(self.client.contatos.create(Contato(**fields)))))

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

    def find_sale(self, sale: PlannedSale) -> str | None:
        pager = self.client.pedidos_vendas.list(numeros_lojas=[sale.reference])
        for pedido in self.records(pager):
            if pedido.numero_loja == sale.reference:
                return str(pedido.id)
        return None

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        for pedido in self.records(self.client.pedidos_vendas.list(data_inicial=day)):
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
        return str(int(self.counted(self.client.pedidos_vendas.create(pedido))))
