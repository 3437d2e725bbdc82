"""Auvo's ``AutomationIO``: what automations read from Auvo and do in it, over the pass's
``AuvoSide`` (every call counted, through the client's rate limits).

Reading (``changed``):

- **customers**: Auvo's own ``dateLastUpdate`` filter, every page.
- **tasks**: the same filter, but Auvo's task search needs a window of task dates, so it
  reads the tasks dated from ``TASK_DATES_BACK`` before the earlier of ``since`` and now to
  ``TASK_DATES_AHEAD`` after now, in ``TASK_SEARCH_PIECE``-long pieces. A visit finished
  months late or booked up to a year ahead is seen; one dated outside that span is not.
- **quotations**: Auvo has no change filter for them, only the request date, and a
  quotation moves through its stages any time after it was requested: every quotation
  requested from ``QUOTATION_HORIZON`` before ``since`` is read each time, and the runner's
  record versions tell which of them changed.

Acting: the reference goes in the record's ``externalId``, which Auvo's customer and task
lists filter by (``find``). ``set_status`` sets what Auvo's API lets a client set: a
customer's ``active`` flag; a task's status follows its check-in and check-out in the app,
and quotations are read-only in the API. What a map may not fill and which statuses exist
are declared with the records (``bridge.auvo_side.AUTOMATIONS``, handed to the I/O), where
the config's checks read them too.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any, Final, TypeVar

from auvo import (
    Auvo,
    Customer,
    NotFoundError,
    Product,
    Quotation,
    Service,
    Task,
    TaskStatusFilter,
)
from sdkcore import APIModel, RequestValidationError
from sdkcore.wire import field_wire_name

from .automation_surface import AutomationSurface, LookupFailed, Observed, Statuses
from .automations.paths import as_record, parse_path

if TYPE_CHECKING:
    from .automations.declare import Action
    from .auvo_side import AuvoSide

__all__ = [
    "QUOTATION_HORIZON",
    "TASK_DATES_AHEAD",
    "TASK_DATES_BACK",
    "TASK_SEARCH_PIECE",
    "AuvoAutomations",
]

M = TypeVar("M", bound=APIModel)
R = TypeVar("R", Customer, Task, Quotation)
Marked = TypeVar("Marked", Customer, Task)

TASK_DATES_BACK: Final = timedelta(days=180)
"""How far before a read's start (``since``, or now) the tasks searched may be dated: an
overdue visit finished late (the tasks stream's wide pass looks as far)."""
TASK_DATES_AHEAD: Final = timedelta(days=365)
"""How far after now the tasks searched may be dated: visits booked ahead, up to a yearly
one."""
TASK_SEARCH_PIECE: Final = timedelta(days=91)
"""The task search is cut into pieces this long (the SDK's default is 7 days, for a search
of every task): each piece carries ``dateLastUpdate`` or ``externalId`` as well, so its
answer stays small, and the 545 days above cost 6 calls rather than 78."""
QUOTATION_HORIZON: Final = timedelta(days=90)
"""How long after its request a quotation is still watched for changes (as the quotations
stream does): Auvo filters quotations by request date only."""

_RECORDS: Final = ("customer", "task", "quotation")


class AuvoAutomations:
    """``AutomationIO`` for Auvo over the pass's ``AuvoSide``, acting as ``surface`` (Auvo's
    declaration) says; ``now`` is the client's clock unless given. Products and services a
    lookup found are kept for the instance's life (a pass)."""

    def __init__(
        self,
        side: AuvoSide,
        surface: AutomationSurface,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.side = side
        self.surface = surface
        self._now = now or self._client_now
        self._products: dict[str, Product | None] = {}
        self._services: list[Service] | None = None

    @property
    def client(self) -> Auvo:
        return self.side.client

    def _client_now(self) -> datetime:
        return datetime.fromtimestamp(self.client.clock.time(), UTC)

    # -- reading --------------------------------------------------------------------------

    def changed(self, record: str, since: datetime | None) -> Iterator[Observed]:
        """The customers, tasks or quotations changed at or after ``since`` (see the module's
        docstring for what each reads), page by page."""
        if record == "customer":
            yield from _observed_all(
                self.side.records(self.client.customers.list(modified_since=since))
            )
        elif record == "task":
            now = self._now()
            start = (now if since is None else min(since, now)) - TASK_DATES_BACK
            pager = self.client.tasks.list(
                start=start,
                end=now + TASK_DATES_AHEAD,
                status=TaskStatusFilter.ALL,
                modified_since=since,
                window=TASK_SEARCH_PIECE,
            )
            yield from _observed_all(self.side.records(pager))
        elif record == "quotation":
            requested_from = None if since is None else since - QUOTATION_HORIZON
            quotations = self.client.quotations.list(requested_from=requested_from)
            yield from _observed_all(self.side.records(quotations))
        else:
            raise ValueError(_unknown_record(record))

    def read(self, record: str, ident: str) -> Observed | None:
        """One customer, task or quotation by id; ``None`` when Auvo has none."""
        get: Callable[[int], Customer | Task | Quotation]
        if record == "customer":
            get = self.client.customers.get
        elif record == "task":
            get = self.client.tasks.get
        elif record == "quotation":
            get = self.client.quotations.get
        else:
            raise ValueError(_unknown_record(record))
        try:
            return _observed(self.side.counted(get(int(ident))))
        except NotFoundError:
            return None

    # -- acting ---------------------------------------------------------------------------

    def reserve(self, action: Action, held: Collection[str]) -> str | None:
        """Auvo hands out its own ids: nothing to reserve."""
        return None

    def find(self, action: Action, reference: str, reserved: str | None) -> str | None:
        """The customer or task carrying ``reference`` in its ``externalId`` (a task among
        those dated ``TASK_DATES_BACK`` before now to ``TASK_DATES_AHEAD`` after: the task
        search needs dates, and the payload's is not known here); ``None`` for the other
        actions."""
        if action.kind == "create_customer":
            _searchable(reference)
            customers = self.client.customers.list(external_ids=reference)
            return _carrying(self.side.records(customers), reference)
        if action.kind == "create_task":
            _searchable(reference)
            now = self._now()
            tasks = self.client.tasks.list(
                start=now - TASK_DATES_BACK,
                end=now + TASK_DATES_AHEAD,
                status=TaskStatusFilter.ALL,
                external_ids=reference,
                window=TASK_SEARCH_PIECE,
            )
            return _carrying(self.side.records(tasks), reference)
        return None

    def act(
        self, action: Action, payload: Mapping[str, Any], reference: str, reserved: str | None
    ) -> str:
        """Create a customer or a task marked with ``reference``, update a customer, or set a
        customer's status; the payload is checked as the client's model before any request."""
        kept = self.surface.reserved_fields.get(action.kind, frozenset())
        if action.kind == "create_customer":
            customer = _for_create(Customer, kept, payload, reference)
            return _created_id(self.side.counted(self.client.customers.create(customer)))
        if action.kind == "create_task":
            task = _for_create(Task, kept, payload, reference)
            return _created_id(self.side.counted(self.client.tasks.create(task)))
        if action.kind == "update_customer":
            ident, changes = _for_update(Customer, payload)
            self.side.counted(self.client.customers.patch(ident, changes))
            return str(ident)
        if action.kind == "set_status":
            ident, active = _status_change(action, self.surface.statuses, payload)
            self.side.counted(self.client.customers.patch(ident, {"active": active}))
            return str(ident)
        raise ValueError(
            f"Auvo has no action {action.kind!r}: it offers create_customer, update_customer, "
            "create_task and set_status"
        )

    # -- lookups --------------------------------------------------------------------------

    def lookup(self, what: str, key: Any, take: str) -> Any:
        """``take`` of the Auvo product whose ``externalId`` is ``key`` (else whose code, the
        number in its URL, is ``key``), or of the service whose id is ``key`` (else whose
        title is ``key``, ignoring case)."""
        text = "" if key is None else str(key).strip()
        found: APIModel
        if what == "product":
            found = self._product(text)
        elif what == "service":
            found = self._service(text)
        else:
            raise ValueError(f"Auvo looks up a product or a service, not {what!r}")
        value = parse_path(take).value(as_record(found))
        if value is None or value == "":
            raise LookupFailed(f"the Auvo {what} {text!r} has no {take}")
        return value

    def _product(self, key: str) -> Product:
        if key not in self._products:
            self._products[key] = self._read_product(key) if key else None
        found = self._products[key]
        if found is None:
            raise LookupFailed(f"no Auvo product has the external id or the code {key!r}")
        return found

    def _read_product(self, key: str) -> Product | None:
        if "," not in key:  # Auvo's filter would read a comma as two ids
            pager = self.client.products.list(external_id=key)
            matches = [p for p in self.side.records(pager) if p.external_id == key]
            if len(matches) > 1:
                codes = ", ".join(str(p.id) for p in matches)
                raise LookupFailed(
                    f"{len(matches)} Auvo products have the external id {key!r}: {codes}"
                )
            if matches:
                return matches[0]
        if not key.isdigit():
            return None
        try:
            return self.side.counted(self.client.products.get(key))
        except NotFoundError:
            return None

    def _service(self, key: str) -> Service:
        if self._services is None:
            self._services = list(self.side.records(self.client.services.list()))
        by_id = [s for s in self._services if s.id == key]
        matches = by_id or [
            s
            for s in self._services
            if key and (s.title or "").strip().casefold() == key.casefold()
        ]
        if len(matches) > 1:
            ids = ", ".join(str(s.id) for s in matches)
            raise LookupFailed(f"{len(matches)} Auvo services are titled {key!r}: {ids}")
        if not matches:
            raise LookupFailed(f"no Auvo service has the id or the title {key!r}")
        return matches[0]


# -- records ------------------------------------------------------------------------------


def _unknown_record(record: str) -> str:
    return f"Auvo has no automation record {record!r}: it has {', '.join(_RECORDS)}"


def _observed_all(records: Iterable[R]) -> Iterator[Observed]:
    for record in records:
        observed = _observed(record)
        if observed is not None:
            yield observed


def _observed(record: Customer | Task | Quotation) -> Observed | None:
    """A record as automations see it; one without an id cannot be acted on, so is none."""
    if record.id is None:
        return None
    created: datetime | None
    if isinstance(record, Quotation):
        created = record.register_date or record.request_date
    else:
        created = record.creation_date
    return Observed(str(record.id), record, created)


def _searchable(reference: str) -> None:
    """Auvo's ``externalId`` filter reads a comma as a separator between ids: a reference
    with one could never be found again, so it is never written."""
    if "," in reference:
        raise RequestValidationError(
            "externalId",
            f"the reference {reference!r} has a comma, which Auvo's externalId filter reads "
            "as two ids: rename the automation without commas",
        )


def _carrying(records: Iterable[Marked], reference: str) -> str | None:
    """The id of the first record whose ``externalId`` is exactly ``reference``: the filter
    narrows, the comparison decides."""
    for record in records:
        if record.external_id == reference and record.id is not None:
            return str(record.id)
    return None


def _created_id(record: Customer | Task) -> str:
    if record.id is None:
        raise ValueError(f"Auvo answered the create of a {type(record).__name__} without its id")
    return str(record.id)


# -- payloads -----------------------------------------------------------------------------


def _request(model: type[M], payload: Mapping[str, Any]) -> M:
    """``payload`` (wire names) as the client's request model: an unknown name or a value
    that does not fit raises ``RequestValidationError`` naming the field. Fields Auvo sets
    itself are refused rather than dropped without a word."""
    record = model.coerce(dict(payload))
    set_by_auvo = sorted(record.model_fields_set & model.read_only_fields())
    if set_by_auvo:
        wire = field_wire_name(model, set_by_auvo[0])
        raise RequestValidationError(wire, "is set by Auvo; a map cannot write it")
    return record


def _for_create(
    model: type[Marked], reserved: frozenset[str], payload: Mapping[str, Any], reference: str
) -> Marked:
    """The record to create, carrying ``reference`` in its ``externalId``. A field the action
    keeps for itself (``reserved``, wire names: the id Auvo gives, the reference's) is
    refused, by whichever of its names the payload gives it."""
    _searchable(reference)
    record = _request(model, payload)
    for name in sorted(record.model_fields_set):
        wire = field_wire_name(model, name)
        if wire not in reserved:
            continue
        if name == "id":
            raise RequestValidationError(wire, "is Auvo's to give on a create")
        raise RequestValidationError(
            wire,
            f"carries the automation's reference ({reference}) so that a create whose answer "
            "was lost is found again; map the value to another field",
        )
    record.external_id = reference
    record.check_required()
    return record


def _record_id(model: type[APIModel], payload: Mapping[str, Any]) -> int:
    """The id of the record an update writes, from the payload's ``id``."""
    wire = field_wire_name(model, "id")
    value = payload.get(wire, payload.get("id"))
    try:
        return int(str(value).strip())
    except ValueError:
        raise RequestValidationError(
            wire, f"the record to write is named by its id, a number, not {value!r}"
        ) from None


def _for_update(model: type[APIModel], payload: Mapping[str, Any]) -> tuple[int, dict[str, Any]]:
    """The id and the changes (wire names, only the fields the map gave) of an update."""
    ident = _record_id(model, payload)
    changes = _request(model, payload).to_wire()
    changes.pop(field_wire_name(model, "id"), None)
    if not changes:
        raise RequestValidationError("payload", "maps no field to change besides the id")
    return ident, changes


def _status_change(
    action: Action, settable: Mapping[str, Statuses], payload: Mapping[str, Any]
) -> tuple[int, bool]:
    """The customer and its ``active`` flag ``set_status`` writes; ``settable`` is what
    Auvo's declaration says it sets."""
    statuses = settable.get(action.target)
    if statuses is None:
        offered = "; ".join(f"{r} ({' or '.join(s.named)})" for r, s in settable.items())
        raise RequestValidationError(
            "action.record",
            f"Auvo's API sets no {action.target}'s status (a task's follows its check-in and "
            f"check-out in the app; quotations are read-only): set_status works on {offered}",
        )
    extra = sorted(set(payload) - {"id"})
    if extra:
        raise RequestValidationError(
            extra[0], "set_status writes the status only: map the record's id and nothing else"
        )
    status = statuses.pick(action.status)
    if status is None:
        raise RequestValidationError(
            "action.status",
            f"an Auvo {action.target}'s status is {' or '.join(statuses.named)} "
            f"(or true/false), not {action.status!r}",
        )
    return _record_id(Customer, payload), status == "active"
