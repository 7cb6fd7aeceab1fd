"""/today/'s cards are drawn in Python (`routines.training.cards`): every value is escaped as
the template's autoescape did, and the page and the card htmx swaps in are the same card."""

import re

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory

from routines.training import views

from .conftest import monday_items

pytestmark = pytest.mark.django_db

NAME = 'Calf <raise> & "step"'


def test_a_card_escapes_what_it_shows(runner, runner_with_plan, on_monday):
    request = RequestFactory().get("/today/")
    request.user = runner
    context = views._today_context(request)
    row = context["rows"][0]
    row.exercise.name = NAME
    row.errors = ["A <b>bad</b> value"]
    card = render_to_string("training/today.html#item", {"row": row}, request=request)
    assert NAME not in card and "<b>bad</b>" not in card
    assert "Calf &lt;raise&gt; &amp; &quot;step&quot;" in card
    assert "A &lt;b&gt;bad&lt;/b&gt; value" in card
    # Every form carries the page's CSRF token.
    assert card.count('name="csrfmiddlewaretoken"') == card.count("<form")


def test_the_page_draws_the_card_htmx_swaps_in(runner, runner_client, runner_with_plan, on_monday):
    calf, _ = monday_items(runner_with_plan)
    page = runner_client.get("/today/").content.decode()
    card = runner_client.post(
        f"/today/items/{calf.pk}/sets/1/",
        {"action": "undo"},
        headers={"HX-Request": "true", "HX-Target": f"item-{calf.pk}"},
    ).content.decode()

    def tokenless(html: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)

    drawn = card.split('<span id="today-progress"')[0].strip()
    assert drawn.startswith(f'<article class="today-item" id="item-{calf.pk}"')
    assert tokenless(drawn) in tokenless(page)
