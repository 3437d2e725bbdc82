"""Conta Azul's ``AutomationIO`` (today's API, ``contaazul.v2``): what automations read from
Conta Azul and do in it, over the pass's ``ContaAzulERP`` (its client, rate limits and call
counter).

Triggers read ``pessoa``, ``venda`` and ``conta_receber`` through each list's own change
filter, ``data_alteracao_de`` (the client sends it as São Paulo local time), page by page as
the runner asks:

- ``pessoa``: the people list answers a summary (``PessoaResumo``: no code, no registrations,
  profiles as bare names), so each person it lists is read by id (``Pessoa``, the model a
  trigger's paths are checked against): a call per 100 people changed plus one per person.
- ``venda``: the sale list answers ``Venda`` itself. A sale read alone (``read``) takes two
  calls: the sale by id answers another shape, so it gives the number, and the list under that
  number gives the record ``changed`` would have given, field for field (the version the
  runner hashes must not depend on how the record was read).
- ``conta_receber``: the receivables list requires a due-date range, so ``changed`` gives it
  ``FIRST_DAY``..``LAST_DAY``; ``read`` reads the installment for its due date, then that
  day's list.

``created_at`` is ``criado_em`` (people, sales) or ``data_criacao`` (receivables).

Actions take payloads by the wire names of the action's model and go through the client's
own checks (``RequestValidationError`` naming the field) before any request:

- ``create_customer`` (``PessoaAtualizacao``) keeps the automation's reference in ``codigo``,
  which the people list filters by (``codigos_pessoa``): the field holds 20 characters, so
  it carries ``reference_code(reference)``. A map that fills ``codigo`` is refused
  (the declaration's ``reserved_fields``, which the config's checks read too). The
  person gets the ``Cliente`` profile unless the map names ``perfis``.
- ``update_customer`` changes the person whose ``id`` the payload gives with a PATCH: only
  the mapped fields change. A PUT replaces the whole person, and Conta Azul refuses one that
  lacks fields the person's kind needs (a birth date, a registration) which a map rarely has.
- ``create_sale`` (``VendaCriacao``) and ``create_contract`` (``ContratoCriacao``) need a
  number Conta Azul hands out (``vendas.next_number``, ``contratos.next_number``): ``reserve``
  takes it past the numbers other pending creates hold (``ContaAzulERP.reserve_number``, the
  streams' own rule), and a map that leaves ``numero`` (``termos.numero``) out is created
  under it. The reference travels in ``observacoes`` as ``[ponte:<reference>]``. ``find``
  reads the one record under the reserved number and tells it by that marker (read by id:
  neither list carries the observations): ours -> its id, none -> ``None``, another ->
  ``ReservationTaken``. Contract numbers count apart from sale numbers, so a contract's key is
  ``contrato:<n>``. The contract list has no number filter and requires a start-date range:
  ``find`` walks ``FIRST_DAY``..``LAST_DAY`` for the number. A number the map gives is read
  the same way before the create, so a create whose answer was lost is found, not refused.
- ``set_status`` sets a person ``ATIVO`` or ``INATIVO`` (``pessoas.ativar``/``inativar``), or a
  sale's situação (``EM_ANDAMENTO``, ``APROVADO``, ``FATURADO``, ``CANCELADO``): Conta Azul
  edits a sale only whole (PUT, with the ``versao`` read), so the sale is read (by id, its
  items, its list row for the date) and sent back as it is with the new situação; a sale
  already in it is left alone. A receivable's status follows from the payments recorded on
  it and no endpoint sets it: refused, naming what is supported. The records and statuses
  are the declaration's ``statuses``; a status is read regardless of case.

Lookups find a product (``codigo_sku``) or a service (``codigo``) through the lists' text
search, keeping exact matches; what a lookup found (or did not) is kept for the rest of the
pass, so a code is read once however many records name it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from datetime import date, datetime
from difflib import get_close_matches
from typing import TYPE_CHECKING, Any, Final, TypeVar

from contaazul.v2 import ContaAzul
from contaazul.v2.models import (
    ComposicaoValorVenda,
    ComposicaoValorVendaCriacao,
    CondicaoPagamentoVenda,
    CondicaoPagamentoVendaCriacao,
    ContaAReceber,
    ContratoCriacao,
    ContratoListado,
    DescontoVendaCriacao,
    ItemDaVenda,
    ItemVendaCriacao,
    Negociacao,
    ParcelaVendaCriacao,
    PessoaAtualizacao,
    ProdutoResumo,
    Servico,
    Venda,
    VendaAtualizacao,
    VendaCriacao,
    VendaDetalhe,
)
from sdkcore import NotFoundError, RequestValidationError
from sdkcore.models import APIModel
from sdkcore.write_checks import check_outgoing

from ..automation_surface import AutomationSurface, LookupFailed, Observed, Statuses
from ..domain import ZERO
from .contaazul_records import VendaComItens

if TYPE_CHECKING:
    from collections.abc import Collection

    from ..automations.declare import Action
    from .contaazul import ContaAzulERP

__all__ = ["ContaAzulAutomations", "reference_code"]

M = TypeVar("M", bound=APIModel)

FIRST_DAY: Final = date(2000, 1, 1)
LAST_DAY: Final = date(2099, 12, 31)
"""The date range given to the lists that require one (receivables by due date, contracts by
start date): wide enough for every record a company keeps."""
CODE_PREFIX: Final = "ponte-"
CODE_LENGTH: Final = 20
"""The most a person's ``codigo`` holds (``PessoaAtualizacao.codigo``)."""
CONTRACT_KEY: Final = "contrato:"
"""Before a contract's reserved number: contracts are numbered apart from sales."""
ACTIVE: Final = "ATIVO"
WATCHED: Final = ("pessoa", "venda", "conta_receber")


def reference_code(reference: str) -> str:
    """The ``codigo`` of a person an automation creates with ``reference``: ``ponte-`` and
    the start of the reference's SHA-256, as long as the field allows."""
    digest = hashlib.sha256(reference.encode()).hexdigest()
    return CODE_PREFIX + digest[: CODE_LENGTH - len(CODE_PREFIX)]


class ContaAzulAutomations:
    """``AutomationIO`` for Conta Azul over the pass's ``ContaAzulERP``, acting as ``surface``
    (Conta Azul's declaration) says."""

    def __init__(self, erp: ContaAzulERP, surface: AutomationSurface) -> None:
        self._erp = erp
        self._surface = surface
        self._items: dict[tuple[str, str], ProdutoResumo | Servico | str] = {}
        """What each lookup found: the item, or why there is none."""

    @property
    def _ca(self) -> ContaAzul:
        return self._erp.client

    # -- triggers ---------------------------------------------------------------------------

    def changed(self, record: str, since: datetime | None) -> Iterator[Observed]:
        if record == "pessoa":
            return self._people(since)
        if record == "venda":
            sales = self._erp.records(self._ca.vendas.list(data_alteracao_de=since))
            return (self._sale(venda) for venda in sales if venda.id is not None)
        if record == "conta_receber":
            pager = self._ca.contas_a_receber.list(
                data_vencimento_de=FIRST_DAY, data_vencimento_ate=LAST_DAY, data_alteracao_de=since
            )
            return (_receivable(item) for item in self._erp.records(pager) if item.id is not None)
        raise _not_watched(record)

    def read(self, record: str, ident: str) -> Observed | None:
        if record == "pessoa":
            return self._person(ident)
        if record == "venda":
            return self._read_sale(ident)
        if record == "conta_receber":
            return self._read_receivable(ident)
        raise _not_watched(record)

    def _people(self, since: datetime | None) -> Iterator[Observed]:
        for listed in self._erp.records(self._ca.pessoas.list(data_alteracao_de=since)):
            if listed.id is not None:
                found = self._person(listed.id)
                if found is not None:  # removed between the list and the read
                    yield found

    def _person(self, ident: str) -> Observed | None:
        person = self._get(self._ca.pessoas.get, ident)
        return None if person is None else Observed(ident, person, person.criado_em)

    def _sale(self, venda: Venda) -> Observed:
        """A listed sale with its items (one more read: the list names none of them)."""
        items = list(self._erp.records(self._ca.vendas.itens(str(venda.id))))
        record = VendaComItens.model_validate(
            {**venda.model_dump(by_alias=True, exclude_unset=True), "itens_da_venda": items}
        )
        return Observed(str(venda.id), record, venda.criado_em)

    def _read_sale(self, ident: str) -> Observed | None:
        detail = self._get(self._ca.vendas.get, ident)
        number = detail.venda.numero if detail is not None and detail.venda is not None else None
        if number is None:
            return None
        listed = self._erp.records(self._ca.vendas.list(numeros=[number]))
        return next((self._sale(venda) for venda in listed if venda.id == ident), None)

    def _read_receivable(self, ident: str) -> Observed | None:
        installment = self._get(self._ca.parcelas.get, ident)
        day = installment.data_vencimento if installment is not None else None
        if day is None:
            return None
        pager = self._ca.contas_a_receber.list(data_vencimento_de=day, data_vencimento_ate=day)
        listed = self._erp.records(pager)
        return next((_receivable(item) for item in listed if item.id == ident), None)

    def _get(self, get: Callable[[str], M], ident: str) -> M | None:
        """``get(ident)``, counted; ``None`` when Conta Azul has no such record."""
        try:
            return self._erp.counted(get(ident))
        except NotFoundError:
            self._erp.calls.hit(self._erp.name)  # answered all the same: it counts
            return None

    # -- actions ----------------------------------------------------------------------------

    def reserve(self, action: Action, held: Collection[str]) -> str | None:
        if action.kind == "create_sale":
            return self._erp.reserve_number(self._ca.vendas.next_number, held, "sale")
        if action.kind == "create_contract":
            contracts = [key.removeprefix(CONTRACT_KEY) for key in held if _is_contract(key)]
            number = self._erp.reserve_number(self._ca.contratos.next_number, contracts, "contract")
            return CONTRACT_KEY + number
        return None  # a person carries its reference in a field the list filters by

    def find(self, action: Action, reference: str, reserved: str | None) -> str | None:
        if action.kind == "create_customer":
            return self._person_with(reference_code(reference))
        if reserved is None:
            return None  # an update or a status (writing it again is harmless), or no number
        if action.kind == "create_sale":
            return self._sale_under(_sale_number(reserved), reference)
        if action.kind == "create_contract":
            return self._contract_under(_contract_number(reserved), reference)
        return None

    def act(
        self, action: Action, payload: Mapping[str, Any], reference: str, reserved: str | None
    ) -> str:
        if action.kind == "create_customer":
            return self._create_customer(payload, reference)
        if action.kind == "update_customer":
            return self._update_customer(payload)
        if action.kind == "create_sale":
            return self._create_sale(payload, reference, reserved)
        if action.kind == "create_contract":
            return self._create_contract(payload, reference, reserved)
        if action.kind == "set_status":
            return self._set_status(action, payload)
        raise ValueError(f"Conta Azul has no automation action {action.kind!r}")

    def _create_customer(self, payload: Mapping[str, Any], reference: str) -> str:
        taken = sorted(self._surface.reserved_fields["create_customer"] & set(payload))
        if taken:
            raise RequestValidationError(
                taken[0],
                "create_customer keeps the automation's reference here (the people list "
                "filters by it); map this value elsewhere",
            )
        person = PessoaAtualizacao.coerce({**payload, "codigo": reference_code(reference)})
        return self._erp.create_person(person)

    def _person_with(self, code: str) -> str | None:
        """The id of the person whose ``codigo`` is ``code``. The list answers no code, so
        each person it gives is read to be sure: a filter the API ignored would otherwise
        answer somebody else."""
        for listed in self._erp.records(self._ca.pessoas.list(codigos_pessoa=[code])):
            person = None if listed.id is None else self._get(self._ca.pessoas.get, listed.id)
            if person is not None and person.codigo == code:
                return listed.id
        return None

    def _update_customer(self, payload: Mapping[str, Any]) -> str:
        ident, fields = _with_id(payload, "update_customer")
        if not fields:
            raise RequestValidationError("id", "update_customer changes nothing: map a field")
        # A PATCH: only the mapped fields change (see the module's docstring for why not PUT).
        self._erp.counted(self._ca.pessoas.patch(ident, PessoaAtualizacao.coerce(fields)))
        return ident

    def _create_sale(self, payload: Mapping[str, Any], reference: str, reserved: str | None) -> str:
        sale = VendaCriacao.coerce(dict(payload))
        mapped = sale.numero
        if mapped is None and reserved is not None:
            sale.numero = _sale_number(reserved)
        sale.observacoes = self._erp.noted(sale.observacoes, reference)
        if mapped is not None and str(mapped) != reserved:
            _checked(sale)  # the payload's own mistakes before the read
            found = self._sale_under(mapped, reference)
            if found is not None:
                return found
        return str(self._erp.counted(self._ca.vendas.create(sale)).id)

    def _sale_under(self, number: int, reference: str) -> str | None:
        return self._erp.sale_under(str(number), lambda venda: self._is_ours(venda, reference))

    def _is_ours(self, venda: Venda, reference: str) -> bool:
        """Whether the listed ``venda`` is the one made with ``reference``: the list documents
        no observations, so they are read by id unless the answer carries them anyway."""
        listed = (venda.model_extra or {}).get("observacoes")
        if isinstance(listed, str):
            return self._erp.carries(listed, reference)
        detail = None if venda.id is None else self._get(self._ca.vendas.get, venda.id)
        sale = None if detail is None else detail.venda
        return self._erp.carries(None if sale is None else sale.observacoes, reference)

    def _create_contract(
        self, payload: Mapping[str, Any], reference: str, reserved: str | None
    ) -> str:
        contract = ContratoCriacao.coerce(dict(payload))
        terms = contract.termos
        mapped = None if terms is None else terms.numero
        if terms is not None and mapped is None and reserved is not None:
            terms.numero = _contract_number(reserved)
        contract.observacoes = self._erp.noted(contract.observacoes, reference)
        if mapped is not None and f"{CONTRACT_KEY}{mapped}" != reserved:
            _checked(contract)  # the payload's own mistakes before the read
            found = self._contract_under(mapped, reference)
            if found is not None:
                return found
        return str(self._erp.counted(self._ca.contratos.create(contract)).id)

    def _contract_under(self, number: int, reference: str) -> str | None:
        pager = self._ca.contratos.list(data_inicio=FIRST_DAY, data_fim=LAST_DAY)
        listed = (c for c in self._erp.records(pager) if c.numero == number)
        taken = f"Conta Azul contract number {number} holds another contract"
        return self._erp.held_under(listed, lambda c: self._is_our_contract(c, reference), taken)

    def _is_our_contract(self, listed: ContratoListado, reference: str) -> bool:
        contract = None if listed.id is None else self._get(self._ca.contratos.get, listed.id)
        return self._erp.carries(None if contract is None else contract.observacoes, reference)

    def _set_status(self, action: Action, payload: Mapping[str, Any]) -> str:
        status = _status(action, self._surface.statuses)
        ident, others = _with_id(payload, "set_status")
        if others:
            raise RequestValidationError(
                next(iter(others)),
                "set_status sends only the record's id; the status is the action's",
            )
        if action.record == "pessoa":
            people = self._ca.pessoas
            self._erp.counted((people.ativar if status == ACTIVE else people.inativar)([ident]))
            return ident
        return self._set_sale_status(ident, status)

    def _set_sale_status(self, ident: str, status: str) -> str:
        detail = self._erp.counted(self._ca.vendas.get(ident))
        sale = detail.venda
        if sale is None or sale.numero is None:
            raise ValueError(f"Conta Azul answered sale {ident} without its number")
        if sale.situacao is not None and sale.situacao.nome == status:
            return ident  # already so: nothing to write
        listed = self._erp.records(self._ca.vendas.list(numeros=[sale.numero]))
        row = next((venda for venda in listed if venda.id == ident), None)
        if row is None or row.data is None:
            raise ValueError(
                f"Conta Azul's sale list does not show sale {ident} under number {sale.numero}: "
                "its date is read there"
            )
        items = list(self._erp.records(self._ca.vendas.itens(ident)))
        edited = _edited(sale, detail, row.data, items, status)
        self._erp.counted(self._ca.vendas.update(ident, edited))
        return ident

    # -- lookups ----------------------------------------------------------------------------

    def lookup(self, what: str, key: Any, take: str) -> Any:
        if what not in self._surface.lookups:
            raise LookupFailed(f"Conta Azul looks up a product or a service, not a {what}")
        code = "" if key is None else str(key).strip()
        if not code:
            raise LookupFailed(f"no code to find a Conta Azul {what} by")
        item = self._items.get((what, code))
        if item is None:
            item = self._items[what, code] = self._item(what, code)
        if isinstance(item, str):
            raise LookupFailed(item)
        values = item.model_dump(by_alias=True)
        if take not in values:
            close = get_close_matches(take, list(values), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise LookupFailed(f"a Conta Azul {what} has no field {take!r}{hint}")
        value = values[take]
        if value is None:
            raise LookupFailed(f"the Conta Azul {what} {code!r} ({item.id}) has no {take}")
        return value

    def _item(self, what: str, code: str) -> ProdutoResumo | Servico | str:
        """The one active product or service (``what``) whose code is ``code``, or why none."""
        found: list[ProdutoResumo] | list[Servico]
        if what == "product":
            products = self._erp.records(self._ca.produtos.list(busca=code))
            found = [p for p in products if p.codigo_sku == code and p.id is not None]
        else:
            services = self._erp.records(self._ca.servicos.list(busca_textual=code))
            found = [s for s in services if s.codigo == code and s.id is not None]
        if not found:
            return f"no Conta Azul {what} has the code {code!r}"
        active = [item for item in found if (item.status or ACTIVE) == ACTIVE]
        if not active:
            return f"the Conta Azul {what} {code!r} ({found[0].id}) is not active"
        if len(active) > 1:
            ids = ", ".join(str(item.id) for item in active)
            return f"{len(active)} active Conta Azul {what}s have the code {code!r}: {ids}"
        return active[0]


def _receivable(item: ContaAReceber) -> Observed:
    return Observed(str(item.id), item, item.data_criacao)


def _not_watched(record: str) -> ValueError:
    return ValueError(f"Conta Azul automations watch {', '.join(WATCHED)}, not {record!r}")


def _is_contract(key: str) -> bool:
    return key.startswith(CONTRACT_KEY)


def _sale_number(reserved: str) -> int:
    if not reserved.isdecimal():
        raise ValueError(f"{reserved!r} is not a reserved Conta Azul sale number")
    return int(reserved)


def _contract_number(reserved: str) -> int:
    number = reserved.removeprefix(CONTRACT_KEY)
    if not _is_contract(reserved) or not number.isdecimal():
        raise ValueError(f"{reserved!r} is not a reserved Conta Azul contract number")
    return int(number)


def _checked(record: APIModel) -> None:
    """The client's checks of a create's body that need no request: its values and the
    fields it requires."""
    check_outgoing(record)
    record.check_required()


def _with_id(payload: Mapping[str, Any], kind: str) -> tuple[str, dict[str, Any]]:
    """The id of the record ``kind`` writes (the payload's ``id``) and the other fields."""
    fields = dict(payload)
    ident = fields.pop("id", None)
    if not isinstance(ident, str) or not ident.strip():
        raise RequestValidationError("id", f"{kind} needs the id of the Conta Azul record: map id")
    return ident.strip(), fields


def _status(action: Action, settable: Mapping[str, Statuses]) -> str:
    """The action's status, checked against what Conta Azul lets ``set_status`` set
    (``settable``, from its declaration)."""
    supported = "; ".join(f"a {record}'s ({', '.join(s.named)})" for record, s in settable.items())
    allowed = settable.get(action.target)
    if allowed is None:
        raise RequestValidationError(
            "record",
            f"Conta Azul has no endpoint that sets a {action.target}'s status (a receivable's "
            f"follows from the payments recorded on it); set_status sets {supported}",
        )
    status = allowed.pick(action.status)
    if status is None:
        raise RequestValidationError(
            "status",
            f"a Conta Azul {action.target}'s status is one of {', '.join(allowed.named)}, "
            f"not {action.status!r}",
        )
    return str(status)


def _given(**fields: Any) -> dict[str, Any]:
    """The fields that have a value: a write sends every field set, ``None`` as ``null``."""
    return {name: value for name, value in fields.items() if value is not None}


def _edited(
    sale: Negociacao,
    detail: VendaDetalhe,
    day: date,
    items: Iterable[ItemDaVenda],
    status: str,
) -> VendaAtualizacao:
    """The sale as read (``sale`` and ``detail`` by id, its ``items``, its date ``day``)
    in the edit's body, with situação ``status``. The discount goes as the amount the sale's
    figures answer, which keeps its total."""
    payment = sale.condicao_pagamento or CondicaoPagamentoVenda()
    amounts = sale.composicao_valor or ComposicaoValorVenda()
    discount = amounts.desconto or ZERO
    composition = _given(
        frete=amounts.frete or None,
        desconto=DescontoVendaCriacao(tipo="VALOR", valor=discount) if discount else None,
    )
    installments = [
        ParcelaVendaCriacao(
            **_given(data_vencimento=p.data_vencimento, valor=p.valor, descricao=p.descricao)
        )
        for p in payment.parcelas or []
    ]
    lines = [
        ItemVendaCriacao(
            **_given(
                id=item.id_item,
                descricao=item.descricao,
                quantidade=item.quantidade,
                valor=item.valor,
                valor_custo=item.custo,
            )
        )
        for item in items
    ]
    terms = CondicaoPagamentoVendaCriacao(
        **_given(
            tipo_pagamento=payment.tipo_pagamento,
            id_conta_financeira=payment.id_conta_financeira,
            opcao_condicao_pagamento=payment.opcao_condicao_pagamento,
            nsu=payment.nsu,
            parcelas=installments,
        )
    )
    return VendaAtualizacao(
        **_given(
            id_cliente=sale.id_cliente,
            id_vendedor=None if detail.vendedor is None else detail.vendedor.id,
            numero=sale.numero,
            data_venda=day,
            situacao=status,
            observacoes=sale.observacoes,
            observacoes_pagamento=payment.observacoes_pagamento,
            id_natureza_operacao=sale.id_natureza_operacao,
            versao=sale.versao,
            itens=lines,
            composicao_de_valor=ComposicaoValorVendaCriacao(**composition) if composition else None,
            condicao_pagamento=terms,
        )
    )
