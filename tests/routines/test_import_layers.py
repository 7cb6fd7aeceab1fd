"""Imports run one way (docs/architecture.md): progress may read training and plans,
training may read plans, plans reads the library (exercises), and the site's own core
(footcare) reads none of them; nor is there a loop of imports anywhere among them.

Read from the source with `ast`, so a new import is judged before it is ever run. An
import under `if TYPE_CHECKING:` counts too (it is still a tie a reader must follow);
only the URLconf and the settings, which wire every app together, stand above the rule.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("footcare", "exercises", "routines")
# Lowest first: a module may import its own layer and those below, never one above. The
# site's core (accounts, the clock, the page cache) and the library share the ground floor.
LAYERS = (
    ("footcare", "exercises"),
    ("routines.plans",),
    ("routines.training",),
    ("routines.progress",),
    # What reads all of them and nothing reads: reminders and the shared page.
    ("footcare.reminders", "footcare.sharing"),
)
# What wires the apps together: the URLconf, the settings, the old app kept for its
# migrations only (its migrations name the plans' function they were written with).
WIRING = ("footcare.urls", "footcare.settings", "footcare.wsgi", "footcare.asgi", "routines")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    found = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            found[_module_name(path)] = path
    return found


SOURCES = _sources()


def _imports(name: str, path: Path) -> set[str]:
    """The modules of ours that `name` imports, anywhere in the file."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            # `from package import module` imports the module.
            targets = [
                f"{module}.{alias.name}" if f"{module}.{alias.name}" in SOURCES else module
                for alias in node.names
            ]
        else:
            continue
        found.update(t for t in targets if t.split(".")[0] in PACKAGES and t in SOURCES)
    found.discard(name)
    return found


GRAPH = {name: _imports(name, path) for name, path in SOURCES.items()}


def _layer(name: str) -> int | None:
    if name in WIRING or name == "routines.apps":
        return None
    best = None
    for number, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if name == prefix or name.startswith(prefix + "."):
                best = number
    return best


def test_the_rule_reads_every_app():
    assert {
        "routines.plans.models",
        "routines.training.views",
        "routines.progress.suggestions",
    } <= set(GRAPH)
    # Relative imports are read: `from .models import ...`, `from . import services`.
    assert {"routines.plans.models", "routines.plans.services"} <= GRAPH["routines.plans.views"]
    unplaced = {name for name in GRAPH if _layer(name) is None}
    assert unplaced == {
        "footcare.urls",
        "footcare.settings",
        "footcare.wsgi",
        "footcare.asgi",
        "routines",
        "routines.apps",
    }


def test_the_home_page_imports_no_view():
    """What the home page shows of an app it draws with that app's template tag."""
    assert not {t for t in GRAPH["footcare.views"] if t.rpartition(".")[2] == "views"}


def test_no_import_runs_upward():
    upward = []
    for name, targets in GRAPH.items():
        mine = _layer(name)
        if mine is None:
            continue
        for target in targets:
            theirs = _layer(target)
            if theirs is not None and theirs > mine:
                upward.append(f"{name} -> {target}")
    assert upward == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_loop_of_imports():
    assert _circles(GRAPH) == []
