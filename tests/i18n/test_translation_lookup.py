"""Templates find the request's catalogue once, and still follow a language forced for a
while (as emails in the recipient's language are)."""

from flask import render_template_string
from flask_babel import force_locale

from lms.i18n import catalogue


def test_templates_follow_the_request_language_and_a_forced_one(app):
    text = "{{ _('Sign in') }} / {{ ngettext('%(num)d day', '%(num)d days', 2) }}"
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        app.preprocess_request()
        welsh = render_template_string(text)
        with force_locale("en"):
            english = render_template_string(text)
        assert render_template_string(text) == welsh
        assert catalogue() is catalogue()  # found once per language
    assert english == "Sign in / 2 days"
    assert welsh != english
    assert welsh.startswith("Mewngofnodi")


def test_python_gettext_gives_what_flask_babel_gives(app):
    import flask_babel

    from lms import i18n
    cases = [("gettext", ("Sign in",), {}),
             ("gettext", ("Valid: accredited until %(day)s.",), {"day": "3 March 2027"}),
             ("ngettext", ("%(num)d day", "%(num)d days", 1), {}),
             ("ngettext", ("%(num)d day", "%(num)d days", 6), {}),
             ("pgettext", ("CSV column heading", "name"), {})]
    for language in ("en", "cy"):
        with app.test_request_context(headers={"Accept-Language": language}):
            app.preprocess_request()
            for name, args, variables in cases:
                ours = getattr(i18n, name)(*args, **variables)
                assert ours == getattr(flask_babel, name)(*args, **variables), (language, args)
    with app.app_context(), force_locale("cy"):  # a job writing in Welsh, no request
        assert i18n.gettext("Sign in") == flask_babel.gettext("Sign in") != "Sign in"


def test_lazy_labels_give_what_flask_babel_gives_when_shown(app):
    import flask_babel
    from markupsafe import escape

    from lms import i18n
    label = i18n.lazy_gettext("Sign in")
    days = i18n.lazy_ngettext("%(num)d day", "%(num)d days", 3)
    for language in ("en", "cy"):
        with app.test_request_context(headers={"Accept-Language": language}):
            app.preprocess_request()
            assert str(label) == flask_babel.gettext("Sign in")
            assert str(escape(label)) == str(escape(flask_babel.lazy_gettext("Sign in")))
            assert str(days) == flask_babel.ngettext("%(num)d day", "%(num)d days", 3)
    with app.app_context(), force_locale("cy"):
        assert str(label) == "Mewngofnodi"


def test_current_locale_is_flask_babels_and_follows_a_forced_one(app):
    from flask_babel import get_locale

    from lms.i18n import current_locale
    for language in ("en", "cy"):
        with app.test_request_context(headers={"Accept-Language": language}):
            app.preprocess_request()
            assert current_locale() == get_locale()
            assert str(current_locale()) == language
            with force_locale("cy" if language == "en" else "en"):
                assert current_locale() == get_locale() != language
            assert str(current_locale()) == language
    with app.app_context():  # no request: English, as select_locale says
        assert str(current_locale()) == "en"


def test_the_templates_callables_give_what_jinjas_own_give(app):
    """lms.i18n installs its own `_`, gettext, ngettext, pgettext and npgettext for
    templates (they skip copying the template context per call): the same text, escaping
    and formatting as Jinja's newstyle callables, in loops, with and without autoescape."""
    from decimal import Decimal

    from jinja2 import Environment
    from markupsafe import Markup

    from lms.i18n import _template_callables, lazy_gettext
    source = ("{% for name in names %}{{ _('Issued to %(name)s', name=name) }}|{% endfor %}"
              "{% for n in [1, 2] %}{% trans count=n %}{{ count }} day{% pluralize %}"
              "{{ count }} days{% endtrans %}|{% endfor %}"
              "{{ ngettext('%(num)d day', '%(num)d days', 3) }}|"
              "{{ pgettext('CSV column heading', 'name') }}|{{ _('Sign in') }}|"
              "{{ _('100%% sure') }}|"
              "{{ _('%(hours).1f hours, %(count)d times, %(safe)s, %(label)s, %(none)s, %(yes)s',"
              " hours=hours, count=count, safe=safe, label=label, none=none, yes=yes) }}")
    names = ["<b>Ann</b>", "Bo & Cy"]
    values = {"hours": Decimal("2.25"), "count": 3.0, "safe": Markup("<em>kept</em>"),
              "label": lazy_gettext("Terms & <conditions>"), "none": None, "yes": True}
    for autoescape in (True, False):
        jinjas = Environment(extensions=["jinja2.ext.i18n"],
                             autoescape=autoescape)  # noqa: S701 - text emails do not escape
        jinjas.install_gettext_callables(  # type: ignore[attr-defined]
            gettext=lambda s: catalogue().ugettext(s),
            ngettext=lambda s, p, n: catalogue().ungettext(s, p, n),
            pgettext=lambda c, s: catalogue().upgettext(c, s),
            npgettext=lambda c, s, p, n: catalogue().unpgettext(c, s, p, n), newstyle=True)
        ours = Environment(extensions=["jinja2.ext.i18n"],
                             autoescape=autoescape)  # noqa: S701 - text emails do not escape
        ours.newstyle_gettext = True  # type: ignore[attr-defined]
        ours.globals.update(_template_callables())
        for language in ("en", "cy"):
            with app.test_request_context(headers={"Accept-Language": language}):
                app.preprocess_request()
                expected = jinjas.from_string(source).render(names=names, **values)
                assert ours.from_string(source).render(names=names, **values) == expected
            if language == "en":
                escaped = "&lt;b&gt;Ann&lt;/b&gt;" if autoescape else "<b>Ann</b>"
                assert expected.startswith(f"Issued to {escaped}|")
                assert "|1 day|2 days|3 days|name|Sign in|100% sure|" in expected
                # a lazy label is the catalogue's own text, marked safe by Flask-Babel
                assert expected.endswith("2.2 hours, 3 times, <em>kept</em>, "
                                         "Terms & <conditions>, None, True")
            else:
                assert "Mewngofnodi" in expected
