"""Resources: ``client.<resource>.<verb>()`` with exactly the actions the blueprint documents.

Every rule lives in the pure builders of ``_calls`` and ``_queries``. Each method here is
written once, as a builder of its request (see ``sdkcore.endpoints``): bound to ``Auvo`` it
answers directly, bound to ``AsyncAuvo`` it is awaited (lists return a lazy pager on both).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Generic, TypeVar

from sdkcore import (
    Call,
    endpoints as e,  # as "e": each resource has an "endpoint" attribute
)
from sdkcore.client import BaseAPIClient, PerCall, Resource
from sdkcore.endpoints import Flow, PageFetcher
from sdkcore.transport import Timeout

from . import _calls as c, _queries as q
from ._calls import Endpoint
from ._envelope import Upserted
from ._types import AuvoModel, TaskStatusFilter
from .models import (
    AttachmentUpload,
    Customer,
    CustomerGroup,
    Equipment,
    EquipmentCategory,
    Expense,
    ExpenseType,
    GpsPosition,
    Keyword,
    Product,
    ProductCategory,
    Questionnaire,
    Quotation,
    SatisfactionSurvey,
    Segment,
    Service,
    ServiceOrder,
    Task,
    TaskAdditionalCostItem,
    TaskProductItem,
    TaskServiceItem,
    TaskType,
    Team,
    TeamUser,
    Ticket,
    User,
    Webhook,
    WebhookEvent,
)
from .webhooks import parse_event

M = TypeVar("M", bound=AuvoModel)
C = TypeVar("C", bound=BaseAPIClient, covariant=True)

USERS = Endpoint("/users", User)
TASKS = Endpoint("/tasks", Task)
DELETED_TASKS = Endpoint("/tasks/getdeletedtasks", Task, list_suffix="")
CUSTOMERS = Endpoint("/customers", Customer)
CUSTOMER_GROUPS = Endpoint("/customerGroups", CustomerGroup)
TEAMS = Endpoint("/teams", Team)
TASK_TYPES = Endpoint("/taskTypes", TaskType)
SEGMENTS = Endpoint("/segments", Segment)
KEYWORDS = Endpoint("/keywords", Keyword)
QUESTIONNAIRES = Endpoint("/questionnaires", Questionnaire)
WEBHOOKS = Endpoint("/webHooks", Webhook)
EXPENSES = Endpoint("/expenses", Expense)
EXPENSE_TYPES = Endpoint("/expenseTypes", ExpenseType)
GPS = Endpoint("/gps", GpsPosition)
SATISFACTION_SURVEYS = Endpoint("/satisfactionSurveys", SatisfactionSurvey)
EQUIPMENT_CATEGORIES = Endpoint("/equipmentCategories", EquipmentCategory)
EQUIPMENTS = Endpoint("/equipments", Equipment)
PRODUCT_CATEGORIES = Endpoint("/productCategories", ProductCategory)
PRODUCTS = Endpoint("/products", Product)
QUOTATIONS = Endpoint("/quotations", Quotation)
TICKETS = Endpoint("/tickets", Ticket)
SERVICES = Endpoint("/services", Service)
SERVICE_ORDERS = Endpoint("/serviceorders", ServiceOrder, list_suffix="")


class _Base(Resource[C]):
    """A resource of one Auvo collection; ``C`` is the client, ``Auvo`` or ``AsyncAuvo``."""

    endpoint: ClassVar[Endpoint[Any]]


class _Get(_Base[C], Generic[C, M]):
    @e.endpoint
    def get(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[M]:
        """One record by id."""
        per = PerCall(extra_headers, extra_query, timeout)
        return c.get_call(self.endpoint, id, per)


class _Create(_Base[C], Generic[C, M]):
    create_renames: ClassVar[Mapping[str, str]] = {}

    @e.endpoint
    def create(
        self,
        record: M | Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[M]:
        """Create a record (a model or a dict); required fields are checked before sending."""
        per = PerCall(extra_headers, extra_query, timeout)
        return c.create_call(self.endpoint, record, per, renames=self.create_renames)


class _Upsert(_Base[C], Generic[C, M]):
    @e.endpoint
    def upsert(
        self,
        record: M | Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Upserted[M]]:
        """Update the record with this ``id`` or ``external_id``, or create it.

        Returns ``(record, created)``; ``created`` is True when Auvo answered 201."""
        per = PerCall(extra_headers, extra_query, timeout)
        return c.upsert_call(self.endpoint, record, per)


class _Patch(_Base[C], Generic[C, M]):
    @e.endpoint
    def patch(
        self,
        id: int | str,
        changes: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[M]:
        """Change some fields: ``{"note": "x"}`` becomes the JSON Patch Auvo wants."""
        per = PerCall(extra_headers, extra_query, timeout)
        return c.patch_call(self.endpoint, id, changes, per)


class _Delete(_Base[C], Generic[C, M]):
    @e.endpoint
    def delete(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Delete a record by id."""
        per = PerCall(extra_headers, extra_query, timeout)
        return c.delete_call(self.endpoint, id, per)


class _List(_Base[C], Generic[C, M]):
    @e.paged
    def list(
        self,
        *,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        select_fields: Iterable[str] | None = None,
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[M]:
        """Records, lazily, a page at a time; ``filters`` go into ``paramFilter``."""
        query = c.list_query(
            self.endpoint,
            {},
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class _Attachments(_Base[C], Generic[C, M]):
    attachments_path: ClassVar[str] = "{id}/attachments"

    @e.endpoint
    def update_attachments(
        self,
        id: int | str,
        attachments: Iterable[AttachmentUpload | Mapping[str, Any]],
        *,
        remove_all_inserted_by_me: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[M]:
        """Attach files (name with extension, base64 content); optionally drop the earlier ones."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.attachments_body(attachments, remove_all_inserted_by_me)
        path = self.attachments_path.format(id=c.record_id(id))
        return c.action_call("PUT", path, body, self.endpoint.model, per)


class Users(_Get[C, User], _Create[C, User], _Upsert[C, User], _Patch[C, User], _Delete[C, User]):
    """``/users``: the people who work in Auvo."""

    endpoint = USERS

    @e.paged
    def list(
        self,
        *,
        name: str | None = None,
        user_type: int | None = None,
        external_ids: Iterable[str] | str | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        select_fields: Iterable[str] | None = None,
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[User]:
        """Users, lazily; ``user_type`` 1 user, 2 team manager, 3 administrator."""
        known = q.user_filters(name, user_type, external_ids)
        query = c.list_query(
            self.endpoint,
            known,
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class Tasks(
    _Get[C, Task],
    _Create[C, Task],
    _Upsert[C, Task],
    _Patch[C, Task],
    _Delete[C, Task],
    _Attachments[C, Task],
):
    """``/tasks``: visits, with their products, services and additional costs."""

    endpoint = TASKS
    attachments_path = "/tasks/{id}/attachments"

    @e.paged
    def list(
        self,
        *,
        start: datetime | date,
        end: datetime | date,
        status: TaskStatusFilter | int | None = None,
        task_type_id: int | None = None,
        customer_group_id: int | None = None,
        modified_since: datetime | None = None,
        customer_id: int | None = None,
        user_to_id: int | None = None,
        team_id: int | None = None,
        external_ids: Iterable[str] | str | None = None,
        keyword_ids: Iterable[int] | str | None = None,
        window: timedelta = c.DEFAULT_TASK_WINDOW,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        select_fields: Iterable[str] | None = None,
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Task]:
        """Tasks dated within ``[start, end]``, lazily. Auvo's task search is slow, so a long
        range is searched in ``window``-long pieces, each paged; page numbers stay resumable."""
        first, last = q.task_range(start, end)
        known = q.task_filters(
            status,
            task_type_id,
            customer_group_id,
            modified_since,
            customer_id,
            user_to_id,
            team_id,
            external_ids,
            keyword_ids,
        )
        query = c.list_query(
            self.endpoint,
            known,
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        windows = c.split_window(first, last, window)
        per = PerCall(extra_headers, extra_query, timeout)
        return c.windowed_calls(self.endpoint, query, windows, per)

    @e.paged
    def deleted(
        self,
        *,
        start: datetime | date,
        end: datetime | date,
        window: timedelta = c.DEFAULT_TASK_WINDOW,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Task]:
        """Tasks deleted from ``[start, end]`` (``/tasks/getdeletedtasks``), lazily."""
        first, last = q.task_range(start, end)
        query = c.list_query(DELETED_TASKS, {}, filters, order=order, page_size=page_size)
        windows = c.split_window(first, last, window)
        per = PerCall(extra_headers, extra_query, timeout)
        return c.windowed_calls(DELETED_TASKS, query, windows, per)

    @e.endpoint
    def upsert_products(
        self,
        id: int | str,
        products: Iterable[TaskProductItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Task]:
        """Add products to a task or update those already on it (by ``product_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskProducts", TaskProductItem, products)
        path = f"/tasks/{c.record_id(id)}/products"
        return c.action_call("PUT", path, body, Task, per)

    @e.endpoint
    def upsert_services(
        self,
        id: int | str,
        services: Iterable[TaskServiceItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Task]:
        """Add services to a task or update those already on it (by ``service_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskServices", TaskServiceItem, services)
        path = f"/tasks/{c.record_id(id)}/services"
        return c.action_call("PUT", path, body, Task, per)

    @e.endpoint
    def upsert_additional_costs(
        self,
        id: int | str,
        costs: Iterable[TaskAdditionalCostItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Task]:
        """Add additional costs to a task or update those on it (by ``additional_cost_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskAdditionalCosts", TaskAdditionalCostItem, costs)
        path = f"/tasks/{c.record_id(id)}/additional-costs"
        return c.action_call("PUT", path, body, Task, per)

    @e.endpoint
    def delete_products(
        self,
        id: int | str,
        product_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Remove products (by their ``product_id`` GUIDs) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/products"
        return c.delete_items_call(path, product_ids, "product_ids", per)

    @e.endpoint
    def delete_services(
        self,
        id: int | str,
        service_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Remove services (by their ids) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/services"
        return c.delete_items_call(path, service_ids, "service_ids", per)

    @e.endpoint
    def delete_additional_costs(
        self,
        id: int | str,
        additional_cost_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Remove additional costs (by their ids) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/additional-costs"
        call = c.delete_items_call(path, additional_cost_ids, "additional_cost_ids", per)
        return call


class Customers(
    _Get[C, Customer],
    _Create[C, Customer],
    _Upsert[C, Customer],
    _Patch[C, Customer],
    _Delete[C, Customer],
    _Attachments[C, Customer],
):
    """``/customers``: the clients a company visits."""

    endpoint = CUSTOMERS
    create_renames: ClassVar[Mapping[str, str]] = {
        "description": "name"
    }  # Auvo reads the name as "name" on create only
    attachments_path = "/customer/{id}/attachments"  # singular, as the blueprint has it

    @e.paged
    def list(
        self,
        *,
        modified_since: datetime | None = None,
        group_id: int | None = None,
        external_ids: Iterable[str] | str | None = None,
        name: str | None = None,
        segment_id: int | None = None,
        active: bool | None = None,
        created_since: datetime | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        select_fields: Iterable[str] | None = None,
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Customer]:
        """Customers, lazily; ``modified_since`` keeps those changed since then."""
        known = q.customer_filters(
            modified_since, group_id, external_ids, name, segment_id, active, created_since
        )
        query = c.list_query(
            self.endpoint,
            known,
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class CustomerGroups(_Create[C, CustomerGroup], _Delete[C, CustomerGroup]):
    """``/customerGroups``: named sets of customers."""

    endpoint = CUSTOMER_GROUPS

    @e.paged
    def list(
        self,
        *,
        description: str | None = None,
        filters: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[CustomerGroup]:
        """Every customer group (Auvo answers them all at once)."""
        query = c.list_query(self.endpoint, {"description": description}, filters)
        per = PerCall(extra_headers, extra_query, timeout)
        return c.single_page(c.unpaged_call(self.endpoint, query, per))

    @e.paged
    def clients(
        self,
        group_id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Customer]:
        """The customers in one group."""
        per = PerCall(extra_headers, extra_query, timeout)
        return c.single_page(c.group_clients_call(group_id, per))


class Teams(_Get[C, Team], _Create[C, Team], _List[C, Team]):
    """``/teams``: users grouped under managers."""

    endpoint = TEAMS

    @e.paged
    def users(
        self,
        team_id: int | str,
        *,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[TeamUser]:
        """The participants of one team, lazily."""
        endpoint = c.team_users_endpoint(team_id)
        query = c.list_query(endpoint, {}, None, order=order, page_size=page_size)
        return c.paged_calls(endpoint, query, PerCall(extra_headers, extra_query, timeout))


class TaskTypes(
    _Get[C, TaskType],
    _Create[C, TaskType],
    _Patch[C, TaskType],
    _Delete[C, TaskType],
    _List[C, TaskType],
):
    """``/taskTypes``: kinds of task, with their requirements."""

    endpoint = TASK_TYPES


class Segments(
    _Get[C, Segment],
    _Create[C, Segment],
    _Patch[C, Segment],
    _Delete[C, Segment],
    _List[C, Segment],
):
    """``/segments``: customer segments."""

    endpoint = SEGMENTS


class Keywords(
    _Get[C, Keyword],
    _Create[C, Keyword],
    _Patch[C, Keyword],
    _Delete[C, Keyword],
    _List[C, Keyword],
):
    """``/keywords``: tags for tasks."""

    endpoint = KEYWORDS


class Questionnaires(_Get[C, Questionnaire], _List[C, Questionnaire]):
    """``/questionnaires``: checklists answered during tasks."""

    endpoint = QUESTIONNAIRES


class Expenses(_Get[C, Expense], _Create[C, Expense], _Patch[C, Expense], _Delete[C, Expense]):
    """``/expenses``: what users spent in the field."""

    endpoint = EXPENSES

    @e.paged
    def list(
        self,
        *,
        start: datetime | date,
        end: datetime | date,
        user_to_id: int | None = None,
        type_id: int | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Expense]:
        """Expenses dated within ``[start, end]``, lazily."""
        known = q.expense_filters(start, end, user_to_id, type_id)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    @e.endpoint
    def update_attachment(
        self,
        id: int | str,
        attachment: str,
        *,
        delete_attachment: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Expense]:
        """Replace an expense's attachment (base64 content)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.expense_attachment_body(attachment, delete_attachment)
        path = f"/expenses/{c.record_id(id)}/attachments"
        return c.action_call("PUT", path, body, Expense, per)


class ExpenseTypes(
    _Get[C, ExpenseType],
    _Create[C, ExpenseType],
    _Patch[C, ExpenseType],
    _Delete[C, ExpenseType],
    _List[C, ExpenseType],
):
    """``/expenseTypes``: kinds of expense."""

    endpoint = EXPENSE_TYPES


class Gps(_Base[C]):
    """``/gps``: where users' phones were."""

    endpoint = GPS

    @e.paged
    def list(
        self,
        *,
        day: datetime | date,
        user_id: int | None = None,
        last_known_only: bool | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[GpsPosition]:
        """Positions recorded on ``day``, lazily."""
        known = q.gps_filters(day, user_id, last_known_only)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class SatisfactionSurveys(_Base[C]):
    """``/satisfactionSurveys``: customers' answers about tasks."""

    endpoint = SATISFACTION_SURVEYS

    @e.paged
    def list(
        self,
        *,
        task_ids: Iterable[int],
        email: str | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[SatisfactionSurvey]:
        """Survey answers for these tasks, lazily."""
        known = q.survey_filters(task_ids, email)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class EquipmentCategories(
    _Get[C, EquipmentCategory],
    _Create[C, EquipmentCategory],
    _Patch[C, EquipmentCategory],
    _Delete[C, EquipmentCategory],
    _List[C, EquipmentCategory],
):
    """``/equipmentCategories``."""

    endpoint = EQUIPMENT_CATEGORIES


class Equipments(
    _Get[C, Equipment],
    _Create[C, Equipment],
    _Patch[C, Equipment],
    _Delete[C, Equipment],
    _Attachments[C, Equipment],
):
    """``/equipments``: customers' equipment that tasks service."""

    endpoint = EQUIPMENTS
    attachments_path = "/equipments/{id}/attachments"

    @e.paged
    def list(
        self,
        *,
        name: str | None = None,
        external_id: str | None = None,
        customer_id: int | None = None,
        category_id: int | None = None,
        identifier: str | None = None,
        active: bool | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Equipment]:
        """Equipment, lazily."""
        known = q.equipment_filters(name, external_id, customer_id, category_id, identifier, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class ProductCategories(
    _Get[C, ProductCategory],
    _Create[C, ProductCategory],
    _Upsert[C, ProductCategory],
    _Patch[C, ProductCategory],
    _Delete[C, ProductCategory],
    _List[C, ProductCategory],
):
    """``/productCategories``."""

    endpoint = PRODUCT_CATEGORIES


class Products(
    _Get[C, Product],
    _Create[C, Product],
    _Patch[C, Product],
    _Delete[C, Product],
    _Attachments[C, Product],
):
    """``/products``: what tasks and quotations sell; ids in URLs are the product code."""

    endpoint = PRODUCTS
    attachments_path = "/products/{id}/attachments"

    @e.paged
    def list(
        self,
        *,
        name: str | None = None,
        external_id: str | None = None,
        category_id: int | None = None,
        active: bool | None = None,
        below_minimum_stock: bool | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        select_fields: Iterable[str] | None = None,
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Product]:
        """Products, lazily."""
        known = q.product_filters(name, external_id, category_id, active, below_minimum_stock)
        query = c.list_query(
            self.endpoint,
            known,
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    @e.endpoint
    def update_employee_stock(
        self,
        user_id: int,
        product_id: int | str,
        amount: Decimal | int | float | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Product | None]:
        """Set how many of a product one employee holds; returns the product if Auvo says."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.employee_stock_body(user_id, product_id, amount)
        path = "/products/employee-product-stock"
        return c.optional_action_call("PUT", path, body, Product, per)


class Quotations(_Get[C, Quotation]):
    """``/quotations``: budgets sent to customers (read-only in the API)."""

    endpoint = QUOTATIONS

    @e.paged
    def list(
        self,
        *,
        requested_from: datetime | date | None = None,
        requested_to: datetime | date | None = None,
        customer_ids: Iterable[int] | None = None,
        user_ids: Iterable[int] | None = None,
        product_ids: Iterable[int] | None = None,
        stage: str | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Quotation]:
        """Quotations, lazily; ``stage`` is the current stage's name."""
        known = q.quotation_filters(
            requested_from, requested_to, customer_ids, user_ids, product_ids, stage
        )
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class Tickets(_Get[C, Ticket], _Create[C, Ticket]):
    """``/tickets``: Auvo Desk requests."""

    endpoint = TICKETS

    @e.paged
    def list(
        self,
        *,
        start: datetime | date | None = None,
        end: datetime | date | None = None,
        ids: Iterable[int] | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Ticket]:
        """Tickets, lazily."""
        known = q.ticket_filters(start, end, ids)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class Services(_Get[C, Service], _Create[C, Service], _Patch[C, Service], _Delete[C, Service]):
    """``/services``: what tasks and quotations charge for work."""

    endpoint = SERVICES

    @e.paged
    def list(
        self,
        *,
        title: str | None = None,
        active: bool | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Service]:
        """Services, lazily."""
        known = q.service_filters(title, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class ServiceOrders(_Get[C, ServiceOrder], _List[C, ServiceOrder]):
    """``/serviceorders``: the blueprint's Projects, grouping visits."""

    endpoint = SERVICE_ORDERS


class Webhooks(_Get[C, Webhook], _Delete[C, Webhook]):
    """``/webHooks``: Auvo POSTs changes of users, tasks and customers to these URLs."""

    endpoint = WEBHOOKS

    @e.paged
    def list(
        self,
        *,
        entity: str | None = None,
        action: str | None = None,
        active: bool | None = None,
        filters: Mapping[str, Any] | None = None,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[Webhook]:
        """Registered hooks, lazily."""
        known = q.webhook_filters(entity, action, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return c.paged_calls(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    @e.endpoint
    def create(
        self,
        entity: str,
        action: str,
        target_url: str,
        *,
        active: bool = True,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Flow[Webhook]:
        """Register a hook, idempotently: a hook for the same entity, action and URL is reused.

        ``entity``: ``"Task"``, ``"Customer"`` or ``"User"``; ``action``: ``"Inclusao"``,
        ``"Alteracao"`` or ``"Exclusao"``."""
        body = q.webhook_body(entity, action, target_url, active)
        per = PerCall(extra_headers, extra_query, timeout)
        query = c.list_query(self.endpoint, q.webhook_filters(entity, action, None), None)
        hooks = c.paged_calls(self.endpoint, query, per)
        found = yield from c.first_match(
            hooks, lambda h: q.same_hook(h, entity, action, target_url)
        )
        if found is not None:
            return found
        created: Webhook = yield c.action_call("POST", "/webHooks/", body, Webhook, per)
        return created

    def parse(self, body: bytes | str) -> WebhookEvent:
        """Read a delivery Auvo POSTed to a hook; anything else raises ``WebhookParseError``."""
        return parse_event(body)
