"""The history of the library: every change kept as a version, shown as a difference, revertible.

django-reversion keeps the versions (README, "Content history": why it and not
django-simple-history). A version of an exercise is one revision holding the exercise's
row and every row of its parts (`EXERCISE_PARTS`: steps, tips, muscle, condition and
source links, its edges up the ladder), so what an editor saved in one form comes back
together.

Here a "graph" is one object with its parts, as plain JSON: what a version holds, what a
change waiting for review holds (`exercises.workflow`), and what `apply_graph` writes
back, for a revert or an approval alike. `describe` turns a graph into labelled text
and `difference` compares two of those for the admin's history and review pages.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import reversion
from django.core import serializers
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from reversion.models import Version

# The reverse accessors of an exercise's parts, each a model with a foreign key to it.
# A new inline of the exercise admin joins its history by adding its accessor here.
EXERCISE_PARTS: tuple[str, ...] = (
    "steps",
    "tips",
    "muscle_links",
    "condition_links",
    "source_links",
    "to_harder",
    "pictures",
)

# Fields that are bookkeeping, not content: never versioned, compared or reverted.
NOT_CONTENT = frozenset(
    {"id", "created_at", "updated_at", "search_related", "reviewed_by", "reviewed_at"}
)

# Every versioned model's parts: {model label: accessors}. Filled by `register`.
PARTS: dict[str, tuple[str, ...]] = {}


def register(model: type[models.Model], parts: Iterable[str] = ()) -> None:
    """Keep versions of `model`, each with the rows of these parts (reverse accessors)."""
    parts = tuple(parts)
    for part in parts:
        part_model = model._meta.get_field(part).related_model
        if not reversion.is_registered(part_model):
            reversion.register(part_model, exclude=_excluded(part_model))
    if not reversion.is_registered(model):
        reversion.register(model, follow=parts, exclude=_excluded(model))
    PARTS[model._meta.label_lower] = parts


def _excluded(model: type[models.Model]) -> tuple[str, ...]:
    return tuple(f.name for f in model._meta.concrete_fields if f.name in NOT_CONTENT)


def _part_fk(model: type[models.Model], part: str) -> models.ForeignKey:
    return model._meta.get_field(part).field


def _rows(objects: Iterable[models.Model]) -> list[dict]:
    rows = json.loads(serializers.serialize("json", objects))
    for row in rows:
        for name in NOT_CONTENT:
            row["fields"].pop(name, None)
    return rows


# -- Graphs ---------------------------------------------------------------------------


def graph_of(obj: models.Model) -> dict:
    """The object and its parts as they are in the database now."""
    model = type(obj)
    return {
        **_rows([obj])[0],
        "parts": {
            part: _rows(getattr(obj, part).order_by("pk"))
            for part in PARTS.get(model._meta.label_lower, ())
        },
    }


def graph_of_version(version: Version) -> dict:
    """The object and its parts as this version (and its revision) recorded them."""
    model = version.content_type.model_class()
    root = json.loads(version.serialized_data)[0]
    parts = {}
    for part in PARTS.get(model._meta.label_lower, ()):
        fk = _part_fk(model, part)
        rows = [
            json.loads(v.serialized_data)[0]
            for v in version.revision.version_set.filter(
                content_type__app_label=fk.model._meta.app_label,
                content_type__model=fk.model._meta.model_name,
            ).order_by("pk")
        ]
        parts[part] = [row for row in rows if str(row["fields"].get(fk.name)) == str(root["pk"])]
    return {**root, "parts": parts}


def apply_graph(obj: models.Model, graph: dict) -> None:
    """Make the database hold this graph for `obj`: its fields, and exactly these parts.

    A part row still in the database is updated in place; one that is not (deleted since,
    or never committed, like the rows of a change drafted for review) is created again,
    under its number if no other row has taken it (so the admin's form of a change under
    review, drawn from the rows this writes, posts back ids that this writes again);
    rows the graph lacks are deleted. Fields the graph does not name keep their value.
    Saved through the models, so the search text, the content version and, inside
    `reversion.create_revision`, the history follow.
    """
    model = type(obj)
    with transaction.atomic():
        found = next(serializers.deserialize("python", [_plain(graph)], ignorenonexistent=True))
        _copy(graph["fields"], found.object, obj)
        obj.save()
        for name, values in (found.m2m_data or {}).items():
            getattr(obj, name).set(values)
        for part, rows in graph["parts"].items():
            fk = _part_fk(model, part)
            manager = getattr(obj, part)
            wanted = {row["pk"] for row in rows}
            manager.exclude(pk__in=wanted).delete()
            live = manager.in_bulk()
            plain = [_plain(r) for r in rows]
            found_rows = serializers.deserialize("python", plain, ignorenonexistent=True)
            for raw, row in zip(rows, found_rows, strict=True):
                part_obj = live.get(row.object.pk)
                if part_obj is None:
                    part_obj = row.object
                    if type(part_obj)._base_manager.filter(pk=part_obj.pk).exists():
                        part_obj.pk = None  # the number went to another row meanwhile
                else:
                    _copy(raw["fields"], row.object, part_obj)
                setattr(part_obj, fk.attname, obj.pk)
                part_obj.save()


def _copy(names: Iterable[str], source: models.Model, target: models.Model) -> None:
    """Set on `target` the fields named here (as a version gives them) from `source`."""
    for name in names:
        field = _field(type(target), name)
        if field is not None and field.concrete and not field.many_to_many:
            setattr(target, field.attname, getattr(source, field.attname))


def _plain(row: dict) -> dict:
    return {"model": row["model"], "pk": row["pk"], "fields": row["fields"]}


def _field(model: type[models.Model], name: str) -> models.Field | None:
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:  # a field removed since the version was kept
        return None


# -- Reading a graph --------------------------------------------------------------------


def describe(graph: dict) -> dict[str, str]:
    """The graph as labelled text: one entry per field of the object, one per part."""
    model = _model(graph["model"])
    text = {}
    for name, value in graph["fields"].items():
        field = _field(model, name)
        if field is None or not field.editable:
            continue
        text[str(field.verbose_name).capitalize()] = _value(field, value)
    for part, rows in graph.get("parts", {}).items():
        part_model = _part_fk(model, part).model
        fk = _part_fk(model, part).name
        lines = sorted(_row_line(part_model, row, skip=fk) for row in rows)
        text[str(part_model._meta.verbose_name_plural).capitalize()] = "\n".join(lines)
    return text


def _model(label: str) -> type[models.Model]:
    from django.apps import apps

    return apps.get_model(label)


def _row_line(model: type[models.Model], row: dict, skip: str) -> str:
    values = []
    for name, value in row["fields"].items():
        field = _field(model, name)
        if field is None or name == skip or not field.editable:
            continue
        shown = _value(field, value)
        if shown:
            values.append(shown)
    return " · ".join(values)


def _value(field: models.Field, value: Any) -> str:
    if value is None or value == "":
        return ""
    if field.many_to_many:
        names = field.related_model._base_manager.filter(pk__in=value).order_by("pk")
        return ", ".join(str(obj) for obj in names)
    if field.is_relation:
        found = field.related_model._base_manager.filter(pk=value).first()
        return str(found) if found else f"(gone: #{value})"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


@dataclass(frozen=True)
class Line:
    kind: str  # "same", "removed" or "added"
    text: str


@dataclass(frozen=True)
class Changed:
    label: str
    lines: list[Line]


def difference(before: dict[str, str], after: dict[str, str]) -> list[Changed]:
    """What differs between two descriptions, entry by entry, line by line."""
    changes = []
    for label in [*after, *(k for k in before if k not in after)]:
        old, new = before.get(label, ""), after.get(label, "")
        if old == new:
            continue
        lines = []
        for line in difflib.ndiff(old.splitlines(), new.splitlines()):
            mark, text = line[:2], line[2:]
            if mark == "- ":
                lines.append(Line("removed", text))
            elif mark == "+ ":
                lines.append(Line("added", text))
            elif mark == "  ":
                lines.append(Line("same", text))
        changes.append(Changed(label, lines))
    return changes


def versions_of(obj: models.Model) -> list[Version]:
    """The object's recorded versions, newest first, with who made them."""
    return list(
        Version.objects.get_for_object(obj).select_related("revision__user").order_by("-pk")
    )


def register_library() -> None:
    """Version every library model; called by the app's ready() and before the admin's
    classes (reversion's admin would otherwise register them its own way first)."""
    from .models import Condition, Equipment, Exercise, Muscle, Progression, Source

    register(Exercise, EXERCISE_PARTS)
    for model in (Muscle, Condition, Equipment, Source, Progression):
        register(model)
