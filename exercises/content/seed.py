"""The content file and the database: `library_seed` loads it, `library_snapshot` reads back."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch

from exercises import ladders
from exercises.cache import one_bump
from exercises.models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExercisePicture,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    MuscleRole,
    Progression,
    Source,
    StoredIn,
)
from exercises.pictures import picture_size
from exercises.search import related_text_refresh

from . import file
from .file import LibraryFileError, where

# The sections whose rows are one model's rows, field for field.
PLAIN = {"sources": Source, "equipment": Equipment, "muscles": Muscle, "conditions": Condition}
ROLE_ORDER = {MuscleRole.PRIMARY: 0, MuscleRole.SECONDARY: 1}


@dataclass
class SeedReport:
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {section: Counter() for section in file.SECTIONS}
    )

    def count(self, section: str, outcome: str) -> None:
        self.counts[section][outcome] += 1

    @property
    def changed(self) -> bool:
        return any(c[o] for c in self.counts.values() for o in ("created", "updated", "removed"))

    def lines(self) -> list[str]:
        lines = []
        for section, counts in self.counts.items():
            outcomes = ["created", "updated", "unchanged"]
            if section == "progressions":
                outcomes.append("removed")
            if counts["kept"]:
                outcomes.append("kept")
            lines.append(f"{section}: " + ", ".join(f"{counts[o]} {o}" for o in outcomes))
        return lines


class _Writer:
    """Validates each row as the admin would, so the file meets the editors' rules, and
    gathers every problem with where it is before anything is kept."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.new_children: dict[type[models.Model], list[models.Model]] = {}

    def valid(self, obj: models.Model, at: str, *, child: bool = False) -> bool:
        try:
            if child:
                # Its parent exists and the file check refused duplicates and unknown
                # choices: the fields alone, without a query per row.
                obj.clean_fields(exclude=[f.name for f in obj._meta.fields if f.is_relation])
            else:
                # clean() and the field validators hold the check constraints' rules in
                # Python; running each constraint would cost a query.
                obj.full_clean(validate_constraints=False)
        except ValidationError as error:
            self.problems.extend(
                f"{at}{'' if name == '__all__' else '.' + name}: {message}"
                for name, messages in error.message_dict.items()
                for message in messages
            )
            return False
        return True

    def save(self, obj: models.Model, at: str) -> bool:
        if not self.valid(obj, at):
            return False
        try:
            obj.save()
        except IntegrityError as error:
            # A backstop: validation mirrors the constraints. The transaction is unusable
            # now, so stop here, saying which rule broke.
            message = next(
                (str(c.get_violation_error_message()) for c in obj._meta.constraints
                 if c.name in str(error)),
                f"refused by the database ({error})",
            )  # fmt: skip
            raise LibraryFileError([f"{at}: {message}"]) from error
        return True

    def add_child(self, obj: models.Model, at: str) -> None:
        if self.valid(obj, at, child=True):
            self.new_children.setdefault(type(obj), []).append(obj)

    def check(self) -> None:
        if self.problems:
            raise LibraryFileError(self.problems)


def _changed(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when any did."""
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    for name in changed:
        setattr(obj, name, values[name])
    return bool(changed)


@transaction.atomic
@one_bump()  # bulk writes send no signals; one bump for the lot
def library_seed(*, data: dict[str, Any], only_new: bool = False) -> SeedReport:
    """Make the database hold what the (already parsed) content file says.

    Rows are matched by slug (a source by key): new ones are created, edited ones
    updated, and an exercise whose steps, tips, muscles, conditions, sources or equipment
    changed gets exactly the file's, as do its edges up to harder exercises. Nothing the
    file does not name is deleted: exercises written in the admin stay.

    With only_new, rows already in the database are kept exactly as editors left them
    (counted as "kept"); only what the database lacks is added, and a progression only
    when one of its ends is new. This is what `make run` does on every start.
    One transaction: any problem raises LibraryFileError and nothing is written.
    """
    report, writer = SeedReport(), _Writer()
    found: dict[str, dict[str, Any]] = {}
    for section, model in PLAIN.items():
        key = file.KEY[section]
        found[section] = {getattr(obj, key): obj for obj in model.objects.all()}
        for index, row in enumerate(data[section]):
            obj = found[section].setdefault(row[key], model(**row))
            outcome = _outcome(obj, row, only_new)
            if outcome in ("kept", "unchanged") or writer.save(obj, where(data, section, index)):
                report.count(section, outcome)
    writer.check()

    exercises = {exercise.slug: exercise for exercise in _with_children(Exercise.objects)}
    created = set()
    for index, row in enumerate(data["exercises"]):
        at = where(data, "exercises", index)
        values = {name: row[name] for name in file.EXERCISE_COLUMNS} | {
            f"dose_{key}": value for key, value in row["dose"].items()
        }
        exercise = exercises.setdefault(row["slug"], Exercise(**values))
        outcome = _outcome(exercise, values, only_new)
        new_children = outcome == "created" or (
            outcome != "kept" and _children(row) != _children(_exercise_row(exercise))
        )
        if new_children and outcome == "unchanged":
            outcome = "updated"  # the exercise's row records when its content last changed
        if outcome in ("kept", "unchanged"):
            report.count("exercises", outcome)
            continue
        if not writer.save(exercise, at):
            continue
        report.count("exercises", outcome)
        if outcome == "created":
            created.add(row["slug"])
        kept_sizes = {}
        if outcome != "created" and new_children:
            kept_sizes = {picture.file_name: picture for picture in exercise.pictures.all()}
            for name in ("steps", "tips", "muscle_links", "condition_links", "source_links"):
                getattr(exercise, name).all().delete()
            exercise.equipment.clear()
            exercise.pictures.all().delete()  # rows only: the files stay where they are
        if new_children:
            for child_at, child in _child_rows(exercise, row, found, kept_sizes):
                writer.add_child(child, f"{at}.{child_at}")
    writer.check()
    for model, rows in writer.new_children.items():
        model.objects.bulk_create(rows)

    _seed_progressions(data, exercises, report, writer, only_touching=created if only_new else None)
    writer.check()
    # Links went in by bulk insert, which sends no signals: bring search up to date here.
    related_text_refresh()
    return report


def _outcome(obj: models.Model, values: dict[str, Any], only_new: bool) -> str:
    if obj.pk is None:
        return "created"
    if only_new:
        return "kept"
    return "updated" if _changed(obj, values) else "unchanged"


def _children(row: dict[str, Any]) -> tuple[Any, ...]:
    """What an exercise's child rows say, in the order that matters and no other."""
    return (
        row["steps"],
        row["pictures"],
        [(tip["kind"], tip["text"]) for tip in row["tips"]],
        sorted(row["equipment"]),
        sorted((link["muscle"], link["role"]) for link in row["muscles"]),
        sorted((link["condition"], link["note"]) for link in row["conditions"]),
        sorted(row["sources"]),
    )


def _child_rows(
    exercise: Exercise,
    row: dict[str, Any],
    found: dict[str, dict[str, Any]],
    kept: dict[str, ExercisePicture],
) -> Iterator[tuple[str, models.Model]]:
    for n, text in enumerate(row["steps"]):
        yield f"steps[{n}]", ExerciseStep(exercise=exercise, number=n + 1, text=text)
    for n, picture in enumerate(row["pictures"]):
        yield f"pictures[{n}]", _picture(exercise, n + 1, picture, kept.get(picture["file"]))
    for n, tip in enumerate(row["tips"]):
        yield f"tips[{n}]", ExerciseTip(exercise=exercise, order=n + 1, **tip)
    for link in row["muscles"]:
        muscle = found["muscles"][link["muscle"]]
        yield "muscles", ExerciseMuscle(exercise=exercise, muscle=muscle, role=link["role"])
    for link in row["conditions"]:
        condition = found["conditions"][link["condition"]]
        yield (
            "conditions",
            ExerciseCondition(exercise=exercise, condition=condition, note=link["note"]),
        )
    for key in row["sources"]:
        yield "sources", ExerciseSource(exercise=exercise, source=found["sources"][key])
    for slug in row["equipment"]:
        through = Exercise.equipment.through
        yield "equipment", through(exercise=exercise, equipment=found["equipment"][slug])


def _picture(
    exercise: Exercise, order: int, row: dict[str, Any], before: ExercisePicture | None
) -> ExercisePicture:
    """The picture row, with its size (and an upload's WebP copies) from the file or from
    the row it replaces."""
    name, stored_in = row["file"], row["stored_in"]
    fields = {k: row[k] for k in ("kind", "alt", "caption", "credit", "licence")}
    picture = ExercisePicture(exercise=exercise, order=order, stored_in=stored_in, **fields)
    if stored_in == StoredIn.STATIC:
        picture.static_path = name
    else:
        picture.image.name = name
    if before is not None and before.stored_in == stored_in:
        picture.width, picture.height = before.width, before.height
        picture.renditions = before.renditions
    else:
        picture.width, picture.height = picture_size(picture)
    return picture


def _seed_progressions(
    data: dict[str, Any],
    exercises: dict[str, Exercise],
    report: SeedReport,
    writer: _Writer,
    *,
    only_touching: set[str] | None,
) -> None:
    """Each exercise in the file gets exactly the file's edges up to harder exercises.

    With only_touching, only edges with an end among those (new) exercises are added,
    and none is changed or removed: the ladders editors shaped between existing
    exercises stay as they are.
    """
    wanted = {
        (exercises[edge["from"]].pk, exercises[edge["to"]].pk): (index, edge)
        for index, edge in enumerate(data["progressions"])
        if only_touching is None or {edge["from"], edge["to"]} & only_touching
    }
    have = {}
    if only_touching is None:
        in_file = [exercises[row["slug"]].pk for row in data["exercises"]]
        have = {
            (edge.easier_id, edge.harder_id): edge
            for edge in Progression.objects.filter(easier__in=in_file)
        }
    # Removals first, so that an edge turned round in the file is not seen as a loop.
    for pair, edge in have.items():
        if pair not in wanted:
            edge.delete()
            report.count("progressions", "removed")
    for pair, (index, row) in wanted.items():
        fields = {"note": row["note"], "branch": row["branch"]}
        edge = have.get(pair) or Progression(easier_id=pair[0], harder_id=pair[1], **fields)
        outcome = _outcome(edge, fields, only_new=False)
        if outcome == "unchanged" or writer.save(edge, where(data, "progressions", index)):
            report.count("progressions", outcome)


def _with_children(exercises: models.Manager[Exercise]) -> models.QuerySet[Exercise]:
    """Exercises with their child rows, each in the content file's order."""
    return exercises.prefetch_related(
        Prefetch("equipment", queryset=Equipment.objects.order_by("slug")),
        Prefetch("steps", queryset=ExerciseStep.objects.order_by("number", "id")),
        Prefetch("tips", queryset=ExerciseTip.objects.order_by("order", "id")),
        Prefetch("pictures", queryset=ExercisePicture.objects.order_by("order", "id")),
        Prefetch("muscle_links", queryset=ExerciseMuscle.objects.select_related("muscle")),
        Prefetch(
            "condition_links",
            queryset=ExerciseCondition.objects.select_related("condition").order_by(
                "condition__slug"
            ),
        ),
        Prefetch(
            "source_links",
            queryset=ExerciseSource.objects.select_related("source").order_by("source__key"),
        ),
    )


def library_snapshot() -> dict[str, Any]:
    """Everything in the library as the content file holds it, in its canonical order."""
    edges = list(
        Progression.objects.select_related("easier", "harder").order_by(
            "easier__slug", "harder__slug"
        )
    )
    by_pk = {exercise.pk: exercise for exercise in _with_children(Exercise.objects)}
    # Ladders together, each from its easiest rung up: a reviewer sees an exercise beside
    # its easier and harder variants, in an order fixed by the content alone.
    order = ladders.ordered(
        by_pk,
        [(edge.easier_id, edge.harder_id) for edge in edges],
        key=lambda pk: (by_pk[pk].level, by_pk[pk].slug),
    )
    rows = {}
    for section, model in PLAIN.items():
        keys = file.ROW[section].model_fields
        rows[section] = list(model.objects.order_by(file.KEY[section]).values(*keys))
    return {
        **rows,
        "exercises": [_exercise_row(by_pk[pk]) for pk in order],
        "progressions": [
            {
                "from": edge.easier.slug,
                "to": edge.harder.slug,
                "note": edge.note,
                "branch": edge.branch,
            }
            for edge in edges
        ],
    }


def _exercise_row(exercise: Exercise) -> dict[str, Any]:
    muscle_links = sorted(
        exercise.muscle_links.all(), key=lambda link: (ROLE_ORDER[link.role], link.muscle.slug)
    )
    return {
        **{name: getattr(exercise, name) for name in file.EXERCISE_COLUMNS},
        "equipment": [item.slug for item in exercise.equipment.all()],
        "dose": {key: getattr(exercise, f"dose_{key}") for key in file.Dose.model_fields},
        "steps": [step.text for step in exercise.steps.all()],
        "pictures": [
            {
                "kind": p.kind,
                "file": p.file_name,
                "stored_in": p.stored_in,
                "alt": p.alt,
                "caption": p.caption,
                "credit": p.credit,
                "licence": p.licence,
            }
            for p in exercise.pictures.all()
        ],
        "tips": [{"kind": tip.kind, "text": tip.text} for tip in exercise.tips.all()],
        "muscles": [{"muscle": link.muscle.slug, "role": link.role} for link in muscle_links],
        "conditions": [
            {"condition": link.condition.slug, "note": link.note}
            for link in exercise.condition_links.all()
        ],
        "sources": [link.source.key for link in exercise.source_links.all()],
    }
