# Profiles are now made with the user (signals.py) and pages never make one on a GET, so
# the accounts that had none yet (made in the admin or with createsuperuser, and never
# opened their profile) get theirs here.

from django.db import migrations


def give_profiles(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    RunnerProfile = apps.get_model("accounts", "RunnerProfile")
    db = schema_editor.connection.alias
    RunnerProfile.objects.using(db).bulk_create(
        RunnerProfile(user=user)
        for user in User.objects.using(db).filter(runner_profile__isnull=True).only("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0004_runner_session"),
    ]

    operations = [
        migrations.RunPython(give_profiles, migrations.RunPython.noop, elidable=True),
    ]
