"""One meaning per fixture name across the suite: `runner` is Ada everywhere.

A fixture defined twice (in two conftests, or in two test files) can mean two things under
one name, and which one a test gets hangs on the folder it sits in. So each fixture is
defined once, and no test file reuses a fixture's name for something else: a helper
function, a module-level value, an imported name or a parametrized argument.
"""

import ast
from collections import defaultdict
from pathlib import Path

TESTS = Path(__file__).parent


def parsed() -> dict[Path, ast.Module]:
    return {path: ast.parse(path.read_text()) for path in sorted(TESTS.rglob("*.py"))}


def is_fixture(decorator: ast.expr) -> bool:
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    return ast.unparse(target) in {"pytest.fixture", "fixture"}


def fixtures(modules: dict[Path, ast.Module]) -> dict[str, list[str]]:
    """Each fixture's name and the files that define it."""
    found = defaultdict(list)
    for path, module in modules.items():
        for node in ast.walk(module):
            if isinstance(node, ast.FunctionDef) and any(map(is_fixture, node.decorator_list)):
                found[node.name].append(str(path.relative_to(TESTS)))
    return found


def parametrized_names(call: ast.Call) -> list[str]:
    first = call.args[0] if call.args else None
    if isinstance(first, ast.Constant) and isinstance(first.value, str):
        return [name.strip() for name in first.value.split(",")]
    if isinstance(first, ast.Tuple | ast.List):
        return [e.value for e in first.elts if isinstance(e, ast.Constant)]
    return []


def test_each_fixture_is_defined_once():
    twice = {name: files for name, files in fixtures(parsed()).items() if len(files) > 1}

    assert twice == {}, "rename one, or move the shared one to tests/conftest.py"


def test_no_test_file_reuses_a_fixtures_name_for_something_else():
    modules = parsed()
    defined = fixtures(modules)
    reused = []
    for path, module in modules.items():
        where = str(path.relative_to(TESTS))
        for node in module.body:
            names = []
            if isinstance(node, ast.FunctionDef) and not any(map(is_fixture, node.decorator_list)):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            elif isinstance(node, ast.ImportFrom):
                names = [alias.asname or alias.name for alias in node.names]
            reused += [f"{where}: {name}" for name in names if name in defined]
        for node in ast.walk(module):
            if isinstance(node, ast.Call) and ast.unparse(node.func).endswith("parametrize"):
                reused += [
                    f"{where}:{node.lineno}: parametrized {name}"
                    for name in parametrized_names(node)
                    if name in defined
                ]

    assert reused == []


def test_the_guard_sees_the_shared_fixtures():
    # The scan itself: the runners and the library live once, in tests/conftest.py.
    defined = fixtures(parsed())

    for name in ("runner", "other_runner", "runner_client", "seeded_library", "make_exercise"):
        assert defined[name] == ["conftest.py"]
