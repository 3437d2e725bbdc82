"""``python -m auvo.testing serve --port N``: the fake Auvo over HTTP on 127.0.0.1."""

from __future__ import annotations

from sdkcore.testing import FakeAPI, serve_main

from ._fake import FakeAuvo


def _describe(fake: FakeAPI) -> str:
    assert isinstance(fake, FakeAuvo)
    return f"base URL: <url above>/v2\nAUVO_API_KEY={fake.api_key}\nAUVO_API_TOKEN={fake.api_token}"


if __name__ == "__main__":
    raise SystemExit(serve_main(FakeAuvo, _describe, prog="python -m auvo.testing"))
