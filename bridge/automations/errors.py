"""``AutomationError``: a declaration the bridge refuses, naming the automation, where in it
and why; a ``ConfigError``, so the CLI prints it as one ``error:`` line."""

from __future__ import annotations

from ..errors import ConfigError

__all__ = ["AutomationError", "TemplateError"]


class AutomationError(ConfigError):
    """``automation 'NAME': WHERE: REASON``. A part built alone (a ``Condition``) raises
    it without a name; the ``Automation`` it goes into raises it again with its own."""

    def __init__(self, name: str | None, where: str, reason: str) -> None:
        setting = "automation" if name is None else f"automation {name!r}"
        super().__init__(setting, f"{where}: {reason}" if where else reason)
        self.name = name
        self.where = where
        self.reason = reason

    def within(self, name: str | None, where: str) -> AutomationError:
        """The same error, ``where`` further out (``filters.all[2]`` around ``op``)."""
        if where and self.where:
            inner = where + ("" if self.where.startswith("[") else ".") + self.where
        else:
            inner = where or self.where
        return AutomationError(name if self.name is None else self.name, inner, self.reason)


class TemplateError(ValueError):
    """A template that cannot render this record (a date transform on text that is no date,
    money on text that is no amount): the action fails with this reason, as any failed
    write does, and the record is not acted on."""
