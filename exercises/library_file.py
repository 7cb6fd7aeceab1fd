"""The library's content file: read, checked and written in one canonical YAML form.

`seed_library` loads what `parse_library` returns; `export_library` writes what
`render_library` makes of the database. The rendering is canonical (fixed key order,
rows sorted by slug, text always double-quoted), so export, load and export again
gives identical bytes, and an edit in the admin shows up as a small diff in review.
"""

from __future__ import annotations

import datetime
import json
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

from .models import Laterality, MuscleRole, Position, Region, Status, TipKind

CONTENT_FILE = Path(__file__).resolve().parent / "content" / "library.yaml"

HEADER = """\
# Footcare exercise library. Loaded by `python manage.py seed_library`; written back,
# in exactly this form, by `python manage.py export_library`.
#
# All text is our own wording of facts from the sources below, and every exercise
# cites the source(s) it comes from; `our_own: true` marks an exercise no source
# describes. Dose rule: `from_source` lists the numbers (sets, reps, hold_seconds,
# duration_seconds) a cited source gives; every other number is our conservative
# suggestion, and the page marks each one. Sessions a week are always our suggestion:
# it is how Footcare plans the week. A ladder or condition note that is our reasoning
# rather than the sources' says so ("Our judgement:", "Our reasoning:").
# This is education, not medical advice.
"""

SECTIONS = ("sources", "equipment", "muscles", "conditions", "exercises", "progressions")

# What each row holds, in the order it is written. A type tuple lists what is allowed.
TEXT = (str,)
OPTIONAL_INT = (int, type(None))
SOURCE_KEYS = {
    "key": TEXT,
    "title": TEXT,
    "publisher": TEXT,
    "url": TEXT,
    "published": (datetime.date, type(None)),
}
EQUIPMENT_KEYS = {"slug": TEXT, "name": TEXT}
MUSCLE_KEYS = {"slug": TEXT, "name": TEXT, "region": TEXT, "description": TEXT}
CONDITION_KEYS = {
    "slug": TEXT,
    "name": TEXT,
    "summary": TEXT,
    "how_strengthening_helps": TEXT,
    "with_symptoms": TEXT,
}
EXERCISE_KEYS = {
    "slug": TEXT,
    "name": TEXT,
    "status": TEXT,
    "summary": TEXT,
    "why_it_matters": TEXT,
    "our_own": (bool,),
    "position": TEXT,
    "laterality": TEXT,
    "level": (int,),
    "equipment": (list,),
    "dose": (dict,),
    "steps": (list,),
    "tips": (list,),
    "muscles": (list,),
    "conditions": (list,),
    "sources": (list,),
}
DOSE_KEYS = {
    "sets": (int,),
    "reps": OPTIONAL_INT,
    "hold_seconds": OPTIONAL_INT,
    "duration_seconds": OPTIONAL_INT,
    "per_side": (bool,),
    "sessions_per_week": (int,),
    "from_source": (list,),
    "note": TEXT,
}
# The dose numbers a source may give, as `from_source` names them.
DOSE_NUMBERS = ("sets", "reps", "hold_seconds", "duration_seconds")
TIP_KEYS = {"kind": TEXT, "text": TEXT}
EXERCISE_MUSCLE_KEYS = {"muscle": TEXT, "role": TEXT}
EXERCISE_CONDITION_KEYS = {"condition": TEXT, "note": TEXT}
PROGRESSION_KEYS = {"from": TEXT, "to": TEXT, "note": TEXT}
ROW_KEYS = {
    "sources": SOURCE_KEYS,
    "equipment": EQUIPMENT_KEYS,
    "muscles": MUSCLE_KEYS,
    "conditions": CONDITION_KEYS,
    "exercises": EXERCISE_KEYS,
    "progressions": PROGRESSION_KEYS,
}
IDENTIFIER = {"sources": "key"}


class LibraryFileError(Exception):
    """The file cannot be loaded; `problems` says every reason, each with where it is."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def read_library(path: Path = CONTENT_FILE) -> dict[str, Any]:
    return parse_library(path.read_text(encoding="utf-8"), name=str(path))


def parse_library(text: str, *, name: str = "library") -> dict[str, Any]:
    """The file's data, checked: structure, choices, references and the editorial rules."""
    try:
        # libyaml's loader when PyYAML has it: the same result, several times faster.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise LibraryFileError([f"{name}: not valid YAML: {error}"]) from None
    problems: list[str] = []
    if not isinstance(data, dict):
        raise LibraryFileError([f"{name}: expected the sections {', '.join(SECTIONS)}"])
    for section in data.keys() - set(SECTIONS):
        problems.append(f"{section}: unknown section")
    for section in SECTIONS:
        rows = data.get(section)
        if not isinstance(rows, list):
            problems.append(f"{section}: missing, or not a list")
            data[section] = []
            continue
        for index, row in enumerate(rows):
            _check_keys(f"{section}[{index}]", row, ROW_KEYS[section], problems)
    if not problems:
        _check_references(data, problems)
    if problems:
        raise LibraryFileError(problems)
    return data


def _check_keys(where: str, row: Any, keys: dict[str, tuple[type, ...]], problems: list[str]):
    if not isinstance(row, dict):
        problems.append(f"{where}: expected a mapping with {', '.join(keys)}")
        return
    for key in row.keys() - keys.keys():
        problems.append(f"{where}: unknown key {key!r}")
    for key, types in keys.items():
        if key not in row:
            problems.append(f"{where}: missing {key!r}")
        elif not _is_a(row[key], types):
            problems.append(f"{where}.{key}: expected {_type_names(types)}, got {row[key]!r}")


def _is_a(value: Any, types: tuple[type, ...]) -> bool:
    # YAML reads `yes` as True, which Python also counts as an int: booleans stay booleans.
    if isinstance(value, bool):
        return bool in types
    return isinstance(value, types)


def _type_names(types: tuple[type, ...]) -> str:
    names = {
        str: "text",
        int: "a whole number",
        bool: "true or false",
        list: "a list",
        dict: "a mapping",
        datetime.date: "a date (YYYY-MM-DD)",
        type(None): "null",
    }
    return " or ".join(names[t] for t in types)


def _where(section: str, index: int, row: dict[str, Any]) -> str:
    return f"{section}[{index}] ({row.get(IDENTIFIER.get(section, 'slug'))})"


def _check_references(data: dict[str, Any], problems: list[str]) -> None:
    known: dict[str, set[str]] = {}
    for section in ("sources", "equipment", "muscles", "conditions", "exercises"):
        field = IDENTIFIER.get(section, "slug")
        seen: set[str] = set()
        for index, row in enumerate(data[section]):
            if row[field] in seen:
                problems.append(f"{_where(section, index, row)}: {field} appears twice")
            seen.add(row[field])
        known[section] = seen

    for index, muscle in enumerate(data["muscles"]):
        if muscle["region"] not in Region.values:
            problems.append(
                f"{_where('muscles', index, muscle)}.region: {muscle['region']!r} is not one "
                f"of {', '.join(Region.values)}"
            )

    for index, exercise in enumerate(data["exercises"]):
        where = _where("exercises", index, exercise)
        problems_before = len(problems)
        for field, choices in (
            ("status", Status),
            ("position", Position),
            ("laterality", Laterality),
        ):
            if exercise[field] not in choices.values:
                problems.append(
                    f"{where}.{field}: {exercise[field]!r} is not one of "
                    f"{', '.join(choices.values)}"
                )
        _check_keys(f"{where}.dose", exercise["dose"], DOSE_KEYS, problems)
        dose = exercise["dose"]
        for number in dose.get("from_source") or []:
            if number not in DOSE_NUMBERS:
                problems.append(
                    f"{where}.dose.from_source: {number!r} is not one of {', '.join(DOSE_NUMBERS)}"
                )
            elif dose.get(number) is None:
                problems.append(f"{where}.dose.from_source: names {number}, which has no value")
        _check_list(f"{where}.equipment", exercise["equipment"], known["equipment"], problems)
        _check_list(f"{where}.sources", exercise["sources"], known["sources"], problems)
        for step_index, step in enumerate(exercise["steps"]):
            if not isinstance(step, str) or not step.strip():
                problems.append(f"{where}.steps[{step_index}]: expected a line of text")
        for tip_index, tip in enumerate(exercise["tips"]):
            tip_where = f"{where}.tips[{tip_index}]"
            _check_keys(tip_where, tip, TIP_KEYS, problems)
            if isinstance(tip, dict) and tip.get("kind") not in TipKind.values:
                problems.append(
                    f"{tip_where}.kind: {tip.get('kind')!r} is not one of "
                    f"{', '.join(TipKind.values)}"
                )
        _check_links(
            f"{where}.muscles",
            exercise["muscles"],
            EXERCISE_MUSCLE_KEYS,
            "muscle",
            known["muscles"],
            problems,
        )
        for link_index, link in enumerate(exercise["muscles"]):
            if isinstance(link, dict) and link.get("role") not in MuscleRole.values:
                problems.append(
                    f"{where}.muscles[{link_index}].role: {link.get('role')!r} is not one of "
                    f"{', '.join(MuscleRole.values)}"
                )
        _check_links(
            f"{where}.conditions",
            exercise["conditions"],
            EXERCISE_CONDITION_KEYS,
            "condition",
            known["conditions"],
            problems,
        )
        well_formed = len(problems) == problems_before
        if exercise["status"] == Status.PUBLISHED and well_formed:
            problems.extend(f"{where}: {problem}" for problem in publication_gaps(exercise))

    edges: set[tuple[str, str]] = set()
    for index, edge in enumerate(data["progressions"]):
        where = f"progressions[{index}] ({edge['from']} -> {edge['to']})"
        for end in ("from", "to"):
            if edge[end] not in known["exercises"]:
                problems.append(f"{where}.{end}: no exercise {edge[end]!r} in this file")
        if edge["from"] == edge["to"]:
            problems.append(f"{where}: an exercise cannot progress to itself")
        if (edge["from"], edge["to"]) in edges:
            problems.append(f"{where}: this edge appears twice")
        edges.add((edge["from"], edge["to"]))
    if loop := _find_loop(edges):
        problems.append(f"progressions: a ladder goes round in a loop: {' -> '.join(loop)}")


def _check_list(where: str, values: list[Any], known: set[str], problems: list[str]) -> None:
    if len(set(map(str, values))) != len(values):
        problems.append(f"{where}: lists something twice")
    for value in values:
        if value not in known:
            problems.append(f"{where}: {value!r} is not defined in this file")


def _check_links(
    where: str,
    links: list[Any],
    keys: dict[str, tuple[type, ...]],
    field: str,
    known: set[str],
    problems: list[str],
) -> None:
    for index, link in enumerate(links):
        _check_keys(f"{where}[{index}]", link, keys, problems)
    targets = [link.get(field) for link in links if isinstance(link, dict)]
    _check_list(where, targets, known, problems)


def publication_gaps(exercise: dict[str, Any]) -> list[str]:
    """What a published exercise still lacks (the issue's editorial minimum)."""
    gaps = []
    if not exercise["steps"]:
        gaps.append("a published exercise needs its steps")
    if not any(tip["kind"] == TipKind.SAFETY for tip in exercise["tips"]):
        gaps.append("a published exercise needs a safety tip")
    if not any(link["role"] == MuscleRole.PRIMARY for link in exercise["muscles"]):
        gaps.append("a published exercise needs a primary muscle")
    if not exercise["sources"]:
        gaps.append("a published exercise cites at least one source")
    return gaps


def _find_loop(edges: Iterable[tuple[str, str]]) -> list[str]:
    graph: dict[str, list[str]] = {}
    for easier, harder in edges:
        graph.setdefault(easier, []).append(harder)
    state: dict[str, int] = {}  # 1: on the current path, 2: finished

    def visit(node: str, path: list[str]) -> list[str]:
        state[node] = 1
        for nxt in graph.get(node, []):
            if state.get(nxt) == 1:  # back on the current path: that stretch is the loop
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (loop := visit(nxt, [*path, nxt])):
                return loop
        state[node] = 2
        return []

    for start in sorted(graph):
        if start not in state and (loop := visit(start, [start])):
            return loop
    return []


# Writing ------------------------------------------------------------------------------

_PLAIN = re.compile(r"[a-z0-9][a-z0-9_-]*")
# Characters YAML will not read raw inside a quoted scalar, or reads as line breaks.
_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def _text(value: str) -> str:
    """A double-quoted scalar: JSON's escaping is valid YAML, made safe for YAML's reader."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(value, ensure_ascii=False))


def _name(value: str) -> str:
    """Slugs and choices stay plain when YAML reads them back as the same string."""
    if _PLAIN.fullmatch(value) and yaml.safe_load(value) == value:
        return value
    return _text(value)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    raise TypeError(f"cannot write {value!r}")


def _names(values: list[str]) -> str:
    return "[" + ", ".join(_name(v) for v in values) + "]"


def render_library(data: dict[str, Any]) -> str:
    out: list[str] = [HEADER]

    def line(indent: int, text: str) -> None:
        out.append(" " * indent + text + "\n")

    def section(name: str, rows: list[dict[str, Any]]) -> None:
        out.append(f"\n{name}:{' []' if not rows else ''}\n")

    section("sources", data["sources"])
    for source in data["sources"]:
        line(2, f"- key: {_name(source['key'])}")
        line(4, f"title: {_text(source['title'])}")
        line(4, f"publisher: {_text(source['publisher'])}")
        line(4, f"url: {_text(source['url'])}")
        line(4, f"published: {_scalar(source['published'])}")

    section("equipment", data["equipment"])
    for item in data["equipment"]:
        line(2, f"- slug: {_name(item['slug'])}")
        line(4, f"name: {_text(item['name'])}")

    section("muscles", data["muscles"])
    for muscle in data["muscles"]:
        line(2, f"- slug: {_name(muscle['slug'])}")
        line(4, f"name: {_text(muscle['name'])}")
        line(4, f"region: {_name(muscle['region'])}")
        line(4, f"description: {_text(muscle['description'])}")

    section("conditions", data["conditions"])
    for condition in data["conditions"]:
        line(2, f"- slug: {_name(condition['slug'])}")
        line(4, f"name: {_text(condition['name'])}")
        line(4, f"summary: {_text(condition['summary'])}")
        line(4, f"how_strengthening_helps: {_text(condition['how_strengthening_helps'])}")
        line(4, f"with_symptoms: {_text(condition['with_symptoms'])}")

    section("exercises", data["exercises"])
    for index, exercise in enumerate(data["exercises"]):
        if index:
            out.append("\n")  # a blank line between exercises keeps long files scannable
        line(2, f"- slug: {_name(exercise['slug'])}")
        line(4, f"name: {_text(exercise['name'])}")
        line(4, f"status: {_name(exercise['status'])}")
        line(4, f"summary: {_text(exercise['summary'])}")
        line(4, f"why_it_matters: {_text(exercise['why_it_matters'])}")
        line(4, f"our_own: {_scalar(exercise['our_own'])}")
        line(4, f"position: {_name(exercise['position'])}")
        line(4, f"laterality: {_name(exercise['laterality'])}")
        line(4, f"level: {_scalar(exercise['level'])}")
        line(4, f"equipment: {_names(exercise['equipment'])}")
        line(4, "dose:")
        dose = exercise["dose"]
        for key in DOSE_KEYS:
            if key == "note":
                line(6, f"{key}: {_text(dose[key])}")
            elif key == "from_source":
                line(6, f"{key}: {_names(dose[key])}")
            else:
                line(6, f"{key}: {_scalar(dose[key])}")
        rows = {
            "steps": [[_text(step)] for step in exercise["steps"]],
            "tips": [
                [f"kind: {_name(tip['kind'])}", f"text: {_text(tip['text'])}"]
                for tip in exercise["tips"]
            ],
            "muscles": [
                [f"muscle: {_name(link['muscle'])}", f"role: {_name(link['role'])}"]
                for link in exercise["muscles"]
            ],
            "conditions": [
                [f"condition: {_name(link['condition'])}", f"note: {_text(link['note'])}"]
                for link in exercise["conditions"]
            ],
        }
        for key, items in rows.items():
            if not items:
                line(4, f"{key}: []")
                continue
            line(4, f"{key}:")
            for first, *rest in items:
                line(6, f"- {first}")
                for text in rest:
                    line(8, text)
        line(4, f"sources: {_names(exercise['sources'])}")

    section("progressions", data["progressions"])
    for edge in data["progressions"]:
        line(2, f"- from: {_name(edge['from'])}")
        line(4, f"to: {_name(edge['to'])}")
        line(4, f"note: {_text(edge['note'])}")
    return "".join(out)
