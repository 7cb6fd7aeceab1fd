"""Pictures and the muscle map as a runner sees them: on a phone's first screen, nothing
moving while they load, the map's regions reachable by keyboard, axe clean light and dark."""

import re

from playwright.sync_api import Page, expect

from exercises.models import Muscle
from tests.browser.test_phone import LAYOUT_SHIFT_SCRIPT, PHONE, slow_scripts

DESKTOP = {"width": 1280, "height": 900}


def test_an_exercise_shows_a_picture_on_a_phones_first_screen_without_shifting(
    live_server, seeded_library, page: Page, assert_accessible
):
    page.set_viewport_size(PHONE)
    page.add_init_script(LAYOUT_SHIFT_SCRIPT)
    page.route(re.compile(r"\.js(\?|$)"), slow_scripts)
    page.goto(live_server.url + "/exercises/calf-raise/", wait_until="load")
    page.wait_for_timeout(300)

    first = page.locator(".pictures img").first
    expect(first).to_be_in_viewport()
    box = first.bounding_box()
    assert box["y"] + box["height"] <= PHONE["height"], box
    # Drawn (not a broken image), and big enough to read on a phone.
    assert first.evaluate("(img) => img.complete && img.naturalWidth > 0")
    assert box["height"] >= 72 and box["width"] >= 96, box
    assert page.evaluate("window.__layoutShift") == 0, page.evaluate("window.__shifted")
    page.screenshot(path="/tmp/pictures-exercise-phone.png", full_page=True)
    assert_accessible(page)


def test_the_muscle_map_links_each_region_and_is_reachable_by_keyboard(
    live_server, seeded_library, page: Page, assert_accessible
):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/exercises/soleus-raise/")

    primary = page.locator(".muscle-map a:has(.region-primary)")
    expect(primary).to_have_count(1)
    expect(primary).to_have_attribute("aria-label", "Soleus: mainly worked")
    # Tab until a region of the map has the focus: a keyboard reaches every link on it.
    for _ in range(120):
        page.keyboard.press("Tab")
        if page.evaluate("!!document.activeElement.closest('.muscle-map')"):
            break
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    names = set(Muscle.objects.values_list("name", flat=True))
    assert focused.split(":")[0] in names, focused
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/muscles/[a-z-]+/$"))
    expect(page.locator(".muscle-map .region-own")).to_have_count(1)
    assert_accessible(page)


def test_a_caption_arriving_late_moves_no_picture_of_the_muscle_map(
    live_server, seeded_library, page: Page
):
    # On a slow phone the page can be drawn before the map's last caption is read; the
    # layout-shift test above caught the sole's picture jumping 55 px up when it came.
    # Taking the captions away and putting them back stands in for that, every time.
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/muscles/soleus/")
    boxes = (
        "[...document.querySelectorAll('.muscle-map-svg')]"
        ".map((svg) => svg.getBoundingClientRect().toJSON())"
    )
    drawn = page.evaluate(boxes)
    assert len(drawn) == 4, drawn
    captions = page.evaluate(
        "[...document.querySelectorAll('.muscle-map-view figcaption')]"
        ".map((c) => c.remove() || c.textContent)"
    )
    assert len(captions) == 4, captions
    assert page.evaluate(boxes) == drawn
    # And with one caption of many lines, the pictures still stand on one line.
    page.evaluate(
        "(text) => { const c = document.createElement('figcaption'); c.textContent = text;"
        " document.querySelector('.muscle-map-view:last-child').append(c); }",
        "A caption long enough to wrap over many lines in a narrow column",
    )
    assert page.evaluate(boxes) == drawn
    assert len({round(box["bottom"]) for box in drawn}) == 1, drawn


def test_the_library_cards_show_small_pictures(
    live_server, seeded_library, page: Page, assert_accessible
):
    for size, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page.set_viewport_size(size)
        page.add_init_script(LAYOUT_SHIFT_SCRIPT)
        page.goto(live_server.url + "/exercises/")
        thumb = page.locator(".exercise-card-picture").first
        expect(thumb).to_be_visible()
        width = thumb.bounding_box()["width"]
        assert 60 <= width <= 100, width
        # The card's title does not run under the picture.
        title = page.locator(".exercise-card-title").first.bounding_box()
        assert title["x"] + title["width"] <= thumb.bounding_box()["x"] + 1, (title, width)
        page.screenshot(path=f"/tmp/pictures-library-{name}.png")
        page.goto(live_server.url + "/exercises/calf-drop-step/")
        page.screenshot(path=f"/tmp/pictures-exercise-{name}.png", full_page=True)
    assert_accessible(page)


def test_the_map_links_only_where_the_page_also_links_in_text(
    live_server, seeded_library, page: Page
):
    # The tap-target walk (test_phone) lets a map shape off for being small only when a
    # text link to the same muscle is on the page: check that holds on every exercise page.
    page.set_viewport_size(PHONE)
    for exercise in seeded_library["exercises"]:
        page.goto(f"{live_server.url}/exercises/{exercise['slug']}/")
        orphans = page.evaluate(
            """() => [...document.querySelectorAll('.muscle-map a')].filter((shape) =>
                 ![...document.querySelectorAll('.exercise-side .link-list a')].some(
                   (text) => text.getAttribute('href') === shape.getAttribute('href')
                     && text.getBoundingClientRect().height >= 44))
               .map((shape) => shape.getAttribute('href'))"""
        )
        assert orphans == [], (exercise["slug"], orphans)
