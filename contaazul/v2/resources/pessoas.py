"""People (``ca.pessoas``, ``/v1/pessoas``): customers, suppliers and carriers.

No spec file describes these operations; they follow Conta Azul's developer portal.

``update`` and ``patch`` differ in what the API checks. ``update`` is a PUT: it replaces the
record with the body, and the API validates the body as a whole record, so it may refuse it
for fields the record never had (a person created with a name and a CPF may be refused an
update until it has ``codigo``, ``rg``, ``data_nascimento``...); the ``ValidationError``
names every field it wants (``error.field_errors``). ``patch`` is a PATCH: it sends only
the fields set on the record and changes only those.
"""

from __future__ import annotations

import builtins
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeVar

from sdkcore.client import BaseAPIClient, Call, PerCall, Resource
from sdkcore.endpoints import PageFetcher, endpoint, paged
from sdkcore.ids import PATH_SEGMENT_ID
from sdkcore.query import comma_list
from sdkcore.transport import Timeout

from .._calls import (
    id_batch,
    list_parser,
    parse_nothing,
    query,
    read_call,
    send_record,
    written_parser,
)
from .._paging import envelope_pages
from ..models import pessoas as m

C = TypeVar("C", bound=BaseAPIClient, covariant=True)

PATH = "/v1/pessoas"
PAGE_SIZE = 100
"""The page the list asks for: the portal states no limit; 100 is the largest seen accepted."""
BATCH = 10
"""The most ids ``inativar`` and ``ativar`` take at once (the portal's limit)."""


def _path(id: str) -> str:
    return f"{PATH}/{PATH_SEGMENT_ID(id, 'id')}"


class Pessoas(Resource[C]):
    """People: list and search, read, create, replace, change some fields, (in)activate."""

    @paged
    def list(
        self,
        *,
        busca: str | None = None,
        documentos: str | Sequence[str] | None = None,
        emails: str | Sequence[str] | None = None,
        nomes: str | Sequence[str] | None = None,
        telefones: str | Sequence[str] | None = None,
        ids: str | Sequence[str] | None = None,
        codigos_pessoa: str | Sequence[str] | None = None,
        tipos_pessoa: str | Sequence[str] | None = None,
        tipo_perfil: str | None = None,
        paises: str | Sequence[str] | None = None,
        cidades: str | Sequence[str] | None = None,
        ufs: str | Sequence[str] | None = None,
        com_endereco: bool | None = None,
        tipo_ordenacao: str | None = None,
        ordem_ordenacao: str | None = None,
        data_criacao_inicio: date | datetime | None = None,
        data_criacao_fim: date | datetime | None = None,
        data_alteracao_de: date | datetime | None = None,
        data_alteracao_ate: date | datetime | None = None,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> PageFetcher[m.PessoaResumo]:
        """People, lazily. ``busca`` searches names, documents and e-mails; ``documentos``
        keeps those with these CPFs/CNPJs; ``data_alteracao_de`` those changed since then
        (a ``datetime`` travels as São Paulo local time). Lists of values go comma-separated.
        """
        params = query(
            busca=busca,
            documentos=comma_list(documentos),
            emails=comma_list(emails),
            nomes=comma_list(nomes),
            telefones=comma_list(telefones),
            ids=comma_list(ids),
            codigos_pessoa=comma_list(codigos_pessoa),
            tipos_pessoa=comma_list(tipos_pessoa),
            tipo_perfil=tipo_perfil,
            paises=comma_list(paises),
            cidades=comma_list(cidades),
            ufs=comma_list(ufs),
            com_endereco=com_endereco,
            tipo_ordenacao=tipo_ordenacao,
            ordem_ordenacao=ordem_ordenacao,
            data_criacao_inicio=data_criacao_inicio,
            data_criacao_fim=data_criacao_fim,
            data_alteracao_de=data_alteracao_de,
            data_alteracao_ate=data_alteracao_ate,
        )
        per_call = PerCall(extra_headers, extra_query, timeout)
        return envelope_pages(m.PessoaResumo, PATH, per_call, params, page_size=PAGE_SIZE)

    @endpoint
    def get(
        self,
        id: str,
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.Pessoa]:
        """One person by id."""
        return read_call(PerCall(extra_headers, extra_query, timeout), _path(id), m.Pessoa)

    @endpoint
    def create(
        self,
        record: m.PessoaAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.PessoaGravada]:
        """Create a person: ``nome`` and ``tipo_pessoa`` are required, ``cpf``/``cnpj``
        are checked by their check digits before sending."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "POST",
            PATH,
            m.PessoaAtualizacao,
            record,
            written_parser(m.PessoaGravada),
            whole=True,
        )

    @endpoint
    def update(
        self,
        id: str,
        record: m.PessoaAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[m.PessoaGravada]:
        """Replace person ``id`` with ``record`` (PUT): send the whole record. The API
        validates it as a whole and may demand fields the record never had; its
        ``ValidationError`` names them. To change a few fields, use ``patch``."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "PUT",
            _path(id),
            m.PessoaAtualizacao,
            record,
            written_parser(m.PessoaGravada),
            whole=True,
        )

    @endpoint
    def patch(
        self,
        id: str,
        record: m.PessoaAtualizacao | dict[str, Any],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[None]:
        """Change only the fields set on ``record`` of person ``id`` (PATCH)."""
        return send_record(
            PerCall(extra_headers, extra_query, timeout),
            "PATCH",
            _path(id),
            m.PessoaAtualizacao,
            record,
            parse_nothing,
            whole=False,
        )

    @endpoint
    def inativar(
        self,
        ids: str | Sequence[str],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[builtins.list[m.StatusPessoasEmLote]]:
        """Inactivate one person or up to 10 at once."""
        return _batch(PerCall(extra_headers, extra_query, timeout), "inativar", ids)

    @endpoint
    def ativar(
        self,
        ids: str | Sequence[str],
        /,
        *,
        extra_headers: Mapping[str, str] | None = None,
        extra_query: Mapping[str, Any] | None = None,
        timeout: float | Timeout | None = None,
    ) -> Call[builtins.list[m.StatusPessoasEmLote]]:
        """Activate again one person or up to 10 at once."""
        return _batch(PerCall(extra_headers, extra_query, timeout), "ativar", ids)


def _batch(
    per_call: PerCall, action: str, ids: str | Sequence[str]
) -> Call[list[m.StatusPessoasEmLote]]:
    body = {"uuids": id_batch(ids, "uuids", most=BATCH)}
    return Call(
        per_call.request("POST", f"{PATH}/{action}", json_body=body),
        list_parser(m.StatusPessoasEmLote),
    )
