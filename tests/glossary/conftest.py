from __future__ import annotations

from pathlib import Path

import pytest

from toolkit.glossary.model import Entry, Glossary

SAMPLE_TSV = """\
# a comment that edits keep
en\tru\tabbr:en\tabbr:ru\tdnt\tnote
Collective Security Treaty Organization\tОрганизация Договора о коллективной безопасности\tCSTO\tОДКБ
Commonwealth of Independent States\tСодружество Независимых Государств\tCIS\tСНГ
Organization for Security and Co-operation in Europe\tОрганизация по безопасности и сотрудничеству в Европе\tOSCE\tОБСЕ
United Nations\tОрганизация Объединённых Наций\tUN | U.N.\tООН
Security Council\tСовет Безопасности
Amnesty International\t\t\t\t1\tbrand
"""  # noqa: E501


@pytest.fixture
def sample_path(tmp_path: Path) -> Path:
    path = tmp_path / "sample.tsv"
    path.write_text(SAMPLE_TSV, encoding="utf-8")
    return path


@pytest.fixture
def sample() -> Glossary:
    from toolkit.glossary.io import parse_tsv

    return parse_tsv(SAMPLE_TSV, name="sample")


def entry(en: str, ru: str, **kw: object) -> Entry:
    return Entry.make({"en": en, "ru": ru}, **kw)  # type: ignore[arg-type]
