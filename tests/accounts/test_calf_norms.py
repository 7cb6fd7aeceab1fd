"""Issue 24 point 15: the calf test against the published norms by age and sex
(Hébert-Losier et al. 2017, `footcare/accounts/norms.py`), with the profile's optional sex and
year of birth, and a plain "we cannot compare" when they are empty or outside the study."""

from datetime import date

import pytest
from django.utils import timezone

from footcare.accounts import norms
from footcare.accounts.models import CalfRaiseTest, RunnerProfile

pytestmark = pytest.mark.django_db

URL = "/accounts/calf-test/"


def test_the_table_holds_only_the_figures_read_in_the_source():
    # The abstract's medians, all ages together (men 24, women 21), over the study's 20 to 81.
    assert {(n.sex, n.age_from, n.age_to, n.median) for n in norms.NORMS} == {
        ("male", 20, 81, 24),
        ("female", 20, 81, 21),
    }
    assert norms.SOURCE_URL == "https://doi.org/10.1016/j.physio.2017.03.002"
    assert norms.norm_for("female", 19) is None and norms.norm_for("male", 82) is None


@pytest.mark.parametrize(
    ("sex", "birth_year", "missing"),
    [
        ("", None, ("sex", "year of birth")),
        ("male", None, ("year of birth",)),
        ("", 1990, ("sex",)),
    ],
)
def test_what_is_missing_is_named(sex, birth_year, missing):
    comparison = norms.compare(
        left=12, right=20, tested_on=date(2026, 12, 1), sex=sex, birth_year=birth_year
    )
    assert comparison.missing == missing and not comparison.compared


def test_a_count_is_placed_against_the_median_of_its_sex():
    comparison = norms.compare(
        left=12, right=25, tested_on=date(2026, 12, 1), sex="male", birth_year=1986
    )
    assert comparison.age == 40 and comparison.norm.median == 24
    left, right = comparison.sides
    assert (left.side, left.gap, left.position) == ("left", 12, "below")
    assert (right.side, right.gap, right.position) == ("right", 1, "above")


@pytest.fixture
def tested(runner_client, runner):
    CalfRaiseTest.objects.create(
        user=runner, tested_on=timezone.localdate(), surface="step", left=12, right=20
    )
    return runner_client


def set_profile(runner, **fields):
    RunnerProfile.objects.filter(user=runner).update(**fields)


def test_without_sex_and_age_the_page_says_it_cannot_compare_and_why(tested):
    html = tested.get(URL).content.decode()
    assert "We cannot compare your test with people of your age and sex" in html
    assert "does not give your sex or year of birth" in html
    assert "Both are optional" in html and 'href="/accounts/profile/#id_sex"' in html


def test_a_woman_of_forty_sees_each_side_against_the_womens_median(tested, runner):
    set_profile(runner, sex="female", birth_year=timezone.localdate().year - 40)
    html = tested.get(URL).content.decode()
    assert "healthy women aged 20 to 81, all ages together: <strong>21 raises</strong>" in html
    assert "Your left calf: <strong>12</strong>, 9 below the median" in html
    assert "Your right calf: <strong>20</strong>, 1 below the median" in html
    assert "Over 60" not in html
    # The surface is not the study's board: said plainly, as our reasoning.
    assert "A step or the floor is not their board" in html and "Our reasoning" in html


def test_over_sixty_the_page_adds_what_the_study_found_of_older_women_and_men(tested, runner):
    set_profile(runner, sex="male", birth_year=timezone.localdate().year - 65)
    html = tested.get(URL).content.decode()
    assert "healthy men aged 20 to 81" in html and "Over 60, the women did more" in html


def test_outside_the_studys_ages_the_page_says_so(tested, runner):
    set_profile(runner, sex="male", birth_year=timezone.localdate().year - 17)
    html = tested.get(URL).content.decode()
    assert "We cannot compare your test: you turn 17" in html
    assert "aged 20 to 81 only" in html


def profile_data(**fields):
    return {
        "display_name": "Ada",
        "experience": "new",
        "time_zone": "UTC",
        "weight_unit": "kg",
    } | fields


def test_the_profile_saves_sex_and_year_and_refuses_a_bad_year_changing_nothing(
    runner_client, runner
):
    response = runner_client.post("/accounts/profile/", profile_data(sex="female", birth_year=1984))
    assert response.status_code == 302
    profile = RunnerProfile.objects.get(user=runner)
    assert (profile.sex, profile.birth_year) == ("female", 1984)

    for year in ("1850", str(timezone.localdate().year + 1), "nineteen", "0"):
        refused = runner_client.post(
            "/accounts/profile/", profile_data(sex="male", birth_year=year, display_name="Bo")
        )
        assert refused.status_code == 400
        assert "Give the year you were born, like 1985, or leave it empty." in refused.text
    bad_sex = runner_client.post("/accounts/profile/", profile_data(sex="other", birth_year=1984))
    assert "Choose female, male or rather not say." in bad_sex.text
    profile.refresh_from_db()
    assert (profile.sex, profile.birth_year, profile.display_name) == ("female", 1984, "Ada")

    # Empty answers clear them (both optional); a form from an old tab without them keeps them.
    runner_client.post("/accounts/profile/", profile_data(sex="female", birth_year=1984))
    runner_client.post("/accounts/profile/", profile_data())
    profile.refresh_from_db()
    assert (profile.sex, profile.birth_year) == ("female", 1984)
    runner_client.post("/accounts/profile/", profile_data(sex="", birth_year=""))
    profile.refresh_from_db()
    assert (profile.sex, profile.birth_year) == ("", None)


def test_the_export_carries_sex_and_year(runner_client, runner):
    set_profile(runner, sex="male", birth_year=1979)
    document = runner_client.get("/accounts/export/").json()
    assert document["profile"]["sex"] == "male" and document["profile"]["birth_year"] == 1979


def test_the_next_test_starts_on_the_surface_of_the_last(tested):
    form = tested.get(URL).context["form"]
    assert form["surface"].value() == "step"
