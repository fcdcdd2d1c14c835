"""The import graph of toolkit/: arrows point down the layers, no cycle between folders.

DESIGN.md ("Layout"): cli -> (pipeline, audit, catalogs) -> (translation,
detect, glossary, formats) -> (engines, memory, files) -> (document,
findings, errors, i18n). A *unit* is a top-level module (``detect.py``) or
folder (``glossary/``) of toolkit/. Every import counts: module level,
inside functions, under ``if TYPE_CHECKING:``. A unit may import units of its
own layer or lower ones, as long as no two units import each other (directly
or round a loop).

The package root (``toolkit/__init__.py``) is the public facade: it may
import anything lazily, and ``from toolkit import __version__`` reads a
constant, so it is not a unit.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "toolkit"

# top to bottom; a new top-level module or folder must be given a layer here
LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"__main__", "cli", "api"}),
    frozenset({"pipeline", "audit", "po", "catalogs", "doctor", "memory_import", "serve"}),
    frozenset({"translation", "executors", "detect", "glossary", "formats", "markup"}),
    frozenset({"names", "dictionary"}),  # detect's helpers: names and codes, ru/uk dictionaries
    frozenset({"engines", "memory", "fuzzy", "tmx", "files", "models"}),
    frozenset({"document", "findings", "errors", "i18n", "languages", "cuda", "interrupt"}),
    frozenset({"wordlists"}),  # generated data, imports nothing
)

# Arrows tolerated while a move is under way. Each must still exist: when it is
# gone, delete it here. None at present.
PENDING: frozenset[tuple[str, str]] = frozenset()


def _module_name(path: Path, package: Path) -> list[str]:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imported(tree: ast.AST, current: list[str], is_package: bool) -> Iterable[str]:
    """Every absolute module name imported anywhere in ``tree`` (names imported
    from a package are yielded as submodules too: the caller keeps what exists)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = current if is_package else current[:-1]
                base = base[: len(base) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            yield module
            yield from (f"{module}.{alias.name}" for alias in node.names)


def import_graph(package: Path) -> dict[str, set[str]]:
    """``unit -> units it imports`` for the package folder ``package``."""
    name = package.name
    units = {p.stem if p.is_file() else p.name for p in package.iterdir()}
    units = {u for u in units if (package / u).is_dir() or (package / f"{u}.py").is_file()}
    units.discard("__init__")
    graph: dict[str, set[str]] = {u: set() for u in units if not u.startswith("__pycache__")}
    for path in sorted(package.rglob("*.py")):
        current = _module_name(path, package)
        if len(current) < 2:
            continue  # the package root: the facade
        unit = current[1]
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for module in _imported(tree, current, path.name == "__init__.py"):
            parts = module.split(".")
            if len(parts) >= 2 and parts[0] == name and parts[1] in graph and parts[1] != unit:
                graph[unit].add(parts[1])
    return graph


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one unit (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def violations(
    graph: Mapping[str, Iterable[str]],
    layers: tuple[frozenset[str], ...],
    allowed: frozenset[tuple[str, str]] = frozenset(),
) -> list[str]:
    """One line per unit without a layer, upward arrow and cycle."""
    depth = {u: i for i, layer in enumerate(layers) for u in layer}
    out = [f"{u}: no layer; add it to LAYERS" for u in sorted(graph) if u not in depth]
    for unit, targets in sorted(graph.items()):
        for target in sorted(targets):
            if (unit, target) in allowed or unit not in depth or target not in depth:
                continue
            if depth[target] < depth[unit]:
                out.append(f"upward arrow: {unit} imports {target}")
    kept = {u: {t for t in ts if (u, t) not in allowed} for u, ts in graph.items()}
    out.extend(f"cycle: {' <-> '.join(group)}" for group in cycles(kept))
    return out


def test_toolkit_imports_point_down_and_never_round() -> None:
    graph = import_graph(PACKAGE)
    assert violations(graph, LAYERS, PENDING) == []


def test_pending_arrows_still_exist() -> None:
    graph = import_graph(PACKAGE)
    gone = sorted(edge for edge in PENDING if edge[1] not in graph.get(edge[0], set()))
    assert gone == [], f"remove from PENDING, the arrow is gone: {gone}"


def test_the_graph_sees_every_kind_of_import() -> None:
    graph = import_graph(PACKAGE)
    assert "findings" in graph["glossary"]  # module level
    assert "po" in graph["audit"]  # inside a function
    assert "audit" not in graph["po"]
    assert "audit" not in graph["glossary"]
    assert "formats" in graph["po"]  # the catalog model reads through the one PO reader
    assert "po" not in graph["formats"]


def test_a_planted_violation_is_caught(tmp_path: Path) -> None:
    """A synthetic package: an upward import hidden in a function, a cycle through
    a TYPE_CHECKING block and a relative import; each is reported."""
    pkg = tmp_path / "toolkit"
    (pkg / "low").mkdir(parents=True)
    (pkg / "__init__.py").write_text("from toolkit.high import x\n")
    (pkg / "low" / "__init__.py").write_text("")
    (pkg / "low" / "a.py").write_text("def f():\n    from toolkit import high\n    return high\n")
    (pkg / "high.py").write_text("from .low import a\n")
    (pkg / "mid.py").write_text(
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from toolkit.side import y\n"
    )
    (pkg / "side.py").write_text("import toolkit.mid\n")
    (pkg / "stray.py").write_text("")
    graph = import_graph(pkg)
    assert graph == {
        "low": {"high"},
        "high": {"low"},
        "mid": {"side"},
        "side": {"mid"},
        "stray": set(),
    }
    layers = (frozenset({"high"}), frozenset({"mid", "side"}), frozenset({"low"}))
    assert violations(graph, layers) == [
        "stray: no layer; add it to LAYERS",
        "upward arrow: low imports high",
        "cycle: high <-> low",
        "cycle: mid <-> side",
    ]
    assert violations(graph, layers, frozenset({("low", "high"), ("side", "mid")})) == [
        "stray: no layer; add it to LAYERS"
    ]


@pytest.mark.parametrize(
    ("graph", "expected"),
    [
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"c"}}, [["a", "b"], ["c", "d"]]),
    ],
)
def test_cycles_on_synthetic_graphs(graph: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert sorted(cycles(graph)) == expected
