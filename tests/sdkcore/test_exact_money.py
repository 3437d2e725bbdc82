"""Amounts read from the JSON text, never through a double: every digit, in every client.

pydantic-core reads a JSON fraction as a double, which keeps 15 significant digits. A body
with a longer number is read by ``exact_json`` instead, so an amount of 30 digits reads
back as it was written, in one record, a list and a page, and through each client's models.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from pydantic import TypeAdapter

from auvo import Auvo
from auvo.webhooks import parse_event
from bling import Bling
from bling.webhooks import Webhooks
from contaazul import ContaAzul
from contaazul.v2.models.vendas import ItemDaVenda
from sdkcore import APIModel, Money, OptionalMoney, ResponseParseError
from sdkcore.bodies import (
    ExactFloat,
    dumps_json,
    exact_json,
    has_long_number,
    json_reader,
    loads_json,
)
from sdkcore.client import one_record, parse_with, records_parser
from sdkcore.transport import Response

# Up to 30 significant digits, 2 to 6 of them decimals: far past the 15 a double keeps.
amounts = st.builds(
    lambda coefficient, places: Decimal(f"{coefficient}E-{places}"),
    st.integers(min_value=-(10**30 - 1), max_value=10**30 - 1),
    st.integers(min_value=2, max_value=6),
)
# How a server may write the number: 1234.50 or 123450E-2.
spellings = st.sampled_from(["plain", "exponent"])


def spelled(value: Decimal, spelling: str) -> str:
    if spelling == "plain":
        return format(value, "f")
    sign, digits, exponent = value.as_tuple()
    coefficient = "".join(map(str, digits))
    return f"{'-' if sign else ''}{coefficient}E{exponent}"


class Amounts(APIModel):
    money: Money
    optional_money: OptionalMoney = None


AMOUNTS_LIST: TypeAdapter[list[Amounts]] = TypeAdapter(list[Amounts])


def answer(body: str | bytes) -> Response:
    content = body.encode() if isinstance(body, str) else body
    return httpx.Response(200, content=content, request=httpx.Request("GET", "https://x/y"))


def record(money: str, optional_money: str = "null") -> str:
    return f'{{"money": {money}, "optional_money": {optional_money}, "note": "ok"}}'


@given(amounts, amounts, spellings)
def test_one_record_reads_every_digit(money: Decimal, other: Decimal, spelling: str) -> None:
    parse = one_record(parse_with(json_reader(Amounts)))
    read = parse(answer(record(spelled(money, spelling), spelled(other, spelling))))
    assert (read.money, read.optional_money) == (money, other)


@given(st.lists(amounts, min_size=1, max_size=5), spellings)
def test_a_list_reads_every_digit(values: list[Decimal], spelling: str) -> None:
    body = "[" + ",".join(record(spelled(v, spelling), spelled(-v, spelling)) for v in values) + "]"
    read = parse_with(json_reader(AMOUNTS_LIST))(answer(body))
    assert [(r.money, r.optional_money) for r in read] == [(v, -v) for v in values]


@given(st.lists(amounts, min_size=1, max_size=5), spellings)
def test_a_page_reads_every_digit_also_beside_a_misfit(
    values: list[Decimal], spelling: str
) -> None:
    parse_page = records_parser(json_reader(AMOUNTS_LIST), json_reader(Amounts))
    records = [record(spelled(v, spelling)) for v in values]
    fitting, misfits = parse_page(answer("[" + ",".join(records) + "]"), 1)
    assert [r.money for r in fitting] == values
    assert misfits == ()
    # A misfit sends the page through the salvage, record by record: still every digit.
    with_misfit = [*records, '{"money": "not an amount"}']
    fitting, misfits = parse_page(answer("[" + ",".join(with_misfit) + "]"), 1)
    assert [r.money for r in fitting] == values
    assert [m.index for m in misfits] == [len(values)]


@pytest.mark.parametrize(
    ("number", "expected"),
    [
        ("99999999999999.99", Decimal("99999999999999.99")),  # a double says ...98
        ("12345678901234567890", Decimal("12345678901234567890")),
        ("123456789012345678901234567890.123456", Decimal("123456789012345678901234567890.123456")),
        ("-0.000000000000000001", Decimal("-1E-18")),
        ("-0.1234567890123456789", Decimal("-0.1234567890123456789")),
        ("1.5E+3", Decimal(1500)),
        ("1.2345678901234567890E+3", Decimal("1234.567890123456789")),
        ("10000000000000000000000000.01", Decimal("10000000000000000000000000.01")),
        ("0.10000000000000001", Decimal("0.10000000000000001")),  # a double says 0.1
        ("140.0", Decimal(140)),
    ],
)
def test_each_form_of_a_number_reads_exactly(number: str, expected: Decimal) -> None:
    parse = parse_with(json_reader(Amounts))
    read = parse(answer(record(number, number)))
    assert read.money == expected
    assert read.optional_money == expected


def test_a_long_number_reads_as_the_short_ones_do() -> None:
    # The exact path writes a number as pydantic-core does: a whole one without fraction,
    # others without trailing zeros; so the same amount looks the same on either path.
    long = "1.00000000000000000001"
    for number in ("140.0", "1.5E+3", "45.90"):
        fast = parse_with(json_reader(AMOUNTS_LIST))(answer(f"[{record(number)}]"))[0]
        exact = parse_with(json_reader(AMOUNTS_LIST))(
            answer(f"[{record(number)}, {record(long)}]")
        )[0]
        assert str(exact.money) == str(fast.money)


def test_the_scan_finds_numbers_not_digits_in_text() -> None:
    assert has_long_number(b'{"a": 99999999999999.99}')
    assert has_long_number(b"[1,\n  -0.1234567890123456]")
    assert has_long_number(b"1.2345678901234567")  # a body that is one number
    assert has_long_number(b'{"a": 12345678901234567e-2}')
    assert not has_long_number(b'{"a": 99999999999999.9}')  # 15 digits: a double holds it
    assert not has_long_number(b'{"a": 12345678901234567890}')  # whole: read exactly anyway
    assert not has_long_number(b'{"a": 0.000000000000000001}')  # one significant digit
    key = "35190112345678000190550010000012341000012345"  # an NF-e key, in a string
    assert not has_long_number(json.dumps({"chave": key, "b": "1234567890.1234567"}).encode())


def test_the_exact_path_keeps_what_is_not_an_amount_as_it_was() -> None:
    body = b'{"money": 1.25, "lat": -16.68720861110831234, "tags": [0.30000000000000004]}'
    read = json_reader(Amounts)(body)
    assert read.money == Decimal("1.25")
    extra = read.model_extra or {}
    # Unknown fields are the doubles validate_json would give, and write back as such.
    assert extra["lat"] == -16.68720861110831234
    assert isinstance(extra["lat"], float)
    assert extra["tags"] == [0.30000000000000004]
    assert json.loads(read.model_dump_json())["lat"] == -16.68720861110831234


def test_a_model_without_amounts_is_never_scanned(monkeypatch: pytest.MonkeyPatch) -> None:
    class Place(APIModel):
        lat: float

    def scan(content: bytes) -> bool:
        raise AssertionError("a body read into a model with no amount was scanned")

    monkeypatch.setattr("sdkcore.bodies.has_long_number", scan)
    assert json_reader(Place)(b'{"lat": -16.687208611108312}').lat == -16.687208611108312


def test_exact_loading_keeps_the_text_and_writes_it_back() -> None:
    value = loads_json(b'{"a": [99999999999999.99, 1.50, 2, "x", null, true]}', exact=True)
    number = value["a"][0]
    assert isinstance(number, ExactFloat)
    assert number == 99999999999999.99
    assert number.as_decimal() == Decimal("99999999999999.99")
    assert dumps_json(value) == '{"a":[99999999999999.99,1.50,2,"x",null,true]}'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children) | st.dictionaries(st.text(), children),
    max_leaves=20,
)


@given(json_values)
def test_dumps_json_writes_what_json_dumps_writes(value: Any) -> None:
    # The page salvage writes each record back out with it: only ExactFloat differs.
    assert dumps_json(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_an_unreadable_body_is_unreadable_on_the_exact_path_too() -> None:
    parse = parse_with(json_reader(Amounts))
    with pytest.raises(ResponseParseError, match="invalid JSON"):
        parse(answer('{"money": 99999999999999.99,'))
    with pytest.raises(ResponseParseError, match="nested too deeply"):
        parse(answer('{"money": 99999999999999.99, "x": ' + "[" * 300 + "]" * 300 + "}"))


def test_exact_json_without_a_target_always_looks() -> None:
    reader = exact_json(AMOUNTS_LIST.validate_json, AMOUNTS_LIST.validate_python)
    assert reader(f"[{record('0.12345678901234567')}]".encode())[0].money == Decimal(
        "0.12345678901234567"
    )


# -- through each client's own models -------------------------------------------------------


class Served:
    """An in-process server that answers every request with ``body``."""

    def __init__(self, login: bytes | None = None) -> None:
        self.body = b"null"
        self.login = login
        self.transport = httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        content = self.login if self.login and request.url.path.endswith("/login/") else self.body
        return httpx.Response(200, content=content, headers={"Content-Type": "application/json"})


@pytest.fixture(scope="module")
def conta_azul() -> Iterator[tuple[Served, ContaAzul]]:
    served = Served()
    with ContaAzul("app", "company", transport=served.transport, rate_limiter=False) as client:
        yield served, client


@pytest.fixture(scope="module")
def bling_client() -> Iterator[tuple[Served, Bling]]:
    served = Served()
    with Bling("t" * 40, transport=served.transport, rate_limiter=False) as client:
        yield served, client


@pytest.fixture(scope="module")
def auvo_client() -> Iterator[tuple[Served, Auvo]]:
    login = {"result": {"authenticated": True, "accessToken": "t" * 40}}
    served = Served(login=json.dumps(login).encode())
    with Auvo("key", "token", transport=served.transport, rate_limiter=False) as client:
        client.login()
        yield served, client


def client_examples(test: Callable[..., None]) -> Callable[..., None]:
    # The module's clients serve every example; only the body they answer with changes.
    wrapped = given(amounts, amounts, spellings)(test)
    return settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])(
        wrapped
    )


@client_examples
def test_conta_azul_products(
    conta_azul: tuple[Served, ContaAzul], price: Decimal, cost: Decimal, spelling: str
) -> None:
    served, client = conta_azul
    product = f'{{"id": 1, "name": "P", "rate": {spelled(price, spelling)}, '
    product += f'"costRate": {spelled(cost, spelling)}}}'
    served.body = product.encode()
    got = client.products.get(1)
    assert (got.rate, got.cost_rate) == (price, cost)
    served.body = f"[{product}, {product}]".encode()
    assert [p.rate for p in client.products.list()] == [price, price]
    page = next(iter(client.products.list().pages()))
    assert [p.cost_rate for p in page.items] == [cost, cost]


@client_examples
def test_bling_produtos(
    bling_client: tuple[Served, Bling], price: Decimal, cost: Decimal, spelling: str
) -> None:
    served, client = bling_client
    produto = f'{{"id": 1, "nome": "P", "preco": {spelled(price, spelling)}, '
    produto += f'"precoCusto": {spelled(cost, spelling)}}}'
    served.body = f'{{"data": {produto}}}'.encode()
    got = client.produtos.get(1)
    assert (got.preco, got.preco_custo) == (price, cost)
    served.body = f'{{"data": [{produto}, {produto}]}}'.encode()
    page = next(iter(client.produtos.list().pages()))
    assert [(p.preco, p.preco_custo) for p in page.items] == [(price, cost)] * 2


@client_examples
def test_auvo_products(
    auvo_client: tuple[Served, Auvo], price: Decimal, cost: Decimal, spelling: str
) -> None:
    served, client = auvo_client
    product = f'{{"productId": "p-1", "name": "P", "unitaryValue": {spelled(price, spelling)}, '
    product += f'"unitaryCost": {spelled(cost, spelling)}}}'
    served.body = f'{{"result": {product}}}'.encode()
    got = client.products.get("p-1")
    assert (got.unitary_value, got.unitary_cost) == (price, cost)
    listed = f'{{"result": {{"entityList": [{product}, {product}, {{"unitaryValue": "x?"}}], '
    listed += '"pagedSearchReturnData": {"order": 0, "pageSize": 100, "page": 1, '
    listed += '"totalItems": 3}}}'
    served.body = listed.encode()
    page = next(iter(client.products.list().pages()))
    assert [(p.unitary_value, p.unitary_cost) for p in page.items] == [(price, cost)] * 2
    assert len(page.invalid) == 1  # the misfit went through the salvage, the others exact


@given(amounts, spellings)
def test_conta_azul_v2_sale_items(value: Decimal, spelling: str) -> None:
    # contaazul.v2's parsers are its own; its models read through sdkcore's readers.
    item = f'{{"id": "i-1", "valor": {spelled(value, spelling)}, "quantidade": 1.000}}'
    assert json_reader(ItemDaVenda)(item.encode()).valor == value
    items: TypeAdapter[list[ItemDaVenda]] = TypeAdapter(list[ItemDaVenda])
    assert [i.valor for i in json_reader(items)(f"[{item}, {item}]".encode())] == [value] * 2


def test_webhooks_read_amounts_exactly() -> None:
    event = {
        "eventId": "e-1",
        "event": "product.updated",
        "data": {"id": 1, "nome": "P", "preco": 0},
    }
    body = json.dumps(event).replace('"preco": 0', '"preco": 99999999999999.99')
    record: Any = Webhooks(None).parse(body).record
    assert record.preco == Decimal("99999999999999.99")
    delivery = (
        '{"result": {"EntityType": "Product", "Action": "Update", "Entities": '
        '[{"taskID": 7, "expense": "1,00", "products": [{"unitaryValue": 99999999999999.99}]}]}}'
    )
    task: Any = parse_event(delivery.replace("Product", "Task")).entities[0]
    assert task.products[0].unitary_value == Decimal("99999999999999.99")
