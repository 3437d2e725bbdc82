"""Before the first stream of a pass (dry runs too): every name a setting gives is looked up
in the live systems, once, so a name that is not there stops the pass before anything is
written, with the names that are there.

The names: ``tasks.task_types`` and ``tasks.customer_group`` (when tasks are on),
``quotations.status`` (when quotations are on) and ``erp.financial_account`` (when either
sells). The streams get the ids found here and never look a name up themselves.

How a name matches, as a person reads it: exactly, once surrounding and repeated spaces are
set aside; failing that, ignoring case and accents, when that finds one name only. Two
names that differ only in case or accents ("Instalação", "INSTALACAO") must then be
written as the system writes them. Names that are the same (two task types called
"Instalação") are one name: the setting selects them all.

Auvo has no list of quotation stages: the stages its newest quotations are at (at most
``STAGE_SAMPLE`` of them, read until one matches) are the ones known to exist. A name close
to one of them (``'Aprovdo'`` for ``'Aprovado'``) is a typo: ``ConfigError``, before any
write. A name unlike any of them may be a stage no quotation has reached yet (a young
account): the quotations stream fails this pass with ``StageNotSeen``, saying so and listing
the stages seen, while the other streams run. With no quotation at all there is nothing to
compare with, nor anything to bill, and the setting is taken as it is.

A read that fails is not a setting's fault: the streams that need it fail this pass (the
others run) and the next pass reads again.
"""

from __future__ import annotations

import difflib
import itertools
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import TypeVar

import attrs

from .auvo_port import AuvoPort
from .config import BridgeConfig
from .erp.port import ErpPort
from .errors import ConfigError

__all__ = ["STAGE_SAMPLE", "NameMismatch", "Resolved", "StageNotSeen", "match_name", "resolve"]

T = TypeVar("T")

STAGE_SAMPLE = 300
"""How many of the newest quotations are read to learn the stages in use (three pages)."""
TYPO_CUTOFF = 0.8
"""How alike (``difflib`` ratio, case and accents aside) a name must be to a stage seen for
it to be taken as a misspelling of it."""


@attrs.frozen
class Resolved:
    """The configured names as the live systems' ids, for one pass; ``None`` where the
    setting is not given (or its stream is off). ``failed`` maps a stream to the read it
    needed that failed."""

    account_id: str | None = None
    task_type_ids: frozenset[int] | None = None
    customer_group_id: int | None = None
    quotation_stage: str | None = None
    failed: Mapping[str, Exception] = attrs.field(factory=dict)


class NameMismatch(LookupError):
    """No name matches, or (``candidates``) several that differ only in case or accents."""

    def __init__(self, wanted: str, candidates: Sequence[str] = ()) -> None:
        super().__init__(wanted)
        self.wanted = wanted
        self.candidates = tuple(candidates)


def _spaced(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).split())


def _loose(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", _spaced(name).casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _match(wanted: str, named: Iterable[tuple[str, T]]) -> tuple[str, list[T]]:
    """The spelling ``wanted`` means and the values of every entry so named."""
    entries = list(named)
    for key in (_spaced, _loose):
        found = [(name, value) for name, value in entries if key(name) == key(wanted)]
        spellings = list(dict.fromkeys(_spaced(name) for name, _ in found))
        if len(spellings) > 1:
            raise NameMismatch(wanted, list(dict.fromkeys(name for name, _ in found)))
        if found:
            return found[0][0], [value for _, value in found]
    raise NameMismatch(wanted)


def match_name(wanted: str, names: Iterable[str]) -> str:
    """The one name of ``names`` that ``wanted`` means, as they spell it (see the module);
    ``NameMismatch`` when none or several do."""
    return _match(wanted, ((name, name) for name in names))[0]


def _listed(names: Iterable[str]) -> str:
    unique = sorted(set(names), key=lambda n: (_loose(n), n))
    return ", ".join(repr(n) for n in unique) or "none"


def _lookup(
    setting: str,
    what: str,
    system: str,
    wanted: Sequence[str],
    named: list[tuple[str, T]],
    has: str = "",
) -> list[T]:
    """The values named by every name in ``wanted``, or a ``ConfigError`` that names the
    ones missing and lists the names ``system`` has."""
    values: list[T] = []
    missing = []
    for name in wanted:
        try:
            values += _match(name, named)[1]
        except NameMismatch as mismatch:
            if mismatch.candidates:
                raise ConfigError(
                    setting,
                    f"{name!r} could be {' or '.join(map(repr, mismatch.candidates))}; "
                    f"write it as {system} does",
                ) from None
            missing.append(name)
    if missing:
        raise ConfigError(
            setting,
            f"no {what} named {' or '.join(map(repr, missing))}; "
            f"{has or system + ' has'} {_listed(name for name, _ in named)}",
        )
    return values


def _read(failed: dict[str, Exception], streams: Sequence[str], look: Callable[[], T]) -> T | None:
    """``look()``, or ``None`` when its read failed: then ``streams`` fail this pass."""
    try:
        return look()
    except ConfigError:
        raise
    except Exception as exc:  # a read that failed after its retries
        for stream in streams:
            failed.setdefault(stream, exc)
        return None


def resolve(config: BridgeConfig, auvo: AuvoPort, erp: ErpPort) -> Resolved:
    """Look every configured name up (see the module); ``ConfigError`` on the first setting
    whose name is not there."""
    failed: dict[str, Exception] = {}
    selling = [s for s in ("tasks", "quotations") if getattr(config, f"{s}_enabled")]
    account_id = task_type_ids = group_id = stage = None
    if config.financial_account and selling:
        account_id = _read(failed, selling, lambda: _account(config.financial_account, erp))
    if config.tasks_enabled and config.tasks_task_types:
        wanted = config.tasks_task_types
        task_type_ids = _read(failed, ["tasks"], lambda: _task_types(wanted, auvo))
    if config.tasks_enabled and config.tasks_customer_group:
        group = config.tasks_customer_group
        group_id = _read(failed, ["tasks"], lambda: _customer_group(group, auvo))
    if config.quotations_enabled:
        wanted_stage = config.quotations_status
        stage = _read(failed, ["quotations"], lambda: _quotation_stage(wanted_stage, auvo))
    return Resolved(account_id, task_type_ids, group_id, stage, failed)


def _account(name: str | None, erp: ErpPort) -> str:
    accounts = [(a.name, a.id) for a in erp.financial_accounts()]
    return _lookup("erp.financial_account", erp.account_label, erp.title, [name or ""], accounts)[0]


def _task_types(names: Sequence[str], auvo: AuvoPort) -> frozenset[int]:
    types = auvo.task_types()
    return frozenset(_lookup("tasks.task_types", "task type", "Auvo", names, types))


def _customer_group(name: str, auvo: AuvoPort) -> int:
    groups = auvo.customer_groups()
    return _lookup("tasks.customer_group", "customer group", "Auvo", [name], groups)[0]


class StageNotSeen(LookupError):
    """No recent quotation is at the configured stage, and the name is no misspelling of a
    stage in use: perhaps none reached it yet. Fails the quotations stream, not the pass."""


def _quotation_stage(name: str, auvo: AuvoPort) -> str:
    seen: dict[str, None] = {}
    for stage in itertools.islice(auvo.quotation_stages(), STAGE_SAMPLE):
        if _spaced(stage) == _spaced(name):
            return stage  # the usual case: found on the first page
        seen[stage] = None
    if not seen:
        return name  # no quotation to compare with, nor to bill
    stages = [(stage, stage) for stage in seen]
    has = "Auvo's quotations are at"  # Auvo lists no stages
    loose = {_loose(stage): stage for stage in seen}
    if _loose(name) in loose or difflib.get_close_matches(
        _loose(name), list(loose), n=1, cutoff=TYPO_CUTOFF
    ):
        return _lookup("quotations.status", "quotation stage", "Auvo", [name], stages, has)[0]
    raise StageNotSeen(
        f"quotations.status: no quotation among Auvo's newest {STAGE_SAMPLE} is at stage "
        f"{name!r} (they are at {_listed(seen)}); nothing is billed until one is"
    )
