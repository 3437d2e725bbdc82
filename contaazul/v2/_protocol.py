"""Conta Azul's asynchronous writes: a 202 with a protocol, then the protocol's fate.

Creating a receivable or a payable answers ``202 Accepted`` with ``{protocolo, status,
data_criacao}``: the API queued the event and processes it later. ``GET
/v1/protocolo/{id}`` tells how it went: ``PENDING`` while queued, then ``SUCCESS`` (with the
new financial event's id) or ``ERROR`` (with the reason in ``resposta``).

``wait_for_protocol`` polls until the protocol settles, sleeping longer between polls up
to a ceiling (after a create that came back pending, it sleeps before the first poll:
the create's answer was the first look), and raises ``ProtocolFailed`` when the event was
refused and ``ProtocolTimeoutError`` when it never settled in time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from pydantic import AliasChoices, Field

from sdkcore.client import Call, PerCall, RequestOptions
from sdkcore.endpoints import Flow, Step, Wait
from sdkcore.errors import APIError, SDKError
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.models import APIModel, OptionalInstant
from sdkcore.transport import Response

from ._calls import record_parser

PROTOCOL_PATH = "/v1/protocolo/{id}"

PENDING = "PENDING"
SUCCESS = "SUCCESS"
ERROR = "ERROR"

DEFAULT_TIMEOUT_S = 60.0
DEFAULT_FIRST_DELAY = 0.5
DEFAULT_MAX_DELAY = 8.0


class Protocolo(APIModel):
    """A queued financial event's protocol: its id, status and, once settled, its outcome.

    The 202 answer to a create names the id ``protocolo``; ``GET /v1/protocolo/{id}``
    names it ``id``; both read into ``id``. ``status`` is kept as the API sends it
    (``PENDING``, ``SUCCESS``, ``ERROR``).
    """

    id: Annotated[str, Field(validation_alias=AliasChoices("id", "protocolo"))]
    status: str | None = None
    resposta: str | None = None
    evento_financeiro_id: str | None = None
    data_criacao: OptionalInstant = None

    @property
    def succeeded(self) -> bool:
        return (self.status or "").upper() == SUCCESS

    @property
    def failed(self) -> bool:
        return (self.status or "").upper() == ERROR

    @property
    def settled(self) -> bool:
        """Whether the API has finished with the event, either way."""
        return self.succeeded or self.failed


class ProtocolFailed(APIError):
    """The API accepted a financial event, then refused it: ``protocolo`` is the settled
    protocol and ``reason`` the API's explanation (``resposta``), when it gave one."""

    def __init__(self, protocolo: Protocolo, *, url: str | None = None) -> None:
        self.protocolo = protocolo
        self.reason = protocolo.resposta
        because = f": {protocolo.resposta}" if protocolo.resposta else " (no reason given)"
        super().__init__(
            f"protocol {protocolo.id} failed{because}",
            method="GET",
            url=url,
            code=protocolo.status,
            details=protocolo.model_dump(mode="json"),
        )


class ProtocolTimeoutError(SDKError, TimeoutError):
    """A protocol was still pending after the wait allowed: the event may settle later.

    ``protocolo`` is the last state read; ask again with ``ca.protocolos.get(id)`` or
    ``ca.protocolos.wait(id)``.
    """

    def __init__(self, protocolo: Protocolo, waited: float) -> None:
        self.protocolo = protocolo
        self.waited = waited
        super().__init__(
            f"protocol {protocolo.id} is still {protocolo.status or 'unsettled'} after "
            f"{waited:g} s of waiting; it may settle later: ask for it again by its id"
        )


# A protocol has no amount of its own; what it carries beside its fields keeps its digits.
_read_protocolo: Callable[[Response], Protocolo] = record_parser(Protocolo, exact_extras=True)


def protocol_created(response: Response) -> Protocolo:
    """The protocol a 202 answer to a create carries (``{protocolo, status, ...}``)."""
    return _read_protocolo(response)


def protocol_call(per_call: PerCall, protocolo_id: str) -> Call[Protocolo]:
    """``GET /v1/protocolo/{id}``."""
    path = PROTOCOL_PATH.format(id=PATH_SEGMENT_ID(protocolo_id, "protocolo_id"))
    return Call(per_call.request("GET", path), _read_protocolo)


def backoff_delays(first_delay: float, max_delay: float, budget: float) -> list[float]:
    """The sleeps between polls: doubling from ``first_delay`` up to ``max_delay``, the last
    one cut so that together they wait exactly ``budget`` seconds."""
    if first_delay <= 0 or max_delay < first_delay or budget < 0:
        raise ValueError(
            "need 0 < first_delay <= max_delay and a timeout >= 0, got "
            f"first_delay={first_delay!r}, max_delay={max_delay!r}, timeout={budget!r}"
        )
    delays: list[float] = []
    delay, left = first_delay, budget
    while left > 0:
        step = min(delay, left)
        delays.append(step)
        left -= step
        delay = min(delay * 2, max_delay)
    return delays


def wait_for_protocol(
    per_call: PerCall,
    protocolo_id: str,
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    first_delay: float = DEFAULT_FIRST_DELAY,
    max_delay: float = DEFAULT_MAX_DELAY,
    pending: Protocolo | None = None,
) -> Flow[Protocolo]:
    """Poll the protocol until it settles: the protocol when it succeeded,
    ``ProtocolFailed`` when it failed, ``ProtocolTimeoutError`` after waiting ``timeout_s``
    seconds in all (the time of the requests themselves is not counted).

    ``pending`` is the protocol as just read (a create's answer): the wait then starts
    with a sleep instead of a poll that would only tell the same."""
    delays = backoff_delays(first_delay, max_delay, timeout_s)
    call = protocol_call(per_call, protocolo_id)
    protocolo: Protocolo = pending if pending is not None else (yield call)
    waited = 0.0
    for delay in delays:
        if _settled(protocolo, call.options.path):
            return protocolo
        yield Wait(delay)
        waited += delay
        protocolo = yield call
    if _settled(protocolo, call.options.path):
        return protocolo
    raise ProtocolTimeoutError(protocolo, waited)


def _settled(protocolo: Protocolo, url: str) -> bool:
    """Whether ``protocolo`` succeeded; ``ProtocolFailed`` when it failed."""
    if protocolo.failed:
        raise ProtocolFailed(protocolo, url=url)
    return protocolo.succeeded


def create_with_protocol(
    options: RequestOptions,
    per_call: PerCall,
    *,
    wait: bool,
    timeout_s: float = DEFAULT_TIMEOUT_S,
) -> Step[Protocolo]:
    """Send a create the API answers with 202 and a protocol: the protocol as it came
    back, or, with ``wait``, the protocol once settled (see ``wait_for_protocol``)."""
    create = Call(options, protocol_created)
    if not wait:
        return create
    return _created_then_settled(create, per_call, timeout_s)


def _created_then_settled(
    create: Call[Protocolo], per_call: PerCall, timeout_s: float
) -> Flow[Protocolo]:
    protocolo: Protocolo = yield create
    if _settled(protocolo, create.options.path):
        return protocolo
    return (
        yield from wait_for_protocol(per_call, protocolo.id, timeout_s=timeout_s, pending=protocolo)
    )
