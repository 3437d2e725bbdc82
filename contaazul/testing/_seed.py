"""The reference data every ``FakeContaAzul`` starts with: the same on every run."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

# (code, description): FEBRABAN codes; 999 is the catch-all the spec's example account uses.
BANKS: tuple[tuple[int, str], ...] = (
    (1, "Banco do Brasil"),
    (33, "Santander"),
    (77, "Banco Inter"),
    (104, "Caixa Econômica Federal"),
    (237, "Bradesco"),
    (260, "Nubank"),
    (341, "Itaú"),
    (748, "Sicredi"),
    (756, "Sicoob"),
    (999, "Outros"),
)

# (name, state, IBGE code)
CITIES: tuple[tuple[str, str, str], ...] = (
    ("ABADIA DE GOIÁS", "GO", "5200050"),
    ("BELO HORIZONTE", "MG", "3106200"),
    ("BRASÍLIA", "DF", "5300108"),
    ("CAMPINAS", "SP", "3509502"),
    ("CURITIBA", "PR", "4106902"),
    ("FLORIANÓPOLIS", "SC", "4205407"),
    ("FORTALEZA", "CE", "2304400"),
    ("JOINVILLE", "SC", "4209102"),
    ("PORTO ALEGRE", "RS", "4314902"),
    ("RECIFE", "PE", "2611606"),
    ("RIO DE JANEIRO", "RJ", "3304557"),
    ("SALVADOR", "BA", "2927408"),
    ("SÃO PAULO", "SP", "3550308"),
)

# (description, operation)
DEAL_TYPES: tuple[tuple[str, str], ...] = (
    ("Venda", "S"),
    ("Compra", "E"),
    ("Devolução de venda", "DS"),
    ("Devolução de compra", "DE"),
)

TASK_TYPES: tuple[str, ...] = (
    "1.01 - Análise e desenvolvimento de sistemas",
    "1.07 - Suporte técnico em informática",
    "7.02 - Execução de obras de construção civil",
    "9.03 - Guias de turismo",
    "14.01 - Manutenção e conservação de máquinas e equipamentos",
    "17.01 - Assessoria ou consultoria de qualquer natureza",
)

# (description, type); the first revenue/expense ones receive what deals generate.
SALES_CATEGORY = "Vendas de produtos"
SERVICES_CATEGORY = "Prestação de serviços"
PURCHASES_CATEGORY = "Compras de mercadorias"
FINANCE_CATEGORIES: tuple[tuple[str, str], ...] = (
    (SALES_CATEGORY, "REVENUE"),
    (SERVICES_CATEGORY, "REVENUE"),
    ("Receitas financeiras", "REVENUE"),
    ("Outras receitas", "REVENUE"),
    (PURCHASES_CATEGORY, "EXPENSE"),
    ("Despesas de produtos vendidos", "EXPENSE"),
    ("Aluguel", "EXPENSE"),
    ("Salários", "EXPENSE"),
    ("Impostos sobre vendas", "EXPENSE"),
    ("Tarifas bancárias", "EXPENSE"),
)

COST_CENTRES: tuple[str, ...] = (
    "Administrativo",
    "Comercial",
    "Desenvolvimento",
    "Marketing",
    "Produção",
)

# (name, bankId, agency, account, wallet, initial balance, its date)
BANK_ACCOUNTS: tuple[tuple[str, int, str | None, str | None, str | None, Decimal, date], ...] = (
    ("BB", 1, "3269", "210862", "17", Decimal("10000.00"), date(2024, 1, 1)),
    ("Caixinha", 999, None, None, None, Decimal("500.00"), date(2024, 1, 1)),
)
