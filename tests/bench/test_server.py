"""The server benchmark's parts that need no server: wrk's summary, the medians and ratios,
the report and the comparison, and the bare view it measures against. No test asserts a
time; the benchmark itself runs with `make bench-server`."""

import json
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from bench import server
from bench.server import PAGES, Run, compare, parse_wrk, round_ratio, summarise, table

REPO = Path(__file__).resolve().parents[2]


def wrk_output(**figures: int) -> str:
    summary = {
        "requests": 300,
        "duration_us": 3_000_000,
        "bytes": 3_000_000,
        "non_2xx": 0,
        "socket_errors": 0,
        "p50_us": 25_000,
        "p99_us": 61_500,
        "max_us": 80_000,
        **figures,
    }
    return (
        "Running 3s test @ http://127.0.0.1:8000/\n"
        "  300 requests in 3.00s, 2.86MB read\n"
        f"bench-summary {json.dumps(summary)}\n"
    )


def run(rps: float, p50_ms: float = 10.0, p99_ms: float = 20.0) -> Run:
    return Run(rps=rps, p50_ms=p50_ms, p99_ms=p99_ms, requests=1, non_2xx=0, socket_errors=0)


def test_parse_wrk_reads_the_summary_line():
    assert parse_wrk(wrk_output(non_2xx=2)) == Run(
        rps=100.0, p50_ms=25.0, p99_ms=61.5, requests=300, non_2xx=2, socket_errors=0
    )


def test_parse_wrk_refuses_output_without_a_summary():
    with pytest.raises(ValueError, match="bench-summary"):
        parse_wrk("unable to connect to 127.0.0.1:8000 Connection refused\n")


def test_a_round_compares_the_page_with_the_bare_runs_on_either_side():
    assert round_ratio(run(60), run(1000), run(1400)) == pytest.approx(0.05)


def test_summaries_are_medians_of_the_rounds_and_keep_every_round():
    runs = [run(50, 30, 90), run(70, 20, 60), run(60, 25, 200)]
    summary = summarise(runs, [0.03, 0.05, 0.04])

    assert summary["rps"] == 60
    assert summary["p50_ms"] == 25
    assert summary["p99_ms"] == 90
    assert summary["ratio"] == pytest.approx(0.04)
    assert [r["ratio"] for r in summary["rounds"]] == [0.03, 0.05, 0.04]
    assert summary["rounds"][0]["rps"] == 50
    assert "ratio" not in summarise(runs)


def result(ratio: float, queries: int, *pages: str) -> dict:
    return {
        "started_at": "2026-11-29T17:00:00+00:00",
        "git": {"commit": "0123456789abcdef", "dirty": False},
        "database": {"vendor": "sqlite", "version": "3.40.1"},
        "bare": summarise([run(2000)]),
        "pages": [
            {"name": name, "url": "/", "queries": queries, **summarise([run(100)], [ratio])}
            for name in pages
        ],
        "skipped": [{"name": "today", "url": "/today/", "reason": "answers 404"}],
    }


def test_the_table_has_the_bare_view_every_page_and_the_skipped_ones():
    lines = table(result(0.045, 6, "library"))

    assert lines[2].split() == ["bare", "view", "0", "2000", "10.0", "20.0", "100.0%"]
    assert lines[3].split() == ["library", "6", "100", "10.0", "20.0", "4.5%"]
    assert lines[4] == "skipped: today (/today/): answers 404"


def test_compare_pairs_pages_by_name():
    lines = compare(result(0.03, 6, "library", "home"), result(0.6, 4, "library", "muscle"))

    assert lines[5].split() == [
        "library",
        "3.0%",
        "->",
        "60.0%",
        "100",
        "->",
        "100",
        "6",
        "->",
        "4",
    ]
    assert "only in A" in lines[6] and lines[6].startswith("home")
    assert "only in B" in lines[7] and lines[7].startswith("muscle")


def test_page_names_are_unique():
    # They pick pages on the command line and pair them in a comparison.
    assert len({page.name for page in PAGES}) == len(PAGES)


@pytest.mark.slow
def test_the_bare_view_says_hello_behind_the_default_middleware():
    code = (
        "from wsgiref.util import setup_testing_defaults\n"
        "from bench.bare import application\n"
        "environ = {'HTTP_HOST': '127.0.0.1'}\n"
        "setup_testing_defaults(environ)\n"
        "statuses = []\n"
        "body = b''.join(application(environ, lambda status, headers: statuses.append(status)))\n"
        "print(statuses[0], body.decode())\n"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "SECRET_KEY": "bench-test",
        "DJANGO_SETTINGS_MODULE": "bench.bare",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "200 OK hello"


@pytest.fixture
def answering_server():
    """A loopback server that answers 200 on /ok and 404 elsewhere."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200 if self.path == "/ok" else 404)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed (make bench-server)")
def test_wrk_and_the_summary_script_count_what_is_not_2xx(answering_server):
    assert server.load(answering_server + "/ok", {}, seconds=1, connections=2).requests > 0
    with pytest.raises(SystemExit, match="status other than 2xx"):
        server.load(answering_server + "/missing", {}, seconds=1, connections=2)
