"""The forms' faster html_params gives exactly wtforms' text, and wtforms uses it
everywhere it renders attributes."""

import inspect

import pytest
from markupsafe import Markup
from wtforms import widgets
from wtforms.fields import core as fields_core
from wtforms.widgets import core as widgets_core

from lms.forms import WTFORMS_HTML_PARAMS, html_params

CASES = [
    {},
    {"id": "insurer", "name": "insurer", "type": "text", "value": "Acme & Co"},
    {"value": 'say "no" <b>', "class_": "wide", "for_": "x"},
    {"required": True, "disabled": False, "checked": True},
    {"data_item_id": 7, "aria_describedby": "a-hint b-error", "aria_invalid": "true"},
    {"value": Markup("<i>kept</i>"), "title": "ŵ ŷ — Welsh"},
    {"value": None, "min": 0, "step": 0.5, "maxlength": 120},
    {"autocomplete": "off", "placeholder": "it's", "tabindex": -1},
]


@pytest.mark.parametrize("kwargs", CASES)
def test_the_same_text_as_wtforms(kwargs):
    ours = html_params(**kwargs)
    assert isinstance(ours, Markup)
    assert ours == WTFORMS_HTML_PARAMS(**kwargs)


def test_wtforms_renders_attributes_with_ours():
    assert widgets_core.html_params is html_params
    assert widgets.html_params is html_params  # the fields' labels go through this name
    assert fields_core.widgets.html_params is html_params
    kept = [name for name, member in vars(widgets_core).items() if inspect.isclass(member)
            and inspect.getattr_static(member, "html_params", None) is not None
            and inspect.getattr_static(member, "html_params").__func__ is not html_params]
    assert kept == []


def test_a_form_field_and_label_render_as_before(app):
    from lms.accreditation.forms import InsuranceForm

    with app.test_request_context():
        form = InsuranceForm(formdata=None, insurer='Lloyd\'s "A" & B')
        assert str(form.insurer(required=True)) == (
            '<input id="insurer" maxlength="120" name="insurer" required type="text" '
            'value="Lloyd&#39;s &#34;A&#34; &amp; B">')
        assert str(form.insurer.label()).startswith('<label for="insurer">')
