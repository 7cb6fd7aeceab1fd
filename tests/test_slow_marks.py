"""Every test that starts a process of its own is marked `slow`, so `make test FAST=1`
(`-m "not slow"`) leaves out all of them and nothing else, and CI runs them."""

import ast
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
# What starts a process: a subprocess, gunicorn (tests/footcare/conftest.py), or a helper
# that serves the site with it.
STARTS_A_PROCESS = {"subprocess", "gunicorn", "serve_site"}


def names_in(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name)}


def decorator_names(node: ast.FunctionDef) -> set[str]:
    return {ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list}


def functions(module: ast.Module) -> list[ast.FunctionDef]:
    return [n for n in ast.walk(module) if isinstance(n, ast.FunctionDef)]


def modules() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text()) for path in sorted(TESTS.rglob("*.py"))}


def process_fixtures(parsed: dict[Path, ast.Module]) -> set[str]:
    """The fixtures that start a process, however indirectly (`run_django`, a served site)."""
    found: set[str] = set()
    fixtures = [
        node
        for module in parsed.values()
        for node in functions(module)
        if decorator_names(node) & {"pytest.fixture", "fixture"}
    ]
    while True:
        more = {
            node.name
            for node in fixtures
            if names_in(node) & (STARTS_A_PROCESS | found)
            or {a.arg for a in node.args.args} & found
        }
        if more <= found:
            return found
        found |= more


def module_is_slow(module: ast.Module) -> bool:
    return any(
        isinstance(node, ast.Assign)
        and any(isinstance(t, ast.Name) and t.id == "pytestmark" for t in node.targets)
        and "pytest.mark.slow" in ast.unparse(node.value)
        for node in module.body
    )


def test_every_test_that_starts_a_process_is_marked_slow():
    parsed = modules()
    starting = STARTS_A_PROCESS | process_fixtures(parsed)
    unmarked = [
        f"{path.relative_to(TESTS)}::{node.name}"
        for path, module in parsed.items()
        if not module_is_slow(module)
        for node in functions(module)
        if node.name.startswith("test_")
        and (names_in(node) | {a.arg for a in node.args.args}) & starting
        and "pytest.mark.slow" not in decorator_names(node)
    ]

    assert unmarked == []


def test_the_scan_finds_the_process_fixtures():
    assert {"run_django", "library_site"} <= process_fixtures(modules())


def test_the_slow_marker_is_registered(pytestconfig: pytest.Config):
    # --strict-markers is on: a mistyped mark fails collection rather than running always.
    assert any(line.startswith("slow:") for line in pytestconfig.getini("markers"))
