"""What a runner types into the log stays theirs: an edit changes only what was changed, and a
refused value comes back in its form, beside its message, with everything else typed."""

from html.parser import HTMLParser

import pytest

from routines.training.models import ExerciseLog, SetLog, WorkoutSession

from .conftest import MONDAY

HTMX = {"HX-Request": "true"}


class FormFields(HTMLParser):
    """The fields of a page's one POST form, with what a browser would send for each."""

    def __init__(self) -> None:
        super().__init__()
        self.data: dict[str, str] = {}
        self.inside = False
        self.select: str | None = None
        self.textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post":
            self.inside = True
        if not self.inside or "name" not in a and tag != "option":
            return
        if tag == "input":
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data[a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.data[self.select] = a.get("value", "")
        elif tag == "textarea":
            self.textarea = a["name"]
            self.data[a["name"]] = ""

    def handle_data(self, data: str) -> None:
        if self.textarea:
            self.data[self.textarea] += data.removeprefix("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def as_posted(response, **changes) -> dict:
    """The edit page's form as a browser posts it, untouched but for `changes`."""
    parser = FormFields()
    parser.feed(response.text)
    data = {**parser.data, **changes}
    return {name: value for name, value in data.items() if value is not None}


def sets_of(log: ExerciseLog) -> list[tuple]:
    return list(log.sets.order_by("number").values_list("number", "amount", "amount_right"))


@pytest.fixture
def logged(runner, exercise, on_monday) -> ExerciseLog:
    """Ada's calf raises, one-sided, by hand: two sets that differ, left from right."""
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    log = ExerciseLog.objects.create(
        session=session,
        exercise=exercise("calf-raise"),
        per_side=True,
        sets_planned=3,
        sets_done=2,
        pain=2,
        effort=5,
    )
    SetLog.objects.create(log=log, number=1, amount=10, amount_right=9)
    SetLog.objects.create(log=log, number=2, amount=8, amount_right=7)
    return log


def edit_url(log: ExerciseLog) -> str:
    return f"/log/{log.session_id}/entries/{log.pk}/"


def test_editing_the_pain_alone_leaves_every_set_as_it_was(runner_client, logged):
    before = list(
        logged.sets.order_by("number").values_list("number", "amount", "amount_right", "done_at")
    )
    page = runner_client.get(edit_url(logged))
    assert page.status_code == 200

    response = runner_client.post(edit_url(logged), as_posted(page, pain="4"))

    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.pain, logged.effort, logged.sets_done) == (4, 5, 2)
    after = list(
        logged.sets.order_by("number").values_list("number", "amount", "amount_right", "done_at")
    )
    assert after == before


def test_editing_the_pain_alone_of_a_skipped_entry_keeps_its_sets(runner_client, logged):
    # /today/ keeps the sets ticked before Skip (so "Do it after all" brings them back):
    # an edit that only changes the pain must not throw them away.
    logged.skipped = True
    logged.save(update_fields=["skipped"])
    before = sets_of(logged)
    page = runner_client.get(edit_url(logged))

    response = runner_client.post(edit_url(logged), as_posted(page, pain="1"))

    assert response.status_code == 302
    logged.refresh_from_db()
    assert (logged.pain, logged.skipped) == (1, True)
    assert sets_of(logged) == before


def test_editing_one_set_changes_that_set_only(runner_client, logged):
    first = logged.sets.get(number=1)
    page = runner_client.get(edit_url(logged))

    runner_client.post(edit_url(logged), as_posted(page, **{"sets-1-amount": "9"}))

    assert sets_of(logged) == [(1, 10, 9), (2, 9, 7)]
    assert logged.sets.get(number=1).done_at == first.done_at


def test_a_set_is_removed_or_added_and_the_same_edit_again_changes_nothing(runner_client, logged):
    page = runner_client.get(edit_url(logged))
    data = as_posted(
        page,
        **{"sets-0-DELETE": "on", "sets-2-amount": "12", "sets-2-amount_right": "11"},
    )

    runner_client.post(edit_url(logged), data)
    runner_client.post(edit_url(logged), data)

    logged.refresh_from_db()
    assert sets_of(logged) == [(2, 8, 7), (3, 12, 11)]
    assert (logged.sets_done, logged.sets_planned) == (2, 3)


def test_a_set_added_elsewhere_after_the_page_was_drawn_survives_the_edit(runner_client, logged):
    page = runner_client.get(edit_url(logged))
    SetLog.objects.create(log=logged, number=3, amount=6, amount_right=6)
    logged.sets.filter(number=1).update(amount=11)

    response = runner_client.post(
        edit_url(logged), as_posted(page, effort="6", **{"sets-1-amount": "9"})
    )

    assert response.status_code == 302
    logged.refresh_from_db()
    assert sets_of(logged) == [(1, 11, 9), (2, 9, 7), (3, 6, 6)]
    assert (logged.effort, logged.sets_done) == (6, 3)


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_refused_set_comes_back_typed_beside_its_message(runner_client, logged, headers):
    page = runner_client.get(edit_url(logged))

    response = runner_client.post(
        edit_url(logged), as_posted(page, pain="3", **{"sets-1-amount": "150"}), headers=headers
    )

    assert response.status_code == 400
    assert "<html" in response.text
    assert 'name="sets-1-amount" value="150"' in response.text
    assert "A set is 0 to 100 reps." in response.text
    assert 'id="id_sets-1-amount_error"' in response.text
    assert 'name="pain" value="3"' in response.text
    logged.refresh_from_db()
    assert logged.pain == 2
    assert sets_of(logged) == [(1, 10, 9), (2, 8, 7)]


def test_one_sided_work_needs_the_right_side(runner_client, logged):
    page = runner_client.get(edit_url(logged))
    data = as_posted(page)
    del data["sets-0-amount_right"]

    response = runner_client.post(edit_url(logged), data)

    assert response.status_code == 400
    assert "Give the right side too" in response.text
    assert sets_of(logged) == [(1, 10, 9), (2, 8, 7)]


# A refused value comes back typed, beside its message --------------------------------------


def add_data(exercise, **fields) -> dict:
    prefix = f"add-{exercise.pk}"
    data = {"exercise": exercise.pk, "unit": "reps", "sets": "3", "amount": "10", **fields}
    return {"prefix": prefix, **{f"{prefix}-{name}": value for name, value in data.items()}}


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_an_exercise_refused_on_add_comes_back_as_typed(
    runner, runner_client, exercise, on_monday, headers
):
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    toes = exercise("toe-yoga")

    response = runner_client.post(
        f"/log/{session.pk}/add/",
        add_data(toes, amount="150", pain="2", load_note="a towel"),
        headers=headers,
    )

    assert response.status_code == 400
    prefix = f"add-{toes.pk}"
    assert "Not added: fix the fields below" in response.text
    assert f'action="/log/{session.pk}/add/"' in response.text
    assert f'name="{prefix}-amount" value="150"' in response.text
    assert f'id="id_{prefix}-amount_error"' in response.text
    assert "A set is 0 to 100 reps." in response.text
    assert f'name="{prefix}-pain" value="2"' in response.text
    assert f'name="{prefix}-load_note" value="a towel"' in response.text
    assert not session.logs.exists()


def test_a_refused_add_no_longer_offers_nine_hundred_reps(
    runner, runner_client, exercise, on_monday
):
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY)
    page = runner_client.get(f"/log/{session.pk}/?q=toe+yoga")
    prefix = f"add-{exercise('toe-yoga').pk}"
    assert f'name="{prefix}-amount" value="10" min="0" max="100"' in page.text


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_session_by_hand_refused_comes_back_as_typed(runner, runner_client, on_monday, headers):
    response = runner_client.post(
        "/log/new/", {"date": "2026-11-30", "notes": "Hotel room"}, headers=headers
    )
    assert response.status_code == 400
    assert 'value="2026-11-30"' in response.text
    assert "Hotel room</textarea>" in response.text
    assert 'id="id_date_error"' in response.text
    assert not runner.workout_sessions.exists()


@pytest.mark.parametrize(
    "headers",
    [{}, HTMX, {**HTMX, "HX-Target": "item"}],
    ids=["plain", "htmx-page", "htmx-card"],
)
def test_a_refused_set_on_today_comes_back_as_typed_in_the_page(
    runner_client, runner_with_plan, on_monday, headers
):
    from .conftest import monday_items

    calf, _ = monday_items(runner_with_plan)
    if headers.get("HX-Target") == "item":
        headers = {**headers, "HX-Target": f"item-{calf.pk}"}

    response = runner_client.post(
        f"/today/items/{calf.pk}/sets/2/",
        {"amount": "150", "amount_right": "12", "action": "done"},
        headers=headers,
    )

    assert response.status_code == 400
    assert 'name="amount" value="150" min="0" max="100"' in response.text
    assert f'id="set-{calf.pk}-2-amount_error"' in response.text
    assert "A set is 0 to 100 reps." in response.text
    assert f'id="item-{calf.pk}"' in response.text
    # The card alone for its own swap; else the whole page, in its style.
    whole = "HX-Target" not in headers
    assert ("<html" in response.text) is whole
    assert ("today.css" in response.text) is whole
    assert not SetLog.objects.exists()


@pytest.mark.parametrize("headers", [{}, HTMX], ids=["plain", "htmx"])
def test_a_sessions_date_refused_comes_back_as_typed(runner, runner_client, on_monday, headers):
    session = WorkoutSession.objects.create(owner=runner, date=MONDAY, notes="before")
    response = runner_client.post(
        f"/log/{session.pk}/", {"date": "2026-12-01", "notes": "Hotel gym"}, headers=headers
    )
    assert response.status_code == 400
    assert 'value="2026-12-01"' in response.text
    assert "Hotel gym</textarea>" in response.text
    assert 'id="id_date_error"' in response.text
    session.refresh_from_db()
    assert (session.date, session.notes) == (MONDAY, "before")
