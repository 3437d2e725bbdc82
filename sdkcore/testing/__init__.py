"""Building blocks for stateful fakes of an API.

A fake is a ``FakeAPI`` subclass with routes. It mounts as an httpx transport for sync
and async clients alike (``fake.transport``) and can serve real HTTP on 127.0.0.1.
"""

from __future__ import annotations

from ..clock import FakeClock
from .fake import FakeAPI, FakeRequest, FakeResponse, Fault, HTTPFault, route
from .server import FakeServer, ServedFake, serve_fake_main, serve_main

__all__ = [
    "FakeAPI",
    "FakeClock",
    "FakeRequest",
    "FakeResponse",
    "FakeServer",
    "Fault",
    "HTTPFault",
    "ServedFake",
    "route",
    "serve_fake_main",
    "serve_main",
]
