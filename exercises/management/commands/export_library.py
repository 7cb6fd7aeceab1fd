import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from exercises.content.file import render_library
from exercises.content.seed import library_snapshot


class Command(BaseCommand):
    help = (
        "Write the exercise library, drafts included, in the content file's format: "
        "to standard output, or to --output (for example exercises/content/library.yaml)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o", "--output", type=Path, help="Write to this file instead of standard output."
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        text = render_library(library_snapshot())
        if output is None:
            self.stdout.write(text, ending="")
            return
        # Write beside the target and rename, so a failure never leaves half a file.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=output.parent, delete=False, suffix=".tmp"
        ) as handle:
            handle.write(text)
        os.replace(handle.name, output)
        self.stderr.write(f"Wrote the library to {output}.")
