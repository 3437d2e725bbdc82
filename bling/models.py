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


class ProdutoEstruturaComponente(APIModel):
    produto: Ref | None = None
    quantidade: Decimal_ = None


class ProdutoEstrutura(APIModel):
    """The bill of materials of a product (``/produtos/estruturas``)."""

    tipo_estoque: str | None = Field(None, alias="tipoEstoque")
    lancamento_estoque: str | None = Field(None, alias="lancamentoEstoque")
    componentes: list[ProdutoEstruturaComponente] | None = None


class CampoCustomizadoProduto(APIModel):
    """A custom field's value on a product."""

    id_campo_customizado: int | None = Field(None, alias="idCampoCustomizado")
    id_vinculo: int | str | None = Field(None, alias="idVinculo")
    valor: str | None = None
    item: str | None = None


class ProdutoPai(Ref):
    clone_info: bool | None = Field(None, alias="cloneInfo")


class VariacaoProduto(APIModel):
    """What makes a variation of its parent (``Tamanho:G;Cor:Verde``)."""

    nome: str | None = None
    ordem: int | None = None
    produto_pai: ProdutoPai | None = Field(None, alias="produtoPai")


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
    variacao: VariacaoProduto | None = None
    descricao_embalagem_discreta: str | None = Field(None, alias="descricaoEmbalagemDiscreta")
    action_estoque: str | None = Field(None, alias="actionEstoque")
    linha_produto: Ref | None = Field(None, alias="linhaProduto")
    estrutura: ProdutoEstrutura | None = None
    campos_customizados: list[CampoCustomizadoProduto] | None = Field(
        None, alias="camposCustomizados"
    )
    artigo_perigoso: bool | None = Field(None, alias="artigoPerigoso")


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
    total_outros_itens: Decimal_ = Field(None, alias="totalOutrosItens")
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


class FormaPagamentoConta(Ref):
    codigo_fiscal: int | None = Field(None, alias="codigoFiscal")


class ContaReceber(_Conta):
    """A receivable (``/contas/receber``)."""

    forma_pagamento: FormaPagamentoConta | None = Field(None, alias="formaPagamento")
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


# -- answers of writes and actions -------------------------------------------------------------


class CampoErro(APIModel):
    """One field of a validation message (``fields`` / ``collection`` entries)."""

    code: int | None = None
    msg: str | None = None
    element: str | None = None
    namespace: str | None = None
    index: int | None = None
    collection: list[CampoErro] | None = None


class Erro(APIModel):
    """Bling's error object: ``type`` is kept as text, unknown types included."""

    type: str | None = None
    message: str | None = None
    description: str | None = None
    fields: list[CampoErro] | None = None


class Alerta(CampoErro):
    """A warning Bling attaches to a write: the shapes differ by resource, so every one of
    them reads here (``error`` for an id-tagged failure, ``type``/``message`` for a bare
    error, ``code``/``msg``/``element`` for a field message)."""

    id: int | None = None
    error: Erro | None = None
    type: str | None = None
    message: str | None = None
    description: str | None = None
    fields: list[CampoErro] | None = None


Alertas_ = list[Alerta | str]


class Alertas(APIModel):
    """What bulk operations answer when some records were left alone (``alertas``)."""

    alertas: Alertas_ | None = None


class RegistroSalvo(APIModel):
    """The id of the record a PUT saved, with Bling's warnings."""

    id: int | None = None
    alertas: Alertas_ | None = None


class PedidoVendaSalvo(RegistroSalvo):
    """What ``pedidos_vendas.update`` answers."""

    rastreamento: dict[str, Any] | None = None


class VariacoesSalvas(APIModel):
    """Variations Bling deleted, updated and saved while saving a product."""

    deleted: list[ProdutoSalvo] | None = None
    updated: list[ProdutoSalvo] | None = None
    saved: list[ProdutoSalvo] | None = None


class ProdutoSalvo(APIModel):
    """What ``produtos.update`` and ``produtos.patch`` answer."""

    id: int | None = None
    variations: VariacoesSalvas | None = None
    warnings: list[str] | None = None


class ContaBaixada(APIModel):
    """What ``baixar`` answers: the borderô the payment went into."""

    bordero: Ref | None = None


class NumeroRef(APIModel):
    numero: str | None = None


class BoletoConta(APIModel):
    """One receivable of a sale's or invoice's bank slips."""

    id: int | None = None
    numero_externo: str | None = Field(None, alias="numeroExterno")
    vencimento: BlingDate = None
    valor: Decimal_ = None
    situacao: int | None = None


class BoletosContaReceber(APIModel):
    """``contas_receber.list_boletos``: the bank slips of a sale or an invoice."""

    venda: NumeroRef | None = None
    nota_fiscal: NumeroRef | None = Field(None, alias="notaFiscal")
    valor_total: Decimal_ = Field(None, alias="valorTotal")
    contas: list[BoletoConta] | None = None


# -- produtos: lotes, estruturas, fornecedores, lojas --------------------------------------------


class ProdutoLote(APIModel):
    """A batch of a product (``/produtos/lotes``)."""

    id_lote: int | None = Field(None, alias="idLote")
    codigo_lote: str | None = Field(None, alias="codigoLote")
    data_fabricacao: BlingDate = Field(None, alias="dataFabricacao")
    data_validade: BlingDate = Field(None, alias="dataValidade")
    dias_permitido_venda: int | None = Field(None, alias="diasPermitidoVenda")
    codigo_agregacao: str | None = Field(None, alias="codigoAgregacao")
    produto: Ref | None = None
    deposito: Ref | None = None
    status: int | None = None


class LoteSalvo(APIModel):
    id: int | None = None
    codigo_lote: str | None = Field(None, alias="codigoLote")
    id_produto: int | None = Field(None, alias="idProduto")


class ProdutoLotesSalvos(APIModel):
    """What ``produtos.lotes.save`` answers: the batches saved and the ones refused."""

    saved: list[LoteSalvo] | None = None
    errors: list[Alerta] | None = None


class ProdutoControlaLote(APIModel):
    """Whether a product keeps batches."""

    id_produto: int | None = Field(None, alias="idProduto")
    controla_lote: bool | None = Field(None, alias="controlaLote")


class ProdutoLoteLancamento(APIModel):
    """A stock entry of a batch (``/produtos/lotes/{idLote}/lancamentos``)."""

    id: int | None = None
    id_lote: int | None = Field(None, alias="idLote")
    quantidade: Decimal_ = None
    tipo_lancamento: int | None = Field(None, alias="tipoLancamento")
    data: BlingInstant = None
    id_origem: int | None = Field(None, alias="idOrigem")
    observacao: str | None = None


class ProdutoLoteSaldo(APIModel):
    """The balance of one batch in one warehouse."""

    id_lote: int | None = Field(None, alias="idLote")
    produto: Ref | None = None
    deposito: Ref | None = None
    saldo_atual: Decimal_ = Field(None, alias="saldoAtual")


class ProdutoLoteSaldoSoma(APIModel):
    """The sum of a product's batch balances, in one warehouse or (no ``deposito``) all."""

    produto: Ref | None = None
    deposito: Ref | None = None
    saldo_total: Decimal_ = Field(None, alias="saldoTotal")


class ProdutoFornecedor(APIModel):
    """A supplier of a product (``/produtos/fornecedores``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: str | None = None
    codigo: str | None = None
    preco_custo: Decimal_ = Field(None, alias="precoCusto")
    preco_compra: Decimal_ = Field(None, alias="precoCompra")
    padrao: bool | None = None
    produto: Ref | None = None
    fornecedor: Ref | None = None
    garantia: int | None = None


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


Refs = Annotated[list[Ref] | None, BeforeValidator(_as_list)]
"""A list of references; a single object (as parts of the spec show) reads as a list of one."""


class ProdutoLoja(APIModel):
    """A product's listing in a store (``/produtos/lojas``)."""

    id: Annotated[int | None, READ_ONLY] = None
    codigo: str | None = None
    preco: Decimal_ = None
    preco_promocional: Decimal_ = Field(None, alias="precoPromocional")
    produto: Ref | None = None
    loja: Ref | None = None
    fornecedor_loja: Ref | None = Field(None, alias="fornecedorLoja")
    marca_loja: Ref | None = Field(None, alias="marcaLoja")
    categorias_produtos: Refs = Field(None, alias="categoriasProdutos")


class ProdutoLojaSalvo(APIModel):
    """What ``produtos.lojas.update`` answers."""

    id: int | None = None
    categorias_produtos: Refs = Field(None, alias="categoriasProdutos")


# -- situações, tributação -----------------------------------------------------------------------


class SituacaoAcao(APIModel):
    """An action a transition between states can run (``estornarEstoque``, ...)."""

    id: int | None = None
    nome: str | None = None
    descricao: str | None = None


class SituacaoTransicao(APIModel):
    """A transition between two states of a module (``/situacoes/transicoes``)."""

    id: Annotated[int | None, READ_ONLY] = None
    ativo: bool | None = None
    acoes: list[int] | None = None
    modulo: Ref | None = None
    situacao_origem: NamedRef | None = Field(None, alias="situacaoOrigem")
    situacao_destino: NamedRef | None = Field(None, alias="situacaoDestino")


class ImpostoCalculado(APIModel):
    """One tax of ``obter_tributacao``: the fields the taxes share."""

    regra_operacao: Ref | None = Field(None, alias="regraOperacao")
    tributacao: int | None = None
    cst: str | None = None
    aliquota: Decimal_ = None
    base: Decimal_ = None
    valor_base_calculo: Decimal_ = Field(None, alias="valorBaseCalculo")
    valor_imposto: Decimal_ = Field(None, alias="valorImposto")
    observacoes: str | None = None
    informacoes_adicionais_fisco: str | None = Field(None, alias="informacoesAdicionaisFisco")


class ImpostoIcms(ImpostoCalculado):
    """ICMS."""

    porcentagem_fcp_difal: Decimal_ = Field(None, alias="porcentagemFcpDifal")
    valor_fcp_difal: Decimal_ = Field(None, alias="valorFcpDifal")
    valor_fcp_efetivo: Decimal_ = Field(None, alias="valorFcpEfetivo")
    porcentagem_fcp: Decimal_ = Field(None, alias="porcentagemFcp")
    porcentagem_fcp_uf_destino: Decimal_ = Field(None, alias="porcentagemFcpUfDestino")
    modalidade_base_calculo: Decimal_ = Field(None, alias="modalidadeBaseCalculo")
    valor_pauta: Decimal_ = Field(None, alias="valorPauta")
    aliquota_presumido: Decimal_ = Field(None, alias="aliquotaPresumido")
    porcentagem_base_calculo_uf_destino: Decimal_ = Field(
        None, alias="porcentagemBaseCalculoUfDestino"
    )
    porcentagem_icms_uf_destino: Decimal_ = Field(None, alias="porcentagemIcmsUfDestino")
    tipo_partilha: int | None = Field(None, alias="tipoPartilha")
    valor_icms_desonerado: Decimal_ = Field(None, alias="valorIcmsDesonerado")
    motivo_desoneracao_icms: int | None = Field(None, alias="motivoDesoneracaoIcms")
    base_diferimento: Decimal_ = Field(None, alias="baseDiferimento")
    valor_base_diferimento: Decimal_ = Field(None, alias="valorBaseDiferimento")
    valor_presumido: Decimal_ = Field(None, alias="valorPresumido")
    aliquota_posicao: Decimal_ = Field(None, alias="aliquotaPosicao")


class ImpostoIcmsSt(ImpostoCalculado):
    """ICMS ST."""

    percentual_adicionado: Decimal_ = Field(None, alias="percentualAdicionado")
    modalidade_base_calculo: int | None = Field(None, alias="modalidadeBaseCalculo")
    valor_pauta: Decimal_ = Field(None, alias="valorPauta")


class ImpostoSimples(ImpostoCalculado):
    """Simples Nacional."""

    base_diferimento: Decimal_ = Field(None, alias="baseDiferimento")
    modalidade_base_calculo: int | None = Field(None, alias="modalidadeBaseCalculo")
    valor_pauta: Decimal_ = Field(None, alias="valorPauta")
    valor_imposto_st: Decimal_ = Field(None, alias="valorImpostoSt")
    valor_base_calculo_st: Decimal_ = Field(None, alias="valorBaseCalculoSt")
    base_calculo_st: Decimal_ = Field(None, alias="baseCalculoSt")
    percentual_adicionado_st: Decimal_ = Field(None, alias="percentualAdicionadoSt")
    modalidade_base_calculo_st: Decimal_ = Field(None, alias="modalidadeBaseCalculoSt")
    valor_pauta_st: Decimal_ = Field(None, alias="valorPautaSt")
    aliquota_st: Decimal_ = Field(None, alias="aliquotaSt")
    aliquota_st_retido: Decimal_ = Field(None, alias="aliquotaStRetido")
    base_st_retido: Decimal_ = Field(None, alias="baseStRetido")
    valor_unitario_base_cst_retencao: Decimal_ = Field(None, alias="valorUnitarioBaseCstRetencao")
    valor_unitario_icms_st_retencao: Decimal_ = Field(None, alias="valorUnitarioIcmsStRetencao")
    valor_unitario_icms_substituto: Decimal_ = Field(None, alias="valorUnitarioIcmsSubstituto")


class ImpostoIpi(ImpostoCalculado):
    """IPI."""

    valor_ipi_fixo_unitario: Decimal_ = Field(None, alias="valorIpiFixoUnitario")
    classe_enquadramento_ipi: str | None = Field(None, alias="classeEnquadramentoIpi")
    codigo_enquadramento_ipi: int | None = Field(None, alias="codigoEnquadramentoIpi")
    codigo_selo: str | None = Field(None, alias="codigoSelo")
    codigo_ex_tipi: int | None = Field(None, alias="codigoExTipi")


class ImpostoIssqn(ImpostoCalculado):
    """ISSQN."""

    codigo_lista_servicos: str | None = Field(None, alias="codigoListaServicos")
    descontar_iss_total_nota: bool | None = Field(None, alias="descontarIssTotalNota")
    reter_iss: bool | None = Field(None, alias="reterIss")


class ImpostoPis(ImpostoCalculado):
    """PIS."""

    valor_pis_fixo: Decimal_ = Field(None, alias="valorPisFixo")


class ImpostoCofins(ImpostoCalculado):
    """COFINS."""

    valor_cofins_fixo: Decimal_ = Field(None, alias="valorCofinsFixo")


class ImpostoIbsCbs(ImpostoCalculado):
    """IBS/CBS: classification."""

    classificacao_tributaria: str | None = Field(None, alias="classificacaoTributaria")


class ImpostoIbs(APIModel):
    """IBS."""

    regra_operacao: Ref | None = Field(None, alias="regraOperacao")
    percentual_ibs_uf: Decimal_ = Field(None, alias="percentualIbsUf")
    percentual_ibs_municipio: Decimal_ = Field(None, alias="percentualIbsMunicipio")
    percentual_reducao_aliquota_uf: Decimal_ = Field(None, alias="percentualReducaoAliquotaUf")
    percentual_reducao_aliquota_municipio: Decimal_ = Field(
        None, alias="percentualReducaoAliquotaMunicipio"
    )
    aliquota_efetiva_uf: Decimal_ = Field(None, alias="aliquotaEfetivaUf")
    aliquota_efetiva_municipio: Decimal_ = Field(None, alias="aliquotaEfetivaMunicipio")
    percentual_diferimento_uf: Decimal_ = Field(None, alias="percentualDiferimentoUf")
    percentual_diferimento_municipio: Decimal_ = Field(None, alias="percentualDiferimentoMunicipio")
    codigo_credito_presumido: str | None = Field(None, alias="codigoCreditoPresumido")
    percentual_credito_presumido: Decimal_ = Field(None, alias="percentualCreditoPresumido")


class ImpostoCbs(APIModel):
    """CBS."""

    regra_operacao: Ref | None = Field(None, alias="regraOperacao")
    percentual_cbs: Decimal_ = Field(None, alias="percentualCbs")
    percentual_reducao_aliquota: Decimal_ = Field(None, alias="percentualReducaoAliquota")
    aliquota_efetiva: Decimal_ = Field(None, alias="aliquotaEfetiva")
    percentual_diferimento: Decimal_ = Field(None, alias="percentualDiferimento")
    codigo_credito_presumido: str | None = Field(None, alias="codigoCreditoPresumido")
    percentual_credito_presumido: Decimal_ = Field(None, alias="percentualCreditoPresumido")


class ImpostoIbsCbsRegular(APIModel):
    """IBS/CBS regular taxation."""

    cst_regular: str | None = Field(None, alias="cstRegular")
    classificacao_tributaria_regular: str | None = Field(
        None, alias="classificacaoTributariaRegular"
    )
    aliquota_efetiva_regular_ibs_uf: Decimal_ = Field(None, alias="aliquotaEfetivaRegularIbsUf")
    aliquota_efetiva_regular_ibs_municipio: Decimal_ = Field(
        None, alias="aliquotaEfetivaRegularIbsMunicipio"
    )
    aliquota_efetiva_regular_cbs: Decimal_ = Field(None, alias="aliquotaEfetivaRegularCbs")
    valor_tributacao_regular_ibs_uf: Decimal_ = Field(None, alias="valorTributacaoRegularIbsUf")
    valor_tributacao_regular_ibs_municipio: Decimal_ = Field(
        None, alias="valorTributacaoRegularIbsMunicipio"
    )
    valor_tributacao_regular_cbs: Decimal_ = Field(None, alias="valorTributacaoRegularCbs")


class CalculoImpostos(APIModel):
    """The taxation an operation nature gives a product (``obter_tributacao``)."""

    faturada: bool | None = None
    observacoes: str | None = None
    pis_cofins_presumido: bool | None = Field(None, alias="pisCofinsPresumido")
    soma_impostos_total: bool | None = Field(None, alias="somaImpostosTotal")
    soma_icms_total: bool | None = Field(None, alias="somaIcmsTotal")
    aliquota_funrural: Decimal_ = Field(None, alias="aliquotaFunrural")
    desconta_funrural: bool | None = Field(None, alias="descontaFunrural")
    consumidor_final: bool | None = Field(None, alias="consumidorFinal")
    ret_imposto_retido: bool | None = Field(None, alias="retImpostoRetido")
    ret_aliquota_ir: Decimal_ = Field(None, alias="retAliquotaIr")
    ret_valor_ir: Decimal_ = Field(None, alias="retValorIr")
    ret_aliquota_csll: Decimal_ = Field(None, alias="retAliquotaCsll")
    ret_valor_csll: Decimal_ = Field(None, alias="retValorCsll")
    desconto_condicional: bool | None = Field(None, alias="descontoCondicional")
    base_comissao: Decimal_ = Field(None, alias="baseComissao")
    valor_pmc: Decimal_ = Field(None, alias="valorPmc")
    aliquota_valor_aprox_impostos: Decimal_ = Field(None, alias="aliquotaValorAproxImpostos")
    informacoes_adicionais_fisco: str | None = Field(None, alias="informacoesAdicionaisFisco")
    incluir_frete_ipi: bool | None = Field(None, alias="incluirFreteIpi")
    codigo_beneficio_fiscal: str | None = Field(None, alias="codigoBeneficioFiscal")
    porcentagem_fcp: Decimal_ = Field(None, alias="porcentagemFcp")
    cfop: int | None = None
    icms: ImpostoIcms | None = None
    icms_st: ImpostoIcmsSt | None = Field(None, alias="icmsSt")
    simples: ImpostoSimples | None = None
    simples_st: ImpostoCalculado | None = Field(None, alias="simplesSt")
    ipi: ImpostoIpi | None = None
    issqn: ImpostoIssqn | None = None
    pis: ImpostoPis | None = None
    pis_st: ImpostoCalculado | None = Field(None, alias="pisSt")
    cofins: ImpostoCofins | None = None
    cofins_st: ImpostoCalculado | None = Field(None, alias="cofinsSt")
    ii: ImpostoCalculado | None = None
    ibs_cbs: ImpostoIbsCbs | None = Field(None, alias="ibsCbs")
    ibs: ImpostoIbs | None = None
    cbs: ImpostoCbs | None = None
    ibs_cbs_reg: ImpostoIbsCbsRegular | None = Field(None, alias="ibsCbsReg")


__all__ = [
    "Alerta",
    "Alertas",
    "Baixa",
    "BlingDate",
    "BlingInstant",
    "BoletoConta",
    "BoletosContaReceber",
    "CalculoImpostos",
    "CampoCustomizadoProduto",
    "CampoErro",
    "Categoria",
    "CategoriaProduto",
    "ContaBaixada",
    "ContaPagar",
    "ContaReceber",
    "Contato",
    "ContatoConta",
    "ContatoPedido",
    "ContatoResumo",
    "Deposito",
    "Empresa",
    "Endereco",
    "Erro",
    "Estoque",
    "FormaPagamento",
    "FormaPagamentoConta",
    "ImpostoCalculado",
    "ImpostoCbs",
    "ImpostoCofins",
    "ImpostoIbs",
    "ImpostoIbsCbs",
    "ImpostoIbsCbsRegular",
    "ImpostoIcms",
    "ImpostoIcmsSt",
    "ImpostoIpi",
    "ImpostoIssqn",
    "ImpostoPis",
    "ImpostoSimples",
    "ItemPedidoVenda",
    "ItemPropostaComercial",
    "LoteSalvo",
    "ModuloSistema",
    "NamedRef",
    "NaturezaOperacao",
    "NumeroRef",
    "ParcelaPedidoVenda",
    "ParcelaPropostaComercial",
    "PedidoVenda",
    "PedidoVendaResumo",
    "PedidoVendaSalvo",
    "Produto",
    "ProdutoControlaLote",
    "ProdutoEstrutura",
    "ProdutoEstruturaComponente",
    "ProdutoFornecedor",
    "ProdutoLoja",
    "ProdutoLojaSalvo",
    "ProdutoLote",
    "ProdutoLoteLancamento",
    "ProdutoLoteSaldo",
    "ProdutoLoteSaldoSoma",
    "ProdutoLotesSalvos",
    "ProdutoPai",
    "ProdutoResumo",
    "ProdutoSalvo",
    "PropostaComercial",
    "Ref",
    "Refs",
    "RegistroSalvo",
    "SaldoEstoque",
    "Situacao",
    "SituacaoAcao",
    "SituacaoTransicao",
    "TipoContato",
    "VariacaoProduto",
    "VariacoesSalvas",
    "Vendedor",
]
