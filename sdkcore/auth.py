"""Authentication as httpx auth flows, written once for sync and async.

``HeaderAuth`` adds fixed headers. ``TokenAuth`` keeps a bearer token fresh: it refreshes
early, lets one caller refresh at a time (threads, tasks, and processes sharing a
``FileTokenStore``), persists the new tokens before using them, and refreshes once more
when the server answers 401. The async flow waits for the store's lock, and reads and
writes the store, in a worker thread, so the event loop runs on meanwhile.

``OAuth2CodeGrant`` is an OAuth 2 application's authorization-code grant (authorization
URL with state, code exchange, refresh, revocation); its ``token_source()`` is what
``TokenAuth`` refreshes with.

``TokenStores`` hand out one ``TokenStore`` per key, for an application connected to many
accounts (one token pair per connected company): ``FileTokenStores`` (a file per key in one
directory) and ``MemoryTokenStores``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
import tempfile
import threading
import unicodedata
import weakref
from collections.abc import AsyncGenerator, Callable, Generator, Iterator, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

import attrs

from .bodies import loads_json
from .clock import SYSTEM_CLOCK, Clock
from .errors import (
    AuthenticationError,
    MissingCredentialsError,
    RateLimitError,
    RequestValidationError,
    ResponseParseError,
    SDKError,
    ServerError,
)
from .redact import mask, redact_text, register_secret
from .retry import parse_retry_after
from .transport import (
    AsyncBaseTransport,
    Auth,
    BaseTransport,
    Request,
    Response,
    Timeout,
    make_timeout,
    new_async_client,
    new_sync_client,
)

if TYPE_CHECKING:
    import asyncio


_T = TypeVar("_T")

# What an HTTP/1.1 header value may hold: printable ASCII, with spaces or tabs only inside.
_HEADER_VALUE = re.compile(r"[\x21-\x7e](?:[\t\x20-\x7e]*[\x21-\x7e])?")


class HeaderAuth(Auth):
    """Static credential headers on every request; masked in ``repr``."""

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = dict(headers)
        for name, value in self._headers.items():
            register_secret(value)
            register_secret(value.partition(" ")[2])  # the credential of "Bearer <token>"
            if not _HEADER_VALUE.fullmatch(value):
                # Refused now, by name: httpx would fail on every request with an error
                # quoting the whole value (a pasted newline, non-breaking space or accent).
                raise RequestValidationError(
                    name,
                    "the credential has a character no HTTP header can carry (a newline, a "
                    "space at either end, or a letter outside ASCII); copy it again",
                )

    def auth_flow(self, request: Request) -> Generator[Request, Response, None]:
        request.headers.update(self._headers)
        yield request

    @property
    def secrets(self) -> tuple[str, ...]:
        return tuple(self._headers.values())

    def __repr__(self) -> str:
        shown = ", ".join(f"{k}={mask(v)}" for k, v in self._headers.items())
        return f"HeaderAuth({shown})"


def _masked(value: str | None) -> str:
    return mask(value)


@attrs.frozen(repr=False)
class TokenSet:
    """An access token, the refresh token that renews it, and when it expires."""

    access_token: str
    refresh_token: str | None = None
    expires_at: float | None = None  # epoch seconds
    token_type: str = "Bearer"
    scope: str | None = None
    extra: Mapping[str, Any] = attrs.field(factory=dict)

    def __attrs_post_init__(self) -> None:
        # Tokens obtained, loaded or given: each is masked wherever it turns up later.
        register_secret(self.access_token, rotating=True)
        register_secret(self.refresh_token, rotating=True)

    def __repr__(self) -> str:
        return (
            f"TokenSet(access_token={_masked(self.access_token)}, "
            f"refresh_token={_masked(self.refresh_token)}, expires_at={self.expires_at})"
        )

    def expires_within(self, seconds: float, now: float) -> bool:
        return self.expires_at is not None and self.expires_at - now <= seconds

    def to_dict(self) -> dict[str, Any]:
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_at": self.expires_at,
            "token_type": self.token_type,
            "scope": self.scope,
            "extra": dict(self.extra),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TokenSet:
        return cls(
            access_token=str(data["access_token"]),
            refresh_token=data.get("refresh_token"),
            expires_at=data.get("expires_at"),
            token_type=data.get("token_type") or "Bearer",
            scope=data.get("scope"),
            extra=dict(data.get("extra") or {}),
        )

    @classmethod
    def from_oauth_response(cls, data: Mapping[str, Any], now: float) -> TokenSet:
        """Read an RFC 6749 token response (``expires_in`` relative to ``now``)."""
        if not isinstance(data.get("access_token"), str):
            raise ValueError("token response has no access_token")
        expires_in = data.get("expires_in")
        known = {"access_token", "refresh_token", "expires_in", "token_type", "scope"}
        return cls(
            access_token=data["access_token"],
            refresh_token=data.get("refresh_token"),
            expires_at=now + float(expires_in) if expires_in is not None else None,
            token_type=data.get("token_type") or "Bearer",
            scope=data.get("scope"),
            extra={k: v for k, v in data.items() if k not in known},
        )


@runtime_checkable
class TokenStore(Protocol):
    """Where tokens live between runs. ``lock()`` serialises refreshes across processes.

    The async flow calls ``lock()``, enters and leaves it, and calls ``load()`` and
    ``save()`` under it from one worker thread, so a store may block there freely.
    """

    def load(self) -> TokenSet | None: ...

    def save(self, tokens: TokenSet) -> None: ...

    def lock(self) -> contextlib.AbstractContextManager[None]: ...


class MemoryTokenStore:
    """Tokens held in this process only.

    ``lock()`` is a thread lock, so clients sharing the store refresh one at a time.
    """

    def __init__(self, tokens: TokenSet | None = None) -> None:
        self._tokens = tokens
        self._lock = threading.Lock()

    def load(self) -> TokenSet | None:
        return self._tokens

    def save(self, tokens: TokenSet) -> None:
        self._tokens = tokens

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        with self._lock:
            yield

    def __repr__(self) -> str:
        return f"MemoryTokenStore({self._tokens!r})"


class FileTokenStore:
    """Tokens in a JSON file, replaced atomically with mode 0600.

    ``lock()`` takes an exclusive lock on a sibling ``.lock`` file, so processes sharing
    the file refresh one at a time and never burn each other's refresh token.
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = Path(path)
        self._lock_path = self.path.with_name(self.path.name + ".lock")

    def load(self) -> TokenSet | None:
        """The tokens saved, or ``None`` when there is no file; ``UnreadableTokenFile`` when
        it holds something else (truncated, edited by hand, not a token set)."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if not isinstance(data, dict):
                raise ValueError(f"holds JSON {type(data).__name__}, not an object")
            if not isinstance(data.get("access_token"), str):
                raise ValueError("holds no access_token")
            return TokenSet.from_dict(data)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            raise UnreadableTokenFile(f"token file {self.path} is unreadable: {exc}") from None

    def save(self, tokens: TokenSet) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", dir=self.path.parent)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(tokens.to_dict(), handle)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        self._lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
            os.close(fd)

    def __repr__(self) -> str:
        return f"FileTokenStore({str(self.path)!r})"


@runtime_checkable
class TokenStores(Protocol):
    """One ``TokenStore`` per key (say, per connected company): each key its own tokens,
    and its own lock, so a refresh for one never waits for, or touches, another's."""

    def for_key(self, key: str) -> TokenStore:
        """The store of ``key``; the same key always reaches the same tokens."""


# What a key may show as is in a file name: lower case only, so two keys that differ only in
# case never share a file on a case-insensitive file system; everything else is %XX-escaped.
_PLAIN_KEY_CHARACTERS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789-_")
_MAX_KEY_FILE_NAME = 200  # room for ".json.lock" and a temporary file's affixes within 255


def _check_store_key(key: str) -> str:
    """``key`` when it may name a token store; ``ValueError`` saying why when not.

    A key names one store, never a path: empty keys, path separators, ``.`` and ``..``, and
    control characters (NUL among them) are refused.
    """
    if not isinstance(key, str) or not key:
        raise ValueError(f"a token store key must be a non-empty string, not {key!r}")
    if "/" in key or "\\" in key or key in {".", ".."}:
        raise ValueError(
            f"token store key {key!r} looks like a path: a key names one store (a company "
            "id, say), so it may not hold '/' or '\\' nor be '.' or '..'"
        )
    if any(unicodedata.category(ch) == "Cc" for ch in key):
        raise ValueError(f"token store key {key!r} holds a control character (NUL, a newline...)")
    return key


def _key_file_stem(key: str) -> str:
    """The file name a key's tokens live under: one name per key, and never a path."""
    stem = "".join(
        ch if ch in _PLAIN_KEY_CHARACTERS else "".join(f"%{b:02X}" for b in ch.encode())
        for ch in _check_store_key(key)
    )
    if len(stem) > _MAX_KEY_FILE_NAME:
        raise ValueError(f"token store key {key!r} is too long to name a file")
    return stem


class FileTokenStores:
    """A ``FileTokenStore`` per key, all in one ``directory``: ``<key>.json``, locked by
    ``<key>.json.lock``, so processes sharing the directory refresh each key's tokens one at
    a time while different keys never wait for each other.

    Lower-case letters, digits, ``-`` and ``_`` keep their look in the file name; any other
    character is ``%XX``-escaped, so distinct keys never share a file.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._stores: dict[str, FileTokenStore] = {}
        self._lock = threading.Lock()

    def for_key(self, key: str) -> FileTokenStore:
        stem = _key_file_stem(key)
        with self._lock:
            store = self._stores.get(key)
            if store is None:
                store = self._stores[key] = FileTokenStore(self.directory / f"{stem}.json")
            return store

    def __repr__(self) -> str:
        return f"FileTokenStores({str(self.directory)!r})"


class MemoryTokenStores:
    """A ``MemoryTokenStore`` per key, held in this process only."""

    def __init__(self) -> None:
        self._stores: dict[str, MemoryTokenStore] = {}
        self._lock = threading.Lock()

    def for_key(self, key: str) -> MemoryTokenStore:
        _check_store_key(key)
        with self._lock:
            store = self._stores.get(key)
            if store is None:
                store = self._stores[key] = MemoryTokenStore()
            return store

    def __repr__(self) -> str:
        return f"MemoryTokenStores(keys={sorted(self._stores)!r})"


class TokenSource(Protocol):
    """How to get a new token: an OAuth2 refresh grant, or a login with API keys."""

    def token_request(self, current: TokenSet | None) -> Request:
        """The request that yields new tokens; raise ``AuthenticationError`` if impossible."""

    def read_token_response(self, response: Response, current: TokenSet | None) -> TokenSet:
        """New tokens from the answer; raise ``AuthenticationError`` (or a subclass) on failure."""


class TokenAuth(Auth):
    """Bearer auth whose token a ``TokenSource`` renews; see the module docstring."""

    requires_response_body = True

    def __init__(
        self,
        source: TokenSource,
        store: TokenStore | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        refresh_margin: float = 120.0,
        header: str = "Authorization",
        scheme: str = "Bearer",
    ) -> None:
        self.source = source
        self.store: TokenStore = store if store is not None else MemoryTokenStore()
        self.clock = clock
        self.refresh_margin = refresh_margin
        self.header = header
        self.scheme = scheme
        self._cached: TokenSet | None = None
        self._thread_lock = threading.Lock()
        self._loop_locks: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Lock] = (
            weakref.WeakKeyDictionary()
        )
        self.refresh_count = 0

    def __repr__(self) -> str:
        return f"TokenAuth(store={self.store!r}, tokens={self._cached!r})"

    @property
    def secrets(self) -> tuple[str, ...]:
        tokens = self._cached
        if tokens is None:
            return ()
        return tuple(t for t in (tokens.access_token, tokens.refresh_token) if t)

    # -- decisions shared by both flows ------------------------------------------------

    def _usable(self, tokens: TokenSet | None) -> bool:
        return tokens is not None and not tokens.expires_within(
            self.refresh_margin, self.clock.time()
        )

    def _current(self) -> TokenSet | None:
        if self._cached is None:
            self._cached = self.store.load()
        return self._cached

    def _authorize(self, request: Request, tokens: TokenSet) -> None:
        value = f"{self.scheme} {tokens.access_token}" if self.scheme else tokens.access_token
        request.headers[self.header] = value

    def _renew(self, stale_access_token: str | None) -> Generator[Request, Response, TokenSet]:
        """Run under the locks: renew unless someone else already did since ``stale``."""
        stored = self.store.load()
        if stored is not None and (
            stored.access_token != stale_access_token and self._usable(stored)
        ):
            self._cached = stored  # another thread or process renewed it meanwhile
            return stored
        current = stored or self._cached
        response = yield self.source.token_request(current)
        tokens = self.source.read_token_response(response, current)
        # Persist before use: a rotated refresh token that only lived in memory would be lost,
        # so tokens that could not be saved are never cached or sent.
        self.store.save(tokens)
        self._cached = tokens
        self.refresh_count += 1
        return tokens

    def _needs_renewal(self) -> tuple[bool, str | None]:
        tokens = self._current()
        return (not self._usable(tokens), tokens.access_token if tokens else None)

    # -- sync -----------------------------------------------------------------------------

    def sync_auth_flow(self, request: Request) -> Generator[Request, Response, None]:
        renew, stale = self._needs_renewal()
        if renew:
            with self._thread_lock, self.store.lock():
                yield from self._drive_sync(self._renew(stale))
        tokens = self._cached
        assert tokens is not None
        self._authorize(request, tokens)
        response = yield request
        if response.status_code == 401:
            response.read()
            with self._thread_lock, self.store.lock():
                tokens = yield from self._drive_sync(self._renew(tokens.access_token))
            self._authorize(request, tokens)
            yield request

    @staticmethod
    def _drive_sync(
        steps: Generator[Request, Response, TokenSet],
    ) -> Generator[Request, Response, TokenSet]:
        try:
            request = next(steps)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        while True:
            response = yield request
            response.read()
            try:
                request = steps.send(response)
            except StopIteration as done:
                return done.value  # type: ignore[no-any-return]

    # -- async ----------------------------------------------------------------------------

    def _loop_lock(self) -> asyncio.Lock:
        import asyncio

        loop = asyncio.get_running_loop()
        lock = self._loop_locks.get(loop)
        if lock is None:
            lock = self._loop_locks[loop] = asyncio.Lock()
        return lock

    async def async_auth_flow(self, request: Request) -> AsyncGenerator[Request, Response]:
        import asyncio

        if self._cached is None:  # the first request reads the store, perhaps a file
            renew, stale = await asyncio.to_thread(self._needs_renewal)
        else:
            renew, stale = self._needs_renewal()
        # Two passes at most: the first renews a stale token, the second follows a 401.
        for attempt in (1, 2):
            if renew:
                async with self._loop_lock(), _StoreLockInAThread(self.store) as locked:
                    steps = self._renew(stale)
                    step = await locked.run(next, steps, None)
                    while step is not None:
                        response = yield step
                        await response.aread()
                        step = await locked.run(_send_or_none, steps, response)
            tokens = self._cached
            assert tokens is not None
            self._authorize(request, tokens)
            response = yield request
            if response.status_code != 401 or attempt == 2:
                return
            await response.aread()
            renew, stale = True, tokens.access_token


def _send_or_none(steps: Generator[Request, Response, TokenSet], value: Response) -> Request | None:
    try:
        return steps.send(value)
    except StopIteration:
        return None


class _StoreLockInAThread:
    """A store's lock held for the async flow from a worker thread of its own.

    Taking the lock (which may mean waiting while another process refreshes), the store's
    reads and writes under it, and giving it back all run on that one thread, in order, so
    the event loop never waits on a lock or a disk. The order also holds when the caller is
    cancelled: a lock taken after its waiter left is given back at once, and a save under
    way finishes before the lock goes, so no other process reads a refresh token that was
    already spent.
    """

    def __init__(self, store: TokenStore) -> None:
        self._store = store
        self._lock: contextlib.AbstractContextManager[None] | None = None
        self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="token-store-lock")

    async def run(self, function: Callable[..., _T], *args: Any) -> _T:
        import asyncio

        return await asyncio.wrap_future(self._worker.submit(function, *args))

    def _take(self) -> None:
        lock = self._store.lock()
        lock.__enter__()
        self._lock = lock

    def _give_back(self, *exc_info: Any) -> None:
        lock, self._lock = self._lock, None
        if lock is not None:
            lock.__exit__(*exc_info)

    async def __aenter__(self) -> _StoreLockInAThread:
        try:
            await self.run(self._take)
        except BaseException:
            # Cancelled (or failed) while waiting: leave at once; should the lock still
            # come, the queued release gives it back.
            self._release_when_done(None, None, None)
            raise
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        import asyncio

        # Shielded: a cancelled wait must not withdraw the queued release.
        await asyncio.shield(asyncio.wrap_future(self._release_when_done(*exc_info)))

    def _release_when_done(self, *exc_info: Any) -> Future[None]:
        released = self._worker.submit(self._give_back, *exc_info)  # runs after what runs now
        self._worker.shutdown(wait=False)
        return released


def bearer_or_grant(
    access_token: str | None,
    grant: OAuth2CodeGrant | None,
    token_store: TokenStore | None,
    *,
    env_name: str,
    clock: Clock | None = None,
) -> tuple[Auth, TokenStore | None]:
    """The auth of a client built from a ready access token (argument, else ``env_name``)
    or from an OAuth grant that refreshes by itself, and the store it keeps the tokens in
    (a ``MemoryTokenStore`` when none is given; ``None`` with a ready token)."""
    if grant is not None:
        store = token_store if token_store is not None else MemoryTokenStore()
        auth = TokenAuth(grant.token_source(), store, clock=clock or SYSTEM_CLOCK)
        return auth, store
    token = access_token or os.environ.get(env_name) or None
    if not token:
        raise MissingCredentialsError(
            "access_token",
            f"pass oauth= and token_store=, access_token=, or set {env_name}",
            (env_name,),
        )
    return HeaderAuth({"Authorization": f"Bearer {token}"}), token_store


def basic_authorization(username: str, password: str) -> str:
    """The ``Authorization`` value of HTTP Basic (RFC 7617); its credential is masked from
    then on."""
    import base64

    credential = base64.b64encode(f"{username}:{password}".encode()).decode()
    register_secret(credential)
    return f"Basic {credential}"


DEFAULT_REAUTHORIZE_HINT = "authorise the application again"


class OAuth2RefreshSource:
    """The refresh-token grant of RFC 6749 §6, with client credentials in HTTP Basic.

    ``reauthorize_hint`` ends the message of ``ReauthorizationRequired``: what the user
    must do to get new tokens (an API's client names its own authorization command).
    """

    def __init__(
        self,
        token_url: str,
        client_id: str,
        client_secret: str,
        *,
        extra_headers: Mapping[str, str] | None = None,
        clock: Clock = SYSTEM_CLOCK,
        reauthorize_hint: str = DEFAULT_REAUTHORIZE_HINT,
    ) -> None:
        self.token_url = token_url
        self.client_id = client_id
        self._client_secret = client_secret
        self.extra_headers = dict(extra_headers or {})
        self.clock = clock
        self.reauthorize_hint = reauthorize_hint
        register_secret(client_secret)

    def __repr__(self) -> str:
        return f"OAuth2RefreshSource(client_id={self.client_id!r}, client_secret=***)"

    def token_request(self, current: TokenSet | None) -> Request:
        if current is None or not current.refresh_token:
            raise AuthenticationError(
                f"no refresh token stored: {self.reauthorize_hint}", method="POST"
            )
        return self.form_request(
            {"grant_type": "refresh_token", "refresh_token": current.refresh_token}
        )

    def form_request(self, form: Mapping[str, str]) -> Request:
        from urllib.parse import urlencode

        headers = {
            "Authorization": basic_authorization(self.client_id, self._client_secret),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            **self.extra_headers,
        }
        return Request("POST", self.token_url, headers=headers, content=urlencode(form).encode())

    def read_token_response(self, response: Response, current: TokenSet | None) -> TokenSet:
        from .errors import redacted_excerpt

        body = redacted_excerpt(response.content, redact_text)
        status = response.status_code
        if status >= 500 or status == 429:
            # The endpoint failed or throttled: it said nothing about the refresh token, so
            # this is a server error (retried like any other), not "authorise again".
            raise token_endpoint_failure(response, body, self.clock.time())
        try:
            data = loads_json(response.content or b"null")
        except ValueError as exc:
            if status < 400:
                raise ResponseParseError(
                    f"the token endpoint's answer is {exc}",
                    status_code=status,
                    method=response.request.method,
                    url=str(response.request.url.copy_with(query=None)),
                    body=body,
                ) from None
            data = None
        error = data.get("error") if isinstance(data, dict) else None
        if isinstance(error, dict):  # some servers nest {"error": {"type": ...}}
            error = error.get("type") or error.get("message")
        if response.status_code >= 400 or not isinstance(data, dict) or error:
            raise token_error(str(error) if error else None, response, body, self.reauthorize_hint)
        try:
            tokens = TokenSet.from_oauth_response(data, self.clock.time())
        except (TypeError, ValueError):
            raise token_error(
                "invalid_token_response", response, body, self.reauthorize_hint
            ) from None
        if tokens.refresh_token is None and current is not None:
            # The server kept the old refresh token valid; keep using it.
            tokens = attrs.evolve(tokens, refresh_token=current.refresh_token)
        return tokens


class ReauthorizationRequired(AuthenticationError):
    """The refresh token is gone (expired, revoked, already used): authorise the app again."""


class UnreadableTokenFile(ReauthorizationRequired, ValueError):
    """A ``FileTokenStore``'s file holds no token set: the credentials are lost as surely as
    a revoked refresh token, and authorising again writes a good file. A ``ValueError`` too,
    as before."""


def token_endpoint_failure(
    response: Response, body: str, now: float
) -> ServerError | RateLimitError:
    """A token endpoint's 5xx as ``ServerError`` and its 429 as ``RateLimitError`` (with
    its ``Retry-After``): a client retries them, since the request the token was for was
    never sent."""
    common: dict[str, Any] = {
        "status_code": response.status_code,
        "method": response.request.method,
        "url": str(response.request.url.copy_with(query=None)),
        "body": body,
    }
    if response.status_code == 429:
        return RateLimitError(
            "the token endpoint is throttling token requests",
            retry_after=parse_retry_after(response.headers.get("retry-after"), now),
            **common,
        )
    return ServerError(
        f"the token endpoint failed with HTTP {response.status_code}; try again later", **common
    )


def token_error(
    code: str | None,
    response: Response,
    body: str,
    reauthorize_hint: str = DEFAULT_REAUTHORIZE_HINT,
) -> AuthenticationError:
    cls = ReauthorizationRequired if code == "invalid_grant" else AuthenticationError
    message = (
        f"the refresh token was rejected (invalid_grant): {reauthorize_hint}"
        if code == "invalid_grant"
        else f"token request failed ({code or 'no error code'})"
    )
    return cls(
        message,
        status_code=response.status_code,
        method=response.request.method,
        url=str(response.request.url.copy_with(query=None)),
        body=body,
        code=code,
    )


class StateMismatchError(SDKError, ValueError):
    """The ``state`` that came back with the code is not the one sent: the code is refused."""


_TokenStep = tuple[Request, Callable[[Response], _T]]
"""One token-endpoint operation without I/O: its request, and what reads the answer."""


class OAuth2CodeGrant:
    """An application's authorization-code grant (RFC 6749 §4.1), its refresh (§6) and its
    revocation (RFC 7009): client credentials in HTTP Basic, form bodies.

    ``authorization_url()`` is the page to send the account owner to, with the ``state`` to
    expect back; ``exchange_code`` checks that state and trades the code for tokens. A
    client keeps them fresh with ``TokenAuth(grant.token_source(), store)``: one refresh at
    a time, and rotated tokens saved before they are used.
    """

    missing_credentials = "pass client_id= and client_secret="
    code_rejection_hint = "a code is short-lived and works once"
    reauthorize_hint = DEFAULT_REAUTHORIZE_HINT
    """What ``ReauthorizationRequired`` tells the user to do once the refresh token is gone;
    an API's grant names its own way (a command to run, the method to call)."""
    exchange_sends_redirect_uri = True
    """RFC 6749 §4.1.3 sends the authorization request's ``redirect_uri`` with the code."""

    def __init__(
        self,
        client_id: str | None,
        client_secret: str | None,
        redirect_uri: str | None = None,
        *,
        authorize_url: str,
        token_url: str,
        revoke_url: str | None = None,
        scopes: Sequence[str] = (),
        extra_headers: Mapping[str, str] | None = None,
        transport: BaseTransport | None = None,
        async_transport: AsyncBaseTransport | None = None,
        timeout: float | Timeout | None = None,
        clock: Clock | None = None,
    ) -> None:
        if not client_id or not client_secret:
            raise AuthenticationError(self.missing_credentials)
        self.client_id = client_id
        self._client_secret = client_secret
        register_secret(client_secret)
        self.redirect_uri = redirect_uri  # sent exactly as given: servers compare it verbatim
        self.scopes = _check_scopes(scopes)
        self.authorize_url = authorize_url
        self.token_url = token_url
        self.revoke_url = revoke_url
        self.extra_headers = dict(extra_headers or {})
        self.clock = clock or SYSTEM_CLOCK
        self._transport = transport
        self._async_transport = async_transport
        self._timeout = make_timeout(timeout)

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}(client_id={self.client_id!r}, "
            f"client_secret={mask(self._client_secret)})"
        )

    @property
    def client_secret(self) -> str:
        return self._client_secret

    # -- requests and answers, without I/O ---------------------------------------------

    def token_source(self) -> OAuth2RefreshSource:
        """The refresh grant, for ``TokenAuth`` (and for this grant's own token requests)."""
        return OAuth2RefreshSource(
            self.token_url,
            self.client_id,
            self._client_secret,
            extra_headers=self.extra_headers,
            clock=self.clock,
            reauthorize_hint=self.reauthorize_hint,
        )

    def authorization_url(self, state: str | None = None) -> tuple[str, str]:
        """The page where the account owner authorises the app, and the ``state`` to expect.

        The scopes go space-separated in ``scope`` (RFC 6749 §3.3), so joined with ``+`` in
        the URL."""
        import secrets
        from urllib.parse import urlencode

        state = state or secrets.token_urlsafe(24)
        query = {"response_type": "code", "client_id": self.client_id, "state": state}
        if self.redirect_uri:
            query["redirect_uri"] = self.redirect_uri
        if self.scopes:
            query["scope"] = " ".join(self.scopes)
        return f"{self.authorize_url}?{urlencode(query)}", state

    @staticmethod
    def check_state(state: str | None, expected_state: str | None) -> None:
        """Refuse a code whose ``state`` is not the one sent. With no state at all, neither
        returned nor expected, there is nothing to check (a code pasted by hand)."""
        import hmac

        if expected_state is None and state is None:
            return
        if not expected_state:
            # A state came back, but the app has none to compare it with (its session lost
            # it, or never started this authorization): the redirect may be an attacker's.
            raise StateMismatchError(
                "a state came back with the code but no expected_state was given (pass the "
                "state authorization_url() returned): refusing the code (a forged redirect?)"
            )
        if state is None or not hmac.compare_digest(state.encode(), expected_state.encode()):
            raise StateMismatchError(
                "the state returned with the code does not match the one sent: "
                "refusing the code (a forged or stale redirect)"
            )

    def code_request(self, code: str) -> Request:
        if not code:
            raise AuthenticationError("no authorization code given")
        register_secret(code, rotating=True)
        form = {"grant_type": "authorization_code", "code": code}
        if self.redirect_uri and self.exchange_sends_redirect_uri:
            form["redirect_uri"] = self.redirect_uri
        return self.token_source().form_request(form)

    def revoke_request(self, token: str) -> Request:
        from urllib.parse import urlencode

        if not self.revoke_url:
            raise RequestValidationError("revoke_url", "is needed to revoke a token")
        register_secret(token, rotating=True)  # a refusal may quote it back
        headers = {
            "Authorization": basic_authorization(self.client_id, self._client_secret),
            "Content-Type": "application/x-www-form-urlencoded",
            "Accept": "application/json",
            **self.extra_headers,
        }
        body = urlencode({"token": token}).encode()
        return Request("POST", self.revoke_url, headers=headers, content=body)

    def read_tokens(self, response: Response) -> TokenSet:
        return self.token_source().read_token_response(response, None)

    def _exchange_step(
        self, code: str, state: str | None, expected_state: str | None
    ) -> _TokenStep[TokenSet]:
        self.check_state(state, expected_state)
        return self.code_request(code), self._read_code_answer

    def _refresh_step(self, tokens: TokenSet) -> _TokenStep[TokenSet]:
        source = self.token_source()

        def read(response: Response) -> TokenSet:
            return source.read_token_response(response, tokens)

        return source.token_request(tokens), read

    def _revoke_step(self, token: str | TokenSet) -> _TokenStep[None]:
        if isinstance(token, TokenSet):
            token = token.refresh_token or token.access_token
        return self.revoke_request(token), _check_revoked

    def _read_code_answer(self, response: Response) -> TokenSet:
        try:
            return self.read_tokens(response)
        except ReauthorizationRequired as exc:
            # invalid_grant here is about the code, not a refresh token: say what to do.
            raise AuthenticationError(
                f"the authorization code was rejected (invalid_grant): "
                f"{self.code_rejection_hint}, so send the user through authorization_url() "
                "again",
                status_code=exc.status_code,
                method=exc.method,
                url=exc.url,
                body=exc.body_excerpt,
                code=exc.code,
            ) from None

    # -- sync: each operation is its step, sent -----------------------------------------

    def _send(self, step: _TokenStep[_T]) -> _T:
        request, read = step
        with new_sync_client(self._transport, self._timeout) as http:
            response = http.send(request)
            response.read()
        return read(response)

    def exchange_code(
        self,
        code: str,
        *,
        state: str | None = None,
        expected_state: str | None = None,
        store: TokenStore | None = None,
    ) -> TokenSet:
        """Trade the redirect's ``code`` for tokens; ``state`` must equal ``expected_state``.
        With a ``store``, the tokens are saved in it (under its lock) before they are
        returned."""
        tokens = self._send(self._exchange_step(code, state, expected_state))
        if store is not None:
            _save_locked(store, tokens)
        return tokens

    def refresh(self, tokens: TokenSet) -> TokenSet:
        """One refresh by hand (``TokenAuth`` does this by itself): a rotating server kills
        the old refresh token; one that keeps it leaves it in the new set."""
        return self._send(self._refresh_step(tokens))

    def revoke(self, token: str | TokenSet) -> None:
        """Revoke a token (a ``TokenSet`` revokes its refresh token)."""
        self._send(self._revoke_step(token))

    # -- async ----------------------------------------------------------------------------

    async def _asend(self, step: _TokenStep[_T]) -> _T:
        request, read = step
        async with new_async_client(self._async_transport, self._timeout) as http:
            response = await http.send(request)
            await response.aread()
        return read(response)

    async def aexchange_code(
        self,
        code: str,
        *,
        state: str | None = None,
        expected_state: str | None = None,
        store: TokenStore | None = None,
    ) -> TokenSet:
        """``exchange_code`` for asyncio (the store is written from a worker thread)."""
        import asyncio

        tokens = await self._asend(self._exchange_step(code, state, expected_state))
        if store is not None:
            await asyncio.to_thread(_save_locked, store, tokens)
        return tokens

    async def arefresh(self, tokens: TokenSet) -> TokenSet:
        """``refresh`` for asyncio."""
        return await self._asend(self._refresh_step(tokens))

    async def arevoke(self, token: str | TokenSet) -> None:
        """``revoke`` for asyncio."""
        await self._asend(self._revoke_step(token))


def _check_scopes(scopes: Sequence[str]) -> tuple[str, ...]:
    if isinstance(scopes, str):
        # " ".join would spell the string out letter by letter.
        raise TypeError(f"scopes must be a sequence of scope names, not the string {scopes!r}")
    for scope in scopes:
        # RFC 6749 §3.3: a scope token is printable ASCII without space, '"' or '\\'.
        if not scope or any(ch in ' "\\' or not "\x21" <= ch <= "\x7e" for ch in scope):
            raise ValueError(f"{scope!r} is not a scope name (RFC 6749 §3.3)")
    return tuple(scopes)


def _save_locked(store: TokenStore, tokens: TokenSet) -> None:
    # Under the lock, so a process refreshing from this store reads the old set or the new.
    with store.lock():
        store.save(tokens)


def _check_revoked(response: Response) -> None:
    from .errors import redacted_excerpt

    if response.status_code >= 400:
        raise AuthenticationError(
            "revoking the token failed",
            status_code=response.status_code,
            method="POST",
            url=str(response.request.url),
            body=redacted_excerpt(response.content, redact_text),
        )
