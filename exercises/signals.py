"""Keep what search reads about each exercise current, whoever changes the library.

The admin, `seed_library` and the shell all save through the models, so these receivers
see every edit that changes an exercise's conditions or muscles, or their names. Bulk
inserts skip signals: `library_seed` and `library_bulk_add` refresh the text themselves.
"""

from __future__ import annotations

from typing import Any

from django.db import connections
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Condition, ExerciseCondition, ExerciseMuscle, Muscle
from .search import fts_install, related_text_refresh


@receiver(post_save, sender=ExerciseCondition)
@receiver(post_delete, sender=ExerciseCondition)
@receiver(post_save, sender=ExerciseMuscle)
@receiver(post_delete, sender=ExerciseMuscle)
def link_changed(sender: type, instance: ExerciseCondition | ExerciseMuscle, **kwargs: Any):
    related_text_refresh([instance.exercise_id])


@receiver(post_save, sender=Condition)
@receiver(post_save, sender=Muscle)
def topic_renamed(sender: type, instance: Condition | Muscle, created: bool, **kwargs: Any):
    if not created:
        related_text_refresh(instance.exercise_links.values_list("exercise_id", flat=True))


def search_index_install(sender: Any, using: str, **kwargs: Any) -> None:
    # Connected in ExercisesConfig.ready() for this app only: see fts_install for why.
    fts_install(connections[using])
