"""Test helpers for code that uses ``contaazul.v2``: ``FakeContaAzul``, an in-process
Conta Azul (api-v2 and its OAuth server).

fake = FakeContaAzul()
ca = fake.client()                    # or fake.async_client(), fake.oauth(redirect_uri=...)
python -m contaazul.v2.testing serve --port 8080
"""

from sdkcore.clock import FakeClock
from sdkcore.testing import FakeServer, Fault, HTTPFault

from ._fake import AUTH_URL, BASE_URL, FakeContaAzul
from ._seed import TABLES

__all__ = [
    "AUTH_URL",
    "BASE_URL",
    "TABLES",
    "FakeClock",
    "FakeContaAzul",
    "FakeServer",
    "Fault",
    "HTTPFault",
]
