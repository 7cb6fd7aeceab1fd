"""The runner's data export: one JSON document gathered from every app that holds their data.

Apps add a section without touching this module: a function that takes the runner and
returns plain JSON-able data, registered under a top-level key, usually from the app's
`AppConfig.ready()`::

    from footcare.accounts.exports import export_section

    @export_section("plans")
    def plans_for_export(user: User) -> list[dict]:
        return [...]

Sections appear in the document in the order they were registered. Anything a runner owns
must be reachable from here, and must be deleted with their account (a foreign key to the
user with `on_delete=CASCADE`), so that export and deletion cover the same data.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.utils import timezone

from .models import User

ExportSection = Callable[[User], Any]

FORMAT_NAME = "footcare-export"
FORMAT_VERSION = 1
_RESERVED = frozenset({"format", "version", "exported_at"})
_sections: dict[str, ExportSection] = {}


def export_section(name: str) -> Callable[[ExportSection], ExportSection]:
    """Register `function(user)` as the export's `name` section."""
    if name in _RESERVED:
        raise ValueError(f"{name!r} is part of the export's envelope")

    def register(function: ExportSection) -> ExportSection:
        existing = _sections.get(name)
        if existing is not None and existing is not function:
            raise ValueError(f"The export section {name!r} is already registered by {existing!r}")
        _sections[name] = function
        return function

    return register


def registered_sections() -> tuple[str, ...]:
    return tuple(_sections)


def runner_export(user: User) -> dict[str, Any]:
    """Everything the runner owns, as one JSON-able document."""
    document: dict[str, Any] = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "exported_at": timezone.now().isoformat(),
    }
    for name, function in _sections.items():
        document[name] = function(user)
    return document
