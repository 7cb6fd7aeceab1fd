"""The library in a real browser: filtering in place, shareable URLs, no JavaScript, phones."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Page, expect

from exercises.content.bulk import library_bulk_add
from exercises.models import Exercise

pytestmark = pytest.mark.django_db(transaction=True)


def settled(page: Page) -> None:
    """Wait until htmx has swapped and settled and the results' fade-in has finished."""
    page.wait_for_function(
        """() => !document.querySelector(
                '.htmx-request, .htmx-swapping, .htmx-settling, .htmx-added')
            && document.getAnimations().every((a) => a.playState !== "running")"""
    )


def result_names(page: Page) -> list[str]:
    return page.locator("#results .exercise-card-title a").all_inner_texts()


def test_filter_in_place_share_the_url_and_climb_a_ladder(
    live_server, seeded_library, page: Page, assert_accessible
):
    plantar = Exercise.objects.published().filter(
        condition_links__condition__slug="plantar-fasciitis"
    )
    expected = sorted(plantar.values_list("name", flat=True))
    page.goto(live_server.url + "/exercises/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Exercise library")
    expect(page.locator("#results-heading")).to_have_text("25 exercises")
    assert_accessible(page)

    # A marker on window survives only if the page is not loaded again.
    page.evaluate("window.__marker = 1")
    page.get_by_label("Helps with").select_option(label="Plantar fasciitis")

    expect(page).to_have_url(re.compile(r"condition=plantar-fasciitis"))
    expect(page.locator("#results-heading")).to_contain_text(f"{len(expected)} exercises")
    assert result_names(page) == expected
    assert page.evaluate("window.__marker") == 1, "the results changed without a page load"
    assert parse_qs(urlparse(page.url).query) == {"condition": ["plantar-fasciitis"]}
    expect(page.locator("#results-status")).to_contain_text(f"{len(expected)} exercises")
    settled(page)
    assert_accessible(page)

    # The pushed URL is shareable: opening it gives the same page.
    page.reload()
    assert page.evaluate("window.__marker") is None, "this time it was a real load"
    expect(page.get_by_label("Helps with")).to_have_value("plantar-fasciitis")
    assert result_names(page) == expected

    page.get_by_role("link", name="Toe spread", exact=True).click()
    expect(page).to_have_url(live_server.url + "/exercises/toe-spread/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toe spread")
    expect(page.get_by_role("complementary", name="Health disclaimer")).to_contain_text(
        "not medical advice"
    )
    assert_accessible(page)

    page.locator(".ladder").get_by_role("link", name="Toe spread with a resistance band").click()
    expect(page).to_have_url(live_server.url + "/exercises/toe-spread-band/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Toe spread with a resistance band")
    assert_accessible(page)

    page.get_by_role("link", name="Abductor hallucis", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Abductor hallucis")
    assert_accessible(page)

    # Back may come from the back/forward cache, which fires no load event.
    page.go_back(wait_until="commit")
    expect(page).to_have_url(live_server.url + "/exercises/toe-spread-band/")
    page.get_by_role("link", name="Plantar fasciitis").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plantar fasciitis")
    assert_accessible(page)


def test_search_as_you_type_with_the_keyboard_and_reset_from_the_empty_state(
    live_server, seeded_library, page: Page, assert_accessible
):
    page.goto(live_server.url + "/exercises/")
    page.evaluate("window.__marker = 1")

    # From the top of the page: the skip link, the brand, the nav links, then the search box.
    search = page.get_by_label("Search")
    for _ in range(8):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "id_q":
            break
    expect(search).to_be_focused()
    page.keyboard.type("handstand")
    expect(page).to_have_url(re.compile(r"\?q=handstand$"))
    expect(page.get_by_role("heading", name="No exercises match")).to_be_visible()
    expect(search).to_be_focused()
    assert page.evaluate("window.__marker") == 1
    settled(page)
    assert_accessible(page)

    page.get_by_role("link", name="Show all exercises").click()
    expect(page).to_have_url(live_server.url + "/exercises/")
    expect(page.locator("#results-heading")).to_have_text("25 exercises")


def test_back_and_forward_show_the_results_of_each_address(live_server, seeded_library, page: Page):
    page.goto(live_server.url + "/exercises/")
    page.get_by_label("Position").select_option(label="Walking")
    expect(page.locator("#results-heading")).to_contain_text("2 exercises")
    page.get_by_label("Level").select_option("1")
    expect(page.locator("#results-heading")).to_contain_text("0 exercises")

    page.go_back()

    expect(page).to_have_url(re.compile(r"\?position=walking$"))
    expect(page.locator("#results-heading")).to_contain_text("2 exercises")
    expect(page.get_by_label("Level")).to_have_value("")


@pytest.mark.browser_context_args(java_script_enabled=False)
def test_without_javascript_the_form_is_a_plain_get(live_server, seeded_library, page: Page):
    page.goto(live_server.url + "/exercises/")
    page.get_by_label("Helps with").select_option(label="Plantar fasciitis")
    page.get_by_label("Equipment").select_option(label="None needed")
    page.get_by_role("button", name="Show exercises").click()

    query = parse_qs(urlparse(page.url).query)
    assert query["condition"] == ["plantar-fasciitis"]
    assert query["equipment"] == ["none"]
    expected = Exercise.objects.filter(
        condition_links__condition__slug="plantar-fasciitis", equipment__isnull=True
    )
    expect(page.locator("#results-heading")).to_contain_text(f"{expected.count()} exercises")
    assert sorted(result_names(page)) == sorted(expected.values_list("name", flat=True))
    page.get_by_role("link", name="Arch lift (short foot)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Arch lift (short foot)")


def test_the_library_fits_a_phone(live_server, seeded_library, page: Page, assert_accessible):
    page.set_viewport_size({"width": 375, "height": 740})

    for path in (
        "/exercises/",
        "/exercises/?condition=lateral-foot-stress-fracture&muscle=bogus",
        "/exercises/calf-drop-step-single-leg/",
        "/muscles/fibularis/",
        "/conditions/lateral-foot-stress-fracture/",
    ):
        page.goto(live_server.url + path)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways on a phone ({width}px wide)"
        if "bogus" in path:
            # A filter that was not understood keeps the filters open, showing why.
            expect(page.get_by_label("Muscle")).to_be_visible()
        assert_accessible(page)

    # The filters fold away on arrival so that the results start on the first screen.
    page.goto(live_server.url + "/exercises/")
    expect(page.locator("#results-heading")).to_be_in_viewport()
    expect(page.get_by_label("Helps with")).to_be_hidden()
    page.get_by_text("More filters").click()
    page.get_by_label("Helps with").select_option(label="Shin splints")
    expect(page).to_have_url(re.compile(r"condition=shin-splints"))
    shin = Exercise.objects.filter(condition_links__condition__slug="shin-splints").count()
    expect(page.locator("#results-heading")).to_contain_text(f"{shin} exercises")


def test_pages_of_results_change_in_place_and_keep_the_keyboard_in_the_results(
    live_server, seeded_library, page: Page, assert_accessible
):
    library_bulk_add(count=100)  # 20 more at level 2: two pages of results
    page.goto(live_server.url + "/exercises/?level=2")
    page.evaluate("window.__marker = 1")
    total = Exercise.objects.filter(level=2).count()
    expect(page.locator("#results-heading")).to_contain_text(f"{total} exercises")
    first_page = result_names(page)

    page.get_by_role("link", name="Next page").click()

    expect(page).to_have_url(re.compile(r"\?level=2&page=2$"))
    expect(page.locator(".results-page")).to_have_text("Page 2 of 2")
    expect(page.locator("#results-heading")).to_be_focused()
    settled(page)
    assert page.evaluate("window.__marker") == 1
    assert not set(result_names(page)) & set(first_page)
    assert len(first_page) + len(result_names(page)) == total
    assert_accessible(page)


def test_browse_by_muscle_and_by_condition(
    live_server, seeded_library, page: Page, assert_accessible
):
    page.goto(live_server.url + "/exercises/")
    page.get_by_role("link", name="by muscle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Muscles")
    expect(page.get_by_role("heading", level=2).first).to_have_text("Calf")
    assert_accessible(page)

    page.get_by_role("link", name="Soleus").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Soleus")
    page.get_by_role("navigation", name="Breadcrumb").get_by_role(
        "link", name="Exercise library"
    ).click()
    page.get_by_role("link", name="by condition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Conditions")
    page.set_viewport_size({"width": 375, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert_accessible(page)
