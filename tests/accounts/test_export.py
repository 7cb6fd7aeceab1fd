import json

import pytest
from django.test import Client

from footcare.accounts import exports
from footcare.accounts.models import RunnerProfile, User
from tests.conftest import WEEK

pytestmark = pytest.mark.django_db


def download(client: Client) -> dict:
    response = client.get("/accounts/export/")
    assert response.status_code == 200
    return json.loads(response.content)


def test_the_export_is_a_json_download_that_is_never_cached(runner_client: Client):
    response = runner_client.get("/accounts/export/")

    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="footcare-data-'
    )
    assert "no-store" in response.headers["Cache-Control"]


def test_the_export_holds_the_account_and_the_profile(
    runner_client: Client, runner: User, profile_choices: dict
):
    profile = RunnerProfile.objects.get(user=runner)
    profile.conditions.add(
        profile_choices["plantar-fasciitis"], profile_choices["achilles-tendinopathy"]
    )
    profile.equipment.add(profile_choices["step"])
    profile.display_name = "Ada"
    profile.experience = "regular"
    profile.save()
    profile.set_run_type("sunday", "long")
    profile.set_run_type("tuesday", "easy")

    document = download(runner_client)

    assert document["format"] == "footcare-export"
    assert document["version"] == 1
    assert document["account"]["email"] == "ada@example.com"
    assert document["account"]["email_addresses"] == [
        {"email": "ada@example.com", "verified": True, "primary": True}
    ]
    assert document["profile"]["display_name"] == "Ada"
    assert document["profile"]["experience"] == "regular"
    assert document["profile"]["weekly_pattern"] == {**WEEK, "sunday": "long", "tuesday": "easy"}
    assert document["profile"]["conditions"] == [
        {"slug": "achilles-tendinopathy", "name": "Achilles tendinopathy"},
        {"slug": "plantar-fasciitis", "name": "Plantar fasciitis"},
    ]
    assert document["profile"]["equipment"] == [{"slug": "step", "name": "Step"}]
    assert "password" not in json.dumps(document)


def test_the_export_holds_nothing_of_another_runner(runner_client: Client, other_runner: User):
    RunnerProfile.objects.filter(user=other_runner).update(display_name="Grace Hopper")

    text = runner_client.get("/accounts/export/").content.decode()

    assert "grace@example.com" not in text and "Grace Hopper" not in text


def test_other_apps_add_their_own_section_to_the_same_export(
    runner_client: Client, runner: User, monkeypatch
):
    monkeypatch.setattr(exports, "_sections", dict(exports._sections))

    # "plans" is taken by the weekly plans themselves (routines/exports.py).
    @exports.export_section("shoes")
    def shoes_for_export(user: User) -> list[dict]:
        return [{"name": "Trail shoes", "owner": user.email}]

    document = download(runner_client)

    assert document["shoes"] == [{"name": "Trail shoes", "owner": "ada@example.com"}]
    assert list(document)[-1] == "shoes", "sections come in the order they registered"
    assert {"account", "profile", "plans"} <= set(document)


def test_a_section_name_cannot_be_taken_twice_or_hide_the_envelope(monkeypatch):
    monkeypatch.setattr(exports, "_sections", dict(exports._sections))

    with pytest.raises(ValueError):
        exports.export_section("profile")(lambda user: None)
    with pytest.raises(ValueError):
        exports.export_section("version")


def test_the_export_needs_an_account(client: Client):
    response = client.get("/accounts/export/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/export/"
