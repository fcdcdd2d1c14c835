"""Hostile inputs through the CLI, each in a subprocess: one clear error line or
correct handling, never a traceback; peak memory (VmHWM) and time are printed
(run with ``-s`` to see the table)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT

PROBE = """
import sys
from toolkit.cli import main
code = 0
try:
    main()
except SystemExit as exc:
    code = exc.code
peak = open('/proc/self/status').read().split('VmHWM:')[1].split()[0]
print('\\nPEAK', peak, file=sys.stderr)
sys.exit(code)
"""


@dataclass
class Ran:
    rc: int
    out: str
    err: str  # without the PEAK line
    peak_mb: float
    seconds: float

    @property
    def err_lines(self) -> list[str]:
        return [ln for ln in self.err.splitlines() if ln.strip()]


def cli(name: str, args: list[str], env: dict[str, str], timeout: float = 240) -> Ran:
    started = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        timeout=timeout,
    )
    seconds = time.perf_counter() - started
    err = proc.stderr.decode("utf-8", "replace")
    body, _, peak = err.rpartition("\nPEAK ")
    ran = Ran(
        proc.returncode, proc.stdout.decode("utf-8", "replace"), body, int(peak) / 1024, seconds
    )
    assert "Traceback" not in ran.err, ran.err[-3000:]
    first = ran.err_lines[0][:90] if ran.err_lines else "(no stderr)"
    print(f"\nHOSTILE | {name} | exit {ran.rc} | {first} | {ran.peak_mb:.0f} MB | {seconds:.2f} s")
    return ran


def one_error(ran: Ran, code: int, needle: str) -> None:
    assert ran.rc == code, (ran.rc, ran.err)
    errors = [ln for ln in ran.err_lines if ln.startswith("tolmach: error:")]
    assert len(errors) == 1, ran.err
    assert needle in errors[0], errors[0]


# ----------------------------------------------------------------------------- XML / TBX

TBX_BODY = (
    '<martif type="TBX-Basic"><text><body><termEntry><langSet xml:lang="en"><tig>'
    '<term>{term}</term></tig></langSet><langSet xml:lang="ru"><tig><term>ОБСЕ</term></tig>'
    "</langSet></termEntry></body></text></martif>\n"
)


def _translate_argv(path: str, *extra: str) -> list[str]:
    """`tolmach translate PATH --to en` with the identity engine, no memory, en+ru."""
    return ["translate", path, "--to", "en", "--engine", "identity", "--no-memory",
            "--languages", "en,ru", *extra]  # fmt: skip


def _laughs() -> str:
    ents = ['<!ENTITY lol0 "lol">']
    ents += [f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10)]
    return f'<?xml version="1.0"?>\n<!DOCTYPE martif [{"".join(ents)}]>\n' + TBX_BODY.format(
        term="&lol9;"
    )


TBX_CASES = {
    "billion laughs": (_laughs(), 4, "entit"),
    "external entity (XXE)": (
        '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
        + TBX_BODY.format(term="&xxe;"),
        4,
        "entit",
    ),
    "external parameter entity": (
        '<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY % p SYSTEM "http://127.0.0.1:9/x">'
        " %p;]>\n" + TBX_BODY.format(term="OSCE"),
        4,
        "",
    ),
    "quadratic blowup": (
        f'<?xml version="1.0"?>\n<!DOCTYPE martif [<!ENTITY a "{"x" * 50_000}">]>\n'
        + TBX_BODY.format(term="&a;" * 20_000),
        4,
        "entit",
    ),
}


@pytest.mark.parametrize("case", list(TBX_CASES))
def test_tbx_attacks_are_refused(case: str, tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    text, code, needle = TBX_CASES[case]
    src = tmp_path / "attack.tbx"
    src.write_text(text, encoding="utf-8")
    target = tmp_path / "terms.tsv"
    ran = cli(f"TBX {case}", ["glossary", "import", str(src), "-g", str(target)], subprocess_env)
    one_error(ran, code, needle)
    assert not target.exists()
    assert ran.peak_mb < 300


def test_tbx_external_dtd_is_not_fetched(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "dtd.tbx"
    src.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE martif SYSTEM "http://127.0.0.1:9/TBXcoreStructV02.dtd">\n'
        + TBX_BODY.format(term="OSCE"),
        encoding="utf-8",
    )
    target = tmp_path / "terms.tsv"
    ran = cli(
        "TBX external DTD reference",
        ["glossary", "import", str(src), "-g", str(target)],
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    assert "ОБСЕ" in target.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- documents


def test_deeply_nested_html(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "deep.html"
    data = "<div>" * 100_000 + "Заседание ОБСЕ прошло вчера в Вене." + "</div>" * 100_000
    src.write_text(data, encoding="utf-8")
    ran = cli(
        "HTML nested 100k <div>: detect", ["detect", str(src), "--expect", "en"], subprocess_env
    )
    assert ran.rc == 0, ran.err
    assert "ru" in ran.out
    out = tmp_path / "out.html"
    ran = cli(
        "HTML nested 100k <div>: translate",
        _translate_argv(str(src), "-o", str(out)),
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    assert out.read_text(encoding="utf-8") == data.replace("ОБСЕ", "OSCE")


def test_deeply_nested_unclosed_html(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "unclosed.html"
    src.write_text("<b><i>" * 100_000 + "Привет, мир" + "<p title='x", encoding="utf-8")
    ran = cli("HTML 100k unclosed <b><i>", ["detect", str(src), "--expect", "en"], subprocess_env)
    assert ran.rc == 0, ran.err


def test_ten_megabyte_line(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "line.txt"
    unit = "The meeting opened today. Заседание ОБСЕ прошло вчера. "
    data = (unit * (10_000_000 // len(unit.encode()) + 1)).encode()[:10_000_000]
    data = data.decode("utf-8", "ignore").encode()
    src.write_bytes(data)
    ran = cli(
        "10 MB line, no newline: detect",
        ["detect", str(src), "--expect", "en", "--languages", "en,ru"],
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    out = tmp_path / "out.txt"
    ran = cli(
        "10 MB line, no newline: translate",
        _translate_argv(str(src), "-o", str(out)),
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    assert out.read_bytes() == data.replace("ОБСЕ".encode(), b"OSCE")


@pytest.mark.slow
def test_two_hundred_megabyte_file(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "big.txt"
    line = "The meeting opened today.\nЗаголовок открываемого материала\n".encode()
    with src.open("wb") as fh:
        for _ in range(200_000_000 // (len(line) * 1000) + 1):
            fh.write(line * 1000)
    assert src.stat().st_size >= 200_000_000
    before = src.stat().st_mtime_ns
    ran = cli("200 MB file: detect (default --max-size 20)", ["detect", str(src)], subprocess_env)
    one_error(ran, 4, "too large")
    assert ran.peak_mb < 200  # refused before reading
    ran = cli(
        "200 MB file: translate --in-place (default --max-size 20)",
        ["translate", str(src), "--to", "en", "--engine", "identity", "--in-place"],
        subprocess_env,
    )
    one_error(ran, 4, "too large")
    assert ran.peak_mb < 200
    assert src.stat().st_mtime_ns == before


def test_mixed_encodings(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "mixed.txt"
    original = "Привет, мир\n".encode() + "Привет, мир\n".encode("cp1251")
    src.write_bytes(original)
    ran = cli("mixed UTF-8 + cp1251: detect", ["detect", str(src)], subprocess_env)
    one_error(ran, 4, "not UTF-8")
    ran = cli(
        "mixed UTF-8 + cp1251: translate --in-place",
        ["translate", str(src), "--to", "en", "--engine", "identity", "--in-place"],
        subprocess_env,
    )
    one_error(ran, 4, "not UTF-8")
    assert src.read_bytes() == original


def test_utf16_with_bom(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "utf16.txt"
    text = "Site news\r\nЗаседание ОБСЕ прошло вчера в Вене.\r\nChats\r\n"
    src.write_bytes(text.encode("utf-16"))  # with BOM
    ran = cli("UTF-16 with BOM: detect", ["detect", str(src), "--expect", "en"], subprocess_env)
    assert ran.rc == 0, ran.err
    assert "Заседание" in ran.out
    ran = cli(
        "UTF-16 with BOM: translate --in-place",
        _translate_argv(str(src), "--in-place"),
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    assert src.read_bytes() == text.replace("ОБСЕ", "OSCE").encode("utf-16")


def test_nul_bytes(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    src = tmp_path / "nul.txt"
    original = b"Hello\x00World\n" + "Заголовок\n".encode()
    src.write_bytes(original)
    ran = cli("NUL bytes: detect", ["detect", str(src)], subprocess_env)
    one_error(ran, 4, "binary")
    ran = cli(
        "NUL bytes: translate --in-place",
        ["translate", str(src), "--to", "en", "--engine", "identity", "--in-place"],
        subprocess_env,
    )
    one_error(ran, 4, "binary")
    assert src.read_bytes() == original


def test_symlinks_out_of_the_tree_are_not_written(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    outside = tmp_path / "outside"
    tree = tmp_path / "tree"
    outside.mkdir()
    tree.mkdir()
    secret = "Заседание ОБСЕ прошло вчера в Вене.\n"
    (outside / "secret.txt").write_text(secret, encoding="utf-8")
    (tree / "a.txt").write_text(secret, encoding="utf-8")
    (tree / "out.txt").symlink_to(outside / "secret.txt")
    (tree / "in.txt").symlink_to("a.txt")
    (tree / "dir").symlink_to(outside, target_is_directory=True)
    ran = cli(
        "symlinks out of the tree, --in-place",
        _translate_argv(str(tree), "--in-place"),
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    warnings = [ln for ln in ran.err_lines if ln.startswith("tolmach: warning:")]
    assert len(warnings) == 2, ran.err
    assert any("outside the folder" in w for w in warnings)
    assert (outside / "secret.txt").read_text(encoding="utf-8") == secret
    assert (tree / "out.txt").is_symlink()
    assert (tree / "in.txt").is_symlink()
    assert (tree / "a.txt").read_text(encoding="utf-8") == secret.replace("ОБСЕ", "OSCE")
    assert sorted(p.name for p in outside.iterdir()) == ["secret.txt"]


def test_output_folder_with_a_link_leading_outside(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    tree, out, outside = tmp_path / "tree", tmp_path / "out", tmp_path / "outside"
    (tree / "sub").mkdir(parents=True)
    out.mkdir()
    outside.mkdir()
    (tree / "sub" / "a.txt").write_text("Заседание ОБСЕ прошло.\n", encoding="utf-8")
    (tree / "b.txt").write_text("Заседание ОДКБ прошло.\n", encoding="utf-8")
    (out / "sub").symlink_to(outside, target_is_directory=True)
    ran = cli(
        "output folder holding a link that leads outside",
        _translate_argv(str(tree), "-o", str(out)),
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    assert list(outside.iterdir()) == []
    assert "CSTO" in (out / "b.txt").read_text(encoding="utf-8")


def test_symlink_named_directly_keeps_the_link(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    real = tmp_path / "real.txt"
    real.write_text("Заседание ОБСЕ прошло.\n", encoding="utf-8")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    ran = cli(
        "symlink named on the command line, --in-place",
        _translate_argv(str(link), "--in-place"),
        subprocess_env,
    )
    assert ran.rc == 0, ran.err
    assert link.is_symlink()
    assert "OSCE" in real.read_text(encoding="utf-8")


# ----------------------------------------------------------------------------- glossaries


def _translate_with(
    tmp_path: Path, env: dict[str, str], name: str, glossary: Path | None, text: str
) -> tuple[Ran, str]:
    src = tmp_path / "in.txt"
    src.write_text(text + "\n", encoding="utf-8")
    args = _translate_argv(str(src), "--in-place")
    if glossary is not None:
        args += ["-g", str(glossary)]
    ran = cli(name, args, env)
    assert ran.rc == 0, ran.err
    return ran, src.read_text(encoding="utf-8")


def test_glossary_terms_with_regex_metacharacters(
    tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    g = tmp_path / "meta.tsv"
    terms = [
        ("C++ (ISO)*", "Си++ (ИСО)*"),
        ("a.b+c?", "Альфа.Бета+Гамма?"),
        ("[x]{2}$", "[Икс]{2}$"),
    ]
    for en, ru in terms:
        ran = cli(
            f"glossary add {en!r}",
            ["glossary", "add", "-g", str(g), "-t", f"en={en}", "-t", f"ru={ru}"],
            subprocess_env,
        )
        assert ran.rc == 0, ran.err
    text = "Стандарт Си++ (ИСО)* и Альфа.Бета+Гамма? и [Икс]{2}$ обсуждали вчера в Вене."
    _, out = _translate_with(tmp_path, subprocess_env, "regex metacharacter terms", g, text)
    for en, _ru in terms:
        assert en in out, out
    # a metacharacter is literal: "АльфаXБета" is not "Альфа.Бета"
    _, out = _translate_with(
        tmp_path,
        subprocess_env,
        "metacharacter not a wildcard",
        g,
        "Стандарт АльфаXБета обсуждали вчера в Вене на встрече.",
    )
    assert "a.b" not in out


@pytest.mark.parametrize(
    ("label", "mark"),
    [("zero-width joiner", "\u200d"), ("soft hyphen", "\u00ad"), ("RTL mark", "\u200f")],
)
def test_invisible_characters_inside_a_term(
    label: str, mark: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    text = f"Вчера в Вене прошло заседание ОБ{mark}СЕ по вопросам безопасности."
    _, out = _translate_with(tmp_path, subprocess_env, f"{label} inside a term", None, text)
    assert "OSCE" in out, out
    assert mark not in out.split("OSCE")[0][-3:]


def test_rtl_marks_around_terms(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    text = "Вчера в Вене прошло заседание \u200fОБСЕ\u200f по вопросам безопасности."
    _, out = _translate_with(tmp_path, subprocess_env, "RTL marks around a term", None, text)
    assert "\u200fOSCE\u200f" in out, out


def test_nfc_and_nfd_terms_match(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    term = "Союз писателей Йемена"
    nfd = unicodedata.normalize("NFD", term)
    assert nfd != term
    for g_form, t_form, label in (
        (term, nfd, "NFC term, NFD text"),
        (nfd, term, "NFD term, NFC text"),
    ):
        g = tmp_path / f"{label[:3]}.tsv"
        g.write_text(f"en\tru\nYemeni Writers Union\t{g_form}\n", encoding="utf-8")
        text = f"Вчера {t_form} провёл заседание в Сане по вопросам культуры."
        _, out = _translate_with(tmp_path, subprocess_env, label, g, text)
        assert "Yemeni Writers Union" in out, out


# ----------------------------------------------------------------------------- model packages


def _package_zip(path: Path, members: dict[str, bytes]) -> None:
    meta = {"package_version": "1.0", "argos_version": "1.9", "from_code": "ru", "to_code": "en"}
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pkg/metadata.json", json.dumps(meta))
        zf.writestr("pkg/sentencepiece.model", b"x")
        for name, data in members.items():
            zf.writestr(name, data)


def test_zip_bomb_package(tmp_path: Path, subprocess_env: dict[str, str]) -> None:
    bomb = tmp_path / "bomb.argosmodel"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        meta = {"package_version": "1.0", "from_code": "ru", "to_code": "en"}
        zf.writestr("pkg/metadata.json", json.dumps(meta))
        zf.writestr("pkg/sentencepiece.model", b"x")
        with zf.open("pkg/model/model.bin", "w", force_zip64=True) as fh:
            block = bytes(1 << 20)
            for _ in range(300):  # 300 MB of zeros, about 300 KB compressed
                fh.write(block)
    assert bomb.stat().st_size < 2_000_000
    packages = Path(subprocess_env["TOLMACH_HOME"]) if "TOLMACH_HOME" in subprocess_env else None
    ran = cli(
        "zip bomb .argosmodel (300 MB of zeros)", ["models", "install", str(bomb)], subprocess_env
    )
    one_error(ran, 4, "compression ratio")
    assert ran.peak_mb < 300
    if packages is not None and packages.exists():
        assert not any(p.name == "pkg" for p in packages.rglob("pkg"))


@pytest.mark.parametrize(
    ("label", "member", "needle"),
    [
        ("member ../", "pkg/../../evil.txt", "escapes"),
        ("absolute member", "/tmp/evil.txt", "absolute"),
        ("backslash member", "pkg\\..\\..\\evil.txt", "unsafe"),
    ],
)
def test_package_members_escaping_the_folder(
    label: str, member: str, needle: str, tmp_path: Path, subprocess_env: dict[str, str]
) -> None:
    pkg = tmp_path / "evil.argosmodel"
    _package_zip(pkg, {"pkg/model/model.bin": b"m", member: b"pwned"})
    ran = cli(f".argosmodel {label}", ["models", "install", str(pkg)], subprocess_env)
    one_error(ran, 4, needle)
    assert not (tmp_path.parent / "evil.txt").exists()
    assert not Path("/tmp/evil.txt").exists() or Path("/tmp/evil.txt").read_bytes() != b"pwned"


def test_every_hostile_case_ran_in_this_process_env() -> None:
    # the probe reads VmHWM from /proc; the suite needs Linux to measure memory
    assert os.path.exists("/proc/self/status")
