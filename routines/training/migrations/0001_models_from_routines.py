"""The training models, taken over from `routines` with their tables (state only), and
their content types renamed to this app's label, so that permissions (the Content
editors' on starter plans), admin log entries and anything else pointing at them follow.
"""

import django.db.models.deletion
import django.utils.timezone
import footcare.text
from django.conf import settings
from django.db import migrations, models


MODELS = ("workoutsession", "exerciselog", "setlog", "morningcheckin")


def _move(apps, schema_editor, old: str, new: str) -> None:
    """Content types of MODELS from app label `old` to `new`. Where `new` has one already
    (made by a `migrate` run in between), what pointed at the old one moves to it."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    LogEntry = apps.get_model("admin", "LogEntry")
    db = schema_editor.connection.alias
    for model in MODELS:
        before = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if before is None:
            continue
        after = ContentType.objects.using(db).filter(app_label=new, model=model).first()
        if after is None:
            before.app_label = new
            before.save(update_fields=["app_label"])
            continue
        for permission in Permission.objects.using(db).filter(content_type=before):
            twin = (
                Permission.objects.using(db)
                .filter(content_type=after, codename=permission.codename)
                .first()
            )
            if twin is None:
                permission.content_type = after
                permission.save(update_fields=["content_type"])
            else:
                for group in permission.group_set.all():
                    group.permissions.add(twin)
                for user in permission.user_set.all():
                    user.user_permissions.add(twin)
                permission.delete()
        LogEntry.objects.using(db).filter(content_type=before).update(content_type=after)
        before.delete()
    ContentType.objects.clear_cache()


def content_types_follow(apps, schema_editor) -> None:
    _move(apps, schema_editor, "routines", "training")


def content_types_go_back(apps, schema_editor) -> None:
    _move(apps, schema_editor, "training", "routines")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("routines", "0009_models_move_to_plans_and_training"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("exercises", "0008_progression_main_or_side_branch"),
        ("plans", "0001_models_from_routines"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only the state moves.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="WorkoutSession",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField()),
                        ("started_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "notes",
                            models.TextField(
                                blank=True,
                                max_length=2000,
                                validators=[footcare.text.TypedText(one_line=False)],
                            ),
                        ),
                        ("client_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="workout_sessions",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="sessions",
                                to="plans.weeklyplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_workoutsession",
                    },
                ),
                migrations.CreateModel(
                    name="ExerciseLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        (
                            "unit",
                            models.CharField(
                                choices=[("reps", "reps"), ("seconds", "seconds")],
                                default="reps",
                                max_length=7,
                            ),
                        ),
                        ("per_side", models.BooleanField(default=False, verbose_name="each side")),
                        ("sets_planned", models.PositiveSmallIntegerField(default=1)),
                        ("sets_done", models.PositiveSmallIntegerField(default=0)),
                        (
                            "load_note",
                            models.CharField(
                                blank=True,
                                max_length=100,
                                validators=[footcare.text.TypedText(one_line=True)],
                                verbose_name="load",
                            ),
                        ),
                        (
                            "pain",
                            models.PositiveSmallIntegerField(
                                blank=True, help_text="0 to 10", null=True
                            ),
                        ),
                        (
                            "effort",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="1 to 10",
                                null=True,
                                verbose_name="effort (RPE)",
                            ),
                        ),
                        ("skipped", models.BooleanField(default=False)),
                        ("request_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "exercise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "plan_item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="logs",
                                to="plans.planitem",
                            ),
                        ),
                        (
                            "session",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="logs",
                                to="training.workoutsession",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_exerciselog",
                    },
                ),
                migrations.CreateModel(
                    name="MorningCheckIn",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("date", models.DateField()),
                        (
                            "pain",
                            models.PositiveSmallIntegerField(
                                help_text="0 to 10", verbose_name="pain on the first steps"
                            ),
                        ),
                        (
                            "stiffness",
                            models.PositiveSmallIntegerField(
                                blank=True, help_text="0 to 10", null=True
                            ),
                        ),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="check_ins",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_morningcheckin",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("owner", "date"), name="routines_one_check_in_a_day"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("pain__gte", 0), ("pain__lte", 10)),
                                name="routines_checkin_pain_range",
                                violation_error_message="Morning pain runs from 0 (none) to 10 (the worst).",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("stiffness__gte", 0), ("stiffness__lte", 10)),
                                name="routines_checkin_stiffness_range",
                                violation_error_message="Stiffness runs from 0 (none) to 10 (could hardly walk).",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="SetLog",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("number", models.PositiveSmallIntegerField()),
                        ("amount", models.PositiveSmallIntegerField()),
                        ("amount_right", models.PositiveSmallIntegerField(blank=True, null=True)),
                        ("done_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "log",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="sets",
                                to="training.exerciselog",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_setlog",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("log", "number"), name="routines_set_once"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("number__gte", 1), ("number__lte", 10)),
                                name="routines_setlog_number_range",
                                violation_error_message="A session counts sets 1 to 10.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("amount__lte", 900),
                                    models.Q(
                                        ("amount_right__isnull", True),
                                        ("amount_right__lte", 900),
                                        _connector="OR",
                                    ),
                                ),
                                name="routines_setlog_amount_range",
                                violation_error_message="A set is 0 to 100 reps, or 0 to 900 seconds.",
                            ),
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="workoutsession",
                    index=models.Index(
                        fields=["owner", "-date"], name="routines_session_owner_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="workoutsession",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("plan__isnull", False)),
                        fields=("owner", "plan", "date"),
                        name="routines_one_session_per_plan_and_day",
                        violation_error_message="This plan already has a session on that day.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="workoutsession",
                    constraint=models.UniqueConstraint(
                        fields=("owner", "client_token"), name="routines_session_made_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="workoutsession",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("finished_at__isnull", True),
                            ("finished_at__gte", models.F("started_at")),
                            _connector="OR",
                        ),
                        name="routines_session_finishes_after_start",
                        violation_error_message="A session finishes after it starts.",
                    ),
                ),
                migrations.AddIndex(
                    model_name="exerciselog",
                    index=models.Index(
                        fields=["exercise", "session"], name="routines_log_exercise_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("position__gte", 0), ("position__lte", 100)),
                        name="routines_exerciselog_position_range",
                        violation_error_message="A session holds at most 100 exercises.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("sets_planned__gte", 1), ("sets_planned__lte", 10)),
                        name="routines_exerciselog_sets_planned_range",
                        violation_error_message="Sets run from 1 to 10.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("sets_done__gte", 0), ("sets_done__lte", 10)),
                        name="routines_exerciselog_sets_done_range",
                        violation_error_message="Sets done run from 0 to 10.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("pain__isnull", True),
                            models.Q(("pain__gte", 0), ("pain__lte", 10)),
                            _connector="OR",
                        ),
                        name="routines_exerciselog_pain_range",
                        violation_error_message="Pain runs from 0 (none) to 10 (the worst).",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("effort__isnull", True),
                            models.Q(("effort__gte", 1), ("effort__lte", 10)),
                            _connector="OR",
                        ),
                        name="routines_exerciselog_effort_range",
                        violation_error_message="Effort runs from 1 (very easy) to 10 (all out).",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("plan_item__isnull", False)),
                        fields=("session", "plan_item"),
                        name="routines_one_log_per_plan_item",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="exerciselog",
                    constraint=models.UniqueConstraint(
                        fields=("session", "request_token"), name="routines_log_added_once"
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
