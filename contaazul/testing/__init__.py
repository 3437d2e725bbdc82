"""A stateful fake of the Conta Azul API, for tests and demos: ``FakeContaAzul``.

>>> from contaazul.testing import FakeContaAzul
>>> fake = FakeContaAzul()
>>> with fake.client() as ca:
...     accounts = [a.name for a in ca.bank_accounts.list()]

``python -m contaazul.testing serve --port 8080`` serves it over HTTP on 127.0.0.1.
"""

from ._fake import FakeContaAzul, deal_total, missing_required

__all__ = ["FakeContaAzul", "deal_total", "missing_required"]
