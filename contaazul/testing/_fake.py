"""``FakeContaAzul``: a stateful, in-memory Conta Azul API that follows the spec's rules."""

from __future__ import annotations

import hmac
import json
import random
import uuid
from collections.abc import Callable, Iterable, Mapping
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from itertools import count
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import attrs
from pydantic import BaseModel, ValidationError as PydanticValidationError

from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.dates import SAO_PAULO, parse_date, parse_instant
from sdkcore.models import APIModel
from sdkcore.money import lines_total, parse_money
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, HTTPFault, route
from sdkcore.wire import field_wire_name

from .. import models as m
from ..finance import deal_total as deal_total  # contaazul.testing exports it
from . import _reports as reports, _seed as seed

if TYPE_CHECKING:
    from .. import AsyncContaAzul, ContaAzul

M = TypeVar("M", bound=APIModel)
F = TypeVar("F", bound=Callable[..., Any])
JSON = dict[str, Any]
ZERO = Decimal(0)

BASE_URL = "https://api.contaazul.com.br"
REQUEST_KEY_PATH = "/pub/oauth/requestkey/"
BAD_CREDENTIALS = {"message": "Bad Credentials"}
VALIDATION_FAILED = "Validation failed"

_LIST, _GET, _POST, _PUT, _DELETE = "LIST", "GET", "POST", "PUT", "DELETE"
_CRUD = frozenset({_LIST, _GET, _POST, _PUT, _DELETE})
_READ = frozenset({_LIST, _GET})
_DEAL = frozenset({_LIST, _GET, _POST})


@attrs.frozen
class Root:
    """One URL root of the spec: its path, entity and the methods the spec lists."""

    key: str
    path: str
    model: type[APIModel]
    methods: frozenset[str]
    id_field: str = "id"


ROOTS: tuple[Root, ...] = (
    Root("customer", "/pub/contact/customer", m.Customer, _CRUD),
    Root("vendor", "/pub/contact/vendor", m.Vendor, _CRUD),
    Root("shipper", "/pub/contact/shipper", m.Shipper, _CRUD),
    Root("city", "/pub/city", m.City, _READ),
    Root("bank", "/pub/bank", m.Bank, _READ, id_field="code"),
    Root("bank_account", "/pub/bank/account", m.BankAccount, _CRUD),
    Root("task_type", "/pub/tasktype", m.TaskType, _READ),
    Root("task", "/pub/task", m.Task, _CRUD),
    Root("product_category", "/pub/product/category", m.ProductCategory, _CRUD),
    Root("product", "/pub/product", m.Product, _CRUD),
    Root("cost_centre", "/pub/finance/costcentre", m.CostCentre, _READ),
    Root("price_list", "/pub/pricelist", m.PriceList, _CRUD),
    Root("finance_category", "/pub/finance/category", m.FinanceCategory, _READ),
    Root("statement", "/pub/finance/statement", m.Statement, frozenset({_LIST, _POST})),
    Root("deal_type", "/pub/deal/type", m.DealType, _READ),
    Root("product_sale", "/pub/deal/product/sale", m.Deal, _DEAL),
    Root("product_purchase", "/pub/deal/product/purchase", m.Deal, _DEAL),
    Root("service_sale", "/pub/deal/task/sale", m.Deal, _DEAL),
)
_BY_KEY = {root.key: root for root in ROOTS}
_DEAL_ROOTS = ("product_sale", "product_purchase", "service_sale")
_CONTACT_ROOTS = ("customer", "vendor", "shipper")

REPORTS: Mapping[str, str] = {
    "/pub/deal/sale/report/monthly": "monthly_sales",
    "/pub/ranking/product": "product_ranking",
    "/pub/finance/report/revenues": "revenues",
    "/pub/finance/report/expenses": "expenses",
    "/pub/finance/flow": "cash_flow",
    "/pub/bank/account/balance": "bank_balances",
    "/pub/finance/report/billing": "billing",
    "/pub/ratios": "ratios",
}


def _error(field: str, message: str) -> JSON:
    return {"field": field, "message": message}


def _fail(status: int, message: str, errors: list[JSON] | None = None) -> NoReturn:
    body: JSON = {"message": message}
    if errors is not None:
        body["errors"] = errors
    raise HTTPFault(status, body)


def _everywhere(method: str) -> Callable[[F], F]:
    """Route ``method`` on every path under /pub up to seven segments deep: the fake resolves
    roots itself (``/pub/bank/{code}`` and ``/pub/bank/account`` overlap)."""

    def mark(func: F) -> F:
        for depth in range(8):
            func = route(method, "/pub" + "".join(f"/{{s{i}}}" for i in range(depth)))(func)
        return func

    return mark


def _token(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def missing_required(model: BaseModel, path: str = "") -> list[str]:
    """Wire paths of every required field left empty, nested ones too (``items[0].rate``)."""
    out: list[str] = []
    fields = type(model).model_fields
    required = model.required_on_create() if isinstance(model, APIModel) else frozenset()
    for name in fields:
        alias = field_wire_name(type(model), name)
        value = getattr(model, name)
        if name in required and (value is None or (isinstance(value, str | list) and not value)):
            out.append(f"{path}{alias}")
        children = value if isinstance(value, list) else [value]
        for index, child in enumerate(children):
            if isinstance(child, BaseModel):
                where = f"{path}{alias}[{index}]." if isinstance(value, list) else f"{path}{alias}."
                out.extend(missing_required(child, where))
    return out


def wire(model: BaseModel) -> JSON:
    """The record as the API answers it: every declared field (nulls too), no extras."""
    out: JSON = {}
    for name in type(model).model_fields:
        value = getattr(model, name)
        alias = field_wire_name(type(model), name)
        if isinstance(value, BaseModel):
            out[alias] = wire(value)
        elif isinstance(value, list):
            out[alias] = [wire(v) if isinstance(v, BaseModel) else v for v in value]
        else:
            out[alias] = model.model_dump(mode="json", include={name}, by_alias=True)[alias]
    return out


class FakeContaAzul(FakeAPI):
    """A stateful fake of the Conta Azul API (the spec's ``/pub`` roots), seeded with the same
    banks, cities, deal types, task types, finance categories, cost centres and the bank
    accounts ``BB`` and ``Caixinha`` on every run (``seed`` varies tokens and ids).

    Semantics follow the spec: both token headers on every request (else 403
    ``{"message": "Bad Credentials"}``); GET lists with query filters (text fields match a
    case-insensitive substring, others exactly; an unknown field is a 400) and ``/:a,b``
    projection; GET ``/{id}`` (404, empty body, when missing) and ``/{id}/:a,b``;
    ``If-Modified-Since: yyyy-mm-dd hh:MM:ss`` (São Paulo time) keeps records created or
    modified after it; POST answers 204 with ``Identificator`` and ``Location``; PUT replaces
    the record and answers 201; DELETE answers 201; methods a root does not list get 405.
    Bad JSON or field types get 400 ``{"message": ...}``; business rules (required fields,
    unknown references, payments that do not add up) get 412::

        {"message": "Validation failed", "errors": [{"field": "name", "message": "is required"}]}

    Ids are unique across all entities, as the spec says. Sales and purchases create one
    statement per payment (revenue or expense, paid when due on or before today), change
    product stock, and feed the reports (see ``_reports`` for their formulas).

    The public-token flow: ``GET /pub/oauth/requestkey/{application_token}`` answers
    ``{"publicToken": "<uuid>"}`` (JSON), a new single-use token each time;
    ``fake.authorize(public_token)`` plays the user on the authorization page and returns a
    new valid company token.
    """

    def __init__(self, *, seed: int = 0, clock: Clock | None = None) -> None:
        super().__init__()
        self.clock: Clock = clock or SYSTEM_CLOCK
        self._rng = random.Random(seed)
        self.application_token: str = _token(self._rng)
        self.company_token: str = _token(self._rng)
        self._company_tokens: set[str] = {self.company_token}
        self._public_tokens: set[str] = set()
        self._ids = count(1000 + 100_000 * seed)
        self._deal_numbers = {"sale": count(1), "purchase": count(1)}
        self._records: dict[str, dict[int, APIModel]] = {root.key: {} for root in ROOTS}
        self._modified: dict[tuple[str, int], float] = {}
        self._purchase_statements: set[int] = set()
        self._seed()

    # -- public helpers -----------------------------------------------------------------

    def authorize(self, public_token: str) -> str:
        """The user accepts on the authorization page: use up ``public_token`` and return the
        company token the page would hand to ``redirectTo`` as ``authorizationToken``."""
        with self.lock:
            if public_token not in self._public_tokens:
                raise ValueError("unknown or already used public token")
            self._public_tokens.discard(public_token)
            token = _token(self._rng)
            self._company_tokens.add(token)
            return token

    def client(self, **kwargs: Any) -> ContaAzul:
        """A ``ContaAzul`` client wired to this fake with valid tokens."""
        from .. import ContaAzul

        return ContaAzul(
            application_token=self.application_token,
            company_token=self.company_token,
            transport=self.transport,
            base_url=BASE_URL,
            **kwargs,
        )

    def async_client(self, **kwargs: Any) -> AsyncContaAzul:
        """An ``AsyncContaAzul`` client wired to this fake with valid tokens."""
        from .. import AsyncContaAzul

        return AsyncContaAzul(
            application_token=self.application_token,
            company_token=self.company_token,
            transport=self.transport,
            base_url=BASE_URL,
            **kwargs,
        )

    def records(self, root: str) -> list[APIModel]:
        """The stored records of a root, by key (``"customer"``) or path (``/pub/...``)."""
        key = root if root in _BY_KEY else self._resolve(root.rstrip("/"))[0].key
        with self.lock:
            return list(self._records[key].values())

    def today(self) -> date:
        return datetime.fromtimestamp(self.clock.time(), SAO_PAULO).date()

    # -- seed ----------------------------------------------------------------------------

    def _seed(self) -> None:
        for code, description in seed.BANKS:
            self._put("bank", code, m.Bank(code=code, description=description))
        for name, state, ibge in seed.CITIES:
            self._add("city", m.City(name=name, state=state, ibge_code=ibge))
        for description, operation in seed.DEAL_TYPES:
            self._add("deal_type", m.DealType(description=description, operation=operation))
        for description in seed.TASK_TYPES:
            self._add("task_type", m.TaskType(description=description))
        for description, kind in seed.FINANCE_CATEGORIES:
            self._add("finance_category", m.FinanceCategory(description=description, type=kind))
        for description in seed.COST_CENTRES:
            self._add("cost_centre", m.CostCentre(description=description))
        for name, bank, agency, number, wallet, amount, day in seed.BANK_ACCOUNTS:
            account = m.BankAccount(
                name=name,
                bank_id=bank,
                agency_number=agency,
                account_number=number,
                wallet=wallet,
                initial_balance_amount=amount,
                initial_balance_date=day,
            )
            self._add("bank_account", account)

    def _next_id(self) -> int:
        return next(self._ids)

    def _add(self, key: str, record: M) -> M:
        ident = self._next_id()
        stored = record.model_copy(update={"id": ident})
        self._put(key, ident, stored)
        return stored

    def _put(self, key: str, ident: int, record: APIModel) -> None:
        self._records[key][ident] = record
        self._modified[(key, ident)] = self.clock.time()

    def _category(self, description: str) -> int:
        for ident, record in self._records["finance_category"].items():
            if isinstance(record, m.FinanceCategory) and record.description == description:
                return ident
        raise LookupError(description)  # pragma: no cover - the seed always has them

    # -- auth ----------------------------------------------------------------------------

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        if request.path.startswith(REQUEST_KEY_PATH):
            return None  # the application key travels in the path
        app = (request.header("ExternalApplicationToken") or "").strip()
        company = (request.header("CompanyToken") or "").strip()
        app_ok = hmac.compare_digest(app.encode(), self.application_token.encode())
        if not app_ok or company not in self._company_tokens:
            return FakeResponse(403, BAD_CREDENTIALS)
        return None

    # -- dispatch ------------------------------------------------------------------------

    @_everywhere("GET")
    @_everywhere("POST")
    @_everywhere("PUT")
    @_everywhere("DELETE")
    @_everywhere("PATCH")
    def _dispatch(self, request: FakeRequest, **_segments: str) -> FakeResponse:
        path = request.path.rstrip("/")
        if path.startswith(REQUEST_KEY_PATH.rstrip("/")):
            self._allow(request, {"GET"})
            return self._request_key(path.removeprefix(REQUEST_KEY_PATH))
        if path in REPORTS:
            self._allow(request, {"GET"})
            return FakeResponse(200, self._report(REPORTS[path], request))
        root, rest = self._resolve(path)
        projection = rest.pop() if rest and rest[-1].startswith(":") else None
        if not rest:
            if request.method == "GET" and _LIST in root.methods:
                return self._list(root, request, projection)
            if request.method == "POST" and projection is None and _POST in root.methods:
                return self._create(root, request)
            self._allow(request, {"GET"} | ({"POST"} if _POST in root.methods else set()))
        if len(rest) != 1 or not rest[0].isdigit():
            raise HTTPFault(404)
        ident = int(rest[0])
        if projection is not None:
            self._allow(request, {"GET"} if _GET in root.methods else set())
        if request.method == "GET" and _GET in root.methods:
            return FakeResponse(200, self._project(root, self._find(root, ident), projection))
        if request.method == "PUT" and _PUT in root.methods:
            return self._update(root, ident, request)
        if request.method == "DELETE" and _DELETE in root.methods:
            return self._delete(root, ident)
        self._allow(request, {v for v in ("GET", "PUT", "DELETE") if v in root.methods})
        raise AssertionError("unreachable")  # pragma: no cover

    @staticmethod
    def _allow(request: FakeRequest, methods: set[str]) -> None:
        if request.method not in methods:
            allow = ", ".join(sorted(methods))
            raise HTTPFault(405, {"message": "Method not allowed"}, {"Allow": allow})

    @staticmethod
    def _resolve(path: str) -> tuple[Root, list[str]]:
        best: Root | None = None
        for root in ROOTS:
            if (path == root.path or path.startswith(root.path + "/")) and (
                best is None or len(root.path) > len(best.path)
            ):
                best = root
        if best is None:
            raise HTTPFault(404)
        return best, [s for s in path[len(best.path) :].split("/") if s]

    # -- reads ---------------------------------------------------------------------------

    def _find(self, root: Root, ident: int) -> APIModel:
        record = self._records[root.key].get(ident)
        if record is None:
            raise HTTPFault(404)
        return record

    def _list(self, root: Root, request: FakeRequest, projection: str | None) -> FakeResponse:
        since = self._since(request)
        filters = {k: v[-1] for k, v in request.query.items() if v}
        out = []
        for ident, record in sorted(self._records[root.key].items()):
            if since is not None and self._modified[(root.key, ident)] <= since:
                continue
            if all(_matches(record, name, value) for name, value in filters.items()):
                out.append(self._project(root, record, projection))
        return FakeResponse(200, out)

    @staticmethod
    def _since(request: FakeRequest) -> float | None:
        header = request.header("If-Modified-Since")
        if header is None or not header.strip():
            return None
        try:
            return parse_instant(header.strip(), SAO_PAULO).timestamp()
        except ValueError:
            _fail(400, "If-Modified-Since must be a date like 2013-05-01 10:00:05")

    def _project(self, root: Root, record: APIModel, projection: str | None) -> JSON:
        body = wire(record)
        if isinstance(record, m.Statement) and record.date is not None:
            body["date"] = reports.epoch_ms(record.date)  # as the spec's example sends it
        if projection is None:
            return body
        names = [n.strip() for n in projection[1:].split(",") if n.strip()]
        unknown = [n for n in names if n not in body]
        if unknown:
            _fail(400, f"unknown field(s) for projection: {', '.join(unknown)}")
        return {n: body[n] for n in names}

    # -- writes --------------------------------------------------------------------------

    def _read_body(self, root: Root, request: FakeRequest) -> APIModel:
        try:
            data = json.loads(request.body) if request.body.strip() else None
        except (ValueError, UnicodeDecodeError) as exc:
            _fail(400, f"Malformed JSON: {exc}")
        if not isinstance(data, dict):
            _fail(400, f"Invalid entity: expected a {root.model.__name__} JSON object")
        try:
            record = root.model.model_validate(data)
        except PydanticValidationError as exc:
            errors = [_error(_loc(e["loc"]), e["msg"]) for e in exc.errors()]
            _fail(400, "Invalid entity", errors)
        if root.key in ("product_sale", "product_purchase"):
            # Only service sales have these; product deals ignore them (the spec's product
            # examples carry "taxes": [{}]).
            record = record.model_copy(update={"taxes": None, "extra_payment": None})
            record = record.model_copy(update={"task_type_id": None})
        missing = missing_required(record)
        errors = [_error(f, "is required") for f in missing]
        errors += self._check(root, record)
        if errors:
            _fail(412, VALIDATION_FAILED, errors)
        return record

    def _create(self, root: Root, request: FakeRequest) -> FakeResponse:
        record = self._read_body(root, request)
        ident = self._next_id()
        stored = self._with_ids(record).model_copy(update={root.id_field: ident})
        if root.key in _DEAL_ROOTS and isinstance(stored, m.Deal):
            stored = self._book_deal(root, stored)
        self._put(root.key, ident, stored)
        host = request.header("host") or "api.contaazul.com.br"
        local = host.split(":")[0] in ("127.0.0.1", "localhost", "[::1]")
        location = f"{'http' if local else 'https'}://{host}{root.path}/{ident}"
        return FakeResponse(204, None, {"Identificator": str(ident), "Location": location})

    def _update(self, root: Root, ident: int, request: FakeRequest) -> FakeResponse:
        self._find(root, ident)
        record = self._read_body(root, request)
        self._put(root.key, ident, self._with_ids(record).model_copy(update={"id": ident}))
        return FakeResponse(201)

    def _delete(self, root: Root, ident: int) -> FakeResponse:
        self._find(root, ident)
        users = self._used_by(root, ident)
        if users:
            _fail(412, VALIDATION_FAILED, [_error("id", f"is in use by {users}")])
        del self._records[root.key][ident]
        self._modified.pop((root.key, ident), None)
        return FakeResponse(201)

    def _with_ids(self, record: M) -> M:
        """Server ids for nested records that have none (items, payments, taxes)."""
        updates: dict[str, Any] = {}
        for name in type(record).model_fields:
            value = getattr(record, name)
            if isinstance(value, list) and value and isinstance(value[0], APIModel):
                updates[name] = [
                    v if getattr(v, "id", 0) else v.model_copy(update={"id": self._next_id()})
                    for v in value
                ]
        return record.model_copy(update=updates) if updates else record

    # -- business rules ------------------------------------------------------------------

    def _exists(self, key: str, ident: int | None) -> bool:
        return ident is not None and ident in self._records[key]

    def _check(self, root: Root, record: APIModel) -> list[JSON]:
        errors: list[JSON] = []

        def refer(field: str, ident: int | None, *keys: str) -> None:
            if ident is not None and not any(self._exists(k, ident) for k in keys):
                errors.append(_error(field, f"no {' or '.join(keys)} with id {ident}"))

        def member(field: str, value: Any, enum: type[StrEnum]) -> None:
            if value is not None and value not in {e.value for e in enum}:
                allowed = ", ".join(e.value for e in enum)
                errors.append(_error(field, f"must be one of {allowed}"))

        if isinstance(record, m.Customer):
            member("kind", record.kind, m.CustomerKind)
        if isinstance(record, m.Customer | m.Vendor | m.Shipper):
            refer("cityId", record.city_id, "city")
        elif isinstance(record, m.BankAccount):
            refer("bankId", record.bank_id, "bank")
        elif isinstance(record, m.Product) and record.category is not None:
            refer("category.id", record.category.id, "product_category")
        elif isinstance(record, m.PriceList):
            for index, item in enumerate(record.items or []):
                refer(f"items[{index}].itemId", item.item_id, "product")
        elif isinstance(record, m.Statement):
            errors += self._check_statement(record, refer, member)
        elif isinstance(record, m.Deal):
            errors += self._check_deal(root, record, refer)
        return errors

    def _check_statement(self, st: m.Statement, refer: Any, member: Any) -> list[JSON]:
        errors: list[JSON] = []
        member("statementType", st.statement_type, m.StatementType)
        member("repeatingCycle", st.repeating_cycle, m.RepeatingCycle)
        refer("bankAccountId", st.bank_account_id, "bank_account")
        refer("contactId", st.contact_id, *_CONTACT_ROOTS)
        refer("costCenterId", st.cost_center_id, "cost_centre")
        category = self._records["finance_category"].get(st.category_id or -1)
        if st.category_id is not None and category is None:
            errors.append(_error("categoryId", f"no finance category with id {st.category_id}"))
        elif (
            isinstance(category, m.FinanceCategory)
            and st.statement_type is not None
            and category.type != st.statement_type
        ):
            errors.append(_error("categoryId", f"is a {category.type} category"))
        if st.valor is not None and st.valor <= 0:
            errors.append(_error("valor", "must be greater than zero"))
        return errors

    def _check_deal(self, root: Root, deal: m.Deal, refer: Any) -> list[JSON]:
        errors: list[JSON] = []
        sale = root.key != "product_purchase"
        contacts = ("customer",) if sale else _CONTACT_ROOTS
        refer("contactId", deal.contact_id, *contacts)
        refer("bankAccountId", deal.bank_account_id, "bank_account")
        refer("shippingContactId", deal.shipping_contact_id, "shipper")
        refer("taskTypeId", deal.task_type_id, "task_type")
        deal_type = self._records["deal_type"].get(deal.deal_type_id or -1)
        wanted = "S" if sale else "E"
        if deal.deal_type_id is not None and deal_type is None:
            errors.append(_error("dealTypeId", f"no deal type with id {deal.deal_type_id}"))
        elif isinstance(deal_type, m.DealType) and deal_type.operation != wanted:
            errors.append(_error("dealTypeId", f"must be a deal type with operation {wanted}"))
        items_root = "task" if root.key == "service_sale" else "product"
        for index, item in enumerate(deal.items or []):
            refer(f"items[{index}].itemId", item.item_id, items_root)
            if item.quantity is not None and item.quantity <= 0:
                errors.append(_error(f"items[{index}].quantity", "must be greater than zero"))
        if deal.items and deal.payments and not errors:
            due = deal_total(deal) - reports.taxes_of(deal)
            paid = sum((p.value or ZERO for p in deal.payments), ZERO)
            if paid != due:
                message = f"add up to {paid}, not to the total less withheld taxes ({due})"
                errors.append(_error("payments", message))
        return errors

    def _used_by(self, root: Root, ident: int) -> str | None:
        if root.key in _CONTACT_ROOTS or root.key in ("bank_account", "product", "task"):
            for key in _DEAL_ROOTS:
                for deal in self._records[key].values():
                    if isinstance(deal, m.Deal) and ident in _deal_refs(deal):
                        return f"{key.replace('_', ' ')} {deal.id}"
        if root.key in (*_CONTACT_ROOTS, "bank_account"):
            for st in self._records["statement"].values():
                if isinstance(st, m.Statement) and ident in (st.contact_id, st.bank_account_id):
                    return f"statement {st.id}"
        return None

    # -- deals ---------------------------------------------------------------------------

    def _book_deal(self, root: Root, deal: m.Deal) -> m.Deal:
        """Compute ``total`` and ``dealNumber``, move stock, and create one statement per
        payment (revenue for sales, expense for purchases)."""
        purchase = root.key == "product_purchase"
        when = deal.deal_date or self.today()
        number = next(self._deal_numbers["purchase" if purchase else "sale"])
        deal = deal.model_copy(
            update={"total": deal_total(deal), "deal_number": number, "deal_date": when}
        )
        if root.key != "service_sale":
            for item in deal.items or []:
                self._move_stock(item, when, purchase)
        if purchase:
            label, kind, category = "Compra", "EXPENSE", seed.PURCHASES_CATEGORY
        elif root.key == "service_sale":
            label, kind, category = "Venda de serviço", "REVENUE", seed.SERVICES_CATEGORY
        else:
            label, kind, category = "Venda", "REVENUE", seed.SALES_CATEGORY
        account = deal.bank_account_id or min(self._records["bank_account"], default=None)
        payments = deal.payments or []
        for index, payment in enumerate(payments, start=1):
            statement = self._add(
                "statement",
                m.Statement(
                    memo=f"{label} {number} - parcela {index}/{len(payments)}",
                    valor=payment.value,
                    date=payment.payment_date,
                    repeat=False,
                    repeating_cycle=m.RepeatingCycle.NEVER,
                    statement_type=kind,
                    done=bool(payment.payment_date and payment.payment_date <= self.today()),
                    bank_account_id=account,
                    category_id=self._category(category),
                    contact_id=deal.contact_id,
                ),
            )
            if purchase and statement.id is not None:
                self._purchase_statements.add(statement.id)
        return deal

    def _move_stock(self, item: m.DealItem, when: date, purchase: bool) -> None:
        product = self._records["product"].get(item.item_id or -1)
        if not isinstance(product, m.Product) or item.quantity is None:
            return
        stock = product.current_stock or ZERO
        update: dict[str, Any] = {"current_stock": stock - item.quantity}
        if purchase:
            update = {
                "current_stock": stock + item.quantity,
                "last_purchase_date": when,
                "last_purchase_amount": item.rate,
            }
        self._put("product", item.item_id or 0, product.model_copy(update=update))

    def _deal_cost(self, deal: m.Deal, root: str) -> Decimal:
        source = "task" if root == "service_sale" else "product"

        def unit_cost(item: m.DealItem) -> Decimal | None:
            if item.vl_custo_unitario is not None:
                return item.vl_custo_unitario
            record = self._records[source].get(item.item_id or -1)
            cost: Decimal | None = getattr(record, "cost_rate", None)
            return cost

        return lines_total((item.quantity, unit_cost(item)) for item in deal.items or [])

    # -- reports -------------------------------------------------------------------------

    def _books(self) -> reports.Books:
        def typed(key: str, cls: type[M]) -> list[M]:
            return [r for r in self._records[key].values() if isinstance(r, cls)]

        costs = {
            d.id or 0: self._deal_cost(d, key) for key in _DEAL_ROOTS for d in typed(key, m.Deal)
        }
        categories = {c.id or 0: c for c in typed("finance_category", m.FinanceCategory)}
        return reports.Books(
            today=self.today(),
            product_sales=typed("product_sale", m.Deal),
            service_sales=typed("service_sale", m.Deal),
            purchases=typed("product_purchase", m.Deal),
            statements=typed("statement", m.Statement),
            accounts=typed("bank_account", m.BankAccount),
            categories=categories,
            category_wire={k: wire(v) for k, v in categories.items()},
            customer_wire={k: wire(v) for k, v in self._records["customer"].items()},
            product_wire={k: wire(v) for k, v in self._records["product"].items()},
            deal_costs=costs,
            purchase_statements=frozenset(self._purchase_statements),
        )

    def _report(self, name: str, request: FakeRequest) -> Any:
        start, end = _day(request, "startDate"), _day(request, "endDate")
        if start and end and start > end:
            _fail(400, "startDate must not be after endDate")
        books = self._books()
        if name == "monthly_sales":
            group = _choice(request, "groupBy", m.SaleReportGroupBy, "CUSTOMER")
            return reports.monthly_sales(books, start, end, group)
        if name == "product_ranking":
            kind = _choice(request, "dealType", m.RankingDealType, "SALE")
            return reports.product_ranking(books, start, end, kind)
        if name in ("revenues", "expenses"):
            kind = "REVENUE" if name == "revenues" else "EXPENSE"
            return reports.by_category(books, kind, start, end)
        if name == "cash_flow":
            return reports.cash_flow(books, start, end)
        if name == "bank_balances":
            return reports.bank_balances(books, start, end)
        if name == "billing":
            return reports.billing(books, start, end)
        return reports.ratios(books)

    # -- oauth ---------------------------------------------------------------------------

    def _request_key(self, key: str) -> FakeResponse:
        if not hmac.compare_digest(key.encode(), self.application_token.encode()):
            return FakeResponse(403, BAD_CREDENTIALS)
        token = _token(self._rng)
        self._public_tokens.add(token)
        return FakeResponse(200, {"publicToken": token})


def _loc(loc: Iterable[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "body"


def _deal_refs(deal: m.Deal) -> set[int]:
    refs = {deal.contact_id, deal.bank_account_id, deal.shipping_contact_id}
    refs |= {i.item_id for i in deal.items or []}
    return {r for r in refs if r is not None}


def _day(request: FakeRequest, name: str) -> date | None:
    value = request.arg(name)
    if value is None or not value.strip():
        return None
    try:
        return parse_date(value.strip())
    except ValueError:
        _fail(400, f"{name} must be a date (yyyy-mm-dd)")


def _choice(request: FakeRequest, name: str, enum: type[StrEnum], default: str) -> str:
    value = (request.arg(name) or default).strip().upper()
    allowed = [e.value for e in enum]
    if value not in allowed:
        _fail(400, f"{name} must be one of {', '.join(allowed)}")
    return value


def _matches(record: APIModel, name: str, wanted: str) -> bool:
    """A query filter: text fields match a case-insensitive substring, others exactly; an
    unknown field or a value in the wrong format is the spec's 400."""
    fields = type(record).model_fields
    field = next((f for f in fields if field_wire_name(type(record), f) == name), None)
    if field is None:
        _fail(400, f"unknown field {name!r} for {type(record).__name__}")
    value = getattr(record, field)
    if value is None:
        return False
    try:
        if isinstance(value, StrEnum):
            return value.value.lower() == wanted.strip().lower()
        if isinstance(value, str):
            return wanted.strip().lower() in value.lower()
        if isinstance(value, bool):
            if wanted.lower() not in ("true", "false"):
                raise ValueError(wanted)
            return value == (wanted.lower() == "true")
        if isinstance(value, int):
            return value == int(wanted)
        if isinstance(value, Decimal):
            return value == parse_money(wanted)
        if isinstance(value, date):
            return value == parse_date(wanted)
    except ValueError:
        _fail(400, f"{name}={wanted!r} is not in the format the field expects")
    _fail(400, f"cannot filter on {name!r}")
