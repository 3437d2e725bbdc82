"""Sales, proposals (orçamentos) and contracts of the fake.

A sale needs a ``numero``: ``/v1/venda/proximo-numero`` answers one past the highest ever
used (it reserves nothing), and a create or an edit with a number another sale holds is
refused with 400. The sale's installments must add up to its total (items less the
discount plus freight), to the cent. Contracts follow the same rule for ``termos.numero``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sdkcore.dates import parse_date
from sdkcore.money import cents
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
    bool_arg,
    conform,
    contains,
    date_window,
    day,
    decimal,
    fail,
    instant_arg,
    integer,
    is_uuid,
    list_of,
    many,
    money,
    object_body,
    ok,
    page_of,
    positive_quantity,
    require,
    shape,
    text,
    wire,
    within,
)

SALES_RULE = PageRule(Envelope.TOTAL_ITENS_ITENS)
SALE_ITEMS_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS)
PROPOSALS_RULE = PageRule(Envelope.TOTAL_ITENS_ITENS, sizes=None, style=Style.ERROR)
CONTRACTS_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS, sizes=None, style=Style.ERROR)

SALE_FIELDS = (
    "id_cliente",
    "numero",
    "situacao",
    "data_venda",
    "itens",
    "condicao_pagamento",
    "condicao_pagamento.opcao_condicao_pagamento",
    "condicao_pagamento.parcelas",
)
SALE_STATES_ON_CREATE = ("EM_ANDAMENTO", "APROVADO")
SALE_STATES_ON_EDIT = ("EM_ANDAMENTO", "APROVADO", "FATURADO", "CANCELADO")
SALE_STATE_LABELS = {
    "EM_ANDAMENTO": "Em andamento",
    "APROVADO": "Aprovado",
    "FATURADO": "Faturado",
    "CANCELADO": "Cancelado",
}
PROPOSAL_FIELDS = ("data_orcamento", "data_validade", "id_cliente", "itens")
CONTRACT_FIELDS = (
    "id_cliente",
    "itens",
    "termos.data_inicio",
    "termos.data_fim",
    "termos.numero",
    "termos.tipo_expiracao",
    "termos.tipo_frequencia",
    "condicao_pagamento.dia_vencimento",
    "condicao_pagamento.primeira_data_vencimento",
)
# A small, valid PDF: what ``imprimir`` sends (the real one is the sale's layout).
PDF_TEMPLATE = (
    b"%%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n"
    b"%% Venda %d\ntrailer<</Root 1 0 R>>\n%%%%EOF\n"
)

_SALE = Style.CODE_MESSAGE
_SHORT = Style.ERROR

ITEMS = list_of(
    shape(
        {
            "id": text,
            "descricao": text,
            "quantidade": positive_quantity,
            "valor": money,
            "valor_custo": money,
        }
    ),
    one_or_many=True,  # the sale edit schema declares one object; accept both
)
VALUE_BREAKDOWN = shape({"frete": money, "desconto": shape({"tipo": text, "valor": money})})
SALE_SHAPE: Shape = {
    **dict.fromkeys(
        (
            "id_cliente",
            "situacao",
            "id_vendedor",
            "id_categoria",
            "id_centro_custo",
            "id_natureza_operacao",
            "observacoes",
            "observacoes_pagamento",
        ),
        text,
    ),
    "numero": integer,
    "versao": integer,
    "data_venda": day,
    "itens": ITEMS,
    "composicao_de_valor": VALUE_BREAKDOWN,
    "condicao_pagamento": shape(
        {
            **dict.fromkeys(
                ("tipo_pagamento", "id_conta_financeira", "opcao_condicao_pagamento", "nsu"), text
            ),
            "parcelas": list_of(shape({"data_vencimento": day, "valor": money, "descricao": text})),
        }
    ),
}
"""A sale as the fake reads it (the sales spec's create and edit requests)."""

PROPOSAL_SHAPE: Shape = {
    **dict.fromkeys(
        (
            "id_cliente",
            "id_vendedor",
            "descricao",
            "observacoes",
            "observacoes_pagamento",
            "previsao_entrega",
        ),
        text,
    ),
    "data_orcamento": day,
    "data_validade": day,
    "itens": ITEMS,
    "composicao_de_valor": VALUE_BREAKDOWN,
}
CONTRACT_SHAPE: Shape = {
    **dict.fromkeys(("id_cliente", "id_vendedor", "observacoes", "observacoes_pagamento"), text),
    "itens": ITEMS,
    "composicao_de_valor": VALUE_BREAKDOWN,
    "termos": shape(
        {
            "data_inicio": day,
            "data_fim": day,
            "numero": integer,
            "tipo_expiracao": text,
            "tipo_frequencia": text,
            "dia_emissao_venda": integer,
            "intervalo_frequencia": integer,
        }
    ),
    "condicao_pagamento": shape(
        {
            "dia_vencimento": integer,
            "primeira_data_vencimento": day,
            "tipo_pagamento": text,
            "id_conta_financeira": text,
        }
    ),
}
IDS_SHAPE: Shape = {"ids": list_of(text)}


def sale_total(sale: JSON) -> Decimal:
    """Items (quantity x price) less the discount (an amount or a percentage of the items)
    plus freight, to the cent."""
    items = sum(
        (decimal(i.get("quantidade")) * decimal(i.get("valor")) for i in sale.get("itens") or []),
        Decimal(0),
    )
    composition = sale.get("composicao_de_valor") or {}
    discount = composition.get("desconto") or {}
    off = decimal(discount.get("valor"))
    if discount.get("tipo") == "PORCENTAGEM":
        off = items * off / 100
    return cents(items - off + decimal(composition.get("frete")))


class SalesRoutes(FakeCore):
    """Routes of ``sales``, ``proposal`` and the contracts (``scheduled-sales``)."""

    _highest_sale: int
    _highest_contract: int

    # -- helpers ----------------------------------------------------------------------

    def _catalog_item(self, ident: Any) -> JSON | None:
        return self.data["produtos"].get(ident) or self.data["servicos"].get(ident)

    def _check_items(self, items: list[JSON], fields: tuple[str, ...], style: Style) -> list[JSON]:
        """``items`` (already through ``ITEMS``) each with ``fields`` and in the catalog."""
        if not items:
            raise fail(400, "O campo 'itens' deve ter ao menos um item.", style)
        for index, item in enumerate(items, start=1):
            require(item, fields, style)
            if self._catalog_item(item["id"]) is None:
                raise fail(
                    400, f"Item {index}: produto ou serviço '{item['id']}' não encontrado.", style
                )
        return items

    def _check_customer(self, ident: Any, style: Style) -> JSON:
        person = self.data["pessoas"].get(ident)
        if person is None:
            raise fail(400, f"Cliente '{ident}' não encontrado.", style)
        return person

    def _check_optional(self, body: JSON, field: str, table: str, label: str, style: Style) -> None:
        value = body.get(field)
        if value is not None and value not in self.data[table]:
            raise fail(400, f"{label} '{value}' não encontrado(a).", style)

    # -- vendas ---------------------------------------------------------------------------

    def _check_sale(self, body: JSON, states: tuple[str, ...], ignore: str | None) -> JSON:
        body = conform(body, SALE_SHAPE, _SALE)
        require(body, SALE_FIELDS, _SALE)
        if body["situacao"] not in states:
            raise fail(400, f"O campo 'situacao' deve ser um de: {', '.join(states)}.")
        numero = body["numero"]
        if not isinstance(numero, int) or isinstance(numero, bool) or numero < 1:
            raise fail(400, "O campo 'numero' deve ser um inteiro positivo.")
        for sale in self.data["vendas"].values():
            if sale["numero"] == numero and sale["id"] != ignore:
                raise fail(400, f"Já existe uma venda com o número {numero}.")
        self._check_customer(body["id_cliente"], _SALE)
        body["itens"] = self._check_items(body["itens"], ("id", "quantidade", "valor"), _SALE)
        self._check_optional(body, "id_vendedor", "vendedores", "Vendedor", _SALE)
        self._check_optional(body, "id_categoria", "categorias", "Categoria", _SALE)
        self._check_optional(body, "id_centro_custo", "centros_de_custo", "Centro de custo", _SALE)
        payment = body["condicao_pagamento"]
        self._check_optional(
            payment, "id_conta_financeira", "contas_financeiras", "Conta financeira", _SALE
        )
        parcelas = payment["parcelas"]
        for index, parcela in enumerate(parcelas, start=1):
            require(parcela, ("data_vencimento", "valor"), _SALE)
            if parcela["valor"] <= 0:
                raise fail(400, f"Parcela {index}: o valor deve ser positivo.")
        total = sale_total(body)
        installments = cents(sum((decimal(p["valor"]) for p in parcelas), Decimal(0)))
        if installments != total:
            raise fail(
                400,
                f"A soma das parcelas ({installments}) difere do total da venda ({total}).",
            )
        return body

    @route("POST", "/v1/venda")
    def venda_create(self, request: FakeRequest) -> FakeResponse:
        body = self._check_sale(object_body(request), SALE_STATES_ON_CREATE, ignore=None)
        sale = {k: v for k, v in body.items() if not k.startswith("_")}
        sale.update(id=self.new_id(), id_legado=self.new_legacy_id(), versao=1, origem="API")
        for item in sale["itens"]:
            item["_linha"] = self.new_id()
        self.insert("vendas", sale)
        self._highest_sale = max(self._highest_sale, sale["numero"])
        return ok(self._created_view(sale))

    def _created_view(self, sale: JSON) -> JSON:
        payment = sale["condicao_pagamento"]
        composition = sale.get("composicao_de_valor") or {}
        total = sale_total(sale)
        items = sum(
            (decimal(i["quantidade"]) * decimal(i["valor"]) for i in sale["itens"]), Decimal(0)
        )
        return {
            "id": sale["id"],
            "id_legado": sale["id_legado"],
            "id_cliente": sale["id_cliente"],
            "numero": sale["numero"],
            "origem": sale["origem"],
            "id_categoria": sale.get("id_categoria"),
            "data_venda": sale["data_venda"],
            "situacao": self._state(sale),
            "pendencia": {"nome": "NENHUMA", "descricao": "Nenhuma"},
            "valor_composicao": {
                "valor_bruto": cents(items),
                "desconto": composition.get("desconto"),
                "frete": decimal(composition.get("frete")),
                "valor_liquido": total,
            },
            "condicao_pagamento": {
                "tipo_pagamento": payment.get("tipo_pagamento"),
                "id_conta_financeira": payment.get("id_conta_financeira"),
                "opcao_condicao_pagamento": payment["opcao_condicao_pagamento"],
                "parcelas": [
                    {
                        "data_vencimento": p["data_vencimento"],
                        "valor": decimal(p["valor"]),
                        "descricao": p.get("descricao"),
                        "numero": n,
                    }
                    for n, p in enumerate(payment["parcelas"], start=1)
                ],
                "observacoes_pagamento": sale.get("observacoes_pagamento"),
                "nsu": payment.get("nsu"),
            },
            "observacoes": sale.get("observacoes"),
            "id_vendedor": sale.get("id_vendedor"),
            "versao": sale["versao"],
        }

    def _state(self, sale: JSON) -> JSON:
        name = sale["situacao"]
        return {"nome": name, "descricao": SALE_STATE_LABELS.get(name, name)}

    def _sale(self, ident: str) -> JSON:
        """A sale by UUID or legacy id (the spec accepts both)."""
        sale = self.data["vendas"].get(ident)
        if sale is None and ident.isascii() and ident.isdigit():
            sale = next(
                (s for s in self.data["vendas"].values() if s["id_legado"] == int(ident)), None
            )
        if sale is None:
            raise HTTPFault(404, None)
        return sale

    @route("GET", "/v1/venda/busca")
    def vendas(self, request: FakeRequest) -> FakeResponse:
        term = arg(request, "termo_busca")
        first, last = date_window(request, "data_inicio", "data_fim", _SALE, required=False)
        made_from, made_to = date_window(
            request, "data_criacao_de", "data_criacao_ate", _SALE, required=False
        )
        changed_from = instant_arg(request, "data_alteracao_de", _SALE)
        changed_to = instant_arg(request, "data_alteracao_ate", _SALE)
        customers = set(many(request, "ids_clientes"))
        sellers = set(many(request, "ids_vendedores"))
        states = set(many(request, "situacoes"))
        origins = set(many(request, "origens"))
        categories = set(many(request, "ids_categorias"))
        products = set(many(request, "ids_produtos"))
        kinds = set(many(request, "tipos"))
        try:
            numbers = {int(n) for n in many(request, "numeros")}
        except ValueError:
            raise fail(400, "O parâmetro 'numeros' deve ter números inteiros.") from None
        pending = bool_arg(request, "pendente")

        def keep(sale: JSON) -> bool:
            customer = self.data["pessoas"].get(sale["id_cliente"]) or {}
            if term and not (
                contains(customer.get("nome"), term)
                or contains(customer.get("email"), term)
                or term.strip() == str(sale["numero"])
            ):
                return False
            checks = (
                within(parse_date(sale["data_venda"]), first, last),
                within(sale[CREATED].date(), made_from, made_to),
                changed_from is None or sale[CHANGED] >= changed_from,
                changed_to is None or sale[CHANGED] <= changed_to,
                not customers or sale["id_cliente"] in customers,
                not sellers or sale.get("id_vendedor") in sellers,
                not states or sale["situacao"] in states,
                not origins or sale["origem"] in origins,
                not categories or sale.get("id_categoria") in categories,
                not products or bool(products & {i["id"] for i in sale["itens"]}),
                not kinds or self._kind(sale) in kinds,
                not numbers or sale["numero"] in numbers,
                pending is None or pending is False,  # the fake's sales never wait on anything
            )
            return all(checks)

        found = self.rows("vendas", keep)
        found = self._sorted(
            request,
            found,
            {
                "NUMERO": lambda s: s["numero"],
                "CLIENTE": lambda s: str(
                    (self.data["pessoas"].get(s["id_cliente"]) or {}).get("nome", "")
                ).casefold(),
                "DATA": lambda s: str(s["data_venda"]),
            },
        )
        totals = {
            "total": Decimal(0),
            "aprovado": Decimal(0),
            "cancelado": Decimal(0),
            "esperando_aprovacao": Decimal(0),
        }
        counts = dict.fromkeys(totals, 0)
        for sale in found:
            bucket = {"APROVADO": "aprovado", "FATURADO": "aprovado", "CANCELADO": "cancelado"}.get(
                sale["situacao"], "esperando_aprovacao"
            )
            for key in ("total", bucket):
                totals[key] += sale_total(sale)
                counts[key] += 1
        extra = {"totais": wire(totals), "quantidades": counts}
        return page_of(request, found, SALES_RULE, self._listed_sale, extra)

    def _sorted(
        self, request: FakeRequest, rows: list[JSON], keys: dict[str, Callable[[JSON], Any]]
    ) -> list[JSON]:
        ascending = arg(request, "campo_ordenado_ascendente")
        descending = arg(request, "campo_ordenado_descendente")
        field = (ascending or descending or "").upper()
        if field in keys:
            return sorted(rows, key=keys[field], reverse=not ascending)
        return rows

    def _kind(self, sale: JSON) -> str:
        kinds = {
            "PRODUTO" if i["id"] in self.data["produtos"] else "SERVICO" for i in sale["itens"]
        }
        return kinds.pop() if len(kinds) == 1 else "PRODUTO_E_SERVICO"

    def _listed_sale(self, sale: JSON) -> JSON:
        customer = self.data["pessoas"].get(sale["id_cliente"]) or {}
        address = (customer.get("enderecos") or [{}])[0]
        result: JSON = wire(
            {
                "id": sale["id"],
                "total": sale_total(sale),
                "id_legado": sale["id_legado"],
                "data": sale["data_venda"],
                "criado_em": sale[CREATED],
                "data_alteracao": sale[CHANGED],
                "tipo": self._kind(sale),
                "itens": self._kind(sale),
                "condicao_pagamento": bool(sale["condicao_pagamento"].get("parcelas")),
                "numero": sale["numero"],
                "cliente": {
                    "id": sale["id_cliente"],
                    "nome": customer.get("nome"),
                    "email": customer.get("email"),
                    "telefone": customer.get("telefone_comercial")
                    or customer.get("telefone_celular"),
                    "endereco": address.get("logradouro"),
                    "cidade": address.get("cidade"),
                    "estado": address.get("estado"),
                    "pais": address.get("pais"),
                    "cep": address.get("cep"),
                },
                "situacao": self._state(sale),
                "versao": sale["versao"],
                "origem": sale["origem"],
            }
        )
        return result

    @route("GET", "/v1/venda/{ident}")
    def venda(self, request: FakeRequest, ident: str) -> FakeResponse:
        sale = self._sale(ident)
        customer = self.data["pessoas"].get(sale["id_cliente"]) or {}
        seller = self.data["vendedores"].get(sale.get("id_vendedor") or "")
        created = self._created_view(sale)
        products = sum(1 for i in sale["itens"] if i["id"] in self.data["produtos"])
        payment = created["condicao_pagamento"]
        return ok(
            {
                "cliente": {
                    "uuid": customer.get("id"),
                    "tipo_pessoa": customer.get("tipo_pessoa"),
                    "documento": customer.get("cpf") or customer.get("cnpj"),
                    "nome": customer.get("nome"),
                },
                "evento_financeiro": {},
                "natureza_operacao": {
                    "tipo_operacao": "VENDA",
                    "template_operacao": "PRESTACAO_SERVICO"
                    if products == 0
                    else "VENDA_MERCADORIAS",
                    "label": "Venda",
                    "mudanca_financeira": True,
                    "mudanca_estoque": "SAIDA_ESTOQUE" if products else "NAO_ALTERA_ESTOQUE",
                },
                "venda": {
                    "id": sale["id"],
                    "status": "CANCELADO" if sale["situacao"] == "CANCELADO" else "EM_ANDAMENTO",
                    "id_legado": sale["id_legado"],
                    "tipo_negociacao": "VENDA",
                    "numero": sale["numero"],
                    "id_categoria": sale.get("id_categoria"),
                    "data_compromisso": sale["data_venda"],
                    "composicao_valor": {
                        "valor_bruto": created["valor_composicao"]["valor_bruto"],
                        "desconto": cents(
                            created["valor_composicao"]["valor_bruto"]
                            - sale_total(sale)
                            + created["valor_composicao"]["frete"]
                        ),
                        "frete": created["valor_composicao"]["frete"],
                        "valor_liquido": sale_total(sale),
                    },
                    "condicao_pagamento": {
                        "tipo_pagamento": payment["tipo_pagamento"],
                        "id_conta_financeira": payment["id_conta_financeira"],
                        "pagamento_a_vista": len(payment["parcelas"]) == 1,
                        "parcelas": payment["parcelas"],
                        "observacoes_pagamento": payment["observacoes_pagamento"],
                        "opcao_condicao_pagamento": payment["opcao_condicao_pagamento"],
                        "nsu": payment["nsu"],
                    },
                    "total_itens": {
                        "contagem_produtos": products,
                        "contagem_servicos": len(sale["itens"]) - products,
                        "contagem_nao_conciliados": 0,
                    },
                    "observacoes": sale.get("observacoes"),
                    "id_cliente": sale["id_cliente"],
                    "versao": sale["versao"],
                    "situacao": {**self._state(sale), "ativado": sale["situacao"] != "CANCELADO"},
                    "id_natureza_operacao": sale.get("id_natureza_operacao"),
                    "id_centro_custo": sale.get("id_centro_custo"),
                    "origem": sale["origem"],
                },
                "vendedor": seller,
            }
        )

    @route("PUT", "/v1/venda/{ident}")
    def venda_update(self, request: FakeRequest, ident: str) -> FakeResponse:
        sale = self._sale(ident)
        body = conform(object_body(request), SALE_SHAPE, _SALE)
        require(body, ("versao",), _SALE)
        if body["versao"] != sale["versao"]:
            raise fail(400, "A versão informada está desatualizada; leia a venda de novo.")
        body = self._check_sale(body, SALE_STATES_ON_EDIT, ignore=sale["id"])
        kept = {k: sale[k] for k in ("id", "id_legado", "origem", CREATED)}
        sale.clear()
        sale.update({**{k: v for k, v in body.items() if not k.startswith("_")}, **kept})
        for item in sale["itens"]:
            item["_linha"] = self.new_id()
        sale["versao"] = body["versao"] + 1
        self.touch(sale)
        self._highest_sale = max(self._highest_sale, sale["numero"])
        return ok({"id": sale["id"], "id_legado": sale["id_legado"]})

    @route("GET", "/v1/venda/{ident}/itens")
    def venda_itens(self, request: FakeRequest, ident: str) -> FakeResponse:
        sale = self._sale(ident)
        products = sum(1 for i in sale["itens"] if i["id"] in self.data["produtos"])
        totais = {
            "quantidade_produtos": products,
            "quantidade_servicos": len(sale["itens"]) - products,
            "quantidade_nao_conciliados": 0,
        }
        return page_of(request, sale["itens"], SALE_ITEMS_RULE, self._item_view, {"totais": totais})

    def _item_view(self, item: JSON) -> JSON:
        catalog = self._catalog_item(item["id"]) or {}
        is_product = item["id"] in self.data["produtos"]
        cost = item.get("valor_custo")
        if cost is None:
            cost = (
                (catalog.get("estoque") or {}).get("custo_medio")
                if is_product
                else catalog.get("custo")
            )
        result: JSON = wire(
            {
                "id": item["_linha"],
                "id_item": item["id"],
                "nome": catalog.get("nome") or catalog.get("descricao"),
                "descricao": item.get("descricao"),
                "tipo": "PRODUTO" if is_product else "SERVICO",
                "quantidade": decimal(item["quantidade"]),
                "valor": decimal(item["valor"]),
                "custo": cost,
            }
        )
        return result

    @route("GET", "/v1/venda/{ident}/imprimir")
    def venda_imprimir(self, request: FakeRequest, ident: str) -> FakeResponse:
        sale = self._sale(ident)
        return FakeResponse(
            200, raw=PDF_TEMPLATE % sale["numero"], headers={"Content-Type": "application/pdf"}
        )

    @route("POST", "/v1/venda/exclusao-lote")
    def vendas_excluir(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request), IDS_SHAPE, _SALE)
        require(body, ("ids",), _SALE)
        removed = ignored = 0
        for ident in body["ids"]:
            if self.data["vendas"].pop(str(ident), None) is None:
                ignored += 1
            else:
                removed += 1
        return ok({"atualizados": removed, "ignorados": ignored})

    @route("GET", "/v1/venda/proximo-numero")
    def venda_proximo_numero(self, request: FakeRequest) -> FakeResponse:
        return ok(self._highest_sale + 1)

    @route("GET", "/v1/venda/vendedores")
    def vendedores(self, request: FakeRequest) -> FakeResponse:
        return ok(self.rows("vendedores"))

    # -- orçamentos ----------------------------------------------------------------------------

    @route("GET", "/v1/orcamentos")
    def orcamentos(self, request: FakeRequest) -> FakeResponse:
        term = arg(request, "termo_busca")
        first, last = date_window(request, "data_inicio", "data_fim", _SHORT, required=False)
        customers = set(many(request, "ids_clientes"))
        states = set(many(request, "situacoes"))
        numbers = set(many(request, "numeros"))

        def keep(proposal: JSON) -> bool:
            customer = self.data["pessoas"].get(proposal["id_cliente"]) or {}
            if term and not (
                contains(customer.get("nome"), term) or term == str(proposal["numero"])
            ):
                return False
            return (
                within(parse_date(proposal["data_orcamento"]), first, last)
                and (not customers or proposal["id_cliente"] in customers)
                and (not states or proposal["situacao"] in states)
                and (not numbers or str(proposal["numero"]) in numbers)
            )

        found = self._sorted(
            request,
            self.rows("orcamentos", keep),
            {
                "NUMERO": lambda p: p["numero"],
                "DATA": lambda p: str(p["data_orcamento"]),
                "CLIENTE": lambda p: str(
                    (self.data["pessoas"].get(p["id_cliente"]) or {}).get("nome", "")
                ),
            },
        )
        return page_of(request, found, PROPOSALS_RULE, self._listed_proposal)

    def _listed_proposal(self, proposal: JSON) -> JSON:
        customer = self.data["pessoas"].get(proposal["id_cliente"]) or {}
        result: JSON = wire(
            {
                "cliente": {
                    "id": customer.get("id"),
                    "nome": customer.get("nome"),
                    "email": customer.get("email"),
                },
                "data_alteracao": proposal[CHANGED],
                "data_criacao": proposal[CREATED],
                "data_orcamento": proposal["data_orcamento"],
                "id": proposal["id"],
                "numero": proposal["numero"],
                "origem": "API",
                "situacao": proposal["situacao"],
                "total": self._proposal_total(proposal),
                "versao": proposal["versao"],
            }
        )
        return result

    def _proposal_total(self, proposal: JSON) -> Decimal:
        return sale_total(proposal)

    @route("POST", "/v1/orcamentos")
    def orcamento_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request, _SHORT), PROPOSAL_SHAPE, _SHORT)
        require(body, PROPOSAL_FIELDS, _SHORT)
        self._check_customer(body["id_cliente"], _SHORT)
        body["itens"] = self._check_items(body["itens"], ("id",), _SHORT)
        numero = 1 + max((p["numero"] for p in self.data["orcamentos"].values()), default=0)
        proposal = {
            **body,
            "id": self.new_id(),
            "numero": numero,
            "situacao": "ORCAMENTO",
            "versao": 1,
        }
        self.insert("orcamentos", proposal)
        return ok({"id": proposal["id"]}, status=201)

    @route("GET", "/v1/orcamentos/{ident}")
    def orcamento(self, request: FakeRequest, ident: str) -> FakeResponse:
        proposal = self.find(
            "orcamentos", ident, lambda: fail(404, "Orçamento não encontrado.", _SHORT)
        )
        items = []
        for item in proposal["itens"]:
            catalog = self._catalog_item(item["id"]) or {}
            items.append(
                {
                    "id": item["id"],
                    "nome": catalog.get("nome") or catalog.get("descricao"),
                    "descricao": item.get("descricao"),
                    "quantidade": decimal(item.get("quantidade")),
                    "valor": decimal(item.get("valor")),
                    "custo": item.get("valor_custo"),
                    "tipo": "PRODUTO" if item["id"] in self.data["produtos"] else "SERVICO",
                }
            )
        keys = (
            "data_orcamento",
            "data_validade",
            "descricao",
            "id",
            "id_cliente",
            "id_vendedor",
            "numero",
            "observacoes",
            "observacoes_pagamento",
            "previsao_entrega",
            "situacao",
            "versao",
        )
        view = {k: proposal.get(k) for k in keys}
        view["composicao_de_valor"] = proposal.get("composicao_de_valor")
        view["itens"] = items
        return ok(view)

    @route("DELETE", "/v1/orcamentos")
    def orcamentos_excluir(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request, _SHORT), IDS_SHAPE, _SHORT)
        require(body, ("ids",), _SHORT)
        for ident in body["ids"]:
            self.data["orcamentos"].pop(str(ident), None)
        return FakeResponse(204)

    # -- contratos --------------------------------------------------------------------------------

    @route("GET", "/v1/contratos")
    def contratos(self, request: FakeRequest) -> FakeResponse:
        first, last = date_window(request, "data_inicio", "data_fim", _SHORT, required=True)
        text = arg(request, "busca_textual")
        customers = set(many(request, "cliente_id"))
        payments = set(many(request, "tipo_pagamento"))
        status = (arg(request, "status") or "TODOS").upper()

        def keep(contract: JSON) -> bool:
            customer = self.data["pessoas"].get(contract["id_cliente"]) or {}
            if text and not (
                contains(customer.get("nome"), text) or text == str(contract["termos"]["numero"])
            ):
                return False
            if status in ("ATIVO", "INATIVO") and contract["status"] != status:
                return False
            return (
                within(parse_date(contract["termos"]["data_inicio"]), first, last)
                and (not customers or contract["id_cliente"] in customers)
                and (
                    not payments or contract["condicao_pagamento"].get("tipo_pagamento") in payments
                )
            )

        found = self._sorted(
            request,
            self.rows("contratos", keep),
            {
                "DATA_INICIO": lambda c: str(c["termos"]["data_inicio"]),
                "DATA_FIM": lambda c: str(c["termos"].get("data_fim")),
            },
        )
        return page_of(request, found, CONTRACTS_RULE, self._listed_contract)

    def _listed_contract(self, contract: JSON) -> JSON:
        customer = self.data["pessoas"].get(contract["id_cliente"]) or {}
        account = self.data["contas_financeiras"].get(
            contract["condicao_pagamento"].get("id_conta_financeira") or ""
        )
        result: JSON = wire(
            {
                "cliente": {"id": customer.get("id"), "nome": customer.get("nome")},
                "conta_financeira": {"id": account["id"], "tipo": account["tipo"]}
                if account
                else None,
                "data_inicio": contract["termos"]["data_inicio"],
                "id": contract["id"],
                "numero": contract["termos"]["numero"],
                "proximo_vencimento": contract["condicao_pagamento"]["primeira_data_vencimento"],
                "status": contract["status"],
                "termos": {
                    "data_fim": contract["termos"].get("data_fim"),
                    "tipo_expiracao": contract["termos"]["tipo_expiracao"],
                    "vigencia_atual": 1,
                    "vigencia_total": contract["termos"].get("numero"),
                },
                "tipo_pagamento": contract["condicao_pagamento"].get("tipo_pagamento"),
                "total": sale_total(contract),
                "total_proximo_vencimento": sale_total(contract),
            }
        )
        return result

    @route("POST", "/v1/contratos")
    def contrato_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request, _SHORT), CONTRACT_SHAPE, _SHORT)
        require(body, CONTRACT_FIELDS, _SHORT)
        self._check_customer(body["id_cliente"], _SHORT)
        body["itens"] = self._check_items(body["itens"], ("id", "quantidade", "valor"), _SHORT)
        numero = body["termos"]["numero"]
        if any(c["termos"]["numero"] == numero for c in self.data["contratos"].values()):
            raise fail(400, f"Já existe um contrato com o número {numero}.", _SHORT)
        if isinstance(numero, int):
            self._highest_contract = max(self._highest_contract, numero)
        sale_id = self.new_id()
        contract = {
            **body,
            "id": self.new_id(),
            "id_legado": self.new_legacy_id(),
            "status": "ATIVO",
            "_venda": sale_id,
        }
        self.insert("contratos", contract)
        return ok(
            {"id": contract["id"], "id_legado": contract["id_legado"], "id_venda": sale_id},
            status=201,
        )

    @route("GET", "/v1/contratos/proximo-numero")
    def contrato_proximo_numero(self, request: FakeRequest) -> FakeResponse:
        return ok(self._highest_contract + 1)

    def _contract(self, ident: str) -> JSON:
        if not is_uuid(ident):
            raise fail(400, f"O id '{ident}' não é um uuid válido.", _SHORT)
        return self.find("contratos", ident, lambda: fail(404, "Contrato não encontrado.", _SHORT))

    @route("GET", "/v1/contratos/{ident}")
    def contrato(self, request: FakeRequest, ident: str) -> FakeResponse:
        contract = self._contract(ident)
        customer = self.data["pessoas"].get(contract["id_cliente"]) or {}
        seller = self.data["vendedores"].get(contract.get("id_vendedor") or "") or {}
        account = (
            self.data["contas_financeiras"].get(
                contract["condicao_pagamento"].get("id_conta_financeira") or ""
            )
            or {}
        )
        items = sum(
            (decimal(i["quantidade"]) * decimal(i["valor"]) for i in contract["itens"]), Decimal(0)
        )
        composition = contract.get("composicao_de_valor") or {}
        terms = contract["termos"]
        return ok(
            {
                "cliente": {"id": customer.get("id"), "nome": customer.get("nome")},
                "composicao_valor": {
                    "desconto": cents(
                        items + decimal(composition.get("frete")) - sale_total(contract)
                    ),
                    "frete": decimal(composition.get("frete")),
                    "valor_bruto": cents(items),
                    "valor_impostos_servico": Decimal(0),
                    "valor_liquido": sale_total(contract),
                },
                "condicao_pagamento": {
                    "dia_vencimento": contract["condicao_pagamento"]["dia_vencimento"],
                    "nome_conta_financeira": account.get("nome"),
                    "observacoes_pagamento": contract.get("observacoes_pagamento"),
                    "tipo_pagamento": contract["condicao_pagamento"].get("tipo_pagamento"),
                },
                "configuracao_recorrencia": {
                    "vigencia_restante": terms["numero"],
                    "vigencia_total": terms["numero"],
                },
                "data_proxima_emissao": terms["data_inicio"],
                "data_proximo_vencimento": contract["condicao_pagamento"][
                    "primeira_data_vencimento"
                ],
                "data_ultima_emissao": None,
                "id": contract["id"],
                "id_proxima_venda_agendada": contract["_venda"],
                "id_ultima_venda_confirmada": None,
                "observacoes": contract.get("observacoes"),
                "status": contract["status"],
                "termos": {
                    k: terms.get(k)
                    for k in (
                        "data_fim",
                        "data_inicio",
                        "dia_emissao_venda",
                        "intervalo_frequencia",
                        "numero",
                        "tipo_expiracao",
                        "tipo_frequencia",
                    )
                },
                "vendedor": {"id": seller.get("id"), "nome": seller.get("nome")},
            }
        )

    @route("DELETE", "/v1/contratos/{ident}")
    def contrato_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        self._contract(ident)
        del self.data["contratos"][ident]
        return FakeResponse(204)

    @route("POST", "/v1/contratos/{ident}/encerrar")
    def contrato_encerrar(self, request: FakeRequest, ident: str) -> FakeResponse:
        contract = self._contract(ident)
        contract["status"] = "INATIVO"
        self.touch(contract)
        return FakeResponse(204)
