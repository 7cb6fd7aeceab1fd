from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save


def _content_changed(**kwargs) -> None:
    from .cache import bump_content_version

    bump_content_version()


class ExercisesConfig(AppConfig):
    name = "exercises"
    verbose_name = "Exercise library"

    def ready(self) -> None:
        # Every row of this app is library content: any save or delete of one, and any
        # change to a many-to-many between them, moves the content version on
        # (`exercises.cache`). Queryset `update()` and `bulk_create()` send no signals:
        # the admin's actions and the seed bump themselves.
        for model in self.get_models():
            post_save.connect(_content_changed, sender=model, dispatch_uid=f"library-{model}")
            post_delete.connect(_content_changed, sender=model, dispatch_uid=f"library-d-{model}")
        for field in self.get_model("Exercise")._meta.many_to_many:
            m2m_changed.connect(
                _content_changed, sender=field.remote_field.through, dispatch_uid=f"library-{field}"
            )

        from . import history, signals

        history.register_library()

        post_migrate.connect(signals.search_index_install, sender=self)
