"""Serve the project and a bare Django view with gunicorn and load both alternately with wrk.

The project runs as in production (gunicorn, sync workers, DEBUG off, a random SECRET_KEY,
collected and compressed static files, the TLS proxy header trusted and sent) on a
throwaway database: SQLite in a temporary file, or PostgreSQL `<name>_bench` when
DATABASE_URL points there. The library is the seeded one plus generated exercises, so
that the list has a second page. `bench/bare.py`, an `HttpResponse("hello")` behind
Django's default middleware, runs beside it in the same way on another port.

Every signed-in page is drawn fresh: nothing a runner sees is kept on the server. A page
that loads fragments on arrival (an element with `hx-trigger="load"`) is loaded with them:
one page view is the page and its fragments, one after the other on each connection. The
"post then see" figures are what a runner does: a tick on /today/ (or a move on the board),
sent as htmx sends it, then the whole page; then the same undone, then the page again.
Their rate is in page views (a post and a page) a second.

Each round loads the bare view, then every page with a run of the bare view after it, so
each page's figures sit between two of the yardstick's on a machine whose load drifts.
The ratio to the bare view, the median over the rounds, is the figure to compare; the
absolute numbers move with whatever else the machine is doing. A page that answers
anything but 2xx during the load stops the run: no figures from error pages.

    make bench-server       # or: .venv/bin/python bench/server.py --rounds 5 --duration 3
    .venv/bin/python bench/server.py --compare var/bench/A.json var/bench/B.json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import logging
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from html import unescape
from http.client import HTTPConnection
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SUMMARY_SCRIPT = Path(__file__).resolve().parent / "summary.lua"
SUMMARY_PREFIX = "bench-summary "
# Requests come as if through the TLS-terminating proxy, so the HTTPS redirect stays quiet.
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}
HTMX = {"HX-Request": "true", "HX-Target": "results"}
BARE = "bare view"
FORMAT = "footcare-bench-server"


@dataclass(frozen=True)
class Step:
    """One request of a page view: a GET, or a form POST sent as htmx sends it."""

    method: str
    url: str
    body: str = ""
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Page:
    name: str
    url: str
    headers: dict[str, str] = field(default_factory=dict)
    signed_in: bool = False
    # What a runner does before seeing the page ("post then see"): the posts, in turn.
    # Filled with the bench runner's ids in `make_runner()`.
    posts: str = ""


# A page that answers 404 is skipped with a note, so the bench runs on an older commit too.
# The plan board is the runner's one plan, made in `make_runner()` in a fresh database, so
# its id is 1.
PAGES = [
    Page("home", "/"),
    Page("library", "/exercises/"),
    Page("library, filtered", "/exercises/?condition=plantar-fasciitis&position=standing"),
    Page("library, htmx fragment", "/exercises/?condition=plantar-fasciitis", HTMX),
    Page("library, page 2", "/exercises/?page=2"),
    Page("exercise", "/exercises/calf-raise/"),
    Page("muscle", "/muscles/soleus/"),
    Page("condition", "/conditions/plantar-fasciitis/"),
    Page("profile", "/accounts/profile/", signed_in=True),
    Page("home, signed in", "/", signed_in=True),
    Page("library, signed in", "/exercises/", signed_in=True),
    Page("exercise, signed in", "/exercises/calf-raise/", signed_in=True),
    Page("plans", "/plans/", signed_in=True),
    Page("plan board, 70 items", "/plans/1/", signed_in=True),
    Page("board, move then see", "/plans/1/", signed_in=True, posts="move"),
    Page("today", "/today/", signed_in=True),
    Page("today, tick then see", "/today/", signed_in=True, posts="tick"),
    Page("log", "/log/", signed_in=True),
    Page("progress", "/progress/", signed_in=True),
]
# The bench runner's history: a session every day for this many days before today.
HISTORY_DAYS = 300


@dataclass(frozen=True)
class Run:
    """One wrk run against one URL."""

    rps: float
    p50_ms: float
    p99_ms: float
    requests: int
    non_2xx: int
    socket_errors: int


def parse_wrk(output: str) -> Run:
    """The figures summary.lua prints at the end of a wrk run."""
    for line in output.splitlines():
        if line.startswith(SUMMARY_PREFIX):
            figures = json.loads(line.removeprefix(SUMMARY_PREFIX))
            break
    else:
        raise ValueError(f"no {SUMMARY_PREFIX.strip()!r} line in wrk's output:\n{output}")
    seconds = figures["duration_us"] / 1_000_000
    return Run(
        rps=figures["requests"] / seconds if seconds else 0.0,
        p50_ms=figures["p50_us"] / 1000,
        p99_ms=figures["p99_us"] / 1000,
        requests=figures["requests"],
        non_2xx=figures["non_2xx"],
        socket_errors=figures["socket_errors"],
    )


def round_ratio(page: Run, bare_before: Run, bare_after: Run) -> float:
    """The page's rate as a share of the bare view's, measured just before and after it."""
    return page.rps / statistics.mean([bare_before.rps, bare_after.rps])


def summarise(runs: list[Run], ratios: list[float] | None = None) -> dict:
    """The medians over the rounds, with every round's figures kept beside them."""
    summary = {
        "rps": statistics.median(run.rps for run in runs),
        "p50_ms": statistics.median(run.p50_ms for run in runs),
        "p99_ms": statistics.median(run.p99_ms for run in runs),
        "rounds": [asdict(run) for run in runs],
    }
    if ratios is not None:
        summary["ratio"] = statistics.median(ratios)
        for figures, ratio in zip(summary["rounds"], ratios, strict=True):
            figures["ratio"] = ratio
    return summary


def table(results: dict) -> list[str]:
    """The per-page lines of a result, as printed."""
    # Queries of one page view: the page and the fragments it loads on arrival.
    header = f"{'page':<24}{'queries':>8}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'of bare':>9}"
    lines = [header, "-" * len(header)]
    bare = results["bare"]
    lines.append(
        f"{BARE:<24}{0:>8}{bare['rps']:>9.0f}{bare['p50_ms']:>9.1f}{bare['p99_ms']:>9.1f}{1:>9.1%}"
    )
    for page in results["pages"]:
        queries = str(page["queries"])
        lines.append(
            f"{page['name']:<24}{queries:>8}{page['rps']:>9.0f}"
            f"{page['p50_ms']:>9.1f}{page['p99_ms']:>9.1f}{page['ratio']:>9.1%}"
        )
    lines.extend(
        f"skipped: {page['name']} ({page['url']}): {page['reason']}" for page in results["skipped"]
    )
    return lines


def compare(before: dict, after: dict) -> list[str]:
    """Page by page, the ratio to the bare view and the queries of two results."""
    header = f"{'page':<24}{'of bare':>17}{'req/s':>15}{'queries':>10}"
    lines = [
        f"A: {before['git']['commit'][:12]} {before['started_at']} {before['database']['vendor']}",
        f"B: {after['git']['commit'][:12]} {after['started_at']} {after['database']['vendor']}",
        "",
        header,
        "-" * len(header),
    ]
    pages_after = {page["name"]: page for page in after["pages"]}
    for page in before["pages"]:
        other = pages_after.pop(page["name"], None)
        if other is None:
            lines.append(f"{page['name']:<24}  only in A")
            continue
        ratios = f"{page['ratio']:.1%} -> {other['ratio']:.1%}"
        rates = f"{page['rps']:.0f} -> {other['rps']:.0f}"
        queries = f"{page['queries']} -> {other['queries']}"
        lines.append(f"{page['name']:<24}{ratios:>17}{rates:>15}{queries:>10}")
    lines.extend(f"{name:<24}  only in B" for name in pages_after)
    return lines


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(base: str, path: str) -> int | None:
    """The status of one GET, or None while nothing listens."""
    host, port = base.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", path, headers=PROXY_HEADERS)
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


@contextlib.contextmanager
def gunicorn(
    app: str, *, env: dict[str, str], workers: int, probe: str, log: Path
) -> Iterator[str]:
    """Serve `app` on a free loopback port until the block ends; yield its base URL."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        app,
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        # gunicorn 27 shares one control socket per user; other servers on the machine
        # must not answer for ours.
        "--no-control-socket",
        "--graceful-timeout=5",
        f"--chdir={REPO}",
    ]
    with open(log, "w") as log_file:
        # A session of its own: the cleanup ends the master and its workers together.
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while answers(base, probe) != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn {app} did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        yield base
    finally:
        stop(process)


def stop(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def sequence_file(steps: list[Step], extra: dict[str, str]) -> str:
    """The steps for summary.lua: one request a line, method, path, body and headers."""
    lines = []
    for step in steps:
        headers = {**step.headers, **(extra if step.method != "GET" else {})}
        pairs = "|".join(f"{name}: {value}" for name, value in headers.items())
        lines.append(f"{step.method}\t{step.url}\t{step.body}\t{pairs}")
    return "\n".join(lines) + "\n"


def load(
    url: str,
    headers: dict[str, str],
    *,
    seconds: int,
    connections: int,
    sequence: Path | None = None,
    warm_up: bool = False,
) -> Run:
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={seconds}s",
        "--timeout=10s",
        f"--script={SUMMARY_SCRIPT}",
    ]
    for name, value in {**PROXY_HEADERS, **headers}.items():
        command.append(f"--header={name}: {value}")
    command.append(url)
    if sequence is not None:
        command += ["--", str(sequence)]
    for _attempt in range(2):
        result = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
        if result.returncode:
            raise SystemExit(f"wrk failed on {url}:\n{result.stderr}{result.stdout}")
        run = parse_wrk(result.stdout)
        # On a machine busy with other work a run can finish nothing at all: once more.
        if run.requests or run.non_2xx or run.socket_errors or warm_up:
            break
    if warm_up and not run.non_2xx:
        # A slow page may finish nothing in the warm-up's second: that is not an error.
        return run
    if run.non_2xx or run.socket_errors or not run.requests:
        raise SystemExit(
            f"{url} answered {run.non_2xx} of {run.requests} requests with a status other "
            f"than 2xx ({run.socket_errors} socket errors): no figures from error pages."
        )
    return run


def make_runner():
    """A verified runner (a profile comes with the user) with a plan of 70 items, a session
    every day for HISTORY_DAYS days, today's session full and today's check-in, signed in.

    Returns the client and, for the "post then see" figures, the form posts each makes.
    """
    import itertools

    from allauth.account.models import EmailAddress
    from django.test import Client
    from django.utils import timezone

    from exercises.models import Condition, Exercise
    from footcare.accounts.models import User
    from routines.plans.models import PlanItem, WeeklyPlan
    from routines.training import services
    from routines.training.demo import daily_history
    from routines.training.models import MorningCheckIn

    runner = User.objects.create_user("bench-runner@example.com", None)
    EmailAddress.objects.create(user=runner, email=runner.email, verified=True, primary=True)
    # Conditions on the profile, so the library shows the runner's "For you".
    runner.runner_profile.conditions.set(Condition.objects.all()[:2])
    plan = WeeklyPlan.objects.create(owner=runner, name="Bench plan", is_active=True)
    exercises = itertools.cycle(Exercise.objects.published().order_by("pk")[:19])
    items = []
    for n in range(70):
        item = PlanItem(plan=plan, weekday=n % 7, position=n // 7, exercise=next(exercises))
        item.copy_dose_from(item.exercise)
        items.append(item)
    PlanItem.objects.bulk_create(items)
    today = timezone.localdate()
    daily_history(runner, plan, today=today, days=HISTORY_DAYS)
    todays = list(plan.items.filter(weekday=today.weekday()).order_by("position", "pk"))
    for item in todays:
        for number in range(1, item.sets + 1):
            amount = item.reps or item.duration_seconds
            services.set_tick(runner=runner, item=item, day=today, number=number, amount=amount)
    MorningCheckIn.objects.record(owner=runner, day=today, pain=1, stiffness=1)
    client = Client()
    client.force_login(runner)
    first = todays[0]
    amount = first.reps or first.duration_seconds
    tick = f"/today/items/{first.pk}/sets/1/"
    move = f"/plans/{plan.pk}/items/{first.pk}/move/"
    posts = {
        # Undone, then ticked again: the set ends as it began, and each post changes a row.
        "tick": [
            (tick, "action=undo", {"HX-Target": f"item-{first.pk}"}),
            (tick, f"amount={amount}", {"HX-Target": f"item-{first.pk}"}),
        ],
        "move": [
            (move, f"to={first.position + 1}", {"HX-Target": f"day-{first.weekday}"}),
            (move, f"to={first.position}", {"HX-Target": f"day-{first.weekday}"}),
        ],
    }
    return client, posts


LOAD_FRAGMENT = re.compile(r"<[^>]*\bhx-get=\"([^\"]+)\"[^>]*\bhx-trigger=\"[^\"]*\bload\b[^>]*>")


def fragments(html: str) -> list[str]:
    """The fragments a page loads on arrival: `hx-get` with a `load` trigger."""
    urls = []
    # Only the tags that carry an hx-trigger: the pattern run over a whole 100 KB page
    # was a few milliseconds of the bench's own in each board view.
    at = html.find("hx-trigger=")
    while at != -1:
        start, end = html.rfind("<", 0, at), html.find(">", at)
        urls += LOAD_FRAGMENT.findall(html, start, end + 1)
        at = html.find("hx-trigger=", end)
    return [unescape(url) for url in urls]


def steps_of(page: Page, html: str, posts: dict, csrf: str) -> list[Step]:
    """One page view's requests: the page and its fragments, after each post if any."""
    htmx = {"HX-Request": "true"}
    view = [Step("GET", page.url, headers=page.headers)]
    view += [Step("GET", url, headers=htmx) for url in fragments(html)]
    if not page.posts:
        return view
    steps = []
    for url, body, headers in posts[page.posts]:
        form = {
            **htmx,
            **headers,
            "Content-Type": "application/x-www-form-urlencoded",
            "X-CSRFToken": csrf,
        }
        steps += [Step("POST", url, body, form), *view]
    return steps


def inspect(page: Page, client) -> tuple[int, int, int, str]:
    """The page's status, SQL queries (its fragments' included), size and HTML, through the
    test client."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # A page that is not there yet is a note in the report, not a warning in the log.
    request_log = logging.getLogger("django.request")
    level = request_log.level
    request_log.setLevel(logging.ERROR)
    try:
        client.get(page.url, headers=page.headers, secure=True)  # warms the caches
        with CaptureQueriesContext(connection) as queries:
            response = client.get(page.url, headers=page.headers, secure=True)
            html = response.content.decode()
            for url in fragments(html):
                client.get(url, headers={"HX-Request": "true"}, secure=True)
    finally:
        request_log.setLevel(level)
    return response.status_code, len(queries), len(response.content), html


def git_state() -> dict:
    def git(*args: str) -> str:
        result = subprocess.run(["git", *args], cwd=REPO, capture_output=True, text=True)
        return result.stdout.strip()

    return {"commit": git("rev-parse", "HEAD"), "dirty": bool(git("status", "--porcelain"))}


def wrk_version() -> str:
    # "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer"
    result = subprocess.run(["wrk", "--version"], capture_output=True, text=True)
    return result.stdout.split(" [", 1)[0].strip()


def machine() -> dict:
    model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return {
        "platform": platform.platform(),
        "cpu": model,
        "cpus": os.cpu_count(),
        "load_average": list(os.getloadavg()),
        "python": platform.python_version(),
    }


def database_description() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sqlite_version()" if connection.vendor == "sqlite" else "SHOW server_version"
        )
        version = cursor.fetchone()[0]
    return {"vendor": connection.vendor, "version": version}


def measure(args: argparse.Namespace) -> dict:
    """Set everything up, load the servers, tear everything down; return the figures."""
    sys.path.insert(0, str(REPO))
    from bench import scratch

    workdir = tempfile.TemporaryDirectory(prefix="footcare-bench-server-")
    root = Path(workdir.name)
    environ = scratch.setup_django(
        root, ALLOWED_HOSTS="127.0.0.1,testserver", TRUST_X_FORWARDED_PROTO="1"
    )

    import django
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    results: dict = {
        "format": FORMAT,
        "version": 1,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": " ".join([Path(sys.argv[0]).as_posix(), *sys.argv[1:]]),
        "git": git_state(),
        "machine": machine(),
        "load": {
            "tool": wrk_version(),
            "rounds": args.rounds,
            "seconds": args.duration,
            "connections": args.connections,
        },
        "server": {"workers": args.workers, "worker_class": "sync", "django": django.get_version()},
        "cache": os.environ.get("REDIS_URL") or "the database's cache table",
    }
    try:
        with scratch.throwaway_database(root) as database_url:
            results["database"] = database_description()
            call_command("collectstatic", interactive=False, verbosity=0)
            scratch.seed()
            results["exercises"] = scratch.grow(args.extra)
            anonymous, (signed_in, posts) = Client(), make_runner()

            pages, skipped = [], []
            for page in PAGES:
                if args.pages and page.name not in args.pages:
                    continue
                status, queries, size, html = inspect(
                    page, signed_in if page.signed_in else anonymous
                )
                if status == 404:
                    skipped.append({"name": page.name, "url": page.url, "reason": "answers 404"})
                elif not 200 <= status < 300:
                    raise SystemExit(f"{page.url} answered {status} in the test client.")
                else:
                    figures = {"queries": queries, "bytes": size}
                    pages.append((page, figures, html))
            # The runner's session and CSRF secret, as their browser would send them.
            signed_in.get("/accounts/profile/", secure=True)  # a page with a form sets it
            session = signed_in.cookies[settings.SESSION_COOKIE_NAME].value
            csrf = signed_in.cookies[settings.CSRF_COOKIE_NAME].value
            pages = [
                (page, {**figures, "steps": steps_of(page, html, posts, csrf)})
                for page, figures, html in pages
            ]
            results["skipped"] = skipped
            if not pages:
                raise SystemExit("No page to load.")

            env = {**os.environ, **environ, "DATABASE_URL": database_url}
            project = gunicorn(
                "footcare.wsgi:application",
                env=env,
                workers=args.workers,
                probe="/healthz",
                log=root / "project.log",
            )
            bare = gunicorn(
                "bench.bare:application",
                env={**env, "DJANGO_SETTINGS_MODULE": "bench.bare"},
                workers=args.workers,
                probe="/",
                log=root / "bare.log",
            )
            with project as project_url, bare as bare_url:
                results.update(
                    load_alternately(args, pages, project_url, bare_url, session, csrf, root)
                )
    finally:
        workdir.cleanup()
    results["machine"]["load_average_after"] = list(os.getloadavg())
    return results


def load_alternately(
    args: argparse.Namespace,
    pages: list[tuple[Page, dict]],
    project_url: str,
    bare_url: str,
    session: str,
    csrf: str,
    scratch: Path,
) -> dict:
    from django.conf import settings

    cookie = f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}"
    # What the browser sends with a post: the site's own origin, as CSRF checks it.
    origin = {"Origin": "https://" + project_url.removeprefix("http://")}
    sequences = {}
    for page, figures in pages:
        steps = figures.pop("steps")
        if len(steps) > 1:
            path = scratch / f"steps-{len(sequences)}.tsv"
            path.write_text(sequence_file(steps, origin))
            sequences[page.name] = path
            views = sum(step.method == "GET" and step.url == page.url for step in steps)
            figures["requests_per_view"] = len(steps) / views

    def headers_of(page: Page) -> dict[str, str]:
        if page.signed_in:
            return {**page.headers, "Cookie": cookie}
        return page.headers

    def run_page(page: Page, figures: dict, seconds: int, warm_up: bool = False) -> Run:
        run = load(
            project_url + page.url,
            headers_of(page),
            seconds=seconds,
            connections=args.connections,
            sequence=sequences.get(page.name),
            warm_up=warm_up,
        )
        per_view = figures.get("requests_per_view", 1)
        return Run(
            rps=run.rps / per_view,
            p50_ms=run.p50_ms,
            p99_ms=run.p99_ms,
            requests=run.requests,
            non_2xx=run.non_2xx,
            socket_errors=run.socket_errors,
        )

    def run(url: str, headers: dict[str, str], seconds: int) -> Run:
        return load(url, headers, seconds=seconds, connections=args.connections)

    # Every worker compiles its templates and opens its connection before anything counts.
    run(bare_url + "/", {}, 1)
    for page, figures in pages:
        run_page(page, figures, 1, warm_up=True)

    bare_runs: list[Run] = []
    page_runs: dict[str, list[Run]] = {page.name: [] for page, _ in pages}
    ratios: dict[str, list[float]] = {page.name: [] for page, _ in pages}
    for number in range(1, args.rounds + 1):
        out(f"round {number} of {args.rounds}")
        before = run(bare_url + "/", {}, args.duration)
        bare_runs.append(before)
        for page, figures in pages:
            page_run = run_page(page, figures, args.duration)
            after = run(bare_url + "/", {}, args.duration)
            bare_runs.append(after)
            page_runs[page.name].append(page_run)
            ratios[page.name].append(round_ratio(page_run, before, after))
            before = after

    return {
        "bare": summarise(bare_runs),
        "pages": [
            {
                "name": page.name,
                "url": page.url,
                "headers": page.headers,
                "signed_in": page.signed_in,
                **figures,
                **summarise(page_runs[page.name], ratios[page.name]),
            }
            for page, figures in pages
        ],
    }


BENCH_REDIS = "redis://127.0.0.1:6379/13"


def choose_cache(wanted: str) -> str:
    """The cache the servers share, as production would have it: Redis where there is one.

    With 'auto' and no REDIS_URL, the bench's own Redis database (emptied first) when a
    Redis answers on 127.0.0.1:6379; else the database's cache table, which is slower.
    """
    if wanted != "auto":
        return wanted
    if os.environ.get("REDIS_URL"):
        return os.environ["REDIS_URL"]
    import redis

    try:
        redis.Redis.from_url(BENCH_REDIS, socket_connect_timeout=1).flushdb()
    except redis.RedisError:
        out(f"No Redis at {BENCH_REDIS}: the cache is the database's table, slower than Redis.")
        return "table"
    return BENCH_REDIS


def report(results: dict) -> list[str]:
    load, server, database = results["load"], results["server"], results["database"]
    return [
        f"{results['started_at']}, commit {results['git']['commit'][:12]}"
        f"{' (uncommitted changes)' if results['git']['dirty'] else ''}, "
        f"{results['machine']['cpus']} CPUs ({results['machine']['cpu']}), load average "
        f"{results['machine']['load_average'][0]:.1f} before and "
        f"{results['machine']['load_average_after'][0]:.1f} after.",
        f"gunicorn, {server['workers']} {server['worker_class']} workers, Django "
        f"{server['django']}, production settings; {database['vendor']} {database['version']}, "
        f"{results['exercises']} exercises; cache: {results.get('cache', 'not recorded')}.",
        f"{load['tool']}: {load['connections']} connections, {load['rounds']} rounds of "
        f"{load['seconds']} s a page, each page between two runs of the bare view; medians "
        "of the rounds.",
        "",
        *table(results),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5, help="rounds of load (default 5)")
    parser.add_argument("--duration", type=int, default=3, help="seconds per run (default 3)")
    parser.add_argument("--connections", type=int, default=8, help="open connections (default 8)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--extra", type=int, default=300, help="exercises added to the seeded ones (default 300)"
    )
    parser.add_argument("--pages", nargs="+", metavar="NAME", help="only these pages, by name")
    parser.add_argument("--json", type=Path, help="where to write the figures (default var/bench/)")
    parser.add_argument(
        "--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two JSON results"
    )
    parser.add_argument(
        "--cache",
        default="auto",
        help="the shared cache: a Redis URL, 'table' for the database's cache table, or 'auto' "
        f"(the default: REDIS_URL if set, else {BENCH_REDIS} when a Redis answers there, "
        "else the table)",
    )
    args = parser.parse_args()

    if args.compare:
        before, after = (json.loads(path.read_text()) for path in args.compare)
        for line in compare(before, after):
            out(line)
        return
    if not 1 <= args.rounds <= 50 or not 1 <= args.duration <= 60:
        parser.error("--rounds must be 1 to 50 and --duration 1 to 60 seconds")
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench-server` installs it (apt-get install wrk).")
    unknown = set(args.pages or []) - {page.name for page in PAGES}
    if unknown:
        parser.error(f"unknown pages: {', '.join(sorted(unknown))}")

    cache = choose_cache(args.cache)
    if cache == "table":
        os.environ.pop("REDIS_URL", None)
    else:
        os.environ["REDIS_URL"] = cache
    # A SIGTERM unwinds like Ctrl-C does, so the servers and the database go with us.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        results = measure(args)
    except KeyboardInterrupt:
        raise SystemExit("Interrupted: the servers are stopped and the database dropped.") from None
    for line in report(results):
        out(line)
    stamp = results["started_at"].replace(":", "").replace("+0000", "Z")
    path = args.json or REPO / "var" / "bench" / f"{stamp}-{results['database']['vendor']}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    out(f"\nFigures written to {path}")


if __name__ == "__main__":
    main()
