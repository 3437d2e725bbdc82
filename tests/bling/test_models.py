from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from hypothesis import given, strategies as st

from bling import ContaReceber, Contato, PedidoVenda, Produto
from sdkcore.dates import SAO_PAULO

money = st.decimals(
    min_value=Decimal("-1000000"), max_value=Decimal("1000000"), places=2, allow_nan=False
)


@given(valor=money, vencimento=st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)))
def test_conta_round_trips_through_the_wire(valor: Decimal, vencimento: date) -> None:
    conta = ContaReceber(valor=valor, vencimento=vencimento, contato={"id": 1})
    wire = conta.to_wire(for_create=True)
    assert wire["vencimento"] == vencimento.isoformat()
    back = ContaReceber.model_validate(wire)
    assert back.valor == valor
    assert back.vencimento == vencimento


@given(text=st.sampled_from(["1.234,56", "1234.56", 1234.56, "1234,56"]))
def test_money_shapes(text: object) -> None:
    assert Produto.model_validate({"preco": text}).preco == Decimal("1234.56")


def test_empty_dates_and_unknown_fields() -> None:
    pedido = PedidoVenda.model_validate(
        {"id": 1, "data": "2024-01-02", "dataSaida": "0000-00-00", "novo": {"x": 1}}
    )
    assert pedido.data == date(2024, 1, 2)
    assert pedido.data_saida is None
    assert pedido.model_extra == {"novo": {"x": 1}}
    assert pedido.to_wire()["novo"] == {"x": 1}
    assert "id" not in pedido.to_wire()


def test_only_fields_set_are_sent() -> None:
    contato = Contato(nome="A", tipo="F")
    assert contato.to_wire(for_create=True) == {"nome": "A", "tipo": "F"}
    contato.email = None  # set explicitly: sent as null, which clears it on Bling
    assert contato.to_wire() == {"nome": "A", "tipo": "F", "email": None}
    explicit = Contato.model_validate({"nome": "A", "tipo": "F", "email": None})
    assert explicit.to_wire() == {"nome": "A", "tipo": "F", "email": None}


def test_instants_are_sao_paulo() -> None:
    from pydantic import TypeAdapter

    from bling.models import BlingInstant

    adapter: TypeAdapter[datetime | None] = TypeAdapter(BlingInstant)
    value = adapter.validate_python("2022-01-01 10:00:00")
    assert value is not None
    assert value.tzinfo is not None
    assert value.utcoffset() == datetime(2022, 1, 1, tzinfo=SAO_PAULO).utcoffset()
    assert adapter.dump_python(value, mode="json") == "2022-01-01 10:00:00"
    assert adapter.validate_python("0000-00-00 00:00:00") is None
