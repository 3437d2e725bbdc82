"""Protocols (``ca.protocolos``, ``protocol-openapi.yml``): the fate of a queued financial
event (a receivable or payable created with ``wait=False``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import Flow, endpoint
from sdkcore.transport import Timeout

from .._protocol import (
    DEFAULT_FIRST_DELAY,
    DEFAULT_MAX_DELAY,
    DEFAULT_TIMEOUT_S,
    Protocolo,
    protocol_call,
    wait_for_protocol,
)

C = TypeVar("C", bound=BaseAPIClient, covariant=True)


class Protocolos(Resource[C]):
    """Read a protocol once, or wait until it settles."""

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[Protocolo]:
        """The protocol as it stands: ``PENDING``, ``SUCCESS`` or ``ERROR``."""
        return protocol_call(PerCall(extra_headers, extra_query, timeout), id)

    @endpoint
    def wait(
        self,
        id: str,
        /,
        *,
        wait_timeout: float = DEFAULT_TIMEOUT_S,
        first_delay: float = DEFAULT_FIRST_DELAY,
        max_delay: float = DEFAULT_MAX_DELAY,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Flow[Protocolo]:
        """Poll the protocol, sleeping ``first_delay`` then twice as long each time (up to
        ``max_delay``), until it settles: the protocol when it succeeded,
        ``ProtocolFailed`` when it failed, ``ProtocolTimeoutError`` after ``wait_timeout``
        seconds of waiting."""
        return wait_for_protocol(
            PerCall(extra_headers, extra_query, timeout),
            id,
            timeout_s=wait_timeout,
            first_delay=first_delay,
            max_delay=max_delay,
        )


__all__ = ["Protocolos"]
