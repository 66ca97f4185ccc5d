"""Languages: English and Welsh (Cymraeg), through Flask-Babel's gettext catalogues.

Every user-facing string goes through gettext: `_()`/`ngettext()` in Python (lazy forms
`_l()` for module-level labels such as form fields), `{{ _('...') }}` or `{% trans %}` in
templates. Catalogues live in lms/translations; `make setup` compiles them.

The language of a request: the signed-in person's stored preference; otherwise the choice a
signed-out visitor made (a cookie); otherwise the browser's Accept-Language; otherwise
English."""

from decimal import Decimal

from flask import Flask, has_request_context, request
from flask.globals import _cv_app
from flask_babel import Babel, get_locale, get_translations
from flask_babel.speaklater import LazyString
from flask_login import current_user
from jinja2 import pass_eval_context
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
LANGUAGE_COOKIE = "lms_lang"
# The value of <html lang>: British English, Welsh.
HTML_LANG = {"en": "en-GB", "cy": "cy"}

#: What a template's translated text formats as it is; every other variable is escaped.
_NUMBERS = (int, float, Decimal)

#: A visitor's choice is kept for a year.
COOKIE_MAX_AGE = 365 * 24 * 60 * 60

#: A number that takes the general plural form ("other") in English and Welsh: the form a
#: fraction takes ("2.5 hours", "2.5 awr").
FRACTION_PLURAL = 10


def plural_number(value: float) -> int:
    """The number ngettext chooses a plural form by: the value if whole, else one that
    takes the general plural form."""
    return int(value) if float(value).is_integer() else FRACTION_PLURAL

babel = Babel()


def remember_language(response: Response, language: str) -> Response:
    """Keep `language` for this browser (signed in or not): the switch sets it, and signing
    out keeps the person's language for the pages that follow."""
    response.set_cookie(LANGUAGE_COOKIE, language, max_age=COOKIE_MAX_AGE, samesite="Lax",
                        secure=request.is_secure, httponly=True)
    return response


def select_locale() -> str:
    if not has_request_context():
        # Commands, jobs and services called outside a request: English, unless the caller
        # chose a language with flask_babel.force_locale (as notifications do).
        return DEFAULT_LANGUAGE
    if current_user and current_user.is_authenticated:
        chosen = getattr(current_user, "preferred_language", None)
        if chosen in LANGUAGES:
            return chosen
    cookie = request.cookies.get(LANGUAGE_COOKIE)
    if cookie in LANGUAGES:
        return cookie
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def _settle_locale() -> None:
    """Choose the request's language before the view runs: Flask-Babel keeps the answer for
    the request, so a translation after a failed database write never needs the session."""
    get_locale()


def _babel_state():
    """Flask-Babel's per-context state (the chosen locale and catalogue), read from the
    app context directly: flask.g's proxy is a lookup, and a page asks hundreds of times."""
    context = _cv_app.get(None)
    return getattr(context.g, "_flask_babel", None) if context is not None else None


def current_locale():
    """flask_babel.get_locale(), without its context lookups once the request's language
    is chosen (and a forced one while it is forced)."""
    state = _babel_state()
    locale = getattr(state, "babel_locale", None) if state is not None else None
    return locale if locale is not None else get_locale()


def locale_name() -> str:
    """str(current_locale()), "en" or "cy", without Babel composing the name from its parts
    on each call (dates and day counts on every row of a list ask for it)."""
    locale = current_locale()
    if locale is None or locale.territory or locale.script or locale.variant:
        return str(locale)
    return locale.language


def catalogue():
    """The catalogue of the language in force, found once per request and language.
    Flask-Babel's own lookup goes through the request context, the domain and the locale
    again for every string: about a thousand context lookups on a page. A language
    forced for a while (flask_babel.force_locale) is a different locale, so it is seen."""
    state = _babel_state()
    if state is None:  # before the language is chosen; no app context
        return get_translations()
    locale = getattr(state, "babel_locale", None)
    kept = getattr(state, "lms_catalogue", None)
    if kept is None or kept[0] is not locale or locale is None:
        kept = state.lms_catalogue = (locale, get_translations())
    return kept[1]


def gettext(string: str, **variables) -> str:
    """flask_babel.gettext through catalogue(): the same text, found faster."""
    text = catalogue().ugettext(string)
    return text % variables if variables else text


def ngettext(singular: str, plural: str, num: int, **variables) -> str:
    """flask_babel.ngettext through catalogue(); `num` is available as %(num)d."""
    variables.setdefault("num", num)
    return catalogue().ungettext(singular, plural, num) % variables


def pgettext(context: str, string: str, **variables) -> str:
    """flask_babel.pgettext through catalogue()."""
    text = catalogue().upgettext(context, string)
    return text % variables if variables else text


def lazy_gettext(string: str, **variables) -> LazyString:
    """flask_babel.lazy_gettext translating through catalogue(): a label made at import
    time (a form field's, a status's) is translated each time it is shown, and markupsafe
    asks twice per escape."""
    return LazyString(gettext, string, **variables)


def lazy_ngettext(singular: str, plural: str, num: int, **variables) -> LazyString:
    """flask_babel.lazy_ngettext through catalogue()."""
    return LazyString(ngettext, singular, plural, num, **variables)


def _template_callables() -> dict:
    """The templates' `_`, gettext, ngettext, pgettext and npgettext: what Jinja's newstyle
    i18n callables do (text marked safe under autoescape, then always formatted with the
    variables, `num` and `context` included), through catalogue(). Jinja's own take the
    whole template context, and a call from inside a loop copies that context for each
    call: about a fifth of a course page's rendering. These take only the evaluation
    context, which says whether the template autoescapes."""

    def finish(eval_ctx: EvalContext, text: str, variables: dict) -> str:
        if not variables and "%" not in text:  # most labels: nothing to format
            return Markup(text) if eval_ctx.autoescape else text  # noqa: S704 - a catalogue's text
        if not eval_ctx.autoescape:
            return text % variables
        # What Markup(text) % variables gives (numbers as they are, everything else
        # escaped), without markupsafe wrapping each value in a helper object first.
        return Markup(text % {name: value if isinstance(value, _NUMBERS) else escape(value)  # noqa: S704 - a catalogue's text, the variables escaped
                              for name, value in variables.items()})

    @pass_eval_context
    def template_gettext(eval_ctx: EvalContext, string: str, **variables) -> str:
        return finish(eval_ctx, catalogue().ugettext(string), variables)

    @pass_eval_context
    def template_ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int,
                          **variables) -> str:
        variables.setdefault("num", num)
        return finish(eval_ctx, catalogue().ungettext(singular, plural, num), variables)

    @pass_eval_context
    def template_pgettext(eval_ctx: EvalContext, context: str, string: str,
                          **variables) -> str:
        variables.setdefault("context", context)
        return finish(eval_ctx, catalogue().upgettext(context, string), variables)

    @pass_eval_context
    def template_npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str,
                           num: int, **variables) -> str:
        variables.setdefault("context", context)
        variables.setdefault("num", num)
        return finish(eval_ctx, catalogue().unpgettext(context, singular, plural, num),
                      variables)

    return {"_": template_gettext, "gettext": template_gettext,
            "ngettext": template_ngettext, "pgettext": template_pgettext,
            "npgettext": template_npgettext}


def init_app(app: Flask) -> None:
    app.before_request(_settle_locale)
    babel.init_app(app, locale_selector=select_locale, default_timezone="Europe/London",
                   default_translation_directories="translations",
                   default_domain="messages")
    # Flask-Babel installs callables that look everything up each time; {% trans %} needs
    # the newstyle setting, and the callables themselves are ours.
    app.jinja_env.newstyle_gettext = True  # type: ignore[attr-defined]  # jinja2.ext.i18n
    app.jinja_env.globals.update(_template_callables())
