"""Acquittances (baixas): payments recorded against an installment (``acquittance-openapi.yml``).

Writes and their answers name the amount ``composicao_valor``; a read (``baixas.get``,
``baixas.list``) names it ``valor_composicao``, as the API does.
"""

from __future__ import annotations

from typing import Annotated

from sdkcore.models import REQUIRED_ON_CREATE, APIModel, OptionalDate, OptionalInstant

from .financeiro import AnexoBaixa, ComposicaoValor


class BaixaCriacao(APIModel):
    """A new acquittance (``baixas.create``): when, from which account, how much."""

    data_pagamento: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    conta_financeira: Annotated[str | None, REQUIRED_ON_CREATE] = None
    composicao_valor: Annotated[ComposicaoValor | None, REQUIRED_ON_CREATE] = None
    metodo_pagamento: str | None = None
    observacao: str | None = None
    nsu: str | None = None


class BaixaAtualizacao(APIModel):
    """The fields ``baixas.patch`` changes; ``versao`` is the acquittance's current one
    (the API refuses a stale version rather than overwrite a change it did not see)."""

    versao: int | None = None
    data_pagamento: OptionalDate = None
    composicao_valor: ComposicaoValor | None = None
    conta_financeira: str | None = None
    metodo_pagamento: str | None = None
    observacao: str | None = None
    nsu: str | None = None


class BaixaGravada(APIModel):
    """An acquittance as ``baixas.create`` and ``baixas.patch`` answer it."""

    id: str | None = None
    versao: int | None = None
    data_pagamento: OptionalDate = None
    composicao_valor: ComposicaoValor | None = None
    conta_financeira: str | None = None
    metodo_pagamento: str | None = None
    observacao: str | None = None
    nsu: str | None = None


class Baixa(APIModel):
    """An acquittance as ``baixas.get`` and ``baixas.list`` read it."""

    id: str | None = None
    versao: int | None = None
    data_pagamento: OptionalDate = None
    valor_composicao: ComposicaoValor | None = None
    conta_financeira: str | None = None
    id_reconciliacao: str | None = None
    id_parcela: str | None = None
    id_solicitacao_cobranca: str | None = None
    observacao: str | None = None
    metodo_pagamento: str | None = None
    origem: str | None = None
    id_recibo_digital: str | None = None
    tipo_evento_financeiro: str | None = None
    nsu: str | None = None
    id_referencia: str | None = None
    atualizado_em: OptionalInstant = None
    anexos: list[AnexoBaixa] | None = None


__all__ = ["Baixa", "BaixaAtualizacao", "BaixaCriacao", "BaixaGravada"]
