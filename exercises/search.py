"""Library search: the words runners use, matched by the database's own text search.

A search reads an exercise's name, its summary and the names of the conditions and
muscles it is linked to (`Exercise.search_related`, kept current by the receivers at the
bottom of this module). What the runner typed is first turned into plain data: groups of
alternatives, every group must match, any alternative of a group will do. "heel pain"
becomes one group, (plantar fasciitis | achilles); "calf raises" two, (calf | calves |
gastrocnemius | soleus) and (raises). That one reading is then written as a PostgreSQL
tsquery (`django.contrib.postgres.search`, the 'english' configuration) or as an SQLite
FTS5 query (porter stemmer). Both stem words, so plurals and word forms match; every word
is also a prefix, so the results follow the runner as they type.

Ranking: exercises that match the narrower, preferred reading come first (`preferred`:
"heel pain" ranks the exercises for plantar fasciitis, the pain under the heel, before those
for the Achilles tendon). Then a match in the name counts most, then the summary, then a
linked condition or muscle: PostgreSQL ranks with `SearchRank` over weighted vectors,
SQLite with `bm25()` and column weights in the same order.

On PostgreSQL a GIN index over exactly the vector the query builds (`search_vector()`,
created by the migration) lets a search that matches few exercises skip computing the
vector of every row: with 300 exercises, "towel" took 63 ms without it and 10 ms with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from django.db import connections
from django.db.models import Case, FloatField, Value, When
from django.db.models.expressions import RawSQL

if TYPE_CHECKING:
    from .models import Condition, ExerciseQuerySet, Muscle

# One alternative is a run of words that must all match; a group is its alternatives.
Alternative = tuple[str, ...]
Group = tuple[Alternative, ...]

MAX_WORDS = 8


def _word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# PostgreSQL's 'english' configuration drops these (the Snowball list); SQLite's FTS5
# does not, so we drop them first and both databases read the same query.
STOP_WORDS = _word_set(
    """a about above after again against all am an and any are as at be because been before
    being below between both but by can did do does doing don down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is
    it its itself just me more most my myself no nor not now of off on once only or other our
    ours ourselves out over own same she should so some such t than that the their theirs them
    themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with you your yours yourself
    yourselves s exercise exercises workout workouts"""
)

# Words that say "it hurts". They are not in any exercise; they tell us that the words
# around them name a sore place, which WHERE_IT_HURTS turns into conditions.
PAIN_WORDS = _word_set(
    """pain pains painful sore soreness ache aches aching achy hurt hurts hurting injury
    injuries injured tender"""
)

# A sore place, in the runner's words, and the conditions of the library that cause it.
WHERE_IT_HURTS: dict[str, tuple[str, ...]] = {
    "heel": ("plantar fasciitis", "achilles"),
    "arch": ("plantar fasciitis",),
    "sole": ("plantar fasciitis",),
    "foot": ("plantar fasciitis", "stress fracture"),
    "feet": ("plantar fasciitis", "stress fracture"),
    "achilles": ("achilles",),
    "shin": ("shin splints", "tibialis anterior"),
    "shins": ("shin splints", "tibialis anterior"),
    "ankle": ("ankle sprain", "peroneal"),
    "outer ankle": ("peroneal",),
    "outer foot": ("stress fracture",),
}

# Runners' words and other spellings, and the library's words for the same thing. The
# words themselves always count too. Longer phrases are matched first.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "heel pain": ("plantar fasciitis", "achilles"),
    # The shin's own exercise (the heel walk, for the tibialis anterior) as well as those
    # the content links to shin splints.
    "shin splints": ("shin splints", "tibialis anterior"),
    "shin splint": ("shin splints", "tibialis anterior"),
    "shin": ("tibialis anterior",),
    "shins": ("shin", "tibialis anterior"),
    "big toe": ("hallucis",),
    "big toes": ("big toe", "hallucis"),
    "arch": ("plantar fasciitis", "abductor hallucis", "tibialis posterior"),
    "arches": ("arch", "plantar fasciitis", "abductor hallucis", "tibialis posterior"),
    "calf": ("calves", "gastrocnemius", "soleus"),
    "calves": ("calf", "gastrocnemius", "soleus"),
    "feet": ("foot",),
    "foot": ("feet",),
    "achilles": ("achilles",),
    "achilles tendon": ("achilles",),
    "achillies": ("achilles",),
    "achiles": ("achilles",),
    "tendonitis": ("tendinopathy",),
    "tendinitis": ("tendinopathy",),
    "tendonopathy": ("tendinopathy",),
    "fasciitis": ("fasciitis",),
    "fascitis": ("fasciitis",),
    "fasciatis": ("fasciitis",),
    "plantar fascia": ("plantar fasciitis",),
    "sprained ankle": ("ankle sprain",),
    "rolled ankle": ("ankle sprain",),
    "twisted ankle": ("ankle sprain",),
    "peroneal": ("fibularis",),
    "peroneals": ("peroneal", "fibularis"),
    "metatarsal": ("stress fracture",),
    "glute": ("gluteus",),
    "glutes": ("gluteus",),
    "quads": ("quadriceps",),
    "hamstring": ("hamstrings",),
}


def words_of(text: str) -> list[str]:
    """Lower-case words of letters and digits, accents dropped ("Achilles'" -> achilles)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.findall(r"[a-z0-9]+", plain.lower().replace("'", ""))


def parse(text: str) -> list[Group]:
    """What the runner typed, as groups of alternatives; [] when nothing is searchable."""
    return [group for group, _ in _read(text)]


def preferred(text: str) -> list[Group]:
    """The narrower reading whose matches rank first: a sore place means its first
    condition ("heel pain" is plantar fasciitis before Achilles tendinopathy); every other
    group stays as `parse` reads it."""
    return list(dict.fromkeys(group[:1] if place else group for group, place in _read(text)))


def _read(text: str) -> list[tuple[Group, bool]]:
    """`parse`'s groups, each with whether it stands for a sore place."""
    words = [word for word in words_of(text) if word not in STOP_WORDS]
    in_pain = any(word in PAIN_WORDS for word in words)
    words = [word for word in words if word not in PAIN_WORDS][:MAX_WORDS]
    places = WHERE_IT_HURTS if in_pain else {}
    longest = max(len(key.split()) for key in (*SYNONYMS, *WHERE_IT_HURTS))

    groups: list[tuple[Group, bool]] = []
    i = 0
    while i < len(words):
        for size in range(min(longest, len(words) - i), 0, -1):
            phrase = " ".join(words[i : i + size])
            if phrase not in places and phrase not in SYNONYMS:
                phrase = " ".join(_singular(word) for word in words[i : i + size])
            if phrase in places:
                # A sore place means its conditions, not the word: "heel pain" is about
                # plantar fasciitis, not the heel walk.
                groups.append((_group(places[phrase]), True))
                break
            if phrase in SYNONYMS:
                groups.append((_group((phrase, *SYNONYMS[phrase])), False))
                break
        else:
            size = 1
            groups.append((((words[i],),), False))
        i += size
    first: dict[Group, bool] = {}
    for group, place in groups:
        first.setdefault(group, place)
    return list(first.items())


def _singular(word: str) -> str:
    """Enough of a singular to look a word up in our lists: heels -> heel."""
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word


def _group(phrases: Iterable[str]) -> Group:
    return tuple(dict.fromkeys(tuple(words_of(phrase)) for phrase in phrases))


def tsquery(groups: Sequence[Group]) -> str:
    """The groups as PostgreSQL's to_tsquery() text: `(plantar:* & fasciitis:*) | achilles:*`."""
    return " & ".join(
        "(" + " | ".join("(" + " & ".join(f"{w}:*" for w in alt) + ")" for alt in group) + ")"
        for group in groups
    )


def fts5_query(groups: Sequence[Group]) -> str:
    """The groups as an FTS5 MATCH expression: `("plantar"* AND "fasciitis"*) OR ...`."""
    return " AND ".join(
        "(" + " OR ".join("(" + " AND ".join(f'"{w}"*' for w in alt) + ")" for alt in group) + ")"
        for group in groups
    )


# SQLite's full-text index of exercises: an FTS5 table whose content is the exercise
# table's own columns, so it stores only the index, kept in step by triggers.
FTS_TABLE = "exercises_exercise_search"
FTS_COLUMNS = ("name", "summary", "search_related")
# bm25() weights per column, in FTS_COLUMNS order: name, then summary, then the links.
FTS_WEIGHTS = (10.0, 4.0, 1.0)
# PostgreSQL's SearchRank reads the same order from the vectors' A, B and C weights.
PG_WEIGHTS = ("A", "B", "C")
PG_INDEX = "exercises_exercise_search_idx"


def search_exercises(exercises: ExerciseQuerySet, text: str) -> ExerciseQuerySet:
    """Exercises matching the search, annotated with `search_tier` and `search_rank`: order
    by both, higher first (the tier puts the preferred reading's matches first).

    Text with no searchable word ("the", "pain") leaves the exercises as they are.
    """
    groups = parse(text)
    if not groups:
        return exercises
    best = preferred(text)
    if connections[exercises.db].vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank

        def query(groups: Sequence[Group]) -> SearchQuery:
            return SearchQuery(tsquery(groups), search_type="raw", config="english")

        vector = search_vector()
        return (
            exercises.alias(search_vector=vector)
            .filter(search_vector=query(groups))
            .annotate(
                search_rank=SearchRank(vector, query(groups)),
                search_tier=_tier(best != groups, search_vector=query(best)),
            )
        )

    def matching(groups: Sequence[Group]) -> RawSQL:
        return RawSQL(
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s", [fts5_query(groups)]
        )

    weights = ", ".join(str(weight) for weight in FTS_WEIGHTS)
    table = exercises.model._meta.db_table
    return exercises.filter(pk__in=matching(groups)).annotate(
        # bm25() is lower for a better match; negated so both databases sort the same way.
        search_rank=RawSQL(
            f"-(SELECT bm25({FTS_TABLE}, {weights}) FROM {FTS_TABLE}"
            f' WHERE {FTS_TABLE} MATCH %s AND rowid = "{table}"."id")',
            [fts5_query(groups)],
            output_field=FloatField(),
        ),
        search_tier=_tier(best != groups, pk__in=matching(best)),
    )


def _tier(narrower: bool, **lookup: object) -> Case | Value:
    """1 for an exercise that matches the preferred reading too, else 0; 0 for all when that
    reading is no narrower than the search."""
    if not narrower:
        return Value(0)
    return Case(When(**lookup, then=Value(1)), default=Value(0))


def search_vector():
    """PostgreSQL's weighted vector of an exercise: what is searched, and what is indexed."""
    from django.contrib.postgres.search import SearchVector

    vector = SearchVector(FTS_COLUMNS[0], weight=PG_WEIGHTS[0], config="english")
    for column, weight in zip(FTS_COLUMNS[1:], PG_WEIGHTS[1:], strict=True):
        vector += SearchVector(column, weight=weight, config="english")
    return vector


def search_index(exercise_model, schema_editor, *, install: bool) -> None:
    """Create (or drop) PostgreSQL's GIN index over search_vector(); elsewhere nothing."""
    if schema_editor.connection.vendor != "postgresql":
        return
    from django.contrib.postgres.indexes import GinIndex

    index = GinIndex(search_vector(), name=PG_INDEX)
    if install:
        schema_editor.add_index(exercise_model, index)
    else:
        schema_editor.remove_index(exercise_model, index)


def fts_install(connection) -> None:
    """Create SQLite's index and its triggers if missing, and fill it from the table.

    Run by the migration that adds search and again after every `migrate`: SQLite alters
    a table by building a new one and dropping the old, and the triggers go with it.
    """
    if connection.vendor != "sqlite":
        return
    if "exercises_exercise" not in connection.introspection.table_names():
        return  # migrated back to before the library existed
    columns = ", ".join(FTS_COLUMNS)
    old = ", ".join(f"old.{column}" for column in FTS_COLUMNS)
    new = ", ".join(f"new.{column}" for column in FTS_COLUMNS)
    forget = (
        f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old});"
    )
    learn = f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new});"
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns},"
            " content='exercises_exercise', content_rowid='id',"
            " tokenize='porter unicode61 remove_diacritics 2')"
        )
        for name, event, body in (
            ("ai", "AFTER INSERT", learn),
            ("ad", "AFTER DELETE", forget),
            ("au", f"AFTER UPDATE OF {columns}", forget + " " + learn),
        ):
            cursor.execute(
                f"CREATE TRIGGER IF NOT EXISTS {FTS_TABLE}_{name} {event} ON exercises_exercise"
                f" BEGIN {body} END"
            )
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")


def fts_uninstall(connection) -> None:
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        for name in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS {FTS_TABLE}_{name}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


def related_text(condition_names: Iterable[str], muscle_names: Iterable[str]) -> str:
    """What search reads about an exercise's links: its conditions, then its muscles."""
    return "; ".join([*sorted(condition_names), *sorted(muscle_names)])


def related_text_refresh(exercise_ids: Iterable[int] | None = None, *, models=None) -> int:
    """Recompute `search_related` for these exercises (all when None); returns how many changed.

    `models` lets a migration pass its historical models; it defaults to today's.
    """
    if models is None:
        from . import models
    exercises = models.Exercise.objects.only("pk", "search_related")
    conditions = models.ExerciseCondition.objects.all()
    muscles = models.ExerciseMuscle.objects.all()
    if exercise_ids is not None:
        ids = list(exercise_ids)
        exercises = exercises.filter(pk__in=ids)
        conditions = conditions.filter(exercise_id__in=ids)
        muscles = muscles.filter(exercise_id__in=ids)
    names: dict[int, tuple[list[str], list[str]]] = {}
    for exercise_id, name in conditions.values_list("exercise_id", "condition__name"):
        names.setdefault(exercise_id, ([], []))[0].append(name)
    for exercise_id, name in muscles.values_list("exercise_id", "muscle__name"):
        names.setdefault(exercise_id, ([], []))[1].append(name)
    changed = []
    for exercise in exercises:
        text = related_text(*names.get(exercise.pk, ([], [])))
        if exercise.search_related != text:
            exercise.search_related = text
            changed.append(exercise)
    # bulk_update, not save(): the exercise's updated_at records edits to its content.
    models.Exercise.objects.bulk_update(changed, ["search_related"], batch_size=500)
    return len(changed)


def topics_matching(
    text: str, conditions: Iterable[Condition], muscles: Iterable[Muscle]
) -> list[Condition | Muscle]:
    """The conditions and muscles a search names, to offer their pages beside the results.

    Read in Python from lists the page has already loaded, so it costs no query; a name
    matches when every word of one of a group's alternatives starts one of its words. A
    place on its own ("heel") also offers the conditions that make it sore: the runner
    who types it is often in pain.
    """
    groups = list(dict.fromkeys([*parse(text), *parse(f"{text} pain")]))
    found = []
    for topic in (*conditions, *muscles):
        name_words = words_of(topic.name)
        for group in groups:
            if any(
                all(any(_same_word(word, name_word) for name_word in name_words) for word in alt)
                for alt in group
            ):
                found.append(topic)
                break
    return found


def _same_word(typed: str, word: str) -> bool:
    stem = typed[:-1] if len(typed) > 4 and typed.endswith("s") else typed
    return word.startswith(stem)
