"""The trainer's form for assessed skills practice (kept beside learning/forms.py, which
holds the other learning forms)."""

from __future__ import annotations

from wtforms import DateField, RadioField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, ValidationError

from lms import clock
from lms.forms import BaseForm, choices
from lms.i18n import lazy_gettext as _l
from lms.learning.skills import METHODS, RESULTS
from lms.privacy.validators import no_identifying_data

FEEDBACK_LIMIT = 1000


class SkillAssessmentForm(BaseForm):
    """One skill of one learner's role-play or observed practice: pass or not yet."""

    learner = SelectField(_l("Learner"), coerce=int,
                          validators=[InputRequired(_l("Choose the learner."))])
    skill = SelectField(_l("Skill"), validators=[InputRequired(_l("Choose the skill."))])
    method = RadioField(_l("How it was assessed"), choices=choices(METHODS.items()),
                        validators=[InputRequired(_l("Choose how the skill was assessed."))])
    result = RadioField(_l("Result"), choices=choices(RESULTS.items()),
                        validators=[InputRequired(_l("Choose pass or not yet."))])
    assessed_on = DateField(_l("Date of the practice"),
                            validators=[DataRequired(_l("Enter the date, e.g. 2027-03-14."))])
    feedback = TextAreaField(
        _l("Feedback for the learner"),
        description=_l("What went well and what to work on, against the stages. Describe the "
                       "practice, never a real participant: no names or other identifying "
                       "details."),
        validators=[DataRequired(_l("Give the learner some feedback.")),
                    Length(max=FEEDBACK_LIMIT), no_identifying_data])

    def __init__(self, enrolments, skills: list[dict], *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.learner.choices = choices(
            [(0, _l("Choose a learner")),
             *((e.id, f"{e.user.display_name} ({e.user.username})") for e in enrolments)])
        self.skill.choices = choices([("", _l("Choose a skill")),
                                      *((s["key"], s["title"]) for s in skills)])

    def validate_learner(self, field):
        if field.data == 0:
            raise ValidationError(_l("Choose the learner."))

    def validate_skill(self, field):
        if not field.data:
            raise ValidationError(_l("Choose the skill."))

    def validate_assessed_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(_l("The date cannot be in the future."))
