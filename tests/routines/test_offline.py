"""Installable, and today without signal: the manifest, the service worker's address and
headers, the runner's name the worker keys kept pages on, and changes sent late from the
phone's queue landing on the day they were made for, once however often they arrive."""

import datetime
import json
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from footcare.offline import offline_runner
from routines.training.models import ExerciseLog, SetLog, WorkoutSession

from .conftest import MONDAY, monday_items

QUEUED = {"HX-Request": "true"}
SUNDAY = MONDAY - datetime.timedelta(days=1)
NEXT_MONDAY = MONDAY + datetime.timedelta(days=7)


def config_of(script: str) -> dict:
    """What footcare/offline.py puts in front of the worker's code."""
    return json.loads(script.split("const FOOTCARE = ", 1)[1].split(";\n", 1)[0])


def queued(item) -> dict:
    return {**QUEUED, "HX-Target": f"item-{item.pk}"}


def test_the_manifest_makes_footcare_installable_on_today(client: Client):
    response = client.get("/manifest.webmanifest")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["name"] == "Footcare"
    assert manifest["start_url"] == "/today/"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    sizes = {(icon["sizes"], icon.get("purpose", "any")) for icon in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes
    assert (
        manifest["theme_color"] != manifest["user_preferences"]["color_scheme_dark"]["theme_color"]
    )
    for icon in manifest["icons"]:
        # Each icon is there, a PNG of the size it says.
        path = finders.find(icon["src"].removeprefix("/static/"))
        header = Path(path).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        size = int.from_bytes(header[16:20], "big")
        assert icon["sizes"] == f"{size}x{size}"


def test_the_service_worker_comes_from_the_root_never_cached(client: Client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    script = response.content.decode()
    config = config_of(script)
    assert "/static/django_htmx/htmx-2.min.js" in config["kept"]
    assert "/static/js/today.js" in config["kept"]
    # A kept exercise page shows its drawings offline.
    assert "/static/exercises/drawings/toe-yoga-start.svg" in config["kept"]
    assert "/static/js/sw.js" not in config["kept"]
    assert config["today"] == "/today/"
    # The worker's own source follows, and its CSP lets it load its queue.
    assert 'addEventListener("fetch"' in script
    assert "'self'" in response["Content-Security-Policy"]


def test_the_worker_version_moves_with_any_file_it_keeps(settings, tmp_path):
    from footcare import offline

    settings.STATICFILES_DIRS = [tmp_path, *settings.STATICFILES_DIRS]
    before = offline._worker_script()
    (tmp_path / "css").mkdir()
    (tmp_path / "css" / "new.css").write_text("body { color: red }")
    after = offline._worker_script()
    assert config_of(before)["version"] != config_of(after)["version"]
    assert "/static/css/new.css" in config_of(after)["kept"]


def test_every_page_links_the_manifest_and_names_only_a_signed_in_runner(
    runner_client: Client, other_client: Client, runner, other_runner
):
    visitor = Client().get("/").content.decode()
    assert '<link rel="manifest" href="/manifest.webmanifest">' in visitor
    assert 'name="footcare-runner"' not in visitor
    mine = runner_client.get("/today/").content.decode()
    theirs = other_client.get("/today/").content.decode()
    assert f'<meta name="footcare-runner" content="{offline_runner(runner)}">' in mine
    assert f'<meta name="footcare-runner" content="{offline_runner(other_runner)}">' in theirs
    assert offline_runner(runner) != offline_runner(other_runner)
    assert str(runner.pk) != offline_runner(runner)


def test_the_logout_tells_the_browser_to_drop_what_it_kept(runner_client: Client):
    response = runner_client.post("/accounts/logout/")
    assert "storage" in response["Clear-Site-Data"]


def test_a_tick_queued_on_sunday_and_sent_on_monday_lands_on_sunday_once(
    runner, runner_client, runner_with_plan, on_monday
):
    # Sunday's items: the plan's Monday item moved to Sunday, as the page of Sunday showed.
    item = monday_items(runner_with_plan)[0]
    item.weekday = 6
    item.save()
    url = f"/today/items/{item.pk}/sets/1/"
    data = {"action": "done", "amount": "9", "day": SUNDAY.isoformat()}
    for _ in range(2):
        response = runner_client.post(url, data, headers=queued(item))
        assert response.status_code == 204
    log = ExerciseLog.objects.get(plan_item=item)
    assert log.session.date == SUNDAY
    assert list(log.sets.values_list("number", "amount")) == [(1, 9)]
    assert not WorkoutSession.objects.filter(date=MONDAY).exists()


def test_pain_and_finish_queued_for_yesterday_land_on_yesterday(
    runner, runner_client, runner_with_plan, on_monday
):
    item = monday_items(runner_with_plan)[0]
    item.weekday = 6
    item.save()
    day = SUNDAY.isoformat()
    assert (
        runner_client.post(
            f"/today/items/{item.pk}/", {"pain": "3", "day": day}, headers=queued(item)
        ).status_code
        == 204
    )
    for _ in range(2):
        response = runner_client.post("/today/finish/", {"notes": "Garage", "day": day})
        assert response.status_code == 302
    session = WorkoutSession.objects.get(owner=runner)
    assert (session.date, session.notes, session.is_finished) == (SUNDAY, "Garage", True)
    assert session.logs.get().pain == 3


@pytest.mark.parametrize("day", ["2026-11-15", NEXT_MONDAY.isoformat(), "Monday", "2026-02-30"])
def test_a_change_for_a_day_out_of_reach_is_refused_with_its_reason(
    runner_client, runner_with_plan, on_monday, day
):
    item = monday_items(runner_with_plan)[0]
    response = runner_client.post(
        f"/today/items/{item.pk}/sets/1/",
        {"action": "done", "amount": "9", "day": day},
        headers=queued(item),
    )
    assert response.status_code == 400
    assert "Log that session by hand" in response.content.decode()
    assert not SetLog.objects.exists()


def test_a_value_out_of_range_sent_late_says_why(runner_client, runner_with_plan, on_monday):
    item = monday_items(runner_with_plan)[0]
    item.weekday = 6
    item.save()
    response = runner_client.post(
        f"/today/items/{item.pk}/sets/1/",
        {"action": "done", "amount": "9999", "day": SUNDAY.isoformat()},
        headers=queued(item),
    )
    assert response.status_code == 400
    assert '<ul class="errorlist"' in response.content.decode()
    assert not SetLog.objects.exists()


def test_todays_own_day_sent_with_the_page_answers_the_card(
    runner_client, runner_with_plan, on_monday
):
    item = monday_items(runner_with_plan)[0]
    response = runner_client.post(
        f"/today/items/{item.pk}/sets/1/",
        {"action": "done", "amount": "9", "day": MONDAY.isoformat()},
        headers=queued(item),
    )
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in response.content.decode()
    assert SetLog.objects.get().amount == 9
