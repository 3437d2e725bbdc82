"""``FakeAuvo``: a stateful, in-memory Auvo API v2 for tests and local runs."""

from __future__ import annotations

import base64
import copy
import itertools
import json
import uuid
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import quote

from sdkcore.clock import SYSTEM_CLOCK, Clock
from sdkcore.dates import SAO_PAULO
from sdkcore.testing import FakeAPI, FakeRequest, FakeResponse, Fault, HTTPFault, route

from .._client import AsyncAuvo, Auvo
from . import _seed
from ._filters import find_key, missing_required, selector

PUBLIC_BASE = "https://api.auvo.com.br/v2"
RATE_LIMITED = {"error": "Rate limit temporarily exceeded"}
NULL_REFERENCE = {"message": "Object reference not set to an instance of an object."}
FILTER_REQUIRED = {
    "message": "The paramFilter is required as ParamFilter string json.",
    "target": None,
    "errorCode": 0,
    "errors": None,
}

# collection (lower-cased path segment) -> the key holding its id
ID_KEYS = {
    "users": "userId",
    "tasks": "taskID",
    "customers": "id",
    "customergroups": "id",
    "teams": "id",
    "tasktypes": "id",
    "segments": "id",
    "keywords": "id",
    "questionnaires": "id",
    "webhooks": "id",
    "expenses": "id",
    "expensetypes": "id",
    "gps": "userId",
    "satisfactionsurveys": "id",
    "equipmentcategories": "id",
    "equipments": "id",
    "productcategories": "id",
    "products": "id",
    "quotations": "publicId",
    "tickets": "id",
    "services": "id",
    "serviceorders": "id",
}
FILTER_ALWAYS = {"users", "tasks", "webhooks", "getdeletedtasks"}
TEXT_IDS = {"services", "serviceorders", "webhooks"}
WRITE_METHODS = {"POST", "PUT", "PATCH"}


def _local(moment: datetime) -> str:
    return moment.astimezone(SAO_PAULO).strftime("%Y-%m-%dT%H:%M:%S")


def _b64(data: dict[str, Any]) -> str:
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _public(record: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in record.items() if not k.startswith("_")}


class FakeAuvo(FakeAPI):
    """A stateful Auvo: login with expiring tokens, paging with links, the ``paramFilter``
    keys the blueprint documents, upserts and JSON Patch, deleted tasks, the 403 rate-limit
    answer, and seeded data.

    The seed is the same on every run for one ``seed`` (another ``seed`` varies ids, names
    and amounts); its tasks, quotations and expenses are dated within the week before
    ``clock.time()``, so a first sync finds them. ``seeded=False`` starts empty;
    ``seeded_tasks=False`` seeds everything but the tasks, for tests that bring their own.

    ``fake.client()`` / ``fake.async_client()`` give clients wired to it; the valid
    credentials are ``fake.api_key`` and ``fake.api_token``.
    """

    def __init__(
        self,
        *,
        api_key: str = "fake-auvo-api-key",
        api_token: str = "fake-auvo-api-token",
        clock: Clock = SYSTEM_CLOCK,
        token_lifetime: float = 30 * 60,
        rate_limit: int | None = None,
        seed: int = 0,
        seeded: bool = True,
        seeded_tasks: bool = True,
    ) -> None:
        super().__init__()
        self.api_key = api_key
        self.api_token = api_token
        self.clock = clock
        self.seed = seed
        self.token_lifetime = token_lifetime
        self.rate_limit = rate_limit
        self.api_enabled = True
        self.logins = 0
        self.tokens: dict[str, float] = {}
        self.data: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in ID_KEYS}
        self.deleted_tasks: dict[str, dict[str, Any]] = {}
        self._ids = itertools.count(10_000)
        self._window_start = clock.monotonic()
        self._window_count = 0
        if seeded:
            _seed.populate(self, seed, tasks=seeded_tasks)

    # -- clients --------------------------------------------------------------------------

    def client(self, **kwargs: Any) -> Auvo:
        """A sync client talking to this fake in-process."""
        kwargs.setdefault("rate_limiter", False)
        return Auvo(self.api_key, self.api_token, transport=self.transport, **kwargs)

    def async_client(self, **kwargs: Any) -> AsyncAuvo:
        """An async client talking to this fake in-process."""
        kwargs.setdefault("rate_limiter", False)
        return AsyncAuvo(self.api_key, self.api_token, transport=self.transport, **kwargs)

    # -- state helpers --------------------------------------------------------------------

    def add(self, collection: str, record: dict[str, Any]) -> dict[str, Any]:
        """Store a record (wire names), giving it an id when it has none."""
        name = collection.lower()
        key = ID_KEYS[name]
        if record.get(key) in (None, "", 0):
            record[key] = str(uuid.uuid4()) if name in TEXT_IDS else next(self._ids)
        self.data[name][str(record[key])] = record
        return record

    def throttle_next(self, times: int = 1) -> None:
        """Answer the next requests with Auvo's 403 "Rate limit temporarily exceeded"."""
        self.fail_next(Fault(403, RATE_LIMITED), times)

    def expire_tokens(self) -> None:
        """Make every issued token invalid, as if 30 minutes had passed server-side."""
        self.tokens.clear()

    def _now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.time(), SAO_PAULO)

    def _stamp(self, record: dict[str, Any], created: bool) -> None:
        now = _local(self._now())
        if created:
            record.setdefault("creationDate", now)
        record["dateLastUpdate"] = now

    # -- auth and limits ------------------------------------------------------------------

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        if self.rate_limit is not None:
            now = self.clock.monotonic()
            if now - self._window_start >= 60:
                self._window_start, self._window_count = now, 0
            self._window_count += 1
            if self._window_count > self.rate_limit:
                return FakeResponse(403, RATE_LIMITED)
        if request.path.rstrip("/").lower().endswith("/login"):
            return None
        header = request.header("authorization") or ""
        token = header[7:] if header.startswith("Bearer ") else ""
        expires = self.tokens.get(token)
        if expires is None or expires <= self.clock.time():
            return FakeResponse(401, None)
        if request.method in WRITE_METHODS and "application/json" not in (
            request.header("content-type") or ""
        ):
            return FakeResponse(415, None)
        return None

    def _login(self, key: str | None, token: str | None) -> FakeResponse:
        if not key:
            return FakeResponse(400, {"apiKey": ["The value '\"\"' is not valid."]})
        if not token:
            return FakeResponse(400, {"apiToken": ["The value '\"\"' is not valid."]})
        if not self.api_enabled:
            return FakeResponse(500, NULL_REFERENCE)
        if key != self.api_key:
            return FakeResponse(404, None)
        if token != self.api_token:
            return FakeResponse(200, {"result": {"authenticated": False, "message": "Invalid"}})
        self.logins += 1
        now = self.clock.time()
        exp = int(now + self.token_lifetime)
        access = ".".join(
            [_b64({"alg": "RS256", "typ": "JWT"}), _b64({"exp": exp, "n": self.logins}), "sig"]
        )
        self.tokens[access] = exp
        created = datetime.fromtimestamp(now, SAO_PAULO)
        body = {
            "authenticated": True,
            "created": _local(created),
            "expiration": _local(created + timedelta(seconds=self.token_lifetime)),
            "accessToken": access,
            "message": "OK",
        }
        return FakeResponse(200, {"result": body})

    # -- routes ---------------------------------------------------------------------------

    @route("GET", "/v2/{coll}")
    def _get_collection(self, request: FakeRequest, coll: str) -> FakeResponse:
        name = coll.lower()
        if name == "login":
            return self._login(request.arg("apiKey"), request.arg("apiToken"))
        return self._list(request, name, list(self._records(name)))

    @route("POST", "/v2/{coll}")
    def _post_collection(self, request: FakeRequest, coll: str) -> FakeResponse:
        name = coll.lower()
        body = request.json()
        if name == "login":
            body = body if isinstance(body, dict) else {}
            return self._login(body.get("apiKey"), body.get("apiToken"))
        record = self._new_record(name, self._object(body))
        return FakeResponse(201, {"result": _public(record)})

    @route("PUT", "/v2/{coll}")
    def _put_collection(self, request: FakeRequest, coll: str) -> FakeResponse:
        name = coll.lower()
        body = self._object(request.json())
        existing = self._match(name, body)
        if existing is None:
            body.pop("id", None)
            record = self._new_record(name, body)
            return FakeResponse(201, {"result": _public(record)})
        body.pop("id", None)
        existing.update(self._normalise(name, body))
        self._stamp(existing, created=False)
        return FakeResponse(200, {"result": _public(existing)})

    @route("GET", "/v2/{coll}/{ident}")
    def _get_one(self, request: FakeRequest, coll: str, ident: str) -> FakeResponse:
        name = coll.lower()
        if name == "tasks" and ident.lower() == "getdeletedtasks":
            return self._list(request, "getdeletedtasks", list(self.deleted_tasks.values()))
        return FakeResponse(200, {"result": _public(self._record(name, ident))})

    @route("PATCH", "/v2/{coll}/{ident}")
    def _patch_one(self, request: FakeRequest, coll: str, ident: str) -> FakeResponse:
        name = coll.lower()
        record = self._record(name, ident)
        ops = request.json()
        if not isinstance(ops, list):
            raise HTTPFault(400, {"message": "A JSON Patch document (an array) is expected."})
        for op in ops:
            path = str(op.get("path", ""))
            if not path or path.startswith("/"):
                raise HTTPFault(400, {"message": f"The path '{path}' is not valid."})
            key = find_key(record, path) or path
            if name == "customers" and path.lower() == "name":
                key = "description"
            if op.get("op") == "remove":
                record.pop(key, None)
            elif op.get("op") in ("replace", "add"):
                record[key] = op.get("value")
            else:
                raise HTTPFault(400, {"message": f"Operation '{op.get('op')}' is not supported."})
        self._stamp(record, created=False)
        return FakeResponse(200, {"result": _public(record)})

    @route("PUT", "/v2/{coll}/{ident}")
    def _put_one(self, request: FakeRequest, coll: str, ident: str) -> FakeResponse:
        if coll.lower() == "products" and ident == "employee-product-stock":
            body = self._object(request.json())
            product = self._record("products", str(body.get("productId") or body.get("ProductId")))
            stock = product.setdefault("employeesStock", [])
            user = body.get("userId") or body.get("UserId")
            entry = next((s for s in stock if s.get("userId") == user), None)
            if entry is None:
                stock.append({"id": next(self._ids), "userId": user, "amount": body["amount"]})
            else:
                entry["amount"] = body["amount"]
            return FakeResponse(204, None)
        raise HTTPFault(405, {"message": "method not allowed"})

    @route("DELETE", "/v2/{coll}/{ident}")
    def _delete_one(self, request: FakeRequest, coll: str, ident: str) -> FakeResponse:
        name = coll.lower()
        record = self._record(name, ident)
        del self.data[name][str(record[ID_KEYS[name]])]
        if name == "tasks":
            self.deleted_tasks[ident] = record
        return FakeResponse(204, None)

    @route("GET", "/v2/{coll}/{ident}/{sub}")
    def _get_sub(self, request: FakeRequest, coll: str, ident: str, sub: str) -> FakeResponse:
        name, sub = coll.lower(), sub.lower()
        if name == "customergroups" and sub == "clients":
            group = int(self._record(name, ident)["id"])
            members = [c for c in self._records("customers") if group in (c.get("groupsId") or [])]
            return FakeResponse(200, {"result": {"entityList": [_public(c) for c in members]}})
        if name == "teams" and sub == "users":
            team = self._record(name, ident)
            users = [u for u in self._records("users") if u.get("name") in team["teamUsers"]]
            rows = [
                {k: u.get(k) for k in ("userId", "externalId", "name", "jobPosition")}
                for u in users
            ]
            return self._list(request, "teamusers", rows)
        raise HTTPFault(404, None)

    @route("PUT", "/v2/{coll}/{ident}/{sub}")
    def _put_sub(self, request: FakeRequest, coll: str, ident: str, sub: str) -> FakeResponse:
        name, sub = coll.lower(), sub.lower()
        target = "customers" if name == "customer" else name
        record = self._record(target, ident)
        body = self._object(request.json())
        if sub == "attachments":
            files = body.get("attachments") or []
            key = "attachments" if target == "tasks" else "uriAnexos"
            if body.get("removeAllAttachmentsInsertedByMe"):
                record[key] = []
            for item in files:
                url = f"https://files.example/{quote(str(item.get('name')))}"
                if target == "tasks":
                    record.setdefault(key, []).append({"id": str(next(self._ids)), "url": url})
                else:
                    record.setdefault(key, []).append(url)
            return FakeResponse(200, {"result": _public(record)})
        if target == "tasks" and sub in ("products", "services", "additional-costs"):
            self._upsert_items(record, sub, body)
            self._stamp(record, created=False)
            return FakeResponse(200, {"result": _public(record)})
        raise HTTPFault(404, None)

    @route("DELETE", "/v2/{coll}/{ident}/{sub}")
    def _delete_sub(self, request: FakeRequest, coll: str, ident: str, sub: str) -> FakeResponse:
        record = self._record(coll.lower(), ident)
        ids = request.json()
        if not isinstance(ids, list):
            raise HTTPFault(400, {"message": "An array of ids is expected."})
        key, id_key = _ITEM_KEYS[sub.lower()][1:]
        record[key] = [i for i in record.get(key) or [] if i.get(id_key) not in ids]
        return FakeResponse(204, None)

    # -- internals ------------------------------------------------------------------------

    @staticmethod
    def _object(body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise HTTPFault(400, {"message": "A JSON object is expected."})
        return body

    def _records(self, name: str) -> list[dict[str, Any]]:
        if name not in self.data:
            raise HTTPFault(404, None)
        return list(self.data[name].values())

    def _record(self, name: str, ident: str) -> dict[str, Any]:
        if name not in self.data:
            raise HTTPFault(404, None)
        if name not in TEXT_IDS and not ident.lstrip("-").isdigit():
            raise HTTPFault(400, {"id": [f"The value '{ident}' is not valid."]})
        record = self.data[name].get(ident)
        if record is None:
            raise HTTPFault(404, None)
        return record

    def _normalise(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        body = copy.deepcopy(body)
        if name == "customers" and "name" in body:
            body["description"] = body.pop("name")
        if name == "webhooks" and "targetUrl" in body:
            body["urlResponse"] = body.pop("targetUrl")
        if name == "tasks":
            for sub, (source, _, _) in _ITEM_KEYS.items():
                if source in body:
                    items = body.pop(source)
                    self._upsert_items(body, sub, {source: items})
        return body

    def _new_record(self, name: str, body: dict[str, Any]) -> dict[str, Any]:
        if name not in self.data:
            raise HTTPFault(404, None)
        record = self._normalise(name, body)
        record.pop(ID_KEYS[name], None)
        if name == "tasks":
            record.setdefault("taskStatus", 1)
            record.setdefault("finished", False)
        if name == "products":
            record.setdefault("productId", str(uuid.uuid4()))
        if name == "webhooks":
            record.setdefault("userId", 1)
        self._stamp(record, created=True)
        return self.add(name, record)

    def _match(self, name: str, body: dict[str, Any]) -> dict[str, Any] | None:
        ident = body.get("id") or body.get(ID_KEYS.get(name, "id"))
        if ident is not None and str(ident) in self.data.get(name, {}):
            return self.data[name][str(ident)]
        external = body.get("externalId")
        if external:
            for record in self._records(name):
                if str(record.get("externalId")) == str(external):
                    return record
        return None

    def _upsert_items(self, record: dict[str, Any], sub: str, body: dict[str, Any]) -> None:
        source, key, id_key = _ITEM_KEYS[sub]
        items = record.setdefault(key, [])
        for raw in body.get(source) or []:
            item = {k[:1].lower() + k[1:]: v for k, v in raw.items()}
            ident = item.get(id_key) or item.get("serviceId")
            quantity = float(item.get("quantity") or 1)
            value = float(item.get("value") or 0)
            row = {id_key: ident, "name": f"item {ident}", "quantity": quantity}
            row.update({"unitaryValue": value, "totalValue": round(quantity * value, 2)})
            items[:] = [i for i in items if i.get(id_key) != ident] + [row]

    def _list(self, request: FakeRequest, name: str, records: list[dict[str, Any]]) -> FakeResponse:
        raw = request.arg("paramFilter")
        if raw in (None, "") and name in FILTER_ALWAYS:
            raise HTTPFault(400, FILTER_REQUIRED)
        try:
            filters = json.loads(raw) if raw else {}
        except ValueError:
            raise HTTPFault(400, {"paramFilter": ["The value is not valid JSON."]}) from None
        if not isinstance(filters, dict):
            raise HTTPFault(400, {"paramFilter": ["The value must be a JSON object."]})
        missing = missing_required(name, filters)
        if missing:
            verb = "is" if len(missing) == 1 else "are"
            raise HTTPFault(400, {"message": f"{' and '.join(missing)} {verb} required."})
        page = int(request.arg("page") or 1)
        size = int(request.arg("pageSize") or 10)
        keep = selector(name, filters, self.data)
        matching = [r for r in records if keep(r)]
        if (request.arg("order") or "asc").lower() in ("desc", "1"):
            matching.reverse()
        chunk = matching[(page - 1) * size : page * size]
        total = 0 if name == "tasktypes" else len(matching)  # Auvo's quirk, kept
        href = f"{PUBLIC_BASE}{request.path}?Page={{}}&PageSize={size}&Order=Asc"
        links = [{"href": href.format(page), "rel": "self", "method": "GET"}]
        if page * size < len(matching):
            links.append({"href": href.format(page + 1), "rel": "nextPage", "method": "GET"})
        body = {
            "entityList": [_public(r) for r in chunk],
            "pagedSearchReturnData": {
                "order": 0,
                "pageSize": size,
                "page": page,
                "totalItems": total,
            },
            "links": links,
        }
        return FakeResponse(200, {"result": body})


_ITEM_KEYS = {
    "products": ("taskProducts", "products", "productId"),
    "services": ("taskServices", "services", "id"),
    "additional-costs": ("taskAdditionalCosts", "additionalCosts", "additionalCostId"),
}
