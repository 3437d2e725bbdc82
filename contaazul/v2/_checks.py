"""What a Conta Azul write refuses before sending: the marked fields of every record
(``sdkcore.write_checks``: signs, lengths, CPF/CNPJ), installments that do not add up, to
the cent, to the total they split (a sale's, a receivable's or a payable's), and a change
to an installment or an acquittance without the ``versao`` it was read at."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from sdkcore.errors import RequestValidationError
from sdkcore.models import APIModel
from sdkcore.money import cents
from sdkcore.write_checks import check_installments, check_outgoing

from .models.baixas import BaixaAtualizacao
from .models.financeiro import EventoFinanceiroCriacao, ParcelaAtualizacao
from .models.vendas import (
    ComposicaoValorVendaCriacao,
    ItemVendaCriacao,
    VendaAtualizacao,
    VendaCriacao,
)

_ZERO = Decimal(0)
INSTALLMENTS = "condicao_pagamento.parcelas"
"""Where sales, receivables and payables keep their installments."""


def check_write(record: APIModel) -> None:
    """Raise ``RequestValidationError`` naming the first field of ``record`` a write must
    not send, whole or partial: the installment rules apply whenever the record carries
    both installments and the total they split."""
    check_outgoing(record)
    if isinstance(record, ParcelaAtualizacao | BaixaAtualizacao) and record.versao is None:
        # The API refuses a change without the version it applies to (one it did not see
        # would be overwritten); say so before sending.
        raise RequestValidationError("versao", "is required: the version the record was read at")
    if isinstance(record, VendaCriacao | VendaAtualizacao):
        _check_sale_installments(record)
    elif isinstance(record, EventoFinanceiroCriacao):
        _check_event_installments(record)


def _check_event_installments(event: EventoFinanceiroCriacao) -> None:
    """A receivable's or payable's installments split its ``valor``: their gross amounts
    (``detalhe_valor.valor_bruto``) add up to it."""
    parcelas = event.condicao_pagamento.parcelas if event.condicao_pagamento else None
    if event.valor is None or not parcelas:
        return
    amounts = [p.detalhe_valor.valor_bruto if p.detalhe_valor else None for p in parcelas]
    check_installments(amounts, [event.valor], INSTALLMENTS)


def _check_sale_installments(sale: VendaCriacao | VendaAtualizacao) -> None:
    parcelas = sale.condicao_pagamento.parcelas if sale.condicao_pagamento else None
    if not parcelas or not sale.itens:
        return
    totals = sale_totals(sale.itens, sale.composicao_de_valor)
    if totals:
        check_installments(
            (p.valor for p in parcelas),
            totals,
            INSTALLMENTS,
            also="or its items rounded one by one",
        )


def sale_totals(
    itens: list[ItemVendaCriacao], composicao: ComposicaoValorVendaCriacao | None
) -> list[Decimal]:
    """A sale's total as Conta Azul may compute it (its items' quantity x ``valor``, less
    the discount, an amount or a percentage, plus freight), with the items summed then
    rounded, and rounded one by one; none when an item lacks its quantity or price or the
    discount's kind is unknown, since then the total is not known here."""
    if any(item.quantidade is None or item.valor is None for item in itens):
        return []
    lines = [(item.quantidade or _ZERO) * (item.valor or _ZERO) for item in itens]
    discount = _discount(composicao)
    if discount is None:
        return []
    freight = (composicao.frete if composicao else None) or _ZERO
    subtotals = (sum(lines, _ZERO), sum((cents(line) for line in lines), _ZERO))
    return list(dict.fromkeys(cents(s - discount(s) + freight) for s in subtotals))


def _discount(
    composicao: ComposicaoValorVendaCriacao | None,
) -> Callable[[Decimal], Decimal] | None:
    desconto = composicao.desconto if composicao else None
    if desconto is None or desconto.valor is None:
        return lambda subtotal: _ZERO
    kind = (desconto.tipo or "VALOR").upper()
    value = desconto.valor
    if kind == "VALOR":
        return lambda subtotal: value
    if kind == "PORCENTAGEM":
        return lambda subtotal: subtotal * value / 100
    return None
