"""Checked by mypy, never run: what a type checker knows ``with_raw_response`` returns.

``tests/sdkcore/test_public_names.py`` runs ``mypy --strict`` over this file; every
``assert_type`` here is a claim about the SDK's annotations.
"""

from __future__ import annotations

from typing import assert_type

from auvo import AsyncAuvo, Auvo
from auvo.models import Customer as AuvoCustomer
from bling import AsyncBling, Bling
from bling.models import Contato
from contaazul import AsyncContaAzul, ContaAzul
from contaazul.models import Customer
from sdkcore import APIResponse


def sync_clients(conta_azul: ContaAzul, bling: Bling, auvo: Auvo) -> None:
    assert_type(conta_azul.with_raw_response.customers.get(1), APIResponse[Customer])
    assert_type(bling.with_raw_response.contatos.get(1), APIResponse[Contato])
    assert_type(auvo.with_raw_response.customers.get(1), APIResponse[AuvoCustomer])
    # Without it, and on a copy of a raw client, nothing changes.
    assert_type(conta_azul.customers.get(1), Customer)
    raw_copy = conta_azul.with_raw_response.with_options(timeout=1.0)
    assert_type(raw_copy.customers.get(1), APIResponse[Customer])


async def async_clients(conta_azul: AsyncContaAzul, bling: AsyncBling, auvo: AsyncAuvo) -> None:
    assert_type(await conta_azul.with_raw_response.customers.get(1), APIResponse[Customer])
    assert_type(await bling.with_raw_response.contatos.get(1), APIResponse[Contato])
    assert_type(await auvo.with_raw_response.customers.get(1), APIResponse[AuvoCustomer])
    assert_type(await conta_azul.customers.get(1), Customer)
