from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "routines.plans"
    label = "plans"
    verbose_name = "Plans"

    def ready(self) -> None:
        _follow_starter_content()


def _follow_starter_content() -> None:
    """Starter plans are library content, the same for every runner: any save or delete of
    one moves the content version on (`exercises.cache`), as a library edit does."""
    from django.db.models.signals import post_delete, post_save

    from exercises.cache import bump_content_version

    from .models import StarterPlan, StarterPlanCitation, StarterPlanItem

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
