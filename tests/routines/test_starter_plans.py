"""Starter plans: a content file beside the library, cited, curated, copied by runners."""

import copy
import uuid

import pytest
from django.contrib.auth.models import Group

from routines.plans.models import StarterPlan
from routines.plans.services import starter_days_fitted
from routines.plans.starter_content import StarterFileError, read_starter_plans, starter_plans_seed

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def starter_data():
    return read_starter_plans()


@pytest.fixture
def starters(seeded_library, starter_data):
    starter_plans_seed(data=copy.deepcopy(starter_data))
    return StarterPlan.objects.order_by("order")


def test_the_file_has_at_least_four_cited_plans(starters):
    assert [s.slug for s in starters] == [
        "foot-core-foundations",
        "calf-capacity-achilles",
        "plantar-heel-care",
        "ankle-stability-trail",
    ]
    for starter in starters:
        assert starter.published and starter.items.exists()
        assert starter.evidence and starter.description
        for citation in starter.citations.all():
            assert citation.url.startswith("https://doi.org/10.")
            assert 1990 < citation.year < 2030
    authors = " ".join(c.authors for s in starters for c in s.citations.all())
    for name in ("Taddei", "Beyer", "Alfredson", "Rathleff"):
        assert name in authors


def test_seeding_again_changes_nothing_and_only_new_keeps_an_editors_change(starters, starter_data):
    items = {s.slug: s.items.count() for s in starters}
    starter_plans_seed(data=copy.deepcopy(starter_data))
    assert {s.slug: s.items.count() for s in StarterPlan.objects.all()} == items

    StarterPlan.objects.filter(slug="plantar-heel-care").update(summary="Edited in the admin")
    report = starter_plans_seed(data=copy.deepcopy(starter_data), only_new=True)
    assert report["kept"] == 4
    assert StarterPlan.objects.get(slug="plantar-heel-care").summary == "Edited in the admin"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda p: p["items"][0].update(exercise="no-such-move"), "no exercise 'no-such-move'"),
        (lambda p: p["items"][0].update(sets=11), "sets: Sets run from 1 to 10."),
        (lambda p: p["items"][0].update(day="someday"), "day must be one of"),
        (lambda p: p.update(citations=[]), "cite at least one source"),
    ],
)
def test_a_bad_file_is_refused_whole(seeded_library, starter_data, change, problem):
    data = copy.deepcopy(starter_data)
    change(data[1])

    with pytest.raises(StarterFileError) as refused:
        starter_plans_seed(data=data)

    assert any(problem in line for line in refused.value.problems), refused.value.problems
    assert not StarterPlan.objects.exists()


def test_the_list_shows_starters_with_their_evidence(runner_client, starters):
    page = runner_client.get("/plans/").content.decode()

    assert "Foot-core foundations" in page
    assert "https://doi.org/10.1177/0363546520969205" in page
    assert "Taddei UT, Matias AB, Duarte M, Sacco ICN (2020)" in page


def test_a_runner_copies_a_starter_once_into_their_own_plans(runner_client, runner, starters):
    starter = starters.get(slug="plantar-heel-care")
    token = str(uuid.uuid4())

    response = runner_client.post(f"/plans/starters/{starter.slug}/copy/", {"token": token})
    runner_client.post(f"/plans/starters/{starter.slug}/copy/", {"token": token})

    plan = runner.weekly_plans.get()
    assert response["Location"] == plan.get_absolute_url()
    assert plan.name == "Plantar heel care"
    # Its days fitted to Ada's running week (issue 24, point 9; see test_programme_safety).
    runner.runner_profile.refresh_from_db()
    moves = starter_days_fitted(starter=starter, pattern=runner.runner_profile.weekly_pattern)
    copied = plan.items.order_by("weekday", "position")
    assert sorted(copied.values_list("weekday", "exercise_id", "sets", "reps", "load_note")) == (
        sorted(
            (moves[weekday], *rest)
            for weekday, *rest in starter.items.values_list(
                "weekday", "exercise_id", "sets", "reps", "load_note"
            )
        )
    )


def test_an_unpublished_starter_cannot_be_copied(runner_client, runner, starters):
    starters.filter(slug="plantar-heel-care").update(published=False)

    response = runner_client.post("/plans/starters/plantar-heel-care/copy/")

    assert response.status_code == 404
    assert not runner.weekly_plans.exists()


def test_content_editors_curate_starter_plans_but_not_runners_plans(client, starters):
    from django.contrib.auth import get_user_model

    editor = get_user_model().objects.create_user("ed@example.com", "pw", is_staff=True)
    editor.groups.add(Group.objects.get(name="Content editors"))
    client.force_login(editor)
    starter = starters.first()

    assert client.get(f"/admin/plans/starterplan/{starter.pk}/change/").status_code == 200
    assert client.get("/admin/plans/weeklyplan/").status_code == 403
