from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    RadioField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from lms.accreditation.models import ObservationMode, ObservationOutcome
from lms.forms import BaseForm, choices
from lms.i18n import lazy_gettext as _l
from lms.practice.forms import MultiCheckboxField, not_in_future
from lms.practice.models import STAGES
from lms.privacy.validators import no_identifying_data


class DecisionForm(BaseForm):
    outcome = RadioField(_l("Decision"), choices=choices([
        ("approved", _l("Approve and issue the accreditation")),
        ("further work needed", _l("Further work needed")),
        ("not accepted", _l("Not accepted"))]),
        validators=[InputRequired(_l("Choose a decision."))])
    reasons = TextAreaField(_l("Reasons"), validators=[DataRequired(_l("Give the reasons for the "
                                                                "decision.")), Length(max=5000),
                                                 no_identifying_data])
    discretion = BooleanField(_l("Approve at the assessor's discretion, although a requirement "
                              "is not met"))
    discretion_reason = TextAreaField(
        _l("Why the unmet requirement should not stop this approval"),
        description=_l("Shown on the record, in its history and to the scheme lead."),
        validators=[Length(max=5000), no_identifying_data])

    def validate_discretion_reason(self, field):
        if self.discretion.data and not (field.data or "").strip():
            raise ValidationError(_l("Write why you are using your discretion."))


class LegalNameForm(BaseForm):
    legal_name = StringField(_l("New legal name"), validators=[
        DataRequired(_l("Give the new legal name.")), Length(max=120)])
    reason = TextAreaField(_l("Evidence seen"), description=_l("For example: marriage certificate "
                           "seen by the lead on 3 May."), validators=[
                               DataRequired(_l("Say what evidence of the change you saw.")),
                               Length(max=2000), no_identifying_data])


class ObservationForm(BaseForm):
    observed_on = DateField(_l("Date observed"), validators=[InputRequired(_l("Give the date.")),
                                                         not_in_future])
    mode = RadioField(_l("How"), choices=choices([
        (ObservationMode.LIVE, _l("Live, in person or by video")),
        (ObservationMode.RECORDING, _l("From a recording"))]),
        validators=[InputRequired(_l("Choose live or recording."))])
    stages = MultiCheckboxField(_l("Stages assessed"), choices=choices(STAGES.items()),
                                validators=[DataRequired(_l("Choose the stages you assessed."))])
    outcome = RadioField(_l("Outcome"), choices=choices([
        (ObservationOutcome.MEETS, _l("Meets the standard")),
        (ObservationOutcome.NOT_YET, _l("Not yet"))]),
        validators=[InputRequired(_l("Choose an outcome."))])
    feedback = TextAreaField(_l("Feedback to the practitioner"), validators=[
        DataRequired(_l("Give your feedback.")), Length(max=5000), no_identifying_data])


class LifecycleForm(BaseForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(_l("Give a reason; it is kept in "
                                                              "the record's history.")),
                                                 Length(max=2000), no_identifying_data])


class RegisterSearchForm(BaseForm):
    class Meta:
        csrf = False  # a public GET search changes nothing

    q = StringField(_l("Name or identifier"), validators=[Optional(), Length(max=100)])
    scheme = StringField(_l("Scheme"), validators=[Optional(), Length(max=120)])
    level = StringField(_l("Level"), validators=[Optional(), Length(max=40)])
    region = StringField(_l("Region"), validators=[Optional(), Length(max=64)])
    status = StringField(_l("Status"), validators=[Optional(), Length(max=30)])
    sector = StringField(_l("Sector"), validators=[Optional(), Length(max=30)])


class PasteCredentialForm(BaseForm):
    token = TextAreaField(_l("Certificate number or credential"), validators=[
        DataRequired(_l("Type the certificate number, or paste the credential (the long text "
                     "starting with “ey”).")),
        Length(max=20_000, message=_l("That is far longer than any credential."))])


class BulkCheckForm(BaseForm):
    numbers = TextAreaField(_l("Certificate numbers"), validators=[
        Optional(), Length(max=40_000, message=_l("That is more than we check at once."))],
        description=_l("One per line, or separated by commas; dashes optional."))
    file = FileField(_l("Or a CSV file"), description=_l("Certificate numbers in any column."))


class InsuranceForm(BaseForm):
    insurer = StringField(_l("Insurer"), validators=[DataRequired(_l("Give the insurer's name.")),
                                                 Length(max=120)])
    policy_number = StringField(_l("Policy number"), validators=[
        DataRequired(_l("Give the policy number.")), Length(max=60)])
    expires_on = DateField(_l("Expiry date"),
                           validators=[InputRequired(_l("Give the expiry date."))])


class CpdAuditForm(BaseForm):
    outcome = RadioField(_l("Outcome"), choices=choices([
        ("satisfactory", _l("Satisfactory: the CPD evidence supports the hours logged")),
        ("not satisfactory", _l("Not satisfactory"))]),
        validators=[InputRequired(_l("Choose an outcome."))])
    notes = TextAreaField(_l("Notes"), validators=[DataRequired(_l("Say what you checked.")),
                                               Length(max=5000), no_identifying_data])


class PortfolioItemForm(BaseForm):
    kind = RadioField(_l("What it is"), choices=choices([
        ("case_study", _l("A case study mapped to the stages")),
        ("work_product", _l("A work product (a risk assessment, a plan, an agreement...)")),
        ("reference", _l("A reference from someone who saw your work"))]),
        validators=[InputRequired(_l("Choose what you are adding."))])
    title = StringField(_l("Title"), validators=[DataRequired(_l("Give it a title.")),
                                             Length(max=200), no_identifying_data])
    summary = TextAreaField(_l("Summary"), description=_l("No names or other details that could "
                            "identify participants; for a reference, what the referee saw."),
                            validators=[DataRequired(_l("Write a summary.")), Length(max=10000),
                                        no_identifying_data])
    stages = MultiCheckboxField(_l("Stages it shows (case studies)"),
                                choices=choices(STAGES.items()))
    occurred_on = DateField(_l("When (case studies)"), validators=[Optional(), not_in_future])
    is_risk_assessment = BooleanField(_l("This work product is a risk assessment"))
    referee_name = StringField(_l("Referee's name (references)"),
                               validators=[Optional(), Length(max=120)])
    referee_email = StringField(
        _l("Referee's email (references)"),
        description=_l("The one-time link is emailed to this address, so that only the "
                       "referee can use it."),
        validators=[Optional(), Length(max=254),
                    Email(_l("Enter an email address like name@example.org."))])


class ReferenceForm(BaseForm):
    referee_name = StringField(_l("Your name"), validators=[DataRequired(_l("Give your name.")),
                                                        Length(max=120)])
    statement = TextAreaField(_l("What you saw of their work"), validators=[
        DataRequired(_l("Say what you saw of their work.")), Length(max=5000),
        no_identifying_data])
    confirm = BooleanField(_l("I confirm this reference is true and that I saw this work"),
                           validators=[DataRequired(_l("Tick to confirm the reference."))])


class DiscussionForm(BaseForm):
    held_on = DateField(_l("Date of the discussion"), validators=[
        InputRequired(_l("Give the date.")), not_in_future])
    notes = TextAreaField(_l("What was discussed and what it showed"), validators=[
        DataRequired(_l("Record the discussion.")), Length(max=10000), no_identifying_data])


class EvidenceFileForm(BaseForm):
    file = FileField(_l("File (PDF, DOCX, PNG or JPG)"),
                     validators=[FileRequired(_l("Choose a file to upload."))])
    redacted = BooleanField(_l("I have removed everything that could identify a participant"))
