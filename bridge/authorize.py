"""``python -m bridge authorize``: the OAuth dance, once per account, for an ERP whose kind
has an authorisation flow (``ErpKind.authorization``).

A callback server listens on the configured ``erp.redirect_uri`` (``127.0.0.1`` only); the
account owner opens the ERP's authorization page and approves; the ERP redirects the browser
to the callback with a short-lived ``code`` and the ``state`` sent. A redirect whose state does
not match is refused (and the server keeps waiting for the real one); the code is exchanged
for tokens, which are saved to ``erp.token_file`` (a ``FileTokenStore``: 0600, atomic).
"""

from __future__ import annotations

import hmac
import html
import queue
import secrets
import threading
import webbrowser
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit

from sdkcore.auth import FileTokenStore, TokenSet
from sdkcore.transport import BaseTransport

from .config import BridgeConfig
from .erp.registry import erp_kinds
from .errors import ConfigError

__all__ = ["AuthorizationFailed", "authorize"]


class AuthorizationFailed(RuntimeError):
    """The owner denied access, or no valid redirect came in time."""


_PAGE = (
    "<!doctype html><meta charset='utf-8'><title>ponte bridge</title>"
    "<body style='font-family:sans-serif'><h1>{title}</h1><p>{text}</p></body>"
)


def _handler(path: str, state: str, title: str, results: queue.Queue[tuple[str, str]]) -> type[Any]:
    class Callback(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path != path:
                self._answer(404, "Not found", "This is the bridge's OAuth callback.")
                return
            query = {k: v[0] for k, v in parse_qs(url.query).items()}
            if not hmac.compare_digest(query.get("state", "").encode(), state.encode()):
                # A stale or forged redirect: refuse it, and keep waiting for the real one.
                self._answer(400, "Refused", "The state does not match this authorization.")
                return
            if "error" in query:
                self._answer(400, "Not authorized", f"{title} answered {query['error']!r}.")
                results.put(("error", query.get("error_description") or query["error"]))
                return
            if not query.get("code"):
                self._answer(400, "Refused", "The redirect carries no code.")
                return
            self._answer(200, "Authorized", "The bridge has the code; you can close this tab.")
            results.put(("code", query["code"]))

        def _answer(self, status: int, title: str, text: str) -> None:
            body = _PAGE.format(title=html.escape(title), text=html.escape(text)).encode()
            self.send_response(status)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # the query holds the code: keep it out of the terminal

    return Callback


def _say(text: str) -> None:
    # Flushed: a script reads the URL from a pipe or a file while the callback waits.
    print(text, flush=True)


def authorize(
    config: BridgeConfig,
    *,
    browser: Callable[[str], object] | None = webbrowser.open,
    announce: Callable[[str], object] = _say,
    timeout: float = 300.0,
    transport: BaseTransport | None = None,
) -> TokenSet:
    """Run the authorization for ``config``'s ERP app and save the tokens; returns them.

    ``browser`` opens the authorization URL (``None``: only ``announce`` it, for a browser
    on another machine); ``transport`` is the httpx transport of the code exchange (tests)."""
    erp = config.erp_kind
    if erp.authorization is None:
        oauth_kinds = [k.name for k in erp_kinds() if k.authorization is not None]
        raise ConfigError(
            "erp.kind",
            f"authorize is for {' and '.join(oauth_kinds)}; this config's ERP is {config.erp}",
        )
    app = erp.authorization(config.erp_settings, config.erp_base_url)
    wanted = urlsplit(app.redirect_uri)
    results: queue.Queue[tuple[str, str]] = queue.Queue()
    state = secrets.token_urlsafe(24)
    handler = _handler(wanted.path or "/", state, erp.title, results)
    try:
        # Port 0 (tests) picks a free one; none written is http's 80.
        listen = 80 if wanted.port is None else wanted.port
        server = ThreadingHTTPServer(("127.0.0.1", listen), handler)
    except OSError as exc:
        raise ConfigError(
            "erp.redirect_uri", f"cannot listen on 127.0.0.1:{listen}: {exc.strerror}"
        ) from None
    port = server.server_address[1]
    netloc = f"{wanted.hostname}:{port}"
    redirect_uri = urlunsplit(("http", netloc, wanted.path or "/", "", ""))
    grant = app.grant(redirect_uri, transport)
    url, _ = grant.authorization_url(state)
    thread = threading.Thread(target=server.serve_forever, name="bridge-oauth", daemon=True)
    thread.start()
    try:
        announce(f"Open this page and authorize the app:\n{url}")
        announce(f"Waiting for {erp.title}'s redirect to {redirect_uri} ...")
        if browser is not None:
            browser(url)
        try:
            kind, value = results.get(timeout=timeout)
        except queue.Empty:
            raise AuthorizationFailed(
                f"no authorization arrived in {timeout:.0f} s; run authorize again"
            ) from None
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    if kind == "error":
        raise AuthorizationFailed(f"{erp.title} did not authorize the app: {value}")
    store = FileTokenStore(app.token_file)
    tokens = grant.exchange_code(value, state=state, expected_state=state, store=store)
    announce(f"Tokens saved to {app.token_file}")
    return tokens
