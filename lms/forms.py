"""Form pieces shared by every feature."""

import functools
from collections.abc import Iterable
from decimal import Decimal

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from markupsafe import Markup, escape
from wtforms import (
    DecimalField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import StopValidation
from wtforms.widgets import core as widgets_core

from lms.i18n import LANGUAGES
from lms.i18n import gettext as _
from lms.inputs.converters import MAX_ID
from lms.inputs.text import clean_name, strip_controls


def html_params(**kwargs) -> Markup:
    """wtforms' html_params, the same text three times faster: it builds each attribute
    with Markup.format, whose escaping formatter is a page's slowest way to join two
    strings (66 against 22 microseconds for a field's attributes), and every field, label
    and hidden CSRF tag calls it."""
    params = []
    for key, value in sorted(kwargs.items()):
        key = widgets_core.clean_key(key)
        if value is True:
            params.append(str(escape(key)))
        elif value is not False:  # escape() leaves no '"' for wtforms' replace to find
            params.append(f'{escape(key)}="{escape(value)}"')
    return Markup(" ".join(params))  # noqa: S704 - every key and value escaped above


#: wtforms' own, kept for the test that holds ours to the same text.
WTFORMS_HTML_PARAMS = widgets_core.html_params
# Everywhere wtforms reaches html_params: the module's functions, the package's name (the
# fields' labels), and the widgets that keep it as a static method.
widgets_core.html_params = widgets.html_params = html_params
for _widget in (widgets_core.Input, widgets_core.Button):
    _widget.html_params = staticmethod(html_params)


def _one_line(value):
    return clean_name(value) if isinstance(value, str) else value


def _multi_line(value):
    return strip_controls(value, multiline=True) if isinstance(value, str) else value


def finite_number(_form, field):
    """NaN, sNaN and Infinity parse as decimals but are no amount of anything (and sNaN
    makes every comparison raise)."""
    data = field.data
    if isinstance(data, Decimal | float) and not Decimal(data).is_finite():
        field.data = None
        raise StopValidation(_("Enter a number, e.g. 1.5."))


def storable_integer(_form, field):
    """Every integer we keep, or look up (an id chosen from a list), fits an INTEGER
    column: PostgreSQL refuses a larger one in a query, not only in a table."""
    values = field.data if isinstance(field.data, list) else [field.data]
    if any(isinstance(v, int) and not -MAX_ID <= v <= MAX_ID for v in values):
        # no validator of another field, nor the view, may use it (the text typed stays)
        field.data = [] if isinstance(field.data, list) else None
        raise StopValidation(_("That number is too large."))


class BaseForm(FlaskForm):
    """Every form's base: one-line text loses control and direction-override characters
    (a pasted line break must not reach a name or an email header), multi-line and hidden
    text keep only tabs and line breaks among the controls, numbers refuse NaN/Infinity
    and values no column can hold. A test checks that every form derives from it."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            """WTForms' own messages in the page's language. Flask-WTF reads its catalogue
            from disk once per request (about 0.1 ms); it never changes while we run."""
            return _wtforms_catalogue(str(get_locale() or "en"))

        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, TextAreaField | HiddenField):
                field.filters = (*field.filters, _multi_line)
            elif isinstance(field, StringField) and not isinstance(field, PasswordField):
                field.filters = (*field.filters, _one_line)
            elif isinstance(field, DecimalField | FloatField):
                field.validators = [finite_number, *field.validators]
            elif isinstance(field, IntegerField) or (
                    isinstance(field, SelectField) and field.coerce is int):
                field.validators = [storable_integer, *field.validators]
            return field


@functools.lru_cache(maxsize=len(LANGUAGES))
def _wtforms_catalogue(locale: str) -> support.NullTranslations:
    return support.Translations.load(messages_path(), [locale], domain="wtforms")


class EmptyForm(BaseForm):
    """CSRF protection for forms that are only a button."""


def choices(pairs: Iterable[tuple]) -> list[SelectChoice]:
    """SelectField options from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]
