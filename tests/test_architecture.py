"""The shape of the package, checked from its source: no import cycles, one
door between the GUI and the core, no Qt in the core, small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "companion"
MAX_LINES = 400
# The core modules the GUI may import: docs/ARCHITECTURE.md names them.
GUI_DOOR = {
    "companion.core.engine",
    "companion.core.findings",
    "companion.core.settings",
    "companion.core.documents",
    "companion.core.paths",
    "companion.core.atomic",
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {_module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def _resolve(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = module.split(".")
    is_package = MODULES[module].name == "__init__.py"
    base = package if is_package else package[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _imports(module: str) -> set[str]:
    """Every companion module `module` imports, at any depth of its code
    (function-local and TYPE_CHECKING imports included)."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            target = _resolve(module, node)
            # `from package import module` imports that module; any other
            # name comes from the module `target` itself.
            names = [
                f"{target}.{alias.name}" if f"{target}.{alias.name}" in MODULES else target
                for alias in node.names
            ]
        for name in names:
            # `from package import module` names a module; otherwise the
            # longest known prefix is the module imported.
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("companion") and name != module:
                found.add(name)
    return found


GRAPH = {module: _imports(module) for module in MODULES}


def _edges_for_cycles(module: str) -> set[str]:
    # A submodule importing its own package's __init__ (for a re-export) is
    # not a design cycle; the package importing its submodules is normal.
    return {target for target in GRAPH[module] if not module.startswith(target + ".")}


def _cycles() -> list[list[str]]:
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(node: str) -> None:
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in _edges_for_cycles(node):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    return found


def test_the_import_graph_was_read() -> None:
    assert "companion.core.engine" in MODULES
    assert "companion.core.engine" in GRAPH["companion.cli"]


def test_no_import_cycles() -> None:
    assert _cycles() == []


def test_the_gui_reaches_the_core_only_through_its_door() -> None:
    crossings = {
        (module, target)
        for module, targets in GRAPH.items()
        if module.startswith("companion.gui")
        for target in targets
        if target.startswith("companion.core") and target not in GUI_DOOR
    }
    assert crossings == set()


def test_the_core_knows_nothing_of_qt_or_the_gui() -> None:
    offenders = []
    for module, path in MODULES.items():
        if not module.startswith("companion.core"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            if any(n.startswith(("PySide6", "companion.gui")) for n in names):
                offenders.append(module)
    assert offenders == []


@pytest.mark.parametrize("module", sorted(MODULES))
def test_every_module_stays_small(module: str) -> None:
    lines = MODULES[module].read_text(encoding="utf-8").count("\n")
    assert lines < MAX_LINES, f"{module} has {lines} lines"
