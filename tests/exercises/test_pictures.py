"""Pictures of exercises (issue 25): upload checks, storage, the content file, the pages.

Every refusal is checked to say why and to save nothing: no row, no file in storage.
"""

import copy
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from exercises import workflow
from exercises.content.drawings import DRAWINGS_DIR, drawings
from exercises.content.file import LibraryFileError, parse_library, render_library
from exercises.content.seed import library_seed, library_snapshot
from exercises.models import Exercise, ExercisePicture, Muscle, Status
from exercises.muscle_map import mapped_slugs
from exercises.pictures import MAX_BYTES, WIDTHS, check_picture, svg_problems

from .test_admin import change_form_data, url

pytestmark = pytest.mark.django_db

GOOD_SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 120 90">'
    b'<rect x="10" y="10" width="50" height="40" fill="#0f766e"/></svg>'
)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    """Uploads go to a fresh folder per test, so a test can see what was (not) saved."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()] if media.exists() else []


def photo(size=(1500, 1000), fmt="JPEG", *, gps: bool = False, orientation: int = 0) -> bytes:
    image = Image.new("RGB", size, (200, 120, 40))
    exif = Image.Exif()
    if gps:
        exif[0x010F] = "PhoneMaker"  # Make
        gps_ifd = exif.get_ifd(0x8825)
        gps_ifd[1], gps_ifd[2] = "N", (51.0, 30.0, 12.0)
        gps_ifd[3], gps_ifd[4] = "W", (0.0, 7.0, 40.0)
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    image.save(out, fmt, **({"exif": exif} if gps or orientation else {}))
    return out.getvalue()


def upload(name: str, data: bytes, content_type: str = "image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# The checks, one by one -----------------------------------------------------------------------


def test_a_photo_is_kept_without_its_metadata_and_gets_webp_copies():
    checked = check_picture(upload("calf.jpg", photo(gps=True)))

    kept = Image.open(io.BytesIO(checked.original.read()))
    assert kept.format == "JPEG" and kept.size == (1500, 1000)
    exif = kept.getexif()
    assert not exif.get_ifd(0x8825), "GPS must be stripped"
    assert 0x010F not in exif and "exif" not in kept.info
    assert [(w, h) for w, h, _ in checked.copies] == [(320, 213), (640, 427), (1024, 683)]
    for width, _, data in checked.copies:
        copy_image = Image.open(io.BytesIO(data))
        assert copy_image.format == "WEBP" and copy_image.width == width


def test_the_source_photo_did_carry_gps():
    # The check above means something only if Pillow wrote the GPS we strip.
    assert Image.open(io.BytesIO(photo(gps=True))).getexif().get_ifd(0x8825)


def test_a_sideways_phone_photo_is_turned_upright_before_its_exif_goes():
    checked = check_picture(upload("side.jpg", photo((1200, 800), orientation=6)))
    assert (checked.width, checked.height) == (800, 1200)


def test_a_small_picture_gets_no_copies_wider_than_itself():
    checked = check_picture(upload("small.png", photo((500, 300), "PNG"), "image/png"))
    assert [w for w, _, _ in checked.copies] == [320]
    assert Image.open(io.BytesIO(checked.original.read())).format == "PNG"
    assert max(WIDTHS) == 1024


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("calf.gif", b"GIF89a....", "is not a picture we take: upload a JPEG, PNG, WebP or SVG"),
        ("notes.pdf", b"%PDF-1.4", "is not a picture we take"),
        ("calf.jpg", b"#!/bin/sh\necho this is a script renamed\n", "may be another kind of file"),
        ("calf.jpg", photo((40, 40), "PNG"), "is not a Jpeg picture"),  # a PNG renamed .jpg
        ("calf.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "is not a Png picture"),  # truncated
    ],
)
def test_what_is_not_a_picture_is_refused_with_why(name, data, message):
    with pytest.raises(ValidationError) as refused:
        check_picture(upload(name, data))
    assert message in refused.value.messages[0]


def test_a_decompression_bomb_is_refused_before_it_is_decoded():
    # 12,000 x 12,000 one-bit pixels: a few kilobytes of PNG, 144 megapixels once opened.
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    assert len(out.getvalue()) < 100_000

    with pytest.raises(ValidationError) as refused:
        check_picture(upload("bomb.png", out.getvalue(), "image/png"))
    assert "too many pixels to open safely" in refused.value.messages[0]


def test_a_file_over_10_mb_is_refused():
    big = upload("huge.jpg", b"\xff\xd8" + b"\0" * MAX_BYTES)
    with pytest.raises(ValidationError) as refused:
        check_picture(big)
    assert "a picture may be at most 10 MB" in refused.value.messages[0]


@pytest.mark.parametrize(
    ("svg", "problem"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "<script>"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "event handler (onload)"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:x="http://www.w3.org/1999/xlink">'
            b'<image x:href="https://tracker.example/p.png"/></svg>',
            "links outside the drawing",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)">'
            b"<rect/></a></svg>",
            "links outside the drawing",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><p>hi</p>'
            b"</foreignObject></svg>",
            "<foreignObject>",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><style>@import url(https://x.example/a.css)'
            b"</style></svg>",
            "loads something from outside",
        ),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg"><rect style="fill:url(https://x.example/f)"'
            b"/></svg>",
            "loads something from outside",
        ),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            "DTD or entities",
        ),
        (b"<svg><rect/></svg>", "not an SVG drawing"),  # no SVG namespace
        (b"\x89PNG\r\n\x1a\n", "not a well-formed SVG"),  # a PNG renamed .svg
    ],
)
def test_an_unsafe_svg_is_refused_saying_what_it_carries(svg, problem):
    with pytest.raises(ValidationError) as refused:
        check_picture(upload("drawing.svg", svg, "image/svg+xml"))
    assert problem in refused.value.messages[0]


def test_a_clean_svg_is_kept_as_sent_and_not_resized():
    checked = check_picture(upload("drawing.svg", GOOD_SVG, "image/svg+xml"))
    assert checked.original.read() == GOOD_SVG
    assert (checked.width, checked.height, checked.copies) == (120, 90, [])


def test_a_reference_inside_the_drawing_is_allowed():
    inside = (
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><marker id="m"/>'
        b'</defs><path d="M0 0L5 5" style="marker-end:url(#m)"/><use href="#m"/></svg>'
    )
    assert svg_problems(inside) == []


# In the admin -------------------------------------------------------------------------------


def post_picture(editor_client: Client, exercise: Exercise, file: SimpleUploadedFile, **extra):
    page = editor_client.get(url(exercise))
    data = change_form_data(page)
    formset = next(
        inline.formset
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is ExercisePicture
    )
    new = formset.forms[-1]  # the empty extra row
    data.update(
        {
            new.add_prefix("order"): "3",
            new.add_prefix("kind"): "step",
            new.add_prefix("alt"): "Standing on one foot on a step, heel lifted.",
            new.add_prefix("caption"): "A photo of the top position.",
            new.add_prefix("credit"): "A. Runner",
            new.add_prefix("licence"): "CC BY 4.0",
            new.add_prefix("image"): file,
            **extra,
        }
    )
    return editor_client.post(url(exercise), data)


def test_an_editor_uploads_a_photo_and_it_is_stored_with_its_copies(
    editor_client, seeded_library, media, django_user_model
):
    exercise = Exercise.objects.get(slug="calf-raise")

    response = post_picture(editor_client, exercise, upload("IMG_0001.JPG", photo(gps=True)))

    assert response.status_code == 302, response.context and response.context["errors"]
    # A published exercise changes through review: runners see no new picture until then.
    assert not exercise.pictures.filter(kind="step").exists()
    change = workflow.open_change(exercise)
    editor = change.author
    workflow.submit(exercise, editor)
    reviewer = django_user_model.objects.create_user("reviewer@example.com", "pw", is_staff=True)
    reviewer.groups.add(Group.objects.get(name="Content reviewers"))
    workflow.approve(change.pk, reviewer)
    picture = exercise.pictures.get(kind="step")
    assert picture.stored_in == "media" and picture.static_path == ""
    assert re.fullmatch(r"exercises/pictures/[0-9a-f]{32}\.jpg", picture.image.name)
    assert (picture.width, picture.height) == (1500, 1000)
    assert [r["width"] for r in picture.renditions] == [320, 640, 1024]
    stored = Image.open(media / picture.image.name)
    assert not stored.getexif().get_ifd(0x8825)
    for rendition in picture.renditions:
        assert Image.open(media / rendition["name"]).format == "WEBP"
    assert len(stored_files(media)) == 4


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (upload("calf.jpg", b"MZ\x90\x00 not a picture at all"), "may be another kind of file"),
        (upload("calf.exe", b"MZ\x90\x00"), "is not a picture we take"),
        (upload("huge.jpg", b"\xff\xd8" + b"\0" * MAX_BYTES), "at most 10 MB"),
        (
            upload("x.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>'),
            "event handler",
        ),
    ],
    ids=["renamed", "not-an-image", "too-big", "scripted-svg"],
)
def test_a_refused_upload_says_why_and_saves_nothing(
    editor_client, seeded_library, media, file, message
):
    exercise = Exercise.objects.get(slug="calf-raise")
    before = list(exercise.pictures.values_list("pk", flat=True))
    summary = exercise.summary

    response = post_picture(editor_client, exercise, file, summary="Changed at the same time.")

    assert response.status_code == 200
    assert message in response.content.decode()
    assert list(exercise.pictures.values_list("pk", flat=True)) == before
    exercise.refresh_from_db()
    assert exercise.summary == summary  # nothing else of the form was saved either
    assert stored_files(media) == []


def test_a_decompression_bomb_is_refused_in_the_admin(editor_client, seeded_library, media):
    out = io.BytesIO()
    Image.new("1", (12_000, 12_000)).save(out, "PNG")
    exercise = Exercise.objects.get(slug="calf-raise")

    response = post_picture(editor_client, exercise, upload("bomb.png", out.getvalue()))

    assert "too many pixels to open safely" in response.content.decode()
    assert not exercise.pictures.filter(kind="step").exists()
    assert stored_files(media) == []


def test_a_picture_needs_its_alt_text(editor_client, seeded_library, media):
    exercise = Exercise.objects.get(slug="calf-raise")
    file = upload("calf.jpg", photo((400, 300)))

    response = post_picture(editor_client, exercise, file, **{"pictures-2-alt": ""})

    assert response.status_code == 200
    assert not exercise.pictures.filter(kind="step").exists()
    assert stored_files(media) == []


def test_a_published_exercise_keeps_at_least_one_picture(editor_client, seeded_library):
    exercise = Exercise.objects.get(slug="toe-yoga")
    page = editor_client.get(url(exercise))
    data = change_form_data(page)
    for n in range(exercise.pictures.count()):
        data[f"pictures-{n}-DELETE"] = "on"

    response = editor_client.post(url(exercise), data)

    assert response.status_code == 200
    assert "A published exercise needs a picture with alt text." in response.content.decode()
    assert exercise.pictures.count() == 2


def test_the_change_page_previews_pictures_and_the_map(editor_client, seeded_library):
    exercise = Exercise.objects.get(slug="calf-raise")
    html = editor_client.get(url(exercise)).content.decode()

    assert "As runners see it" in html
    assert 'src="/static/exercises/drawings/calf-raise-start.svg"' in html
    assert 'class="region region-primary"' in html
    assert "css/pictures.css" in html


# On the pages -------------------------------------------------------------------------------


def uploaded(exercise: Exercise, order: int, size=(1500, 1000)) -> ExercisePicture:
    from exercises.admin import ExercisePictureForm

    form = ExercisePictureForm(
        data={
            "order": str(order),
            "kind": "step",
            "alt": f"Step {order}: heel lifted.",
            "caption": "",
            "credit": "A. Runner",
            "licence": "CC BY 4.0",
        },
        files={"image": upload(f"p{order}.jpg", photo(size))},
        instance=ExercisePicture(exercise=exercise),
    )
    assert form.is_valid(), form.errors
    return form.save()


def test_the_page_sends_srcset_sizes_and_dimensions_and_lazy_below_the_fold(client, seeded_library):
    exercise = Exercise.objects.get(slug="calf-raise")
    third = uploaded(exercise, 3)

    html = client.get("/exercises/calf-raise/").content.decode()

    images = re.findall(r"<img [^>]*>", html.split('class="pictures"')[1].split("</section>")[0])
    assert len(images) == 3
    for tag in images:
        assert re.search(r'width="\d+" height="\d+"', tag)
        assert 'alt="' in tag and 'alt=""' not in tag
    # The start and end positions are on the first screen; the step after them is not.
    assert "loading=" not in images[0] and "loading=" not in images[1]
    assert 'loading="lazy"' in images[2]
    assert 'width="1500" height="1000"' in images[2]
    srcset = re.search(r'srcset="([^"]+)"', images[2]).group(1)
    widths = [int(w) for w in re.findall(r" (\d+)w", srcset)]
    assert widths == [320, 640, 1024, 1500]
    assert third.renditions[0]["name"].rsplit("/", 1)[1] in srcset
    assert 'sizes="(min-width: 48rem) 20rem, 45vw"' in images[2]


def test_the_page_shows_a_picture_before_the_dose(client, seeded_library):
    html = client.get("/exercises/calf-raise/").content.decode()
    assert html.index('class="pictures"') < html.index('id="dose-heading"')
    assert 'alt="Standing on one foot, flat on the floor, heel down."' in html
    assert "Drawn by Footcare" in html


def test_the_library_card_shows_a_small_picture(client, seeded_library):
    exercise = Exercise.objects.get(slug="toe-yoga")
    exercise.pictures.all().delete()
    uploaded(exercise, 1)

    # Every page of the library: a card for each published exercise, each with its picture.
    html = (
        client.get("/exercises/").content.decode()
        + client.get("/exercises/?page=2").content.decode()
    )

    thumbs = re.findall(r'<img class="exercise-card-picture"[^>]*>', html)
    assert len(thumbs) == Exercise.objects.published().count()
    toe_yoga = next(t for t in thumbs if "exercises/pictures/" in t)
    assert 'sizes="6rem"' in toe_yoga and 'loading="lazy"' in toe_yoga
    assert 'width="1500" height="1000"' in toe_yoga
    assert all('alt=""' in t for t in thumbs)  # the card's name says it; no repeat


def test_the_exercise_page_highlights_its_muscles_on_the_map(client, seeded_library):
    html = client.get("/exercises/soleus-raise/").content.decode()
    data = next(e for e in seeded_library["exercises"] if e["slug"] == "soleus-raise")

    for link in data["muscles"]:
        if link["muscle"] not in mapped_slugs():
            continue
        muscle = Muscle.objects.get(slug=link["muscle"])
        words = "mainly worked" if link["role"] == "primary" else "also worked"
        assert f'<a href="/muscles/{muscle.slug}/" aria-label="{muscle.name}: {words}">' in html
        assert f'class="region region-{link["role"]}"' in html
    assert "Mainly worked" in html and "Also worked" in html
    assert html.count('<title id="map-') == 4 and html.count('<desc id="map-') == 4


def test_a_muscle_page_highlights_its_own_region(client, seeded_library):
    html = client.get("/muscles/soleus/").content.decode()
    assert '<path class="region region-own"' in html and html.count("region-own") == 1
    assert "<title>Soleus: this muscle</title>" in html
    # Nothing on the map links away: the muscles' own pages are linked from /muscles/.
    the_map = html.split('class="muscle-map"')[1].split('class="muscle-map-card"')[0]
    assert "<a " not in the_map.split("</section>")[0]


def test_only_worked_muscles_link_from_the_exercise_map(client, seeded_library):
    html = client.get("/exercises/toe-yoga/").content.decode()
    linked = re.findall(r'<a href="(/muscles/[a-z-]+/)" aria-label', html)
    worked = {
        f"/muscles/{link.muscle.slug}/"
        for link in Exercise.objects.get(slug="toe-yoga").muscle_links.select_related("muscle")
    }
    assert set(linked) == worked
    # Each also a text link of its own in "Muscles it works".
    for href in worked:
        assert f'<li><a href="{href}">' in html


def test_every_library_muscle_has_a_region_on_the_map(seeded_library):
    assert {m["slug"] for m in seeded_library["muscles"]} == mapped_slugs()


# The seeded drawings and the content file ---------------------------------------------------


def test_every_published_exercise_has_pictures_with_alt_text(content_file_data):
    for exercise in content_file_data["exercises"]:
        if exercise["status"] == Status.PUBLISHED:
            kinds = [p["kind"] for p in exercise["pictures"]]
            assert kinds == ["start", "end"], exercise["slug"]
            assert all(p["alt"].strip() and p["credit"] for p in exercise["pictures"])


def test_the_committed_drawings_are_what_the_generator_draws_and_are_safe():
    expected = drawings()
    assert sorted(p.name for p in DRAWINGS_DIR.glob("*.svg")) == sorted(expected)
    for name, text in expected.items():
        assert (DRAWINGS_DIR / name).read_text(encoding="utf-8") == text, name
        assert svg_problems(text.encode()) == [], name


def test_seeding_stores_pictures_and_export_gives_the_file_back(seeded_library):
    picture = ExercisePicture.objects.get(
        exercise__slug="calf-raise", static_path="exercises/drawings/calf-raise-start.svg"
    )
    assert (picture.width, picture.height, picture.stored_in) == (240, 180, "static")
    text = render_library(library_snapshot())
    assert text == render_library(seeded_library)


def test_an_uploaded_picture_round_trips_through_the_file(seeded_library, media):
    exercise = Exercise.objects.get(slug="calf-raise")
    picture = uploaded(exercise, 3)
    snapshot = library_snapshot()
    row = next(e for e in snapshot["exercises"] if e["slug"] == "calf-raise")
    assert row["pictures"][-1]["file"] == picture.image.name
    assert row["pictures"][-1]["stored_in"] == "media"

    # A change elsewhere in the exercise rewrites its rows: the upload keeps its copies.
    row["pictures"][0]["caption"] = "Start: one foot flat."
    library_seed(data=parse_library(render_library(snapshot)))

    again = exercise.pictures.get(image=picture.image.name)
    assert again.renditions == picture.renditions and again.width == 1500
    assert render_library(library_snapshot()) == render_library(snapshot)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            lambda p: p.update(file="exercises/drawings/nowhere.svg"),
            "pictures[0].file: no static file 'exercises/drawings/nowhere.svg'",
        ),
        (
            lambda p: p.update(file="exercises/pictures/gone.jpg", stored_in="media"),
            "pictures[0].file: no file 'exercises/pictures/gone.jpg' in media storage",
        ),
        (lambda p: p.update(alt=" "), "pictures[0].alt: expected a line of text"),
        (lambda p: p.update(kind="side"), "pictures[0].kind"),
    ],
)
def test_a_bad_picture_in_the_file_is_refused_saying_where(content_file_data, change, problem):
    data = copy.deepcopy(content_file_data)
    change(data["exercises"][0]["pictures"][0])
    with pytest.raises(LibraryFileError) as refused:
        parse_library(render_library_raw(data))
    assert problem in str(refused.value)


def test_a_published_exercise_without_pictures_is_refused(content_file_data):
    data = copy.deepcopy(content_file_data)
    data["exercises"][0]["pictures"] = []
    with pytest.raises(LibraryFileError) as refused:
        parse_library(render_library_raw(data))
    assert "a published exercise needs a picture with alt text" in str(refused.value)


def render_library_raw(data) -> str:
    """The file's text without the canonical check (which would refuse a bad kind first)."""
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
