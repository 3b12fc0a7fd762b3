"""The plugin's layout: one folder per stage, no import cycles, the core apart from the speed layer."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "plugins" / "roundup"
STAGES = {"analysis", "glossary", "checks", "site", "search", "accel"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> set[str]:
    """The plugin's modules ``name`` imports, anywhere in the file (a
    function-local import is an import too)."""
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            # "from . import x" imports the module x, not the package's own code
            named = [t for t in submodules if t in known]
            targets = named if node.module is None and len(named) == len(submodules) else [base]
            targets += named
        else:
            continue
        found.update(target for target in targets if target in known and target != name)
    return found


def graph() -> dict[str, set[str]]:
    found = modules()
    known = set(found)
    return {name: imports_of(name, path, known) for name, path in found.items()}


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(edges.get(node, ())):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                item = stack.pop()
                component.append(item)
                if item == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_is_seen():
    edges = graph()
    assert "roundup.site.handlers" in edges["roundup"]
    assert "roundup.analysis.extension" in edges["roundup.site.reader"]
    assert "roundup.site.handlers" in edges["roundup.accel.hooks"]


def test_no_import_cycles():
    assert cycles(graph()) == []


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
        ({"a": {"b"}, "b": set()}, []),
    ],
)
def test_cycles_are_found(edges, expected):
    assert cycles(edges) == expected


def test_the_core_never_imports_the_speed_layer():
    offenders = {
        name: sorted(target for target in targets if target.startswith("roundup.accel"))
        for name, targets in graph().items()
        if not name.startswith("roundup.accel")
    }
    assert {name: found for name, found in offenders.items() if found} == {}


def top_level_imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_stage_is_a_folder_and_pure_stages_do_not_import_pelican():
    """analysis, glossary and checks are pure: only the site glue, the
    search generator, the build and the speed layer import Pelican."""
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and p.name != "__pycache__"} == STAGES
    pure = {
        name: path
        for name, path in modules().items()
        if name.split(".")[1:2] and name.split(".")[1] in {"analysis", "glossary", "checks"}
    }
    assert len(pure) > 10
    assert {name for name, path in pure.items() if "pelican" in top_level_imports(path)} == set()
    assert "pelican" in top_level_imports(PACKAGE / "site" / "reader.py")


def test_modules_stay_small():
    found = modules().items()
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in found}
    assert {name: size for name, size in sizes.items() if size > 320} == {}
