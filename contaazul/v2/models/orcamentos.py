"""The quotation models of Conta Azul's API (``proposal-openapi.yml``).

Field names are the wire names. Amounts and quantities are ``Decimal`` read from the JSON
text, dates ``date``, instants aware (naive times are São Paulo's). Statuses are ``str``.
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
from sdkcore.write_checks import NON_NEGATIVE, POSITIVE


class ClienteOrcamento(APIModel):
    """``ClienteOrcamento`` of proposal-openapi.yml."""

    email: str | None = None
    id: str | None = None
    nome: str | None = None


class DescontoOrcamento(APIModel):
    """``DescontoOrcamento`` of proposal-openapi.yml."""

    tipo: str | None = None
    valor: OptionalMoney = None


class ComposicaoValorOrcamento(APIModel):
    """``ComposicaoValorOrcamento`` of proposal-openapi.yml."""

    desconto: DescontoOrcamento | None = None
    frete: OptionalMoney = None


class DescontoOrcamentoCriacao(APIModel):
    """``CriarDescontoOrcamento`` of proposal-openapi.yml."""

    tipo: str | None = None
    valor: Annotated[OptionalMoney, NON_NEGATIVE] = None


class ComposicaoValorOrcamentoCriacao(APIModel):
    """``CriarComposicaoValorOrcamento`` of proposal-openapi.yml."""

    desconto: DescontoOrcamentoCriacao | None = None
    frete: Annotated[OptionalMoney, NON_NEGATIVE] = None


class ItemOrcamentoCriacao(APIModel):
    """``CriarItemOrcamento`` of proposal-openapi.yml."""

    id: Annotated[str | None, REQUIRED_ON_CREATE] = None
    quantidade: Annotated[OptionalMoney, POSITIVE] = None
    valor: Annotated[OptionalMoney, POSITIVE] = None
    valor_custo: Annotated[OptionalMoney, NON_NEGATIVE] = None


class OrcamentoCriacao(APIModel):
    """``CriarOrcamento`` of proposal-openapi.yml."""

    composicao_de_valor: ComposicaoValorOrcamentoCriacao | None = None
    data_orcamento: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    data_validade: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    descricao: str | None = None
    id_cliente: Annotated[str | None, REQUIRED_ON_CREATE] = None
    id_vendedor: str | None = None
    itens: Annotated[list[ItemOrcamentoCriacao] | None, REQUIRED_ON_CREATE] = None
    observacoes: str | None = None
    observacoes_pagamento: str | None = None
    previsao_entrega: str | None = None


class ExclusaoLoteOrcamento(APIModel):
    """``ExclusaoLoteOrcamento`` of proposal-openapi.yml."""

    ids: Annotated[list[str] | None, REQUIRED_ON_CREATE] = None


class ItemOrcamento(APIModel):
    """``ItemOrcamento`` of proposal-openapi.yml."""

    custo: OptionalMoney = None
    descricao: str | None = None
    id: str | None = None
    nome: str | None = None
    quantidade: OptionalMoney = None
    tipo: str | None = None
    valor: OptionalMoney = None


class OrcamentoListado(APIModel):
    """``ItemOrcamentoPorFiltro`` of proposal-openapi.yml."""

    cliente: ClienteOrcamento | None = None
    data_alteracao: OptionalInstant = None
    data_criacao: OptionalInstant = None
    data_orcamento: OptionalDate = None
    id: str | None = None
    id_contrato: str | None = None
    itens: str | None = None
    numero: int | None = None
    origem: str | None = None
    situacao: str | None = None
    total: OptionalMoney = None
    versao: int | None = None


class ListagemOrcamentos(APIModel):
    """``ListagemOrcamentosPorFiltro`` of proposal-openapi.yml."""

    itens: list[OrcamentoListado] | None = None
    total_itens: int | None = None


class Orcamento(APIModel):
    """``Orcamento`` of proposal-openapi.yml."""

    composicao_de_valor: ComposicaoValorOrcamento | None = None
    data_orcamento: OptionalDate = None
    data_validade: OptionalDate = None
    descricao: str | None = None
    id: str | None = None
    id_cliente: str | None = None
    id_vendedor: str | None = None
    itens: list[ItemOrcamento] | None = None
    numero: int | None = None
    observacoes: str | None = None
    observacoes_pagamento: str | None = None
    previsao_entrega: str | None = None
    situacao: str | None = None
    versao: int | None = None


class OrcamentoCriado(APIModel):
    """``ResumoCriacaoOrcamento`` of proposal-openapi.yml."""

    id: str | None = None
