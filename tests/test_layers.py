"""The package's layers, checked: a module imports only from its own layer or those below.

errors -> families -> request -> results -> solvers, shapes -> render -> integrations -> study
-> cli.
Imports inside functions count too (a lazy import is still a dependency), and within the
solver layer the import graph has no cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parent.parent / "src" / "isoparam"

LAYERS = (
    ("errors", "_version"),
    ("families",),
    ("request",),
    ("results",),
    ("solvers", "shapes"),
    ("render",),
    ("integrations",),
    ("study",),
    ("cli", "__main__"),
)


def layer_of(module: str) -> int | None:
    """The layer index of ``isoparam.<part>...``; None for the package's front door."""
    part = module.split(".")[1] if "." in module else ""
    for index, names in enumerate(LAYERS):
        if part in names:
            return index
    return None


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def imports(path: Path) -> set[str]:
    """Every ``isoparam`` module ``path`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.startswith("isoparam"):
                found.add(node.module)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("isoparam"))
    return found


@pytest.mark.parametrize("module", sorted(modules()))
def test_no_module_imports_a_higher_layer(module: str) -> None:
    own = layer_of(module)
    if own is None:
        return  # isoparam/__init__.py and __main__.py gather everything
    for imported in imports(modules()[module]):
        theirs = layer_of(imported)
        assert theirs is not None, f"{module} imports the front door {imported}"
        assert theirs <= own, f"{module} (layer {own}) imports {imported} (layer {theirs})"


def test_every_module_has_a_layer() -> None:
    assert [m for m in modules() if "." in m and layer_of(m) is None] == []


def test_solvers_import_no_cycle() -> None:
    graph = {
        name: {i for i in imports(path) if i in modules()}
        for name, path in modules().items()
        if layer_of(name) == layer_of("isoparam.solvers")
    }
    visiting: list[str] = []
    done: set[str] = set()

    def visit(node: str) -> None:
        assert node not in visiting, " -> ".join([*visiting, node])
        if node in done:
            return
        visiting.append(node)
        for following in graph.get(node, ()):
            visit(following)
        visiting.pop()
        done.add(node)

    for node in graph:
        visit(node)
