"""The query filters of ``FakeBling``'s lists, read as Bling reads them (pure functions).

Dates come as ``yyyy-mm-dd`` and instants as ``yyyy-mm-dd hh:mm:ss`` (Brasília time); both
forms are accepted for either, a bare date meaning the whole day (its start for an initial
bound, its last second for a final one). Bounds are inclusive.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date, datetime, time
from typing import Any

from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeRequest

from ._seed import CHANGED, INCLUDED

Record = dict[str, Any]
Predicate = Callable[[Record], bool]


class InvalidFilter(ValueError):
    """A filter value Bling would refuse; ``name`` is the query parameter."""

    def __init__(self, name: str, value: str) -> None:
        super().__init__(f"{name}={value!r}")
        self.name = name


# -- reading values ----------------------------------------------------------------------------


def instant(request: FakeRequest, name: str, *, final: bool = False) -> datetime | None:
    """An aware instant from a date or an instant parameter; ``None`` when absent."""
    text = (request.arg(name) or "").strip()
    if not text:
        return None
    try:
        if len(text) == 10:
            moment = time(23, 59, 59) if final else time(0, 0, 0)
            return datetime.combine(date.fromisoformat(text), moment, SAO_PAULO)
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidFilter(name, text) from None
    return value if value.tzinfo else value.replace(tzinfo=SAO_PAULO)


def day(request: FakeRequest, name: str) -> date | None:
    """A calendar date from a date or an instant parameter (its Brasília day)."""
    value = instant(request, name)
    return None if value is None else value.astimezone(SAO_PAULO).date()


def integers(request: FakeRequest, name: str) -> set[int]:
    values = request.query.get(name, [])
    try:
        return {int(v) for v in values if v.strip()}
    except ValueError:
        raise InvalidFilter(name, ",".join(values)) from None


def integer(request: FakeRequest, name: str) -> int | None:
    found = integers(request, name)
    return next(iter(found)) if found else None


def texts(request: FakeRequest, name: str) -> set[str]:
    return {v for v in request.query.get(name, []) if v != ""}


def digits(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


def _ref_id(record: Record, field: str) -> Any:
    ref = record.get(field)
    return ref.get("id") if isinstance(ref, dict) else None


def _refers(field: str, wanted: int) -> Predicate:
    return lambda r: _ref_id(r, field) == wanted


def _record_day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# -- building predicates -------------------------------------------------------------------------


def _between(
    request: FakeRequest, first: str, last: str, read: Callable[[Record], Any]
) -> Iterable[Predicate]:
    start, end = instant(request, first), instant(request, last, final=True)
    if start is not None:
        yield lambda r: (v := read(r)) is not None and v >= start
    if end is not None:
        yield lambda r: (v := read(r)) is not None and v <= end


def _days_between(request: FakeRequest, first: str, last: str, field: str) -> Iterable[Predicate]:
    start, end = day(request, first), day(request, last)
    if start is not None:
        yield lambda r: (d := _record_day(r.get(field))) is not None and d >= start
    if end is not None:
        yield lambda r: (d := _record_day(r.get(field))) is not None and d <= end


def _stamps(request: FakeRequest) -> Iterable[Predicate]:
    """``dataInclusao*`` and ``dataAlteracao*``: against the times the fake recorded."""
    yield from _between(
        request, "dataInclusaoInicial", "dataInclusaoFinal", lambda r: r.get(INCLUDED)
    )
    yield from _between(
        request, "dataAlteracaoInicial", "dataAlteracaoFinal", lambda r: r.get(CHANGED)
    )


def _all(checks: Iterable[Predicate]) -> Predicate:
    found = list(checks)
    return lambda record: all(check(record) for check in found)


# -- the lists -----------------------------------------------------------------------------------

PERSON_TYPES = {1: "F", 2: "J", 3: "E"}
CONTATO_CRITERIA: dict[int, Callable[[str], bool]] = {
    1: lambda situacao: True,  # todos
    2: lambda situacao: situacao == "E",  # excluídos
    3: lambda situacao: situacao != "E",  # últimos incluídos (the default)
    4: lambda situacao: situacao == "S",  # sem movimento
}


def by_criterion(
    request: FakeRequest, table: dict[int, Callable[[str], bool]], default: int
) -> Predicate:
    """The ``criterio`` filter: which situations a list shows (``default`` when absent)."""
    criterio = integer(request, "criterio") or default
    if criterio not in table:
        raise InvalidFilter("criterio", str(criterio))
    accept = table[criterio]
    return lambda r: accept(str(r.get("situacao") or "A"))


def contatos(request: FakeRequest) -> Predicate:
    """``GET /contatos``."""

    def checks() -> Iterable[Predicate]:
        yield by_criterion(request, CONTATO_CRITERIA, 3)
        text = (request.arg("pesquisa") or "").strip().lower()
        if text:
            bare = text.translate(str.maketrans("", "", ".-/ "))
            number = bare if bare.isdigit() else ""  # a CPF/CNPJ, with or without punctuation

            def search(r: Record) -> bool:
                fields = (r.get(k) for k in ("nome", "fantasia", "email", "codigo"))
                if any(text in str(v).lower() for v in fields if v):
                    return True
                return bool(number) and number in digits(r.get("numeroDocumento"))

            yield search
        document = digits(request.arg("numeroDocumento"))
        if request.arg("numeroDocumento"):
            yield lambda r: digits(r.get("numeroDocumento")) == document
        ids = integers(request, "idsContatos[]")
        if ids:
            yield lambda r: r.get("id") in ids
        kind = integer(request, "tipoPessoa")
        if kind is not None:
            yield lambda r: r.get("tipo") == PERSON_TYPES.get(kind)
        seller = integer(request, "idVendedor")
        if seller is not None:
            yield lambda r: _ref_id(r, "vendedor") == seller
        contact_type = integer(request, "idTipoContato")
        if contact_type is not None:
            yield lambda r: contact_type in {t.get("id") for t in r.get("tiposContato") or []}
        uf = (request.arg("uf") or "").strip().upper()
        if uf:
            yield (
                lambda r: (
                    str(((r.get("endereco") or {}).get("geral") or {}).get("uf") or "").upper()
                    == uf
                )
            )
        phone = digits(request.arg("telefone"))
        if phone:
            yield lambda r: phone in (digits(r.get("telefone")), digits(r.get("celular")))
        yield from _stamps(request)

    return _all(checks())


PRODUTO_CRITERIA: dict[int, Callable[[str], bool]] = {
    1: lambda situacao: True,  # últimos incluídos (the default)
    2: lambda situacao: situacao == "A",  # ativos
    3: lambda situacao: situacao == "I",  # inativos
    4: lambda situacao: False,  # excluídos: the fake keeps none
    5: lambda situacao: True,  # todos
}
PRODUTO_TYPES: dict[str, Predicate] = {
    "T": lambda r: True,
    "P": lambda r: r.get("tipo") == "P",
    "S": lambda r: r.get("tipo") == "S",
    "E": lambda r: r.get("formato") == "E",
    "PS": lambda r: r.get("tipo") == "P" and (r.get("formato") or "S") == "S",
    "C": lambda r: r.get("formato") == "V",
    "V": lambda r: bool(r.get("idProdutoPai")),
}


def produtos(request: FakeRequest) -> Predicate:
    """``GET /produtos``."""

    def checks() -> Iterable[Predicate]:
        yield by_criterion(request, PRODUTO_CRITERIA, 1)
        tipo = (request.arg("tipo") or "T").upper()
        if tipo not in PRODUTO_TYPES:
            raise InvalidFilter("tipo", tipo)
        yield PRODUTO_TYPES[tipo]
        nome = (request.arg("nome") or "").strip().lower()
        if nome:
            yield lambda r: nome in str(r.get("nome") or "").lower()
        ids = integers(request, "idsProdutos[]")
        if ids:
            yield lambda r: r.get("id") in ids
        codes = texts(request, "codigos[]")
        if codes:
            yield lambda r: r.get("codigo") in codes
        gtins = texts(request, "gtins[]")
        if gtins:
            yield lambda r: r.get("gtin") in gtins
        category = integer(request, "idCategoria")
        if category is not None:
            yield lambda r: _ref_id(r, "categoria") == category
        yield from _stamps(request)

    return _all(checks())


def vendas(request: FakeRequest) -> Predicate:
    """``GET /pedidos/vendas``."""

    def checks() -> Iterable[Predicate]:
        contato = integer(request, "idContato")
        if contato is not None:
            yield lambda r: _ref_id(r, "contato") == contato
        situacoes = integers(request, "idsSituacoes[]")
        if situacoes:
            yield lambda r: _ref_id(r, "situacao") in situacoes
        yield from _days_between(request, "dataInicial", "dataFinal", "data")
        yield from _days_between(
            request, "dataPrevistaInicial", "dataPrevistaFinal", "dataPrevista"
        )
        yield from _between(
            request, "dataAlteracaoInicial", "dataAlteracaoFinal", lambda r: r.get(CHANGED)
        )
        numero = integer(request, "numero")
        if numero is not None:
            yield lambda r: str(r.get("numero")) == str(numero)
        for name, field in (("idLoja", "loja"), ("idVendedor", "vendedor")):
            wanted = integer(request, name)
            if wanted is not None:
                yield _refers(field, wanted)
        stores = texts(request, "numerosLojas[]")
        if stores:
            yield lambda r: r.get("numeroLoja") in stores

    return _all(checks())
