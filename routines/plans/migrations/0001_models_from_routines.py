"""The plans models, taken over from `routines` with their tables (state only), and
their content types renamed to this app's label, so that permissions (the Content
editors' on starter plans), admin log entries and anything else pointing at them follow.
"""

import django.db.models.deletion
import django.utils.timezone
import footcare.text
import routines.plans.models
from django.conf import settings
from django.db import migrations, models


MODELS = (
    "weeklyplan",
    "planitem",
    "removedplanitem",
    "starterplan",
    "starterplancitation",
    "starterplanitem",
    "dosechange",
)


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
    _move(apps, schema_editor, "routines", "plans")


def content_types_go_back(apps, schema_editor) -> None:
    _move(apps, schema_editor, "plans", "routines")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("routines", "0009_models_move_to_plans_and_training"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("exercises", "0008_progression_main_or_side_branch"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            # The tables stay as they are: only the state moves.
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="StarterPlan",
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
                        ("slug", models.SlugField(max_length=100, unique=True)),
                        ("name", models.CharField(max_length=100, unique=True)),
                        ("published", models.BooleanField(default=False)),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                        (
                            "summary",
                            models.CharField(help_text="One line: who it is for.", max_length=300),
                        ),
                        (
                            "description",
                            models.TextField(
                                help_text="What the plan does and why, in our own words."
                            ),
                        ),
                        (
                            "evidence",
                            models.TextField(
                                help_text="What the cited research did and found, in our words."
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_starterplan",
                    },
                ),
                migrations.CreateModel(
                    name="StarterPlanCitation",
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
                        ("authors", models.CharField(max_length=300)),
                        ("year", models.PositiveSmallIntegerField()),
                        ("title", models.CharField(max_length=300)),
                        ("journal", models.CharField(max_length=200)),
                        (
                            "url",
                            models.URLField(max_length=300, verbose_name="DOI or PubMed address"),
                        ),
                        (
                            "starter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="citations",
                                to="plans.starterplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_starterplancitation",
                    },
                ),
                migrations.CreateModel(
                    name="WeeklyPlan",
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
                        (
                            "name",
                            models.CharField(
                                max_length=80, validators=[footcare.text.TypedText(one_line=True)]
                            ),
                        ),
                        (
                            "notes",
                            models.TextField(
                                blank=True,
                                max_length=2000,
                                validators=[footcare.text.TypedText(one_line=False)],
                            ),
                        ),
                        ("is_active", models.BooleanField(default=False, verbose_name="active")),
                        (
                            "calendar_token",
                            models.CharField(
                                default=routines.plans.models.new_calendar_token,
                                editable=False,
                                max_length=64,
                                unique=True,
                            ),
                        ),
                        ("creation_token", models.UUIDField(blank=True, editable=False, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="weekly_plans",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_weeklyplan",
                    },
                ),
                migrations.CreateModel(
                    name="RemovedPlanItem",
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
                        (
                            "weekday",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Monday"),
                                    (1, "Tuesday"),
                                    (2, "Wednesday"),
                                    (3, "Thursday"),
                                    (4, "Friday"),
                                    (5, "Saturday"),
                                    (6, "Sunday"),
                                ]
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("sets", models.PositiveSmallIntegerField(default=2)),
                        ("reps", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "hold_seconds",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="How long each rep is held.",
                                null=True,
                                verbose_name="hold (seconds)",
                            ),
                        ),
                        (
                            "duration_seconds",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="For timed sets, instead of reps.",
                                null=True,
                                verbose_name="duration (seconds)",
                            ),
                        ),
                        ("per_side", models.BooleanField(default=False, verbose_name="each side")),
                        (
                            "load_note",
                            models.CharField(
                                blank=True,
                                help_text="For example “5 kg in each hand”.",
                                max_length=100,
                                validators=[footcare.text.TypedText(one_line=True)],
                                verbose_name="load",
                            ),
                        ),
                        (
                            "rest_seconds",
                            models.PositiveSmallIntegerField(
                                default=60, verbose_name="rest between sets (seconds)"
                            ),
                        ),
                        ("item_pk", models.PositiveBigIntegerField()),
                        ("request_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "dose_set_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        ("log_ids", models.JSONField(default=list)),
                        ("dose_change_ids", models.JSONField(default=list)),
                        ("removed_at", models.DateTimeField()),
                        ("restored_at", models.DateTimeField(blank=True, null=True)),
                        (
                            "exercise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="removed_items",
                                to="plans.weeklyplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_removedplanitem",
                    },
                ),
                migrations.CreateModel(
                    name="PlanItem",
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
                        (
                            "weekday",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Monday"),
                                    (1, "Tuesday"),
                                    (2, "Wednesday"),
                                    (3, "Thursday"),
                                    (4, "Friday"),
                                    (5, "Saturday"),
                                    (6, "Sunday"),
                                ]
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("sets", models.PositiveSmallIntegerField(default=2)),
                        ("reps", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "hold_seconds",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="How long each rep is held.",
                                null=True,
                                verbose_name="hold (seconds)",
                            ),
                        ),
                        (
                            "duration_seconds",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="For timed sets, instead of reps.",
                                null=True,
                                verbose_name="duration (seconds)",
                            ),
                        ),
                        ("per_side", models.BooleanField(default=False, verbose_name="each side")),
                        (
                            "load_note",
                            models.CharField(
                                blank=True,
                                help_text="For example “5 kg in each hand”.",
                                max_length=100,
                                validators=[footcare.text.TypedText(one_line=True)],
                                verbose_name="load",
                            ),
                        ),
                        (
                            "rest_seconds",
                            models.PositiveSmallIntegerField(
                                default=60, verbose_name="rest between sets (seconds)"
                            ),
                        ),
                        ("request_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "dose_set_at",
                            models.DateTimeField(blank=True, editable=False, null=True),
                        ),
                        (
                            "exercise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "plan",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="plans.weeklyplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_planitem",
                    },
                ),
                migrations.CreateModel(
                    name="DoseChange",
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
                        (
                            "verdict",
                            models.CharField(
                                choices=[("progress", "made harder"), ("step_back", "eased off")],
                                max_length=16,
                            ),
                        ),
                        ("reason", models.TextField(max_length=2000)),
                        ("dose_before", models.JSONField()),
                        ("dose_after", models.JSONField()),
                        ("applied_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("undone_at", models.DateTimeField(blank=True, null=True)),
                        ("request_token", models.UUIDField(blank=True, editable=False, null=True)),
                        (
                            "exercise_after",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "exercise_before",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "owner",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="dose_changes",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                        (
                            "plan_item",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="dose_changes",
                                to="plans.planitem",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_dosechange",
                        "indexes": [
                            models.Index(
                                fields=["owner", "-applied_at"],
                                name="routines_dosechange_owner_idx",
                            ),
                            models.Index(
                                fields=["plan_item", "-applied_at"],
                                name="routines_dosechange_item_idx",
                            ),
                        ],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("owner", "request_token"), name="routines_dose_change_once"
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("undone_at__isnull", True),
                                    ("undone_at__gte", models.F("applied_at")),
                                    _connector="OR",
                                ),
                                name="routines_dose_change_undone_after_applied",
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="StarterPlanItem",
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
                        (
                            "weekday",
                            models.PositiveSmallIntegerField(
                                choices=[
                                    (0, "Monday"),
                                    (1, "Tuesday"),
                                    (2, "Wednesday"),
                                    (3, "Thursday"),
                                    (4, "Friday"),
                                    (5, "Saturday"),
                                    (6, "Sunday"),
                                ]
                            ),
                        ),
                        ("position", models.PositiveSmallIntegerField(default=0)),
                        ("sets", models.PositiveSmallIntegerField(default=2)),
                        ("reps", models.PositiveSmallIntegerField(blank=True, null=True)),
                        (
                            "hold_seconds",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="How long each rep is held.",
                                null=True,
                                verbose_name="hold (seconds)",
                            ),
                        ),
                        (
                            "duration_seconds",
                            models.PositiveSmallIntegerField(
                                blank=True,
                                help_text="For timed sets, instead of reps.",
                                null=True,
                                verbose_name="duration (seconds)",
                            ),
                        ),
                        ("per_side", models.BooleanField(default=False, verbose_name="each side")),
                        (
                            "load_note",
                            models.CharField(
                                blank=True,
                                help_text="For example “5 kg in each hand”.",
                                max_length=100,
                                validators=[footcare.text.TypedText(one_line=True)],
                                verbose_name="load",
                            ),
                        ),
                        (
                            "rest_seconds",
                            models.PositiveSmallIntegerField(
                                default=60, verbose_name="rest between sets (seconds)"
                            ),
                        ),
                        (
                            "exercise",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to="exercises.exercise",
                            ),
                        ),
                        (
                            "starter",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="items",
                                to="plans.starterplan",
                            ),
                        ),
                    ],
                    options={
                        "db_table": "routines_starterplanitem",
                        "constraints": [
                            models.CheckConstraint(
                                condition=models.Q(("sets__gte", 1), ("sets__lte", 10)),
                                name="routines_starteritem_sets_range",
                                violation_error_message="Sets run from 1 to 10.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("reps__isnull", True),
                                    models.Q(("reps__gte", 1), ("reps__lte", 100)),
                                    _connector="OR",
                                ),
                                name="routines_starteritem_reps_range",
                                violation_error_message="Reps run from 1 to 100.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("hold_seconds__isnull", True),
                                    models.Q(("hold_seconds__gte", 1), ("hold_seconds__lte", 300)),
                                    _connector="OR",
                                ),
                                name="routines_starteritem_hold_seconds_range",
                                violation_error_message="A hold lasts 1 to 300 seconds.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("duration_seconds__isnull", True),
                                    models.Q(
                                        ("duration_seconds__gte", 5), ("duration_seconds__lte", 900)
                                    ),
                                    _connector="OR",
                                ),
                                name="routines_starteritem_duration_seconds_range",
                                violation_error_message="A timed set lasts 5 to 900 seconds.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("rest_seconds__gte", 0), ("rest_seconds__lte", 600)
                                ),
                                name="routines_starteritem_rest_seconds_range",
                                violation_error_message="Rest is 0 to 600 seconds.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("weekday__gte", 0), ("weekday__lte", 6)),
                                name="routines_starteritem_weekday_range",
                                violation_error_message="Choose a day from Monday to Sunday.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    models.Q(
                                        ("duration_seconds__isnull", True), ("reps__isnull", False)
                                    ),
                                    models.Q(
                                        ("duration_seconds__isnull", False), ("reps__isnull", True)
                                    ),
                                    _connector="OR",
                                ),
                                name="routines_starteritem_reps_xor_duration",
                                violation_error_message="Give reps or a duration, not both.",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(
                                    ("hold_seconds__isnull", True),
                                    ("reps__isnull", False),
                                    _connector="OR",
                                ),
                                name="routines_starteritem_hold_needs_reps",
                                violation_error_message="A hold belongs to a rep: give reps with a hold.",
                            ),
                        ],
                    },
                ),
                migrations.AddIndex(
                    model_name="weeklyplan",
                    index=models.Index(
                        fields=["owner", "-updated_at"], name="routines_plan_owner_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="weeklyplan",
                    constraint=models.UniqueConstraint(
                        condition=models.Q(("is_active", True)),
                        fields=("owner",),
                        name="routines_one_active_plan_per_runner",
                        violation_error_message="Only one plan can be active at a time.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="weeklyplan",
                    constraint=models.UniqueConstraint(
                        fields=("owner", "creation_token"), name="routines_plan_creation_once"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="removedplanitem",
                    constraint=models.UniqueConstraint(
                        fields=("plan", "item_pk"), name="routines_removed_item_once"
                    ),
                ),
                migrations.AddIndex(
                    model_name="planitem",
                    index=models.Index(
                        fields=["plan", "weekday", "position"], name="routines_item_day_idx"
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("sets__gte", 1), ("sets__lte", 10)),
                        name="routines_planitem_sets_range",
                        violation_error_message="Sets run from 1 to 10.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("reps__isnull", True),
                            models.Q(("reps__gte", 1), ("reps__lte", 100)),
                            _connector="OR",
                        ),
                        name="routines_planitem_reps_range",
                        violation_error_message="Reps run from 1 to 100.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("hold_seconds__isnull", True),
                            models.Q(("hold_seconds__gte", 1), ("hold_seconds__lte", 300)),
                            _connector="OR",
                        ),
                        name="routines_planitem_hold_seconds_range",
                        violation_error_message="A hold lasts 1 to 300 seconds.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("duration_seconds__isnull", True),
                            models.Q(("duration_seconds__gte", 5), ("duration_seconds__lte", 900)),
                            _connector="OR",
                        ),
                        name="routines_planitem_duration_seconds_range",
                        violation_error_message="A timed set lasts 5 to 900 seconds.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("rest_seconds__gte", 0), ("rest_seconds__lte", 600)),
                        name="routines_planitem_rest_seconds_range",
                        violation_error_message="Rest is 0 to 600 seconds.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(("weekday__gte", 0), ("weekday__lte", 6)),
                        name="routines_planitem_weekday_range",
                        violation_error_message="Choose a day from Monday to Sunday.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("duration_seconds__isnull", True), ("reps__isnull", False)),
                            models.Q(("duration_seconds__isnull", False), ("reps__isnull", True)),
                            _connector="OR",
                        ),
                        name="routines_planitem_reps_xor_duration",
                        violation_error_message="Give reps or a duration, not both.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.CheckConstraint(
                        condition=models.Q(
                            ("hold_seconds__isnull", True), ("reps__isnull", False), _connector="OR"
                        ),
                        name="routines_planitem_hold_needs_reps",
                        violation_error_message="A hold belongs to a rep: give reps with a hold.",
                    ),
                ),
                migrations.AddConstraint(
                    model_name="planitem",
                    constraint=models.UniqueConstraint(
                        fields=("plan", "request_token"), name="routines_planitem_added_once"
                    ),
                ),
            ],
        ),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
