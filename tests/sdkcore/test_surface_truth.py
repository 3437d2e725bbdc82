"""The SDK surface tells the truth, the same way in all three clients (issue 13):

- an answer to a GET of one record that is no record of that kind is a parse error, never
  a model whose every field is ``None``;
- a client built without credentials raises one exception class, naming what to set;
- ``client.with_raw_response`` also covers ``list()`` (a raw pager) and multi-request
  methods, typed;
- every id that goes into a URL path passes its client's id rule, in every method.
"""

from __future__ import annotations

import asyncio
import inspect
import json
from collections.abc import Callable, Iterator
from functools import cached_property
from pathlib import Path
from typing import Any

import httpx
import pytest
from pydantic import BaseModel

import auvo
import bling
import contaazul
from auvo.testing import FakeAuvo
from bling.testing import FakeBling
from contaazul.testing import FakeContaAzul
from sdkcore import (
    APIResponse,
    AuthenticationError,
    Page,
    RequestValidationError,
    ResponseParseError,
    SDKError,
    SyncAPIClient,
    client as client_module,
    paging,
)
from sdkcore.client import BaseAPIClient, Resource
from sdkcore.endpoints import Flow, endpoint, paged
from sdkcore.transport import Request, Response

from ..runner import Runner
from ..typecheck import assert_mypy_strict_accepts

HERE = Path(__file__).resolve().parent

APP_TOKEN = "app-0000013e-6ac3-bf2b-0000-00569b9a1af2"
COMPANY_TOKEN = "co-0000013e-6ba7-7797-0000-00470355d8b2"
BLING_TOKEN = "bling-access-0123456789abcdef"
AUVO_KEY = "key-0123456789abcdef"
AUVO_TOKEN = "tok-0123456789abcdef"
AUVO_LOGIN = {
    "result": {"authenticated": True, "accessToken": "bearer-0123456789", "message": "OK"}
}

Handler = Callable[[httpx.Request], httpx.Response]


def _client(erp: str, handler: Handler, is_async: bool) -> Any:
    """A client of ``erp`` whose requests ``handler`` answers (Auvo's login aside)."""
    transport = httpx.MockTransport(handler)
    options: dict[str, Any] = {"transport": transport, "rate_limiter": False, "max_retries": 0}
    if erp == "contaazul":
        cls: Any = contaazul.AsyncContaAzul if is_async else contaazul.ContaAzul
        return cls(application_token=APP_TOKEN, company_token=COMPANY_TOKEN, **options)
    if erp == "bling":
        cls = bling.AsyncBling if is_async else bling.Bling
        return cls(access_token=BLING_TOKEN, **options)

    def with_login(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/login/"):
            return httpx.Response(200, json=AUVO_LOGIN)
        return handler(request)

    options["transport"] = httpx.MockTransport(with_login)
    cls = auvo.AsyncAuvo if is_async else auvo.Auvo
    return cls(api_key=AUVO_KEY, api_token=AUVO_TOKEN, **options)


def _answering(body: Any) -> Handler:
    return lambda request: httpx.Response(200, json=body)


def _get_one(erp: str, client: Any) -> Any:
    """The GET of one record each ERP's docs start with."""
    if erp == "contaazul":
        return client.customers.get(1)
    if erp == "bling":
        return client.contatos.get(1)
    return client.customers.get(1)


# -- a GET answered with the wrong shape ------------------------------------------------------

WRONG_SHAPES: dict[str, list[dict[str, Any]]] = {
    "contaazul": [{"unexpected": True}, {}],
    "bling": [{"unexpected": True}, {"data": {"unexpected": True}}, {"data": {}}, {}],
    "auvo": [{"unexpected": True}, {"result": {"unexpected": True}}, {"result": None}, {}],
}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("erp", "body"),
    [(erp, body) for erp, bodies in WRONG_SHAPES.items() for body in bodies],
)
def test_a_get_answered_with_an_object_of_the_wrong_shape_is_a_parse_error(
    erp: str, body: Any, is_async: bool
) -> None:
    run = Runner(_client(erp, _answering(body), is_async), is_async)
    with pytest.raises(ResponseParseError) as caught:
        run(_get_one(erp, run.client))
    error = caught.value
    assert error.status_code == 200
    assert error.method == "GET"
    assert "none of" in error.message
    assert "fields" in error.message
    assert json.loads(error.body_excerpt) == body


RIGHT_SHAPES = {
    "contaazul": ({"name": "Silva"}, "name", "Silva"),  # a projection (fields=["name"])
    "bling": ({"data": {"id": 7, "nome": "Silva"}}, "nome", "Silva"),
    "auvo": ({"result": {"id": 7, "name": "Silva"}}, "name", "Silva"),
}


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("erp", list(RIGHT_SHAPES))
def test_a_record_with_any_of_its_fields_is_still_read(erp: str, is_async: bool) -> None:
    body, field, value = RIGHT_SHAPES[erp]
    run = Runner(_client(erp, _answering(body), is_async), is_async)
    assert getattr(run(_get_one(erp, run.client)), field) == value


class _Note(BaseModel):
    id: int | None = None
    text: str | None = None


def _response(body: bytes) -> Response:
    return Response(200, content=body, request=Request("GET", "https://api.example.test/n/1"))


def test_the_rule_is_sdkcore_s_one_record_parser() -> None:
    read = client_module.one_record(lambda response: _Note.model_validate_json(response.content))
    assert read(_response(b'{"text": "hi"}')).text == "hi"
    with pytest.raises(ResponseParseError, match="none of _Note's fields"):
        read(_response(b'{"other": 1}'))


# -- missing credentials ----------------------------------------------------------------------

CLIENTS = [
    contaazul.ContaAzul,
    contaazul.AsyncContaAzul,
    bling.Bling,
    bling.AsyncBling,
    auvo.Auvo,
    auvo.AsyncAuvo,
]
CREDENTIAL_VARIABLES = {
    "contaazul": ["CONTAAZUL_APPLICATION_TOKEN"],
    "bling": ["BLING_ACCESS_TOKEN"],
    "auvo": ["AUVO_API_KEY", "AUVO_API_TOKEN"],
}


@pytest.fixture
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    for names in CREDENTIAL_VARIABLES.values():
        for name in names:
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("CONTAAZUL_COMPANY_TOKEN", raising=False)


def _refusal(cls: type[Any]) -> Exception:
    with pytest.raises(SDKError) as caught:
        cls()
    return caught.value


@pytest.mark.usefixtures("no_credentials")
def test_every_client_without_credentials_raises_the_same_class() -> None:
    classes = {type(_refusal(cls)) for cls in CLIENTS}
    assert len(classes) == 1, classes
    (missing,) = classes
    # Whatever each client raised before still catches it.
    assert issubclass(missing, RequestValidationError)
    assert issubclass(missing, AuthenticationError)
    assert missing.__module__ == "sdkcore.errors"


@pytest.mark.usefixtures("no_credentials")
@pytest.mark.parametrize("cls", CLIENTS, ids=lambda cls: cls.__name__)
def test_the_refusal_names_the_environment_variables(cls: type[Any]) -> None:
    error = _refusal(cls)
    names = CREDENTIAL_VARIABLES[cls.__module__.partition(".")[0]]
    for name in names:
        assert name in str(error)
    assert list(getattr(error, "env_vars", ())) == names


@pytest.mark.usefixtures("no_credentials")
def test_a_conta_azul_call_without_a_company_token_raises_that_class_too() -> None:
    client = contaazul.ContaAzul(application_token=APP_TOKEN)
    with pytest.raises(SDKError) as caught:
        client.customers.get(1)
    assert type(caught.value) is type(_refusal(bling.Bling)) is type(_refusal(auvo.Auvo))
    assert "CONTAAZUL_COMPANY_TOKEN" in str(caught.value)


# -- with_raw_response on list() and on multi-request methods --------------------------------


def _on_fake(erp: str, is_async: bool) -> Any:
    fake: Any = {"contaazul": FakeContaAzul, "bling": FakeBling, "auvo": FakeAuvo}[erp]()
    return fake.async_client() if is_async else fake.client()


def _listed(client: Any) -> Any:
    """A list each fake holds records of."""
    if isinstance(client, contaazul.ContaAzul | contaazul.AsyncContaAzul):
        return client.banks.list()
    if isinstance(client, bling.Bling | bling.AsyncBling):
        return client.contatos.list()
    return client.customers.list()


def _collect(pager: Any, is_async: bool, start: int | None = None) -> list[Any]:
    if not is_async:
        return list(pager.pages(start=start))

    async def walk() -> list[Any]:
        return [page async for page in pager.pages(start=start)]

    return asyncio.run(walk())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("erp", ["contaazul", "bling", "auvo"])
def test_a_raw_list_is_a_pager_of_raw_pages(erp: str, is_async: bool) -> None:
    client = _on_fake(erp, is_async)
    plain = Runner(client, is_async).items(_listed(client))
    assert plain, "the fake has records to list"
    raw_pages = _collect(_listed(client.with_raw_response), is_async)
    assert raw_pages
    for raw in raw_pages:
        assert isinstance(raw, APIResponse)
        assert raw.status_code == 200
        assert isinstance(raw.parsed, Page)
        assert raw.http_response.request.method == "GET"
    assert [item for raw in raw_pages for item in raw.parsed.items] == plain
    if not is_async:  # a sync raw pager is also iterable, page by page
        assert [raw.parsed for raw in _listed(client.with_raw_response)] == [
            raw.parsed for raw in raw_pages
        ]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_raw_pager_resumes_and_sends_nothing_for_a_page_known_to_be_empty(
    is_async: bool,
) -> None:
    client = _on_fake("contaazul", is_async)
    # Conta Azul answers a list all at once: there is no page 2 to ask for.
    assert _collect(_listed(client.with_raw_response), is_async, start=2) == []


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_raw_method_of_several_requests_answers_with_its_last_response(is_async: bool) -> None:
    fake = FakeAuvo()
    run = Runner(fake.async_client() if is_async else fake.client(), is_async)
    raw = run(
        run.client.with_raw_response.webhooks.create(
            entity="Customer", action="Inclusao", target_url="https://hooks.example.com/a"
        )
    )
    assert isinstance(raw, APIResponse)
    assert isinstance(raw.parsed, auvo.models.Webhook)
    assert raw.http_response.request.method == "POST"
    assert raw.parsed.target_url == "https://hooks.example.com/a"


class _Quiet(Resource[Any]):
    @endpoint
    def nothing(self) -> Flow[str]:
        """A method of several steps that needed none of them."""
        yield from ()
        return "done"


class _QuietClient(SyncAPIClient):
    default_base_url = "https://api.example.test"

    @cached_property
    def quiet(self) -> _Quiet:
        return _Quiet(self)


def test_a_raw_method_that_sent_nothing_says_so_instead_of_inventing_a_response() -> None:
    client = _QuietClient(rate_limiter=False)
    assert client.quiet.nothing() == "done"
    with pytest.raises(SDKError, match="nothing answered without sending a request"):
        client.with_raw_response.quiet.nothing()


def test_the_raw_pagers_are_twins() -> None:
    twins = {"__iter__": "__aiter__"}
    for name in ("pages", "__iter__"):
        sync_member = getattr(paging.SyncRawPager, name)
        async_member = getattr(paging.AsyncRawPager, twins.get(name, name))
        sync_parameters = inspect.signature(sync_member).parameters
        assert sync_parameters == inspect.signature(async_member).parameters, name
        assert inspect.isgeneratorfunction(sync_member)
        assert inspect.isasyncgenfunction(async_member)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_raw_client_s_own_multi_step_helpers_still_get_parsed_values(is_async: bool) -> None:
    # ``connect`` sends through the client itself: on a raw copy it once got an
    # APIResponse where it expected the token.
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"publicToken": "0000013e-7b50-5649-0000-007145a69e35"})

    run = Runner(_client("contaazul", answer, is_async), is_async)
    attempt = run(run.client.with_raw_response.connect("https://app.example.com/back"))
    assert attempt.public_token == "0000013e-7b50-5649-0000-007145a69e35"
    assert isinstance(run(run.client.with_raw_response.request("GET", "/pub/x")), APIResponse)


def test_a_type_checker_knows_a_raw_list_is_a_raw_pager() -> None:
    assert_mypy_strict_accepts(HERE / "raw_pager_types.py")


# -- ids in URL paths ----------------------------------------------------------------------

UNSAFE_IDS = ["1%2F..%2F..", "..", "1/../2", "1?x=2", "1#x"]

# What each required argument that is not an id is given, so the probe reaches the request.
SAMPLES: dict[str, Any] = {
    "changes": {"description": "x"},
    "attachments": [{"name": "a.pdf", "file": "eA=="}],
    "attachment": "eA==",
    "products": [{"product_id": "p1", "quantity": "1", "value": "2"}],
    "services": [{"service_id": "s1", "quantity": "1", "value": "2"}],
    "costs": [{"additional_cost_id": "c1", "value": "2"}],
    "product_ids": ["1"],
    "service_ids": ["1"],
    "additional_cost_ids": ["1"],
    "amount": "1",
    "user_id": 1,
    "entity": "Customer",
    "action": "Inclusao",
    "target_url": "https://hooks.example.com/a",
    "pedido_venda": {
        "contato": {"id": 1},
        "itens": [{"codigo": "A1", "descricao": "x", "quantidade": "1", "valor": "2"}],
    },
}
# Required ``int | str`` arguments that are not path parameters (they go in the body).
NOT_IN_PATH = {("Auvo", "products.update_employee_stock", "product_id")}


class _Sent(Exception):
    def __init__(self, request: httpx.Request) -> None:
        self.request = request


def _stop_at_first_call(request: httpx.Request) -> httpx.Response:
    raise _Sent(request)


def _resource_methods(client: Any) -> Iterator[tuple[str, Any, inspect.Signature]]:
    """Every ``endpoint``/``paged`` method reachable from ``client``: (dotted name, bound
    method, signature)."""

    def visit(resource: Resource[Any], prefix: str) -> Iterator[tuple[str, Any, inspect.Signature]]:
        for name in dir(type(resource)):
            found = inspect.getattr_static(type(resource), name, None)
            if isinstance(found, endpoint | paged):
                yield f"{prefix}{name}", getattr(resource, name), found.signature
            elif isinstance(found, cached_property) and not name.startswith("_"):
                child = getattr(resource, name)
                if isinstance(child, Resource):
                    yield from visit(child, f"{prefix}{name}.")

    for name in dir(type(client)):
        found = inspect.getattr_static(type(client), name, None)
        if isinstance(found, cached_property) and not name.startswith("_"):
            child = getattr(client, name)
            if isinstance(child, Resource):
                yield from visit(child, f"{name}.")


def _required(signature: inspect.Signature) -> list[inspect.Parameter]:
    return [p for p in signature.parameters.values() if p.default is inspect.Parameter.empty]


def _takes_text(parameter: inspect.Parameter) -> bool:
    annotation = str(parameter.annotation)
    return annotation in ("int | str", "str")


def _sample(parameter: inspect.Parameter) -> Any:
    if parameter.name in SAMPLES:
        return SAMPLES[parameter.name]
    annotation = str(parameter.annotation)
    if annotation.startswith(("Sequence[int]", "Iterable[int]")):
        return [1]
    if annotation == "int":
        return 1
    if annotation == "str":
        return "x"
    return {}  # a record, a body


def _send(method: Any, arguments: dict[str, Any]) -> httpx.Request | None:
    """The request ``method`` sends first, or ``None`` when it sends none (or fails first)."""
    try:
        result = method(**arguments)
        if hasattr(result, "pages"):
            next(iter(result.pages()))
    except _Sent as sent:
        return sent.request
    return None


def _path_parameters(client: Any) -> Iterator[tuple[str, Any, str, dict[str, Any]]]:
    """(method name, method, parameter, valid arguments) for each argument that lands in a
    URL path, found by sending each method with a marker in every text argument."""
    for name, method, signature in _resource_methods(client):
        markers: dict[str, str] = {}
        arguments: dict[str, Any] = {}
        ids: set[str] = set()
        for number, parameter in enumerate(_required(signature)):
            if parameter.name in SAMPLES or not _takes_text(parameter):
                arguments[parameter.name] = _sample(parameter)
                continue
            # A number passes any id rule; plain text (a status, an attribute name) is sent
            # as the text it is, so a marker that could never be an id finds it in a path.
            marker = 900_000 + number
            if str(parameter.annotation) == "str":
                arguments[parameter.name] = markers[parameter.name] = f"m{marker}"
            else:
                arguments[parameter.name] = marker
                markers[parameter.name] = str(marker)
                ids.add(parameter.name)
        if not markers:
            continue
        request = _send(method, arguments)
        assert request is not None, f"{name}({arguments}) sent nothing: give SAMPLES a value"
        segments = request.url.path.split("/")
        for argument, marker_text in markers.items():
            if marker_text in segments:
                yield name, method, argument, arguments
            elif argument in ids:
                assert (type(client).__name__, name, argument) in NOT_IN_PATH, (
                    f"{name}: the id {argument} is neither in the path nor known to be elsewhere"
                )


def _offline(erp: str) -> Any:
    return _client(erp, _stop_at_first_call, is_async=False)


@pytest.mark.parametrize("erp", ["contaazul", "bling", "auvo"])
def test_every_path_parameter_of_every_method_refuses_an_unsafe_id(erp: str) -> None:
    client = _offline(erp)
    found = list(_path_parameters(client))
    assert len(found) >= 20, f"only {len(found)} path parameters found in {erp}"
    problems = [
        f"{name}({parameter}={unsafe!r}): {outcome}"
        for name, method, parameter, arguments in found
        for unsafe in UNSAFE_IDS
        if (outcome := _refusal_of(method, {**arguments, parameter: unsafe})) != parameter
    ]
    assert not problems, "\n".join(problems)


def _refusal_of(method: Any, arguments: dict[str, Any]) -> str:
    """The field a refusal names, or what was sent instead."""
    try:
        request = _send(method, arguments)
    except RequestValidationError as refused:
        return refused.field
    return "sent " + (request.url.raw_path.decode() if request is not None else "nothing")


def test_a_conta_azul_update_checks_the_record_s_own_id() -> None:
    client = _offline("contaazul")
    with pytest.raises(RequestValidationError) as refused:
        client.customers.update({"id": "1%2F..%2F..", "name": "Silva"})
    assert refused.value.field == "id"


def test_the_walk_reaches_every_client_and_both_client_kinds_share_the_builders() -> None:
    # The async clients bind the same builders (sdkcore.endpoints), so walking the sync
    # ones covers them; check that the walk sees the same methods on both.
    for sync, async_ in [
        (contaazul.ContaAzul, contaazul.AsyncContaAzul),
        (bling.Bling, bling.AsyncBling),
        (auvo.Auvo, auvo.AsyncAuvo),
    ]:
        assert issubclass(sync, BaseAPIClient)
        assert issubclass(async_, BaseAPIClient)
        erp = sync.__module__.partition(".")[0]
        names = [name for name, _, _ in _resource_methods(_offline(erp))]
        async_client = _client(erp, _stop_at_first_call, is_async=True)
        assert names == [name for name, _, _ in _resource_methods(async_client)]
