"""What every page gets: navigation for the signed-in person, and security headers."""

from flask import request, url_for
from flask_login import current_user

from lms import clock
from lms.notify.services import unread_count
from lms.practice.models import (
    HARM_CATEGORIES,
    PRACTITIONER_ROLES,
    PROCESS_TYPES,
    RATINGS,
    STAGES,
)
from lms.reports.charts import bar_chart_svg
from lms.schemes.models import Role
from lms.timezones import format_local

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def navigation() -> list[tuple[str, str]]:
    """(endpoint, label) pairs the signed-in person's roles allow."""
    if not current_user.is_authenticated:
        return [("main.index", "Home"), ("public.register", "Register"),
                ("public.verify_pasted", "Check a credential")]
    items = [("main.index", "Home"), ("dashboard.index", "My learning"),
             ("learning.catalogue", "Courses"), ("sessions.index", "Sessions"),
             ("practice.index", "My practice"), ("accreditation.pathway", "Accreditation")]
    if current_user.is_admin or current_user.has_role(Role.SUPERVISOR):
        items.append(("assess.queue", "To assess"))
    if current_user.is_admin or current_user.is_assessor:
        items.append(("decisions.index", "Applications"))
    if current_user.is_admin or current_user.has_role(Role.TRAINER, Role.LEAD):
        items.append(("training.learners", "Learners"))
    if current_user.is_admin or current_user.has_role(Role.LEAD):
        items.append(("reports.index", "Dashboard"))
        items.append(("people.index", "People"))
    items.append(("schemes.index", "Schemes"))
    items.append(("auth.profile", "My account"))
    return items


def url_for_page(number: int) -> str:
    """This page's address with the same filters, on page `number`."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "page": number}
    return url_for(request.endpoint, **args)


def unread_notifications() -> int:
    return unread_count(current_user) if current_user.is_authenticated else 0


def template_globals():
    return {"navigation": navigation, "url_for_page": url_for_page, "Role": Role,
            "unread_notifications": unread_notifications, "stages": STAGES,
            "process_types": PROCESS_TYPES, "practitioner_roles": PRACTITIONER_ROLES,
            "harm_categories": HARM_CATEGORIES, "ratings": RATINGS}


def security_headers(response):
    response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if request.endpoint != "static":
        # Pages hold personal data and one-time passwords: never keep them in a cache.
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def register_filters(app):
    # A true global (not a context variable), so imported macros can call it too.
    app.add_template_global(bar_chart_svg, "bar_chart_svg")
    app.add_template_filter(lambda m: format_local(m, "%d %b %Y"), "local_date")
    app.add_template_filter(lambda m: format_local(m, "%a %d %b %Y, %H:%M"), "local_datetime")
    app.add_template_filter(lambda m: format_local(m, "%H:%M"), "local_time")
    app.add_template_filter(days_ago, "days_ago")


def days_ago(moment) -> str:
    if moment is None:
        return ""
    days = (clock.utcnow() - moment).days
    return "today" if days < 1 else f"{days} day{'s' if days != 1 else ''}"
