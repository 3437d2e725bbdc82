"""Test helpers for code that uses ``bling``: ``FakeBling``, an in-process Bling.

fake = FakeBling()
bling = fake.client()                 # or fake.async_client(), fake.oauth()
python -m bling.testing serve --port 8080
"""

from sdkcore.clock import FakeClock
from sdkcore.testing import FakeServer, Fault

from .fake import PREFIX, FakeBling

__all__ = ["PREFIX", "FakeBling", "FakeClock", "FakeServer", "Fault"]
