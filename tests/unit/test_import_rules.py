"""The house's import rules (DESIGN.md), checked on the source: data flows one way, providers
→ sync → store → UI, and the parts below the UI never reach up.

Every import counts, those inside functions too (a lazy import is still a dependency), except
those under `if TYPE_CHECKING:`.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "inbox_tui"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_only(node: ast.If) -> bool:
    return isinstance(node.test, ast.Name) and node.test.id == "TYPE_CHECKING"


def imports_of(path: Path) -> set[str]:
    """The inbox_tui modules `path` imports (`from a import b` counts a.b when b is a module)."""
    found: set[str] = set()
    this = module_name(path)

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _type_checking_only(node):
            for child in node.orelse:
                visit(child)
            return
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:  # relative: from the package this module is in
                package = this.split(".")[: -node.level + (path.name == "__init__.py")]
                base = ".".join([*package, base] if base else package)
            found.add(base)
            found.update(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(path.read_text(), str(path)))
    known = {module_name(p) for p in PACKAGE.rglob("*.py")}
    return {name for name in found if name in known and name != this}


GRAPH = {module_name(p): imports_of(p) for p in PACKAGE.rglob("*.py")}


def importers(target: str) -> set[str]:
    return {
        m
        for m, deps in GRAPH.items()
        if any(d == target or d.startswith(target + ".") for d in deps)
    }


def under(module: str, *packages: str) -> bool:
    return any(module == p or module.startswith(p + ".") for p in packages)


def test_the_graph_is_read():
    assert "inbox_tui.config.paths" in GRAPH["inbox_tui.store.core"]
    assert "inbox_tui.sync" in GRAPH["inbox_tui.ui.app"]


def test_nothing_below_the_ui_imports_it():
    outside = {m for m in importers("inbox_tui.ui") if not under(m, "inbox_tui.ui")}
    assert outside <= {"inbox_tui.cli.start_app"}  # the entry point starts the app


def test_only_their_construction_imports_the_concrete_providers():
    """Everyone else speaks to the protocol (`providers.base`) and its results."""
    for concrete in ("inbox_tui.providers.ayrshare", "inbox_tui.providers.meta_graph"):
        outside = {m for m in importers(concrete) if not under(m, "inbox_tui.providers")}
        assert outside <= {"inbox_tui.demo"}, (concrete, outside)  # the demo's in-process fake


def test_the_store_is_used_through_its_interface():
    """Its parts (and their SQL) are its own: a second backend implements `Store` alone."""
    for module, deps in GRAPH.items():
        if not under(module, "inbox_tui.store"):
            inside = {d for d in deps if d.startswith("inbox_tui.store.")}
            assert not inside, (module, inside)


def test_the_fake_is_for_the_demo_the_fake_server_and_tests():
    outside = {m for m in importers("inbox_tui.fake") if not under(m, "inbox_tui.fake")}
    assert outside <= {"inbox_tui.demo", "inbox_tui.cli.setup_commands"}


@pytest.mark.parametrize(
    "package",
    [
        "inbox_tui.providers",
        "inbox_tui.store",
        "inbox_tui.sync",
        "inbox_tui.config",
        "inbox_tui.domain",
    ],
)
def test_what_is_below_the_ui_imports_no_textual(package):
    for path in PACKAGE.rglob("*.py"):
        if under(module_name(path), package):
            tree = ast.parse(path.read_text())
            names = {
                n.module if isinstance(n, ast.ImportFrom) else a.name
                for n in ast.walk(tree)
                if isinstance(n, ast.Import | ast.ImportFrom)
                for a in (n.names if isinstance(n, ast.Import) else [n])
            }
            assert not any(str(n).split(".")[0] == "textual" for n in names), path


def test_modules_stay_small_enough_to_read():
    """The house rule (DESIGN.md): no module of the package over ~500 lines, none in ui/ over
    400 (a module past that is doing two things)."""
    for path in PACKAGE.rglob("*.py"):
        lines = len(path.read_text().splitlines())
        limit = 400 if under(module_name(path), "inbox_tui.ui") else 500
        assert lines <= limit, (module_name(path), lines)


def test_no_import_circle():
    """A circle (config ⇄ config_paths was one) means neither side can be read alone."""
    done: set[str] = set()

    def walk(module: str, path: list[str]) -> None:
        if module in path:
            raise AssertionError(" → ".join([*path[path.index(module) :], module]))
        if module in done:
            return
        for dep in sorted(GRAPH.get(module, ())):
            walk(dep, [*path, module])
        done.add(module)

    for module in sorted(GRAPH):
        walk(module, [])
