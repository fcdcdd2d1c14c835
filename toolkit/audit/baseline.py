"""Baselines: accept today's findings so that only new ones fail the build.

A baseline is a JSON file listing finding fingerprints (rule, file, text) with
their counts. Findings that match an entry are suppressed, up to the recorded
count; anything beyond that is new.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path

from toolkit.errors import InputError
from toolkit.files import atomic_write, read_bytes
from toolkit.findings import Finding

VERSION = 1


def load(path: str | Path) -> Counter[str]:
    try:
        data = json.loads(read_bytes(path).decode("utf-8"))
        if data.get("version") != VERSION or not isinstance(data.get("findings"), list):
            raise ValueError("unknown layout")
        counts: Counter[str] = Counter()
        for item in data["findings"]:
            counts[f"{item['rule']}\x1f{item['file']}\x1f{item['text']}"] += int(
                item.get("count", 1)
            )
        return counts
    except (ValueError, KeyError, TypeError, UnicodeDecodeError) as exc:
        raise InputError(f"not a tolmach baseline file ({exc})", path=str(path)) from None


def save(path: str | Path, findings: Iterable[Finding]) -> int:
    counts = Counter(f.fingerprint() for f in findings)
    items = []
    for fp, n in sorted(counts.items()):
        rule, file, text = fp.split("\x1f", 2)
        items.append({"rule": rule, "file": file, "text": text, "count": n})
    body = json.dumps({"version": VERSION, "findings": items}, ensure_ascii=False, indent=2)
    atomic_write(path, (body + "\n").encode("utf-8"))
    return len(items)


def apply(findings: Sequence[Finding], baseline: Counter[str]) -> tuple[list[Finding], int]:
    """Findings not covered by the baseline, and how many were suppressed."""
    budget = Counter(baseline)
    kept: list[Finding] = []
    suppressed = 0
    for f in findings:
        fp = f.fingerprint()
        if budget[fp] > 0:
            budget[fp] -= 1
            suppressed += 1
        else:
            kept.append(f)
    return kept, suppressed
