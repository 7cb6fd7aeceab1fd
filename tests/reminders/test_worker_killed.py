"""The reminder worker killed between the mail server taking an email and the worker
recording it: the next worker does not send it again (the row was committed first).

Real processes: `manage.py run_reminders --once` with a mail backend that writes the email
to a folder and then SIGKILLs its own process, then the worker again with a plain one. On
an SQLite file, or a PostgreSQL database of its own when the tests run on PostgreSQL."""

from __future__ import annotations

import signal
import subprocess
import sys

import pytest

from tests.footcare.conftest import REPO, deployment_environ
from tests.footcare.test_library_cache_processes import site_database

SETUP = """
import datetime
import django
django.setup()
from django.core.management import call_command
from exercises.models import Exercise
from footcare.accounts.models import RunnerProfile
from routines.plans.models import WeeklyPlan
from tests.conftest import make_runner
from tests.routines.conftest import add_item

call_command("seed_library", verbosity=0)
runner = make_runner("ada@example.com")
plan = WeeklyPlan.objects.create(owner=runner, name="Strong feet", is_active=True)
for weekday in range(7):  # due whatever day the test runs on
    add_item(plan, Exercise.objects.get(slug="calf-raise"), weekday)
RunnerProfile.objects.filter(user=runner).update(
    reminders_on=True, reminder_time=datetime.time(0, 0), time_zone="UTC"
)
"""

WORKER = """
import os
import django
django.setup()
from django.core.management import call_command
from django.test import override_settings

backend = {"BACKEND": os.environ["MAIL_BACKEND"], "OPTIONS": {"file_path": os.environ["MAIL_DIR"]}}
with override_settings(MAILERS={"default": backend}):
    call_command("run_reminders", "--once")
from footcare.reminders.models import Reminder
print(list(Reminder.objects.values_list("status", "attempts")))
"""


def emails_in(folder) -> int:
    return sum(path.read_text().count("\nSubject: ") for path in folder.iterdir())


@pytest.mark.slow
def test_a_worker_killed_after_sending_does_not_send_again(tmp_path) -> None:
    var, mail_dir = tmp_path / "var", tmp_path / "mail"
    var.mkdir()
    mail_dir.mkdir()
    with site_database(var) as database_url:
        env = deployment_environ(
            DEBUG="1", FOOTCARE_VAR_DIR=str(var), DATABASE_URL=database_url, MAIL_DIR=str(mail_dir)
        )

        def run(*args: str, **extra: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                [sys.executable, *args],
                cwd=REPO,
                env={**env, **extra},
                capture_output=True,
                text=True,
                timeout=300,
            )

        assert run("manage.py", "migrate", "--noinput", "-v0").returncode == 0
        assert run("manage.py", "createcachetable").returncode == 0
        setup = run("-c", SETUP)
        assert setup.returncode == 0, setup.stderr

        killed = run("-c", WORKER, MAIL_BACKEND="tests.reminders.backends.SendThenDieBackend")
        assert killed.returncode == -signal.SIGKILL, killed.stderr
        assert emails_in(mail_dir) == 1

        for _ in range(2):  # the next worker, and the one after
            again = run(
                "-c", WORKER, MAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend"
            )
            assert again.returncode == 0, again.stderr
            assert again.stdout.strip() == "[('sending', 1)]"
        assert emails_in(mail_dir) == 1
