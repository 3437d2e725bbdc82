"""Bling's ``AutomationIO``: what automations read from Bling and do in it, over the pass's
``BlingERP`` (its client, rate limits and call counter).

Triggers read ``contato``, ``pedido_venda`` and ``produto`` through each list's own change
filter, ``dataAlteracaoInicial`` (sent in São Paulo time, to the second, inclusive), every
situation included, and then each listed record by id: Bling's lists carry a summary (a
contact without its e-mail or address, an order without its items or instalments), while a
trigger's filters, map and version are over the whole record the catalogue lists. So a pass
costs one call per 100 changed records plus one per record. None of the three records says
when it was created: ``Observed.created_at`` is ``None``.

``create_customer`` keeps the automation's reference in the contact's ``codigo`` (found again
through the list's ``pesquisa``, which searches codes), ``create_sale`` in the order's
``numeroLoja`` (the list's ``numerosLojas[]``); a map that fills either, or the id, is refused
(``reserved_fields`` in ``bling.AUTOMATIONS``, which the config's checks read too). A contact
created without ``tipo`` gets ``J`` for a CNPJ, else ``F``. ``update_customer`` reads the
contact and writes the mapped fields over it (objects merged field by field, lists
replaced): Bling's PUT clears whatever it is not sent.
``set_status`` sets a sales order's situação (the action's status is its id, as the order's
``situacao.id`` carries it) or a contact's (``A``, ``I``, ``E`` or ``S``), as
``bling.AUTOMATIONS.statuses`` declares. Lookups find a product or a service by ``codigo`` through
the product list's ``codigos[]``: Bling keeps services as products of ``tipo`` ``S`` (or
``N``)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
from pydantic import BaseModel

from bling import Bling, Contato, Produto, ProdutoResumo
from sdkcore import NotFoundError, RequestValidationError
from sdkcore.brazil import is_cnpj
from sdkcore.paging import SyncPager
from sdkcore.wire import field_wire_name
from sdkcore.write_checks import check_outgoing

from ..automation_surface import AutomationSurface, LookupFailed, Observed

if TYPE_CHECKING:
    from collections.abc import Collection

    from ..automations.declare import Action
    from .bling import BlingERP

__all__ = ["BlingAutomations"]

M = TypeVar("M", bound=BaseModel)

ALL_CONTACTS: Final = 1
"""The contact list's ``criterio`` "Todos": inactive and deleted contacts change too."""
ALL_PRODUCTS: Final = 5
"""The product list's ``criterio`` "Todos"."""
SERVICE_TYPES: Final = frozenset({"S", "N"})
"""A product's ``tipo`` when it is a service (``N``: Bling's telecom services)."""

_LISTED_FIELDS: Final = frozenset(ProdutoResumo.model_fields)
"""The fields the product list carries; a lookup taking another reads the product by id."""


@attrs.frozen
class _Watched:
    """How a record a trigger watches is read: its changes since an instant (every record
    for ``None``), lazily, and one by id."""

    changes: Callable[[Bling, datetime | None], SyncPager[Any]]
    one: Callable[[Bling, int], BaseModel]


_WATCHED: Final[Mapping[str, _Watched]] = {
    "contato": _Watched(
        lambda bling, since: bling.contatos.list(
            criterio=ALL_CONTACTS, data_alteracao_inicial=since
        ),
        lambda bling, ident: bling.contatos.get(ident),
    ),
    "pedido_venda": _Watched(
        lambda bling, since: bling.pedidos_vendas.list(data_alteracao_inicial=since),
        lambda bling, ident: bling.pedidos_vendas.get(ident),
    ),
    "produto": _Watched(
        lambda bling, since: bling.produtos.list(
            criterio=ALL_PRODUCTS, data_alteracao_inicial=since
        ),
        lambda bling, ident: bling.produtos.get(ident),
    ),
}


class BlingAutomations:
    """``AutomationIO`` for Bling over the pass's ``BlingERP``, acting as ``surface`` (Bling's
    declaration) says. A product or service a lookup found is kept for the rest of the pass:
    a code is read once however many orders name it."""

    def __init__(self, erp: BlingERP, surface: AutomationSurface) -> None:
        self._erp = erp
        self._surface = surface
        self._items: dict[tuple[str, str], ProdutoResumo] = {}
        self._taken = {
            what: {field_wire_name(model, name): name for name in model.model_fields}
            for what, model in surface.lookups.items()
        }
        """What a lookup finds -> its wire names -> its fields: what ``take`` may name."""

    @property
    def _bling(self) -> Bling:
        return self._erp.client

    # -- triggers ---------------------------------------------------------------------------

    def changed(self, record: str, since: datetime | None) -> Iterator[Observed]:
        watched = _watched(record)
        for listed in self._erp.records(watched.changes(self._bling, since)):
            if listed.id is not None:
                found = self._one(watched, listed.id)
                if found is not None:  # deleted between the list and the read
                    yield found

    def read(self, record: str, ident: str) -> Observed | None:
        watched = _watched(record)
        try:
            number = int(ident)
        except ValueError:
            return None  # never a Bling id: no such record, and no call to learn it
        return self._one(watched, number)

    def _one(self, watched: _Watched, ident: int) -> Observed | None:
        try:
            found = self._erp.counted(watched.one(self._bling, ident))
        except NotFoundError:
            self._erp.calls.hit(self._erp.name)  # answered all the same: it counts
            return None
        return Observed(str(ident), found)

    # -- actions ----------------------------------------------------------------------------

    def reserve(self, action: Action, held: Collection[str]) -> str | None:
        return None  # every create carries its reference in a field the lists filter by

    def find(self, action: Action, reference: str, reserved: str | None) -> str | None:
        if action.kind == "create_customer":
            contatos = self._bling.contatos.list(pesquisa=reference, criterio=ALL_CONTACTS)
            found = (c.id for c in self._erp.records(contatos) if c.codigo == reference)
        elif action.kind == "create_sale":
            pedidos = self._bling.pedidos_vendas.list(numeros_lojas=[reference])
            found = (p.id for p in self._erp.records(pedidos) if p.numero_loja == reference)
        else:
            return None  # an update or a status: writing it again is harmless
        ident = next((i for i in found if i is not None), None)
        return None if ident is None else str(ident)

    def act(
        self, action: Action, payload: Mapping[str, Any], reference: str, reserved: str | None
    ) -> str:
        if action.kind == "create_customer":
            return self._create_customer(payload, reference)
        if action.kind == "update_customer":
            return self._update_customer(payload)
        if action.kind == "create_sale":
            return self._create_sale(payload, reference)
        if action.kind == "set_status":
            return self._set_status(action, payload)
        raise ValueError(f"Bling has no automation action {action.kind!r}")

    def _create_customer(self, payload: Mapping[str, Any], reference: str) -> str:
        fields = self._carrying(payload, "codigo", reference, "create_customer")
        if "tipo" not in fields:  # Bling requires it, and the document tells it
            fields["tipo"] = _person_kind(fields.get("numeroDocumento"))
        return str(self._erp.counted(self._bling.contatos.create(fields)).id)

    def _update_customer(self, payload: Mapping[str, Any]) -> str:
        ident, fields = _with_id(payload, "update_customer")
        changes = Contato.coerce(fields)
        check_outgoing(changes)  # the write's own checks, before the read
        current = self._erp.counted(self._bling.contatos.get(ident))
        # Bling's PUT clears what it is not sent: the mapped fields go over the whole record.
        self._erp.counted(self._bling.contatos.update(ident, _merged(current, changes)))
        return str(ident)

    def _create_sale(self, payload: Mapping[str, Any], reference: str) -> str:
        fields = self._carrying(payload, "numeroLoja", reference, "create_sale")
        return str(self._erp.counted(self._bling.pedidos_vendas.create(fields)).id)

    def _set_status(self, action: Action, payload: Mapping[str, Any]) -> str:
        statuses = self._surface.statuses.get(action.target)
        if statuses is None:
            settable = " or a ".join(self._surface.statuses)
            raise RequestValidationError(
                "record",
                f"set_status on Bling sets the situação of a {settable}, not of a {action.record}",
            )
        ident, others = _with_id(payload, "set_status")
        if others:
            raise RequestValidationError(
                next(iter(others)),
                "set_status sends only the record's id; the status is the action's",
            )
        status = statuses.pick(action.status)
        if status is None:
            raise RequestValidationError(
                "status",
                f"{action.status!r} is not the id of {statuses.numbered}"
                if statuses.numbered
                else f"a {action.target}'s situação is one of {', '.join(statuses.named)}, "
                f"not {action.status!r}",
            )
        if action.target == "pedido_venda":  # the id of one of the sales module's situações
            self._erp.counted(self._bling.pedidos_vendas.alterar_situacao(ident, int(status)))
        else:
            self._erp.counted(self._bling.contatos.alterar_situacao(ident, str(status)))
        return str(ident)

    def _carrying(
        self, payload: Mapping[str, Any], field: str, reference: str, kind: str
    ) -> dict[str, Any]:
        """The payload with the automation's ``reference`` in ``field``, where ``find`` looks.
        A field the action keeps for itself (the declaration's ``reserved_fields``: ``field``,
        the id Bling gives) is refused."""
        taken = sorted(self._surface.reserved_fields.get(kind, frozenset()) & set(payload))
        if "id" in taken:
            raise RequestValidationError("id", f"is Bling's to give on {kind}")
        if taken:
            raise RequestValidationError(
                taken[0], f"{kind} keeps the automation's reference here; map this value elsewhere"
            )
        return {**payload, field: reference}

    # -- lookups ----------------------------------------------------------------------------

    def lookup(self, what: str, key: Any, take: str) -> Any:
        taken = self._taken.get(what)
        if taken is None:
            raise LookupFailed(f"Bling looks up a product or a service, not a {what}")
        field = taken.get(take)
        if field is None:
            close = get_close_matches(take, list(taken), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise LookupFailed(f"a Bling {what} has no field {take!r}{hint}")
        code = "" if key is None else str(key).strip()
        if not code:
            raise LookupFailed(f"no code to find a Bling {what} by")
        item = self._item(what, code)
        if field not in _LISTED_FIELDS and not isinstance(item, Produto):
            assert item.id is not None  # _item keeps only listed records with an id
            item = self._erp.counted(self._bling.produtos.get(item.id))
            self._items[what, code] = item
        value = getattr(item, field)
        if value is None:
            raise LookupFailed(f"the Bling {what} {code!r} ({item.id}) has no {take}")
        return value

    def _item(self, what: str, code: str) -> ProdutoResumo:
        """The one active product or service (``what``) whose code is ``code``."""
        kept = self._items.get((what, code))
        if kept is not None:
            return kept
        pager = self._bling.produtos.list(codigos=[code], criterio=ALL_PRODUCTS)
        listed = [p for p in self._erp.records(pager) if p.codigo == code and p.id is not None]
        kind = [p for p in listed if _item_kind(p) == what]
        if not kind:
            if listed:  # said so: the map's lookup names the wrong kind
                other = listed[0]
                raise LookupFailed(
                    f"the Bling code {code!r} is a {_item_kind(other)} ({other.id}), not a {what}"
                )
            raise LookupFailed(f"no Bling {what} has the code {code!r}")
        active = [p for p in kind if (p.situacao or "A") == "A"]
        if not active:
            raise LookupFailed(f"the Bling {what} {code!r} ({kind[0].id}) is not active")
        if len(active) > 1:
            ids = ", ".join(str(p.id) for p in active)
            raise LookupFailed(f"{len(active)} active Bling {what}s have the code {code!r}: {ids}")
        self._items[what, code] = active[0]
        return active[0]


def _watched(record: str) -> _Watched:
    try:
        return _WATCHED[record]
    except KeyError:
        raise ValueError(f"Bling automations watch {', '.join(_WATCHED)}, not {record!r}") from None


def _item_kind(item: ProdutoResumo) -> str:
    return "service" if item.tipo in SERVICE_TYPES else "product"


def _person_kind(document: object) -> str:
    """Bling's ``tipo`` of a contact: ``J`` for a CNPJ, else ``F``."""
    return "J" if is_cnpj(str(document or "")) else "F"


def _with_id(payload: Mapping[str, Any], kind: str) -> tuple[int, dict[str, Any]]:
    """The id of the record ``kind`` writes (the payload's ``id``) and the other fields."""
    fields = dict(payload)
    ident = fields.pop("id", None)
    if ident is None:
        raise RequestValidationError("id", f"{kind} needs the id of the Bling record: map id")
    return _bling_id(ident, "id", "a Bling record"), fields


def _bling_id(value: object, field: str, what: str) -> int:
    """``value`` as a Bling id (a positive whole number, or its digits as text)."""
    if isinstance(value, int) and not isinstance(value, bool) and value > 0:
        return value
    if isinstance(value, str) and value.strip().isdigit() and int(value) > 0:
        return int(value)
    raise RequestValidationError(field, f"{value!r} is not the id of {what}")


def _merged(current: M, changes: BaseModel) -> M:
    """``current`` with the fields ``changes`` set written over it: records and objects
    within it merged field by field, anything else (a list, a value) replaced."""
    update: dict[str, Any] = {}
    for name in changes.model_fields_set:
        value, before = getattr(changes, name), getattr(current, name, None)
        if isinstance(value, BaseModel) and isinstance(before, BaseModel):
            value = _merged(before, value)
        elif isinstance(value, dict) and isinstance(before, dict):
            value = {**before, **value}
        update[name] = value
    return current.model_copy(update=update)
