"""Package loggers, ``PONTE_LOG=debug`` request logging, and the filter that keeps
credentials out of every log record of the SDK, httpx and httpcore."""

from __future__ import annotations

import logging
import os
from typing import TextIO

from .errors import SDKError
from .redact import redact_text

LOG_LEVEL_VARIABLE = "PONTE_LOG"
LOG_LEVELS = {"debug": logging.DEBUG, "info": logging.INFO, "warning": logging.WARNING}
"""The values ``PONTE_LOG`` accepts (any case, spaces around ignored); unset or empty is off."""
_configured: set[str] = set()

FILTERED_NAMESPACES = ("httpx", "httpcore", "sdkcore", "auvo", "contaazul", "bling", "bridge")
"""Loggers (with their children) whose records are redacted: httpx logs every URL at INFO
(Auvo's login carries its key and token in the query) and httpcore logs headers at DEBUG."""
_HTTPCORE_CHILDREN = ("connection", "http11", "http2", "proxy", "socks")


class SecretFilter(logging.Filter):
    """Rewrites a record's message (and traceback) with its secrets masked; drops nothing.

    A logger's filters see only the records logged on that very logger, not those of its
    children, so ``install_log_filter`` attaches this to each logger by name.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: logging reports it itself, later
            return True
        masked = redact_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = redact_text(logging.Formatter().formatException(record.exc_info))
        elif record.exc_text:
            record.exc_text = redact_text(record.exc_text)
        if record.stack_info:
            record.stack_info = redact_text(record.stack_info)
        return True


SECRET_FILTER = SecretFilter()


def install_log_filter(*packages: str) -> None:
    """Attach ``SECRET_FILTER`` to the loggers of httpx, httpcore, the SDK's packages and
    ``packages``, and to every child logger of theirs that exists by now. Idempotent and
    cheap; called when a client package is imported and each time a client is built."""
    namespaces = (*FILTERED_NAMESPACES, *packages)
    names = {*namespaces, *(f"httpcore.{child}" for child in _HTTPCORE_CHILDREN)}
    prefixes = tuple(f"{namespace}." for namespace in namespaces)
    names.update(
        name for name in list(logging.root.manager.loggerDict) if name.startswith(prefixes)
    )
    for name in names:
        module_logger(name)


def module_logger(name: str) -> logging.Logger:
    """``logging.getLogger(name)`` with ``SECRET_FILTER`` attached, for a module's own logger.

    ``install_log_filter`` reaches only the loggers that exist when it runs, and a parent's
    filter never sees a child's records: a module imported later (``bridge.cli`` imports
    ``bridge.webhook_listener`` after ``bridge`` installed the filter) would log unfiltered.
    """
    logger = logging.getLogger(name)
    if SECRET_FILTER not in logger.filters:
        logger.addFilter(SECRET_FILTER)
    return logger


class LogLevelError(SDKError, ValueError):
    """``PONTE_LOG`` holds something that is not a level: raised when a client is built,
    rather than logging at a level the user did not ask for, or not at all."""


def level_from_environment() -> int | None:
    """The level ``PONTE_LOG`` asks for, None when it is unset or empty.

    Raises ``LogLevelError`` naming the variable and the accepted values for anything else.
    """
    value = os.environ.get(LOG_LEVEL_VARIABLE, "")
    name = value.strip().lower()
    if not name:
        return None
    if name not in LOG_LEVELS:
        accepted = ", ".join(LOG_LEVELS)
        raise LogLevelError(
            f"{LOG_LEVEL_VARIABLE}={value!r} is not a log level: "
            f"use one of {accepted}, or leave it unset"
        )
    return LOG_LEVELS[name]


class FallbackStderrHandler(logging.StreamHandler[TextIO]):
    """``PONTE_LOG``'s handler: writes a record to stderr only when no handler of the
    application will, so a program that configured logging (``logging.basicConfig``, the
    bridge CLI) shows each line once, in its own format, whether it did so before or after
    the client was built. Decided per record, as ``logging.lastResort`` is."""

    def emit(self, record: logging.LogRecord) -> None:
        if not _reaches_another_handler(record, self):
            super().emit(record)


def _reaches_another_handler(record: logging.LogRecord, own: logging.Handler) -> bool:
    """Whether a handler besides ``own`` (a ``NullHandler`` prints nothing) will take
    ``record`` as it propagates from its logger to the root."""
    logger: logging.Logger | None = logging.getLogger(record.name)
    while logger is not None:
        for handler in logger.handlers:
            if handler is own or isinstance(handler, logging.NullHandler):
                continue
            if record.levelno >= handler.level:
                return True
        logger = logger.parent if logger.propagate else None
    return False


def get_logger(package: str) -> logging.Logger:
    """The package's logger, at the level ``PONTE_LOG`` asks for (once per package) and with
    a stderr handler for the records no handler of the application prints.

    Raises ``LogLevelError`` when ``PONTE_LOG`` is not a level it knows.
    """
    install_log_filter(package)
    logger = logging.getLogger(package)
    level = level_from_environment()
    if level is not None and package not in _configured:
        _configured.add(package)
        handler = FallbackStderrHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(level)
    return logger
