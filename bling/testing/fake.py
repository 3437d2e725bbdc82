"""``FakeBling``: a stateful stand-in for Bling API v3, OAuth included.

It answers like Bling: ``{"data": ...}`` bodies, the ``{"error": {...}}`` envelope, pages
of ``limite`` records with no total, 429 past 3 requests a second, and OAuth with rotating
refresh tokens where a refresh token works exactly once (a reused one fails with
``invalid_grant``, as on Bling).
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
from collections import deque
from collections.abc import Callable
from copy import deepcopy
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qs, urlencode

from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.dates import SAO_PAULO
from sdkcore.money import CENT
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, HTTPFault, route

from .._client import AsyncBling, Bling
from ..oauth import BlingOAuth
from . import _filters as f
from ._seed import CHANGED, COLLECTIONS, INCLUDED, seed_tables

PREFIX = "/Api/v3"
ACCESS_TOKEN_LIFETIME = 6 * 3600
CODE_LIFETIME = 60


def error(status: int, kind: str, message: str, description: str = "", **extra: Any) -> HTTPFault:
    body: dict[str, Any] = {"type": kind, "message": message, "description": description}
    body.update(extra)
    return HTTPFault(status, {"error": body})


def field_error(element: str, msg: str, code: int = 1) -> dict[str, Any]:
    return {"code": code, "msg": msg, "element": element, "namespace": "FAKE"}


class FakeBling(FakeAPI):
    """A stateful Bling. ``fake.client()`` / ``fake.async_client()`` talk to it in-process;
    ``fake.oauth()`` runs the OAuth flow against it with ``fake.client_id``/``client_secret``.

    ``rate_limit`` requests a second (default 3) are answered; more get a 429 whose body
    says ``period: second``. ``daily_limit`` (default none) adds the daily quota.

    It starts with the same contatos, produtos and setup on every run for one ``seed``
    (another ``seed`` varies ids, names, documents and prices); ``seeded=False`` starts
    empty. It dates every create and change from ``clock``, so the lists honour
    ``dataInclusao*``/``dataAlteracao*`` as Bling does.
    """

    def __init__(
        self,
        *,
        clock: Clock | None = None,
        rate_limit: int | None = 3,
        daily_limit: int | None = None,
        page_size_limit: int = 100,
        seed: int = 0,
        seeded: bool = True,
    ) -> None:
        super().__init__()
        self.clock = clock or SYSTEM_CLOCK
        self.client_id = "fake-client-id"
        self.client_secret = "fake-client-secret-" + secrets.token_hex(8)
        self.rate_limit = rate_limit
        self.daily_limit = daily_limit
        self.page_size_limit = page_size_limit
        self.seed = seed
        self.data = seed_tables(seed, self._now()) if seeded else {name: {} for name in COLLECTIONS}
        self._ids = itertools.count(9_000_001)
        self._recent: deque[float] = deque()
        self.api_calls = 0
        self.token_calls = 0
        self.refreshes = 0
        self.revoked: list[str] = []
        self._codes: dict[str, tuple[float, str | None]] = {}
        self._access: dict[str, float] = {}
        self._refresh: dict[str, bool] = {}  # refresh token -> still valid
        self.access_token = self._new_access(lifetime=10 * 365 * 86400)

    def _now(self) -> datetime:
        """The clock's now in Brasília, to the second (Bling's resolution)."""
        return datetime.fromtimestamp(int(self.clock.time()), SAO_PAULO)

    # -- OAuth -----------------------------------------------------------------------------

    def _new_access(self, lifetime: float = ACCESS_TOKEN_LIFETIME) -> str:
        token = "fake-at-" + secrets.token_hex(12)
        self._access[token] = self.clock.time() + lifetime
        return token

    def _new_refresh(self) -> str:
        token = "fake-rt-" + secrets.token_hex(12)
        self._refresh[token] = True
        return token

    def issue_code(self, redirect_uri: str | None = None) -> str:
        """What Bling does when the account owner clicks "authorise": a one-minute code."""
        code = "fake-code-" + secrets.token_hex(8)
        self._codes[code] = (self.clock.time() + CODE_LIFETIME, redirect_uri)
        return code

    def issue_tokens(self) -> dict[str, Any]:
        """A fresh token pair, as the token endpoint would answer."""
        return {
            "access_token": self._new_access(),
            "expires_in": ACCESS_TOKEN_LIFETIME,
            "token_type": "Bearer",
            "scope": "98309 5990556 318257570",
            "refresh_token": self._new_refresh(),
        }

    def expire_access_tokens(self) -> None:
        """Every access token issued so far now answers 401 ``invalid_token``."""
        with self.lock:
            for token in self._access:
                self._access[token] = 0.0

    def _check_basic(self, request: FakeRequest) -> None:
        header = request.header("authorization") or ""
        expected = base64.b64encode(f"{self.client_id}:{self.client_secret}".encode()).decode()
        if header != f"Basic {expected}":
            raise error(401, "invalid_client", "invalid_client", "Client credentials are invalid")

    @route("POST", PREFIX + "/oauth/token")
    def token(self, request: FakeRequest) -> FakeResponse:
        self.token_calls += 1
        self._check_basic(request)
        form = {k: v[0] for k, v in parse_qs(request.body.decode()).items()}
        grant = form.get("grant_type")
        if grant == "authorization_code":
            entry = self._codes.pop(form.get("code", ""), None)
            if entry is None or entry[0] < self.clock.time():
                raise error(400, "invalid_grant", "invalid_grant", "Invalid authorization code")
            return FakeResponse(200, self.issue_tokens())
        if grant == "refresh_token":
            token = form.get("refresh_token", "")
            if not self._refresh.get(token):
                raise error(400, "invalid_grant", "invalid_grant", "Invalid refresh token")
            self._refresh[token] = False  # rotation: the old refresh token dies now
            self.refreshes += 1
            return FakeResponse(200, self.issue_tokens())
        raise error(400, "unsupported_grant_type", "unsupported_grant_type")

    @route("POST", PREFIX + "/oauth/revoke")
    def revoke(self, request: FakeRequest) -> FakeResponse:
        self._check_basic(request)
        token = parse_qs(request.body.decode()).get("token", [""])[0]
        self.revoked.append(token)
        self._refresh.pop(token, None)
        self._access.pop(token, None)
        return FakeResponse(200, {})

    @route("GET", PREFIX + "/oauth/authorize")
    def authorize(self, request: FakeRequest) -> FakeResponse:
        if request.arg("client_id") != self.client_id:
            raise error(400, "invalid_client", "invalid_client")
        redirect = request.arg("redirect_uri")
        code = self.issue_code(redirect)
        query = {"code": code, "state": request.arg("state") or ""}
        if redirect:
            return FakeResponse(302, None, {"Location": f"{redirect}?{urlencode(query)}"})
        return FakeResponse(200, query)

    # -- gatekeeping -------------------------------------------------------------------------

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        if request.path.startswith(PREFIX + "/oauth/"):
            return None
        with self.lock:
            self.api_calls += 1
            throttled = self._throttle()
        if throttled is not None:
            return throttled
        header = request.header("authorization") or ""
        token = header.removeprefix("Bearer ").strip()
        expires = self._access.get(token)
        if expires is None or expires <= self.clock.time():
            return error(401, "invalid_token", "invalid_token", "Invalid access token").response
        return None

    def _throttle(self) -> FakeResponse | None:
        if self.daily_limit is not None and self.api_calls > self.daily_limit:
            return error(
                429,
                "TOO_MANY_REQUESTS",
                "Limite de requisições atingido",
                "O limite diário de requisições foi atingido",
                period="day",
            ).response
        if self.rate_limit is None:
            return None
        now = self.clock.monotonic()
        while self._recent and now - self._recent[0] >= 1.0:
            self._recent.popleft()
        if len(self._recent) >= self.rate_limit:
            return error(
                429,
                "TOO_MANY_REQUESTS",
                "Limite de requisições atingido",
                "O limite de requisições por segundo foi atingido",
                period="second",
            ).response
        self._recent.append(now)
        return None

    # -- generic collection handlers ------------------------------------------------------------

    def _table(self, name: str) -> dict[int, dict[str, Any]]:
        return self.data[name]

    def _one(self, name: str, ident: str) -> dict[str, Any]:
        record = self._table(name).get(int(ident))
        if record is None:
            raise error(
                404,
                "RESOURCE_NOT_FOUND",
                "Registro não encontrado",
                f"Nenhum registro de {name} com id {ident}",
            )
        return record

    def _page(self, request: FakeRequest, records: list[dict[str, Any]]) -> FakeResponse:
        pagina = int(request.arg("pagina", "1") or 1)
        limite = int(request.arg("limite", "100") or 100)
        if limite > self.page_size_limit or limite < 1 or pagina < 1:
            raise error(
                400,
                "VALIDATION_ERROR",
                "Parâmetros inválidos",
                fields=[field_error("limite", "limite inválido")],
            )
        start = (pagina - 1) * limite
        return FakeResponse(200, {"data": [_public(r) for r in records[start : start + limite]]})

    def _list(
        self,
        name: str,
        request: FakeRequest,
        keep: Callable[[dict[str, Any]], bool] | None = None,
    ) -> FakeResponse:
        records = sorted(self._table(name).values(), key=lambda r: r["id"])
        if keep is not None:
            records = [r for r in records if keep(r)]
        return self._page(request, records)

    def _filtered(
        self, name: str, request: FakeRequest, build: Callable[[FakeRequest], f.Predicate]
    ) -> FakeResponse:
        """A list narrowed by its query filters; an unreadable one answers 400, as on Bling."""
        try:
            keep = build(request)
        except f.InvalidFilter as bad:
            raise error(
                400,
                "VALIDATION_ERROR",
                "Parâmetros inválidos",
                fields=[field_error(bad.name, f"{bad.name} inválido")],
            ) from None
        return self._list(name, request, keep)

    def _show(self, name: str, ident: str) -> FakeResponse:
        return FakeResponse(200, {"data": _public(self._one(name, ident))})

    def _touch(self, record: dict[str, Any], created: bool = False) -> dict[str, Any]:
        """Record a create or change at the clock's now (hidden from the bodies)."""
        now = self._now()
        if created:
            record[INCLUDED] = now
        record[CHANGED] = now
        return record

    def _create(
        self, name: str, request: FakeRequest, required: tuple[str, ...] = (), **extra: Any
    ) -> FakeResponse:
        body = request.json()
        if not isinstance(body, dict):
            raise error(400, "EMPTY_REQUEST_BODY", "Corpo da requisição vazio")
        missing = [f for f in required if body.get(f) in (None, "", [], {})]
        if missing:
            raise error(
                400,
                "VALIDATION_ERROR",
                "Não foi possível salvar o registro",
                "Campos obrigatórios ausentes",
                fields=[field_error(f, f"O campo {f} é obrigatório", 2) for f in missing],
            )
        ident = next(self._ids)
        fields = {k: v for k, v in body.items() if not k.startswith("_")}
        self._table(name)[ident] = self._touch({**fields, "id": ident}, created=True)
        return FakeResponse(201, {"data": {"id": ident, **extra}})

    def _replace(self, name: str, request: FakeRequest, ident: str) -> FakeResponse:
        hidden = {k: v for k, v in self._one(name, ident).items() if k.startswith("_")}
        body = {k: v for k, v in (request.json() or {}).items() if not k.startswith("_")}
        # PUT clears omitted fields; what the server keeps about the record stays.
        self._table(name)[int(ident)] = self._touch({**hidden, **body, "id": int(ident)})
        return FakeResponse(204)

    def _delete(self, name: str, ident: str) -> FakeResponse:
        self._one(name, ident)
        del self._table(name)[int(ident)]
        return FakeResponse(204)

    def _delete_many(self, name: str, request: FakeRequest, key: str) -> FakeResponse:
        for ident in request.query.get(key, []):
            self._table(name).pop(int(ident), None)
        return FakeResponse(204)

    # -- contatos ------------------------------------------------------------------------------

    @route("GET", PREFIX + "/contatos")
    def contatos_list(self, request: FakeRequest) -> FakeResponse:
        return self._filtered("contatos", request, f.contatos)

    @route("POST", PREFIX + "/contatos")
    def contatos_create(self, request: FakeRequest) -> FakeResponse:
        return self._create("contatos", request, ("nome", "tipo"))

    @route("DELETE", PREFIX + "/contatos")
    def contatos_delete_many(self, request: FakeRequest) -> FakeResponse:
        return self._delete_many("contatos", request, "idsContatos[]")

    @route("GET", PREFIX + "/contatos/{ident}")
    def contatos_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("contatos", ident)

    @route("PUT", PREFIX + "/contatos/{ident}")
    def contatos_put(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._replace("contatos", request, ident)

    @route("DELETE", PREFIX + "/contatos/{ident}")
    def contatos_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._delete("contatos", ident)

    @route("PATCH", PREFIX + "/contatos/{ident}/situacoes")
    def contatos_situacao(self, request: FakeRequest, ident: str) -> FakeResponse:
        contato = self._touch(self._one("contatos", ident))
        contato["situacao"] = (request.json() or {}).get("situacao")
        return FakeResponse(204)

    # -- produtos ------------------------------------------------------------------------------

    @route("GET", PREFIX + "/produtos")
    def produtos_list(self, request: FakeRequest) -> FakeResponse:
        return self._filtered("produtos", request, f.produtos)

    @route("POST", PREFIX + "/produtos")
    def produtos_create(self, request: FakeRequest) -> FakeResponse:
        return self._create("produtos", request, ("nome",), variations=[], warnings=[])

    @route("GET", PREFIX + "/produtos/{ident}")
    def produtos_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("produtos", ident)

    @route("PUT", PREFIX + "/produtos/{ident}")
    def produtos_put(self, request: FakeRequest, ident: str) -> FakeResponse:
        self._replace("produtos", request, ident)
        return FakeResponse(200, {"data": {"id": int(ident), "warnings": []}})

    @route("PATCH", PREFIX + "/produtos/{ident}")
    def produtos_patch(self, request: FakeRequest, ident: str) -> FakeResponse:
        changes = {k: v for k, v in (request.json() or {}).items() if not k.startswith("_")}
        self._touch(self._one("produtos", ident)).update(changes)
        return FakeResponse(200, {"data": {"id": int(ident), "warnings": []}})

    @route("DELETE", PREFIX + "/produtos/{ident}")
    def produtos_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._delete("produtos", ident)

    # -- pedidos de venda ------------------------------------------------------------------------

    @route("GET", PREFIX + "/pedidos/vendas")
    def vendas_list(self, request: FakeRequest) -> FakeResponse:
        return self._filtered("pedidos/vendas", request, f.vendas)

    @route("POST", PREFIX + "/pedidos/vendas")
    def vendas_create(self, request: FakeRequest) -> FakeResponse:
        body = request.json() or {}
        contato = (body.get("contato") or {}).get("id")
        if contato is not None and int(contato) not in self.data["contatos"]:
            raise error(
                400,
                "VALIDATION_ERROR",
                "Não foi possível salvar a venda",
                fields=[field_error("contato", "Contato não encontrado", 36)],
            )
        body.setdefault("numero", len(self.data["pedidos/vendas"]) + 1)
        body.setdefault("situacao", {"id": 6, "valor": 0})
        body.setdefault("data", self._now().date().isoformat())
        produtos, total = _totals(body)
        body.setdefault("totalProdutos", produtos)
        body.setdefault("total", total)
        filled = FakeRequest(
            request.method, request.path, request.query, request.headers, json.dumps(body).encode()
        )
        return self._create("pedidos/vendas", filled, ("contato", "itens"), alertas=[])

    @route("GET", PREFIX + "/pedidos/vendas/{ident}")
    def vendas_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("pedidos/vendas", ident)

    @route("PUT", PREFIX + "/pedidos/vendas/{ident}")
    def vendas_put(self, request: FakeRequest, ident: str) -> FakeResponse:
        self._replace("pedidos/vendas", request, ident)
        return FakeResponse(200, {"data": {"id": int(ident), "alertas": []}})

    @route("DELETE", PREFIX + "/pedidos/vendas/{ident}")
    def vendas_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._delete("pedidos/vendas", ident)

    @route("PATCH", PREFIX + "/pedidos/vendas/{ident}/situacoes/{situacao}")
    def vendas_situacao(self, request: FakeRequest, ident: str, situacao: str) -> FakeResponse:
        pedido = self._touch(self._one("pedidos/vendas", ident))
        pedido["situacao"] = {"id": int(situacao), "valor": 0}
        return FakeResponse(204)

    @route("POST", PREFIX + "/pedidos/vendas/{ident}/lancar-contas")
    def vendas_lancar_contas(self, request: FakeRequest, ident: str) -> FakeResponse:
        pedido = self._one("pedidos/vendas", ident)
        if pedido.get("_contas"):
            raise error(400, "VALIDATION_ERROR", "As contas da venda já foram lançadas")
        ids = []
        for parcela in pedido.get("parcelas") or []:
            conta_id = next(self._ids)
            self.data["contas/receber"][conta_id] = {
                "id": conta_id,
                "situacao": 1,
                "vencimento": parcela.get("dataVencimento"),
                "valor": parcela.get("valor"),
                "contato": pedido.get("contato"),
                "origem": {"id": int(ident), "tipoOrigem": "venda"},
            }
            ids.append(conta_id)
        pedido["_contas"] = ids
        return FakeResponse(204)

    @route("POST", PREFIX + "/pedidos/vendas/{ident}/estornar-contas")
    def vendas_estornar_contas(self, request: FakeRequest, ident: str) -> FakeResponse:
        pedido = self._one("pedidos/vendas", ident)
        for conta_id in pedido.pop("_contas", []):
            self.data["contas/receber"].pop(conta_id, None)
        return FakeResponse(204)

    @route("POST", PREFIX + "/pedidos/vendas/{ident}/lancar-estoque")
    @route("POST", PREFIX + "/pedidos/vendas/{ident}/estornar-estoque")
    def vendas_estoque(self, request: FakeRequest, ident: str) -> FakeResponse:
        pedido = self._one("pedidos/vendas", ident)
        pedido["_estoque"] = request.path.endswith("lancar-estoque")
        return FakeResponse(204)

    # -- contas a receber / pagar ----------------------------------------------------------------

    @route("GET", PREFIX + "/contas/receber")
    def receber_list(self, request: FakeRequest) -> FakeResponse:
        situacoes = {int(s) for s in request.query.get("situacoes[]", [])}
        contato = request.arg("idContato")

        def keep(r: dict[str, Any]) -> bool:
            if situacoes and r.get("situacao") not in situacoes:
                return False
            return not contato or str((r.get("contato") or {}).get("id")) == contato

        return self._list("contas/receber", request, keep)

    @route("POST", PREFIX + "/contas/receber")
    def receber_create(self, request: FakeRequest) -> FakeResponse:
        return self._create("contas/receber", request, ("vencimento", "valor", "contato"))

    @route("GET", PREFIX + "/contas/receber/{ident}")
    def receber_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("contas/receber", ident)

    @route("PUT", PREFIX + "/contas/receber/{ident}")
    def receber_put(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._replace("contas/receber", request, ident)

    @route("DELETE", PREFIX + "/contas/receber/{ident}")
    def receber_delete(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._delete("contas/receber", ident)

    @route("POST", PREFIX + "/contas/receber/{ident}/baixar")
    def receber_baixar(self, request: FakeRequest, ident: str) -> FakeResponse:
        conta = self._one("contas/receber", ident)
        conta["situacao"] = 2
        conta["saldo"] = 0
        return FakeResponse(200, {"data": {"bordero": {"id": next(self._ids)}}})

    @route("GET", PREFIX + "/contas/pagar")
    def pagar_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("contas/pagar", request)

    @route("POST", PREFIX + "/contas/pagar")
    def pagar_create(self, request: FakeRequest) -> FakeResponse:
        return self._create("contas/pagar", request, ("vencimento", "valor", "contato"))

    @route("GET", PREFIX + "/contas/pagar/{ident}")
    def pagar_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("contas/pagar", ident)

    # -- propostas comerciais ----------------------------------------------------------------------

    @route("GET", PREFIX + "/propostas-comerciais")
    def propostas_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("propostas-comerciais", request)

    @route("POST", PREFIX + "/propostas-comerciais")
    def propostas_create(self, request: FakeRequest) -> FakeResponse:
        return self._create("propostas-comerciais", request, ("contato",))

    @route("GET", PREFIX + "/propostas-comerciais/{ident}")
    def propostas_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("propostas-comerciais", ident)

    # -- cadastros ---------------------------------------------------------------------------------

    @route("GET", PREFIX + "/formas-pagamentos")
    def formas_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("formas-pagamentos", request)

    @route("POST", PREFIX + "/formas-pagamentos")
    def formas_create(self, request: FakeRequest) -> FakeResponse:
        return self._create("formas-pagamentos", request, ("descricao",))

    @route("GET", PREFIX + "/formas-pagamentos/{ident}")
    def formas_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("formas-pagamentos", ident)

    @route("GET", PREFIX + "/categorias/receitas-despesas")
    def categorias_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("categorias/receitas-despesas", request)

    @route("GET", PREFIX + "/categorias/receitas-despesas/{ident}")
    def categorias_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("categorias/receitas-despesas", ident)

    @route("GET", PREFIX + "/naturezas-operacoes")
    def naturezas_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("naturezas-operacoes", request)

    @route("GET", PREFIX + "/vendedores")
    def vendedores_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("vendedores", request)

    @route("GET", PREFIX + "/vendedores/{ident}")
    def vendedores_get(self, request: FakeRequest, ident: str) -> FakeResponse:
        return self._show("vendedores", ident)

    @route("GET", PREFIX + "/depositos")
    def depositos_list(self, request: FakeRequest) -> FakeResponse:
        return self._list("depositos", request)

    @route("GET", PREFIX + "/empresas/me/dados-basicos")
    def empresa(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(
            200,
            {
                "data": {
                    "id": "fake-company",
                    "nome": "Empresa Fake LTDA",
                    "cnpj": "12.345.678/0001-95",
                    "email": "fake@example.com",
                    "dataContrato": "2024-01-01",
                }
            },
        )

    # -- clients -----------------------------------------------------------------------------------

    def oauth(self, **kwargs: Any) -> BlingOAuth:
        """A ``BlingOAuth`` for this fake's app, talking to it in-process."""
        kwargs.setdefault("transport", self.transport)
        kwargs.setdefault("async_transport", self.transport)
        return BlingOAuth(self.client_id, self.client_secret, **kwargs)

    def client(self, **kwargs: Any) -> Bling:
        """A ``Bling`` client on this fake (``access_token`` is valid unless given)."""
        kwargs.setdefault("transport", self.transport)
        if "oauth" not in kwargs:
            kwargs.setdefault("access_token", self.access_token)
        kwargs.setdefault("webhook_secret", self.client_secret)
        return Bling(**kwargs)

    def async_client(self, **kwargs: Any) -> AsyncBling:
        """An ``AsyncBling`` on this fake."""
        kwargs.setdefault("transport", self.transport)
        if "oauth" not in kwargs:
            kwargs.setdefault("access_token", self.access_token)
        kwargs.setdefault("webhook_secret", self.client_secret)
        return AsyncBling(**kwargs)

    def describe(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self.data.items() if v)
        return (
            f"FakeBling: base path {PREFIX}; client_id={self.client_id} "
            f"client_secret={self.client_secret}\naccess_token={self.access_token}\n"
            f"seeded: {counts}"
        )


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """A record as the API shows it: a copy without the fake's own bookkeeping keys."""
    return deepcopy({k: v for k, v in record.items() if not k.startswith("_")})


def _totals(pedido: dict[str, Any]) -> tuple[float, float]:
    """``totalProdutos`` and ``total`` as Bling computes them: the items, then less the
    discount (an amount or a percentage), plus other expenses and freight."""

    def number(value: Any) -> Decimal:
        return Decimal(str(value or 0))

    items = sum(
        (number(i.get("quantidade")) * number(i.get("valor")) for i in pedido.get("itens") or []),
        Decimal(0),
    )
    discount = pedido.get("desconto") or {}
    off = number(discount.get("valor")) if isinstance(discount, dict) else number(discount)
    if isinstance(discount, dict) and discount.get("unidade") == "PERCENTUAL":
        off = items * off / 100
    freight = number((pedido.get("transporte") or {}).get("frete"))
    total = items - off + number(pedido.get("outrasDespesas")) + freight
    return float(items.quantize(CENT)), float(total.quantize(CENT))
