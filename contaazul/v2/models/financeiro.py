"""The finance models of Conta Azul's API (``financial-openapi.yml``).

Field names are the wire names. Amounts are ``Decimal`` read from the JSON text, dates
``date``, instants aware (a naive time is São Paulo's, as the API documents). Statuses,
kinds and banks are plain ``str``: the server adds values, and an unknown one is kept.
Models are named as the spec names its schemas, without ``Request``/``Response``/``DTO``.
"""

from __future__ import annotations

from typing import Annotated

from sdkcore.models import (
    REQUIRED_ON_CREATE,
    APIModel,
    OptionalDate,
    OptionalInstant,
    OptionalMoney,
)
from sdkcore.write_checks import NON_NEGATIVE

# -- shared pieces -------------------------------------------------------------------------


class ComposicaoValor(APIModel):
    """How an amount is made up: gross, fees and fines, discount, net.

    The spec describes it four times (``ComposicaoValor``, ``ValorComposicao``,
    ``ComposicaoValorTransferencia`` and the acquittances' ``ValorComposicaoDTO``) with
    the same fields; one model reads them all. ``valor_bruto`` is required on writes.
    """

    valor_bruto: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    multa: Annotated[OptionalMoney, NON_NEGATIVE] = None
    juros: Annotated[OptionalMoney, NON_NEGATIVE] = None
    desconto: Annotated[OptionalMoney, NON_NEGATIVE] = None
    taxa: Annotated[OptionalMoney, NON_NEGATIVE] = None
    valor_liquido: Annotated[OptionalMoney, NON_NEGATIVE] = None


class PerdaFinanceira(APIModel):
    """An installment (or part of it) written off as lost."""

    data: OptionalDate = None
    valor: Annotated[OptionalMoney, NON_NEGATIVE] = None


# -- financial accounts ----------------------------------------------------------------------


class ContaFinanceira(APIModel):
    """A financial account (bank account, card, cash box "Caixinha", ...)."""

    id: str | None = None
    nome: str | None = None
    tipo: str | None = None
    banco: str | None = None
    codigo_banco: int | None = None
    ativo: bool | None = None
    conta_padrao: bool | None = None
    possui_config_boleto_bancario: bool | None = None
    agencia: str | None = None
    numero: str | None = None
    versao: int | None = None
    """Only where an installment carries its account (``ParcelaContaFinanceira``)."""


class SaldoAtual(APIModel):
    """The current balance of a financial account (``SaldoAtualResponse``)."""

    saldo_atual: OptionalMoney = None


class SaldoInicialContaFinanceira(APIModel):
    """A financial account's opening balance on a date; a negative one is a ``DESPESA``."""

    id_conta_financeira: str | None = None
    tipo: str | None = None
    data_competencia: OptionalDate = None
    saldo_inicial: OptionalMoney = None


class InstituicaoBancaria(APIModel):
    codigo: int | None = None
    nome: str | None = None


class ContaFinanceiraDetalhes(APIModel):
    """The account on one side of a transfer."""

    id: str | None = None
    nome: str | None = None
    instituicao_bancaria: InstituicaoBancaria | None = None


class Quitacao(APIModel):
    """One side of a transfer: when, how much, which account."""

    data: OptionalDate = None
    composicao_valor: ComposicaoValor | None = None
    conta_financeira: ContaFinanceiraDetalhes | None = None


class TransferenciaContaFinanceira(APIModel):
    """A transfer between two of the company's financial accounts."""

    id: str | None = None
    descricao: str | None = None
    valor: OptionalMoney = None
    data: OptionalDate = None
    origem: Quitacao | None = None
    destino: Quitacao | None = None


# -- categories, DRE, cost centres -----------------------------------------------------------


class Categoria(APIModel):
    """A revenue or expense category."""

    id: str | None = None
    versao: int | None = None
    nome: str | None = None
    categoria_pai: str | None = None
    tipo: str | None = None
    entrada_dre: str | None = None
    considera_custo_dre: bool | None = None


class SugestaoPadrao(APIModel):
    id: str | None = None
    nome: str | None = None


class ConfiguracaoPadraoCategoria(APIModel):
    """Which category an automatic operation (freight, fines, interest, ...) is booked to."""

    tipo_operacao: str | None = None
    id_categoria: str | None = None
    nome_categoria: str | None = None
    sugestao_padrao: SugestaoPadrao | None = None


class CategoriaFinanceira(APIModel):
    """A financial category as the DRE structure lists it."""

    id: str | None = None
    codigo: str | None = None
    nome: str | None = None
    ativo: bool | None = None


class CategoriaDRE(APIModel):
    """One line of the income statement (DRE), with its sub-lines and categories."""

    id: str | None = None
    descricao: str | None = None
    codigo: str | None = None
    posicao: int | None = None
    indica_totalizador: bool | None = None
    representa_soma_custo_medio: bool | None = None
    subitens: list[CategoriaDRE] | None = None
    categorias_financeiras: list[CategoriaFinanceira] | None = None


class EstruturaDRE(APIModel):
    """The whole DRE structure, as ``categorias_dre.list`` reads it in one answer."""

    itens: list[CategoriaDRE] | None = None


class CentroDeCusto(APIModel):
    """A cost centre."""

    id: str | None = None
    codigo: str | None = None
    nome: str | None = None
    ativo: bool | None = None


class CentroDeCustoCriacao(APIModel):
    """What creating a cost centre sends: a name and, optionally, a code."""

    codigo: str | None = None
    nome: Annotated[str | None, REQUIRED_ON_CREATE] = None


# -- receivables and payables ---------------------------------------------------------------


class CentroCustoRateio(APIModel):
    """The part of a category's amount booked to one cost centre."""

    id_centro_custo: str | None = None
    valor: Annotated[OptionalMoney, NON_NEGATIVE] = None


class CategoriaRateio(APIModel):
    """The part of an event's amount booked to one category."""

    id_categoria: Annotated[str | None, REQUIRED_ON_CREATE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    rateio_centro_custo: list[CentroCustoRateio] | None = None


class ParcelaCondicaoPagamento(APIModel):
    """One installment of a new receivable or payable."""

    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    data_vencimento: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    nota: Annotated[str | None, REQUIRED_ON_CREATE] = None
    conta_financeira: Annotated[str | None, REQUIRED_ON_CREATE] = None
    detalhe_valor: Annotated[ComposicaoValor | None, REQUIRED_ON_CREATE] = None
    metodo_pagamento: str | None = None


class ListaCondicaoPagamento(APIModel):
    """The installments a new receivable or payable is paid in."""

    parcelas: Annotated[list[ParcelaCondicaoPagamento] | None, REQUIRED_ON_CREATE] = None


class EventoFinanceiroCriacao(APIModel):
    """A new receivable (``contas_a_receber.create``) or payable (``contas_a_pagar.create``).

    The spec's ``EventoFinanceiroRequest``; ``contato`` and ``conta_financeira`` are ids.
    """

    data_competencia: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    observacao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    contato: Annotated[str | None, REQUIRED_ON_CREATE] = None
    conta_financeira: Annotated[str | None, REQUIRED_ON_CREATE] = None
    rateio: list[CategoriaRateio] | None = None
    condicao_pagamento: Annotated[ListaCondicaoPagamento | None, REQUIRED_ON_CREATE] = None


class Negociador(APIModel):
    """The customer of a receivable or the supplier of a payable
    (``NegociadorContaAPagarOuReceber``)."""

    id: str | None = None
    nome: str | None = None


class CategoriaParcela(APIModel):
    id: str | None = None
    nome: str | None = None


class CentroCustoParcela(APIModel):
    id: str | None = None
    nome: str | None = None


class RenegociacaoContaAReceber(APIModel):
    id: str | None = None
    valor: OptionalMoney = None
    id_evento: str | None = None


class _ContaAPagarOuReceber(APIModel):
    """What a found receivable and a found payable installment share."""

    id: str | None = None
    descricao: str | None = None
    data_vencimento: OptionalDate = None
    status: str | None = None
    status_traduzido: str | None = None
    total: OptionalMoney = None
    nao_pago: OptionalMoney = None
    pago: OptionalMoney = None
    data_criacao: OptionalInstant = None
    data_alteracao: OptionalInstant = None
    data_competencia: OptionalDate = None
    categorias: list[CategoriaParcela] | None = None
    centros_custo: list[CentroCustoParcela] | None = None


class ContaAReceber(_ContaAPagarOuReceber):
    """A receivable installment, as ``contas_a_receber.list`` finds it."""

    cliente: Negociador | None = None
    renegociacao: RenegociacaoContaAReceber | None = None


class ContaAPagar(_ContaAPagarOuReceber):
    """A payable installment, as ``contas_a_pagar.list`` finds it."""

    fornecedor: Negociador | None = None


# -- installments -------------------------------------------------------------------------


class RateioCentroCusto(APIModel):
    id_centro_custo: str | None = None
    nome_centro_custo: str | None = None
    valor: OptionalMoney = None


class Rateio(APIModel):
    """An event's amount split by category, as an installment shows it."""

    id_categoria: str | None = None
    nome_categoria: str | None = None
    valor: OptionalMoney = None
    valor_bruto: OptionalMoney = None
    rateio_centro_custo: list[RateioCentroCusto] | None = None


class CondicaoPagamento(APIModel):
    quantidade_parcelas: int | None = None
    montante_fixo: bool | None = None


class ReferenciaEvento(APIModel):
    """Where a financial event came from (a sale, a purchase, a manual entry, ...); the
    spec's ``Referencia`` of an ``Evento``."""

    id: str | None = None
    revisao: str | None = None
    origem: str | None = None


class Evento(APIModel):
    """The financial event an installment belongs to."""

    id: str | None = None
    data_competencia: OptionalDate = None
    condicao_pagamento: CondicaoPagamento | None = None
    referencia: ReferenciaEvento | None = None
    agendado: bool | None = None
    tipo: str | None = None
    codigo_referencia: str | None = None
    rateio: list[Rateio] | None = None


class AnexoBaixa(APIModel):
    """A file or link attached to an acquittance (a receipt)."""

    id: str | None = None
    referencia: str | None = None
    nome: str | None = None
    descricao: str | None = None
    tipo: str | None = None
    tipo_conteudo: str | None = None
    url: str | None = None


class BaixaDaParcela(APIModel):
    """An acquittance as an installment embeds it (the financial spec's ``Baixa``): its
    ``conta_financeira`` is the whole account, where ``baixas.get`` answers an id."""

    id: str | None = None
    versao: int | None = None
    data_pagamento: OptionalDate = None
    valor_composicao: ComposicaoValor | None = None
    conta_financeira: ContaFinanceira | None = None
    id_reconciliacao: str | None = None
    id_parcela: str | None = None
    id_solicitacao_cobranca: str | None = None
    observacao: str | None = None
    metodo_pagamento: str | None = None
    origem: str | None = None
    id_recibo_digital: str | None = None
    tipo_evento_financeiro: str | None = None
    nsu: str | None = None
    id_referencia: str | None = None
    atualizado_em: OptionalInstant = None
    anexos: list[AnexoBaixa] | None = None


class AnexoParcela(APIModel):
    id: str | None = None
    versao: int | None = None
    descricao: str | None = None
    nome: str | None = None
    url: str | None = None
    tipo_conteudo: str | None = None
    referencia: str | None = None
    tipo_anexo: str | None = None
    id_parcela: str | None = None


class ItemNotificacaoCobranca(APIModel):
    id: str | None = None
    versao: int | None = None
    email: str | None = None
    sms: str | None = None
    whatsapp: str | None = None
    status_entrega: str | None = None


class NotificacaoCobranca(APIModel):
    """The reminder sent about a charge."""

    id: str | None = None
    solicitacao_cobranca_ids: list[str] | None = None
    versao: int | None = None
    enviado_em: OptionalDate = None
    aberto_em: OptionalDate = None
    itens_notificacao_cobranca: list[ItemNotificacaoCobranca] | None = None
    assunto: str | None = None
    corpo: str | None = None
    respondido_para: str | None = None
    agendado: bool | None = None
    auto_notificacao: bool | None = None
    envio_instantaneo: bool | None = None


class SolicitacaoCobranca(APIModel):
    """A charge (boleto, payment link, Pix) requested for an installment."""

    id: str | None = None
    versao: int | None = None
    status_solicitacao_cobranca: str | None = None
    valor_composicao: ComposicaoValor | None = None
    data_vencimento: OptionalDate = None
    data_quitacao: OptionalDate = None
    tipo_solicitacao_cobranca: str | None = None
    id_cliente: str | None = None
    id_referencia: str | None = None
    url: str | None = None
    detalhe_erro: str | None = None
    conta_financeira: ContaFinanceira | None = None
    notificacao_cobranca: NotificacaoCobranca | None = None
    confirmado_em: OptionalDate = None
    descricao: str | None = None
    referencia_externa: str | None = None
    recuperado: bool | None = None
    combinado: bool | None = None
    atributos_personalizados: str | None = None


class Fatura(APIModel):
    """The invoice an installment was billed on."""

    numero: int | None = None
    rps: int | None = None
    tipo_fatura: str | None = None


class Renegociacao(APIModel):
    id: str | None = None
    valor: OptionalMoney = None


class Parcela(APIModel):
    """One installment of a receivable or payable, with its event, acquittances and
    charges (``parcelas.get``, ``parcelas.list_do_evento``)."""

    id: str | None = None
    versao: int | None = None
    evento: Evento | None = None
    referencia: str | None = None
    indice: int | None = None
    conciliado: bool | None = None
    status: str | None = None
    valor_pago: OptionalMoney = None
    perda: PerdaFinanceira | None = None
    nao_pago: OptionalMoney = None
    data_vencimento: OptionalDate = None
    data_pagamento_previsto: OptionalDate = None
    descricao: str | None = None
    nota: str | None = None
    conta_financeira: ContaFinanceira | None = None
    id_conta_financeira: str | None = None
    valor_composicao: ComposicaoValor | None = None
    metodo_pagamento: str | None = None
    nsu: str | None = None
    baixa_agendada: bool | None = None
    baixas: list[BaixaDaParcela] | None = None
    anexos: list[AnexoParcela] | None = None
    solicitacoes_cobrancas: list[SolicitacaoCobranca] | None = None
    id_ultima_solicitacao_pagamento: str | None = None
    id_boleto_bancario_autorizado: str | None = None
    fatura: Fatura | None = None
    data_alteracao: OptionalInstant = None
    valor_total_liquido: OptionalMoney = None
    id_ultimo_solicitacao_cobranca: str | None = None
    renegociacao: Renegociacao | None = None


class ParcelaAtualizacao(APIModel):
    """The fields ``parcelas.patch`` changes; ``versao`` is the installment's current one
    (the API refuses a stale version rather than overwrite a change it did not see)."""

    versao: int | None = None
    nota: str | None = None
    descricao: str | None = None
    vencimento: OptionalDate = None
    composicao_valor: ComposicaoValor | None = None
    data_pagamento_esperado: OptionalDate = None
    metodo_pagamento: str | None = None
    perda: PerdaFinanceira | None = None
    nsu: str | None = None
    pagamento_agendado: bool | None = None
    id_conta_financeira: str | None = None


class ParcelaAtualizada(APIModel):
    """An installment after ``parcelas.patch``, with its new ``versao``."""

    versao: int | None = None
    nota: str | None = None
    descricao: str | None = None
    vencimento: OptionalDate = None
    composicao_valor: ComposicaoValor | None = None
    data_pagamento_esperado: OptionalDate = None
    metodo_pagamento: str | None = None
    perda: PerdaFinanceira | None = None
    nsu: str | None = None
    pagamento_agendado: bool | None = None
    conta_financeira: ContaFinanceira | None = None


class EventoFinanceiro(APIModel):
    """A financial event changed in a period: its id (``eventos_financeiros.alteracoes``)."""

    id: str | None = None


__all__ = [
    "AnexoBaixa",
    "AnexoParcela",
    "BaixaDaParcela",
    "Categoria",
    "CategoriaDRE",
    "CategoriaFinanceira",
    "CategoriaParcela",
    "CategoriaRateio",
    "CentroCustoParcela",
    "CentroCustoRateio",
    "CentroDeCusto",
    "CentroDeCustoCriacao",
    "ComposicaoValor",
    "CondicaoPagamento",
    "ConfiguracaoPadraoCategoria",
    "ContaAPagar",
    "ContaAReceber",
    "ContaFinanceira",
    "ContaFinanceiraDetalhes",
    "EstruturaDRE",
    "Evento",
    "EventoFinanceiro",
    "EventoFinanceiroCriacao",
    "Fatura",
    "InstituicaoBancaria",
    "ItemNotificacaoCobranca",
    "ListaCondicaoPagamento",
    "Negociador",
    "NotificacaoCobranca",
    "Parcela",
    "ParcelaAtualizacao",
    "ParcelaAtualizada",
    "ParcelaCondicaoPagamento",
    "PerdaFinanceira",
    "Quitacao",
    "Rateio",
    "RateioCentroCusto",
    "ReferenciaEvento",
    "Renegociacao",
    "RenegociacaoContaAReceber",
    "SaldoAtual",
    "SaldoInicialContaFinanceira",
    "SolicitacaoCobranca",
    "TransferenciaContaFinanceira",
]
