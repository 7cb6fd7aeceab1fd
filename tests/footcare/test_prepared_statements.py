"""On PostgreSQL a page's queries are prepared once per connection (footcare/settings.py,
`prepare_threshold`): by its second view /today/ runs only prepared statements, planned once."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.routines.conftest import MONDAY

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql"
        or connection.settings_dict["OPTIONS"].get("prepare_threshold") is None,
        reason="PostgreSQL's prepared statements, unless DATABASE_PREPARE_THRESHOLD=none",
    ),
]


def prepared() -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return {row[0] for row in cursor.fetchall()}


def one_off(page: str) -> str:
    """The page without its one-off nonce and form tokens."""
    return re.sub(r'(nonce|value|csrfToken|X-CSRFToken)(=|": )"[A-Za-z0-9_-]{20,}"', "", page)


def test_todays_queries_are_all_prepared_by_the_second_view_and_answer_the_same(
    runner_client, runner_with_plan, monkeypatch
):
    monkeypatch.setattr("footcare.clock.today", lambda: MONDAY)  # the plan's Monday
    first = runner_client.get("/today/")
    before = prepared()
    second = runner_client.get("/today/")
    after_second = prepared()
    with CaptureQueriesContext(connection) as queries:
        third = runner_client.get("/today/")

    # The second view prepared each of the page's statements (the plan's items among them);
    # the third prepared none: it planned nothing again.
    statements = {query["sql"] for query in queries.captured_queries}
    new = after_second - before
    assert len(new) >= len(statements) > 10, (len(new), len(statements))
    assert any("routines_planitem" in statement for statement in new)
    assert prepared() == after_second
    assert first.status_code == second.status_code == third.status_code == 200
    assert one_off(first.text) == one_off(third.text)
    assert "Calf raise" in third.text
