from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exercises.content.plans_table import starter_plans_table


class Command(BaseCommand):
    help = (
        "Write the table of starter plans (days, citations, the cited dose and ours) from the "
        "content files: to standard output, or to --output (docs/starter-plans.md)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("-o", "--output", type=Path, help="Write to this file.")

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        text = starter_plans_table()
        if output is None:
            self.stdout.write(text, ending="")
        else:
            output.write_text(text, encoding="utf-8")
            self.stdout.write(f"Wrote {output}.")
