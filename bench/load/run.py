"""`make load`: many runners at once on the production stack, with one thing failing under it.

Everything runs in a temporary folder and is gone afterwards: a PostgreSQL cluster of its
own (initdb, on a free port; run as the `postgres` user when we are root), a Redis of its
own (`redis-server --save ''`), a small mail server of its own, and gunicorn serving the
project as in production (sync workers, DEBUG off, a random SECRET_KEY, collected static
files, the TLS proxy's headers trusted and sent). Nothing of the machine's own PostgreSQL
or Redis is touched, so the faults can stop and start ours.

The database gets the seeded library and a population (bench/load/seed.py: 2,000 runners
with profiles and plans, 100 of them with a year of history), then each scenario runs on
a fresh copy of it (CREATE DATABASE ... TEMPLATE): locust, headless, for a fixed time
(bench/load/locustfile.py), while the scenario's fault happens:

    none         nothing fails
    kill-worker  a gunicorn worker is killed with SIGKILL (the master starts another)
    restart-db   PostgreSQL is stopped at once (`pg_ctl stop -m immediate`, as a crash),
                 left down a few seconds, and started again
    redis-down   Redis is stopped, left down a few seconds, and started again (empty)
    mail-down    the mail server stops answering (accepts, then says nothing) for a while

Then the reconciliation (bench/load/reconcile.py) checks every acknowledged write, and the
journal gives the figures: requests a second and p50/p95/p99 per page type, the statuses,
and for each fault the answers given during it and how long after it the errors stopped.
A run fails (exit 1) on any 500, on a failed answer slower than HANG_SECONDS, on errors
lasting more than RECOVERY_SECONDS after the fault ends, or on any reconciliation failure.

    make load                                   # none, 50 runners, 2 minutes
    make load SCENARIO=kill-worker USERS=200
    .venv/bin/python bench/load/run.py --scenario none kill-worker --users 20 --time 60
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import json
import os
import platform
import pwd
import random
import secrets
import shutil
import signal
import socket
import socketserver
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from datetime import UTC, datetime
from http.client import HTTPConnection
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))

SCENARIOS = ["none", "kill-worker", "restart-db", "redis-down", "mail-down"]
# A failed answer must come within this many seconds (a 503, a cut connection): no hang.
HANG_SECONDS = 10
# After the fault ends, errors must stop within this many seconds.
RECOVERY_SECONDS = 10
# The load generator gives up on an answer after 30 s (locustfile.TIMEOUT): a hang.
TIMED_OUT_MS = 29_500
DOWN_SECONDS = {"restart-db": 3, "redis-down": 5, "mail-down": 15}
DATABASE = "footcare_load"


def out(line: str = "") -> None:
    sys.stdout.write(line + "\n")
    sys.stdout.flush()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(check, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise SystemExit(f"{what} did not come up within {seconds:.0f} s")
        time.sleep(0.2)


# Our own PostgreSQL -------------------------------------------------------------------------


class Postgres:
    """A throwaway cluster: initdb in `root`, served on a free loopback port."""

    def __init__(self, root: Path) -> None:
        found = sorted(
            glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(p.split("/")[4])
        )
        bindir = Path(found[-1]).parent if found else None
        if bindir is None and shutil.which("initdb"):
            bindir = Path(shutil.which("initdb")).parent
        if bindir is None:
            raise SystemExit("make load needs PostgreSQL's server programs (initdb, pg_ctl).")
        self.bindir = bindir
        self.data = root / "pg"
        self.sockets = root / "pg-sockets"
        self.log = root / "pg.log"
        self.port = free_port()
        self.user: list[str] = []
        self.data.mkdir()
        self.sockets.mkdir()
        if os.geteuid() == 0:
            # PostgreSQL will not run as root: its own user, owning its folders.
            owner = pwd.getpwnam("postgres")
            root.chmod(0o755)
            for path in (self.data, self.sockets):
                os.chown(path, owner.pw_uid, owner.pw_gid)
            self.log.touch()
            os.chown(self.log, owner.pw_uid, owner.pw_gid)
            self.user = ["runuser", "-u", "postgres", "--"]
        self.run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")

    def run(self, program: str, *args: str) -> None:
        subprocess.run(
            [*self.user, str(self.bindir / program), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        options = (
            f"-c port={self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.sockets} -c max_connections=60 "
            "-c fsync=on -c synchronous_commit=on"
        )
        self.run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self.run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def execute(self, sql: str) -> None:
        import psycopg

        with psycopg.connect(self.url("postgres"), autocommit=True) as connection:
            connection.execute(sql)


# Our own Redis ------------------------------------------------------------------------------


class Redis:
    def __init__(self, root: Path) -> None:
        if shutil.which("redis-server") is None:
            raise SystemExit("make load needs redis-server (apt-get install redis-server).")
        self.dir = root / "redis"
        self.dir.mkdir()
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.dir),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self.answers, "Redis", 20)

    def answers(self) -> bool:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 1):
            return True
        return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None


# A mail server of our own -------------------------------------------------------------------


class MailServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP to take a message and drop it; `silent` makes it answer nothing."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        self.silent = False
        self.received = 0
        super().__init__(("127.0.0.1", 0), MailHandler)
        self.port = self.server_address[1]


class MailHandler(socketserver.StreamRequestHandler):
    timeout = 30

    def handle(self) -> None:
        server: MailServer = self.server  # type: ignore[assignment]
        if server.silent:
            # Accepts, and never says a word: the client waits out its timeout.
            with contextlib.suppress(OSError):
                self.rfile.read(1)
            return
        self.reply("220 load.example ESMTP")
        data = False
        for raw in self.rfile:
            line = raw.decode(errors="replace").rstrip("\r\n")
            if data:
                if line == ".":
                    data = False
                    server.received += 1
                    self.reply("250 OK")
                continue
            verb = line.split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250 load.example")
            elif verb == "DATA":
                data = True
                self.reply("354 go on")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode() + b"\r\n")


# gunicorn -----------------------------------------------------------------------------------


def status_of(base: str, path: str) -> int | None:
    host, port = base.removeprefix("http://").split(":")
    connection = HTTPConnection(host, int(port), timeout=5)
    try:
        connection.request("GET", path, headers={"X-Forwarded-Proto": "https"})
        return connection.getresponse().status
    except OSError:
        return None
    finally:
        connection.close()


def start_gunicorn(env: dict, workers: int, log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "footcare.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={workers}",
        "--worker-class=sync",
        "--no-control-socket",
        "--timeout=30",
        "--graceful-timeout=5",
        "--backlog=512",
        # Status and time in the app (microseconds) of every answer: a 503 that comes late
        # to the client may have waited in the queue, not in the app.
        f"--access-logfile={log.with_suffix('.access')}",
        "--access-logformat=%(s)s %(D)s",
        f"--chdir={REPO}",
    ]
    with open(log, "w") as log_file:
        process = subprocess.Popen(
            command, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://127.0.0.1:{port}"
    wait_for(lambda: status_of(base, "/healthz") == 200 or process.poll() is not None, "gunicorn")
    if process.poll() is not None:
        raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
    return process, base


def stop_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def workers_of(master: int) -> list[int]:
    with contextlib.suppress(OSError):
        return [
            int(pid) for pid in Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ]
    return []


# Faults -------------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    with contextlib.suppress(OSError, IndexError, ValueError):
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    return 0


def busiest(workers: list[int]) -> int:
    """The worker that used the most CPU over a fifth of a second: most likely in the
    middle of a request, so that the kill cuts one off. Any one when all are idle."""
    before = {pid: cpu_ticks(pid) for pid in workers}
    time.sleep(0.2)
    used = {pid: cpu_ticks(pid) - before[pid] for pid in workers}
    top = max(used.values())
    return random.choice([pid for pid, ticks in used.items() if ticks == top])


def inject(
    scenario: str,
    *,
    at: list[float],
    master: int,
    pg: Postgres,
    redis: Redis,
    mail: MailServer,
    windows: list[dict],
) -> None:
    """At each time in `at` (seconds from now), the scenario's fault; its window recorded."""
    begun = time.monotonic()
    for offset in at:
        time.sleep(max(0.0, begun + offset - time.monotonic()))
        start = time.time()
        note = ""
        if scenario == "kill-worker":
            workers = workers_of(master)
            if not workers:
                continue
            victim = busiest(workers)
            os.kill(victim, signal.SIGKILL)
            note = f"SIGKILL worker {victim}"
        elif scenario == "restart-db":
            pg.stop("immediate")
            time.sleep(DOWN_SECONDS[scenario])
            pg.start()
            note = "pg_ctl stop -m immediate, start"
        elif scenario == "redis-down":
            redis.stop()
            time.sleep(DOWN_SECONDS[scenario])
            redis.start()
            note = "redis-server stopped, started"
        elif scenario == "mail-down":
            mail.silent = True
            time.sleep(DOWN_SECONDS[scenario])
            mail.silent = False
            note = "mail server silent"
        windows.append({"start": start, "end": time.time(), "what": note})


# Figures ------------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def figures(journal: Path, windows: list[dict]) -> dict:
    requests = []
    with open(journal) as lines:
        for line in lines:
            with contextlib.suppress(json.JSONDecodeError):
                record = json.loads(line)
                if record.get("type") == "request":
                    requests.append(record)
    if not requests:
        return {"pages": {}, "statuses": {}, "faults": []}
    first = min(r["t"] for r in requests)
    last = max(r["t"] + r["ms"] / 1000 for r in requests)
    seconds = max(last - first, 1e-9)
    by_name = defaultdict(list)
    statuses = defaultdict(int)
    for r in requests:
        by_name[r["name"]].append(r)
        statuses[str(r["status"])] += 1
    pages = {}
    for name, rows in sorted(by_name.items()):
        ms = [r["ms"] for r in rows]
        pages[name] = {
            "requests": len(rows),
            "rps": len(rows) / seconds,
            "p50_ms": statistics.median(ms),
            "p95_ms": percentile(ms, 0.95),
            "p99_ms": percentile(ms, 0.99),
            "errors": sum(1 for r in rows if r["status"] == 0 or r["status"] >= 500),
        }
    faults = []
    for n, window in enumerate(windows):
        # Every request answered (or cut) from the fault's start until the next fault began:
        # one sent before that but answered after waited in the queue into the next fault.
        until = windows[n + 1]["start"] if n + 1 < len(windows) else float("inf")
        during = [r for r in requests if window["start"] <= r["t"] + r["ms"] / 1000 < until]
        failed = [r for r in during if r["status"] == 0 or r["status"] >= 500]
        counts = defaultdict(int)
        for r in failed:
            counts[str(r["status"])] += 1
        # Recovery: how long after the fault ended a request sent then could still fail.
        after = [r["t"] - window["end"] for r in failed if r["t"] >= window["end"]]
        faults.append(
            {
                **window,
                "requests": len(during),
                "failed": dict(counts),
                "slowest_failed_ms": max((r["ms"] for r in failed), default=0),
                "timed_out": sum(1 for r in failed if r["status"] == 0 and r["ms"] >= TIMED_OUT_MS),
                "errors_stop_after_s": max(after, default=0.0),
            }
        )
    return {
        "seconds": seconds,
        "requests": len(requests),
        "rps": len(requests) / seconds,
        "statuses": dict(statuses),
        "pages": pages,
        "faults": faults,
    }


def app_figures(access_log: Path) -> dict:
    """From gunicorn's access log: answers by status, and the slowest 503 in the app."""
    statuses: dict[str, int] = defaultdict(int)
    slowest = 0.0
    with contextlib.suppress(OSError), open(access_log) as lines:
        for line in lines:
            parts = line.split()
            if len(parts) != 2 or not parts[1].isdigit():
                continue
            statuses[parts[0]] += 1
            if parts[0] == "503":
                slowest = max(slowest, int(parts[1]) / 1000)
    return {**statuses, "slowest_503_ms": slowest}


def verdict(results: dict) -> list[str]:
    problems = []
    fig = results["figures"]
    if fig["statuses"].get("500"):
        problems.append(f"{fig['statuses']['500']} answers were 500")
    app = results.get("app", {})
    if app.get("slowest_503_ms", 0) > HANG_SECONDS * 1000:
        problems.append(f"the app took {app['slowest_503_ms']:.0f} ms to answer a 503")
    if app.get("500"):
        problems.append(f"the app answered {app['500']} requests with a 500")
    for fault in fig["faults"]:
        if fault["timed_out"]:
            problems.append(
                f"{fault['timed_out']} requests got no answer in 30 s ({fault['what']})"
            )
        if fault["errors_stop_after_s"] > RECOVERY_SECONDS:
            problems.append(
                f"errors went on {fault['errors_stop_after_s']:.1f} s after {fault['what']}"
            )
    rec = results["reconciliation"]
    for kind in ("lost", "doubled", "unexpected", "half_made", "orphans"):
        if rec[kind]:
            problems.append(f"reconciliation: {rec[kind]} {kind.replace('_', '-')}")
    return problems


def table(results: dict) -> list[str]:
    fig = results["figures"]
    header = (
        f"{'page type':<24}{'req':>7}{'req/s':>8}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}"
        f"{'5xx/cut':>9}"
    )
    lines = [header, "-" * len(header)]
    for name, page in fig["pages"].items():
        lines.append(
            f"{name:<24}{page['requests']:>7}{page['rps']:>8.1f}{page['p50_ms']:>9.0f}"
            f"{page['p95_ms']:>9.0f}{page['p99_ms']:>9.0f}{page['errors']:>9}"
        )
    lines.append(
        f"{'all':<24}{fig['requests']:>7}{fig['rps']:>8.1f}   statuses: "
        + ", ".join(f"{k}: {v}" for k, v in sorted(fig["statuses"].items()))
    )
    app = results.get("app", {})
    lines.append(
        f"in the app: {app.get('503', 0)} answers 503 (slowest {app.get('slowest_503_ms', 0):.0f}"
        f" ms), {app.get('500', 0)} answers 500"
    )
    for fault in fig["faults"]:
        lines.append(
            f"fault: {fault['what']} ({fault['end'] - fault['start']:.1f} s): failed answers "
            f"{fault['failed'] or 'none'}, slowest failed {fault['slowest_failed_ms']:.0f} ms, "
            f"{fault['timed_out']} unanswered in 30 s, last failure sent "
            f"{fault['errors_stop_after_s']:.1f} s after it ended"
        )
    return lines


# The run ------------------------------------------------------------------------------------


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
    }


def git_commit() -> str:
    result = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    return result.stdout.strip()


def seed_database(args: argparse.Namespace, root: Path, pg: Postgres, redis_port: int) -> dict:
    """Make, migrate and fill the template database in this process; the population."""
    os.environ["DATABASE_URL"] = pg.url(DATABASE)
    os.environ["REDIS_URL"] = f"redis://127.0.0.1:{redis_port}/0"
    # Seeding runs long statements; the servers keep the app's own 5 s limit.
    os.environ["DATABASE_STATEMENT_TIMEOUT_MS"] = "0"
    pg.execute(f"CREATE DATABASE {DATABASE}")
    from bench import scratch

    scratch.setup_django(root, ALLOWED_HOSTS="127.0.0.1")
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone

    from bench.load import seed

    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", interactive=False, verbosity=0)
    scratch.seed()
    today = timezone.localdate()
    seed.seed_runners(runners=args.runners, with_history=args.history, today=today)
    scratch.analyze()
    population = seed.population(today)
    connection.close()
    out(
        f"Seeded {len(population['runners'])} runners ({args.history} with a year of history) "
        f"and the library in {time.monotonic() - started:.0f} s."
    )
    return population


def use_database(name: str) -> None:
    from django.db import connection

    connection.close()
    connection.settings_dict["NAME"] = name


def run_scenario(
    scenario: str,
    args: argparse.Namespace,
    root: Path,
    pg: Postgres,
    redis: Redis,
    mail: MailServer,
    population_file: Path,
    secret: str,
) -> dict:
    name = f"{DATABASE}_{scenario.replace('-', '_')}"
    use_database("postgres")
    pg.execute(f"DROP DATABASE IF EXISTS {name}")
    pg.execute(f"CREATE DATABASE {name} TEMPLATE {DATABASE}")
    # The copy's sequence pages carry the template's unlogged look-ahead of ids: without a
    # checkpoint now, a crash (restart-db) replays them back to the copy and hands out ids
    # that committed rows already have. A copy's artefact; a database in service has none.
    pg.execute("CHECKPOINT")
    journal = root / f"journal-{scenario}.jsonl"
    journal.touch()
    env = {
        **{k: v for k, v in os.environ.items() if k != "DATABASE_STATEMENT_TIMEOUT_MS"},
        "DJANGO_SETTINGS_MODULE": "footcare.settings",
        "DEBUG": "0",
        "SECRET_KEY": secret,
        "DATABASE_URL": pg.url(name),
        "REDIS_URL": f"redis://127.0.0.1:{redis.port}/0",
        "ALLOWED_HOSTS": "127.0.0.1",
        "TRUST_X_FORWARDED_PROTO": "1",
        # Each simulated runner comes from an address of its own, as the proxy would say.
        "TRUSTED_PROXY_COUNT": "1",
        # The load generator speaks plain HTTP to gunicorn, as the TLS proxy would; its
        # cookie jar keeps secure cookies for HTTPS only.
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(mail.port),
        "EMAIL_USE_TLS": "0",
        "LOG_LEVEL": "WARNING",
    }
    server, base = start_gunicorn(env, args.workers, root / f"gunicorn-{scenario}.log")
    windows: list[dict] = []
    try:
        locust = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(REPO / "bench" / "load" / "locustfile.py"),
                "--headless",
                f"--users={args.users}",
                f"--spawn-rate={args.spawn_rate}",
                f"--run-time={args.time}s",
                f"--host={base}",
                "--only-summary",
                "--stop-timeout=15",
                "--loglevel=WARNING",
            ],
            env={
                **os.environ,
                "LOAD_POPULATION": str(population_file),
                "LOAD_JOURNAL": str(journal),
            },
            stdout=open(root / f"locust-{scenario}.log", "w"),  # noqa: SIM115
            stderr=subprocess.STDOUT,
        )
        faulter = None
        if scenario != "none":
            # After the runners are all in, spread over the middle of the run.
            ramp = args.users / args.spawn_rate
            span = max(args.time - ramp - 25, 1)
            at = [ramp + 5 + span * (n + 0.5) / args.faults for n in range(args.faults)]
            faulter = threading.Thread(
                target=inject,
                args=(scenario,),
                kwargs={
                    "at": at,
                    "master": server.pid,
                    "pg": pg,
                    "redis": redis,
                    "mail": mail,
                    "windows": windows,
                },
                daemon=True,
            )
            faulter.start()
        locust.wait(timeout=args.time + 120)
        if faulter is not None:
            faulter.join(timeout=60)
    finally:
        stop_group(server)
    log = (root / f"gunicorn-{scenario}.log").read_text()
    app = app_figures(root / f"gunicorn-{scenario}.access")
    use_database(name)
    from bench.load import reconcile

    counts = reconcile.reconcile(journal, json.loads(population_file.read_text()))
    results = {
        "scenario": scenario,
        "figures": figures(journal, windows),
        "reconciliation": counts,
        "app": app,
        "server_tracebacks": log.count("Traceback"),
        "worker_timeouts": log.count("WORKER TIMEOUT"),
        "mail_received": mail.received,
    }
    if args.keep:
        for path in (journal, root / f"gunicorn-{scenario}.log", pg.log):
            kept = path.name if scenario in path.name else f"{path.stem}-{scenario}{path.suffix}"
            shutil.copy(path, Path(args.keep) / kept)
        if counts["failures"]:
            # The database as the reconciliation found it, to look into.
            dump = Path(args.keep) / f"{name}.dump"
            subprocess.run(
                [str(pg.bindir / "pg_dump"), "-Fc", "-f", str(dump), pg.url(name)], check=False
            )
    use_database("postgres")
    pg.execute(f"DROP DATABASE IF EXISTS {name}")
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", nargs="+", default=["none"], choices=SCENARIOS + ["all"])
    parser.add_argument("--users", type=int, default=50, help="simulated runners (default 50)")
    parser.add_argument("--spawn-rate", type=float, default=5, help="runners started a second")
    parser.add_argument("--time", type=int, default=120, help="seconds of load (default 120)")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers (default 4)")
    parser.add_argument("--runners", type=int, default=2000, help="runners seeded (default 2000)")
    parser.add_argument("--history", type=int, default=100, help="of them with a year of history")
    parser.add_argument("--faults", type=int, default=3, help="faults per scenario (default 3)")
    parser.add_argument("--json", type=Path, help="where to write the results (default var/load/)")
    parser.add_argument("--keep", help="a folder to copy the journals to")
    parser.add_argument("--markdown", type=Path, help="print a results file as Markdown")
    args = parser.parse_args()
    if args.markdown:
        for line in markdown(json.loads(args.markdown.read_text())):
            out(line)
        return
    scenarios = SCENARIOS if "all" in args.scenario else args.scenario
    if args.users > args.runners:
        parser.error("--users must be at most --runners: each simulated runner is its own")
    if args.history > args.runners:
        parser.error("--history must be at most --runners")

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started_at = datetime.now(UTC).isoformat(timespec="seconds")
    before = machine()
    workdir = tempfile.TemporaryDirectory(prefix="footcare-load-")
    root = Path(workdir.name)
    pg = Postgres(root)
    redis = Redis(root)
    mail = MailServer()
    threading.Thread(target=mail.serve_forever, daemon=True).start()
    every: list[dict] = []
    try:
        pg.start()
        redis.start()
        population = seed_database(args, root, pg, redis.port)
        population_file = root / "population.json"
        population_file.write_text(json.dumps(population))
        secret = secrets.token_urlsafe(50)
        for scenario in scenarios:
            out(
                f"\n=== {scenario}: {args.users} runners, {args.time} s, {args.workers} workers ==="
            )
            results = run_scenario(scenario, args, root, pg, redis, mail, population_file, secret)
            problems = verdict(results)
            results["problems"] = problems
            every.append(results)
            for line in table(results):
                out(line)
            for line in reconcile_lines(results):
                out(line)
            out("PASSED" if not problems else "FAILED: " + "; ".join(problems))
    finally:
        mail.shutdown()
        redis.stop()
        with contextlib.suppress(subprocess.CalledProcessError):
            pg.stop("fast")
        workdir.cleanup()
    document = {
        "format": "footcare-load",
        "started_at": started_at,
        "command": " ".join(sys.argv),
        "commit": git_commit(),
        "machine": {**before, "load_average_after": list(os.getloadavg())},
        "users": args.users,
        "seconds": args.time,
        "workers": args.workers,
        "runners": args.runners,
        "history": args.history,
        "scenarios": every,
    }
    stamp = started_at.replace(":", "").replace("+0000", "Z")
    path = args.json or REPO / "var" / "load" / f"{stamp}-{args.users}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2, default=str) + "\n")
    out(f"\nResults written to {path}")
    if any(results["problems"] for results in every):
        raise SystemExit(1)


def markdown(document: dict) -> list[str]:
    """A results file as the tables of docs/performance.md."""
    lines = [
        f"{document['started_at']}, commit {document['commit'][:12]}, "
        f"{document['machine']['cpus']} CPUs ({document['machine']['cpu']}), load average "
        f"{document['machine']['load_average'][0]:.1f} before and "
        f"{document['machine']['load_average_after'][0]:.1f} after; {document['users']} "
        f"runners for {document['seconds']} s, {document['workers']} workers.",
        "",
    ]
    for results in document["scenarios"]:
        fig, rec = results["figures"], results["reconciliation"]
        lines += [
            f"**{results['scenario']}**: {fig['requests']} requests, {fig['rps']:.1f} a second; "
            + ", ".join(f"{k}: {v}" for k, v in sorted(fig["statuses"].items())),
            "",
            "| page type | requests | req/s | p50 ms | p95 ms | p99 ms | 5xx or cut |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, page in fig["pages"].items():
            lines.append(
                f"| {name} | {page['requests']} | {page['rps']:.1f} | {page['p50_ms']:.0f} | "
                f"{page['p95_ms']:.0f} | {page['p99_ms']:.0f} | {page['errors']} |"
            )
        for fault in fig["faults"]:
            lines.append(
                f"\nFault: {fault['what']} ({fault['end'] - fault['start']:.1f} s): failed "
                f"answers {fault['failed'] or 'none'}, slowest failed "
                f"{fault['slowest_failed_ms']:.0f} ms as the runner waited (queue included), "
                f"{fault['timed_out']} unanswered in 30 s; the last failure was sent "
                f"{fault['errors_stop_after_s']:.1f} s after it ended."
            )
        lines += [
            "",
            f"Reconciliation: {rec['writes']} writes, {rec['acknowledged']} acknowledged, "
            f"{rec['not_acknowledged']} not; lost {rec['lost']}, doubled {rec['doubled']}, "
            f"unexpected {rec['unexpected']}, half-made {rec['half_made']}, orphans "
            f"{rec['orphans']}. Verdict: {'; '.join(results['problems']) or 'passed'}.",
            "",
        ]
    return lines


def reconcile_lines(results: dict) -> list[str]:
    from bench.load import reconcile

    return ["reconciliation: " + line for line in reconcile.report(results["reconciliation"])]


if __name__ == "__main__":
    main()
