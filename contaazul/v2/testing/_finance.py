"""The financial API of the fake: accounts, categories, cost centres, transfers, financial
events (202 + protocol), their installments, acquittances and charges.

Creating a receivable or a payable checks the body's shape at once (400) and queues the
rest: the protocol answers ``PENDING`` until it has been read ``protocol_polls`` times and
``protocol_delay`` seconds have passed on the clock, then ``SUCCESS`` with the new event's
id, or ``ERROR`` naming what the event refers to that does not exist (an unknown category,
account, contact or cost centre) or an installment sum that differs from ``valor``.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from sdkcore.dates import parse_date
from sdkcore.money import cents
from sdkcore.testing import FakeRequest, FakeResponse, route

from ._core import (
    CHANGED,
    JSON,
    MONEY_BREAKDOWN,
    Envelope,
    FakeCore,
    PageRule,
    Shape,
    Style,
    arg,
    bool_arg,
    boolean,
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
    money_arg,
    not_null,
    object_body,
    ok,
    page_of,
    positive_money,
    require,
    shape,
    text,
    utc_stamp,
    wire,
    within,
)
from ._seed import CAIXINHA

EVENTS = "/v1/financeiro/eventos-financeiros"
PARCELAS = EVENTS + "/parcelas"

PENDING, SUCCESS, ERROR = "PENDING", "SUCCESS", "ERROR"
RECEITA, DESPESA = "RECEITA", "DESPESA"

EVENT_FIELDS = (
    "data_competencia",
    "valor",
    "observacao",
    "descricao",
    "contato",
    "conta_financeira",
    "condicao_pagamento.parcelas",
)
INSTALLMENT_FIELDS = (
    "descricao",
    "data_vencimento",
    "nota",
    "conta_financeira",
    "detalhe_valor.valor_bruto",
)
DIGITAL_ACCOUNTS = frozenset({"COBRANCAS_CONTA_AZUL", "RECEBA_FACIL_CARTAO"})

# installment status -> (status, status_traduzido) of the receivable/payable lists
LIST_STATUS = {
    "PENDENTE": ("PENDING", "EM_ABERTO"),
    "ATRASADO": ("OVERDUE", "ATRASADO"),
    "RECEBIDO_PARCIAL": ("PARTIAL", "RECEBIDO_PARCIAL"),
    "QUITADO": ("ACQUITTED", "RECEBIDO"),
    "PERDIDO": ("LOST", "PERDIDO"),
    "RENEGOCIADO": ("RENEGOTIATED", "RENEGOCIADO"),
}

ACCOUNTS_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS)
CATEGORIES_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS, required=True)
COST_CENTRES_RULE = PageRule(Envelope.ITENS_TOTAIS_ITEMS, required=True)
TRANSFERS_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS)
INSTALLMENTS_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS, required=True)
CHANGES_RULE = PageRule(Envelope.ITENS_TOTAIS_ITENS, sizes=None)
_STYLE = Style.CODE_MESSAGE

EVENT_SHAPE: Shape = {
    **dict.fromkeys(("observacao", "descricao", "contato", "conta_financeira"), text),
    "data_competencia": day,
    "valor": positive_money,
    "rateio": list_of(
        shape(
            {
                "id_categoria": text,
                "valor": money,
                "rateio_centro_custo": list_of(shape({"id_centro_custo": text, "valor": money})),
            }
        )
    ),
    "condicao_pagamento": shape(
        {
            "parcelas": list_of(
                shape(
                    {
                        **dict.fromkeys(
                            ("descricao", "nota", "conta_financeira", "metodo_pagamento"), text
                        ),
                        "data_vencimento": day,
                        "detalhe_valor": shape(MONEY_BREAKDOWN),
                    }
                )
            )
        }
    ),
}
"""A receivable or payable as the fake reads it (the financial spec's event request)."""

INSTALLMENT_PATCH_SHAPE: Shape = {
    "versao": integer,
    **dict.fromkeys(("nota", "descricao", "metodo_pagamento", "nsu", "id_conta_financeira"), text),
    "vencimento": day,
    "data_pagamento_esperado": day,
    "composicao_valor": shape(MONEY_BREAKDOWN),
    "perda": shape({"data": day, "valor": money}),
    "pagamento_agendado": boolean,
}
"""What an installment's ``PATCH`` may change: closed, since the rest is the fake's own."""

ACQUITTANCE_SHAPE: Shape = {
    "versao": integer,
    **dict.fromkeys(("conta_financeira", "metodo_pagamento", "observacao", "nsu"), text),
    "data_pagamento": day,
    "composicao_valor": shape(MONEY_BREAKDOWN),
}
"""An acquittance's fields (create and ``PATCH``): closed, as above."""

ACQUITTANCE_AMOUNT = ("composicao_valor", "composicao_valor.valor_bruto")

CHARGE_SHAPE: Shape = {
    **dict.fromkeys(("conta_bancaria", "descricao_fatura", "id_parcela", "tipo"), text),
    "data_vencimento": day,
}


def _uuid_param(value: str, name: str) -> None:
    if not is_uuid(value):
        raise fail(
            400,
            f"O valor '{value}' fornecido no parâmetro '{name}' não é um identificador "
            "(uuid) válido.",
        )


class FinanceRoutes(FakeCore):
    """Routes of ``financial``, ``protocol``, ``acquittance`` and ``charge``."""

    protocol_polls: int
    protocol_delay: float

    # -- contas financeiras --------------------------------------------------------------------

    @route("GET", "/v1/conta-financeira")
    def contas_financeiras(self, request: FakeRequest) -> FakeResponse:
        tipos = set(many(request, "tipos"))
        nome = arg(request, "nome")
        only_active = bool_arg(request, "apenas_ativo", False)
        hide_digital = bool_arg(request, "esconde_conta_digital", False)
        show_caixinha = bool_arg(request, "mostrar_caixinha", False)

        def keep(account: JSON) -> bool:
            if account["tipo"] == CAIXINHA and not show_caixinha:
                return False
            if tipos and account["tipo"] not in tipos:
                return False
            if hide_digital and account["tipo"] in DIGITAL_ACCOUNTS:
                return False
            if only_active and not account["ativo"]:
                return False
            return nome is None or contains(account["nome"], nome)

        found = self.rows("contas_financeiras", keep)
        active = sum(1 for a in found if a["ativo"])
        totais = {"ativo": active, "inativo": len(found) - active, "todos": len(found)}
        return page_of(request, found, ACCOUNTS_RULE, extra={"totais": totais})

    @route("GET", "/v1/conta-financeira/{ident}/saldo-atual")
    def saldo_atual(self, request: FakeRequest, ident: str) -> FakeResponse:
        _uuid_param(ident, "id_conta_financeira")
        self.find("contas_financeiras", ident)
        return ok({"saldo_atual": self.balance(ident)})

    def balance(self, account_id: str) -> Decimal:
        """The opening balance, plus receipts and less payments acquitted on the account,
        less transfers out and plus transfers in."""
        total: Decimal = self.data["contas_financeiras"][account_id]["_saldo_inicial"]
        for baixa in self.data["baixas"].values():
            if baixa["conta_financeira"] == account_id:
                amount = decimal(baixa["composicao_valor"].get("valor_bruto"))
                total += amount if baixa["_tipo"] == RECEITA else -amount
        for transfer in self.data["transferencias"].values():
            if transfer["_origem"] == account_id:
                total -= transfer["valor"]
            if transfer["_destino"] == account_id:
                total += transfer["valor"]
        return cents(total)

    # -- categorias, DRE, centros de custo -----------------------------------------------------

    @route("GET", "/v1/categorias")
    def categorias(self, request: FakeRequest) -> FakeResponse:
        if arg(request, "permite_apenas_filhos") is None:
            raise fail(400, "O parâmetro 'permite_apenas_filhos' é obrigatório.")
        busca = arg(request, "busca")
        nome = arg(request, "nome")
        tipo = arg(request, "tipo")
        only_children = bool_arg(request, "apenas_filhos", False)

        def keep(category: JSON) -> bool:
            if tipo and category["tipo"] != tipo:
                return False
            if only_children and category["categoria_pai"] is None:
                return False
            if nome and category["nome"].casefold() != nome.casefold():
                return False
            return busca is None or contains(category["nome"], busca)

        found = self.rows("categorias", keep)
        ascending = arg(request, "campo_ordenado_ascendente")
        descending = arg(request, "campo_ordenado_descendente")
        field = ascending or descending
        if field in ("NOME", "TIPO"):
            found.sort(key=lambda c: str(c[field.lower()]).casefold(), reverse=not ascending)
        totais = {"ativo": len(found), "inativo": 0, "todos": len(found)}
        return page_of(request, found, CATEGORIES_RULE, extra={"totais": totais})

    @route("GET", "/v1/categorias/configuracao-padrao")
    def configuracao_padrao(self, request: FakeRequest) -> FakeResponse:
        from ._seed import DEFAULT_CATEGORY_OPERATIONS

        with_suggestion = bool_arg(request, "sugestao_padrao", True)
        categories = self.rows("categorias")
        rows = []
        for index, (operation, label) in enumerate(DEFAULT_CATEGORY_OPERATIONS):
            category = categories[index % len(categories)]
            row: JSON = {
                "tipo_operacao": operation,
                "id_categoria": category["id"],
                "nome_categoria": category["nome"],
            }
            if with_suggestion:
                row["sugestao_padrao"] = {"id": None, "nome": label}
            rows.append(row)
        return ok(rows)

    @route("GET", "/v1/financeiro/categorias-dre")
    def categorias_dre(self, request: FakeRequest) -> FakeResponse:
        from ._seed import DRE

        by_name = {c["nome"]: c for c in self.rows("categorias")}
        items = []
        for position, (code, label, names) in enumerate(DRE, start=1):
            items.append(
                {
                    "id": self._dre_id(code),
                    "descricao": label,
                    "codigo": code,
                    "posicao": position,
                    "indica_totalizador": False,
                    "representa_soma_custo_medio": False,
                    "subitens": [],
                    "categorias_financeiras": [
                        {"id": by_name[n]["id"], "codigo": str(i), "nome": n, "ativo": True}
                        for i, n in enumerate(names, start=1)
                        if n in by_name
                    ],
                }
            )
        return ok({"itens": items})

    def _dre_id(self, code: str) -> str:
        """A stable id per DRE line for this fake (the structure is fixed)."""
        cached: dict[str, str] = self.__dict__.setdefault("_dre_ids", {})
        if code not in cached:
            cached[code] = self.new_id()
        return cached[code]

    @route("GET", "/v1/centro-de-custo")
    def centros_de_custo(self, request: FakeRequest) -> FakeResponse:
        busca = arg(request, "busca")
        quick = (arg(request, "filtro_rapido") or "TODOS").upper()

        def keep(centre: JSON) -> bool:
            if quick == "ATIVO" and not centre["ativo"]:
                return False
            if quick == "INATIVO" and centre["ativo"]:
                return False
            return busca is None or contains(centre["nome"], busca) or busca == centre["codigo"]

        everything = self.rows("centros_de_custo")
        active = sum(1 for c in everything if c["ativo"])
        totais = {"ativo": active, "inativo": len(everything) - active, "todos": len(everything)}
        found = self.rows("centros_de_custo", keep)
        return page_of(request, found, COST_CENTRES_RULE, extra={"totais": totais})

    @route("POST", "/v1/centro-de-custo")
    def centro_de_custo_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request), {"nome": text, "codigo": text}, _STYLE)
        require(body, ("nome",), _STYLE)
        centre = {"id": self.new_id(), "codigo": body.get("codigo"), "nome": body["nome"]}
        centre["ativo"] = True
        return ok(self.insert("centros_de_custo", centre))

    # -- transferências ------------------------------------------------------------------------

    @route("GET", "/v1/financeiro/transferencias")
    def transferencias(self, request: FakeRequest) -> FakeResponse:
        accounts = many(request, "ids_conta_financeira")
        for account in accounts:
            if not is_uuid(account):
                raise fail(
                    400,
                    "O valor fornecido no parâmetro 'ids_conta_financeira' não é um "
                    "identificador (uuid) válido.",
                )
        first, last = date_window(request, "data_inicio", "data_fim", _STYLE, required=False)

        def keep(transfer: JSON) -> bool:
            touches = {transfer["_origem"], transfer["_destino"]}
            if accounts and not touches & set(accounts):
                return False
            return within(transfer["data"], first, last)

        return page_of(
            request, self.rows("transferencias", keep), TRANSFERS_RULE, self._transfer_view
        )

    def _transfer_view(self, transfer: JSON) -> JSON:
        def side(account_id: str) -> JSON:
            account = self.data["contas_financeiras"][account_id]
            amount = transfer["valor"]
            return {
                "data": transfer["data"],
                "composicao_valor": {
                    "valor_bruto": amount,
                    "juros": Decimal(0),
                    "multa": Decimal(0),
                    "valor_liquido": amount,
                    "desconto": Decimal(0),
                    "taxa": Decimal(0),
                },
                "conta_financeira": {
                    "id": account_id,
                    "nome": account["nome"],
                    "instituicao_bancaria": {
                        "codigo": account["codigo_banco"],
                        "nome": account["banco"],
                    },
                },
            }

        view = {k: v for k, v in transfer.items() if k in ("id", "descricao", "valor", "data")}
        return _wire(
            {**view, "origem": side(transfer["_origem"]), "destino": side(transfer["_destino"])}
        )

    # -- contas a receber / a pagar: 202 + protocol --------------------------------------------

    @route("POST", EVENTS + "/contas-a-receber")
    def receber_create(self, request: FakeRequest) -> FakeResponse:
        return self._queue_event(request, RECEITA)

    @route("POST", EVENTS + "/contas-a-pagar")
    def pagar_create(self, request: FakeRequest) -> FakeResponse:
        return self._queue_event(request, DESPESA)

    def _queue_event(self, request: FakeRequest, kind: str) -> FakeResponse:
        body = conform(object_body(request), EVENT_SHAPE, _STYLE)
        require(body, EVENT_FIELDS, _STYLE)
        for parcela in body["condicao_pagamento"]["parcelas"]:
            require(parcela, INSTALLMENT_FIELDS, _STYLE)
        now = self.now()
        protocol = {
            "id": self.new_id(),
            "status": PENDING,
            "resposta": None,
            "evento_financeiro_id": None,
            "_tipo": kind,
            "_pedido": body,
            "_reads": 0,
            "_at": self.clock.time(),
            "_data_criacao": now,
        }
        self.insert("protocolos", protocol)
        return ok(
            {"protocolo": protocol["id"], "status": PENDING, "data_criacao": utc_stamp(now)},
            status=202,
        )

    @route("GET", "/v1/protocolo/{ident}")
    def protocolo(self, request: FakeRequest, ident: str) -> FakeResponse:
        if not is_uuid(ident):
            raise fail(400, f"O valor '{ident}' não é um identificador (uuid) válido.")
        protocol = self.find("protocolos", ident)
        if protocol["status"] == PENDING:
            protocol["_reads"] += 1
            due = self.clock.time() >= protocol["_at"] + self.protocol_delay
            if protocol["_reads"] > self.protocol_polls and due:
                self._settle(protocol)
        return ok({k: protocol[k] for k in ("id", "resposta", "status", "evento_financeiro_id")})

    def _settle(self, protocol: JSON) -> None:
        problem = self._event_problem(protocol["_pedido"])
        self.touch(protocol)
        if problem is not None:
            protocol.update(status=ERROR, resposta=problem)
            return
        event = self._create_event(protocol["_pedido"], protocol["_tipo"])
        protocol.update(
            status=SUCCESS,
            resposta="Evento financeiro criado com sucesso.",
            evento_financeiro_id=event["id"],
        )

    def _event_problem(self, body: JSON) -> str | None:
        """Why a queued event cannot be created, or ``None``."""
        if body["contato"] not in self.data["pessoas"]:
            return f"Contato '{body['contato']}' não encontrado."
        accounts = [body["conta_financeira"]] + [
            p["conta_financeira"] for p in body["condicao_pagamento"]["parcelas"]
        ]
        for account in accounts:
            if account not in self.data["contas_financeiras"]:
                return f"Conta financeira '{account}' não encontrada."
        for share in body.get("rateio") or []:
            if share.get("id_categoria") not in self.data["categorias"]:
                return f"Categoria '{share.get('id_categoria')}' não encontrada."
            for centre in share.get("rateio_centro_custo") or []:
                if centre.get("id_centro_custo") not in self.data["centros_de_custo"]:
                    return f"Centro de custo '{centre.get('id_centro_custo')}' não encontrado."
        installments = sum(
            (
                decimal(p["detalhe_valor"]["valor_bruto"])
                for p in body["condicao_pagamento"]["parcelas"]
            ),
            Decimal(0),
        )
        if cents(installments) != cents(decimal(body["valor"])):
            return (
                f"A soma das parcelas ({cents(installments)}) difere do valor do evento "
                f"({cents(decimal(body['valor']))})."
            )
        return None

    def _create_event(self, body: JSON, kind: str) -> JSON:
        event = self.insert(
            "eventos",
            {
                "id": self.new_id(),
                "tipo": kind,
                "data_competencia": body["data_competencia"],
                "valor": decimal(body["valor"]),
                "descricao": body["descricao"],
                "observacao": body["observacao"],
                "contato": body["contato"],
                "conta_financeira": body["conta_financeira"],
                "rateio": body.get("rateio") or [],
            },
        )
        for index, parcela in enumerate(body["condicao_pagamento"]["parcelas"], start=1):
            composition = dict(parcela["detalhe_valor"])
            gross = decimal(composition["valor_bruto"])
            composition.setdefault("valor_liquido", gross)
            self.insert(
                "parcelas",
                {
                    "id": self.new_id(),
                    "versao": 1,
                    "indice": index,
                    "descricao": parcela["descricao"],
                    "nota": parcela["nota"],
                    "data_vencimento": parcela["data_vencimento"],
                    "data_pagamento_previsto": parcela["data_vencimento"],
                    "id_conta_financeira": parcela["conta_financeira"],
                    "metodo_pagamento": parcela.get("metodo_pagamento"),
                    "valor_composicao": composition,
                    "valor_pago": Decimal(0),
                    "_evento": event["id"],
                },
            )
        return event

    # -- the lists of receivables and payables -------------------------------------------------

    @route("GET", EVENTS + "/contas-a-receber/buscar")
    def receber_list(self, request: FakeRequest) -> FakeResponse:
        return self._installment_list(request, RECEITA)

    @route("GET", EVENTS + "/contas-a-pagar/buscar")
    def pagar_list(self, request: FakeRequest) -> FakeResponse:
        return self._installment_list(request, DESPESA)

    def _installment_list(self, request: FakeRequest, kind: str) -> FakeResponse:
        due_from, due_to = date_window(
            request, "data_vencimento_de", "data_vencimento_ate", _STYLE, required=True
        )
        made_from, made_to = date_window(
            request, "data_competencia_de", "data_competencia_ate", _STYLE, required=False
        )
        changed_from = instant_arg(request, "data_alteracao_de", _STYLE)
        changed_to = instant_arg(request, "data_alteracao_ate", _STYLE)
        descricao = arg(request, "descricao")
        statuses = set(many(request, "status"))
        accounts = set(many(request, "ids_contas_financeiras"))
        categories = set(many(request, "ids_categorias"))
        centres = set(many(request, "ids_centros_de_custo"))
        people = set(many(request, "ids_clientes"))
        low = money_arg(request, "valor_de", _STYLE)
        high = money_arg(request, "valor_ate", _STYLE)

        def keep(parcela: JSON) -> bool:
            event = self.data["eventos"][parcela["_evento"]]
            if event["tipo"] != kind:
                return False
            if not within(_day(parcela["data_vencimento"]), due_from, due_to):
                return False
            if not within(_day(event["data_competencia"]), made_from, made_to):
                return False
            if changed_from and parcela[CHANGED] < changed_from:
                return False
            if changed_to and parcela[CHANGED] > changed_to:
                return False
            if descricao and not contains(parcela["descricao"], descricao):
                return False
            if statuses and not statuses & {
                self.installment_status(parcela),
                *self._list_status(parcela),
            }:
                return False
            if accounts and parcela["id_conta_financeira"] not in accounts:
                return False
            shares = event["rateio"]
            if categories and not categories & {s.get("id_categoria") for s in shares}:
                return False
            centre_ids = {
                c.get("id_centro_custo") for s in shares for c in s.get("rateio_centro_custo") or []
            }
            if centres and not centres & centre_ids:
                return False
            if people and event["contato"] not in people:
                return False
            gross = decimal(parcela["valor_composicao"]["valor_bruto"])
            return (low is None or gross >= low) and (high is None or gross <= high)

        view = self._receivable_view if kind == RECEITA else self._payable_view
        return page_of(request, self.rows("parcelas", keep), INSTALLMENTS_RULE, view)

    def installment_status(self, parcela: JSON) -> str:
        gross = decimal(parcela["valor_composicao"]["valor_bruto"])
        paid = decimal(parcela["valor_pago"])
        if paid >= gross:
            return "QUITADO"
        if paid > 0:
            return "RECEBIDO_PARCIAL"
        if _day(parcela["data_vencimento"]) < self.today():
            return "ATRASADO"
        return "PENDENTE"

    def _list_status(self, parcela: JSON) -> tuple[str, str]:
        return LIST_STATUS[self.installment_status(parcela)]

    def _receivable_view(self, parcela: JSON) -> JSON:
        view = self._listed(parcela)
        view["cliente"] = self._negotiator(parcela)
        return _wire(view)

    def _payable_view(self, parcela: JSON) -> JSON:
        view = self._listed(parcela)
        view["fornecedor"] = self._negotiator(parcela)
        return _wire(view)

    def _negotiator(self, parcela: JSON) -> JSON:
        person_id = self.data["eventos"][parcela["_evento"]]["contato"]
        person = self.data["pessoas"].get(person_id) or {}
        return {"id": person_id, "nome": person.get("nome")}

    def _listed(self, parcela: JSON) -> JSON:
        event = self.data["eventos"][parcela["_evento"]]
        gross = decimal(parcela["valor_composicao"]["valor_bruto"])
        paid = decimal(parcela["valor_pago"])
        status, translated = self._list_status(parcela)
        names = {c["id"]: c["nome"] for c in self.data["categorias"].values()}
        centre_names = {c["id"]: c["nome"] for c in self.data["centros_de_custo"].values()}
        return {
            "id": parcela["id"],
            "descricao": parcela["descricao"],
            "data_vencimento": parcela["data_vencimento"],
            "status": status,
            "status_traduzido": translated,
            "total": gross,
            "nao_pago": gross - paid,
            "pago": paid,
            "data_criacao": utc_stamp(parcela["_criado"]),
            "data_alteracao": utc_stamp(parcela[CHANGED]),
            "data_competencia": event["data_competencia"],
            "categorias": [
                {"id": s.get("id_categoria"), "nome": names.get(s.get("id_categoria"))}
                for s in event["rateio"]
            ],
            "centros_custo": [
                {"id": c.get("id_centro_custo"), "nome": centre_names.get(c.get("id_centro_custo"))}
                for s in event["rateio"]
                for c in s.get("rateio_centro_custo") or []
            ],
        }

    # -- parcelas ------------------------------------------------------------------------------

    @route("GET", EVENTS + "/{ident}/parcelas")
    def parcelas_do_evento(self, request: FakeRequest, ident: str) -> FakeResponse:
        self.find("eventos", ident)
        found = self.rows("parcelas", lambda p: p["_evento"] == ident)
        return ok([self.installment_view(p) for p in found])

    @route("GET", PARCELAS + "/{ident}")
    def parcela(self, request: FakeRequest, ident: str) -> FakeResponse:
        return ok(self.installment_view(self.find("parcelas", ident)))

    @route("PATCH", PARCELAS + "/{ident}")
    def parcela_patch(self, request: FakeRequest, ident: str) -> FakeResponse:
        parcela = self.find("parcelas", ident)
        body = conform(object_body(request), INSTALLMENT_PATCH_SHAPE, _STYLE, closed=True)
        require(body, ("versao",), _STYLE)
        if body["versao"] != parcela["versao"]:
            raise fail(400, "A versão informada está desatualizada; leia a parcela de novo.")
        not_null(body, ("vencimento", "composicao_valor", "composicao_valor.valor_bruto"), _STYLE)
        self._check_account(body.get("id_conta_financeira"))
        renames = {
            "vencimento": "data_vencimento",
            "data_pagamento_esperado": "data_pagamento_previsto",
        }
        for key, value in body.items():
            if key == "versao":
                continue
            if key == "composicao_valor":
                parcela["valor_composicao"] = {**parcela["valor_composicao"], **value}
            else:
                parcela[renames.get(key, key)] = value
        parcela["versao"] += 1
        self.touch(parcela)
        view = self.installment_view(parcela)
        return ok(
            {
                "nota": parcela["nota"],
                "descricao": parcela["descricao"],
                "vencimento": parcela["data_vencimento"],
                "composicao_valor": parcela["valor_composicao"],
                "versao": parcela["versao"],
                "data_pagamento_esperado": parcela["data_pagamento_previsto"],
                "metodo_pagamento": parcela["metodo_pagamento"],
                "nsu": parcela.get("nsu"),
                "pagamento_agendado": False,
                "conta_financeira": view["conta_financeira"],
            }
        )

    def installment_view(self, parcela: JSON) -> JSON:
        event = self.data["eventos"][parcela["_evento"]]
        account = self.data["contas_financeiras"].get(parcela["id_conta_financeira"]) or {}
        gross = decimal(parcela["valor_composicao"]["valor_bruto"])
        paid = decimal(parcela["valor_pago"])
        baixas = [b for b in self.rows("baixas") if b["id_parcela"] == parcela["id"]]
        return _wire(
            {
                "evento": {
                    "id": event["id"],
                    "data_competencia": event["data_competencia"],
                    "tipo": event["tipo"],
                    "condicao_pagamento": {
                        "quantidade_parcelas": sum(
                            1 for p in self.data["parcelas"].values() if p["_evento"] == event["id"]
                        ),
                        "montante_fixo": False,
                    },
                    "rateio": event["rateio"],
                },
                "id": parcela["id"],
                "versao": parcela["versao"],
                "indice": parcela["indice"],
                "conciliado": False,
                "status": self.installment_status(parcela),
                "valor_pago": paid,
                "nao_pago": gross - paid,
                "data_vencimento": parcela["data_vencimento"],
                "data_pagamento_previsto": parcela["data_pagamento_previsto"],
                "descricao": parcela["descricao"],
                "nota": parcela["nota"],
                "conta_financeira": {k: v for k, v in account.items() if not k.startswith("_")},
                "id_conta_financeira": parcela["id_conta_financeira"],
                "valor_composicao": parcela["valor_composicao"],
                "metodo_pagamento": parcela["metodo_pagamento"],
                "baixas": [self._baixa_view(b) for b in baixas],
                "data_alteracao": parcela[CHANGED],
                "valor_total_liquido": decimal(
                    parcela["valor_composicao"].get("valor_liquido", gross)
                ),
            }
        )

    # -- alterações and saldos iniciais --------------------------------------------------------

    @route("GET", EVENTS + "/alteracoes")
    def alteracoes(self, request: FakeRequest) -> FakeResponse:
        first, last = self._instant_window(request)
        changed = self.rows("eventos", lambda e: first <= e[CHANGED] <= last)
        return page_of(request, changed, CHANGES_RULE, lambda e: {"id": e["id"]})

    @route("GET", EVENTS + "/saldo-inicial")
    def saldos_iniciais(self, request: FakeRequest) -> FakeResponse:
        first, last = self._instant_window(request)
        found = self.rows(
            "contas_financeiras",
            lambda a: first.date() <= a["_data_saldo_inicial"] <= last.date(),
        )
        return page_of(
            request,
            found,
            CHANGES_RULE,
            lambda a: _wire(
                {
                    "tipo": RECEITA if a["_saldo_inicial"] >= 0 else DESPESA,
                    "id_conta_financeira": a["id"],
                    "data_competencia": a["_data_saldo_inicial"],
                    "saldo_inicial": a["_saldo_inicial"],
                }
            ),
        )

    def _instant_window(self, request: FakeRequest) -> tuple[Any, Any]:
        first = instant_arg(request, "data_inicio", _STYLE)
        last = instant_arg(request, "data_fim", _STYLE)
        if first is None or last is None:
            missing = "data_inicio" if first is None else "data_fim"
            raise fail(400, f"O parâmetro '{missing}' é obrigatório.")
        if len(arg(request, "data_fim") or "") == 10:  # a bare date reaches its day's end
            last = last.replace(hour=23, minute=59, second=59, microsecond=999_000)
        if first > last:
            raise fail(400, "A data de início não pode ser posterior à data de fim.")
        return first, last

    # -- baixas --------------------------------------------------------------------------------

    @route("POST", PARCELAS + "/{parcela_id}/baixa")
    def baixa_create(self, request: FakeRequest, parcela_id: str) -> FakeResponse:
        parcela = self.find("parcelas", parcela_id)
        body = conform(object_body(request), ACQUITTANCE_SHAPE, _STYLE, closed=True)
        require(
            body, ("data_pagamento", "composicao_valor.valor_bruto", "conta_financeira"), _STYLE
        )
        self._check_account(body["conta_financeira"])
        event = self.data["eventos"][parcela["_evento"]]
        baixa = self.insert(
            "baixas",
            {
                "id": self.new_id(),
                "versao": 1,
                "data_pagamento": body["data_pagamento"],
                "composicao_valor": body["composicao_valor"],
                "conta_financeira": body["conta_financeira"],
                "metodo_pagamento": body.get("metodo_pagamento"),
                "observacao": body.get("observacao"),
                "nsu": body.get("nsu"),
                "id_parcela": parcela_id,
                "_tipo": event["tipo"],
            },
        )
        self._repay(parcela)
        return ok(self._baixa_created_view(baixa))

    @route("GET", PARCELAS + "/{parcela_id}/baixa")
    def baixas(self, request: FakeRequest, parcela_id: str) -> FakeResponse:
        self.find("parcelas", parcela_id)
        found = self.rows("baixas", lambda b: b["id_parcela"] == parcela_id)
        return ok([self._baixa_view(b) for b in found])

    @route("GET", PARCELAS + "/baixa/{ident}")
    def baixa(self, request: FakeRequest, ident: str) -> FakeResponse:
        return ok(self._baixa_view(self.find("baixas", ident)))

    @route("PATCH", PARCELAS + "/baixa/{ident}")
    def baixa_patch(self, request: FakeRequest, ident: str) -> FakeResponse:
        baixa = self.find("baixas", ident)
        body = conform(object_body(request), ACQUITTANCE_SHAPE, _STYLE, closed=True)
        require(body, ("versao",), _STYLE)
        if body["versao"] != baixa["versao"]:
            raise fail(400, "A versão informada está desatualizada; leia a baixa de novo.")
        not_null(body, ("data_pagamento", "conta_financeira", *ACQUITTANCE_AMOUNT), _STYLE)
        self._check_account(body.get("conta_financeira"))
        changes = {k: v for k, v in body.items() if k != "versao"}
        if "composicao_valor" in changes:
            changes["composicao_valor"] = {
                **baixa["composicao_valor"],
                **changes["composicao_valor"],
            }
        baixa.update(changes)
        baixa["versao"] += 1
        self.touch(baixa)
        self._repay(self.data["parcelas"][baixa["id_parcela"]])
        return ok(self._baixa_created_view(baixa))

    @route("DELETE", PARCELAS + "/baixa/{ident}")
    def baixa_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        baixa = self.find("baixas", ident)
        del self.data["baixas"][ident]
        self._repay(self.data["parcelas"][baixa["id_parcela"]])
        return FakeResponse(200)

    def _check_account(self, ident: str | None) -> None:
        """400 when a financial account named in a body does not exist (``None``: not sent)."""
        if ident is not None and ident not in self.data["contas_financeiras"]:
            raise fail(400, f"Conta financeira '{ident}' não encontrada.")

    def _repay(self, parcela: JSON) -> None:
        paid = sum(
            (
                decimal(b["composicao_valor"].get("valor_bruto"))
                for b in self.data["baixas"].values()
                if b["id_parcela"] == parcela["id"]
            ),
            Decimal(0),
        )
        parcela["valor_pago"] = paid
        self.touch(parcela)
        self.touch(self.data["eventos"][parcela["_evento"]])

    def _baixa_created_view(self, baixa: JSON) -> JSON:
        keys = (
            "id",
            "versao",
            "data_pagamento",
            "composicao_valor",
            "conta_financeira",
            "metodo_pagamento",
            "observacao",
            "nsu",
        )
        return _wire({k: baixa.get(k) for k in keys})

    def _baixa_view(self, baixa: JSON) -> JSON:
        parcela = self.data["parcelas"].get(baixa["id_parcela"]) or {}
        return _wire(
            {
                "id": baixa["id"],
                "versao": baixa["versao"],
                "data_pagamento": baixa["data_pagamento"],
                "valor_composicao": baixa["composicao_valor"],
                "conta_financeira": baixa["conta_financeira"],
                "id_parcela": baixa["id_parcela"],
                "observacao": baixa.get("observacao"),
                "metodo_pagamento": baixa.get("metodo_pagamento"),
                "origem": "LANCAMENTO_FINANCEIRO",
                "tipo_evento_financeiro": baixa["_tipo"],
                "nsu": baixa.get("nsu"),
                "id_referencia": parcela.get("_evento"),
                "atualizado_em": baixa[CHANGED],
                "anexos": [],
            }
        )

    # -- cobranças -----------------------------------------------------------------------------

    @route("POST", EVENTS + "/contas-a-receber/gerar-cobranca")
    def cobranca_create(self, request: FakeRequest) -> FakeResponse:
        body = conform(object_body(request), CHARGE_SHAPE, _STYLE)
        require(
            body,
            ("conta_bancaria", "descricao_fatura", "id_parcela", "data_vencimento", "tipo"),
            _STYLE,
        )
        if body["id_parcela"] not in self.data["parcelas"]:
            raise fail(400, f"Parcela '{body['id_parcela']}' não encontrada.")
        if body["conta_bancaria"] not in self.data["contas_financeiras"]:
            raise fail(400, f"Conta bancária '{body['conta_bancaria']}' não encontrada.")
        ident = self.new_id()
        charge = self.insert(
            "cobrancas",
            {
                "id": ident,
                "url": f"https://pagar.contaazul.example/cobranca/{ident}",
                "status": "AGUARDANDO_CONFIRMACAO",
                "_pedido": body,
            },
        )
        return ok(charge)

    @route("GET", EVENTS + "/contas-a-receber/cobranca/{ident}")
    def cobranca(self, request: FakeRequest, ident: str) -> FakeResponse:
        return ok(self.find("cobrancas", ident))

    @route("DELETE", EVENTS + "/contas-a-receber/cobranca/{ident}")
    def cobranca_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        self.find("cobrancas", ident)
        del self.data["cobrancas"][ident]
        return FakeResponse(200)


def _wire(view: JSON) -> JSON:
    result: JSON = wire(view)
    return result


def _day(value: Any) -> date:
    return parse_date(value)
