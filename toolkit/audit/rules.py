"""The one registry of audit rules: documents, catalogs and glossary files.

Every rule that can fire is here with its static metadata (id, severity,
one-line description, scope): the document checks
(:mod:`toolkit.audit.documents`), the catalog checks
(:mod:`toolkit.audit.catalogs`) and the glossary file checks of
``tolmach glossary check`` (:mod:`toolkit.glossary.check`). Reporters describe
rules from here (the SARIF ``rules`` array), and ``audit_paths`` selects
rules by id from here.
"""

from __future__ import annotations

from toolkit.audit import catalogs, documents, l10n, pairs
from toolkit.findings import CATALOG, DOCUMENT, Rule
from toolkit.glossary import check

RULES: dict[str, Rule] = {
    r.id: r for r in (*documents.RULES, *catalogs.RULES, *pairs.RULES, *l10n.RULES, *check.RULES)
}

# the rules ``audit_paths(rules=...)`` can select: the ones it runs
SELECTABLE = tuple(r.id for r in RULES.values() if r.scope in (DOCUMENT, CATALOG) and r.check)


def of_scope(scope: str) -> list[Rule]:
    """The rules that look at ``scope`` (``document``, ``catalog`` or ``glossary``)."""
    return [r for r in RULES.values() if r.scope == scope]
