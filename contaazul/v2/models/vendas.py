"""The sales models of Conta Azul's API (``sales-openapi.yml``).

Field names are the wire names; a class is named as the spec names its schema, except where
the name would clash across ``contaazul.v2.models`` (the spec's ``Item``, ``Cliente``,
``Totais``, ``ComposicaoValor``, ``CondicaoPagamento``, ``Contrato`` and ``Situacao`` end in
``Venda``/``DaVenda`` here). Amounts and quantities are ``Decimal`` read from the JSON text,
dates ``date``, instants aware (naive times are São Paulo's). Statuses and kinds are ``str``.
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


class ExclusaoLoteVenda(APIModel):
    """``ExclusaoLote`` of sales-openapi.yml."""

    ids: Annotated[list[str] | None, REQUIRED_ON_CREATE] = None


class ItemDaVenda(APIModel):
    """``Item`` of sales-openapi.yml."""

    id: str | None = None
    id_item: str | None = None
    nome: str | None = None
    descricao: str | None = None
    tipo: str | None = None
    quantidade: OptionalMoney = None
    valor: OptionalMoney = None
    custo: OptionalMoney = None


class TotaisItensVenda(APIModel):
    """``Totais`` of sales-openapi.yml."""

    quantidade_produtos: int | None = None
    quantidade_servicos: int | None = None
    quantidade_nao_conciliados: int | None = None


class ItensPaginados(APIModel):
    """``ItensPaginados`` of sales-openapi.yml."""

    itens: list[ItemDaVenda] | None = None
    itens_totais: int | None = None
    totais: TotaisItensVenda | None = None


class ClienteVendaDetalhe(APIModel):
    """``ClientePegarVendaPorId`` of sales-openapi.yml."""

    uuid: str | None = None
    tipo_pessoa: str | None = None
    documento: str | None = None
    nome: str | None = None


class EventoFinanceiroDaVenda(APIModel):
    """an inline object of sales-openapi.yml."""

    id: str | None = None


class Notificacao(APIModel):
    """``Notificacao`` of sales-openapi.yml."""

    id_referencia: str | None = None
    enviado_para: str | None = None
    enviado_em: OptionalInstant = None
    aberto_em: OptionalInstant = None
    status: str | None = None


class NaturezaOperacao(APIModel):
    """``NaturezaOperacao`` of sales-openapi.yml."""

    uuid: str | None = None
    tipo_operacao: str | None = None
    template_operacao: str | None = None
    label: str | None = None
    mudanca_financeira: bool | None = None
    mudanca_estoque: str | None = None


class ConfiguracaoDesconto(APIModel):
    """``ConfiguracaoDesconto`` of sales-openapi.yml."""

    tipo_desconto: str | None = None
    taxa_desconto: OptionalMoney = None


class ComposicaoValorVenda(APIModel):
    """``ComposicaoValor`` of sales-openapi.yml."""

    valor_bruto: OptionalMoney = None
    desconto: OptionalMoney = None
    frete: OptionalMoney = None
    impostos: OptionalMoney = None
    impostos_deduzidos: OptionalMoney = None
    seguro: OptionalMoney = None
    despesas_incidentais: OptionalMoney = None
    valor_liquido: OptionalMoney = None


class ParcelaNegociacao(APIModel):
    """``ParcelaNegociacao`` of sales-openapi.yml."""

    id: str | None = None
    numero: int | None = None
    data_vencimento: OptionalDate = None
    valor: OptionalMoney = None
    descricao: str | None = None


class PagamentoCartao(APIModel):
    """``PagamentoCartao`` of sales-openapi.yml."""

    tipo_bandeira: str | None = None
    codigo_transacao: str | None = None
    id_adquirente: int | None = None


class CondicaoPagamentoVenda(APIModel):
    """``CondicaoPagamento`` of sales-openapi.yml."""

    tipo_pagamento: str | None = None
    id_conta_financeira: str | None = None
    pagamento_a_vista: bool | None = None
    parcelas: list[ParcelaNegociacao] | None = None
    observacoes_pagamento: str | None = None
    opcao_condicao_pagamento: str | None = None
    nsu: str | None = None
    pagamento_cartao: PagamentoCartao | None = None


class ItensTotaisNegociacao(APIModel):
    """``ItensTotaisNegociacao`` of sales-openapi.yml."""

    contagem_produtos: int | None = None
    contagem_servicos: int | None = None
    contagem_nao_conciliados: int | None = None


class TipoPendente(APIModel):
    """``TipoPendente`` of sales-openapi.yml."""

    nome: str | None = None
    descricao: str | None = None


class SituacaoNegociacao(APIModel):
    """``SituacaoNegociacao`` of sales-openapi.yml."""

    nome: str | None = None
    descricao: str | None = None
    ativado: bool | None = None


class Negociacao(APIModel):
    """``Negociacao`` of sales-openapi.yml."""

    id: str | None = None
    status: str | None = None
    id_legado: int | None = None
    tipo_negociacao: str | None = None
    numero: int | None = None
    id_categoria: str | None = None
    data_compromisso: OptionalDate = None
    configuracao_de_desconto: ConfiguracaoDesconto | None = None
    composicao_valor: ComposicaoValorVenda | None = None
    condicao_pagamento: CondicaoPagamentoVenda | None = None
    total_itens: ItensTotaisNegociacao | None = None
    observacoes: str | None = None
    id_cliente: str | None = None
    versao: int | None = None
    tipo_pendencia: TipoPendente | None = None
    situacao: SituacaoNegociacao | None = None
    id_natureza_operacao: str | None = None
    id_centro_custo: str | None = None
    introducao: str | None = None
    origem: str | None = None


class Vendedor(APIModel):
    """``Vendedor`` of sales-openapi.yml."""

    id: str | None = None
    nome: str | None = None
    id_legado: int | None = None


class ContratoDaVenda(APIModel):
    """``Contrato`` of sales-openapi.yml."""

    uuid: str | None = None
    data_inicio: OptionalDate = None
    data_fim: OptionalDate = None
    dia_vencimento: int | None = None
    periodo: str | None = None
    periodicidade: int | None = None


class VendaDetalhe(APIModel):
    """``ObterVendaResponse`` of sales-openapi.yml."""

    cliente: ClienteVendaDetalhe | None = None
    evento_financeiro: EventoFinanceiroDaVenda | None = None
    notificacao: Notificacao | None = None
    natureza_operacao: NaturezaOperacao | None = None
    venda: Negociacao | None = None
    vendedor: Vendedor | None = None
    contrato: ContratoDaVenda | None = None


class TotaisVenda(APIModel):
    """``TotaisVenda`` of sales-openapi.yml."""

    total: OptionalMoney = None
    aprovado: OptionalMoney = None
    cancelado: OptionalMoney = None
    esperando_aprovacao: OptionalMoney = None


class QuantidadesVenda(APIModel):
    """``QuantidadesVenda`` of sales-openapi.yml."""

    total: OptionalMoney = None
    aprovado: OptionalMoney = None
    cancelado: OptionalMoney = None
    esperando_aprovacao: OptionalMoney = None


class ClienteVenda(APIModel):
    """``Cliente`` of sales-openapi.yml."""

    id: str | None = None
    nome: str | None = None
    email: str | None = None
    telefone: str | None = None
    endereco: str | None = None
    cidade: str | None = None
    estado: str | None = None
    pais: str | None = None
    cep: str | None = None


class SituacaoVenda(APIModel):
    """``Situacao`` of sales-openapi.yml."""

    nome: str | None = None
    descricao: str | None = None


class StatusEmailVenda(APIModel):
    """an inline object of sales-openapi.yml."""

    status: str | None = None
    enviado_em: OptionalDate = None


class Venda(APIModel):
    """``Venda`` of sales-openapi.yml."""

    id: str | None = None
    total: OptionalMoney = None
    id_legado: int | None = None
    data: OptionalDate = None
    criado_em: OptionalInstant = None
    data_alteracao: OptionalInstant = None
    tipo: str | None = None
    itens: str | None = None
    condicao_pagamento: bool | None = None
    numero: int | None = None
    cliente: ClienteVenda | None = None
    situacao: SituacaoVenda | None = None
    versao: int | None = None
    status_email: StatusEmailVenda | None = None
    id_contrato: str | None = None
    origem: str | None = None


class ListagemVendas(APIModel):
    """``ListagemVendasResponse`` of sales-openapi.yml."""

    totais: TotaisVenda | None = None
    quantidades: QuantidadesVenda | None = None
    total_itens: int | None = None
    itens: list[Venda] | None = None


class ItemKitCriacao(APIModel):
    """``ItemKitRequest`` of sales-openapi.yml."""

    id_produto: Annotated[str | None, REQUIRED_ON_CREATE] = None
    id_kit: Annotated[str | None, REQUIRED_ON_CREATE] = None
    quantidade: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None


class ItemVendaCriacao(APIModel):
    """``ItemVendaRequest`` of sales-openapi.yml."""

    descricao: str | None = None
    quantidade: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    id: Annotated[str | None, REQUIRED_ON_CREATE] = None
    valor_custo: Annotated[OptionalMoney, NON_NEGATIVE] = None
    itens_kit: list[ItemKitCriacao] | None = None


class DescontoVendaCriacao(APIModel):
    """``DiscountMonolithTranslatedDTO`` of sales-openapi.yml."""

    tipo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None


class ComposicaoValorVendaCriacao(APIModel):
    """``ValorComposicaoRequest`` of sales-openapi.yml."""

    frete: Annotated[OptionalMoney, NON_NEGATIVE] = None
    desconto: DescontoVendaCriacao | None = None


class ParcelaVendaCriacao(APIModel):
    """``ParcelaRequest`` of sales-openapi.yml."""

    data_vencimento: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    descricao: str | None = None


class CondicaoPagamentoVendaCriacao(APIModel):
    """``CondicaoPagamentoRequest`` of sales-openapi.yml."""

    tipo_pagamento: str | None = None
    id_conta_financeira: str | None = None
    opcao_condicao_pagamento: Annotated[str | None, REQUIRED_ON_CREATE] = None
    nsu: str | None = None
    parcelas: Annotated[list[ParcelaVendaCriacao] | None, REQUIRED_ON_CREATE] = None


class VendaCriacao(APIModel):
    """``CriacaoVendaRequest`` of sales-openapi.yml."""

    id_cliente: Annotated[str | None, REQUIRED_ON_CREATE] = None
    numero: Annotated[int | None, REQUIRED_ON_CREATE] = None
    situacao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    data_venda: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    id_categoria: str | None = None
    id_centro_custo: str | None = None
    id_vendedor: str | None = None
    observacoes: str | None = None
    observacoes_pagamento: str | None = None
    itens: Annotated[list[ItemVendaCriacao] | None, REQUIRED_ON_CREATE] = None
    composicao_de_valor: ComposicaoValorVendaCriacao | None = None
    condicao_pagamento: Annotated[CondicaoPagamentoVendaCriacao | None, REQUIRED_ON_CREATE] = None


class SituacaoVendaCriada(APIModel):
    """``SituacaoResponse`` of sales-openapi.yml."""

    nome: str | None = None
    descricao: str | None = None


class TipoPendenciaVendaCriada(APIModel):
    """``TipoPendenciaResponse`` of sales-openapi.yml."""

    nome: str | None = None
    descricao: str | None = None


class ComposicaoValorVendaCriada(APIModel):
    """``ComposicaoValorResponse`` of sales-openapi.yml."""

    valor_bruto: OptionalMoney = None
    desconto: DescontoVendaCriacao | None = None
    frete: OptionalMoney = None
    valor_liquido: OptionalMoney = None


class ParcelaVendaCriada(APIModel):
    """``ParcelaResponse`` of sales-openapi.yml."""

    data_vencimento: OptionalDate = None
    valor: OptionalMoney = None
    descricao: str | None = None
    numero: int | None = None


class CondicaoPagamentoVendaCriada(APIModel):
    """``CondicaoPagamentoResponse`` of sales-openapi.yml."""

    id_legado: int | None = None
    tipo_pagamento: str | None = None
    id_conta_financeira: str | None = None
    opcao_condicao_pagamento: str | None = None
    parcelas: list[ParcelaVendaCriada] | None = None
    observacoes_pagamento: str | None = None
    nsu: str | None = None
    troco_total: OptionalMoney = None


class VendaCriada(APIModel):
    """``CriacaoVendaResponse`` of sales-openapi.yml."""

    id: str | None = None
    id_legado: int | None = None
    id_cliente: str | None = None
    numero: int | None = None
    origem: str | None = None
    id_categoria: str | None = None
    data_venda: OptionalInstant = None
    situacao: SituacaoVendaCriada | None = None
    pendencia: TipoPendenciaVendaCriada | None = None
    valor_composicao: ComposicaoValorVendaCriada | None = None
    condicao_pagamento: CondicaoPagamentoVendaCriada | None = None
    observacoes: str | None = None
    id_vendedor: str | None = None
    versao: int | None = None


class ExclusaoVendas(APIModel):
    """``ExclusaoResponse`` of sales-openapi.yml."""

    atualizados: int | None = None
    ignorados: int | None = None


class VendaAtualizacao(APIModel):
    """``VendaParaEdicaoRequest`` of sales-openapi.yml."""

    id_cliente: Annotated[str | None, REQUIRED_ON_CREATE] = None
    id_vendedor: str | None = None
    numero: Annotated[int | None, REQUIRED_ON_CREATE] = None
    data_venda: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    situacao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    observacoes: str | None = None
    observacoes_pagamento: str | None = None
    id_natureza_operacao: str | None = None
    versao: Annotated[int | None, REQUIRED_ON_CREATE] = None
    itens: Annotated[list[ItemVendaCriacao] | None, REQUIRED_ON_CREATE] = None
    composicao_de_valor: ComposicaoValorVendaCriacao | None = None
    condicao_pagamento: Annotated[CondicaoPagamentoVendaCriacao | None, REQUIRED_ON_CREATE] = None


class VendaAtualizada(APIModel):
    """``VendaEditadaResponse`` of sales-openapi.yml."""

    id: str | None = None
    id_legado: int | None = None
