"""Every page on a phone: tap targets a thumb can hit, nothing wider than the screen, a
header that fits, and nothing moving while it loads.

The pages are found by following links from the home page (signed out and signed in), so
a page added later is checked without being listed here.
"""

import datetime
import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator
from urllib.parse import urljoin, urlparse

import pytest
from django.test import Client
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect

from footcare.accounts.models import RunnerProfile, User
from routines.training.demo import DEMO_EMAIL, DEMO_PASSWORD
from tests.browser.conftest import demo_runner_on, log_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
# A Wednesday in the demo runner's weeks: the week under way has sessions and a check-in.
DEMO_DAY = datetime.date(2026, 11, 25)
MIN_TARGET = 44  # CSS pixels, WCAG 2.5.5
# Never follow these: they change state, download a file, or are not ours to style.
SKIP = re.compile(r"^/(admin|static|media)/|^/accounts/(logout|export)/|\.ics$|/print/")
# The sideways walk reads printed plans too: a runner opens them on a phone before printing.
SKIP_SIDEWAYS = re.compile(r"^/(admin|static|media)/|^/accounts/(logout|export)/|\.ics$")
# Pages of one shape (/log/<id>/) share a template: a few of them, from the newest (with the
# most in them), stand for the rest and keep the walk to a minute.
PER_SHAPE = 4
# Pages no link leads to but a runner still meets.
EXTRA_PATHS = [
    "/exercises/?q=heel+pain",
    "/exercises/?q=handstand",
    "/exercises/?q=plantar+fasciitis&level=5",
    "/exercises/?muscle=bogus",
    "/no-such-page/",
]

TARGETS_SCRIPT = """(minimum) => {
  const selector = 'a[href], button, input:not([type=hidden]), select, textarea, summary';
  const small = [];
  for (const element of document.querySelectorAll(selector)) {
    const style = getComputedStyle(element);
    let box = element.getBoundingClientRect();
    // Not on screen: display none, hidden, or the skip link waiting for focus.
    if (style.visibility === 'hidden' || (box.width === 0 && box.height === 0)) continue;
    // A shape on the muscle map is a second way to a muscle the page also links in text,
    // where that link is the one measured (WCAG 2.5.8's equivalent-control exception).
    const href = element.getAttribute('href');
    if (element.closest('.muscle-map') && [...document.querySelectorAll('a[href]')].some(
      (other) => other.getAttribute('href') === href && !other.closest('.muscle-map'))) continue;
    if (box.bottom < 0 || box.right < 0 || element.closest('.visually-hidden')) continue;
    // A link stretched over its card by ::after is as big as the card.
    const after = getComputedStyle(element, '::after');
    if (after.content !== 'none' && after.position === 'absolute') {
      let holder = element.parentElement;
      while (holder && getComputedStyle(holder).position === 'static') {
        holder = holder.parentElement;
      }
      if (holder) box = holder.getBoundingClientRect();
    }
    // A tick box or radio is tapped through its label too.
    if (element.labels && element.labels.length && /checkbox|radio/.test(element.type)) {
      const label = element.labels[0].getBoundingClientRect();
      const left = Math.min(box.left, label.left), top = Math.min(box.top, label.top);
      box = {width: Math.max(box.right, label.right) - left,
             height: Math.max(box.bottom, label.bottom) - top};
    }
    // A link inside a sentence is exempt (WCAG's inline exception): it cannot be 44px
    // tall without breaking the text apart.
    const parentText = element.parentElement.textContent.replace(/\\s+/g, ' ').trim();
    const ownText = element.textContent.replace(/\\s+/g, ' ').trim();
    if (element.tagName === 'A' && style.display === 'inline' && parentText !== ownText) continue;
    if (box.width < minimum - 0.5 || box.height < minimum - 0.5) {
      const name = element.getAttribute('aria-label') || ownText || element.name || '';
      small.push(`${element.tagName.toLowerCase()} "${name.slice(0, 40)}"`
                 + ` ${Math.round(box.width)}x${Math.round(box.height)}`);
    }
  }
  return small;
}"""

# Whatever a runner would have to scroll sideways to read: the page itself wider than the
# screen, a scrolling box (a table's wrapper) wider inside than out, or anything drawn past
# the screen's edges. Hidden things are not, nor a data table in a scrolling region of its
# own, named and reachable by keyboard (WCAG 1.4.10's exception for two-way data tables).
SIDEWAYS_SCRIPT = """() => {
  const width = document.documentElement.clientWidth;
  const found = [];
  const describe = (element) => element.localName + (element.id ? '#' + element.id : '')
    + (typeof element.className === 'string' && element.className
       ? '.' + element.className.trim().split(/\\s+/).join('.') : '');
  if (document.documentElement.scrollWidth > width) {
    found.push(`the page is ${document.documentElement.scrollWidth} px wide in ${width}`);
  }
  for (const element of document.body.querySelectorAll('*')) {
    if (element.closest('.visually-hidden, .skip-link, [hidden]')) continue;
    if (element.closest('[role=region][tabindex][aria-label]:has(> table)')) continue;
    const style = getComputedStyle(element);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    if (/auto|scroll/.test(style.overflowX) && element.scrollWidth > element.clientWidth + 1) {
      found.push(`${describe(element)} scrolls sideways: ${element.scrollWidth} px`
                 + ` in ${element.clientWidth}`);
      continue;
    }
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 0.5 || box.left < -0.5) {
      found.push(`${describe(element)} runs from ${Math.round(box.left)} to`
                 + ` ${Math.round(box.right)} px`);
    }
  }
  return found;
}"""

LAYOUT_SHIFT_SCRIPT = """
window.__layoutShift = 0;
window.__shifted = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    if (entry.hadRecentInput) continue;
    window.__layoutShift += entry.value;
    // What moved, for the failure's message: a shift of 0.002 says little on its own.
    for (const source of entry.sources || []) {
      const node = source.node;
      const name = node && node.nodeType === 1
        ? node.localName + (node.id ? "#" + node.id : "") +
          (node.getAttribute("class") ? "." + node.getAttribute("class") : "")
        : String(node && node.nodeName);
      const [was, now] = [source.previousRect, source.currentRect];
      const box = (rect) => `${rect.x},${rect.y} ${rect.width}x${rect.height}`;
      window.__shifted.push(
        `${name} at ${entry.startTime.toFixed(0)} ms: ${box(was)} -> ${box(now)}`);
    }
  }
}).observe({type: 'layout-shift', buffered: true});
"""


@pytest.fixture
def runner_context(live_server, browser: Browser) -> Iterator[BrowserContext]:
    """A phone-sized browser signed in as a runner with a long name (the session's cookie)."""
    runner = User.objects.create_user("phone@example.com", "tempo-tuesdays-and-hills-7")
    RunnerProfile.objects.update_or_create(
        user=runner, defaults={"display_name": "Alexandra Longname-Runner"}
    )
    client = Client()
    client.force_login(runner)
    context = browser.new_context(viewport=PHONE)
    context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
        ]
    )
    yield context
    context.close()


def site_paths(
    page: Page, base: str, skip: re.Pattern = SKIP, per_shape: int | None = None
) -> list[str]:
    """Every page reachable by links from the home page, one per path, plus EXTRA_PATHS;
    with `per_shape`, that many pages at most of one shape (/log/<id>/ for every id)."""
    seen: dict[str, str] = {}
    shapes: Counter[str] = Counter()
    queue = ["/"]
    while queue and len(seen) < 150:
        url = queue.pop(0)
        path = urlparse(url).path
        shape = re.sub(r"\d+", "<id>", path)
        if path in seen or (per_shape and shapes[shape] >= per_shape):
            continue
        shapes[shape] += 1
        seen[path] = url
        page.goto(base + url)
        for href in page.eval_on_selector_all(
            "a[href]:not([download])", "links => links.map((a) => a.getAttribute('href'))"
        ):
            target = urlparse(urljoin(base + url, href))
            if target.netloc != urlparse(base).netloc or skip.search(target.path):
                continue
            if target.path not in seen:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return [*seen.values(), *EXTRA_PATHS]


def small_targets(page: Page, base: str, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        page.goto(base + path)
        for target in page.evaluate(TARGETS_SCRIPT, MIN_TARGET):
            problems.append(f"{path}: {target}")
    return problems


def test_every_tap_target_is_at_least_44_pixels_on_a_phone(
    live_server, seeded_library, page: Page, runner_context: BrowserContext
):
    page.set_viewport_size(PHONE)
    visitor_paths = site_paths(page, live_server.url)
    assert {"/", "/exercises/", "/accounts/login/", "/exercises/toe-walk/"} <= {
        urlparse(p).path for p in visitor_paths
    }
    assert any(p.startswith("/conditions/") for p in visitor_paths)
    assert any(p.startswith("/muscles/") for p in visitor_paths)
    problems = small_targets(page, live_server.url, visitor_paths)

    runner_page = runner_context.new_page()
    runner_paths = site_paths(runner_page, live_server.url)
    assert "/accounts/profile/" in {urlparse(p).path for p in runner_paths}
    problems += small_targets(runner_page, live_server.url, runner_paths)

    assert not problems, "tap targets under 44x44 CSS px:\n" + "\n".join(problems)


def sideways(page: Page, base: str, paths: list[str]) -> list[str]:
    problems = []
    for path in paths:
        page.goto(base + path)
        problems += [f"{path}: {found}" for found in page.evaluate(SIDEWAYS_SCRIPT)[:5]]
    return problems


def test_no_page_is_wider_than_a_phone(live_server, page: Page, monkeypatch):
    """Every page a visitor and the demo runner reach, full of the demo's weeks of history."""
    demo_runner_on(DEMO_DAY, monkeypatch)
    page.set_viewport_size(PHONE)
    visitor_paths = site_paths(page, live_server.url, SKIP_SIDEWAYS, PER_SHAPE)
    problems = sideways(page, live_server.url, visitor_paths)

    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    runner_paths = site_paths(page, live_server.url, SKIP_SIDEWAYS, PER_SHAPE)
    # The walk reached the pages with the most in them.
    reached = {re.sub(r"\d+", "<id>", urlparse(p).path) for p in runner_paths}
    assert {
        "/today/",
        "/log/",
        "/log/<id>/",
        "/log/new/",
        "/log/<id>/entries/<id>/",
        "/plans/<id>/",
        "/plans/<id>/print/",
        "/progress/",
        "/accounts/profile/",
        "/accounts/password/change/",
    } <= reached, reached
    problems += sideways(page, live_server.url, runner_paths)

    assert not problems, "wider than a 360 px phone:\n" + "\n".join(problems)


def test_every_page_a_visitor_and_a_runner_reach_passes_axe_on_a_phone(
    live_server, page: Page, monkeypatch, assert_accessible
):
    """axe, in light and dark mode, on every page the walk reaches (one of each shape), as a
    visitor and as the demo runner with its weeks of history: not only the pages other
    tests stop on."""
    demo_runner_on(DEMO_DAY, monkeypatch)
    page.set_viewport_size(PHONE)
    failures = []

    def check(paths: list[str]) -> None:
        for path in paths:
            page.goto(live_server.url + path)
            try:
                assert_accessible(page)
            except AssertionError as error:
                failures.append(str(error))

    check(site_paths(page, live_server.url, SKIP_SIDEWAYS, 1))
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    runner_paths = site_paths(page, live_server.url, SKIP_SIDEWAYS, 1)
    assert len(runner_paths) > 20, runner_paths
    check(runner_paths)

    assert not failures, "\n\n".join(failures)


def test_the_signed_in_navigation_fits_one_line_at_360_pixels(
    live_server, seeded_library, runner_context: BrowserContext
):
    page = runner_context.new_page()
    for path in ("/", "/exercises/", "/accounts/profile/"):
        page.goto(live_server.url + path)
        boxes = page.eval_on_selector_all(
            ".site-nav > ul > li :is(a, button)",
            "items => items.map((item) => item.getBoundingClientRect().toJSON())",
        )
        assert len(boxes) >= 3, boxes
        # One line: every item overlaps every other vertically.
        assert max(b["top"] for b in boxes) < min(b["bottom"] for b in boxes), (
            f"{path}: the navigation wraps ({boxes})"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        expect(page.locator(".nav-account-name")).to_be_visible()


def test_a_long_address_is_cut_short_and_the_navigation_fits_320_pixels(
    live_server, seeded_library, browser: Browser
):
    """A new runner has no display name yet: the header shows the address, cut short."""
    email = "alexandra.verylongsurname-marathoner@example-running-club.org"
    runner = User.objects.create_user(email, "tempo-tuesdays-and-hills-7")
    client = Client()
    client.force_login(runner)
    context = browser.new_context(viewport={"width": 320, "height": 640})
    context.add_cookies(
        [
            {"name": name, "value": morsel.value, "url": live_server.url}
            for name, morsel in client.cookies.items()
        ]
    )
    page = context.new_page()
    for path in ("/", "/exercises/", "/today/"):
        page.goto(live_server.url + path)
        name = page.locator(".nav-account-name")
        expect(name).to_have_attribute("title", email)
        # Cut short on one line: the text is wider than the box it is shown in.
        assert name.evaluate("(n) => n.scrollWidth > n.clientWidth"), path
        items = page.eval_on_selector_all(
            ".site-nav > ul > li :is(a, button)",
            "items => items.map((item) => item.getBoundingClientRect().toJSON())",
        )
        inner = name.evaluate("(n) => n.getBoundingClientRect().toJSON()")
        account = name.evaluate("(n) => n.closest('a').getBoundingClientRect().toJSON()")
        # One line, side by side, none over another, the name inside its own link.
        assert max(b["top"] for b in items) < min(b["bottom"] for b in items), (path, items)
        for left, right in itertools.pairwise(items):
            assert left["right"] <= right["left"], (path, items)
        assert account["left"] <= inner["left"] and inner["right"] <= account["right"], path
        # "Log out" on one line: no item taller than the others.
        assert len({round(b["height"]) for b in items}) == 1, (path, items)
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    context.close()


def slow_scripts(route: Route) -> None:
    # As on a slow phone connection: the page is drawn before its scripts arrive, which
    # is when anything a script moves would shift.
    time.sleep(0.6)
    route.continue_()


@pytest.mark.parametrize(
    ("path", "signed_in"),
    [
        ("/", False),
        ("/exercises/", False),
        ("/exercises/?q=heel+pain", False),
        ("/exercises/?condition=shin-splints", False),
        ("/exercises/calf-drop-step/", False),
        ("/conditions/achilles-tendinopathy/", False),
        ("/muscles/soleus/", False),
        ("/accounts/login/", False),
        ("/", True),
        ("/accounts/profile/", True),
    ],
)
def test_nothing_moves_while_a_page_loads_on_a_phone(
    live_server,
    seeded_library,
    page: Page,
    runner_context: BrowserContext,
    path,
    signed_in,
    assert_accessible,
):
    if signed_in:
        page = runner_context.new_page()
    page.set_viewport_size(PHONE)
    page.add_init_script(LAYOUT_SHIFT_SCRIPT)
    page.route(re.compile(r"\.js(\?|$)"), slow_scripts)
    page.goto(live_server.url + path, wait_until="load")
    page.wait_for_timeout(300)

    shift = page.evaluate("window.__layoutShift")
    assert shift == 0, (
        f"{path} shifted by {shift:.3f} while loading (Lighthouse fails >0.1):\n"
        + "\n".join(page.evaluate("window.__shifted"))
    )
    # And at a phone's size, as at a desktop's, axe finds nothing.
    assert_accessible(page)


def test_after_a_filter_changes_on_a_phone_the_count_is_in_sight(
    live_server, seeded_library, page: Page
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/exercises/")
    page.get_by_text("More filters").click()
    level = page.get_by_label("Level", exact=True)
    level.scroll_into_view_if_needed()
    level.select_option("2")

    expect(page).to_have_url(re.compile(r"level=2"))
    expect(page.locator("#results-heading")).to_contain_text(re.compile(r"^\d+ exercises"))
    count = page.locator("#results-heading").inner_text().split(" exercise")[0]
    expect(page.locator("#filter-count")).to_have_text(f"{count} exercises")
    expect(page.locator("#filter-count")).to_be_in_viewport()
    expect(level).to_be_in_viewport()


def test_the_whole_exercise_card_opens_its_exercise(live_server, seeded_library, page: Page):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/exercises/?q=marble")
    card = page.locator(".exercise-card").first
    card.scroll_into_view_if_needed()
    box = card.bounding_box()
    # A tap on the card's lower corner, away from the title's text.
    page.mouse.click(box["x"] + box["width"] - 8, box["y"] + box["height"] - 8)

    expect(page).to_have_url(live_server.url + "/exercises/marble-pickup/")


def test_the_library_says_its_count_once_and_clear_only_when_something_is_set(
    live_server, seeded_library, page: Page
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/exercises/")
    # The results' heading and the foot of the filters both say the count.
    counts = page.locator("#results-heading, #filter-count").filter(visible=True)
    clear = page.get_by_role("link", name="Clear filters")
    expect(counts).to_have_count(1)
    expect(clear).to_be_hidden()

    # Typed words are something to clear, and the page keeps saying the count once.
    page.get_by_role("searchbox", name="Search").fill("calf")
    expect(page).to_have_url(re.compile(r"q=calf"))
    expect(clear).to_be_visible()
    expect(counts).to_have_count(1)
    page.get_by_role("searchbox", name="Search").fill("")
    expect(page).not_to_have_url(re.compile(r"q=calf"))
    expect(clear).to_be_hidden()

    # A chosen filter too; with the filters open the count stands at their foot as well,
    # where the heading cannot be seen.
    page.goto(live_server.url + "/exercises/?level=2")
    expect(clear).to_be_visible()
    page.get_by_text("More filters").click()
    expect(page.locator("#filter-count")).to_be_visible()


def test_the_conditions_come_before_the_red_flags_on_a_phone(
    live_server, seeded_library, page: Page
):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/conditions/")
    conditions = page.get_by_role("region", name="Conditions").get_by_role("link")
    expect(conditions.first).to_be_in_viewport()
    last = conditions.last.bounding_box()
    flags = page.get_by_role("complementary", name="Health disclaimer").bounding_box()
    assert last["y"] + last["height"] <= flags["y"]


def test_a_plan_named_with_one_long_word_fits_a_phone(live_server, page: Page, monkeypatch):
    runner = demo_runner_on(DEMO_DAY, monkeypatch)
    plan = runner.weekly_plans.get(is_active=True)
    plan.name = "Plantarfasciitisrehabilitationprogrammeforthespringmarathonblock"
    plan.save()
    session = runner.workout_sessions.filter(plan=plan).latest("date")
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    paths = [
        "/",
        "/plans/",
        plan.get_absolute_url(),
        plan.get_absolute_url() + "print/",
        plan.get_absolute_url() + "edit/",
        plan.get_absolute_url() + "delete/",
        "/today/",
        "/log/",
        f"/log/{session.pk}/",
        "/exercises/calf-raise/",
    ]
    page.goto(live_server.url + plan.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_contain_text(plan.name)

    problems = sideways(page, live_server.url, paths)
    assert not problems, "wider than a 360 px phone:\n" + "\n".join(problems)


def test_an_exercise_shows_its_dose_and_add_to_my_plan_on_a_phones_first_screen(
    live_server, page: Page, monkeypatch, assert_accessible
):
    demo_runner_on(DEMO_DAY, monkeypatch)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/exercises/calf-raise/")

    dose = page.locator(".dose-list").bounding_box()
    assert dose["y"] + dose["height"] <= PHONE["height"], dose
    expect(page.get_by_role("heading", name="Add to my plan")).to_be_in_viewport()
    # The pain rule and the disclaimer after the steps and the dose, not between them.
    top = {
        name: page.locator(selector).bounding_box()["y"]
        for name, selector in {
            "dose": ".dose",
            "steps": ".steps",
            "pain rule": ".pain-rule",
            "disclaimer": ".exercise-main .disclaimer-box",
        }.items()
    }
    assert top["dose"] < top["steps"] < top["pain rule"] < top["disclaimer"], top
    assert_accessible(page)


# Each key of the pain chart's legend and the top of the words that follow it.
LEGEND_SCRIPT = """() => [...document.querySelectorAll('.pain-legend .key')].map((key) => {
  const words = document.createRange();
  words.selectNodeContents(key.nextSibling);
  const first = [...words.getClientRects()].find((rect) => rect.width > 0);
  const box = key.getBoundingClientRect();
  return {words: key.nextSibling.textContent.trim(), key: box.top + box.height / 2,
          top: first.top, bottom: first.bottom};
})"""


def test_the_pain_legend_keeps_each_label_beside_its_line_at_360_pixels(
    live_server, page: Page, monkeypatch
):
    demo_runner_on(DEMO_DAY, monkeypatch)
    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, DEMO_EMAIL, DEMO_PASSWORD)
    page.goto(live_server.url + "/progress/")

    keys = page.evaluate(LEGEND_SCRIPT)
    assert [key["words"] for key in keys] == ["During sessions", "Next morning, first steps"]
    for key in keys:
        # The key's middle within the first line of its words: on the same line.
        assert key["top"] <= key["key"] <= key["bottom"], keys
