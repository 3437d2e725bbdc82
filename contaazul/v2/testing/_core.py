"""The state and the gatekeeping every part of ``FakeContaAzul`` shares.

Tables of wire records (plain dicts keyed by UUID), ids drawn from a seeded generator, the
clock, the two rate-limit windows, bearer-token checks, query parsing, paging in each
envelope shape the specs give, and the error bodies of each API family.
"""

from __future__ import annotations

import json
import math
import random
import re
import uuid
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from copy import deepcopy
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from typing import Any

import attrs

from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.dates import SAO_PAULO, parse_instant
from sdkcore.money import money_to_json_number
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, HTTPFault

JSON = dict[str, Any]
Table = dict[str, JSON]

HIDDEN = "_"
"""Keys starting with it are the fake's own bookkeeping, never sent."""
CREATED = "_criado"
CHANGED = "_alterado"
"""Hidden keys: when a record was created and last changed (aware datetimes)."""

OAUTH_PATHS = ("/oauth2/", "/login")
"""Served by Conta Azul's auth host (``auth.contaazul.com``), outside the API's limits."""

EXPIRED_TOKEN = "The Token has expired."
INVALID_TOKEN = "The Token is invalid."
TOO_MANY_REQUESTS = "Too Many Requests"


class Style(Enum):
    """How an API family words its error bodies (each as its spec shows it)."""

    CODE_MESSAGE = "code_message"
    """``{"code": 400, "message": "..."}``: financial, sales, inventory, protocol, ..."""
    ERROR = "error"
    """``{"error": "..."}``: proposals and contracts (the specs' ``ErroAPI``)."""


def fail(status: int, message: str, style: Style = Style.CODE_MESSAGE) -> HTTPFault:
    """An error answer in ``style``'s body."""
    if style is Style.ERROR:
        return HTTPFault(status, {"error": message})
    return HTTPFault(status, {"code": status, "message": message})


def not_found() -> HTTPFault:
    """404 with an empty body, as the specs that document no 404 body answer it."""
    return HTTPFault(404, None)


def wire(value: Any) -> Any:
    """A deep copy fit for JSON: without hidden keys, ``Decimal`` as exact numbers, dates and
    datetimes as ISO text."""
    if isinstance(value, dict):
        return {k: wire(v) for k, v in value.items() if not k.startswith(HIDDEN)}
    if isinstance(value, list | tuple):
        return [wire(v) for v in value]
    if isinstance(value, Decimal):
        return money_to_json_number(value)
    if isinstance(value, datetime):
        return local_stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def ok(body: Any, status: int = 200) -> FakeResponse:
    return FakeResponse(status, wire(body))


def local_stamp(moment: datetime) -> str:
    """``2025-05-16T17:51:04.630``: São Paulo wall time without an offset, as the API sends
    ``criado_em`` and ``data_alteracao``."""
    return moment.astimezone(SAO_PAULO).replace(tzinfo=None).isoformat(timespec="milliseconds")


def utc_stamp(moment: datetime) -> str:
    """``2024-10-22T14:30:00Z``, as the financial events' ``data_criacao``."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def body_of(request: FakeRequest, style: Style = Style.CODE_MESSAGE) -> Any:
    """The JSON body with every fraction as ``Decimal`` (money never passes through float);
    400 when it is missing, not JSON, or uses ``NaN``/``Infinity`` (not JSON, though Python
    reads them)."""
    if not request.body.strip():
        raise fail(400, "O corpo da requisição é obrigatório.", style)
    try:
        return json.loads(request.body, parse_float=Decimal, parse_constant=_refuse_constant)
    except _NotJSONConstant as refused:
        raise fail(
            400, f"O corpo da requisição contém '{refused}', que não é JSON.", style
        ) from None
    except (ValueError, RecursionError):
        raise fail(400, "O corpo da requisição não é um JSON válido.", style) from None


class _NotJSONConstant(Exception):
    """``NaN``, ``Infinity`` or ``-Infinity`` in a body."""


def _refuse_constant(name: str) -> Any:
    raise _NotJSONConstant(name)


def object_body(request: FakeRequest, style: Style = Style.CODE_MESSAGE) -> JSON:
    body = body_of(request, style)
    if not isinstance(body, dict):
        raise fail(400, "O corpo da requisição deve ser um objeto JSON.", style)
    return body


def blank(value: Any) -> bool:
    return value is None or value == "" or value == []


def require(record: Mapping[str, Any], fields: Iterable[str], style: Style) -> None:
    """400 naming the first demanded field that is missing or blank (dotted paths reach
    into nested objects: ``condicao_pagamento.parcelas``)."""
    for path in fields:
        value: Any = record
        for part in path.split("."):
            value = value.get(part) if isinstance(value, Mapping) else None
        if blank(value):
            raise fail(400, f"O campo '{path}' é obrigatório.", style)


def not_null(body: Mapping[str, Any], fields: Iterable[str], style: Style) -> None:
    """400 naming the first of ``fields`` a partial update sends as ``null``: a field the
    record cannot do without (dotted paths, checked only where the parent was sent)."""
    for path in fields:
        value: Any = body
        for part in path.split("."):
            if not isinstance(value, Mapping) or part not in value:
                break
            value = value[part]
        else:
            if value is None:
                raise fail(400, f"O campo '{path}' não pode ser nulo.", style)


def decimal(value: Any) -> Decimal:
    """A stored number as ``Decimal``, absent as 0. Only for what a shape below has already
    checked (or the seed wrote): request input goes through ``money``/``quantity``."""
    if value is None or value == "":
        return Decimal(0)
    return value if isinstance(value, Decimal) else Decimal(str(value))


# -- checking request bodies ---------------------------------------------------------------
#
# A write handler checks its whole body against a shape before it touches any table, so a
# refused write changes nothing and a stored record always reads back. Each check takes the
# value, its dotted path (for the 400's message) and the family's error style, and returns
# the value to store; ``None`` is "not sent" everywhere (``require`` demands fields).

Check = Callable[[Any, str, Style], Any]
Shape = Mapping[str, Check]

MAX_MONEY = Decimal(10) ** 13
"""Amounts stay below this: their cents still fit a JSON number (a double) exactly."""
MAX_QUANTITY = Decimal(10) ** 9
QUANTITY_PLACES = 6
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _number(
    value: Any, path: str, style: Style, *, places: int, ceiling: Decimal, positive: bool
) -> Decimal | None:
    """A finite number (JSON number or plain numeric text) with at most ``places``
    decimals, at least 0 (above 0 when ``positive``) and below ``ceiling``."""
    if value is None:
        return None
    if isinstance(value, str) and _PLAIN_NUMBER.fullmatch(value.strip()):
        value = Decimal(value.strip())
    if isinstance(value, int) and not isinstance(value, bool):
        value = Decimal(value)
    if not isinstance(value, Decimal) or not value.is_finite():
        raise fail(400, f"O campo '{path}' deve ser um número.", style)
    if abs(value) >= ceiling:
        raise fail(400, f"O campo '{path}' deve ser menor que {ceiling:,.0f}.", style)
    if value != value.quantize(Decimal(1).scaleb(-places)):
        raise fail(400, f"O campo '{path}' aceita no máximo {places} casas decimais.", style)
    if value < 0 or (positive and value == 0):
        bound = "maior que zero" if positive else "maior ou igual a zero"
        raise fail(400, f"O campo '{path}' deve ser {bound}.", style)
    return value


def money(value: Any, path: str, style: Style) -> Decimal | None:
    """An amount in reais: finite, to the cent, not negative."""
    return _number(value, path, style, places=2, ceiling=MAX_MONEY, positive=False)


def positive_money(value: Any, path: str, style: Style) -> Decimal | None:
    """An amount in reais above zero (a gross value, an installment, an event's total)."""
    return _number(value, path, style, places=2, ceiling=MAX_MONEY, positive=True)


def quantity(value: Any, path: str, style: Style) -> Decimal | None:
    """A count of units (fractions allowed), not negative."""
    return _number(value, path, style, places=QUANTITY_PLACES, ceiling=MAX_QUANTITY, positive=False)


def positive_quantity(value: Any, path: str, style: Style) -> Decimal | None:
    return _number(value, path, style, places=QUANTITY_PLACES, ceiling=MAX_QUANTITY, positive=True)


def text(value: Any, path: str, style: Style) -> str | None:
    if value is not None and not isinstance(value, str):
        raise fail(400, f"O campo '{path}' deve ser um texto.", style)
    return value


def integer(value: Any, path: str, style: Style) -> int | None:
    """A whole number a JSON reader keeps exactly (below 2**53)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or abs(value) >= 2**53:
        raise fail(400, f"O campo '{path}' deve ser um número inteiro.", style)
    return value


def boolean(value: Any, path: str, style: Style) -> bool | None:
    if value is not None and not isinstance(value, bool):
        raise fail(400, f"O campo '{path}' deve ser true ou false.", style)
    return value


def day(value: Any, path: str, style: Style) -> str | None:
    """A date as ``aaaa-mm-dd`` text, stored as sent."""
    if value is None:
        return None
    try:
        if not (isinstance(value, str) and _ISO_DAY.fullmatch(value)):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise fail(400, f"O campo '{path}' deve ser uma data (aaaa-mm-dd).", style) from None
    return value


def shape(fields: Shape, *, closed: bool = False) -> Check:
    """An object whose ``fields`` pass their checks; other keys are kept as sent, or refused
    when ``closed`` (where the fake would otherwise store them over its own)."""

    def check(value: Any, path: str, style: Style) -> JSON | None:
        if value is None:
            return None
        if not isinstance(value, dict):
            raise fail(400, f"O campo '{path or 'corpo'}' deve ser um objeto.", style)
        checked: JSON = {}
        for key, item in value.items():
            where = f"{path}.{key}" if path else key
            if key in fields:
                checked[key] = fields[key](item, where, style)
            elif closed:
                raise fail(400, f"O campo '{where}' não é aceito aqui.", style)
            else:
                checked[key] = deepcopy(item)
        return checked

    return check


def list_of(element: Check, *, one_or_many: bool = False) -> Check:
    """A list whose elements pass ``element`` (none of them null); ``one_or_many`` also
    takes a lone element (a schema that declares one object where a list is meant)."""

    def check(value: Any, path: str, style: Style) -> list[Any] | None:
        if value is None:
            return None
        if one_or_many and isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            raise fail(400, f"O campo '{path}' deve ser uma lista.", style)
        checked = []
        for index, item in enumerate(value):
            where = f"{path}[{index}]"
            if item is None:
                raise fail(400, f"O campo '{where}' não pode ser nulo.", style)
            checked.append(element(item, where, style))
        return checked

    return check


def conform(body: JSON, fields: Shape, style: Style, *, closed: bool = False) -> JSON:
    """``body`` checked against ``fields`` (400 naming the first bad field), as a new dict
    with amounts as ``Decimal``: what the handler may store."""
    checked: JSON = shape(fields, closed=closed)(body, "", style)
    return checked


MONEY_BREAKDOWN: Shape = {
    "valor_bruto": positive_money,
    "valor_liquido": money,
    "multa": money,
    "juros": money,
    "desconto": money,
    "taxa": money,
}
"""``composicao_valor``/``detalhe_valor``: how an installment's amount is made up."""


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


# -- the query ---------------------------------------------------------------------------


def arg(request: FakeRequest, name: str) -> str | None:
    value = request.arg(name)
    return None if value is None or value == "" else value


def many(request: FakeRequest, name: str) -> list[str]:
    """Every value of a list parameter: repeated keys (``a=1&a=2``, also ``a[]=``) or one
    comma-separated value (``a=1,2``); the specs allow both."""
    values = [*request.query.get(name, []), *request.query.get(name + "[]", [])]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def int_arg(request: FakeRequest, name: str, default: int, style: Style) -> int:
    text = arg(request, name)
    if text is None:
        return default
    try:
        return int(text)
    except ValueError:
        raise fail(400, f"O parâmetro '{name}' deve ser um número inteiro.", style) from None


def money_arg(request: FakeRequest, name: str, style: Style) -> Decimal | None:
    """An amount filter (``valor_de``): 400 unless it is a finite amount."""
    text_value = arg(request, name)
    return money(text_value, name, style)


def date_arg(request: FakeRequest, name: str, style: Style, required: bool = False) -> date | None:
    text = arg(request, name)
    if text is None:
        if required:
            raise fail(400, f"O parâmetro '{name}' é obrigatório.", style)
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise fail(400, f"O parâmetro '{name}' deve ser uma data (aaaa-mm-dd).", style) from None


def instant_arg(request: FakeRequest, name: str, style: Style) -> datetime | None:
    """A date-time filter; without an offset it is São Paulo time, as the specs say."""
    text = arg(request, name)
    if text is None:
        return None
    try:
        return parse_instant(text, SAO_PAULO)
    except ValueError:
        raise fail(400, f"O parâmetro '{name}' deve ser uma data e hora.", style) from None


def bool_arg(request: FakeRequest, name: str, default: bool | None = None) -> bool | None:
    text = arg(request, name)
    if text is None:
        return default
    return text.strip().lower() in ("true", "1", "sim")


def date_window(
    request: FakeRequest, start: str, end: str, style: Style, required: bool
) -> tuple[date | None, date | None]:
    """Two date parameters; 400 when the start is after the end (the financial spec's
    message)."""
    first = date_arg(request, start, style, required)
    last = date_arg(request, end, style, required)
    if first and last and first > last:
        raise fail(400, "A data de início não pode ser posterior à data de fim.", style)
    return first, last


def within(day: date | None, first: date | None, last: date | None) -> bool:
    if first is None and last is None:
        return True
    if day is None:
        return False
    return (first is None or day >= first) and (last is None or day <= last)


def contains(haystack: Any, needle: str) -> bool:
    return needle.casefold() in str(haystack or "").casefold()


# -- paging -------------------------------------------------------------------------------

PAGE_SIZES = (10, 20, 50, 100, 200, 500, 1000)
"""The ``tamanho_pagina`` enum most operations declare."""


class Envelope(Enum):
    """The shapes of a list answer: the specs' four, as they assign them to operations,
    and the portal's people list."""

    ITENS_TOTAIS_ITENS = ("itens_totais", "itens")
    ITENS_TOTAIS_ITEMS = ("itens_totais", "items")
    TOTAL_ITENS_ITENS = ("total_itens", "itens")
    TOTALITEMS_ITEMS = ("totalItems", "items")
    """People (the portal's ``/v1/pessoas``): camelCase, as the portal shows it."""
    BARE = ("", "")


@attrs.frozen
class PageRule:
    """One list operation's paging: its envelope and the page sizes its spec accepts."""

    envelope: Envelope
    sizes: tuple[int, ...] | None = PAGE_SIZES
    """The enum of ``tamanho_pagina``; ``None`` where the spec gives no enum (1..maximum)."""
    maximum: int = 1000
    required: bool = False
    """``pagina`` and ``tamanho_pagina`` must be sent (the spec marks them required)."""
    style: Style = Style.CODE_MESSAGE


def page_of(
    request: FakeRequest,
    records: Sequence[JSON],
    rule: PageRule,
    render: Callable[[JSON], JSON] = wire,
    extra: Mapping[str, Any] | None = None,
) -> FakeResponse:
    """One page of ``records`` in ``rule``'s envelope; 400 for a page size past the
    maximum or outside the spec's enum, or a page below 1."""
    if rule.required:
        for name in ("pagina", "tamanho_pagina"):
            if arg(request, name) is None:
                raise fail(400, f"O parâmetro '{name}' é obrigatório.", rule.style)
    page = int_arg(request, "pagina", 1, rule.style)
    size = int_arg(request, "tamanho_pagina", 10, rule.style)
    if page < 1:
        raise fail(400, "O parâmetro 'pagina' deve ser maior ou igual a 1.", rule.style)
    if size < 1 or size > rule.maximum:
        raise fail(
            400, f"O parâmetro 'tamanho_pagina' deve estar entre 1 e {rule.maximum}.", rule.style
        )
    if rule.sizes is not None and size not in rule.sizes:
        allowed = ", ".join(str(s) for s in rule.sizes)
        raise fail(400, f"O parâmetro 'tamanho_pagina' deve ser um de: {allowed}.", rule.style)
    start = (page - 1) * size
    items = [render(r) for r in records[start : start + size]]
    if rule.envelope is Envelope.BARE:
        return ok(items)
    total_key, items_key = rule.envelope.value
    return ok({**(extra or {}), total_key: len(records), items_key: items})


# -- the rate limit -------------------------------------------------------------------------


class SlidingWindow:
    """At most ``limit`` requests in any ``seconds``-long window."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """0 when one more request fits now, else the seconds until one does."""
        while self._times and now - self._times[0] >= self.seconds:
            self._times.popleft()
        if len(self._times) < self.limit:
            return 0.0
        return self._times[0] + self.seconds - now

    def record(self, now: float) -> None:
        self._times.append(now)


# -- the core ---------------------------------------------------------------------------------


class FakeCore(FakeAPI):
    """State shared by the route groups (each a subclass; ``FakeContaAzul`` joins them)."""

    data: dict[str, Table]

    def __init__(
        self,
        *,
        clock: Clock | None,
        rate_limited: bool,
        seed: int,
        per_second: int = 10,
        per_minute: int = 600,
    ) -> None:
        super().__init__()
        # A literal path beats a captured segment ("/v1/venda/busca" is not the sale
        # "busca"): fewer captures first, then longer patterns, as before.
        self._routes.sort(key=lambda r: (r[1].pattern.count("(?P<"), -len(r[1].pattern)))
        self.clock: Clock = clock or SYSTEM_CLOCK
        self.seed = seed
        self.rate_limited = rate_limited
        self.windows = (SlidingWindow(per_second, 1.0), SlidingWindow(per_minute, 60.0))
        self.api_calls = 0
        """Requests that reached the API (the token endpoint is another host)."""
        self.throttled = 0
        """Requests answered 429."""
        self._access: dict[str, float] = {}
        self._id_rng = random.Random(f"contaazul-v2-fake:{seed}:new")
        self._legacy_ids = iter(range(50_000_000 + 1_000_000 * seed, 1 << 62))

    # -- time and ids ----------------------------------------------------------------

    def now(self) -> datetime:
        """The clock's now in São Paulo, to the millisecond."""
        moment = datetime.fromtimestamp(self.clock.time(), SAO_PAULO)
        return moment.replace(microsecond=moment.microsecond // 1000 * 1000)

    def today(self) -> date:
        return self.now().date()

    def new_id(self) -> str:
        """A UUID for a new record: random-looking, the same on every run of one seed."""
        return str(uuid.UUID(int=self._id_rng.getrandbits(128), version=4))

    def new_legacy_id(self) -> int:
        return next(self._legacy_ids)

    def table(self, name: str) -> Table:
        return self.data[name]

    def find(self, name: str, ident: str, missing: Callable[[], HTTPFault] = not_found) -> JSON:
        record = self.data[name].get(ident)
        if record is None:
            raise missing()
        return record

    def insert(self, name: str, record: JSON) -> JSON:
        """Store a new record, dated now."""
        now = self.now()
        record.setdefault(CREATED, now)
        record[CHANGED] = now
        self.data[name][record["id"]] = record
        return record

    def touch(self, record: JSON) -> JSON:
        record[CHANGED] = self.now()
        return record

    # -- tokens ------------------------------------------------------------------------

    def grant_access(self, token: str, lifetime: float) -> None:
        self._access[token] = self.clock.time() + lifetime

    def expire_access_tokens(self) -> None:
        """Every access token issued so far now answers 401 (``The Token has expired.``)."""
        with self.lock:
            for token in self._access:
                self._access[token] = 0.0

    # -- gatekeeping ----------------------------------------------------------------------

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        if request.path.startswith(OAUTH_PATHS):
            return None
        with self.lock:
            self.api_calls += 1
            throttled = self._throttle()
        if throttled is not None:
            return throttled
        header = request.header("authorization") or ""
        scheme, _, token = header.partition(" ")
        expires = self._access.get(token.strip()) if scheme.lower() == "bearer" else None
        if expires is None:
            return fail(401, INVALID_TOKEN).response
        if expires <= self.clock.time():
            return fail(401, EXPIRED_TOKEN).response
        return None

    def _throttle(self) -> FakeResponse | None:
        if not self.rate_limited:
            return None
        now = self.clock.monotonic()
        wait = max(window.wait(now) for window in self.windows)
        if wait > 0:
            self.throttled += 1
            # An empty body, as the specs document their 429s; Retry-After in whole seconds.
            retry_after = str(max(1, math.ceil(wait)))
            return FakeResponse(429, None, {"Retry-After": retry_after})
        for window in self.windows:
            window.record(now)
        return None

    # -- reading records ---------------------------------------------------------------------

    def rows(self, name: str, keep: Callable[[JSON], bool] | None = None) -> list[JSON]:
        """A table's records in creation order, narrowed by ``keep``."""
        records = sorted(self.data[name].values(), key=lambda r: (r[CREATED], r["id"]))
        return [r for r in records if keep is None or keep(r)]

    def public(self, name: str) -> list[JSON]:
        """A table's records as the API shows them (copies, hidden keys dropped)."""
        with self.lock:
            return [deepcopy(wire(r)) for r in self.rows(name)]
