"""``python -m contaazul.v2.testing serve [--port N] [--seed N] [--env]``: FakeContaAzul
over HTTP on 127.0.0.1 (the API and its OAuth server on one port), printing its base URL,
OAuth app and access token in the line every package's fake prints."""

from __future__ import annotations

import sys

from sdkcore.testing import FakeAPI
from sdkcore.testing.server import ServedFake, serve_fake_main

from .._client import ACCESS_TOKEN_ENV, BASE_URL_ENV
from ..oauth import CLIENT_ID_ENV, CLIENT_SECRET_ENV
from ._fake import FakeContaAzul


def _make(seed: int) -> FakeAPI:
    return FakeContaAzul(seed=seed)


def _credentials(fake: FakeAPI) -> dict[str, str]:
    assert isinstance(fake, FakeContaAzul)
    return {
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "access_token": fake.access_token,
    }


SERVED = ServedFake(
    package="contaazul.v2",
    make=_make,
    api_path="",
    credentials=_credentials,
    variables={
        "base_url": BASE_URL_ENV,
        "client_id": CLIENT_ID_ENV,
        "client_secret": CLIENT_SECRET_ENV,
        "access_token": ACCESS_TOKEN_ENV,
    },
)


def main(argv: list[str] | None = None) -> int:
    return serve_fake_main(SERVED, argv)


if __name__ == "__main__":
    sys.exit(main())
