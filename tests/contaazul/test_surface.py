"""The async client mirrors the sync one, method for method and signature for signature."""

from __future__ import annotations

import inspect

import contaazul
from contaazul import AsyncContaAzul, ContaAzul

from .conftest import APP, COMPANY


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
        if not name.startswith("_") and hasattr(value, "func")  # cached_property resources
    }


def test_every_sync_method_has_an_async_twin() -> None:
    sync = ContaAzul(application_token=APP, company_token=COMPANY)
    async_ = AsyncContaAzul(application_token=APP, company_token=COMPANY)
    sync_resources, async_resources = _resources(sync), _resources(async_)
    assert sync_resources.keys() == async_resources.keys()
    assert len(sync_resources) == 19
    for name, resource in sync_resources.items():
        sync_methods = _public_methods(resource)
        async_methods = _public_methods(async_resources[name])
        assert sync_methods.keys() == async_methods.keys(), name
        for method, signature in sync_methods.items():
            twin = getattr(async_resources[name], method)
            assert inspect.iscoroutinefunction(twin) or method == "list", (name, method)
            assert not inspect.iscoroutinefunction(getattr(resource, method)), (name, method)
            assert signature == async_methods[method], (name, method)
            assert "self" not in signature.parameters
    assert (
        inspect.signature(ContaAzul.__init__).parameters.keys()
        == inspect.signature(AsyncContaAzul.__init__).parameters.keys()
    )


def test_errors_are_shared_with_sdkcore() -> None:
    import sdkcore

    assert contaazul.ValidationError is sdkcore.ValidationError
    assert issubclass(contaazul.RateLimitError, sdkcore.APIError)


def test_package_exports_every_model_lazily() -> None:
    import contaazul.models

    missing = set(contaazul.models.__all__) - {"APIModel"} - set(contaazul.__all__)
    assert not missing
    for name in contaazul.__all__:
        assert getattr(contaazul, name) is not None
    assert "ContaAzul" in dir(contaazul)
