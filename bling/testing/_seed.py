"""The data a fresh ``FakeBling`` starts with: a small company's contatos, catalog and setup.

``seed=0`` is the reference set (ids 1001..., 2001..., the names the docs use); another seed
draws other ids, names, documents and prices from the same pools, as valid. Contatos and
produtos carry their inclusion and last change times (not part of Bling's bodies), dated
within the week before the fake's clock.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from sdkcore.money import CENT
from sdkcore.testing.documents import random_cnpj, random_cpf

T = TypeVar("T")
Tables = dict[str, dict[int, dict[str, Any]]]

INCLUDED = "_inclusao"
CHANGED = "_alteracao"
"""Hidden keys of a record: when it was created and last changed (aware datetimes)."""

COLLECTIONS = (
    "contatos",
    "produtos",
    "formas-pagamentos",
    "categorias/receitas-despesas",
    "naturezas-operacoes",
    "vendedores",
    "pedidos/vendas",
    "propostas-comerciais",
    "contas/receber",
    "contas/pagar",
    "depositos",
)

# nome, e-mail
PEOPLE = (
    ("Maria Souza", "maria@example.com"),
    ("José Oliveira", "jose@example.com"),
    ("Ana Beatriz Lima", "ana.lima@example.com"),
)
COMPANIES = (
    ("Oficina Boa Ltda", "compras@boa.com"),
    ("Fornecedor Peças SA", None),
    ("Refrigeração Norte ME", "contato@norte.example"),
    ("Climatiza Sul Ltda", "compras@climatiza.example"),
)
# Valid check digits: the SDKs refuse to write a CPF or CNPJ without them (the bridge copies
# these contacts into Auvo).
REFERENCE_DOCUMENTS = ("123.456.789-09", "12.345.678/0001-95", "98.765.432/0001-98")
# nome, codigo, preco, precoCusto, tipo, unidade
ITEMS = (
    ("Filtro de ar", "P-FILTRO", "89.90", "40.50", "P", "UN"),
    ("Instalação de ar-condicionado", "S-INST", "350.00", None, "S", "SV"),
    ("Visita técnica", "S-VISITA", "120.00", None, "S", "SV"),
)
OTHER_PRODUCTS = (
    ("Filtro de ar", "P-FILTRO", "89.90", "40.50", "P", "UN"),
    ("Controle remoto", "P-CONTROLE", "64.90", "30.00", "P", "UN"),
    ("Suporte para condensadora", "P-SUPORTE", "79.00", "35.00", "P", "UN"),
)
OTHER_SERVICES = (
    ("Instalação de ar-condicionado", "S-INST", "350.00", None, "S", "SV"),
    ("Visita técnica", "S-VISITA", "120.00", None, "S", "SV"),
    ("Higienização de split", "S-HIGIENE", "180.00", None, "S", "SV"),
    ("Recarga de gás", "S-GAS", "250.00", None, "S", "SV"),
)


def cpf(rng: random.Random) -> str:
    """A valid CPF, formatted as Bling shows it."""
    text = random_cpf(rng)
    return f"{text[:3]}.{text[3:6]}.{text[6:9]}-{text[9:]}"


def cnpj(rng: random.Random) -> str:
    """A valid head-office CNPJ, formatted as Bling shows it."""
    text = random_cnpj(rng)
    return f"{text[:2]}.{text[2:5]}.{text[5:8]}/{text[8:12]}-{text[12:]}"


class _Draw:
    """Reference values for seed 0, draws from a seeded generator otherwise."""

    def __init__(self, seed: int) -> None:
        self.reference = seed == 0
        self.rng = random.Random(seed)

    def pick(self, pool: Sequence[T], count: int) -> list[T]:
        return list(pool[:count]) if self.reference else self.rng.sample(list(pool), count)

    def base(self, reference: int) -> int:
        """The first id of a collection: 1001, 2001... for seed 0, elsewhere for others."""
        return reference if self.reference else reference * self.rng.randint(2, 9)

    def price(self, text: str | None) -> float | None:
        if text is None:
            return None
        value = Decimal(text)
        if not self.reference:
            value = (value * Decimal(self.rng.randint(80, 125)) / 100).quantize(CENT)
        return float(value)


def seed_tables(seed: int, now: datetime) -> Tables:
    """Every collection of the fake for ``seed``; change times count back from ``now``."""
    draw = _Draw(seed)
    tables: Tables = {name: {} for name in COLLECTIONS}

    def stamp(record: dict[str, Any], days_ago: int, hour: int) -> dict[str, Any]:
        changed = (now - timedelta(days=days_ago)).replace(hour=hour, minute=0, second=0)
        record[INCLUDED] = changed - timedelta(days=120)
        record[CHANGED] = changed
        return record

    # -- contatos: a person, a customer company, a supplier --------------------------------
    contatos = tables["contatos"]
    first_contato = first = draw.base(1001)
    person = draw.pick(PEOPLE, 1)[0]
    customer, supplier = draw.pick(COMPANIES[:2], 2) if draw.reference else draw.pick(COMPANIES, 2)
    if draw.reference:
        documents = list(REFERENCE_DOCUMENTS)
    else:
        documents = [cpf(draw.rng), cnpj(draw.rng), cnpj(draw.rng)]
    for n, ((nome, email), tipo, codigo) in enumerate(
        ((person, "F", "C1"), (customer, "J", "C2"), (supplier, "J", "F1"))
    ):
        ident = first + n
        record: dict[str, Any] = {
            "id": ident,
            "nome": nome,
            "codigo": codigo,
            "situacao": "A",
            "tipo": tipo,
            "numeroDocumento": documents[n],
            "telefone": "(11) 3333-4444" if n == 0 else "",
            "celular": "(11) 99999-8888" if n == 0 else "",
        }
        if email:
            record["email"] = email
        if n == 0:
            record["endereco"] = {
                "geral": {
                    "endereco": "Rua A",
                    "numero": "10",
                    "bairro": "Centro",
                    "municipio": "São Paulo",
                    "uf": "SP",
                    "cep": "01000-000",
                }
            }
        contatos[ident] = stamp(record, days_ago=3 - n, hour=10)

    # -- produtos: one product and two services -----------------------------------------------
    produtos = tables["produtos"]
    first = draw.base(2001)
    if draw.reference:
        items = list(ITEMS)
    else:
        items = [*draw.pick(OTHER_PRODUCTS, 1), *draw.pick(OTHER_SERVICES, 2)]
    for n, (nome, codigo, preco, custo, tipo, unidade) in enumerate(items):
        ident = first + n
        produto: dict[str, Any] = {
            "id": ident,
            "nome": nome,
            "codigo": codigo,
            "preco": draw.price(preco),
            "tipo": tipo,
            "situacao": "A",
            "formato": "S",
            "unidade": unidade,
        }
        if custo is not None:
            produto["precoCusto"] = draw.price(custo)
        produtos[ident] = stamp(produto, days_ago=6 - n, hour=9)

    # -- setup: payment methods, categories, operations, seller, warehouse ---------------------
    first = draw.base(3001)
    for n, (descricao, tipo_pagamento, fixa, padrao, finalidade, juros, multa) in enumerate(
        (
            ("Dinheiro", 1, True, 1, 3, 0, 0),
            ("Boleto", 15, False, 0, 1, 1, 2),
            ("PIX", 17, False, 0, 3, 0, 0),
        )
    ):
        tables["formas-pagamentos"][first + n] = {
            "id": first + n,
            "descricao": descricao,
            "tipoPagamento": tipo_pagamento,
            "situacao": 1,
            "fixa": fixa,
            "padrao": padrao,
            "finalidade": finalidade,
            "juros": juros,
            "multa": multa,
        }
    first = draw.base(4001)
    for n, (descricao, kind) in enumerate((("Vendas de serviços", 2), ("Compras", 1))):
        tables["categorias/receitas-despesas"][first + n] = {
            "id": first + n,
            "idCategoriaPai": 0,
            "descricao": descricao,
            "tipo": kind,
        }
    first = draw.base(5001)
    for n, descricao in enumerate(("Venda de mercadorias", "Prestação de serviços")):
        tables["naturezas-operacoes"][first + n] = {
            "id": first + n,
            "situacao": 1,
            "padrao": 1 if n == 0 else 0,
            "descricao": descricao,
        }
    seller = draw.base(6001)
    company = contatos[first_contato + 1]
    tables["vendedores"][seller] = {
        "id": seller,
        "descontoLimite": 10,
        "loja": {"id": 0},
        "contato": {"id": company["id"], "nome": company["nome"], "situacao": "A"},
        "comissoes": [{"descontoMaximo": 10, "aliquota": 2}],
    }
    warehouse = draw.base(7001)
    tables["depositos"][warehouse] = {
        "id": warehouse,
        "descricao": "Geral",
        "situacao": 1,
        "padrao": True,
        "desconsiderarSaldo": False,
    }
    return tables
