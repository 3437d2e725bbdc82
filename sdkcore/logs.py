"""Package loggers, and ``PONTE_LOG=debug`` request logging."""

from __future__ import annotations

import logging
import os

_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
_configured: set[str] = set()


def get_logger(package: str) -> logging.Logger:
    """The package's logger, wired to stderr once when ``PONTE_LOG`` asks for it."""
    logger = logging.getLogger(package)
    level = _LEVELS.get(os.environ.get("PONTE_LOG", "").strip().lower())
    if level is not None and package not in _configured:
        _configured.add(package)
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
    return logger
