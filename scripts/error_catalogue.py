#!/usr/bin/env python
# ruff: noqa: E501  (the catalogue is a table of long messages and long advice)
"""Write docs/errors.md: every error message tolmach raises, its exit code and
what the user should do.

    python scripts/error_catalogue.py          # rewrite docs/errors.md
    python scripts/error_catalogue.py --check  # exit 1 if it is stale

Messages are found in the source: every ``raise`` of a ``TolmachError``
subclass under ``toolkit/`` (ast, not grep). The advice is the table below;
a message without advice fails ``--check`` (and the test that runs it).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "errors.md"
sys.path.insert(0, str(ROOT))


def _classes() -> dict[str, int]:
    """Every TolmachError subclass in toolkit.errors -> its exit code."""
    from toolkit import errors

    out = {}
    for name in dir(errors):
        cls = getattr(errors, name)
        if isinstance(cls, type) and issubclass(cls, errors.TolmachError):
            out[name] = int(cls.exit_code)
    return out


CLASSES = _classes()
OS_MESSAGE = "(the operating system's message, e.g. 'No space left on device')"
ADVICE = {
    "a source is compared through the glossary: give one": "Pass `--glossary NAME|PATH` (or configure a default set) with `--source`.",
    "unknown rule: {r}": "Library API: pass rule ids from `toolkit.audit.documents.RULES` (the README lists them under Audit).",
    "no such file or folder": "Check the path; nothing was changed.",
    "--source FILE needs exactly one document; give a folder instead": "Audit one document against one source, or pass a source folder that mirrors the audited folder.",
    "--ignore {p!r} is not a regular expression: {e}": "Fix the pattern (it is a Python regular expression; escape `(`, `[`, `.` with a backslash).",
    "--update-baseline needs --baseline FILE": "Add `--baseline FILE`.",
    "--source compares glossary terms: it cannot go with --no-glossary": "Drop `--no-glossary`, or drop `--source`.",
    "device 'cuda' requested but {why}; use --device cpu": "Run `tolmach doctor` to see what is missing, or use `--device cpu`.",
    "device 'cuda' is unusable: {why}. Fix: {hint}": "Follow the fix in the message (README, section GPU), or use `--device cpu`.",
    "unknown executor {name!r}; choose {choices}": "Use `--executor local` or `--executor ray`.",
    "--address and --workers need --executor ray": "Add `--executor ray`, or drop `--address`/`--workers`.",
    "the Ray executor needs ray: pip install 'tolmach[ray]'": "Run `pip install 'tolmach[ray]'`, or use the default local executor.",
    "--workers must be at least 1": "Give `--workers 1` or more.",
    "tolmach serve needs the serve extra ({err}); pip install 'tolmach[serve]'": "Run `pip install 'tolmach[serve]'` (Starlette, uvicorn, python-multipart).",
    "cannot listen on {host}:{port}: {err}": "Another program uses the port (or the address is not this machine's): pick another `--port`, or stop the other server.",
    "no API key in the file": "Put one key per line in the `--api-keys` file (lines starting with `#` are comments), or drop `--api-keys`.",
    "API keys files must be UTF-8": "Save the `--api-keys` file as UTF-8 text.",
    "{option} is out of range": "Give the option a positive value (`--batch-wait` may be 0); see `tolmach serve --help`.",
    "in_flight and max_attempts must be at least 1": "Pass positive values (library API).",
    "Ray is already initialized in this process; drop --address": "Drop `--address` (library use: call `ray.shutdown()` first).",
    "device 'cuda' requested but the Ray cluster has no GPU; use --device cpu": "Use `--device cpu`, or join a cluster with GPUs (`--address`).",
    "the Ray cluster has {n} GPUs; --workers can be at most {n}": "Lower `--workers` to the number of GPUs.",
    "the Ray cluster has {n} CPUs; --workers can be at most {n}": "Lower `--workers` to the number of CPUs.",
    "cannot start or reach Ray at {where}: {err}": "Check the address (`ray status` on the head node), or drop `--address` to start a local cluster.",
    "a Ray worker has a different model ({got}) than this machine ({expected}); install the same Argos packages on every node": "Install the same `.argosmodel` files on every node (`tolmach models install FILE`).",
    "the {engine} engine failed on {src}→{tgt}: {err}": "The model could not translate this input; the message gives CTranslate2's reason. Try `--device cpu`, a smaller input, or another model; nothing was written.",
    "--backup needs --in-place": "Add `--in-place`, or drop `--backup`.",
    "--case must be sensitive or insensitive": "Use `--case sensitive` or `--case insensitive`, or leave it out.",
    "--expect needs a language code": "Give a code such as `--expect en`.",
    "--format must be table or json, not {value!r}": "Use `--format table` or `--format json`.",
    "--format must be table, json or tsv": "Use one of the listed formats.",
    "--in-place and --output exclude each other": "Choose one: rewrite the inputs, or write to `--output`.",
    "--languages needs at least one language code": "Give codes such as `--languages en,ru`.",
    "--max-size must be positive": "Give a size in MB above 0, e.g. `--max-size 100`.",
    "--output must be a folder when translating several files": "Point `--output` at a folder (it is created), or translate one file.",
    "--output needs exactly one catalog": "Name one catalog, or drop `--output`: catalogs are filled in place.",
    "ARGOS_BEAM_SIZE must be a positive integer, not {raw!r}": "Fix or unset the `ARGOS_BEAM_SIZE` environment variable.",
    "a two-column file has no header: say its languages with --from and --to": "Add `--from LANG --to LANG`, or add a header row of language codes.",
    "beam size must be at least 1": "Use `--beam 1` or more.",
    "empty glossary name": "Give a glossary name or path.",
    "gettext catalogs are translated with `tolmach po translate`": "Run `tolmach po translate FILE.po`.",
    "give a package NAME, or both --from and --to": "Name the package (`tolmach models list`) or give both languages.",
    "give an .argosmodel FILE, or both --from and --to": "Give the file to install, or both languages to download.",
    "give at least one --term LANG=TERM": "Add e.g. `-t en=CSTO -t ru=ОДКБ`.",
    "give either FILE or --from/--to, not both": "Install from the file or from the index, not both at once.",
    "give either NAME or --from/--to, not both": "Remove by name or by language pair, not both.",
    "glossary {p} does not exist": "Check the path, or add an entry first (it creates the file).",
    "max length must be at least 1": "Use a positive maximum length.",
    "no entry has the term {t!r} in {p}": "Check the spelling with `tolmach glossary list`.",
    "no glossary named {n!r} (shipped: {k})": "Use one of the shipped names, or a path to your own file.",
    "no matching files in folder": "Check `--include`/`--exclude`, or that the folder holds supported files (.txt .md .html .srt).",
    "say the languages to export with --from and --to": "Add `--from LANG --to LANG`.",
    "several inputs: use --output FOLDER or --in-place": "Several files cannot go to stdout; add `-o FOLDER` or `--in-place`.",
    "the catalog has no Language header; pass --to LANG": "`memory import`: add `--to LANG` (the language of the msgstrs), or a `Language:` header to the catalog.",
    "the catalog has no Language header; pass --lang LANG": "Add `--lang LANG`, or a `Language:` header to the catalog.",
    "--lang and --to name different languages": "Give one of them: in `po translate`, `--to` is an alias of `--lang`.",
    "memory clear needs --yes when there is no terminal to confirm on": "Add `--yes` (scripts, CI), or run it in a terminal and confirm.",
    "unknown language code {code!r}; use an ISO 639-1 code ({examples}, ...) or Argos' zt (Chinese, traditional) or pb (Portuguese, Brazil)": "Use a two-letter code (`en`, not `english`); region and script subtags are fine (`EN`, `en-US`, `pt_BR`, `zh-TW`). The same codes work in every command.",
    "unknown Argos path {path!r}": "Use `--engine argos` (fast) or `--engine argos-reference`.",
    "unknown device {device!r}; choose cpu, cuda or auto": "Use `--device cpu`, `cuda` or `auto`.",
    "unknown engine {name!r}; choose argos, argos-reference or identity": "Use one of the listed engines.",
    "unknown file type {…}; use --format ({…})": "Name the format with `--format txt|markdown|html|srt|po`.",
    "unknown format {f!r}; choose auto, {c}": "Use one of the listed formats.",
    "unknown format {…}; choose one of: {…}": "Use one of the listed formats.",
    "unknown glossary format {f!r}; choose {c}": "Use one of the listed formats.",
    "writing PO files is done by `tolmach po translate`": "Run `tolmach po translate`.",
    "{n} is a shipped glossary inside the installed package; copy it and edit the copy with --glossary PATH": "Copy the file, then `tolmach glossary add -g COPY.tsv …`.",
    "{o} expects LANG=TEXT (for example en='United Nations'), got {v!r}": "Write the option as `LANG=TEXT`.",
    "{t!r} is already in {p} (row {r}); remove it first or use --replace": "Add `--replace`, or `tolmach glossary remove` first.",
    "<missing model message>": "Install the model: `tolmach models install FILE.argosmodel` (offline), or `--download` when online. The message names the pair.",
    "argostranslate does not see the package {name}": "Reinstall it with `tolmach models install`; check `ARGOS_PACKAGES_DIR`.",
    "argostranslate is not installed ({err}); pip install argostranslate": "`pip install argostranslate`, or use `--engine argos` (CTranslate2 only).",
    "cannot load the model of {name}: {err}": "The installed package is damaged: remove it and install it again.",
    "cannot load the model on CUDA ({err}); use --device cpu": "Use `--device cpu`, or fix the CUDA libraries.",
    "ctranslate2 is not installed ({err}); pip install ctranslate2": "`pip install ctranslate2 sentencepiece`.",
    "device 'cuda' requested but CTranslate2 sees no usable CUDA GPU; use --device cpu or install a CUDA-enabled CTranslate2": "Use `--device cpu` (or `auto`).",
    "no installed Argos package matches {what}": "See `tolmach models list` for what is installed.",
    "package {name} has no sentencepiece.model; use --engine argos-reference": "Use `--engine argos-reference` for this package.",
    "pymorphy3 is needed for inflection-aware matching: pip install pymorphy3": "`pip install pymorphy3`.",
    "the Argos index has no package for {src}→{tgt}": "Check the codes; pivot through English with two packages, or install from a file.",
    "'glossaries' must be a list of names or paths": "Fix `glossaries = [...]` in tolmach.toml / pyproject.toml.",
    "'glossary-paths' must map path patterns to lists of glossaries": "Write it as a table: `[glossary-paths]` then `\"docs/legal/*\" = [\"international-organizations\"]` lines (in pyproject.toml: `[tool.tolmach.glossary-paths]`).",
    "Amazon Translate CSV needs a header row of language codes": "Add a header row such as `en,ru`.",
    "Plural-Forms: nplurals must be between 1 and 10": "Fix the catalog's `Plural-Forms` header.",
    "TBX refers to an external resource (a DOCTYPE with SYSTEM or PUBLIC); refused: remove the DOCTYPE line": "Remove the `<!DOCTYPE … SYSTEM/PUBLIC …>` line (or the external entity); tolmach never fetches them, and a DOCTYPE without an external identifier is read.",
    "xml:lang {v!r} is not a language code (such as en, ru, pt-BR)": "Fix the `xml:lang` of that `langSet` (`abbr:en`, `note`, a tab or garbage are not languages); nothing was imported.",
    "a column is named twice: {c!r}": "Give each column its own language code in the header row; nothing was imported.",
    "a term cannot contain '|' (it separates spelling variants): {t!r}": "Split the spellings into separate terms (or rows); `|` separates variants in a tolmach glossary.",
    "TBX refers to an external resource; refused": "Remove external references from the file; tolmach never fetches them.",
    "{kind} declares XML entities (possible entity-expansion attack); refused": "Remove the DTD's entity declarations (`<!ENTITY …>`); tolmach never expands them. A plain DOCTYPE without entities (`<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">`) is fine.",
    "TMX refers to an external resource; refused": "Remove external references from the file; tolmach never fetches them.",
    "a <tuv> has no xml:lang": 'Add `xml:lang=".."` to every `<tuv>`.',
    "malformed {kind}: {e}": "Fix the XML at the reported line and column (or its encoding declaration); nothing of the file was imported.",
    "malformed TMX: no root element": "Give a TMX file; this one is empty.",
    "not a TMX file (root element is <{t}>)": "Give a TMX file (`<tmx>` root).",
    "file too large (over {limit:.1f} MB, see --max-size)": "Raise `--max-size` if the file is trusted; nothing of it was imported.",
    "cannot import {ext} files (known: {known})": "Import a TMX file or a translated gettext catalog (.po).",
    "--origin must be human or imported": "Use `--origin human` or `--origin imported`.",
    "not a regular file (a folder, FIFO or device); not read": "Name the file itself; folders, FIFOs and devices are not imported.",
    "a column is named twice": "Rename or remove the duplicate header column.",
    "a langSet has no xml:lang": 'Add `xml:lang=".."` to every `<langSet>`.',
    "a term cannot contain a tab or a line break: {v!r}": "Remove the tab or line break from the term.",
    "a translation cannot be written in the catalog's charset {…}: {…}": "Convert the catalog to UTF-8 (`msgconv -t UTF-8`) and run again.",
    "bad header line {…}: {…}": "Fix the header: every line is `Name: value\\n`.",
    "binary data, not a glossary": "Give a UTF-8 text file.",
    "binary file (contains NUL bytes); expected text": "The file is not text (or is UTF-16/32 without a BOM); convert it to UTF-8.",
    "broken Plural-Forms expression: {…} ({…})": "Fix the `plural=` expression of the header.",
    "broken Plural-Forms header: {…}": "Write it as `nplurals=N; plural=EXPR;`.",
    "case must be 'sensitive', 'insensitive' or empty, not {v!r}": "Fix the `case` column of that row.",
    "context must be 'required', language codes (en, de) or empty, not {v!r}": "Fix the `context` column of that row: `required` (every language), the languages whose abbreviation needs its full name nearby (`en`), or empty.",
    "'disable' must be a list of rule ids": "Fix `disable = [...]` under `[audit]` in tolmach.toml (or `[tool.tolmach.audit]` in pyproject.toml): a list of rule ids such as `\"qa-length\"`.",
    "corrupt zip: {err}": "Download the package again.",
    "duplicate message definition": "Remove the second definition (`msguniq` can help).",
    "duplicate msgstr": "Keep one `msgstr` in that entry.",
    "empty file: nothing to detect": "Nothing to do; check you named the right file.",
    "empty source or target term": "Fill both cells of that row or delete it.",
    "entry has no msgstr": 'Add `msgstr ""` to the entry.',
    "expands to more than {n} bytes": "Refused as a possible zip bomb; use a genuine Argos package.",
    "expected 2 columns (source, target), found {n}": "Fix that row; quote cells that contain the delimiter.",
    "expected a quoted string": "Strings in PO files are in double quotes.",
    "file too large ({size:.1f} MB; the limit is {limit:.1f} MB, see --max-size)": "Raise the limit with `--max-size MB` if the file is genuine.",
    "file too large (more than {limit:.1f} MB, see --max-size)": "The file gave more bytes than the limit while it was read (it grows, or it is a special file such as `/proc`): raise `--max-size` if it is genuine.",
    "{kind}, not a regular file; skipped": "tolmach reads only regular files (FIFOs, devices, sockets and links to them are never opened); point it at the file itself.",
    "changed since tolmach read it; not overwritten": "The file was edited while tolmach ran; your edit is kept. Run the command again to translate the new version.",
    "{a} and {b} would both be written to {dest}; translate them in separate runs or give their folders instead": "Translate them in separate runs with different `-o` folders, or pass their folders (relative paths are kept under `-o`).",
    "{dest} is an input; use --in-place to translate a file where it is": "Choose an output folder that holds none of the inputs, or use `--in-place`.",
    "member {name!r} has a name longer than {n} bytes": "The package is broken or hostile; get it again from the Argos index.",
    "member {name!r} has a path longer than {n} bytes": "The package is broken or hostile; get it again from the Argos index.",
    "{name!r} is both a file and a folder": "The package is broken or hostile; get it again from the Argos index.",
    "members conflict: {err}": "The package is broken or hostile; get it again from the Argos index.",
    "a member's name is too long": "The package is broken or hostile; get it again from the Argos index.",
    "corrupt compressed data: {err}": "The file is damaged (an interrupted download?); download it again.",
    "not a regular file; an .argosmodel file is a zip": "Give the path of the downloaded `.argosmodel` file itself (not a FIFO, device or link to one).",
    "metadata.json is nested too deeply": "The package is broken or hostile; get it again from the Argos index.",
    "expands {ratio:.0f} times its size: not a real package": "A real package expands by less than 2x; this one is a zip bomb or broken. Get it again from the Argos index.",
    "{name} {installed} is installed, newer than this package's {version}; add --downgrade to replace it": "Keep the newer package, or add `--downgrade` if you mean to go back to this version.",
    "the folder {name} in the packages folder holds {held}, not {src}→{tgt}; remove it first ('tolmach models remove {name}')": "Remove the installed package named in the message first (`tolmach models remove NAME`), then install again.",
    "file {name!r} is outside a top-level folder": "Not a valid Argos package: all files must be inside one folder.",
    "glossary files must be UTF-8": "Convert the file to UTF-8.",
    "invalid TOML: {e}": "Fix the config file at the reported place.",
    "invalid escape sequence \\{…}": 'Use PO escapes only: `\\\\n \\\\t \\\\" \\\\\\\\`.',
    "is a folder, not an .argosmodel file": "Give the `.argosmodel` file itself.",
    "malformed CSV: {e}": "Fix the quoting at the reported place.",
    "malformed PO file: entries could not be delimited": "Check with `msgfmt --check`; fix the reported entry.",
    "malformed PO file: {…}": "Check with `msgfmt --check`; fix the reported line.",
    "member {name!r} appears twice": "Not a valid Argos package; rebuild it.",
    "member {name!r} escapes the package folder": "Refused: the package tries to write outside its folder. Do not use it.",
    "member {name!r} has a suspicious compression ratio": "Refused as a possible zip bomb; use a genuine Argos package.",
    "member {name!r} has an absolute path": "Refused: the package tries to write outside its folder. Do not use it.",
    "member {name!r} is a symbolic link": "Refused: links in packages could point anywhere. Rebuild it without links.",
    "member {name!r} is encrypted": "Use an unencrypted package.",
    "metadata.json cannot be read": "Download the package again.",
    "metadata.json has an invalid {key}: {value!r}": "Fix metadata.json in the package.",
    "metadata.json is not valid JSON: {err}": "Fix metadata.json in the package.",
    "metadata.json lacks the field {key!r}": "Add the field to metadata.json.",
    "metadata.json must hold a JSON object": "Fix metadata.json in the package.",
    "misplaced msgctxt": "`msgctxt` must come before `msgid`.",
    "misplaced msgid": "Check the entry before this line: a keyword is missing or repeated.",
    "msgid_plural without msgid": "Add the `msgid` line first.",
    "msgstr without msgid": "Add the `msgid` line first.",
    "msgstr[n] on an entry without msgid_plural": "Use `msgstr` or add `msgid_plural`.",
    "must hold exactly one top-level folder, found {n}": "Not a valid Argos package: zip one folder.",
    "not UTF-8 text (invalid byte at offset {…}) and no usable declared charset": "Convert the file to UTF-8 (`iconv -f CP1251 -t UTF-8`); a file mixing encodings must be repaired first.",
    "not a TBX file (root element is <{t}>)": "Give a TBX file (`<martif>` or `<tbx>` root).",
    "not a tolmach baseline file ({…})": "Regenerate it with `tolmach audit --write-baseline`.",
    "not a valid PO file: {…}": "Check with `msgfmt --check`.",
    "not an Argos package: not a zip archive": "Give an `.argosmodel` file.",
    "not valid {…} text (byte {…})": "The BOM says UTF-16/32 but the content is not; re-save the file.",
    "only translation packages are supported (type {kind!r})": "Use a translation package.",
    "plural entry needs msgstr[n], not msgstr": "Write `msgstr[0]`, `msgstr[1]`….",
    "row has {n} cells but the header names {m} columns": "Fix that row (a stray tab?).",
    "string outside of an entry": "A quoted line must follow a keyword line.",
    "the catalog has plural entries but no valid Plural-Forms header": "Add a `Plural-Forms` header for the language.",
    "the first row must name the columns (en, ru, abbr:en, dnt, note...)": "Add a header row of language codes and meta columns.",
    "the top-level folder name must not start with '.'": "Rename the package folder.",
    "the zip is empty": "Download the package again.",
    "this is a compiled .mo catalog, not a .po source file": "Give the `.po` source, not the compiled `.mo`.",
    "too many members ({n})": "Refused as a possible zip bomb; use a genuine Argos package.",
    "unexpected text, not PO syntax": "Fix the reported line.",
    "unknown charset in the header: {…}": "Fix `charset=` in the `Content-Type` header.",
    "unreadable zip: {err}": "Download the package again.",
    "unsafe XML refused: {e}": "Remove DTD declarations from the file.",
    "unsafe member name {name!r}": "Refused: backslashes and NULs in member names could escape the folder.",
    "unterminated string": 'Close the string with `"`.',
    "{top}/metadata.json is missing": "Not a complete Argos package.",
    "{top}/model/model.bin is missing": "Not a complete Argos package.",
    "{top}/sentencepiece.model is missing": "Not a complete Argos package.",
    "cannot download {url} ({reason}); {hint}": "Offline: install from a file with `tolmach models install FILE.argosmodel`.",
    "cannot extract the package: {err}": "Check free disk space and permissions of the packages folder.",
    "cannot install the package: {err}": "Check permissions of the packages folder.",
    "cannot remove the package: {err}": "Check permissions of the packages folder.",
    "cannot write the packages folder: {err}": "Check permissions, or set `ARGOS_PACKAGES_DIR`.",
    "file is read-only; not modified": "Make it writable (`chmod u+w`) or write to `--output`.",
    "folder does not exist": "Create the folder first.",
    "glossary file not found": "Check the path.",
    "glossary is locked by another tolmach process (an import or edit) for more than {s:.0f} s; nothing was changed: run this again when it has finished": "Wait for the other import or edit to finish, then run the command again; a lock left by a killed process is released with it.",
    "is a directory": "Give a file, or a folder where folders are accepted.",
    "no such file": "Check the path.",
    "output folder does not exist": "Create it, or give an existing folder.",
    "output folder is not writable": "Fix permissions, or write elsewhere.",
    "permission denied": "Fix the file's permissions.",
    "the index entry for {src}→{tgt} has no download link": "Install from a file instead.",
    "the package index at {url} is not JSON": "Check `ARGOS_PACKAGE_INDEX`, or install from a file.",
    "the package index at {url} is not a list": "Check `ARGOS_PACKAGE_INDEX`, or install from a file.",
    "translation memory unusable: {…}": "Move the memory file aside (or `--no-memory`); a new one is created.",
    "translation memory: {…}": "Another process held the memory for over a minute; retry, or use `--no-memory`.",
    "{url} is larger than {n} bytes": "Refused; download the package by hand and install from the file.",
    "not a catalog format tolmach reads: {…}": "Give XLIFF, JSON, .properties, Android strings.xml, YAML or .po files (README, Localization catalogs).",
    "the catalog names no target language; pass --lang LANG": "Add `--lang LANG`, or name the file or folder after its language (`ru.json`, `values-ru/`).",
    "the source file is the catalog itself": "Give the source-language file with `--source`, not the catalog.",
    "no source file found for the catalog; pass --source FILE": "Pass `--source FILE`, or keep the source beside it by layout (`locales/en/` for `locales/ru/`, `values/` for `values-ru/`).",
    "--source needs exactly one catalog": "Run once per catalog, or drop `--source` and let the layout find each source.",
    "no such catalog; give --source to start it": "Check the path, or add `--source FILE` to start the catalog from its source.",
    "not an Android resource file: the root element is <{…}>": "Give a `res/values*/strings.xml` whose root is `<resources>`.",
    "a JSON catalog must be an object of keys": "The file's top level must be a JSON object of keys; arrays and scalars are not catalogs.",
    "malformed JSON: {…} (column {…})": "Fix the JSON at the line and column given (a trailing comma, a missing quote); nothing was changed.",
    "duplicate key {…}": "Remove one of the two definitions of the key.",
    "malformed \\uXXXX escape": "Write four hexadecimal digits after `\\u` (or a literal backslash as `\\\\`).",
    "not an XLIFF file: the root element is <{…}>": "Give an XLIFF 1.2 or 2.x file (root `<xliff>`).",
    "unsupported XLIFF version {…}": "Give XLIFF 1.2 or 2.x (`version` on `<xliff>`).",
    "malformed XML: unclosed elements": "Close every element; nothing was changed.",
    "XML with entity declarations is refused: {…}": "Remove the DTD's entity declarations (`<!ENTITY …>`); tolmach never expands them.",
    "malformed XML: {…}": "Fix the XML at the line given; nothing was changed.",
    "malformed XML: unexpected end tag </{…}>": "Fix the element nesting at the line given; nothing was changed.",
    "a YAML catalog must be a mapping of keys": "The file's top level must be a mapping of keys.",
    "YAML constructs tolmach cannot write back safely": "Anchors, aliases, merge keys and flow mappings are not rewritten; expand them into plain keys, or translate this file with another tool.",
    "malformed YAML: {…}": "Fix the YAML at the line given; nothing was changed.",
    "not a {kind} document: an OLE compound file (an old binary format?)": "It is a .doc/.ppt binary file renamed; open it in Word or LibreOffice and save it as .docx (or .odt); nothing was written.",
    "not a {kind} document: not a zip container (a renamed file of another kind?)": "The file is not what its extension says (check it with `file PATH`); rename it to its real extension, or convert it; nothing was written.",
    "not a {kind} document: damaged zip container": "The file is truncated or corrupt; get a fresh copy, or open and re-save it; nothing was written.",
    "ZIP64 containers are not supported": "Documents over 4 GB or with more than 65,535 members are not read; split the document; nothing was written.",
    "too many members in the container ({count})": "A document has far fewer members; treat the file as hostile, or split it; nothing was written.",
    "unsafe member name {name!r} in the container": "A member name is absolute or climbs out with `..` (a zip-slip attack); do not open the file elsewhere either; nothing was written.",
    "member names in the zip headers disagree ({name!r})": "The local and central headers name different files (a smuggling trick or corruption); re-save the document; nothing was written.",
    "member {name} is missing": "The container lacks a part its own manifest names; re-save the document; nothing was written.",
    "member {name} is too large ({size} bytes uncompressed)": "A text part over 256 MB is not read; split the document; nothing was written.",
    "member {name} is not the size its header declares": "The zip headers lie about a member's size (a zip bomb or corruption); re-save the document; nothing was written.",
    "member {name} uses compression method {method}, which tolmach cannot write": "Re-save the document (Word, LibreOffice and zip tools use deflate); nothing was written.",
    "encrypted or password-protected {kind} document; remove the password first": "Open it with its password and save a copy without one, translate that; nothing was written.",
    "member {name} appears twice": "Two members share a name, so readers disagree on the content; re-save the document; nothing was written.",
    "encrypted or password-protected {kind} document (member {name}); remove the password first": "Unpack it with its password and zip it again without one; nothing was written.",
    "the container unpacks to more than {limit} MB (a zip bomb?)": "A document this large unpacked is not read; check where it came from; nothing was written.",
    "member {name} is compressed {ratio}:1 (a zip bomb?)": "Documents compress about 10:1; this one would fill memory. Check where it came from; nothing was written.",
    "members {a} and {b} overlap (a zip bomb?)": "Two members share their bytes (an overlapping zip bomb); check where the file came from; nothing was written.",
    "member {name} is damaged: {error}": "A member fails its checksum or cannot be decompressed; get a fresh copy; nothing was written.",
    "not an EPUB book: no META-INF/container.xml": "The zip is not an EPUB (or is damaged); check the file; nothing was written.",
    "not an EPUB book: no package document": "`META-INF/container.xml` names no package document that exists; repair the book (e.g. with Sigil or Calibre); nothing was written.",
    "{part} is encrypted (DRM); tolmach cannot read it": "The book is DRM-protected; translate a DRM-free edition; nothing was written.",
    "not an OpenDocument text or presentation (mimetype {mimetype!r})": "Only ODF text (.odt, .ott) and presentations (.odp) are read; spreadsheets and drawings are not; nothing was written.",
    "not an OpenDocument file: no content.xml": "The zip is not an OpenDocument file (or is damaged); re-save it in LibreOffice; nothing was written.",
    "not an Office Open XML document: no [Content_Types].xml (a zip of another kind?)": "The file is a zip but not a Word or PowerPoint document; check the file; nothing was written.",
    "not a Word or PowerPoint document: no main document part in [Content_Types].xml": "Spreadsheets (.xlsx) and other packages are not read; re-save the document in Word or LibreOffice; nothing was written.",
    "{part}: XML with a document type, entities or external references is refused ({what})": "Office parts never declare entities; this one may be an entity bomb or read local files (XXE). Check where it came from; nothing was written.",
    "{part}: not well-formed XML ({error})": "The part is damaged; open and re-save the document; nothing was written.",
    "{part}: not UTF-8 (invalid byte at offset {offset})": "Parts are read as UTF-8 (or UTF-16 with a BOM); re-save the document; nothing was written.",
}
ADVICE[OS_MESSAGE] = (
    "Fix what the system reports (path, permissions, disk space); nothing was changed."
)


def _message(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.Call):
        func = node.func
        if isinstance(func, ast.Name) and func.id == "_" and node.args:
            return _message(node.args[0])
        if isinstance(func, ast.Attribute) and func.attr == "format":
            return _message(func.value)
        if isinstance(func, ast.Name) and func.id == "missing_model_message":
            return "<missing model message>"
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{…}" for v in node.values)
    if isinstance(node, ast.BinOp):
        left, right = _message(node.left), _message(node.right)
        if left is not None:
            return left + (right or "")
    return None


def raised() -> dict[str, tuple[int, list[str]]]:
    """message -> (exit code, [file:line, ...]) for every raise under toolkit/."""
    found: dict[str, tuple[int, list[str]]] = {}
    for path in sorted((ROOT / "toolkit").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            func = node.exc.func
            if not (isinstance(func, ast.Name) and func.id in CLASSES):
                continue
            args = node.exc.args
            message = (_message(args[0]) if args else None) or OS_MESSAGE
            where = f"{path.relative_to(ROOT).as_posix()}"
            _code, places = found.setdefault(message, (CLASSES[func.id], []))
            if where not in places:
                places.append(where)
    return found


HEAD = """# Error catalogue

Every error tolmach reports is one line on stderr, `tolmach: error: PATH[:LINE]: MESSAGE`,
and a documented exit code; no traceback. This page lists every message (generated
from the source by `python scripts/error_catalogue.py`; a test keeps it current).
`{…}` stands for a value filled in at run time.

| code | meaning |
|---|---|
| 0 | success (warnings, if any, are lines starting `tolmach: warning:`) |
| 1 | findings at or above `--fail-on` (`audit`, `glossary check`, `po audit`) |
| 2 | usage error: a bad option, argument or combination |
| 3 | a model or an optional dependency is missing |
| 4 | bad input: binary, undecodable, malformed, too large, unsafe |
| 5 | a file, folder, the translation memory or the network could not be used |
| 6 | the translation engine failed on the input (CTranslate2 reports why) |
| 130 | interrupted (Ctrl-C): the line says how many files were written; the others are unchanged |

With several files, a bad file gets its line and the others are still processed; the exit
code is the highest of the failures' codes. Every command follows this one rule
(`toolkit.errors.run_exit_code`).

## Not errors, but worth knowing

| line | exit | what to do |
|---|---|---|
| `tolmach: warning: PATH: symbolic link to a file outside the folder; skipped` | 0 | `translate --in-place` on a folder never writes through a link; translate the target itself if you mean to. |
| `tolmach: warning: PATH: symbolic link; skipped (its target is translated where it lives)` | 0 | Nothing: the linked file inside the folder is translated, the link stays a link. |
| `tolmach: warning: PATH: the output path leads outside the output folder through a link; skipped` | 0 | Remove the link inside the `--output` folder. |
| `tolmach: error: interrupted; N files written, the others unchanged` | 130 | Run again; the N files written are complete, the others untouched. A Ctrl-C after the last write is not an interruption: the run ends normally. |
| click's own usage messages (`No such option`, `Missing argument`) | 2 | See `tolmach COMMAND --help`. |

### Interrupted runs

Every write is a temporary file in the same folder, fsynced, then renamed over the
target, so a file is always either its old or its new version. A process killed with
SIGKILL (or a power loss) between writing the temporary file and renaming it cannot
remove it: a hidden `.<name>.<random>.tmp` may stay beside the file. tolmach never reads
such files; the next run that writes into that folder removes those older than 10 minutes
(only that exact name pattern, regular files owned by the user). A killed `models install`
leaves a `.tolmach-staging-*` folder; the next install or remove deletes it. The translation memory is SQLite in WAL mode: a killed run
loses at most the batch it was writing, never the database (`PRAGMA integrity_check`
stays `ok`). Glossary edits hold a lock file `<glossary>.lock`; the lock is released
when the process dies, the file itself may stay and is harmless.

"""

SECTIONS = {
    2: "Usage errors (exit 2)",
    3: "Missing model or dependency (exit 3)",
    4: "Bad input (exit 4)",
    5: "Files, memory and network (exit 5)",
}
for _code in sorted(set(CLASSES.values()) - set(SECTIONS)):
    SECTIONS[_code] = f"Exit {_code}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render() -> str:
    found = raised()
    out = [HEAD]
    for code, title in SECTIONS.items():
        if not any(c == code for c, _ in found.values()):
            continue
        out.append(f"## {title}\n\n| message | raised in | what to do |\n|---|---|---|\n")
        for message in sorted(m for m, (c, _) in found.items() if c == code):
            places = ", ".join(f"`{p}`" for p in found[message][1])
            advice = ADVICE.get(message, "")
            fence = "``" if "`" in message else "`"
            shown = message if message == OS_MESSAGE else f"{fence} {_cell(message)} {fence}"
            if fence == "`":
                shown = f"`{_cell(message)}`"
            if message == "<missing model message>":
                shown = (
                    "`no Argos model installed for {src}→{tgt}; install one with 'tolmach models"
                    " install --from {src} --to {tgt}' (online) or 'tolmach models install"
                    " FILE.argosmodel' (offline)`"
                )
            out.append(f"| {shown} | {places} | {_cell(advice)} |\n")
        out.append("\n")
    return "".join(out).rstrip() + "\n"


def main() -> int:
    missing = [m for m in raised() if m not in ADVICE]
    if missing:
        for m in missing:
            print(f"no advice for: {m!r}", file=sys.stderr)
        return 1
    text = render()
    if "--check" in sys.argv:
        if not DOC.exists() or DOC.read_text(encoding="utf-8") != text:
            print("docs/errors.md is stale: run python scripts/error_catalogue.py", file=sys.stderr)
            return 1
        return 0
    DOC.parent.mkdir(exist_ok=True)
    DOC.write_text(text, encoding="utf-8")
    print(f"wrote {DOC.relative_to(ROOT)}: {len(raised())} messages")
    return 0


if __name__ == "__main__":
    sys.exit(main())
