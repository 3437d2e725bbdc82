"""Typed client for Bling API v3 (https://developer.bling.com.br).

from bling import Bling, BlingOAuth, FileTokenStore

oauth = BlingOAuth(client_id=..., client_secret=..., redirect_uri=...)
url, state = oauth.authorization_url()
tokens = oauth.exchange_code(code, state=returned_state, expected_state=state)
store = FileTokenStore("bling-tokens.json"); store.save(tokens)
bling = Bling(oauth=oauth, token_store=store)
for contato in bling.contatos.list(criterio=1): ...
"""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports

if TYPE_CHECKING:
    from sdkcore import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AsyncPager as AsyncPager,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        FieldError as FieldError,
        FileTokenStore as FileTokenStore,
        LogLevelError as LogLevelError,
        MemoryTokenStore as MemoryTokenStore,
        MissingCredentialsError as MissingCredentialsError,
        NotFoundError as NotFoundError,
        Page as Page,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        ReauthorizationRequired as ReauthorizationRequired,
        RecordParseError as RecordParseError,
        RequestValidationError as RequestValidationError,
        ResponseParseError as ResponseParseError,
        RetryPolicy as RetryPolicy,
        SDKError as SDKError,
        ServerError as ServerError,
        SyncPager as SyncPager,
        TokenSet as TokenSet,
        TokenStore as TokenStore,
        ValidationError as ValidationError,
        __version__ as __version__,
    )

    from ._calls import (
        Created as Created,
        Data as Data,
    )
    from ._client import (
        API_BASE as API_BASE,
        AsyncBling as AsyncBling,
        Bling as Bling,
    )
    from .models import (
        Alerta as Alerta,
        Alertas as Alertas,
        Baixa as Baixa,
        BoletosContaReceber as BoletosContaReceber,
        CalculoImpostos as CalculoImpostos,
        Categoria as Categoria,
        CategoriaProduto as CategoriaProduto,
        ContaBaixada as ContaBaixada,
        ContaPagar as ContaPagar,
        ContaReceber as ContaReceber,
        Contato as Contato,
        ContatoResumo as ContatoResumo,
        Deposito as Deposito,
        Empresa as Empresa,
        Endereco as Endereco,
        Estoque as Estoque,
        FormaPagamento as FormaPagamento,
        ItemPedidoVenda as ItemPedidoVenda,
        ItemPropostaComercial as ItemPropostaComercial,
        ModuloSistema as ModuloSistema,
        NaturezaOperacao as NaturezaOperacao,
        ParcelaPedidoVenda as ParcelaPedidoVenda,
        ParcelaPropostaComercial as ParcelaPropostaComercial,
        PedidoVenda as PedidoVenda,
        PedidoVendaResumo as PedidoVendaResumo,
        PedidoVendaSalvo as PedidoVendaSalvo,
        Produto as Produto,
        ProdutoControlaLote as ProdutoControlaLote,
        ProdutoEstrutura as ProdutoEstrutura,
        ProdutoFornecedor as ProdutoFornecedor,
        ProdutoLoja as ProdutoLoja,
        ProdutoLojaSalvo as ProdutoLojaSalvo,
        ProdutoLote as ProdutoLote,
        ProdutoLoteLancamento as ProdutoLoteLancamento,
        ProdutoLoteSaldo as ProdutoLoteSaldo,
        ProdutoLoteSaldoSoma as ProdutoLoteSaldoSoma,
        ProdutoLotesSalvos as ProdutoLotesSalvos,
        ProdutoResumo as ProdutoResumo,
        ProdutoSalvo as ProdutoSalvo,
        PropostaComercial as PropostaComercial,
        Ref as Ref,
        RegistroSalvo as RegistroSalvo,
        SaldoEstoque as SaldoEstoque,
        Situacao as Situacao,
        SituacaoAcao as SituacaoAcao,
        SituacaoTransicao as SituacaoTransicao,
        TipoContato as TipoContato,
        Vendedor as Vendedor,
    )
    from .oauth import (
        BlingOAuth as BlingOAuth,
        StateMismatchError as StateMismatchError,
        TokenCallGuard as TokenCallGuard,
    )
    from .webhooks import (
        Deduplicator as Deduplicator,
        WebhookError as WebhookError,
        WebhookEvent as WebhookEvent,
        Webhooks as Webhooks,
        WebhookSignatureError as WebhookSignatureError,
    )

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)
