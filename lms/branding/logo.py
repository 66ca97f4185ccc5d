"""Checking and storing an uploaded logo. A PNG must be a PNG; an SVG must be plain
drawing: no scripts, event handlers, external references, DTDs or entities, since a logo
is shown to everyone."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET  # DTDs and entities are refused before parsing

from lms.branding import LOGO_TYPES, branding_dir, uploaded_logo
from lms.i18n import gettext as _

MAX_BYTES = 512 * 1024
MAX_PIXELS = 4000
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
SVG_NS = "{http://www.w3.org/2000/svg}"
#: Attributes that may point outside the file: only fragment references (#id) are kept.
LINK_ATTRIBUTES = {"href", "{http://www.w3.org/1999/xlink}href", "src"}


class LogoRefused(Exception):
    """The file was refused; the message is shown next to the file field."""


def check(filename: str, data: bytes) -> str:
    """The extension ("png" or "svg") of an acceptable logo; raises LogoRefused."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in LOGO_TYPES:
        raise LogoRefused(_("Upload a PNG or SVG file."))
    if len(data) > MAX_BYTES:
        raise LogoRefused(_("The logo must be at most %(kb)d KB.", kb=MAX_BYTES // 1024))
    if extension == "png":
        _check_png(data)
    else:
        _check_svg(data)
    return extension


def _check_png(data: bytes) -> None:
    if not data.startswith(PNG_SIGNATURE) or data[12:16] != b"IHDR" or len(data) < 33:
        raise LogoRefused(_("This file is not a PNG image."))
    width, height = struct.unpack(">II", data[16:24])
    if not (0 < width <= MAX_PIXELS and 0 < height <= MAX_PIXELS):
        raise LogoRefused(_("The logo must be at most %(px)d pixels wide and high.",
                            px=MAX_PIXELS))


def _check_svg(data: bytes) -> None:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise LogoRefused(_("This file is not an SVG image.")) from None
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise LogoRefused(_("The SVG must not contain a DOCTYPE or entities."))
    try:
        root = ET.fromstring(text)  # noqa: S314 (no DTD or entity can reach the parser)
    except ET.ParseError:
        raise LogoRefused(_("This file is not an SVG image.")) from None
    if root.tag != f"{SVG_NS}svg":
        raise LogoRefused(_("This file is not an SVG image."))
    for element in root.iter():
        tag = element.tag.rsplit("}", 1)[-1].lower() if isinstance(element.tag, str) else ""
        if tag in {"script", "foreignobject", "iframe", "embed", "object"}:
            raise LogoRefused(_("The SVG must not contain scripts or embedded content."))
        for name, value in element.attrib.items():
            local = name.rsplit("}", 1)[-1].lower()
            if local.startswith("on"):
                raise LogoRefused(_("The SVG must not contain scripts or embedded content."))
            if (name in LINK_ATTRIBUTES or local == "href") and not value.startswith("#"):
                raise LogoRefused(_("The SVG must not refer to other files or addresses."))
            if "url(" in value and not re.fullmatch(r"\s*url\(\s*#[^)]*\)\s*", value):
                raise LogoRefused(_("The SVG must not refer to other files or addresses."))


def store(extension: str, data: bytes) -> None:
    """Replace the uploaded logo (written aside, then moved into place)."""
    folder = branding_dir()
    folder.mkdir(parents=True, exist_ok=True)
    remove()
    temporary = folder / f".logo.{extension}.new"
    temporary.write_bytes(data)
    temporary.replace(folder / f"logo.{extension}")


def remove() -> bool:
    """Remove the uploaded logo; whether there was one."""
    path = uploaded_logo()
    if path is None:
        return False
    path.unlink(missing_ok=True)
    return True
