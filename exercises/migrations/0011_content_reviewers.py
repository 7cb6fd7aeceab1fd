"""The "Content reviewers" group, and what the review workflow gives the editors.

Reviewers may do everything an editor may (0003_content_editors), and besides approve
and publish a change, or send it back (the custom `publish_exercise` permission), and
look at the changes under way. Editors may look at the changes under way too, so that
they see what was sent back to them and why. Neither may touch staff profiles (a
superuser sets who is named on the pages) nor anything outside the library.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITORS = "Content editors"
REVIEWERS = "Content reviewers"
FOR_BOTH = {"view_exercisechange"}
FOR_REVIEWERS = {"publish_exercise"}


def create_group(apps, schema_editor):
    using = schema_editor.connection.alias
    # As in 0003: permissions are normally made after migrate; make them now to grant them.
    app_config = apps.get_app_config("exercises")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=using)
    finally:
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    library = Permission.objects.using(using).filter(content_type__app_label="exercises")
    wanted = FOR_BOTH | FOR_REVIEWERS
    found = set(library.filter(codename__in=wanted).values_list("codename", flat=True))
    if found != wanted:
        raise RuntimeError(f"Missing permissions for {REVIEWERS}: {sorted(wanted - found)}")
    editors, _ = Group.objects.using(using).get_or_create(name=EDITORS)
    editors.permissions.add(*library.filter(codename__in=FOR_BOTH))
    reviewers, _ = Group.objects.using(using).get_or_create(name=REVIEWERS)
    reviewers.permissions.set(
        [*editors.permissions.all(), *library.filter(codename__in=FOR_BOTH | FOR_REVIEWERS)]
    )


def remove_group(apps, schema_editor):
    using = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    Group.objects.using(using).filter(name=REVIEWERS).delete()
    editors = Group.objects.using(using).filter(name=EDITORS).first()
    if editors:
        editors.permissions.remove(*editors.permissions.filter(codename__in=FOR_BOTH))


class Migration(migrations.Migration):
    dependencies = [("exercises", "0010_review_workflow")]

    operations = [migrations.RunPython(create_group, remove_group)]
