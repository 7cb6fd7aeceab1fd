"""The benchmarks' own database, made and dropped like a test database.

SQLite in a temporary file by default, or PostgreSQL `<name>_bench` when DATABASE_URL
points there. Django is set up in this process with production-like settings (DEBUG off,
a random SECRET_KEY unless one is given, templates cached), and the same variables can be
handed to a server process through `database_url()`.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent


def setup_django(scratch: Path, **environ: str) -> dict[str, str]:
    """Set up Django in this process; return the environment variables it was given."""
    sys.path.insert(0, str(REPO))
    os.chdir(REPO)
    settings_environ = {
        "DJANGO_SETTINGS_MODULE": "footcare.settings",
        "FOOTCARE_VAR_DIR": str(scratch),
        "STATIC_ROOT": str(scratch / "static"),
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50),
        **environ,
    }
    os.environ.update(settings_environ)
    # whitenoise warns at startup about a static folder that does not exist.
    (scratch / "static").mkdir(exist_ok=True)
    os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)

    import django

    django.setup()

    from django.test.utils import setup_test_environment

    # The test client's host name and an in-memory outbox; nothing else changes.
    setup_test_environment()
    return settings_environ


@contextmanager
def throwaway_database(scratch: Path) -> Iterator[str]:
    """Make and migrate the bench's database, yield its DATABASE_URL, then drop it."""
    from django.db import connection

    if connection.vendor == "sqlite":
        connection.settings_dict["TEST"]["NAME"] = str(scratch / "bench.sqlite3")
    else:
        connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_bench"
        # This process only makes, fills and drops the database: on a loaded machine the
        # app's 5 s statement timeout cut the DROP short and lost a whole run's figures.
        # The servers keep the app's own setting.
        connection.settings_dict["OPTIONS"]["options"] = "-c statement_timeout=0"
    original_name = connection.settings_dict["NAME"]
    name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield database_url(connection.vendor, name)
    finally:
        connection.creation.destroy_test_db(original_name, verbosity=0)


def database_url(vendor: str, name: str) -> str:
    """DATABASE_URL for another process to reach the database `name`."""
    if vendor == "sqlite":
        return f"sqlite:///{name}"
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def seed() -> int:
    """Load the seeded library; return how many exercises it has."""
    from django.core.management import call_command

    from exercises.models import Exercise

    with open(os.devnull, "w") as quiet:
        call_command("seed_library", stdout=quiet)
    analyze()
    return Exercise.objects.count()


def grow(count: int) -> int:
    """Add `count` generated exercises; return how many the library has."""
    # The bench's one import of the bulk generator.
    from exercises.content.bulk import library_bulk_add
    from exercises.models import Exercise

    library_bulk_add(count=count)
    analyze()
    return Exercise.objects.count()


def analyze() -> None:
    """Refresh the planner's statistics, as autovacuum would after a bulk load.

    Without it PostgreSQL plans with the row counts of an empty database and the pages
    look slower than they would ever be in production.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
