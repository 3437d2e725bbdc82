"""``python -m auvo.testing serve [--port N] [--seed N] [--env]``: the fake Auvo over HTTP on
127.0.0.1, printing its base URL and keys in the line every package's fake prints."""

from __future__ import annotations

from sdkcore.testing import FakeAPI
from sdkcore.testing.server import ServedFake, serve_fake_main

from .._client import API_KEY_ENV, API_TOKEN_ENV, BASE_URL_ENV
from ._fake import FakeAuvo


def _make(seed: int) -> FakeAPI:
    return FakeAuvo(seed=seed)


def _credentials(fake: FakeAPI) -> dict[str, str]:
    assert isinstance(fake, FakeAuvo)
    return {"api_key": fake.api_key, "api_token": fake.api_token}


SERVED = ServedFake(
    package="auvo",
    make=_make,
    api_path="/v2",
    credentials=_credentials,
    variables={"base_url": BASE_URL_ENV, "api_key": API_KEY_ENV, "api_token": API_TOKEN_ENV},
)


def main(argv: list[str] | None = None) -> int:
    return serve_fake_main(SERVED, argv)


if __name__ == "__main__":
    raise SystemExit(main())
