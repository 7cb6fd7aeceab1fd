"""Review before publish: editors draft and submit, a reviewer approves or sends back.

A change to a published exercise is never written to its rows before approval: the
admin saves it as a proposal (`ExerciseChange.proposal`, a graph of
`exercises.history`) and runners go on seeing the published rows, cached or not. A
draft exercise, which runners cannot see, is edited in place; its change is the rows
themselves, and approving it publishes it.

A reviewer may not approve a change they made: neither the one they last edited nor a
draft whose rows they changed since its last approval. Approving applies the proposal
inside a revision of the history, refuses what `publication_gaps` names, and records the
reviewer and the date the page shows. Every decision locks the change's row, so a
second click (or a second reviewer at once) finds it decided and changes nothing.

The mails (a submission to the reviewers, a decision to its editor) are sent after the
commit: a mail server that is down is logged and never undoes the change.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

import reversion
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from .history import apply_graph
from .models import OPEN_STATES, ChangeState, Exercise, ExerciseChange, Status

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser

logger = logging.getLogger(__name__)

PUBLISH_PERMISSION = "exercises.publish_exercise"
REVIEWERS_GROUP = "Content reviewers"


class ReviewError(Exception):
    """A refused step of the workflow, in words an editor or a reviewer can act on."""


def goes_through_review(exercise: Exercise, user: AbstractBaseUser) -> bool:
    """Whether this user's change to this exercise waits for a reviewer.

    A superuser is the operator, like `seed_library`: their change applies at once (and
    is recorded in the history). Everyone else's change to a published exercise waits.
    """
    return exercise.status == Status.PUBLISHED and not user.is_superuser


def open_change(exercise: Exercise, *, lock: bool = False) -> ExerciseChange | None:
    changes = ExerciseChange.objects.filter(exercise=exercise, state__in=OPEN_STATES)
    if lock:
        changes = changes.select_for_update()
    return changes.first()


def propose(exercise: Exercise, graph: dict, user: AbstractBaseUser, note: str) -> ExerciseChange:
    """Keep this graph as the exercise's change under way, as a draft of this user's.

    An open change is replaced (its reviewer must see it again: it goes back to draft).
    """
    with transaction.atomic():
        Exercise.objects.select_for_update().get(pk=exercise.pk)
        change = open_change(exercise, lock=True) or ExerciseChange(exercise=exercise)
        change.proposal = graph
        change.author = user
        change.note = note[:300]
        change.state = ChangeState.DRAFT
        change.submitted_at = None
        change.save()
    return change


def submit(exercise: Exercise, user: AbstractBaseUser) -> ExerciseChange:
    """Send the exercise's change to the reviewers.

    A published exercise needs a change drafted first; a draft exercise's rows are the
    change, so submitting it needs none.
    """
    with transaction.atomic():
        exercise = Exercise.objects.select_for_update().get(pk=exercise.pk)
        change = open_change(exercise, lock=True)
        if change is None:
            if exercise.status == Status.PUBLISHED:
                raise ReviewError("There is no change to submit: save a change first.")
            change = ExerciseChange(exercise=exercise, author=user)
        elif change.state == ChangeState.SUBMITTED:
            raise ReviewError("This change is already waiting for review.")
        if change.proposal is None and (gaps := exercise.publication_gaps()):
            raise ReviewError(f"It cannot be published yet: it still needs {'; '.join(gaps)}.")
        change.author = user if change.proposal is None else change.author
        change.state = ChangeState.SUBMITTED
        change.submitted_at = timezone.now()
        change.save()
        transaction.on_commit(lambda: _tell_reviewers(change))
    return change


def may_review(change: ExerciseChange, user: AbstractBaseUser) -> str:
    """Why this user may not approve or send back this change; "" when they may."""
    if not user.has_perm(PUBLISH_PERMISSION):
        return "Only a content reviewer may approve or send back a change."
    if change.author_id == user.pk:
        return "You made this change: another reviewer must approve it."
    if change.proposal is None and _edited_since_review(change.exercise, user):
        return "You edited this draft: another reviewer must approve it."
    return ""


def _edited_since_review(exercise: Exercise, user: AbstractBaseUser) -> bool:
    versions = Version.objects.get_for_object(exercise).filter(revision__user=user)
    if exercise.reviewed_at:
        versions = versions.filter(revision__date_created__gt=exercise.reviewed_at)
    return versions.exists()


def _decide(change_id: int, user: AbstractBaseUser) -> ExerciseChange:
    change = ExerciseChange.objects.select_for_update().select_related("exercise").get(pk=change_id)
    if change.state != ChangeState.SUBMITTED:
        raise ReviewError(f"This change was already decided: {change.get_state_display()}.")
    if why := may_review(change, user):
        raise ReviewError(why)
    return change


def approve(change_id: int, reviewer: AbstractBaseUser, comment: str = "") -> ExerciseChange:
    """Publish the change: apply it, record who reviewed it, and tell its editor."""
    try:
        with transaction.atomic():
            change = _decide(change_id, reviewer)
            exercise = Exercise.objects.select_for_update().get(pk=change.exercise_id)
            with reversion.create_revision(atomic=False):
                reversion.set_user(reviewer)
                reversion.set_comment(f"Approved the change of {change.author} and published it.")
                if change.proposal is not None:
                    apply_graph(exercise, change.proposal)
                    exercise.refresh_from_db()
                if gaps := exercise.publication_gaps():
                    raise ReviewError(
                        f"It cannot be published: it still needs {'; '.join(gaps)}. "
                        "Send it back to its editor."
                    )
                exercise.status = Status.PUBLISHED
                exercise.reviewed_by = reviewer
                exercise.reviewed_at = timezone.now()
                exercise.save()
            change.state = ChangeState.APPROVED
            change.reviewer = reviewer
            change.review_comment = comment
            change.decided_at = exercise.reviewed_at
            change.save()
            transaction.on_commit(lambda: _tell_editor(change))
    except IntegrityError as error:
        raise ReviewError(
            f"The change no longer fits the library as it is now ({error}); send it back."
        ) from error
    return change


def send_back(change_id: int, reviewer: AbstractBaseUser, comment: str) -> ExerciseChange:
    """Return the change to its editor with what to do about it."""
    if not comment.strip():
        raise ReviewError("Say what the editor should change before sending it back.")
    with transaction.atomic():
        change = _decide(change_id, reviewer)
        change.state = ChangeState.SENT_BACK
        change.reviewer = reviewer
        change.review_comment = comment.strip()
        change.decided_at = timezone.now()
        change.save()
        transaction.on_commit(lambda: _tell_editor(change))
    return change


# -- Mail ---------------------------------------------------------------------------


def _review_address(change: ExerciseChange) -> str:
    return reverse("admin:exercises_exercisechange_change", args=[change.pk])


def _tell_reviewers(change: ExerciseChange) -> None:
    reviewers = (
        get_user_model()
        .objects.filter(groups__name=REVIEWERS_GROUP, is_active=True)
        .exclude(pk=change.author_id)
    )
    addresses = sorted({user.email for user in reviewers if user.email})
    _mail(
        addresses,
        f"To review: a change to {change.exercise}",
        f"{change.author} submitted a change to “{change.exercise}” for review.\n\n"
        f"Review it in the admin: {_review_address(change)}\n",
    )


def _tell_editor(change: ExerciseChange) -> None:
    if change.state == ChangeState.APPROVED:
        subject = f"Published: your change to {change.exercise}"
        body = f"{change.reviewer} approved your change to “{change.exercise}”: runners see it now."
    else:
        subject = f"Sent back: your change to {change.exercise}"
        body = (
            f"{change.reviewer} sent your change to “{change.exercise}” back:\n\n"
            f"{change.review_comment}\n\nIt is kept as you left it: {_review_address(change)}"
        )
    if change.review_comment and change.state == ChangeState.APPROVED:
        body += f"\n\nTheir comment: {change.review_comment}"
    author_email = change.author.email if change.author else ""
    _mail([author_email] if author_email else [], subject, body + "\n")


def _mail(addresses: list[str], subject: str, body: str) -> None:
    if not addresses:
        return
    try:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, addresses)
    except OSError as error:  # smtplib's errors, refused connections and timeouts alike
        # The change is committed already: a mail that could not leave is logged, never
        # a reason to lose or undo it.
        logger.error("Could not send %r: %s", subject, error)
