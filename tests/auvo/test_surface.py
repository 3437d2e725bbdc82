"""The async client mirrors the sync one; configuration and secrets behave."""

from __future__ import annotations

import inspect

import pytest

import auvo
import sdkcore
from auvo import AsyncAuvo, Auvo, TaskStatusFilter
from auvo._endpoints import ACTIONS
from sdkcore.endpoints import endpoint, paged

from .conftest import KEY, TOKEN


def _public_methods(obj: object) -> dict[str, inspect.Signature]:
    return {
        name: inspect.signature(member)
        for name, member in inspect.getmembers(obj)
        if not name.startswith("_") and callable(member) and not inspect.isclass(member)
    }


def _resources(client: object) -> dict[str, object]:
    return {
        name: getattr(client, name)
        for name, value in inspect.getmembers(type(client))
        if not name.startswith("_") and hasattr(value, "func")
    }


def test_every_sync_method_has_an_async_twin() -> None:
    sync, async_ = Auvo(KEY, TOKEN), AsyncAuvo(KEY, TOKEN)
    sync_resources, async_resources = _resources(sync), _resources(async_)
    assert sync_resources.keys() == async_resources.keys()
    assert len(sync_resources) == 22
    for name, resource in sync_resources.items():
        sync_methods = _public_methods(resource)
        async_methods = _public_methods(async_resources[name])
        assert sync_methods.keys() == async_methods.keys(), name
        for method, signature in sync_methods.items():
            twin = getattr(async_resources[name], method)
            sends = inspect.iscoroutinefunction(getattr(resource, method))
            assert not sends, (name, method)  # sync methods never return coroutines
            kind = inspect.getattr_static(type(resource), method)
            returns_pager = isinstance(kind, paged)
            if method != "parse" and not returns_pager:
                assert isinstance(kind, endpoint), (name, method)
                assert inspect.iscoroutinefunction(twin), (name, method)
            else:
                assert not inspect.iscoroutinefunction(twin), (name, method)
            assert signature == async_methods[method], (name, method)
            assert "self" not in signature.parameters, (name, method)
    sync_init = str(inspect.signature(Auvo.__init__)).replace("http_client: 'Client", "")
    async_init = str(inspect.signature(AsyncAuvo.__init__)).replace("http_client: 'AsyncClient", "")
    assert sync_init == async_init.replace("AsyncBaseTransport", "BaseTransport")
    assert inspect.iscoroutinefunction(AsyncAuvo.login)


def test_every_mapped_action_names_a_real_method() -> None:
    client = Auvo(KEY, TOKEN)
    for _, _, target in ACTIONS:
        obj: object = client
        for part in target.split("."):
            obj = getattr(obj, part)
        assert callable(obj), target


def test_credentials_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AUVO_API_KEY", "env-key-123456789")
    monkeypatch.setenv("AUVO_API_TOKEN", "env-token-123456789")
    client = Auvo()
    assert client.api_key == "env-key-123456789"
    assert "env-token" not in repr(client)
    assert "env-key-123456789" not in repr(client)
    assert "env-token" not in repr(client._auth)


def test_missing_credentials_name_the_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("AUVO_API_KEY", raising=False)
    monkeypatch.delenv("AUVO_API_TOKEN", raising=False)
    with pytest.raises(auvo.RequestValidationError, match="AUVO_API_KEY and AUVO_API_TOKEN"):
        Auvo()
    with pytest.raises(auvo.RequestValidationError, match="AUVO_API_TOKEN"):
        AsyncAuvo(api_key="k")


def test_public_names_and_shared_errors() -> None:
    assert auvo.ValidationError is sdkcore.ValidationError
    assert TaskStatusFilter.NOT_FINISHED == 0
    assert TaskStatusFilter.FINISHED_AUTOMATICALLY == 1
    assert TaskStatusFilter.FINISHED_MANUALLY == 2
    assert TaskStatusFilter.FINISHED == 3
    assert TaskStatusFilter.ALL == 4
    assert [s.value for s in auvo.TaskStatus] == [1, 2, 3, 4, 5, 6]
    client = Auvo(KEY, TOKEN)
    assert client.base_url == "https://api.auvo.com.br/v2"
    assert client.rate_limiter is not None
    assert client.rate_limiter.rate == pytest.approx(400 / 60)
    copy = client.with_options(timeout=3)
    assert copy._http is client._http
    assert copy.timeout.read == 3
