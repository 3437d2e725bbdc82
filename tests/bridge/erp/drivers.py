"""What the bridge's ERP-independent tests need to know of each ERP's fake: where its
endpoints are, what its errors look like, and how a person would read or change its records
through its own API. One driver per registered kind (``DRIVERS``; a test checks that every
kind of ``bridge.erp.registry`` has one); the tests in ``tests/bridge`` look them up by
``world.erp`` and never branch on an ERP's name."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

if TYPE_CHECKING:
    from ..conftest import World

__all__ = ["DRIVERS", "ErpDriver", "driver"]


class ErpDriver(Protocol):
    paths: dict[str, str]
    """Path prefixes of the fake's ``sales``, ``customers``, ``catalog`` and ``accounts``."""
    throttled: dict[str, Any]
    """The body of the ERP's 429."""
    refused: dict[str, Any]
    """The body of the ERP's refusal of a write (a 400)."""
    demo_sales: Counter[str]
    """What a fault-free first sync of the demo data sells (one of each)."""
    demo_only_customer: str
    """The demo customer only the ERP has."""
    customer_update: str
    """The HTTP method the adapter updates a customer with."""

    def files_in(self, folder: Path) -> dict[str, str]:
        """The ``[erp]`` settings that name a file, pointed into ``folder`` (a test's
        settings file never makes the bridge write to the working directory)."""

    def settings_for(self, api: Any, folder: Path) -> dict[str, str]:
        """The ``[erp]`` settings with which a client built from a settings file (as the CLI
        builds it) talks to ``api``, this ERP's fake: its credentials written out, and the
        files they name made in ``folder``."""

    def customers(self, world: World) -> list[tuple[int, str, str]]:
        """``(id, name, document)`` of every customer the fake holds."""

    def customer_name(self, world: World, erp_id: str) -> str: ...

    def rename_customer(self, world: World, erp_id: str, name: str) -> None: ...

    def add_customer(self, world: World, name: str, email: str | None = None) -> None:
        """A person adds a customer (a natural person; ``email`` only when given)."""

    def rename_demo_only_customer(self, world: World) -> None:
        """``demo_only_customer`` gets a new name."""

    def sale_customers(self, world: World) -> dict[str, str]:
        """The customer's name on each sale, by the sale's bridge reference."""

    def sale_accounts(self, world: World) -> set[str]:
        """The ids of the accounts the sales are paid into."""

    def accounts(self, world: World) -> dict[str, str]:
        """Account name -> id, as the ERP lists them."""

    def other_account(self, world: World) -> str:
        """An account a sale does not get without the setting."""

    def search_reference(self, world: World, reference: str) -> tuple[list[str], list[str]]:
        """The names the ERP's own customer search finds for ``reference``, and the names
        of every customer carrying a bridge reference."""

    def add_item(self, world: World, kind: str) -> None:
        """A product or service only the ERP sells."""

    def reprice_product(self, world: World) -> None:
        """The demo's "Filtro de ar" costs more."""

    def records(self, world: World, as_json: bool) -> dict[str, Any]:
        """Every record a person sees, by collection."""

    def installments(self, world: World, task: int) -> list[tuple[date, Decimal]]:
        """Due date and amount of each installment of the task's sales."""

    def task_total(self, world: World, task: int) -> Decimal:
        """The total of the task's sales, as the ERP computes it."""


class ContaAzulDriver:
    """``contaazul``: today's API's fake (``contaazul.v2.testing``). Its tables hold wire
    records (dicts keyed by UUID); the sales it was seeded with are left out (the demo's
    sales are the bridge's only)."""

    paths: ClassVar[dict[str, str]] = {
        "sales": "/v1/venda",
        "customers": "/v1/pessoas",
        "catalog": "/v1/produto",
        "accounts": "/v1/conta-financeira",
    }
    throttled: ClassVar[dict[str, Any]] = {"code": 429, "message": "Too Many Requests"}
    refused: ClassVar[dict[str, Any]] = {"code": 400, "message": "Requisição inválida"}
    demo_sales: ClassVar[Counter[str]] = Counter(
        ["task:500", "task:501", "task:506", "quotation:1"]
    )
    demo_only_customer = "Oficina Boa Ltda"
    customer_update = "PATCH"  # a PUT is validated as a whole record: see the adapter
    _IDS: ClassVar[frozenset[str]] = frozenset({"id", "id_legado", "id_servico"})

    def files_in(self, folder: Path) -> dict[str, str]:
        return {"token_file": str(folder / "tokens.json")}

    def settings_for(self, api: Any, folder: Path) -> dict[str, str]:
        from sdkcore.auth import FileTokenStore, TokenSet

        files = self.files_in(folder)
        # the fake's own access token, which outlives any test: the client never refreshes
        FileTokenStore(files["token_file"]).save(TokenSet(api.access_token))
        return {"client_id": api.client_id, "client_secret": api.client_secret, **files}

    @staticmethod
    def _people(world: World) -> list[dict[str, Any]]:
        return list(world.fake_erp.data["pessoas"].values())

    def customers(self, world: World) -> list[tuple[int, str, str]]:
        return [
            (p["id"], p.get("nome") or "", p.get("cpf") or p.get("cnpj") or "")
            for p in self._people(world)
        ]

    def customer_name(self, world: World, erp_id: str) -> str:
        return str(world.erp_client.pessoas.get(erp_id).nome)

    def rename_customer(self, world: World, erp_id: str, name: str) -> None:
        world.erp_client.pessoas.patch(erp_id, {"nome": name})

    def add_customer(self, world: World, name: str, email: str | None = None) -> None:
        record: dict[str, Any] = {
            "nome": name,
            "tipo_pessoa": "Física",
            "perfis": [{"tipo_perfil": "Cliente"}],
        }
        if email is not None:
            record["email"] = email
        world.erp_client.pessoas.create(record)

    def rename_demo_only_customer(self, world: World) -> None:
        [person] = [p for p in self._people(world) if p["nome"] == self.demo_only_customer]
        world.erp_client.pessoas.patch(person["id"], {"nome": "Oficina Boa e Filhos"})

    def _sales(self, world: World) -> list[dict[str, Any]]:
        seeded = world.registered_fake.seeded_sales
        return [s for s in world.fake_erp.sales() if s["id"] not in seeded]

    @staticmethod
    def _reference(sale: dict[str, Any]) -> str:
        text = str(sale.get("observacoes") or "")
        return text[text.index("[ponte:") + 7 : text.index("]", text.index("[ponte:"))]

    def sale_customers(self, world: World) -> dict[str, str]:
        people = world.fake_erp.data["pessoas"]
        return {
            self._reference(sale): str(people[sale["id_cliente"]]["nome"])
            for sale in self._sales(world)
        }

    def sale_accounts(self, world: World) -> set[str]:
        return {
            str(sale["condicao_pagamento"].get("id_conta_financeira"))
            for sale in self._sales(world)
        }

    def accounts(self, world: World) -> dict[str, str]:
        listed = world.erp_client.contas_financeiras.list(mostrar_caixinha=True)
        return {a.nome or "": str(a.id) for a in listed if a.ativo is not False}

    def other_account(self, world: World) -> str:
        return "BB"  # the demo uses "Caixinha"

    def search_reference(self, world: World, reference: str) -> tuple[list[str], list[str]]:
        tag = f"[ponte:{reference}]"
        found = [
            p.nome for p in world.erp_client.pessoas.list() if tag in (p.observacoes_gerais or "")
        ]
        marked = [p.get("nome") for p in self._people(world) if p.get("observacao")]
        return [str(name) for name in found], marked

    def add_item(self, world: World, kind: str) -> None:
        if kind == "product":
            world.erp_client.produtos.create(
                {
                    "nome": "Válvula de expansão",
                    "formato": "SIMPLES",
                    "estoque": {"valor_venda": Decimal("80.00")},
                    "dimensao": {},
                }
            )
        else:
            world.erp_client.servicos.create(
                {"descricao": "Limpeza de dutos", "preco": Decimal("210.00")}
            )

    def reprice_product(self, world: World) -> None:
        [product] = [
            p for p in world.fake_erp.data["produtos"].values() if p["nome"] == "Filtro de ar"
        ]
        product["estoque"]["valor_venda"] = Decimal("49.90")  # as a person does, in the app
        world.fake_erp.touch(product)

    def records(self, world: World, as_json: bool) -> dict[str, Any]:
        """As a person sees them: a customer by name, without the fake's ids (UUIDs and
        legacy numbers are drawn in the order records are made, which faults change)."""
        people = world.fake_erp.data["pessoas"]
        tables = ("pessoas", "vendas", "produtos", "servicos")
        found = {table: world.fake_erp.records(table) for table in tables}
        if not as_json:
            found = copy.deepcopy({t: list(world.fake_erp.data[t].values()) for t in tables})

        def seen(record: dict[str, Any]) -> dict[str, Any]:
            shown = {k: v for k, v in record.items() if k not in self._IDS}
            if "id_cliente" in shown:
                shown["id_cliente"] = people[shown["id_cliente"]]["nome"]
            return shown

        return {table: [seen(record) for record in rows] for table, rows in found.items()}

    def _task_sale(self, world: World, task: int) -> dict[str, Any]:
        return next(s for s in self._sales(world) if self._reference(s) == f"task:{task}")

    def installments(self, world: World, task: int) -> list[tuple[date, Decimal]]:
        parcelas = self._task_sale(world, task)["condicao_pagamento"]["parcelas"]
        return [
            (date.fromisoformat(str(p["data_vencimento"])), Decimal(str(p["valor"])))
            for p in parcelas
        ]

    def task_total(self, world: World, task: int) -> Decimal:
        from contaazul.v2.testing._sales import sale_total

        return sale_total(self._task_sale(world, task))


class ContaAzulPubDriver:
    """``contaazul-pub``: the documented API's fake (``contaazul.testing``)."""

    paths: ClassVar[dict[str, str]] = {
        "sales": "/pub/deal/",
        "customers": "/pub/contact/customer",
        "catalog": "/pub/product",
        "accounts": "/pub/bank/account",
    }
    throttled: ClassVar[dict[str, Any]] = {"message": "Too many requests"}
    refused: ClassVar[dict[str, Any]] = {"message": "Invalid entity"}
    demo_sales: ClassVar[Counter[str]] = Counter(
        [
            "task:500:products",
            "task:500:services",
            "task:501:products",
            "task:506:services",
            "quotation:1:products",
        ]
    )
    demo_only_customer = "Oficina do Zé"
    customer_update = "PUT"

    def files_in(self, folder: Path) -> dict[str, str]:
        return {}

    def settings_for(self, api: Any, folder: Path) -> dict[str, str]:
        return {"application_token": api.application_token, "company_token": api.company_token}

    def customers(self, world: World) -> list[tuple[int, str, str]]:
        return [
            (c.id, c.name or "", c.document_number or "")
            for c in world.fake_erp.records("customer")
        ]

    def customer_name(self, world: World, erp_id: str) -> str:
        return str(world.erp_client.customers.get(int(erp_id)).name)

    def rename_customer(self, world: World, erp_id: str, name: str) -> None:
        current = world.erp_client.customers.get(int(erp_id))
        world.erp_client.customers.update(current.model_copy(update={"name": name}))

    def add_customer(self, world: World, name: str, email: str | None = None) -> None:
        from contaazul import Customer

        record = Customer(name=name) if email is None else Customer(name=name, email=email)
        world.erp_client.customers.create(record)

    def rename_demo_only_customer(self, world: World) -> None:
        [record] = [c for c in world.fake_erp.records("customer") if c.name == "Oficina do Zé"]
        update = {"name": "Oficina do Zé e Filhos"}
        world.erp_client.customers.update(record.model_copy(update=update))

    def sale_customers(self, world: World) -> dict[str, str]:
        names = {c.id: c.name for c in world.fake_erp.records("customer")}
        out = {}
        for root in ("product_sale", "service_sale"):
            for deal in world.fake_erp.records(root):
                text = deal.observations or ""
                out[text[text.index("[ponte:") + 7 : -1]] = str(names[deal.contact_id])
        return out

    def sale_accounts(self, world: World) -> set[str]:
        return {
            str(deal.bank_account_id)
            for root in ("product_sale", "service_sale")
            for deal in world.fake_erp.records(root)
        }

    def accounts(self, world: World) -> dict[str, str]:
        return {a.name or "": str(a.id) for a in world.erp_client.bank_accounts.list()}

    def other_account(self, world: World) -> str:
        return "BB"  # the demo uses "Caixinha"

    def search_reference(self, world: World, reference: str) -> tuple[list[str], list[str]]:
        found = list(world.erp_client.customers.list(complement=f"[ponte:{reference}]"))
        marked = [c.name for c in world.fake_erp.records("customer") if c.complement]
        return [c.name for c in found], marked

    def add_item(self, world: World, kind: str) -> None:
        from contaazul import Product, Task

        if kind == "product":
            world.erp_client.products.create(
                Product(name="Válvula de expansão", rate=Decimal("80.00"))
            )
        else:
            world.erp_client.services.create(Task(name="Limpeza de dutos", rate=Decimal("210.00")))

    def reprice_product(self, world: World) -> None:
        [product] = [p for p in world.fake_erp.records("product") if p.name == "Filtro de ar"]
        world.erp_client.products.update(product.model_copy(update={"rate": Decimal("49.90")}))

    def records(self, world: World, as_json: bool) -> dict[str, Any]:
        roots = ("customer", "product_sale", "service_sale", "product", "task")
        mode = "json" if as_json else "python"
        return {r: [m.model_dump(mode=mode) for m in world.fake_erp.records(r)] for r in roots}

    def _task_deals(self, world: World, task: int) -> list[Any]:
        return [
            deal
            for root in ("product_sale", "service_sale")
            for deal in world.fake_erp.records(root)
            if f"[ponte:task:{task}:" in (deal.observations or "")
        ]

    def installments(self, world: World, task: int) -> list[tuple[date, Decimal]]:
        return [
            (p.payment_date, p.value) for d in self._task_deals(world, task) for p in d.payments
        ]

    def task_total(self, world: World, task: int) -> Decimal:
        return sum((deal.total for deal in self._task_deals(world, task)), Decimal("0"))


class BlingDriver:
    paths: ClassVar[dict[str, str]] = {
        "sales": "/Api/v3/pedidos/vendas",
        "customers": "/Api/v3/contatos",
        "catalog": "/Api/v3/produtos",
        "accounts": "/Api/v3/formas-pagamentos",
    }
    throttled: ClassVar[dict[str, Any]] = {
        "error": {"type": "TOO_MANY_REQUESTS", "message": "Limite de requisições"}
    }
    refused: ClassVar[dict[str, Any]] = {
        "error": {"type": "VALIDATION_ERROR", "message": "Não foi possível salvar"}
    }
    demo_sales: ClassVar[Counter[str]] = Counter(
        ["task:500", "task:501", "task:506", "quotation:1"]
    )
    demo_only_customer = "Oficina Boa Ltda"
    customer_update = "PUT"

    def files_in(self, folder: Path) -> dict[str, str]:
        return {"token_file": str(folder / "tokens.json")}

    def settings_for(self, api: Any, folder: Path) -> dict[str, str]:
        from sdkcore.auth import FileTokenStore, TokenSet

        files = self.files_in(folder)
        # the fake's own access token, which outlives any test: the client never refreshes
        FileTokenStore(files["token_file"]).save(TokenSet(api.access_token))
        return {"client_id": api.client_id, "client_secret": api.client_secret, **files}

    def customers(self, world: World) -> list[tuple[int, str, str]]:
        return [
            (int(k), c.get("nome") or "", c.get("numeroDocumento") or "")
            for k, c in world.fake_erp.data["contatos"].items()
        ]

    def customer_name(self, world: World, erp_id: str) -> str:
        return str(world.erp_client.contatos.get(int(erp_id)).nome)

    def rename_customer(self, world: World, erp_id: str, name: str) -> None:
        current = world.erp_client.contatos.get(int(erp_id))
        world.erp_client.contatos.update(int(erp_id), current.model_copy(update={"nome": name}))

    def add_customer(self, world: World, name: str, email: str | None = None) -> None:
        from bling import Contato

        fields: dict[str, Any] = {"nome": name, "tipo": "F", "situacao": "A"}
        if email is not None:
            fields["email"] = email
        world.erp_client.contatos.create(Contato(**fields))

    def rename_demo_only_customer(self, world: World) -> None:
        current = world.erp_client.contatos.get(1002)
        update = {"nome": "Oficina Boa e Filhos"}
        world.erp_client.contatos.update(1002, current.model_copy(update=update))

    def sale_customers(self, world: World) -> dict[str, str]:
        names = {c["id"]: c.get("nome") for c in world.fake_erp.data["contatos"].values()}
        return {
            p["numeroLoja"]: str(names[p["contato"]["id"]])
            for p in world.fake_erp.data["pedidos/vendas"].values()
        }

    def sale_accounts(self, world: World) -> set[str]:
        return {
            str(p["formaPagamento"]["id"])
            for o in world.fake_erp.data["pedidos/vendas"].values()
            for p in o["parcelas"]
        }

    def accounts(self, world: World) -> dict[str, str]:
        return {f.descricao or "": str(f.id) for f in world.erp_client.formas_pagamentos.list()}

    def other_account(self, world: World) -> str:
        formas = world.erp_client.formas_pagamentos.list()
        return str(next(f.descricao for f in formas if f.padrao != 1))  # not the default

    def search_reference(self, world: World, reference: str) -> tuple[list[str], list[str]]:
        found = list(world.erp_client.contatos.list(pesquisa=f"ponte:{reference}"))
        marked = [
            c.get("nome")
            for c in world.fake_erp.data["contatos"].values()
            if str(c.get("codigo") or "").startswith("ponte:")
        ]
        return [c.nome for c in found], marked

    def add_item(self, world: World, kind: str) -> None:
        from bling import Produto

        name, tipo = (
            ("Válvula de expansão", "P") if kind == "product" else ("Limpeza de dutos", "S")
        )
        world.erp_client.produtos.create(
            Produto(nome=name, tipo=tipo, preco=Decimal("80.00"), situacao="A")
        )

    def reprice_product(self, world: World) -> None:
        produtos = world.fake_erp.data["produtos"].items()
        [ident] = [k for k, p in produtos if p["nome"] == "Filtro de ar"]
        current = world.erp_client.produtos.get(int(ident))
        update = {"preco": Decimal("49.90")}
        world.erp_client.produtos.update(int(ident), current.model_copy(update=update))

    def records(self, world: World, as_json: bool) -> dict[str, Any]:
        if as_json:
            return {k: list(v.values()) for k, v in world.fake_erp.data.items()}
        return copy.deepcopy(world.fake_erp.data)

    def _order(self, world: World, task: int) -> dict[str, Any]:
        return next(
            o
            for o in world.fake_erp.data["pedidos/vendas"].values()
            if o["numeroLoja"] == f"task:{task}"
        )

    def installments(self, world: World, task: int) -> list[tuple[date, Decimal]]:
        return [
            (date.fromisoformat(p["dataVencimento"]), Decimal(str(p["valor"])))
            for p in self._order(world, task)["parcelas"]
        ]

    def task_total(self, world: World, task: int) -> Decimal:
        return Decimal(str(self._order(world, task)["total"]))


DRIVERS: dict[str, ErpDriver] = {
    "contaazul": ContaAzulDriver(),
    "bling": BlingDriver(),
    "contaazul-pub": ContaAzulPubDriver(),
}


def driver(erp: str) -> ErpDriver:
    """The driver of the registered kind ``erp``."""
    return DRIVERS[erp]
