"""People, services and products of the fake.

People and services are not in the spec files: their wire follows the developer portal
(see ``docs/contaazul-v2.md``). A person's ``PUT`` validates the whole record and may demand
fields the record never had (``codigo``, ``rg``, ``data_nascimento``, ``inscricoes`` for a
``Física``, ...): the 400 names every one, in a field list.
"""

from __future__ import annotations

import math
from decimal import Decimal
from typing import Any

from sdkcore.brazil import is_cnpj, is_cpf
from sdkcore.testing import FakeRequest, FakeResponse, HTTPFault, route

from ._core import (
    CHANGED,
    CREATED,
    JSON,
    Envelope,
    FakeCore,
    PageRule,
    Shape,
    Style,
    arg,
    blank,
    body_of,
    boolean,
    conform,
    contains,
    day,
    fail,
    instant_arg,
    int_arg,
    integer,
    list_of,
    many,
    money,
    money_arg,
    object_body,
    ok,
    page_of,
    quantity,
    require,
    shape,
    text,
    wire,
)

PEOPLE_RULE = PageRule(Envelope.TOTALITEMS_ITEMS, sizes=None, maximum=100, style=Style.ERROR)
PRODUCTS_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS, sizes=None)
SERVICES_MAX_PAGE = 100

FISICA, JURIDICA = "Física", "Jurídica"
DEMANDED_ON_PUT = {
    FISICA: (
        "nome",
        "codigo",
        "rg",
        "data_nascimento",
        "email",
        "enderecos",
        "inscricoes",
        "observacao",
    ),
    JURIDICA: ("nome", "codigo", "email", "enderecos", "observacao"),
}
"""What a person's ``PUT`` demands, by ``tipo_pessoa`` (the portal's required fields)."""
DEMANDED_FOREIGN = ("nome", "email", "enderecos")
PERSON_TYPES = (FISICA, JURIDICA, "Estrangeira")
MAX_PEOPLE_PER_BATCH = 10

_SHORT = Style.ERROR

PERSON_SHAPE: Shape = {
    **dict.fromkeys(
        (
            "nome",
            "tipo_pessoa",
            "cpf",
            "cnpj",
            "nome_fantasia",
            "rg",
            "codigo",
            "email",
            "telefone_celular",
            "telefone_comercial",
            "observacao",
        ),
        text,
    ),
    "data_nascimento": day,
    **dict.fromkeys(
        ("ativo", "optante_simples_nacional", "agencia_publica", "orgao_publico"), boolean
    ),
    "contato_cobranca_faturamento": shape({"emails": list_of(text), "whatsapp": text}),
    "enderecos": list_of(
        shape(
            {
                "id_cidade": integer,
                **dict.fromkeys(
                    (
                        "id",
                        "cep",
                        "logradouro",
                        "numero",
                        "complemento",
                        "bairro",
                        "cidade",
                        "estado",
                        "pais",
                    ),
                    text,
                ),
            }
        )
    ),
    "inscricoes": list_of(
        shape(
            dict.fromkeys(
                (
                    "id",
                    "indicador_inscricao_estadual",
                    "inscricao_estadual",
                    "inscricao_municipal",
                    "inscricao_suframa",
                ),
                text,
            )
        )
    ),
    "outros_contatos": list_of(
        shape(
            dict.fromkeys(
                ("id", "nome", "cargo", "email", "telefone_celular", "telefone_comercial"), text
            )
        )
    ),
    "perfis": list_of(shape({"id": text, "tipo_perfil": text})),
}
"""The portal's writable person fields and their types: closed, since a person is read
back whole."""

SERVICE_SHAPE: Shape = {
    **dict.fromkeys(
        (
            "descricao",
            "codigo",
            "status",
            "tipo_servico",
            "id_externo",
            "codigo_cnae",
            "codigo_municipio_servico",
            "lei_116",
        ),
        text,
    ),
    "custo": money,
    "preco": money,
    "natureza_operacional": shape({"id": text}),
    "lista_cenario_tributario": list_of(
        shape(
            {
                "inss_aliquota": money,
                "iss_aliquota": money,
                "iss_retido": boolean,
                "municipio": shape({"codigo": integer, "nome": text, "uf": text}),
                **dict.fromkeys(("id", "nome_usuario", "ultima_atualizacao"), text),
            }
        )
    ),
}
"""A service's fields (the portal's): closed, since a service is read back field by field."""

STOCK_SHAPE: Shape = {
    "valor_venda": money,
    "custo_medio": money,
    **dict.fromkeys(("estoque_disponivel", "estoque_minimo", "estoque_maximo"), quantity),
}
PRODUCT_SHAPE: Shape = {
    **dict.fromkeys(
        ("nome", "formato", "codigo_sku", "codigo_ean", "observacao", "id_categoria"), text
    ),
    "estoque": shape(STOCK_SHAPE),
    "dimensao": shape({}),
}
"""What the fake reads of a new product (the inventory spec's ``ProdutoRequest``)."""


def validation_error(fields: list[tuple[str, str]]) -> HTTPFault:
    """400 with a field list: ``{code, message, errors: [{field, message}]}``."""
    names = ", ".join(field for field, _ in fields)
    return HTTPFault(
        400,
        {
            "code": "VALIDATION_ERROR",
            "message": f"Cadastro inválido: verifique os campos {names}.",
            "errors": [{"field": field, "message": message} for field, message in fields],
        },
    )


def _digits(value: Any) -> str:
    return "".join(ch for ch in str(value or "") if ch.isdigit())


class CadastroRoutes(FakeCore):
    """``/v1/pessoas``, ``/v1/servicos`` and the products (``inventory`` and by id)."""

    # -- pessoas ----------------------------------------------------------------------

    def _check_person(
        self, body: JSON, demanded: tuple[str, ...], changed: frozenset[str] | None = None
    ) -> None:
        """400 with every problem of ``body``: the ``demanded`` fields blank, a document
        missing or with wrong check digits, a bad UF. With ``changed`` (a partial update),
        only those fields are checked."""

        def checks(field: str) -> bool:
            return changed is None or field in changed

        problems = [(f, "campo obrigatório") for f in demanded if blank(body.get(f))]
        kind = body.get("tipo_pessoa")
        if checks("tipo_pessoa") and kind is not None and kind not in PERSON_TYPES:
            problems.append(("tipo_pessoa", f"deve ser um de: {', '.join(PERSON_TYPES)}"))
        for field, wanted, valid in (("cpf", FISICA, is_cpf), ("cnpj", JURIDICA, is_cnpj)):
            if kind != wanted or not (checks(field) or checks("tipo_pessoa")):
                continue
            # Conta Azul's own forms register a customer without a document; only a given
            # one is checked.
            if not blank(body.get(field)) and not valid(_digits(body[field])):
                problems.append((field, f"{field.upper()} inválido"))
        for address in body.get("enderecos") or [] if checks("enderecos") else []:
            state = address.get("estado") if isinstance(address, dict) else None
            if state is not None and not (len(state) == 2 and state.isalpha() and state.isupper()):
                problems.append(("enderecos.estado", "UF com duas letras maiúsculas"))
        if problems:
            raise validation_error(problems)

    def _person(self, ident: str) -> JSON:
        return self.find("pessoas", ident, lambda: fail(404, "Pessoa não encontrada.", _SHORT))

    @route("GET", "/v1/pessoas")
    def pessoas(self, request: FakeRequest) -> FakeResponse:
        busca = arg(request, "busca")
        documents = {_digits(d) for d in many(request, "documentos")}
        emails = {e.casefold() for e in many(request, "emails")}
        names = many(request, "nomes")
        ids = set(many(request, "ids"))
        codes = set(many(request, "codigos_pessoa"))
        kinds = set(many(request, "tipos_pessoa"))
        profile = arg(request, "tipo_perfil")
        changed_from = instant_arg(request, "data_alteracao_de", _SHORT)
        changed_to = instant_arg(request, "data_alteracao_ate", _SHORT)
        created_from = instant_arg(request, "data_criacao_inicio", _SHORT)
        created_to = instant_arg(request, "data_criacao_fim", _SHORT)

        def keep(person: JSON) -> bool:
            document = _digits(person.get("cpf") or person.get("cnpj"))
            if busca and not (
                contains(person["nome"], busca)
                or contains(person.get("email"), busca)
                or (_digits(busca) and _digits(busca) == document)
            ):
                return False
            profiles = {p.get("tipo_perfil") for p in person.get("perfis") or []}
            checks = (
                not documents or document in documents,
                not emails or str(person.get("email") or "").casefold() in emails,
                not names or any(contains(person["nome"], n) for n in names),
                not ids or person["id"] in ids,
                not codes or person.get("codigo") in codes,
                not kinds or person.get("tipo_pessoa") in kinds,
                profile is None or profile in profiles,
                changed_from is None or person[CHANGED] >= changed_from,
                changed_to is None or person[CHANGED] <= changed_to,
                created_from is None or person[CREATED] >= created_from,
                created_to is None or person[CREATED] <= created_to,
            )
            return all(checks)

        return page_of(request, self.rows("pessoas", keep), PEOPLE_RULE, self._person_summary)

    def _person_summary(self, person: JSON) -> JSON:
        address = (person.get("enderecos") or [None])[0]
        result: JSON = wire(
            {
                "id": person["id"],
                "id_legado": person["id_legado"],
                "nome": person["nome"],
                "tipo_pessoa": person.get("tipo_pessoa"),
                "documento": _digits(person.get("cpf") or person.get("cnpj")) or None,
                "email": person.get("email"),
                "telefone": person.get("telefone_comercial") or person.get("telefone_celular"),
                "ativo": person.get("ativo", True),
                "observacoes_gerais": person.get("observacao"),
                "perfis": [
                    str(p.get("tipo_perfil", "")).upper() for p in person.get("perfis") or []
                ],
                "endereco": address,
                "data_criacao": person[CREATED],
                "data_alteracao": person[CHANGED],
            }
        )
        return result

    @route("GET", "/v1/pessoas/{ident}")
    def pessoa(self, request: FakeRequest, ident: str) -> FakeResponse:
        return ok(self._person_detail(self._person(ident)))

    def _person_detail(self, person: JSON) -> JSON:
        """A person as GET by id, create and PUT answer it (profiles as objects)."""
        view = {
            k: v for k, v in person.items() if k not in ("cpf", "cnpj", "perfis", "nome_fantasia")
        }
        view["nome_empresa"] = person.get("nome_fantasia")
        view["documento"] = _digits(person.get("cpf") or person.get("cnpj")) or None
        view["criado_em"] = person[CREATED]
        view["data_alteracao"] = person[CHANGED]
        view["perfis"] = [
            {"id": person["id"] + f"-{n}", "tipo_perfil": p.get("tipo_perfil")}
            for n, p in enumerate(person.get("perfis") or [])
        ]
        view.setdefault("enderecos", [])
        view.setdefault("inscricoes", [])
        return view

    @route("POST", "/v1/pessoas")
    def pessoa_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request, _SHORT), PERSON_SHAPE, _SHORT, closed=True)
        self._check_person(body, ("nome", "tipo_pessoa"))
        person = {**body, "id": self.new_id(), "id_legado": self.new_legacy_id()}
        person.setdefault("ativo", True)
        self.insert("pessoas", person)
        return ok(self._person_detail(person), status=201)

    @route("PUT", "/v1/pessoas/{ident}")
    def pessoa_update(self, request: FakeRequest, ident: str) -> FakeResponse:
        person = self._person(ident)
        body = conform(object_body(request, _SHORT), PERSON_SHAPE, _SHORT, closed=True)
        kind = body.get("tipo_pessoa") or person.get("tipo_pessoa")
        demanded = ("tipo_pessoa", *DEMANDED_ON_PUT.get(str(kind), DEMANDED_FOREIGN))
        self._check_person(body, demanded)
        kept = {k: person[k] for k in ("id", "id_legado", CREATED)}
        person.clear()
        person.update({**body, **kept})
        person.setdefault("ativo", True)
        self.touch(person)
        return ok(self._person_detail(person))

    @route("PATCH", "/v1/pessoas/{ident}")
    def pessoa_patch(self, request: FakeRequest, ident: str) -> FakeResponse:
        person = self._person(ident)
        body = conform(object_body(request, _SHORT), PERSON_SHAPE, _SHORT, closed=True)
        changes = {k: v for k, v in body.items() if k not in ("id", "id_legado")}
        # A partial update checks what it changes, never demands the whole record.
        self._check_person({**person, **changes}, (), frozenset(changes))
        person.update(changes)
        self.touch(person)
        return FakeResponse(204)

    @route("POST", "/v1/pessoas/inativar")
    def pessoas_inativar(self, request: FakeRequest) -> FakeResponse:
        return self._set_active(request, active=False)

    @route("POST", "/v1/pessoas/ativar")
    def pessoas_ativar(self, request: FakeRequest) -> FakeResponse:
        return self._set_active(request, active=True)

    def _set_active(self, request: FakeRequest, active: bool) -> FakeResponse:
        body = conform(object_body(request, _SHORT), {"uuids": list_of(text)}, _SHORT)
        ids = body.get("uuids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= MAX_PEOPLE_PER_BATCH:
            raise fail(400, f"Informe de 1 a {MAX_PEOPLE_PER_BATCH} uuids.", _SHORT)
        people = [self._person(ident) for ident in ids]  # every one found before any change
        for person in people:
            person["ativo"] = active
            self.touch(person)
        return ok(
            [
                {
                    "ativos": [p["id"] for p in people if p["ativo"]],
                    "inativos": [p["id"] for p in people if not p["ativo"]],
                    "todos": [p["id"] for p in people],
                }
            ]
        )

    # -- serviços ------------------------------------------------------------------------

    def _service(self, ident: str) -> JSON:
        return self.find("servicos", ident, lambda: fail(404, "Serviço não encontrado.", _SHORT))

    @route("GET", "/v1/servicos")
    def servicos(self, request: FakeRequest) -> FakeResponse:
        text = arg(request, "busca_textual")
        page = int_arg(request, "pagina", 1, _SHORT)
        size = int_arg(request, "tamanho_pagina", 10, _SHORT)
        if page < 1 or not 1 <= size <= SERVICES_MAX_PAGE:
            raise fail(
                400, f"'pagina' >= 1 e 'tamanho_pagina' entre 1 e {SERVICES_MAX_PAGE}.", _SHORT
            )
        found = self.rows(
            "servicos",
            lambda s: (
                text is None or contains(s["descricao"], text) or contains(s.get("codigo"), text)
            ),
        )
        start = (page - 1) * size
        # The total sits inside ``paginacao``: a shape of its own.
        return ok(
            {
                "itens": found[start : start + size],
                "paginacao": {
                    "pagina_atual": page,
                    "tamanho_pagina": size,
                    "total_itens": len(found),
                    "total_paginas": math.ceil(len(found) / size),
                },
            }
        )

    @route("GET", "/v1/servicos/{ident}")
    def servico(self, request: FakeRequest, ident: str) -> FakeResponse:
        return ok(self._service(ident))

    @route("POST", "/v1/servicos")
    def servico_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request, _SHORT), SERVICE_SHAPE, _SHORT, closed=True)
        require(body, ("descricao",), _SHORT)
        service = {
            "status": "ATIVO",
            "tipo_servico": "PRESTADO",
            **body,
            "id": self.new_id(),
            "id_servico": self.new_legacy_id(),
        }
        return ok(self.insert("servicos", service), status=201)

    @route("PATCH", "/v1/servicos/{ident}")
    def servico_patch(self, request: FakeRequest, ident: str) -> FakeResponse:
        service = self._service(ident)
        body = conform(object_body(request, _SHORT), SERVICE_SHAPE, _SHORT, closed=True)
        if "descricao" in body and blank(body["descricao"]):
            raise fail(400, "O campo 'descricao' não pode ficar vazio.", _SHORT)
        service.update(body)
        self.touch(service)
        return FakeResponse(204)

    # -- produtos -------------------------------------------------------------------------

    @route("GET", "/v1/produto/busca")
    def produtos(self, request: FakeRequest) -> FakeResponse:
        text = arg(request, "busca")
        status = (arg(request, "status") or "TODOS").upper()
        low_price = money_arg(request, "inicio", Style.CODE_MESSAGE)
        high_price = money_arg(request, "fim", Style.CODE_MESSAGE)

        def keep(product: JSON) -> bool:
            price = product["estoque"].get("valor_venda") or Decimal(0)
            return (
                (
                    text is None
                    or any(
                        contains(product.get(k), text) for k in ("nome", "codigo_sku", "codigo_ean")
                    )
                )
                and (status == "TODOS" or product["status"] == status)
                and (low_price is None or price >= low_price)
                and (high_price is None or price <= high_price)
            )

        found = self.rows("produtos", keep)
        order = (arg(request, "campo_ordenacao") or "NOME").upper()
        keys = {
            "NOME": lambda p: str(p["nome"]).casefold(),
            "CODIGO": lambda p: str(p.get("codigo_sku") or ""),
            "VALOR_VENDA": lambda p: p["estoque"].get("valor_venda") or Decimal(0),
            "ESTOQUE": lambda p: p["estoque"].get("estoque_disponivel") or Decimal(0),
        }
        if order in keys:
            descending = (arg(request, "direcao_ordenacao") or "ASC").upper() == "DESC"
            found.sort(key=keys[order], reverse=descending)
        return page_of(request, found, PRODUCTS_RULE, self._listed_product)

    def _listed_product(self, product: JSON) -> JSON:
        stock = product["estoque"]
        result: JSON = wire(
            {
                "id": product["id"],
                "id_legado": product["id_legado"],
                "nome": product["nome"],
                "codigo_sku": product.get("codigo_sku"),
                "codigo_ean": product.get("codigo_ean"),
                "tipo": "PRODUTO",
                "status": product["status"],
                "estoque": stock.get("estoque_disponivel"),
                "valor_venda": stock.get("valor_venda"),
                "custo_medio": stock.get("custo_medio"),
                "filhos": [],
                "variacao": 0,
                "nivel_estoque": "PADRAO",
                "estoque_minimo": stock.get("estoque_minimo"),
                "estoque_maximo": stock.get("estoque_maximo"),
                "movimentado": False,
                "integracao_ecommerce_ativa": False,
            }
        )
        return result

    @route("POST", "/v1/produto")
    def produto_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request), PRODUCT_SHAPE, Style.CODE_MESSAGE)
        require(body, ("nome", "formato", "estoque", "dimensao"), Style.CODE_MESSAGE)
        product = {
            **body,
            "id": self.new_id(),
            "id_legado": self.new_legacy_id(),
            "status": "ATIVO",
            "ativo": True,
            "versao": 1,
        }
        self.insert("produtos", product)
        return ok(self._product_created(product))

    def _product_created(self, product: JSON) -> JSON:
        view = {k: v for k, v in product.items() if k not in ("dimensao", "id_legado")}
        view["identificador_legado"] = str(product["id_legado"])
        view["dimensoes"] = product.get("dimensao")
        result: JSON = wire(view)
        return result

    @route("GET", "/v1/produtos/{ident}")
    def produto(self, request: FakeRequest, ident: str) -> FakeResponse:
        product = self.find("produtos", ident, lambda: fail(404, "Produto não encontrado.", _SHORT))
        stock = product["estoque"]
        view = {k: v for k, v in product.items() if k not in ("estoque", "dimensao", "observacao")}
        view["descricao"] = product.get("observacao")
        view["estoque"] = {
            "valor_venda": stock.get("valor_venda"),
            "custo_medio": stock.get("custo_medio"),
            "quantidade_disponivel": stock.get("estoque_disponivel"),
            "quantidade_reservada": Decimal(0),
            "quantidade_total": stock.get("estoque_disponivel"),
            "minimumStock": stock.get("estoque_minimo"),
            "maximumStock": stock.get("estoque_maximo"),
        }
        view["pesos_dimensoes"] = product.get("dimensao")
        view["ultima_atualizacao"] = product[CHANGED]
        return ok(view)

    @route("DELETE", "/v1/produto/{ident}")
    @route("DELETE", "/v1/produtos/{ident}")
    def produto_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        self.find("produtos", ident)
        del self.data["produtos"][ident]
        return FakeResponse(204)

    @route("POST", "/v1/produto/desativar")
    def produtos_desativar(self, request: FakeRequest) -> FakeResponse:
        ids = body_of(request)
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
            raise fail(400, "Informe a lista de ids (textos) dos produtos.")
        done = []
        for ident in ids:
            product = self.data["produtos"].get(str(ident))
            if product is not None:
                product.update(status="INATIVO", ativo=False)
                self.touch(product)
                done.append(product["id"])
        return ok({"todos": [str(i) for i in ids], "produtos_desativados": done})
