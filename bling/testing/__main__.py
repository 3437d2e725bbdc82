"""``python -m bling.testing serve --port N``: FakeBling over HTTP on 127.0.0.1."""

from __future__ import annotations

from sdkcore.testing import FakeAPI, serve_main

from .fake import FakeBling


def _describe(fake: FakeAPI) -> str:
    assert isinstance(fake, FakeBling)
    return fake.describe() + "\nbase_url: <served url>/Api/v3"


def main(argv: list[str] | None = None) -> int:
    return serve_main(FakeBling, _describe, argv, prog="python -m bling.testing")


if __name__ == "__main__":
    raise SystemExit(main())
