from wtforms import (
    BooleanField,
    DateField,
    DecimalField,
    Form,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
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
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from lms import clock
from lms.forms import BaseForm, choices
from lms.i18n import gettext as _
from lms.i18n import lazy_gettext as _l
from lms.practice.models import (
    HARM_CATEGORIES,
    NOT_COUNTING,
    PRACTITIONER_ROLES,
    PROCESS_TYPES,
    RATINGS,
    STAGES,
)
from lms.privacy.validators import initials_or_role, no_identifying_data
from lms.processes.catalogue import INVOLVEMENTS, SETTINGS
from lms.processes.services import Facts, facts_refusals, is_member


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def not_in_future(form, field):
    if field.data and field.data > clock.today():
        raise ValidationError(_("The date cannot be in the future."))


class ReflectionForm(BaseForm):
    """A practitioner's own account of a process someone else logged: the facts come from
    the process, so only the stages and the reflection are theirs to write."""

    stages = MultiCheckboxField(_l("Stages this process evidences"),
                                choices=choices(STAGES.items()),
                                validators=[DataRequired(_l("Choose at least one stage."))])
    reflection = TextAreaField(
        _l("Reflection"), validators=[DataRequired(_l("Write a short reflection.")),
                                      Length(max=10_000), no_identifying_data],
        description=_l("What went well, what you would do differently, what you learned. "
                       "Refer to people by their role (the person harmed, the person "
                       "responsible), never by name."))


class PracticeRecordForm(ReflectionForm):
    scheme = SelectField(_l("Scheme"), coerce=int)
    occurred_on = DateField(_l("Date of the process"),
                            validators=[DataRequired(_l("Enter the date, e.g. 2026-10-14.")),
                                        not_in_future])
    # The fields that feed the figures start unchosen: a default would be counted as if the
    # practitioner had said it. Which each setting offers is policy (courses/processes.yaml).
    sector = SelectField(_l("Setting"), choices=choices(
        [("", _l("Choose the setting")), *SETTINGS.items()]),
        validators=[DataRequired(_l("Choose the setting."))])
    process_type = SelectField(_l("Type of process"), choices=choices(
        [("", _l("Choose the type of process")), *PROCESS_TYPES.items()]),
        validators=[DataRequired(_l("Choose the type of process."))])
    involvement = SelectField(_l("Who was involved"), choices=choices(
        [("", _l("Choose who was involved")), *INVOLVEMENTS.items()]),
        validators=[DataRequired(_l("Choose who was involved."))])
    communication = RadioField(_l("Communication"), choices=choices(
        [("direct", _l("Direct (the people met or spoke)")),
         ("indirect", _l("Indirect (messages carried between them)"))]),
        validators=[InputRequired(_l("Choose direct or indirect."))])
    face_to_face = BooleanField(_l("Face to face"))
    sensitive = BooleanField(_l("Sensitive or complex case"),
                             description=_l("Domestic abuse, sexual harm, hate crime, serious "
                                            "violence, very vulnerable participants and "
                                            "similar."))
    harm_category = MultiCheckboxField(_l("Harms"), choices=choices(HARM_CATEGORIES.items()),
                                       filters=[lambda chosen: [c for c in chosen or () if c]],
                                       validators=[DataRequired(_l("Choose the harm."))],
                                       description=_l("One or more."))
    practitioner_role = SelectField(_l("Your role"), choices=choices(
        [("", _l("Choose your role")), *PRACTITIONER_ROLES.items()]),
        validators=[DataRequired(_l("Choose your role in the process."))])
    co_facilitator = SelectField(
        _l("Co-facilitator"), coerce=int, validators=[Optional()],
        description=_l("A colleague in the scheme who uses this platform, a trained prisoner "
                       "or pupil included. They confirm their part themselves."))
    co_facilitator_name = StringField(
        _l("Or an external co-facilitator's initials or role"),
        validators=[Optional(), Length(max=120), initials_or_role],
        description=_l("A colleague without an account here: initials (J.S.) or role (prison "
                       "officer), never a name. Never a participant."))

    def __init__(self, schemes, colleagues=(), *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheme.choices = choices((s.id, s.name) for s in schemes)
        self.co_facilitator.choices = choices(
            [(0, _l("No co-facilitator on this platform")),
             *((u.id, u.display_name) for u in colleagues)])

    def validate_co_facilitator(self, field):
        # Asked only of a colleague and scheme from the choices offered: an unknown id (one
        # past the database's integer range, say) is refused by its own field first.
        if field.errors or self.scheme.errors:
            return
        if field.data and not is_member(field.data, self.scheme.data):
            raise ValidationError(_("Choose a colleague from the scheme of this process."))

    def facts(self) -> Facts:
        return Facts(scheme_id=self.scheme.data, occurred_on=self.occurred_on.data,
                     setting=self.sector.data, process_type=self.process_type.data,
                     involvement=self.involvement.data,
                     harms=[h for h in HARM_CATEGORIES if h in self.harm_category.data],
                     direct=self.communication.data == "direct",
                     face_to_face=self.face_to_face.data, sensitive=self.sensitive.data)

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        refusals = facts_refusals(self.facts())
        fields = {"setting": self.sector, "process_type": self.process_type,
                  "involvement": self.involvement, "harms": self.harm_category}
        for name, message in refusals.items():
            fields[name].errors.append(message)
        return not refusals


class RequestSignOffForm(BaseForm):
    supervisor = SelectField(_l("Supervisor"), coerce=int,
                             validators=[DataRequired(_l("Choose a supervisor."))])

    def __init__(self, supervisors, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.supervisor.choices = choices((u.id, u.display_name) for u in supervisors)


class StageRatingForm(Form):
    """One stage's rating and comment (a part of AssessmentForm, so no CSRF field)."""

    rating = RadioField(_l("Rating"), choices=choices(RATINGS.items()),
                        validators=[InputRequired(_l("Choose a rating for this stage."))])
    comment = TextAreaField(_l("Comment"), validators=[Length(max=2000), no_identifying_data])


class AssessmentForm(BaseForm):
    """A supervisor's assessment of one record: a rating per stage it evidences (fields
    named `ratings-<stage>-rating` and `ratings-<stage>-comment`), outcome and feedback."""

    outcome = RadioField(_l("Outcome"), choices=choices(
        [("signed off", _l("Sign off")), ("returned", _l("Return for further work"))]),
        validators=[InputRequired(_l("Choose sign off or return."))])
    feedback = TextAreaField(_l("Feedback to the practitioner"),
                             validators=[Length(max=5000), no_identifying_data])
    #: The record's version when the form was shown (a second guard against stale pages).
    version = IntegerField(widget=HiddenInput(), validators=[InputRequired()])

    #: Replaced per record by assessment_form().
    ratings: FormField

    def __init__(self, record, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.record = record

    def validate_feedback(self, field):
        if self.outcome.data == "returned" and not (field.data or "").strip():
            raise ValidationError(_("Say what further work is needed."))

    def validate(self, extra_validators=None) -> bool:
        if not super().validate(extra_validators):
            return False
        if self.outcome.data != "signed off":
            return True
        refusals = self.record.ratings_refusal(self.stage_ratings())
        for stage, message in refusals.items():
            self.ratings[stage].rating.errors.append(message)
        if refusals:
            self.outcome.errors.append(NOT_COUNTING)
        return not refusals

    def stage_ratings(self) -> dict:
        """{stage: {"rating", "comment"}}, comments trimmed."""
        return {stage: {"rating": data["rating"], "comment": (data["comment"] or "").strip()}
                for stage, data in self.ratings.data.items()}


def assessment_form(record, **kwargs) -> AssessmentForm:
    """An AssessmentForm with one rating and comment for each stage `record` evidences."""
    stages = type("StageRatingsForm", (Form,), {
        stage: FormField(StageRatingForm, label=STAGES[stage]) for stage in record.stages})
    form_class = type("RecordAssessmentForm", (AssessmentForm,), {"ratings": FormField(stages)})
    return form_class(record, **kwargs)


class SupervisionForm(BaseForm):
    practitioner = StringField(_l("Practitioner's username"),
                               validators=[DataRequired(_l("Enter the practitioner's username.")),
                                           Length(max=64)])
    held_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date.")), not_in_future])
    duration_minutes = IntegerField(_l("Length in minutes"), validators=[
        InputRequired(_l("Enter the length in minutes.")),
        NumberRange(5, 600, _l("Between 5 and 600 minutes."))])
    notes = TextAreaField(
        _l("Redacted notes"), validators=[Length(max=10_000), no_identifying_data],
        description=_l("Themes, actions and support agreed. No participant details."))


class CpdForm(BaseForm):
    done_on = DateField(_l("Date"), validators=[DataRequired(_l("Enter the date.")), not_in_future])
    hours = DecimalField(_l("Hours"), places=2, validators=[
        InputRequired(_l("Enter the hours, e.g. 1.5.")),
        NumberRange(0.25, 100, _l("Between 0.25 and 100 hours."))])
    activity = StringField(_l("Activity"), validators=[DataRequired(_l("Describe the activity.")),
                                                   Length(max=200), no_identifying_data])
    provider = StringField(_l("Provider"), validators=[DataRequired(_l("Who provided it?")),
                                                   Length(max=120)])


class RecogniseSupervisorForm(BaseForm):
    username = StringField(_l("Username"), validators=[DataRequired(_l("Enter a username.")),
                                                   Length(max=64)])
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give the reason.")),
                                                 Length(max=1000), no_identifying_data])
