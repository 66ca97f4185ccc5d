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
    return Path(current_app.config.get("BRANDING_DIR")
                or Path(current_app.instance_path) / "branding")


def uploaded_logo() -> Path | None:
    for extension in LOGO_TYPES:
        path = branding_dir() / f"logo.{extension}"
        if path.is_file():
            return path
    return None


def logo_file() -> Path | None:
    """The logo to show: the uploaded one, else the configured file, else none."""
    uploaded = uploaded_logo()
    if uploaded is not None:
        return uploaded
    configured = current_app.config.get("LOGO_PATH")
    if configured and Path(configured).suffix.lstrip(".").lower() in LOGO_TYPES \
            and Path(configured).is_file():
        return Path(configured)
    return None


def logo_url() -> str | None:
    """The logo's address for every page's header: logo_file()'s choice, found with one
    stat call per candidate on plain strings (Path objects and is_file-then-stat were a
    twentieth of a signed-in page's frame)."""
    folder = current_app.config.get("BRANDING_DIR") or os.path.join(
        current_app.instance_path, "branding")
    configured = current_app.config.get("LOGO_PATH")
    candidates = [os.path.join(folder, f"logo.{extension}") for extension in LOGO_TYPES]
    if configured and Path(configured).suffix.lstrip(".").lower() in LOGO_TYPES:
        candidates.append(str(configured))
    for candidate in candidates:
        try:
            found = os.stat(candidate)
        except OSError:
            continue
        if stat.S_ISREG(found.st_mode):
            # Its change time in the address: a new logo is fetched at once despite caching.
            return url_for("branding.logo_image", v=int(found.st_mtime))
    return None


def template_globals() -> dict:
    return {"product_name": product_name, "logo_url": logo_url}
