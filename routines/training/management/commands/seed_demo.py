from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD, demo_runner_seed


class Command(BaseCommand):
    help = (
        "Make a demo runner with a profile, an active plan and eight weeks of sessions "
        "(for development: the password is printed). Needs the library seeded first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="Delete the demo runner and make it afresh."
        )

    def handle(self, *args: Any, reset: bool, **options: Any) -> None:
        user, made = demo_runner_seed(reset=reset)
        verb = "Made" if made else "Kept"
        sessions = user.workout_sessions.count()
        self.stdout.write(f"{verb} the demo runner ({sessions} sessions in the log).")
        self.stdout.write(f"  Log in as {DEMO_EMAIL} with the password {DEMO_PASSWORD}")
