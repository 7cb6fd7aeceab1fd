"""Checking an uploaded picture before anything of it is saved, and storing what passed.

`check_picture` reads the upload and either raises ValidationError with a message an
editor can act on, or returns a `CheckedPicture`: the file to keep and its smaller copies.

- Only JPEG, PNG, WebP and SVG, at most 10 MB.
- A raster is decoded by Pillow (limited to its own formats, so a renamed file is refused)
  after its pixel count is checked against `MAX_PIXELS` (a decompression bomb is refused
  before it is decompressed). The original is kept, re-encoded without its metadata (a
  phone photo's EXIF carries GPS), turned upright first; smaller copies are WebP.
- An SVG is parsed by defusedxml (no DTD, no entities) and refused if it carries a script,
  an event handler, a foreignObject or any reference outside itself; it is kept as sent,
  and not resized (it scales by itself).
"""

from __future__ import annotations

import io
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from defusedxml import ElementTree as SafeTree
from defusedxml.common import DefusedXmlException
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_BYTES = 10 * 1024 * 1024
# 40 megapixels: any phone photo, far short of what would exhaust memory once decoded.
MAX_PIXELS = 40_000_000
# The widths of the WebP copies: a phone, a phone at 2x or a narrow column, a desktop.
WIDTHS = (320, 640, 1024)
WEBP_QUALITY = 80

RASTER = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}
ALLOWED = "JPEG, PNG, WebP or SVG"

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
# Elements that run code or pull in another document.
REFUSED_ELEMENTS = {"script", "foreignObject", "iframe", "embed", "object", "audio", "video"}
# A url(...) or @import in a style that points anywhere but inside the drawing.
OUTSIDE_IN_STYLE = re.compile(r"@import|url\(\s*['\"]?\s*(?!#)", re.IGNORECASE)


@dataclass
class CheckedPicture:
    original: ContentFile
    width: int
    height: int
    # (width, height, WebP bytes), narrowest first.
    copies: list[tuple[int, int, bytes]] = field(default_factory=list)


def check_picture(upload) -> CheckedPicture:
    """The upload, checked and cleaned; ValidationError says why it is refused."""
    name = PurePath(upload.name or "").name
    suffix = PurePath(name).suffix.lower()
    if suffix != ".svg" and suffix not in RASTER:
        raise ValidationError(f"“{name}” is not a picture we take: upload a {ALLOWED} file.")
    if upload.size is not None and upload.size > MAX_BYTES:
        raise ValidationError(
            f"“{name}” is {upload.size / 1024 / 1024:.1f} MB: a picture may be at most "
            f"{MAX_BYTES // 1024 // 1024} MB. Save it smaller and upload it again."
        )
    upload.seek(0)
    data = upload.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationError(f"“{name}” is larger than {MAX_BYTES // 1024 // 1024} MB.")
    if suffix == ".svg":
        return _checked_svg(name, data)
    return _checked_raster(name, data, RASTER[suffix])


def _checked_raster(name: str, data: bytes, expected: str) -> CheckedPicture:
    not_a_picture = ValidationError(
        f"“{name}” is not a {expected.title()} picture (it may be another kind of file "
        f"renamed): upload a {ALLOWED} file."
    )
    try:
        # Pillow's own bomb check as an error rather than a warning, under our lower limit.
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=[expected])
            if image.width * image.height > MAX_PIXELS:
                raise Image.DecompressionBombError
            image.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(
            f"“{name}” is too many pixels to open safely (at most {MAX_PIXELS // 1_000_000} "
            "megapixels): resize it and upload it again."
        ) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise not_a_picture from None

    image = ImageOps.exif_transpose(image)  # upright, as the phone showed it
    if image.mode not in ("RGB", "RGBA", "L", "LA"):
        image = image.convert("RGBA" if "A" in image.getbands() else "RGB")
    # Re-encoded from the pixels alone: no EXIF (GPS, camera, time), no XMP, no comments.
    clean = Image.frombytes(image.mode, image.size, image.tobytes())
    out = io.BytesIO()
    if expected == "JPEG":
        clean.convert("RGB").save(out, "JPEG", quality=92, optimize=True)
    elif expected == "PNG":
        clean.save(out, "PNG", optimize=True)
    else:
        clean.save(out, "WEBP", quality=90)
    copies = []
    for width in WIDTHS:
        if width >= clean.width:
            break
        height = round(clean.height * width / clean.width)
        copy = io.BytesIO()
        clean.resize((width, height), Image.Resampling.LANCZOS).save(
            copy, "WEBP", quality=WEBP_QUALITY
        )
        copies.append((width, height, copy.getvalue()))
    return CheckedPicture(ContentFile(out.getvalue(), name=name), clean.width, clean.height, copies)


def _local(name: str) -> str:
    return name.rpartition("}")[2]


def svg_problems(data: bytes) -> list[str]:
    """What makes this SVG unsafe to show, in words; [] when nothing does."""
    try:
        root = SafeTree.fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        return ["it declares a DTD or entities"]
    except SafeTree.ParseError:
        return ["it is not a well-formed SVG file"]
    if root.tag != f"{{{SVG_NS}}}svg":
        return ["it is not an SVG drawing (its root is not <svg> in the SVG namespace)"]
    problems = []
    for element in root.iter():
        tag = _local(element.tag) if isinstance(element.tag, str) else ""
        if tag in REFUSED_ELEMENTS:
            problems.append(f"it has a <{tag}> element")
        for attribute, value in element.attrib.items():
            local = _local(attribute)
            if local.lower().startswith("on"):
                problems.append(f"<{tag}> has an event handler ({local})")
            elif local == "href" and not value.strip().startswith("#"):
                problems.append(f"<{tag}> links outside the drawing ({value[:60]})")
            elif local == "style" and OUTSIDE_IN_STYLE.search(value):
                problems.append(f"<{tag}> has a style that loads something from outside")
        if tag == "style" and OUTSIDE_IN_STYLE.search(element.text or ""):
            problems.append("its <style> loads something from outside")
    return list(dict.fromkeys(problems))


def svg_size(data: bytes) -> tuple[int, int]:
    """The drawing's width and height in its own units (its viewBox, else width/height)."""
    root = SafeTree.fromstring(data, forbid_dtd=True)
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        if len(box) == 4:
            return round(float(box[2])), round(float(box[3]))
        return round(float(root.get("width", ""))), round(float(root.get("height", "")))
    except ValueError:
        return 0, 0


def _checked_svg(name: str, data: bytes) -> CheckedPicture:
    if problems := svg_problems(data):
        raise ValidationError(
            f"“{name}” is refused: {'; '.join(problems)}. Save the drawing without "
            "scripts, event handlers or links to other files and upload it again."
        )
    width, height = svg_size(data)
    if not (width and height):
        raise ValidationError(f"“{name}” has no size: give its <svg> a viewBox.")
    return CheckedPicture(ContentFile(data, name=name), width, height)


def store_copies(storage: Storage, original_name: str, checked: CheckedPicture) -> list[dict]:
    """Save the WebP copies beside the stored original; their entries for `renditions`."""
    stem = PurePath(original_name).with_suffix("")
    return [
        {
            "width": width,
            "height": height,
            "name": storage.save(f"{stem}-{width}w.webp", ContentFile(data)),
        }
        for width, height, data in checked.copies
    ]


def picture_size(picture) -> tuple[int, int]:
    """A stored picture's width and height, read from its file (static or media)."""
    from django.contrib.staticfiles import finders

    if picture.stored_in == "static":
        found = finders.find(picture.static_path)
        data = Path(found).read_bytes() if found else b""
    else:
        with picture.image.open("rb") as stored:
            data = stored.read(MAX_BYTES + 1)
    if picture.file_name.endswith(".svg"):
        return svg_size(data) if data else (0, 0)
    with Image.open(io.BytesIO(data)) as image:
        return image.size
