"""Imports run one way: reminders and sharing read accounts, plans, the log and progress;
none of those imports them (so either app can be removed without touching the others)."""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LOWER = ["routines", "exercises", "footcare/accounts"]
UPPER = ("footcare.reminders", "footcare.sharing")


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def test_no_lower_app_imports_reminders_or_sharing() -> None:
    offenders = [
        f"{path.relative_to(REPO)} imports {module}"
        for folder in LOWER
        for path in sorted((REPO / folder).rglob("*.py"))
        for module in imported_modules(path)
        if module.startswith(UPPER)
    ]
    assert not offenders, offenders


def test_reminders_and_sharing_do_not_import_each_other() -> None:
    for app, other in (("reminders", "footcare.sharing"), ("sharing", "footcare.reminders")):
        for path in (REPO / "footcare" / app).rglob("*.py"):
            assert not any(m.startswith(other) for m in imported_modules(path)), path
