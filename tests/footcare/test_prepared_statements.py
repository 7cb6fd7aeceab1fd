"""On PostgreSQL a page's queries are prepared once per connection (footcare/settings.py,
`prepare_threshold`): the second view of /today/ plans none of them again."""

import re

import pytest
from django.db import connection

from tests.routines.conftest import MONDAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="PostgreSQL's prepared statements"
    ),
]


def prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def test_todays_queries_are_prepared_by_the_second_view_and_answer_the_same(
    runner_client, runner_with_plan, monkeypatch
):
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY)  # the plan's Monday
    first = runner_client.get("/today/")
    before = prepared()
    second = runner_client.get("/today/")
    third = runner_client.get("/today/")
    after = prepared()

    # Prepared on their second run: the page's plan items among them.
    new = after - before
    assert any("routines_planitem" in statement for statement in new), new
    assert first.status_code == second.status_code == third.status_code == 200
    # The same page, but for its one-off nonce and form tokens.
    assert one_off(first.text) == one_off(third.text)
    assert "Calf raise" in third.text


def one_off(page: str) -> str:
    return re.sub(r'(nonce|value|csrfToken|X-CSRFToken)(=|": )"[A-Za-z0-9_-]{20,}"', "", page)
