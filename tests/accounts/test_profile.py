import re

import pytest
from django.test import Client

from footcare.accounts.models import WEEKDAYS, RunnerProfile, RunType, User

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def profile_fields(user: User) -> dict:
    profile = RunnerProfile.objects.get(user=user)
    fields = {
        field.name: getattr(profile, field.name)
        for field in RunnerProfile._meta.concrete_fields
        if field.name != "updated_at"
    }
    fields["conditions"] = sorted(profile.conditions.values_list("slug", flat=True))
    fields["equipment"] = sorted(profile.equipment.values_list("slug", flat=True))
    return fields


def test_the_profile_needs_an_account(client: Client):
    response = client.get("/accounts/profile/")

    assert response.status_code == 302
    assert response.url == "/accounts/login/?next=/accounts/profile/"


def test_the_profile_page_shows_the_runners_own_profile(runner_client: Client):
    response = runner_client.get("/accounts/profile/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Your runner profile</h1>" in html
    for day in WEEKDAYS:
        assert f'id="day-{day}"' in html
        assert f'<label for="id_{day}-run_type">{day.capitalize()}</label>' in html
    assert 'hx-post="/accounts/profile/days/monday/"' in html


def test_every_account_gets_its_profile_when_it_is_made(client: Client):
    # However it is made: here as the admin or a script would, not through signup.
    user = User.objects.create_user("admin-made@example.com", "x-long-password-1")
    profile = RunnerProfile.objects.get(user=user)
    client.force_login(user)

    assert client.get("/accounts/profile/").status_code == 200
    assert profile.weekly_pattern == (RunType.REST,) * 7
    assert profile.experience == "new"


def test_the_profile_form_saves_and_redirects(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "  Ada   Lovelace ", "units": "mi", "experience": "some"},
    )

    assert response.status_code == 302
    assert response.url == "/accounts/profile/"
    profile = RunnerProfile.objects.get(user=runner)
    assert (profile.display_name, profile.experience) == ("Ada Lovelace", "some")
    assert "Your profile is saved." in runner_client.get("/accounts/profile/").content.decode()


def test_bad_input_is_shown_beside_its_field_and_changes_nothing(
    runner_client: Client, runner: User
):
    before = profile_fields(runner)

    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "!!!", "units": "furlongs", "experience": ""},
    )

    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(
        r'<ul class="errorlist" id="id_display_name_error"><li>Use at least one letter', html
    )
    assert re.search(
        r'id="id_experience_error"><li>Choose how much strength work you have done.', html
    )
    assert 'value="!!!"' in html, "what the runner typed is kept for correcting"
    assert profile_fields(runner) == before


def test_a_display_name_longer_than_sixty_characters_is_refused(runner_client: Client, runner):
    response = runner_client.post(
        "/accounts/profile/", {"display_name": "A" * 61, "units": "km", "experience": "new"}
    )

    assert response.status_code == 400
    assert "Keep your name to 60 characters or fewer." in response.content.decode()
    assert "Ensure this value" not in response.content.decode(), "in our words, not Django's"
    assert RunnerProfile.objects.get(user=runner).display_name == ""


def test_an_htmx_day_save_answers_with_that_days_fragment(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/profile/days/sunday/",
        {"sunday-run_type": "long"},
        headers={**HTMX, "HX-Target": "day-sunday"},
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith('<li id="day-sunday"')
    assert "<html" not in html and "<h1" not in html
    assert '<option value="long" selected>Long run</option>' in html
    assert 'hx-swap-oob="innerHTML">Sunday saved: Long run.' in html
    assert RunnerProfile.objects.get(user=runner).sunday == "long"
    assert "HX-Request" in response.headers["Vary"] and "HX-Target" in response.headers["Vary"]


def test_a_day_save_without_javascript_redirects_to_the_whole_page(
    runner_client: Client, runner: User
):
    response = runner_client.post("/accounts/profile/days/tuesday/", {"tuesday-run_type": "hard"})

    assert response.status_code == 302
    assert response.url == "/accounts/profile/"
    assert "HX-Target" in response.headers["Vary"]
    assert RunnerProfile.objects.get(user=runner).weekly_pattern[1] == RunType.HARD
    page = runner_client.get("/accounts/profile/").content.decode()
    assert "Tuesday is saved as Hard workout." in page


def test_an_htmx_request_for_another_target_gets_the_whole_page_flow(runner_client: Client):
    # Boosted navigation and history restores are htmx requests too: only the day's own
    # target gets the fragment.
    response = runner_client.post(
        "/accounts/profile/days/monday/",
        {"monday-run_type": "easy"},
        headers={**HTMX, "HX-Target": "main"},
    )

    assert response.status_code == 302


def test_an_invalid_run_type_is_refused_and_changes_nothing(runner_client: Client, runner: User):
    fragment = runner_client.post(
        "/accounts/profile/days/monday/",
        {"monday-run_type": "marathon"},
        headers={**HTMX, "HX-Target": "day-monday"},
    )
    page = runner_client.post("/accounts/profile/days/monday/", {"monday-run_type": "marathon"})

    assert fragment.status_code == 200
    assert "Choose rest, an easy run, a long run or a hard workout." in fragment.content.decode()
    assert 'aria-invalid="true"' in fragment.content.decode()
    assert page.status_code == 200
    assert "<h1>Your runner profile</h1>" in page.content.decode()
    assert "Choose rest, an easy run, a long run or a hard workout." in page.content.decode()
    assert RunnerProfile.objects.get(user=runner).monday == "rest"


def test_an_unknown_weekday_is_not_found(runner_client: Client):
    response = runner_client.post("/accounts/profile/days/caturday/", {"caturday-run_type": "easy"})

    assert response.status_code == 404


def test_day_saves_are_post_only(runner_client: Client):
    assert runner_client.get("/accounts/profile/days/monday/").status_code == 405


def test_the_weekly_pattern_reads_monday_first(other_runner: User):
    # Grace's week is as signup leaves it: every day a rest day until she says otherwise.
    profile = RunnerProfile.objects.get(user=other_runner)
    profile.set_run_type("wednesday", "hard")
    profile.set_run_type("saturday", RunType.LONG)

    profile.refresh_from_db()
    assert profile.weekly_pattern == (
        RunType.REST,
        RunType.REST,
        RunType.HARD,
        RunType.REST,
        RunType.REST,
        RunType.LONG,
        RunType.REST,
    )
    with pytest.raises(ValueError):
        profile.set_run_type("someday", "easy")
    with pytest.raises(ValueError):
        profile.set_run_type("monday", "sprint")


def test_the_database_refuses_a_run_type_outside_the_choices(runner: User):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        RunnerProfile.objects.filter(user=runner).update(friday="swim")


def test_a_runner_cannot_change_another_runners_profile_with_forged_fields(
    runner_client: Client, other_runner: User, runner: User
):
    before = profile_fields(other_runner)
    other_profile = RunnerProfile.objects.get(user=other_runner)

    runner_client.post(
        "/accounts/profile/",
        {
            "id": other_profile.pk,
            "pk": other_profile.pk,
            "user": other_runner.pk,
            "user_id": other_runner.pk,
            "display_name": "Forged",
            "units": "mi",
            "experience": "regular",
        },
    )
    runner_client.post(
        f"/accounts/profile/days/monday/?user={other_runner.pk}&id={other_profile.pk}",
        {"monday-run_type": "hard", "user": other_runner.pk, "id": other_profile.pk},
    )

    assert profile_fields(other_runner) == before
    mine = RunnerProfile.objects.get(user=runner)
    assert (mine.display_name, mine.monday) == ("Forged", "hard"), "the runner's own changed"


def test_a_runner_never_sees_another_runners_profile(runner_client: Client, other_runner: User):
    other = RunnerProfile.objects.get(user=other_runner)
    other.display_name = "Grace Hopper"
    other.save()

    html = runner_client.get(f"/accounts/profile/?user={other_runner.pk}&id={other.pk}")

    assert "Grace Hopper" not in html.content.decode()
    assert "grace@example.com" not in html.content.decode()


def test_the_profile_offers_the_librarys_conditions_and_equipment(
    runner_client: Client, profile_choices: dict
):
    html = runner_client.get("/accounts/profile/").content.decode()

    assert "Conditions to guard against" in html and "Equipment at hand" in html
    for item in profile_choices.values():
        assert f'value="{item.pk}"' in html
        assert item.name in html


def test_the_lists_kept_for_everyone_follow_the_library_and_the_ticks_stay_the_runners(
    runner_client: Client,
    runner: User,
    other_runner: User,
    profile_choices: dict,
    make_condition,
    make_equipment,
):
    """The conditions and equipment offered are kept under the library's content version: an
    edit to the library shows at once. What each runner ticked is read afresh, never kept."""
    RunnerProfile.objects.get(user=other_runner).equipment.add(profile_choices["towel"])
    RunnerProfile.objects.get(user=runner).conditions.add(profile_choices["plantar-fasciitis"])
    runner_client.get("/accounts/profile/")

    make_condition(slug="shin-splints", name="Shin splints")
    make_equipment(slug="band", name="Resistance band")
    html = runner_client.get("/accounts/profile/").content.decode()

    assert "Shin splints" in html and "Resistance band" in html
    checked = re.findall(r'name="(\w+)" value="(\d+)"[^>]*checked', html)
    assert checked == [("conditions", str(profile_choices["plantar-fasciitis"].pk))]

    other = Client()
    other.force_login(other_runner)
    checked = re.findall(
        r'name="(\w+)" value="(\d+)"[^>]*checked', other.get("/accounts/profile/").content.decode()
    )
    assert checked == [("equipment", str(profile_choices["towel"].pk))]


def test_conditions_and_equipment_are_saved_with_the_profile(
    runner_client: Client, runner: User, profile_choices: dict
):
    response = runner_client.post(
        "/accounts/profile/",
        {
            "units": "km",
            "experience": "new",
            "conditions": [
                profile_choices["plantar-fasciitis"].pk,
                profile_choices["achilles-tendinopathy"].pk,
            ],
            "equipment": [profile_choices["towel"].pk],
        },
    )

    assert response.status_code == 302
    assert profile_fields(runner)["conditions"] == ["achilles-tendinopathy", "plantar-fasciitis"]
    assert profile_fields(runner)["equipment"] == ["towel"]

    runner_client.post("/accounts/profile/", {"units": "km", "experience": "new", "equipment": []})
    assert profile_fields(runner)["conditions"] == []
    assert profile_fields(runner)["equipment"] == []


def test_an_unknown_condition_is_refused_and_changes_nothing(
    runner_client: Client, runner: User, profile_choices: dict
):
    profile = RunnerProfile.objects.get(user=runner)
    profile.conditions.add(profile_choices["plantar-fasciitis"])
    before = profile_fields(runner)

    response = runner_client.post(
        "/accounts/profile/",
        {"units": "mi", "experience": "new", "conditions": [999_999], "equipment": ["step"]},
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert re.search(r'id="id_conditions_error"><li>Choose from the options shown.', html)
    assert re.search(r'id="id_equipment_error"><li>Choose from the options shown.', html)
    assert profile_fields(runner) == before


def test_another_runners_conditions_stay_theirs(
    runner_client: Client, runner: User, other_runner: User, profile_choices: dict
):
    theirs = RunnerProfile.objects.get(user=other_runner)
    theirs.conditions.add(profile_choices["achilles-tendinopathy"])
    theirs.equipment.add(profile_choices["step"])
    before = profile_fields(other_runner)

    runner_client.post(
        "/accounts/profile/",
        {
            "user": other_runner.pk,
            "id": theirs.pk,
            "units": "km",
            "experience": "new",
            "conditions": [profile_choices["plantar-fasciitis"].pk],
        },
    )

    assert profile_fields(other_runner) == before
    assert profile_fields(runner)["conditions"] == ["plantar-fasciitis"]


def test_an_invalid_save_lists_its_errors_at_the_top_of_the_form(runner_client: Client):
    response = runner_client.post(
        "/accounts/profile/", {"display_name": "!!!", "units": "furlongs", "experience": ""}
    )

    html = response.content.decode()
    assert "<title>Error: Your runner profile · Footcare</title>" in html
    summary = re.search(r"<div class=\"error-summary\" data-error-summary.*?</ul>", html, re.S)
    assert summary, "a summary of the errors"
    summary = summary.group(0)
    assert 'tabindex="-1"' in summary and 'role="alert"' in summary
    assert '<h3 id="form-error-summary-title" class="error-summary-title">' in summary
    links = re.findall(r'<a href="#([^"]+)">([^<]+)</a>', summary)
    assert [target for target, _ in links] == ["id_display_name", "id_experience_0"]
    assert links[0][1] == "Display name: Use at least one letter or number in your name."
    for target, _ in links:
        assert f'id="{target}"' in html, f"the summary links to #{target}, which exists"
    # It comes first in the form, before the fields it lists.
    assert html.index("data-error-summary") < html.index('id="id_display_name"')


def test_invalid_fields_are_marked_and_described_by_their_errors(runner_client: Client):
    html = runner_client.post(
        "/accounts/profile/", {"display_name": "!!!", "units": "furlongs", "experience": ""}
    ).content.decode()

    display_name = re.search(r'<input[^>]*id="id_display_name"[^>]*>', html).group(0)
    assert 'aria-invalid="true"' in display_name
    assert "id_display_name_error" in display_name.split('aria-describedby="')[1].split('"')[0]
    experience = re.search(
        r'<fieldset aria-describedby="([^"]+)">\s*<legend>Experience with strength work', html
    )
    assert experience and "id_experience_error" in experience.group(1).split()
    assert re.search(
        r'<input type="radio" name="experience" value="new"[^>]*aria-invalid="true"', html
    )


def test_a_valid_page_has_no_error_summary(runner_client: Client):
    html = runner_client.get("/accounts/profile/").content.decode()

    assert "data-error-summary" not in html
    assert "<title>Your runner profile · Footcare</title>" in html


@pytest.mark.parametrize(
    "name",
    [
        "Ada\u202eecalevol",  # right-to-left override: shows as "Adalovelace" reversed
        "Ada\u2066Lovelace\u2069",  # directional isolates
        "Ada\u200b",  # zero-width space
        "\u2060Ada",  # word joiner
        "Ada\x00",  # a control character
    ],
)
def test_a_display_name_with_invisible_or_direction_characters_is_refused(
    runner_client: Client, runner: User, name: str
):
    response = runner_client.post(
        "/accounts/profile/", {"display_name": name, "units": "km", "experience": "new"}
    )

    assert response.status_code == 400
    assert "Your name has a character that does not show" in response.content.decode()
    assert RunnerProfile.objects.get(user=runner).display_name == ""


@pytest.mark.parametrize("name", ["Zoë Ångström", "محمد‌رضا", "José 🏃‍♀️", "李小龙"])
def test_names_in_any_script_are_kept(runner_client: Client, runner: User, name: str):
    response = runner_client.post(
        "/accounts/profile/", {"display_name": name, "units": "km", "experience": "new"}
    )

    assert response.status_code == 302
    assert RunnerProfile.objects.get(user=runner).display_name == name


def test_a_tampered_form_gets_our_words_for_every_field(runner_client: Client, runner: User):
    response = runner_client.post(
        "/accounts/profile/",
        {"display_name": "A" * 200, "units": "", "experience": "guru", "conditions": ["x"]},
    )

    html = response.content.decode()
    for django_wording in ("Ensure this value", "Select a valid choice", "This field is required"):
        assert django_wording not in html


def test_the_profile_does_not_ask_for_distance_units_nothing_shows_a_distance(
    runner_client: Client, runner: User
):
    # No page shows a distance (the running week is run types, the plans are sets and
    # minutes), so a units question only asked what nothing used.
    html = runner_client.get("/accounts/profile/").content.decode()

    assert "Distance units" not in html and 'name="units"' not in html
    assert "units" not in {field.name for field in RunnerProfile._meta.get_fields()}
    # A form sent with the old field saves the rest and ignores it.
    response = runner_client.post(
        "/accounts/profile/", {"display_name": "Ada", "units": "mi", "experience": "some"}
    )
    assert response.status_code == 302
    assert RunnerProfile.objects.get(user=runner).display_name == "Ada"
