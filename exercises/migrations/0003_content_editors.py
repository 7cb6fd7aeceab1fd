"""The "Content editors" group: curates the library in the admin, and nothing else.

Editors may add, change and view every library model. They may delete the rows that
hang off an exercise (steps, tips, muscle, condition and source links, progressions),
because removing a row from an inline is how an exercise is edited. They may not
delete an exercise, muscle, condition, piece of equipment or source: those are
unpublished or left unused instead, since runners' plans and logs (later issues) will
point at them; a superuser can still delete. Nothing outside this app is granted: not
users, not groups, not runners' data.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
LIBRARY = ["exercise", "muscle", "condition", "equipment", "source"]
CHILD_ROWS = [
    "exercisestep",
    "exercisetip",
    "exercisemuscle",
    "exercisecondition",
    "exercisesource",
    "progression",
]


def codenames() -> set[str]:
    granted = {f"{action}_{model}" for model in LIBRARY + CHILD_ROWS for action in ("add", "change", "view")}
    return granted | {f"delete_{model}" for model in CHILD_ROWS}


def create_group(apps, schema_editor):
    # Permissions are normally made after migrate finishes; make them now to grant them.
    # create_permissions skips an app config without a models module, which is what a
    # migration's historical app config looks like.
    app_config = apps.get_app_config("exercises")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = codenames()
    permissions = Permission.objects.using(schema_editor.connection.alias).filter(
        content_type__app_label="exercises", codename__in=wanted
    )
    found = {permission.codename for permission in permissions}
    if found != wanted:
        raise RuntimeError(f"Missing permissions for {GROUP}: {sorted(wanted - found)}")
    group, _ = Group.objects.using(schema_editor.connection.alias).get_or_create(name=GROUP)
    group.permissions.set(permissions)


def remove_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0002_verbose_names"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
