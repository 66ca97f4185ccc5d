"""Form pieces shared by every feature."""

import functools
from collections.abc import Iterable
from decimal import Decimal

from babel import support
from flask_babel import get_locale
from flask_wtf import FlaskForm
from wtforms import (
    DecimalField,
    FloatField,
    HiddenField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.i18n import messages_path
from wtforms.validators import StopValidation

from lms.i18n import LANGUAGES
from lms.i18n import gettext as _
from lms.inputs.converters import MAX_ID
from lms.inputs.text import clean_name, strip_controls


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
