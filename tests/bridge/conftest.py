from __future__ import annotations

from collections import Counter
from typing import Any

import attrs
import pytest

from auvo.testing import FakeAuvo
from bling.testing import FakeBling
from bridge import SQLiteStore
from bridge.demo import demo_config, seed_auvo, seed_erp
from contaazul.testing import FakeContaAzul


@attrs.define
class World:
    """Fake Auvo, a fake ERP and a store: one tenant's whole environment."""

    erp: str
    auvo: FakeAuvo
    fake_erp: Any
    erp_client: Any
    store: SQLiteStore

    def config(self, **changes: Any) -> Any:
        return demo_config(self.erp, **changes)

    def sales(self) -> Counter[str]:
        """ERP sales per bridge reference."""
        if self.erp == "contaazul":
            refs: Counter[str] = Counter()
            for root in ("product_sale", "service_sale"):
                for deal in self.fake_erp.records(root):
                    text = deal.observations or ""
                    refs[text[text.index("[ponte:") + 7 : -1]] += 1
            return refs
        return Counter(p.get("numeroLoja") for p in self.fake_erp.data["pedidos/vendas"].values())


def make_world(erp: str, tmp_path: Any, name: str = "bridge.sqlite3") -> World:
    auvo = FakeAuvo()
    seed_auvo(auvo)
    if erp == "contaazul":
        fake: Any = FakeContaAzul()
        client = fake.client()
    else:
        fake = FakeBling(rate_limit=None)
        client = fake.client(rate_limiter=False)
    seed_erp(erp, client)
    return World(erp, auvo, fake, client, SQLiteStore(tmp_path / name))


@pytest.fixture(params=["contaazul", "bling"])
def world(request: pytest.FixtureRequest, tmp_path: Any) -> World:
    return make_world(request.param, tmp_path)
