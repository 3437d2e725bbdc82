"""Keep secrets out of logs, reprs and exception messages."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

MASK = "***"

SECRET_WORDS = (
    "token",
    "secret",
    "password",
    "apikey",
    "api_key",
    "api-key",
    "authorization",
    "credential",
    "code",
    "signature",
    "cookie",
)

_JSON_SECRET = re.compile(
    r'("(?:[A-Za-z_\-]*(?:token|secret|password|apikey|api_key|authorization|code)'
    r'[A-Za-z_\-]*)"\s*:\s*)"[^"]*"',
    re.IGNORECASE,
)
# Form bodies, and query strings quoted inside messages ("...?apiKey=...&apiToken=...").
_FORM_SECRET = re.compile(
    r"((?:^|[?&;\s])[A-Za-z_\-]*(?:token|secret|password|apikey|api_key|code)[A-Za-z_\-]*=)"
    r"[^&\s\"']*",
    re.IGNORECASE,
)

# A bearer credential quoted in a message ("Authorization: Bearer eyJ...").
_BEARER = re.compile(r"(\bBearer\s+)[A-Za-z0-9._~+/=\-]+", re.IGNORECASE)


def is_secret_name(name: str) -> bool:
    lowered = name.lower().replace("-", "").replace("_", "")
    return any(word.replace("-", "").replace("_", "") in lowered for word in SECRET_WORDS)


def mask(secret: str | None) -> str:
    """A hint of which secret this is, never enough to use it."""
    if not secret:
        return "<unset>"
    return f"{secret[:2]}{MASK}" if len(secret) > 12 else MASK


def redact_url(url: str) -> str:
    parts = urlsplit(url)
    if not parts.query and "@" not in parts.netloc:
        return url
    query = urlencode(
        [(k, MASK if is_secret_name(k) else v) for k, v in parse_qsl(parts.query, True)],
        safe="*",
    )
    netloc = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def redact_headers(headers: Iterable[tuple[str, str]] | Mapping[str, str]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {k: (MASK if is_secret_name(k) else v) for k, v in items}


def redact_text(text: str, secrets: Iterable[str] = ()) -> str:
    """Mask JSON and form fields that look secret, and any known secret value verbatim."""
    text = _JSON_SECRET.sub(rf'\1"{MASK}"', text)
    text = _FORM_SECRET.sub(rf"\1{MASK}", text)
    text = _BEARER.sub(rf"\1{MASK}", text)
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, MASK)
    return text
