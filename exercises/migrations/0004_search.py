"""Search over names, summaries and linked conditions and muscles (exercises/search.py).

Adds the text search reads about an exercise's links, fills it, and on SQLite builds the
FTS5 index with its triggers (PostgreSQL searches the columns directly).
"""

from django.db import migrations, models


def install(apps, schema_editor):
    from exercises.search import fts_install, related_text_refresh

    class Historical:
        Exercise = apps.get_model("exercises", "Exercise")
        ExerciseCondition = apps.get_model("exercises", "ExerciseCondition")
        ExerciseMuscle = apps.get_model("exercises", "ExerciseMuscle")

    related_text_refresh(models=Historical)
    fts_install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from exercises.search import fts_uninstall

    fts_uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0003_content_editors")]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="search_related",
            field=models.TextField(
                blank=True,
                default="",
                editable=False,
                help_text="The names of its conditions and muscles, kept current for search.",
            ),
        ),
        migrations.RunPython(install, uninstall),
    ]
