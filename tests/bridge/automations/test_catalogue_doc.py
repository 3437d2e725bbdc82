from __future__ import annotations

from .catalogue_doc import PAGE, catalogue_block, page_block


def test_the_docs_catalogue_is_the_models_catalogue() -> None:
    page = PAGE.read_text(encoding="utf-8")
    assert page_block(page) == catalogue_block(), (
        "docs/automations.md's catalogue differs from the models: run "
        "`python -m tests.bridge.automations.catalogue_doc`"
    )
