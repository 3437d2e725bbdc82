"""``FakeContaAzul``: a stateful, in-memory stand-in for today's Conta Azul API (api-v2) and
its authorization server, answering at wire level as the spec files and the developer
portal describe them."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING, Any

from sdkcore.clock import Clock

from ._cadastros import CadastroRoutes
from ._core import JSON
from ._finance import FinanceRoutes
from ._oauth import OAuthRoutes
from ._sales import SalesRoutes
from ._seed import TABLES, seed_tables

if TYPE_CHECKING:
    from .._client import AsyncContaAzul, ContaAzul
    from ..oauth import ContaAzulOAuth

BASE_URL = "https://api-v2.contaazul.com"
AUTH_URL = "https://auth.contaazul.com"
LONG_LIVED = 10 * 365 * 86400


class FakeContaAzul(OAuthRoutes, FinanceRoutes, SalesRoutes, CadastroRoutes):
    """A stateful Conta Azul. ``fake.client()`` / ``fake.async_client()`` talk to it
    in-process with ``fake.access_token``; ``fake.oauth()`` runs the OAuth flow against it
    with ``fake.client_id``/``client_secret``; ``fake.transport`` mounts it anywhere.

    - ``rate_limited``: past 10 requests in any second or 600 in any minute, a 429 with
      ``Retry-After`` (the token endpoint is another host and is not counted).
    - Access tokens live an hour on ``clock``; ``expire_access_tokens()`` ends them now.
    - A receivable or payable create answers 202 and a protocol that stays ``PENDING`` for
      ``protocol_polls`` reads and ``protocol_delay`` seconds, then settles.
    - ``seed`` picks the seeded records (``seeded=False`` starts with empty tables).
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        rate_limited: bool = True,
        seed: int = 0,
        seeded: bool = True,
        protocol_polls: int = 1,
        protocol_delay: float = 0.0,
    ) -> None:
        super().__init__(clock=clock, rate_limited=rate_limited, seed=seed)
        self._init_oauth()
        self.protocol_polls = protocol_polls
        self.protocol_delay = protocol_delay
        self.data = seed_tables(seed, self.now()) if seeded else {name: {} for name in TABLES}
        self._highest_sale = max((s["numero"] for s in self.data["vendas"].values()), default=0)
        self._highest_contract = 0
        self.access_token = self.new_access_token(lifetime=LONG_LIVED)
        """A valid token for tests that need no OAuth (it outlives any test)."""

    # -- what tests and drivers read ----------------------------------------------------

    def records(self, table: str) -> list[JSON]:
        """A table's records as the API shows them, oldest first (``"pessoas"``,
        ``"vendas"``, ``"contas_financeiras"``, ... : see ``TABLES``)."""
        return self.public(table)

    def sales(self) -> list[JSON]:
        """Every sale as it was written (``numero``, ``observacoes``, ``itens``, ...)."""
        return self.records("vendas")

    def count_sales(self, text: str, field: str = "observacoes") -> int:
        """How many sales have ``text`` inside ``field`` (a text field of the sale)."""
        return sum(1 for sale in self.sales() if text in str(sale.get(field) or ""))

    def sales_by(self, field: str = "observacoes") -> Counter[str]:
        """Sales counted by the value of one of their fields."""
        return Counter(str(sale.get(field) or "") for sale in self.sales())

    def account_named(self, nome: str) -> JSON:
        """The financial account called ``nome`` (``BB``, ``Caixinha``)."""
        for account in self.records("contas_financeiras"):
            if account["nome"] == nome:
                return account
        raise LookupError(f"no financial account named {nome!r}")

    # -- clients ------------------------------------------------------------------------

    def client(self, **options: Any) -> ContaAzul:
        """A ``ContaAzul`` on this fake and its clock (with ``access_token`` unless ``oauth``
        is given)."""
        from .._client import ContaAzul

        options.setdefault("transport", self.transport)
        options.setdefault("clock", self.clock)  # the clock the fake's tokens expire on
        if "oauth" not in options:
            options.setdefault("access_token", self.access_token)
        return ContaAzul(**options)

    def async_client(self, **options: Any) -> AsyncContaAzul:
        """An ``AsyncContaAzul`` on this fake."""
        from .._client import AsyncContaAzul

        options.setdefault("transport", self.transport)
        options.setdefault("clock", self.clock)  # the clock the fake's tokens expire on
        if "oauth" not in options:
            options.setdefault("access_token", self.access_token)
        return AsyncContaAzul(**options)

    def oauth(self, **options: Any) -> ContaAzulOAuth:
        """A ``ContaAzulOAuth`` for this fake's app, talking to it in-process (pass
        ``redirect_uri=`` as the app registered it)."""
        from ..oauth import ContaAzulOAuth

        options.setdefault("transport", self.transport)
        options.setdefault("async_transport", self.transport)
        # Tokens expire on the fake's clock; the grant must judge expiry on the same one.
        options.setdefault("clock", self.clock)
        return ContaAzulOAuth(self.client_id, self.client_secret, **options)

    def describe(self) -> str:
        counts = ", ".join(f"{name}={len(rows)}" for name, rows in self.data.items() if rows)
        return (
            f"FakeContaAzul: client_id={self.client_id} client_secret={self.client_secret}\n"
            f"access_token={self.access_token}\nseeded: {counts}"
        )
