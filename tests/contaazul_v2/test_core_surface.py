"""The surface: every resource of both clients, every sync method with an async twin of the
same signature, and a cheap, lazy ``import contaazul.v2``."""

from __future__ import annotations

import inspect
import subprocess
import sys
from functools import cached_property
from typing import Any

import contaazul.v2
from contaazul.v2 import AsyncContaAzul, ContaAzul
from sdkcore.client import Resource
from sdkcore.endpoints import paged

TOKEN = "t-0123456789abcdef"


def resource_names() -> list[str]:
    """The resource attributes of the client: its cached properties that build a resource."""
    client = ContaAzul(TOKEN)
    return sorted(
        name
        for name in dir(ContaAzul)
        if not name.startswith("_")
        and isinstance(inspect.getattr_static(ContaAzul, name), cached_property)
        and isinstance(getattr(client, name), Resource)
    )


def public_methods(resource: Any) -> dict[str, Any]:
    return {
        name: getattr(resource, name)
        for name in dir(type(resource))
        if not name.startswith("_") and callable(getattr(resource, name))
    }


def test_the_client_has_every_resource_the_issue_names() -> None:
    names = set(resource_names())
    named_by_the_issue = {
        "pessoas",
        "produtos",
        "servicos",
        "vendas",
        "orcamentos",
        "contratos",
        "contas_financeiras",
        "contas_a_receber",
        "contas_a_pagar",
        "parcelas",
        "baixas",
        "cobrancas",
        "protocolos",
        "categorias",
        "centros_de_custo",
        "transferencias",
    }
    assert named_by_the_issue <= names, named_by_the_issue - names


def test_every_sync_method_has_an_async_twin_with_the_same_signature() -> None:
    sync_client, async_client = ContaAzul(TOKEN), AsyncContaAzul(TOKEN)
    names = resource_names()
    assert names
    for name in names:
        sync_methods = public_methods(getattr(sync_client, name))
        async_methods = public_methods(getattr(async_client, name))
        assert sync_methods, name
        assert set(sync_methods) == set(async_methods), name
        for method_name, method in sync_methods.items():
            twin = async_methods[method_name]
            sync_params = list(inspect.signature(method).parameters.values())
            async_params = list(inspect.signature(twin).parameters.values())
            assert sync_params == async_params, f"{name}.{method_name}"
            for escape in ("extra_headers", "extra_query", "timeout"):
                param = inspect.signature(method).parameters.get(escape)
                assert param is not None, f"{name}.{method_name} lacks {escape}"
                assert param.kind is inspect.Parameter.KEYWORD_ONLY, f"{name}.{method_name}"
            builder = inspect.getattr_static(type(getattr(sync_client, name)), method_name)
            if not isinstance(builder, paged):  # a list answers a pager, sync or async
                assert inspect.iscoroutinefunction(twin), f"{name}.{method_name} is not async"


def test_client_level_methods_have_twins() -> None:
    for name in ("request", "close", "with_options"):
        sync = inspect.signature(getattr(ContaAzul, name))
        asyn = inspect.signature(getattr(AsyncContaAzul, name))
        assert list(sync.parameters) == list(asyn.parameters)
    assert list(inspect.signature(ContaAzul).parameters) == list(
        inspect.signature(AsyncContaAzul).parameters
    )


def test_the_names_of_the_issue_are_exported() -> None:
    for name in (
        "ContaAzul",
        "AsyncContaAzul",
        "ContaAzulOAuth",
        "Protocolo",
        "ProtocolFailed",
        "ProtocolTimeoutError",
        "ReauthorizationRequired",
        "ValidationError",
        "RateLimitError",
    ):
        assert hasattr(contaazul.v2, name), name
        assert name in dir(contaazul.v2)


def test_importing_the_package_loads_no_client_or_model() -> None:
    code = (
        "import sys, contaazul.v2; "
        "print(sorted(m for m in sys.modules if m.startswith(('contaazul.v2.', 'pydantic', "
        "'httpx'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_every_public_model_of_every_domain_is_exported() -> None:
    import importlib
    import pkgutil

    import contaazul.v2.models as models

    missing = []
    for info in pkgutil.iter_modules(models.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{models.__name__}.{info.name}")
        for name, value in vars(module).items():
            defined_here = getattr(value, "__module__", None) == module.__name__
            if isinstance(value, type) and defined_here and not name.startswith("_"):
                if getattr(models, name, None) is not value or name not in models.__all__:
                    missing.append(f"{info.name}.{name}")
                if getattr(contaazul.v2, name, None) is not value:
                    missing.append(f"contaazul.v2.{name}")
    assert missing == []
