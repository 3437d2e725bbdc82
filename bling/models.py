"""Bling's records, with Bling's field names in snake_case and the wire names as aliases.

Every model keeps fields it does not know (``extra="allow"``), so nothing the server sends
is lost, and a write sends only the fields the caller set. Money is ``Decimal``; dates are
``date``; Bling's naive ``2022-01-01 10:00:00`` instants are São Paulo time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

from sdkcore.dates import format_local, parse_date, parse_instant
from sdkcore.models import READ_ONLY, REQUIRED_ON_CREATE, APIModel, OptionalMoney

_NO_DATES = {"", "0000-00-00", "0000-00-00 00:00:00", "0001-01-01"}


def _bling_date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and value.strip() in _NO_DATES):
        return None
    return parse_date(value)


def _bling_instant(value: Any) -> datetime | None:
    if value is None or (isinstance(value, str) and value.strip() in _NO_DATES):
        return None
    return parse_instant(value)


BlingDate = Annotated[
    date | None,
    BeforeValidator(_bling_date),
    PlainSerializer(lambda d: d.isoformat() if d else None, when_used="json"),
]
"""A calendar date; Bling's ``0000-00-00`` means "no date" and reads as ``None``."""

BlingInstant = Annotated[
    datetime | None,
    BeforeValidator(_bling_instant),
    PlainSerializer(lambda d: format_local(d) if d else None, when_used="json"),
]
"""An aware datetime that travels as naive São Paulo ``yyyy-mm-dd hh:MM:ss``."""

Decimal_ = OptionalMoney
"""Quantities and amounts alike: ``Decimal``, never ``float``."""


class Ref(APIModel):
    """A reference to another record: ``{"id": 123}``, sometimes with a name."""

    id: int | None = None


class NamedRef(Ref):
    nome: str | None = None


# -- contatos -------------------------------------------------------------------------


class Endereco(APIModel):
    endereco: str | None = None
    cep: str | None = None
    bairro: str | None = None
    municipio: str | None = None
    uf: str | None = None
    numero: str | None = None
    complemento: str | None = None


class EnderecosContato(APIModel):
    geral: Endereco | None = None
    cobranca: Endereco | None = None


class TipoContato(APIModel):
    """A contact type (Cliente, Fornecedor, ...)."""

    id: int | None = None
    descricao: str | None = None


class DadosAdicionaisContato(APIModel):
    data_nascimento: BlingDate = Field(None, alias="dataNascimento")
    sexo: str | None = None
    naturalidade: str | None = None


class FinanceiroContato(APIModel):
    limite_credito: Decimal_ = Field(None, alias="limiteCredito")
    condicao_pagamento: str | None = Field(None, alias="condicaoPagamento")
    categoria: Ref | None = None


class ContatoResumo(APIModel):
    """A contact as ``contatos.list`` returns it: the summary fields only."""

    id: Annotated[int | None, READ_ONLY] = None
    nome: str | None = None
    codigo: str | None = None
    situacao: str | None = None
    numero_documento: str | None = Field(None, alias="numeroDocumento")
    telefone: str | None = None
    celular: str | None = None


class Contato(ContatoResumo):
    """A customer, supplier or other contact (``/contatos``), as ``get`` returns it."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE] = None
    fantasia: str | None = None
    tipo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    indicador_ie: int | None = Field(None, alias="indicadorIe")
    ie: str | None = None
    rg: str | None = None
    inscricao_municipal: str | None = Field(None, alias="inscricaoMunicipal")
    orgao_emissor: str | None = Field(None, alias="orgaoEmissor")
    email: str | None = None
    email_nota_fiscal: str | None = Field(None, alias="emailNotaFiscal")
    orgao_publico: str | None = Field(None, alias="orgaoPublico")
    endereco: EnderecosContato | None = None
    vendedor: Ref | None = None
    dados_adicionais: DadosAdicionaisContato | None = Field(None, alias="dadosAdicionais")
    financeiro: FinanceiroContato | None = None
    pais: dict[str, Any] | None = None
    tipos_contato: list[TipoContato] | None = Field(None, alias="tiposContato")
    pessoas_contato: list[TipoContato] | None = Field(None, alias="pessoasContato")


# -- produtos -------------------------------------------------------------------------


class EstoqueProduto(APIModel):
    minimo: Decimal_ = None
    maximo: Decimal_ = None
    crossdocking: int | None = None
    localizacao: str | None = None
    saldo_virtual_total: Decimal_ = Field(None, alias="saldoVirtualTotal")


class ProdutoResumo(APIModel):
    """A product as ``produtos.list`` returns it; services have ``tipo`` ``"S"``."""

    id: Annotated[int | None, READ_ONLY] = None
    id_produto_pai: int | None = Field(None, alias="idProdutoPai")
    nome: str | None = None
    codigo: str | None = None
    preco: Decimal_ = None
    preco_custo: Decimal_ = Field(None, alias="precoCusto")
    estoque: EstoqueProduto | None = None
    tipo: str | None = None
    situacao: str | None = None
    formato: str | None = None
    descricao_curta: str | None = Field(None, alias="descricaoCurta")
    imagem_url: str | None = Field(None, alias="imagemURL")

    @property
    def is_service(self) -> bool:
        """Bling keeps services as products with ``tipo`` ``"S"``."""
        return self.tipo == "S"


class Produto(ProdutoResumo):
    """A product or service (``/produtos``), as ``get`` returns it."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE] = None
    data_validade: BlingDate = Field(None, alias="dataValidade")
    unidade: str | None = None
    peso_liquido: Decimal_ = Field(None, alias="pesoLiquido")
    peso_bruto: Decimal_ = Field(None, alias="pesoBruto")
    volumes: int | None = None
    itens_por_caixa: Decimal_ = Field(None, alias="itensPorCaixa")
    gtin: str | None = None
    gtin_embalagem: str | None = Field(None, alias="gtinEmbalagem")
    tipo_producao: str | None = Field(None, alias="tipoProducao")
    condicao: int | None = None
    frete_gratis: bool | None = Field(None, alias="freteGratis")
    marca: str | None = None
    descricao_complementar: str | None = Field(None, alias="descricaoComplementar")
    link_externo: str | None = Field(None, alias="linkExterno")
    observacoes: str | None = None
    categoria: Ref | None = None
    fornecedor: dict[str, Any] | None = None
    dimensoes: dict[str, Any] | None = None
    tributacao: dict[str, Any] | None = None
    midia: dict[str, Any] | None = None
    variacoes: list[Produto] | None = None


# -- pedidos de venda -------------------------------------------------------------------


class ContatoPedido(APIModel):
    id: int | None = None
    nome: str | None = None
    tipo_pessoa: str | None = Field(None, alias="tipoPessoa")
    numero_documento: str | None = Field(None, alias="numeroDocumento")


class SituacaoRef(APIModel):
    id: int | None = None
    valor: int | None = None


class ItemPedidoVenda(APIModel):
    """One line of a sales order."""

    id: int | None = None
    codigo: str | None = None
    unidade: str | None = None
    quantidade: Decimal_ = None
    desconto: Decimal_ = None
    valor: Decimal_ = None
    aliquota_ipi: Decimal_ = Field(None, alias="aliquotaIPI")
    descricao: str | None = None
    descricao_detalhada: str | None = Field(None, alias="descricaoDetalhada")
    produto: Ref | None = None
    comissao: dict[str, Any] | None = None
    natureza_operacao: Ref | None = Field(None, alias="naturezaOperacao")


class ParcelaPedidoVenda(APIModel):
    """One instalment of a sales order."""

    id: int | None = None
    data_vencimento: BlingDate = Field(None, alias="dataVencimento")
    valor: Decimal_ = None
    observacoes: str | None = None
    caut: str | None = None
    forma_pagamento: Ref | None = Field(None, alias="formaPagamento")


class DescontoPedido(APIModel):
    valor: Decimal_ = None
    unidade: str | None = None


class PedidoVendaResumo(APIModel):
    """A sales order as ``pedidos_vendas.list`` returns it: no items or instalments."""

    id: Annotated[int | None, READ_ONLY] = None
    numero: int | None = None
    numero_loja: str | None = Field(None, alias="numeroLoja")
    data: BlingDate = None
    data_saida: BlingDate = Field(None, alias="dataSaida")
    data_prevista: BlingDate = Field(None, alias="dataPrevista")
    total_produtos: Decimal_ = Field(None, alias="totalProdutos")
    total: Decimal_ = None
    contato: ContatoPedido | None = None
    situacao: SituacaoRef | None = None
    loja: dict[str, Any] | None = None


class PedidoVenda(PedidoVendaResumo):
    """A sales order (``/pedidos/vendas``), as ``get`` returns it."""

    contato: Annotated[ContatoPedido | None, REQUIRED_ON_CREATE] = None
    numero_pedido_compra: str | None = Field(None, alias="numeroPedidoCompra")
    outras_despesas: Decimal_ = Field(None, alias="outrasDespesas")
    observacoes: str | None = None
    observacoes_internas: str | None = Field(None, alias="observacoesInternas")
    desconto: DescontoPedido | None = None
    categoria: Ref | None = None
    nota_fiscal: Ref | None = Field(None, alias="notaFiscal")
    tributacao: dict[str, Any] | None = None
    itens: list[ItemPedidoVenda] | None = None
    parcelas: list[ParcelaPedidoVenda] | None = None
    transporte: dict[str, Any] | None = None
    vendedor: Ref | None = None
    intermediador: dict[str, Any] | None = None
    taxas: dict[str, Any] | None = None


# -- propostas comerciais -----------------------------------------------------------------


class ItemPropostaComercial(APIModel):
    produto: dict[str, Any] | None = None
    codigo: str | None = None
    unidade: str | None = None
    quantidade: Decimal_ = None
    desconto: Decimal_ = None
    valor: Decimal_ = None
    descricao_detalhada: str | None = Field(None, alias="descricaoDetalhada")


class ParcelaPropostaComercial(APIModel):
    numero_dias: int | None = Field(None, alias="numeroDias")
    data_vencimento: BlingDate = Field(None, alias="dataVencimento")
    valor: Decimal_ = None
    observacoes: str | None = None
    forma_pagamento: Ref | None = Field(None, alias="formaPagamento")


class PropostaComercial(APIModel):
    """A quote (``/propostas-comerciais``)."""

    id: Annotated[int | None, READ_ONLY] = None
    data: BlingDate = None
    situacao: str | None = None
    total: Decimal_ = None
    total_produtos: Decimal_ = Field(None, alias="totalProdutos")
    numero: int | None = None
    contato: Ref | None = None
    loja: dict[str, Any] | None = None
    desconto: Decimal_ = None
    outras_despesas: Decimal_ = Field(None, alias="outrasDespesas")
    garantia: int | None = None
    data_proximo_contato: BlingDate = Field(None, alias="dataProximoContato")
    observacoes: str | None = None
    observacao_interna: str | None = Field(None, alias="observacaoInterna")
    aos_cuidados_de: str | None = Field(None, alias="aosCuidadosDe")
    introducao: str | None = None
    prazo_entrega: str | None = Field(None, alias="prazoEntrega")
    itens: list[ItemPropostaComercial] | None = None
    parcelas: list[ParcelaPropostaComercial] | None = None
    vendedor: Ref | None = None
    transporte: dict[str, Any] | None = None


# -- contas a pagar e a receber ---------------------------------------------------------------


class ContatoConta(APIModel):
    id: int | None = None
    nome: str | None = None
    numero_documento: str | None = Field(None, alias="numeroDocumento")
    tipo: str | None = None


class _Conta(APIModel):
    id: Annotated[int | None, READ_ONLY] = None
    situacao: int | None = None
    vencimento: Annotated[BlingDate, REQUIRED_ON_CREATE] = None
    valor: Annotated[Decimal_, REQUIRED_ON_CREATE] = None
    contato: Annotated[ContatoConta | None, REQUIRED_ON_CREATE] = None
    forma_pagamento: Ref | None = Field(None, alias="formaPagamento")
    saldo: Decimal_ = None
    data_emissao: BlingDate = Field(None, alias="dataEmissao")
    vencimento_original: BlingDate = Field(None, alias="vencimentoOriginal")
    numero_documento: str | None = Field(None, alias="numeroDocumento")
    competencia: BlingDate = None
    historico: str | None = None
    numero_banco: str | None = Field(None, alias="numeroBanco")
    portador: Ref | None = None
    categoria: Ref | None = None
    borderos: list[int] | None = None
    ocorrencia: dict[str, Any] | None = None


class ContaReceber(_Conta):
    """A receivable (``/contas/receber``)."""

    id_transacao: str | None = Field(None, alias="idTransacao")
    link_qr_code_pix: str | None = Field(None, alias="linkQRCodePix")
    link_boleto: str | None = Field(None, alias="linkBoleto")
    conta_contabil: dict[str, Any] | None = Field(None, alias="contaContabil")
    origem: dict[str, Any] | None = None
    vendedor: Ref | None = None


class ContaPagar(_Conta):
    """A payable (``/contas/pagar``)."""


class Baixa(APIModel):
    """Settling a receivable or payable (``.../baixar``)."""

    data: Annotated[BlingDate, REQUIRED_ON_CREATE] = None
    usar_data_vencimento: bool | None = Field(None, alias="usarDataVencimento")
    portador: Ref | None = None
    categoria: Ref | None = None
    historico: str | None = None
    juros: Decimal_ = None
    desconto: Decimal_ = None
    acrescimo: Decimal_ = None
    valor_recebido: Decimal_ = Field(None, alias="valorRecebido")
    tarifa: Decimal_ = None


# -- cadastros ----------------------------------------------------------------------------------


class FormaPagamento(APIModel):
    """A payment method (``/formas-pagamentos``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    tipo_pagamento: int | None = Field(None, alias="tipoPagamento")
    situacao: int | None = None
    fixa: bool | None = None
    padrao: int | None = None
    finalidade: int | None = None
    juros: Decimal_ = None
    multa: Decimal_ = None
    condicao: str | None = None
    destino: int | None = None
    utiliza_dias_uteis: bool | None = Field(None, alias="utilizaDiasUteis")
    taxas: dict[str, Any] | None = None
    dados_cartao: dict[str, Any] | None = Field(None, alias="dadosCartao")


class Categoria(APIModel):
    """A revenue or expense category (``/categorias/receitas-despesas``)."""

    id: Annotated[int | None, READ_ONLY] = None
    id_categoria_pai: int | None = Field(None, alias="idCategoriaPai")
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    tipo: int | None = None
    situacao: int | None = None
    grupo_dre: int | None = Field(None, alias="grupoDRE")


class CategoriaProduto(APIModel):
    """A product category (``/categorias/produtos``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    categoria_pai: Ref | None = Field(None, alias="categoriaPai")


class NaturezaOperacao(APIModel):
    """A fiscal operation nature (``/naturezas-operacoes``)."""

    id: Annotated[int | None, READ_ONLY] = None
    situacao: int | None = None
    padrao: int | None = None
    descricao: str | None = None


class ComissaoVendedor(APIModel):
    desconto_maximo: Decimal_ = Field(None, alias="descontoMaximo")
    aliquota: Decimal_ = None


class ContatoVendedor(APIModel):
    id: int | None = None
    nome: str | None = None
    situacao: str | None = None


class Vendedor(APIModel):
    """A salesperson (``/vendedores``)."""

    id: Annotated[int | None, READ_ONLY] = None
    desconto_limite: Decimal_ = Field(None, alias="descontoLimite")
    loja: Ref | None = None
    contato: ContatoVendedor | None = None
    comissoes: list[ComissaoVendedor] | None = None


class Deposito(APIModel):
    """A warehouse (``/depositos``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    situacao: int | None = None
    padrao: bool | None = None
    desconsiderar_saldo: bool | None = Field(None, alias="desconsiderarSaldo")


class Situacao(APIModel):
    """A workflow state of a module (``/situacoes``)."""

    id: Annotated[int | None, READ_ONLY] = None
    nome: str | None = None
    id_herdado: int | None = Field(None, alias="idHerdado")
    cor: str | None = None
    id_modulo_sistema: int | None = Field(None, alias="idModuloSistema")


class ModuloSistema(APIModel):
    id: int | None = None
    nome: str | None = None
    descricao: str | None = None
    criar_situacoes: bool | None = Field(None, alias="criarSituacoes")


class Estoque(APIModel):
    """A stock movement (``POST /estoques``)."""

    produto: Annotated[Ref | None, REQUIRED_ON_CREATE] = None
    deposito: Annotated[Ref | None, REQUIRED_ON_CREATE] = None
    operacao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    preco: Decimal_ = None
    custo: Decimal_ = None
    quantidade: Annotated[Decimal_, REQUIRED_ON_CREATE] = None
    observacoes: str | None = None


class SaldoEstoque(APIModel):
    """Stock balances of one product (``/estoques/saldos``)."""

    produto: dict[str, Any] | None = None
    saldo_fisico_total: Decimal_ = Field(None, alias="saldoFisicoTotal")
    saldo_virtual_total: Decimal_ = Field(None, alias="saldoVirtualTotal")
    depositos: list[dict[str, Any]] | None = None


class Empresa(APIModel):
    """The account's company (``/empresas/me/dados-basicos``)."""

    id: str | None = None
    nome: str | None = None
    cnpj: str | None = None
    email: str | None = None
    data_contrato: BlingDate = Field(None, alias="dataContrato")


__all__ = [
    "Baixa",
    "BlingDate",
    "BlingInstant",
    "Categoria",
    "CategoriaProduto",
    "ContaPagar",
    "ContaReceber",
    "Contato",
    "ContatoConta",
    "ContatoPedido",
    "ContatoResumo",
    "Deposito",
    "Empresa",
    "Endereco",
    "Estoque",
    "FormaPagamento",
    "ItemPedidoVenda",
    "ItemPropostaComercial",
    "ModuloSistema",
    "NamedRef",
    "NaturezaOperacao",
    "ParcelaPedidoVenda",
    "ParcelaPropostaComercial",
    "PedidoVenda",
    "PedidoVendaResumo",
    "Produto",
    "ProdutoResumo",
    "PropostaComercial",
    "Ref",
    "SaldoEstoque",
    "Situacao",
    "TipoContato",
    "Vendedor",
]
