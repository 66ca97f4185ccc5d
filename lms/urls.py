"""Absolute URLs, always on the configured canonical address (LMS_BASE_URL).

Links that leave the site (emails, QR codes, credential ids, the issuer) must not depend
on the Host header of whichever request made them: a spoofed Host would otherwise end up
in a genuinely signed credential.
"""

from typing import Any
from urllib.parse import urlsplit

from flask import current_app

#: Only development and tests may run without LMS_BASE_URL; production refuses to start.
FALLBACK_BASE_URL = "http://localhost"


def base_url() -> str:
    """The canonical address without a trailing slash, e.g. https://lms.example.org."""
    return (current_app.config.get("LMS_BASE_URL") or FALLBACK_BASE_URL).rstrip("/")


def absolute_url(endpoint: str, **values: Any) -> str:
    """The absolute URL of `endpoint` on the canonical address, with or without a request."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(parts.netloc, script_name=parts.path or "/",
                                       url_scheme=parts.scheme)
    return adapter.build(endpoint, values, force_external=True)


def absolute_path(path: str) -> str:
    """A site path such as "/practice/3" as an absolute URL on the canonical address."""
    return base_url() + "/" + path.lstrip("/")
