"""The product's name and the scheme's or network's logo, configurable in one place.

The name is configuration (LMS_PRODUCT_NAME). The logo is a PNG or SVG that an
administrator uploads (kept in BRANDING_DIR, by default instance/branding) or, failing
that, a file named by LMS_LOGO_PATH. Finding it is a look at the disk, never a query, so
showing it in every page's header costs no SQL.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from flask import current_app, url_for
from flask_babel import get_locale

#: Logo kinds accepted: extension -> content type.
LOGO_TYPES = {"png": "image/png", "svg": "image/svg+xml"}


def product_name() -> str:
    """The name shown in the header, page titles, emails and certificates: its Welsh form
    (LMS_PRODUCT_NAME_CY) on Welsh pages and in Welsh emails, when there is one."""
    welsh = current_app.config.get("PRODUCT_NAME_CY")
    if welsh and str(get_locale()) == "cy":
        return welsh
    return current_app.config["PRODUCT_NAME"]


def branding_dir() -> Path:
    return Path(_branding_folder())


def _branding_folder() -> str:
    return current_app.config.get("BRANDING_DIR") or os.path.join(
        current_app.instance_path, "branding")


def uploaded_logo() -> Path | None:
    found = _first_file(_uploaded_candidates())
    return Path(found[0]) if found else None


def logo_file() -> Path | None:
    """The logo to show: the uploaded one, else the configured file, else none."""
    found = _first_file(_logo_candidates())
    return Path(found[0]) if found else None


def logo_url() -> str | None:
    """The logo's address for every page's header (logo_file()'s choice)."""
    found = _first_file(_logo_candidates())
    if found is None:
        return None
    # Its change time in the address: a new logo is fetched at once despite caching.
    return url_for("branding.logo_image", v=int(found[1].st_mtime))


def _uploaded_candidates() -> list[str]:
    folder = _branding_folder()
    return [os.path.join(folder, f"logo.{extension}") for extension in LOGO_TYPES]


def _logo_candidates() -> list[str]:
    """Where a logo may be, in order: uploaded, then configured (a PNG or SVG only)."""
    candidates = _uploaded_candidates()
    configured = current_app.config.get("LOGO_PATH")
    if configured and Path(configured).suffix.lstrip(".").lower() in LOGO_TYPES:
        candidates.append(str(configured))
    return candidates


def _first_file(candidates: list[str]) -> tuple[str, os.stat_result] | None:
    """The first candidate that is a file, with its status: one stat call each on plain
    paths (every page's header asks; Path objects and is_file-then-stat were a twentieth
    of a signed-in page's frame)."""
    for candidate in candidates:
        try:
            found = os.stat(candidate)
        except OSError:
            continue
        if stat.S_ISREG(found.st_mode):
            return candidate, found
    return None


def template_globals() -> dict:
    return {"product_name": product_name, "logo_url": logo_url}
