"""The content editors' workflow (issue 28): history with revert, review before publish,
"Reviewed by … on …" on the page, the mails, and who may do what."""

import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from reversion.models import Revision, Version

from exercises.models import ChangeState, Exercise, ExerciseChange, Muscle, StaffProfile
from routines.plans.models import WeeklyPlan

from ..concurrency import double_submit, needs_parallel_database
from ..conftest import make_staff
from ..footcare.conftest import closed_port
from .test_admin import change_form_data

pytestmark = pytest.mark.django_db

NEW_SUMMARY = "Lift only the big toe, then the other four: slowly, ten times each."


@pytest.fixture
def reviewer(django_user_model):
    user = make_staff("reviewer@example.com", "Content reviewers")
    StaffProfile.objects.create(user=user, public_name="Sam Okafor", credentials="PT, DPT")
    return user


@pytest.fixture
def second_reviewer(django_user_model):
    return make_staff("reviewer2@example.com", "Content reviewers")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def exercise_url(exercise: Exercise, view: str = "change") -> str:
    return f"/admin/exercises/exercise/{exercise.pk}/{view}/"


def change_url(change: ExerciseChange, view: str = "change") -> str:
    return f"/admin/exercises/exercisechange/{change.pk}/{view}/"


def edit_summary(client: Client, exercise: Exercise, summary: str) -> Any:
    data = change_form_data(client.get(exercise_url(exercise)))
    data["summary"] = summary
    return client.post(exercise_url(exercise), data)


def visitor_page(slug: str) -> str:
    return Client().get(f"/exercises/{slug}/").content.decode()


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_an_editors_change_is_invisible_to_runners_until_a_reviewer_approves_it(
    seeded_library, editor, reviewer, django_user_model, django_capture_on_commit_callbacks
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    published = exercise.summary
    runner = signed_in(django_user_model.objects.create_user("runner@example.com", "pw"))
    visitor_page("toe-yoga")  # cached for visitors at the current content version
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)

    saved = edit_summary(editor_client, exercise, NEW_SUMMARY)

    change = ExerciseChange.objects.get(exercise=exercise)
    assert saved.status_code == 302 and saved["Location"] == change_url(change)
    assert change.state == ChangeState.DRAFT and change.author == editor
    assert Exercise.objects.get(pk=exercise.pk).summary == published
    for page in (visitor_page("toe-yoga"), runner.get("/exercises/toe-yoga/").content.decode()):
        assert published in page and NEW_SUMMARY not in page
    # Staff see the published page with a banner, and preview the change.
    staff_page = editor_client.get("/exercises/toe-yoga/").content.decode()
    assert "A change to this exercise is under way" in staff_page and NEW_SUMMARY not in staff_page
    preview = editor_client.post(exercise_url(exercise, "preview")).content.decode()
    assert "Preview of a change waiting for review" in preview and NEW_SUMMARY in preview
    assert NEW_SUMMARY not in visitor_page("toe-yoga"), "the preview left nothing behind"
    assert Exercise.objects.get(pk=exercise.pk).summary == published

    with django_capture_on_commit_callbacks(execute=True):
        submitted = editor_client.post(exercise_url(exercise, "submit"), follow=True)
    assert "Submitted the change" in " ".join(messages_of(submitted))
    assert mail.outbox[-1].to == ["reviewer@example.com"]
    assert NEW_SUMMARY not in visitor_page("toe-yoga")

    review = reviewer_client.get(change_url(change)).content.decode()
    assert f"<del>{published}</del>" in review and f"<ins>{NEW_SUMMARY}</ins>" in review
    with django_capture_on_commit_callbacks(execute=True):
        approved = reviewer_client.post(change_url(change, "approve"), follow=True)

    assert "Approved" in " ".join(messages_of(approved))
    change.refresh_from_db()
    assert change.state == ChangeState.APPROVED and change.reviewer == reviewer
    page = visitor_page("toe-yoga")
    assert NEW_SUMMARY in page and published not in page
    assert re.search(r"Reviewed by Sam Okafor, PT, DPT\s+on <time[^>]*>\d+ \w+ \d{4}</time>", page)
    assert NEW_SUMMARY in runner.get("/exercises/toe-yoga/").content.decode()
    assert mail.outbox[-1].to == ["editor@example.com"]
    assert "Published" in mail.outbox[-1].subject


def test_an_editor_cannot_approve_and_a_reviewer_cannot_approve_their_own_change(
    seeded_library, editor, reviewer, second_reviewer
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    published = exercise.summary
    reviewer_client = signed_in(reviewer)
    edit_summary(reviewer_client, exercise, NEW_SUMMARY)
    reviewer_client.post(exercise_url(exercise, "submit"))
    change = ExerciseChange.objects.get(exercise=exercise)

    by_editor = signed_in(editor).post(change_url(change, "approve"))
    own = reviewer_client.post(change_url(change, "approve"), follow=True)

    assert by_editor.status_code == 403
    assert "You made this change: another reviewer must approve it." in messages_of(own)
    assert "You made this change" in reviewer_client.get(change_url(change)).content.decode()
    assert Exercise.objects.get(pk=exercise.pk).summary == published
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED

    signed_in(second_reviewer).post(change_url(change, "approve"))
    assert Exercise.objects.get(pk=exercise.pk).summary == NEW_SUMMARY
    exercise.refresh_from_db()
    assert exercise.reviewed_by == second_reviewer
    # A reviewer without a staff profile: the page gives the date alone.
    assert re.search(r"Reviewed\s+on <time", visitor_page("toe-yoga"))


def test_a_draft_is_published_by_approval_and_its_editor_may_not_approve_it(
    seeded_library, editor, reviewer, second_reviewer
):
    exercise = Exercise.objects.get(slug="heel-walk")
    Exercise.objects.filter(pk=exercise.pk).update(status="draft")
    reviewer_client = signed_in(reviewer)
    # The reviewer edits the draft in place (runners cannot see it); the editor submits it.
    assert edit_summary(reviewer_client, exercise, NEW_SUMMARY).status_code == 302
    assert Exercise.objects.get(pk=exercise.pk).summary == NEW_SUMMARY
    assert Client().get("/exercises/heel-walk/").status_code == 404
    signed_in(editor).post(exercise_url(exercise, "submit"))
    change = ExerciseChange.objects.get(exercise=exercise)

    own = reviewer_client.post(change_url(change, "approve"), follow=True)
    assert "You edited this draft: another reviewer must approve it." in messages_of(own)
    assert Client().get("/exercises/heel-walk/").status_code == 404

    signed_in(second_reviewer).post(change_url(change, "approve"))
    assert NEW_SUMMARY in visitor_page("heel-walk")


def test_approval_still_refuses_what_publication_gaps_names(
    seeded_library, editor, reviewer, make_exercise
):
    bare = make_exercise(status="draft", name="Bare draft")
    refused = signed_in(editor).post(exercise_url(bare, "submit"), follow=True)
    assert "It cannot be published yet: it still needs its steps" in " ".join(messages_of(refused))
    assert not ExerciseChange.objects.filter(exercise=bare, state="submitted").exists()

    # A change that removes the safety tips of a published exercise is refused on approval.
    exercise = Exercise.objects.get(slug="toe-yoga")
    editor_client = signed_in(editor)
    page = editor_client.get(exercise_url(exercise))
    data = change_form_data(page)
    tips = next(
        i.formset for i in page.context["inline_admin_formsets"] if i.formset.prefix == "tips"
    )
    for form in tips.forms:
        if form.instance.pk and form.instance.kind == "safety":
            data[form.add_prefix("DELETE")] = "on"
    response = editor_client.post(exercise_url(exercise), data)
    # The admin refuses it as it would a superuser's: the rule is checked at each save.
    assert response.status_code == 200
    assert "A published exercise needs a safety tip." in response.content.decode()
    assert not ExerciseChange.objects.filter(exercise=exercise).exists()


def test_send_back_needs_a_comment_and_tells_the_editor(
    seeded_library, editor, reviewer, django_capture_on_commit_callbacks
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    edit_summary(editor_client, exercise, NEW_SUMMARY)
    editor_client.post(exercise_url(exercise, "submit"))
    change = ExerciseChange.objects.get(exercise=exercise)

    empty = reviewer_client.post(change_url(change, "send-back"), {"comment": " "}, follow=True)
    assert "Say what the editor should change" in " ".join(messages_of(empty))
    with django_capture_on_commit_callbacks(execute=True):
        reviewer_client.post(change_url(change, "send-back"), {"comment": "Say which foot first."})

    change.refresh_from_db()
    assert change.state == ChangeState.SENT_BACK
    assert change.review_comment == "Say which foot first."
    assert mail.outbox[-1].to == ["editor@example.com"]
    assert "Say which foot first." in mail.outbox[-1].body
    assert "Say which foot first." in editor_client.get(change_url(change)).content.decode()
    assert NEW_SUMMARY not in visitor_page("toe-yoga")
    # The editor edits again and resubmits the same change.
    edit_summary(editor_client, exercise, NEW_SUMMARY + " Left foot first.")
    editor_client.post(exercise_url(exercise, "submit"))
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED
    assert change.proposal["fields"]["summary"].endswith("Left foot first.")


def test_approving_twice_applies_once(seeded_library, editor, reviewer):
    exercise = Exercise.objects.get(slug="toe-yoga")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    edit_summary(editor_client, exercise, NEW_SUMMARY)
    editor_client.post(exercise_url(exercise, "submit"))
    change = ExerciseChange.objects.get(exercise=exercise)

    first = reviewer_client.post(change_url(change, "approve"))
    second = reviewer_client.post(change_url(change, "approve"), follow=True)

    assert first.status_code == 302
    assert "This change was already decided: Approved and published." in messages_of(second)
    assert Revision.objects.filter(comment__startswith="Approved").count() == 1


@needs_parallel_database
@pytest.mark.django_db(transaction=True)
def test_two_approvals_at_once_apply_once(staff_groups, seeded_library, editor, reviewer):
    exercise = Exercise.objects.get(slug="toe-yoga")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    edit_summary(editor_client, exercise, NEW_SUMMARY)
    editor_client.post(exercise_url(exercise, "submit"))
    change = ExerciseChange.objects.get(exercise=exercise)

    responses = double_submit(reviewer_client, change_url(change, "approve"), {})

    assert [r.status_code for r in responses] == [302, 302]
    assert Revision.objects.filter(comment__startswith="Approved").count() == 1
    assert Exercise.objects.get(pk=exercise.pk).summary == NEW_SUMMARY


def test_a_mail_server_that_is_down_loses_no_change(
    seeded_library, editor, reviewer, settings, django_capture_on_commit_callbacks, caplog
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port(), "timeout": 2},
        }
    }
    exercise = Exercise.objects.get(slug="toe-yoga")
    editor_client, reviewer_client = signed_in(editor), signed_in(reviewer)
    edit_summary(editor_client, exercise, NEW_SUMMARY)
    with django_capture_on_commit_callbacks(execute=True):
        submitted = editor_client.post(exercise_url(exercise, "submit"))
        change = ExerciseChange.objects.get(exercise=exercise)
        approved = reviewer_client.post(change_url(change, "approve"))

    assert submitted.status_code == approved.status_code == 302
    assert [r.message.split(":")[0] for r in caplog.records if "Could not send" in r.message] == [
        "Could not send 'To review",
        "Could not send 'Published",
    ]
    assert NEW_SUMMARY in visitor_page("toe-yoga")


# -- History and revert ---------------------------------------------------------------


def test_the_history_shows_each_change_as_a_difference_and_reverts_it(
    seeded_library, admin_client: Client, admin_user
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    first = exercise.summary
    edit_summary(admin_client, exercise, "Second wording.")
    page = admin_client.get(exercise_url(exercise))
    data = change_form_data(page)
    data["summary"] = "Third wording."
    steps = page.context["inline_admin_formsets"][0].formset
    old_step = steps.forms[0].instance.text
    data[steps.forms[0].add_prefix("text")] = "Sit tall with both feet flat."
    admin_client.post(exercise_url(exercise), data)

    history = admin_client.get(exercise_url(exercise, "history")).content.decode()

    assert "<del>Second wording.</del>" in history and "<ins>Third wording.</ins>" in history
    assert "Sit tall with both feet flat." in history and old_step in history
    assert history.count("Revert to this version") == 1  # not the current one
    older = Version.objects.get_for_object(exercise).order_by("pk").first()
    reverted = admin_client.post(exercise_url(exercise, f"history/{older.pk}/revert"), follow=True)

    assert "now reads as the version of" in " ".join(messages_of(reverted))
    page = visitor_page("toe-yoga")
    assert "Second wording." in page and old_step in page and "Sit tall" not in page
    assert first not in page
    newest = Version.objects.get_for_object(exercise).order_by("-pk").first()
    assert newest.revision.comment.startswith("Reverted to the version of")
    assert newest.revision.user == admin_user
    # Reverting again to the same version changes nothing and records nothing.
    again = admin_client.post(exercise_url(exercise, f"history/{older.pk}/revert"), follow=True)
    assert "already reads as the version of" in " ".join(messages_of(again))
    assert Version.objects.get_for_object(exercise).count() == 3


def test_an_editors_revert_of_a_published_exercise_goes_through_review(
    seeded_library, admin_client: Client, editor, reviewer
):
    exercise = Exercise.objects.get(slug="toe-yoga")
    first = exercise.summary
    edit_summary(admin_client, exercise, "Second wording.")
    edit_summary(admin_client, exercise, "Third wording.")
    older = Version.objects.get_for_object(exercise).order_by("pk").first()
    editor_client = signed_in(editor)

    editor_client.post(exercise_url(exercise, f"history/{older.pk}/revert"))

    change = ExerciseChange.objects.get(exercise=exercise)
    assert change.note.startswith("Revert to the version of")
    assert "Third wording." in visitor_page("toe-yoga")
    editor_client.post(exercise_url(exercise, "submit"))
    signed_in(reviewer).post(change_url(change, "approve"))
    assert "Second wording." in visitor_page("toe-yoga")
    assert first not in visitor_page("toe-yoga")


def test_muscles_keep_a_history_an_editor_reverts(seeded_library, editor):
    muscle = Muscle.objects.get(slug="soleus")
    client = signed_in(editor)
    url = f"/admin/exercises/muscle/{muscle.pk}/"
    for description in ("Version one.", "Version two."):
        page = client.get(url + "change/")
        data = {
            name: page.context["adminform"].form[name].value()
            for name in page.context["adminform"].form.fields
        }
        data["description"] = description
        assert client.post(url + "change/", data).status_code == 302
    older = Version.objects.get_for_object(muscle).order_by("pk").first()

    history = client.get(url + "history/").content.decode()
    client.post(url + f"history/{older.pk}/revert/")

    assert "<del>Version one.</del>" in history and "editor@example.com" in history
    assert Muscle.objects.get(pk=muscle.pk).description == "Version one."
    assert "Version one." in Client().get("/muscles/soleus/").content.decode()


def test_a_seed_run_is_recorded_in_the_history(db, tmp_path):
    call_command("seed_library", stdout=io.StringIO())

    run, starters = Revision.objects.order_by("pk")
    exercise = Exercise.objects.get(slug="toe-yoga")
    assert run.comment == "Seed run from library.yaml." and run.user is None
    assert Version.objects.get_for_object(exercise).get().revision == run
    assert run.version_set.filter(content_type__model="exercisestep").count() > 10
    assert starters.comment == "Seed run from starter_plans.yaml."
    assert starters.version_set.filter(content_type__model="starterplanitem").count() > 5
    # A seed that changes nothing records nothing.
    call_command("seed_library", stdout=io.StringIO())
    assert Revision.objects.count() == 2


def test_starter_plans_keep_a_history_with_their_items(seeded_library, admin_client: Client):
    from routines.plans.models import StarterPlan
    from routines.plans.starter_content import read_starter_plans, starter_plans_seed

    starter_plans_seed(data=read_starter_plans())
    starter = StarterPlan.objects.order_by("pk").first()
    url = f"/admin/plans/starterplan/{starter.pk}/"
    first_summary = starter.summary
    page = admin_client.get(url + "change/")
    data = change_form_data(page)
    data["summary"] = "For runners new to strength work."
    items = next(
        i.formset
        for i in page.context["inline_admin_formsets"]
        if i.formset.model.__name__ == "StarterPlanItem"
    )
    data[items.forms[0].add_prefix("sets")] = "4"
    assert admin_client.post(url + "change/", data).status_code == 302
    data = change_form_data(admin_client.get(url + "change/"))
    data["summary"] = "Changed again."
    assert admin_client.post(url + "change/", data).status_code == 302

    history = admin_client.get(url + "history/").content.decode()
    older = Version.objects.get_for_object(starter).order_by("pk").first()
    admin_client.post(url + f"history/{older.pk}/revert/")

    assert "<del>For runners new to strength work.</del>" in history
    assert "<ins>Changed again.</ins>" in history
    starter.refresh_from_db()
    assert starter.summary == "For runners new to strength work." != first_summary
    assert starter.items.order_by("weekday", "position", "pk").first().sets == 4


# -- Who may do what ------------------------------------------------------------------

ROLES = ["anonymous", "runner", "editor", "reviewer", "superuser"]
# What each role gets: "login" (sent to the admin's login), "denied" (403), or "ok".
MATRIX = {
    "view": {"editor": "ok", "reviewer": "ok", "superuser": "ok"},
    "change": {"editor": "proposed", "reviewer": "proposed", "superuser": "applied"},
    "submit": {"editor": "ok", "reviewer": "ok", "superuser": "ok"},
    "approve": {"editor": "denied", "reviewer": "ok", "superuser": "ok"},
    "revert": {"editor": "proposed", "reviewer": "proposed", "superuser": "applied"},
}


@pytest.fixture
def people(django_user_model, editor, reviewer) -> dict[str, Any]:
    runner = django_user_model.objects.create_user("runner@example.com", "pw")
    superuser = django_user_model.objects.create_superuser("root@example.com", "pw")
    return {
        "anonymous": None,
        "runner": runner,
        "editor": editor,
        "reviewer": reviewer,
        "superuser": superuser,
    }


@pytest.mark.parametrize("action", list(MATRIX))
@pytest.mark.parametrize("role", ROLES)
def test_the_permission_matrix(seeded_library, people, django_user_model, role, action):
    exercise = Exercise.objects.get(slug="toe-yoga")
    author = make_staff("author@example.com", "Content editors")
    client = signed_in(people[role]) if people[role] else Client()
    expected = MATRIX[action].get(role, "login" if role in ("anonymous", "runner") else "denied")
    published = exercise.summary

    if action == "view":
        response = client.get(exercise_url(exercise))
        ok = response.status_code == 200
    elif action == "change":
        data = change_form_data(signed_in(people["superuser"]).get(exercise_url(exercise)))
        response = client.post(exercise_url(exercise), {**data, "summary": NEW_SUMMARY})
        ok = response.status_code == 302
    elif action == "submit":
        edit_summary(signed_in(author), exercise, NEW_SUMMARY)
        response = client.post(exercise_url(exercise, "submit"))
        ok = ExerciseChange.objects.filter(state="submitted").exists()
    elif action == "approve":
        author_client = signed_in(author)
        edit_summary(author_client, exercise, NEW_SUMMARY)
        author_client.post(exercise_url(exercise, "submit"))
        change = ExerciseChange.objects.get()
        response = client.post(change_url(change, "approve"))
        ok = Exercise.objects.get(pk=exercise.pk).summary == NEW_SUMMARY
    else:
        root = signed_in(people["superuser"])
        edit_summary(root, exercise, NEW_SUMMARY)
        edit_summary(root, exercise, published + " Again.")
        older = Version.objects.get_for_object(exercise).order_by("pk").first()
        response = client.post(exercise_url(exercise, f"history/{older.pk}/revert"))
        ok = response.status_code == 302

    if expected == "login":
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
        assert not ExerciseChange.objects.exclude(author=author).exists()
        assert not Exercise.objects.filter(summary=NEW_SUMMARY).exists() or action == "revert"
    elif expected == "denied":
        assert response.status_code == 403
        assert Exercise.objects.get(pk=exercise.pk).summary != NEW_SUMMARY
    elif expected == "proposed":
        assert ok
        assert ExerciseChange.objects.filter(author=people[role], state="draft").exists()
        live = Exercise.objects.get(pk=exercise.pk).summary
        assert live == (published if action == "change" else published + " Again.")
    elif expected == "applied":
        assert ok and not ExerciseChange.objects.exists()
        live = Exercise.objects.get(pk=exercise.pk).summary
        assert live == (NEW_SUMMARY if action == "change" else NEW_SUMMARY)
    else:
        assert ok, response


def test_no_editor_or_reviewer_reaches_a_runners_own_data(
    seeded_library, editor, reviewer, django_user_model
):
    runner = django_user_model.objects.create_user("runner@example.com", "pw")
    plan = WeeklyPlan.objects.create(owner=runner, name="Mine")
    for user in (editor, reviewer):
        client = signed_in(user)
        assert client.get("/admin/plans/weeklyplan/").status_code == 403
        assert client.get(f"/admin/plans/weeklyplan/{plan.pk}/change/").status_code == 403
        assert client.get(f"/admin/accounts/user/{runner.pk}/change/").status_code == 403
        assert client.get("/admin/exercises/staffprofile/").status_code == 403
        assert client.get("/admin/reversion/revision/").status_code == 404
        assert client.get("/admin/exercises/exercise/recover/").status_code == 403


def test_the_editor_goes_on_editing_the_change_under_way(seeded_library, editor, reviewer):
    exercise = Exercise.objects.get(slug="toe-yoga")
    client = signed_in(editor)
    page = client.get(exercise_url(exercise))
    data = change_form_data(page)
    data["summary"] = NEW_SUMMARY
    steps = page.context["inline_admin_formsets"][0].formset
    new_step = steps.forms[-1]  # the empty extra row
    data[new_step.add_prefix("number")] = "9"
    data[new_step.add_prefix("text")] = "Rest both feet flat for a breath."
    assert client.post(exercise_url(exercise), data).status_code == 302
    live_steps = exercise.steps.count()

    # The form now shows the change, new step included; saving again keeps all of it.
    page = client.get(exercise_url(exercise))
    assert page.context["adminform"].form["summary"].value() == NEW_SUMMARY
    assert "This form shows the change under way" in page.content.decode()
    data = change_form_data(page)
    assert "Rest both feet flat for a breath." in data.values()
    data["dose_note"] = "Slowly."
    assert client.post(exercise_url(exercise), data).status_code == 302

    assert exercise.steps.count() == live_steps
    assert Exercise.objects.get(pk=exercise.pk).dose_note != "Slowly."
    client.post(exercise_url(exercise, "submit"))
    signed_in(reviewer).post(change_url(ExerciseChange.objects.get(), "approve"))
    exercise.refresh_from_db()
    assert (exercise.summary, exercise.dose_note) == (NEW_SUMMARY, "Slowly.")
    assert exercise.steps.count() == live_steps + 1
    assert exercise.steps.filter(text="Rest both feet flat for a breath.").count() == 1


def test_approval_refuses_a_draft_that_lost_what_publishing_needs(seeded_library, editor, reviewer):
    exercise = Exercise.objects.get(slug="heel-walk")
    Exercise.objects.filter(pk=exercise.pk).update(status="draft")
    signed_in(editor).post(exercise_url(exercise, "submit"))
    change = ExerciseChange.objects.get(exercise=exercise, state="submitted")
    exercise.tips.filter(kind="safety").delete()  # after submitting, before the review

    refused = signed_in(reviewer).post(change_url(change, "approve"), follow=True)

    assert "It cannot be published: it still needs a safety tip." in " ".join(messages_of(refused))
    change.refresh_from_db()
    assert change.state == ChangeState.SUBMITTED
    assert Exercise.objects.get(pk=exercise.pk).is_draft
    assert not Revision.objects.filter(comment__startswith="Approved").exists()
