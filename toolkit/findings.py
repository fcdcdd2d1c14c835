"""Findings, severities and rule metadata: the ground floor every check shares.

Document audits, catalog audits (:mod:`toolkit.audit`) and glossary checks
(:mod:`toolkit.glossary.check`) all report :class:`Finding` s and describe the
rules that produce them with a :class:`Rule`; nothing here imports the rest of
tolmach.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass
from enum import Enum
from typing import Any


class Severity(str, Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]

    def at_least(self, other: Severity) -> bool:
        return self.rank >= other.rank


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem found in one place.

    ``rule`` is a stable id such as ``untranslated-fragment``,
    ``glossary-missing-term`` or ``po-fuzzy``. ``line``/``column`` are 1-based;
    0 means "the whole file".
    """

    rule: str
    severity: Severity
    file: str
    line: int
    column: int
    message: str
    text: str = ""
    lang: str | None = None
    confidence: float | None = None
    fix: str | None = None
    end_line: int | None = None
    end_column: int | None = None

    def fingerprint(self) -> str:
        """Identity used by baselines: stable when unrelated lines move."""
        return f"{self.rule}\x1f{self.file}\x1f{self.text}"

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["severity"] = self.severity.value
        return d


DOCUMENT = "document"
CATALOG = "catalog"
GLOSSARY = "glossary"


@dataclass(frozen=True)
class Rule:
    """A rule's static metadata, and the check that fires it.

    ``scope`` says what the rule looks at: ``document``, ``catalog`` or
    ``glossary`` (a glossary file, checked by ``tolmach glossary check``).
    ``check`` takes the audit context and yields issues; None when the rule is
    reported by its driver itself (the glossary checks, a missing source).
    ``needs`` names context fields that must be set for the check to run.
    """

    id: str
    severity: Severity
    description: str
    scope: str
    check: Callable[[Any], Iterable[Any]] | None = None
    needs: tuple[str, ...] = ()
