from pathlib import Path
from typing import Any

import reversion
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from exercises.content.file import CONTENT_FILE, LibraryFileError, read_library
from exercises.content.seed import library_seed
from exercises.models import Condition, Equipment, Exercise, Muscle, Progression, Source


def record_seed_run() -> None:
    """Add the library to the seed's revision: the seed bulk-writes, which sends no
    signal, so reversion would otherwise see only some of what it changed. Each exercise
    brings its parts (`exercises.history`)."""
    for model in (Muscle, Condition, Equipment, Source, Progression):
        for obj in model.objects.all():
            reversion.add_to_revision(obj)
    for exercise in Exercise.objects.prefetch_related(
        "steps", "tips", "muscle_links", "condition_links", "source_links", "to_harder"
    ):
        reversion.add_to_revision(exercise)


class Command(BaseCommand):
    help = (
        "Load the exercise library from its content file: create what is new, update what "
        "changed, leave the rest. Safe to run again; nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--file",
            type=Path,
            default=CONTENT_FILE,
            help=f"The content file to load (default: {CONTENT_FILE}).",
        )
        parser.add_argument(
            "--only-new",
            action="store_true",
            help=(
                "Only add what the database lacks; keep every existing row as editors left "
                "it. `make run` seeds this way so that admin edits survive a restart."
            ),
        )

    def handle(self, *args: Any, file: Path, only_new: bool, **options: Any) -> None:
        try:
            # An operator's action: applied at once (no review), and recorded in every
            # changed row's history as one revision, a seed run without a user.
            with transaction.atomic(), reversion.create_revision(atomic=False):
                reversion.set_comment(f"Seed run from {file.name}.")
                report = library_seed(data=read_library(file), only_new=only_new)
                if report.changed:
                    record_seed_run()
        except FileNotFoundError:
            raise CommandError(f"No content file at {file}.") from None
        except LibraryFileError as error:
            raise CommandError(
                f"{file} was not loaded; nothing changed:\n  " + "\n  ".join(error.problems)
            ) from None
        verdict = "Seeded the library" if report.changed else "The library already matches"
        self.stdout.write(f"{verdict} from {file}:")
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self._seed_starter_plans(only_new=only_new)

    def _seed_starter_plans(self, *, only_new: bool) -> None:
        # The starter plans are content beside the library (content/starter_plans.yaml),
        # built from its exercises, so they load with it. Their rules are the plans app's,
        # which reads the library, not the other way: its command is called by name.
        if apps.is_installed("routines.plans"):
            call_command("seed_starter_plans", only_new=only_new, stdout=self.stdout)
