"""The same form sent twice at once answers as once, and loses nothing (on PostgreSQL)."""

import pytest
from django.conf import global_settings
from django.core import mail
from django.test import Client

from footcare.accounts.models import WEEKDAYS, RunnerProfile, User
from tests.conftest import PASSWORD

from ..concurrency import at_once, copy_of, double_submit, needs_parallel_database

pytestmark = [needs_parallel_database, pytest.mark.django_db(transaction=True)]

SIGNUP = {
    "email": "new.runner@example.com",
    "password1": "steady-calf-raises-41",
    "password2": "steady-calf-raises-41",
}


def test_a_double_clicked_signup_answers_both_clicks_like_any_signup(settings):
    # The real, slow hasher: it is what holds both requests between "is the address free?"
    # and saving it, as in production.
    settings.PASSWORD_HASHERS = global_settings.PASSWORD_HASHERS

    responses = double_submit(Client(), "/accounts/signup/", SIGNUP)

    assert [response.status_code for response in responses] == [302, 302]
    assert {response.url for response in responses} == {"/accounts/confirm-email/"}
    assert User.objects.filter(email=SIGNUP["email"]).count() == 1
    # One code for the account; the click that lost the race mails as a known address does.
    assert all(message.to == [SIGNUP["email"]] for message in mail.outbox)


def test_day_saves_racing_whole_profile_saves_are_all_kept(runner_client: Client, runner: User):
    # The probe's race: each weekday saved in place (htmx) while the rest of the profile
    # is saved from a page loaded earlier. The profile form wrote all seven weekday columns
    # from its stale copy and lost 19 of 35 acknowledged day changes.
    patterns = [
        ["hard", "easy", "long", "rest", "easy", "hard", "long"],
        ["easy", "long", "rest", "hard", "long", "rest", "easy"],
        ["long", "rest", "hard", "easy", "rest", "easy", "hard"],
        ["rest", "hard", "easy", "long", "hard", "long", "rest"],
        ["hard", "easy", "long", "rest", "easy", "hard", "long"],
    ]
    for round_number, pattern in enumerate(patterns):
        day_saves = [
            lambda day=day, run_type=run_type: copy_of(runner_client).post(
                f"/accounts/profile/days/{day}/",
                {f"{day}-run_type": run_type},
                headers={"HX-Request": "true", "HX-Target": f"day-{day}"},
            )
            for day, run_type in zip(WEEKDAYS, pattern, strict=True)
        ]
        profile_saves = [
            lambda n=n, round_number=round_number: copy_of(runner_client).post(
                "/accounts/profile/",
                {"display_name": f"Ada {round_number}.{n}", "units": "mi", "experience": "some"},
            )
            for n in range(4)
        ]

        responses = at_once(*day_saves, *profile_saves)

        assert [r.status_code for r in responses] == [200] * 7 + [302] * 4
        profile = RunnerProfile.objects.get(user=runner)
        assert [getattr(profile, day) for day in WEEKDAYS] == pattern, f"round {round_number}"
        assert profile.display_name.startswith(f"Ada {round_number}.")


def test_a_double_clicked_profile_save_answers_twice_and_saves_once(
    runner_client: Client, runner: User, profile_choices: dict
):
    form = {
        "display_name": "Ada",
        "units": "mi",
        "experience": "regular",
        "conditions": [
            profile_choices["plantar-fasciitis"].pk,
            profile_choices["achilles-tendinopathy"].pk,
        ],
        "equipment": [profile_choices["step"].pk, profile_choices["towel"].pk],
    }

    for _ in range(3):
        responses = double_submit(runner_client, "/accounts/profile/", form)
        assert [r.status_code for r in responses] == [302, 302]

    profile = RunnerProfile.objects.get(user=runner)
    assert (profile.display_name, profile.experience) == ("Ada", "regular")
    assert sorted(profile.conditions.values_list("slug", flat=True)) == [
        "achilles-tendinopathy",
        "plantar-fasciitis",
    ]
    assert sorted(profile.equipment.values_list("slug", flat=True)) == ["step", "towel"]


def test_a_double_clicked_day_save_answers_twice(runner_client: Client, runner: User):
    responses = double_submit(
        runner_client, "/accounts/profile/days/sunday/", {"sunday-run_type": "long"}
    )

    assert [r.status_code for r in responses] == [302, 302]
    assert RunnerProfile.objects.get(user=runner).sunday == "long"


def test_a_double_clicked_account_deletion_answers_twice(runner_client: Client, runner: User):
    responses = double_submit(runner_client, "/accounts/delete/", {"password": PASSWORD})

    assert 500 not in [response.status_code for response in responses]
    assert not User.objects.filter(pk=runner.pk).exists()


def test_a_double_clicked_password_change_answers_twice(runner_client: Client, runner: User):
    new = "longer-hill-repeats-92"
    responses = double_submit(
        runner_client,
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )

    assert 500 not in [response.status_code for response in responses]
    runner.refresh_from_db()
    assert runner.check_password(new)
