from flask_babel import lazy_gettext as _l
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
from lms.practice.forms import MultiCheckboxField, not_in_future
from lms.practice.models import STAGES
from lms.privacy.validators import no_identifying_data


class DecisionForm(BaseForm):
    outcome = RadioField("Decision", choices=choices([
        ("approved", "Approve and issue the accreditation"),
        ("further work needed", "Further work needed"),
        ("not accepted", "Not accepted")]),
        validators=[InputRequired("Choose a decision.")])
    reasons = TextAreaField("Reasons", validators=[DataRequired("Give the reasons for the "
                                                                "decision."), Length(max=5000),
                                                 no_identifying_data])
    discretion = BooleanField("Approve at the assessor's discretion, although a requirement "
                              "is not met")
    discretion_reason = TextAreaField(
        "Why the unmet requirement should not stop this approval",
        description="Shown on the record, in its history and to the scheme lead.",
        validators=[Length(max=5000), no_identifying_data])

    def validate_discretion_reason(self, field):
        if self.discretion.data and not (field.data or "").strip():
            raise ValidationError("Write why you are using your discretion.")


class LegalNameForm(BaseForm):
    legal_name = StringField("New legal name", validators=[
        DataRequired("Give the new legal name."), Length(max=120)])
    reason = TextAreaField("Evidence seen", description="For example: marriage certificate "
                           "seen by the lead on 3 May.", validators=[
                               DataRequired("Say what evidence of the change you saw."),
                               Length(max=2000), no_identifying_data])


class ObservationForm(BaseForm):
    observed_on = DateField("Date observed", validators=[InputRequired("Give the date."),
                                                         not_in_future])
    mode = RadioField("How", choices=choices([
        (ObservationMode.LIVE, "Live, in person or by video"),
        (ObservationMode.RECORDING, "From a recording")]),
        validators=[InputRequired("Choose live or recording.")])
    stages = MultiCheckboxField("Stages assessed", choices=choices(STAGES.items()),
                                validators=[DataRequired("Choose the stages you assessed.")])
    outcome = RadioField("Outcome", choices=choices([
        (ObservationOutcome.MEETS, "Meets the standard"),
        (ObservationOutcome.NOT_YET, "Not yet")]),
        validators=[InputRequired("Choose an outcome.")])
    feedback = TextAreaField("Feedback to the practitioner", validators=[
        DataRequired("Give your feedback."), Length(max=5000), no_identifying_data])


class LifecycleForm(BaseForm):
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason; it is kept in "
                                                              "the record's history."),
                                                 Length(max=2000), no_identifying_data])


class RegisterSearchForm(BaseForm):
    class Meta:
        csrf = False  # a public GET search changes nothing

    q = StringField("Name or identifier", validators=[Optional(), Length(max=100)])
    scheme = StringField("Scheme", validators=[Optional(), Length(max=120)])
    level = StringField("Level", validators=[Optional(), Length(max=40)])
    region = StringField("Region", validators=[Optional(), Length(max=64)])
    status = StringField("Status", validators=[Optional(), Length(max=30)])
    sector = StringField("Sector", validators=[Optional(), Length(max=30)])


class PasteCredentialForm(BaseForm):
    token = TextAreaField("Certificate number or credential", validators=[
        DataRequired("Type the certificate number, or paste the credential (the long text "
                     "starting with “ey”)."),
        Length(max=20_000, message="That is far longer than any credential.")])


class BulkCheckForm(BaseForm):
    numbers = TextAreaField("Certificate numbers", validators=[
        Optional(), Length(max=40_000, message="That is more than we check at once.")],
        description="One per line, or separated by commas; dashes optional.")
    file = FileField("Or a CSV file", description="Certificate numbers in any column.")


class InsuranceForm(BaseForm):
    insurer = StringField("Insurer", validators=[DataRequired("Give the insurer's name."),
                                                 Length(max=120)])
    policy_number = StringField("Policy number", validators=[
        DataRequired("Give the policy number."), Length(max=60)])
    expires_on = DateField("Expiry date", validators=[InputRequired("Give the expiry date.")])


class CpdAuditForm(BaseForm):
    outcome = RadioField("Outcome", choices=choices([
        ("satisfactory", "Satisfactory: the CPD evidence supports the hours logged"),
        ("not satisfactory", "Not satisfactory")]),
        validators=[InputRequired("Choose an outcome.")])
    notes = TextAreaField("Notes", validators=[DataRequired("Say what you checked."),
                                               Length(max=5000), no_identifying_data])


class PortfolioItemForm(BaseForm):
    kind = RadioField("What it is", choices=choices([
        ("case_study", "A case study mapped to the stages"),
        ("work_product", "A work product (a risk assessment, a plan, an agreement...)"),
        ("reference", "A reference from someone who saw your work")]),
        validators=[InputRequired("Choose what you are adding.")])
    title = StringField("Title", validators=[DataRequired("Give it a title."),
                                             Length(max=200), no_identifying_data])
    summary = TextAreaField("Summary", description="No names or other details that could "
                            "identify participants; for a reference, what the referee saw.",
                            validators=[DataRequired("Write a summary."), Length(max=10000),
                                        no_identifying_data])
    stages = MultiCheckboxField("Stages it shows (case studies)",
                                choices=choices(STAGES.items()))
    occurred_on = DateField("When (case studies)", validators=[Optional(), not_in_future])
    is_risk_assessment = BooleanField("This work product is a risk assessment")
    referee_name = StringField("Referee's name (references)",
                               validators=[Optional(), Length(max=120)])
    referee_email = StringField(
        "Referee's email (references)",
        description=_l("The one-time link is emailed to this address, so that only the "
                       "referee can use it."),
        validators=[Optional(), Length(max=254),
                    Email(_l("Enter an email address like name@example.org."))])


class ReferenceForm(BaseForm):
    referee_name = StringField("Your name", validators=[DataRequired("Give your name."),
                                                        Length(max=120)])
    statement = TextAreaField("What you saw of their work", validators=[
        DataRequired("Say what you saw of their work."), Length(max=5000),
        no_identifying_data])
    confirm = BooleanField("I confirm this reference is true and that I saw this work",
                           validators=[DataRequired("Tick to confirm the reference.")])


class DiscussionForm(BaseForm):
    held_on = DateField("Date of the discussion", validators=[
        InputRequired("Give the date."), not_in_future])
    notes = TextAreaField("What was discussed and what it showed", validators=[
        DataRequired("Record the discussion."), Length(max=10000), no_identifying_data])


class EvidenceFileForm(BaseForm):
    file = FileField("File (PDF, DOCX, PNG or JPG)",
                     validators=[FileRequired("Choose a file to upload.")])
    redacted = BooleanField("I have removed everything that could identify a participant")
