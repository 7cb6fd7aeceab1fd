"""The starter plans' content file, beside the library's, and its loading.

Loaded with the library by `seed_library`: each plan is created or brought in line with
the file (its citations and items replaced), or only created with `only_new`, so that
an editor's changes in the admin survive `make run`. Every item's dose passes the same
`clean()` as a runner's board; a problem anywhere refuses the whole file.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from exercises.models import Exercise

from .models import DAY_NAMES, StarterPlan, StarterPlanCitation, StarterPlanItem

STARTER_FILE = Path(__file__).resolve().parents[2] / "exercises" / "content" / "starter_plans.yaml"
DAYS = {name.lower(): number for number, name in enumerate(DAY_NAMES)}
PLAN_FIELDS = ("slug", "name", "order", "published", "summary", "description", "evidence")
CITATION_FIELDS = ("authors", "year", "title", "journal", "url")
ITEM_FIELDS = (
    "sets",
    "reps",
    "hold_seconds",
    "duration_seconds",
    "per_side",
    "load_note",
    "rest_seconds",
)


class StarterFileError(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def read_starter_plans(path: Path = STARTER_FILE) -> list[dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    plans = data.get("starter_plans")
    if not isinstance(plans, list):
        raise StarterFileError([f"{path}: a list under `starter_plans` is needed."])
    return plans


def _item(plan: dict, row: dict, where: str, exercises: dict[str, Exercise], problems: list[str]):
    unknown = set(row) - {"day", "exercise", *ITEM_FIELDS}
    if unknown:
        problems.append(f"{where}: unknown keys {sorted(unknown)}")
    if row.get("day") not in DAYS:
        problems.append(f"{where}: day must be one of {', '.join(DAYS)}")
        return None
    exercise = exercises.get(row.get("exercise"))
    if exercise is None:
        problems.append(f"{where}: no exercise {row.get('exercise')!r} in the library")
        return None
    item = StarterPlanItem(weekday=DAYS[row["day"]], exercise=exercise)
    for field in ITEM_FIELDS:
        if field in row:
            setattr(item, field, row[field])
    item.load_note = item.load_note or ""
    try:
        item.clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            problems.append(f"{where}: {field}: {' '.join(messages)}")
        return None
    return item


@transaction.atomic
def starter_plans_seed(*, data: list[dict[str, Any]], only_new: bool = False) -> Counter[str]:
    """Load the starter plans; returns how many were created, updated or kept."""
    exercises = {e.slug: e for e in Exercise.objects.all()}
    problems: list[str] = []
    prepared = []
    for index, plan in enumerate(data):
        where = f"starter plan {plan.get('slug', index)!r}"
        missing = [field for field in (*PLAN_FIELDS, "citations", "items") if field not in plan]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        citations = []
        for number, citation in enumerate(plan["citations"], start=1):
            absent = [field for field in CITATION_FIELDS if not citation.get(field)]
            if absent:
                problems.append(f"{where}, citation {number}: missing {', '.join(absent)}")
            citations.append({field: citation.get(field) for field in CITATION_FIELDS})
        if not citations:
            problems.append(f"{where}: cite at least one source")
        items = [
            _item(plan, row, f"{where}, item {number}", exercises, problems)
            for number, row in enumerate(plan["items"], start=1)
        ]
        prepared.append((plan, citations, items))
    if problems:
        raise StarterFileError(problems)

    report: Counter[str] = Counter()
    for plan, citations, items in prepared:
        fields = {field: plan[field] for field in PLAN_FIELDS if field != "slug"}
        starter = StarterPlan.objects.filter(slug=plan["slug"]).first()
        if starter is not None and only_new:
            report["kept"] += 1
            continue
        if starter is None:
            starter = StarterPlan.objects.create(slug=plan["slug"], **fields)
            report["created"] += 1
        else:
            for field, value in fields.items():
                setattr(starter, field, value)
            starter.save()
            starter.citations.all().delete()
            starter.items.all().delete()
            report["updated"] += 1
        StarterPlanCitation.objects.bulk_create(
            StarterPlanCitation(starter=starter, **citation) for citation in citations
        )
        positions: Counter[int] = Counter()
        for item in items:
            item.starter = starter
            item.position = positions[item.weekday]
            positions[item.weekday] += 1
        StarterPlanItem.objects.bulk_create(items)
    return report
