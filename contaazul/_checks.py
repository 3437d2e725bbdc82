"""What a Conta Azul write refuses before sending: the marked fields of every record (a
contact's CPF or CNPJ, a deal item's quantity and prices), and a deal whose payments do not
add up to its total."""

from __future__ import annotations

from decimal import Decimal
from itertools import combinations

from sdkcore import APIModel
from sdkcore.write_checks import check_installments, check_outgoing

from .finance import deal_total
from .models import Deal


def check_write(record: APIModel) -> None:
    """Raise ``RequestValidationError`` naming the first field of ``record`` a write must not
    send."""
    check_outgoing(record)
    if isinstance(record, Deal):
        _check_payments(record)


def _check_payments(deal: Deal) -> None:
    """The payments of a deal add up to its total (see ``deal_total``), or to that total
    less taxes withheld at source. The spec does not say which taxes are withheld, so any
    of them may be: the spec's service sale is paid net of both of its taxes."""
    items, payments = deal.items or [], deal.payments or []
    if not items or not payments:
        return
    if any(item.quantity is None or item.rate is None for item in items):
        return  # the total is not known; the required-field check speaks for these
    total = deal_total(deal)
    withheld = [tax.value for tax in deal.taxes or [] if tax.value is not None]
    totals = [total]
    for size in range(1, len(withheld) + 1):
        for taxes in combinations(withheld, size):
            totals.append(total - sum(taxes, Decimal(0)))
    also = "or that total less any of its taxes withheld" if withheld else ""
    check_installments((p.value for p in payments), totals, "payments", also=also)
