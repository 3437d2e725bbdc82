"""Bling's deliveries to the fleet's webhook receiver: ``POST /erp/<tenant>``, let in by the
signature made with that tenant's client secret (``X-Bling-Signature-256``), run that
tenant's pass; an unsigned one, one signed with another tenant's secret, or one for a tenant
whose ERP sends none, is refused with an empty body. Neither a client secret nor a signature
is logged. A real Temporal server and a real PostgreSQL, a worker in this process."""

from __future__ import annotations

import asyncio
import logging

import pytest

from bling.webhooks import SIGNATURE_HEADER, signature
from bridge.erp.registry import erp_kinds
from bridge.fleet import TenantRegistry
from bridge.fleet.temporal import PassOutcome

from ..fleet.fleetworld import Fleet, fleet, reference_sales
from ..fleet.temporalserver import temporal, temporal_address
from ..fleet.test_fleet_webhooks import (
    GATHER,
    add_with_webhooks,
    never_started,
    outcome_of,
    post,
    serving,
    unique,
)
from .test_bling_webhook_nudge import ORDER_UPDATED

__all__ = ["fleet", "temporal", "temporal_address"]  # the fixtures

NO_WEBHOOKS = next(kind.name for kind in erp_kinds() if kind.webhooks is None)


def client_secret(fleet: Fleet, name: str) -> str:
    """Tenant ``name``'s client secret, read as the receiver reads it."""
    registry = TenantRegistry(fleet.dsn)
    try:
        secret = registry.config(name).bling_client_secret
    finally:
        registry.close()
    assert secret is not None
    assert secret.raw.startswith("env:")  # a reference, never the value
    return str(secret.value())


def test_a_signed_delivery_runs_its_tenants_pass(
    temporal: str,
    fleet: Fleet,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    signed = add_with_webhooks(fleet, monkeypatch, "signed", "bling")
    other = add_with_webhooks(fleet, monkeypatch, "other", "bling")
    plain = unique("plain")
    fleet.add(plain, NO_WEBHOOKS)
    key, other_key = client_secret(fleet, signed.name), client_secret(fleet, other.name)
    assert key != other_key
    good = signature(ORDER_UPDATED, key)
    refused = {
        "unsigned": (f"/erp/{signed.name}", {}),
        "another tenant's": (
            f"/erp/{signed.name}",
            {SIGNATURE_HEADER: signature(ORDER_UPDATED, other_key)},
        ),
        "another body's": (
            f"/erp/{signed.name}",
            {SIGNATURE_HEADER: signature(ORDER_UPDATED + b" ", key)},
        ),
        "no webhooks": (f"/erp/{plain}", {SIGNATURE_HEADER: signature(ORDER_UPDATED, key)}),
        "not a tenant": ("/erp/nobody", {SIGNATURE_HEADER: good}),
    }

    async def scenario() -> tuple[dict[str, tuple[int, bytes]], int, PassOutcome, bool]:
        async with serving(temporal, fleet) as (client, receiver):
            answers = {}
            for case, (path, headers) in refused.items():
                answer = await post(receiver, path, ORDER_UPDATED, headers)
                answers[case] = (answer.status_code, answer.content)
            await asyncio.sleep(GATHER + 1)
            quiet = all([await never_started(client, n) for n in (signed.name, other.name)])
            answer = await post(
                receiver, f"/erp/{signed.name}", ORDER_UPDATED, {SIGNATURE_HEADER: good}
            )
            outcome = await outcome_of(client, signed.name)
            return answers, answer.status_code, outcome, quiet

    answers, status, outcome, quiet_before = asyncio.run(scenario())
    assert answers == {
        "unsigned": (401, b""),
        "another tenant's": (401, b""),
        "another body's": (401, b""),
        "no webhooks": (404, b""),
        "not a tenant": (404, b""),
    }
    assert quiet_before
    assert status == 202
    assert outcome.tenant == signed.name
    assert signed.tenant.sales() == reference_sales(signed.tenant)
    assert not other.tenant.sales()
    messages = [
        record.getMessage()
        for record in caplog.records
        if not record.name.startswith(("httpx", "httpcore"))
    ]
    assert f"webhook: tenant {signed.name}: order.updated" in "\n".join(messages)
    assert f"webhook: refused a delivery to /erp/{signed.name}: not signed by the ERP" in messages
    for message in messages:
        for secret in (key, other_key, good, good.removeprefix("sha256=")):
            assert secret not in message


def test_a_tenant_whose_key_is_not_set_takes_no_erp_deliveries(
    temporal: str,
    fleet: Fleet,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The receiver's environment lacks the variable its client secret names: its ERP's
    deliveries are not served (404), and a warning names the setting, not a value."""
    keyless = add_with_webhooks(fleet, monkeypatch, "keyless", "bling")
    key = client_secret(fleet, keyless.name)
    for variable, value in keyless.tenant.env.items():
        if value == key:
            monkeypatch.delenv(variable)

    async def scenario() -> tuple[int, int, bool]:
        async with serving(temporal, fleet) as (client, receiver):
            headers = {SIGNATURE_HEADER: signature(ORDER_UPDATED, key)}
            erp = await post(receiver, f"/erp/{keyless.name}", ORDER_UPDATED, headers)
            wrong = await post(receiver, f"/auvo/{keyless.name}/wrong", b"{}")
            await asyncio.sleep(GATHER + 1)
            return erp.status_code, wrong.status_code, await never_started(client, keyless.name)

    erp, auvo, quiet = asyncio.run(scenario())
    assert (erp, auvo) == (404, 401)  # Auvo's deliveries are still served
    assert quiet
    assert f"tenant {keyless.name} takes no Bling deliveries: erp.client_secret" in caplog.text
    assert key not in caplog.text
