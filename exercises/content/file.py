"""The content file, library.yaml: its shape, the checks a load needs, its canonical form.

pydantic checks the shape (every key, type and choice); the rules that span rows (unique
slugs, references, the publication rule, ladders without loops) follow. Every problem
says where it is: `exercises[3] (calf-raise).dose.sets: ...`. The writer is PyYAML's own
emitter with fixed options, so export, load and export again gives identical bytes.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
import yaml
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from exercises import ladders
from exercises.models import (
    LOWER_SECONDS,
    RISE_SECONDS,
    TEMPO_MAX,
    TEMPO_MIN,
    Branch,
    Laterality,
    MuscleRole,
    PictureKind,
    Position,
    Region,
    Status,
    StoredIn,
    TipKind,
    publication_gaps,
)

CONTENT_FILE = Path(__file__).resolve().parent / "library.yaml"

HEADER = """\
# Footcare exercise library. Loaded by `python manage.py seed_library`; written back,
# in exactly this form, by `python manage.py export_library`.
#
# All text is our own wording of facts from the sources below, and every exercise
# cites the source(s) it comes from; `our_own: true` marks an exercise no source
# describes. Dose rule: `<number>_from_source: true` says a cited source gives that
# number (sets, reps, hold, duration); every other number is our conservative
# suggestion, and the page marks each one. Sessions a week are always our suggestion:
# it is how Footcare plans the week. A ladder or condition note that is our reasoning
# rather than the sources' says so ("Our judgement:", "Our reasoning:").
# This is education, not medical advice.
"""


def one_of(choices: Any) -> Any:
    """The choices' values as a type: a file that says anything else is refused."""
    return Literal[tuple(choices.values)]


AStatus, APosition, ALaterality = one_of(Status), one_of(Position), one_of(Laterality)
ARegion, ATipKind, AMuscleRole = one_of(Region), one_of(TipKind), one_of(MuscleRole)
ABranch = one_of(Branch)
APictureKind, AStoredIn = one_of(PictureKind), one_of(StoredIn)
Text = Annotated[str, StringConstraints(pattern=r"\S")]


class Row(BaseModel):
    # Strict: YAML reads `yes` as true and `1` as a number; neither passes for text.
    model_config = ConfigDict(extra="forbid", strict=True)


class Source(Row):
    key: str
    title: str
    publisher: str
    url: str
    published: datetime.date | None


class Equipment(Row):
    slug: str
    name: str


class Muscle(Row):
    slug: str
    name: str
    region: ARegion
    description: str


class Condition(Row):
    slug: str
    name: str
    summary: str
    how_strengthening_helps: str
    with_symptoms: str
    plan_while_it_hurts: bool = True


class Dose(Row):
    sets: int
    reps: int | None
    hold_seconds: int | None
    duration_seconds: int | None
    per_side: bool
    sessions_per_week: int
    sets_from_source: bool
    reps_from_source: bool
    hold_from_source: bool
    duration_from_source: bool
    note: str


class Tip(Row):
    kind: ATipKind
    text: str


class Picture(Row):
    kind: APictureKind
    # A path under the static files (static/exercises/drawings/...) or a media storage name.
    file: Text
    stored_in: AStoredIn
    alt: Text
    caption: str
    credit: Text
    licence: Text


class MuscleLink(Row):
    muscle: str
    role: AMuscleRole


class ConditionLink(Row):
    condition: str
    note: str


class Exercise(Row):
    slug: str
    name: str
    status: AStatus
    summary: str
    why_it_matters: str
    our_own: bool
    position: APosition
    laterality: ALaterality
    level: int
    calf_heavy: bool
    progress_by_load: bool = False
    rise_seconds: Annotated[int, Field(ge=TEMPO_MIN, le=TEMPO_MAX)] = RISE_SECONDS
    lower_seconds: Annotated[int, Field(ge=TEMPO_MIN, le=TEMPO_MAX)] = LOWER_SECONDS
    equipment: list[str]
    dose: Dose
    steps: list[Text]
    pictures: list[Picture]
    tips: list[Tip]
    muscles: list[MuscleLink]
    conditions: list[ConditionLink]
    sources: list[str]


class Progression(Row):
    from_: str = Field(alias="from")
    to: str
    note: str
    # main: a step back or the default "harder" follows it; side: reached only on purpose.
    branch: ABranch = Branch.MAIN.value


class Library(Row):
    sources: list[Source]
    equipment: list[Equipment]
    muscles: list[Muscle]
    conditions: list[Condition]
    exercises: list[Exercise]
    progressions: list[Progression]


SECTIONS = tuple(Library.model_fields)
ROW = {"sources": Source, "equipment": Equipment, "muscles": Muscle, "conditions": Condition}
# An exercise's own columns; the rest of its row is rows of its own (steps, links, ...).
EXERCISE_COLUMNS = ("slug", "name", "status", "summary", "why_it_matters", "our_own")
EXERCISE_COLUMNS += ("position",)
EXERCISE_COLUMNS += ("laterality", "level", "calf_heavy", "progress_by_load")
EXERCISE_COLUMNS += ("rise_seconds", "lower_seconds")
# Which number of the dose each "from the source" flag vouches for.
DOSE_FLAGS = {
    "sets_from_source": "sets",
    "reps_from_source": "reps",
    "hold_from_source": "hold_seconds",
    "duration_from_source": "duration_seconds",
}
# What names a row, in problems and when the seed matches rows to the database's.
KEY = {"sources": "key", "equipment": "slug", "muscles": "slug", "conditions": "slug"}
KEY["exercises"] = "slug"


class LibraryFileError(Exception):
    """The file cannot be loaded; `problems` says every reason, each with where it is."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


def read_library(path: Path = CONTENT_FILE) -> dict[str, Any]:
    return parse_library(path.read_text(encoding="utf-8"), name=str(path))


def parse_library(text: str, *, name: str = "library") -> dict[str, Any]:
    """The file's data, checked, with every key in its canonical order."""
    try:
        # libyaml's loader when PyYAML has it: the same result, several times faster.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as error:
        raise LibraryFileError([f"{name}: not valid YAML: {error}"]) from None
    if not isinstance(data, dict):
        raise LibraryFileError([f"{name}: expected the sections {', '.join(SECTIONS)}"])
    try:
        library = Library.model_validate(data).model_dump(by_alias=True)
    except pydantic.ValidationError as error:
        raise LibraryFileError([_problem(data, e) for e in error.errors()]) from None
    if problems := _cross_row_problems(library):
        raise LibraryFileError(problems)
    return library


def where(data: dict[str, Any], section: str, *parts: str | int) -> str:
    """A place in the file as its reader finds it: exercises[3] (calf-raise).dose.sets."""
    text = section
    if parts and isinstance(parts[0], int):
        index, *parts = parts
        row = data[section][index]
        text += f"[{index}]"
        if section == "progressions" and isinstance(row, dict):
            text += f" ({row.get('from')} -> {row.get('to')})"
        elif isinstance(row, dict) and KEY[section] in row:
            text += f" ({row[KEY[section]]})"
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else f".{part}"
    return text


def _problem(data: dict[str, Any], error: Any) -> str:
    messages = {
        "missing": "missing",
        "extra_forbidden": "unknown key",
        "string_pattern_mismatch": "expected a line of text",
    }
    message = messages.get(error["type"], error["msg"])
    if error["type"] not in messages:
        message += f", got {error['input']!r}"
    return f"{where(data, *error['loc'])}: {message}"


def _cross_row_problems(data: dict[str, Any]) -> list[str]:
    problems = []
    known: dict[str, set[str]] = {}
    for section, key in KEY.items():
        known[section] = set()
        for index, row in enumerate(data[section]):
            if row[key] in known[section]:
                problems.append(f"{where(data, section, index)}: {key} appears twice")
            known[section].add(row[key])

    for index, exercise in enumerate(data["exercises"]):
        at = where(data, "exercises", index)
        before = len(problems)
        for field, section, names in (
            ("equipment", "equipment", exercise["equipment"]),
            ("sources", "sources", exercise["sources"]),
            ("muscles", "muscles", [link["muscle"] for link in exercise["muscles"]]),
            ("conditions", "conditions", [link["condition"] for link in exercise["conditions"]]),
        ):
            if len(set(names)) != len(names):
                problems.append(f"{at}.{field}: lists something twice")
            problems.extend(
                f"{at}.{field}: {name!r} is not defined in this file"
                for name in names
                if name not in known[section]
            )
        for n, picture in enumerate(exercise["pictures"]):
            if problem := picture_file_problem(picture):
                problems.append(f"{at}.pictures[{n}].file: {problem}")
        dose = exercise["dose"]
        problems.extend(
            f"{at}.dose.{flag}: names a number this dose does not have"
            for flag, number in DOSE_FLAGS.items()
            if dose[flag] and dose[number] is None
        )
        if exercise["status"] == Status.PUBLISHED and len(problems) == before:
            gaps = publication_gaps(
                steps=exercise["steps"],
                tips={tip["kind"] for tip in exercise["tips"]},
                muscles={link["role"] for link in exercise["muscles"]},
                sources=exercise["sources"],
                pictures=[picture["alt"] for picture in exercise["pictures"]],
            )
            problems.extend(f"{at}: a published exercise needs {gap}" for gap in gaps)

    edges: set[tuple[str, str]] = set()
    for index, edge in enumerate(data["progressions"]):
        at = where(data, "progressions", index)
        problems.extend(
            f"{at}.{end}: no exercise {edge[end]!r} in this file"
            for end in ("from", "to")
            if edge[end] not in known["exercises"]
        )
        if edge["from"] == edge["to"]:
            problems.append(f"{at}: an exercise cannot progress to itself")
        if (edge["from"], edge["to"]) in edges:
            problems.append(f"{at}: this edge appears twice")
        edges.add((edge["from"], edge["to"]))
    if loop := ladders.find_loop(edges):
        problems.append(f"progressions: a ladder goes round in a loop: {' -> '.join(loop)}")
    return problems


def picture_file_problem(picture: dict[str, Any]) -> str:
    """Why a picture's file cannot be shown, in words; "" when it can."""
    from django.contrib.staticfiles import finders
    from django.core.files.storage import default_storage

    from exercises.pictures import svg_problems

    name = picture["file"]
    if picture["stored_in"] == StoredIn.STATIC:
        if not name.endswith(".svg"):
            return "a drawing shipped as a static file is an SVG"
        found = finders.find(name)
        if not found:
            return f"no static file {name!r}"
        if problems := svg_problems(Path(found).read_bytes()):
            return f"refused: {'; '.join(problems)}"
        return ""
    if not default_storage.exists(name):
        return f"no file {name!r} in media storage"
    return ""


def render_library(data: dict[str, Any]) -> str:
    """The canonical text of the file: PyYAML's emitter, sections and exercises apart."""
    data = Library.model_validate(data).model_dump(by_alias=True)  # every key in its place
    sections = []
    for name in SECTIONS:
        text = yaml.dump(
            {name: data[name]},
            Dumper=yaml.SafeDumper,  # the pure-Python emitter: the same bytes everywhere
            sort_keys=False,
            allow_unicode=True,
            width=1 << 16,  # one line per text, so an edit is a one-line diff
        )
        if name == "exercises":
            # A blank line between exercises keeps a long file scannable.
            head, _, rows = text.partition("\n")
            text = head + "\n" + rows.replace("\n- ", "\n\n- ")
        sections.append(text)
    return HEADER + "\n" + "\n".join(sections)
