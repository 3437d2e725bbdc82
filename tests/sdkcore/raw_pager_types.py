"""Checked by mypy, never run: ``list()`` on ``with_raw_response`` is a typed raw pager, and
a method of several requests answers with ``APIResponse`` of its result.

``tests/sdkcore/test_surface_truth.py`` runs ``mypy --strict`` over this file.
"""

from __future__ import annotations

from typing import assert_type

from auvo import AsyncAuvo, Auvo
from auvo.models import Customer as AuvoCustomer, Webhook
from bling import AsyncBling, Bling
from bling.models import ContatoResumo
from contaazul import AsyncContaAzul, ContaAzul
from contaazul.models import Customer
from sdkcore import APIResponse, Page
from sdkcore.paging import AsyncPager, AsyncRawPager, SyncPager, SyncRawPager


def sync_clients(conta_azul: ContaAzul, bling: Bling, auvo: Auvo) -> None:
    assert_type(conta_azul.with_raw_response.customers.list(), SyncRawPager[Customer])
    assert_type(bling.with_raw_response.contatos.list(), SyncRawPager[ContatoResumo])
    assert_type(auvo.with_raw_response.customers.list(), SyncRawPager[AuvoCustomer])
    for raw in conta_azul.with_raw_response.customers.list().pages(start=1):
        assert_type(raw, APIResponse[Page[Customer]])
    for page in conta_azul.with_raw_response.customers.list():
        assert_type(page, APIResponse[Page[Customer]])
    hook = auvo.with_raw_response.webhooks.create("Task", "Inclusao", "https://x.example")
    assert_type(hook, APIResponse[Webhook])
    # Without it, nothing changes.
    assert_type(conta_azul.customers.list(), SyncPager[Customer])


async def async_clients(conta_azul: AsyncContaAzul, bling: AsyncBling, auvo: AsyncAuvo) -> None:
    assert_type(conta_azul.with_raw_response.customers.list(), AsyncRawPager[Customer])
    assert_type(bling.with_raw_response.contatos.list(), AsyncRawPager[ContatoResumo])
    assert_type(auvo.with_raw_response.customers.list(), AsyncRawPager[AuvoCustomer])
    async for raw in auvo.with_raw_response.customers.list().pages():
        assert_type(raw, APIResponse[Page[AuvoCustomer]])
    hook = await auvo.with_raw_response.webhooks.create("Task", "Inclusao", "https://x.example")
    assert_type(hook, APIResponse[Webhook])
    assert_type(conta_azul.customers.list(), AsyncPager[Customer])
