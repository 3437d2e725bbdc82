"""sdkcore.testing: the routing core of fakes, scripted faults, the transport and the server."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from sdkcore import APIConnectionError, FakeClock, NotFoundError, ServerError
from sdkcore.testing import (
    FakeAPI,
    FakeRequest,
    FakeResponse,
    FakeServer,
    Fault,
    HTTPFault,
    route,
    serve_main,
)

Make = Callable[..., Any]


class ThingsFake(FakeAPI):
    """A tiny stateful API: things with parts."""

    def __init__(self) -> None:
        super().__init__()
        self.things: dict[int, dict[str, Any]] = {1: {"id": 1, "name": "first"}}

    def authenticate(self, request: FakeRequest) -> FakeResponse | None:
        if request.header("X-Key") == "wrong":
            return FakeResponse(401, {"message": "bad key"})
        return None

    @route("GET", "/things")
    def list_things(self, request: FakeRequest) -> FakeResponse:
        name = request.arg("name")
        items = [t for t in self.things.values() if name is None or t["name"] == name]
        return FakeResponse(200, items)

    @route("POST", "/things")
    def create_thing(self, request: FakeRequest) -> FakeResponse:
        body = request.json()
        if not body or not body.get("name"):
            raise HTTPFault(422, {"errors": [{"field": "name", "message": "required"}]})
        new_id = max(self.things) + 1
        self.things[new_id] = {"id": new_id, **body}
        return FakeResponse(201, self.things[new_id], {"Location": f"/things/{new_id}"})

    @route("GET", "/things/{thing_id}")
    def get_thing(self, request: FakeRequest, thing_id: str) -> FakeResponse:
        thing = self.things.get(int(thing_id))
        if thing is None:
            raise HTTPFault(404, {"message": f"no thing {thing_id}"}, {"X-Request-Id": "r-1"})
        return FakeResponse(200, thing)

    @route("DELETE", "/things/{thing_id}")
    def delete_thing(self, request: FakeRequest, thing_id: str) -> FakeResponse:
        self.things.pop(int(thing_id), None)
        return FakeResponse(204)

    @route("GET", "/things/{thing_id}/parts/{part}")
    def get_part(self, request: FakeRequest, thing_id: str, part: str) -> FakeResponse:
        return FakeResponse(200, {"thing": thing_id, "part": part})

    @route("GET", "/export")
    def export(self, request: FakeRequest) -> FakeResponse:
        return FakeResponse(200, raw=b"a;b\n1;2\n", headers={"Content-Type": "text/csv"})


def fake_request(method: str, path: str, body: bytes = b"", **query: list[str]) -> FakeRequest:
    return FakeRequest(method, path, query, {"x-key": "ok"}, body)


def test_routing_passes_path_params() -> None:
    fake = ThingsFake()
    assert fake.handle(fake_request("GET", "/things/1")).body == {"id": 1, "name": "first"}
    assert fake.handle(fake_request("GET", "/things/1/")).status == 200
    part = fake.handle(fake_request("GET", "/things/7/parts/wheel"))
    assert part.body == {"thing": "7", "part": "wheel"}


def test_unknown_paths_are_404_and_wrong_methods_405() -> None:
    fake = ThingsFake()
    assert fake.handle(fake_request("GET", "/nothing")).status == 404
    assert fake.handle(fake_request("GET", "/things/1/extra")).status == 404
    response = fake.handle(fake_request("PATCH", "/things/1"))
    assert response.status == 405
    assert response.body == {"message": "method not allowed"}


def test_http_faults_and_authentication() -> None:
    fake = ThingsFake()
    missing = fake.handle(fake_request("GET", "/things/99"))
    assert (missing.status, missing.body) == (404, {"message": "no thing 99"})
    assert missing.headers == {"X-Request-Id": "r-1"}
    denied = fake.handle(FakeRequest("GET", "/things", {}, {"x-key": "wrong"}))
    assert denied.status == 401


def test_fake_request_helpers() -> None:
    request = FakeRequest("GET", "/x", {"a": ["1", "2"]}, {"x-key": "k"}, b' {"b": 1} ')
    assert request.arg("a") == "1"
    assert request.arg("missing", "d") == "d"
    assert request.header("X-KEY") == "k"
    assert request.header("nope") is None
    assert request.json() == {"b": 1}
    assert FakeRequest("GET", "/", {}, {}).json() is None


def test_fake_response_content_and_headers() -> None:
    assert FakeResponse(204).content() == b""
    assert FakeResponse(204).all_headers() == {}
    assert FakeResponse(200, {"a": "ç"}).content() == '{"a":"ç"}'.encode()
    assert FakeResponse(200, {"a": 1}).all_headers()["Content-Type"].startswith("application/json")
    raw = FakeResponse(200, raw=b"<html>", headers={"Content-Type": "text/html"})
    assert raw.content() == b"<html>"
    assert raw.all_headers() == {"Content-Type": "text/html"}


def test_scripted_faults_match_method_and_path_and_count() -> None:
    fake = ThingsFake()
    fake.fail_next(Fault(status=503, method="POST"), times=2)
    fake.fail_next(Fault(status=429, headers={"Retry-After": "1"}, path_prefix="/export"))
    assert fake.handle(fake_request("GET", "/things")).status == 200
    assert fake.handle(fake_request("POST", "/things", b'{"name":"a"}')).status == 503
    assert fake.handle(fake_request("GET", "/things/1")).status == 200
    throttled = fake.handle(fake_request("GET", "/export"))
    assert (throttled.status, throttled.headers) == (429, {"Retry-After": "1"})
    assert fake.handle(fake_request("POST", "/things", b'{"name":"a"}')).status == 503
    assert fake.handle(fake_request("POST", "/things", b'{"name":"a"}')).status == 201
    assert fake.handle(fake_request("GET", "/export")).status == 200
    assert len(fake.requests) == 7


def test_a_fault_can_drop_the_connection_or_send_garbage() -> None:
    fake = ThingsFake()
    fake.fail_next(Fault(exception=httpx.ReadError("connection reset")))
    fake.fail_next(Fault(status=200, raw=b"<html>"))
    with pytest.raises(httpx.ReadError):
        fake.handle(fake_request("GET", "/things"))
    assert fake.handle(fake_request("GET", "/things")).content() == b"<html>"
    assert Fault().matches(fake_request("DELETE", "/anything"))
    assert fake.handle(fake_request("GET", "/things")).status == 200


def test_the_transport_serves_sync_and_async_httpx_clients() -> None:
    fake = ThingsFake()
    with httpx.Client(transport=fake.transport, base_url="https://fake.test") as http:
        created = http.post("/things", json={"name": "second"})
        assert created.status_code == 201
        assert created.headers["location"] == "/things/2"
        assert http.get("/things", params={"name": "second"}).json() == [
            {"id": 2, "name": "second"}
        ]
        assert http.get("/export").text == "a;b\n1;2\n"

    async def use() -> list[Any]:
        async with httpx.AsyncClient(transport=fake.transport, base_url="https://f.test") as h:
            return [(await h.get("/things/2")).json(), (await h.delete("/things/2")).status_code]

    assert asyncio.run(use()) == [{"id": 2, "name": "second"}, 204]
    assert fake.requests[0].headers["content-type"] == "application/json"
    assert fake.requests[1].query == {"name": ["second"]}


def test_sdk_clients_over_the_fake_see_faults_as_errors(
    make_client: Make, clock: FakeClock
) -> None:
    fake = ThingsFake()
    fake.fail_next(Fault(status=503), times=1)
    fake.fail_next(Fault(exception=httpx.ConnectError("refused")))
    api = make_client(fake.transport)
    assert api.request("GET", "/things/1") == {"id": 1, "name": "first"}
    assert len(fake.requests) == 3  # 503, refused, then the answer
    with pytest.raises(NotFoundError) as info:
        api.request("GET", "/things/42")
    assert info.value.request_id == "r-1"
    fake.fail_next(Fault(status=500), times=3)
    with pytest.raises(ServerError):
        api.request("GET", "/things/1")
    fake.fail_next(Fault(exception=httpx.ReadError("reset")))
    with pytest.raises(APIConnectionError):
        api.request("POST", "/things", json={"name": "x"})


def test_fake_server_answers_real_http_on_loopback() -> None:
    fake = ThingsFake()
    with FakeServer(fake) as server:
        assert server.url.startswith("http://127.0.0.1:")
        assert not server.url.endswith(":0")
        with httpx.Client(base_url=server.url, timeout=5) as http:
            assert http.get("/things/1").json() == {"id": 1, "name": "first"}
            created = http.post("/things", json={"name": "over http"})
            assert created.status_code == 201
            assert http.get("/nope").status_code == 404
            assert http.delete("/things/2").status_code == 204
            assert http.get("/export").headers["content-type"] == "text/csv"
    assert [r.method for r in fake.requests] == ["GET", "POST", "GET", "DELETE", "GET"]
    assert fake.requests[1].json() == {"name": "over http"}


def test_the_sdk_client_talks_to_the_fake_server(client_cls: type, is_async: bool) -> None:
    fake = ThingsFake()
    expected = [{"id": 1, "name": "first"}]

    async def use_async(url: str) -> Any:
        async with client_cls(base_url=url) as client:
            return await client.request("GET", "/things", params={"name": "first"})

    with FakeServer(fake) as server:
        if is_async:
            assert asyncio.run(use_async(server.url)) == expected
        else:
            with client_cls(base_url=server.url) as client:
                assert client.request("GET", "/things", params={"name": "first"}) == expected
    assert fake.requests[0].headers["user-agent"].startswith("ponte-sdk/")


def _ipv6_loopback() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.skipif(not _ipv6_loopback(), reason="no IPv6 loopback on this machine")
def test_fake_server_on_ipv6_loopback() -> None:
    with FakeServer(ThingsFake(), host="::1") as server:
        assert server.url.startswith("http://[::1]:")
        assert httpx.get(f"{server.url}/things/1", timeout=5).status_code == 200


def test_fake_server_refuses_other_hosts_and_stops_when_never_started() -> None:
    with pytest.raises(ValueError, match="loopback"):
        FakeServer(ThingsFake(), host="0.0.0.0")
    server = FakeServer(FakeAPI())
    stopper = threading.Thread(target=server.stop, daemon=True)
    stopper.start()
    stopper.join(timeout=5)
    assert not stopper.is_alive(), "stop() of a server that never started hung"
    bare = FakeAPI()  # no routes, no authentication
    assert bare.handle(fake_request("GET", "/")).status == 404


def test_serve_main(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    seen: list[int] = []

    def serve_briefly(self: FakeServer) -> None:
        # Serve for one real request, then stop as Ctrl-C would.
        self.start()
        seen.append(httpx.get(f"{self.url}/things/1", timeout=5).status_code)
        raise KeyboardInterrupt

    monkeypatch.setattr(FakeServer, "serve_forever", serve_briefly)
    code = serve_main(
        ThingsFake, lambda fake: f"{len(fake.requests)} requests", ["serve", "--port", "0"]
    )
    assert code == 0
    assert seen == [200]
    out = capsys.readouterr().out
    assert out.startswith("serving on http://127.0.0.1:")
    assert "0 requests" in out
    with pytest.raises(SystemExit):
        serve_main(ThingsFake, str, [])


def test_a_handler_that_raises_answers_500_naming_itself_and_the_exception() -> None:
    fake = ThingsFake()
    answer = fake.handle(fake_request("GET", "/things/not-a-number"))
    assert answer.status == 500
    assert answer.body["handler"] == "ThingsFake.get_thing"
    assert answer.body["exception"] == "ValueError"
    assert "ThingsFake.get_thing raised ValueError" in answer.body["message"]
    assert [type(error) for error in fake.handler_errors] == [ValueError]
    assert fake.handle(fake_request("GET", "/things/1")).status == 200  # the fake goes on


def test_over_the_transport_a_handler_bug_is_a_status_not_a_traceback() -> None:
    fake = ThingsFake()
    with httpx.Client(transport=fake.transport, base_url="https://fake.test") as http:
        answer = http.get("/things/x")
    assert answer.status_code == 500
    assert answer.json()["exception"] == "ValueError"


def test_a_handler_may_still_drop_the_connection_on_purpose() -> None:
    class Dropping(FakeAPI):
        @route("GET", "/drop")
        def drop(self, request: FakeRequest) -> FakeResponse:
            raise httpx.ReadError("the server hung up")

    fake = Dropping()
    with pytest.raises(httpx.ReadError):
        fake.handle(fake_request("GET", "/drop"))
    assert fake.handler_errors == []


def test_routes_lists_every_route_as_written() -> None:
    assert ("GET", "/things/{thing_id}/parts/{part}") in ThingsFake().routes()
    assert len(ThingsFake().routes()) == 6
