# ruff: noqa: E501
"""Every Bling operation this client covers, one row each: the compact source of truth.

``python -m bling._generate`` turns these rows, plus the parameter names and types of
Bling's OpenAPI description, into ``_resources.py`` (one typed builder per operation,
bound sync or async by the client).
A row is ``(resource, method name, HTTP method, path, kind, model, body fields)``:

- ``list``: paged GET, returns a lazy pager; ``get``/``fetch``: GET of one thing;
- ``create``: POST returning the new id; ``update``: PUT of the whole record;
- ``patch``: PATCH of some fields; ``delete``/``delete_many``: DELETE by id or ids;
- ``action``: any other sub-action (``lancar_contas``, ``baixar``, ...).

``body fields`` turns a small JSON body into keyword arguments (``situacao=...``).
"""

from __future__ import annotations

Row = tuple[str, str, str, str, str, str | None, tuple[str, ...]]

N: tuple[str, ...] = ()

# fmt: off
OPERATIONS: tuple[Row, ...] = (
    # contatos
    ("contatos", "list", "GET", "/contatos", "list", "ContatoResumo", N),
    ("contatos", "create", "POST", "/contatos", "create", "Contato", N),
    ("contatos", "delete_many", "DELETE", "/contatos", "delete_many", None, N),
    ("contatos", "get", "GET", "/contatos/{idContato}", "get", "Contato", N),
    ("contatos", "update", "PUT", "/contatos/{idContato}", "update", "Contato", N),
    ("contatos", "delete", "DELETE", "/contatos/{idContato}", "delete", None, N),
    ("contatos", "get_tipos", "GET", "/contatos/{idContato}/tipos", "fetch", "TipoContato", N),
    ("contatos", "get_consumidor_final", "GET", "/contatos/consumidor-final", "fetch", "Contato", N),
    ("contatos", "alterar_situacao", "PATCH", "/contatos/{idContato}/situacoes", "action", None, ("situacao",)),
    ("contatos", "alterar_situacoes", "POST", "/contatos/situacoes", "action", None, ("idsContatos", "situacao")),
    ("contatos", "list_tipos", "GET", "/contatos/tipos", "fetch", "TipoContato", N),
    # produtos
    ("produtos", "list", "GET", "/produtos", "list", "ProdutoResumo", N),
    ("produtos", "create", "POST", "/produtos", "create", "Produto", N),
    ("produtos", "delete_many", "DELETE", "/produtos", "delete_many", None, N),
    ("produtos", "get", "GET", "/produtos/{idProduto}", "get", "Produto", N),
    ("produtos", "update", "PUT", "/produtos/{idProduto}", "update", "Produto", N),
    ("produtos", "delete", "DELETE", "/produtos/{idProduto}", "delete", None, N),
    ("produtos", "patch", "PATCH", "/produtos/{idProduto}", "patch", "Produto", N),
    ("produtos", "alterar_situacao", "PATCH", "/produtos/{idProduto}/situacoes", "action", None, ("situacao",)),
    ("produtos", "alterar_situacoes", "POST", "/produtos/situacoes", "action", None, ("idsProdutos", "situacao")),
    ("produtos", "get_variacoes", "GET", "/produtos/variacoes/{idProdutoPai}", "fetch", "Produto", N),
    ("produtos", "gerar_combinacoes", "POST", "/produtos/variacoes/atributos/gerar-combinacoes", "action", None, N),
    ("produtos", "alterar_atributo_variacoes", "PATCH", "/produtos/variacoes/{idProdutoPai}/atributos", "action", None, ("atributoAntigo", "atributoNovo")),
    ("produtos.lotes", "list", "GET", "/produtos/lotes", "list", None, N),
    ("produtos.lotes", "save", "PUT", "/produtos/lotes", "action", None, N),
    ("produtos.lotes", "delete_many", "DELETE", "/produtos/lotes", "delete_many", None, N),
    ("produtos.lotes", "get", "GET", "/produtos/lotes/{idLote}", "fetch", None, N),
    ("produtos.lotes", "update", "PUT", "/produtos/lotes/{idLote}", "update", None, N),
    ("produtos.lotes", "controla_lote", "GET", "/produtos/lotes/controla-lote", "fetch", None, N),
    ("produtos.lotes", "desativar_controle", "POST", "/produtos/{idProduto}/lotes/controla-lote/desativar", "action", None, N),
    ("produtos.lotes", "alterar_status", "PATCH", "/produtos/lotes/{idLote}/status", "action", None, ("status",)),
    ("produtos.lotes", "list_lancamentos", "GET", "/produtos/lotes/{idLote}/lancamentos", "fetch", None, N),
    ("produtos.lotes", "create_lancamento", "POST", "/produtos/lotes/{idLote}/lancamentos", "action", None, N),
    ("produtos.lotes", "get_lancamento", "GET", "/produtos/lotes/lancamentos/{idLancamento}", "fetch", None, N),
    ("produtos.lotes", "alterar_observacao_lancamento", "PATCH", "/produtos/lotes/lancamentos/{idLancamento}", "action", None, ("observacao",)),
    ("produtos.lotes", "get_saldo", "GET", "/produtos/{idProduto}/lotes/{idLote}/depositos/{idDeposito}/saldo", "fetch", None, N),
    ("produtos.lotes", "get_saldos_deposito", "GET", "/produtos/{idProduto}/lotes/depositos/{idDeposito}/saldo", "fetch", None, N),
    ("produtos.lotes", "get_soma_saldos_deposito", "GET", "/produtos/{idProduto}/lotes/depositos/{idDeposito}/saldo/soma", "fetch", None, N),
    ("produtos.lotes", "get_soma_saldos", "GET", "/produtos/{idProduto}/lotes/saldo/soma", "fetch", None, N),
    ("produtos.estruturas", "get", "GET", "/produtos/estruturas/{idProdutoEstrutura}", "fetch", None, N),
    ("produtos.estruturas", "update", "PUT", "/produtos/estruturas/{idProdutoEstrutura}", "update", None, N),
    ("produtos.estruturas", "add_componentes", "POST", "/produtos/estruturas/{idProdutoEstrutura}/componentes", "action", None, N),
    ("produtos.estruturas", "delete_componentes", "DELETE", "/produtos/estruturas/{idProdutoEstrutura}/componentes", "delete_many", None, N),
    ("produtos.estruturas", "patch_componente", "PATCH", "/produtos/estruturas/{idProdutoEstrutura}/componentes/{idComponente}", "action", None, N),
    ("produtos.estruturas", "delete_many", "DELETE", "/produtos/estruturas", "delete_many", None, N),
    ("produtos.fornecedores", "list", "GET", "/produtos/fornecedores", "list", None, N),
    ("produtos.fornecedores", "create", "POST", "/produtos/fornecedores", "create", None, N),
    ("produtos.fornecedores", "get", "GET", "/produtos/fornecedores/{idProdutoFornecedor}", "fetch", None, N),
    ("produtos.fornecedores", "update", "PUT", "/produtos/fornecedores/{idProdutoFornecedor}", "update", None, N),
    ("produtos.fornecedores", "delete", "DELETE", "/produtos/fornecedores/{idProdutoFornecedor}", "delete", None, N),
    ("produtos.lojas", "list", "GET", "/produtos/lojas", "list", None, N),
    ("produtos.lojas", "create", "POST", "/produtos/lojas", "create", None, N),
    ("produtos.lojas", "get", "GET", "/produtos/lojas/{idProdutoLoja}", "fetch", None, N),
    ("produtos.lojas", "update", "PUT", "/produtos/lojas/{idProdutoLoja}", "update", None, N),
    ("produtos.lojas", "delete", "DELETE", "/produtos/lojas/{idProdutoLoja}", "delete", None, N),
    # pedidos de venda
    ("pedidos_vendas", "list", "GET", "/pedidos/vendas", "list", "PedidoVendaResumo", N),
    ("pedidos_vendas", "create", "POST", "/pedidos/vendas", "create", "PedidoVenda", N),
    ("pedidos_vendas", "delete_many", "DELETE", "/pedidos/vendas", "delete_many", None, N),
    ("pedidos_vendas", "get", "GET", "/pedidos/vendas/{idPedidoVenda}", "get", "PedidoVenda", N),
    ("pedidos_vendas", "update", "PUT", "/pedidos/vendas/{idPedidoVenda}", "update", "PedidoVenda", N),
    ("pedidos_vendas", "delete", "DELETE", "/pedidos/vendas/{idPedidoVenda}", "delete", None, N),
    ("pedidos_vendas", "alterar_situacao", "PATCH", "/pedidos/vendas/{idPedidoVenda}/situacoes/{idSituacao}", "action", None, N),
    ("pedidos_vendas", "lancar_estoque_deposito", "POST", "/pedidos/vendas/{idPedidoVenda}/lancar-estoque/{idDeposito}", "action", None, N),
    ("pedidos_vendas", "lancar_estoque", "POST", "/pedidos/vendas/{idPedidoVenda}/lancar-estoque", "action", None, N),
    ("pedidos_vendas", "estornar_estoque", "POST", "/pedidos/vendas/{idPedidoVenda}/estornar-estoque", "action", None, N),
    ("pedidos_vendas", "lancar_contas", "POST", "/pedidos/vendas/{idPedidoVenda}/lancar-contas", "action", None, N),
    ("pedidos_vendas", "estornar_contas", "POST", "/pedidos/vendas/{idPedidoVenda}/estornar-contas", "action", None, N),
    ("pedidos_vendas", "gerar_nfe", "POST", "/pedidos/vendas/{idPedidoVenda}/gerar-nfe", "action", None, N),
    ("pedidos_vendas", "gerar_nfce", "POST", "/pedidos/vendas/{idPedidoVenda}/gerar-nfce", "action", None, N),
    # propostas comerciais
    ("propostas_comerciais", "list", "GET", "/propostas-comerciais", "list", "PropostaComercial", N),
    ("propostas_comerciais", "create", "POST", "/propostas-comerciais", "create", "PropostaComercial", N),
    ("propostas_comerciais", "delete_many", "DELETE", "/propostas-comerciais", "delete_many", None, N),
    ("propostas_comerciais", "get", "GET", "/propostas-comerciais/{idPropostaComercial}", "get", "PropostaComercial", N),
    ("propostas_comerciais", "update", "PUT", "/propostas-comerciais/{idPropostaComercial}", "update", "PropostaComercial", N),
    ("propostas_comerciais", "delete", "DELETE", "/propostas-comerciais/{idPropostaComercial}", "delete", None, N),
    ("propostas_comerciais", "alterar_situacao", "PATCH", "/propostas-comerciais/{idPropostaComercial}/situacoes", "action", None, ("situacao",)),
    # contas a pagar
    ("contas_pagar", "list", "GET", "/contas/pagar", "list", "ContaPagar", N),
    ("contas_pagar", "create", "POST", "/contas/pagar", "create", "ContaPagar", N),
    ("contas_pagar", "get", "GET", "/contas/pagar/{idContaPagar}", "get", "ContaPagar", N),
    ("contas_pagar", "update", "PUT", "/contas/pagar/{idContaPagar}", "update", "ContaPagar", N),
    ("contas_pagar", "delete", "DELETE", "/contas/pagar/{idContaPagar}", "delete", None, N),
    ("contas_pagar", "baixar", "POST", "/contas/pagar/{idContaPagar}/baixar", "action", "Baixa", N),
    # contas a receber
    ("contas_receber", "list", "GET", "/contas/receber", "list", "ContaReceber", N),
    ("contas_receber", "create", "POST", "/contas/receber", "create", "ContaReceber", N),
    ("contas_receber", "get", "GET", "/contas/receber/{idContaReceber}", "get", "ContaReceber", N),
    ("contas_receber", "update", "PUT", "/contas/receber/{idContaReceber}", "update", "ContaReceber", N),
    ("contas_receber", "delete", "DELETE", "/contas/receber/{idContaReceber}", "delete", None, N),
    ("contas_receber", "baixar", "POST", "/contas/receber/{idContaReceber}/baixar", "action", "Baixa", N),
    ("contas_receber", "list_boletos", "GET", "/contas/receber/boletos", "fetch", None, N),
    ("contas_receber", "cancelar_boletos", "POST", "/contas/receber/boletos/cancelar", "action", None, N),
    # formas de pagamento
    ("formas_pagamentos", "list", "GET", "/formas-pagamentos", "list", "FormaPagamento", N),
    ("formas_pagamentos", "create", "POST", "/formas-pagamentos", "create", "FormaPagamento", N),
    ("formas_pagamentos", "get", "GET", "/formas-pagamentos/{idFormaPagamento}", "get", "FormaPagamento", N),
    ("formas_pagamentos", "update", "PUT", "/formas-pagamentos/{idFormaPagamento}", "update", "FormaPagamento", N),
    ("formas_pagamentos", "delete", "DELETE", "/formas-pagamentos/{idFormaPagamento}", "delete", None, N),
    ("formas_pagamentos", "alterar_padrao", "PATCH", "/formas-pagamentos/{idFormaPagamento}/padrao", "action", None, ("padrao",)),
    ("formas_pagamentos", "alterar_situacao", "PATCH", "/formas-pagamentos/{idFormaPagamento}/situacao", "action", None, ("situacao",)),
    # categorias
    ("categorias_receitas_despesas", "list", "GET", "/categorias/receitas-despesas", "list", "Categoria", N),
    ("categorias_receitas_despesas", "create", "POST", "/categorias/receitas-despesas", "create", "Categoria", N),
    ("categorias_receitas_despesas", "delete_many", "DELETE", "/categorias/receitas-despesas", "delete_many", None, N),
    ("categorias_receitas_despesas", "get", "GET", "/categorias/receitas-despesas/{idCategoria}", "get", "Categoria", N),
    ("categorias_receitas_despesas", "update", "PUT", "/categorias/receitas-despesas/{idCategoria}", "update", "Categoria", N),
    ("categorias_receitas_despesas", "delete", "DELETE", "/categorias/receitas-despesas/{idCategoria}", "delete", None, N),
    ("categorias_produtos", "list", "GET", "/categorias/produtos", "list", "CategoriaProduto", N),
    ("categorias_produtos", "create", "POST", "/categorias/produtos", "create", "CategoriaProduto", N),
    ("categorias_produtos", "get", "GET", "/categorias/produtos/{idCategoriaProduto}", "get", "CategoriaProduto", N),
    ("categorias_produtos", "update", "PUT", "/categorias/produtos/{idCategoriaProduto}", "update", "CategoriaProduto", N),
    ("categorias_produtos", "delete", "DELETE", "/categorias/produtos/{idCategoriaProduto}", "delete", None, N),
    # naturezas de operação, vendedores
    ("naturezas_operacoes", "list", "GET", "/naturezas-operacoes", "list", "NaturezaOperacao", N),
    ("naturezas_operacoes", "obter_tributacao", "POST", "/naturezas-operacoes/{idNaturezaOperacao}/obter-tributacao", "action", None, N),
    ("vendedores", "list", "GET", "/vendedores", "list", "Vendedor", N),
    ("vendedores", "get", "GET", "/vendedores/{idVendedor}", "get", "Vendedor", N),
    # depósitos, estoques
    ("depositos", "list", "GET", "/depositos", "list", "Deposito", N),
    ("depositos", "create", "POST", "/depositos", "create", "Deposito", N),
    ("depositos", "get", "GET", "/depositos/{idDeposito}", "get", "Deposito", N),
    ("depositos", "update", "PUT", "/depositos/{idDeposito}", "update", "Deposito", N),
    ("estoques", "get_saldos_deposito", "GET", "/estoques/saldos/{idDeposito}", "fetch", "SaldoEstoque", N),
    ("estoques", "get_saldos", "GET", "/estoques/saldos", "fetch", "SaldoEstoque", N),
    ("estoques", "create", "POST", "/estoques", "create", "Estoque", N),
    # situações
    ("situacoes", "list_modulos", "GET", "/situacoes/modulos", "fetch", "ModuloSistema", N),
    ("situacoes", "list_do_modulo", "GET", "/situacoes/modulos/{idModuloSistema}", "fetch", "Situacao", N),
    ("situacoes", "list_acoes", "GET", "/situacoes/modulos/{idModuloSistema}/acoes", "fetch", None, N),
    ("situacoes", "list_transicoes", "GET", "/situacoes/modulos/{idModuloSistema}/transicoes", "fetch", None, N),
    ("situacoes", "get", "GET", "/situacoes/{idSituacao}", "get", "Situacao", N),
    ("situacoes", "update", "PUT", "/situacoes/{idSituacao}", "update", "Situacao", N),
    ("situacoes", "delete", "DELETE", "/situacoes/{idSituacao}", "delete", None, N),
    ("situacoes", "create", "POST", "/situacoes", "create", "Situacao", N),
    ("situacoes", "get_transicao", "GET", "/situacoes/transicoes/{idTransicao}", "fetch", None, N),
    ("situacoes", "update_transicao", "PUT", "/situacoes/transicoes/{idTransicao}", "update", None, N),
    ("situacoes", "delete_transicao", "DELETE", "/situacoes/transicoes/{idTransicao}", "delete", None, N),
    ("situacoes", "create_transicao", "POST", "/situacoes/transicoes", "create", None, N),
    # empresas
    ("empresas", "get_dados_basicos", "GET", "/empresas/me/dados-basicos", "fetch", "Empresa", N),
)
# fmt: on

PREFIXES: tuple[str, ...] = (
    "/contatos",
    "/produtos",
    "/pedidos/vendas",
    "/propostas-comerciais",
    "/contas/pagar",
    "/contas/receber",
    "/formas-pagamentos",
    "/categorias/receitas-despesas",
    "/categorias/produtos",
    "/naturezas-operacoes",
    "/vendedores",
    "/depositos",
    "/estoques",
    "/situacoes",
    "/empresas",
)
"""Path prefixes whose every operation must have a method (the coverage test checks)."""
