"""The muscle map: the leg and foot from the back, the front, the inside and below, each
of the library's muscles its own region (a link to its page where the exercise works it).

A schematic of our own, drawn for where each muscle is, not an anatomical plate. The
shapes are here, the markup in templates/exercises/_muscle_map.html; `map_views` says
which regions an exercise (or a muscle page) highlights, and how.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from .models import Muscle, MuscleRole


@dataclass(frozen=True)
class View:
    key: str
    title: str
    description: str
    view_box: str
    outline: tuple[str, ...]
    # (muscle slug, path), drawn in this order: later regions lie over earlier ones.
    regions: tuple[tuple[str, str], ...]


VIEWS = (
    View(
        "back",
        "The leg from behind",
        "Hip, thigh, calf and heel seen from behind.",
        "0 0 100 240",
        (
            "M14 8 Q50 -4 86 8 L84 40 Q80 80 74 110 Q82 140 72 175 L64 205 L66 232 L36 232 "
            "L38 205 L28 175 Q18 140 26 110 Q20 80 16 40 Z",
        ),
        (
            ("gluteus-medius", "M16 10 Q32 4 46 8 L44 22 Q28 24 18 26 Z"),
            ("gluteus-maximus", "M20 26 Q50 12 80 26 Q82 44 72 50 Q50 56 28 50 Q18 44 20 26 Z"),
            ("hamstrings", "M28 56 Q50 62 72 56 L70 104 Q50 110 30 104 Z"),
            ("soleus", "M32 150 Q50 160 68 150 L64 192 Q50 198 36 192 Z"),
            (
                "gastrocnemius",
                "M28 116 Q50 106 72 116 Q78 140 66 162 Q58 166 50 156 "
                "Q42 166 34 162 Q22 140 28 116 Z",
            ),
        ),
    ),
    View(
        "front",
        "The leg from the front",
        "Thigh, shin and the top of the foot seen from the front.",
        "0 0 100 240",
        (
            "M16 8 Q50 -2 84 8 L80 60 Q78 90 72 112 Q76 150 66 198 L72 226 L28 226 L34 198 "
            "Q24 150 28 112 Q22 90 20 60 Z",
        ),
        (
            ("quadriceps", "M24 24 Q50 16 76 24 L72 104 Q50 112 28 104 Z"),
            ("fibularis", "M66 122 Q74 140 70 180 L64 182 Q66 150 60 124 Z"),
            ("tibialis-anterior", "M46 120 L58 122 Q62 156 58 196 L50 196 Q50 156 46 120 Z"),
            ("toe-extensors", "M38 204 L62 204 L68 224 L32 224 Z"),
        ),
    ),
    View(
        "inside",
        "The foot from the inside",
        "The lower leg, ankle and arch seen from the inner side of the foot.",
        "0 0 180 120",
        ("M44 0 L76 0 L78 62 Q100 78 150 88 Q172 94 170 108 L30 110 Q22 100 30 84 L44 62 Z",),
        (
            ("tibialis-posterior", "M48 10 L60 10 L62 66 Q74 80 96 86 L92 94 Q64 88 50 70 Z"),
            ("abductor-hallucis", "M36 96 Q80 90 140 98 L140 106 Q80 104 34 106 Z"),
        ),
    ),
    View(
        "sole",
        "The sole of the foot",
        "The underside of the foot, heel at the bottom and toes at the top.",
        "0 0 100 240",
        (
            "M34 236 Q20 200 24 150 Q22 100 18 60 Q22 30 40 28 L72 30 Q86 44 82 80 "
            "Q78 130 72 190 Q68 232 50 238 Z",
        ),
        (
            (
                "intrinsic-foot-muscles",
                "M30 80 Q50 72 76 82 Q72 140 64 180 Q46 186 32 176 Q28 130 30 80 Z",
            ),
            ("toe-flexors", "M22 54 Q24 34 40 32 L72 34 Q82 46 80 64 Q50 70 22 54 Z"),
        ),
    ),
)

ROLE_WORDS = {MuscleRole.PRIMARY: "mainly worked", MuscleRole.SECONDARY: "also worked"}


@dataclass(frozen=True)
class Region:
    muscle: Muscle | None
    slug: str
    path: str
    role: str  # "primary", "secondary", "own" (its own page) or ""

    @property
    def linked(self) -> bool:
        """A worked muscle's region links to its page. The page lists the same muscles as
        text links of full size, so the small shapes (a tendon's strip is a few pixels on a
        phone) are never the only way there (WCAG 2.5.8's equivalent-control exception);
        the rest are shapes with their names, and a muscle's own page does not link to
        itself."""
        return self.muscle is not None and self.role in ROLE_WORDS

    @property
    def label(self) -> str:
        name = self.muscle.name if self.muscle else self.slug.replace("-", " ")
        if self.role in ROLE_WORDS:
            return f"{name}: {ROLE_WORDS[self.role]}"
        return f"{name}: this muscle" if self.role == "own" else name


def map_views(muscles: Iterable[Muscle], roles: dict[str, str]) -> list[dict]:
    """The views with each region's muscle and role (by slug: "primary", "secondary",
    "own"), ready for the template."""
    by_slug = {muscle.slug: muscle for muscle in muscles}
    return [
        {
            "view": view,
            "regions": [
                Region(by_slug.get(slug), slug, path, roles.get(slug, ""))
                for slug, path in view.regions
            ],
        }
        for view in VIEWS
    ]


def mapped_slugs() -> set[str]:
    return {slug for view in VIEWS for slug, _ in view.regions}
