"""Charges (cobranças): payment links, Pix and boletos for an installment
(``charge-openapi.yml``)."""

from __future__ import annotations

from typing import Annotated

from sdkcore.models import REQUIRED_ON_CREATE, APIModel, OptionalDate, OptionalMoney
from sdkcore.write_checks import NON_NEGATIVE


class DescontoAntecipado(APIModel):
    """A discount for paying early: give ``valor`` or ``percentual``, never both."""

    valor: Annotated[OptionalMoney, NON_NEGATIVE] = None
    percentual: Annotated[OptionalMoney, NON_NEGATIVE] = None
    dias_antes_vencer: int | None = None


class CobrancaAtributos(APIModel):
    desconto_antecipado: DescontoAntecipado | None = None


class CobrancaCriacao(APIModel):
    """A new charge for an installment (``cobrancas.create``; the spec's
    ``GerarCobrancaRequestDto``). ``tipo`` is ``LINK_PAGAMENTO``, ``PIX_COBRANCA`` or
    ``BOLETO``; ``conta_bancaria`` an account of kind ``COBRANCAS_CONTA_AZUL`` (or the
    ``CONTA_CORRENTE`` of a Conta Azul PJ account)."""

    conta_bancaria: Annotated[str | None, REQUIRED_ON_CREATE] = None
    descricao_fatura: Annotated[str | None, REQUIRED_ON_CREATE] = None
    id_parcela: Annotated[str | None, REQUIRED_ON_CREATE] = None
    data_vencimento: Annotated[OptionalDate, REQUIRED_ON_CREATE] = None
    tipo: Annotated[str | None, REQUIRED_ON_CREATE] = None
    atributos: CobrancaAtributos | None = None
    maximo_parcelas: int | None = None


class Cobranca(APIModel):
    """A charge: its id, the URL the payer opens and its status."""

    id: str | None = None
    url: str | None = None
    status: str | None = None


__all__ = ["Cobranca", "CobrancaAtributos", "CobrancaCriacao", "DescontoAntecipado"]
