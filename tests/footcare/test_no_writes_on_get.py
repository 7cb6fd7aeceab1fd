"""A GET never writes: crawl every page a visitor, a runner and staff can reach and count
the INSERT, UPDATE and DELETE statements each one runs. A visitor's crawl also opens no
session: no session row, no session cookie.

Filling the cache is not a write of the app's data: with Redis it is no SQL at all, and
the database cache's table is left out of the count."""

import re
from collections import Counter, deque
from urllib.parse import urldefrag, urlsplit

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from footcare.accounts.models import RunnerSession, User

pytestmark = pytest.mark.django_db

WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)
HREF = re.compile(r'href="([^"]+)"')
START = [
    "/",
    "/exercises/",
    # A bad filter value: the page says so inline, not with a message kept in a session.
    "/exercises/?muscle=biceps&level=9",
    "/muscles/",
    "/conditions/",
    "/accounts/profile/",
    "/admin/",
]
# Addresses a crawl must not follow: logging out is a POST, and the admin's "view site"
# and static files are not pages of ours.
SKIP = re.compile(r"^/(static/|accounts/logout/|admin/r/|admin/logout/)")
# Query strings and ids make endless variants of one page (filters, admin sorting, one
# change form per row): a few of each kind are enough, and keep the crawl quick.
VARIANTS_PER_PAGE = 2


def page_kind(path: str) -> str:
    return re.sub(r"/\d+/", "/<id>/", path)


def is_write(sql: str) -> bool:
    cache = settings.CACHES["default"]
    if cache["BACKEND"].endswith("DatabaseCache") and f'"{cache["LOCATION"]}"' in sql:
        return False
    return bool(WRITE.match(sql))


def crawl(client: Client, sessions: list | None = None) -> tuple[list[str], dict[str, list[str]]]:
    """Every page reachable by links from START: the pages seen and the writes of each.

    Given `sessions`, every response that sets a session cookie is added to it.
    """
    queue, seen, variants = deque(START), set(START), Counter()
    visited, writes = [], {}
    while queue:
        url = queue.popleft()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        visited.append(url)
        if found := [q["sql"] for q in queries if is_write(q["sql"])]:
            writes[url] = found
        if sessions is not None and settings.SESSION_COOKIE_NAME in response.cookies:
            sessions.append(url)
        if "text/html" not in response.get("Content-Type", ""):
            continue
        for href in HREF.findall(response.content.decode()):
            href = urldefrag(href.replace("&amp;", "&")).url
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not href.startswith("/") or SKIP.match(href):
                continue
            kind = page_kind(parts.path)
            if href in seen or variants[kind] >= VARIANTS_PER_PAGE:
                continue
            seen.add(href)
            variants[kind] += 1
            queue.append(href)
    return visited, writes


def test_no_page_writes_for_a_visitor(client: Client, seeded_library):
    visited, writes = crawl(client)

    assert len(visited) > 40, visited
    assert "/exercises/calf-raise/" in visited and "/accounts/login/" in visited
    assert writes == {}


def test_a_visitor_gets_no_session(client: Client, seeded_library):
    with_session: list[str] = []
    visited, _ = crawl(client, sessions=with_session)

    assert "/exercises/?muscle=biceps&level=9" in visited
    assert with_session == []
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert not RunnerSession.objects.exists()


def test_no_page_writes_for_a_signed_in_runner(client: Client, seeded_library):
    runner = User.objects.create_user("ada@example.com", "a-long-password-7")
    EmailAddress.objects.create(user=runner, email=runner.email, verified=True, primary=True)
    client.force_login(runner)

    visited, writes = crawl(client)

    assert "/accounts/profile/" in visited and "/accounts/email/" in visited
    assert writes == {}


def test_no_page_writes_for_staff_in_the_admin_either(client: Client, seeded_library):
    client.force_login(User.objects.create_superuser("boss@example.com", "a-long-password-7"))

    visited, writes = crawl(client)

    assert "/admin/exercises/exercise/" in visited
    assert any(
        url.startswith("/admin/exercises/exercise/") and "/change/" in url for url in visited
    )
    assert writes == {}
