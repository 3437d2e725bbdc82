"""A stateful fake of the Auvo API v2, for tests and for tools outside Python.

``python -m auvo.testing serve --port 8080`` serves it on 127.0.0.1.
"""

from sdkcore.testing import FakeClock, Fault, HTTPFault

from ._fake import FakeAuvo

__all__ = ["FakeAuvo", "FakeClock", "Fault", "HTTPFault"]
