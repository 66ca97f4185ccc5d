"""The product's name and the scheme's or network's logo, configurable in one place."""

from flask import current_app


def product_name() -> str:
    """The name shown in the header, page titles, emails and certificates (LMS_PRODUCT_NAME)."""
    return current_app.config["PRODUCT_NAME"]
