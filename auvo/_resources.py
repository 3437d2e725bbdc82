"""Resources: ``client.<resource>.<verb>()`` with exactly the actions the blueprint documents.

Every rule lives in the pure builders of ``_calls`` and ``_queries``; the sync classes here
only send what those build, and the async twins (generated to mirror them name for name and
signature for signature; a test checks it) only ``await`` the same.
"""

from __future__ import annotations

from collections.abc import Awaitable, Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from sdkcore import AsyncPager, Call, Page, Resource, SyncPager
from sdkcore._httpx import Timeout

from . import _calls as c
from . import _queries as q
from ._calls import Endpoint, ListQuery, PerCall
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
T = TypeVar("T")

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


class _Sender(Protocol):
    def send(self, call: Call[T]) -> T: ...


class _AsyncSender(Protocol):
    def send(self, call: Call[T]) -> Awaitable[T]: ...


class _SyncResource(Resource[Any]):
    _client: _Sender
    endpoint: ClassVar[Endpoint[Any]]

    def _pager(self, endpoint: Endpoint[M], query: ListQuery, per: PerCall) -> SyncPager[M]:
        def fetch(number: int) -> Page[M]:
            return self._client.send(c.page_call(endpoint, query, number, per))

        return SyncPager(fetch)

    def _windowed_pager(
        self,
        endpoint: Endpoint[M],
        query: ListQuery,
        windows: Sequence[tuple[datetime, datetime]],
        per: PerCall,
    ) -> SyncPager[M]:
        def fetch(number: int) -> Page[M]:
            call, window = c.windowed_call(endpoint, query, windows, number, per)
            return c.windowed_page(self._client.send(call), window, len(windows), number)

        return SyncPager(fetch)

    def _single(self, call: Call[Page[M]]) -> SyncPager[M]:
        def fetch(number: int) -> Page[M]:
            if number != 1:
                return c.only_page(None, number)
            return c.only_page(self._client.send(call), number)

        return SyncPager(fetch)


class _AsyncResource(Resource[Any]):
    _client: _AsyncSender
    endpoint: ClassVar[Endpoint[Any]]

    def _pager(self, endpoint: Endpoint[M], query: ListQuery, per: PerCall) -> AsyncPager[M]:
        async def fetch(number: int) -> Page[M]:
            return await self._client.send(c.page_call(endpoint, query, number, per))

        return AsyncPager(fetch)

    def _windowed_pager(
        self,
        endpoint: Endpoint[M],
        query: ListQuery,
        windows: Sequence[tuple[datetime, datetime]],
        per: PerCall,
    ) -> AsyncPager[M]:
        async def fetch(number: int) -> Page[M]:
            call, window = c.windowed_call(endpoint, query, windows, number, per)
            return c.windowed_page(await self._client.send(call), window, len(windows), number)

        return AsyncPager(fetch)

    def _single(self, call: Call[Page[M]]) -> AsyncPager[M]:
        async def fetch(number: int) -> Page[M]:
            if number != 1:
                return c.only_page(None, number)
            page: Page[M] = await self._client.send(call)
            return c.only_page(page, number)

        return AsyncPager(fetch)


# -- sync -----------------------------------------------------------------------------------


class _SGet(_SyncResource, Generic[M]):
    def get(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """One record by id."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[M] = c.get_call(self.endpoint, id, per)
        return self._client.send(call)


class _SCreate(_SyncResource, Generic[M]):
    create_renames: ClassVar[Mapping[str, str]] = {}

    def create(
        self,
        record: M | Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """Create a record (a model or a dict); required fields are checked before sending."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[M] = c.create_call(self.endpoint, record, per, renames=self.create_renames)
        return self._client.send(call)


class _SUpsert(_SyncResource, Generic[M]):
    def upsert(
        self,
        record: M | Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Upserted[M]:
        """Update the record with this ``id`` or ``external_id``, or create it.

        Returns ``(record, created)``; ``created`` is True when Auvo answered 201."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[Upserted[M]] = c.upsert_call(self.endpoint, record, per)
        return self._client.send(call)


class _SPatch(_SyncResource, Generic[M]):
    def patch(
        self,
        id: int | str,
        changes: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """Change some fields: ``{"note": "x"}`` becomes the JSON Patch Auvo wants."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[M] = c.patch_call(self.endpoint, id, changes, per)
        return self._client.send(call)


class _SDelete(_SyncResource, Generic[M]):
    def delete(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Delete a record by id."""
        per = PerCall(extra_headers, extra_query, timeout)
        return self._client.send(c.delete_call(self.endpoint, id, per))


class _SList(_SyncResource, Generic[M]):
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
    ) -> SyncPager[M]:
        """Records, lazily, a page at a time; ``filters`` go into ``paramFilter``."""
        query = c.list_query(
            self.endpoint,
            {},
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class _SAttachments(_SyncResource, Generic[M]):
    attachments_path: ClassVar[str] = "{id}/attachments"

    def update_attachments(
        self,
        id: int | str,
        attachments: Iterable[AttachmentUpload | Mapping[str, Any]],
        *,
        remove_all_inserted_by_me: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """Attach files (name with extension, base64 content); optionally drop the earlier ones."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.attachments_body(attachments, remove_all_inserted_by_me)
        path = self.attachments_path.format(id=c.record_id(id))
        call: Call[M] = c.action_call("PUT", path, body, self.endpoint.model, per)
        return self._client.send(call)


class Users(_SGet[User], _SCreate[User], _SUpsert[User], _SPatch[User], _SDelete[User]):
    """``/users``: the people who work in Auvo."""

    endpoint = USERS

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
    ) -> SyncPager[User]:
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
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class Tasks(
    _SGet[Task], _SCreate[Task], _SUpsert[Task], _SPatch[Task], _SDelete[Task], _SAttachments[Task]
):
    """``/tasks``: visits, with their products, services and additional costs."""

    endpoint = TASKS
    attachments_path = "/tasks/{id}/attachments"

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
    ) -> SyncPager[Task]:
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
        return self._windowed_pager(self.endpoint, query, windows, per)

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
    ) -> SyncPager[Task]:
        """Tasks deleted from ``[start, end]`` (``/tasks/getdeletedtasks``), lazily."""
        first, last = q.task_range(start, end)
        query = c.list_query(DELETED_TASKS, {}, filters, order=order, page_size=page_size)
        windows = c.split_window(first, last, window)
        per = PerCall(extra_headers, extra_query, timeout)
        return self._windowed_pager(DELETED_TASKS, query, windows, per)

    def upsert_products(
        self,
        id: int | str,
        products: Iterable[TaskProductItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Task:
        """Add products to a task or update those already on it (by ``product_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskProducts", TaskProductItem, products)
        path = f"/tasks/{c.record_id(id)}/products"
        return self._client.send(c.action_call("PUT", path, body, Task, per))

    def upsert_services(
        self,
        id: int | str,
        services: Iterable[TaskServiceItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Task:
        """Add services to a task or update those already on it (by ``service_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskServices", TaskServiceItem, services)
        path = f"/tasks/{c.record_id(id)}/services"
        return self._client.send(c.action_call("PUT", path, body, Task, per))

    def upsert_additional_costs(
        self,
        id: int | str,
        costs: Iterable[TaskAdditionalCostItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Task:
        """Add additional costs to a task or update those on it (by ``additional_cost_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskAdditionalCosts", TaskAdditionalCostItem, costs)
        path = f"/tasks/{c.record_id(id)}/additional-costs"
        return self._client.send(c.action_call("PUT", path, body, Task, per))

    def delete_products(
        self,
        id: int | str,
        product_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Remove products (by their ``product_id`` GUIDs) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/products"
        return self._client.send(c.delete_items_call(path, product_ids, "product_ids", per))

    def delete_services(
        self,
        id: int | str,
        service_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Remove services (by their ids) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/services"
        return self._client.send(c.delete_items_call(path, service_ids, "service_ids", per))

    def delete_additional_costs(
        self,
        id: int | str,
        additional_cost_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Remove additional costs (by their ids) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/additional-costs"
        call = c.delete_items_call(path, additional_cost_ids, "additional_cost_ids", per)
        return self._client.send(call)


class Customers(
    _SGet[Customer],
    _SCreate[Customer],
    _SUpsert[Customer],
    _SPatch[Customer],
    _SDelete[Customer],
    _SAttachments[Customer],
):
    """``/customers``: the clients a company visits."""

    endpoint = CUSTOMERS
    create_renames: ClassVar[Mapping[str, str]] = {
        "description": "name"
    }  # Auvo reads the name as "name" on create only
    attachments_path = "/customer/{id}/attachments"  # singular, as the blueprint has it

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
    ) -> SyncPager[Customer]:
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
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class CustomerGroups(_SCreate[CustomerGroup], _SDelete[CustomerGroup]):
    """``/customerGroups``: named sets of customers."""

    endpoint = CUSTOMER_GROUPS

    def list(
        self,
        *,
        description: str | None = None,
        filters: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> SyncPager[CustomerGroup]:
        """Every customer group (Auvo answers them all at once)."""
        query = c.list_query(self.endpoint, {"description": description}, filters)
        per = PerCall(extra_headers, extra_query, timeout)
        return self._single(c.unpaged_call(self.endpoint, query, per))

    def clients(
        self,
        group_id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> SyncPager[Customer]:
        """The customers in one group."""
        per = PerCall(extra_headers, extra_query, timeout)
        return self._single(c.group_clients_call(group_id, per))


class Teams(_SGet[Team], _SCreate[Team], _SList[Team]):
    """``/teams``: users grouped under managers."""

    endpoint = TEAMS

    def users(
        self,
        team_id: int | str,
        *,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> SyncPager[TeamUser]:
        """The participants of one team, lazily."""
        endpoint = c.team_users_endpoint(team_id)
        query = c.list_query(endpoint, {}, None, order=order, page_size=page_size)
        return self._pager(endpoint, query, PerCall(extra_headers, extra_query, timeout))


class TaskTypes(
    _SGet[TaskType], _SCreate[TaskType], _SPatch[TaskType], _SDelete[TaskType], _SList[TaskType]
):
    """``/taskTypes``: kinds of task, with their requirements."""

    endpoint = TASK_TYPES


class Segments(
    _SGet[Segment], _SCreate[Segment], _SPatch[Segment], _SDelete[Segment], _SList[Segment]
):
    """``/segments``: customer segments."""

    endpoint = SEGMENTS


class Keywords(
    _SGet[Keyword], _SCreate[Keyword], _SPatch[Keyword], _SDelete[Keyword], _SList[Keyword]
):
    """``/keywords``: tags for tasks."""

    endpoint = KEYWORDS


class Questionnaires(_SGet[Questionnaire], _SList[Questionnaire]):
    """``/questionnaires``: checklists answered during tasks."""

    endpoint = QUESTIONNAIRES


class Expenses(_SGet[Expense], _SCreate[Expense], _SPatch[Expense], _SDelete[Expense]):
    """``/expenses``: what users spent in the field."""

    endpoint = EXPENSES

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
    ) -> SyncPager[Expense]:
        """Expenses dated within ``[start, end]``, lazily."""
        known = q.expense_filters(start, end, user_to_id, type_id)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    def update_attachment(
        self,
        id: int | str,
        attachment: str,
        *,
        delete_attachment: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Expense:
        """Replace an expense's attachment (base64 content)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.expense_attachment_body(attachment, delete_attachment)
        path = f"/expenses/{c.record_id(id)}/attachments"
        return self._client.send(c.action_call("PUT", path, body, Expense, per))


class ExpenseTypes(
    _SGet[ExpenseType],
    _SCreate[ExpenseType],
    _SPatch[ExpenseType],
    _SDelete[ExpenseType],
    _SList[ExpenseType],
):
    """``/expenseTypes``: kinds of expense."""

    endpoint = EXPENSE_TYPES


class Gps(_SyncResource):
    """``/gps``: where users' phones were."""

    endpoint = GPS

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
    ) -> SyncPager[GpsPosition]:
        """Positions recorded on ``day``, lazily."""
        known = q.gps_filters(day, user_id, last_known_only)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class SatisfactionSurveys(_SyncResource):
    """``/satisfactionSurveys``: customers' answers about tasks."""

    endpoint = SATISFACTION_SURVEYS

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
    ) -> SyncPager[SatisfactionSurvey]:
        """Survey answers for these tasks, lazily."""
        known = q.survey_filters(task_ids, email)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class EquipmentCategories(
    _SGet[EquipmentCategory],
    _SCreate[EquipmentCategory],
    _SPatch[EquipmentCategory],
    _SDelete[EquipmentCategory],
    _SList[EquipmentCategory],
):
    """``/equipmentCategories``."""

    endpoint = EQUIPMENT_CATEGORIES


class Equipments(
    _SGet[Equipment],
    _SCreate[Equipment],
    _SPatch[Equipment],
    _SDelete[Equipment],
    _SAttachments[Equipment],
):
    """``/equipments``: customers' equipment that tasks service."""

    endpoint = EQUIPMENTS
    attachments_path = "/equipments/{id}/attachments"

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
    ) -> SyncPager[Equipment]:
        """Equipment, lazily."""
        known = q.equipment_filters(name, external_id, customer_id, category_id, identifier, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class ProductCategories(
    _SGet[ProductCategory],
    _SCreate[ProductCategory],
    _SUpsert[ProductCategory],
    _SPatch[ProductCategory],
    _SDelete[ProductCategory],
    _SList[ProductCategory],
):
    """``/productCategories``."""

    endpoint = PRODUCT_CATEGORIES


class Products(
    _SGet[Product],
    _SCreate[Product],
    _SPatch[Product],
    _SDelete[Product],
    _SAttachments[Product],
):
    """``/products``: what tasks and quotations sell; ids in URLs are the product code."""

    endpoint = PRODUCTS
    attachments_path = "/products/{id}/attachments"

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
    ) -> SyncPager[Product]:
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
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    def update_employee_stock(
        self,
        user_id: int,
        product_id: int | str,
        amount: Decimal | int | float | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Product | None:
        """Set how many of a product one employee holds; returns the product if Auvo says."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.employee_stock_body(user_id, product_id, amount)
        path = "/products/employee-product-stock"
        return self._client.send(c.optional_action_call("PUT", path, body, Product, per))


class Quotations(_SGet[Quotation]):
    """``/quotations``: budgets sent to customers (read-only in the API)."""

    endpoint = QUOTATIONS

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
    ) -> SyncPager[Quotation]:
        """Quotations, lazily; ``stage`` is the current stage's name."""
        known = q.quotation_filters(
            requested_from, requested_to, customer_ids, user_ids, product_ids, stage
        )
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class Tickets(_SGet[Ticket], _SCreate[Ticket]):
    """``/tickets``: Auvo Desk requests."""

    endpoint = TICKETS

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
    ) -> SyncPager[Ticket]:
        """Tickets, lazily."""
        known = q.ticket_filters(start, end, ids)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class Services(_SGet[Service], _SCreate[Service], _SPatch[Service], _SDelete[Service]):
    """``/services``: what tasks and quotations charge for work."""

    endpoint = SERVICES

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
    ) -> SyncPager[Service]:
        """Services, lazily."""
        known = q.service_filters(title, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class ServiceOrders(_SGet[ServiceOrder], _SList[ServiceOrder]):
    """``/serviceorders``: the blueprint's Projects, grouping visits."""

    endpoint = SERVICE_ORDERS


class Webhooks(_SGet[Webhook], _SDelete[Webhook]):
    """``/webHooks``: Auvo POSTs changes of users, tasks and customers to these URLs."""

    endpoint = WEBHOOKS

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
    ) -> SyncPager[Webhook]:
        """Registered hooks, lazily."""
        known = q.webhook_filters(entity, action, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

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
    ) -> Webhook:
        """Register a hook, idempotently: a hook for the same entity, action and URL is reused.

        ``entity``: ``"Task"``, ``"Customer"`` or ``"User"``; ``action``: ``"Inclusao"``,
        ``"Alteracao"`` or ``"Exclusao"``."""
        body = q.webhook_body(entity, action, target_url, active)
        per = PerCall(extra_headers, extra_query, timeout)
        for hook in self.list(entity=entity, action=action, **_per_kwargs(per)):
            if q.same_hook(hook, entity, action, target_url):
                return hook
        return self._client.send(c.action_call("POST", "/webHooks/", body, Webhook, per))

    def parse(self, body: bytes | str) -> WebhookEvent:
        """Read a delivery Auvo POSTed to a hook; anything else raises ``WebhookParseError``."""
        return parse_event(body)


# -- async ----------------------------------------------------------------------------------


class _AGet(_AsyncResource, Generic[M]):
    async def get(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """One record by id."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[M] = c.get_call(self.endpoint, id, per)
        return await self._client.send(call)


class _ACreate(_AsyncResource, Generic[M]):
    create_renames: ClassVar[Mapping[str, str]] = {}

    async def create(
        self,
        record: M | Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """Create a record (a model or a dict); required fields are checked before sending."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[M] = c.create_call(self.endpoint, record, per, renames=self.create_renames)
        return await self._client.send(call)


class _AUpsert(_AsyncResource, Generic[M]):
    async def upsert(
        self,
        record: M | Mapping[str, Any],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Upserted[M]:
        """Update the record with this ``id`` or ``external_id``, or create it.

        Returns ``(record, created)``; ``created`` is True when Auvo answered 201."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[Upserted[M]] = c.upsert_call(self.endpoint, record, per)
        return await self._client.send(call)


class _APatch(_AsyncResource, Generic[M]):
    async def patch(
        self,
        id: int | str,
        changes: Mapping[str, Any] | Sequence[Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """Change some fields: ``{"note": "x"}`` becomes the JSON Patch Auvo wants."""
        per = PerCall(extra_headers, extra_query, timeout)
        call: Call[M] = c.patch_call(self.endpoint, id, changes, per)
        return await self._client.send(call)


class _ADelete(_AsyncResource, Generic[M]):
    async def delete(
        self,
        id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Delete a record by id."""
        per = PerCall(extra_headers, extra_query, timeout)
        return await self._client.send(c.delete_call(self.endpoint, id, per))


class _AList(_AsyncResource, Generic[M]):
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
    ) -> AsyncPager[M]:
        """Records, lazily, a page at a time; ``filters`` go into ``paramFilter``."""
        query = c.list_query(
            self.endpoint,
            {},
            filters,
            order=order,
            select_fields=select_fields,
            page_size=page_size,
        )
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class _AAttachments(_AsyncResource, Generic[M]):
    attachments_path: ClassVar[str] = "{id}/attachments"

    async def update_attachments(
        self,
        id: int | str,
        attachments: Iterable[AttachmentUpload | Mapping[str, Any]],
        *,
        remove_all_inserted_by_me: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> M:
        """Attach files (name with extension, base64 content); optionally drop the earlier ones."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.attachments_body(attachments, remove_all_inserted_by_me)
        path = self.attachments_path.format(id=c.record_id(id))
        call: Call[M] = c.action_call("PUT", path, body, self.endpoint.model, per)
        return await self._client.send(call)


class AsyncUsers(_AGet[User], _ACreate[User], _AUpsert[User], _APatch[User], _ADelete[User]):
    """``/users``: the people who work in Auvo."""

    endpoint = USERS

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
    ) -> AsyncPager[User]:
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
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncTasks(
    _AGet[Task], _ACreate[Task], _AUpsert[Task], _APatch[Task], _ADelete[Task], _AAttachments[Task]
):
    """``/tasks``: visits, with their products, services and additional costs."""

    endpoint = TASKS
    attachments_path = "/tasks/{id}/attachments"

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
    ) -> AsyncPager[Task]:
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
        return self._windowed_pager(self.endpoint, query, windows, per)

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
    ) -> AsyncPager[Task]:
        """Tasks deleted from ``[start, end]`` (``/tasks/getdeletedtasks``), lazily."""
        first, last = q.task_range(start, end)
        query = c.list_query(DELETED_TASKS, {}, filters, order=order, page_size=page_size)
        windows = c.split_window(first, last, window)
        per = PerCall(extra_headers, extra_query, timeout)
        return self._windowed_pager(DELETED_TASKS, query, windows, per)

    async def upsert_products(
        self,
        id: int | str,
        products: Iterable[TaskProductItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Task:
        """Add products to a task or update those already on it (by ``product_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskProducts", TaskProductItem, products)
        path = f"/tasks/{c.record_id(id)}/products"
        return await self._client.send(c.action_call("PUT", path, body, Task, per))

    async def upsert_services(
        self,
        id: int | str,
        services: Iterable[TaskServiceItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Task:
        """Add services to a task or update those already on it (by ``service_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskServices", TaskServiceItem, services)
        path = f"/tasks/{c.record_id(id)}/services"
        return await self._client.send(c.action_call("PUT", path, body, Task, per))

    async def upsert_additional_costs(
        self,
        id: int | str,
        costs: Iterable[TaskAdditionalCostItem | Mapping[str, Any]],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Task:
        """Add additional costs to a task or update those on it (by ``additional_cost_id``)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.items_body("taskAdditionalCosts", TaskAdditionalCostItem, costs)
        path = f"/tasks/{c.record_id(id)}/additional-costs"
        return await self._client.send(c.action_call("PUT", path, body, Task, per))

    async def delete_products(
        self,
        id: int | str,
        product_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Remove products (by their ``product_id`` GUIDs) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/products"
        return await self._client.send(c.delete_items_call(path, product_ids, "product_ids", per))

    async def delete_services(
        self,
        id: int | str,
        service_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Remove services (by their ids) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/services"
        return await self._client.send(c.delete_items_call(path, service_ids, "service_ids", per))

    async def delete_additional_costs(
        self,
        id: int | str,
        additional_cost_ids: Iterable[str],
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> None:
        """Remove additional costs (by their ids) from a task."""
        per = PerCall(extra_headers, extra_query, timeout)
        path = f"/tasks/{c.record_id(id)}/additional-costs"
        call = c.delete_items_call(path, additional_cost_ids, "additional_cost_ids", per)
        return await self._client.send(call)


class AsyncCustomers(
    _AGet[Customer],
    _ACreate[Customer],
    _AUpsert[Customer],
    _APatch[Customer],
    _ADelete[Customer],
    _AAttachments[Customer],
):
    """``/customers``: the clients a company visits."""

    endpoint = CUSTOMERS
    create_renames: ClassVar[Mapping[str, str]] = {
        "description": "name"
    }  # Auvo reads the name as "name" on create only
    attachments_path = "/customer/{id}/attachments"  # singular, as the blueprint has it

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
    ) -> AsyncPager[Customer]:
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
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncCustomerGroups(_ACreate[CustomerGroup], _ADelete[CustomerGroup]):
    """``/customerGroups``: named sets of customers."""

    endpoint = CUSTOMER_GROUPS

    def list(
        self,
        *,
        description: str | None = None,
        filters: Mapping[str, Any] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> AsyncPager[CustomerGroup]:
        """Every customer group (Auvo answers them all at once)."""
        query = c.list_query(self.endpoint, {"description": description}, filters)
        per = PerCall(extra_headers, extra_query, timeout)
        return self._single(c.unpaged_call(self.endpoint, query, per))

    def clients(
        self,
        group_id: int | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> AsyncPager[Customer]:
        """The customers in one group."""
        per = PerCall(extra_headers, extra_query, timeout)
        return self._single(c.group_clients_call(group_id, per))


class AsyncTeams(_AGet[Team], _ACreate[Team], _AList[Team]):
    """``/teams``: users grouped under managers."""

    endpoint = TEAMS

    def users(
        self,
        team_id: int | str,
        *,
        order: str = "asc",
        page_size: int = c.DEFAULT_PAGE_SIZE,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> AsyncPager[TeamUser]:
        """The participants of one team, lazily."""
        endpoint = c.team_users_endpoint(team_id)
        query = c.list_query(endpoint, {}, None, order=order, page_size=page_size)
        return self._pager(endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncTaskTypes(
    _AGet[TaskType], _ACreate[TaskType], _APatch[TaskType], _ADelete[TaskType], _AList[TaskType]
):
    """``/taskTypes``: kinds of task, with their requirements."""

    endpoint = TASK_TYPES


class AsyncSegments(
    _AGet[Segment], _ACreate[Segment], _APatch[Segment], _ADelete[Segment], _AList[Segment]
):
    """``/segments``: customer segments."""

    endpoint = SEGMENTS


class AsyncKeywords(
    _AGet[Keyword], _ACreate[Keyword], _APatch[Keyword], _ADelete[Keyword], _AList[Keyword]
):
    """``/keywords``: tags for tasks."""

    endpoint = KEYWORDS


class AsyncQuestionnaires(_AGet[Questionnaire], _AList[Questionnaire]):
    """``/questionnaires``: checklists answered during tasks."""

    endpoint = QUESTIONNAIRES


class AsyncExpenses(_AGet[Expense], _ACreate[Expense], _APatch[Expense], _ADelete[Expense]):
    """``/expenses``: what users spent in the field."""

    endpoint = EXPENSES

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
    ) -> AsyncPager[Expense]:
        """Expenses dated within ``[start, end]``, lazily."""
        known = q.expense_filters(start, end, user_to_id, type_id)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    async def update_attachment(
        self,
        id: int | str,
        attachment: str,
        *,
        delete_attachment: bool = False,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Expense:
        """Replace an expense's attachment (base64 content)."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.expense_attachment_body(attachment, delete_attachment)
        path = f"/expenses/{c.record_id(id)}/attachments"
        return await self._client.send(c.action_call("PUT", path, body, Expense, per))


class AsyncExpenseTypes(
    _AGet[ExpenseType],
    _ACreate[ExpenseType],
    _APatch[ExpenseType],
    _ADelete[ExpenseType],
    _AList[ExpenseType],
):
    """``/expenseTypes``: kinds of expense."""

    endpoint = EXPENSE_TYPES


class AsyncGps(_AsyncResource):
    """``/gps``: where users' phones were."""

    endpoint = GPS

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
    ) -> AsyncPager[GpsPosition]:
        """Positions recorded on ``day``, lazily."""
        known = q.gps_filters(day, user_id, last_known_only)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncSatisfactionSurveys(_AsyncResource):
    """``/satisfactionSurveys``: customers' answers about tasks."""

    endpoint = SATISFACTION_SURVEYS

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
    ) -> AsyncPager[SatisfactionSurvey]:
        """Survey answers for these tasks, lazily."""
        known = q.survey_filters(task_ids, email)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncEquipmentCategories(
    _AGet[EquipmentCategory],
    _ACreate[EquipmentCategory],
    _APatch[EquipmentCategory],
    _ADelete[EquipmentCategory],
    _AList[EquipmentCategory],
):
    """``/equipmentCategories``."""

    endpoint = EQUIPMENT_CATEGORIES


class AsyncEquipments(
    _AGet[Equipment],
    _ACreate[Equipment],
    _APatch[Equipment],
    _ADelete[Equipment],
    _AAttachments[Equipment],
):
    """``/equipments``: customers' equipment that tasks service."""

    endpoint = EQUIPMENTS
    attachments_path = "/equipments/{id}/attachments"

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
    ) -> AsyncPager[Equipment]:
        """Equipment, lazily."""
        known = q.equipment_filters(name, external_id, customer_id, category_id, identifier, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncProductCategories(
    _AGet[ProductCategory],
    _ACreate[ProductCategory],
    _AUpsert[ProductCategory],
    _APatch[ProductCategory],
    _ADelete[ProductCategory],
    _AList[ProductCategory],
):
    """``/productCategories``."""

    endpoint = PRODUCT_CATEGORIES


class AsyncProducts(
    _AGet[Product],
    _ACreate[Product],
    _APatch[Product],
    _ADelete[Product],
    _AAttachments[Product],
):
    """``/products``: what tasks and quotations sell; ids in URLs are the product code."""

    endpoint = PRODUCTS
    attachments_path = "/products/{id}/attachments"

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
    ) -> AsyncPager[Product]:
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
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    async def update_employee_stock(
        self,
        user_id: int,
        product_id: int | str,
        amount: Decimal | int | float | str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Product | None:
        """Set how many of a product one employee holds; returns the product if Auvo says."""
        per = PerCall(extra_headers, extra_query, timeout)
        body = c.employee_stock_body(user_id, product_id, amount)
        path = "/products/employee-product-stock"
        return await self._client.send(c.optional_action_call("PUT", path, body, Product, per))


class AsyncQuotations(_AGet[Quotation]):
    """``/quotations``: budgets sent to customers (read-only in the API)."""

    endpoint = QUOTATIONS

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
    ) -> AsyncPager[Quotation]:
        """Quotations, lazily; ``stage`` is the current stage's name."""
        known = q.quotation_filters(
            requested_from, requested_to, customer_ids, user_ids, product_ids, stage
        )
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncTickets(_AGet[Ticket], _ACreate[Ticket]):
    """``/tickets``: Auvo Desk requests."""

    endpoint = TICKETS

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
    ) -> AsyncPager[Ticket]:
        """Tickets, lazily."""
        known = q.ticket_filters(start, end, ids)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncServices(_AGet[Service], _ACreate[Service], _APatch[Service], _ADelete[Service]):
    """``/services``: what tasks and quotations charge for work."""

    endpoint = SERVICES

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
    ) -> AsyncPager[Service]:
        """Services, lazily."""
        known = q.service_filters(title, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))


class AsyncServiceOrders(_AGet[ServiceOrder], _AList[ServiceOrder]):
    """``/serviceorders``: the blueprint's Projects, grouping visits."""

    endpoint = SERVICE_ORDERS


class AsyncWebhooks(_AGet[Webhook], _ADelete[Webhook]):
    """``/webHooks``: Auvo POSTs changes of users, tasks and customers to these URLs."""

    endpoint = WEBHOOKS

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
    ) -> AsyncPager[Webhook]:
        """Registered hooks, lazily."""
        known = q.webhook_filters(entity, action, active)
        query = c.list_query(self.endpoint, known, filters, order=order, page_size=page_size)
        return self._pager(self.endpoint, query, PerCall(extra_headers, extra_query, timeout))

    async def create(
        self,
        entity: str,
        action: str,
        target_url: str,
        *,
        active: bool = True,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Webhook:
        """Register a hook, idempotently: a hook for the same entity, action and URL is reused.

        ``entity``: ``"Task"``, ``"Customer"`` or ``"User"``; ``action``: ``"Inclusao"``,
        ``"Alteracao"`` or ``"Exclusao"``."""
        body = q.webhook_body(entity, action, target_url, active)
        per = PerCall(extra_headers, extra_query, timeout)
        async for hook in self.list(entity=entity, action=action, **_per_kwargs(per)):
            if q.same_hook(hook, entity, action, target_url):
                return hook
        return await self._client.send(c.action_call("POST", "/webHooks/", body, Webhook, per))

    def parse(self, body: bytes | str) -> WebhookEvent:
        """Read a delivery Auvo POSTed to a hook; anything else raises ``WebhookParseError``."""
        return parse_event(body)


def _per_kwargs(per: PerCall) -> dict[str, Any]:
    return {
        "extra_headers": per.extra_headers,
        "extra_query": per.extra_query,
        "timeout": per.timeout,
    }
