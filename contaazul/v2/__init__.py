"""Client of today's Conta Azul API (api-v2.contaazul.com, OAuth 2), sync and async.

>>> from contaazul.v2 import ContaAzul, ContaAzulOAuth
>>> ca = ContaAzul(access_token="...")
>>> for pessoa in ca.pessoas.list(busca="Maria"):
...     print(pessoa.nome)

Names load on first use (PEP 562), so ``import contaazul.v2`` stays cheap.
"""

from typing import TYPE_CHECKING

from sdkcore.lazy import lazy_exports

if TYPE_CHECKING:
    from sdkcore import (
        APIConnectionError as APIConnectionError,
        APIError as APIError,
        APIResponse as APIResponse,
        APIStatusError as APIStatusError,
        APITimeoutError as APITimeoutError,
        AuthenticationError as AuthenticationError,
        BadRequestError as BadRequestError,
        ConflictError as ConflictError,
        FieldError as FieldError,
        MissingCredentialsError as MissingCredentialsError,
        NotFoundError as NotFoundError,
        PermissionDeniedError as PermissionDeniedError,
        RateLimitError as RateLimitError,
        RecordParseError as RecordParseError,
        RequestValidationError as RequestValidationError,
        ResponseParseError as ResponseParseError,
        RetryPolicy as RetryPolicy,
        SDKError as SDKError,
        ServerError as ServerError,
        ValidationError as ValidationError,
    )
    from sdkcore.auth import ReauthorizationRequired as ReauthorizationRequired

    from ._client import (
        AsyncContaAzul as AsyncContaAzul,
        ContaAzul as ContaAzul,
    )
    from ._protocol import (
        ProtocolFailed as ProtocolFailed,
        Protocolo as Protocolo,
        ProtocolTimeoutError as ProtocolTimeoutError,
    )
    from .models import *  # noqa: F403
    from .oauth import ContaAzulOAuth as ContaAzulOAuth
    from .resources.financeiro import FinancialAccountNotFound as FinancialAccountNotFound

if not TYPE_CHECKING:  # type checkers read the imports above, so a typo stays an error
    __getattr__, __dir__ = lazy_exports(__name__)
