"""A review's attacks on the inputs the SDK and the bridge read: the settings file (every
setting given every kind of TOML value, and odd files) and response bodies (pathological
JSON through every client, and a compressed body that inflates past the size cap).

Whatever the input, only the documented error comes out: ``ConfigError`` (one ``error:``
line and exit status 2 from the CLI) for a setting, an ``APIError`` for a body."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import json
import math
from collections.abc import AsyncIterator, Callable, Iterator
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from auvo.testing import FakeAuvo
from bling.testing import FakeBling
from bridge import BridgeConfig, ConfigError, load_config
from bridge.cli import main
from bridge.erp.registry import erp_kinds, erp_names
from contaazul.testing import FakeContaAzul
from sdkcore import (
    APIError,
    AsyncAPIClient,
    Call,
    FakeClock,
    MemoryTokenStore,
    RequestOptions,
    ResponseParseError,
    SyncAPIClient,
)
from sdkcore.client import parse_json_body
from sdkcore.testing import Fault

# -- the settings file ---------------------------------------------------------------------

SETTINGS = {
    None: ["tenant"],
    "auvo": ["api_key", "api_token"],
    "erp": [
        "kind",
        *sorted(set().union(*(kind.settings.names() for kind in erp_kinds()))),
        "financial_account",
        "payment_terms",
    ],
    "customers": ["direction"],
    "tasks": [
        "enabled",
        "status",
        "task_types",
        "customer_group",
        "wide_every",
        "wide_back",
        "wide_ahead",
    ],
    "quotations": ["enabled", "status"],
    "catalog": ["enabled"],
    "schedule": [
        "poll_interval",
        "initial_lookback",
        "bookmark_lookback",
        "lock_wait",
        "lock_lease",
    ],
}
EVERY_SETTING = [(section, key) for section, keys in SETTINGS.items() for key in keys]


def toml_value(value: Any) -> str:
    """``value`` written as TOML (strings escaped so that any text survives)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return json.dumps(value)  # JSON's escapes are TOML's, surrogates aside (none drawn)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = (f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items())
        return "{" + ", ".join(pairs) + "}"
    assert isinstance(value, date | time | datetime)
    return value.isoformat()


def owner_of(section: str | None, key: str) -> str:
    """The ERP whose own setting ``section.key`` is; the first registered for any other."""
    owners = [
        kind.name for kind in erp_kinds() if section == "erp" and key in kind.settings.names()
    ]
    return owners[0] if owners else erp_names()[0]


def settings_text(section: str | None, key: str, value: Any, kind: str | None = None) -> str:
    """A settings file that is valid but for ``section.key = value``: for ``kind``'s ERP, or
    by default for an ERP that has the setting."""
    chosen = kind if kind is not None else owner_of(section, key)
    erp = {"kind": json.dumps(chosen), "financial_account": '"Caixa"'}
    if section == "erp":
        erp[key] = toml_value(value)
    lines = [f"{key} = {toml_value(value)}"] if section is None else []
    lines += ["[erp]", *(f"{k} = {v}" for k, v in erp.items())]
    if section not in (None, "erp"):
        lines += [f"[{section}]", f"{key} = {toml_value(value)}"]
    return "\n".join(lines) + "\n"


def read_settings(text: str | bytes, tmp_path: Path) -> BridgeConfig:
    path = tmp_path / "bridge.toml"
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    config = load_config(path)
    assert config.terms.days  # the terms are read again from the text each pass
    return config


text_alphabet = st.characters(blacklist_categories=["Cs"])
odd_texts = st.sampled_from(
    [
        *("10 m", "0.0001s", "1e309", "-0", "10m", "30d", "30 60 90", "env:", "²", "30 ²"),
        *("١٠", "⁵m", "http://[::1/cb", "http://[::1]:99999/", "http://127.0.0.1:8765/cb"),
    ]
)
scalars = st.one_of(
    st.booleans(),
    st.integers(),
    st.sampled_from([10**400, -(10**400), 0, -1, 1]),
    st.floats(),
    st.text(text_alphabet, max_size=12),
    odd_texts,
    st.from_regex(r"\A[0-9]{1,25}(\.[0-9]{1,25})? ?(ms|s|m|h|d|w)?\Z"),
    st.dates(),
    st.times(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(text_alphabet, max_size=4), inner, max_size=2)
    ),
    max_leaves=5,
)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    setting=st.sampled_from(EVERY_SETTING),
    value=values,
    kind=st.sampled_from(erp_names()),
)
def test_any_value_of_any_setting_is_a_config_error_or_a_config(
    tmp_path: Path, setting: tuple[str | None, str], value: Any, kind: str
) -> None:
    with contextlib.suppress(ConfigError):  # anything else fails the test
        read_settings(settings_text(*setting, value, kind), tmp_path)


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.binary(max_size=300))
def test_any_bytes_are_a_config_error_or_a_config(tmp_path: Path, data: bytes) -> None:
    with contextlib.suppress(ConfigError):  # anything else fails the test
        read_settings(data, tmp_path)


DEEP_ARRAY = "[" * 5000 + "]" * 5000
SCHEDULE = f'[erp]\nkind = "{owner_of("schedule", "lock_wait")}"\n[schedule]\nlock_wait = '
UNREADABLE_FILES = {
    "arrays nested past the parser's stack": f"tenant = {DEEP_ARRAY}\n",
    "tables nested past the parser's stack": "tenant = " + "{a = " * 3000 + "1" + "}" * 3000,
    "an integer of 5000 digits": SCHEDULE + "9" * 5000,
    "a negative integer of 5000 digits": SCHEDULE + "-" + "1" * 5000,
}


@pytest.mark.parametrize("text", UNREADABLE_FILES.values(), ids=list(UNREADABLE_FILES))
def test_a_file_the_toml_parser_chokes_on_is_a_config_error(tmp_path: Path, text: str) -> None:
    with pytest.raises(ConfigError) as raised:
        read_settings(text, tmp_path)
    assert raised.value.setting == str(tmp_path / "bridge.toml")


BAD_VALUES = [
    # (section, key, value, the setting named)
    ("erp", "redirect_uri", "http://[::1/callback", "erp.redirect_uri"),
    ("erp", "redirect_uri", "http://[127.0.0.1]:8765/callback", "erp.redirect_uri"),
    ("erp", "payment_terms", "30 ²", "erp.payment_terms"),  # '²'.isdigit(), int('²') fails
    ("erp", "payment_terms", "⁵", "erp.payment_terms"),
    ("erp", "payment_terms", "9" * 5000, "erp.payment_terms"),
]


@pytest.mark.parametrize(("section", "key", "value", "setting"), BAD_VALUES)
def test_a_value_the_checks_choked_on_is_a_config_error(
    tmp_path: Path, section: str, key: str, value: str, setting: str
) -> None:
    with pytest.raises(ConfigError) as raised:
        read_settings(settings_text(section, key, value), tmp_path)
    assert raised.value.setting == setting


CLI_FILES = {
    **UNREADABLE_FILES,
    **{
        f"{setting} = {value[:20]!r}": settings_text(section, key, value)
        for section, key, value, setting in BAD_VALUES
    },
}


@pytest.mark.parametrize("text", CLI_FILES.values(), ids=list(CLI_FILES))
def test_the_cli_prints_one_error_line_for_any_of_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str
) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text(text, encoding="utf-8")
    status = main(["sync", "--config", str(path), "--store", ":memory:"])
    err = capsys.readouterr().err
    assert status == 2
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert "Traceback" not in err


# -- response bodies -------------------------------------------------------------------------


@st.composite
def deep_json(draw: st.DrawFn) -> bytes:
    """Arrays and objects mixed, nested past the parser's limit (200) and Python's stack."""
    openers = draw(st.lists(st.sampled_from(["[", '{"a":']), min_size=150, max_size=3000))
    closers = "".join("]" if opener == "[" else "}" for opener in reversed(openers))
    return ("".join(openers) + draw(st.sampled_from(["1", "NaN", '"x"'])) + closers).encode()


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)
ODD_BODIES = [
    b'\xef\xbb\xbf{"data": []}',  # a byte order mark
    b'{"data": NaN}',
    b'{"data": [{"id": Infinity}]}',
    b'{"result": {"entityList": [{"id": -Infinity}]}}',
    b'{"data": [], "data": {}}',  # a duplicate key
    b'{"data": [{"id": 1, "id": "x"}]}',
    b'{"data": "\xff\xfe"}',  # not UTF-8
    b'"' + b"a" * 200_000 + b'"',
    b'{"data": [{"id": 1' + b"0" * 5000 + b"}]}",
    b'{"result": {"entityList": [{"id": 1e400}]}}',
    b'{"access_token": "a", "expires_in": 1e999, "refresh_token": "r"}',
    b'{"access_token": "a", "expires_in": NaN, "refresh_token": "r"}',
    b'{"result": {"accessToken": "t", "expiration": "9999-99-99"}}',
]
bodies = st.one_of(
    deep_json(),
    json_values.map(lambda value: json.dumps({"data": value, "result": value}).encode()),
    json_values.map(lambda value: json.dumps(value).encode()),
    st.binary(max_size=100),
    st.sampled_from(ODD_BODIES),
)


def _bling() -> tuple[Any, Any, Any]:
    fake = FakeBling(clock=FakeClock(), rate_limit=None)
    options: dict[str, Any] = {"rate_limiter": False, "max_retries": 0}
    return fake, fake.client(**options), fake.async_client(**options)


def _bling_stale() -> tuple[Any, Any, Any]:
    """Bling clients whose access token expired: their next call refreshes it first."""
    clock = FakeClock()
    fake = FakeBling(clock=clock, rate_limit=None)
    oauth = fake.oauth(clock=clock)
    store = MemoryTokenStore(oauth.exchange_code(fake.issue_code()))
    options: dict[str, Any] = {
        "oauth": oauth,
        "token_store": store,
        "clock": clock,
        "rate_limiter": False,
        "max_retries": 0,
    }
    clients = fake.client(**options), fake.async_client(**options)
    clock.advance(6 * 3600)
    return fake, *clients


def _contaazul() -> tuple[Any, Any, Any]:
    fake = FakeContaAzul()
    options: dict[str, Any] = {"rate_limiter": False, "max_retries": 0}
    return fake, fake.client(**options), fake.async_client(**options)


def _auvo() -> tuple[Any, Any, Any]:
    fake = FakeAuvo(clock=FakeClock())
    return fake, fake.client(max_retries=0), fake.async_client(max_retries=0)


# name -> (the fake and its clients, the path answered, the call)
CALLS: dict[str, tuple[Callable[[], tuple[Any, Any, Any]], str, Callable[[Any], Any]]] = {
    "bling get": (_bling, "/Api/v3/contatos/1001", lambda c: c.contatos.get(1001)),
    "bling list": (_bling, "/Api/v3/contatos", lambda c: c.contatos.list()),
    "bling create": (
        _bling,
        "/Api/v3/contatos",
        lambda c: c.contatos.create({"nome": "N", "tipo": "F"}),
    ),
    "bling token": (_bling_stale, "/Api/v3/oauth/token", lambda c: c.contatos.get(1001)),
    "conta azul list": (_contaazul, "/pub/contact/customer", lambda c: c.customers.list()),
    "auvo get": (_auvo, "/v2/customers/1", lambda c: c.customers.get(1)),
    "auvo list": (_auvo, "/v2/customers", lambda c: c.customers.list()),
    "auvo login": (_auvo, "/v2/login", lambda c: c.login()),
}


async def _finish(result: Any) -> Any:
    result = await result if asyncio.iscoroutine(result) else result
    return [item async for item in result] if hasattr(result, "__aiter__") else result


@settings(max_examples=120, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    call=st.sampled_from(sorted(CALLS)),
    body=bodies,
    status=st.sampled_from([200, 201, 400, 401, 429, 502]),
    is_async=st.booleans(),
)
def test_any_body_through_any_client_is_an_api_error_or_an_answer(
    call: str, body: bytes, status: int, is_async: bool
) -> None:
    make, path, do = CALLS[call]
    fake, client, async_client = make()
    fake.fail_next(Fault(status, raw=body, path_prefix=path), 3)
    try:
        if is_async:
            asyncio.run(_finish(do(async_client)))
        else:
            result = do(client)
            if hasattr(result, "__next__"):
                list(result)
    except APIError:
        pass


class _OnTheWire(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body streamed in chunks as a real connection gives it (httpx reads a plain
    ``content=`` body at once, before any hook could cap it)."""

    def __init__(self, body: bytes, chunk: int = 1024) -> None:
        self.chunks = [body[i : i + chunk] for i in range(0, len(body), chunk)]

    def __iter__(self) -> Iterator[bytes]:
        yield from self.chunks

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            yield chunk


class _Gzipped(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, body: bytes) -> None:
        self.body = gzip.compress(body)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        headers = {"Content-Encoding": "gzip", "Content-Length": str(len(self.body))}
        return httpx.Response(200, headers=headers, stream=_OnTheWire(self.body), request=request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        return self.handle_request(request)


class _Sync(SyncAPIClient):
    package = "ponte_review"
    default_base_url = "https://api.example.test"


class _Async(AsyncAPIClient):
    package = "ponte_review"
    default_base_url = "https://api.example.test"


CAP = 64 * 1024
GET = Call(RequestOptions("GET", "/x"), parse_json_body)


def _read_gzipped(body: bytes, is_async: bool) -> Any:
    options: dict[str, Any] = {"max_response_bytes": CAP, "max_retries": 0}
    if is_async:

        async def read() -> Any:
            async with _Async(transport=_Gzipped(body), **options) as client:
                return await client.send(GET)

        return asyncio.run(read())
    with _Sync(transport=_Gzipped(body), **options) as client:
        return client.send(GET)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_compressed_body_is_capped_as_it_inflates(is_async: bool) -> None:
    page = b'{"data": [' + b" " * (100 * CAP) + b"]}"
    assert len(gzip.compress(page)) < CAP  # small on the wire: only inflated is it too big
    with pytest.raises(ResponseParseError, match=f"larger than {CAP} bytes"):
        _read_gzipped(page, is_async)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_compressed_body_under_the_cap_is_read_as_before(is_async: bool) -> None:
    page = {"data": [{"id": 7, "nome": "Ana " * 1000}]}
    assert _read_gzipped(json.dumps(page).encode(), is_async) == page
