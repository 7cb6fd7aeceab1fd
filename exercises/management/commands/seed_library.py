from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from exercises.content.file import CONTENT_FILE, LibraryFileError, read_library
from exercises.content.seed import library_seed


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
            report = library_seed(data=read_library(file), only_new=only_new)
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
        # built from its exercises, so they load with it; their rules live in routines.
        from routines.plans.starter_content import (
            STARTER_FILE,
            StarterFileError,
            read_starter_plans,
            starter_plans_seed,
        )

        try:
            counts = starter_plans_seed(data=read_starter_plans(), only_new=only_new)
        except StarterFileError as error:
            raise CommandError(
                f"{STARTER_FILE} was not loaded:\n  " + "\n  ".join(error.problems)
            ) from None
        outcomes = ", ".join(f"{counts[o]} {o}" for o in ("created", "updated", "kept"))
        self.stdout.write(f"  starter plans: {outcomes}")
