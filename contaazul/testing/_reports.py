"""The fake's reports, computed from its records with simple, stated formulas.

Every function is pure: it takes the fake's books and answers the JSON the spec's report
returns. Months are calendar months in São Paulo; report instants are epoch milliseconds
of São Paulo midnight, as the spec's examples send them.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import attrs

from sdkcore.dates import SAO_PAULO, to_epoch_ms
from sdkcore.money import cents, money_to_json_number

from ..models import BankAccount, Deal, FinanceCategory, Statement

ZERO = Decimal(0)
_RATIO = Decimal("0.0001")

JSON = dict[str, Any]


@attrs.frozen
class Books:
    """What the reports read: the fake's records at one moment."""

    today: date
    product_sales: list[Deal]
    service_sales: list[Deal]
    purchases: list[Deal]
    statements: list[Statement]
    accounts: list[BankAccount]
    categories: Mapping[int, FinanceCategory]
    category_wire: Mapping[int, JSON]
    customer_wire: Mapping[int, JSON]
    product_wire: Mapping[int, JSON]
    deal_costs: Mapping[int, Decimal]
    """Deal id -> cost of what it sold (quantity x unit cost, per item)."""
    purchase_statements: frozenset[int]
    """Ids of the statements that purchases generated (stock, not running costs)."""

    @property
    def sales(self) -> list[Deal]:
        return [*self.product_sales, *self.service_sales]


def epoch_ms(day: date) -> int:
    """São Paulo midnight of ``day`` in epoch milliseconds."""
    return to_epoch_ms(datetime(day.year, day.month, day.day, tzinfo=SAO_PAULO))


def month_of(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def number(value: Decimal) -> float | int:
    return money_to_json_number(value)


def _ratio(numerator: Decimal, denominator: Decimal) -> float | int | None:
    if denominator == 0:
        return None
    return number((numerator / denominator).quantize(_RATIO, rounding=ROUND_HALF_UP))


def _within(day: date | None, start: date | None, end: date | None) -> bool:
    if day is None:
        return False
    return (start is None or day >= start) and (end is None or day <= end)


def taxes_of(deal: Deal) -> Decimal:
    return sum((t.value or ZERO for t in deal.taxes or []), ZERO)


# -- sales --------------------------------------------------------------------------------


def monthly_sales(books: Books, start: date | None, end: date | None, group_by: str) -> list[JSON]:
    """Sales per month and customer (``total`` of each sale), per product (quantity x rate of
    product-sale items) or per salesman. The spec's deals carry no salesman, so ``SALESMEN``
    gives one row per month with ``vendor`` null."""
    sums: dict[tuple[date, int | None], Decimal] = defaultdict(lambda: ZERO)
    if group_by == "PRODUCT":
        for deal in books.product_sales:
            if _within(deal.deal_date, start, end) and deal.deal_date:
                for item in deal.items or []:
                    amount = (item.quantity or ZERO) * (item.rate or ZERO)
                    sums[(month_of(deal.deal_date), item.item_id)] += amount
    else:
        for deal in books.sales:
            if _within(deal.deal_date, start, end) and deal.deal_date:
                key = deal.contact_id if group_by == "CUSTOMER" else None
                sums[(month_of(deal.deal_date), key)] += deal.total or ZERO
    rows: list[JSON] = []
    for (month, key), value in sorted(sums.items(), key=lambda kv: (kv[0][0], -kv[1])):
        row: JSON = {"month": epoch_ms(month), "value": number(cents(value)), "groupBy": group_by}
        if group_by == "CUSTOMER":
            row["customer"] = books.customer_wire.get(key or 0, {"id": key})
        elif group_by == "PRODUCT":
            row["product"] = books.product_wire.get(key or 0, {"id": key})
        else:
            row["vendor"] = None
        rows.append(row)
    return rows


def product_ranking(
    books: Books, start: date | None, end: date | None, deal_type: str
) -> list[JSON]:
    """Products by quantity sold, most first. The spec's API has no quotations or orders, so
    ``QUOTATION`` and ``ORDER`` rank nothing."""
    if deal_type != "SALE":
        return []
    quantities: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for deal in books.product_sales:
        if _within(deal.deal_date, start, end):
            for item in deal.items or []:
                if item.item_id is not None:
                    quantities[item.item_id] += item.quantity or ZERO
    ranked = sorted(quantities.items(), key=lambda kv: (-kv[1], kv[0]))
    return [
        {
            "product": {"id": pid, "name": books.product_wire.get(pid, {}).get("name")},
            "quantity": number(quantity),
        }
        for pid, quantity in ranked
    ]


# -- statements -------------------------------------------------------------------------


def by_category(books: Books, kind: str, start: date | None, end: date | None) -> list[JSON]:
    """Per month, the sum of the ``kind`` (REVENUE or EXPENSE) statements of each category."""
    sums: dict[date, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for st in books.statements:
        if st.statement_type == kind and _within(st.date, start, end) and st.date:
            sums[month_of(st.date)][st.category_id or 0] += st.valor or ZERO
    return [
        {
            "categories": [
                {"categoryId": cid, "sum": number(cents(total))}
                for cid, total in sorted(per_category.items())
            ],
            "date": epoch_ms(month),
        }
        for month, per_category in sorted(sums.items())
    ]


def cash_flow(books: Books, start: date | None, end: date | None) -> JSON:
    """Per month, every statement (paid or not: a flow looks ahead) summed per category, in
    three groups (revenues, expenses, transfers); a period's ``sum`` is revenues - expenses."""
    sums: dict[date, dict[int, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for st in books.statements:
        if _within(st.date, start, end) and st.date:
            sums[month_of(st.date)][st.category_id or 0] += st.valor or ZERO
    periods: list[JSON] = []
    for month, per_category in sorted(sums.items()):
        groups: dict[str, list[JSON]] = {"REVENUE": [], "EXPENSE": [], "TRANSFER": []}
        balance = ZERO
        for cid, total in sorted(per_category.items()):
            category = books.categories.get(cid)
            kind = str(category.type) if category and category.type else "EXPENSE"
            wire = books.category_wire.get(cid, {"id": cid, "description": None, "type": kind})
            groups.setdefault(kind, []).append({"category": wire, "sum": number(cents(total))})
            balance += total if kind == "REVENUE" else -total if kind == "EXPENSE" else ZERO
        periods.append(
            {
                "sum": number(cents(balance)),
                "periodStart": epoch_ms(month),
                "categoryGroup": [{"categories": c} for c in groups.values()],
            }
        )
    return {"periods": periods}


def _signed(st: Statement) -> Decimal:
    value = st.valor or ZERO
    return value if st.statement_type == "REVENUE" else -value


def balance_on(books: Books, account: BankAccount, day: date) -> Decimal:
    """The initial balance plus the paid/received statements of the account from the initial
    balance's date up to and including ``day``."""
    opening = account.initial_balance_date
    total = account.initial_balance_amount or ZERO
    if opening is not None and day < opening:
        total = ZERO
    for st in books.statements:
        if st.bank_account_id != account.id or not st.done or st.date is None:
            continue
        if st.date <= day and (opening is None or st.date >= opening):
            total += _signed(st)
    return cents(total)


def bank_balances(books: Books, start: date | None, end: date | None) -> list[JSON]:
    """For each account, the closing balance of each month from ``start`` to ``end`` (default:
    the six months up to today), dated the month's last day (or ``end``, if earlier)."""
    last = end or books.today
    first = month_of(start) if start else month_of(_months_back(month_of(last), 5))
    days: list[date] = []
    month = first
    while month <= last:
        days.append(min(month_end(month), last))
        month = next_month(month)
    return [
        {
            "bankAccountId": account.id,
            "balance": [
                {"date": epoch_ms(day), "value": number(balance_on(books, account, day))}
                for day in days
            ],
        }
        for account in sorted(books.accounts, key=lambda a: a.id or 0)
    ]


def _months_back(month: date, count: int) -> date:
    index = month.year * 12 + month.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


# -- results ----------------------------------------------------------------------------


def billing(books: Books, start: date | None, end: date | None) -> list[JSON]:
    """Per month: ``billing`` = sales totals; ``grossProfit`` = billing - cost of what was
    sold - withheld taxes; ``netProfit`` = revenues - expenses of the month's statements."""
    billed: dict[date, Decimal] = defaultdict(lambda: ZERO)
    gross: dict[date, Decimal] = defaultdict(lambda: ZERO)
    net: dict[date, Decimal] = defaultdict(lambda: ZERO)
    for deal in books.sales:
        if _within(deal.deal_date, start, end) and deal.deal_date:
            month = month_of(deal.deal_date)
            billed[month] += deal.total or ZERO
            gross[month] += (
                (deal.total or ZERO) - books.deal_costs.get(deal.id or 0, ZERO) - taxes_of(deal)
            )
    for st in books.statements:
        if _within(st.date, start, end) and st.date:
            net[month_of(st.date)] += _signed(st)
    months = sorted(set(billed) | set(net))
    return [
        {
            "period": epoch_ms(month),
            "billing": number(cents(billed[month])),
            "netProfit": number(cents(net[month])),
            "grossProfit": number(cents(gross[month])),
        }
        for month in months
    ]


def ratios(books: Books) -> JSON:
    """Indicators over all records, ``null`` where a denominator is zero.

    - salesAverageTicket = sales totals / number of sales
    - salesProfit = (revenues - expenses) / sales totals
    - companyProfit = (revenues - expenses) / the accounts' initial balances
    - companyLiquidity = (cash today + open receivables) / open payables
    - companyDebtBurden = open payables / (cash today + open receivables)
    - contributionMargin = (sales - cost of goods sold - withheld taxes) / sales
    - breakeven = running expenses (those not from purchases) / contributionMargin
    """
    sales = books.sales
    billed = sum((d.total or ZERO for d in sales), ZERO)
    variable = sum(
        (books.deal_costs.get(d.id or 0, ZERO) + taxes_of(d) for d in sales),
        ZERO,
    )
    revenues = _sum(s for s in books.statements if s.statement_type == "REVENUE")
    expenses = _sum(s for s in books.statements if s.statement_type == "EXPENSE")
    receivable = _sum(s for s in books.statements if s.statement_type == "REVENUE" and not s.done)
    payable = _sum(s for s in books.statements if s.statement_type == "EXPENSE" and not s.done)
    running = _sum(
        s
        for s in books.statements
        if s.statement_type == "EXPENSE" and s.id not in books.purchase_statements
    )
    cash = sum((balance_on(books, a, books.today) for a in books.accounts), ZERO)
    capital = sum((a.initial_balance_amount or ZERO for a in books.accounts), ZERO)
    margin = (billed - variable) / billed if billed else ZERO
    return {
        "salesAverageTicket": number(cents(billed / len(sales))) if sales else None,
        "salesProfit": _ratio(revenues - expenses, billed),
        "companyProfit": _ratio(revenues - expenses, capital),
        "companyLiquidity": _ratio(cash + receivable, payable),
        "companyDebtBurden": _ratio(payable, cash + receivable),
        "contributionMargin": _ratio(billed - variable, billed),
        "breakeven": number(cents(running / margin)) if margin else None,
    }


def _sum(statements: Iterable[Statement]) -> Decimal:
    return sum((s.valor or ZERO for s in statements), ZERO)
