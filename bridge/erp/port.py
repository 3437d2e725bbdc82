"""The ERP seam: the port the streams use (``ErpPort``), the base adapters build on, and
``ErpKind``, the record that tells the bridge everything else about one ERP (its settings,
its client, its fake, how customers match, how it is authorised)."""

from __future__ import annotations

import abc
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, Self, TypeVar

import attrs

from sdkcore.client import SyncAPIClient

from ..adapters import CallCounter, CountedClient, CustomerIndex
from ..automation_surface import AutomationSurface
from ..domain import CustomerData, ErpCustomer, ErpItem, FinancialAccount, PlannedSale, SaleDraft
from ..values import SYNC_WITHOUT_CLIENT, Secret, required_secret

if TYPE_CHECKING:
    from sdkcore.auth import TokenSet, TokenStore
    from sdkcore.clock import Clock
    from sdkcore.testing import FakeAPI
    from sdkcore.transport import BaseTransport

    from ..webhook_listener import ErpWebhooks

__all__ = [
    "LOOPBACK_REDIRECT_URI",
    "ClientFactory",
    "CodeGrant",
    "ErpAdapter",
    "ErpClient",
    "ErpKind",
    "ErpPort",
    "ErpSettings",
    "FakeErp",
    "FakeErpKind",
    "KindRenamed",
    "OAuthApp",
    "OAuthSettings",
    "app_credentials",
    "client_of",
    "default_pace",
    "list_reads",
    "oauth_app",
    "oauth_client",
    "settings_of",
]

ClientT = TypeVar("ClientT", bound=SyncAPIClient)
SettingsT = TypeVar("SettingsT", bound="ErpSettings")

ErpClient = SyncAPIClient
"""A ready sync client of an ERP's package: what ``bridge.sync(erp=...)`` takes."""


def client_of(expected: type[ClientT], kind: str, client: ErpClient) -> ClientT:
    """``client`` as the ERP ``kind``'s own client class, or a ``TypeError`` naming it."""
    if not isinstance(client, expected):
        package = expected.__module__.partition(".")[0]
        raise TypeError(f"erp.kind is {kind}: pass a {package}.{expected.__name__}, not {client!r}")
    return client


def settings_of(expected: type[SettingsT], kind: str, settings: ErpSettings) -> SettingsT:
    """``settings`` as the ERP ``kind``'s own settings class, or a ``TypeError`` naming it."""
    if not isinstance(settings, expected):
        raise TypeError(
            f"erp.kind is {kind}: its settings are {expected.__name__}, not {settings!r}"
        )
    return settings


def default_pace(client_class: type[SyncAPIClient]) -> float:
    """Requests a second a client class keeps to when its rate limiter is on (its
    ``default_rate`` of requests per so many seconds)."""
    if client_class.default_rate is None:
        raise ValueError(f"{client_class.__name__} has no default rate")
    requests, seconds, _burst = client_class.default_rate
    return requests / seconds


class ErpPort(Protocol):
    """An ERP as the bridge uses it. Ids are strings whatever the ERP uses."""

    @property
    def name(self) -> str:
        """The ERP's kind: in reports, references and the call counter."""

    @property
    def title(self) -> str:
        """The ERP's name as people write it."""

    @property
    def account_label(self) -> str:
        """What the ERP calls the account a sale is paid into (``erp.financial_account``)."""

    def customers(self, modified_since: datetime | None = None) -> Iterator[ErpCustomer]:
        """Every customer, or those changed after ``modified_since``."""

    def customer(self, erp_id: str) -> ErpCustomer | None:
        """One customer by id; ``None`` when the ERP has no such customer (any more)."""

    def find_customer(
        self, document: str, email: str, reference: str = "", ident: str = ""
    ) -> ErpCustomer | None:
        """By the bridge's ``reference``, then by ``ident``, then by CPF/CNPJ (digits), then
        by e-mail; ``None`` when none matches. Raises ``AmbiguousMatch`` when more than one
        customer matches."""

    def create_customer(self, data: CustomerData, reference: str = "") -> str:
        """Create the customer; one with neither CPF/CNPJ nor e-mail carries ``reference``
        where ``find_customer`` finds it."""

    def update_customer(self, erp_id: str, data: CustomerData) -> None:
        """Write ``data``'s fields over the customer's."""

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        """Whether the ERP changed this customer after ``moment``, as the ERP's own
        modified-since filter answers (a customer record need carry no change time)."""

    def forget_customers(self) -> None:
        """Drop what this pass read of the customers: an automation wrote one, and the next
        search must see it (or a second customer would be made)."""

    def products(self) -> Iterator[ErpItem]:
        """The products the ERP sells, read once per pass."""

    def services(self) -> Iterator[ErpItem]:
        """The services the ERP sells, read once per pass."""

    def item(self, kind: str, erp_id: str) -> ErpItem | None:
        """A product or service by kind and id; ``None`` when the ERP has none such."""

    def financial_accounts(self) -> list[FinancialAccount]:
        """The accounts a sale may be paid into (``account_label`` says what they are)."""

    def plan_sales(self, draft: SaleDraft) -> list[PlannedSale]:
        """The sales a draft becomes: one, or more on an ERP that sells products and
        services apart."""

    def reserve_sale(self, sale: PlannedSale, held: Collection[str] = frozenset()) -> str | None:
        """The key the ERP will hold ``sale`` under, taken before its create (the write
        protocol records it in the store first), never one of ``held`` (the keys other
        pending writes may still create their records under); ``None`` on an ERP that needs
        none. Raises ``ItemNotSellable`` for a sale the ERP would refuse, before taking a
        key."""

    def find_sale(self, sale: PlannedSale, reserved: str | None = None) -> str | None:
        """The id of the sale carrying ``sale.reference``, if the ERP has one. With
        ``reserved`` (a key ``reserve_sale`` gave an earlier attempt), in one read: the sale
        held under that key when it is this one; ``None`` when the key holds no sale (the
        create is sent again under it); ``ReservationTaken`` when it holds another sale."""

    def sales_since(self, day: date) -> Iterator[tuple[str, str]]:
        """``(reference, id)`` of every sale the bridge made dated on or after ``day`` (it
        may yield more: a superset is fine; nothing, on an ERP whose sale list does not
        carry the reference: ``ErpKind.sales_searchable``)."""

    def create_sale(self, sale: PlannedSale, reserved: str | None = None) -> str:
        """Create the sale, under the key ``reserve_sale`` gave (when it gave one); returns
        its id."""


class ErpAdapter(CountedClient[ClientT], ErpPort, abc.ABC):
    """The part of ``ErpPort`` every ERP answers alike, so an adapter only reads and writes
    its own ERP: the customer index (link before create), the catalog read once per pass,
    and the change check through the customer list's modified-since filter.

    A subclass sets ``name``, ``title``, ``credentials_fix`` (and ``account_label`` when the
    ERP has its own word for it) and writes ``_create_customer``, ``_read_items`` and the
    port's other methods.
    """

    account_label: ClassVar[str] = "financial account"

    def __init__(self, client: ClientT, calls: CallCounter | None = None) -> None:
        super().__init__(client, calls)
        self._index = CustomerIndex(self.customers, f"{self.name} customers")
        self._items: dict[tuple[str, str], ErpItem] | None = None

    @abc.abstractmethod
    def _create_customer(self, data: CustomerData, reference: str) -> str:
        """Create the customer, carrying ``reference`` (when not empty) in a field the
        ERP's customer search looks at."""

    @abc.abstractmethod
    def _read_items(self) -> Iterable[ErpItem]:
        """Every product and service, read from the ERP."""

    def find_customer(
        self, document: str, email: str, reference: str = "", ident: str = ""
    ) -> ErpCustomer | None:
        return self._index.find(document, email, reference, ident)

    def create_customer(self, data: CustomerData, reference: str = "") -> str:
        # Only a customer with neither CPF/CNPJ nor e-mail needs the bridge's reference to be
        # found again; the others keep their records as the people using the ERP fill them.
        mark = "" if data.document or data.email else reference
        return self._index.create(data, mark, lambda: self._create_customer(data, mark))

    def customer_changed_since(self, erp_id: str, moment: datetime) -> bool:
        return any(c.id == erp_id for c in self.customers(modified_since=moment))

    def forget_customers(self) -> None:
        self._index.forget()

    def _catalog(self) -> dict[tuple[str, str], ErpItem]:
        if self._items is None:  # kept only once complete: a failed read is read again
            self._items = {(item.kind, item.id): item for item in self._read_items()}
        return self._items

    def products(self) -> Iterator[ErpItem]:
        return iter([i for i in self._catalog().values() if i.kind == "product"])

    def services(self) -> Iterator[ErpItem]:
        return iter([i for i in self._catalog().values() if i.kind == "service"])

    def item(self, kind: str, erp_id: str) -> ErpItem | None:
        return self._catalog().get((kind, erp_id))

    def reserve_sale(self, sale: PlannedSale, held: Collection[str] = frozenset()) -> str | None:
        return None  # most ERPs find a sale by the reference it carries


@attrs.frozen
class ErpSettings:
    """An ERP's own settings in ``[erp]`` (``financial_account`` and ``payment_terms`` are
    every ERP's: ``BridgeConfig`` holds those). A subclass's attrs fields are its keys, each
    checked as it is set, its errors naming ``erp.<key>``."""

    @classmethod
    def names(cls) -> frozenset[str]:
        """Its settings: ``erp.<name>`` in the file, ``<kind>_<name>`` in ``BridgeConfig``."""
        return frozenset(field.name for field in attrs.fields(cls))

    @classmethod
    def from_table(cls, table: Mapping[str, object]) -> Self:
        """From the ``[erp]`` table (or a mapping given in Python): its keys for this ERP;
        the ones every ERP shares, and any other ERP's, are left out."""
        own = cls.names()
        return cls(**{key: value for key, value in table.items() if key in own})


class CodeGrant(Protocol):
    """OAuth 2's authorization code grant of one app, as ``bridge.authorize`` drives it."""

    def authorization_url(self, state: str) -> tuple[str, str]:
        """The page where the account owner authorises the app, and the state to expect."""

    def exchange_code(
        self, code: str, *, state: str, expected_state: str, store: TokenStore
    ) -> TokenSet:
        """Trade the redirect's ``code`` for tokens, once the states match, and save them in
        ``store`` (under its lock) before returning them."""


LOOPBACK_REDIRECT_URI = "http://127.0.0.1:8765/callback"
"""The redirect URI an ``OAuthApp``'s settings default to: the callback ``python -m bridge
authorize`` serves on this machine (``bridge.values.loopback_redirect_setting`` checks any
other one given)."""


@attrs.frozen
class OAuthApp:
    """An ERP authorised in a browser, its redirect caught on this machine (the loopback
    callback of ``python -m bridge authorize``); the tokens are kept in ``token_file``."""

    redirect_uri: str
    token_file: str
    grant: Callable[[str, BaseTransport | None], CodeGrant]
    """The grant for the redirect URI the callback server answers on, and the transport
    of the code exchange (``None`` outside tests)."""


class OAuthSettings(Protocol):
    """The ``[erp]`` keys of an ERP authorised with OAuth in a browser."""

    @property
    def client_id(self) -> Secret | None: ...

    @property
    def client_secret(self) -> Secret | None: ...

    @property
    def token_file(self) -> str: ...

    @property
    def redirect_uri(self) -> str: ...


def app_credentials(settings: OAuthSettings, needed: str = SYNC_WITHOUT_CLIENT) -> tuple[str, str]:
    """The OAuth app's ``client_id`` and ``client_secret``, or a ``ConfigError`` naming the
    one missing and what it is ``needed`` for."""
    return (
        required_secret(settings.client_id, "erp.client_id", needed),
        required_secret(settings.client_secret, "erp.client_secret", needed),
    )


def oauth_client(
    settings: OAuthSettings,
    base_url: str | None,
    grant: Callable[..., CodeGrant],
    client: Callable[..., ClientT],
    urls: Mapping[str, object],
    token_store: TokenStore | None = None,
) -> ClientT:
    """An OAuth ERP's sync client: the app's grant (its pages at ``urls``) refreshing the
    tokens in ``token_store``, else those ``authorize`` saved in ``settings.token_file``."""
    from sdkcore.auth import FileTokenStore

    oauth = grant(*app_credentials(settings), **urls)
    store = token_store if token_store is not None else FileTokenStore(settings.token_file)
    return client(oauth=oauth, token_store=store, base_url=base_url)


def oauth_app(
    settings: OAuthSettings, grant: Callable[..., CodeGrant], urls: Mapping[str, object]
) -> OAuthApp:
    """What ``python -m bridge authorize`` runs for an OAuth ERP: its grant for the callback's
    redirect URI (its pages at ``urls``), and where the tokens go."""
    client_id, client_secret = app_credentials(settings, "to authorize the app")

    def make(redirect_uri: str, transport: BaseTransport | None) -> CodeGrant:
        return grant(client_id, client_secret, redirect_uri, transport=transport, **urls)

    return OAuthApp(settings.redirect_uri, settings.token_file, make)


def list_reads(records: int, page_size: int = 100) -> int:
    """The calls a full read of a list of ``records`` takes, a page each (an empty list
    still takes one): what ``FakeErp.minimum_reads`` adds up."""
    return max(1, -(-records // page_size))


class FakeErp(Protocol):
    """The fake of an ERP's API from its package's ``testing`` module, as the demo, the tests
    and the benches use it."""

    @property
    def api(self) -> FakeAPI:
        """The package's fake itself: its records, faults and request log."""

    def client(self, **options: Any) -> ErpClient:
        """A sync client of the fake (``options`` as the ERP client takes them)."""

    def sales(self) -> Counter[str]:
        """The fake's sales per bridge reference; a sale without one counts under ``""``
        (so a test comparing them finds a sale the bridge made unmarked)."""

    def minimum_reads(self) -> int:
        """The fewest read calls a first sync makes on this data: full pages of every list
        the adapter reads, and its lookups."""

    def credentials(self) -> dict[str, str]:
        """What a client in another process needs to talk to this fake (``FakeErpKind``)."""


@attrs.frozen
class FakeErpKind:
    """How to make an ERP's fake, and a client of one served from another process."""

    make: Callable[[Clock | None, bool], FakeErp]
    """A seeded fake on ``clock`` (the system's if ``None``); rate limited as the real API
    is when the flag is true."""
    seed_demo: Callable[[ErpClient], None]
    """Through a client of the fake: sell what the demo's tasks use, and add a customer of
    each kind."""
    remote_client: Callable[..., ErpClient]
    """``remote_client(credentials, transport, **options)``: a client whose requests go
    through ``transport`` to a fake elsewhere."""
    rate_limit: float
    """Requests a second the real API allows: the client's ``default_pace``."""
    demo_settings: Mapping[str, object] = attrs.field(factory=dict)
    """Settings the demo needs on this ERP (e.g. the financial account the fake has)."""


class ClientFactory(Protocol):
    """Builds an ERP's sync client from its settings' credentials."""

    def __call__(
        self,
        settings: ErpSettings,
        base_url: str | None = None,
        token_store: TokenStore | None = None,
    ) -> ErpClient:
        """The client of the ERP's API at ``base_url`` (``None``: where its package's client
        looks by itself: its environment variable, else the ERP's own URL). An ERP
        authorised with OAuth keeps its tokens in ``token_store`` (``None``: its settings'
        ``token_file``); one whose settings hold its credentials ignores it."""


@attrs.frozen
class KindRenamed:
    """An ``erp.kind`` that used to name another ERP: the settings that ERP took, which a
    config of this kind can no longer mean, and what to write instead."""

    settings: frozenset[str]
    advice: str
    """The sentence a config giving any of ``settings`` gets, as its ``ConfigError``."""


@attrs.frozen
class ErpKind:
    """One ERP, as the registry (``bridge.erp.registry``) lists it."""

    name: str
    """``erp.kind`` in the settings; also the report's ``erp`` and the call counter's key."""
    title: str
    """The ERP's name as people write it."""
    settings: type[ErpSettings]
    client: ClientFactory
    """A sync client built from the settings' credentials (closed by the caller)."""
    adapter: Callable[[ErpClient, CallCounter], ErpPort]
    fake: FakeErpKind
    customer_fields: tuple[str, ...]
    """The customer fields this ERP holds (of ``CustomerData``): hashes compare only these,
    so a field one side cannot store never looks like a change."""
    account_required: bool = False
    """Whether ``erp.financial_account`` must be given."""
    account_label: str = "financial account"
    authorization: Callable[[ErpSettings, str | None], OAuthApp] | None = None
    """``None`` when the settings' credentials are enough; else the app ``python -m bridge
    authorize`` runs the browser step for, given the settings and ``erp.base_url`` (its
    OAuth pages are there when it is given)."""
    sales_searchable: bool = True
    """Whether the ERP's sale list carries the bridge's reference, so the bulk search
    before a create (``ErpPort.sales_since``) finds a sale the store has lost. ``False``:
    a sale is found again only through the key the store recorded (``reserve_sale``), so a
    new or lost store cannot tell the sales already made."""
    renamed: KindRenamed | None = None
    """Set when this kind's name used to mean another ERP (see ``KindRenamed``)."""
    automations: AutomationSurface = attrs.field(factory=AutomationSurface)
    """The records an automation's trigger can watch in this ERP and the actions it can take
    there (``bridge.automations``); none by default."""
    webhooks: Callable[[ErpSettings], ErpWebhooks] | None = None
    """``None`` when the ERP sends no webhooks; else the check of its signed deliveries,
    made from the settings holding its signing key: ``run --webhook`` then serves them too,
    each valid one starting the next pass (``bridge.webhook_listener``)."""
