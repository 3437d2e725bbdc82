"""``python -m contaazul.testing serve --port 8080``: the fake over HTTP on 127.0.0.1."""

from __future__ import annotations

import sys

from sdkcore.testing import FakeAPI, serve_main

from ._fake import FakeContaAzul


def describe(fake: FakeAPI) -> str:
    assert isinstance(fake, FakeContaAzul)
    return (
        "Conta Azul fake: send these headers (or pass them to contaazul.ContaAzul):\n"
        f"  ExternalApplicationToken: {fake.application_token}\n"
        f"  CompanyToken: {fake.company_token}"
    )


def main(argv: list[str] | None = None) -> int:
    return serve_main(FakeContaAzul, describe, argv, prog="python -m contaazul.testing")


if __name__ == "__main__":
    sys.exit(main())
