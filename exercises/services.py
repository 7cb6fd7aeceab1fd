"""Writes that span the library's models: loading the content file, and reading it back."""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Prefetch

from .library_file import LibraryFileError
from .models import (
    Condition,
    Equipment,
    Exercise,
    ExerciseCondition,
    ExerciseMuscle,
    ExerciseSource,
    ExerciseStep,
    ExerciseTip,
    Muscle,
    MuscleRole,
    Progression,
    Source,
)
from .search import related_text_refresh

KINDS = ("sources", "equipment", "muscles", "conditions", "exercises", "progressions")


@dataclass
class SeedReport:
    counts: dict[str, Counter[str]] = field(
        default_factory=lambda: {kind: Counter() for kind in KINDS}
    )

    def count(self, kind: str, outcome: str) -> None:
        self.counts[kind][outcome] += 1

    @property
    def changed(self) -> bool:
        return any(
            counts[outcome]
            for counts in self.counts.values()
            for outcome in ("created", "updated", "removed")
        )

    def lines(self) -> list[str]:
        lines = []
        for kind, counts in self.counts.items():
            outcomes = ["created", "updated", "unchanged"]
            if kind == "progressions":
                outcomes.append("removed")
            if counts["kept"]:
                outcomes.append("kept")
            lines.append(f"{kind}: " + ", ".join(f"{counts[o]} {o}" for o in outcomes))
        return lines


def _save(obj: models.Model, where: str, problems: list[str], *, child: bool = False) -> bool:
    """Validate as the admin would, so the file meets the editor's rules, then save.

    A child row (a step, tip or link) skips the per-row queries of full validation: its
    parent exists, the file check already refused duplicate links and unknown choices,
    and the database constraints still stand behind it.
    """
    if not _valid(obj, where, problems, child=child):
        return False
    try:
        obj.save()
    except IntegrityError as error:
        # Python validation mirrors every constraint, so this is a backstop; say which
        # rule broke. The transaction is unusable now, so stop here.
        raise LibraryFileError([f"{where}: {_constraint_message(obj, error)}"]) from error
    return True


def _constraint_message(obj: models.Model, error: IntegrityError) -> str:
    for constraint in obj._meta.constraints:
        if constraint.name in str(error):
            return str(constraint.get_violation_error_message())
    return f"refused by the database ({error})"


def _valid(obj: models.Model, where: str, problems: list[str], *, child: bool = False) -> bool:
    try:
        if child:
            related = [f.name for f in obj._meta.concrete_fields if f.is_relation]
            obj.clean_fields(exclude=related)
        else:
            # Model validation runs each check constraint as its own query; clean() and
            # the field validators cover the same rules in Python, the database the rest.
            obj.full_clean(validate_constraints=False)
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            label = "" if name == "__all__" else f".{name}"
            problems.extend(f"{where}{label}: {message}" for message in messages)
        return False
    return True


def _sync_fields(obj: models.Model, values: dict[str, Any]) -> bool:
    """Set the values that differ; True when anything did."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


@transaction.atomic
def library_seed(*, data: dict[str, Any], only_new: bool = False) -> SeedReport:
    """Make the database hold what the (already parsed) content file says.

    Rows are matched by slug (a source by key): new ones are created, edited ones
    updated, and an exercise's steps, tips, muscles, conditions, sources, equipment and
    harder progressions become exactly the file's, removing those the file dropped.
    Nothing the file does not name is deleted: exercises written in the admin stay.

    With only_new, rows already in the database are kept exactly as editors left them
    (counted as "kept"); only what the database lacks is added, and a progression only
    when one of its ends is new. This is what `make run` does on every start.
    One transaction: any problem raises LibraryFileError and nothing is written.
    """
    report = SeedReport()
    problems: list[str] = []

    def upsert(
        kind: str, model: type[models.Model], key: str, rows: list[dict[str, Any]]
    ) -> dict[str, models.Model]:
        existing = {getattr(obj, key): obj for obj in model.objects.all()}
        for index, row in enumerate(rows):
            values = {name: value for name, value in row.items() if name != key}
            obj = existing.get(row[key])
            where = f"{kind}[{index}] ({row[key]})"
            if obj is None:
                obj = model(**{key: row[key]}, **values)
                if _save(obj, where, problems):
                    report.count(kind, "created")
            elif only_new:
                report.count(kind, "kept")
            elif _sync_fields(obj, values):
                if _save(obj, where, problems):
                    report.count(kind, "updated")
            else:
                report.count(kind, "unchanged")
            existing[row[key]] = obj
        return existing

    sources = upsert("sources", Source, "key", data["sources"])
    equipment = upsert("equipment", Equipment, "slug", data["equipment"])
    muscles = upsert("muscles", Muscle, "slug", data["muscles"])
    conditions = upsert("conditions", Condition, "slug", data["conditions"])
    if problems:
        raise LibraryFileError(problems)

    existing = {
        exercise.slug: exercise
        for exercise in Exercise.objects.prefetch_related(
            "equipment", "steps", "tips", "muscle_links", "condition_links", "source_links"
        )
    }
    targets = {
        "sources": sources,
        "equipment": equipment,
        "muscles": muscles,
        "conditions": conditions,
    }
    new_rows = _NewRows()
    created: set[str] = set()
    for index, row in enumerate(data["exercises"]):
        where = f"exercises[{index}] ({row['slug']})"
        exercise = existing.get(row["slug"])
        values = _exercise_values(row)
        if exercise is None:
            exercise = Exercise(slug=row["slug"], **values)
            if _save(exercise, where, problems):
                report.count("exercises", "created")
                created.add(row["slug"])
            existing[row["slug"]] = exercise
            outcome = None
        elif only_new:
            report.count("exercises", "kept")
            continue
        else:
            outcome = "updated" if _sync_fields(exercise, values) else "unchanged"
            if outcome == "updated":
                _save(exercise, where, problems)
        if exercise.pk is None:
            continue
        children_changed = _sync_children(
            exercise, row, targets, new_rows, where, problems, created=outcome is None
        )
        if children_changed and outcome == "unchanged":
            # The exercise's own row still records when its content last changed.
            exercise.save(update_fields=["updated_at"])
            outcome = "updated"
        if outcome:
            report.count("exercises", outcome)
    if problems:
        raise LibraryFileError(problems)
    new_rows.write()

    _sync_progressions(
        data, existing, report, problems, only_touching=created if only_new else None
    )
    if problems:
        raise LibraryFileError(problems)
    # Links went in by bulk insert, which sends no signals: bring search up to date here.
    related_text_refresh()
    return report


def _exercise_values(row: dict[str, Any]) -> dict[str, Any]:
    dose = row["dose"]
    return {
        "name": row["name"],
        "status": row["status"],
        "summary": row["summary"],
        "why_it_matters": row["why_it_matters"],
        "our_own": row["our_own"],
        "position": row["position"],
        "laterality": row["laterality"],
        "level": row["level"],
        "dose_sets": dose["sets"],
        "dose_reps": dose["reps"],
        "dose_hold_seconds": dose["hold_seconds"],
        "dose_duration_seconds": dose["duration_seconds"],
        "dose_per_side": dose["per_side"],
        "dose_sessions_per_week": dose["sessions_per_week"],
        "dose_sets_from_source": "sets" in dose["from_source"],
        "dose_reps_from_source": "reps" in dose["from_source"],
        "dose_hold_from_source": "hold_seconds" in dose["from_source"],
        "dose_duration_from_source": "duration_seconds" in dose["from_source"],
        "dose_note": dose["note"],
    }


class _NewRows:
    """Child rows to insert, gathered across exercises and written in one query per model."""

    def __init__(self) -> None:
        self.rows: dict[type[models.Model], list[models.Model]] = {}

    def add(self, obj: models.Model, where: str, problems: list[str]) -> bool:
        if not _valid(obj, where, problems, child=True):
            return False
        self.rows.setdefault(type(obj), []).append(obj)
        return True

    def write(self) -> None:
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows)


def _sync_children(
    exercise: Exercise,
    row: dict[str, Any],
    targets: dict[str, dict[str, models.Model]],
    new_rows: _NewRows,
    where: str,
    problems: list[str],
    *,
    created: bool,
) -> bool:
    """Make the exercise's child rows the file's; True when any row changed.

    A newly created exercise has no child rows yet, so there is nothing to read first.
    """
    changed = False

    wanted_equipment = {targets["equipment"][slug].pk for slug in row["equipment"]}
    have_equipment = set() if created else {item.pk for item in exercise.equipment.all()}
    if have_equipment != wanted_equipment:
        exercise.equipment.set(wanted_equipment)
        changed = True

    # Steps and tips are ordered lists: the nth row of the file is the nth row here.
    ordered = (
        (
            ExerciseStep,
            "steps",
            [{"number": n, "text": text} for n, text in _numbered(row["steps"])],
        ),
        (
            ExerciseTip,
            "tips",
            [
                {"order": n, "kind": tip["kind"], "text": tip["text"]}
                for n, tip in _numbered(row["tips"])
            ],
        ),
    )
    for model, name, wanted in ordered:
        have = list(getattr(exercise, name).all()) if not created else []
        for index, values in enumerate(wanted):
            at = f"{where}.{name}[{index}]"
            if index < len(have):
                if _sync_fields(have[index], values):
                    changed |= _save(have[index], at, problems, child=True)
            else:
                changed |= new_rows.add(model(exercise=exercise, **values), at, problems)
        for extra in have[len(wanted) :]:
            extra.delete()
            changed = True

    # Links are keyed by what they point at: update in place, add, remove.
    links = (
        (
            ExerciseMuscle,
            "muscle_links",
            "muscle",
            {
                targets["muscles"][link["muscle"]].pk: {"role": link["role"]}
                for link in row["muscles"]
            },
        ),
        (
            ExerciseCondition,
            "condition_links",
            "condition",
            {
                targets["conditions"][link["condition"]].pk: {"note": link["note"]}
                for link in row["conditions"]
            },
        ),
        (
            ExerciseSource,
            "source_links",
            "source",
            {targets["sources"][key].pk: {} for key in row["sources"]},
        ),
    )
    for model, name, target, wanted in links:
        at = f"{where}.{target}s"
        have = {
            getattr(link, f"{target}_id"): link
            for link in (getattr(exercise, name).all() if not created else [])
        }
        for pk, link in have.items():
            if pk not in wanted:
                link.delete()
                changed = True
            elif _sync_fields(link, wanted[pk]):
                changed |= _save(link, at, problems, child=True)
        for pk, values in wanted.items():
            if pk not in have:
                obj = model(exercise=exercise, **{f"{target}_id": pk}, **values)
                changed |= new_rows.add(obj, at, problems)
    return changed


def _numbered(items: list[Any]) -> Iterable[tuple[int, Any]]:
    return enumerate(items, start=1)


def _sync_progressions(
    data: dict[str, Any],
    exercises: dict[str, Exercise],
    report: SeedReport,
    problems: list[str],
    *,
    only_touching: set[str] | None = None,
) -> None:
    """Each exercise in the file gets exactly the file's edges up to harder exercises.

    With only_touching, only edges with an end among those (new) exercises are added,
    and none is changed or removed: the ladders editors shaped between existing
    exercises stay as they are.
    """
    if only_touching is not None:
        for index, edge in enumerate(data["progressions"]):
            if edge["from"] not in only_touching and edge["to"] not in only_touching:
                continue
            where = f"progressions[{index}] ({edge['from']} -> {edge['to']})"
            progression = Progression(
                easier=exercises[edge["from"]], harder=exercises[edge["to"]], note=edge["note"]
            )
            if _save(progression, where, problems):
                report.count("progressions", "created")
        return
    in_file = [exercises[row["slug"]].pk for row in data["exercises"]]
    wanted = {
        (exercises[edge["from"]].pk, exercises[edge["to"]].pk): (index, edge)
        for index, edge in enumerate(data["progressions"])
    }
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
        where = f"progressions[{index}] ({row['from']} -> {row['to']})"
        edge = have.get(pair)
        if edge is None:
            edge = Progression(easier_id=pair[0], harder_id=pair[1], note=row["note"])
            if _save(edge, where, problems):
                report.count("progressions", "created")
        elif _sync_fields(edge, {"note": row["note"]}):
            if _save(edge, where, problems):
                report.count("progressions", "updated")
        else:
            report.count("progressions", "unchanged")


ROLE_ORDER = {MuscleRole.PRIMARY: 0, MuscleRole.SECONDARY: 1}


def library_snapshot() -> dict[str, Any]:
    """Everything in the library as the content file holds it, in its canonical order."""
    exercises = Exercise.objects.prefetch_related(
        Prefetch("equipment", queryset=Equipment.objects.order_by("slug")),
        Prefetch("steps", queryset=ExerciseStep.objects.order_by("number", "id")),
        Prefetch("tips", queryset=ExerciseTip.objects.order_by("order", "id")),
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
    edges = list(
        Progression.objects.select_related("easier", "harder").order_by(
            "easier__slug", "harder__slug"
        )
    )
    return {
        "sources": [
            {
                "key": source.key,
                "title": source.title,
                "publisher": source.publisher,
                "url": source.url,
                "published": source.published,
            }
            for source in Source.objects.order_by("key")
        ],
        "equipment": [
            {"slug": item.slug, "name": item.name} for item in Equipment.objects.order_by("slug")
        ],
        "muscles": [
            {
                "slug": muscle.slug,
                "name": muscle.name,
                "region": muscle.region,
                "description": muscle.description,
            }
            for muscle in Muscle.objects.order_by("slug")
        ],
        "conditions": [
            {
                "slug": condition.slug,
                "name": condition.name,
                "summary": condition.summary,
                "how_strengthening_helps": condition.how_strengthening_helps,
                "with_symptoms": condition.with_symptoms,
            }
            for condition in Condition.objects.order_by("slug")
        ],
        "exercises": [_exercise_row(exercise) for exercise in ladder_order(exercises, edges)],
        "progressions": [
            {"from": edge.easier.slug, "to": edge.harder.slug, "note": edge.note} for edge in edges
        ],
    }


def ladder_order(exercises: Iterable[Exercise], edges: Iterable[Progression]) -> list[Exercise]:
    """Exercises grouped by ladder, each ladder from its easiest rung up.

    The file then reads as its ladders do (a reviewer sees an exercise beside its easier
    and harder variants), and the order is still fully determined by the content: ladders
    (and lone exercises) by their easiest (level, slug), rungs in a topological order that
    breaks ties by (level, slug).
    """
    by_pk = {exercise.pk: exercise for exercise in exercises}
    up: dict[int, list[int]] = {pk: [] for pk in by_pk}
    neighbours: dict[int, set[int]] = {pk: set() for pk in by_pk}
    below: Counter[int] = Counter()
    for edge in edges:
        up[edge.easier_id].append(edge.harder_id)
        neighbours[edge.easier_id].add(edge.harder_id)
        neighbours[edge.harder_id].add(edge.easier_id)
        below[edge.harder_id] += 1

    def key(pk: int) -> tuple[int, str]:
        return by_pk[pk].level, by_pk[pk].slug

    ladders, placed = [], set()
    for start in sorted(by_pk, key=key):
        if start in placed:
            continue
        ladder, stack = set(), [start]
        while stack:
            pk = stack.pop()
            if pk not in ladder:
                ladder.add(pk)
                stack.extend(neighbours[pk])
        placed |= ladder
        ladders.append(ladder)

    ordered = []
    for ladder in ladders:
        ready = [key(pk) + (pk,) for pk in ladder if not below[pk]]
        heapq.heapify(ready)
        while ready:
            *_, pk = heapq.heappop(ready)
            ordered.append(by_pk[pk])
            for harder in up[pk]:
                below[harder] -= 1
                if not below[harder]:
                    heapq.heappush(ready, key(harder) + (harder,))
    return ordered


def _exercise_row(exercise: Exercise) -> dict[str, Any]:
    muscle_links = sorted(
        exercise.muscle_links.all(), key=lambda link: (ROLE_ORDER[link.role], link.muscle.slug)
    )
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "status": exercise.status,
        "summary": exercise.summary,
        "why_it_matters": exercise.why_it_matters,
        "our_own": exercise.our_own,
        "position": exercise.position,
        "laterality": exercise.laterality,
        "level": exercise.level,
        "equipment": [item.slug for item in exercise.equipment.all()],
        "dose": {
            "sets": exercise.dose_sets,
            "reps": exercise.dose_reps,
            "hold_seconds": exercise.dose_hold_seconds,
            "duration_seconds": exercise.dose_duration_seconds,
            "per_side": exercise.dose_per_side,
            "sessions_per_week": exercise.dose_sessions_per_week,
            "from_source": [
                number
                for number, given in (
                    ("sets", exercise.dose_sets_from_source),
                    ("reps", exercise.dose_reps_from_source),
                    ("hold_seconds", exercise.dose_hold_from_source),
                    ("duration_seconds", exercise.dose_duration_from_source),
                )
                if given
            ],
            "note": exercise.dose_note,
        },
        "steps": [step.text for step in exercise.steps.all()],
        "tips": [{"kind": tip.kind, "text": tip.text} for tip in exercise.tips.all()],
        "muscles": [{"muscle": link.muscle.slug, "role": link.role} for link in muscle_links],
        "conditions": [
            {"condition": link.condition.slug, "note": link.note}
            for link in exercise.condition_links.all()
        ],
        "sources": [link.source.key for link in exercise.source_links.all()],
    }
