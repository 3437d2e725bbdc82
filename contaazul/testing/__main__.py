"""``python -m contaazul.testing serve [--port N] [--seed N] [--env]``: the fake over HTTP on
127.0.0.1, printing its base URL and tokens in the line every package's fake prints."""

from __future__ import annotations

import sys

from sdkcore.testing import FakeAPI
from sdkcore.testing.server import ServedFake, serve_fake_main

from .._client import APPLICATION_TOKEN_ENV, BASE_URL_ENV, COMPANY_TOKEN_ENV
from ._fake import FakeContaAzul


def _make(seed: int) -> FakeAPI:
    return FakeContaAzul(seed=seed)


def _credentials(fake: FakeAPI) -> dict[str, str]:
    assert isinstance(fake, FakeContaAzul)
    return {"application_token": fake.application_token, "company_token": fake.company_token}


SERVED = ServedFake(
    package="contaazul",
    make=_make,
    api_path="",
    credentials=_credentials,
    variables={
        "base_url": BASE_URL_ENV,
        "application_token": APPLICATION_TOKEN_ENV,
        "company_token": COMPANY_TOKEN_ENV,
    },
)

describe = SERVED.describe
"""The tokens a client sends, as ``name=value`` words."""


def main(argv: list[str] | None = None) -> int:
    return serve_fake_main(SERVED, argv)


if __name__ == "__main__":
    sys.exit(main())
