"""The move of routines' models into `plans` and `training` (issue 22) keeps every row.

The test goes back to the schema before the move (routines 0008: one `routines` app with
every table), writes a row of every model and what points at their content types (the
Content editors' permissions, a runner's own permission, an admin log entry), then
migrates forward and finds them all, unchanged, through the new apps' models.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pytest
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from routines.plans.models import (
    DoseChange,
    PlanItem,
    RemovedPlanItem,
    StarterPlan,
    StarterPlanCitation,
    StarterPlanItem,
    WeeklyPlan,
)
from routines.training.models import ExerciseLog, MorningCheckIn, SetLog, WorkoutSession

BEFORE = [("routines", "0008_removed_plan_item_for_undo")]
MOVED = {
    "plans": {
        "weeklyplan",
        "planitem",
        "removedplanitem",
        "starterplan",
        "starterplancitation",
        "starterplanitem",
        "dosechange",
    },
    "training": {"workoutsession", "exerciselog", "setlog", "morningcheckin"},
}


def _migrate(targets):
    """Migrate to `targets`; the models as they stand there, the other apps' at their latest."""
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    executor.loader.build_graph()
    apps_of_targets = {app for app, _ in targets}
    others = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in apps_of_targets | {"plans", "training", "progress"}
    ]
    return executor.loader.project_state(targets + others).apps


@pytest.fixture
def latest():
    """The latest migrations, migrated back to after the test whatever it found."""
    leaves = MigrationExecutor(connection).loader.graph.leaf_nodes()
    yield leaves
    _migrate(leaves)
    ContentType.objects.clear_cache()


def _old_rows(apps) -> dict[str, int]:
    """A row of every model that moves, written through the schema before the move."""
    User = apps.get_model("accounts", "User")
    Exercise = apps.get_model("exercises", "Exercise")
    m = {name: apps.get_model("routines", name) for name in set().union(*MOVED.values())}
    runner = User.objects.create(email="moved@example.com", password="!")
    exercise = Exercise.objects.create(
        name="Moved raise",
        slug="moved-raise",
        summary="Up and down.",
        why_it_matters="It is tested.",
        position="standing",
        laterality="both",
        level=1,
        calf_heavy=True,
        dose_reps=10,
    )
    plan = m["weeklyplan"].objects.create(owner=runner, name="Kept plan", is_active=True)
    item = m["planitem"].objects.create(plan=plan, weekday=2, exercise=exercise, sets=3, reps=12)
    removed = m["removedplanitem"].objects.create(
        plan=plan, weekday=4, exercise=exercise, reps=8, item_pk=999, removed_at=timezone.now()
    )
    starter = m["starterplan"].objects.create(
        slug="kept-starter", name="Kept starter", summary="s", description="d", evidence="e"
    )
    citation = m["starterplancitation"].objects.create(
        starter=starter, authors="A. Author", year=2007, title="T", journal="J", url="https://x.org"
    )
    starter_item = m["starterplanitem"].objects.create(
        starter=starter, weekday=0, exercise=exercise, reps=10
    )
    session = m["workoutsession"].objects.create(owner=runner, plan=plan, date=dt.date(2026, 3, 4))
    log = m["exerciselog"].objects.create(
        session=session, exercise=exercise, plan_item=item, sets_planned=3, sets_done=1, pain=2
    )
    set_log = m["setlog"].objects.create(log=log, number=1, amount=12)
    check_in = m["morningcheckin"].objects.create(owner=runner, date=dt.date(2026, 3, 5), pain=1)
    change = m["dosechange"].objects.create(
        owner=runner,
        plan_item=item,
        verdict="progress",
        reason="Kept reason",
        exercise_before=exercise,
        exercise_after=exercise,
        dose_before={"sets": 3, "reps": 10},
        dose_after={"sets": 3, "reps": 12},
        request_token=uuid.uuid4(),
    )
    rows = {
        "runner": runner.pk,
        "weeklyplan": plan.pk,
        "planitem": item.pk,
        "removedplanitem": removed.pk,
        "starterplan": starter.pk,
        "starterplancitation": citation.pk,
        "starterplanitem": starter_item.pk,
        "workoutsession": session.pk,
        "exerciselog": log.pk,
        "setlog": set_log.pk,
        "morningcheckin": check_in.pk,
        "dosechange": change.pk,
    }

    # What points at the old content types: a runner's own permission and an admin entry.
    OldContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    plan_type = OldContentType.objects.get(app_label="routines", model="weeklyplan")
    runner.user_permissions.add(
        Permission.objects.get(content_type=plan_type, codename="view_weeklyplan")
    )
    OldLogEntry = apps.get_model("admin", "LogEntry")
    rows["logentry"] = OldLogEntry.objects.create(
        user=runner,
        content_type=plan_type,
        object_id=str(plan.pk),
        object_repr="Kept plan",
        action_flag=2,
        change_message="[]",
        action_time=timezone.now(),
    ).pk
    rows["weeklyplan_type"] = plan_type.pk
    return rows


# Back and forth through the migrations leaves the tables as the migrations make them; the
# rows that migrations seed (content types, the Content editors group) come back after.
# Not serialized_rollback: a test that commits before it re-creates the content types, which
# restoring a serialized copy would then insert twice (Django flushes and re-emits
# post_migrate after each such test).
@pytest.mark.django_db(transaction=True)
def test_moving_the_models_keeps_every_row_and_what_points_at_them(staff_groups, latest):
    # Backwards first: the move undoes itself, content types and all.
    old_apps = _migrate(BEFORE)
    # A test that committed before this one emptied the tables, the editors' starter-plan
    # permissions too: grant them as the old schema's migration did.
    from importlib import import_module

    with connection.schema_editor() as schema_editor:
        import_module("routines.migrations.0002_content_editors_curate_starter_plans").grant(
            old_apps, schema_editor
        )
    assert old_apps.get_model("routines", "WeeklyPlan")._meta.db_table == "routines_weeklyplan"
    ContentType.objects.clear_cache()
    assert ContentType.objects.filter(app_label="routines", model="starterplan").exists()
    assert not ContentType.objects.filter(app_label__in=MOVED).exists()
    rows = _old_rows(old_apps)

    _migrate(latest)

    assert WeeklyPlan.objects.get(pk=rows["weeklyplan"]).name == "Kept plan"
    item = PlanItem.objects.get(pk=rows["planitem"])
    assert (item.plan_id, item.weekday, item.sets, item.reps) == (rows["weeklyplan"], 2, 3, 12)
    assert RemovedPlanItem.objects.get(pk=rows["removedplanitem"]).item_pk == 999
    assert StarterPlan.objects.get(pk=rows["starterplan"]).slug == "kept-starter"
    assert StarterPlanCitation.objects.get(pk=rows["starterplancitation"]).year == 2007
    assert StarterPlanItem.objects.get(pk=rows["starterplanitem"]).starter_id == rows["starterplan"]
    session = WorkoutSession.objects.get(pk=rows["workoutsession"])
    assert (session.plan_id, session.date) == (rows["weeklyplan"], dt.date(2026, 3, 4))
    log = ExerciseLog.objects.get(pk=rows["exerciselog"])
    assert (log.session_id, log.plan_item_id, log.pain) == (session.pk, item.pk, 2)
    assert SetLog.objects.get(pk=rows["setlog"]).amount == 12
    assert MorningCheckIn.objects.get(pk=rows["morningcheckin"]).pain == 1
    change = DoseChange.objects.get(pk=rows["dosechange"])
    assert (change.reason, change.dose_after) == ("Kept reason", {"sets": 3, "reps": 12})
    # Reached through the relations the new models declare, too.
    assert list(session.logs.all()) == [log]
    assert list(item.dose_changes.all()) == [change]

    # The content types moved (the same rows, renamed), so what pointed at them follows.
    ContentType.objects.clear_cache()
    assert not ContentType.objects.filter(app_label="routines").exists()
    for label, models in MOVED.items():
        assert (
            set(ContentType.objects.filter(app_label=label).values_list("model", flat=True))
            == models
        )
    plan_type = ContentType.objects.get_for_model(WeeklyPlan)
    assert plan_type.pk == rows["weeklyplan_type"]
    assert LogEntry.objects.get(pk=rows["logentry"]).get_edited_object().name == "Kept plan"
    runner = WeeklyPlan.objects.get(pk=rows["weeklyplan"]).owner
    assert runner.has_perm("plans.view_weeklyplan")
    editors = set(
        Group.objects.get(name="Content editors")
        .permissions.filter(content_type__app_label="plans")
        .values_list("codename", flat=True)
    )
    assert {"add_starterplan", "change_starterplan", "view_starterplan"} <= editors
    assert {"delete_starterplanitem", "delete_starterplancitation"} <= editors
    assert "delete_starterplan" not in editors
