"""``python -m bridge`` in a real process, on in-process fakes, for the signal tests.

Usage: ``python operations_driver.py READY MODE ERP -- <bridge arguments>``. The clients the
CLI would build from the settings are the fakes' instead (seeded as the demo is). At the
first record the pass reaches, the driver writes the file READY and then, by MODE:

- ``finish``: waits until a signal has been delivered, then lets the pass go on (so the
  bridge sees the stop request before its next record, deterministically);
- ``stall``: keeps the record in flight forever (until the test kills the process or a
  second signal stops it at once).
"""

from __future__ import annotations

import signal
import sys
import threading
import time
from pathlib import Path
from types import FrameType
from typing import Any

SAFETY_SECONDS = 120.0  # a driver that outlives this was forgotten: exit instead of hanging


def main() -> int:
    ready, mode, erp, separator, *argv = sys.argv[1:]
    assert separator == "--", sys.argv
    assert mode in ("finish", "stall"), sys.argv
    import bridge.cli
    import bridge.clients
    from auvo.testing import FakeAuvo
    from bridge.demo import seed_auvo, seed_erp

    fake_auvo = FakeAuvo(seeded_tasks=False)
    seed_auvo(fake_auvo)
    from bridge.erp.registry import erp_kind

    erp_client = erp_kind(erp).fake.make(None, False).client(rate_limiter=False)
    seed_erp(erp, erp_client)
    bridge.clients.auvo_client = lambda config: fake_auvo.client()  # type: ignore[assignment]
    bridge.clients.erp_client = lambda config: erp_client  # type: ignore[assignment]

    delivered = threading.Event()
    install = signal.signal

    def spying(signum: int, handler: Any) -> Any:
        """Install the CLI's handler, noting each delivery once the handler has run."""
        if not callable(handler):
            return install(signum, handler)

        def wrapped(number: int, frame: FrameType | None) -> None:
            try:
                handler(number, frame)
            finally:
                delivered.set()

        return install(signum, wrapped)

    signal.signal = spying  # type: ignore[assignment]

    class StallingProgress:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.calls = 0

        def __call__(self, stream: object) -> None:
            self.calls += 1
            if self.calls != 1:
                return
            Path(ready).write_text("mid-pass", encoding="utf-8")
            deadline = time.monotonic() + SAFETY_SECONDS
            while mode == "stall" or not delivered.is_set():
                if time.monotonic() > deadline:
                    sys.exit(99)
                time.sleep(0.01)

        def finish(self) -> None:
            return

    bridge.cli.ProgressLine = StallingProgress  # type: ignore[assignment,misc]
    return bridge.cli.main(argv)


if __name__ == "__main__":
    raise SystemExit(main())
