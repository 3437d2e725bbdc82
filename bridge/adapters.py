"""What every adapter shares, Auvo's and each ERP's: the call counter, the pager that counts
a call per page, and the customer index that links before it creates."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from typing import ClassVar, Generic, TypeVar

from sdkcore.paging import OnInvalid, SyncPager

from .domain import AmbiguousMatch, CustomerData, ErpCustomer

__all__ = ["CallCounter", "CountedClient", "CustomerIndex"]

ClientT = TypeVar("ClientT")
T = TypeVar("T")


class CallCounter(Counter[str]):
    """API calls made, per service."""

    def hit(self, service: str, calls: int = 1) -> None:
        self[service] += calls


class CountedClient(Generic[ClientT]):
    """A ready client whose calls this pass counts under ``name`` (the report's API calls)."""

    name: ClassVar[str]
    title: ClassVar[str]
    """The system's name as people write it."""
    credentials_fix: ClassVar[str]
    """What to do when the system refuses the credentials; ``{settings}`` is the settings
    file (``bridge.CredentialsRejected``)."""

    def __init__(self, client: ClientT, calls: CallCounter | None = None) -> None:
        self.client = client
        self.calls = calls if calls is not None else CallCounter()

    def records(self, pager: SyncPager[T], on_invalid: OnInvalid | None = None) -> Iterator[T]:
        """The records of a lazy pager, counting one call per page.

        A record that does not fit its model raises after the page's other records, unless
        ``on_invalid`` takes it: a search must never take a misfit for "not there".
        """
        for page in pager.pages():
            self.calls.hit(self.name)
            yield from page
            page.check(on_invalid)

    def counted(self, result: T) -> T:
        """``result`` of one call, counted."""
        self.calls.hit(self.name)
        return result


class CustomerIndex:
    """A side's customers by the bridge's reference, id, CPF/CNPJ (digits) and e-mail, read
    once when first searched.

    Every adapter, and Auvo's, links before it creates through this one lookup; after a
    create whose outcome is unknown the index is forgotten, so the next search reads again.
    """

    def __init__(self, load: Callable[[], Iterable[ErpCustomer]], label: str = "customers") -> None:
        self._load = load
        self._label = label
        self._by_key: dict[str, list[ErpCustomer]] | None = None

    def find(
        self, document: str, email: str, reference: str = "", ident: str = ""
    ) -> ErpCustomer | None:
        """The customer carrying the bridge's ``reference``, else the one with id ``ident``
        (a record the bridge made from it says so), else the one with this CPF/CNPJ, else
        the one with this e-mail and no other CPF/CNPJ; ``None`` when none matches.

        Raises ``AmbiguousMatch`` when the first key that matches matches more than one."""
        if self._by_key is None:
            # Kept only once the read is complete: a read that failed half-way must not
            # answer the next search with "not there" (and make a second customer).
            loaded: dict[str, list[ErpCustomer]] = {}
            for customer in self._load():
                _put(loaded, customer)
            self._by_key = loaded
        email = email.strip().lower()
        keys = (
            ("ref:" + reference, f"the reference {reference!r}") if reference else None,
            ("id:" + ident, f"the id {ident}") if ident else None,
            ("doc:" + document, f"the CPF/CNPJ {document}") if document else None,
            ("email:" + email, f"the e-mail {email}") if email else None,
        )
        for key, what in filter(None, keys):
            found = self._by_key.get(key, [])
            if key.startswith("email:") and document:
                # Different CPF/CNPJs are different customers, whatever e-mail they share.
                found = [c for c in found if c.data.document in ("", document)]
            if len(found) > 1:
                ids = ", ".join(c.id for c in found)
                raise AmbiguousMatch(
                    f"{len(found)} {self._label} have {what} ({ids}); a person must merge "
                    "them or tell them apart"
                )
            if found:
                return found[0]
        return None

    def forget(self) -> None:
        """Read the customers again at the next search: a write made elsewhere (an
        automation's) changed them."""
        self._by_key = None

    def create(self, data: CustomerData, reference: str, create: Callable[[], str]) -> str:
        """``create()`` the customer ``data`` (marked with ``reference``) and index it under
        the id it returns; a create that raised may still have landed, so the index is
        forgotten and the next search reads again."""
        try:
            created = create()
        except BaseException:
            self._by_key = None
            raise
        if self._by_key is not None:
            _put(self._by_key, ErpCustomer(created, data, reference))
        return created


def _put(index: dict[str, list[ErpCustomer]], customer: ErpCustomer) -> None:
    """File ``customer`` under each key a ``CustomerIndex`` finds it by."""
    keys = ["id:" + customer.id]
    if customer.reference:
        keys.append("ref:" + customer.reference)
    if customer.data.document:
        keys.append("doc:" + customer.data.document)
    if customer.data.email:
        keys.append("email:" + customer.data.email.strip().lower())
    for key in keys:
        index.setdefault(key, []).append(customer)
