from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from routines.plans.starter_content import (
    STARTER_FILE,
    StarterFileError,
    read_starter_plans,
    starter_plans_seed,
)


class Command(BaseCommand):
    help = (
        f"Load the starter plans from {STARTER_FILE.name}, built from the library's "
        "exercises (seed the library first; `seed_library` runs this after it)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--only-new",
            action="store_true",
            help="Only add the plans the database lacks; keep edited ones as they are.",
        )

    def handle(self, *args: Any, only_new: bool, **options: Any) -> None:
        try:
            counts = starter_plans_seed(data=read_starter_plans(), only_new=only_new)
        except StarterFileError as error:
            raise CommandError(
                f"{STARTER_FILE} was not loaded:\n  " + "\n  ".join(error.problems)
            ) from None
        outcomes = ", ".join(f"{counts[o]} {o}" for o in ("created", "updated", "kept"))
        self.stdout.write(f"  starter plans: {outcomes}")
