"""``ConfigError``: the one error every setting check raises, below every module that checks
one (config, the payment terms, each ERP's own settings)."""

from __future__ import annotations

__all__ = ["ConfigError"]


class ConfigError(ValueError):
    """A setting is missing or has a value the bridge does not accept."""

    def __init__(self, setting: str, message: str) -> None:
        super().__init__(f"{setting}: {message}")
        self.setting = setting
