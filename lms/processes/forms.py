"""Forms of a restorative process: the instant resolution, outcomes, take-up, feedback."""

from __future__ import annotations

from wtforms import (
    BooleanField,
    DateField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from lms.forms import BaseForm, choices
from lms.i18n import lazy_gettext as _l
from lms.practice.forms import not_in_future
from lms.practice.models import HARM_CATEGORIES, PRACTITIONER_ROLES
from lms.privacy.validators import no_identifying_data
from lms.processes import catalogue
from lms.processes.catalogue import INVOLVEMENTS, RECOMMEND, SETTINGS


def facts_choices(unchosen, vocabulary):
    return choices([("", unchosen), *vocabulary.items()])


class InstantResolutionForm(BaseForm):
    """An on-the-spot resolution, logged on a phone in under a minute. The fields that feed
    the figures start unchosen: a default would be counted as if the practitioner said it."""

    scheme = SelectField(_l("Scheme"), coerce=int)
    occurred_on = DateField(_l("Date"), validators=[
        DataRequired(_l("Enter the date, e.g. 2026-10-14.")), not_in_future])
    setting = SelectField(_l("Setting"), choices=facts_choices(_l("Choose the setting"),
                                                               SETTINGS),
                          validators=[DataRequired(_l("Choose the setting."))])
    involvement = SelectField(_l("Who was involved"), choices=facts_choices(
        _l("Choose who was involved"), INVOLVEMENTS),
        validators=[DataRequired(_l("Choose who was involved."))])
    harm = SelectField(_l("Harm"), choices=facts_choices(_l("Choose the harm"),
                                                         HARM_CATEGORIES),
                       validators=[DataRequired(_l("Choose the harm."))])
    agreement_reached = RadioField(_l("Was it resolved with an agreement?"), choices=choices(
        [("yes", _l("Yes")), ("no", _l("No"))]),
        validators=[InputRequired(_l("Say whether it was resolved with an agreement."))])

    def __init__(self, schemes, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)


class InviteForm(BaseForm):
    """Ask a colleague of the same scheme to confirm their part."""

    person = SelectField(_l("Colleague"), coerce=int,
                         validators=[DataRequired(_l("Choose a colleague."))])
    role = SelectField(_l("Their role"), choices=facts_choices(_l("Choose their role"),
                                                               PRACTITIONER_ROLES),
                       validators=[DataRequired(_l("Choose their role."))])

    def __init__(self, people, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.person.choices = choices([(0, _l("Choose a colleague")),
                                       *((u.id, u.display_name) for u in people)])


def count_field(label):
    return IntegerField(label, default=0, validators=[
        InputRequired(_l("Enter a number (0 if none).")),
        NumberRange(0, 10_000, _l("Enter a number from 0 to 10,000."))])


class PartyCountsForm(Form):
    """One side's counts (a part of TakeUpForm, so no CSRF field of its own)."""

    offered = count_field(catalogue.FUNNEL["offered"])
    interested = count_field(catalogue.FUNNEL["interested"])
    met = count_field(catalogue.FUNNEL["met"])
    took_part = count_field(catalogue.FUNNEL["took_part"])
    declined_at_offer = count_field(catalogue.FUNNEL["declined_at_offer"])
    declined_after_interest = count_field(catalogue.FUNNEL["declined_after_interest"])
    declined_after_meeting = count_field(catalogue.FUNNEL["declined_after_meeting"])


class TakeUpForm(BaseForm):
    """How many people on each side reached each stage: counts, never who they were."""

    harmed = FormField(PartyCountsForm, label=catalogue.PARTIES["harmed"])
    responsible = FormField(PartyCountsForm, label=catalogue.PARTIES["responsible"])


class OutcomesForm(BaseForm):
    """Built per setting by outcomes_form(): one yes/no/not known question per outcome."""

    items_agreed = IntegerField(_l("Items in the outcome agreement"), validators=[
        Optional(), NumberRange(0, 100, _l("Enter a number from 0 to 100."))])
    items_completed = IntegerField(_l("Items completed at follow-up"), validators=[
        Optional(), NumberRange(0, 100, _l("Enter a number from 0 to 100."))])

    def validate_items_completed(self, field):
        if field.data is not None and self.items_agreed.data is not None \
                and field.data > self.items_agreed.data:
            raise ValidationError(_l("More items completed than were agreed."))

    def answers(self) -> dict[str, str]:
        return {key: self[key].data for key in self.outcome_keys if self[key].data}

    outcome_keys: tuple[str, ...] = ()


def outcomes_form(setting_key: str, **kwargs) -> OutcomesForm:
    setting = catalogue.setting(setting_key)
    keys = setting.outcomes if setting else ()
    fields = {key: RadioField(catalogue.outcome_label(key), choices=choices(
        catalogue.ANSWERS.items()), validators=[Optional()]) for key in keys}
    form_class = type("SettingOutcomesForm", (OutcomesForm,), {**fields, "outcome_keys": keys})
    return form_class(**kwargs)


def satisfaction_choices():
    scale = catalogue.feedback("satisfaction_scale")
    return [(str(n), str(n)) for n in range(1, scale + 1)]


class FeedbackForm(BaseForm):
    """The participant's questionnaire (courses/processes.yaml): anonymous, with consent."""

    consent = BooleanField(_l("I agree that my anonymous answers are used to report on and "
                              "improve this service."),
                           validators=[DataRequired(_l("Tick the box to agree, or close "
                                                       "this page to leave it."))])
    satisfaction = RadioField(_l("How satisfied were you with the process?"),
                              description=_l("1 is very dissatisfied, the highest is very "
                                             "satisfied."),
                              validators=[Optional()])
    recommend = RadioField(_l("Would you recommend it to someone in your position?"),
                           choices=choices(RECOMMEND.items()), validators=[Optional()])
    comment = TextAreaField(_l("Anything else you want to tell us (optional)"),
                            validators=[Length(max=2000), no_identifying_data],
                            description=_l("Please do not write names or anything that "
                                           "identifies anyone."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.satisfaction.choices = choices(satisfaction_choices())


class PaperFeedbackForm(FeedbackForm):
    """Answers a participant gave on paper, entered by a facilitator."""

    consent = BooleanField(_l("The participant agreed on the paper form that their anonymous "
                              "answers are used."),
                           validators=[DataRequired(_l("Enter only answers given with "
                                                       "consent."))])


class FeedbackCodeForm(BaseForm):
    max_answers = IntegerField(_l("How many people may answer with this code"), default=2,
                               validators=[InputRequired(_l("Enter a number.")),
                                           NumberRange(1, 100, _l("Enter a number from 1 to "
                                                                  "100."))])


class EnterCodeForm(BaseForm):
    """The public page where a participant types the code from their card."""

    code = StringField(_l("Your code"), validators=[DataRequired(_l("Enter your code.")),
                                                    Length(max=40)],
                       description=_l("It is on the card or letter your facilitator gave "
                                      "you, e.g. ABCD-EFGH-JKLM."))
