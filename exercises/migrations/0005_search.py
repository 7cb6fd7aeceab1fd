"""Search over names, summaries and linked conditions and muscles (exercises/search.py).

Adds the text search reads about an exercise's links, fills it, and builds each
database's index: on SQLite an FTS5 table kept in step by triggers, on PostgreSQL a GIN
index over the vector that search builds (no model declares it: SQLite has no GIN).
"""

from django.db import migrations, models


def install(apps, schema_editor):
    from exercises.search import fts_install, related_text_refresh, search_index

    class Historical:
        Exercise = apps.get_model("exercises", "Exercise")
        ExerciseCondition = apps.get_model("exercises", "ExerciseCondition")
        ExerciseMuscle = apps.get_model("exercises", "ExerciseMuscle")

    related_text_refresh(models=Historical)
    fts_install(schema_editor.connection)
    search_index(Historical.Exercise, schema_editor, install=True)


def uninstall(apps, schema_editor):
    from exercises.search import fts_uninstall, search_index

    fts_uninstall(schema_editor.connection)
    search_index(apps.get_model("exercises", "Exercise"), schema_editor, install=False)


class Migration(migrations.Migration):
    dependencies = [("exercises", "0004_no_ordering_across_relations")]

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
