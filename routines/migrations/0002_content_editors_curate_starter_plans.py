"""Content editors curate the starter plans as they curate the library.

They may add, change and view starter plans, and delete a plan's citations and items
(removing an inline row is how a plan is edited). Deleting a whole starter plan stays
with superusers: unpublish it instead. Runners' own plans are not granted.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Content editors"
WANTED = {
    *(f"{action}_starterplan" for action in ("add", "change", "view")),
    *(f"{action}_{model}" for model in ("starterplancitation", "starterplanitem")
      for action in ("add", "change", "view", "delete")),
}


def grant(apps, schema_editor):
    app_config = apps.get_app_config("routines")
    app_config.models_module = True
    try:
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    finally:
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    permissions = Permission.objects.using(db).filter(
        content_type__app_label="routines", codename__in=WANTED
    )
    if {p.codename for p in permissions} != WANTED:
        raise RuntimeError(f"Missing permissions for {GROUP}")
    group, _ = Group.objects.using(db).get_or_create(name=GROUP)
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    group = Group.objects.using(db).filter(name=GROUP).first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.using(db).filter(
                content_type__app_label="routines", codename__in=WANTED
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("exercises", "0003_content_editors"),
        ("routines", "0001_weekly_plans"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
