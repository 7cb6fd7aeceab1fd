from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "routines.training"
    label = "training"
    verbose_name = "Workout log"

    def ready(self) -> None:
        from . import exports  # noqa: F401  (the data export's sections)

        _follow_for_runner_pages()


def _follow_for_runner_pages() -> None:
    """What moves a runner's kept pages on (footcare.page_cache) when saved outside their
    own requests: the admin, a command, the shell."""
    from footcare.page_cache import follow
    from routines.plans.apps import owner_of

    from .models import ExerciseLog, MorningCheckIn, SetLog, WorkoutSession

    for model in (WorkoutSession, MorningCheckIn):
        follow(model, owner_of("owner_id"))
    # Their own deletes only: in a cascade (an account, a session) each row would look up
    # its owner, and the parent moves the pages on itself. Nor a read before each save: a
    # log or a set never changes hands but with its session.
    follow(ExerciseLog, owner_of("session.owner_id"), cascades=False, moves=False)
    follow(SetLog, owner_of("log.session.owner_id"), cascades=False, moves=False)
