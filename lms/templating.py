"""What every page gets: navigation for the signed-in person, and security headers.
Features add their own template values through their blueprints (app_context_processor,
add_app_template_global), so this module depends on no feature."""

from flask import request, url_for
from flask_login import current_user

from lms import clock
from lms.schemes.models import Role
from lms.timezones import format_local

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


def navigation() -> list[tuple[str, str]]:
    """(endpoint, label) pairs the signed-in person's roles allow."""
    if not current_user.is_authenticated:
        return [("main.index", "Home"), ("accreditation.public.register", "Register"),
                ("accreditation.public.verify_pasted", "Check a credential")]
    items = [("main.index", "Home"), ("learning.home.index", "My learning"),
             ("learning.courses.catalogue", "Courses"), ("learning.sessions.index", "Sessions"),
             ("practice.records.index", "My practice"),
             ("accreditation.pathway.pathway", "Accreditation")]
    if current_user.is_admin or current_user.has_role(Role.SUPERVISOR):
        items.append(("practice.assess.queue", "To assess"))
    if current_user.is_admin or current_user.is_assessor:
        items.append(("accreditation.decisions.index", "Applications"))
    if current_user.is_admin or current_user.has_role(Role.TRAINER, Role.LEAD):
        items.append(("learning.training.learners", "Learners"))
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


def template_globals():
    return {"navigation": navigation, "url_for_page": url_for_page, "Role": Role}


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
    app.add_template_filter(lambda m: format_local(m, "%d %b %Y"), "local_date")
    app.add_template_filter(lambda m: format_local(m, "%a %d %b %Y, %H:%M"), "local_datetime")
    app.add_template_filter(lambda m: format_local(m, "%H:%M"), "local_time")
    app.add_template_filter(days_ago, "days_ago")


def days_ago(moment) -> str:
    if moment is None:
        return ""
    days = (clock.utcnow() - moment).days
    return "today" if days < 1 else f"{days} day{'s' if days != 1 else ''}"
