"""The service models of Conta Azul's API (``/v1/servicos``).

No spec file describes services; the fields are those of Conta Azul's developer portal and
the public code that calls it (see ``docs/contaazul-v2.md``). Field names are the wire names;
prices and rates are ``Decimal`` read from the JSON text. ``status`` (``ATIVO``/``INATIVO``)
and ``tipo_servico`` (``PRESTADO``, ``TOMADO``, ``AMBOS``) are ``str``.
"""

from __future__ import annotations

from typing import Annotated

from sdkcore.models import REQUIRED_ON_CREATE, APIModel, OptionalMoney
from sdkcore.write_checks import NON_NEGATIVE


class MunicipioServico(APIModel):
    codigo: int | None = None
    nome: str | None = None
    uf: str | None = None


class NaturezaOperacionalServico(APIModel):
    id: str | None = None


class CenarioTributarioServico(APIModel):
    """A tax scenario of the service (ISS, INSS) in one municipality."""

    id: str | None = None
    inss_aliquota: OptionalMoney = None
    iss_aliquota: OptionalMoney = None
    iss_retido: bool | None = None
    municipio: MunicipioServico | None = None
    nome_usuario: str | None = None
    ultima_atualizacao: str | None = None


class Servico(APIModel):
    """A service as the API answers it (list, get and create)."""

    id: str | None = None
    id_servico: int | None = None
    id_externo: str | None = None
    codigo: str | None = None
    descricao: str | None = None
    custo: OptionalMoney = None
    preco: OptionalMoney = None
    status: str | None = None
    tipo_servico: str | None = None
    codigo_cnae: str | None = None
    codigo_municipio_servico: str | None = None
    lei_116: str | None = None
    natureza_operacional: NaturezaOperacionalServico | None = None
    lista_cenario_tributario: list[CenarioTributarioServico] | None = None


class ServicoAtualizacao(APIModel):
    """The fields a write may send; ``create`` needs ``descricao``, ``update`` sends only
    the fields set."""

    descricao: Annotated[str | None, REQUIRED_ON_CREATE] = None
    codigo: str | None = None
    custo: Annotated[OptionalMoney, NON_NEGATIVE] = None
    preco: Annotated[OptionalMoney, NON_NEGATIVE] = None
    status: str | None = None
    tipo_servico: str | None = None
