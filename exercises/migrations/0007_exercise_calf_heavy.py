"""Calf-heavy becomes a property of the exercise that editors set, not of its muscles.

Before, every exercise with a primary muscle in the calf region counted (towel scrunches
did, through the long toe flexors). Existing rows get the content file's answer for the
tendon-loading calf exercises; `make run` keeps rows as editors left them, so the seed
alone would not reach a database that already holds the library.
"""

from django.db import migrations, models

# The content file's calf-heavy exercises when this field came in.
TENDON_LOADING = (
    "calf-drop-step",
    "calf-drop-step-single-leg",
    "calf-raise",
    "calf-raise-weighted",
    "soleus-raise",
    "soleus-raise-weighted",
    "toe-walk",
)


def mark_tendon_loading(apps, schema_editor):
    Exercise = apps.get_model("exercises", "Exercise")
    Exercise.objects.filter(slug__in=TENDON_LOADING).update(calf_heavy=True)


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0006_safety_and_provenance"),
    ]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="calf_heavy",
            field=models.BooleanField(
                default=False,
                help_text="Tick for work that loads the calf and Achilles tendon hard "
                "(one-leg, weighted or below-the-step raises, long walks on the toes): plans "
                "keep a day between such days and none the day before a long run or hard "
                "workout.",
                verbose_name="calf-heavy",
            ),
        ),
        migrations.RunPython(mark_tendon_loading, migrations.RunPython.noop),
    ]
