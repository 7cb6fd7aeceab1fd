from django.apps import AppConfig


class RoutinesConfig(AppConfig):
    name = "routines"
    verbose_name = "Plans and logs"

    def ready(self) -> None:
        from . import exports  # noqa: F401

        _follow_for_runner_pages()


def _follow_for_runner_pages() -> None:
    """What moves a runner's kept pages on (footcare.page_cache) when saved outside their
    own requests: the admin, a command, the shell."""
    from django.db.models.signals import post_delete, post_save

    from exercises.cache import bump_content_version
    from footcare.page_cache import follow

    from .models import (
        DoseChange,
        ExerciseLog,
        MorningCheckIn,
        PlanItem,
        SetLog,
        StarterPlan,
        StarterPlanCitation,
        StarterPlanItem,
        WeeklyPlan,
        WorkoutSession,
    )

    def owner_of(path: str):
        def owner(instance):
            for step in path.split(".")[:-1]:
                instance = getattr(instance, step, None)
            return getattr(instance, path.split(".")[-1], None)

        return owner

    for model in (WeeklyPlan, WorkoutSession, MorningCheckIn, DoseChange):
        follow(model, owner_of("owner_id"))
    follow(PlanItem, owner_of("plan.owner_id"))
    # Their own deletes only: in a cascade (an account, a session) each row would look up
    # its owner, and the parent moves the pages on itself. Nor a read before each save: a
    # log or a set never changes hands but with its session.
    follow(ExerciseLog, owner_of("session.owner_id"), cascades=False, moves=False)
    follow(SetLog, owner_of("log.session.owner_id"), cascades=False, moves=False)

    # Starter plans are content, shown on every runner's plans page.
    def content_changed(**kwargs) -> None:
        bump_content_version()

    for model in (StarterPlan, StarterPlanCitation, StarterPlanItem):
        label = model._meta.label
        post_save.connect(
            content_changed, sender=model, dispatch_uid=f"starter-{label}", weak=False
        )
        post_delete.connect(
            content_changed, sender=model, dispatch_uid=f"starter-d-{label}", weak=False
        )
