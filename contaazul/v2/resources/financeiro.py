"""The finance resources (``financial-openapi.yml``): financial accounts, categories, the
DRE, cost centres, transfers, receivables, payables, installments and financial events.

Each method is written once as a builder of its request (``sdkcore.endpoints``); bound to
``ContaAzul`` it answers directly, bound to ``AsyncContaAzul`` it is awaited. Lists are
lazy and page through the one envelope pager, asking for the largest page the spec allows.
"""

from __future__ import annotations

import builtins
import unicodedata
from collections.abc import Generator, Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import FlowStep, PageFetcher, Step, endpoint, paged
from sdkcore.errors import SDKError
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.transport import Timeout

from .._calls import list_parser, query, read_call, send_record, steps, written_parser
from .._paging import envelope_pages
from .._protocol import DEFAULT_TIMEOUT_S, Protocolo, create_with_protocol, protocol_created
from ..models import financeiro as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

LARGEST_PAGE = 1000
"""The largest ``tamanho_pagina`` the financial spec's lists accept (their enums end at it)."""
RECEIVABLES_PATH = "/v1/financeiro/eventos-financeiros/contas-a-receber"
PAYABLES_PATH = "/v1/financeiro/eventos-financeiros/contas-a-pagar"


class FinancialAccountNotFound(SDKError, LookupError):
    """No financial account has the name asked for; ``names`` are those that exist
    (hidden kinds such as "Caixinha" included), so the message can say which to use."""

    def __init__(self, wanted: str, names: Sequence[str]) -> None:
        self.wanted = wanted
        self.names = tuple(names)
        listed = ", ".join(repr(name) for name in self.names) or "none"
        super().__init__(f"no financial account is named {wanted!r}; the accounts are: {listed}")


def _loose(name: str) -> str:
    """A name compared without case, accents or repeated spaces."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def pick_account(wanted: str, accounts: Iterable[m.ContaFinanceira]) -> m.ContaFinanceira:
    """The account named ``wanted``: spelled exactly first, then without case or accents;
    an active one before an inactive one of the same name."""
    every = list(accounts)
    for same in (lambda name: name == wanted, lambda name: _loose(name) == _loose(wanted)):
        found = [account for account in every if account.nome is not None and same(account.nome)]
        if found:
            return next((a for a in found if a.ativo is not False), found[0])
    names = dict.fromkeys(account.nome for account in every if account.nome)
    raise FinancialAccountNotFound(wanted, list(names))


class ContasFinanceiras(Resource[C]):
    """Financial accounts (``ca.contas_financeiras``): bank accounts, cards, cash boxes."""

    @paged
    def list(
        self,
        *,
        tipos: Sequence[str] | None = None,
        nome: str | None = None,
        apenas_ativo: bool | None = None,
        esconde_conta_digital: bool | None = None,
        mostrar_caixinha: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.ContaFinanceira]:
        """Financial accounts, lazily. The API leaves cash-box accounts ("Caixinha") out
        unless ``mostrar_caixinha=True``."""
        params = query(
            tipos=tipos,
            nome=nome,
            apenas_ativo=apenas_ativo,
            esconde_conta_digital=esconde_conta_digital,
            mostrar_caixinha=mostrar_caixinha,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.ContaFinanceira, "/v1/conta-financeira", per_call, params, page_size=LARGEST_PAGE
        )

    @endpoint
    def saldo_atual(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.SaldoAtual]:
        """The account's current balance."""
        path = f"/v1/conta-financeira/{PATH_SEGMENT_ID(id, 'id_conta_financeira')}/saldo-atual"
        return read_call(PerCall(extra_headers, extra_query, timeout), path, m.SaldoAtual)

    @endpoint
    def find_by_name(
        self,
        nome: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Step[m.ContaFinanceira]:
        """The account named ``nome`` (exactly, else without case or accents), hidden kinds
        such as "Caixinha" included; ``FinancialAccountNotFound`` lists the names there are.

        Every account is read (one request for up to 1000), not the API's ``nome`` filter:
        its matching rule is not documented, and the error needs the names that exist.
        """
        per_call = PerCall(extra_headers, extra_query, timeout)
        return self._find(nome, per_call)

    def _find(self, nome: str, per_call: PerCall) -> Generator[FlowStep, Any, m.ContaFinanceira]:
        fetch = envelope_pages(
            m.ContaFinanceira,
            "/v1/conta-financeira",
            per_call,
            query(mostrar_caixinha=True),
            page_size=LARGEST_PAGE,
        )
        accounts: list[m.ContaFinanceira] = []
        number: int | None = 1
        while number is not None:
            page = yield from steps(fetch(number))
            accounts.extend(page.items)
            number = page.next_page
        return pick_account(nome, accounts)


class Categorias(Resource[C]):
    """Revenue and expense categories (``ca.categorias``)."""

    @paged
    def list(
        self,
        *,
        tipo: str | None = None,
        busca: str | None = None,
        nome: str | None = None,
        apenas_filhos: bool | None = None,
        permite_apenas_filhos: bool = False,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.Categoria]:
        """Categories, lazily; ``tipo`` is ``RECEITA`` or ``DESPESA``. The API requires
        ``permite_apenas_filhos``, so it is always sent (``False`` unless given)."""
        params = query(
            tipo=tipo,
            busca=busca,
            nome=nome,
            apenas_filhos=apenas_filhos,
            permite_apenas_filhos=permite_apenas_filhos,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.Categoria, "/v1/categorias", per_call, params, page_size=LARGEST_PAGE
        )

    @endpoint
    def configuracao_padrao(
        self,
        *,
        sugestao_padrao: bool | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[builtins.list[m.ConfiguracaoPadraoCategoria]]:
        """The category each automatic operation (freight, fines, interest, ...) is booked
        to; ``sugestao_padrao=False`` leaves the API's suggestion out."""
        options = PerCall(extra_headers, extra_query, timeout).request(
            "GET",
            "/v1/categorias/configuracao-padrao",
            params=query(sugestao_padrao=sugestao_padrao),
        )
        return Call(options, list_parser(m.ConfiguracaoPadraoCategoria))


class CategoriasDre(Resource[C]):
    """The income statement (DRE) structure (``ca.categorias_dre``)."""

    @paged
    def list(
        self,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.CategoriaDRE]:
        """The DRE's top lines, each with its ``subitens`` and categories; the API answers
        the whole structure at once."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.CategoriaDRE, "/v1/financeiro/categorias-dre", per_call, {}, page_size=None
        )


class CentrosDeCusto(Resource[C]):
    """Cost centres (``ca.centros_de_custo``)."""

    @paged
    def list(
        self,
        *,
        busca: str | None = None,
        filtro_rapido: str | None = None,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.CentroDeCusto]:
        """Cost centres, lazily; ``filtro_rapido`` is ``ATIVO``, ``INATIVO`` or ``TODOS``."""
        params = query(
            busca=busca,
            filtro_rapido=filtro_rapido,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.CentroDeCusto, "/v1/centro-de-custo", per_call, params, page_size=LARGEST_PAGE
        )

    @endpoint
    def create(
        self,
        record: m.CentroDeCustoCriacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.CentroDeCusto]:
        """Create a cost centre (``nome`` required, ``codigo`` optional)."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            "/v1/centro-de-custo",
            m.CentroDeCustoCriacao,
            record,
            written_parser(m.CentroDeCusto),
            whole=True,
        )


class Transferencias(Resource[C]):
    """Transfers between the company's financial accounts (``ca.transferencias``)."""

    @paged
    def list(
        self,
        *,
        data_inicio: date | None = None,
        data_fim: date | None = None,
        ids_conta_financeira: Sequence[str] | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.TransferenciaContaFinanceira]:
        """Transfers, lazily; ``ids_conta_financeira`` keeps those from or to any of them."""
        params = query(
            data_inicio=data_inicio, data_fim=data_fim, ids_conta_financeira=ids_conta_financeira
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.TransferenciaContaFinanceira,
            "/v1/financeiro/transferencias",
            per_call,
            params,
            page_size=LARGEST_PAGE,
        )


def _create_event(
    path: str,
    record: m.EventoFinanceiroCriacao | dict[str, Any],
    per_call: PerCall,
    wait: bool,
    wait_timeout: float,
) -> Step[Protocolo]:
    # The one write path checks the record; the protocol flow sends what it built.
    create = send_record(
        per_call, "POST", path, m.EventoFinanceiroCriacao, record, protocol_created, whole=True
    )
    return create_with_protocol(create.options, per_call, wait=wait, timeout_s=wait_timeout)


class ContasAReceber(Resource[C]):
    """Receivables (``ca.contas_a_receber``): create a financial event, find installments."""

    @endpoint
    def create(
        self,
        record: m.EventoFinanceiroCriacao | dict[str, Any],
        /,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_TIMEOUT_S,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Step[Protocolo]:
        """Create a receivable. The API queues it and answers a ``Protocolo``; with
        ``wait=True`` the protocol is polled (with backoff, up to ``wait_timeout`` seconds)
        until it settles: ``ProtocolFailed`` when the API refused the event,
        ``ProtocolTimeoutError`` when it never settled."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return _create_event(RECEIVABLES_PATH, record, per_call, wait, wait_timeout)

    @paged
    def list(
        self,
        *,
        data_vencimento_de: date,
        data_vencimento_ate: date,
        descricao: str | None = None,
        data_competencia_de: date | None = None,
        data_competencia_ate: date | None = None,
        data_pagamento_de: date | None = None,
        data_pagamento_ate: date | None = None,
        data_alteracao_de: datetime | None = None,
        data_alteracao_ate: datetime | None = None,
        valor_de: Decimal | None = None,
        valor_ate: Decimal | None = None,
        status: Sequence[str] | None = None,
        ids_contas_financeiras: Sequence[str] | None = None,
        ids_categorias: Sequence[str] | None = None,
        ids_centros_de_custo: Sequence[str] | None = None,
        ids_clientes: Sequence[str] | None = None,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.ContaAReceber]:
        """Receivable installments due in ``data_vencimento_de``..``data_vencimento_ate``
        (the API requires the range), lazily; ``data_alteracao_*`` are instants, sent as
        São Paulo local time."""
        params = query(
            data_vencimento_de=data_vencimento_de,
            data_vencimento_ate=data_vencimento_ate,
            descricao=descricao,
            data_competencia_de=data_competencia_de,
            data_competencia_ate=data_competencia_ate,
            data_pagamento_de=data_pagamento_de,
            data_pagamento_ate=data_pagamento_ate,
            data_alteracao_de=data_alteracao_de,
            data_alteracao_ate=data_alteracao_ate,
            valor_de=valor_de,
            valor_ate=valor_ate,
            status=status,
            ids_contas_financeiras=ids_contas_financeiras,
            ids_categorias=ids_categorias,
            ids_centros_de_custo=ids_centros_de_custo,
            ids_clientes=ids_clientes,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.ContaAReceber, f"{RECEIVABLES_PATH}/buscar", per_call, params, page_size=LARGEST_PAGE
        )


class ContasAPagar(Resource[C]):
    """Payables (``ca.contas_a_pagar``): create a financial event, find installments."""

    @endpoint
    def create(
        self,
        record: m.EventoFinanceiroCriacao | dict[str, Any],
        /,
        *,
        wait: bool = False,
        wait_timeout: float = DEFAULT_TIMEOUT_S,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Step[Protocolo]:
        """Create a payable; answers and waits as ``contas_a_receber.create`` does."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return _create_event(PAYABLES_PATH, record, per_call, wait, wait_timeout)

    @paged
    def list(
        self,
        *,
        data_vencimento_de: date,
        data_vencimento_ate: date,
        descricao: str | None = None,
        data_competencia_de: date | None = None,
        data_competencia_ate: date | None = None,
        data_pagamento_de: date | None = None,
        data_pagamento_ate: date | None = None,
        data_alteracao_de: datetime | None = None,
        data_alteracao_ate: datetime | None = None,
        valor_de: Decimal | None = None,
        valor_ate: Decimal | None = None,
        status: Sequence[str] | None = None,
        ids_contas_financeiras: Sequence[str] | None = None,
        ids_categorias: Sequence[str] | None = None,
        ids_centros_de_custo: Sequence[str] | None = None,
        campo_ordenado_ascendente: str | None = None,
        campo_ordenado_descendente: str | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.ContaAPagar]:
        """Payable installments due in ``data_vencimento_de``..``data_vencimento_ate``
        (the API requires the range), lazily; the filters are those of
        ``contas_a_receber.list`` without ``ids_clientes``."""
        params = query(
            data_vencimento_de=data_vencimento_de,
            data_vencimento_ate=data_vencimento_ate,
            descricao=descricao,
            data_competencia_de=data_competencia_de,
            data_competencia_ate=data_competencia_ate,
            data_pagamento_de=data_pagamento_de,
            data_pagamento_ate=data_pagamento_ate,
            data_alteracao_de=data_alteracao_de,
            data_alteracao_ate=data_alteracao_ate,
            valor_de=valor_de,
            valor_ate=valor_ate,
            status=status,
            ids_contas_financeiras=ids_contas_financeiras,
            ids_categorias=ids_categorias,
            ids_centros_de_custo=ids_centros_de_custo,
            campo_ordenado_ascendente=campo_ordenado_ascendente,
            campo_ordenado_descendente=campo_ordenado_descendente,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.ContaAPagar, f"{PAYABLES_PATH}/buscar", per_call, params, page_size=LARGEST_PAGE
        )


class Parcelas(Resource[C]):
    """Installments of receivables and payables (``ca.parcelas``)."""

    @paged
    def list_do_evento(
        self,
        id_evento: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.Parcela]:
        """The installments of one financial event (its UUID or legacy id), all at once."""
        path = (
            f"/v1/financeiro/eventos-financeiros/{PATH_SEGMENT_ID(id_evento, 'id_evento')}/parcelas"
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(m.Parcela, path, per_call, {}, page_size=None)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Parcela]:
        """One installment, with its event, acquittances and charges."""
        path = f"/v1/financeiro/eventos-financeiros/parcelas/{PATH_SEGMENT_ID(id, 'id')}"
        return read_call(PerCall(extra_headers, extra_query, timeout), path, m.Parcela)

    @endpoint
    def patch(
        self,
        id: str,
        changes: m.ParcelaAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.ParcelaAtualizada]:
        """Change some fields of an installment: only the fields set in ``changes`` are
        sent, with ``versao`` (required: the installment's current version)."""
        path = f"/v1/financeiro/eventos-financeiros/parcelas/{PATH_SEGMENT_ID(id, 'id')}"
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "PATCH",
            path,
            m.ParcelaAtualizacao,
            changes,
            written_parser(m.ParcelaAtualizada),
            whole=False,
        )


class EventosFinanceiros(Resource[C]):
    """Financial events across receivables and payables (``ca.eventos_financeiros``).

    The spec gives these two lists' ``tamanho_pagina`` no maximum; they ask for the
    financial API's largest page, as its other lists do.
    """

    @paged
    def alteracoes(
        self,
        *,
        data_inicio: datetime,
        data_fim: datetime,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.EventoFinanceiro]:
        """The ids of the financial events saved between two instants (sent as São Paulo
        local time), lazily. Saving without a change counts as a change."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.EventoFinanceiro,
            "/v1/financeiro/eventos-financeiros/alteracoes",
            per_call,
            query(data_inicio=data_inicio, data_fim=data_fim),
            page_size=LARGEST_PAGE,
        )

    @paged
    def saldos_iniciais(
        self,
        *,
        data_inicio: datetime,
        data_fim: datetime,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.SaldoInicialContaFinanceira]:
        """The financial accounts' opening balances in a period, lazily."""
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(
            m.SaldoInicialContaFinanceira,
            "/v1/financeiro/eventos-financeiros/saldo-inicial",
            per_call,
            query(data_inicio=data_inicio, data_fim=data_fim),
            page_size=LARGEST_PAGE,
        )


__all__ = [
    "Categorias",
    "CategoriasDre",
    "CentrosDeCusto",
    "ContasAPagar",
    "ContasAReceber",
    "ContasFinanceiras",
    "EventosFinanceiros",
    "FinancialAccountNotFound",
    "Parcelas",
    "Transferencias",
    "pick_account",
]
