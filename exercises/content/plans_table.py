"""docs/starter-plans.md: the starter plans' table, written from the content files.

Each plan's days, doses, citations, the cited dose and frequency, ours and why they differ
all come from exercises/content/starter_plans.yaml (and exercise names from library.yaml),
so the table cannot drift from what runners copy: `manage.py starter_plans_table -o
docs/starter-plans.md` rewrites it, and a test fails when the committed file disagrees.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CONTENT = Path(__file__).resolve().parent
STARTER_FILE = CONTENT / "starter_plans.yaml"
LIBRARY_FILE = CONTENT / "library.yaml"
DOCS_FILE = CONTENT.parent.parent / "docs" / "starter-plans.md"
WEEK = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")

HEADER = """# Starter plans

Generated from `exercises/content/starter_plans.yaml` by
`python manage.py starter_plans_table -o docs/starter-plans.md`; a test fails when this file
and the content disagree. Doses are sets × reps (or × seconds), "a side" when each leg does them.
Education, not medical advice.
"""


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def dose_text(item: dict[str, Any]) -> str:
    amount = f"{item['duration_seconds']} s" if item.get("duration_seconds") else item["reps"]
    text = f"{item['sets']} × {amount}"
    if item.get("hold_seconds"):
        text += f" (hold {item['hold_seconds']} s)"
    if item.get("per_side"):
        text += " a side"
    return text


def render_table(plans: list[dict[str, Any]], names: dict[str, str]) -> str:
    summary = [
        "| Plan | Days | What it is for | Cited | Cited dose and frequency | Ours "
        "| Why they differ |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    details = []
    for plan in sorted(plans, key=lambda plan: plan["order"]):
        days = [day for day in WEEK if any(item["day"] == day for item in plan["items"])]
        day_names = ", ".join(day.capitalize() for day in days)
        cited = "; ".join(
            f"{c['authors'].split(',')[0].split()[0]} {c['year']}, [{c['title']}]({c['url']})"
            for c in plan["citations"]
        )
        ours = f"{len(days)} sessions a week ({day_names})"
        summary.append(
            "| "
            + " | ".join(
                _cell(cell)
                for cell in (
                    f"{plan['name']} (`{plan['slug']}`)",
                    day_names,
                    plan["summary"],
                    cited,
                    plan.get("study_dose", ""),
                    ours,
                    plan.get("departures", ""),
                )
            )
            + " |"
        )
        lines = [f"## {plan['name']}", ""]
        for day in days:
            doses = "; ".join(
                f"{names[item['exercise']]} {dose_text(item)}"
                for item in plan["items"]
                if item["day"] == day
            )
            lines.append(f"- **{day.capitalize()}**: {doses}")
        details.append("\n".join(lines))
    return HEADER + "\n" + "\n".join(summary) + "\n\n" + "\n\n".join(details) + "\n"


def starter_plans_table(
    starter_file: Path = STARTER_FILE, library_file: Path = LIBRARY_FILE
) -> str:
    plans = yaml.safe_load(starter_file.read_text(encoding="utf-8"))["starter_plans"]
    library = yaml.safe_load(library_file.read_text(encoding="utf-8"))
    names = {exercise["slug"]: exercise["name"] for exercise in library["exercises"]}
    return render_table(plans, names)
