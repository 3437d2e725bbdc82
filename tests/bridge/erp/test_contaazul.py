"""The bridge on today's Conta Azul API (``kind = "contaazul"``, ``contaazul.v2``): what only
it does (one sale per Auvo sale with products and services together, its ``numero`` reserved
and recorded before the create, ``condicao_pagamento`` from the payment terms, the "Caixinha"
account the list hides, OAuth credentials), and the sentence a config of the documented API
gets under this kind's name (the documented API is ``contaazul-pub`` since issue 14)."""

from __future__ import annotations

import time
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest

import bridge
from bridge import BridgeConfig, ConfigError, SyncReport, load_config
from bridge.context import STEPS
from bridge.engine import run
from bridge.erp.contaazul import payment_option
from bridge.terms import PaymentTerms
from contaazul.v2.testing._sales import sale_total
from sdkcore.clock import FakeClock

from ..conftest import World, make_world

KIND = "contaazul"

EXAMPLE = """
[auvo]
api_key = "env:AUVO_API_KEY"
api_token = "env:AUVO_API_TOKEN"

[erp]
kind = "contaazul"
client_id = "env:CONTAAZUL_CLIENT_ID"
client_secret = "env:CONTAAZUL_CLIENT_SECRET"
token_file = "contaazul-tokens.json"
financial_account = "Caixinha"
payment_terms = "30 60 90"
"""


def _sync(world: World, **changes: Any) -> SyncReport:
    return bridge.sync(
        world.config(**changes), world.store, auvo=world.auvo.client(), erp=world.erp_client
    )


def _bridge_sales(world: World) -> list[dict[str, Any]]:
    seeded = world.registered_fake.seeded_sales
    return [sale for sale in world.fake_erp.sales() if sale["id"] not in seeded]


def _requests(world: World, method: str, path: str) -> int:
    return sum(r.method == method and r.path == path for r in world.fake_erp.requests)


# -- the rename ---------------------------------------------------------------------------


def test_the_settings_example_loads(tmp_path: Path) -> None:
    path = tmp_path / "bridge.toml"
    path.write_text(EXAMPLE, encoding="utf-8")
    config = load_config(path)
    assert config.erp == KIND
    assert config.erp_settings.token_file == "contaazul-tokens.json"
    assert config.erp_settings.redirect_uri == "http://127.0.0.1:8765/callback"
    assert config.terms.days == (30, 60, 90)


def test_a_config_of_the_documented_api_is_told_the_kind_was_renamed() -> None:
    text = (
        '[erp]\nkind = "contaazul"\napplication_token = "env:A"\ncompany_token = "env:C"\n'
        'financial_account = "Caixinha"\n'
    )
    with pytest.raises(ConfigError) as raised:
        BridgeConfig.from_toml(text)
    assert raised.value.setting == "erp.kind"
    message = str(raised.value)
    assert "erp.application_token, erp.company_token" in message
    assert 'kind = "contaazul-pub"' in message
    assert "client_id" in message
    assert "python -m bridge authorize" in message
    assert "with a new store (or tenant)" in message  # the old links hold integer ids
    renamed = text.replace('"contaazul"', '"contaazul-pub"')
    assert BridgeConfig.from_toml(renamed).erp == "contaazul-pub"


@pytest.mark.parametrize("erp", [{"erp": KIND}, {}])
def test_the_flat_names_of_the_documented_api_are_told_the_rename_too(
    erp: dict[str, str],
) -> None:
    with pytest.raises(ConfigError, match='kind = "contaazul-pub"') as raised:
        BridgeConfig(**erp, financial_account="BB", contaazul_company_token="c")
    assert "contaazul_company_token" in str(raised.value)
    config = BridgeConfig(
        erp="contaazul-pub", financial_account="BB", contaazul_pub_company_token="c"
    )
    assert config.contaazul_pub_company_token is not None


# -- sales ----------------------------------------------------------------------------------


def test_one_sale_per_task_with_products_and_services_to_the_cent(tmp_path: Path) -> None:
    world = make_world(KIND, tmp_path)
    report = _sync(world, payment_terms="30 60 90")
    assert report.streams["tasks"].created == 3
    assert world.sales() == Counter(["task:500", "task:501", "task:506", "quotation:1"])
    caixinha = world.fake_erp.account_named("Caixinha")["id"]
    by_reference = {
        sale["observacoes"].rpartition("[ponte:")[2][:-1]: sale for sale in _bridge_sales(world)
    }
    sale = by_reference["task:500"]  # two filters, labour and parking
    kinds = {item["id"] for item in sale["itens"]}
    assert len(kinds) == 2  # the product and the service in one sale
    assert sale["condicao_pagamento"]["opcao_condicao_pagamento"] == "30, 60, 90"
    assert sale["condicao_pagamento"]["id_conta_financeira"] == caixinha
    parcelas = sale["condicao_pagamento"]["parcelas"]
    assert len(parcelas) == 3
    total = sale_total(sale)
    assert total == Decimal("2") * Decimal("45.90") + Decimal("1.5") * Decimal("150.00") + 12
    assert sum(Decimal(str(p["valor"])) for p in parcelas) == total
    assert sale["situacao"] == "APROVADO"
    numbers = [s["numero"] for s in _bridge_sales(world)]
    assert len(set(numbers)) == len(numbers)
    # each numero was the one the API handed out, read once per sale
    assert _requests(world, "GET", "/v1/venda/proximo-numero") == len(numbers)
    assert _sync(world).changed == 0


def test_the_payment_option_follows_the_terms() -> None:
    assert payment_option(PaymentTerms((0,))) == "À vista"
    assert payment_option(PaymentTerms((15, 30, 45))) == "15, 30, 45"


def test_the_hidden_caixinha_account_is_found_and_a_missing_one_lists_the_names(
    tmp_path: Path,
) -> None:
    world = make_world(KIND, tmp_path)
    assert _sync(world).status == "partial"  # the compressor no ERP sells, as seeded
    with pytest.raises(ConfigError, match="'BB', 'Caixinha'"):
        _sync(make_world(KIND, tmp_path, "other.sqlite3"), financial_account="Cofre")


@pytest.mark.parametrize("what", ["tasks", "quotations"])
def test_lost_answers_leave_one_sale_each_found_in_one_read(what: str, tmp_path: Path) -> None:
    """Every sale create lands and its answer is lost; the next pass reads each sale under
    the number the store recorded (one read each, no scan) and creates nothing."""
    clock = FakeClock(start=time.time())
    world = make_world(KIND, tmp_path, clock=clock)
    changes = {"tasks_enabled": what == "tasks", "quotations_enabled": what == "quotations"}
    original = world.fake_erp.handle

    def lose(request: Any) -> Any:
        response = original(request)
        if request.method == "POST" and request.path == "/v1/venda":
            raise httpx.ReadTimeout("lost")
        return response

    world.fake_erp.handle = lose
    first = _sync(world, **changes)
    world.fake_erp.handle = original
    lost = len(_bridge_sales(world))
    assert lost
    assert first.streams[what].failed >= lost
    before = len(world.fake_erp.requests)
    clock.advance(3600)  # past the dead letters' wait
    second = _sync(world, **changes)
    asked = world.fake_erp.requests[before:]
    searches = [r for r in asked if r.method == "GET" and r.path == "/v1/venda/busca"]
    assert len(searches) == lost
    assert all(r.query.get("numeros") for r in searches)
    assert not [r for r in asked if r.method == "POST" and r.path == "/v1/venda"]
    assert second.streams[what].linked == lost
    assert all(count == 1 for count in world.sales().values())


@pytest.mark.parametrize("step", [s for s in STEPS if s != "intent"])
@pytest.mark.parametrize("ref", ["task:500", "quotation:1"])
def test_a_crash_at_any_step_of_a_sale_leaves_exactly_one(
    step: str, ref: str, tmp_path: Path
) -> None:
    class Crash(BaseException):
        pass

    world = make_world(KIND, tmp_path)
    config = world.config(tasks_enabled=ref.startswith("task"))

    def hook(at: str, what: str) -> None:
        if (at, what) == (step, ref):
            raise Crash(what)

    with pytest.raises(Crash):
        run(config, world.store, auvo=world.auvo.client(), erp=world.erp_client, hook=hook)
    run(config, world.store, auvo=world.auvo.client(), erp=world.erp_client)
    again = run(config, world.store, auvo=world.auvo.client(), erp=world.erp_client)
    assert world.sales()[ref] == 1
    assert all(count == 1 for count in world.sales().values())
    assert again.changed == 0


def test_a_number_taken_meanwhile_is_not_taken_for_the_sale(tmp_path: Path) -> None:
    """The bridge dies right after recording the number; a person makes a sale under it;
    the next pass finds that sale is not this one and sells under a new number."""
    world = make_world(KIND, tmp_path)

    class Crash(BaseException):
        pass

    def hook(at: str, what: str) -> None:
        if (at, what) == ("reserve", "task:500"):
            raise Crash(what)

    with pytest.raises(Crash):
        run(world.config(), world.store, auvo=world.auvo.client(), erp=world.erp_client, hook=hook)
    intent = world.store.get_intent("demo", "task:500")
    assert intent is not None
    assert intent.reservation is not None
    [person] = [p for p in world.fake_erp.data["pessoas"].values() if p["nome"] == "Maria Souza"]
    product = next(iter(world.fake_erp.data["produtos"]))
    today = date.today().isoformat()
    world.erp_client.vendas.create(
        {
            "id_cliente": person["id"],
            "numero": int(intent.reservation),
            "situacao": "APROVADO",
            "data_venda": today,
            "itens": [{"id": product, "quantidade": 1, "valor": 10}],
            "condicao_pagamento": {
                "opcao_condicao_pagamento": "À vista",
                "parcelas": [{"data_vencimento": today, "valor": 10}],
            },
        }
    )
    _sync(world)
    assert world.sales()["task:500"] == 1
    mine = [s for s in _bridge_sales(world) if "[ponte:task:500]" in (s.get("observacoes") or "")]
    assert mine[0]["numero"] != int(intent.reservation)
