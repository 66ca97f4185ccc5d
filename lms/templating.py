"""What every page gets: navigation for the signed-in person, and security headers.
Features add their own template values through their blueprints (app_context_processor,
add_app_template_global), so this module depends on no feature."""

import functools
from datetime import UTC, date, datetime
from types import FunctionType
from typing import Any, NamedTuple

from babel import dates
from flask import has_request_context, request, url_for
from flask_babel import format_datetime, format_time, get_locale
from flask_login import current_user
from jinja2.runtime import Context
from jinja2.utils import _PassArg

from lms import clock
from lms.i18n import HTML_LANG, LANGUAGES, locale_name, ngettext
from lms.i18n import gettext as _
from lms.schemes.models import Role
from lms.timezones import local

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)


class NavItem(NamedTuple):
    endpoint: str
    label: str


class NavGroup(NamedTuple):
    """What a person does (learning, practice, ...): a header link to its first page, and
    its pages in the sub-navigation while the person is in it."""
    label: str
    items: tuple[NavItem, ...]

    @property
    def endpoint(self) -> str:
        return self.items[0].endpoint

    def holds(self, endpoint: str | None) -> bool:
        """Whether the page at `endpoint` belongs to this group (same blueprint as one of
        its pages)."""
        area = (endpoint or "").rpartition(".")[0]
        return any(item.endpoint == endpoint or item.endpoint.rpartition(".")[0] == area
                   for item in self.items)


def _group(label: str, *items: tuple[str, str] | None) -> NavGroup | None:
    kept = tuple(NavItem(*item) for item in items if item)
    return NavGroup(label, kept) if kept else None


def navigation() -> tuple[NavGroup, ...]:
    """The groups of pages the person's roles allow, in the order people work: made once
    per language and combination of roles (every signed-in page shows them)."""
    language = locale_name()
    if not current_user.is_authenticated:
        return _navigation(language, None)
    user = current_user
    admin = user.is_admin
    member = bool(user.memberships)  # admins with no role in a scheme are not learners
    roles = _Roles(admin=admin, member=member, assessor=user.is_assessor,
                   supervisor=admin or user.has_role(Role.SUPERVISOR),
                   trainer=admin or user.has_role(Role.TRAINER),
                   lead=admin or user.has_role(Role.LEAD),
                   # asked only of people with no role, so others pay no query
                   viewer=not (member or admin or user.is_assessor) and _is_viewer(user))
    return _navigation(language, roles)


class _Roles(NamedTuple):
    admin: bool
    member: bool
    assessor: bool
    supervisor: bool
    trainer: bool
    lead: bool
    viewer: bool


@functools.lru_cache(maxsize=256)
def _navigation(language: str, roles: _Roles | None) -> tuple[NavGroup, ...]:
    """The groups for `roles` (None: signed out), worded in `language`, the page's
    language while this runs."""
    if roles is None:
        return tuple(g for g in (
            _group(_("Home"), ("main.index", _("Home"))),
            _group(_("Register"), ("accreditation.public.register", _("Public register"))),
            _group(_("Check a credential"), ("accreditation.public.verify_pasted",
                                          _("Check a credential")))) if g)
    admin, member, supervisor, trainer, lead = (roles.admin, roles.member, roles.supervisor,
                                                roles.trainer, roles.lead)
    groups = [
        _group(_("Home"), ("main.index", _("Home"))),
        _group(_("Learning"), *([("learning.home.index", _("My learning")),
                              ("learning.courses.catalogue", _("Courses")),
                              ("learning.sessions.index", _("Live sessions"))] if member else [])),
        _group(_("Practice"), *([("practice.records.index", _("My practice log")),
                              ("practice.supervision.index", _("Supervision sessions")),
                              ("practice.cpd.index", _("CPD")),
                              ("accreditation.pathway.pathway", _("My accreditation"))]
                             if member else [])),
        _group(_("Supervision"),
               ("practice.assess.queue", _("Practice to assess")) if supervisor else None,
               ("main.search.index", _("Search")) if supervisor and not (trainer or lead) else None,
               ("practice.cpd.to_approve", _("CPD to approve")) if trainer else None),
        _group(_("Scheme"),
               ("reports.index", _("Dashboards")) if lead else None,
               ("reports.areas.figures", _("Figures across schemes")) if lead and not admin
               else None,
               ("people.index", _("People")) if lead else None,
               ("learning.training.learners", _("Learners")) if trainer or lead else None,
               ("main.search.index", _("Search")) if trainer or lead else None,
               ("learning.sessions.index", _("Live sessions")) if trainer and not member else None,
               ("schemes.index", _("Schemes")) if member or lead else None),
        _group(_("Administration"),
               ("accreditation.decisions.index", _("Applications"))
               if admin or roles.assessor else None,
               ("reports.admin", _("All schemes")) if admin else None,
               ("reports.areas.figures", _("Figures and coverage")) if admin else None,
               ("areas.viewers", _("Viewers")) if admin else None,
               ("schemes.create", _("Add a scheme")) if admin else None,
               ("practice.supervision.recognised", _("Recognised supervisors")) if admin else None,
               ("notify.outbox", _("Email outbox")) if admin else None,
               ("audit.trail", _("Audit trail")) if admin else None,
               ("branding.settings", _("Name and logo")) if admin else None,
               ("accreditation.pathway.standards", _("Standards")) if admin else None),
    ]
    if roles.viewer:
        groups.append(_group(_("Figures"),
                             ("reports.areas.figures", _("Figures across schemes")),
                             ("reports.areas.coverage_map", _("Coverage by area")),
                             ("reports.areas.accredited", _("Who is accredited"))))
    return tuple(g for g in groups if g)


def _is_viewer(user) -> bool:
    from lms.areas.services import is_viewer  # late: the areas models import lms.auth

    return is_viewer(user)


def current_group(groups: tuple[NavGroup, ...]) -> NavGroup | None:
    """The group the page being shown belongs to, for its sub-navigation."""
    endpoint = request.endpoint
    exact = [g for g in groups if any(i.endpoint == endpoint for i in g.items)]
    found = exact or [g for g in groups if g.holds(endpoint)]
    return found[0] if found else None


def url_for_page(number: int) -> str:
    """This page's address with the same filters, on page `number`."""
    args = {**request.args.to_dict(), **(request.view_args or {}), "page": number}
    return url_for(request.endpoint or "main.index", **args)


#: Addresses templates have built, by (script root, endpoint, values).
_built_urls: dict[tuple, str] = {}
BUILT_URLS_KEPT = 4096


def kept_url_for(endpoint: str, **values) -> str:
    """flask.url_for for templates, keeping each address built: a page builds dozens (the
    navigation, a link on every row), and each costs a walk through the routing map. The
    same endpoint and values under the same script root always give the same address, as
    the app has no URL-defaults functions (a test holds it to that). External addresses,
    anchors, methods, relative endpoints and pages rendered outside a request go to
    flask.url_for each time."""
    if endpoint.startswith(".") or not has_request_context():  # a job's email: its own rules
        return url_for(endpoint, **values)
    key: tuple = (request.script_root, endpoint)
    for name, value in sorted(values.items()) if len(values) > 1 else values.items():
        if name.startswith("_"):
            return url_for(endpoint, **values)
        # with each value's type: True and 1 are equal keys but build different addresses
        key += (name, type(value), value)
    try:
        return _built_urls[key]
    except KeyError:
        pass
    except TypeError:  # a value that cannot be a key (a list of query values)
        return url_for(endpoint, **values)
    if len(_built_urls) >= BUILT_URLS_KEPT:
        _built_urls.clear()
    built = _built_urls[key] = url_for(endpoint, **values)
    return built


class TemplateContext(Context):
    """Jinja's template context, calling a plain function from a template (`_`, url_for,
    csrf_token, the app's globals) directly: Jinja's own dispatch looks for what to pass
    three ways on every call, about a microsecond each time, and a page makes 50 to 160
    calls. What it passes and returns is Jinja's; anything else (a macro, a method, a
    function that asks for the template context) goes through Jinja's own."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # names as Jinja's own
        if type(__obj) is FunctionType:
            wants = getattr(__obj, "jinja_pass_arg", None)
            if wants is None or wants is _EVAL_CONTEXT:
                # Jinja adds these for functions that take the context; these do not.
                kwargs.pop("_block_vars", None)
                kwargs.pop("_loop_vars", None)
                try:
                    return (__obj(*args, **kwargs) if wants is None
                            else __obj(__self.eval_ctx, *args, **kwargs))
                except StopIteration:  # as Jinja's own call
                    return __self.environment.undefined(
                        "value was undefined because a callable raised a StopIteration "
                        "exception")
        return super().call(__obj, *args, **kwargs)


_EVAL_CONTEXT = _PassArg.eval_context


def template_globals():
    return {"navigation": navigation, "current_group": current_group,
            "url_for_page": url_for_page, "Role": Role, "page_lang": page_lang,
            "other_language": other_language}


def page_lang() -> str:
    """The <html lang> of this response: en-GB or cy."""
    return HTML_LANG.get(str(get_locale()), "en-GB")


class Language(NamedTuple):
    code: str
    #: The language's own name ("Cymraeg", "English"), never translated.
    name: str
    html_lang: str


def other_language() -> Language:
    """The language the header's switch offers: the one the page is not in."""
    current = str(get_locale())
    code = next((c for c in LANGUAGES if c != current), "en")
    return Language(code, LANGUAGES[code], HTML_LANG[code])


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
    app.add_template_filter(local_date, "local_date")
    app.add_template_filter(local_datetime, "local_datetime")
    app.add_template_filter(local_time, "local_time")
    app.add_template_filter(utc_datetime, "utc_datetime")
    app.add_template_filter(days_ago, "days_ago")
    app.add_template_filter(plural, "plural")


# Dates and times in UK time (Flask-Babel's timezone, Europe/London, as lms.timezones) and
# in the page's language: "30 Nov 2026" / "30 Tach 2026".
def local_date(moment) -> str:
    if not moment:
        return ""
    if isinstance(moment, datetime):  # stored in UTC (a naive one too, as Flask-Babel has it)
        day = local(moment if moment.tzinfo else moment.replace(tzinfo=UTC)).date()
    else:
        day = moment
    return _date_text(day, locale_name())


@functools.lru_cache(maxsize=4096)
def _date_text(day: date, locale: str) -> str:
    """A day as pages show it, in a language: what flask_babel.format_date gives, worked
    out once per day and language (Babel's formatting cost 30 µs a date; a list of 50
    records shows a date on each)."""
    return dates.format_date(day, "dd MMM yyyy", locale=locale)


def local_datetime(moment) -> str:
    return format_datetime(moment, "EEE dd MMM yyyy, HH:mm") if moment else ""


def local_time(moment) -> str:
    return format_time(moment, "HH:mm") if moment else ""


def utc_datetime(moment) -> str:
    """A moment in UTC as "dd MMM yyyy HH:mm" in the page's language, for pages that say
    the time is UTC (a verification's "checked at"); a naive moment is taken as UTC."""
    if not moment:
        return ""
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return dates.format_datetime(aware, "dd MMM yyyy HH:mm", tzinfo=UTC,
                                 locale=locale_name())


#: The units the `plural` filter knows, each with its plural forms in the catalogue.
_UNITS = {
    "day": lambda n: ngettext("%(num)d day", "%(num)d days", n),
    "week": lambda n: ngettext("%(num)d week", "%(num)d weeks", n),
    "month": lambda n: ngettext("%(num)d month", "%(num)d months", n),
    "minute": lambda n: ngettext("%(num)d minute", "%(num)d minutes", n),
    "hour": lambda n: ngettext("%(num)d hour", "%(num)d hours", n),
    "place": lambda n: ngettext("%(num)d place", "%(num)d places", n),
    "process": lambda n: ngettext("%(num)d process", "%(num)d processes", n),
    "person": lambda n: ngettext("%(num)d person", "%(num)d people", n),
    "practitioner": lambda n: ngettext("%(num)d practitioner", "%(num)d practitioners", n),
    "session": lambda n: ngettext("%(num)d session", "%(num)d sessions", n),
}


def plural(count: int | float, one: str, many: str | None = None) -> str:
    """'1 place', '2 places', '1 person', '3 people': the count with the right word, in the
    page's language (Welsh has six plural forms).

    Kept for templates that use it, for the units in _UNITS only. New text should call
    ngettext in the template instead, so that the whole phrase is one catalogue entry:
    `{{ ngettext('%(num)d place', '%(num)d places', n) }}`. A unit the filter does not
    know is shown in English (`one`/`many`), so add it to _UNITS with its ngettext."""
    shown = int(count) if float(count).is_integer() else count
    if one in _UNITS and isinstance(shown, int):
        return _UNITS[one](shown)
    return f"{shown} {one if count == 1 else (many or one + 's')}"


def days_ago(moment) -> str:
    if moment is None:
        return ""
    return _days_text((clock.utcnow() - moment).days, locale_name())


@functools.lru_cache(maxsize=2048)  # a list shows one on every row
def _days_text(days: int, _locale: str) -> str:
    """How long ago, in the language in force (named in the key, as its words differ)."""
    return _("today") if days < 1 else ngettext("%(num)d day", "%(num)d days", days)

