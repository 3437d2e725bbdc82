"""The people models of Conta Azul's API (customers, suppliers and carriers: ``/v1/pessoas``).

No spec file describes people; the fields are those of Conta Azul's developer portal
("Pessoas (v1)") and the public code that calls it (see ``docs/contaazul-v2.md``).
Reads name the document ``documento``; writes send ``cpf`` or ``cnpj``, checked by their
check digits before sending. Field names are the wire names; amounts are ``Decimal``,
dates ``date``, instants aware (naive times are São Paulo's). Kinds are ``str``:
``tipo_pessoa`` is ``"Física"``, ``"Jurídica"`` or ``"Estrangeira"``, a profile's
``tipo_perfil`` ``"Cliente"``, ``"Fornecedor"`` or ``"Transportadora"``.
"""

from __future__ import annotations

from typing import Annotated

from sdkcore.models import (
    REQUIRED_ON_CREATE,
    APIModel,
    OptionalDate,
    OptionalInstant,
    OptionalMoney,
)
from sdkcore.write_checks import MaxLength, TaxId

_CPF = TaxId(kind_field="tipo_pessoa", kinds=(("Física", "cpf"), ("Estrangeira", None)))
_CNPJ = TaxId(kind_field="tipo_pessoa", kinds=(("Jurídica", "cnpj"), ("Estrangeira", None)))


class EnderecoPessoa(APIModel):
    """An address; ``estado`` is the two-letter UF."""

    id: str | None = None
    id_cidade: int | None = None
    cep: str | None = None
    logradouro: str | None = None
    numero: str | None = None
    complemento: str | None = None
    bairro: str | None = None
    cidade: str | None = None
    estado: str | None = None
    pais: str | None = None


class InscricaoPessoa(APIModel):
    """State and municipal registrations."""

    id: str | None = None
    indicador_inscricao_estadual: str | None = None
    inscricao_estadual: str | None = None
    inscricao_municipal: str | None = None
    inscricao_suframa: str | None = None


class PerfilPessoa(APIModel):
    """One profile of a person: ``tipo_perfil`` is Cliente, Fornecedor or Transportadora."""

    id: str | None = None
    tipo_perfil: str | None = None


class ContatoCobrancaFaturamento(APIModel):
    """Who receives bills and invoices."""

    emails: list[str] | None = None
    whatsapp: str | None = None


class OutroContatoPessoa(APIModel):
    id: str | None = None
    nome: str | None = None
    cargo: str | None = None
    email: str | None = None
    telefone_celular: str | None = None
    telefone_comercial: str | None = None


class LembreteVencimento(APIModel):
    id: str | None = None
    ativo: bool | None = None
    email: str | None = None


class MensagemPagamentosAbertos(APIModel):
    numero: int | None = None
    total: int | None = None


class PessoaLegada(APIModel):
    """The person's ids in the legacy API (an integer ``id`` and a ``uuid``)."""

    id: int | None = None
    perfil: str | None = None
    uuid: str | None = None


class PessoaResumo(APIModel):
    """A person as the list answers it; ``perfis`` are plain names (``"CLIENTE"``)."""

    id: str | None = None
    id_legado: int | None = None
    uuid_legado: str | None = None
    nome: str | None = None
    tipo_pessoa: str | None = None
    documento: str | None = None
    email: str | None = None
    telefone: str | None = None
    ativo: bool | None = None
    observacoes_gerais: str | None = None
    perfis: list[str] | None = None
    endereco: EnderecoPessoa | None = None
    data_criacao: OptionalInstant = None
    data_alteracao: OptionalInstant = None


class Pessoa(APIModel):
    """A person as ``get`` answers it."""

    id: str | None = None
    nome: str | None = None
    nome_empresa: str | None = None
    tipo_pessoa: str | None = None
    codigo: str | None = None
    documento: str | None = None
    rg: str | None = None
    data_nascimento: OptionalDate = None
    email: str | None = None
    telefone_celular: str | None = None
    telefone_comercial: str | None = None
    ativo: bool | None = None
    optante_simples_nacional: bool | None = None
    orgao_publico: bool | None = None
    observacao: str | None = None
    criado_em: OptionalInstant = None
    data_alteracao: OptionalInstant = None
    atrasos_pagamentos: OptionalMoney = None
    atrasos_recebimentos: OptionalMoney = None
    pagamentos_mes_atual: OptionalMoney = None
    recebimentos_mes_atual: OptionalMoney = None
    contato_cobranca_faturamento: ContatoCobrancaFaturamento | None = None
    mensagem_pagamentos_abertos: MensagemPagamentosAbertos | None = None
    enderecos: list[EnderecoPessoa] | None = None
    inscricoes: list[InscricaoPessoa] | None = None
    lembretes_vencimento: list[LembreteVencimento] | None = None
    outros_contatos: list[OutroContatoPessoa] | None = None
    perfis: list[PerfilPessoa] | None = None
    pessoas_legado: list[PessoaLegada] | None = None


class PessoaAtualizacao(APIModel):
    """The fields a write may send. ``patch`` sends the ones set; ``create`` and ``update``
    need ``nome`` and ``tipo_pessoa``, and the API checks the rest (on ``update``, every
    field the whole record needs: see ``Pessoas.update``)."""

    nome: Annotated[str | None, REQUIRED_ON_CREATE, MaxLength(200)] = None
    tipo_pessoa: Annotated[str | None, REQUIRED_ON_CREATE] = None
    cpf: Annotated[str | None, _CPF] = None
    cnpj: Annotated[str | None, _CNPJ] = None
    nome_fantasia: Annotated[str | None, MaxLength(200)] = None
    rg: str | None = None
    codigo: Annotated[str | None, MaxLength(20)] = None
    data_nascimento: OptionalDate = None
    email: Annotated[str | None, MaxLength(100)] = None
    telefone_celular: str | None = None
    telefone_comercial: str | None = None
    observacao: Annotated[str | None, MaxLength(2000)] = None
    ativo: bool | None = None
    optante_simples_nacional: bool | None = None
    agencia_publica: bool | None = None
    contato_cobranca_faturamento: ContatoCobrancaFaturamento | None = None
    enderecos: list[EnderecoPessoa] | None = None
    inscricoes: list[InscricaoPessoa] | None = None
    outros_contatos: list[OutroContatoPessoa] | None = None
    perfis: list[PerfilPessoa] | None = None


class PessoaGravada(APIModel):
    """The answer to a create or an update: the record as saved, with its ``id``."""

    id: str | None = None
    nome: str | None = None
    nome_fantasia: str | None = None
    tipo_pessoa: str | None = None
    cpf: str | None = None
    cnpj: str | None = None
    rg: str | None = None
    codigo: str | None = None
    data_nascimento: OptionalDate = None
    email: str | None = None
    telefone_celular: str | None = None
    telefone_comercial: str | None = None
    observacao: str | None = None
    ativo: bool | None = None
    optante_simples_nacional: bool | None = None
    agencia_publica: bool | None = None
    estrangeiro: bool | None = None
    origem: str | None = None
    contato_cobranca_faturamento: ContatoCobrancaFaturamento | None = None
    enderecos: list[EnderecoPessoa] | None = None
    inscricoes: list[InscricaoPessoa] | None = None
    outros_contatos: list[OutroContatoPessoa] | None = None
    perfis: list[PerfilPessoa] | None = None


class PessoasEmLote(APIModel):
    """The people a batch call acts on: 1 to 10 ids."""

    uuids: Annotated[list[str] | None, REQUIRED_ON_CREATE] = None


class StatusPessoasEmLote(APIModel):
    """What a batch (in)activation did: the ids now active, inactive, and all it was given."""

    ativos: list[str] | None = None
    inativos: list[str] | None = None
    todos: list[str] | None = None
