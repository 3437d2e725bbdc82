"""The catalogue section of docs/automations.md, as ``python -m bridge automations catalogue``
prints it. ``python -m tests.bridge.automations.catalogue_doc`` rewrites the section; the
test beside it fails when the page and the models differ."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

from bridge.cli import main

PAGE = Path(__file__).resolve().parents[3] / "docs" / "automations.md"
START, END = "<!-- catalogue:start -->", "<!-- catalogue:end -->"


def catalogue_block() -> str:
    """The section's text between the markers: the CLI's listing in a text block."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        status = main(["automations", "catalogue"])
    if status != 0:
        raise RuntimeError(f"automations catalogue exited {status}")
    return f"{START}\n```text\n{printed.getvalue().rstrip()}\n```\n{END}"


def page_block(page: str) -> str:
    start, end = page.index(START), page.index(END) + len(END)
    return page[start:end]


def rewrite() -> None:
    page = PAGE.read_text(encoding="utf-8")
    PAGE.write_text(page.replace(page_block(page), catalogue_block()), encoding="utf-8")


if __name__ == "__main__":
    rewrite()
