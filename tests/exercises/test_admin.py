"""Curating in the admin: what a content editor may and may not do, and the curation tools."""

from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from exercises.models import Condition, Exercise, ExerciseTip, Muscle

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("editor@example.com", "pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Content editors"))
    return user


@pytest.fixture
def editor_client(client: Client, editor) -> Client:
    client.force_login(editor)
    return client


def change_form_data(response) -> dict[str, Any]:
    """What the browser would post back from an admin change form, as it was rendered."""
    data: dict[str, Any] = {}

    def add(form) -> None:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None or value is False:
                continue
            if value is True:
                data[key] = "on"
            elif isinstance(value, list | tuple):
                data[key] = [str(v) for v in value]
            else:
                data[key] = str(value.pk if hasattr(value, "pk") else value)

    add(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        add(inline.formset.management_form)
        for form in inline.formset.forms:
            add(form)
    return data


def url(exercise: Exercise, view: str = "change") -> str:
    return f"/admin/exercises/exercise/{exercise.pk}/{view}/"


def test_the_group_grants_library_permissions_and_nothing_else():
    permissions = Group.objects.get(name="Content editors").permissions.all()

    # The starter plans (routines) are curated content too; runners' plans are not granted.
    assert {p.content_type.app_label for p in permissions} == {"exercises", "plans"}
    codenames = {p.codename for p in permissions}
    assert {"add_exercise", "change_exercise", "view_exercise", "change_muscle"} <= codenames
    assert {"delete_exercisestep", "delete_exercisetip", "delete_progression"} <= codenames
    assert not {"delete_exercise", "delete_muscle", "delete_condition"} & codenames
    assert not Permission.objects.filter(
        group__name="Content editors", content_type__app_label__in=["accounts", "auth"]
    ).exists()


def test_an_editor_can_open_and_save_an_exercise(editor_client: Client, seeded_library):
    exercise = Exercise.objects.get(slug="toe-yoga")
    page = editor_client.get(url(exercise))
    assert page.status_code == 200
    data = change_form_data(page)
    data["summary"] = "Lift the big toe alone, then the other four, and keep swapping."
    # Edit a step inline, and delete another: deleting child rows is how editing works.
    steps = page.context["inline_admin_formsets"][0].formset
    data[steps.forms[0].add_prefix("text")] = "Sit with both feet flat on the floor."
    data[steps.forms[-2].add_prefix("DELETE")] = "on"
    step_count = exercise.steps.count()

    response = editor_client.post(url(exercise), data)

    assert response.status_code == 302, response.context and response.context["errors"]
    exercise.refresh_from_db()
    assert exercise.summary == "Lift the big toe alone, then the other four, and keep swapping."
    assert exercise.steps.first().text == "Sit with both feet flat on the floor."
    assert exercise.steps.count() == step_count - 1
    assert exercise.status == "published"


def test_an_editor_can_add_a_draft_exercise(editor_client: Client, seeded_library):
    page = editor_client.get("/admin/exercises/exercise/add/")
    data = change_form_data(page)
    data.update(
        name="Ankle alphabet",
        slug="ankle-alphabet",
        status="draft",
        summary="Trace the letters with your big toe.",
        why_it_matters="Moves the ankle through every direction.",
        position="seated",
        laterality="single",
        level="1",
        dose_sets="1",
        dose_reps="1",
        dose_sessions_per_week="3",
    )

    response = editor_client.post("/admin/exercises/exercise/add/", data)

    assert response.status_code == 302
    assert Exercise.objects.get(slug="ankle-alphabet").is_draft


def test_an_editor_gets_403_on_users_groups_and_deleting_exercises(
    editor_client: Client, seeded_library, django_user_model
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    other = django_user_model.objects.create_user("runner@example.com", "pw")

    assert editor_client.get("/admin/accounts/user/").status_code == 403
    assert editor_client.get(f"/admin/accounts/user/{other.pk}/change/").status_code == 403
    assert editor_client.get("/admin/accounts/user/add/").status_code == 403
    assert editor_client.get("/admin/auth/group/").status_code == 403
    assert editor_client.get(url(exercise, "delete")).status_code == 403
    before = (other.email, other.is_staff, other.is_superuser)
    editor_client.post(
        f"/admin/accounts/user/{other.pk}/change/", {"email": "x@example.com", "is_staff": "on"}
    )
    other.refresh_from_db()
    assert (other.email, other.is_staff, other.is_superuser) == before
    assert Exercise.objects.filter(pk=exercise.pk).exists()


def test_the_admin_index_shows_an_editor_only_the_library(editor_client: Client, seeded_library):
    html = editor_client.get("/admin/").content.decode()

    assert "/admin/exercises/exercise/" in html
    assert "/admin/accounts/user/" not in html
    assert "/admin/auth/group/" not in html


def test_a_runner_cannot_reach_the_admin(client: Client, django_user_model):
    client.force_login(django_user_model.objects.create_user("runner@example.com", "pw"))

    response = client.get("/admin/exercises/exercise/")

    assert response.status_code == 302
    assert "/admin/login/" in response.headers["Location"]


def test_publishing_an_incomplete_exercise_is_refused_beside_the_inline(
    editor_client: Client, seeded_library
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    ExerciseTip.objects.filter(exercise=exercise, kind="safety").delete()
    Exercise.objects.filter(pk=exercise.pk).update(status="draft")
    data = change_form_data(editor_client.get(url(exercise)))
    data["status"] = "published"

    response = editor_client.post(url(exercise), data)

    assert response.status_code == 200
    assert "A published exercise needs a safety tip." in response.content.decode()
    exercise.refresh_from_db()
    assert exercise.is_draft


def test_two_steps_with_one_number_are_refused(editor_client: Client, seeded_library):
    exercise = Exercise.objects.get(slug="toe-yoga")
    page = editor_client.get(url(exercise))
    data = change_form_data(page)
    steps = page.context["inline_admin_formsets"][0].formset
    data[steps.forms[1].add_prefix("number")] = "1"

    response = editor_client.post(url(exercise), data)

    assert response.status_code == 200
    assert "Two steps have the same number" in response.content.decode()


def test_steps_can_be_renumbered_by_swapping(editor_client: Client, seeded_library):
    exercise = Exercise.objects.get(slug="toe-yoga")
    first, second = list(exercise.steps.all())[:2]
    page = editor_client.get(url(exercise))
    data = change_form_data(page)
    steps = page.context["inline_admin_formsets"][0].formset
    data[steps.forms[0].add_prefix("number")] = "2"
    data[steps.forms[1].add_prefix("number")] = "1"

    assert editor_client.post(url(exercise), data).status_code == 302

    assert list(exercise.steps.all())[:2] == [second, first]


def test_publish_and_unpublish_actions(editor_client: Client, seeded_library, make_exercise):
    ready = Exercise.objects.get(slug="toe-yoga")
    Exercise.objects.filter(pk=ready.pk).update(status="draft")
    bare = make_exercise(status="draft", name="Bare draft")
    changelist = "/admin/exercises/exercise/"

    response = editor_client.post(
        changelist,
        {"action": "publish", "_selected_action": [ready.pk, bare.pk]},
        follow=True,
    )

    html = response.content.decode()
    assert "Published 1 exercise(s)." in html
    assert "“Bare draft” stays a draft: it still needs its steps; a safety tip" in html
    assert Exercise.objects.get(pk=ready.pk).status == "published"
    assert Exercise.objects.get(pk=bare.pk).is_draft

    editor_client.post(changelist, {"action": "unpublish", "_selected_action": [ready.pk]})
    assert Exercise.objects.get(pk=ready.pk).is_draft


def test_view_on_site_opens_a_draft_for_staff(editor_client: Client, seeded_library):
    exercise = Exercise.objects.get(slug="heel-walk")
    Exercise.objects.filter(pk=exercise.pk).update(status="draft")
    page = editor_client.get(url(exercise)).content.decode()
    view_on_site = page.split('class="viewsitelink"')[0].rsplit('href="', 1)[1].split('"')[0]

    response = editor_client.get(view_on_site, follow=True)

    assert response.status_code == 200
    assert response.redirect_chain[-1][0].endswith("/exercises/heel-walk/")
    assert "Only staff can see this page." in response.content.decode()


def test_changelist_filters_and_search(editor_client: Client, seeded_library):
    changelist = "/admin/exercises/exercise/"
    html = editor_client.get(changelist).content.decode()
    titles = ("status", "level", "calf-heavy", "position", "muscles", "conditions", "equipment")
    for title in titles:
        assert f"By {title}" in html, title

    soleus = Muscle.objects.get(slug="soleus")
    by_muscle = editor_client.get(changelist, {"muscles__id__exact": soleus.pk, "level": "4"})
    by_status = editor_client.get(changelist, {"status__exact": "draft"})

    assert {e.slug for e in by_muscle.context["cl"].result_list} == {
        "calf-drop-step-bent-knee",
        "calf-drop-step-single-leg",
        "soleus-raise-weighted",
    }
    assert by_status.context["cl"].result_count == 0
    searched = editor_client.get(changelist, {"q": "marble"})
    assert [e.slug for e in searched.context["cl"].result_list] == ["marble-pickup"]


def test_an_editor_can_curate_muscles_and_conditions_but_not_delete_them(
    editor_client: Client, seeded_library
):
    muscle = Muscle.objects.get(slug="soleus")
    condition = Condition.objects.get(slug="shin-splints")

    assert editor_client.get("/admin/exercises/muscle/add/").status_code == 200
    assert (
        editor_client.get(f"/admin/exercises/condition/{condition.pk}/change/").status_code == 200
    )
    assert editor_client.get(f"/admin/exercises/muscle/{muscle.pk}/delete/").status_code == 403
    assert Muscle.objects.filter(pk=muscle.pk).exists()


def test_an_editor_sets_our_own_and_each_dose_numbers_provenance(
    editor_client: Client, seeded_library
):
    exercise = Exercise.objects.get(slug="toe-walk")
    data = change_form_data(editor_client.get(url(exercise)))
    assert data["dose_sets_from_source"] == "on"
    data.pop("dose_sets_from_source")
    data["dose_duration_from_source"] = "on"
    data["our_own"] = "on"

    response = editor_client.post(url(exercise), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    exercise.refresh_from_db()
    assert exercise.our_own
    assert not exercise.dose_sets_from_source
    assert exercise.dose_duration_from_source
    assert [row.from_source for row in exercise.dose_rows()] == [False, True]


def test_an_editor_writes_a_conditions_advice_for_runners_with_symptoms(
    editor_client: Client, seeded_library
):
    condition = Condition.objects.get(slug="shin-splints")
    page = editor_client.get(f"/admin/exercises/condition/{condition.pk}/change/")
    data = {
        name: page.context["adminform"].form[name].value()
        for name in page.context["adminform"].form.fields
    }
    assert data["with_symptoms"] == condition.with_symptoms

    data["with_symptoms"] = ""
    refused = editor_client.post(f"/admin/exercises/condition/{condition.pk}/change/", data)
    data["with_symptoms"] = "Only within the pain rule."
    saved = editor_client.post(f"/admin/exercises/condition/{condition.pk}/change/", data)

    assert refused.status_code == 200, "the advice is required"
    assert saved.status_code == 302
    condition.refresh_from_db()
    assert condition.with_symptoms == "Only within the pain rule."


def test_an_editor_marks_an_exercise_calf_heavy_and_the_plans_rules_follow(
    editor_client: Client, seeded_library
):
    # Issue 24, point 6: calf-heavy is the exercise's field, not its muscles' region.
    from routines.plans.facts import library_facts

    exercise = Exercise.objects.get(slug="towel-scrunch")
    data = change_form_data(editor_client.get(url(exercise)))
    assert "calf_heavy" not in data  # an unticked box
    data["calf_heavy"] = "on"

    response = editor_client.post(url(exercise), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Exercise.objects.get(pk=exercise.pk).calf_heavy
    assert next(f for f in library_facts() if f.slug == "towel-scrunch").calf_heavy
