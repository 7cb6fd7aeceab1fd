"""Measure the library pages at the seeded size and with 300 more exercises, and every
page a signed-in runner sees at two sizes: the board with 1 and 70 items, today and the
log with 1 and 300 past sessions (today's session full, with its check-in), progress at 8
weeks and at 3 years of history, and the profile, home, library and an exercise page with
"For you", for a runner with 8 weeks and one with 3 years.

Every signed-in page is drawn fresh, and a fragment a page loads on arrival (an element
with `hx-trigger="load"`) is fetched with it: its time and queries count with the page's.

For each page: its SQL query count and the median time of N requests through Django's
test client (no network, no browser), at both sizes, and the large/small time ratio.
It runs in a database of its own, made and dropped like a test database: SQLite in a
temporary file by default, or PostgreSQL when DATABASE_URL points there (the database
is then `<name>_bench`). Production-like settings: DEBUG off, templates cached.

    make bench-client                # or: .venv/bin/python bench/pages.py --requests 50
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HTMX = {"HX-Request": "true", "HX-Target": "results"}
PAGES = [
    ("list", "/exercises/", {}),
    ("list, filtered", "/exercises/?condition=plantar-fasciitis&position=standing", {}),
    ("list, htmx fragment", "/exercises/?condition=plantar-fasciitis", HTMX),
    ("detail", "/exercises/calf-raise/", {}),
    ("muscle", "/muscles/soleus/", {}),
    ("condition", "/conditions/plantar-fasciitis/", {}),
    ("muscles", "/muscles/", {}),
    ("conditions", "/conditions/", {}),
    ("home", "/", {}),
]


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")


def view(client, url: str, headers: dict):
    """One page view: the page, then each fragment it loads on arrival."""
    from bench.server import fragments

    response = client.get(url, headers=headers, secure=True)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    for fragment in fragments(response.content.decode()):
        client.get(fragment, headers={"HX-Request": "true"}, secure=True)
    return response


def measure(client, url: str, headers: dict, requests: int) -> tuple[int, float, int, float]:
    """Queries, the median wall-clock ms, the page's bytes, and the median of this process's
    CPU ms: on a machine shared with other work the wall clock swings several-fold, this
    process's CPU time much less (a PostgreSQL server's own work is not in it)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(3):  # warm the template cache and the database's own caches
        response = view(client, url, headers)
    size = len(response.content)
    with CaptureQueriesContext(connection) as queries:
        view(client, url, headers)
    # Read now: every request starts by clearing the connection's query log.
    query_count = len(queries)
    timings, cpu = [], []
    for _ in range(requests):
        start, start_cpu = time.perf_counter(), time.process_time()
        view(client, url, headers)
        timings.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return query_count, statistics.median(timings) * 1000, size, statistics.median(cpu) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--extra", type=int, default=300, help="exercises added for the large run")
    args = parser.parse_args()

    sys.path.insert(0, str(REPO))
    from bench import scratch

    workdir = tempfile.TemporaryDirectory(prefix="footcare-bench-")
    scratch.setup_django(Path(workdir.name), ALLOWED_HOSTS="testserver")

    from django.db import connection
    from django.test import Client, override_settings

    # Hashed static file names need collectstatic's manifest; plain names cost the same.
    plain_static = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    try:
        with (
            scratch.throwaway_database(Path(workdir.name)),
            override_settings(STORAGES=plain_static),
        ):
            small_size = scratch.seed()
            client = Client()
            small = {name: measure(client, url, h, args.requests) for name, url, h in PAGES}
            large_size = scratch.grow(args.extra)
            large = {name: measure(client, url, h, args.requests) for name, url, h in PAGES}
            plans = measure_plans(args.requests)
            log = measure_log(args.requests)
            progress, others = measure_progress(args.requests)
    finally:
        workdir.cleanup()

    out(
        f"Library pages on {connection.vendor}, Django test client, median of "
        f"{args.requests} requests after 3 warm-up ones; {small_size} exercises (seeded) "
        f"against {large_size} (+{args.extra})."
    )
    out()
    small_ms, large_ms = f"ms at {small_size}", f"ms at {large_size}"
    header = f"{'page':<22}{'queries':>9}{small_ms:>11}{large_ms:>11}{'ratio':>7}{'KB at both':>14}"
    out(header)
    out("-" * len(header))
    for name, _url, _headers in PAGES:
        (q_small, t_small, b_small, _), (q_large, t_large, b_large, _) = small[name], large[name]
        queries = f"{q_small}" if q_small == q_large else f"{q_small} -> {q_large}"
        kilobytes = f"{b_small / 1024:.0f} / {b_large / 1024:.0f}"
        out(
            f"{name:<22}{queries:>9}{t_small:>11.2f}{t_large:>11.2f}"
            f"{t_large / t_small:>7.2f}{kilobytes:>14}"
        )
    out()
    out(
        "Query counts must match across sizes (the tests hold them to a budget); times grow "
        "with what the page shows: up to 24 cards a page, and the detail page lists every "
        "harder variant (the large library hangs 60 new ladders off the calf raise)."
    )
    out()
    two_sizes("plan page", "1", "70", plans)
    out("Plan pages as a signed-in runner, with one plan item and with 70 (ten a day).")
    out()
    two_sizes("log page", "1", "300", log)
    out(
        "Today and the log's first page with one past session and with 300 daily ones (two "
        "exercises and four sets each); today's session is full (every set ticked) and the "
        "morning's check-in done."
    )
    out()
    two_sizes("progress page", "8 wk", "3 yr", progress)
    out(
        "/progress/ with 8 weeks and with three years of daily sessions (two exercises, two "
        "sets each) and morning check-ins."
    )
    out()
    two_sizes("signed in", "8 wk", "3 yr", others)
    out(
        'The same two runners\' profile, home, library list and exercise page ("For you" '
        "from the conditions on their profile)."
    )
    out()
    out(
        "Targets (issue 23): board at 70 and today at 15 ms or less, progress at 3 years at "
        "40 ms or less, profile and log at 10 ms or less; queries the same at both sizes."
    )


def two_sizes(kind: str, small: str, large: str, figures: dict[str, tuple]) -> None:
    """A table of pages measured at two sizes: queries, times, their ratio, kilobytes, and
    this process's CPU time at each size."""
    header = (
        f"{kind:<22}{'queries':>9}{'ms at ' + small:>11}{'ms at ' + large:>11}"
        f"{'ratio':>7}{'KB at both':>14}{'cpu ms at both':>18}"
    )
    out(header)
    out("-" * len(header))
    for name, (
        (q_small, t_small, b_small, c_small),
        (q_large, t_large, b_large, c_large),
    ) in figures.items():
        queries = f"{q_small}" if q_small == q_large else f"{q_small} -> {q_large}"
        kilobytes = f"{b_small / 1024:.0f} / {b_large / 1024:.0f}"
        cpu = f"{c_small:.2f} / {c_large:.2f}"
        out(
            f"{name:<22}{queries:>9}{t_small:>11.2f}{t_large:>11.2f}"
            f"{t_large / t_small:>7.2f}{kilobytes:>14}{cpu:>18}"
        )
    out()


def measure_plans(requests: int) -> dict[str, tuple]:
    """The board, the plans list and the feed with one plan item, then with 70."""
    import itertools

    from django.test import Client

    from bench import scratch
    from exercises.models import Exercise
    from footcare.accounts.models import User
    from routines.plans.models import PlanItem, WeeklyPlan

    # Its profile comes with it (footcare/accounts/signals.py).
    user = User.objects.create_user("bench@example.com", "bench-password-1")
    plan = WeeklyPlan.objects.create(owner=user, name="Bench plan", is_active=True)
    client = Client()
    client.force_login(user)
    pages = {
        "board": (f"/plans/{plan.pk}/", {}),
        "plans list": ("/plans/", {}),
        "calendar feed": (f"/plans/calendar/{plan.calendar_token}.ics", {}),
    }
    exercises = itertools.cycle(Exercise.objects.published().order_by("pk")[:19])

    def fill(count: int) -> None:
        plan.items.all().delete()
        items = []
        for n in range(count):
            item = PlanItem(plan=plan, weekday=n % 7, position=n // 7, exercise=next(exercises))
            item.copy_dose_from(item.exercise)
            items.append(item)
        PlanItem.objects.bulk_create(items)

    fill(1)
    small = {name: measure(client, url, h, requests) for name, (url, h) in pages.items()}
    fill(70)
    scratch.analyze()
    large = {name: measure(client, url, h, requests) for name, (url, h) in pages.items()}
    return {name: (small[name], large[name]) for name in pages}


def two_a_day(plan) -> None:
    """The log's and progress's bench plan: the first two published exercises every day."""
    from exercises.models import Exercise
    from routines.plans.models import PlanItem

    items = []
    for weekday in range(7):
        for position, exercise in enumerate(Exercise.objects.published().order_by("pk")[:2]):
            item = PlanItem(plan=plan, weekday=weekday, position=position, exercise=exercise)
            item.copy_dose_from(exercise)
            items.append(item)
    PlanItem.objects.bulk_create(items)


def measure_log(requests: int) -> dict[str, tuple]:
    """/today/ and /log/ with one past session, then with 300 daily sessions; today's
    session full and its check-in done."""
    from django.test import Client
    from django.utils import timezone

    from bench import scratch
    from footcare.accounts.models import User
    from routines.plans.models import WeeklyPlan
    from routines.training import services
    from routines.training.demo import daily_history
    from routines.training.models import MorningCheckIn

    user = User.objects.create_user("bench-log@example.com", "bench-password-1")
    plan = WeeklyPlan.objects.create(owner=user, name="Bench log plan", is_active=True)
    two_a_day(plan)
    today = timezone.localdate()
    todays = list(plan.items.filter(weekday=today.weekday()).order_by("position"))

    client = Client()
    client.force_login(user)
    pages = {"today": ("/today/", {}), "log": ("/log/", {})}
    for item in todays:
        for number in range(1, item.sets + 1):
            amount = item.reps or item.duration_seconds
            services.set_tick(runner=user, item=item, day=today, number=number, amount=amount)
    MorningCheckIn.objects.record(owner=user, day=today, pain=1, stiffness=1)
    daily_history(user, plan, today=today, days=1)
    small = {name: measure(client, url, h, requests) for name, (url, h) in pages.items()}
    daily_history(user, plan, today=today, days=299, start=2)
    scratch.analyze()
    large = {name: measure(client, url, h, requests) for name, (url, h) in pages.items()}
    return {name: (small[name], large[name]) for name in pages}


def measure_progress(requests: int) -> tuple[dict[str, tuple], dict[str, tuple]]:
    """/progress/ for a runner with 8 weeks of daily sessions and check-ins and one with
    three years, both with the same plan; their requests alternate, so that a load swing
    on a shared machine falls on both sizes alike. Then the same two runners' profile, home,
    library list and an exercise page, with "For you" from their profile's conditions."""
    import datetime

    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench import scratch
    from exercises.models import Condition
    from footcare.accounts.models import User
    from routines.plans.models import WeeklyPlan
    from routines.training.demo import daily_history
    from routines.training.models import MorningCheckIn

    today = timezone.localdate()
    clients = []
    for name, days in (("8 weeks", 8 * 7), ("3 years", 3 * 365)):
        user = User.objects.create_user(f"bench-progress-{name[0]}@example.com", "bench-pw-1")
        user.runner_profile.conditions.set(Condition.objects.all()[:2])
        plan = WeeklyPlan.objects.create(owner=user, name="Bench progress plan", is_active=True)
        # Made before the history, so that every one of its weeks was planned.
        WeeklyPlan.objects.filter(pk=plan.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=4 * 365)
        )
        two_a_day(plan)
        if days:
            daily_history(user, plan, today=today, days=days)
            MorningCheckIn.objects.bulk_create(
                MorningCheckIn(
                    owner=user,
                    date=today - datetime.timedelta(days=n),
                    pain=n % 4,
                    stiffness=n % 3,
                )
                for n in range(1, days + 1)
            )
        client = Client()
        client.force_login(user)
        clients.append(client)
    scratch.analyze()
    figures = []
    for client in clients:
        for _ in range(3):
            response = view(client, "/progress/", {})
        with CaptureQueriesContext(connection) as queries:
            view(client, "/progress/", {})
        figures.append([len(queries), [], len(response.content), []])
    for _ in range(requests):
        for client, figure in zip(clients, figures, strict=True):
            start, start_cpu = time.perf_counter(), time.process_time()
            view(client, "/progress/", {})
            figure[1].append(time.perf_counter() - start)
            figure[3].append(time.process_time() - start_cpu)
    (q_empty, t_empty, b_empty, c_empty), (q_full, t_full, b_full, c_full) = figures
    progress = {
        "progress": (
            (
                q_empty,
                statistics.median(t_empty) * 1000,
                b_empty,
                statistics.median(c_empty) * 1000,
            ),
            (
                q_full,
                statistics.median(t_full) * 1000,
                b_full,
                statistics.median(c_full) * 1000,
            ),
        )
    }
    pages = {
        "profile": "/accounts/profile/",
        "home": "/",
        "library list": "/exercises/",
        "exercise page": "/exercises/calf-raise/",
    }
    others = {
        name: tuple(measure(client, url, {}, requests) for client in clients)
        for name, url in pages.items()
    }
    return progress, others


if __name__ == "__main__":
    main()
