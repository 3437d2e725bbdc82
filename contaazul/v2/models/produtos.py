"""The product models of Conta Azul's API (``inventory-openapi.yml``, plus the portal's
product by id).

Field names are the wire names. Amounts and stock quantities are ``Decimal`` read from the
JSON text. Statuses and kinds are ``str``.
"""

from __future__ import annotations

from typing import Annotated, Any

from sdkcore.models import (
    REQUIRED_ON_CREATE,
    APIModel,
    OptionalInstant,
    OptionalMoney,
)
from sdkcore.write_checks import NON_NEGATIVE


class VariacaoResumo(APIModel):
    """``ProductListChildResponse`` of inventory-openapi.yml."""

    id: str | None = None
    id_legado: int | None = None
    nome: str | None = None
    codigo_sku: str | None = None
    codigo_ean: str | None = None
    tipo: str | None = None
    status: str | None = None
    estoque: OptionalMoney = None
    valor_venda: OptionalMoney = None
    custo_medio: OptionalMoney = None
    filhos: list[str] | None = None
    variacao: int | None = None
    nivel_estoque: str | None = None
    estoque_minimo: OptionalMoney = None
    estoque_maximo: OptionalMoney = None
    movimentado: bool | None = None
    id_pai: str | None = None
    integracao_ecommerce_ativa: bool | None = None


class ProdutoResumo(APIModel):
    """``ProductListResponse`` of inventory-openapi.yml."""

    id: str | None = None
    id_legado: int | None = None
    nome: str | None = None
    codigo_sku: str | None = None
    codigo_ean: str | None = None
    tipo: str | None = None
    status: str | None = None
    estoque: OptionalMoney = None
    valor_venda: OptionalMoney = None
    custo_medio: OptionalMoney = None
    filhos: list[VariacaoResumo] | None = None
    variacao: int | None = None
    nivel_estoque: str | None = None
    estoque_minimo: OptionalMoney = None
    estoque_maximo: OptionalMoney = None
    movimentado: bool | None = None
    id_pai: str | None = None
    integracao_ecommerce_ativa: bool | None = None


class ListagemProdutos(APIModel):
    """``ListagemDeProdutosPorFiltroResponse`` of inventory-openapi.yml."""

    itens: list[ProdutoResumo] | None = None
    itens_totais: int | None = None


class EstoqueCriacao(APIModel):
    """``EstoqueCriacaoProduto`` of inventory-openapi.yml."""

    valor_venda: Annotated[OptionalMoney, NON_NEGATIVE] = None
    custo_medio: Annotated[OptionalMoney, NON_NEGATIVE] = None
    estoque_disponivel: Annotated[OptionalMoney, NON_NEGATIVE] = None
    estoque_minimo: Annotated[OptionalMoney, NON_NEGATIVE] = None
    estoque_maximo: Annotated[OptionalMoney, NON_NEGATIVE] = None


class Dimensao(APIModel):
    """``Dimensao`` of inventory-openapi.yml."""

    altura: Annotated[OptionalMoney, NON_NEGATIVE] = None
    largura: Annotated[OptionalMoney, NON_NEGATIVE] = None
    profundidade: Annotated[OptionalMoney, NON_NEGATIVE] = None


class OpcaoVariacaoCriacao(APIModel):
    """``ProductVariationOptionRequest`` of inventory-openapi.yml."""

    id: Annotated[str | None, REQUIRED_ON_CREATE] = None
    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None


class TipoVariacaoCriacao(APIModel):
    """``TipoVariacaoRequest`` of inventory-openapi.yml."""

    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    opcoes: Annotated[list[OpcaoVariacaoCriacao] | None, REQUIRED_ON_CREATE] = None


class ItemVariacaoCriacao(APIModel):
    """``ItemVariacaoRequest`` of inventory-openapi.yml."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE] = None
    codigo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    codigo_ean: str | None = None
    versao: int | None = None
    valor_venda: Annotated[OptionalMoney, NON_NEGATIVE] = None
    estoque: Annotated[OptionalMoney, REQUIRED_ON_CREATE, NON_NEGATIVE] = None
    opcoes: Annotated[list[OpcaoVariacaoCriacao] | None, REQUIRED_ON_CREATE] = None


class VariacaoCriacao(APIModel):
    """``VariacaoRequest`` of inventory-openapi.yml."""

    tipos: list[TipoVariacaoCriacao] | None = None
    produtos: list[ItemVariacaoCriacao] | None = None


class EcommerceCriacao(APIModel):
    """``EcommerceRequestProduto`` of inventory-openapi.yml."""

    condicao: str | None = None
    integracao_habilitada: bool | None = None
    observacao_adicional: str | None = None
    titulo_seo: str | None = None
    descricao: str | None = None
    url_seo: str | None = None


class ProdutoCriacao(APIModel):
    """``CriacaoProdutoRequest`` of inventory-openapi.yml."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE] = None
    codigo_sku: str | None = None
    codigo_ean: str | None = None
    observacao: str | None = None
    formato: Annotated[str | None, REQUIRED_ON_CREATE] = None
    estoque: Annotated[EstoqueCriacao | None, REQUIRED_ON_CREATE] = None
    dimensao: Annotated[Dimensao | None, REQUIRED_ON_CREATE] = None
    variacao: VariacaoCriacao | None = None
    ecommerce: EcommerceCriacao | None = None


class Estoque(APIModel):
    """``Estoque`` of inventory-openapi.yml."""

    estoque_total: OptionalMoney = None
    valor_venda: OptionalMoney = None
    custo_medio: OptionalMoney = None
    estoque_disponivel: OptionalMoney = None
    estoque_minimo: OptionalMoney = None
    estoque_maximo: OptionalMoney = None


class Ecommerce(APIModel):
    """``Ecommerce`` of inventory-openapi.yml."""

    condicao: str | None = None
    integracao_ativa: bool | None = None
    descricao_adicional: str | None = None
    titulo_seo: str | None = None
    descricao_seo: str | None = None
    url_seo: str | None = None


class OpcaoVariacao(APIModel):
    """``ProductVariationOptionResponse`` of inventory-openapi.yml."""

    id: str | None = None
    descricao: str | None = None


class TipoVariacao(APIModel):
    """``TipoVariacao`` of inventory-openapi.yml."""

    id: str | None = None
    descricao: str | None = None
    opcoes: list[OpcaoVariacao] | None = None


class ItemVariacao(APIModel):
    """``ItemVariacao`` of inventory-openapi.yml."""

    id: str | None = None
    nome: str | None = None
    codigo: str | None = None
    codigo_ean: str | None = None
    versao: int | None = None
    valor_venda: OptionalMoney = None
    estoque: OptionalMoney = None
    opcoes: list[OpcaoVariacao] | None = None


class Variacao(APIModel):
    """``VariacaoResponse`` of inventory-openapi.yml."""

    tipos: list[TipoVariacao] | None = None
    produtos: list[ItemVariacao] | None = None


class ProdutoCriado(APIModel):
    """``ProdutoResponse`` of inventory-openapi.yml."""

    id: str | None = None
    identificador_legado: str | None = None
    ativo: bool | None = None
    versao: int | None = None
    nome: str | None = None
    codigo_sku: str | None = None
    codigo_ean: str | None = None
    observacao: str | None = None
    status: str | None = None
    formato: str | None = None
    estoque: Estoque | None = None
    dimensoes: Dimensao | None = None
    ecommerce: Ecommerce | None = None
    variacao: Variacao | None = None


class ProdutoDesativado(APIModel):
    """``ProdutoDesativadoResponse`` of inventory-openapi.yml."""

    todos: list[str] | None = None
    produtos_desativados: list[str] | None = None


# -- the portal's product by id (GET /v1/produtos/{id}) ---------------------------------------


class EstoqueProduto(Estoque):
    """The stock of one product as ``get`` answers it (the portal's names beside the spec's)."""

    quantidade_disponivel: OptionalMoney = None
    quantidade_reservada: OptionalMoney = None
    quantidade_total: OptionalMoney = None


class Produto(ProdutoCriado):
    """One product (``GET /v1/produtos/{id}``, a portal operation): the spec's
    ``ProdutoResponse`` fields and those the portal adds."""

    id_legado: int | None = None
    descricao: str | None = None
    estoque: EstoqueProduto | None = None
    categoria: dict[str, Any] | None = None
    unidade_medida: dict[str, Any] | None = None
    pesos_dimensoes: dict[str, Any] | None = None
    fiscal: dict[str, Any] | None = None
    id_centro_custo: str | None = None
    ultima_atualizacao: OptionalInstant = None
