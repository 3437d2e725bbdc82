"""The data a fresh ``FakeContaAzul`` starts with: a small service company's books.

``seed=0`` is the reference set (the names and prices the docs use); another seed draws
other ids, names, documents and prices from the same pools. Every id is a UUID drawn from a
generator seeded with the seed, so one seed gives the same records on every run. Records
are stored as the API writes them (see ``_fake``'s views for how each is shown).
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sdkcore.money import CENT
from sdkcore.testing.documents import random_cnpj, random_cpf

from ._core import CHANGED, CREATED, JSON, Table

T = TypeVar("T")

TABLES = (
    "contas_financeiras",
    "categorias",
    "centros_de_custo",
    "pessoas",
    "produtos",
    "servicos",
    "vendedores",
    "vendas",
    "orcamentos",
    "contratos",
    "eventos",
    "parcelas",
    "baixas",
    "cobrancas",
    "protocolos",
    "transferencias",
)

# nome, tipo, banco, codigo_banco, agencia, numero, ativo, saldo inicial
ACCOUNTS = (
    ("BB", "CONTA_CORRENTE", "BANCO_BRASIL", 1, "1234-5", "56789-0", True, "1500.00"),
    ("Caixinha", "CAIXINHA", "NAO_BANCO", None, None, None, True, "200.00"),
    ("Itaú antigo", "CONTA_CORRENTE", "ITAU", 341, "0001", "12345-6", False, "0.00"),
)
CAIXINHA = "CAIXINHA"
"""The account kind the list hides unless ``mostrar_caixinha=true``."""

# nome, tipo, pai (nome) or None
CATEGORIES = (
    ("Receitas operacionais", "RECEITA", None),
    ("Vendas de produtos", "RECEITA", "Receitas operacionais"),
    ("Prestação de serviços", "RECEITA", "Receitas operacionais"),
    ("Despesas operacionais", "DESPESA", None),
    ("Aluguel", "DESPESA", "Despesas operacionais"),
    ("Fornecedores", "DESPESA", "Despesas operacionais"),
)
# codigo, nome, ativo
COST_CENTRES = (("100", "Comercial", True), ("200", "Técnico", True), ("900", "Antigo", False))

Contact = tuple[str, str | None, str | None]
"""nome, e-mail, telefone"""

PEOPLE: tuple[Contact, ...] = (
    ("Maria Souza", "maria@example.com", "11987654321"),
    ("José Oliveira", "jose@example.com", "21998765432"),
    ("Ana Beatriz Lima", "ana.lima@example.com", None),
    ("Carlos Pereira", "carlos@example.com", "31991234567"),
)
COMPANIES: tuple[Contact, ...] = (
    ("Oficina Boa Ltda", "compras@boa.example", "1133334444"),
    ("Refrigeração Norte ME", "contato@norte.example", None),
    ("Climatiza Sul Ltda", "compras@climatiza.example", "5132221111"),
    ("Fornecedor Peças SA", None, "1140041234"),
)
REFERENCE_CPFS = ("12345678909", "98765432100")
REFERENCE_CNPJS = ("12345678000195", "98765432000198")
CITIES = (("São Paulo", "SP", "01310-100"), ("Porto Alegre", "RS", "90010-000"))

# nome, codigo_sku, valor_venda, custo_medio, estoque
PRODUCTS = (
    ("Filtro de ar", "P-FILTRO", "89.90", "40.50", "25"),
    ("Controle remoto", "P-CONTROLE", "64.90", "30.00", "12"),
    ("Suporte para condensadora", "P-SUPORTE", "79.00", "35.00", "8"),
    ("Tubo de cobre 1/4", "P-TUBO", "32.50", "18.20", "40"),
)
# descricao, codigo, preco, custo
SERVICES = (
    ("Instalação de ar-condicionado", "S-INST", "350.00", "120.00"),
    ("Visita técnica", "S-VISITA", "120.00", "40.00"),
    ("Higienização de split", "S-HIGIENE", "180.00", "60.00"),
    ("Recarga de gás", "S-GAS", "250.00", "90.00"),
)
SELLERS = ("Paula Vendas", "Rodrigo Comercial")

DRE = (
    ("01", "Receita Operacional Bruta", ("Vendas de produtos", "Prestação de serviços")),
    ("02", "Despesas Operacionais", ("Aluguel", "Fornecedores")),
)
DEFAULT_CATEGORY_OPERATIONS = (
    ("FRETES_RECEBIDOS", "Fretes recebidos"),
    ("DESCONTOS_FINANCEIROS_CONCEDIDOS", "Descontos financeiros concedidos"),
    ("JUROS_RECEBIDOS", "Juros recebidos"),
    ("TARIFAS", "Tarifas bancárias"),
)


class Ids:
    """UUIDs and legacy integer ids drawn from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(f"contaazul-v2-fake:{seed}:seed")
        self._legacy = 1_000 + 100_000 * seed

    def uuid(self) -> str:
        return str(uuid.UUID(int=self._rng.getrandbits(128), version=4))

    def legacy(self) -> int:
        self._legacy += 1
        return self._legacy


def _money(text: str) -> Decimal:
    return Decimal(text).quantize(CENT)


def _vary(rng: random.Random, price: str) -> Decimal:
    """Another seed's price: within 20% of the reference, to the cent."""
    return (Decimal(price) * Decimal(rng.randint(80, 120)) / 100).quantize(CENT)


def _draw(rng: random.Random, pool: Sequence[T], count: int) -> list[T]:
    return rng.sample(list(pool), count)


def seed_tables(seed: int, now: datetime) -> dict[str, Table]:
    """Every table of a fresh fake for ``seed``, dated within the week before ``now``."""
    ids = Ids(seed)
    rng = random.Random(f"contaazul-v2-fake:{seed}:values")
    tables: dict[str, Table] = {name: {} for name in TABLES}
    moments = iter(now - timedelta(days=7) + timedelta(minutes=7 * i) for i in range(10_000))

    def put(name: str, record: JSON) -> JSON:
        moment = next(moments)
        record[CREATED] = moment
        record[CHANGED] = moment
        tables[name][record["id"]] = record
        return record

    for nome, tipo, banco, bank_code, agencia, numero, ativo, saldo in ACCOUNTS:
        put(
            "contas_financeiras",
            {
                "id": ids.uuid(),
                "banco": banco,
                "codigo_banco": bank_code,
                "nome": nome,
                "ativo": ativo,
                "tipo": tipo,
                "conta_padrao": nome == "BB",
                "possui_config_boleto_bancario": False,
                "agencia": agencia,
                "numero": numero,
                "_saldo_inicial": _money(saldo),
                "_data_saldo_inicial": (now - timedelta(days=30)).date(),
            },
        )

    by_name: dict[str, str] = {}
    for nome, tipo, parent in CATEGORIES:
        record = put(
            "categorias",
            {
                "id": ids.uuid(),
                "versao": 0,
                "nome": nome,
                "categoria_pai": by_name.get(parent) if parent else None,
                "tipo": tipo,
                "entrada_dre": "RECEITA_BRUTA" if tipo == "RECEITA" else "DESPESAS_OPERACIONAIS",
                "considera_custo_dre": tipo == "DESPESA",
            },
        )
        by_name[nome] = record["id"]

    for centre_code, centre_name, centre_active in COST_CENTRES:
        centre = {"id": ids.uuid(), "codigo": centre_code, "nome": centre_name}
        put("centros_de_custo", {**centre, "ativo": centre_active})

    people = PEOPLE if seed == 0 else _draw(rng, PEOPLE, len(PEOPLE))
    companies = COMPANIES if seed == 0 else _draw(rng, COMPANIES, len(COMPANIES))
    for index, (nome, email, telefone) in enumerate(people):
        cpf = REFERENCE_CPFS[index] if seed == 0 and index < len(REFERENCE_CPFS) else None
        put("pessoas", _person(ids, nome, "Física", cpf or random_cpf(rng), email, telefone, index))
    for index, (nome, email, telefone) in enumerate(companies):
        cnpj = REFERENCE_CNPJS[index] if seed == 0 and index < len(REFERENCE_CNPJS) else None
        put(
            "pessoas",
            _person(ids, nome, "Jurídica", cnpj or random_cnpj(rng), email, telefone, index),
        )

    for nome, sku, preco, custo, estoque in PRODUCTS:
        put(
            "produtos",
            {
                "id": ids.uuid(),
                "id_legado": ids.legacy(),
                "nome": nome,
                "codigo_sku": sku,
                "codigo_ean": None,
                "observacao": None,
                "formato": "SIMPLES",
                "status": "ATIVO",
                "ativo": True,
                "versao": 1,
                "estoque": {
                    "valor_venda": _money(preco) if seed == 0 else _vary(rng, preco),
                    "custo_medio": _money(custo),
                    "estoque_disponivel": Decimal(estoque),
                    "estoque_minimo": Decimal(1),
                    "estoque_maximo": Decimal(100),
                },
                "dimensao": {"altura": None, "largura": None, "profundidade": None},
            },
        )

    for descricao, service_code, preco, custo in SERVICES:
        put(
            "servicos",
            {
                "id": ids.uuid(),
                "id_servico": ids.legacy(),
                "id_externo": None,
                "codigo": service_code,
                "descricao": descricao,
                "preco": _money(preco) if seed == 0 else _vary(rng, preco),
                "custo": _money(custo),
                "status": "ATIVO",
                "tipo_servico": "PRESTADO",
            },
        )

    for nome in SELLERS:
        put("vendedores", {"id": ids.uuid(), "nome": nome, "id_legado": ids.legacy()})

    _seed_sales(tables, ids, now, put)
    _seed_transfer(tables, ids, now, put)
    return tables


def _person(
    ids: Ids,
    nome: str,
    tipo: str,
    documento: str,
    email: str | None,
    telefone: str | None,
    index: int,
) -> JSON:
    cidade, estado, cep = CITIES[index % len(CITIES)]
    return {
        "id": ids.uuid(),
        "id_legado": ids.legacy(),
        "nome": nome,
        "tipo_pessoa": tipo,
        "cpf" if tipo == "Física" else "cnpj": documento,
        "email": email,
        "telefone_comercial": telefone,
        "ativo": True,
        "observacao": None,
        "perfis": [{"tipo_perfil": "Cliente"}],
        "enderecos": [
            {
                "logradouro": "Rua das Flores",
                "numero": str(100 + index),
                "bairro": "Centro",
                "cidade": cidade,
                "estado": estado,
                "cep": cep,
                "pais": "Brasil",
            }
        ],
    }


def _seed_sales(tables: dict[str, Table], ids: Ids, now: datetime, put: Any) -> None:
    """Two sales (numbers 1 and 2), so the next number is 3."""
    customers = list(tables["pessoas"].values())
    products = list(tables["produtos"].values())
    services = list(tables["servicos"].values())
    account = next(iter(tables["contas_financeiras"].values()))
    lines = (
        (customers[0], products[0], Decimal(2), products[0]["estoque"]["valor_venda"]),
        (customers[4], services[0], Decimal(1), services[0]["preco"]),
    )
    for numero, (customer, item, quantidade, valor) in enumerate(lines, start=1):
        day: date = (now - timedelta(days=3 - numero)).date()
        total = (quantidade * valor).quantize(CENT)
        put(
            "vendas",
            {
                "id": ids.uuid(),
                "id_legado": ids.legacy(),
                "numero": numero,
                "id_cliente": customer["id"],
                "situacao": "APROVADO",
                "data_venda": day,
                "observacoes": f"Venda semente {numero}",
                "itens": [
                    {
                        "id": item["id"],
                        "descricao": item.get("nome") or item.get("descricao"),
                        "quantidade": quantidade,
                        "valor": valor,
                        "_linha": ids.uuid(),
                    }
                ],
                "condicao_pagamento": {
                    "tipo_pagamento": "PIX_PAGAMENTO_INSTANTANEO",
                    "id_conta_financeira": account["id"],
                    "opcao_condicao_pagamento": "À vista",
                    "parcelas": [{"data_vencimento": day, "valor": total}],
                },
                "versao": 1,
                "origem": "API",
            },
        )


def _seed_transfer(tables: dict[str, Table], ids: Ids, now: datetime, put: Any) -> None:
    accounts = list(tables["contas_financeiras"].values())
    put(
        "transferencias",
        {
            "id": ids.uuid(),
            "descricao": "Reforço do caixa",
            "valor": Decimal("100.00"),
            "data": (now - timedelta(days=2)).date(),
            "_origem": accounts[0]["id"],
            "_destino": accounts[1]["id"],
        },
    )
