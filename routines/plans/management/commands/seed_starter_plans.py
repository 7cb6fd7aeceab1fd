from typing import Any

import reversion
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from exercises import history
from routines.plans.models import StarterPlan
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
        def described() -> dict[int, dict[str, str]]:
            return {s.pk: history.describe(history.graph_of(s)) for s in StarterPlan.objects.all()}

        try:
            # The starter seed rewrites every plan it updates: only a plan whose content
            # differs afterwards is recorded in the history, as a seed run.
            with (
                transaction.atomic(),
                reversion.create_revision(manage_manually=True, atomic=False),
            ):
                reversion.set_comment(f"Seed run from {STARTER_FILE.name}.")
                before = described()
                counts = starter_plans_seed(data=read_starter_plans(), only_new=only_new)
                for starter in StarterPlan.objects.all():
                    if before.get(starter.pk) != history.describe(history.graph_of(starter)):
                        reversion.add_to_revision(starter)
        except StarterFileError as error:
            raise CommandError(
                f"{STARTER_FILE} was not loaded:\n  " + "\n  ".join(error.problems)
            ) from None
        outcomes = ", ".join(f"{counts[o]} {o}" for o in ("created", "updated", "kept"))
        self.stdout.write(f"  starter plans: {outcomes}")
