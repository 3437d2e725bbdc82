"""Bling's records, with Bling's field names in snake_case; the wire name is their camelCase,
and a field names its own only where Bling spells it otherwise (``imagemURL``).

A model read from an answer keeps fields it does not know, so nothing the server sends is
lost (a model built in Python refuses them), and a write sends only the fields the caller
set. Money is ``Decimal``; dates are ``date``; Bling's naive ``2022-01-01 10:00:00`` instants
are São Paulo time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PlainSerializer

from sdkcore.dates import format_local, parse_date, parse_instant
from sdkcore.models import READ_ONLY, REQUIRED_ON_CREATE, CamelModel, OptionalMoney
from sdkcore.write_checks import NON_NEGATIVE, MaxLength, TaxId

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


_PERSON_KINDS = (("F", "cpf"), ("J", "cnpj"), ("E", None))
"""Bling's ``F`` (física: a CPF), ``J`` (jurídica: a CNPJ) and ``E`` (estrangeira: a foreign
document, not checked)."""

PRODUCT_NAME_LIMIT = 120
"""``maxLength`` of a product's ``nome`` in Bling's spec."""


class Ref(CamelModel):
    """A reference to another record: ``{"id": 123}``, sometimes with a name."""

    id: int | None = None


class NamedRef(Ref):
    nome: str | None = None


# -- contatos -------------------------------------------------------------------------


class Endereco(CamelModel):
    endereco: str | None = None
    cep: str | None = None
    bairro: str | None = None
    municipio: str | None = None
    uf: str | None = None
    numero: str | None = None
    complemento: str | None = None


class EnderecosContato(CamelModel):
    geral: Endereco | None = None
    cobranca: Endereco | None = None


class TipoContato(CamelModel):
    """A contact type (Cliente, Fornecedor, ...)."""

    id: int | None = None
    descricao: str | None = None


class DadosAdicionaisContato(CamelModel):
    data_nascimento: BlingDate = None
    sexo: str | None = None
    naturalidade: str | None = None


class FinanceiroContato(CamelModel):
    limite_credito: Decimal_ = None
    condicao_pagamento: str | None = None
    categoria: Ref | None = None


class ContatoResumo(CamelModel):
    """A contact as ``contatos.list`` returns it: the summary fields only."""

    id: Annotated[int | None, READ_ONLY] = None
    nome: str | None = None
    codigo: str | None = None
    situacao: str | None = None
    numero_documento: Annotated[str | None, TaxId(kind_field="tipo", kinds=_PERSON_KINDS)] = None
    telefone: str | None = None
    celular: str | None = None


class Contato(ContatoResumo):
    """A customer, supplier or other contact (``/contatos``), as ``get`` returns it."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE] = None
    fantasia: str | None = None
    tipo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    indicador_ie: int | None = None
    ie: str | None = None
    rg: str | None = None
    inscricao_municipal: str | None = None
    orgao_emissor: str | None = None
    email: str | None = None
    email_nota_fiscal: str | None = None
    orgao_publico: str | None = None
    endereco: EnderecosContato | None = None
    vendedor: Ref | None = None
    dados_adicionais: DadosAdicionaisContato | None = None
    financeiro: FinanceiroContato | None = None
    pais: dict[str, Any] | None = None
    tipos_contato: list[TipoContato] | None = None
    pessoas_contato: list[TipoContato] | None = None


# -- produtos -------------------------------------------------------------------------


class EstoqueProduto(CamelModel):
    minimo: Decimal_ = None
    maximo: Decimal_ = None
    crossdocking: int | None = None
    localizacao: str | None = None
    saldo_virtual_total: Decimal_ = None


class ProdutoResumo(CamelModel):
    """A product as ``produtos.list`` returns it; services have ``tipo`` ``"S"``."""

    id: Annotated[int | None, READ_ONLY] = None
    id_produto_pai: int | None = None
    nome: str | None = None
    codigo: str | None = None
    preco: Decimal_ = None
    preco_custo: Decimal_ = None
    estoque: EstoqueProduto | None = None
    tipo: str | None = None
    situacao: str | None = None
    formato: str | None = None
    descricao_curta: str | None = None
    imagem_url: str | None = Field(None, alias="imagemURL")

    @property
    def is_service(self) -> bool:
        """Bling keeps services as products with ``tipo`` ``"S"``."""
        return self.tipo == "S"


class ProdutoEstruturaComponente(CamelModel):
    produto: Ref | None = None
    quantidade: Decimal_ = None


class ProdutoEstrutura(CamelModel):
    """The bill of materials of a product (``/produtos/estruturas``)."""

    tipo_estoque: str | None = None
    lancamento_estoque: str | None = None
    componentes: list[ProdutoEstruturaComponente] | None = None


class CampoCustomizadoProduto(CamelModel):
    """A custom field's value on a product."""

    id_campo_customizado: int | None = None
    id_vinculo: int | str | None = None
    valor: str | None = None
    item: str | None = None


class ProdutoPai(Ref):
    clone_info: bool | None = None


class VariacaoProduto(CamelModel):
    """What makes a variation of its parent (``Tamanho:G;Cor:Verde``)."""

    nome: str | None = None
    ordem: int | None = None
    produto_pai: ProdutoPai | None = None


class Produto(ProdutoResumo):
    """A product or service (``/produtos``), as ``get`` returns it."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE, MaxLength(PRODUCT_NAME_LIMIT)] = None
    data_validade: BlingDate = None
    unidade: str | None = None
    peso_liquido: Decimal_ = None
    peso_bruto: Decimal_ = None
    volumes: int | None = None
    itens_por_caixa: Decimal_ = None
    gtin: str | None = None
    gtin_embalagem: str | None = None
    tipo_producao: str | None = None
    condicao: int | None = None
    frete_gratis: bool | None = None
    marca: str | None = None
    descricao_complementar: str | None = None
    link_externo: str | None = None
    observacoes: str | None = None
    categoria: Ref | None = None
    fornecedor: dict[str, Any] | None = None
    dimensoes: dict[str, Any] | None = None
    tributacao: dict[str, Any] | None = None
    midia: dict[str, Any] | None = None
    variacoes: list[Produto] | None = None
    variacao: VariacaoProduto | None = None
    descricao_embalagem_discreta: str | None = None
    action_estoque: str | None = None
    linha_produto: Ref | None = None
    estrutura: ProdutoEstrutura | None = None
    campos_customizados: list[CampoCustomizadoProduto] | None = None
    artigo_perigoso: bool | None = None


# -- pedidos de venda -------------------------------------------------------------------


class ContatoPedido(CamelModel):
    id: int | None = None
    nome: str | None = None
    tipo_pessoa: str | None = None
    numero_documento: Annotated[
        str | None, TaxId(kind_field="tipo_pessoa", kinds=_PERSON_KINDS)
    ] = None


class SituacaoRef(CamelModel):
    id: int | None = None
    valor: int | None = None


class ItemPedidoVenda(CamelModel):
    """One line of a sales order. ``valor`` is the unit price sold at; ``valor_lista``, the
    list price, is sent as ``valor`` when not given (Bling's spec requires it)."""

    id: int | None = None
    codigo: str | None = None
    unidade: str | None = None
    quantidade: Annotated[Decimal_, NON_NEGATIVE] = None
    desconto: Decimal_ = None
    valor: Annotated[Decimal_, NON_NEGATIVE] = None
    valor_lista: Annotated[Decimal_, NON_NEGATIVE] = None
    aliquota_ipi: Decimal_ = Field(None, alias="aliquotaIPI")
    descricao: str | None = None
    descricao_detalhada: str | None = None
    produto: Ref | None = None
    comissao: dict[str, Any] | None = None
    natureza_operacao: Ref | None = None


class ParcelaPedidoVenda(CamelModel):
    """One instalment of a sales order."""

    id: int | None = None
    data_vencimento: BlingDate = None
    valor: Decimal_ = None
    observacoes: str | None = None
    caut: str | None = None
    forma_pagamento: Ref | None = None


class DescontoPedido(CamelModel):
    valor: Decimal_ = None
    unidade: str | None = None


class PedidoVendaResumo(CamelModel):
    """A sales order as ``pedidos_vendas.list`` returns it: no items or instalments."""

    id: Annotated[int | None, READ_ONLY] = None
    numero: int | None = None
    numero_loja: str | None = None
    data: BlingDate = None
    data_saida: BlingDate = None
    data_prevista: BlingDate = None
    total_produtos: Decimal_ = None
    total: Decimal_ = None
    contato: ContatoPedido | None = None
    situacao: SituacaoRef | None = None
    loja: dict[str, Any] | None = None


class PedidoVenda(PedidoVendaResumo):
    """A sales order (``/pedidos/vendas``), as ``get`` returns it."""

    contato: Annotated[ContatoPedido | None, REQUIRED_ON_CREATE] = None
    numero_pedido_compra: str | None = None
    outras_despesas: Decimal_ = None
    observacoes: str | None = None
    observacoes_internas: str | None = None
    desconto: DescontoPedido | None = None
    categoria: Ref | None = None
    nota_fiscal: Ref | None = None
    tributacao: dict[str, Any] | None = None
    itens: list[ItemPedidoVenda] | None = None
    parcelas: list[ParcelaPedidoVenda] | None = None
    transporte: dict[str, Any] | None = None
    vendedor: Ref | None = None
    intermediador: dict[str, Any] | None = None
    taxas: dict[str, Any] | None = None


# -- propostas comerciais -----------------------------------------------------------------


class ItemPropostaComercial(CamelModel):
    produto: dict[str, Any] | None = None
    codigo: str | None = None
    unidade: str | None = None
    quantidade: Annotated[Decimal_, NON_NEGATIVE] = None
    desconto: Decimal_ = None
    valor: Annotated[Decimal_, NON_NEGATIVE] = None
    descricao_detalhada: str | None = None


class ParcelaPropostaComercial(CamelModel):
    numero_dias: int | None = None
    data_vencimento: BlingDate = None
    valor: Decimal_ = None
    observacoes: str | None = None
    forma_pagamento: Ref | None = None


class PropostaComercial(CamelModel):
    """A quote (``/propostas-comerciais``)."""

    id: Annotated[int | None, READ_ONLY] = None
    data: BlingDate = None
    situacao: str | None = None
    total: Decimal_ = None
    total_produtos: Decimal_ = None
    numero: int | None = None
    contato: Ref | None = None
    loja: dict[str, Any] | None = None
    desconto: Decimal_ = None
    outras_despesas: Decimal_ = None
    garantia: int | None = None
    data_proximo_contato: BlingDate = None
    observacoes: str | None = None
    observacao_interna: str | None = None
    total_outros_itens: Decimal_ = None
    aos_cuidados_de: str | None = None
    introducao: str | None = None
    prazo_entrega: str | None = None
    itens: list[ItemPropostaComercial] | None = None
    parcelas: list[ParcelaPropostaComercial] | None = None
    vendedor: Ref | None = None
    transporte: dict[str, Any] | None = None


# -- contas a pagar e a receber ---------------------------------------------------------------


class ContatoConta(CamelModel):
    id: int | None = None
    nome: str | None = None
    numero_documento: str | None = None
    tipo: str | None = None


class _Conta(CamelModel):
    id: Annotated[int | None, READ_ONLY] = None
    situacao: int | None = None
    vencimento: Annotated[BlingDate, REQUIRED_ON_CREATE] = None
    valor: Annotated[Decimal_, REQUIRED_ON_CREATE] = None
    contato: Annotated[ContatoConta | None, REQUIRED_ON_CREATE] = None
    forma_pagamento: Ref | None = None
    saldo: Decimal_ = None
    data_emissao: BlingDate = None
    vencimento_original: BlingDate = None
    numero_documento: str | None = None
    competencia: BlingDate = None
    historico: str | None = None
    numero_banco: str | None = None
    portador: Ref | None = None
    categoria: Ref | None = None
    borderos: list[int] | None = None
    ocorrencia: dict[str, Any] | None = None


class FormaPagamentoConta(Ref):
    codigo_fiscal: int | None = None


class ContaReceber(_Conta):
    """A receivable (``/contas/receber``)."""

    forma_pagamento: FormaPagamentoConta | None = None
    id_transacao: str | None = None
    link_qr_code_pix: str | None = Field(None, alias="linkQRCodePix")
    link_boleto: str | None = None
    conta_contabil: dict[str, Any] | None = None
    origem: dict[str, Any] | None = None
    vendedor: Ref | None = None


class ContaPagar(_Conta):
    """A payable (``/contas/pagar``)."""


class Baixa(CamelModel):
    """Settling a receivable or payable (``.../baixar``)."""

    data: Annotated[BlingDate, REQUIRED_ON_CREATE] = None
    usar_data_vencimento: bool | None = None
    portador: Ref | None = None
    categoria: Ref | None = None
    historico: str | None = None
    juros: Decimal_ = None
    desconto: Decimal_ = None
    acrescimo: Decimal_ = None
    valor_recebido: Decimal_ = None
    tarifa: Decimal_ = None


# -- cadastros ----------------------------------------------------------------------------------


class FormaPagamento(CamelModel):
    """A payment method (``/formas-pagamentos``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    tipo_pagamento: int | None = None
    situacao: int | None = None
    fixa: bool | None = None
    padrao: int | None = None
    finalidade: int | None = None
    juros: Decimal_ = None
    multa: Decimal_ = None
    condicao: str | None = None
    destino: int | None = None
    utiliza_dias_uteis: bool | None = None
    taxas: dict[str, Any] | None = None
    dados_cartao: dict[str, Any] | None = None


class Categoria(CamelModel):
    """A revenue or expense category (``/categorias/receitas-despesas``)."""

    id: Annotated[int | None, READ_ONLY] = None
    id_categoria_pai: int | None = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    tipo: int | None = None
    situacao: int | None = None
    grupo_dre: int | None = Field(None, alias="grupoDRE")


class CategoriaProduto(CamelModel):
    """A product category (``/categorias/produtos``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    categoria_pai: Ref | None = None


class NaturezaOperacao(CamelModel):
    """A fiscal operation nature (``/naturezas-operacoes``)."""

    id: Annotated[int | None, READ_ONLY] = None
    situacao: int | None = None
    padrao: int | None = None
    descricao: str | None = None


class ComissaoVendedor(CamelModel):
    desconto_maximo: Decimal_ = None
    aliquota: Decimal_ = None


class ContatoVendedor(CamelModel):
    id: int | None = None
    nome: str | None = None
    situacao: str | None = None


class Vendedor(CamelModel):
    """A salesperson (``/vendedores``)."""

    id: Annotated[int | None, READ_ONLY] = None
    desconto_limite: Decimal_ = None
    loja: Ref | None = None
    contato: ContatoVendedor | None = None
    comissoes: list[ComissaoVendedor] | None = None


class Deposito(CamelModel):
    """A warehouse (``/depositos``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    situacao: int | None = None
    padrao: bool | None = None
    desconsiderar_saldo: bool | None = None


class Situacao(CamelModel):
    """A workflow state of a module (``/situacoes``)."""

    id: Annotated[int | None, READ_ONLY] = None
    nome: str | None = None
    id_herdado: int | None = None
    cor: str | None = None
    id_modulo_sistema: int | None = None


class ModuloSistema(CamelModel):
    id: int | None = None
    nome: str | None = None
    descricao: str | None = None
    criar_situacoes: bool | None = None


class Estoque(CamelModel):
    """A stock movement (``POST /estoques``)."""

    produto: Annotated[Ref | None, REQUIRED_ON_CREATE] = None
    deposito: Annotated[Ref | None, REQUIRED_ON_CREATE] = None
    operacao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    preco: Decimal_ = None
    custo: Decimal_ = None
    quantidade: Annotated[Decimal_, REQUIRED_ON_CREATE] = None
    observacoes: str | None = None


class SaldoEstoque(CamelModel):
    """Stock balances of one product (``/estoques/saldos``)."""

    produto: dict[str, Any] | None = None
    saldo_fisico_total: Decimal_ = None
    saldo_virtual_total: Decimal_ = None
    depositos: list[dict[str, Any]] | None = None


class Empresa(CamelModel):
    """The account's company (``/empresas/me/dados-basicos``)."""

    id: str | None = None
    nome: str | None = None
    cnpj: str | None = None
    email: str | None = None
    data_contrato: BlingDate = None


# -- answers of writes and actions -------------------------------------------------------------


class CampoErro(CamelModel):
    """One field of a validation message (``fields`` / ``collection`` entries)."""

    code: int | None = None
    msg: str | None = None
    element: str | None = None
    namespace: str | None = None
    index: int | None = None
    collection: list[CampoErro] | None = None


class Erro(CamelModel):
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


class Alertas(CamelModel):
    """What bulk operations answer when some records were left alone (``alertas``)."""

    alertas: Alertas_ | None = None


class RegistroSalvo(CamelModel):
    """The id of the record a PUT saved, with Bling's warnings."""

    id: int | None = None
    alertas: Alertas_ | None = None


class PedidoVendaSalvo(RegistroSalvo):
    """What ``pedidos_vendas.update`` answers."""

    rastreamento: dict[str, Any] | None = None


class VariacoesSalvas(CamelModel):
    """Variations Bling deleted, updated and saved while saving a product."""

    deleted: list[ProdutoSalvo] | None = None
    updated: list[ProdutoSalvo] | None = None
    saved: list[ProdutoSalvo] | None = None


class ProdutoSalvo(CamelModel):
    """What ``produtos.update`` and ``produtos.patch`` answer."""

    id: int | None = None
    variations: VariacoesSalvas | None = None
    warnings: list[str] | None = None


class ContaBaixada(CamelModel):
    """What ``baixar`` answers: the borderô the payment went into."""

    bordero: Ref | None = None


class NumeroRef(CamelModel):
    numero: str | None = None


class BoletoConta(CamelModel):
    """One receivable of a sale's or invoice's bank slips."""

    id: int | None = None
    numero_externo: str | None = None
    vencimento: BlingDate = None
    valor: Decimal_ = None
    situacao: int | None = None


class BoletosContaReceber(CamelModel):
    """``contas_receber.list_boletos``: the bank slips of a sale or an invoice."""

    venda: NumeroRef | None = None
    nota_fiscal: NumeroRef | None = None
    valor_total: Decimal_ = None
    contas: list[BoletoConta] | None = None


# -- produtos: lotes, estruturas, fornecedores, lojas --------------------------------------------


class ProdutoLote(CamelModel):
    """A batch of a product (``/produtos/lotes``)."""

    id_lote: int | None = None
    codigo_lote: str | None = None
    data_fabricacao: BlingDate = None
    data_validade: BlingDate = None
    dias_permitido_venda: int | None = None
    codigo_agregacao: str | None = None
    produto: Ref | None = None
    deposito: Ref | None = None
    status: int | None = None


class LoteSalvo(CamelModel):
    id: int | None = None
    codigo_lote: str | None = None
    id_produto: int | None = None


class ProdutoLotesSalvos(CamelModel):
    """What ``produtos.lotes.save`` answers: the batches saved and the ones refused."""

    saved: list[LoteSalvo] | None = None
    errors: list[Alerta] | None = None


class ProdutoControlaLote(CamelModel):
    """Whether a product keeps batches."""

    id_produto: int | None = None
    controla_lote: bool | None = None


class ProdutoLoteLancamento(CamelModel):
    """A stock entry of a batch (``/produtos/lotes/{idLote}/lancamentos``)."""

    id: int | None = None
    id_lote: int | None = None
    quantidade: Decimal_ = None
    tipo_lancamento: int | None = None
    data: BlingInstant = None
    id_origem: int | None = None
    observacao: str | None = None


class ProdutoLoteSaldo(CamelModel):
    """The balance of one batch in one warehouse."""

    id_lote: int | None = None
    produto: Ref | None = None
    deposito: Ref | None = None
    saldo_atual: Decimal_ = None


class ProdutoLoteSaldoSoma(CamelModel):
    """The sum of a product's batch balances, in one warehouse or (no ``deposito``) all."""

    produto: Ref | None = None
    deposito: Ref | None = None
    saldo_total: Decimal_ = None


class ProdutoFornecedor(CamelModel):
    """A supplier of a product (``/produtos/fornecedores``)."""

    id: Annotated[int | None, READ_ONLY] = None
    descricao: str | None = None
    codigo: str | None = None
    preco_custo: Decimal_ = None
    preco_compra: Decimal_ = None
    padrao: bool | None = None
    produto: Ref | None = None
    fornecedor: Ref | None = None
    garantia: int | None = None


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, dict) else value


Refs = Annotated[list[Ref] | None, BeforeValidator(_as_list)]
"""A list of references; a single object (as parts of the spec show) reads as a list of one."""


class ProdutoLoja(CamelModel):
    """A product's listing in a store (``/produtos/lojas``)."""

    id: Annotated[int | None, READ_ONLY] = None
    codigo: str | None = None
    preco: Decimal_ = None
    preco_promocional: Decimal_ = None
    produto: Ref | None = None
    loja: Ref | None = None
    fornecedor_loja: Ref | None = None
    marca_loja: Ref | None = None
    categorias_produtos: Refs = None


class ProdutoLojaSalvo(CamelModel):
    """What ``produtos.lojas.update`` answers."""

    id: int | None = None
    categorias_produtos: Refs = None


# -- situações, tributação -----------------------------------------------------------------------


class SituacaoAcao(CamelModel):
    """An action a transition between states can run (``estornarEstoque``, ...)."""

    id: int | None = None
    nome: str | None = None
    descricao: str | None = None


class SituacaoTransicao(CamelModel):
    """A transition between two states of a module (``/situacoes/transicoes``)."""

    id: Annotated[int | None, READ_ONLY] = None
    ativo: bool | None = None
    acoes: list[int] | None = None
    modulo: Ref | None = None
    situacao_origem: NamedRef | None = None
    situacao_destino: NamedRef | None = None


class ImpostoCalculado(CamelModel):
    """One tax of ``obter_tributacao``: the fields the taxes share."""

    regra_operacao: Ref | None = None
    tributacao: int | None = None
    cst: str | None = None
    aliquota: Decimal_ = None
    base: Decimal_ = None
    valor_base_calculo: Decimal_ = None
    valor_imposto: Decimal_ = None
    observacoes: str | None = None
    informacoes_adicionais_fisco: str | None = None


class ImpostoIcms(ImpostoCalculado):
    """ICMS."""

    porcentagem_fcp_difal: Decimal_ = None
    valor_fcp_difal: Decimal_ = None
    valor_fcp_efetivo: Decimal_ = None
    porcentagem_fcp: Decimal_ = None
    porcentagem_fcp_uf_destino: Decimal_ = None
    modalidade_base_calculo: Decimal_ = None
    valor_pauta: Decimal_ = None
    aliquota_presumido: Decimal_ = None
    porcentagem_base_calculo_uf_destino: Decimal_ = None
    porcentagem_icms_uf_destino: Decimal_ = None
    tipo_partilha: int | None = None
    valor_icms_desonerado: Decimal_ = None
    motivo_desoneracao_icms: int | None = None
    base_diferimento: Decimal_ = None
    valor_base_diferimento: Decimal_ = None
    valor_presumido: Decimal_ = None
    aliquota_posicao: Decimal_ = None


class ImpostoIcmsSt(ImpostoCalculado):
    """ICMS ST."""

    percentual_adicionado: Decimal_ = None
    modalidade_base_calculo: int | None = None
    valor_pauta: Decimal_ = None


class ImpostoSimples(ImpostoCalculado):
    """Simples Nacional."""

    base_diferimento: Decimal_ = None
    modalidade_base_calculo: int | None = None
    valor_pauta: Decimal_ = None
    valor_imposto_st: Decimal_ = None
    valor_base_calculo_st: Decimal_ = None
    base_calculo_st: Decimal_ = None
    percentual_adicionado_st: Decimal_ = None
    modalidade_base_calculo_st: Decimal_ = None
    valor_pauta_st: Decimal_ = None
    aliquota_st: Decimal_ = None
    aliquota_st_retido: Decimal_ = None
    base_st_retido: Decimal_ = None
    valor_unitario_base_cst_retencao: Decimal_ = None
    valor_unitario_icms_st_retencao: Decimal_ = None
    valor_unitario_icms_substituto: Decimal_ = None


class ImpostoIpi(ImpostoCalculado):
    """IPI."""

    valor_ipi_fixo_unitario: Decimal_ = None
    classe_enquadramento_ipi: str | None = None
    codigo_enquadramento_ipi: int | None = None
    codigo_selo: str | None = None
    codigo_ex_tipi: int | None = None


class ImpostoIssqn(ImpostoCalculado):
    """ISSQN."""

    codigo_lista_servicos: str | None = None
    descontar_iss_total_nota: bool | None = None
    reter_iss: bool | None = None


class ImpostoPis(ImpostoCalculado):
    """PIS."""

    valor_pis_fixo: Decimal_ = None


class ImpostoCofins(ImpostoCalculado):
    """COFINS."""

    valor_cofins_fixo: Decimal_ = None


class ImpostoIbsCbs(ImpostoCalculado):
    """IBS/CBS: classification."""

    classificacao_tributaria: str | None = None


class ImpostoIbs(CamelModel):
    """IBS."""

    regra_operacao: Ref | None = None
    percentual_ibs_uf: Decimal_ = None
    percentual_ibs_municipio: Decimal_ = None
    percentual_reducao_aliquota_uf: Decimal_ = None
    percentual_reducao_aliquota_municipio: Decimal_ = None
    aliquota_efetiva_uf: Decimal_ = None
    aliquota_efetiva_municipio: Decimal_ = None
    percentual_diferimento_uf: Decimal_ = None
    percentual_diferimento_municipio: Decimal_ = None
    codigo_credito_presumido: str | None = None
    percentual_credito_presumido: Decimal_ = None


class ImpostoCbs(CamelModel):
    """CBS."""

    regra_operacao: Ref | None = None
    percentual_cbs: Decimal_ = None
    percentual_reducao_aliquota: Decimal_ = None
    aliquota_efetiva: Decimal_ = None
    percentual_diferimento: Decimal_ = None
    codigo_credito_presumido: str | None = None
    percentual_credito_presumido: Decimal_ = None


class ImpostoIbsCbsRegular(CamelModel):
    """IBS/CBS regular taxation."""

    cst_regular: str | None = None
    classificacao_tributaria_regular: str | None = None
    aliquota_efetiva_regular_ibs_uf: Decimal_ = None
    aliquota_efetiva_regular_ibs_municipio: Decimal_ = None
    aliquota_efetiva_regular_cbs: Decimal_ = None
    valor_tributacao_regular_ibs_uf: Decimal_ = None
    valor_tributacao_regular_ibs_municipio: Decimal_ = None
    valor_tributacao_regular_cbs: Decimal_ = None


class CalculoImpostos(CamelModel):
    """The taxation an operation nature gives a product (``obter_tributacao``)."""

    faturada: bool | None = None
    observacoes: str | None = None
    pis_cofins_presumido: bool | None = None
    soma_impostos_total: bool | None = None
    soma_icms_total: bool | None = None
    aliquota_funrural: Decimal_ = None
    desconta_funrural: bool | None = None
    consumidor_final: bool | None = None
    ret_imposto_retido: bool | None = None
    ret_aliquota_ir: Decimal_ = None
    ret_valor_ir: Decimal_ = None
    ret_aliquota_csll: Decimal_ = None
    ret_valor_csll: Decimal_ = None
    desconto_condicional: bool | None = None
    base_comissao: Decimal_ = None
    valor_pmc: Decimal_ = None
    aliquota_valor_aprox_impostos: Decimal_ = None
    informacoes_adicionais_fisco: str | None = None
    incluir_frete_ipi: bool | None = None
    codigo_beneficio_fiscal: str | None = None
    porcentagem_fcp: Decimal_ = None
    cfop: int | None = None
    icms: ImpostoIcms | None = None
    icms_st: ImpostoIcmsSt | None = None
    simples: ImpostoSimples | None = None
    simples_st: ImpostoCalculado | None = None
    ipi: ImpostoIpi | None = None
    issqn: ImpostoIssqn | None = None
    pis: ImpostoPis | None = None
    pis_st: ImpostoCalculado | None = None
    cofins: ImpostoCofins | None = None
    cofins_st: ImpostoCalculado | None = None
    ii: ImpostoCalculado | None = None
    ibs_cbs: ImpostoIbsCbs | None = None
    ibs: ImpostoIbs | None = None
    cbs: ImpostoCbs | None = None
    ibs_cbs_reg: ImpostoIbsCbsRegular | None = None


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
