"""A runner's kept pages (footcare/page_cache.py) are never stale in another process: the
board and today, kept by both gunicorn workers, show a change made by the runner through
the site, by another process through the models and by staff in the admin on every worker
at once, and the session cookie replayed after logging out gets no kept page anywhere.

The site is the library test's (test_library_cache_processes.py): an SQLite file or a
PostgreSQL database of its own, the cache table or the tests' Redis; served through
watched_wsgi.py, which says which worker answered and whether with a kept page."""

import http.client
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode

import pytest

from tests.accounts.conftest import PASSWORD, normalised

from .test_library_cache_processes import serve_site

WORKERS = 2
# Each worker answers each page from its kept pages within this many rounds.
ROUNDS = 40

RUNNER = """
import django
django.setup()
from exercises.models import Exercise
from routines.plans.models import WeeklyPlan
from tests.accounts.conftest import make_runner
from tests.routines.conftest import add_item

runner = make_runner("ada@example.com")
plan = WeeklyPlan.objects.create(owner=runner, name="Strong feet", is_active=True)
# Both on every day, so that today shows them whatever day the test runs on.
for weekday in range(7):
    add_item(plan, Exercise.objects.get(slug="calf-raise"), weekday)
    add_item(plan, Exercise.objects.get(slug="toe-yoga"), weekday)
print(plan.pk, plan.items.get(weekday=0, position=1).pk)
"""
# A write of the runner's plan through the models, from a process of its own.
MODELS = """
import django
django.setup()
from exercises.models import Exercise
from routines.plans.models import WeeklyPlan
from tests.routines.conftest import add_item

plan = WeeklyPlan.objects.get(owner__email="ada@example.com")
for weekday in range(7):
    add_item(plan, Exercise.objects.get(slug="towel-scrunch"), weekday)
"""
# Staff renaming the runner's plan in the admin, the change form posted back as rendered.
ADMIN = """
import django
django.setup()
from django.test import Client
from django.test.utils import setup_test_environment
from footcare.accounts.models import User
from routines.plans.models import WeeklyPlan
from tests.exercises.test_admin import change_form_data

setup_test_environment()
client = Client()
client.force_login(User.objects.get(email="editor@example.com"))
plan = WeeklyPlan.objects.get(owner__email="ada@example.com")
url = f"/admin/plans/weeklyplan/{plan.pk}/change/"
data = change_form_data(client.get(url))
data["name"] = "Renamed by staff"
response = client.post(url, data)
assert response.status_code == 302, response.status_code
"""


@dataclass
class Answer:
    path: str
    status: int
    headers: http.client.HTTPMessage
    text: str

    @property
    def worker(self) -> str:
        return self.headers["X-Worker"]

    @property
    def kept(self) -> bool:
        return self.headers.get("X-Kept") == "1"

    def csrf_token(self) -> str:
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text).group(1)


class Browser:
    """Requests to the site with the cookies it set, as a browser keeps them."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, data: dict[str, str]) -> Answer:
        return self.request("POST", path, data)

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> Answer:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            answer = Answer(path, response.status, response.headers, response.read().decode())
        finally:
            connection.close()
        for header in answer.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return answer


def drawn_alike(answer: Answer) -> str:
    """The page without what differs between two drawings: CSRF, CSP and form tokens."""
    return re.sub(r'name="token" value="[^"]+"', "", normalised(answer.text))


def until_every_worker_keeps(browser: Browser, paths: list[str]) -> Iterator[Answer]:
    """GET the paths in turn until each worker has answered each from its kept pages."""
    workers: set[str] = set()
    kept: set[tuple[str, str]] = set()
    for _ in range(ROUNDS):
        # In an order of its own each round: workers taking turns must not each get one page.
        for path in random.sample(paths, len(paths)):
            answer = browser.get(path)
            assert answer.status == 200, (path, answer.status)
            workers.add(answer.worker)
            if answer.kept:
                kept.add((answer.worker, path))
            yield answer
        if len(workers) == WORKERS and len(kept) == WORKERS * len(paths):
            return
    pytest.fail(f"not every worker kept {paths} in {ROUNDS} rounds: {kept} of {workers}")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[int, dict[str, str]]]:
    yield from serve_site(tmp_path_factory, "tests.footcare.watched_wsgi")


def test_a_runners_kept_pages_are_never_stale_in_another_process(site, run_django):
    port, settings = site
    plan_pk, item_pk = map(int, run_django(RUNNER, settings).stdout.split())
    board = f"/plans/{plan_pk}/"
    pages = [board, "/today/"]

    # A real login through the site, with the form's CSRF token.
    runner = Browser(port)
    login = runner.get("/accounts/login/")
    signed_in = runner.post(
        "/accounts/login/",
        {
            "login": "ada@example.com",
            "password": PASSWORD,
            "csrfmiddlewaretoken": login.csrf_token(),
        },
    )
    assert signed_in.status == 302, signed_in.text
    assert "sessionid" in runner.cookies and "csrftoken" in runner.cookies
    # Where the login sends them, which shows (and so clears) its message.
    assert "You are logged in" in runner.get(signed_in.headers["Location"]).text

    # Both workers keep both pages, and serve them as drawn.
    answers = list(until_every_worker_keeps(runner, pages))
    for path in pages:
        first, *others = [drawn_alike(a) for a in answers if a.path == path]
        assert all(other == first for other in others), path
    assert "Strong feet" in answers[-1].text

    def everywhere(check) -> None:
        # Until each worker has drawn the page afresh and kept it again: every answer, the
        # first (a kept page, were it stale) included, must pass. Each change below comes
        # after one of these, so that both workers have both pages kept when it lands.
        for answer in until_every_worker_keeps(runner, pages):
            check(answer)

    # (a) The runner's own posts through the site: a rename, and a move no signal sees.
    edit = runner.get(f"/plans/{plan_pk}/edit/")
    token = re.search(r'name="token" value="([^"]+)"', edit.text).group(1)
    renamed = runner.post(
        f"/plans/{plan_pk}/edit/",
        {
            "name": "Renamed by Ada",
            "notes": "",
            "token": token,
            "csrfmiddlewaretoken": edit.csrf_token(),
        },
    )
    assert renamed.status == 302

    everywhere(lambda answer: assert_shows(answer, "Renamed by Ada", "Strong feet"))

    moved = runner.post(
        f"{board}items/{item_pk}/move/",
        {"direction": "up", "csrfmiddlewaretoken": runner.get(board).csrf_token()},
    )
    assert moved.status == 302

    def toe_yoga_first_on_monday(answer: Answer) -> None:
        if answer.path == board:
            monday = answer.text.split('id="day-0"', 1)[1].split('class="plan-items"', 1)[1]
            monday = monday.split("</ol>", 1)[0]
            assert monday.index("Toe yoga") < monday.index("Single-leg calf raise"), answer.worker

    everywhere(toe_yoga_first_on_monday)

    # (b) A write through the models in a process of its own (no request: the signals).
    run_django(MODELS, settings)
    everywhere(lambda answer: assert_shows(answer, "Towel scrunch"))

    # (c) Staff renaming the plan in the admin, from a process of its own.
    run_django(ADMIN, settings)
    everywhere(lambda answer: assert_shows(answer, "Renamed by staff", "Renamed by Ada"))

    # Logged out through the site: the old session cookie gets the login page everywhere.
    old = dict(runner.cookies)
    out = runner.post("/accounts/logout/", {"csrfmiddlewaretoken": runner.get(board).csrf_token()})
    assert out.status == 302
    replay = Browser(port)
    replay.cookies = old
    answered: set[tuple[str, str]] = set()
    for _ in range(ROUNDS):
        for path in random.sample(pages, len(pages)):
            answer = replay.get(path)
            assert answer.status == 302 and not answer.kept, (path, answer.worker)
            assert answer.headers["Location"].startswith("/accounts/login/")
            answered.add((answer.worker, path))
        if len(answered) == WORKERS * len(pages):
            break
    assert len(answered) == WORKERS * len(pages), answered


def assert_shows(answer: Answer, shown: str, gone: str | None = None) -> None:
    assert shown in answer.text, (answer.path, answer.worker, answer.kept)
    if gone is not None:
        assert gone not in answer.text, (answer.path, answer.worker, answer.kept)
