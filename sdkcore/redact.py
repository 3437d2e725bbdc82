"""Keep secrets out of logs, reprs and exception messages.

Besides masking what looks secret (JSON and form fields named like secrets, bearer and
basic credentials), every credential the SDK handles is registered here when an auth object
is built or obtains tokens (``register_secret``); ``redact_text`` and ``mask_secrets`` then
mask those values wherever they turn up, in clear or URL-encoded: an error body quoting a
token, a URL with a key in its path, a wrong key a user typed.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, quote, quote_plus, urlencode, urlsplit, urlunsplit

MASK = "***"

MIN_SECRET_LENGTH = 8
"""Shorter values are not registered: masking them everywhere would shred ordinary text,
and no credential of these APIs is that short."""
GIVEN_LIMIT = 1024
"""How many given credentials (keys, client secrets, static tokens) the registry keeps."""
ROTATING_LIMIT = 256
"""How many obtained tokens (access, refresh, public tokens, codes) it keeps: they rotate,
so only the most recent ones are kept, and a long-running process does not grow forever."""

SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "apikey",
    "api_key",
    "api-key",
    "authorization",
    "credential",
    "code",
    "signature",
    "cookie",
)

_JSON_SECRET = re.compile(
    r'("(?:[A-Za-z_\-]*(?:token|secret|password|apikey|api_key|authorization|code)'
    r'[A-Za-z_\-]*)"\s*:\s*)"[^"]*"',
    re.IGNORECASE,
)
# Form bodies, and query strings quoted inside messages ("...?apiKey=...&apiToken=...").
_FORM_SECRET = re.compile(
    r"((?:^|[?&;\s])[A-Za-z_\-]*(?:token|secret|password|apikey|api_key|code)[A-Za-z_\-]*=)"
    r"[^&\s\"']*",
    re.IGNORECASE,
)

# A bearer credential quoted in a message ("Authorization: Bearer eyJ...").
_BEARER = re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/=\-]+", re.IGNORECASE)
# An HTTP Basic credential ("Basic ZmFrZS1jbGllbnQ6..."), but not the word in prose.
_BASIC = re.compile(r"(\bBasic\s+)[A-Za-z0-9+/]{8,}={0,2}")


class _Registry:
    """Known credential values, in two bounded most-recent windows; thread-safe.

    Every form of every value is filed under its first ``MIN_SECRET_LENGTH`` characters, so
    registering costs a few dict writes and masking one dict look-up per character of the
    text, however many secrets are registered (a process serving many tenants holds many).
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._given: OrderedDict[str, None] = OrderedDict()
        self._rotating: OrderedDict[str, None] = OrderedDict()
        self._uses: dict[str, int] = {}  # form -> how many registered values have it
        # head -> its forms, longest first; tuples are replaced, never changed, so a reader
        # needs no lock.
        self._by_head: dict[str, tuple[str, ...]] = {}

    def add(self, value: str, rotating: bool) -> None:
        window, limit = (self._rotating, ROTATING_LIMIT) if rotating else (self._given, GIVEN_LIMIT)
        with self._lock:
            if value in window:
                window.move_to_end(value)
                return
            window[value] = None
            self._file(value, +1)
            while len(window) > limit:
                old, _ = window.popitem(last=False)
                self._file(old, -1)

    def _file(self, value: str, change: int) -> None:
        for form in _forms(value):
            uses = self._uses.get(form, 0) + change
            head = form[:MIN_SECRET_LENGTH]
            others = tuple(f for f in self._by_head.get(head, ()) if f != form)
            if uses > 0:
                self._uses[form] = uses
                self._by_head[head] = tuple(sorted((*others, form), key=len, reverse=True))
            else:
                self._uses.pop(form, None)
                if others:
                    self._by_head[head] = others
                else:
                    self._by_head.pop(head, None)

    def copy(self) -> _Registry:
        """An independent registry holding the same values (``isolated_secrets``)."""
        twin = _Registry()
        with self._lock:
            twin._given = self._given.copy()
            twin._rotating = self._rotating.copy()
            twin._uses = self._uses.copy()
            twin._by_head = self._by_head.copy()
        return twin

    def mask(self, text: str) -> str:
        heads = self._by_head
        if not heads:
            return text
        width = MIN_SECRET_LENGTH
        parts: list[str] = []
        kept = at = 0
        last = len(text) - width
        while at <= last:
            forms = heads.get(text[at : at + width])
            found = next((f for f in forms if text.startswith(f, at)), None) if forms else None
            if found is None:
                at += 1
                continue
            parts += (text[kept:at], MASK)
            at = kept = at + len(found)
        if not parts:
            return text
        parts.append(text[kept:])
        return "".join(parts)


def _forms(value: str) -> set[str]:
    """The value as it appears in clear, in a URL (path or query) and inside a JSON string."""
    return {value, quote(value, safe=""), quote(value), quote_plus(value), json.dumps(value)[1:-1]}


_REGISTRY = _Registry()


@contextmanager
def isolated_secrets() -> Iterator[None]:
    """Within the block, secrets registered are forgotten at its end (the ones registered
    before stay masked): a test suite's fixtures keep one test's arbitrary "tokens" from
    masking another test's text."""
    global _REGISTRY
    saved = _REGISTRY
    _REGISTRY = saved.copy()
    try:
        yield
    finally:
        _REGISTRY = saved


def register_secret(value: str | None, *, rotating: bool = False) -> None:
    """Mask ``value`` from now on in every text this SDK redacts, including log records.

    Auth objects call this for the credentials they are given and ``rotating=True`` for the
    tokens they obtain; values shorter than ``MIN_SECRET_LENGTH`` are ignored.
    """
    if value and len(value) >= MIN_SECRET_LENGTH:
        _REGISTRY.add(value, rotating)


def mask_secrets(text: str) -> str:
    """Mask the registered secrets and bearer or basic credentials in ``text``, nothing else."""
    text = _REGISTRY.mask(text)
    text = _BEARER.sub(rf"\1{MASK}", text)
    return _BASIC.sub(rf"\1{MASK}", text)


def mask_secrets_in(value: Any) -> Any:
    """``mask_secrets`` on every string inside ``value`` (dicts, lists and tuples walked)."""
    if isinstance(value, str):
        return mask_secrets(value)
    if isinstance(value, dict):
        return {key: mask_secrets_in(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(mask_secrets_in(item) for item in value)
    return value


def is_secret_name(name: str) -> bool:
    lowered = name.lower().replace("-", "").replace("_", "")
    return any(word.replace("-", "").replace("_", "") in lowered for word in SECRET_WORDS)


def mask(secret: str | None) -> str:
    """A hint of which secret this is, never enough to use it."""
    if not secret:
        return "<unset>"
    return f"{secret[:2]}{MASK}" if len(secret) > 12 else MASK


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query and "@" not in parts.netloc:
        return url
    query = urlencode(
        [(k, MASK if is_secret_name(k) else v) for k, v in parse_qsl(parts.query, True)],
        safe="*",
    )
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k: (MASK if is_secret_name(k) else v) for k, v in items}


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask JSON and form fields that look secret, the registered secrets, and ``secrets``."""
    # Fields named like secrets first: a registered value that happens to equal a field's
    # name must not hide the field from them.
    text = _JSON_SECRET.sub(rf'\1"{MASK}"', text)
    text = _FORM_SECRET.sub(rf"\1{MASK}", text)
    text = mask_secrets(text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text
