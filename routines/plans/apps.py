from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "routines.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        _follow_for_runner_pages()


def owner_of(path: str):
    """`owner(instance)` for `footcare.page_cache.follow`: the owner's id along `path`
    ("plan.owner_id"), or None where a step is missing."""

    def owner(instance):
        for step in path.split(".")[:-1]:
            instance = getattr(instance, step, None)
        return getattr(instance, path.split(".")[-1], None)

    return owner


def _follow_for_runner_pages() -> None:
    """What moves a runner's kept pages on (footcare.page_cache) when saved outside their
    own requests: the admin, a command, the shell."""
    from django.db.models.signals import post_delete, post_save

    from exercises.cache import bump_content_version
    from footcare.page_cache import follow

    from .models import (
        DoseChange,
        PlanItem,
        StarterPlan,
        StarterPlanCitation,
        StarterPlanItem,
        WeeklyPlan,
    )

    for model in (WeeklyPlan, DoseChange):
        follow(model, owner_of("owner_id"))
    follow(PlanItem, owner_of("plan.owner_id"))

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
