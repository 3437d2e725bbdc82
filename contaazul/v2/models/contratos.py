"""The contract (recurring sale) models of Conta Azul's API.

Two spec files describe ``/v1/contratos``: ``contracts-openapi.yml`` (create, list, next
number) and ``scheduled-sales-openapi.yml`` (the same three plus get, delete and close), with
different schema names and a few different fields. One model serves both descriptions:

- a create sends ``CriarContrato``: the fields of both request schemas (``CriarContrato`` and
  ``ContratoToCreateRequest``; only the latter has ``data_emissao``), and what either file
  requires is required, so every body the client sends is valid against both;
- the list's records are ``ItemContrato`` (its fields include every field of the other
  file's ``ListagemContratoItemResponse``), in either envelope (``{itens_totais, itens}`` or
  ``{itens_totais, items}``);
- the create's answer is ``ResumoCriacaoContrato`` (``ContratoToCreateResponse`` has the
  same fields), whether it comes as 200 or 201;
- the three ``{id, nome}`` client schemas are one ``ClienteContrato``.

Field names are the wire names; amounts and quantities are ``Decimal``, dates ``date``.
"""

from __future__ import annotations

from typing import Annotated

from sdkcore.models import REQUIRED_ON_CREATE, APIModel, OptionalDate, OptionalMoney
from sdkcore.write_checks import NON_NEGATIVE

# -- reads -------------------------------------------------------------------------------------


class ClienteContrato(APIModel):
    """The customer of a contract (``ClienteContrato``, ``ClienteResumo``,
    ``ClienteContratoResponse``)."""

    id: str | None = None
    nome: str | None = None


class ContaFinanceiraContrato(APIModel):
    """The financial account a contract's sales are charged to."""

    id: str | None = None
    tipo: str | None = None


class TermosContrato(APIModel):
    """How long a listed contract runs (``TermosContrato``)."""

    data_fim: OptionalDate = None
    tipo_expiracao: str | None = None
    vigencia_atual: int | None = None
    vigencia_total: int | None = None


class ContratoListado(APIModel):
    """A contract in the list (``ItemContrato``; also reads ``ListagemContratoItemResponse``)."""

    id: str | None = None
    numero: int | None = None
    cliente: ClienteContrato | None = None
    status: str | None = None
    data_inicio: OptionalDate = None
    proximo_vencimento: OptionalDate = None
    conta_financeira: ContaFinanceiraContrato | None = None
    termos: TermosContrato | None = None
    tipo_pagamento: str | None = None
    total: OptionalMoney = None
    total_proximo_vencimento: OptionalMoney = None


class ListagemContratos(APIModel):
    """A page of the list, in either file's envelope (``itens`` or ``items``)."""

    itens: list[ContratoListado] | None = None
    items: list[ContratoListado] | None = None
    itens_totais: int | None = None


class ComposicaoValorResumo(APIModel):
    """A contract's amounts (gross, discount, freight, service taxes, net)."""

    valor_bruto: OptionalMoney = None
    desconto: OptionalMoney = None
    frete: OptionalMoney = None
    valor_impostos_servico: OptionalMoney = None
    valor_liquido: OptionalMoney = None


class CondicaoPagamentoResumo(APIModel):
    """How a contract's sales are paid."""

    dia_vencimento: int | None = None
    nome_conta_financeira: str | None = None
    observacoes_pagamento: str | None = None
    tipo_pagamento: str | None = None


class ConfiguracaoRecorrenciaResumo(APIModel):
    vigencia_restante: int | None = None
    vigencia_total: int | None = None


class LocalPrestacaoServicoResumo(APIModel):
    nome: str | None = None


class TermosResumo(APIModel):
    """A contract's terms as ``get`` answers them."""

    numero: int | None = None
    data_inicio: OptionalDate = None
    data_fim: OptionalDate = None
    dia_emissao_venda: int | None = None
    intervalo_frequencia: int | None = None
    tipo_expiracao: str | None = None
    tipo_frequencia: str | None = None


class VendedorResumo(APIModel):
    id: str | None = None
    nome: str | None = None


class Contrato(APIModel):
    """One contract (``GET /v1/contratos/{id}``)."""

    id: str | None = None
    status: str | None = None
    cliente: ClienteContrato | None = None
    vendedor: VendedorResumo | None = None
    termos: TermosResumo | None = None
    composicao_valor: ComposicaoValorResumo | None = None
    condicao_pagamento: CondicaoPagamentoResumo | None = None
    configuracao_recorrencia: ConfiguracaoRecorrenciaResumo | None = None
    local_prestacao_servico: LocalPrestacaoServicoResumo | None = None
    data_proxima_emissao: OptionalDate = None
    data_proximo_vencimento: OptionalDate = None
    data_ultima_emissao: OptionalDate = None
    id_proxima_venda_agendada: str | None = None
    id_ultima_venda_confirmada: str | None = None
    observacoes: str | None = None


class ContratoCriado(APIModel):
    """The answer to a create: the contract and its first sale (``ContratoToCreateResponse``
    has the same fields)."""

    id: str | None = None
    id_legado: int | None = None
    id_venda: str | None = None


# -- the create --------------------------------------------------------------------------------


class DescontoContratoCriacao(APIModel):
    """A discount: ``tipo`` (``VALOR`` or ``PORCENTAGEM``) and ``valor``."""

    tipo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None


class ComposicaoValorContratoCriacao(APIModel):
    desconto: DescontoContratoCriacao | None = None
    frete: Annotated[OptionalMoney, NON_NEGATIVE] = None


class CondicaoPagamentoContratoCriacao(APIModel):
    """How the contract's sales are paid; scheduled-sales requires ``tipo_pagamento`` too."""

    tipo_pagamento: Annotated[str | None, REQUIRED_ON_CREATE] = None
    id_conta_financeira: str | None = None
    dia_vencimento: Annotated[int | None, REQUIRED_ON_CREATE] = None
    primeira_data_vencimento: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None


class ItemContratoCriacao(APIModel):
    """A product or service the contract sells each period (``id`` is the item's)."""

    id: Annotated[str | None, REQUIRED_ON_CREATE] = None
    descricao: str | None = None
    quantidade: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    valor: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    valor_custo: Annotated[OptionalMoney, NON_NEGATIVE] = None


class TermosContratoCriacao(APIModel):
    """The contract's terms; every field is required by scheduled-sales."""

    numero: Annotated[int | None, REQUIRED_ON_CREATE] = None
    data_inicio: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    data_fim: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    dia_emissao_venda: Annotated[int | None, REQUIRED_ON_CREATE] = None
    intervalo_frequencia: Annotated[int | None, REQUIRED_ON_CREATE] = None
    tipo_expiracao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    tipo_frequencia: Annotated[str | None, REQUIRED_ON_CREATE] = None


class ContratoCriacao(APIModel):
    """A new contract (``CriarContrato`` and ``ContratoToCreateRequest`` at once)."""

    id_cliente: Annotated[str | None, REQUIRED_ON_CREATE] = None
    data_emissao: OptionalDate = None
    id_categoria: str | None = None
    id_centro_custo: str | None = None
    id_vendedor: str | None = None
    observacoes: str | None = None
    observacoes_pagamento: str | None = None
    termos: Annotated[TermosContratoCriacao | None, REQUIRED_ON_CREATE] = None
    composicao_de_valor: ComposicaoValorContratoCriacao | None = None
    condicao_pagamento: Annotated[CondicaoPagamentoContratoCriacao | None, REQUIRED_ON_CREATE] = (
        None
    )
    itens: Annotated[list[ItemContratoCriacao] | None, REQUIRED_ON_CREATE] = None
