"""What a runner in pain needs, and which claims are the sources' and which are ours.

- Condition.with_symptoms: whether to do the exercises with symptoms now.
- Exercise.our_own: an exercise no cited article describes.
- Which dose numbers a cited article gives, number by number, instead of one flag for
  the whole dose (the toe walk's article gives its rounds but not their length). A dose
  that was the source's keeps every number it has as the source's.
"""

from django.db import migrations, models


def dose_flags_per_number(apps, schema_editor):
    Exercise = apps.get_model("exercises", "Exercise")
    for exercise in Exercise.objects.filter(dose_suggested_by_us=False):
        exercise.dose_sets_from_source = True
        exercise.dose_reps_from_source = exercise.dose_reps is not None
        exercise.dose_hold_from_source = exercise.dose_hold_seconds is not None
        exercise.dose_duration_from_source = exercise.dose_duration_seconds is not None
        exercise.save(
            update_fields=[
                "dose_sets_from_source",
                "dose_reps_from_source",
                "dose_hold_from_source",
                "dose_duration_from_source",
            ]
        )


def dose_flag_whole(apps, schema_editor):
    Exercise = apps.get_model("exercises", "Exercise")
    Exercise.objects.filter(
        models.Q(dose_sets_from_source=True)
        | models.Q(dose_reps_from_source=True)
        | models.Q(dose_hold_from_source=True)
        | models.Q(dose_duration_from_source=True)
    ).update(dose_suggested_by_us=False)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0005_search")]

    operations = [
        migrations.AddField(
            model_name="condition",
            name="with_symptoms",
            field=models.TextField(
                default="",
                help_text="Plainly: whether to do the exercises with symptoms now, within the pain rule, and when to get it assessed instead.",
                verbose_name="if you have it now",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="exercise",
            name="our_own",
            field=models.BooleanField(
                default=False,
                help_text="Tick when no cited article describes this exercise (we built it from what they do describe): the page says it is ours.",
                verbose_name="our own exercise",
            ),
        ),
        *(
            migrations.AddField(
                model_name="exercise",
                name=f"dose_{number}_from_source",
                field=models.BooleanField(default=False, verbose_name=f"{number} from the article"),
            )
            for number in ("sets", "reps", "hold", "duration")
        ),
        migrations.RunPython(dose_flags_per_number, dose_flag_whole),
        migrations.RemoveField(model_name="exercise", name="dose_suggested_by_us"),
    ]
